"""The default store: one SQLite file (WAL, foreign keys, FTS5 over warta's stemmed text).

Times are stored as fixed-width UTC text (``2015-11-18T06:16:00.000000Z``) so that string
comparison is time comparison and the indexes serve date ranges and date order. The full-text
index is a contentless FTS5 table ranked by FTS5's BM25; the stemmed text it was given is kept
compressed in ``article_text`` only to take a changed article out of the index (FTS5 deletes by
the tokens; SQLite 3.40 has no ``contentless_delete``).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from warta.core.errors import StoreError, StoreUnavailable
from warta.store.db import Db, Params
from warta.store.migrations import LATEST, SQLITE_TYPES
from warta.store.rows import pack_text, unpack_text, utc
from warta.store.sql import SqlStore

_PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 10000",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA temp_store = MEMORY",
)

#: Environment variables bounding what SQLite keeps in memory per connection, in MiB: the page
#: cache and the part of the file it may map (mapped pages count in the resident set once read).
CACHE_ENV = "WARTA_SQLITE_CACHE_MIB"
MMAP_ENV = "WARTA_SQLITE_MMAP_MIB"
#: The defaults: bounded so that a long ingest's memory does not follow the store's size.
DEFAULT_CACHE_MIB = 16
DEFAULT_MMAP_MIB = 0
#: The defaults of a read-only connection (search, the server's readers): still bounds, at the
#: sizes the search and reader benchmarks were measured with (their queries read many pages of
#: a large store, which a mapped file serves without a read call each)
READ_CACHE_MIB = 64
READ_MMAP_MIB = 256


def memory_bounds(
    cache_mib: int | None = None, mmap_mib: int | None = None, *, read_only: bool = False
) -> tuple[int, int]:
    """(page cache MiB, mmap MiB): the arguments where given, else the environment variables,
    else the defaults (a read-only connection's larger ones); a value that is not a whole
    number >= 0 is refused naming its source."""
    found = []
    for given, env, default in (
        (cache_mib, CACHE_ENV, READ_CACHE_MIB if read_only else DEFAULT_CACHE_MIB),
        (mmap_mib, MMAP_ENV, READ_MMAP_MIB if read_only else DEFAULT_MMAP_MIB),
    ):
        where = env
        if given is None:
            raw = os.environ.get(env, "").strip()
            if not raw:
                found.append(default)
                continue
            try:
                given = int(raw)
            except ValueError:
                given = -1
        else:
            where = env.removeprefix("WARTA_SQLITE_").lower()
        if given < 0:
            raise StoreUnavailable(f"{where} must be a whole number of MiB, 0 or more", source=env)
        found.append(given)
    return found[0], found[1]


def _memory_pragmas(cache_mib: int, mmap_mib: int) -> tuple[str, str]:
    # a negative cache_size is in KiB; at least 64 pages, so that a transaction has room
    return (
        f"PRAGMA cache_size = -{max(cache_mib * 1024, 256)}",
        f"PRAGMA mmap_size = {mmap_mib * 1024 * 1024}",
    )


class SqliteDb(Db):
    binary = "BINARY"
    types = SQLITE_TYPES

    def __init__(self, path: str, *, read_only: bool = False) -> None:
        self.path = path
        self._conn = _connect(path, read_only=read_only)
        # migration 3 compresses the index text in SQL
        self._conn.create_function("warta_pack_text", 1, pack_text, deterministic=True)
        self._lock = threading.RLock()
        self._depth = 0

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise StoreError(f"SQLite: {exc}", source=self.path) from exc

    def all(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        with self._lock, self._errors():
            return self._conn.execute(sql, params).fetchall()

    def execute(self, sql: str, params: Params = ()) -> None:
        with self._lock, self._errors():
            self._conn.execute(sql, params)

    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        with self._lock, self._errors():
            self._conn.executemany(sql, rows)

    def iterate(self, sql: str, params: Params = ()) -> Iterator[tuple[Any, ...]]:
        yield from self.all(sql, params)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._lock:
            if self._depth:  # joined to the enclosing transaction
                yield
                return
            with self._errors():
                self._conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield
            except BaseException:
                self._depth = 0
                with self._errors():
                    self._conn.execute("ROLLBACK")
                raise
            self._depth = 0
            with self._errors():
                self._conn.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def in_transaction(self) -> bool:
        with self._lock:
            return self._conn.in_transaction

    def table_exists(self, name: str) -> bool:
        return (
            self.one("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
            is not None
        )

    # -- dialect -------------------------------------------------------------------------------
    def time_in(self, value: datetime | None) -> str | None:
        if value is None:
            return None
        return utc(value).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"

    def time_out(self, value: Any) -> datetime | None:
        if value is None:
            return None
        return datetime.fromisoformat(str(value).removesuffix("Z")).replace(tzinfo=UTC)

    def fts_schema(self) -> list[str]:
        return [
            "CREATE TABLE article_text (article INTEGER PRIMARY KEY REFERENCES articles(seq) ON DELETE CASCADE, "
            "text TEXT NOT NULL)",
            "CREATE VIRTUAL TABLE article_fts USING fts5(text, content='article_text', content_rowid='article', "
            "tokenize='unicode61 remove_diacritics 0', detail=full)",
        ]

    def fts_compact(self) -> list[str]:
        """The external-content index (text kept twice, once plain) becomes a contentless one
        over the same text, which is kept compressed."""
        return [
            "CREATE VIRTUAL TABLE article_fts_new USING fts5(text, content='', "
            "tokenize='unicode61 remove_diacritics 0', detail=full)",
            "INSERT INTO article_fts_new (rowid, text) SELECT article, text FROM article_text",
            "DROP TABLE article_fts",
            "CREATE TABLE article_text_new (article INTEGER PRIMARY KEY REFERENCES articles(seq) "
            "ON DELETE CASCADE, packed BLOB NOT NULL)",
            "INSERT INTO article_text_new (article, packed) SELECT article, warta_pack_text(text) "
            "FROM article_text",
            "DROP TABLE article_text",
            "ALTER TABLE article_text_new RENAME TO article_text",
            "ALTER TABLE article_fts_new RENAME TO article_fts",
        ]

    def version_triggers(self) -> list[str]:
        from warta.store.migrations import VERSIONED_TABLES

        return [
            f"CREATE TRIGGER store_version_{table}_{op.lower()} AFTER {op} ON {table} "
            "BEGIN UPDATE store_version SET version = version + 1; END"
            for table in VERSIONED_TABLES
            for op in ("INSERT", "UPDATE", "DELETE")
        ]

    def fts_put(self, seq: int, text: str, *, fresh: bool = False) -> None:
        old = (
            None if fresh else self.one("SELECT packed FROM article_text WHERE article = ?", (seq,))
        )
        if old is not None:
            self.execute(
                "INSERT INTO article_fts (article_fts, rowid, text) VALUES ('delete', ?, ?)",
                (seq, unpack_text(old[0])),
            )
            self.execute(
                "UPDATE article_text SET packed = ? WHERE article = ?", (pack_text(text), seq)
            )
        else:
            self.execute(
                "INSERT INTO article_text (article, packed) VALUES (?, ?)", (seq, pack_text(text))
            )
        self.execute("INSERT INTO article_fts (rowid, text) VALUES (?, ?)", (seq, text))

    def fts_match(self) -> str:
        return "SELECT rowid FROM article_fts WHERE article_fts MATCH ?"

    def fts_table(self) -> tuple[str, str, str, str]:
        return ("article_fts", "rowid", "article_fts MATCH ?", "-bm25(article_fts)")

    def fts_query(self, node: Any) -> str:
        from warta.store.query import to_fts5

        return to_fts5(node)

    def covered(self, table: str, alias: str, index: str, *, has: bool = True) -> str:
        return f"{table} {alias} INDEXED BY {index}" if has else f"{table} {alias}"

    def month(self, column: str) -> str:
        return f"substr({column}, 1, 7)"

    def date_order(self) -> str:
        return "a.published DESC, a.seq DESC"  # NULLs sort first ascending, so last here


def _connect(path: str, *, read_only: bool) -> sqlite3.Connection:
    """A connection; read-only ones open the file with ``mode=ro`` and never write to it. A
    WAL store in a folder this user cannot write is opened ``immutable`` (nothing else may be
    writing it then: no one can, without the shared-memory file)."""
    if not read_only:
        return sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    uri = "file:" + quote(os.path.abspath(path)) + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        conn.close()
        uri += "&immutable=1"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    return conn


def _check_path(path: Path, *, read_only: bool = False) -> None:
    """Refuse what cannot hold a store before SQLite makes a confusing error of it."""
    if path.is_dir():
        raise StoreUnavailable("is a directory, not a store file", source=str(path))
    if read_only:
        if not path.exists():
            raise StoreUnavailable("no store here yet", source=str(path))
        if not os.access(path, os.R_OK):
            raise StoreUnavailable("the store file cannot be read (permissions)", source=str(path))
    parent = path.parent
    if not parent.is_dir():
        raise StoreUnavailable(f"the folder {parent} does not exist", source=str(path))
    if path.exists():
        if not os.access(path, os.R_OK | os.W_OK):
            raise StoreUnavailable(
                "the store file cannot be read and written (permissions)", source=str(path)
            )
        with path.open("rb") as f:
            head = f.read(16)
        if head and head != b"SQLite format 3\x00":
            raise StoreUnavailable("the file exists but is not a SQLite database", source=str(path))
    elif not os.access(parent, os.W_OK | os.X_OK):
        raise StoreUnavailable(f"cannot create a store in {parent} (permissions)", source=str(path))


class SQLiteStore(SqlStore):
    """A store in one SQLite file; ``upgrade_to`` below the latest is for migration tests;
    ``read_only`` opens it for reading alone (a read-only file, or a store to leave as it is).
    ``cache_mib`` and ``mmap_mib`` bound SQLite's page cache and mapped file for this connection
    (default: ``$WARTA_SQLITE_CACHE_MIB`` and ``$WARTA_SQLITE_MMAP_MIB``, else 16 and 0, or
    64 and 256 read-only)."""

    kind = "sqlite"

    def __init__(
        self,
        path: str,
        *,
        upgrade_to: int = LATEST,
        read_only: bool = False,
        cache_mib: int | None = None,
        mmap_mib: int | None = None,
    ) -> None:
        location = str(path)
        _check_path(Path(location), read_only=read_only)
        self.cache_mib, self.mmap_mib = memory_bounds(cache_mib, mmap_mib, read_only=read_only)
        try:
            db = SqliteDb(location, read_only=read_only)
            for pragma in (*_PRAGMAS, *_memory_pragmas(self.cache_mib, self.mmap_mib)):
                if not (read_only and "journal_mode" in pragma):  # setting it is a write
                    db.execute(pragma)
        except (sqlite3.Error, StoreError) as exc:
            raise StoreUnavailable(f"cannot open the SQLite store: {exc}", source=location) from exc
        try:
            super().__init__(db, location, upgrade_to=upgrade_to, read_only=read_only)
        except StoreError as exc:
            if type(exc) is StoreError:  # a driver error while opening: the file is unusable
                raise StoreUnavailable(
                    f"cannot open the SQLite store: {exc.message}", source=location
                ) from exc
            raise
