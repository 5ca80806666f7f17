"""ROUGE of warta's extractive summary against lead-3 and TextRank on IndoSum dev.01.

    .venv/bin/python bench/summary.py [--data ../shared/data] [--limit N]

Data: ``indosum_dev01/dev.01.jsonl.gz`` (750 articles, CC BY-SA 4.0, read from ../shared/data,
never copied here). A body is the article's tokens joined with spaces, sentences joined with a
space, paragraphs separated by a blank line; the gold summary is the ``summary`` sentences.

ROUGE is implemented here, not by ROUGE-1.5.5: F1 of unigram (ROUGE-1) and bigram (ROUGE-2)
overlap with clipped counts, and ROUGE-L F1 from the longest common subsequence of the whole
candidate and the whole reference (not the sentence-level union LCS), all on lower-cased
whitespace tokens with tokens holding no letter or digit (punctuation) dropped, no stemming,
averaged over articles. All three systems use warta's sentence splitter and are scored in the
same run.

These are dev-fold figures: indicative only (published IndoSum figures are on the five test
folds: IndoBERT extractive ROUGE-1 69.93), and warta's summary weights were set on this very
fold, so its margin here is optimistic.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from warta.nlp.sentences import split_sentences  # noqa: E402
from warta.nlp.summary import summarize  # noqa: E402

N = 3


def rouge_tokens(text: str) -> list[str]:
    return [t for t in text.lower().split() if any(c.isalnum() for c in t)]


def _f1(overlap: int, cand: int, ref: int) -> float:
    if overlap == 0 or cand == 0 or ref == 0:
        return 0.0
    p, r = overlap / cand, overlap / ref
    return 2 * p * r / (p + r)


def _ngrams(tokens: list[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def _lcs(a: list[str], b: list[str]) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def rouge(candidate: str, reference: str) -> tuple[float, float, float]:
    c, r = rouge_tokens(candidate), rouge_tokens(reference)
    scores: list[float] = []
    for n in (1, 2):
        cn, rn = _ngrams(c, n), _ngrams(r, n)
        overlap = sum((cn & rn).values())
        scores.append(_f1(overlap, sum(cn.values()), sum(rn.values())))
    scores.append(_f1(_lcs(c, r), len(c), len(r)))
    return scores[0], scores[1], scores[2]


def _sentences(body: str) -> list[str]:
    return [body[s.start : s.end] for s in split_sentences(body)]


def lead3(body: str) -> str:
    return " ".join(_sentences(body)[:N])


def textrank(body: str) -> str:
    """Sentence graph weighted by cosine similarity of lower-cased word counts, PageRank
    (damping 0.85, 50 iterations), top 3 returned in document order."""
    sents = _sentences(body)
    if len(sents) <= N:
        return " ".join(sents)
    bags = [Counter(rouge_tokens(s)) for s in sents]
    norms = [math.sqrt(sum(v * v for v in b.values())) for b in bags]
    n = len(sents)
    w = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            if norms[i] and norms[j]:
                dot = sum(v * bags[j][t] for t, v in bags[i].items() if t in bags[j])
                w[i][j] = w[j][i] = dot / (norms[i] * norms[j])
    out = [sum(row) for row in w]
    rank = [1.0 / n] * n
    for _ in range(50):
        rank = [
            0.15 / n + 0.85 * sum(w[j][i] / out[j] * rank[j] for j in range(n) if out[j])
            for i in range(n)
        ]
    top = sorted(range(n), key=lambda i: (-rank[i], i))[:N]
    return " ".join(sents[i] for i in sorted(top))


def load(path: Path) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            body = "\n\n".join(
                " ".join(" ".join(sent) for sent in para) for para in doc["paragraphs"]
            )
            gold = " ".join(" ".join(sent) for sent in doc["summary"])
            items.append((body, gold))
    return items


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    items = load(args.data / "indosum_dev01" / "dev.01.jsonl.gz")
    if args.limit:
        items = items[: args.limit]
    systems: dict[str, Callable[[str], str]] = {
        "warta": lambda body: summarize(body, N, "id"),
        "lead-3": lead3,
        "textrank": textrank,
    }
    print(f"IndoSum dev.01: {len(items)} articles, {N} sentences per summary")
    print("ROUGE F1 x100 (own implementation: lower-cased tokens, punctuation dropped,")
    print("no stemming; ROUGE-L = LCS of whole summaries), averaged over articles")
    print(f"{'system':<10} {'R-1':>6} {'R-2':>6} {'R-L':>6} {'articles/s':>11}")
    for name, system in systems.items():
        totals = [0.0, 0.0, 0.0]
        t0 = time.perf_counter()
        outputs = [system(body) for body, _ in items]
        elapsed = time.perf_counter() - t0
        for out, (_, gold) in zip(outputs, items, strict=True):
            for k, v in enumerate(rouge(out, gold)):
                totals[k] += v
        r1, r2, rl = (100 * t / len(items) for t in totals)
        print(f"{name:<10} {r1:6.2f} {r2:6.2f} {rl:6.2f} {len(items) / elapsed:11.0f}")
    print("Dev-fold figures are indicative only (warta's weights were set on this fold);")
    print("published IndoSum: IndoBERT extractive ROUGE-1 69.93 on the test folds.")


if __name__ == "__main__":
    main()
