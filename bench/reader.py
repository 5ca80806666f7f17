"""Web reader render time and page weight on a large store.

    python bench/reader.py [--articles 200000] [--requests 200] [--db bench/out/reader.db]
                           [--baseline-src DIR --baseline-db COPY --baseline-requests 20]

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

Page weight: the HTML of each page plus the one stylesheet it loads and, on article pages, the
one small script (the reader's own time zone beside WIB); no page loads an image. Median and
largest over the timed requests. Beside wall time, the CPU
time of the serving process per request (requests run one at a time): on a machine whose two
cores are shared with other jobs, wall time is mostly waiting for a core, and CPU time is what
the request would take on an idle one.

``--baseline-src`` compares with another warta, the previous commit's store code
(``git archive HEAD~1 src | tar -x -C DIR`` gives ``DIR/src``): it serves the same first
``--baseline-requests`` pages (after the same warm-up) in a child process, each page asked of it
just before this warta serves it, so both run under the same load. A warta with a newer schema
upgrades the store, which an older one then refuses: ``--baseline-db`` is a copy of the store
made before the upgrade.
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
SCRIPT = BENCH.parent / "src" / "warta" / "web" / "static" / "local-time.js"  # article pages
WARM = 20


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def ensure_store(db: Path, articles: int) -> None:
    """A store of ``articles`` generated reports at ``db``: one with fewer is topped up (the
    reports are generated in a fixed order, so a fill cut short resumes), one with more is
    rebuilt."""
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
        # as bench/search.py fills: records prepared in worker processes, written here
        rate = search_bench.fill(store, base, articles, start=have)
    print(
        f"filled {have:,} -> {articles:,} articles in {time.perf_counter() - t0:,.0f} s "
        f"({rate:,.0f} articles/s)",
        file=sys.stderr,
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


def one(client: object, path: str) -> tuple[float, float, int]:
    """Wall and CPU milliseconds of one request, and the body's size. Requests run one at a
    time, so the process's CPU time is the request's: steadier than wall time on a machine
    whose cores are shared."""
    c0 = time.process_time()
    t0 = time.perf_counter()
    response = client.get(path)  # type: ignore[attr-defined]
    elapsed = (time.perf_counter() - t0) * 1000
    spent = (time.process_time() - c0) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{path}: HTTP {response.status_code}: {response.text[:200]}")
    return elapsed, spent, len(response.content)


class Baseline:
    """Another warta (``src``: its source tree, e.g. the previous commit's ``git archive``)
    serving the same pages in a child process on ``db``; asked for each page just before this
    warta serves it, so both see the same load."""

    def __init__(self, src: Path, db: Path) -> None:
        import subprocess

        self.child = subprocess.Popen(
            [sys.executable, __file__, "--db", str(db), "--serve"],
            env={**os.environ, "PYTHONPATH": str(src)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def get(self, path: str) -> tuple[float, float, int]:
        import json

        assert self.child.stdin is not None and self.child.stdout is not None
        self.child.stdin.write(path + "\n")
        self.child.stdin.flush()
        line = self.child.stdout.readline()
        if not line:
            raise SystemExit(f"the baseline stopped at {path}")
        ms, cpu, size = json.loads(line)
        return float(ms), float(cpu), int(size)

    def close(self) -> None:
        assert self.child.stdin is not None
        self.child.stdin.close()
        self.child.wait()


def serve(db: Path) -> int:
    """The baseline's child: time each path read from stdin, answer [ms, cpu, size]."""
    import json

    from fastapi.testclient import TestClient

    from warta.server.app import create_app

    with TestClient(create_app(str(db))) as client:
        for line in sys.stdin:
            print(json.dumps(one(client, line.strip())), flush=True)
    return 0


def measure(
    db: Path,
    kinds: dict[str, tuple[list[str], list[str]]],
    base: Baseline | None,
    base_requests: int,
) -> dict[str, dict]:
    """Wall and CPU times and sizes of every kind's pages, its REST peer's times, and the
    baseline's on the first ``base_requests`` pages (after the warm-up), interleaved."""
    from fastapi.testclient import TestClient

    from warta.server.app import create_app

    out: dict[str, dict] = {}
    with TestClient(create_app(str(db))) as client:
        for kind, (pages, peers) in kinds.items():
            got: dict[str, list[float]] = {k: [] for k in ("page", "cpu", "sizes", "rest")}
            got.update({"base": [], "base_cpu": [], "paired": []})
            for n, path in enumerate(pages):
                old = base.get(path) if base and n < WARM + base_requests else None
                ms, cpu, size = one(client, path)
                if n < WARM:
                    continue
                got["page"].append(ms)
                got["cpu"].append(cpu)
                got["sizes"].append(size)
                if old is not None:
                    got["base"].append(old[0])
                    got["base_cpu"].append(old[1])
                    got["paired"].append(ms)
            for n, path in enumerate(peers):
                ms, _, _ = one(client, path)
                if n >= WARM:
                    got["rest"].append(ms)
            out[kind] = {**got, "load": os.getloadavg()[0]}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--db", type=Path, default=OUT / "reader.db")
    parser.add_argument(
        "--baseline-src",
        type=Path,
        help="another warta's src/ (the previous commit's: git archive HEAD~1 src | tar -x -C DIR): "
        "its pages are timed on the same store, first, on the first --baseline-requests requests",
    )
    parser.add_argument(
        "--baseline-db",
        type=Path,
        help="the store the baseline reads (default --db): a copy made before this warta "
        "upgraded it, when the baseline cannot open a store at this warta's schema level",
    )
    parser.add_argument("--baseline-requests", type=int, default=20)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)  # baseline child
    args = parser.parse_args()
    if args.serve:  # the baseline's child
        return serve(args.db)
    if not (search_bench.DATA / "detik_summ_entity_1000").exists():
        print(f"{search_bench.DATA} not present: ../shared is needed for this benchmark")
        return 1
    ensure_store(args.db, args.articles)
    ids, words, entities = draw(args.db, args.requests, seed=5)
    css = STYLESHEET.stat().st_size
    script = SCRIPT.stat().st_size
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
    base = Baseline(args.baseline_src, args.baseline_db or args.db) if args.baseline_src else None
    print(f"# bench/reader.py  {date.today()}  store {args.articles:,} articles  ", end="")
    print(f"{args.requests} requests per page  load: {os.getloadavg()[0]:.1f}")
    try:
        found = measure(args.db, kinds, base, args.baseline_requests)
    finally:
        if base:
            base.close()
    print(
        f"{'page':<14} {'p50 ms':>8} {'p95 ms':>8} {'CPU p50':>8} {'CPU p95':>8} {'REST p50':>9} "
        f"{'REST p95':>9} {'p95 ratio':>9} {'KB median':>10} {'KB max':>8} {'load':>5}"
    )
    for kind, got in found.items():
        page_ms, rest_ms, cpu = got["page"], got["rest"], got["cpu"]
        extra = css + (script if kind == "article" else 0)
        weight = [(s + extra) / 1024 for s in got["sizes"]]
        print(
            f"{kind:<14} {statistics.median(page_ms):8.1f} {pct(page_ms, 95):8.1f} "
            f"{statistics.median(cpu):8.1f} {pct(cpu, 95):8.1f} "
            f"{statistics.median(rest_ms):9.1f} {pct(rest_ms, 95):9.1f} "
            f"{pct(page_ms, 95) / pct(rest_ms, 95):9.2f} "
            f"{statistics.median(weight):10.1f} {max(weight):8.1f} {got['load']:5.1f}"
        )
    print(
        f"(page weight: HTML + reader.css {css / 1024:.1f} KB, + local-time.js "
        f"{script / 1024:.1f} KB on article pages; no images)"
    )
    if base:
        k = args.baseline_requests
        print(
            f"\nagainst {args.baseline_src}: the same first {k} requests of each page, each asked "
            "of the baseline just before this warta (interleaved, same load):"
        )
        print(
            f"{'page':<14} {'base p50':>9} {'base p95':>9} {'this p50':>9} {'this p95':>9} "
            f"{'p50 ×':>7} {'p95 ×':>7} {'CPU base p95':>12} {'CPU this p95':>12} {'CPU p95 ×':>9}"
        )
        for kind, got in found.items():
            old, new = got["base"], got["paired"]
            old_cpu, new_cpu = got["base_cpu"], got["cpu"][:k]
            print(
                f"{kind:<14} {statistics.median(old):9.1f} {pct(old, 95):9.1f} "
                f"{statistics.median(new):9.1f} {pct(new, 95):9.1f} "
                f"{statistics.median(old) / statistics.median(new):7.1f} "
                f"{pct(old, 95) / pct(new, 95):7.1f} {pct(old_cpu, 95):12.1f} "
                f"{pct(new_cpu, 95):12.1f} {pct(old_cpu, 95) / pct(new_cpu, 95):9.1f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
