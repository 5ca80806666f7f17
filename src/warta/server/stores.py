"""Store access from request handlers: a pooled store, used by one request in a worker thread.

Store calls block (sqlite3, psycopg), so they run in the thread pool; the app's
:class:`~warta.server.pool.StorePool` lends each request a store of its own for the length of
its work and takes it back afterwards (see that module for when a store is not reused). A
GET (a read) is lent a store opened read-only, from a pool of its own, so that no read can
write or hold a write lock; everything else gets a writable one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from warta.server.pool import StorePool
from warta.store.base import Store

T = TypeVar("T")


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
    """Run ``work(store)`` in a worker thread with a store lent to this request alone."""
    return await run_in_threadpool(pool_of(request).run, work)
