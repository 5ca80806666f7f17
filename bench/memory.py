"""Peak memory of ``warta ingest`` as the number of articles grows: flat, or growing with them?

    python bench/memory.py [--small 1000] [--large 100000] [--jobs 1] [--pipeline full]

Two runs of ``warta ingest -j JOBS`` into a fresh SQLite store, one of ``--small`` articles and
one of ``--large``, each a fresh process; the peak resident set size of each (``wait4``'s
``ru_maxrss``: the largest of the process and the workers it waited for, not their sum — with
``-j 2`` use ``--parts``, whose sampled ``total`` adds up the tree) is printed with their ratio — the
target is within 1.10 (memory bounded by configuration, not by corpus size).

The articles are the 1,000 detik bodies (``../shared/data/detik_summ_entity_1000``) cycled,
each given one more sentence of invented names and places (syllables drawn by a seeded random
generator, so about three words no earlier article used): a corpus whose vocabulary grows with
its size, as news does (new names every day), so per-word caches meet new words all the way.
Each article has its own URL (its own report id), so every one is stored.

``--parts`` also samples ``/proc/PID/smaps`` of the process tree every 0.2 s and prints the
largest value seen of each part of the resident set: the store file mapped by SQLite's
``mmap_size`` (and its ``-shm`` index), anonymous memory (the Python heap, SQLite's page cache,
numpy arrays) and other files (libraries, models); and the tree's proportional set size
(``pss``: a page shared by the processes of ``-j N``, such as what workers inherit from the
parent they fork from, is counted once, split between them, where the resident total counts
it in every process). ``WARTA_SQLITE_CACHE_MIB`` and
``WARTA_SQLITE_MMAP_MIB`` in the environment reach the ingest and set SQLite's bounds.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "detik_summ_entity_1000" / "data_berita.csv.gz"
SYLLABLES = "ba bu ki ko ra ru sa si ta tu ma mi na no ja jo wa wi ha he la lu da di ga gu".split()
TARGET = 1.10


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 4))).capitalize()


def articles(n: int, seed: int = 7) -> Iterator[dict[str, str]]:
    """``n`` JSON Lines records: a detik body plus a sentence of new names."""
    with gzip.open(DATA, "rt", encoding="utf-8", newline="") as f:
        bodies = [row["isi_berita"] for row in csv.DictReader(f)]
    rng = random.Random(seed)
    for k in range(n):
        who, org, place = _name(rng), _name(rng), _name(rng)
        extra = f"\n\n{who} {_name(rng)} dari Partai {org} mengatakan hal itu di {place}."
        yield {"text": bodies[k % len(bodies)] + extra, "url": f"https://bench.example/a/{k}"}


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (worker processes), read from ``/proc``."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except OSError:
            continue
    return found


def _parts(pids: list[int], store: str) -> dict[str, float]:
    """Resident KiB of the store's mapped file, anonymous memory and other files, summed."""
    out = {"store mmap": 0.0, "anonymous": 0.0, "other files": 0.0}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps") as fh:
                lines = fh.read().splitlines()
        except OSError:
            continue
        part = "anonymous"
        for line in lines:
            head = line.split(maxsplit=5)
            if head and "-" in head[0] and len(head) >= 5:  # a mapping's first line
                name = head[5] if len(head) > 5 else ""
                if name.startswith(store):
                    part = "store mmap"
                elif name.startswith("/") and not name.startswith("/dev/zero"):
                    part = "other files"
                else:
                    part = "anonymous"  # [heap], [stack], unnamed
            elif head and head[0] == "Rss:":
                out[part] += float(head[1])
            elif head and head[0] == "Pss:":
                out["pss"] = out.get("pss", 0.0) + float(head[1])
    return out


def _stored(store: str) -> int | None:
    """Articles in the store so far (read-only; None while it cannot be read)."""
    try:
        with sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=1) as db:
            return int(db.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return None


class Sampler(threading.Thread):
    """The largest value seen of each resident part of a process tree, in MiB; every
    ``report_s`` seconds a line on stderr with the articles stored so far and the tree's
    resident total now and at its peak, so a long run shows where it is (and what it had
    reached, if it is stopped)."""

    def __init__(self, pid: int, store: str, report_s: float = 300.0) -> None:
        super().__init__(daemon=True)
        self.pid, self.store, self.report_s = pid, store, report_s
        self.peak: dict[str, float] = {}
        self.done = threading.Event()

    def run(self) -> None:
        started = last = time.monotonic()
        while not self.done.wait(0.2):
            parts = _parts(_tree(self.pid), self.store)
            parts["total"] = sum(v for k, v in parts.items() if k != "pss")
            for key, kib in parts.items():
                self.peak[key] = max(self.peak.get(key, 0.0), kib / 1024)
            if time.monotonic() - last >= self.report_s:
                last = time.monotonic()
                print(
                    f"  {last - started:6.0f} s: {_stored(self.store)} articles stored, tree "
                    f"{parts['total'] / 1024:.1f} MiB now, peak {self.peak['total']:.1f} MiB "
                    f"(load {os.getloadavg()[0]:.2f})",
                    file=sys.stderr,
                    flush=True,
                )


def peak_rss(
    n: int, jobs: int, pipeline: str, folder: Path, parts: bool = False, corpus: bool = True
) -> tuple[float, float, dict[str, float]]:
    """(peak RSS in MiB, wall s, sampled peaks of the parts) of ``warta ingest`` of ``n``
    articles."""
    source = folder / f"articles-{n}.jsonl"
    with source.open("w", encoding="utf-8") as fh:
        for record in articles(n):
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    db = folder / f"store-{n}.db"
    cmd = [
        str(Path(sys.executable).parent / "warta"),
        "ingest",
        str(source),
        "--db",
        str(db),
        "-j",
        str(jobs),
        "--pipeline",
        pipeline,
        "-q",
        *([] if corpus else ["--no-corpus"]),
    ]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    sampler = Sampler(proc.pid, str(db))
    if parts:
        sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    sampler.done.set()
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"warta ingest of {n} articles failed ({proc.returncode}): {err[-800:]}")
    return usage.ru_maxrss / 1024, wall, sampler.peak  # ru_maxrss is in KiB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--pipeline", default="full")
    parser.add_argument("--parts", action="store_true", help="sample what the resident set holds")
    parser.add_argument(
        "--no-corpus", action="store_true", help="leave out the corpus pass after the articles"
    )
    args = parser.parse_args()
    if not 1 <= args.small < args.large:
        parser.error("need 1 <= --small < --large")
    if not DATA.exists():
        print(f"{DATA} not present: ../shared is needed for this benchmark")
        return 1

    def loadavg() -> str:
        return " ".join(f"{v:.2f}" for v in os.getloadavg())

    print(
        f"# bench/memory.py  {date.today()}  warta ingest -j {args.jobs} --pipeline {args.pipeline}"
    )
    bounds = {k: os.environ.get(k) for k in ("WARTA_SQLITE_CACHE_MIB", "WARTA_SQLITE_MMAP_MIB")}
    print("# " + "  ".join(f"{k}={v if v is not None else 'default'}" for k, v in bounds.items()))
    peaks, trees, shares = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for n in (args.small, args.large):
            before = loadavg()
            peak, wall, sampled = peak_rss(
                n, args.jobs, args.pipeline, Path(tmp), args.parts, not args.no_corpus
            )
            peaks.append(peak)
            trees.append(sampled.get("total", 0.0))
            shares.append(sampled.get("pss", 0.0))
            print(
                f"{n:>9,} articles: peak RSS {peak:7.1f} MiB  ({wall:.0f} s; load {before} -> {loadavg()})"
            )
            if sampled:
                shown = "  ".join(f"{k} {v:.1f}" for k, v in sampled.items())
                print(f"{'':>9}  sampled peaks, MiB: {shown}")
            sys.stdout.flush()
    small, large = peaks
    if trees[0] and trees[1]:
        print(f"ratio of the sampled totals {trees[1] / trees[0]:.3f}")
    if shares[0] and shares[1]:
        print(f"ratio of the sampled proportional set sizes (pss) {shares[1] / shares[0]:.3f}")
    ratio = large / small
    verdict = "flat" if ratio <= TARGET else "grows"
    print(f"ratio {ratio:.3f} (target <= {TARGET:.2f}): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
