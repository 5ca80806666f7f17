"""Speed of the whole default pipeline on real article lengths, with each stage's share.

    python bench/enrichment.py [--articles 500]

The 1,000 detik bodies (``../shared/data/detik_summ_entity_1000``, ~390 words each) go through
every stage of ``warta.pipeline.DEFAULT_TEXT_PIPELINE`` in one process; the script prints
articles/s per core and the time each stage took (sum over articles) with its share — the
enrichment target is 50 articles/s/core.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=500)
    args = parser.parse_args()
    path = DATA / "detik_summ_entity_1000" / "data_berita.csv.gz"
    if not path.exists():
        print(f"{path} not present: ../shared is needed for this benchmark")
        return 1
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        bodies = [row["isi_berita"] for row in csv.DictReader(f)][: args.articles]

    from warta.pipeline import DEFAULT_TEXT_PIPELINE, Pipeline, article_from_text

    pipeline = Pipeline.from_spec(DEFAULT_TEXT_PIPELINE)
    pipeline.process(article_from_text(bodies[0]))  # load models once, as a worker does
    spent: Counter[str] = Counter()
    tokens = 0
    t0 = time.perf_counter()
    for body in bodies:
        article = article_from_text(body)
        for stage in pipeline.stages:
            s0 = time.perf_counter()
            article = stage.run_one(article)
            spent[stage.name] += time.perf_counter() - s0
        tokens += len(article.body.split())
    total = time.perf_counter() - t0
    print(
        f"# bench/enrichment.py  {date.today()}  {len(bodies)} detik articles, "
        f"{tokens / len(bodies):.0f} words each on average, one process"
    )
    print(
        f"whole pipeline: {len(bodies) / total:.1f} articles/s/core "
        f"(target 50; {tokens / total:,.0f} words/s)"
    )
    for name, seconds in spent.most_common():
        print(f"  {name:24} {seconds / len(bodies) * 1000:7.2f} ms/article  {seconds / total:6.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
