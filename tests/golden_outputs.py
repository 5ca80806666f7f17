"""Golden outputs: the default pipeline's record for every page and text in ../shared/data.

A refactor must not change what a user sees. This module runs the default pipeline over

* every HTML page of ``news_html_anpandu``, ``news_html_slasher`` and ``fundus_news_pages``,
* every body of the detik CSV and every IndoSum dev article,
* every English news document of GUM (test, dev and train), joined from its tokens,
* the seed page, the bundled samples and the golden pages under ``tests/golden``,

and keeps one SHA-256 per record of its JSON with the fields that carry the time of extraction
or the software version left out (``retrieved_at``, ``retrieved_at_kind``, ``produced_by``;
CLARIFICATIONS.md, "Second wave"). The hashes live in ``tests/golden/outputs.json``; the
texts never leave ../shared.

    python tests/golden_outputs.py --write            # after a deliberate output change
    python tests/golden_outputs.py --check            # what the test does, with a diff list
    python tests/golden_outputs.py --dump DIR         # every record as JSON, to diff by hand

An output-changing commit rewrites the hashes in the same commit and says why.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DATA = SHARED / "data"
HASHES = ROOT / "tests" / "golden" / "outputs.json"
VOLATILE = ("retrieved_at", "retrieved_at_kind", "produced_by")


def _read(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def _gum_documents(path: Path) -> Iterator[tuple[str, str]]:
    """(doc id, text) of a GUM TSV: tokens joined by spaces, sentences by newlines."""
    doc, sentence, sentences = None, [], []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line.startswith("# newdoc id"):
                if doc is not None:
                    yield doc, "\n".join(sentences)
                doc, sentences = line.split("=", 1)[1].split()[0], []
            elif not line.strip():
                if sentence:
                    sentences.append(" ".join(sentence))
                    sentence = []
            elif not line.startswith("#"):
                sentence.append(line.split("\t", 1)[0])
    if sentence:
        sentences.append(" ".join(sentence))
    if doc is not None:
        yield doc, "\n".join(sentences)


def inputs() -> Iterator[tuple[str, bytes | str]]:
    """(key, page or text) for every input, in a fixed order; keys are stable across machines."""
    for dataset in ("news_html_anpandu", "news_html_slasher", "fundus_news_pages"):
        for path in sorted((DATA / dataset).rglob("*.html.gz")):
            yield f"{dataset}/{path.relative_to(DATA / dataset)}", _read(path)
    with gzip.open(DATA / "detik_summ_entity_1000" / "data_berita.csv.gz", "rt", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            yield f"detik/{i}", row.get("isi_berita") or ""
    with gzip.open(DATA / "indosum_dev01" / "dev.01.jsonl.gz", "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            doc = json.loads(line)
            body = "\n\n".join(
                " ".join(" ".join(sent) for sent in para) for para in doc["paragraphs"]
            )
            yield f"indosum/{i}", body
    for split in ("test", "dev", "train"):
        for doc, text in _gum_documents(DATA / "en_ner_gum" / f"gum_news_{split}.tsv.gz"):
            yield f"gum/{split}/{doc}", text
    yield (
        "seed/000_e34af48cd88e996e.txt",
        (SHARED / "seed" / "000_e34af48cd88e996e.txt").read_bytes(),
    )
    for folder in (ROOT / "src" / "warta" / "samples", ROOT / "tests" / "golden"):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in (".txt", ".html"):
                yield f"{folder.name}/{path.relative_to(folder)}", path.read_bytes()


def record_json(key: str, page: bytes | str) -> str:
    """The record's JSON for one input, volatile fields left out, keys sorted."""
    from warta.api import extract_text
    from warta.core.serialize import article_to_dict

    article = extract_text(page, source=f"shared/{key}")
    try:
        record: dict[str, Any] = article_to_dict(article)
    except Exception as exc:  # what the user sees today is part of the output too
        return json.dumps({"exception": f"{type(exc).__name__}: {exc}"}, ensure_ascii=False)
    for field in VOLATILE:
        record.pop(field, None)
    return json.dumps(record, ensure_ascii=False, sort_keys=True)


def compute(progress: bool = False) -> dict[str, str]:
    hashes: dict[str, str] = {}
    for n, (key, page) in enumerate(inputs(), 1):
        hashes[key] = hashlib.sha256(record_json(key, page).encode("utf-8")).hexdigest()
        if progress and n % 250 == 0:
            print(f"  {n} records", file=sys.stderr)
    return hashes


def alone(keys: list[str]) -> dict[str, str]:
    """The hashes of ``keys`` each computed in a fresh process, as ``warta extract`` on that one
    page gives it. A record that differs only when computed after the others in one process
    depends on what the process read before (a known bug, tracked in the closing note): the
    guard is about what one page gives, so such a record is checked alone."""
    import subprocess

    code = (
        "import hashlib, sys\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "import golden_outputs as g\n"
        "want = set(sys.argv[2:])\n"
        "for key, page in g.inputs():\n"
        "    if key in want:\n"
        "        print(key, hashlib.sha256(g.record_json(key, page).encode('utf-8')).hexdigest())\n"
    )
    out: dict[str, str] = {}
    for key in keys:
        proc = subprocess.run(
            [sys.executable, "-c", code, str(Path(__file__).parent), key],
            capture_output=True,
            text=True,
            timeout=600,
            check=True,
        )
        for line in proc.stdout.splitlines():
            k, h = line.rsplit(" ", 1)
            out[k] = h
    return out


def differences(expected: dict[str, str], actual: dict[str, str]) -> list[str]:
    out = [f"missing: {k}" for k in expected if k not in actual]
    out += [f"new: {k}" for k in actual if k not in expected]
    out += [f"changed: {k}" for k in expected if k in actual and expected[k] != actual[k]]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", action="store_true", help="rewrite tests/golden/outputs.json")
    group.add_argument("--check", action="store_true", help="compare against it")
    group.add_argument("--dump", type=Path, metavar="DIR", help="write every record's JSON")
    args = parser.parse_args()
    if args.dump:
        args.dump.mkdir(parents=True, exist_ok=True)
        for key, page in inputs():
            target = args.dump / (key.replace("/", "__") + ".json")
            target.write_text(
                json.dumps(
                    json.loads(record_json(key, page)), ensure_ascii=False, indent=1, sort_keys=True
                )
            )
        return 0
    hashes = compute(progress=True)
    if args.write:
        HASHES.write_text(json.dumps(hashes, indent=0, sort_keys=True) + "\n")
        print(f"wrote {len(hashes)} hashes to {HASHES}")
        return 0
    diff = differences(json.loads(HASHES.read_text()), hashes)
    print("\n".join(diff) or f"all {len(hashes)} records unchanged")
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main())
