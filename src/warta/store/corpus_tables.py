"""The corpus layer's tables (duplicates, stories, terms), in SQL shared by both backends.

Written beside the article tables by the corpus passes (:mod:`warta.corpus`) after ingest; read
by search filters, the REST API and the CLI. Every lookup the incremental passes make is an
index lookup (band keys, terms, a story's members), so placing one new article costs about the
same in a store of a thousand articles as in one of a million.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from warta.core.errors import StoreError
from warta.store.band_filter import BandFilter, build_filter_from, positions
from warta.store.db import Db
from warta.store.migrations import BAND_GEN_ARTICLES, TERM_PERIOD_DAYS
from warta.store.rows import key, utc


@dataclass(frozen=True, slots=True)
class StoredDoc:
    """What the corpus layer keeps of one article."""

    seq: int
    article_id: str
    outlet: str | None
    title: str | None
    published: datetime | None
    stored_at: datetime | None
    shingles: int
    signature: bytes
    dup_group: int | None
    story: str | None
    fingerprint: str

    @property
    def when(self) -> datetime | None:
        """The time the article counts at: its publish time, else when it was stored."""
        return self.published or self.stored_at


@dataclass(frozen=True, slots=True)
class NewDoc:
    """The corpus rows of one article about to be written (:meth:`CorpusTables.put_docs`)."""

    seq: int
    fingerprint: str
    shingles: int
    signature: bytes
    bands: Sequence[tuple[int, int]]
    terms: dict[str, float]
    #: the article's time (published, else stored) when the writer knows it; else read back
    at: datetime | None = None


@dataclass(frozen=True, slots=True)
class StoryRow:
    id: str
    title: str | None
    first_at: datetime | None
    last_at: datetime | None
    articles: int
    forward: str | None


_DOC_SELECT = (
    "SELECT d.article, a.id, o.name, a.title, a.published, a.stored_at, d.shingles, d.signature, "
    "d.dup_group, d.story, a.fingerprint FROM corpus_docs d JOIN articles a ON a.seq = d.article "
    "LEFT JOIN outlets o ON o.id = a.outlet_id"
)


#: how far below the highest placed seq the incremental pass still looks for unplaced articles
#: (a writer that took a seq before another but committed after it)
LOOKBACK = 1000


def _in_chunks(db: Db, sql: str, keys: Iterable[Any]) -> Iterator[tuple[Any, ...]]:
    """Rows of ``sql`` (holding one ``IN ({marks})``) for every key, 500 keys a query: both
    dialects cap the number of parameters of one statement."""
    wanted = sorted(set(keys))
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        yield from db.all(sql.format(marks=", ".join("?" * len(chunk))), chunk)


def _terms_json(terms: dict[str, float]) -> str:
    return json.dumps(terms, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def term_period(at: datetime) -> int:
    """The period of a term row's time (``corpus_terms.period``): UTC days since 0001-01-01
    over :data:`~warta.store.migrations.TERM_PERIOD_DAYS`, as migration 17 computes it."""
    return (utc(at).date().toordinal() - 1) // TERM_PERIOD_DAYS


#: built band filters by their stamp (a stamp names one build, in any store): read once per
#: process, not once per placement; each kept at the size the memory budget allows
_FILTERS: dict[str, BandFilter] = {}
_FILTERS_KEPT = 1024

#: memory the closed generations' filters may take in a process (MiB), read from this variable
#: (default 8). A filter takes 1 MiB an 8,192 articles at full size, so without a bound they
#: would grow with the store (12 MiB at 100,000 articles, 120 at a million); past the budget
#: each is folded to a smaller power of two, which answers "may hold" more often (more index
#: lookups a placement: 0.3 % of keys at half size, 8 % at a quarter) and never misses a key.
FILTER_BUDGET_ENV = "WARTA_CORPUS_FILTER_MIB"
FILTER_BUDGET_MIB = 8.0
#: no filter is folded below this (bytes)
_FILTER_FLOOR = 1024


def filter_share(closed: int, budget_mib: float | None = None) -> int:
    """Bytes each of ``closed`` generations' filters may take: the largest power of two that
    keeps them all within the budget (at least :data:`_FILTER_FLOOR`)."""
    if budget_mib is None:
        budget_mib = _env_mib(FILTER_BUDGET_ENV, FILTER_BUDGET_MIB)
    each = int(budget_mib * (1 << 20)) // max(closed, 1)
    return max(_FILTER_FLOOR, 1 << max(each, 1).bit_length() - 1)


def _env_mib(name: str, default: float) -> float:
    """A size in MiB from the environment (``default`` when unset); a value that is not a
    positive number is refused, naming the variable."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise StoreError(f"{name}={raw!r}: expected a positive number of MiB")
    return value


#: band rows read at once to build a closed generation's filter
_BAND_CHUNK = 32_768


def _chunked(keys: list[Any], size: int = 500) -> Iterator[list[Any]]:
    for i in range(0, len(keys), size):
        yield keys[i : i + size]


class CorpusTables:
    """Reads and writes of the corpus tables over one open :class:`Db`."""

    def __init__(self, db: Db) -> None:
        self.db = db

    # -- what is still to place -----------------------------------------------------------
    def unplaced(
        self, limit: int = 500, *, after: int = 0, full: bool = False
    ) -> list[tuple[int, str]]:
        """(seq, id) of stored articles not placed yet, or changed since they were placed,
        in the order they were stored, from seq ``after`` on.

        Without ``full`` this never reads every article: the new ones are looked for among
        the seqs above the highest placed one (less :data:`LOOKBACK`, for writers that
        committed out of order), the changed ones among the revised articles (an index of
        their own). ``full`` compares every article (``warta group`` does, to repair)."""
        if full:
            rows = self.db.all(
                "SELECT a.seq, a.id FROM articles a LEFT JOIN corpus_docs d ON d.article = a.seq "
                "WHERE a.seq > ? AND (d.article IS NULL OR d.fingerprint <> a.fingerprint) "
                "ORDER BY a.seq LIMIT ?",
                (after, limit),
            )
            return [(int(s), str(i)) for s, i in rows]
        top = int(self.db.scalar("SELECT max(article) FROM corpus_docs") or 0)
        fresh = self.db.all(
            "SELECT a.seq, a.id FROM articles a LEFT JOIN corpus_docs d ON d.article = a.seq "
            "WHERE a.seq > ? AND (d.article IS NULL OR d.fingerprint <> a.fingerprint) "
            "ORDER BY a.seq LIMIT ?",
            (max(after, top - LOOKBACK), limit),
        )
        changed = self.db.all(
            "SELECT a.seq, a.id FROM articles a JOIN corpus_docs d ON d.article = a.seq "
            "WHERE a.revision > 1 AND a.seq > ? AND d.fingerprint <> a.fingerprint "
            "ORDER BY a.seq LIMIT ?",
            (after, limit),
        )
        both = sorted({(int(s), str(i)) for s, i in [*fresh, *changed]})
        return both[:limit]

    def story_count(self) -> int:
        return int(self.db.scalar("SELECT count(*) FROM stories WHERE forward IS NULL") or 0)

    def doc_count(self) -> int:
        return int(self.db.scalar("SELECT articles FROM corpus_counts WHERE term = ''") or 0)

    def _count(self, terms: Sequence[str], step: int) -> None:
        """Add ``step`` to the article count of each term (and of '' — all articles)."""
        self.db.executemany(
            "INSERT INTO corpus_counts (term, articles) VALUES (?, ?) "
            "ON CONFLICT (term) DO UPDATE SET articles = corpus_counts.articles + excluded.articles",
            [(t, step) for t in ["", *sorted(set(terms))]],
        )

    # -- documents -------------------------------------------------------------------------
    def _doc(self, row: tuple[Any, ...]) -> StoredDoc:
        return StoredDoc(
            seq=int(row[0]),
            article_id=str(row[1]),
            outlet=row[2],
            title=row[3],
            published=self.db.time_out(row[4]),
            stored_at=self.db.time_out(row[5]),
            shingles=int(row[6]),
            signature=bytes(row[7]),
            dup_group=None if row[8] is None else int(row[8]),
            story=row[9],
            fingerprint=str(row[10]),
        )

    def docs(self, seqs: Iterable[int]) -> list[StoredDoc]:
        rows = _in_chunks(self.db, _DOC_SELECT + " WHERE d.article IN ({marks})", seqs)
        out = [self._doc(r) for r in rows]
        return sorted(out, key=lambda d: d.seq)

    def doc_by_id(self, article_id: str) -> StoredDoc | None:
        row = self.db.one(f"{_DOC_SELECT} WHERE a.id = ?", (article_id,))
        return None if row is None else self._doc(row)

    def forget(self, seq: int) -> None:
        """Take an article out of every corpus table (before it is placed again)."""
        if self.db.one("SELECT 1 FROM corpus_docs WHERE article = ?", (seq,)) is not None:
            terms = [
                str(r[0])
                for r in self.db.all("SELECT term FROM corpus_terms WHERE article = ?", (seq,))
            ]
            self._count(terms, -1)
        self.db.execute("DELETE FROM corpus_bands WHERE article = ?", (seq,))
        self.db.execute("DELETE FROM corpus_terms WHERE article = ?", (seq,))
        self.db.execute("DELETE FROM corpus_docs WHERE article = ?", (seq,))

    def put_doc(
        self,
        seq: int,
        *,
        fingerprint: str,
        shingles: int,
        signature: bytes,
        bands: Sequence[tuple[int, int]],
        terms: dict[str, float],
    ) -> None:
        self.put_docs([NewDoc(seq, fingerprint, shingles, signature, bands, terms)])

    def put_docs(self, docs: Sequence[NewDoc]) -> None:
        """Write the corpus rows of several articles at once (same rows as one ``put_doc``
        each; the kept term counts are added once per term)."""
        # the term vector also beside the doc (one row to read when it is a candidate); JSON
        # writes each float's shortest exact form, so it reads back bit for bit
        self.db.executemany(
            "INSERT INTO corpus_docs (article, fingerprint, shingles, signature, evidence, terms) "
            "VALUES (?, ?, ?, ?, '[]', ?)",
            [(d.seq, d.fingerprint, d.shingles, d.signature, _terms_json(d.terms)) for d in docs],
        )
        # the newest generation (a revised old article's rows too), never one whose filter
        # is built (one that was is dropped: built again when asked); rows in key order
        current = self._band_generation()
        rows = sorted(
            (max(d.seq // BAND_GEN_ARTICLES, current), b, k, d.seq)
            for d in docs
            for b, k in d.bands
        )
        for gen in sorted({r[0] for r in rows}):
            self.db.execute("DELETE FROM corpus_band_filters WHERE gen = ?", (gen,))
        self.db.executemany(
            "INSERT INTO corpus_bands (gen, band, band_key, article) VALUES (?, ?, ?, ?)", rows
        )
        times: dict[int, datetime | None] = {d.seq: d.at for d in docs if d.at is not None}
        sql = "SELECT seq, COALESCE(published, stored_at) FROM articles WHERE seq IN ({marks})"
        for seq, when in _in_chunks(self.db, sql, [d.seq for d in docs if d.at is None]):
            times[int(seq)] = self.db.time_out(when)
        # rows in key order: a period's rows lie together, so the newest articles' rows go
        # into the newest period's pages
        self.db.executemany(
            "INSERT INTO corpus_terms (period, term, at, article, weight) VALUES (?, ?, ?, ?, ?)",
            sorted(
                (term_period(at), t, self.db.time_in(at), d.seq, w)
                for d in docs
                if (at := times.get(d.seq)) is not None
                for t, w in d.terms.items()
            ),
        )
        counts: dict[str, int] = {}
        for d in docs:
            for t in d.terms:
                counts[t] = counts.get(t, 0) + 1
        self._add_counts(counts, len(docs))

    def _add_counts(self, counts: dict[str, int], docs: int) -> None:
        """Add to the kept article count of each term (and of '' — all articles)."""
        self.db.executemany(
            "INSERT INTO corpus_counts (term, articles) VALUES (?, ?) "
            "ON CONFLICT (term) DO UPDATE SET articles = corpus_counts.articles + excluded.articles",
            [("", docs), *sorted(counts.items())],
        )

    # -- duplicates ------------------------------------------------------------------------
    def band_matches(
        self, bands: Sequence[tuple[int, int]], exclude: int, limit: int = 200
    ) -> list[int]:
        """Articles sharing at least one band key, most shared bands first. The newest
        generation of band rows is looked up for every key; an older one only for the keys
        its filter says it may hold (a filter never misses a key it holds)."""
        if not bands:
            return []
        current = self._band_generation()
        wanted: list[tuple[int, int, int]] = [(current, b, k) for b, k in bands]
        filters = self.band_filters(current)
        by_size: dict[int, Any] = {}
        for gen, found in sorted(filters.items()):
            pos = by_size.get(found.size)
            if pos is None:
                pos = by_size[found.size] = positions(bands, found.size)
            for (b, k), held in zip(bands, found.may_hold(pos), strict=True):
                if held:
                    wanted.append((gen, b, k))
        where = " OR ".join("(gen = ? AND band = ? AND band_key = ?)" for _ in wanted)
        params: list[Any] = [v for key in wanted for v in key]
        rows = self.db.all(
            f"SELECT article, count(*) AS n FROM corpus_bands WHERE ({where}) AND article <> ? "
            "GROUP BY article ORDER BY n DESC, article LIMIT ?",
            [*params, exclude, limit],
        )
        return [int(r[0]) for r in rows]

    def _band_generation(self) -> int:
        """The newest generation of band rows (0 in an empty store)."""
        return int(self.db.scalar("SELECT max(gen) FROM corpus_bands") or 0)

    def band_filters(self, current: int | None = None) -> dict[int, BandFilter]:
        """The filter of every generation older than ``current`` (default: the newest), built
        and stored first for any that has none yet (once per generation: it reads that
        generation's rows, in key order)."""
        current = self._band_generation() if current is None else current
        stamps = {
            int(g): str(s) for g, s in self.db.all("SELECT gen, stamp FROM corpus_band_filters")
        }
        for gen in range(current):
            if gen in stamps:
                continue
            count = self.db.scalar("SELECT count(*) FROM corpus_bands WHERE gen = ?", (gen,))
            bits = build_filter_from(int(count or 0), self._band_rows(gen))
            stamp = uuid.uuid4().hex
            self.db.execute(
                "INSERT INTO corpus_band_filters (gen, stamp, bits) VALUES (?, ?, ?)",
                (gen, stamp, bits),
            )
            stamps[gen] = stamp
            _FILTERS[stamp] = BandFilter(bits)
        out: dict[int, BandFilter] = {}
        share = filter_share(sum(1 for gen in stamps if gen < current))
        for gen, stamp in stamps.items():
            if gen >= current:
                continue
            found = _FILTERS.get(stamp)
            if found is None:
                data = self.db.scalar("SELECT bits FROM corpus_band_filters WHERE gen = ?", (gen,))
                if len(_FILTERS) >= _FILTERS_KEPT:
                    _FILTERS.clear()
                found = BandFilter(bytes(data))
            if len(found.bits) > share:
                found = found.folded(share)
            out[gen] = _FILTERS[stamp] = found
        return out

    def _band_rows(self, gen: int) -> Iterator[tuple[list[int], list[int]]]:
        """A generation's (bands, keys) in chunks of ``_BAND_CHUNK`` rows, in key order."""
        after: tuple[Any, ...] | None = None
        while True:
            if after is None:
                rows = self.db.all(
                    "SELECT band, band_key, article FROM corpus_bands WHERE gen = ? "
                    "ORDER BY band, band_key, article LIMIT ?",
                    (gen, _BAND_CHUNK),
                )
            else:
                rows = self.db.all(
                    "SELECT band, band_key, article FROM corpus_bands WHERE gen = ? "
                    "AND (band, band_key, article) > (?, ?, ?) "
                    "ORDER BY band, band_key, article LIMIT ?",
                    (gen, *after, _BAND_CHUNK),
                )
            if not rows:
                return
            yield [int(r[0]) for r in rows], [int(r[1]) for r in rows]
            after = tuple(rows[-1])

    def same_fingerprint(self, fingerprint: str, exclude: int) -> list[int]:
        rows = self.db.all(
            "SELECT article FROM corpus_docs WHERE fingerprint = ? AND article <> ? ORDER BY article",
            (fingerprint, exclude),
        )
        return [int(r[0]) for r in rows]

    def group_members(self, group: int) -> list[int]:
        rows = self.db.all(
            "SELECT article FROM corpus_docs WHERE dup_group = ? ORDER BY article", (group,)
        )
        return [int(r[0]) for r in rows]

    def set_group(
        self,
        seq: int,
        group: int | None,
        carried: float | None,
        added: float | None,
        evidence: list[str],
    ) -> None:
        self.db.execute(
            "UPDATE corpus_docs SET dup_group = ?, carried = ?, added = ?, evidence = ? WHERE article = ?",
            (group, carried, added, json.dumps(evidence, ensure_ascii=False), seq),
        )

    def save_group(self, group: int, original: int, size: int) -> None:
        self.db.execute("DELETE FROM dup_groups WHERE id = ?", (group,))
        self.db.execute(
            "INSERT INTO dup_groups (id, original, size) VALUES (?, ?, ?)", (group, original, size)
        )

    def group_row(self, group: int) -> tuple[int, int] | None:
        """(original seq, size) of a duplicate group."""
        row = self.db.one("SELECT original, size FROM dup_groups WHERE id = ?", (group,))
        return None if row is None else (int(row[0]), int(row[1]))

    def drop_group(self, group: int) -> None:
        self.db.execute("DELETE FROM dup_groups WHERE id = ?", (group,))

    def duplicate_rows(self, article_id: str) -> list[dict[str, Any]]:
        """Every member of the article's duplicate group with what it carries and adds."""
        row = self.db.one(
            "SELECT d.dup_group FROM corpus_docs d JOIN articles a ON a.seq = d.article WHERE a.id = ?",
            (article_id,),
        )
        if row is None or row[0] is None:
            return []
        return self._group_rows(int(row[0]))

    def _group_rows(self, group: int) -> list[dict[str, Any]]:
        original = self.db.scalar("SELECT original FROM dup_groups WHERE id = ?", (group,))
        rows = self.db.all(
            "SELECT d.article, a.id, o.name, a.title, a.published, d.carried, d.added, d.evidence "
            "FROM corpus_docs d JOIN articles a ON a.seq = d.article LEFT JOIN outlets o ON o.id = a.outlet_id "
            "WHERE d.dup_group = ? ORDER BY d.article",
            (group,),
        )
        return [
            {
                "article_id": r[1],
                "outlet": r[2],
                "title": r[3],
                "published": self.db.time_out(r[4]),
                "original": int(r[0]) == original,
                "carried": r[5],
                "added": r[6],
                "evidence": json.loads(r[7] or "[]"),
            }
            for r in rows
        ]

    def groups(self, limit: int = 50) -> list[dict[str, Any]]:
        """The largest duplicate groups first, each with its members."""
        ids = self.db.all("SELECT id FROM dup_groups ORDER BY size DESC, id LIMIT ?", (limit,))
        return [{"group": int(i[0]), "members": self._group_rows(int(i[0]))} for i in ids]

    # -- terms and stories -----------------------------------------------------------------
    def term_frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        """Articles per term (0 for a term never seen), from the kept counts."""
        wanted = set(terms)
        out = dict.fromkeys(sorted(wanted), 0)
        sql = "SELECT term, articles FROM corpus_counts WHERE term IN ({marks})"
        for term, n in _in_chunks(self.db, sql, wanted):
            out[str(term)] = int(n)
        return out

    def terms_of(self, seqs: Iterable[int]) -> dict[int, dict[str, float]]:
        """Each article's story terms: one ``corpus_docs`` row each (its ``terms``); rows placed
        before that column existed are read from ``corpus_terms``, a row per term."""
        wanted = set(seqs)
        out: dict[int, dict[str, float]] = {s: {} for s in sorted(wanted)}
        older: list[int] = []
        sql = "SELECT article, terms FROM corpus_docs WHERE article IN ({marks})"
        for seq, terms in _in_chunks(self.db, sql, wanted):
            if terms is None:
                older.append(int(seq))
            else:
                out[int(seq)] = {str(t): float(w) for t, w in json.loads(terms).items()}
        sql = "SELECT article, term, weight FROM corpus_terms WHERE article IN ({marks})"
        for seq, term, weight in _in_chunks(self.db, sql, older):
            out[int(seq)][str(term)] = float(weight)
        return out

    def sharing_terms(
        self,
        terms: Sequence[str],
        exclude: int,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 150,
    ) -> list[int]:
        """Placed articles (with a story) sharing any of ``terms``, those sharing most first;
        with ``since``/``until``, only those whose time lies in that window (an index range per
        term, so the cost follows the window's volume, not the corpus's)."""
        if not terms:
            return []
        periods = self._periods(since, until)
        if not periods:
            return []
        sql = (
            "SELECT t.article FROM corpus_terms t JOIN corpus_docs d ON d.article = t.article "
            f"WHERE t.period IN ({', '.join('?' * len(periods))}) "
            f"AND t.term IN ({', '.join('?' * len(terms))}) AND t.article <> ? AND d.story IS NOT NULL"
        )
        params: list[Any] = [*periods, *terms, exclude]
        if since is not None:
            sql += " AND t.at >= ?"
            params.append(self.db.time_in(since))
        if until is not None:
            sql += " AND t.at <= ?"
            params.append(self.db.time_in(until))
        sql += " GROUP BY t.article ORDER BY count(*) DESC, t.article DESC LIMIT ?"
        return [int(r[0]) for r in self.db.all(sql, [*params, limit])]

    def _periods(self, since: datetime | None, until: datetime | None) -> list[int]:
        """The term periods a time window spans (an open end: the first or last period any
        term row has), so that a lookup by term names them (the table's key starts with the
        period); none when the store has no term rows."""
        low = term_period(since) if since is not None else None
        high = term_period(until) if until is not None else None
        if low is None or high is None:
            row = self.db.one("SELECT min(period), max(period) FROM corpus_terms")
            if row is None or row[0] is None:
                return []
            low = int(row[0]) if low is None else low
            high = int(row[1]) if high is None else high
        return list(range(low, high + 1))

    def set_story(self, seq: int, story: str) -> None:
        self.db.execute("UPDATE corpus_docs SET story = ? WHERE article = ?", (story, seq))

    def story(self, story_id: str) -> StoryRow | None:
        row = self.db.one(
            "SELECT id, title, first_at, last_at, articles, forward FROM stories WHERE id = ?",
            (story_id,),
        )
        if row is None:
            return None
        return StoryRow(
            row[0], row[1], self.db.time_out(row[2]), self.db.time_out(row[3]), int(row[4]), row[5]
        )

    def resolve_story(self, story_id: str) -> str | None:
        """The live story an id names, following merges (ids a user saw keep resolving)."""
        seen: set[str] = set()
        current: str | None = story_id
        while current is not None and current not in seen:
            seen.add(current)
            found = self.story(current)
            if found is None:
                return None
            if found.forward is None:
                return found.id
            current = found.forward
        return None

    def save_story(self, row: StoryRow) -> None:
        self.db.execute("DELETE FROM stories WHERE id = ?", (row.id,))
        self.db.execute(
            "INSERT INTO stories (id, title, first_at, last_at, articles, forward) VALUES (?, ?, ?, ?, ?, ?)",
            (
                row.id,
                row.title,
                self.db.time_in(row.first_at),
                self.db.time_in(row.last_at),
                row.articles,
                row.forward,
            ),
        )

    def story_members(self, story_id: str) -> list[int]:
        rows = self.db.all(
            "SELECT article FROM corpus_docs WHERE story = ? ORDER BY article", (story_id,)
        )
        return [int(r[0]) for r in rows]

    def latest_members(self, story_id: str, n: int) -> list[int]:
        """The story's ``n`` latest-stored members (an index range, whatever its size)."""
        rows = self.db.all(
            "SELECT article FROM corpus_docs WHERE story = ? ORDER BY article DESC LIMIT ?",
            (story_id, n),
        )
        return sorted(int(r[0]) for r in rows)

    def set_stories(self, seqs: Iterable[int], story: str) -> None:
        """Move articles into a story (a split moves a part of one)."""
        for chunk in _chunked(sorted(set(seqs))):
            self.db.execute(
                f"UPDATE corpus_docs SET story = ? WHERE article IN ({', '.join('?' * len(chunk))})",
                [story, *chunk],
            )

    def move_story(self, old: str, new: str) -> None:
        self.db.execute("UPDATE corpus_docs SET story = ? WHERE story = ?", (new, old))

    def stories(self, limit: int = 50, offset: int = 0) -> list[StoryRow]:
        rows = self.db.all(
            "SELECT id, title, first_at, last_at, articles, forward FROM stories WHERE forward IS NULL "
            "ORDER BY articles DESC, last_at DESC, id LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [
            StoryRow(r[0], r[1], self.db.time_out(r[2]), self.db.time_out(r[3]), int(r[4]), r[5])
            for r in rows
        ]

    # -- trends ----------------------------------------------------------------------------
    def term_times(
        self, terms: Sequence[str], since: datetime | None, until: datetime | None
    ) -> list[tuple[str, datetime, int, int]]:
        """(term, time, article seq, unit) of every article carrying one of ``terms``: its
        publish time, else when it was stored; ``unit`` is its duplicate group (the same for
        every copy), else its own seq — what counting "once per report text" counts."""
        if not terms:
            return []
        # every period: the window is on the article's time, which a revision may have moved
        # away from the time its term rows were written with
        periods = self._periods(None, None)
        sql = (
            "SELECT t.term, COALESCE(a.published, a.stored_at), a.seq, COALESCE(d.dup_group, a.seq) "
            "FROM corpus_terms t JOIN articles a ON a.seq = t.article "
            f"JOIN corpus_docs d ON d.article = a.seq WHERE t.period IN ({', '.join('?' * len(periods))}) "
            f"AND t.term IN ({', '.join('?' * len(terms))})"
        )
        params: list[Any] = [*periods, *terms]
        sql, params = self._window(sql, params, since, until)
        sql += " ORDER BY t.term, t.at, t.article"
        out = []
        for term, when, seq, unit in self.db.all(sql, params):
            at = self.db.time_out(when)
            if at is not None:
                out.append((str(term), at, int(seq), int(unit)))
        return out

    def outlet_times(
        self, name: str, since: datetime | None, until: datetime | None
    ) -> list[tuple[datetime, int]]:
        """(time, unit) of every article of an outlet (by name, any case)."""
        sql = (
            "SELECT COALESCE(a.published, a.stored_at), a.seq, COALESCE(d.dup_group, a.seq) FROM articles a "
            "JOIN outlets o ON o.id = a.outlet_id LEFT JOIN corpus_docs d ON d.article = a.seq WHERE o.name_key = ?"
        )
        sql, params = self._window(sql, [key(name)], since, until)
        return self._times(sql, params)

    def speaker_times(
        self, name_or_id: str, since: datetime | None, until: datetime | None
    ) -> list[tuple[datetime, int]]:
        """(time, unit) of every article quoting a speaker (entity id or name, any case)."""
        sql = (
            "SELECT DISTINCT COALESCE(a.published, a.stored_at), a.seq, COALESCE(d.dup_group, a.seq) "
            "FROM quotes q JOIN articles a ON a.seq = q.article LEFT JOIN corpus_docs d ON d.article = a.seq "
            "WHERE (q.speaker_id = ? OR q.speaker_key = ?)"
        )
        sql, params = self._window(sql, [name_or_id, key(name_or_id)], since, until)
        return self._times(sql, params)

    def _times(self, sql: str, params: list[Any]) -> list[tuple[datetime, int]]:
        """(time, unit): see :meth:`term_times`."""
        out = []
        for when, _seq, unit in self.db.all(sql, params):
            at = self.db.time_out(when)
            if at is not None:
                out.append((at, int(unit)))
        return out

    def article_ids(self, seqs: Iterable[int]) -> dict[int, str]:
        sql = "SELECT seq, id FROM articles WHERE seq IN ({marks})"
        out = {int(seq): str(aid) for seq, aid in _in_chunks(self.db, sql, seqs)}
        return out

    def entity_label(self, entity_id: str) -> str | None:
        value = self.db.scalar("SELECT canonical FROM entities WHERE id = ?", (entity_id,))
        return None if value is None else str(value)

    def terms_in_window(self, since: datetime, until: datetime, min_articles: int) -> list[str]:
        sql = "SELECT t.term FROM corpus_terms t JOIN articles a ON a.seq = t.article WHERE 1 = 1"
        sql, params = self._window(sql, [], since, until)
        sql += " GROUP BY t.term HAVING count(*) >= ? ORDER BY t.term"
        return [str(r[0]) for r in self.db.all(sql, [*params, min_articles])]

    def _window(
        self, sql: str, params: list[Any], since: datetime | None, until: datetime | None
    ) -> tuple[str, list[Any]]:
        if since is not None:
            sql += " AND COALESCE(a.published, a.stored_at) >= ?"
            params.append(self.db.time_in(since))
        if until is not None:
            sql += " AND COALESCE(a.published, a.stored_at) < ?"
            params.append(self.db.time_in(until))
        return sql, params
