"""Ingest throughput into the store (store only) and store size per 1,000 articles, on SQLite and
PostgreSQL; and what ``-j 2`` gains over ``-j 1`` for a whole ingest.

    python bench/ingest.py [--articles 5000] [--pipeline full|clean] [--pg URL] [--json OUT]
    python bench/ingest.py --jobs-pages 1800 [--jobs 2] [--rounds 1] [--baseline-src DIR]

``--jobs-pages N`` (instead of the store-only figures): N detik text pages (the 909 articles,
each again under another URL as needed) ingested whole — read, pipeline, store, SQLite, no
corpus pass — by ``warta.run.ingest.ingest`` in a fresh process, once with ``jobs=1`` and once with
``--jobs``, alternating for ``--rounds`` rounds. Printed: wall time (process start to exit,
imports and model loading included), the ingest's own pages/s, total CPU of the process tree
(user + system, workers included), the speed-up and the CPU ratio, and the load average.
``--baseline-src DIR`` (a ``src`` folder of another commit, e.g. from ``git archive``) runs the
same pairs with that code too, interleaved (base -j 1, base -j N, -j 1, -j N in each round), so
before and after come from one run under the same load; each code then has its own disk cache.
An untimed 20-page ingest per code first builds the disk caches.

The 909 distinct detik.com articles of ``../shared/data/detik_summ_entity_1000`` go through
warta's pipeline once (``full`` by default: real entities, quotes, times and events, so every
child table is written); the records are cached in ``bench/out/``. ``--articles`` reports are
made from them, each with its own URL (and so its own report id). Only the store is timed:

* ``put``: one ``Store.put`` per article, one transaction each, as ``warta ingest`` writes;
* ``put again``: the same articles once more (all ``unchanged``: what a re-ingest costs);
* ``put_many``: batches of ``--batch`` articles per transaction, for comparison.

Store size is the SQLite file (WAL checkpointed) or ``pg_database_size`` growth, per 1,000
articles. PostgreSQL comes from ``--pg`` or ``WARTA_TEST_POSTGRES`` (a role that may create
databases; a fresh database is made and dropped); without one that column is skipped.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
DATA = BENCH.parents[1] / "shared" / "data" / "detik_summ_entity_1000" / "data_berita.csv.gz"
OUT = BENCH / "out"
_DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]


def detik_pages() -> list[tuple[str, str]]:
    """(URL, text scrape) of every distinct detik article: title, channel, date, body."""
    if not DATA.exists():
        sys.exit(f"bench/ingest.py: {DATA} not found (../shared sits beside the repository)")
    pages: dict[str, str] = {}
    with gzip.open(DATA, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            when = datetime.strptime(row["tanggal"], "%m/%d/%Y %H:%M")
            date_line = (
                f"{_DAYS[when.weekday()]}, {when.day:02d} {_MONTHS[when.month - 1]} "
                f"{when.year} {when:%H:%M} WIB"
            )
            text = "\n".join(
                [row["judul"], "detikNews", date_line, "", f"Jakarta - {row['isi_berita'].strip()}"]
            )
            pages.setdefault(row["tautan"], text)
    return list(pages.items())


def templates(pipeline: str) -> list[Any]:
    """The extracted detik articles, from the cache when an earlier run made them."""
    from warta import __version__
    from warta.api import extract_text
    from warta.core.serialize import article_from_json, article_to_json
    from warta.run.pipeline import PIPELINES

    cache = OUT / f"ingest_templates_{pipeline}_{__version__}.jsonl"
    if cache.exists():
        lines = cache.read_text(encoding="utf-8").split("\n")  # not splitlines: U+2028 in text
        return [article_from_json(line) for line in lines if line]
    print(
        f"extracting {DATA.name} with the {pipeline} pipeline (cached afterwards)...",
        file=sys.stderr,
    )
    out = []
    for url, text in detik_pages():
        article = extract_text(text, url=url, source=url, spec=PIPELINES[pipeline])
        if article.body and not article.errors:
            out.append(article)
    OUT.mkdir(exist_ok=True)
    cache.write_text("".join(article_to_json(a) + "\n" for a in out), encoding="utf-8")
    return out


def make_articles(base: list[Any], n: int) -> list[Any]:
    """``n`` reports from the templates, each under its own URL."""
    from warta.core.record import report_id

    out = []
    for i in range(n):
        t = base[i % len(base)]
        url = f"{t.url}?salinan={i}"
        out.append(
            replace(
                t,
                url=url,
                id=report_id(url=url, source=t.source, body_fingerprint=t.fingerprint or ""),
            )
        )
    return out


def timed(work: Callable[[], Any]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


# -- backends -------------------------------------------------------------------------------


@contextmanager
def sqlite_location() -> Iterator[tuple[str, Callable[[], int]]]:
    with tempfile.TemporaryDirectory(prefix="warta-bench-") as folder:
        path = os.path.join(folder, "bench.db")

        def size() -> int:
            return sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))

        yield path, size


@contextmanager
def postgres_location(admin: str) -> Iterator[tuple[str, Callable[[], int]]]:
    import psycopg

    name = f"warta_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"{admin.rpartition('/')[0]}/{name}"

    def size() -> int:
        with psycopg.connect(url) as conn:
            row = conn.execute("SELECT pg_database_size(current_database())").fetchone()
        return int(row[0]) if row else 0

    try:
        yield url, size
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def measure(
    location: str, size: Callable[[], int], articles: list[Any], batch: int
) -> dict[str, float]:
    """Articles/s for put, put again and put_many, and bytes per 1,000 articles."""
    from warta.store import open_store

    n = len(articles)
    with open_store(location) as store:
        run = store.begin_run(["bench"])
        store.put(replace(articles[0], id="warm-up", url=None), run_id=run)  # first-use costs
    empty = size()
    with open_store(location) as store:
        put_s = timed(lambda: [store.put(a, run_id=run) for a in articles])
        again_s = timed(lambda: [store.put(a, run_id=run) for a in articles])
        assert store.stats()["articles"] == n + 1
    grown = size() - empty
    many = [replace(a, id=f"many-{a.id}", url=f"{a.url}&many=1") for a in articles]
    with open_store(location) as store:
        many_s = timed(
            lambda: [store.put_many(many[i : i + batch], run_id=run) for i in range(0, n, batch)]
        )
    return {
        "put_per_s": n / put_s,
        "put_again_per_s": n / again_s,
        "put_many_per_s": n / many_s,
        "bytes_per_1000": grown / n * 1000,
    }


# -- -j N against -j 1 -------------------------------------------------------------------


def write_pages(path: Path, n: int) -> None:
    """``n`` detik text pages as JSON Lines ({"url", "text"}), each under its own URL."""
    pages = detik_pages()
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            url, text = pages[i % len(pages)]
            if i >= len(pages):
                url = f"{url}?salinan={i}"
            handle.write(json.dumps({"url": url, "text": text}, ensure_ascii=False) + "\n")


def one_ingest(pages: str, db: str, jobs: int, pipeline: str) -> None:
    """The child process: one whole ingest; prints its report as JSON."""
    from warta.run.ingest import ingest
    from warta.run.pipeline import PIPELINES
    from warta.store import open_store

    with open_store(db) as store:
        report = ingest([pages], store, jobs=jobs, spec=PIPELINES[pipeline], corpus=False)
    print(json.dumps(report.to_dict()))


def timed_ingest(
    pages: Path,
    folder: Path,
    jobs: int,
    pipeline: str,
    tag: str,
    src: Path | None = None,
    cache: Path | None = None,
) -> dict[str, float]:
    """Wall, CPU of the whole process tree, and the report of one ingest in a fresh process
    (running the warta of ``src`` when given, else the installed one; with its disk cache in
    ``cache`` when given)."""
    import resource
    import subprocess

    db = folder / f"j{jobs}-{tag}.db"
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(src), env.get("PYTHONPATH", "")) if p)
    if cache is not None:
        env["WARTA_CACHE_DIR"] = str(cache)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, "--one-ingest", str(pages), str(db), str(jobs), pipeline],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "pages_per_s": report["pages_per_s"],
        "new": report["new"],
    }


def compare_jobs(
    n: int, jobs: int, rounds: int, pipeline: str, baseline: Path | None = None
) -> dict[str, Any]:
    """-j 1 and -j ``jobs`` alternating, ``rounds`` times each (with the ``baseline`` code
    too when given); medians and their ratios."""
    import statistics

    codes: dict[str, Path | None] = {"base": baseline} if baseline is not None else {}
    codes["this"] = None
    loads = [os.getloadavg()]
    runs: dict[str, dict[int, list[dict[str, float]]]] = {c: {1: [], jobs: []} for c in codes}
    with tempfile.TemporaryDirectory(prefix="warta-bench-jobs-") as tmp:
        folder = Path(tmp)
        pages, warm = folder / "pages.jsonl", folder / "warm.jsonl"
        write_pages(pages, n)
        write_pages(warm, 20)
        # Each code keeps its own disk cache (two versions' entries of one name replace each
        # other), built by an untimed ingest first, so no timed run pays for building it.
        caches: dict[str, Path | None] = {
            code: (folder / f"cache-{code}" if baseline is not None else None) for code in codes
        }
        for code, src in codes.items():
            timed_ingest(warm, folder, 1, pipeline, f"{code}-warm", src, caches[code])
        for r in range(rounds):
            for code, src in codes.items():
                for j in (1, jobs):
                    runs[code][j].append(
                        timed_ingest(pages, folder, j, pipeline, f"{code}{r}", src, caches[code])
                    )
                    loads.append(os.getloadavg())
    med = {
        code: {
            j: {k: statistics.median(run[k] for run in rs) for k in rs[0]} for j, rs in by.items()
        }
        for code, by in runs.items()
    }
    print(
        f"{n} detik pages, {pipeline} pipeline, whole ingest into SQLite (no corpus pass), "
        f"{os.cpu_count()} CPUs, median of {rounds} alternating round(s)"
        + (f"; base = {baseline}" if baseline is not None else "")
    )
    print(f"{'':16}{'wall s':>10}{'pages/s':>10}{'CPU s':>10}")
    for code in codes:
        for j in (1, jobs):
            m = med[code][j]
            label = f"-j {j}" + (f" ({code})" if baseline is not None else "")
            print(f"{label:16}{m['wall_s']:10.1f}{m['pages_per_s']:10.1f}{m['cpu_s']:10.1f}")
    for code in codes:
        one, many = med[code][1], med[code][jobs]
        print(
            (f"{code}: " if baseline is not None else "")
            + f"-j {jobs} vs -j 1: wall speed-up {one['wall_s'] / many['wall_s']:.2f}x, "
            f"ingest pages/s {many['pages_per_s'] / one['pages_per_s']:.2f}x, "
            f"total CPU {many['cpu_s'] / one['cpu_s']:.3f}x"
        )
    if baseline is not None:
        for j in (1, jobs):
            ratio = med["this"][j]["cpu_s"] / med["base"][j]["cpu_s"]
            print(f"-j {j}: CPU of this code {ratio:.3f}x of the base")
    print(
        "load average (1, 5, 15 min) before and after each run: "
        + "; ".join("/".join(f"{v:.2f}" for v in load) for load in loads)
    )
    return {"runs": runs, "loads": loads}


def main() -> None:
    if len(sys.argv) == 6 and sys.argv[1] == "--one-ingest":
        one_ingest(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--pipeline", choices=["full", "clean"], default="full")
    parser.add_argument("--batch", type=int, default=100, help="articles per put_many transaction")
    parser.add_argument(
        "--pg", default=os.environ.get("WARTA_TEST_POSTGRES"), help="PostgreSQL admin URL"
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument(
        "--jobs-pages", type=int, default=0, help="compare -j 1 and --jobs on this many pages"
    )
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument(
        "--baseline-src",
        type=Path,
        default=None,
        help="with --jobs-pages: also run the warta of this src folder, interleaved",
    )
    args = parser.parse_args()
    if args.jobs_pages:
        figures = compare_jobs(
            args.jobs_pages, args.jobs, args.rounds, args.pipeline, args.baseline_src
        )
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2))
        return

    base = templates(args.pipeline)
    articles = make_articles(base, args.articles)
    rows_per = sum(
        len(a.entities) + len(a.quotes) + len(a.events) + len(a.times) for a in base
    ) / len(base)
    results: dict[str, dict[str, float]] = {}
    with sqlite_location() as (location, size):
        results["SQLite"] = measure(location, size, articles, args.batch)
    if args.pg:
        with postgres_location(args.pg) as (location, size):
            results["PostgreSQL"] = measure(location, size, articles, args.batch)
    else:
        print("no PostgreSQL (--pg or WARTA_TEST_POSTGRES): SQLite only", file=sys.stderr)

    print(
        f"{args.articles} articles from {len(base)} detik templates, {args.pipeline} pipeline "
        f"({rows_per:.0f} entity/quote/time/event rows per article); store only, one process"
    )
    names = list(results)
    print(f"{'':34}" + "".join(f"{name:>14}" for name in names))
    lines = [
        ("put, articles/s (1 tx each)", "put_per_s", "{:>14.0f}"),
        ("put again (unchanged), articles/s", "put_again_per_s", "{:>14.0f}"),
        (f"put_many ({args.batch}/tx), articles/s", "put_many_per_s", "{:>14.0f}"),
        ("store size per 1,000 articles, MB", "bytes_per_1000", "{:>14.2f}"),
    ]
    for label, key, fmt in lines:
        values = [results[name][key] / (1e6 if key == "bytes_per_1000" else 1) for name in names]
        print(f"{label:34}" + "".join(fmt.format(v) for v in values))
    if args.json:
        args.json.write_text(
            json.dumps(
                {"articles": args.articles, "pipeline": args.pipeline, "results": results}, indent=2
            )
        )


if __name__ == "__main__":
    main()
