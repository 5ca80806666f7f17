"""The REST API of a warta store (FastAPI): ``create_app`` builds it, ``warta serve`` runs it.

The OpenAPI document is at ``/openapi.json`` and its browsable form at ``/docs``. Reads are open
unless ``read_key_required``; ingest always needs the ``X-API-Key`` header and is off when the
server has no key. Every error is a problem document (RFC 9457).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from warta import __version__
from warta.server.cache import DEFAULT_CACHE_ENTRIES, ResponseCache, ResponseCacheMiddleware
from warta.server.guard import Guard
from warta.server.headers import SafetyHeaders
from warta.server.pool import DEFAULT_POOL_SIZE, StorePool, open_for_reading
from warta.server.problems import install_handlers
from warta.server.settings import (
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_INGEST_ITEMS,
    DEFAULT_MAX_PAGE_BYTES,
    DEFAULT_MAX_QUERY_CHARS,
    DEFAULT_MAX_QUERY_STRING_BYTES,
    DEFAULT_MAX_QUERY_TERMS,
    ServerSettings,
)


def mount_reader(app: FastAPI) -> None:
    """The web reader's pages, its static files, and the API docs (``/docs``: Swagger UI 5, which
    reads OpenAPI 3.1; ``/redoc``: ReDoc 2), their scripts from the files the ``fastapi-offline``
    package ships (MIT): every asset from this server, none from another origin."""
    from importlib.resources import files

    from fastapi.staticfiles import StaticFiles

    from warta.web.routes import HERE
    from warta.web.routes import router as web_router

    swagger = str(files("fastapi_offline") / "static")
    app.mount("/static/swagger", StaticFiles(directory=swagger), name="swagger")
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(web_router)


def default_store_location() -> str:
    """The store used when none is named: ``$WARTA_DB``, else ``./warta.db`` (as the CLI)."""
    from warta.store import DEFAULT_PATH, ENV

    return os.environ.get(ENV) or DEFAULT_PATH


def create_app(
    store_location: str | None = None,
    *,
    api_key: str | None = None,
    read_key_required: bool = False,
    max_page_bytes: int = DEFAULT_MAX_PAGE_BYTES,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    max_query_string_bytes: int = DEFAULT_MAX_QUERY_STRING_BYTES,
    max_query_chars: int = DEFAULT_MAX_QUERY_CHARS,
    max_query_terms: int = DEFAULT_MAX_QUERY_TERMS,
    max_ingest_items: int = DEFAULT_MAX_INGEST_ITEMS,
    page_time_limit_s: float = 30.0,
    fetch_allow_private: bool = False,
    pool_size: int = DEFAULT_POOL_SIZE,
    ingest_pipeline: Sequence[str] | None = None,
    cache_entries: int = DEFAULT_CACHE_ENTRIES,
) -> FastAPI:
    """The API over the store at ``store_location`` (a SQLite path or a PostgreSQL URL).

    Nothing is opened here: stores open on the first requests that need them, so a server can
    start before its database is up (requests then get 503 problems). Up to ``pool_size``
    open stores are kept between requests (0: each request opens and closes its own) and
    closed on shutdown. ``fetch_allow_private`` lets ``/v1/ingest/urls`` fetch private and
    loopback addresses (tests, intranets). ``ingest_pipeline`` names the stages the ingest
    endpoints run (default: warta's default pipeline; plugin stages included). Reads (GET)
    use read-only stores of their own pool, and up to ``cache_entries`` API answers are kept
    while the store's version is unchanged (0: none; :mod:`warta.server.cache`)."""
    if read_key_required and not api_key:
        raise ValueError("read_key_required needs an api_key")
    if api_key is not None and len(api_key) < 16:
        raise ValueError("an API key must be at least 16 characters")
    for name, value in (
        ("max_page_bytes", max_page_bytes),
        ("max_body_bytes", max_body_bytes),
        ("max_query_string_bytes", max_query_string_bytes),
        ("max_query_chars", max_query_chars),
        ("max_query_terms", max_query_terms),
        ("max_ingest_items", max_ingest_items),
    ):
        if value < 1:
            raise ValueError(f"{name} must be at least 1, not {value}")
    if pool_size < 0:
        raise ValueError(f"pool_size must be 0 or more, not {pool_size}")
    if cache_entries < 0:
        raise ValueError(f"cache_entries must be 0 or more, not {cache_entries}")
    settings = ServerSettings(
        store_location=store_location or default_store_location(),
        api_key=api_key,
        read_key_required=read_key_required,
        max_page_bytes=max_page_bytes,
        max_body_bytes=max_body_bytes,
        max_query_string_bytes=max_query_string_bytes,
        max_query_chars=max_query_chars,
        max_query_terms=max_query_terms,
        max_ingest_items=max_ingest_items,
        page_time_limit_s=page_time_limit_s,
        fetch_allow_private=fetch_allow_private,
        ingest_pipeline=tuple(ingest_pipeline) if ingest_pipeline is not None else None,
    )
    from warta.server import corpus_routes, ingest_routes, read_routes, watch_routes

    pool = StorePool(settings.store_location, size=pool_size)
    read_pool = StorePool(settings.store_location, size=pool_size, opener=open_for_reading)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        pool.open()
        read_pool.open()
        try:
            yield
        finally:  # closing connections blocks: not on the event loop
            await run_in_threadpool(pool.close)
            await run_in_threadpool(read_pool.close)

    app = FastAPI(
        title="warta",
        version=__version__,
        summary="Structured records of Indonesian news: articles, entities, quotes, events.",
        lifespan=lifespan,
        docs_url=None,  # served below from local files: the default loads Swagger UI from a CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.store_pool = pool
    app.state.read_pool = read_pool
    app.state.response_cache = ResponseCache(max_entries=cache_entries)
    unexpected: list[str] = []
    app.state.unexpected_errors = unexpected
    install_handlers(app)
    app.include_router(read_routes.router)
    app.include_router(ingest_routes.router)
    app.include_router(corpus_routes.router)
    app.include_router(watch_routes.router)
    mount_reader(app)
    app.add_middleware(ResponseCacheMiddleware, cache=app.state.response_cache, pool=read_pool)
    app.add_middleware(
        Guard,
        max_query_string_bytes=max_query_string_bytes,
        max_body_bytes=max_body_bytes,
        errors=unexpected,
    )
    app.add_middleware(SafetyHeaders)  # outermost: the Guard's own refusals carry them too
    return app
