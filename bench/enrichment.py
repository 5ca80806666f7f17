"""Speed of the whole default pipeline on real article lengths, with each stage's share.

    python bench/enrichment.py [--articles 500] [--passes 3]

The 1,000 detik bodies (``../shared/data/detik_summ_entity_1000``, ~360 words each) go through
every stage of ``warta.run.pipeline.DEFAULT_TEXT_PIPELINE`` in one process, ``--passes`` times; the
script prints articles/s per core for each pass and the time each stage took (per article, and
its share) in the median pass — the enrichment target is 50 articles/s/core.

"Per core" is CPU time of this process (``time.process_time``): the pipeline is one thread, and
on a machine shared with other work the wall clock counts their time too (it is printed beside
it). The first pass starts with cold caches (stems, NER features per word), as a fresh worker
does; later passes show a warm worker.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import statistics
import sys
import time
from datetime import date
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args()
    if args.articles < 1 or args.passes < 1:
        parser.error("--articles and --passes must be at least 1")
    path = DATA / "detik_summ_entity_1000" / "data_berita.csv.gz"
    if not path.exists():
        print(f"{path} not present: ../shared is needed for this benchmark")
        return 1
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        bodies = [row["isi_berita"] for row in csv.DictReader(f)][: args.articles]

    from warta.run.pipeline import DEFAULT_TEXT_PIPELINE, Pipeline, article_from_text

    pipeline = Pipeline.from_spec(DEFAULT_TEXT_PIPELINE)
    pipeline.process(article_from_text(bodies[0]))  # load models once, as a worker does
    words = 0  # of the cleaned bodies, as the stages see them
    passes: list[tuple[float, float, dict[str, float]]] = []  # (cpu s, wall s, cpu s per stage)
    for _ in range(args.passes):
        spent = dict.fromkeys((stage.name for stage in pipeline.stages), 0.0)
        c0, w0 = time.process_time(), time.perf_counter()
        for body in bodies:
            article = article_from_text(body)
            for stage in pipeline.stages:
                s0 = time.process_time()
                article = stage.run_one(article)
                spent[stage.name] += time.process_time() - s0
            if not passes:
                words += len(article.body.split())
        passes.append((time.process_time() - c0, time.perf_counter() - w0, spent))

    n = len(bodies)
    print(
        f"# bench/enrichment.py  {date.today()}  {n} detik articles, "
        f"{words / n:.0f} words each on average, one process, {args.passes} passes"
    )
    for k, (cpu, wall, _) in enumerate(passes, 1):
        print(
            f"pass {k}: {n / cpu:6.1f} articles/s/core  ({words / cpu:,.0f} words/s; "
            f"wall clock {n / wall:.1f} articles/s)"
        )
    rates = [n / cpu for cpu, _, _ in passes]
    print(
        f"whole pipeline: median {statistics.median(rates):.1f}, best {max(rates):.1f}, "
        f"worst {min(rates):.1f} articles/s/core (target 50)"
    )
    median_pass = sorted(passes, key=lambda p: p[0])[(len(passes) - 1) // 2]
    cpu, _, spent = median_pass
    print("stages in the median pass:")
    for name, seconds in sorted(spent.items(), key=lambda item: -item[1]):
        print(f"  {name:24} {seconds / n * 1000:7.2f} ms/article  {seconds / cpu:6.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
