"""The store on PostgreSQL 15+ through psycopg 3: the same schema and SQL as SQLite.

Full text: ``to_tsvector('simple', index_text)`` in a GIN-indexed column, so PostgreSQL sees
exactly the stems FTS5 sees (warta stems; 'simple' only splits on spaces), ranked by
``ts_rank``. Writers take one advisory lock per transaction, the same one-writer-at-a-time
rule SQLite has, so the read-then-write of an idempotent put never races. A writing transaction
runs in psycopg's pipeline mode: statements whose result nobody reads are sent without waiting,
so a put costs a few round trips instead of one per statement. Positions in a
tsvector stop at 16,383, so a phrase deep inside a very long article can match differently
than in FTS5. The password of the URL never appears in a message: locations are printed
through :func:`warta.store.redact`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import psycopg

from warta.core.errors import StoreError, StoreUnavailable
from warta.store.db import Db, Params
from warta.store.migrations import LATEST, POSTGRES_TYPES
from warta.store.rows import utc
from warta.store.sql import SqlStore

_WRITE_LOCK = 0x77617274  # "wart": the advisory lock every writing transaction holds
#: the planner settings of a search's statements, and back to the session's own (see
#: PostgresDb.searching); several statements, no parameters: never prepared
_SEARCH_SETTINGS = "SET enable_seqscan = off; SET jit = off"
_SESSION_SETTINGS = "RESET enable_seqscan; RESET jit"


class PostgresDb(Db):
    binary = '"C"'
    types = POSTGRES_TYPES

    def __init__(self, url: str, location: str, *, read_only: bool = False) -> None:
        self.location = location
        self._secret = urlsplit(url).password or ""
        self._lock = threading.RLock()
        self._depth = 0
        self._pipeline: psycopg.Pipeline | None = None
        self._searches = 0  # searches running (see searching)
        self._search_settings = False  # the session has a search's planner settings
        try:
            # Each statement is planned for its own parameters (psycopg prepares a statement
            # after its fifth use, and PostgreSQL's generic plan for a full-text match within
            # a key range walks the range and reads every row's tsvector: 15-20 ms at 2,000
            # articles where the planned-per-call GIN scan takes under 1 ms).
            options = "-c TimeZone=UTC -c plan_cache_mode=force_custom_plan" + (
                " -c default_transaction_read_only=on" if read_only else ""
            )
            self._conn = psycopg.connect(url, autocommit=True, connect_timeout=10, options=options)
        except psycopg.Error as exc:
            raise StoreUnavailable(
                f"cannot connect to PostgreSQL: {self._clean(exc)}", source=location
            ) from None

    def _clean(self, exc: BaseException) -> str:
        text = " ".join(str(exc).split())
        return text.replace(self._secret, "***") if self._secret else text

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except psycopg.OperationalError as exc:
            raise StoreUnavailable(
                f"PostgreSQL: {self._clean(exc)}", source=self.location
            ) from None
        except psycopg.Error as exc:
            raise StoreError(f"PostgreSQL: {self._clean(exc)}", source=self.location) from None

    @staticmethod
    def _sql(sql: str) -> str:
        return sql.replace("?", "%s")

    def all(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        with self._lock, self._errors(), self._conn.cursor() as cur:
            self._settle()
            cur.execute(self._sql(sql), tuple(params))
            if self._pipeline is not None:  # the result is needed now: wait for it
                self._pipeline.sync()
            return cur.fetchall() if cur.description else []

    def execute(self, sql: str, params: Params = ()) -> None:
        with self._lock, self._errors(), self._conn.cursor() as cur:
            self._settle()
            cur.execute(self._sql(sql), tuple(params))

    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        if not rows:
            return
        with self._lock, self._errors(), self._conn.cursor() as cur:
            self._settle()
            cur.executemany(self._sql(sql), [tuple(r) for r in rows])

    def iterate(self, sql: str, params: Params = ()) -> Iterator[tuple[Any, ...]]:
        yield from self.all(sql, params)

    @contextmanager
    def searching(self) -> Iterator[None]:
        """A search's statements run with sequential scans and JIT compilation off.

        The planner does not count the cost of reading a tsvector, which is toasted and
        compressed: for a word in a third of the articles it prefers a sequential scan that
        decompresses every article's tsvector (7 ms at 2,000 articles) to the GIN index (0.3
        ms), and ranking that word reads every article's tsvector instead of the matches'. A
        search reads through indexes by design, and a table with no index for a statement is
        still scanned; JIT goes off with it, because the penalty the planner adds to such a
        scan would otherwise make it compile the statement (15-110 ms of a 0.1 ms query).
        The settings stay on the session after the search and the next statement outside one
        resets them first, so a connection that serves searches sets them once, at the cost
        of one statement; inside a transaction they are left as they are."""
        with self._lock:
            self._searches += 1
        try:
            yield
        finally:
            with self._lock:
                self._searches -= 1

    def _settle(self) -> None:
        """Give the session the planner settings its next statement needs (see searching)."""
        wanted = self._searches > 0
        if wanted != self._search_settings and not self._depth:
            self._conn.execute(_SEARCH_SETTINGS if wanted else _SESSION_SETTINGS, prepare=False)
            self._search_settings = wanted

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._lock:
            if self._depth:
                yield
                return
            with self._errors():  # a write is planned with the session's own settings
                self._settle()
            self._depth = 1
            try:
                with self._errors(), self._conn.pipeline() as pipeline:
                    self._pipeline = pipeline
                    self._conn.execute("BEGIN")
                    self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCK,))
                    yield
                    self._conn.execute("COMMIT")
            except BaseException:
                self._pipeline = None
                if not self._conn.closed:
                    with self._errors():
                        self._conn.execute("ROLLBACK")
                raise
            finally:
                self._pipeline = None
                self._depth = 0

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def in_transaction(self) -> bool:
        """Outside a transaction an autocommit connection is IDLE; a broken one is UNKNOWN,
        which counts as "in a transaction" (it must not be reused)."""
        with self._lock:
            status = self._conn.info.transaction_status
        return bool(status != psycopg.pq.TransactionStatus.IDLE)

    def table_exists(self, name: str) -> bool:
        return bool(self.scalar("SELECT to_regclass(?) IS NOT NULL", (name,)))

    # -- dialect -------------------------------------------------------------------------------
    def time_in(self, value: datetime | None) -> datetime | None:
        return None if value is None else utc(value)

    def time_out(self, value: Any) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise StoreError(
                f"expected a timestamp from PostgreSQL, got {value!r:.60}", source=self.location
            )
        return value.astimezone(UTC)

    def fts_schema(self) -> list[str]:
        return [
            "CREATE TABLE article_text (article BIGINT PRIMARY KEY REFERENCES articles(seq) ON DELETE CASCADE, "
            "tsv TSVECTOR NOT NULL)",
            "CREATE INDEX article_text_tsv ON article_text USING GIN (tsv)",
            "CREATE INDEX articles_published_desc ON articles (published DESC NULLS LAST, seq DESC)",
        ]

    def version_triggers(self) -> list[str]:
        from warta.store.migrations import VERSIONED_TABLES

        # once per statement, not per row: a batch of a thousand rows bumps it once
        return [
            "CREATE FUNCTION warta_bump_store_version() RETURNS trigger LANGUAGE plpgsql AS "
            "'BEGIN UPDATE store_version SET version = version + 1; RETURN NULL; END'",
            *(
                f"CREATE TRIGGER store_version_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION warta_bump_store_version()"
                for table in VERSIONED_TABLES
            ),
        ]

    def fts_put(self, seq: int, text: str, *, fresh: bool = False) -> None:
        self.execute(
            "INSERT INTO article_text (article, tsv) VALUES (?, to_tsvector('simple', ?)) "
            "ON CONFLICT (article) DO UPDATE SET tsv = excluded.tsv",
            (seq, text),
        )

    def fts_match(self) -> str:
        return "SELECT article FROM article_text WHERE tsv @@ to_tsquery('simple', ?)"

    def fts_table(self) -> tuple[str, str, str, str]:
        return (
            "article_text",
            "article",
            "tsv @@ to_tsquery('simple', ?)",
            "ts_rank(tsv, to_tsquery('simple', ?))",
        )

    def fts_query(self, node: Any) -> str:
        from warta.store.query import to_tsquery

        return to_tsquery(node)

    def month(self, column: str) -> str:
        return f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM')"

    def date_order(self) -> str:
        return "a.published DESC NULLS LAST, a.seq DESC"


class PostgresStore(SqlStore):
    """A store in one PostgreSQL database (the URL's); ``upgrade_to`` is for migration tests."""

    kind = "postgresql"

    def __init__(self, url: str, *, upgrade_to: int = LATEST, read_only: bool = False) -> None:
        from warta.store import redact

        location = redact(url)
        db = PostgresDb(url, location, read_only=read_only)
        super().__init__(db, location, upgrade_to=upgrade_to, read_only=read_only)
