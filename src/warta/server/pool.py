"""Open stores kept between requests, so a PostgreSQL request does not pay for a new connection.

Opening a PostgreSQL store costs a connection (~30 ms locally, more across a network); opening
SQLite costs its pragmas and a cold page cache. The pool keeps up to ``size`` open stores and
hands each to one request at a time (both backends' connections may be used from any thread
as long as only one uses them at once: SQLite is opened with ``check_same_thread=False`` and
a lock, psycopg connections are thread-safe). When every kept store is busy another one is
opened for the request and closed after it, as without a pool, so a long ingest never makes
reads wait; the peak is bounded by the server's worker threads.

A store is never handed out again when it may be broken: one whose request failed with a store
error or an unexpected exception is closed, and every store is probed before it is handed out
(:meth:`Store.ping`: the connection answers and the schema is still the version it was opened
at, one round trip) and when it comes back (:meth:`Store.in_transaction`: the request left no
transaction open, which the driver knows without a query). The pool sees only the
:class:`~warta.store.base.Store` interface, so any backend that implements it can be pooled.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from warta.core.errors import InputError, QueryError
from warta.store.base import Store

T = TypeVar("T")

#: Stores kept open between requests unless the server is told otherwise. uvicorn does not
#: spread clients evenly over ``--workers`` processes (one may hold most of 8 clients' kept-alive
#: connections), and a read beyond the pool opens and closes a store: on PostgreSQL a backend
#: start and the store's checks, ~4 ms of the server's CPU and more of the database's. With 4,
#: 8 clients on 2 workers opened 2-21 connections per 400 searches; with 8, 0-7.
DEFAULT_POOL_SIZE = 8


def _open(location: str) -> Store:
    from warta.store import open_store

    return open_store(location)


def open_for_reading(location: str) -> Store:
    """A store opened read-only. One that does not exist yet, or needs an upgrade, is first
    opened once for writing (created, upgraded), as any request did before reads had their own
    connections; a store that cannot be written then still fails with its reason."""
    from warta.core.errors import StoreUnavailable
    from warta.store import open_store

    try:
        return open_store(location, read_only=True)
    except StoreUnavailable:
        open_store(location).close()
    return open_store(location, read_only=True)


def _close_quietly(store: Store) -> None:
    """Close a store that is being thrown away; a dead connection may fail to close."""
    try:
        store.close()
    except Exception:  # nothing useful can be done with a failed close
        pass


def healthy(store: Store, *, returning: bool = False) -> bool:
    """Whether ``store`` may serve another request, asked through the store's interface alone.
    Handed out: it answers and its schema is still the version it was opened at
    (:meth:`Store.ping`). ``returning`` from a request: it holds no transaction the request left
    open (:meth:`Store.in_transaction`; one would keep its locks while the store sits idle)."""
    try:
        return not store.in_transaction() if returning else store.ping()
    except Exception:  # a probe that fails in any way says the same: do not reuse it
        return False


def _reusable(error: BaseException | None) -> bool:
    """Whether a store is still sound after a request that ended with ``error``: a refused
    query or input never touched the connection; a store error or a crash may have."""
    return error is None or isinstance(error, QueryError | InputError)


@dataclass(frozen=True, slots=True)
class PoolCounts:
    """What a pool has done, for tests and monitoring."""

    idle: int
    in_use: int
    opened: int
    discarded: int
    #: stores handed out by :meth:`StorePool.acquire` (kept or newly opened)
    lent: int = 0


class StorePool:
    """Up to ``size`` open stores of one location, reused across requests (thread-safe)."""

    def __init__(self, location: str, *, size: int, opener: Callable[[str], Store] = _open) -> None:
        if size < 0:
            raise ValueError(f"pool_size must be 0 or more, not {size}")
        self.location = location
        self.size = size
        self._opener = opener
        self._lock = threading.Lock()
        self._idle: list[Store] = []  # most recently returned last: its cache is the warmest
        self._in_use = 0
        self._opened = 0
        self._discarded = 0
        self._lent = 0
        self._closed = False

    def counts(self) -> PoolCounts:
        with self._lock:
            return PoolCounts(
                len(self._idle), self._in_use, self._opened, self._discarded, self._lent
            )

    def acquire(self) -> Store:
        """A store for this caller alone: a kept one that passes the probe, else a new one.
        Raises :class:`~warta.core.errors.StoreUnavailable` when the store cannot be opened."""
        while True:
            with self._lock:
                store = self._idle.pop() if self._idle else None
                self._in_use += 1
            if store is None:
                break
            if healthy(store):
                with self._lock:
                    self._lent += 1
                return store
            self._discard(store)
        try:
            store = self._opener(self.location)
        except BaseException:
            with self._lock:
                self._in_use -= 1
            raise
        with self._lock:
            self._opened += 1
            self._lent += 1
        return store

    def release(self, store: Store, *, reusable: bool = True) -> None:
        """Give back a store from :meth:`acquire`: kept when ``reusable``, still healthy and
        there is room; closed otherwise (an overflow store is closed as before pooling)."""
        wanted = self.size > 0 and not self._closed
        if reusable and wanted and not healthy(store, returning=True):
            self._discard(store)
            return
        if not reusable:
            self._discard(store)
            return
        with self._lock:
            self._in_use -= 1
            keep = not self._closed and len(self._idle) < self.size
            if keep:
                self._idle.append(store)
        if not keep:
            _close_quietly(store)

    def run(self, work: Callable[[Store], T]) -> T:
        """``work(store)`` with a pooled store, given back whatever happens."""
        return self.run_on(self.acquire(), work)

    def run_on(self, store: Store, work: Callable[[Store], T]) -> T:
        """``work(store)`` with a store this pool's :meth:`acquire` gave, given back whatever
        happens (as :meth:`run` does)."""
        try:
            result = work(store)
        except BaseException as exc:
            self.release(store, reusable=_reusable(exc))
            raise
        self.release(store)
        return result

    def open(self) -> None:
        """Keep stores again after :meth:`close` (an app started a second time)."""
        with self._lock:
            self._closed = False

    def close(self) -> None:
        """Close every kept store; stores still in use are closed when they come back."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for store in idle:
            _close_quietly(store)

    def _discard(self, store: Store) -> None:
        """Close an in-use store that must not be handed out again."""
        with self._lock:
            self._discarded += 1
            self._in_use -= 1
        _close_quietly(store)
