"""The store: SQLite by default, PostgreSQL at scale, one interface (:mod:`warta.store.base`)."""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

from warta.store.base import (
    EXPORT_TABLES,
    EntityProfile,
    EventRequest,
    Failure,
    KnownPage,
    Outcome,
    PutResult,
    QuoteRequest,
    Run,
    SearchHit,
    SearchRequest,
    SearchResult,
    Store,
)

__all__ = [
    "DEFAULT_PATH",
    "ENV",
    "EXPORT_TABLES",
    "EntityProfile",
    "EventRequest",
    "Failure",
    "KnownPage",
    "Outcome",
    "PutResult",
    "QuoteRequest",
    "Run",
    "SearchHit",
    "SearchRequest",
    "SearchResult",
    "Store",
    "open_store",
    "redact",
]

#: environment variable naming the store when no location is given
ENV = "WARTA_DB"
DEFAULT_PATH = "./warta.db"
_POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def redact(location: str) -> str:
    """The location as it may be printed: a URL loses its password, a path stays as it is."""
    if not location.startswith(_POSTGRES_SCHEMES):
        return location
    parts = urlsplit(location)
    if parts.password is None:
        return location
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def open_store(location: str | None = None, *, read_only: bool = False) -> Store:
    """Open (creating and upgrading as needed) the store at ``location``: a
    ``postgresql://`` URL, or a SQLite file path; None means ``$WARTA_DB``, else ``./warta.db``.
    Raises :class:`~warta.core.errors.StoreUnavailable` when it cannot be opened and
    :class:`~warta.core.errors.SchemaTooNew` when a newer warta wrote it. ``read_only``: for
    reading alone, never writing (a read-only file opens; an outdated one is not upgraded)."""
    where = location if location is not None else os.environ.get(ENV) or DEFAULT_PATH
    if where.startswith(_POSTGRES_SCHEMES):
        from warta.core.extras import require

        require("postgres", "a PostgreSQL store")
        from warta.store.postgres import PostgresStore

        return PostgresStore(where, read_only=read_only)
    from warta.store.sqlite import SQLiteStore

    return SQLiteStore(where, read_only=read_only)
