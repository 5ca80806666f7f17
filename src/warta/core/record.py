"""The central record: one :class:`Article` per report, extended by every stage.

Spans (blocks, removed lines, and later entities, quotes, times, events) are small frozen
records with character offsets into ``Article.body`` (or, for removed lines, into the decoded
page text), so a surface can highlight them without re-running anything. The JSON form is a
versioned contract: ``SCHEMA_VERSION`` changes whenever a field changes meaning, and
``schema/article.schema.json`` describes it.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

SCHEMA_VERSION = "1.6"
#: Versions this warta still reads (fields added since take their defaults).
READABLE_SCHEMA_VERSIONS: tuple[str, ...] = ("1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6")

#: The actor types an event's actor or target can have (``Event.actor_type``).
ACTOR_TYPES: tuple[str, ...] = (
    "government",
    "military",
    "police",
    "judiciary",
    "rebel",
    "party",
    "business",
    "civilian",
    "criminal",
    "igo",
    "media",
)

BlockKind = Literal["paragraph", "heading", "quote", "list_item"]
BLOCK_KINDS: tuple[str, ...] = ("paragraph", "heading", "quote", "list_item")

#: Every label a line of a plain-text page can get. ``body`` and ``crosshead`` are kept;
#: the others are removed and recorded in ``Article.removed`` with the rule that decided.
LINE_LABELS: tuple[str, ...] = (
    "body",  # a paragraph of running text
    "crosshead",  # a subheading inside the body
    "title",  # the headline
    "dateline",  # a credit/dateline line on its own ("JAKARTA, KOMPAS.com -")
    "timestamp",  # the publish or update time line
    "byline",  # author, editor, reporter, photographer lines
    "wire",  # wire-service credit ("Sumber: AFP", "(Reuters)")
    "promo",  # subscription, newsletter and channel promotions
    "related",  # "Baca juga", "Berita terkait", "Terkini Lainnya"
    "media",  # video and gallery widgets, photo credits
    "social",  # share, login, comment and app prompts
    "nav",  # navigation, breadcrumbs, tags, menus
    "ad",  # advertisement labels
    "pagination",  # "Halaman 2", "Selanjutnya"
    "footer",  # copyright and legal lines
    "boilerplate",  # generic furniture caught by the fallback (repetition, shape)
    "syndication",  # "Artikel ini telah tayang di <Outlet> dengan judul ..." (schema 1.5)
    "standfirst",  # the deck between headline and lead, set apart by a byline (schema 1.5)
    "template",  # furniture learned from the outlet's other pages (schema 1.5)
)
KEPT_LABELS: frozenset[str] = frozenset({"body", "crosshead"})

#: How much of the publish time the page stated (schema 1.5), finest first. A page that
#: prints "Nov 15, 2022" states a ``day``: warta never invents the hour or the offset.
PUBLISHED_PRECISIONS: tuple[str, ...] = ("second", "minute", "hour", "day", "month", "year")


@dataclass(frozen=True, slots=True)
class Block:
    """A structural unit of the clean body: ``body[start:end]``."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class RemovedLine:
    """A line dropped from the page, with its label and the rule or signal that decided it.

    ``start``/``end`` are offsets into the decoded page text (``line`` is 0-based).
    """

    line: int
    start: int
    end: int
    text: str
    label: str
    rule: str


@dataclass(frozen=True, slots=True)
class ProcessingError:
    """A failure recorded on the article instead of stopping a batch."""

    stage: str
    reason: str
    message: str


@dataclass(frozen=True, slots=True)
class Mention:
    """An entity mention in ``body[start:end]``: its type (PERSON, ORGANIZATION, PLACE, ...),
    the canonical entity it refers to (``entity_id``: a Wikidata QID when the gazetteer is sure
    of it, else a stable ``warta:<type>:<name>`` id; ``canonical``: the entity's name) and how
    it was found (``ner``, ``gazetteer``, ``resolved`` from an earlier full name, ``pronoun``)."""

    start: int
    end: int
    text: str
    type: str
    entity_id: str | None = None
    canonical: str | None = None
    source: str = "ner"


@dataclass(frozen=True, slots=True)
class Syndication:
    """Where a syndicated report first ran, read from the page's own notice ("Artikel ini telah
    tayang di Kompas.com dengan judul ..., klik untuk baca: URL"; schema 1.5): the original
    outlet as written, and its title and URL when the notice gives them."""

    outlet: str
    title: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    """Who said what: the statement ``body[start:end]``, its kind (direct, partial, indirect),
    the speaker's canonical name and entity id, the cue ("kata Obama"), and the speaker's
    role and affiliation as the article states them ("Juru bicara", "KPK"; schema 1.4)."""

    start: int
    end: int
    text: str
    kind: str
    speaker: str | None = None
    cue: str | None = None
    speaker_id: str | None = None
    role: str | None = None
    affiliation: str | None = None


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """A time expression in the body, resolved against the publish time to a TIMEX3-style
    ``value`` (2015-11-18, 2015-W47, 2015-11-17TNI) of ``type`` DATE, TIME, DURATION or SET."""

    start: int
    end: int
    text: str
    value: str | None = None
    type: str = "DATE"


@dataclass(frozen=True, slots=True)
class Event:
    """A coded event (PLOVER category) with its evidence span."""

    start: int
    end: int
    category: str
    mode: str
    actor: str | None = None
    target: str | None = None
    place: str | None = None
    when: str | None = None
    confidence: float = 0.0
    reported_by: str | None = None  # the speaker whose statement the event comes from
    evidence: str = ""  # the sentence or clause it was coded from (body[start:end])
    # actor coding (schema 1.6): the entity ids of actor and target where a mention names
    # them, their actor types (ACTOR_TYPES) and ISO 3166-1 alpha-3 countries where known
    actor_id: str | None = None
    actor_type: str | None = None
    actor_country: str | None = None
    target_id: str | None = None
    target_type: str | None = None
    target_country: str | None = None


@dataclass(slots=True)
class Article:
    """One report read from one page. Stages fill fields; nothing goes in untyped dicts
    except ``extras``, whose keys must be namespaced (``"plugin.key"``)."""

    source: str
    url: str | None = None
    id: str = ""
    retrieved_at: datetime | None = None
    retrieved_at_kind: str = "unknown"  # "fetched" | "file_mtime" | "unknown"
    produced_by: dict[str, str] = field(default_factory=dict)
    raw_text: str = ""  # the decoded page text that offsets in ``removed`` point into
    raw_bytes: bytes | None = None  # the undecoded page, dropped once decoded (never serialised)
    # an HTML page's parsed document while its stages run (never serialised, dropped at the end)
    markup: Any = None
    encoding: str | None = None
    content_type: str = "text/plain"  # "text/plain" | "text/html": which cleaner read the page
    canonical_url: str | None = None
    outlet: str | None = None
    language: str | None = None
    language_confidence: float = 0.0
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    # ``published`` is an instant (always with a UTC offset) or None. What the page stated, in
    # its own wall-clock time and cut to its precision ("2022-11-15", "2015-06-19T07:36"), is
    # ``published_local``: it holds a date alone, or a time whose zone nobody knows (schema 1.5).
    published: datetime | None = None
    published_local: str | None = None
    published_precision: str | None = None  # one of PUBLISHED_PRECISIONS
    published_raw: str | None = None
    modified: datetime | None = None
    dateline: str | None = None
    credit: str | None = None
    wire_sources: list[str] = field(default_factory=list)
    syndicated_from: Syndication | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    body: str = ""
    blocks: list[Block] = field(default_factory=list)
    removed: list[RemovedLine] = field(default_factory=list)
    entities: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    times: list[TimeExpression] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    summary: str | None = None
    fingerprint: str | None = None
    story_id: str | None = None
    errors: list[ProcessingError] = field(default_factory=list)
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def paragraphs(self) -> list[str]:
        """The body's paragraph texts (crossheads excluded)."""
        return [self.body[b.start : b.end] for b in self.blocks if b.kind == "paragraph"]

    @property
    def crossheads(self) -> list[str]:
        return [self.body[b.start : b.end] for b in self.blocks if b.kind == "heading"]

    @property
    def ok(self) -> bool:
        return not self.errors


def normalise_for_fingerprint(text: str) -> str:
    """NFKC, case-folded, whitespace-collapsed: two copies of a body differing only in
    layout get the same fingerprint."""
    if not text.isascii():  # ASCII is already NFKC: skip the pass on most pages
        text = unicodedata.normalize("NFKC", text)
    return " ".join(text.casefold().split())


def fingerprint(text: str) -> str:
    return hashlib.sha256(normalise_for_fingerprint(text).encode("utf-8")).hexdigest()[:32]


def report_id(*, url: str | None, source: str, body_fingerprint: str) -> str:
    """Stable id of a report: from its URL when known, else from source and content hash."""
    key = f"url:{url}" if url else f"src:{source}|{body_fingerprint}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]
