"""Store access from request handlers: a store opened, used and closed in one worker thread.

sqlite3 connections belong to the thread that made them and a psycopg connection must not be
shared by two requests at once, so each request opens its own store inside the one thread
that uses it (opening SQLite costs well under a millisecond; PostgreSQL a connection).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from starlette.concurrency import run_in_threadpool

from warta.server.settings import ServerSettings
from warta.store.base import Store

T = TypeVar("T")


def _with_store(location: str, work: Callable[[Store], T]) -> T:
    from warta.store import open_store

    with open_store(location) as store:
        return work(store)


async def using_store(settings: ServerSettings, work: Callable[[Store], T]) -> T:
    """Run ``work(store)`` in a worker thread with a store opened for it alone."""
    return await run_in_threadpool(_with_store, settings.store_location, work)
