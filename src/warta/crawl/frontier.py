"""The crawl frontier: every URL the crawl knows, with its state, in one SQLite file.

Each URL moves ``queued → fetching → done | failed | skipped``. Every change is one short
transaction in WAL mode, so a crawl killed at any instant (``kill -9``, a power cut with the
output file's fsync behind it) resumes where it stopped:

* a URL left ``fetching`` by a dead run is queued again once (``interrupts``); a second
  interruption marks it failed (``interrupted``), so one poisonous page cannot loop forever;
* the output file is reconciled first (:meth:`Frontier.reconcile_output`): records written
  after the last offset the frontier knows are marked done, so nothing is written twice,
  and a torn last line is cut off.

Hosts (origins, ``scheme://host:port``) carry the cached robots.txt and the earliest time
the next request may go out. A *run* lasts from a fresh start until the queue is empty;
an invocation that stops early (killed, ``--max-pages``) is resumed by the next one.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import IO, Any

from warta.core.errors import WartaError
from warta.crawl.urls import normalize_url, origin_of

__all__ = [
    "DISCOVERY_KINDS",
    "KINDS",
    "Frontier",
    "FrontierBusy",
    "HostInfo",
    "NewUrl",
    "QueuedUrl",
    "http_date_to_iso",
    "iso_to_http_date",
]

KINDS = ("page", "auto", "feed", "sitemap", "site")
"""``page``: an article page; ``auto``: a seed whose kind the answer decides (page, feed or
sitemap); ``feed``/``sitemap``: discovery documents; ``site``: sitemaps from robots.txt."""
DISCOVERY_KINDS = frozenset({"feed", "sitemap", "site"})

_SCHEMA_VERSION = "1"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at REAL NOT NULL,
    finished_at REAL
);
CREATE TABLE IF NOT EXISTS hosts (
    origin TEXT PRIMARY KEY,
    robots TEXT,
    robots_status INTEGER,
    robots_fetched_at REAL,
    next_at REAL NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS urls (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    origin TEXT NOT NULL,
    kind TEXT NOT NULL,
    prio INTEGER NOT NULL,
    depth INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'queued',
    outcome TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    interrupts INTEGER NOT NULL DEFAULT 0,
    not_before REAL NOT NULL DEFAULT 0,
    status INTEGER,
    etag TEXT,
    last_modified TEXT,
    final_url TEXT,
    run INTEGER,
    updated_at REAL
);
CREATE INDEX IF NOT EXISTS urls_by_host ON urls (origin, state, prio, depth, id);
CREATE INDEX IF NOT EXISTS urls_by_state ON urls (state, not_before);
CREATE TABLE IF NOT EXISTS outputs (path TEXT PRIMARY KEY, offset INTEGER NOT NULL);
"""


class FrontierBusy(WartaError):
    """Another crawl holds the frontier."""

    reason = "frontier_busy"


@dataclass(frozen=True, slots=True)
class NewUrl:
    """A URL to add: already normalised."""

    url: str
    kind: str = "page"
    depth: int = 0


@dataclass(frozen=True, slots=True)
class QueuedUrl:
    id: int
    url: str
    origin: str
    kind: str
    depth: int
    attempts: int
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True, slots=True)
class HostInfo:
    origin: str
    robots: str | None
    robots_status: int | None
    robots_fetched_at: float | None
    next_at: float


class Frontier:
    """The SQLite frontier; one process at a time (a lock file next to it says so)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = _acquire_lock(Path(f"{self.path}.lock"))
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode: a commit survives the process dying at any point; after a
            # power cut the output file (fsynced per record) repairs what the frontier lost.
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
            with self._tx():
                self._db.execute(
                    "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', ?)",
                    (_SCHEMA_VERSION,),
                )
        except BaseException:
            self._lock.close()
            raise
        self.run_id = 0

    def close(self) -> None:
        self._db.close()
        self._lock.close()

    def __enter__(self) -> Frontier:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # -- runs --------------------------------------------------------------------------

    def begin_run(self, *, recrawl: bool = False, retry_failed: bool = False) -> bool:
        """Resume the unfinished run or start a new one; True when resuming.

        A new run re-queues fetched pages when ``recrawl`` (their ETag and Last-Modified
        are kept for conditional requests) and failed URLs when ``retry_failed``.
        Call :meth:`reconcile_output` first, so recovered records are not fetched again.
        """
        now = time.time()
        with self._tx() as db:
            row = db.execute("SELECT id, finished_at FROM runs ORDER BY id DESC LIMIT 1").fetchone()
            resuming = row is not None and row[1] is None
            # Rows a dead process left mid-request: once more, then give up on them.
            db.execute(
                "UPDATE urls SET state = 'failed', outcome = 'interrupted', updated_at = ? "
                "WHERE state = 'fetching' AND interrupts >= 1",
                (now,),
            )
            db.execute(
                "UPDATE urls SET state = 'queued', interrupts = interrupts + 1, "
                "attempts = MAX(attempts - 1, 0), updated_at = ? WHERE state = 'fetching'",
                (now,),
            )
            if resuming:
                self.run_id = int(row[0])
                return True
            self.run_id = int(
                db.execute("INSERT INTO runs (started_at) VALUES (?)", (now,)).lastrowid or 0
            )
            reset = (
                "UPDATE urls SET state = 'queued', outcome = NULL, attempts = 0, interrupts = 0, "
                "not_before = 0, updated_at = ? WHERE "
            )
            if recrawl:
                db.execute(reset + "state = 'done' AND outcome IN ('fetched', 'unchanged')", (now,))
            if retry_failed:
                db.execute(reset + "state = 'failed'", (now,))
        return False

    def finish_run(self) -> None:
        """Mark the run complete: the next invocation starts a new one."""
        with self._tx() as db:
            db.execute("UPDATE runs SET finished_at = ? WHERE id = ?", (time.time(), self.run_id))

    # -- adding ------------------------------------------------------------------------

    def add(self, urls: Iterable[NewUrl], *, refresh: bool = False) -> int:
        """Queue URLs not seen before; returns how many were new.

        ``refresh`` re-queues discovery documents (feeds, sitemaps) finished in an
        earlier run: they change over time, pages do not.
        """
        with self._tx() as db:
            return self._add(db, urls, refresh=refresh)

    def _add(self, db: sqlite3.Connection, urls: Iterable[NewUrl], *, refresh: bool) -> int:
        now = time.time()
        added = 0
        for item in urls:
            origin = origin_of(item.url)
            prio = 0 if item.kind in DISCOVERY_KINDS else 1
            cur = db.execute(
                "INSERT OR IGNORE INTO urls (url, origin, kind, prio, depth, run, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (item.url, origin, item.kind, prio, item.depth, self.run_id, now),
            )
            if cur.rowcount:
                added += 1
                db.execute("INSERT OR IGNORE INTO hosts (origin) VALUES (?)", (origin,))
            elif refresh:
                # Only discovery documents change: a page stays done until --recrawl.
                db.execute(
                    "UPDATE urls SET state = 'queued', outcome = NULL, attempts = 0, "
                    "interrupts = 0, not_before = 0, run = ?, updated_at = ? "
                    "WHERE url = ? AND state IN ('done', 'failed') AND run < ? "
                    "AND kind IN ('feed', 'sitemap', 'site')",
                    (self.run_id, now, item.url, self.run_id),
                )
        return added

    # -- scheduling --------------------------------------------------------------------

    def next_ready(self, now: float) -> QueuedUrl | None:
        """The next queued URL whose host may be asked now (discovery first, then BFS)."""
        row = self._db.execute(
            "SELECT u.id, u.url, u.origin, u.kind, u.depth, u.attempts, u.etag, u.last_modified "
            "FROM hosts h JOIN urls u ON u.id = ("
            "  SELECT id FROM urls WHERE origin = h.origin AND state = 'queued' "
            "  AND not_before <= :now ORDER BY prio, depth, id LIMIT 1) "
            "WHERE h.next_at <= :now ORDER BY u.prio, h.next_at, u.depth, u.id LIMIT 1",
            {"now": now},
        ).fetchone()
        if row is None:
            return None
        return QueuedUrl(*row)

    def next_wake(self, now: float) -> float | None:
        """About when something queued may become ready; None when nothing is queued.

        An estimate for sleeping (callers sleep in short steps and ask again):
        the earliest host turn, or the earliest retry time when hosts are free.
        """
        row = self._db.execute(
            "SELECT MIN(h.next_at) FROM hosts h WHERE EXISTS ("
            "SELECT 1 FROM urls WHERE origin = h.origin AND state = 'queued')"
        ).fetchone()
        if row is None or row[0] is None:
            return None
        wake = float(row[0])
        if wake <= now:
            retry = self._db.execute(
                "SELECT MIN(not_before) FROM urls WHERE state = 'queued' AND not_before > ?",
                (now,),
            ).fetchone()
            if retry is not None and retry[0] is not None:
                wake = float(retry[0])
        return wake

    def claim(self, item: QueuedUrl) -> None:
        """``queued → fetching``, committed before the request goes out."""
        with self._tx() as db:
            db.execute(
                "UPDATE urls SET state = 'fetching', attempts = attempts + 1, run = ?, "
                "updated_at = ? WHERE id = ?",
                (self.run_id, time.time(), item.id),
            )

    def release(self, item: QueuedUrl) -> None:
        """Put back a claimed URL whose request was abandoned (Ctrl-C), uncounted."""
        with self._tx() as db:
            db.execute(
                "UPDATE urls SET state = 'queued', attempts = MAX(attempts - 1, 0), "
                "updated_at = ? WHERE id = ? AND state = 'fetching'",
                (time.time(), item.id),
            )

    def finish(
        self,
        item: QueuedUrl,
        state: str,
        outcome: str,
        *,
        status: int | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        final_url: str | None = None,
        aliases: Iterable[str] = (),
        discovered: Iterable[NewUrl] = (),
        refresh: bool = False,
        output: tuple[str, int] | None = None,
        kind: str | None = None,
    ) -> None:
        """End a URL's fetch in one transaction with everything it found.

        ``aliases`` are other spellings the answer proved equal (a redirect's target):
        they are recorded as done so they are not fetched again. ``output`` is the output
        file and its size after this URL's record was written and fsynced. ``kind`` settles
        what an ``auto`` seed turned out to be.
        """
        if state not in ("done", "failed", "skipped"):
            raise ValueError(f"not a final state: {state}")
        now = time.time()
        with self._tx() as db:
            db.execute(
                "UPDATE urls SET state = ?, outcome = ?, status = COALESCE(?, status), "
                "etag = CASE WHEN ? = 'done' THEN COALESCE(?, etag) ELSE etag END, "
                "last_modified = CASE WHEN ? = 'done' THEN COALESCE(?, last_modified) "
                "ELSE last_modified END, "
                "final_url = COALESCE(?, final_url), kind = COALESCE(?, kind), run = ?, "
                "updated_at = ? WHERE id = ?",
                (
                    state,
                    outcome,
                    status,
                    state,
                    etag,
                    state,
                    last_modified,
                    final_url,
                    kind,
                    self.run_id,
                    now,
                    item.id,
                ),
            )
            for alias in aliases:
                self._mark_alias(db, alias, now)
            self._add(db, discovered, refresh=refresh)
            if output is not None:
                db.execute("INSERT OR REPLACE INTO outputs (path, offset) VALUES (?, ?)", output)

    def _mark_alias(self, db: sqlite3.Connection, url: str, now: float) -> None:
        origin = origin_of(url)
        db.execute("INSERT OR IGNORE INTO hosts (origin) VALUES (?)", (origin,))
        db.execute(
            "INSERT INTO urls (url, origin, kind, prio, state, outcome, run, updated_at) "
            "VALUES (?, ?, 'page', 1, 'done', 'alias', ?, ?) ON CONFLICT (url) DO UPDATE SET "
            "state = 'done', outcome = 'alias', run = excluded.run, "
            "updated_at = excluded.updated_at WHERE state = 'queued'",
            (url, origin, self.run_id, now),
        )

    def requeue(self, item: QueuedUrl, *, not_before: float, reason: str) -> None:
        """A transient failure with attempts left: try again after ``not_before``."""
        with self._tx() as db:
            db.execute(
                "UPDATE urls SET state = 'queued', outcome = ?, not_before = ?, updated_at = ? "
                "WHERE id = ?",
                (reason, not_before, time.time(), item.id),
            )

    def is_done(self, url: str) -> bool:
        row = self._db.execute("SELECT state FROM urls WHERE url = ?", (url,)).fetchone()
        return row is not None and row[0] == "done"

    # -- hosts -------------------------------------------------------------------------

    def host(self, origin: str) -> HostInfo:
        row = self._db.execute(
            "SELECT origin, robots, robots_status, robots_fetched_at, next_at FROM hosts "
            "WHERE origin = ?",
            (origin,),
        ).fetchone()
        if row is None:
            return HostInfo(origin, None, None, None, 0.0)
        return HostInfo(row[0], row[1], row[2], row[3], float(row[4]))

    def set_robots(self, origin: str, text: str | None, status: int) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT INTO hosts (origin, robots, robots_status, robots_fetched_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (origin) DO UPDATE SET robots = excluded.robots, "
                "robots_status = excluded.robots_status, "
                "robots_fetched_at = excluded.robots_fetched_at",
                (origin, text, status, time.time()),
            )

    def set_next_at(self, origin: str, when: float) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT INTO hosts (origin, next_at) VALUES (?, ?) "
                "ON CONFLICT (origin) DO UPDATE SET next_at = excluded.next_at",
                (origin, when),
            )

    # -- output reconciliation ---------------------------------------------------------

    def reconcile_output(
        self,
        path: str | os.PathLike[str],
        *,
        discover: Callable[[dict[str, Any], int], Iterable[NewUrl]] | None = None,
    ) -> int:
        """Make the frontier agree with the output file; returns records recovered.

        Records past the offset the frontier last committed were written by a run that
        died before marking them: their URLs (and redirect targets) are marked done, and
        ``discover(record, depth)`` adds what marking them would have added (their links).
        A last line without its newline was torn by the kill and is cut off. The file is
        streamed: an output of any size can be reconciled against a fresh frontier.
        """
        key = str(Path(path).resolve())
        row = self._db.execute("SELECT offset FROM outputs WHERE path = ?", (key,)).fetchone()
        offset = int(row[0]) if row else 0
        try:
            handle = open(path, "r+b")
        except FileNotFoundError:
            return 0
        recovered = 0
        with handle:
            size = os.fstat(handle.fileno()).st_size
            if size < offset:  # replaced or truncated by hand: trust only what is there
                offset = 0
            end = offset
            now = time.time()
            with self._tx() as db:
                for record, length in _records_after(handle, offset):
                    end += length
                    url = record.get("url")
                    if not isinstance(url, str):
                        continue
                    recovered += 1
                    depth_row = db.execute(
                        "SELECT depth FROM urls WHERE url = ?", (url,)
                    ).fetchone()
                    _mark_recovered(db, url, record, self.run_id, now)
                    final = record.get("final_url")
                    alias = normalize_url(final) if isinstance(final, str) else None
                    if alias is not None and alias != url:
                        self._mark_alias(db, alias, now)
                    if discover is not None:
                        depth = int(depth_row[0]) if depth_row else 0
                        self._add(db, discover(record, depth), refresh=False)
                db.execute(
                    "INSERT OR REPLACE INTO outputs (path, offset) VALUES (?, ?)", (key, end)
                )
            if end < size:
                handle.truncate(end)
                handle.flush()
                os.fsync(handle.fileno())
        return recovered

    # -- reporting ---------------------------------------------------------------------

    def attempted(self) -> int:
        """Pages requested in the current run so far, by every process that ran it (an
        interrupted run that is resumed goes on counting): what ``--max-pages`` limits."""
        row = self._db.execute(
            "SELECT COUNT(*) FROM urls WHERE run = ? AND attempts > 0 AND kind IN ('page', 'auto')",
            (self.run_id,),
        ).fetchone()
        return int(row[0]) if row else 0

    def counts(self) -> dict[str, int]:
        """URLs per state."""
        rows = self._db.execute("SELECT state, COUNT(*) FROM urls GROUP BY state").fetchall()
        return {str(state): int(n) for state, n in rows}

    def rows(self) -> list[dict[str, Any]]:
        """Every URL row (for tests and inspection)."""
        cur = self._db.execute("SELECT * FROM urls ORDER BY id")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]


def _records_after(handle: IO[bytes], offset: int) -> Iterator[tuple[dict[str, Any], int]]:
    """Complete JSON lines from ``offset``: (record, length in bytes); stops at a torn one."""
    handle.seek(offset)
    while True:
        line = handle.readline()
        if not line or not line.endswith(b"\n"):
            return
        try:
            record = json.loads(line)
        except (ValueError, UnicodeDecodeError):
            return  # cannot happen short of disk damage; keep everything before it
        yield (record if isinstance(record, dict) else {}), len(line)


def _mark_recovered(
    db: sqlite3.Connection, url: str, record: dict[str, Any], run: int, now: float
) -> None:
    def text(key: str) -> str | None:
        value = record.get(key)
        return value if isinstance(value, str) else None

    status = record.get("status")
    origin = origin_of(url)
    db.execute("INSERT OR IGNORE INTO hosts (origin) VALUES (?)", (origin,))
    db.execute(
        "INSERT INTO urls (url, origin, kind, prio, state, outcome, status, etag, "
        "last_modified, final_url, run, updated_at) "
        "VALUES (?, ?, 'page', 1, 'done', 'fetched', ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (url) DO UPDATE SET state = 'done', outcome = 'fetched', "
        "status = excluded.status, etag = excluded.etag, "
        "last_modified = excluded.last_modified, final_url = excluded.final_url, "
        "run = excluded.run, updated_at = excluded.updated_at",
        (
            url,
            origin,
            status if isinstance(status, int) else None,
            text("etag"),
            iso_to_http_date(text("last_modified")),
            text("final_url"),
            run,
            now,
        ),
    )


def http_date_to_iso(value: str | None) -> str | None:
    """``Wed, 21 Oct 2015 07:28:00 GMT`` → ``2015-10-21T07:28:00+00:00``; None if unparsable."""
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat()


def iso_to_http_date(value: str | None) -> str | None:
    """The inverse of :func:`http_date_to_iso`, for If-Modified-Since."""
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return format_datetime(when.astimezone(UTC), usegmt=True)


class _Lock:
    def __init__(self, handle: IO[str] | None) -> None:
        self._handle = handle

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()  # closing drops the flock
            self._handle = None


def _acquire_lock(path: Path) -> _Lock:
    """An exclusive advisory lock; the kernel drops it when the process dies."""
    if sys.platform == "win32":  # pragma: no cover - no flock; one crawl at a time by trust
        return _Lock(None)
    import fcntl

    handle = open(path, "a", encoding="utf-8")
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        handle.close()
        raise FrontierBusy("another crawl is using this frontier", source=str(path)) from exc
    return _Lock(handle)
