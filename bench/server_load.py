"""REST search throughput and latency with concurrent clients, on SQLite and PostgreSQL.

    python bench/server_load.py [--articles 5000] [--db PATH] [--pg URL] [--clients 8]
                                [--baseline-src DIR --rounds N]
                                [--requests 1600] [--workers 2]

A store of ``--articles`` reports generated from the real templates of ``bench/search.py``
(the detik and IndoSum articles through warta's whole pipeline; ``--db`` reuses a SQLite store
that already holds them, e.g. the 200,000-article store of that benchmark). ``warta serve`` runs
in its own process group (``--workers`` processes) on a free local port; ``--clients`` threads,
each with one kept-alive HTTP connection, send GET /v1/search requests made from the seeded
queries of ``bench/search.py`` (words, AND, phrases, OR, NOT, prefixes, filters, date sort).

Three phases per backend, each timed from the first request to the last answer:

* ``distinct``: every query once over all clients (nothing can come from the answer cache);
* ``repeated``: the same queries again, twice (the answers the cache kept while the store is
  unchanged);
* ``no cache``: a server started with ``--cache-entries 0``, the distinct queries again.

Printed: requests/s, p50/p95/p99 latency (client side, ms), errors, the server's CPU time
per request (all its processes, from /proc), on PostgreSQL the CPU time of the database's
backends serving the bench database (its client connections alive at the phase's end, from
/proc: a connection opened and closed inside the phase is missed, and the connections opened
in the phase are counted beside it), what two idle cores would serve at the cost of both, and the load average before and after. ``--pool-size`` passes the
server's option (default: the server's default). PostgreSQL comes from ``--pg`` or ``WARTA_TEST_POSTGRES`` (a fresh database
is made, filled with ``--pg-articles`` and dropped).
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import search as search_bench  # noqa: E402  (bench/search.py: templates, generator, queries)


def query_string(request: Any) -> str:
    """The REST parameters of a store ``SearchRequest``."""
    params: list[tuple[str, str]] = []
    if request.query:
        params.append(("q", request.query))
    for outlet in request.outlets:
        params.append(("outlet", outlet))
    for name in ("since", "until"):
        value = getattr(request, name)
        if value is not None:
            params.append((name, value.isoformat()))
    for name in ("entity", "speaker", "event"):
        value = getattr(request, name)
        if value:
            params.append((name, value))
    if request.sort != "relevance":
        params.append(("sort", request.sort))
    return "/v1/search?" + urlencode(params)


def group_cpu_s(pgid: int) -> float:
    """User + system CPU seconds of the live processes of a process group (the server and its
    worker processes), from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rpartition(b")")[2].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields after the name: state, ppid, pgrp, ..., utime at 11
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def backend_cpu(admin: str, database: str) -> dict[int, float]:
    """CPU seconds (user + system, from /proc) of each client backend connected to
    ``database``, by pid: the PostgreSQL processes that do the server's queries."""
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        pids = [
            int(row[0])
            for row in conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid() "
                "AND backend_type = 'client backend'",
                (database,),
            )
        ]
    ticks = os.sysconf("SC_CLK_TCK")
    out: dict[int, float] = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", "rb") as handle:
                fields = handle.read().rpartition(b")")[2].split()
        except OSError:
            continue
        out[pid] = (int(fields[11]) + int(fields[12])) / ticks
    return out


def sessions_opened(admin: str, database: str) -> int:
    """Connections ever opened to ``database`` (its statistics, flushed first)."""
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("SELECT pg_stat_force_next_flush()")
        row = conn.execute(
            "SELECT sessions FROM pg_stat_database WHERE datname = %s", (database,)
        ).fetchone()
    return int(row[0]) if row else 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(
    location: str,
    *,
    workers: int,
    cache_entries: int,
    src: Path | None = None,
    pool_size: int | None = None,
) -> Iterator[tuple[int, int]]:
    """``warta serve`` on a free port (port, process group), until the block ends; ``src``: run
    the warta package found there (a baseline's source tree) instead of the installed one."""
    port = free_port()
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    command = [
        sys.executable, "-m", "warta.cli", "serve", "--db", location, "--port", str(port),
        "--workers", str(workers), "--cache-entries", str(cache_entries),
    ]  # fmt: skip
    if pool_size is not None:
        command += ["--pool-size", str(pool_size)]
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True, env=env
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", "/v1/stats")
                if conn.getresponse().status == 200:
                    conn.close()
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                err = process.stderr.read().decode() if process.stderr else ""
                raise SystemExit(f"the server did not start: {err[-2000:]}")
            time.sleep(0.5)
        yield port, process.pid
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def load(
    served: tuple[int, int],
    paths: list[str],
    clients: int,
    backends: Callable[[], dict[int, float]] | None = None,
    sessions: Callable[[], int] | None = None,
) -> dict[str, Any]:
    """Every path once, shared among ``clients`` threads (each takes the next one not sent).
    Beside the client-side figures: the server's CPU time per request, the database backends'
    (``backends``: their CPU seconds by pid), and what two idle cores would serve at their
    cost (2 / CPU seconds per request: an upper bound that leaves out the clients' own CPU
    and any waiting)."""
    port, pgid = served
    cpu_before = group_cpu_s(pgid)
    db_before = backends() if backends else {}
    opened_before = sessions() if sessions else 0
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    position = iter(range(len(paths)))

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                i = next(position, None)
            if i is None:
                break
            t0 = time.perf_counter()
            try:
                conn.request("GET", paths[i])
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                status = 0
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                with lock:
                    errors.append(f"{type(exc).__name__}")
            elapsed = (time.perf_counter() - t0) * 1000
            with lock:
                latencies.append(elapsed)
                if status not in (200, 404, 422):
                    errors.append(str(status))
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    cpu_ms = (group_cpu_s(pgid) - cpu_before) * 1000 / max(len(latencies), 1)
    db_after = backends() if backends else {}
    db_s = sum(cpu - db_before.get(pid, 0.0) for pid, cpu in db_after.items())
    db_ms = db_s * 1000 / max(len(latencies), 1)
    opened = (sessions() - opened_before) if sessions else 0
    pct = search_bench.percentile
    return {
        "requests": len(latencies),
        "per_s": len(latencies) / wall,
        "cpu_ms": cpu_ms,
        "db_cpu_ms": db_ms,
        "opened": opened,
        "two_cores_per_s": 2000 / (cpu_ms + db_ms) if cpu_ms + db_ms > 0 else float("inf"),
        "p50": pct(latencies, 50),
        "p95": pct(latencies, 95),
        "p99": pct(latencies, 99),
        "errors": len(errors),
    }


def measure(
    location: str, queries: list[str], args: argparse.Namespace, src: Path | None = None
) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    backends = sessions = None
    if location.startswith("postgresql://") and args.pg:
        database = location.rpartition("/")[2]
        backends = lambda: backend_cpu(args.pg, database)  # noqa: E731
        sessions = lambda: sessions_opened(args.pg, database)  # noqa: E731
    options: dict[str, Any] = {"workers": args.workers, "src": src, "pool_size": args.pool_size}
    with server(location, cache_entries=4096, **options) as served:
        load(served, queries[:50], args.clients)  # warm the processes and page caches
        distinct = queries[50:]
        out["distinct"] = load(served, distinct, args.clients, backends, sessions)
        out["repeated"] = load(served, distinct + distinct, args.clients, backends, sessions)
    with server(location, cache_entries=0, **options) as served:
        load(served, queries[:50], args.clients)
        out["no cache"] = load(served, queries[50:], args.clients, backends, sessions)
    return out


def report(label: str, figures: dict[str, dict[str, Any]], loads: list[tuple[float, ...]]) -> None:
    print(f"\n{label}")
    print(
        f"  {'phase':10} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'errors':>7} {'server CPU ms/req':>18} {'db CPU ms/req':>14} {'2 idle cores, req/s':>20} "
        f"{'db connections opened':>22}"
    )
    for phase, f in figures.items():
        print(
            f"  {phase:10} {f['requests']:8d} {f['per_s']:8.1f} {f['p50']:8.1f} {f['p95']:8.1f} "
            f"{f['p99']:8.1f} {f['errors']:7d} {f['cpu_ms']:18.2f} {f['db_cpu_ms']:14.2f} "
            f"{f['two_cores_per_s']:20.0f} {f['opened']:22d}"
        )
    print(
        "  load average before/after: " + "; ".join("/".join(f"{v:.2f}" for v in x) for x in loads)
    )


def compare(label: str, location: str, queries: list[str], args: argparse.Namespace) -> None:
    """This server's figures; with ``--baseline-src``, the baseline's and this one's in turn
    (``--rounds`` pairs), then this one's over the baseline's per phase: requests/s and server
    CPU per request, medians of the rounds."""
    runs: dict[str, list[dict[str, dict[str, Any]]]] = {"baseline": [], "current": []}
    sides: list[tuple[str, Path | None]] = [("current", None)]
    if args.baseline_src is not None:
        sides = [("baseline", args.baseline_src), ("current", None)]
    for _ in range(args.rounds if args.baseline_src is not None else 1):
        for side, src in sides:
            loads = [os.getloadavg()]
            figures = measure(location, queries, args, src)
            loads.append(os.getloadavg())
            runs[side].append(figures)
            report(f"{label} ({side})" if args.baseline_src else label, figures, loads)
    if args.baseline_src is None:
        return
    print(f"\n{label}: current over baseline, medians of {args.rounds} round(s)")

    def median(side: str, phase: str, key: str) -> float:
        return statistics.median(r[phase][key] for r in runs[side])

    for phase in runs["current"][0]:
        speed = median("current", phase, "per_s") / median("baseline", phase, "per_s")
        cpu = median("baseline", phase, "cpu_ms") / median("current", phase, "cpu_ms")
        line = f"  {phase:10} requests/s x{speed:.2f}   server CPU per request x{cpu:.2f} less"
        if median("current", phase, "db_cpu_ms") > 0:
            db = median("baseline", phase, "db_cpu_ms") / median("current", phase, "db_cpu_ms")
            line += f"   db CPU per request x{db:.2f} less"
        print(line)


@contextmanager
def postgres_database(admin: str) -> Iterator[str]:
    import psycopg

    name = f"warta_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{admin.rpartition('/')[0]}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def filled(location: str, base: list[Any], n: int) -> int:
    """Fill an empty store with ``n`` articles; a PostgreSQL one is then vacuumed and analysed,
    so its planner works from statistics (as on any store autovacuum has seen) from the first
    round, not from whenever autovacuum gets to it during the run."""
    from warta.store import open_store

    with open_store(location) as store:
        have = int(store.stats()["articles"])
        if have == 0:
            search_bench.fill(store, base, n)
            have = n
    if location.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(location, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
    return have


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument(
        "--db", type=Path, default=None, help="a SQLite store to reuse (filled if empty)"
    )
    parser.add_argument("--pg", default=os.environ.get("WARTA_TEST_POSTGRES"))
    parser.add_argument("--pg-articles", type=int, default=None, help="default: --articles")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument(
        "--requests", type=int, default=1600, help="distinct queries (plus 50 to warm up)"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--pool-size", type=int, default=None, help="the server's --pool-size (default: its own)"
    )
    parser.add_argument(
        "--baseline-src", type=Path, default=None,
        help="a baseline's src directory (e.g. from `git archive`): its server is measured "
        "beside this one's, alternating, on the same store",
    )  # fmt: skip
    parser.add_argument(
        "--rounds", type=int, default=1, help="baseline/current pairs, with --baseline-src"
    )
    args = parser.parse_args()
    base = search_bench.templates(search_bench.OUT / "search_templates.jsonl")
    queries = [
        query_string(r) for _, r in search_bench.make_queries(base, args.requests + 50, seed=23)
    ]
    print(
        f"# bench/server_load.py  {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}  "
        f"{os.cpu_count()} CPUs, {args.workers} server processes, {args.clients} clients, "
        f"{args.requests} distinct searches"
    )
    with tempfile.TemporaryDirectory(prefix="warta-bench-serve-") as tmp:
        location = str(args.db) if args.db else str(Path(tmp) / "serve.db")
        n = filled(location, base, args.articles)
        compare(f"SQLite, {n:,} articles", location, queries, args)
    if args.pg:
        with postgres_database(args.pg) as url:
            n = filled(url, base, args.pg_articles or args.articles)
            compare(f"PostgreSQL, {n:,} articles", url, queries, args)
    else:
        print("no PostgreSQL (--pg or WARTA_TEST_POSTGRES): SQLite only")
    return 0


if __name__ == "__main__":
    sys.exit(main())
