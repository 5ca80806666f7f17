"""Responses of API reads kept while the store is unchanged.

Every committed write raises the store's version (:meth:`warta.store.base.Store.version`, a
counter kept by triggers in the database, so writes by another process count too). A GET under
``/v1/`` is answered from memory when the same request (path, query string, API key) was
answered at the store's present version; otherwise it runs and its answer is kept under the
version read *before* it ran. Versions only rise, so a kept answer is served only to requests
that find the store at the version it was computed at or (if a write landed while it ran) at
an older one than its data: never an answer older than the store a request sees.

The version is read in a worker thread with a store from the server's read pool, and the
answer looked up there too; on a miss the request keeps that store for its route
(:class:`~warta.server.stores.Lease`), which gives it back, so a read costs one store
acquisition and one hand-off to a worker thread before its route runs.

Only successful (200) answers without ``Cache-Control: no-store`` and of at most
:data:`MAX_ENTRY_BYTES` are kept; the cache holds at most ``max_entries`` answers and
``max_bytes`` bytes, least recently used out first. A store that keeps no version, or cannot
be asked, is not cached.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from warta.server.pool import StorePool
from warta.server.stores import LEASE, Lease
from warta.store.base import Store

#: answers kept unless the server is told otherwise
DEFAULT_CACHE_ENTRIES = 4096
#: bytes of answers kept at most
DEFAULT_CACHE_BYTES = 64 * 1024 * 1024
#: an answer larger than this is not kept (a few big answers would push out many small ones)
MAX_ENTRY_BYTES = 1024 * 1024
#: the paths whose GET answers are kept
CACHED_PREFIX = "/v1/"


@dataclass(frozen=True, slots=True)
class Cached:
    """One kept answer: status, headers and body, as sent."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


@dataclass(frozen=True, slots=True)
class CacheCounts:
    """What the cache has done, for tests and monitoring."""

    hits: int
    misses: int
    entries: int
    bytes: int


class ResponseCache:
    """Answers by (store version, request), least recently used out first (thread-safe)."""

    def __init__(
        self, *, max_entries: int = DEFAULT_CACHE_ENTRIES, max_bytes: int = DEFAULT_CACHE_BYTES
    ) -> None:
        if max_entries < 0 or max_bytes < 0:
            raise ValueError("cache sizes must be 0 or more")
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[int, bytes], Cached] = OrderedDict()
        self._bytes = 0
        self._hits = 0
        self._misses = 0

    def counts(self) -> CacheCounts:
        with self._lock:
            return CacheCounts(self._hits, self._misses, len(self._entries), self._bytes)

    def get(self, version: int, request: bytes) -> Cached | None:
        with self._lock:
            found = self._entries.get((version, request))
            if found is None:
                self._misses += 1
                return None
            self._entries.move_to_end((version, request))
            self._hits += 1
            return found

    def put(self, version: int, request: bytes, answer: Cached) -> None:
        size = len(answer.body)
        if size > MAX_ENTRY_BYTES or self.max_entries == 0 or size > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop((version, request), None)
            if old is not None:
                self._bytes -= len(old.body)
            self._entries[(version, request)] = answer
            self._bytes += size
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped.body)


def request_key(scope: Scope) -> bytes:
    """What identifies a read: its path, query string and API key (a key-protected answer
    is never given to a request without that key)."""
    api_key = b""
    for name, value in scope.get("headers", ()):
        if name == b"x-api-key":
            api_key = hashlib.sha256(value).digest()
    return b"\0".join((scope["path"].encode("utf-8"), scope.get("query_string", b""), api_key))


class ResponseCacheMiddleware:
    """Serves API reads from a :class:`ResponseCache` while the store's version holds, reading
    the version with a store of ``pool`` (the server's read pool)."""

    def __init__(self, app: ASGIApp, *, cache: ResponseCache, pool: StorePool) -> None:
        self.app = app
        self.cache = cache
        self.pool = pool

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not scope["path"].startswith(CACHED_PREFIX)
            or self.cache.max_entries == 0
        ):
            await self.app(scope, receive, send)
            return
        key = request_key(scope)
        version, store, found = await run_in_threadpool(self._look_up, key)
        if found is not None:
            await send({"type": "http.response.start", "status": found.status, "headers": found.headers})
            await send({"type": "http.response.body", "body": found.body})
            return
        lease = Lease(self.pool, store)
        scope[LEASE] = lease
        try:
            if version is None:
                await self.app(scope, receive, send)
            else:
                await self._answer_and_keep(scope, receive, send, version, key)
        finally:
            unused = lease.take()  # the route failed before it needed the store
            if unused is not None:
                await run_in_threadpool(self.pool.release, unused)

    def _look_up(self, key: bytes) -> tuple[int | None, Store | None, Cached | None]:
        """(the store's version, the store to keep for the route, the kept answer), in a
        worker thread. A store that cannot be opened or asked gives no version and no store
        (the route reports the store's trouble); one that keeps no version, no version."""
        try:
            store = self.pool.acquire()
        except Exception:  # noqa: BLE001 - the route itself will report the store's trouble
            return None, None, None
        try:
            version = store.version()
        except Exception:  # noqa: BLE001 - as above; a store that failed is not lent again
            self.pool.release(store, reusable=False)
            return None, None, None
        found = None if version is None else self.cache.get(version, key)
        if found is not None:
            self.pool.release(store)
            return version, None, found
        return version, store, None

    async def _answer_and_keep(
        self, scope: Scope, receive: Receive, send: Send, version: int, key: bytes
    ) -> None:
        start: dict[str, Any] = {}
        parts: list[bytes] = []
        keep = True

        async def sending(message: Message) -> None:
            nonlocal keep
            if message["type"] == "http.response.start":
                start.update(message)
                headers = message.get("headers", [])
                keep = message["status"] == 200 and not any(
                    name.lower() == b"cache-control" and b"no-store" in value.lower()
                    for name, value in headers
                )
            elif message["type"] == "http.response.body" and keep:
                parts.append(message.get("body", b""))
                if sum(len(p) for p in parts) > MAX_ENTRY_BYTES:
                    keep = False
                    parts.clear()
                elif not message.get("more_body", False):
                    self.cache.put(
                        version, key, Cached(start["status"], list(start.get("headers", [])), b"".join(parts))
                    )
            await send(message)

        await self.app(scope, receive, sending)
