"""Web reader render time and page weight on a large store.

    python bench/reader.py [--articles 200000] [--requests 200] [--db bench/out/reader.db]

The store is filled as bench/search.py fills its own: the 1,000 detik and 750 IndoSum dev
articles go through warta's whole pipeline once (cached in bench/out/search_templates.jsonl),
and ``--articles`` reports are generated from them (own URL, outlet, publish time 2015–2026 and
one paragraph of another template each), so bodies, entities, quotes and events are real. An
existing store of that size is reused. No corpus pass is run (stories are absent: the pages
must not need them).

Timed, in one process, through the whole ASGI app (``create_app``, its pooled store, the safety
headers and the Guard, Jinja2 rendering) with Starlette's test client: the reader's article
page (``/read/ID``, random stored articles), search with facets (``/search?q=WORD``, words drawn
from the templates' titles; the reader always asks for facets) and entity page
(``/entity/ID``, drawn from the 300 most mentioned). Beside each, its REST peer over the same
store in the same run (``/v1/articles/ID``, ``/v1/search?q=WORD&facets=true``,
``/v1/entities/ID``): the ratio is what rendering HTML adds, and is steadier than absolute
times on a shared machine. The first 20 requests of each kind warm caches and are not timed.

Page weight: the HTML of each page plus the one stylesheet it loads (the reader's pages load
no script and no image), median and largest over the timed requests.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sqlite3
import statistics
import sys
import time
from datetime import date
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import search as search_bench  # noqa: E402  (bench/search.py: templates and generated reports)

OUT = BENCH / "out"
STYLESHEET = BENCH.parent / "src" / "warta" / "web" / "static" / "reader.css"
WARM = 20


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def ensure_store(db: Path, articles: int) -> None:
    """A store of ``articles`` generated reports at ``db``: one with fewer is topped up (the
    reports are generated in a fixed order, so a fill cut short resumes), one with more is
    rebuilt."""
    from itertools import islice

    from warta.store import open_store

    db.parent.mkdir(parents=True, exist_ok=True)
    have = 0
    if db.exists():
        with open_store(str(db)) as store:
            have = int(store.stats()["articles"])
        if have > articles:
            for p in db.parent.glob(db.name + "*"):
                p.unlink()
            have = 0
    if have == articles:
        return
    base = search_bench.templates(OUT / "search_templates.jsonl")
    t0 = time.perf_counter()
    with open_store(str(db)) as store:
        batch = []
        for article in islice(search_bench.generate(base, articles), have, None):
            batch.append(article)
            if len(batch) == 500:
                store.put_many(batch)
                have += len(batch)
                batch = []
                print(f"\rstored {have:,}", end="", file=sys.stderr, flush=True)
        if batch:
            store.put_many(batch)
    print(
        f"\nfilled to {articles:,} articles in {time.perf_counter() - t0:,.0f} s", file=sys.stderr
    )


def draw(db: Path, n: int, seed: int) -> tuple[list[str], list[str], list[str]]:
    """Article ids, search words and entity ids to ask for, seeded."""
    rng = random.Random(seed)
    con = sqlite3.connect(db)
    try:
        total = con.execute("SELECT max(seq) FROM articles").fetchone()[0]
        seqs = [rng.randrange(1, total + 1) for _ in range(n + WARM)]
        ids = []
        for seq in seqs:
            row = con.execute("SELECT id FROM articles WHERE seq >= ? LIMIT 1", (seq,)).fetchone()
            ids.append(row[0])
        titles = [t for (t,) in con.execute("SELECT title FROM articles LIMIT 3000") if t]
        entities = [
            e for (e,) in con.execute("SELECT id FROM entities ORDER BY mentions DESC LIMIT 300")
        ]
    finally:
        con.close()
    words = sorted({w.lower() for t in titles for w in re.findall(r"[A-Za-z]{5,}", t)})
    return (
        ids,
        [rng.choice(words) for _ in range(n + WARM)],
        [rng.choice(entities) for _ in range(n + WARM)],
    )


def timed(client: object, paths: list[str]) -> tuple[list[float], list[int]]:
    """Milliseconds per request (after the warm-up) and the body sizes."""
    times: list[float] = []
    sizes: list[int] = []
    for n, path in enumerate(paths):
        t0 = time.perf_counter()
        response = client.get(path)  # type: ignore[attr-defined]
        elapsed = (time.perf_counter() - t0) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}: {response.text[:200]}")
        if n >= WARM:
            times.append(elapsed)
            sizes.append(len(response.content))
    return times, sizes


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--db", type=Path, default=OUT / "reader.db")
    args = parser.parse_args()
    if not (search_bench.DATA / "detik_summ_entity_1000").exists():
        print(f"{search_bench.DATA} not present: ../shared is needed for this benchmark")
        return 1
    from fastapi.testclient import TestClient

    from warta.server.app import create_app

    ensure_store(args.db, args.articles)
    ids, words, entities = draw(args.db, args.requests, seed=5)
    css = STYLESHEET.stat().st_size
    print(f"# bench/reader.py  {date.today()}  store {args.articles:,} articles  ", end="")
    print(f"{args.requests} requests per page  load: {os.getloadavg()[0]:.1f}")
    kinds = {
        "article": ([f"/read/{i}" for i in ids], [f"/v1/articles/{i}" for i in ids]),
        "search+facets": (
            [f"/search?q={w}" for w in words],
            [f"/v1/search?q={w}&facets=true" for w in words],
        ),
        "entity": (
            [f"/entity/{e}" for e in entities],
            [f"/v1/entities/{e}" for e in entities],
        ),
    }
    print(
        f"{'page':<14} {'p50 ms':>8} {'p95 ms':>8} {'REST p50':>9} {'REST p95':>9} "
        f"{'p95 ratio':>9} {'KB median':>10} {'KB max':>8}"
    )
    with TestClient(create_app(str(args.db))) as client:
        for kind, (pages, rest) in kinds.items():
            page_ms, sizes = timed(client, pages)
            rest_ms, _ = timed(client, rest)
            weight = [(s + css) / 1024 for s in sizes]
            print(
                f"{kind:<14} {statistics.median(page_ms):8.1f} {pct(page_ms, 95):8.1f} "
                f"{statistics.median(rest_ms):9.1f} {pct(rest_ms, 95):9.1f} "
                f"{pct(page_ms, 95) / pct(rest_ms, 95):9.2f} "
                f"{statistics.median(weight):10.1f} {max(weight):8.1f}"
            )
    print(f"(page weight: HTML + reader.css {css / 1024:.1f} KB; no scripts, no images)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
