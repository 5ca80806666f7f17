"""The API's store pool against the real SQLite and the real PostgreSQL: stores are reused across
requests, concurrent requests get their own, broken connections are replaced, shutdown closes
them all."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient
from test_server_data import assert_problem, client_for, fill_store, real_pages, unexpected

from warta.core.errors import QueryError, StoreUnavailable
from warta.server.pool import StorePool
from warta.store.base import Store
from warta.store.sql import SqlStore

from conftest import postgres_admin_url

PAGES = 4  # the seed page and three samples: enough distinct words to search for


@pytest.fixture
def filled(store_location: str) -> str:
    fill_store(store_location, real_pages()[:PAGES])
    return store_location


@pytest.fixture
def filled_pg(postgres_url: str) -> str:
    fill_store(postgres_url, real_pages()[:PAGES])
    return postgres_url


def _db_name(url: str) -> str:
    return url.rpartition("/")[2]


def _backends(url: str) -> list[int]:
    """The pids of every client connection to the database of ``url``, this check's own excluded.

    Only client backends count: an autovacuum worker also shows the database's name while it
    cleans up after the fill, and counting it made the one-connection assertions flaky."""
    with psycopg.connect(postgres_admin_url(), autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
            " AND backend_type = 'client backend'",
            (_db_name(url),),
        ).fetchall()
    return sorted(row[0] for row in rows)


def _wait_for(check: Callable[[], bool], seconds: float = 5.0) -> bool:
    """A backend leaves pg_stat_activity shortly after its client closes: poll for it."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


def _admin(sql: str, *params: Any) -> None:
    with psycopg.connect(postgres_admin_url(), autocommit=True) as conn:
        conn.execute(sql, params)


def _pid(store: Store) -> int:
    assert isinstance(store, SqlStore)
    return int(store.db.scalar("SELECT pg_backend_pid()"))


def _queries(client: TestClient) -> list[str]:
    """The longest word of each stored article, so each search has a known hit."""
    hits = client.get("/v1/articles", params={"limit": 100}).json()["hits"]
    assert len(hits) == PAGES
    words = []
    for hit in hits:
        record = client.get(f"/v1/articles/{hit['id']}").json()
        text = f"{record.get('title') or ''} {record['body']}"
        words.append(max((w for w in text.split() if w.isalpha()), key=len))
    return words


def _hit_ids(client: TestClient, q: str) -> list[str]:
    response = client.get("/v1/search", params={"q": q, "limit": 100})
    assert response.status_code == 200, response.text[:300]
    return sorted(h["id"] for h in response.json()["hits"])


@pytest.fixture
def pg_client(filled_pg: str) -> Iterator[TestClient]:
    with client_for(filled_pg, pool_size=4) as c:
        yield c
        assert unexpected(c) == []


# -- reuse --------------------------------------------------------------------------------------


def test_sequential_requests_share_one_postgres_connection(
    pg_client: TestClient, filled_pg: str
) -> None:
    queries = _queries(pg_client)
    first = _backends(filled_pg)
    assert len(first) == 1
    for n in range(60):
        assert _hit_ids(pg_client, queries[n % len(queries)])
        assert pg_client.get("/v1/stats").status_code == 200
    assert _backends(filled_pg) == first  # the same backend served all 120 requests
    counts = pg_client.app.state.read_pool.counts()  # type: ignore[attr-defined]
    assert (counts.opened, counts.discarded, counts.idle, counts.in_use) == (1, 0, 1, 0)


def test_without_a_pool_every_request_connects(filled_pg: str) -> None:
    with client_for(filled_pg, pool_size=0) as c:
        seen = set()
        for _ in range(5):
            assert c.get("/v1/stats").status_code == 200
            assert _wait_for(lambda: _backends(filled_pg) == [])
            seen.add(c.get("/v1/outlets").status_code)
        assert seen == {200}
        assert c.app.state.read_pool.counts().idle == 0  # type: ignore[attr-defined]


def test_a_pooled_store_sees_what_others_write(store_location: str) -> None:
    pages = real_pages()[:2]
    fill_store(store_location, pages[:1])
    with client_for(store_location) as c:
        assert c.get("/v1/stats").json()["articles"] == 1
        fill_store(store_location, pages[1:])  # another connection writes meanwhile
        assert c.get("/v1/stats").json()["articles"] == 2
        assert c.app.state.read_pool.counts().opened == 1  # type: ignore[attr-defined]
        assert unexpected(c) == []


# -- concurrency --------------------------------------------------------------------------------


def test_concurrent_requests_get_correct_answers(filled: str) -> None:
    with client_for(filled, pool_size=3) as c:
        queries = _queries(c)
        expected = {q: _hit_ids(c, q) for q in queries}
        assert all(expected.values())
        jobs = [queries[n % len(queries)] for n in range(96)]
        with ThreadPoolExecutor(8) as workers:
            answers = list(workers.map(lambda q: (q, _hit_ids(c, q)), jobs))
        assert all(ids == expected[q] for q, ids in answers)
        counts = c.app.state.read_pool.counts()  # type: ignore[attr-defined]
        assert counts.in_use == 0 and 1 <= counts.idle <= 3 and counts.discarded == 0
        if filled.startswith("postgresql://"):
            assert 1 <= len(_backends(filled)) <= 3  # overflow connections were closed
        assert unexpected(c) == []


def test_stores_in_use_at_once_are_distinct_connections(filled: str) -> None:
    pool = StorePool(filled, size=2)
    holders = 5
    barrier = threading.Barrier(holders, timeout=30)

    def hold(store: Store) -> tuple[int, Any]:
        assert isinstance(store, SqlStore)
        barrier.wait()  # every worker holds its store at this moment
        key = _pid(store) if filled.startswith("postgresql://") else id(store.db)
        barrier.wait()
        return id(store), key

    try:
        with ThreadPoolExecutor(holders) as workers:
            held = list(workers.map(lambda _: pool.run(hold), range(holders)))
        assert len({store for store, _ in held}) == holders
        assert len({key for _, key in held}) == holders
        counts = pool.counts()
        assert (counts.idle, counts.in_use, counts.opened) == (2, 0, holders)
    finally:
        pool.close()


# -- broken connections -------------------------------------------------------------------------


def test_a_connection_killed_server_side_is_replaced(pg_client: TestClient, filled_pg: str) -> None:
    queries = _queries(pg_client)
    expected = _hit_ids(pg_client, queries[0])
    (old,) = _backends(filled_pg)
    _admin("SELECT pg_terminate_backend(%s)", old)
    assert _wait_for(lambda: old not in _backends(filled_pg))
    assert _hit_ids(pg_client, queries[0]) == expected  # the next request simply works
    (new,) = _backends(filled_pg)
    assert new != old
    counts = pg_client.app.state.read_pool.counts()  # type: ignore[attr-defined]
    assert counts.discarded == 1 and counts.opened == 2


def test_an_outage_is_a_503_problem_then_requests_succeed_again(filled_pg: str) -> None:
    name = _db_name(filled_pg)
    with client_for(filled_pg) as c:
        assert c.get("/v1/stats").status_code == 200
        _admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        try:
            for pid in _backends(filled_pg):
                _admin("SELECT pg_terminate_backend(%s)", pid)  # as a server restart would
            body = assert_problem(c.get("/v1/stats"), 503)
            assert body["reason"] == "store_unavailable"
            assert "warta:warta" not in body["detail"] and ":warta@" not in body["detail"]
        finally:
            _admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        assert c.get("/v1/stats").json()["articles"] == PAGES
        assert len(_backends(filled_pg)) == 1
        assert unexpected(c) == []


def test_a_wrong_password_is_a_503_without_the_password(filled_pg: str) -> None:
    with client_for(filled_pg.replace("warta:warta@", "warta:s3cretpw@")) as c:
        body = assert_problem(c.get("/v1/stats"), 503)
        assert "s3cretpw" not in body["detail"]
        assert c.app.state.read_pool.counts().idle == 0  # type: ignore[attr-defined]


def test_a_store_error_during_a_request_discards_the_store(filled_pg: str) -> None:
    pool = StorePool(filled_pg, size=2)
    try:
        first = pool.run(_pid)

        def die(store: Store) -> None:  # the connection ends under the request
            assert isinstance(store, SqlStore)
            store.db.execute("SELECT pg_terminate_backend(pg_backend_pid())")

        with pytest.raises(StoreUnavailable):
            pool.run(die)
        assert pool.counts().discarded == 1 and pool.counts().idle == 0
        assert _wait_for(lambda: first not in _backends(filled_pg))
        assert pool.run(_pid) != first
    finally:
        pool.close()


def test_a_refused_query_keeps_the_store(filled: str) -> None:
    pool = StorePool(filled, size=2)
    try:
        store = pool.acquire()
        pool.release(store)

        def refuse(s: Store) -> None:
            raise QueryError("no", source="q")

        with pytest.raises(QueryError):
            pool.run(refuse)
        assert pool.acquire() is store  # not broken: handed out again
    finally:
        pool.close()


def test_a_transaction_left_open_is_never_handed_out_again(filled: str) -> None:
    pool = StorePool(filled, size=2)
    try:
        leaky = pool.acquire()
        assert isinstance(leaky, SqlStore)
        leaky.db.execute("BEGIN")
        leaky.db.scalar("SELECT count(*) FROM articles")
        pool.release(leaky)
        counts = pool.counts()
        assert (counts.idle, counts.discarded) == (0, 1)
        if filled.startswith("postgresql://"):
            assert _wait_for(lambda: _backends(filled) == [])  # its transaction ended with it
        other = pool.acquire()
        assert other is not leaky
        assert other.stats()["articles"] == PAGES
        pool.release(other)
        assert pool.counts().idle == 1  # a sound store is kept
    finally:
        pool.close()


def _raw_sql(location: str, sql: str) -> None:
    """Run one statement with the driver alone (a store would refuse to open)."""
    if location.startswith("postgresql://"):
        with psycopg.connect(location, autocommit=True) as conn:
            conn.execute(sql)
        return
    import sqlite3

    lite = sqlite3.connect(location, isolation_level=None)
    try:
        lite.execute(sql)
    finally:
        lite.close()


def test_a_schema_upgraded_elsewhere_is_not_served_by_old_stores(filled: str) -> None:
    from warta.store.migrations import LATEST

    newer = LATEST + 1
    with client_for(filled) as c:
        assert c.get("/v1/stats").status_code == 200
        _raw_sql(
            filled,
            "INSERT INTO schema_migrations (version, name, applied_at) "
            f"VALUES ({newer}, 'from a newer warta', '2030-01-01T00:00:00.000000Z')",
        )
        try:
            body = assert_problem(c.get("/v1/stats"), 503)
            assert body["reason"] == "schema_too_new"
        finally:
            _raw_sql(filled, f"DELETE FROM schema_migrations WHERE version = {newer}")
        assert c.get("/v1/stats").json()["articles"] == PAGES
        assert unexpected(c) == []


# -- shutdown -----------------------------------------------------------------------------------


def test_shutdown_closes_every_pooled_connection(filled_pg: str) -> None:
    with client_for(filled_pg, pool_size=4) as c:
        queries = _queries(c)
        with ThreadPoolExecutor(6) as workers:
            list(workers.map(lambda n: _hit_ids(c, queries[n % len(queries)]), range(60)))
        assert len(_backends(filled_pg)) >= 1
        pool = c.app.state.read_pool  # type: ignore[attr-defined]
    assert _wait_for(lambda: _backends(filled_pg) == [])
    assert pool.counts().idle == 0


def test_pool_size_must_not_be_negative() -> None:
    from warta.server.app import create_app

    with pytest.raises(ValueError, match="pool_size"):
        create_app("x.db", pool_size=-1)
