"""Watches as searches: checking a watch's filters, its current matches, and queueing the new
ones for its webhook after an ingest."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from warta.core.errors import QueryError
from warta.store.base import SearchHit, SearchRequest, Store
from warta.store.watch_tables import Watch

#: search fields a watch may not set (the watch decides them)
_FIXED = {"query", "sort", "limit", "cursor", "facets", "since", "until"}
#: filters that hold several values
_MULTI = {"outlets"}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
#: how many of a watch's newest matches one check looks at
CHECK_DEPTH = 500


def filter_names() -> list[str]:
    """The search filters a watch can keep (the fields of :class:`SearchRequest` it may set)."""
    return [f.name for f in fields(SearchRequest) if f.name not in _FIXED]


def make_watch(
    name: str,
    query: str,
    filters: Mapping[str, Any],
    *,
    webhook: str | None = None,
    secret: str | None = None,
) -> Watch:
    """A watch checked as a user gave it: a name usable in a URL, known filters, an http(s)
    webhook with a secret to sign with. Raises :class:`QueryError` saying what is wrong."""
    if not _NAME.match(name):
        raise QueryError(
            f"watch name {name!r}: use 1-64 letters, digits, '_', '.' or '-' (it goes in a URL)"
        )
    allowed = set(filter_names())
    kept: dict[str, Any] = {}
    for key, value in filters.items():
        if key not in allowed:
            raise QueryError(f"unknown watch filter {key!r} (known: {', '.join(sorted(allowed))})")
        if value in (None, (), [], "", False):
            continue
        kept[key] = list(value) if key in _MULTI else value
    if webhook is not None:
        parts = urlsplit(webhook)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise QueryError(f"webhook {webhook!r} is not an http(s) URL")
        if not secret:
            raise QueryError("a webhook needs --secret (the receiver checks each post's signature)")
    if not query.strip() and not kept:
        raise QueryError("a watch needs a query or at least one filter")
    return Watch(name=name, query=query, filters=kept, webhook=webhook, secret=secret)


def request_of(watch: Watch, *, limit: int = 100, cursor: str | None = None) -> SearchRequest:
    """The search a watch stands for, newest first."""
    values: dict[str, Any] = {k: tuple(v) if k in _MULTI else v for k, v in watch.filters.items()}
    return SearchRequest(query=watch.query, sort="date", limit=limit, cursor=cursor, **values)


def matches(store: Store, watch: Watch, *, depth: int = 100) -> list[SearchHit]:
    """The watch's newest ``depth`` matches, newest first."""
    hits: list[SearchHit] = []
    cursor: str | None = None
    while len(hits) < depth:
        result = store.search(request_of(watch, limit=min(100, depth - len(hits)), cursor=cursor))
        hits.extend(result.hits)
        cursor = result.next_cursor
        if cursor is None or not result.hits:
            break
    return hits


def add_watch(store: Store, watch: Watch, *, replace: bool = False) -> int:
    """Save a watch; its present matches count as reported, so its webhook hears only of
    articles that arrive later. Returns how many articles match now."""
    now = datetime.now(UTC)
    tables = store.watch_tables()
    present = matches(store, watch, depth=CHECK_DEPTH)
    tables.add(watch, now=now, replace=replace)
    tables.mark_seen(watch.name, (h.id for h in present))
    return len(present)


def _payload(watch: Watch, hits: list[SearchHit], now: datetime) -> str:
    return json.dumps(
        {
            "watch": watch.name,
            "query": watch.query,
            "filters": dict(watch.filters),
            "sent_at": now.isoformat(),
            "articles": [
                {
                    "id": h.id,
                    "title": h.title,
                    "url": h.url,
                    "outlet": h.outlet,
                    "published": h.published.isoformat() if h.published else None,
                    "language": h.language,
                }
                for h in hits
            ],
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def queue_new_matches(store: Store) -> dict[str, int]:
    """For every watch with a webhook: its matches not reported yet, queued as one delivery and
    marked reported. Returns watch name -> new matches (only watches that had some)."""
    tables = store.watch_tables()
    now = datetime.now(UTC)
    queued: dict[str, int] = {}
    for watch in tables.all():
        if not watch.webhook:
            continue
        hits = matches(store, watch, depth=CHECK_DEPTH)
        known = tables.seen(watch.name, (h.id for h in hits))
        new = [h for h in hits if h.id not in known]
        if not new:
            continue
        tables.queue(watch.name, watch.webhook, _payload(watch, new, now), now=now)
        tables.mark_seen(watch.name, (h.id for h in new))
        queued[watch.name] = len(new)
    return queued
