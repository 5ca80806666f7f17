"""Saved searches ("watches"), the articles each has already reported, and the webhook outbox,
in SQL shared by both backends.

A watch is a search kept under a name. Its Atom feed is computed on request; its webhook is
fed by an outbox: after each ingest the new matches of a watch are queued as one delivery, and
a delivery is retried with a growing wait until it is accepted or gives up. The outbox lives in
the store so that a delivery survives the process that queued it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from warta.core.errors import StoreError
from warta.store.db import Db


@dataclass(frozen=True, slots=True)
class Watch:
    """A saved search: the query text and the search filters (``SearchRequest`` field names),
    and where to post its new matches (``webhook``, signed with ``secret``) if anywhere."""

    name: str
    query: str
    filters: Mapping[str, Any] = field(default_factory=dict)
    webhook: str | None = None
    secret: str | None = None
    created: datetime | None = None


@dataclass(frozen=True, slots=True)
class Delivery:
    """One queued webhook post: its body is fixed when it is queued."""

    id: int
    watch: str
    url: str
    body: str
    attempts: int
    next_try: datetime | None
    state: str  # "pending", "delivered" or "failed" (gave up)
    last_error: str | None


class WatchTables:
    """Reads and writes of the watch tables over one open :class:`Db`."""

    def __init__(self, db: Db) -> None:
        self.db = db

    # -- the watches ---------------------------------------------------------------------
    def add(self, watch: Watch, *, now: datetime, replace: bool = False) -> None:
        """Save ``watch``; an existing name is an error unless ``replace``."""
        with self.db.transaction():
            if self.db.one("SELECT 1 FROM watches WHERE name = ?", (watch.name,)) is not None:
                if not replace:
                    raise StoreError(f"a watch named {watch.name!r} exists (remove it first)")
                self.db.execute("DELETE FROM watches WHERE name = ?", (watch.name,))
                self.db.execute("DELETE FROM watch_seen WHERE watch = ?", (watch.name,))
            self.db.execute(
                "INSERT INTO watches (name, query, filters, webhook, secret, created) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    watch.name,
                    watch.query,
                    json.dumps(dict(watch.filters), sort_keys=True, default=str),
                    watch.webhook,
                    watch.secret,
                    self.db.time_in(now),
                ),
            )

    def _watch(self, row: tuple[Any, ...]) -> Watch:
        return Watch(
            name=str(row[0]),
            query=str(row[1]),
            filters=json.loads(row[2]),
            webhook=row[3],
            secret=row[4],
            created=self.db.time_out(row[5]),
        )

    def get(self, name: str) -> Watch | None:
        row = self.db.one(
            "SELECT name, query, filters, webhook, secret, created FROM watches WHERE name = ?",
            (name,),
        )
        return None if row is None else self._watch(row)

    def all(self) -> list[Watch]:
        rows = self.db.all(
            "SELECT name, query, filters, webhook, secret, created FROM watches ORDER BY name"
        )
        return [self._watch(r) for r in rows]

    def remove(self, name: str) -> bool:
        """Forget a watch, what it reported and its pending deliveries; False if unknown."""
        with self.db.transaction():
            if self.db.one("SELECT 1 FROM watches WHERE name = ?", (name,)) is None:
                return False
            self.db.execute("DELETE FROM watch_seen WHERE watch = ?", (name,))
            self.db.execute(
                "DELETE FROM watch_outbox WHERE watch = ? AND state = 'pending'", (name,)
            )
            self.db.execute("DELETE FROM watches WHERE name = ?", (name,))
        return True

    # -- what a watch has reported -------------------------------------------------------
    def seen(self, name: str, article_ids: Iterable[str]) -> set[str]:
        """Which of ``article_ids`` the watch has already reported."""
        wanted = sorted(set(article_ids))
        found: set[str] = set()
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ", ".join("?" * len(chunk))
            rows = self.db.all(
                f"SELECT article FROM watch_seen WHERE watch = ? AND article IN ({marks})",
                (name, *chunk),
            )
            found.update(str(r[0]) for r in rows)
        return found

    def mark_seen(self, name: str, article_ids: Iterable[str]) -> None:
        self.db.executemany(
            "INSERT INTO watch_seen (watch, article) VALUES (?, ?) "
            "ON CONFLICT (watch, article) DO NOTHING",
            [(name, a) for a in sorted(set(article_ids))],
        )

    # -- the outbox ----------------------------------------------------------------------
    def queue(self, name: str, url: str, body: str, *, now: datetime) -> None:
        self.db.execute(
            "INSERT INTO watch_outbox (watch, url, body, attempts, next_try, state, queued) "
            "VALUES (?, ?, ?, 0, ?, 'pending', ?)",
            (name, url, body, self.db.time_in(now), self.db.time_in(now)),
        )

    def _delivery(self, row: tuple[Any, ...]) -> Delivery:
        return Delivery(
            id=int(row[0]),
            watch=str(row[1]),
            url=str(row[2]),
            body=str(row[3]),
            attempts=int(row[4]),
            next_try=self.db.time_out(row[5]),
            state=str(row[6]),
            last_error=row[7],
        )

    _DELIVERY = (
        "SELECT id, watch, url, body, attempts, next_try, state, last_error FROM watch_outbox"
    )

    def due(self, now: datetime, limit: int = 100) -> list[Delivery]:
        """Pending deliveries whose next try has come, oldest first."""
        rows = self.db.all(
            f"{self._DELIVERY} WHERE state = 'pending' AND next_try <= ? ORDER BY id LIMIT ?",
            (self.db.time_in(now), limit),
        )
        return [self._delivery(r) for r in rows]

    def deliveries(self, name: str | None = None, limit: int = 100) -> list[Delivery]:
        """The latest deliveries (of one watch), newest first."""
        where, params = ("WHERE watch = ?", (name,)) if name else ("", ())
        rows = self.db.all(f"{self._DELIVERY} {where} ORDER BY id DESC LIMIT ?", (*params, limit))
        return [self._delivery(r) for r in rows]

    def settle(
        self,
        delivery_id: int,
        *,
        state: str,
        attempts: int,
        next_try: datetime | None,
        error: str | None,
    ) -> None:
        """Record what the latest attempts at a delivery came to."""
        self.db.execute(
            "UPDATE watch_outbox SET state = ?, attempts = ?, next_try = ?, last_error = ? "
            "WHERE id = ?",
            (state, attempts, self.db.time_in(next_try), error, delivery_id),
        )
