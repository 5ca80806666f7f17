"""What the shared SQL needs from a database driver, and nothing more.

The store's SQL is written once, with ``?`` placeholders, and runs on both backends; each
backend's :class:`Db` turns it into its driver's calls and supplies the few pieces of SQL that
cannot be shared: the full-text index, time values, month buckets and NULL ordering.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime
from typing import Any

Params = Sequence[Any]


class Db(ABC):
    """One open connection in one dialect."""

    #: the collation that orders text by code point in this dialect
    binary: str
    #: type names for :mod:`warta.store.migrations`
    types: dict[str, str]

    # -- running SQL -------------------------------------------------------------------------
    @abstractmethod
    def all(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]: ...

    def one(self, sql: str, params: Params = ()) -> tuple[Any, ...] | None:
        rows = self.all(sql, params)
        return rows[0] if rows else None

    def scalar(self, sql: str, params: Params = ()) -> Any:
        row = self.one(sql, params)
        return None if row is None else row[0]

    @abstractmethod
    def execute(self, sql: str, params: Params = ()) -> None: ...

    @abstractmethod
    def executemany(self, sql: str, rows: Sequence[Params]) -> None: ...

    @abstractmethod
    def iterate(self, sql: str, params: Params = ()) -> Iterator[tuple[Any, ...]]:
        """Rows one at a time (the caller keeps the result small with LIMIT)."""

    def searching(self) -> AbstractContextManager[None]:
        """Statements run inside are a search's: bounded reads through the indexes, which a
        backend may tell its planner (PostgreSQL does, see
        :meth:`warta.store.postgres.PostgresDb.searching`). Changes the work, never the rows."""
        return nullcontext()

    @abstractmethod
    def transaction(self) -> AbstractContextManager[None]:
        """All statements inside commit together or not at all (writes are serialised)."""

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def in_transaction(self) -> bool:
        """Whether the connection is inside a transaction (the driver knows without a query)."""

    @abstractmethod
    def table_exists(self, name: str) -> bool: ...

    # -- dialect pieces ----------------------------------------------------------------------
    @abstractmethod
    def time_in(self, value: datetime | None) -> Any:
        """A datetime as this database stores it (UTC)."""

    @abstractmethod
    def time_out(self, value: Any) -> datetime | None:
        """A stored time back as an aware UTC datetime."""

    @abstractmethod
    def fts_schema(self) -> list[str]:
        """Statements creating the full-text index over ``index_text`` of title and body."""

    def fts_steps(self) -> dict[str, list[str]]:
        """Statements for each backend step of the migrations (see :mod:`warta.store.migrations`)."""
        from warta.store.migrations import FTS_COMPACT_STEP, FTS_STEP, VERSION_STEP

        return {
            FTS_STEP: self.fts_schema(),
            FTS_COMPACT_STEP: self.fts_compact(),
            VERSION_STEP: self.version_triggers(),
        }

    @abstractmethod
    def version_triggers(self) -> list[str]:
        """Statements of migration 7: a write to any of
        :data:`~warta.store.migrations.VERSIONED_TABLES` bumps ``store_version.version`` in
        the writing transaction, whoever writes (this warta, another process, plain SQL)."""

    def fts_compact(self) -> list[str]:
        """Statements of migration 3 that shrink this backend's full-text index (none here)."""
        return []

    @abstractmethod
    def fts_put(self, seq: int, text: str, *, fresh: bool = False) -> None:
        """Index (or re-index) one article's text; ``fresh``: it was never indexed (new article)."""

    @abstractmethod
    def fts_match(self) -> str:
        """SQL selecting the ``seq`` of every article matching the ``?`` full-text query."""

    @abstractmethod
    def fts_table(self) -> tuple[str, str, str, str]:
        """(the index table, its article-key column, the match condition with ``?`` for the
        query, the score of a matching row with ``?`` for the query: higher is better)."""

    @abstractmethod
    def fts_query(self, node: Any) -> str:
        """The parsed query in this index's query language."""

    def covered(self, table: str, alias: str, index: str, *, has: bool = True) -> str:
        """``table`` named ``alias`` in a FROM clause, read through ``index`` where the planner
        would not pick it by itself (SQLite prefers its row-id lookups to any covering index);
        ``has``: whether this store has the index (an older level reads the table plainly)."""
        return f"{table} {alias}"

    @abstractmethod
    def month(self, column: str) -> str:
        """SQL giving ``YYYY-MM`` (UTC) of a time column."""

    @abstractmethod
    def date_order(self) -> str:
        """ORDER BY newest first with undated articles last, then ``seq`` descending."""
