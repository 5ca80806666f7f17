"""The store over SQL, written once for SQLite and PostgreSQL: migrations on open, idempotent
puts, runs and failures. Search lives in :mod:`warta.store.search`, profiles and listings in
:mod:`warta.store.reads`; the dialects in :mod:`warta.store.sqlite` and :mod:`warta.store.postgres`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Literal

from warta.core.errors import SchemaTooNew, StoreError, StoreUnavailable
from warta.core.record import Article
from warta.store import names, reads
from warta.store.base import (
    EntityProfile,
    EventRequest,
    Failure,
    KnownPage,
    Outcome,
    PutResult,
    QuoteRequest,
    Run,
    SearchRequest,
    SearchResult,
    Store,
    as_request,
)
from warta.store.corpus_tables import CorpusTables
from warta.store.db import Db
from warta.store.migrations import (
    CORPUS,
    ENTITY_MONTHS,
    LATEST,
    MIGRATIONS,
    STORE_VERSION,
    TEMPLATES,
    WATCHES,
)
from warta.store.names import Resolved
from warta.store.rows import (
    CHILD_COLUMNS,
    ArticleRows,
    Ready,
    ensure_identity,
    key,
    prepare,
    unpack,
)
from warta.store.watch_tables import WatchTables

log = logging.getLogger(__name__)

_ARTICLE_COLUMNS = (
    "id, url, url_key, source, outlet_id, language, title, published, modified, fingerprint, "
    "published_local, published_precision, revision, run_id, stored_at, doc"
)
_CHILD_INSERTS = {
    table: f"INSERT INTO {table} (article, {', '.join(cols)}) VALUES ({', '.join('?' * (len(cols) + 1))})"
    for table, cols in CHILD_COLUMNS.items()
}
_CHILD_TABLES = (*CHILD_COLUMNS, "article_entities")


def _now() -> datetime:
    return datetime.now(UTC)


class SqlStore(Store):
    """A :class:`~warta.store.base.Store` over any :class:`~warta.store.db.Db`."""

    def __init__(
        self, db: Db, location: str, *, upgrade_to: int = LATEST, read_only: bool = False
    ) -> None:
        self.db = db
        self.location = location
        self.read_only = read_only
        try:
            self._version = self._migrate(upgrade_to)
        except BaseException:
            db.close()
            raise

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        self.db.close()

    def schema_version(self) -> int:
        return self._version

    def ping(self) -> bool:
        try:  # one query: an open store always has its migrations table
            level = self.db.scalar("SELECT coalesce(max(version), 0) FROM schema_migrations")
            return int(level) == self._version
        except Exception:  # noqa: BLE001 - a probe that fails in any way says the same
            return False

    def version(self) -> int | None:
        if self._version < STORE_VERSION:  # an older store opened read-only: no counter
            return None
        return int(self.db.scalar("SELECT version FROM store_version"))

    def in_transaction(self) -> bool:
        try:
            return self.db.in_transaction()
        except Exception:  # noqa: BLE001 - an unknown state must not be lent out again
            return True

    def _migrate(self, target: int) -> int:
        """Bring the store to ``target`` (the latest unless a test asks for an older level)."""
        stored = self._stored_version()
        if stored > LATEST:
            raise self._too_new(stored)
        if stored >= target:  # the usual open: no write lock taken
            return stored
        if self.read_only:
            raise StoreUnavailable(
                f"the store is at schema version {stored} and needs an upgrade to {target}, "
                "which opening it read-only cannot do: run 'warta ingest' on it once",
                source=self.location,
            )
        with self.db.transaction():
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                f"name TEXT NOT NULL, applied_at {self.db.types['time']} NOT NULL)"
            )
            current = self._stored_version()
            if current > LATEST:
                raise self._too_new(current)
            for migration in MIGRATIONS:
                if current < migration.version <= target:
                    log.info(
                        "%s: schema level %d: %s", self.location, migration.version, migration.name
                    )
                    for statement in migration.statements(self.db.types, self.db.fts_steps()):
                        self.db.execute(statement)
                    self.db.execute(
                        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                        (migration.version, migration.name, self.db.time_in(_now())),
                    )
                    current = migration.version
        return current

    def _too_new(self, version: int) -> SchemaTooNew:
        return SchemaTooNew(
            f"the store is at schema version {version}, this warta knows versions up to {LATEST}: "
            "open it with a newer warta",
            source=self.location,
        )

    def _stored_version(self) -> int:
        if not self.db.table_exists("schema_migrations"):
            return 0
        return int(self.db.scalar("SELECT coalesce(max(version), 0) FROM schema_migrations"))

    # -- writing ---------------------------------------------------------------------------
    def begin_run(self, sources: Sequence[str]) -> int:
        with self.db.transaction():
            row = self.db.one(
                "INSERT INTO runs (started_at, sources, counts) VALUES (?, ?, ?) RETURNING id",
                (self.db.time_in(_now()), json.dumps(list(sources), ensure_ascii=False), "{}"),
            )
        assert row is not None
        return int(row[0])

    def finish_run(self, run_id: int, counts: Mapping[str, int]) -> None:
        with self.db.transaction():
            found = self.db.one(
                "UPDATE runs SET finished_at = ?, counts = ? WHERE id = ? RETURNING id",
                (self.db.time_in(_now()), json.dumps(dict(counts), sort_keys=True), run_id),
            )
        if found is None:
            raise StoreError(f"no ingest run {run_id} in the store", source=self.location)

    def has_page(self, page_key: str) -> bool:
        return self.db.one("SELECT 1 FROM pages WHERE page_key = ?", (page_key,)) is not None

    def known_page(self, page_key: str) -> KnownPage | None:
        row = self.db.one("SELECT article_id FROM pages WHERE page_key = ?", (page_key,))
        if row is None:
            return None
        if row[0] is not None:
            return KnownPage(str(row[0]))
        failed = self.db.one(
            "SELECT reason, message FROM failures WHERE page_key = ? ORDER BY id DESC LIMIT 1",
            (page_key,),
        )
        reason, message = failed if failed is not None else ("failed", "failed in an earlier run")
        return KnownPage(None, str(reason), str(message))

    def record_failure(
        self,
        *,
        source: str,
        url: str | None,
        reason: str,
        message: str,
        run_id: int | None = None,
        page_key: str | None = None,
    ) -> None:
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO failures (source, url, reason, message, run_id, page_key, at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (source, url, reason, message, run_id, page_key, self.db.time_in(_now())),
            )
            if page_key:
                self._remember_page(page_key, None)

    def put(
        self, article: Article, *, run_id: int | None = None, page_key: str | None = None
    ) -> PutResult:
        return self.put_many([article], run_id=run_id, page_keys=[page_key])[0]

    def put_many(
        self,
        articles: Iterable[Article | Ready],
        *,
        run_id: int | None = None,
        page_keys: Sequence[str | None] | None = None,
    ) -> list[PutResult]:
        """One transaction for the whole batch: all of it is stored, or none of it, together
        with each article's page key (``page_keys[i]`` for ``articles[i]``, None for none).

        An article already stored with the same fingerprint is answered from one lookup: the
        expensive preparation (rows, packed record, index text) is done only for the others,
        and before the write lock is taken. A :class:`~warta.store.rows.Ready` article was
        prepared already (by an ingest worker): only its SQL runs here."""
        batch = list(articles)
        keys = list(page_keys) if page_keys is not None else [None] * len(batch)
        if len(keys) != len(batch):
            raise StoreError(
                f"put_many got {len(batch)} articles but {len(keys)} page keys",
                source=self.location,
            )
        for article in batch:
            if isinstance(article, Article):
                ensure_identity(article)
        known = [self._find(a) for a in batch]
        if not any(keys) and all(_unchanged(a, f) for a, f in zip(batch, known, strict=True)):
            return [PutResult(Outcome.UNCHANGED, str(f[1])) for f in known if f is not None]
        prepared: dict[int, Ready] = {}
        for article, found in zip(batch, known, strict=True):
            if not _unchanged(article, found) and id(article) not in prepared:
                prepared[id(article)] = _prepared(article)
        with self.db.transaction():
            return [
                self._put(a, prepared.get(id(a)), run_id, k)
                for a, k in zip(batch, keys, strict=True)
            ]

    def _find(self, a: Article | Ready) -> tuple[Any, ...] | None:
        """(seq, id, fingerprint) of the stored report this article is a version of, if any."""
        found = self.db.one("SELECT seq, id, fingerprint FROM articles WHERE id = ?", (a.id,))
        url_key = a.canonical_url or a.url
        if found is None and url_key:
            found = self.db.one(
                "SELECT seq, id, fingerprint FROM articles WHERE url_key = ?", (url_key,)
            )
        return found

    def _put(
        self, a: Article | Ready, p: Ready | None, run_id: int | None, page_key: str | None
    ) -> PutResult:
        url_key = a.canonical_url or a.url
        found = self._find(a)  # again, under the write lock: what decides
        if page_key:
            self._remember_page(page_key, found[1] if found else a.id)
        if _unchanged(a, found):
            assert found is not None
            return PutResult(Outcome.UNCHANGED, str(found[1]))
        if p is None:  # stored unchanged when looked at, changed since by another writer
            p = _prepared(a)
        now = self.db.time_in(_now())
        outlet_id = self._outlet(a.outlet)
        values = (
            a.url,
            url_key,
            a.source,
            outlet_id,
            a.language,
            a.title,
            self.db.time_in(a.published),
            self.db.time_in(a.modified),
            a.fingerprint,
            a.published_local,
            a.published_precision,
        )
        if found is None:
            row = self.db.one(
                f"INSERT INTO articles ({_ARTICLE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?) "
                "RETURNING seq",
                (a.id, *values, run_id, now, p.doc),
            )
            assert row is not None
            seq, outcome, article_id = int(row[0]), Outcome.NEW, a.id
        else:
            seq, outcome, article_id = int(found[0]), Outcome.UPDATED, str(found[1])
            self._retire(seq, now)
            self.db.execute(
                "UPDATE articles SET url = ?, url_key = ?, source = ?, outlet_id = ?, language = ?, title = ?, "
                "published = ?, modified = ?, fingerprint = ?, published_local = ?, published_precision = ?, "
                "revision = revision + 1, run_id = ?, "
                "stored_at = ?, doc = ? WHERE seq = ?",
                (*values, run_id, now, p.doc, seq),
            )
        self._insert_children(seq, p.rows)
        self.db.fts_put(seq, p.text, fresh=found is None)
        return PutResult(outcome, article_id)

    def _remember_page(self, page_key: str, article_id: str | None) -> None:
        self.db.execute(
            "INSERT INTO pages (page_key, article_id, seen_at) VALUES (?, ?, ?) ON CONFLICT (page_key) DO NOTHING",
            (page_key, article_id, self.db.time_in(_now())),
        )

    def _outlet(self, name: str | None) -> int | None:
        if not name:
            return None
        row = self.db.one(
            "INSERT INTO outlets (name, name_key, articles) VALUES (?, ?, 1) "
            "ON CONFLICT (name) DO UPDATE SET articles = outlets.articles + 1 RETURNING id",
            (name, key(name)),
        )
        assert row is not None
        return int(row[0])

    def _retire(self, seq: int, now: Any) -> None:
        """Keep the stored version as a revision and take its rows out of every count."""
        self.db.execute(
            "INSERT INTO revisions (article, revision, fingerprint, stored_at, replaced_at, run_id, doc) "
            "SELECT seq, revision, fingerprint, stored_at, ?, run_id, doc FROM articles WHERE seq = ?",
            (now, seq),
        )
        self.db.execute(
            "UPDATE outlets SET articles = articles - 1 WHERE id = (SELECT outlet_id FROM articles WHERE seq = ?)",
            (seq,),
        )
        old = self.db.all(
            "SELECT entity_id, mentions FROM article_entities WHERE article = ?", (seq,)
        )
        self.db.executemany(
            "UPDATE entities SET mentions = mentions - ?, articles = articles - 1 WHERE id = ?",
            [(count, eid) for eid, count in old],
        )
        month = None
        if self._version >= ENTITY_MONTHS and old:  # the month it was counted in, before it changes
            month = self.db.scalar(
                f"SELECT {self.db.month('a.published')} FROM articles a WHERE a.seq = ?", (seq,)
            )
        if month is not None:
            self.db.executemany(
                "UPDATE entity_months SET articles = articles - 1, mentions = mentions - ? "
                "WHERE entity_id = ? AND month = ?",
                [(count, eid, month) for eid, count in old],
            )
            self.db.executemany(
                "DELETE FROM entity_months WHERE entity_id = ? AND month = ? AND articles <= 0",
                [(eid, month) for eid, _ in old],
            )
        for table in _CHILD_TABLES:
            self.db.execute(f"DELETE FROM {table} WHERE article = ?", (seq,))

    def _insert_children(self, seq: int, rows: ArticleRows) -> None:
        for table, sql in _CHILD_INSERTS.items():
            values: list[tuple[Any, ...]] = getattr(rows, table)
            if values:
                self.db.executemany(sql, [(seq, *v) for v in values])
        if rows.entities:
            self.db.executemany(
                "INSERT INTO entities (id, canonical, canonical_key, type, mentions, articles) "
                "VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT (id) DO UPDATE SET "
                "mentions = entities.mentions + excluded.mentions, articles = entities.articles + 1",
                [
                    (eid, name, key(name), type_, n)
                    for eid, (name, type_, n) in rows.entities.items()
                ],
            )
            self.db.executemany(
                "INSERT INTO article_entities (entity_id, article, type, mentions) VALUES (?, ?, ?, ?)",
                [(eid, seq, type_, n) for eid, (_, type_, n) in rows.entities.items()],
            )
            if self._version >= ENTITY_MONTHS:  # the entity charts' counts, by publish month
                self.db.executemany(
                    "INSERT INTO entity_months (entity_id, month, articles, mentions) "
                    f"SELECT ?, {self.db.month('a.published')}, 1, ? FROM articles a "
                    "WHERE a.seq = ? AND a.published IS NOT NULL "
                    "ON CONFLICT (entity_id, month) DO UPDATE SET "
                    "articles = entity_months.articles + 1, "
                    "mentions = entity_months.mentions + excluded.mentions",
                    [(eid, n, seq) for eid, (_, _, n) in rows.entities.items()],
                )

    # -- reading ---------------------------------------------------------------------------
    def corpus_tables(self) -> CorpusTables:
        return CorpusTables(self.db)

    def watch_tables(self) -> WatchTables:
        if self._version < WATCHES:
            raise StoreError(
                f"the store {self.location} (schema level {self._version}) keeps no watches: "
                "open it writable once (warta ingest, warta watch add) to upgrade it"
            )
        return WatchTables(self.db)

    def get(self, article_id: str) -> Article | None:
        """The stored record, its ``story_id`` filled with the live story the corpus pass
        placed it in (merged stories followed); None until it was placed."""
        if self._version < CORPUS:
            row = self.db.one("SELECT doc FROM articles WHERE id = ?", (article_id,))
            return None if row is None else unpack(row[0])
        row = self.db.one(
            "SELECT a.doc, d.story FROM articles a LEFT JOIN corpus_docs d ON d.article = a.seq "
            "WHERE a.id = ?",
            (article_id,),
        )
        if row is None:
            return None
        article = unpack(row[0])
        if row[1] is not None:
            article.story_id = self.corpus_tables().resolve_story(str(row[1]))
        return article

    def revisions(self, article_id: str) -> list[dict[str, Any]]:
        """Earlier versions of a report, oldest first: revision, fingerprint, stored_at,
        replaced_at and the record itself (``article``)."""
        rows = self.db.all(
            "SELECT r.revision, r.fingerprint, r.stored_at, r.replaced_at, r.doc FROM revisions r "
            "JOIN articles a ON a.seq = r.article WHERE a.id = ? ORDER BY r.revision",
            (article_id,),
        )
        return [
            {
                "revision": rev,
                "fingerprint": fp,
                "stored_at": self.db.time_out(stored),
                "replaced_at": self.db.time_out(replaced),
                "article": unpack(doc),
            }
            for rev, fp, stored, replaced, doc in rows
        ]

    def search(self, request: SearchRequest) -> SearchResult:
        from warta.store.search import run_search

        with self.db.searching():
            return run_search(self.db, request, level=self._version)

    def stats(self) -> dict[str, Any]:
        return reads.stats(self.db)

    def failures(self, *, limit: int = 100) -> list[Failure]:
        rows = self.db.all(
            "SELECT source, url, reason, message, run_id, at FROM failures ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [
            Failure(source, url, reason, message, run_id, self.db.time_out(at) or _now())
            for source, url, reason, message, run_id, at in rows
        ]

    def runs(self, *, limit: int = 20) -> list[Run]:
        rows = self.db.all(
            "SELECT id, started_at, finished_at, sources, counts FROM runs ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [
            Run(
                int(rid),
                self.db.time_out(started) or _now(),
                self.db.time_out(finished),
                tuple(json.loads(sources)),
                json.loads(counts),
            )
            for rid, started, finished, sources, counts in rows
        ]

    def outlet_templates(self) -> dict[str, dict[str, Any]]:
        if self._version < TEMPLATES:
            return {}
        rows = self.db.all("SELECT outlet, state FROM outlet_templates ORDER BY outlet")
        return {str(outlet): json.loads(state) for outlet, state in rows}

    def save_outlet_templates(self, states: Mapping[str, Mapping[str, Any]]) -> None:
        if self._version < TEMPLATES:
            raise StoreError(
                f"this store (schema level {self._version}) keeps no outlet templates: "
                f"open it writable once to upgrade it to level {TEMPLATES}"
            )
        if not states:
            return
        now = self.db.time_in(_now())
        rows = [
            (outlet, int(state.get("pages", 0)), json.dumps(state, ensure_ascii=False), now)
            for outlet, state in sorted(states.items())
        ]
        with self.db.transaction():
            self.db.executemany(
                "INSERT INTO outlet_templates (outlet, pages, state, updated_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (outlet) DO UPDATE SET pages = excluded.pages, "
                "state = excluded.state, updated_at = excluded.updated_at",
                rows,
            )

    def outlets(self) -> list[tuple[str, int]]:
        rows = self.db.all(
            "SELECT name, articles FROM outlets WHERE articles > 0 ORDER BY articles DESC, name"
        )
        return [(str(name), int(n)) for name, n in rows]

    def resolve_name(
        self, kind: Literal["entity", "place", "speaker", "outlet"], text: str
    ) -> Resolved:
        if kind == "speaker":
            return names.resolve_speaker(self.db, text)
        if kind == "outlet":
            return names.resolve_outlet(self.db, text)
        return names.resolve_entity(self.db, text, type_="PLACE" if kind == "place" else None)

    def entity(self, key: str) -> EntityProfile | None:
        return reads.entity_profile(self.db, key, level=self._version)

    def entities(
        self, *, prefix: str | None = None, type: str | None = None, limit: int = 50
    ) -> list[dict[str, Any]]:
        return reads.entities(self.db, prefix=prefix, type_=type, limit=limit)

    def quotes(
        self, request: QuoteRequest | None = None, /, **filters: Any
    ) -> list[dict[str, Any]]:
        asked = as_request(QuoteRequest, request, filters)
        return reads.quotes(self.db, asked, level=self._version)

    def events(
        self, request: EventRequest | None = None, /, **filters: Any
    ) -> list[dict[str, Any]]:
        return reads.events(
            self.db, as_request(EventRequest, request, filters), level=self._version
        )

    def rows(self, table: str) -> Iterator[dict[str, Any]]:
        return reads.export_rows(self.db, table, level=self._version)


def _unchanged(a: Article | Ready, found: tuple[Any, ...] | None) -> bool:
    """The stored report is this version (same fingerprint), or a page without a URL that is
    known already: such a page is never an update."""
    return found is not None and (found[2] == a.fingerprint or not (a.canonical_url or a.url))


def _prepared(article: Article | Ready) -> Ready:
    return article if isinstance(article, Ready) else prepare(article)
