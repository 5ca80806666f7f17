"""Large lookup tables kept on disk as SQLite files and read one key at a time.

A pickled entry of :mod:`warta.core.diskcache` is read whole: for the place index (≈45,000
names, ≈8,000 regions) that is ≈0.12 s of unpickling in every process, while one page looks up
a few dozen names. Here each table is a SQLite table in one file of the user cache folder,
named like a pickled entry (what it is, warta's version, a hash of the data it was built
from), and a :class:`DiskTable` reads a row when a key is asked for: opening the file costs
well under a millisecond.

The file is written under a temporary name in the same folder and renamed into place, then
opened read-only and immutable: two processes building at once each write their own file,
the last rename wins, and a reader never sees half a table. Stale files of the same name are
removed after a build. Values are pickled per row (plain tuples, strings and numbers; the
file is read only from this user's own cache folder).
"""

from __future__ import annotations

import os
import pickle
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from warta.core.diskcache import entry_path, replacing

__all__ = ["DiskTable", "cached_tables"]

#: The table marking a file as complete (written last, in the same transaction).
_DONE = "_done"
#: At most this many keys found absent are remembered per table (then forgotten at once):
#: unknown names are unbounded over a long run.
MAX_MISSING = 65_536


class DiskTable(Mapping[str, Any]):
    """One table of a file built by :func:`cached_tables`: ``key -> decode(value)``, each row
    read (and decoded once) when first asked for; iteration follows the order of building."""

    def __init__(self, path: Path, table: str, decode: Callable[[Any], Any]) -> None:
        self._path = path
        self._table = table
        self._decode = decode
        self._memo: dict[str, Any] = {}
        self._missing: set[str] = set()
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._pid = 0

    def __reduce__(self) -> tuple[Any, ...]:
        # a worker process reopens the file: a SQLite connection never crosses processes
        return (DiskTable, (self._path, self._table, self._decode))

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None or self._pid != os.getpid():  # opened before a fork: reopen
            self._conn = _open(self._path)
            self._pid = os.getpid()
        return self._conn

    def _row(self, key: str) -> Any:
        with self._lock:
            row = (
                self._connection()
                .execute(f"SELECT v FROM {self._table} WHERE k = ?", (key,))  # noqa: S608
                .fetchone()
            )
        return None if row is None else pickle.loads(row[0])

    def __getitem__(self, key: str) -> Any:
        try:
            return self._memo[key]
        except KeyError:
            pass
        if key in self._missing:
            raise KeyError(key)
        raw = self._row(key)
        if raw is None:
            if len(self._missing) >= MAX_MISSING:
                self._missing.clear()
            self._missing.add(key)
            raise KeyError(key)
        value = self._memo[key] = self._decode(raw)
        return value

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key, _ABSENT) is not _ABSENT

    def __iter__(self) -> Iterator[str]:
        with self._lock:
            keys = [
                k
                for (k,) in self._connection().execute(
                    f"SELECT k FROM {self._table} ORDER BY rowid"  # noqa: S608
                )
            ]
        return iter(keys)

    def __len__(self) -> int:
        with self._lock:
            (count,) = (
                self._connection()
                .execute(f"SELECT count(*) FROM {self._table}")  # noqa: S608
                .fetchone()
            )
        return int(count)


_ABSENT = object()


def _open(path: Path) -> sqlite3.Connection:
    # immutable: the file is never changed once renamed into place (a rebuild renames a new
    # file over it), so SQLite need not lock it or look for a journal
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    return sqlite3.connect(uri, uri=True, check_same_thread=False)


def _complete(path: Path) -> bool:
    try:
        conn = _open(path)
    except sqlite3.Error:
        return False
    try:
        conn.execute(f"SELECT 1 FROM {_DONE}").fetchone()  # noqa: S608
        return True
    except sqlite3.Error:  # not there, damaged, or not a database: rebuilt
        return False
    finally:
        conn.close()


def _write(path: Path, tables: Mapping[str, Iterable[tuple[str, Any]]]) -> None:
    with replacing(path) as tmp:
        conn = sqlite3.connect(tmp)
        try:
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            for name, rows in tables.items():
                conn.execute(f"CREATE TABLE {name} (k TEXT PRIMARY KEY, v BLOB NOT NULL)")
                conn.executemany(
                    f"INSERT INTO {name} (k, v) VALUES (?, ?)",  # noqa: S608
                    ((k, pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL)) for k, v in rows),
                )
            conn.execute(f"CREATE TABLE {_DONE} (x)")
            conn.execute(f"INSERT INTO {_DONE} VALUES (1)")
            conn.commit()
        finally:
            conn.close()


def cached_tables(
    name: str,
    key: str,
    build: Callable[[], Mapping[str, Iterable[tuple[str, Any]]]],
    decoders: Mapping[str, Callable[[Any], Any]],
) -> dict[str, DiskTable] | None:
    """The tables ``build()`` gives (table name -> ``(key, value)`` rows), kept in a SQLite
    file for ``name``, warta's version and the data hash ``key``: built and written the first
    time, read lazily after. None when the disk cache is off or cannot be written (the caller
    then keeps what it built in memory)."""
    path = entry_path(name, key)
    if path is None:
        return None
    path = path.with_suffix(".sqlite")
    if not _complete(path):
        try:
            _write(path, build())
        except (OSError, sqlite3.Error):
            return None
        # stale tables, and the whole-pickle entries of versions before this module
        stale = [*path.parent.glob(f"{name}-*.sqlite"), *path.parent.glob(f"{name}-*.pickle")]
        for old in stale:
            if old != path:
                try:
                    old.unlink()
                except OSError:
                    pass
    return {table: DiskTable(path, table, decode) for table, decode in decoders.items()}
