"""Store access from request handlers: a pooled store, used by one request in a worker thread.

Store calls block (sqlite3, psycopg), so they run in the thread pool; the app's
:class:`~warta.server.pool.StorePool` lends each request a store of its own for the length of
its work and takes it back afterwards (see that module for when a store is not reused). A
GET (a read) is lent a store opened read-only, from a pool of its own, so that no read can
write or hold a write lock; everything else gets a writable one.

A read the response cache checked already holds a store (the cache read the store's version
with it, :mod:`warta.server.cache`): a :class:`Lease` in the request's scope. The route's
first store work runs on that store and gives it back, so a request acquires (and probes) one
store, not two.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from warta.server.pool import StorePool
from warta.store.base import Store

T = TypeVar("T")

#: the scope key of the :class:`Lease` a request holds
LEASE = "warta.store_lease"


@dataclass(slots=True)
class Lease:
    """A store acquired from ``pool`` for one request before its route ran; taken once."""

    pool: StorePool
    store: Store | None

    def take(self) -> Store | None:
        """The store, for the one caller that gives it back (None once taken)."""
        store, self.store = self.store, None
        return store


def pool_of(request: Request) -> StorePool:
    """The pool that serves this request: read-only stores for a GET, writable ones else."""
    state = request.app.state
    pool: StorePool = (
        getattr(state, "read_pool", state.store_pool)
        if request.method == "GET"
        else state.store_pool
    )
    return pool


async def using_store(request: Request, work: Callable[[Store], T]) -> T:
    """Run ``work(store)`` in a worker thread with a store lent to this request alone: the one
    it holds (:class:`Lease`), else one from its pool."""
    pool = pool_of(request)
    lease = request.scope.get(LEASE)
    store = lease.take() if isinstance(lease, Lease) and lease.pool is pool else None
    if store is not None:
        return await run_in_threadpool(pool.run_on, store, work)
    return await run_in_threadpool(pool.run, work)
