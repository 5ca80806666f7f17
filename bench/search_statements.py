"""What one search costs the store: statements, the searching process's CPU and, on PostgreSQL,
the database backend's CPU; and the answers themselves, to compare two versions of warta.

    python bench/search_statements.py --db STORE [--queries 400] [--rounds 3] [--dump FILE]
    PYTHONPATH=<a baseline's src> python bench/search_statements.py --db STORE ...

``STORE`` is a filled store (a SQLite path, e.g. the one ``bench/server_load.py --db`` reuses,
or a postgresql:// URL), opened read-only as the REST API's readers open it. The seeded
queries of ``bench/search.py`` (seed 23, as ``bench/server_load.py``) after 50 that warm the
caches run ``--rounds`` times in one process; printed per search: statements sent, CPU of this
process, CPU of the PostgreSQL backend serving its connection (from /proc; the database must
run on this machine), wall time and the load average. The warta that runs is whichever the
import finds, so a baseline tree's ``src`` on ``PYTHONPATH`` measures the baseline.

``--dump FILE`` writes every answer instead (hits with scores, snippets and dates, totals,
cursors, facets on every third query, the next page where there is one, the date-sorted
answer of every fifth): two versions give the same results when their files are equal.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import search as search_bench  # noqa: E402  (bench/search.py: templates and queries)


def process_cpu_s(pid: int | None) -> float:
    """User + system CPU seconds of a process, from /proc (0 without one)."""
    if pid is None:
        return 0.0
    with open(f"/proc/{pid}/stat", "rb") as handle:
        fields = handle.read().rpartition(b")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def answer(result: Any) -> dict[str, Any]:
    """A search result as plain data, every field that a caller sees."""
    return {
        "hits": [
            [h.id, round(h.score, 9), h.snippet, h.title, h.outlet, str(h.published)]
            for h in result.hits
        ],
        "total": result.total,
        "total_exact": result.total_exact,
        "next_cursor": result.next_cursor,
        "facets": {name: [list(v) for v in values] for name, values in result.facets.items()},
        "facets_exact": result.facets_exact,
        "facets_over": result.facets_over,
        "unknown": [str(u) for u in result.unknown],
    }


def dump(store: Any, requests: list[Any], path: Path) -> None:
    out: list[Any] = []
    for i, request in enumerate(requests):
        if i % 3 == 0:
            request = dataclasses.replace(request, facets=True)
        try:
            result = store.search(request)
        except Exception as exc:  # noqa: BLE001 - a refusal is an answer too
            out.append(f"{type(exc).__name__}: {exc}")
            continue
        out.append(answer(result))
        if result.next_cursor and i % 2 == 0:
            out.append(answer(store.search(dataclasses.replace(request, cursor=result.next_cursor))))
        if i % 5 == 0:
            out.append(answer(store.search(dataclasses.replace(request, sort="date"))))
    path.write_text(json.dumps(out, ensure_ascii=False, indent=0), encoding="utf-8")
    print(f"{len(out)} answers to {path}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", required=True, help="a filled store: SQLite path or postgresql:// URL")
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--dump", type=Path, default=None)
    args = parser.parse_args()

    import warta
    from warta.store import open_store

    base = search_bench.templates(search_bench.OUT / "search_templates.jsonl")
    requests = [r for _, r in search_bench.make_queries(base, args.queries + 50, seed=23)]
    store = open_store(args.db, read_only=True)
    try:
        if args.dump is not None:
            dump(store, requests, args.dump)
            return 0
        db: Any = store.db  # type: ignore[attr-defined]
        backend = db._conn.info.backend_pid if args.db.startswith("postgresql://") else None
        sent = [0]
        run = db.all

        def counted(sql: str, params: Any = ()) -> Any:
            sent[0] += 1
            return run(sql, params)

        db.all = counted
        for request in requests[:50]:
            store.search(request)
        sent[0] = 0
        load = os.getloadavg()
        backend_0, cpu_0, wall_0 = process_cpu_s(backend), time.process_time(), time.perf_counter()
        for _ in range(args.rounds):
            for request in requests[50:]:
                store.search(request)
        n = args.rounds * (len(requests) - 50)
        backend_ms = (process_cpu_s(backend) - backend_0) * 1000 / n
        cpu_ms = (time.process_time() - cpu_0) * 1000 / n
        wall_ms = (time.perf_counter() - wall_0) * 1000 / n
        print(
            f"{Path(warta.__file__).parent}: {n} searches; per search: {sent[0] / n:.2f} statements, "
            f"CPU {cpu_ms:.2f} ms here + {backend_ms:.2f} ms in the database backend, "
            f"wall {wall_ms:.2f} ms; load average {load[0]:.2f} -> {os.getloadavg()[0]:.2f}"
        )
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
