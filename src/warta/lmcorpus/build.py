"""``warta corpus``: documents in, training text out.

Each document is assessed where the executor runs it (this process, a pool of processes, or a
Dask cluster): language identified, quality signals computed, the keep/drop rules applied, and
for a kept one its exact key and MinHash signature. The driver then takes the documents in
input order, drops exact and near copies of a document kept earlier, masks personal data in
what it keeps, and writes shards (JSON Lines or Parquet) and a manifest: documents read,
kept, dropped by rule, personal data masked by kind, and each shard with its checksum.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from warta.core.errors import InputError
from warta.lmcorpus.dedup import NearIndex, exact_key, minhash
from warta.lmcorpus.pii import KINDS, mask_pii
from warta.lmcorpus.rules import Rules, decide
from warta.lmcorpus.signals import Signals, compute_signals
from warta.lmcorpus.sources import Doc

__all__ = ["FORMATS", "Assessed", "Manifest", "assess", "build_corpus"]

FORMATS = ("jsonl", "parquet")


@dataclass(slots=True)
class Assessed:
    """One document after its assessment (and, for a kept one, its dedup keys)."""

    doc: Doc
    signals: Signals
    rule: str | None
    key: str | None = None
    hashes: Any = None


def assess(docs: list[Doc], rules: Rules) -> list[Assessed]:
    """Signals, rules and dedup keys of a shard of documents (runs on a worker)."""
    from warta.meta.language import detect_language

    out = []
    for doc in docs:
        language, confidence = detect_language(doc.text)
        signals = compute_signals(doc.text, language, confidence)
        rule = decide(signals, rules)
        item = Assessed(doc, signals, rule)
        if rule is None:
            item.key = exact_key(doc.text)
            if rules.near:
                item.hashes = minhash(doc.text, num_perm=rules.num_perm, shingle=rules.shingle)
        out.append(item)
    return out


@dataclass(slots=True)
class Manifest:
    """What one build read, kept and dropped (written as ``manifest.json``)."""

    inputs: list[str]
    format: str
    rules: dict[str, Any]
    documents: int = 0
    kept: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    pii_masked: Counter[str] = field(default_factory=Counter)
    unreadable: int = 0
    shards: list[dict[str, Any]] = field(default_factory=list)
    elapsed_s: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        from warta import __version__

        return {
            "warta_version": __version__,
            "inputs": self.inputs,
            "format": self.format,
            "documents": self.documents,
            "kept": self.kept,
            "dropped": sum(self.dropped.values()),
            "dropped_by_rule": dict(self.dropped.most_common()),
            "pii_masked": {k: self.pii_masked.get(k, 0) for k in KINDS},
            "unreadable_pages": self.unreadable,
            "shards": self.shards,
            "dropped_file": "dropped.jsonl",
            "rules": self.rules,
            "elapsed_s": round(self.elapsed_s, 3),
        }


class _Shards:
    """Kept documents into numbered shard files of at most ``size`` documents."""

    def __init__(self, out: Path, fmt: str, size: int, manifest: Manifest) -> None:
        self.out, self.fmt, self.size, self.manifest = out, fmt, size, manifest
        self.rows: list[dict[str, Any]] = []

    def add(self, row: dict[str, Any]) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.size:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        name = f"shard-{len(self.manifest.shards):05d}.{self.fmt}"
        path = self.out / name
        if self.fmt == "jsonl":
            with path.open("w", encoding="utf-8") as fh:
                for row in self.rows:
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
            import pyarrow.parquet as pq  # type: ignore[import-untyped, unused-ignore]

            flat = [
                {**r, "signals": json.dumps(r["signals"]), "pii": json.dumps(r["pii"])}
                for r in self.rows
            ]
            pq.write_table(pa.Table.from_pylist(flat), path)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        self.manifest.shards.append({"file": name, "documents": len(self.rows), "sha256": digest})
        self.rows = []


Mapper = Callable[[Iterator[list[Doc]]], Iterator[list[Assessed]]]


def _local(rules: Rules) -> Mapper:
    def run(shards: Iterator[list[Doc]]) -> Iterator[list[Assessed]]:
        for shard in shards:
            yield assess(shard, rules)

    return run


def _pool(rules: Rules, jobs: int) -> Mapper:
    def run(shards: Iterator[list[Doc]]) -> Iterator[list[Assessed]]:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(jobs) as pool:
            yield from _windowed(lambda s: pool.submit(assess, s, rules), shards, 2 * jobs + 1)

    return run


def _dask(rules: Rules, scheduler: str | None, workers: int) -> Mapper:
    def run(shards: Iterator[list[Doc]]) -> Iterator[list[Assessed]]:
        from distributed import Client, LocalCluster

        cluster = None
        if scheduler:
            client = Client(scheduler, timeout="30s")  # type: ignore[no-untyped-call]
        else:
            cluster = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=40
            )
            client = Client(cluster)  # type: ignore[no-untyped-call]
        try:
            n = max(1, len(client.scheduler_info().get("workers", {})))
            yield from _windowed(
                lambda s: client.submit(assess, s, rules, pure=False, retries=2), shards, 2 * n + 1
            )
        finally:
            client.close()  # type: ignore[no-untyped-call]
            if cluster is not None:
                cluster.close()

    return run


def _windowed(submit: Callable[[list[Doc]], Any], shards: Iterator[list[Doc]], window: int) -> Iterator[list[Assessed]]:
    """Results in submission order, at most ``window`` shards in flight."""
    flight: deque[Any] = deque()
    for shard in shards:
        flight.append(submit(shard))
        if len(flight) >= window:
            yield flight.popleft().result()
    while flight:
        yield flight.popleft().result()


def _chunks(docs: Iterable[Doc], size: int) -> Iterator[list[Doc]]:
    it = iter(docs)
    while chunk := list(islice(it, size)):
        yield chunk


def prepare_output(out: Path) -> None:
    """An empty (or new) folder: a build never mixes its shards with another's."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InputError("the output folder is not empty: give a new or empty folder", source=str(out))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the output folder: {exc.strerror or exc}", source=str(out)) from exc


def build_corpus(
    docs: Iterable[Doc],
    out: Path,
    *,
    rules: Rules,
    inputs: list[str],
    fmt: str = "jsonl",
    shard_docs: int = 10000,
    jobs: int = 1,
    executor: str = "local",
    scheduler: str | None = None,
    batch: int = 64,
    unreadable: list[str] | None = None,
    on_progress: Callable[[Manifest], None] | None = None,
) -> Manifest:
    """Assess, deduplicate, mask and write ``docs`` into ``out`` (an empty folder)."""
    if fmt not in FORMATS:
        raise InputError(f"unknown corpus format {fmt!r}: one of {', '.join(FORMATS)}")
    started = time.monotonic()
    prepare_output(out)
    manifest = Manifest(inputs, fmt, rules.to_dict())
    if executor == "dask":
        mapper = _dask(rules, scheduler, max(2, jobs))
    elif jobs > 1:
        mapper = _pool(rules, jobs)
    else:
        mapper = _local(rules)
    shards = _Shards(out, fmt, shard_docs, manifest)
    exact: dict[str, str] = {}
    near = NearIndex(threshold=rules.near_threshold, num_perm=rules.num_perm) if rules.near else None
    with (out / "dropped.jsonl").open("w", encoding="utf-8") as dropped:
        for results in mapper(_chunks(docs, batch)):
            for item in results:
                manifest.documents += 1
                rule, same_as = item.rule, None
                if rule is None and rules.exact and item.key is not None:
                    same_as = exact.get(item.key)
                    rule = "exact_duplicate" if same_as else None
                if rule is None and near is not None and item.hashes is not None:
                    same_as = near.seen(item.doc.id, item.hashes)
                    rule = "near_duplicate" if same_as else None
                if rule is not None:
                    manifest.dropped[rule] += 1
                    record = {"id": item.doc.id, "url": item.doc.url, "rule": rule}
                    if same_as:
                        record["duplicate_of"] = same_as
                    dropped.write(json.dumps(record, ensure_ascii=False) + "\n")
                    continue
                if item.key is not None:
                    exact[item.key] = item.doc.id
                text, counts = mask_pii(item.doc.text)
                manifest.pii_masked.update(counts)
                manifest.kept += 1
                shards.add(
                    {
                        "id": item.doc.id,
                        "url": item.doc.url,
                        "outlet": item.doc.outlet,
                        "published": item.doc.published,
                        "title": item.doc.title,
                        "language": item.signals.language,
                        "language_confidence": item.signals.language_confidence,
                        "text": text,
                        "pii": dict(counts),
                        "signals": item.signals.to_dict(),
                    }
                )
            if on_progress is not None:
                on_progress(manifest)
    shards.flush()
    manifest.unreadable = len(unreadable or [])
    manifest.elapsed_s = time.monotonic() - started
    (out / "manifest.json").write_text(
        json.dumps(manifest.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return manifest
