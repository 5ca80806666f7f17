"""Speed of tokenisation and sentence splitting on real Indonesian news bodies.

    python bench/tokens.py [--bodies 1000] [--repeats 3]

Reads the detik bodies of ../shared/data/detik_summ_entity_1000/data_berita.csv.gz (column
isi_berita) and prints tokens per second for ``warta.nlp.tokens.tokenize`` and sentences per
second for ``warta.nlp.sentences.split_sentences`` (which tokenises too), single process, one
core, bodies in memory. Each is timed ``--repeats`` times and the fastest run is kept (on a
shared machine the fastest run is the one least disturbed by other work). The target for
tokenisation is 200,000 tokens/s.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import sys
import time
from collections.abc import Callable
from pathlib import Path

from warta.nlp.sentences import split_sentences
from warta.nlp.tokens import tokenize

DATA = (
    Path(__file__).resolve().parents[1].parent
    / "shared"
    / "data"
    / "detik_summ_entity_1000"
    / "data_berita.csv.gz"
)


def load(limit: int) -> list[str]:
    with gzip.open(DATA, "rt", encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(fh)
        return [row["isi_berita"] for _, row in zip(range(limit), rows)]


def fastest(run: Callable[[], int], repeats: int) -> tuple[int, float]:
    best = float("inf")
    count = 0
    for _ in range(repeats):
        t0 = time.perf_counter()
        count = run()
        best = min(best, time.perf_counter() - t0)
    return count, best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bodies", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if not DATA.exists():
        print(f"{DATA} not present: ../shared is only beside the repository", file=sys.stderr)
        return 2
    bodies = load(args.bodies)
    chars = sum(map(len, bodies))
    tokenize("warm up: Jl. Sudirman No. 5, pukul 14.05 WIB.")  # builds the regex once

    tokens, t_tok = fastest(lambda: sum(len(tokenize(b)) for b in bodies), args.repeats)
    sents, t_sent = fastest(lambda: sum(len(split_sentences(b)) for b in bodies), args.repeats)

    print(
        f"{len(bodies)} detik bodies, {chars:,} characters, {tokens:,} tokens, {sents:,} sentences"
    )
    print(
        f"tokenize:        {tokens / t_tok:>10,.0f} tokens/s   "
        f"({chars / t_tok / 1e6:.2f} M chars/s, {len(bodies) / t_tok:,.0f} bodies/s)"
    )
    print(
        f"split_sentences: {sents / t_sent:>10,.0f} sentences/s "
        f"({tokens / t_sent:,.0f} tokens/s, {len(bodies) / t_sent:,.0f} bodies/s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
