"""What placing one more article costs in a small and in a large store (issue 14: the
(N+1)th article into an N-article store, about as long at N = 1,000 as at N = 200,000), and
how long placing all N took (the full regrouping).

    python bench/corpus_cost.py --sizes 1000,50000 [--rate 500] [--extra 20] [--profile]

Stores are filled with articles made from the real enriched ones of ``bench/corpus.py`` (its
cache under ``bench/out/``; each keeps a random 60 % of its source's sentences and takes 30 %
more from another, entity and event offsets carried over). A real store grows with time, not
with the density of one day: publish times are spread at ``--rate`` articles a day (so a store
of 1,000 spans 4 days and one of 200,000 800 days at the default), and the articles timed are
the newest, as an ingest of today's news is. Each size is a fresh store: ``put_many`` in
chunks of 1,000, ``update_corpus`` over all of them (timed); then ``--extra`` more articles
are stored and placed one at a time in each store, the sizes taken in turn so that each sees
the same load of the shared machine (each placement timed alone; median, maximum and the ratio
to the smallest store are printed).
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus as corpus_bench  # noqa: E402  (bench/corpus.py: the enriched real articles)

from warta.core.record import Article  # noqa: E402
from warta.corpus.update import update_corpus  # noqa: E402
from warta.store import open_store  # noqa: E402


def base_articles(shared: Path) -> list[Article]:
    enrich = corpus_bench.Enricher(corpus_bench.OUT / "corpus_enriched.tsv.gz", False)
    built = corpus_bench.build_corpus(shared, 200, 50, enrich)
    return [
        a
        for s, a in zip(built.sources, built.articles, strict=True)
        if not s.key.startswith(("copy:", "furnished:"))
    ]


def at_rate(articles: Iterator[Article], start: datetime, rate: int) -> Iterator[Article]:
    """The articles in order, ``rate`` a day from ``start``."""
    step = timedelta(days=1) / rate
    for i, a in enumerate(articles):
        yield dataclasses.replace(a, published=start + i * step)


def build(base: list[Article], size: int, args: argparse.Namespace, location: str) -> list[Article]:
    """Fill and place a store of ``size`` articles; returns the next ``--extra`` articles."""
    start = datetime(2024, 1, 1, tzinfo=corpus_bench.WIB)
    made = at_rate(corpus_bench.synthetic(base, size + args.extra, size, start), start, args.rate)
    with open_store(location) as store:
        t0 = time.perf_counter()
        batch: list[Article] = []
        for _ in range(size):
            batch.append(next(made))
            if len(batch) == 1000:
                store.put_many(batch)
                batch = []
        if batch:
            store.put_many(batch)
        put_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        done = update_corpus(store)
        full = time.perf_counter() - t0
        assert done.placed == size, (done.placed, size)
        stories = len(store.corpus_tables().stories(limit=10**9))
    print(
        f"  N = {size:>7,}: placing all {size:,} (the full regrouping) took {full:.0f} s "
        f"({size / full:.0f}/s); storing them {put_s:.0f} s; {stories:,} stories",
        flush=True,
    )
    return list(made)


def place_more(locations: dict[int, str], extra: dict[int, list[Article]], profile: bool) -> None:
    """Store and place the extra articles one at a time, taking the sizes in turn (so each
    size sees the same load of the machine), and print each size's median."""
    took: dict[int, list[float]] = {n: [] for n in locations}
    prof = cProfile.Profile() if profile else None
    stores = {n: open_store(loc) for n, loc in locations.items()}
    try:
        for i in range(min(len(v) for v in extra.values())):
            for n, store in stores.items():
                store.put_many([extra[n][i]])
                if prof is not None:
                    prof.enable()
                t0 = time.perf_counter()
                report = update_corpus(store)
                took[n].append(time.perf_counter() - t0)
                if prof is not None:
                    prof.disable()
                assert report.placed == 1
    finally:
        for store in stores.values():
            store.close()
    smallest = min(took)
    for n, t in took.items():
        ratio = statistics.median(t) / statistics.median(took[smallest])
        print(
            f"  N = {n:>7,}: placing article {n + 1:,} takes {statistics.median(t) * 1000:6.1f} ms "
            f"(median of {len(t)}, max {max(t) * 1000:.0f} ms), x{ratio:.2f} the N = {smallest:,} store",
            flush=True,
        )
    if prof is not None:
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=corpus_bench.ROOT.parent / "shared")
    ap.add_argument("--sizes", default="1000,50000", help="store sizes N, comma-separated")
    ap.add_argument("--rate", type=int, default=250, help="articles a day in the made stores")
    ap.add_argument("--extra", type=int, default=20, help="articles placed one at a time")
    ap.add_argument("--profile", action="store_true", help="profile the timed placements")
    args = ap.parse_args()
    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"python bench/corpus_cost.py {' '.join(sys.argv[1:])}\n  {load}")
    base = base_articles(args.shared)
    print(f"SQLite; {len(base)} real enriched articles as material; {args.rate} articles a day")
    sizes = [int(x) for x in args.sizes.split(",") if x]
    with tempfile.TemporaryDirectory() as tmp:
        locations = {n: str(Path(tmp) / f"cost-{n}.db") for n in sizes}
        extra = {n: build(base, n, args, locations[n]) for n in sizes}
        print(f"  {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
        place_more(locations, extra, args.profile)
    print(f"  {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")


if __name__ == "__main__":
    main()
