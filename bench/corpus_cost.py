"""What placing one more article costs in a small and in a large store (issue 14: the
(N+1)th article into an N-article store, about as long at N = 1,000 as at N = 200,000), and
how long placing all N took (the full regrouping).

    python bench/corpus_cost.py --sizes 1000,50000 [--rate 500] [--extra 20] [--profile]
    python bench/corpus_cost.py --fill bulk --sizes 1000,200000 [--keep DIR] [--fill-until TIME]
    python bench/corpus_cost.py --fill bulk --sizes 1000,200000 --keep DIR --reuse [--profile]

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

``--fill bulk`` (for stores too large to place one by one on a small machine) fills the store
without comparing its articles: lean article records through ``put_many`` and corpus rows from
the real articles' term vectors through ``CorpusTables.put_docs``, stories assigned by source
(see :func:`fill_bulk`); only the ``--extra`` articles, full made articles, go through
``update_corpus``, and they are what is timed. ``--fill-until`` stops a fill at a time of day
(after a whole chunk: the store is consistent, its size is printed); ``--reuse`` with ``--keep``
places more articles into stores kept by an earlier run instead of filling them again.
``--cold`` drops the stores' files (only those) from the operating system's page cache before
the placements: the regime of a store far larger than memory, whose pages a placement must read
from disk. To compare with an earlier commit, place into a copy of the same kept store with
that commit's package first on ``PYTHONPATH`` (``git archive``); the articles placed depend only
on the store's size, so both get the same ones.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import os
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus as corpus_bench  # noqa: E402  (bench/corpus.py: the enriched real articles)

import warta  # noqa: E402
from warta.core.record import Article, fingerprint, report_id  # noqa: E402
from warta.corpus import stories  # noqa: E402
from warta.corpus.minhash import NUM_PERM, Signature, band_keys  # noqa: E402
from warta.corpus.stories import article_terms, story_id_for  # noqa: E402
from warta.corpus.update import update_corpus  # noqa: E402
from warta.store import open_store  # noqa: E402
from warta.store.base import Store  # noqa: E402
from warta.store.corpus_tables import CorpusTables, NewDoc, StoryRow  # noqa: E402


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


def fill_bulk(store: Store, base: list[Article], size: int, args: argparse.Namespace) -> int:
    """Fill a store with ``size`` made articles without comparing them (what placing 200,000
    one by one would take hours for on a 2-core machine): the articles table through
    ``put_many`` (1,000 a transaction) with lean records (the source's headline, outlet and a
    one-sentence body; publish times at ``--rate`` a day as for ``--fill place``), and the
    corpus tables through ``CorpusTables.put_docs`` (the rows ``put_doc`` writes, kept term
    counts included) with story terms made from the real articles' term vectors the way
    ``synthetic`` makes bodies: each term of a real source kept with probability 0.6, each of
    a random donor's added with 0.3. MinHash signatures are random (no made article is a copy
    of another: the band index has its full size, with no matches). Stories are assigned: the
    articles made from one source within one ``WINDOW``-long period form one story. Returns
    the number of stories."""
    rng = random.Random(size)
    tables = store.corpus_tables()
    # the fill only: a 2 GiB page cache (the store's own is 64 MiB), or writing the term index
    # of 200,000 articles reads its pages back from disk over and over
    tables.db.execute("PRAGMA cache_size = -2097152")
    vectors = [article_terms(a) for a in base]
    start = datetime(2024, 1, 1, tzinfo=corpus_bench.WIB)
    step = timedelta(days=1) / args.rate
    period = int(stories.WINDOW.total_seconds())
    rows: dict[tuple[int, int], list[Any]] = {}  # (source, period) -> [id, title, first, last, n]
    pending: list[tuple[NewDoc, int, datetime, str | None]] = []
    t0 = time.perf_counter()
    done = 0
    while done < size:
        chunk: list[tuple[Article, dict[str, float], int]] = []
        for i in range(done, min(done + 1000, size)):
            own, donor = rng.randrange(len(base)), rng.randrange(len(base))
            src = base[own]
            terms = {t: w for t, w in vectors[own].items() if rng.random() < 0.6}
            for t, w in vectors[donor].items():
                if rng.random() < 0.3:
                    terms[t] = max(w, terms.get(t, 0.0))
            url = f"https://bulk.example/{size}/{i}"
            body = (corpus_bench.sentences(src.body)[:1] or [(0, len(src.body))])[0]
            text = src.body[body[0] : body[1]].strip() or src.body[:200]
            article = dataclasses.replace(
                src,
                id=report_id(url=url, source=url, body_fingerprint=fingerprint(f"{url} {text}")),
                url=url,
                canonical_url=url,
                source=url,
                outlet=corpus_bench.COPY_OUTLETS[rng.randrange(len(corpus_bench.COPY_OUTLETS))][0],
                published=start + i * step,
                body=text,
                blocks=[],
                removed=[],
                entities=[],
                events=[],
                quotes=[],
                times=[],
                keywords=[],
                fingerprint=fingerprint(f"{url} {text}"),
            )
            chunk.append((article, terms or dict(vectors[own]), own))
        store.put_many([a for a, _, _ in chunk])
        ids = [a.id for a, _, _ in chunk]
        found = {
            str(r[0]): (int(r[1]), str(r[2]))
            for r in tables.db.all(
                f"SELECT id, seq, fingerprint FROM articles WHERE id IN ({', '.join('?' * len(ids))})",
                ids,
            )
        }
        for article, terms, own in chunk:
            seq, fp = found[article.id]
            sig = Signature(np.frombuffer(rng.randbytes(4 * NUM_PERM), dtype="<u4"), 200)
            assert article.published is not None
            doc = NewDoc(
                seq, fp, sig.size, sig.to_bytes(), band_keys(sig), terms, article.published
            )
            pending.append((doc, own, article.published, article.title))
        done += len(chunk)
        late = args.fill_until is not None and time.time() >= args.fill_until
        if len(pending) >= 20_000 or done == size or late:
            _write_bulk(tables, pending, rows, period)
            pending = []
            print(
                f"    {done:,} of {size:,} written ({time.perf_counter() - t0:.0f} s)",
                file=sys.stderr,
                flush=True,
            )
        if late:
            print(f"    --fill-until reached: the store holds {done:,}", file=sys.stderr)
            break
    return len(rows)


def _write_bulk(
    tables: CorpusTables,
    pending: list[tuple[NewDoc, int, datetime, str | None]],
    rows: dict[tuple[int, int], list[Any]],
    period: int,
) -> None:
    """One transaction: the docs' corpus rows (``put_docs``) and their assigned stories."""
    with tables.db.transaction():
        tables.put_docs([doc for doc, _, _, _ in pending])
        members: dict[str, list[int]] = {}
        for doc, own, when, title in pending:
            key = (own, int(when.timestamp()) // period)
            row = rows.get(key)
            if row is None:
                row = rows[key] = [story_id_for(f"bulk:{doc.seq}"), title, when, when, 0]
            row[3] = when
            row[4] += 1
            members.setdefault(row[0], []).append(doc.seq)
        for story, seqs in members.items():
            tables.set_stories(seqs, story)
        # the stories' rows with them: a fill stopped after any chunk leaves a whole store
        for story, title, first, last, n in rows.values():
            if story in members:
                tables.save_story(StoryRow(story, title, first, last, n, None))


def build(base: list[Article], size: int, args: argparse.Namespace, location: str) -> list[Article]:
    """Fill a store of ``size`` articles (placed one by one, or in bulk with ``--fill bulk``);
    returns the next ``--extra`` articles."""
    start = datetime(2024, 1, 1, tzinfo=corpus_bench.WIB)
    made = at_rate(corpus_bench.synthetic(base, size + args.extra, size, start), start, args.rate)
    if args.reuse and Path(location).exists():
        return reuse(base, location, args)
    with open_store(location) as store:
        t0 = time.perf_counter()
        if args.fill == "bulk":  # the timed articles come after the filled ones, as in place
            made = at_rate(
                corpus_bench.synthetic(
                    base, args.extra, size, start + size * timedelta(days=1) / args.rate
                ),
                start + size * timedelta(days=1) / args.rate,
                args.rate,
            )
            n_stories = fill_bulk(store, base, size, args)
            took = time.perf_counter() - t0
            filled = int(store.corpus_tables().db.scalar("SELECT count(*) FROM articles") or 0)
            print(
                f"  N = {filled:>7,}: stored and written in bulk in {took:.0f} s "
                f"({filled / took:.0f}/s); {n_stories:,} stories; "
                f"{Path(location).stat().st_size / 2**30:.2f} GiB",
                flush=True,
            )
            if filled < size:  # stopped by --fill-until: the next articles come after the last
                return reuse(base, location, args)
            return list(made)
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
        n_stories = len(store.corpus_tables().stories(limit=10**9))
    print(
        f"  N = {size:>7,}: placing all {size:,} (the full regrouping) took {full:.0f} s "
        f"({size / full:.0f}/s); storing them {put_s:.0f} s; {n_stories:,} stories",
        flush=True,
    )
    return list(made)


def reuse(base: list[Article], location: str, args: argparse.Namespace) -> list[Article]:
    """The next ``--extra`` articles for a kept store (``--reuse``): made with a seed and
    publish times after what it holds, so a second run places new articles, not re-puts."""
    with open_store(location) as store:
        tables = store.corpus_tables()
        held = int(tables.db.scalar("SELECT count(*) FROM articles") or 0)
        last = tables.db.time_out(
            tables.db.scalar("SELECT max(COALESCE(published, stored_at)) FROM articles")
        )
    assert last is not None, location
    start = last + timedelta(days=1) / args.rate
    print(f"  N = {held:>7,}: kept store {location} reused", flush=True)
    return list(
        at_rate(corpus_bench.synthetic(base, args.extra, held + 7_000_000, start), start, args.rate)
    )


def build_band_filters(location: str) -> None:
    """Build the band filters a store upgraded to migration 18 (or filled in bulk) does not
    have yet, before the timing: once per closed generation, what the first placement after
    the upgrade would otherwise do (timed and printed; nothing to do before migration 18)."""
    with open_store(location) as store:
        tables = store.corpus_tables()
        if not hasattr(tables, "band_filters"):
            return
        t0 = time.perf_counter()
        with tables.db.transaction():
            n = len(tables.band_filters())
        print(f"  {location}: {n} band filters ready in {time.perf_counter() - t0:.1f} s")


def drop_cached(location: str) -> None:
    """Drop a store's files (the database and its write-ahead log) from the page cache, after
    checkpointing, so that the next reads come from disk."""
    with open_store(location) as store:
        store.corpus_tables().db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for path in (Path(location), Path(f"{location}-wal")):
        if path.exists():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


def place_more(locations: dict[int, str], extra: dict[int, list[Article]], profile: bool) -> None:
    """Store and place the extra articles one at a time, taking the sizes in turn (so each
    size sees the same load of the machine), and print each size's median."""
    took: dict[int, list[float]] = {n: [] for n in locations}
    stored: dict[int, list[float]] = {n: [] for n in locations}  # the store write before it
    prof = cProfile.Profile() if profile else None
    stores = {n: open_store(loc) for n, loc in locations.items()}
    held = {
        n: int(s.corpus_tables().db.scalar("SELECT count(*) FROM articles") or 0)
        for n, s in stores.items()
    }
    try:
        for i in range(min(len(v) for v in extra.values())):
            for n, store in stores.items():
                t0 = time.perf_counter()
                store.put_many([extra[n][i]])
                stored[n].append(time.perf_counter() - t0)
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
        mean_ratio = statistics.mean(t) / statistics.mean(took[smallest])
        print(
            f"  N = {held[n]:>7,}: placing article {held[n] + 1:,} takes {statistics.median(t) * 1000:6.1f} ms "
            f"(median of {len(t)}, max {max(t) * 1000:.0f} ms), x{ratio:.2f} the N = {held[smallest]:,} store; "
            f"mean {statistics.mean(t) * 1000:.1f} ms, x{mean_ratio:.2f}",
            flush=True,
        )
    for n, t in stored.items():
        ratio = statistics.median(t) / statistics.median(stored[smallest])
        print(
            f"  N = {held[n]:>7,}: storing article {held[n] + 1:,} (the ingest's write before the "
            f"placement) takes {statistics.median(t) * 1000:6.1f} ms, x{ratio:.2f}",
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
    ap.add_argument("--keep", type=Path, help="write the stores here and keep them (to profile)")
    ap.add_argument(
        "--cold",
        action="store_true",
        help="drop the stores' files from the page cache before the placements",
    )
    ap.add_argument(
        "--fill-until",
        type=lambda v: datetime.fromisoformat(v).timestamp(),
        help="bulk fill: stop at this time (ISO, e.g. 2026-12-07T13:40+00:00) after the chunk "
        "being written; the store holds what was filled (its size is printed)",
    )
    ap.add_argument(
        "--reuse",
        action="store_true",
        help="with --keep: a store already there is not filled again, only placed into",
    )
    ap.add_argument(
        "--fill",
        choices=["place", "bulk"],
        default="place",
        help="place: update_corpus places every article (timed: the full regrouping); bulk: "
        "corpus rows written without comparing, stories assigned by source (fill_bulk)",
    )
    args = ap.parse_args()
    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"python bench/corpus_cost.py {' '.join(sys.argv[1:])}\n  {load}")
    print(f"  warta from {Path(warta.__file__).parent}")
    base = base_articles(args.shared)
    print(
        f"SQLite; {len(base)} real enriched articles as material; {args.rate} articles a day; "
        f"stores filled by {args.fill}"
    )
    sizes = [int(x) for x in args.sizes.split(",") if x]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        locations = {n: str(folder / f"cost-{n}.db") for n in sizes}
        extra = {n: build(base, n, args, locations[n]) for n in sizes}
        for location in locations.values():
            build_band_filters(location)
        if args.cold:
            for location in locations.values():
                drop_cached(location)
        print(f"  {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
        place_more(locations, extra, args.profile)
    print(f"  {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")


if __name__ == "__main__":
    main()
