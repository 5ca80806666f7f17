"""Accuracy of warta.meta.language.detect_language on the text we have.

    .venv/bin/python bench/language_id.py [--data ../shared/data]

Real text (third-party, read from ../shared/data, never copied into the repository):
  * Indonesian: detik bodies (detik_summ_entity_1000, column isi_berita), IndoSum dev.01
    (paragraphs of tokens joined with spaces), the Indonesian pages of news_html_slasher and
    news_html_anpandu (gold bodies);
  * English: the English pages of news_html_slasher (expected_body_concat) and
    news_html_anpandu (content): only three documents, so they are also cut into chunks.
Each source is scored per document and per paragraph (chunks of at least MIN_WORDS words).

There is NO Malay or Javanese text in ../shared/data. The ms and jv figures come from the
handful of sentences written for tests/test_language.py (self-written, and written by the
same person who wrote the word lists, so they are optimistic); they are reported apart.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import importlib.util
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from warta.meta.language import detect_language  # noqa: E402

MIN_WORDS = 8
CODES = ("id", "en", "ms", "jv", "und")
_SENTENCE_END = re.compile(r"(?<=[a-z0-9\"'”)][.!?])(?=[\"“]?[A-Z])|\n+")


def chunks(text: str, min_words: int = MIN_WORDS) -> Iterator[str]:
    """Paragraphs (or, where a body has no line breaks, runs of sentences) of min_words+."""
    buf: list[str] = []
    for piece in _SENTENCE_END.split(text) if "\n" not in text else text.split("\n"):
        piece = piece.strip()
        if not piece:
            continue
        buf.append(piece)
        if sum(len(p.split()) for p in buf) >= min_words:
            yield " ".join(buf)
            buf = []


def detik(data: Path) -> Iterator[tuple[str, str]]:
    with gzip.open(
        data / "detik_summ_entity_1000" / "data_berita.csv.gz", "rt", encoding="utf-8"
    ) as f:
        for row in csv.DictReader(f):
            yield "id", row["isi_berita"]


def indosum(data: Path) -> Iterator[tuple[str, str]]:
    with gzip.open(data / "indosum_dev01" / "dev.01.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            paras = [" ".join(" ".join(sent) for sent in para) for para in doc["paragraphs"]]
            yield "id", "\n".join(paras)


def gold_pages(data: Path, folder: str, field: str) -> Iterator[tuple[str, str]]:
    with open(data / folder / "gold.jsonl", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            yield row["language"], row[field]


def self_written() -> dict[str, list[str]]:
    spec = importlib.util.spec_from_file_location(
        "test_language", ROOT / "tests" / "test_language.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {
        "id": list(module.ID_SAMPLES),
        "en": list(module.EN_SAMPLES),
        "ms": list(module.MS_SAMPLES),
        "jv": list(module.JV_SAMPLES),
    }


def report(name: str, confusion: Counter[tuple[str, str]], extra: str = "") -> None:
    n = sum(confusion.values())
    right = sum(v for (g, p), v in confusion.items() if g == p)
    print(f"\n{name}: n={n} accuracy={right / n:.4f}{extra}")
    for g in sorted({g for g, _ in confusion}):
        row = {p: confusion[g, p] for p in CODES if confusion[g, p]}
        total = sum(row.values())
        print(
            f"  gold {g}: {confusion[g, g]}/{total} = {confusion[g, g] / total:.4f}   predicted {row}"
        )


def score(name: str, items: Iterable[tuple[str, str]]) -> Counter[tuple[str, str]]:
    confusion: Counter[tuple[str, str]] = Counter()
    confidence_sum = 0.0
    seconds = 0.0
    for gold, text in items:
        start = time.perf_counter()
        code, confidence = detect_language(text)
        seconds += time.perf_counter() - start
        confusion[gold, code] += 1
        confidence_sum += confidence
    n = sum(confusion.values())
    report(
        name, confusion, f" mean confidence={confidence_sum / n:.3f} ({n / seconds:,.0f} texts/s)"
    )
    return confusion


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    data: Path = args.data

    detect_language("warm up the word lists")
    print("== real text from ../shared/data ==")
    sources = {
        "detik (id)": list(detik(data)),
        "indosum dev.01 (id)": list(indosum(data)),
        "news_html_slasher gold": list(
            gold_pages(data, "news_html_slasher", "expected_body_concat")
        ),
        "news_html_anpandu gold": list(gold_pages(data, "news_html_anpandu", "content")),
    }
    all_docs: Counter[tuple[str, str]] = Counter()
    all_chunks: Counter[tuple[str, str]] = Counter()
    for name, docs in sources.items():
        all_docs += score(f"{name}, per document", docs)
        all_chunks += score(
            f"{name}, per paragraph (>= {MIN_WORDS} words)",
            ((lang, c) for lang, text in docs for c in chunks(text)),
        )
    print("\n== all real text ==")
    report("all documents", all_docs)
    report("all paragraphs", all_chunks)

    print("\n== SELF-WRITTEN sentences from tests/test_language.py (no ms/jv data exists) ==")
    samples = self_written()
    score("self-written, per sentence", ((lang, s) for lang, ss in samples.items() for s in ss))


if __name__ == "__main__":
    main()
