"""Relevance pages with bounded work: recency tiers, BM25 (or ts_rank) inside each tier.

Scoring every match of a common word costs time in proportion to the matches (a few µs each
in FTS5: 200,000 matches would be most of a second). So a query matching more than
:data:`TIER` articles is ranked in tiers: the newest-stored articles' key range holding about
``TIER`` matches first, ranked by score, then the next range, and so on. A query matching at
most ``TIER`` articles (most queries) is one tier: plain best-first ranking; so is a filtered
query whose filters let through at most ``TIER`` matches (only those are scored, in one pass).
Every page scores at most the tiers it draws hits from; counting a tier's matches is cheap (an
index count, or a bisection of the filtered keys). The order is deterministic for a given store, so an offset
cursor walks every hit exactly once.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Any

from warta.store.db import Db

#: matches scored together at most (about); a tier's scoring stays well under 50 ms
TIER = 4000


class Ranker:
    """Pages of one ranked query; ``allowed`` (sorted keys) when filters narrow the matches."""

    def __init__(
        self, db: Db, fts: str, allowed: list[int] | None, *, matches: int | None = None
    ) -> None:
        """``matches``: the query's exact match count when the caller has it (saves a count)."""
        self.db = db
        self.fts = fts
        self.table, self.key, self.match, self.score = db.fts_table()
        self.allowed = allowed
        self.matches = 0
        self.top = 0
        self.width = 1
        if self.few:  # one tier: the ranked filtered set is all that is needed
            return
        if matches is None:
            matches = int(
                db.scalar(
                    f"SELECT count(*) FROM {self.table} WHERE {self.match}", self._q(self.match)
                )
            )
        self.matches = matches
        tiers = max(1, -(-self.matches // TIER))
        if tiers == 1:  # one tier holds every key: its range need not be found, nor counted
            return
        self.top = int(db.scalar(f"SELECT coalesce(max({self.key}), 0) FROM {self.table}") or 0)
        self.width = -(-self.top // tiers)

    @property
    def few(self) -> bool:
        """Filters let through at most :data:`TIER` matching articles: one tier, best first."""
        return self.allowed is not None and len(self.allowed) <= TIER

    @property
    def single(self) -> bool:
        """At most :data:`TIER` matches: one tier, every match, best first."""
        return self.matches <= TIER

    def _q(self, sql: str) -> list[Any]:
        return [self.fts] * sql.count("?")

    @property
    def total(self) -> int:
        return len(self.allowed) if self.allowed is not None else self.matches

    def _bounds(self, tier: int) -> tuple[int, int]:
        """Keys in (low, high] of a tier; tier 0 holds the newest."""
        high = self.top - tier * self.width
        return high - self.width, high

    def _count(self, tier: int) -> int:
        low, high = self._bounds(tier)
        if self.allowed is not None:
            return bisect_right(self.allowed, high) - bisect_right(self.allowed, low)
        return int(
            self.db.scalar(
                f"SELECT count(*) FROM {self.table} WHERE {self.match} AND {self.key} > ? AND {self.key} <= ?",
                [*self._q(self.match), low, high],
            )
        )

    def _ranked(self, tier: int | None) -> list[tuple[int, float]]:
        """The matches of a tier (``None``: every match), best first; those allowed only."""
        within, bounds = "", []
        if tier is not None:
            within, bounds = f" AND {self.key} > ? AND {self.key} <= ?", list(self._bounds(tier))
        rows = self.db.all(
            f"SELECT {self.key}, {self.score} FROM {self.table} WHERE {self.match}{within} "
            "ORDER BY 2 DESC, 1 DESC",
            [*self._q(self.score), *self._q(self.match), *bounds],
        )
        out = [(int(k), float(s)) for k, s in rows]
        if self.allowed is not None:
            keep = self.allowed
            out = [(k, s) for k, s in out if _has(keep, k)]
        return out

    def _ranked_few(self) -> list[tuple[int, float]]:
        """The allowed keys scored in one statement: the index walks its matches (cheap), and
        only the allowed ones are scored (``+``: tested, never looked up one by one)."""
        assert self.allowed is not None
        if not self.allowed:
            return []
        marks = ", ".join("?" * len(self.allowed))
        rows = self.db.all(
            f"SELECT {self.key}, {self.score} FROM {self.table} WHERE {self.match} "
            f"AND +{self.key} IN ({marks}) ORDER BY 2 DESC, 1 DESC",
            [*self._q(self.score), *self._q(self.match), *self.allowed],
        )
        return [(int(k), float(s)) for k, s in rows]

    def page(self, offset: int, limit: int) -> list[tuple[int, float]]:
        """Hits ``offset`` to ``offset + limit`` (keys and scores) in ranked order."""
        if self.few:
            return self._ranked_few()[offset : offset + limit]
        if self.single:
            return self._ranked(None)[offset : offset + limit] if self.total > offset else []
        hits: list[tuple[int, float]] = []
        seen = 0
        tier = 0
        while len(hits) < limit and seen < self.total and self._bounds(tier)[1] > 0:
            size = self._count(tier)
            if size and seen + size > offset:
                ranked = self._ranked(tier)
                start = max(0, offset - seen)
                hits += ranked[start : start + limit - len(hits)]
            seen += size
            tier += 1
        return hits


def _has(sorted_keys: list[int], key: int) -> bool:
    i = bisect_left(sorted_keys, key)
    return i < len(sorted_keys) and sorted_keys[i] == key
