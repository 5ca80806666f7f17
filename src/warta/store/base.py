"""The store contract: what every backend (SQLite by default, PostgreSQL at scale) offers.

A stored article is one *report*, keyed by its report id (``Article.id``: from the canonical URL
when the page has one, else from its source and content hash). ``put`` is idempotent: the same
report with the same body fingerprint is ``unchanged``; the same URL with a new fingerprint is
``updated`` (the older version is kept as a revision row); anything else is ``new``. Every write
of one article is one transaction, so a kill -9 at any moment leaves either the whole article or
none of it; ``put_many`` writes a batch (with its page keys) in one transaction.

Search requests and results are plain frozen records so that the CLI, the REST API and the
Python API share one shape. Both backends return the same *sets* for the same request; the order
inside a set may differ where the ranking functions differ (BM25 in FTS5, ts_rank in PostgreSQL).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import TracebackType
from typing import Any, Literal, TypeVar

from warta.core.errors import StoreError
from warta.core.record import Article
from warta.store.corpus_tables import CorpusTables
from warta.store.names import Resolved
from warta.store.rows import Ready
from warta.store.watch_tables import WatchTables

#: Tables that exports and ``Store.rows`` know, in the order exports write them.
EXPORT_TABLES: tuple[str, ...] = (
    "articles",
    "entities",
    "mentions",
    "places",
    "quotes",
    "events",
    "stories",
)


class Outcome(StrEnum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class PutResult:
    outcome: Outcome
    article_id: str


@dataclass(frozen=True, slots=True)
class KnownPage:
    """What an earlier run made of a page (by its page key): the article it was stored as, or
    the reason it failed."""

    article_id: str | None
    reason: str | None = None
    message: str | None = None


@dataclass(frozen=True, slots=True)
class Failure:
    """A page that could not be ingested, kept for ``warta failures``."""

    source: str
    url: str | None
    reason: str
    message: str
    run_id: int | None
    at: datetime


@dataclass(frozen=True, slots=True)
class Run:
    """One ``warta ingest`` invocation and what it did."""

    id: int
    started_at: datetime
    finished_at: datetime | None
    sources: tuple[str, ...]
    counts: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """A search. ``query`` empty means every article the filters let through.

    ``entity``/``speaker``/``place`` take a canonical name (any case) or an entity id; ``place``
    matches articles mentioning a PLACE entity (every event's place is one); ``event`` a PLOVER
    category (any case). ``region`` keeps articles naming a place inside a region, its children
    included: a Kemendagri code ("72" is Sulawesi Tengah and all inside it), an ISO country code
    ("RU") or a region's name as people write it ("Sulteng"). ``since`` is inclusive, ``until``
    exclusive, compared in UTC (a naive datetime is taken as UTC). ``limit`` is 1 to 100. ``cursor`` is the opaque ``next_cursor``
    of the previous page of the same request. Sorting by relevance needs a query; without one
    hits come newest first (undated last).

    The corpus filters: ``story`` keeps the articles of a story (an id from before a merge
    forwards to the story it joined); ``duplicates_of`` the other copies of an article (its
    duplicate group, the article itself left out); ``originals_only`` leaves out every copy that
    is not its group's original (each report text once)."""

    query: str = ""
    outlets: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    language: str | None = None
    entity: str | None = None
    speaker: str | None = None
    event: str | None = None
    place: str | None = None
    region: str | None = None
    story: str | None = None
    duplicates_of: str | None = None
    originals_only: bool = False
    sort: Literal["relevance", "date"] = "relevance"
    limit: int = 20
    cursor: str | None = None
    facets: bool = False


@dataclass(frozen=True, slots=True)
class QuoteRequest:
    """A page of quote rows, newest first. ``speaker`` is an entity id or a speaker's name (any
    case); ``since`` is inclusive, ``until`` exclusive. ``limit`` is 1 to 10000."""

    speaker: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True, slots=True)
class EventRequest:
    """A page of event rows, newest first. ``category`` is a PLOVER category (any case);
    ``actor`` and ``place`` are names as the events carry them (any case); ``articles``: only
    the events of these article ids (each article's events in its order); ``since`` is
    inclusive, ``until`` exclusive. ``limit`` is 1 to 10000."""

    category: str | None = None
    actor: str | None = None
    place: str | None = None
    articles: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 50
    offset: int = 0


_Request = TypeVar("_Request", QuoteRequest, EventRequest)


def as_request(
    kind: type[_Request], request: _Request | None, filters: Mapping[str, Any]
) -> _Request:
    """``request``, or one of ``kind`` made of keyword ``filters`` (not both)."""
    if request is None:
        return kind(**filters)
    if filters:
        raise TypeError(f"give a {kind.__name__} or its fields as keywords, not both")
    return request


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: str
    url: str | None
    title: str | None
    outlet: str | None
    published: datetime | None
    language: str | None
    score: float  # higher is better: BM25 on SQLite, ts_rank on PostgreSQL; 0.0 when sorted by date
    snippet: str  # body text around the matches, matched words wrapped in [[ ]]


@dataclass(frozen=True, slots=True)
class UnknownName:
    """A name given to a filter that names nothing in the store (``field``: entity, place,
    speaker or outlet), with the names probably meant."""

    field: str
    text: str
    suggestions: tuple[str, ...] = ()

    def message(self) -> str:
        where = "warta's place index" if self.field == "region" else "this store"
        line = f"no {self.field} named {self.text!r} in {where}"
        if self.suggestions:
            line += "; did you mean: " + ", ".join(self.suggestions) + "?"
        return line


@dataclass(frozen=True, slots=True)
class SearchResult:
    hits: list[SearchHit]
    #: matching articles; when ``total_exact`` is False, counting stopped here (there are more)
    total: int
    next_cursor: str | None
    #: facet name -> (value, count): "outlet", "year", "language", "entity", "speaker", "event",
    #: "place"
    facets: Mapping[str, list[tuple[str, int]]] = field(default_factory=dict)
    #: False when the count was capped: a huge match set is not counted to the end
    total_exact: bool = True
    #: names given to filters that name nothing in the store (then there are no hits)
    unknown: tuple[UnknownName, ...] = ()
    #: False when the facets counted only the newest stored matches (``facets_over`` of them,
    #: see :data:`warta.store.search.FACET_SAMPLE`), not every match
    facets_exact: bool = True
    #: how many matching articles the facets counted (0 without facets)
    facets_over: int = 0


@dataclass(frozen=True, slots=True)
class EntityProfile:
    id: str
    canonical: str
    type: str
    aliases: list[tuple[str, int]]  # surface form, mentions
    mentions: int
    articles: int
    by_month: list[tuple[str, int]]  # "2019-03", mentions
    co_occurring: list[tuple[str, str, int]]  # entity id, canonical, shared articles
    quotes: list[dict[str, Any]]  # the quote rows (see ``Store.quotes``) spoken by this entity
    #: the gazetteer's other label of the entity: its English name where the canonical one is
    #: Indonesian ("Russia" beside "Rusia"), or the label where the store holds the name
    alternate: str | None = None
    #: how many of the entity's newest articles ``aliases`` and ``co_occurring`` were counted
    #: over and ``quotes`` drawn from: ``articles`` unless it has more than the profile window
    #: (see :data:`warta.store.reads.PROFILE_WINDOW`)
    window: int = 0
    #: the ids of its newest stored articles (up to :data:`warta.store.reads.PROFILE_LATEST`),
    #: newest first: where a page looks for what it did (its events) without a search
    latest: list[str] = field(default_factory=list)


class Store(ABC):
    """One backend. Open with :func:`warta.store.open_store`."""

    #: where the store lives, printable (a path, or a URL without its password)
    location: str
    #: the backend, for messages and monitoring: "sqlite", "postgresql", ...
    kind: str = "store"

    # -- lifecycle -------------------------------------------------------------------------
    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @abstractmethod
    def schema_version(self) -> int:
        """The migration level of the open store (after any upgrade done on open)."""

    # -- health, for pools that keep stores open between requests ---------------------------
    def ping(self) -> bool:
        """Whether the store still answers and is still at the schema version it was opened
        at (another process may have upgraded it). Never raises: any failure is False. A
        backend without a probe answers True."""
        return True

    def version(self) -> int | None:
        """A counter that every committed write to the store raises (from any process), so a
        reader may keep what it computed for as long as the version is unchanged. None: this
        backend keeps no version (nothing may be cached)."""
        return None

    def in_transaction(self) -> bool:
        """Whether a transaction is left open on this store's connection (it would keep its
        locks while the store sits idle in a pool). Never raises: an unknown state is True."""
        return False

    # -- writing ---------------------------------------------------------------------------
    @abstractmethod
    def begin_run(self, sources: Sequence[str]) -> int: ...

    @abstractmethod
    def finish_run(self, run_id: int, counts: Mapping[str, int]) -> None: ...

    @abstractmethod
    def has_page(self, page_key: str) -> bool:
        """Whether a page with this key (hash of its source and raw content) was already stored
        or recorded as failed — lets a resumed ingest skip extraction."""

    def known_page(self, page_key: str) -> KnownPage | None:
        """What an earlier run made of the page with this key, or None for a page not seen.
        This default knows only that a page was seen; the SQL stores say what it became."""
        return (
            KnownPage(None, "seen", "seen by an earlier run") if self.has_page(page_key) else None
        )

    @abstractmethod
    def put(
        self, article: Article, *, run_id: int | None = None, page_key: str | None = None
    ) -> PutResult:
        """Store one extracted article in one transaction (see the module docstring)."""

    @abstractmethod
    def record_failure(
        self,
        *,
        source: str,
        url: str | None,
        reason: str,
        message: str,
        run_id: int | None = None,
        page_key: str | None = None,
    ) -> None: ...

    # -- reading ---------------------------------------------------------------------------
    @abstractmethod
    def get(self, article_id: str) -> Article | None: ...

    def revisions(self, article_id: str) -> list[dict[str, Any]]:
        """Earlier versions of a report, oldest first: ``revision``, ``fingerprint``,
        ``stored_at``, ``replaced_at`` and the record as it was (``article``)."""
        raise NotImplementedError

    @abstractmethod
    def search(self, request: SearchRequest) -> SearchResult:
        """Raises :class:`warta.core.errors.QueryError` for a query or filter that cannot be run."""

    @abstractmethod
    def stats(self) -> dict[str, Any]:
        """Counts: articles, revisions, outlets, entities, mentions, quotes, times, events,
        failures, runs; plus top outlets, entities and speakers."""

    @abstractmethod
    def failures(self, *, limit: int = 100) -> list[Failure]: ...

    @abstractmethod
    def runs(self, *, limit: int = 20) -> list[Run]: ...

    @abstractmethod
    def outlets(self) -> list[tuple[str, int]]: ...

    @abstractmethod
    def entity(self, key: str) -> EntityProfile | None:
        """Profile of an entity by id or canonical name (case-insensitive)."""

    @abstractmethod
    def entities(
        self, *, prefix: str | None = None, type: str | None = None, limit: int = 50
    ) -> list[dict[str, Any]]:
        """Canonical entities with their mention and article counts, most mentioned first."""

    @abstractmethod
    def quotes(
        self, request: QuoteRequest | None = None, /, **filters: Any
    ) -> list[dict[str, Any]]:
        """Quote rows: article_id, published, outlet, speaker, speaker_id, role, affiliation, kind,
        cue, text, start, end. For ``request``, or a :class:`QuoteRequest` of keyword ``filters``
        (``store.quotes(speaker="Q76", limit=10)``)."""

    @abstractmethod
    def events(
        self, request: EventRequest | None = None, /, **filters: Any
    ) -> list[dict[str, Any]]:
        """Event rows: article_id, published, outlet, category, mode, actor, target, place, when,
        confidence, reported_by, evidence, start, end. For ``request``, or an
        :class:`EventRequest` of keyword ``filters`` (``store.events(category="protest")``)."""

    def resolve_name(
        self, kind: Literal["entity", "place", "speaker", "outlet"], text: str
    ) -> Resolved:
        """What a name as a user writes it names in this store (see :mod:`warta.store.names`):
        ids and keys, or, when it names nothing, suggestions of the names probably meant."""
        raise NotImplementedError

    def corpus_tables(self) -> CorpusTables:
        """The corpus layer's tables (duplicates, stories, terms) of this store."""
        raise StoreError(f"{type(self).__name__} keeps no corpus tables")

    def watch_tables(self) -> WatchTables:
        """Saved searches, what each has reported, and the webhook outbox of this store."""
        raise StoreError(f"{type(self).__name__} keeps no watches")

    def outlet_templates(self) -> dict[str, dict[str, Any]]:
        """Each outlet's learned-template state (``TemplateLearner.outlet_state``), by outlet;
        a store that keeps none has none."""
        return {}

    def save_outlet_templates(self, states: Mapping[str, Mapping[str, Any]]) -> None:
        """Keep these outlets' learned-template states (replacing what was kept for them)."""
        raise StoreError(f"{type(self).__name__} keeps no outlet templates")

    @abstractmethod
    def rows(self, table: str) -> Iterator[dict[str, Any]]:
        """Stream every row of an export table (one of :data:`EXPORT_TABLES`), flat JSON-able
        values, in a stable order, without loading the table into memory."""

    def put_many(
        self,
        articles: Iterable[Article | Ready],
        *,
        run_id: int | None = None,
        page_keys: Sequence[str | None] | None = None,
    ) -> list[PutResult]:
        """Store a batch, each article with its page key (if any); an article may come
        :class:`~warta.store.rows.Ready` (prepared by an ingest worker). The SQL stores write the
        batch in one transaction; this default writes one transaction per article."""
        batch = [a.article() if isinstance(a, Ready) else a for a in articles]
        keys = list(page_keys) if page_keys is not None else [None] * len(batch)
        if len(keys) != len(batch):
            raise ValueError(f"{len(batch)} articles but {len(keys)} page keys")
        return [self.put(a, run_id=run_id, page_key=k) for a, k in zip(batch, keys, strict=True)]
