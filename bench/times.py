"""Detection quality of ``warta.nlp.times.find_times`` against gold TIME spans.

    python bench/times.py

Gold: ../shared/data/indolem_nerugm (BIO ``token<TAB>tag``; all five ``test.0N`` folds; tokens
joined with single spaces, offsets rebuilt) and ../shared/data/syaifudin_ner_inline (inline
``<TIME>...</TIME>`` tags: data_test.txt and data_train.txt.gz). Detection only: the gold has
no values. Prints precision/recall/F1 for exact spans and for overlap (a prediction counts
when it overlaps a gold span, and a gold span when a prediction overlaps it). The datasets'
TIME conventions differ from ours (they tag bare years, numbers of years, "ke-20"; we tag
durations and clock times they may not), so these are indicative, not targets.
"""

from __future__ import annotations

import gzip
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from warta.nlp.times import find_times

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
Span = tuple[int, int]


def nerugm() -> Iterator[tuple[str, list[Span]]]:
    for path in sorted((DATA / "indolem_nerugm").glob("test.0*.tsv.gz")):
        tokens: list[tuple[str, str]] = []
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in [*fh, ""]:
                parts = line.rstrip("\n").split("\t")
                if len(parts) >= 2:
                    tokens.append((parts[0], parts[-1]))
                    continue
                if tokens:
                    yield _from_bio(tokens)
                    tokens = []


def _from_bio(tokens: list[tuple[str, str]]) -> tuple[str, list[Span]]:
    text = ""
    spans: list[Span] = []
    open_start: int | None = None
    prev_end = 0
    for tok, tag in tokens:
        start = len(text) + (1 if text else 0)
        text = f"{text} {tok}" if text else tok
        inside = tag.endswith("TIME")
        if open_start is not None and (not inside or tag.startswith("B")):
            spans.append((open_start, prev_end))
            open_start = None
        if inside and open_start is None:
            open_start = start
        prev_end = len(text)
    if open_start is not None:
        spans.append((open_start, prev_end))
    return text, spans


_TAG = re.compile(r"<(/?)([A-Z]+)>")


def syaifudin() -> Iterator[tuple[str, list[Span]]]:
    folder = DATA / "syaifudin_ner_inline"
    sources = [
        (folder / "data_test.txt").read_text(encoding="utf-8"),
        gzip.open(folder / "data_train.txt.gz", "rt", encoding="utf-8").read(),
    ]
    for raw in (line for src in sources for line in src.splitlines()):
        text = ""
        spans: list[Span] = []
        pos = 0
        open_start: int | None = None
        for m in _TAG.finditer(raw):
            text += raw[pos : m.start()]
            pos = m.end()
            if m.group(2) != "TIME":
                continue
            if m.group(1):
                if open_start is not None:
                    spans.append((open_start, len(text)))
                open_start = None
            else:
                open_start = len(text)
        text += raw[pos:]
        if text.strip():
            yield text, spans


def score(name: str, items: Iterator[tuple[str, list[Span]]]) -> None:
    tp = n_pred = n_gold = 0
    ov_pred = ov_gold = 0
    sentences = 0
    for text, gold in items:
        sentences += 1
        pred = [(t.start, t.end) for t in find_times(text, None)]
        # the gold spans may carry edge blanks; compare stripped
        gold = [_strip(text, s) for s in gold]
        n_pred += len(pred)
        n_gold += len(gold)
        tp += len(set(pred) & set(gold))
        ov_pred += sum(any(p[0] < g[1] and g[0] < p[1] for g in gold) for p in pred)
        ov_gold += sum(any(p[0] < g[1] and g[0] < p[1] for p in pred) for g in gold)
    print(f"{name}: {sentences} sentences, {n_gold} gold TIME spans, {n_pred} predicted")
    _line("exact  ", tp / n_pred if n_pred else 0.0, tp / n_gold if n_gold else 0.0)
    _line("overlap", ov_pred / n_pred if n_pred else 0.0, ov_gold / n_gold if n_gold else 0.0)


def _strip(text: str, span: Span) -> Span:
    s, e = span
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _line(label: str, p: float, r: float) -> None:
    f = 2 * p * r / (p + r) if p + r else 0.0
    print(f"  {label}  P {p:.3f}  R {r:.3f}  F1 {f:.3f}")


def main() -> int:
    if not DATA.is_dir():
        print(f"no data at {DATA}", file=sys.stderr)
        return 1
    score("indolem_nerugm (test.01-05)", nerugm())
    score("syaifudin_ner_inline (test + train)", syaifudin())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
