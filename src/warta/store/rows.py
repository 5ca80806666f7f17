"""One article as the rows of the normalised tables, and the few value conversions both
backends share.

Kept free of SQL so the two dialects write exactly the same values: what differs between
SQLite and PostgreSQL (placeholders, time and blob types) is the backend's business.
"""

from __future__ import annotations

import json
import zlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from warta.core.record import Article, ProcessingError, fingerprint, report_id
from warta.core.serialize import article_from_json, article_to_json


def key(text: str) -> str:
    """The case-insensitive lookup form of a name (outlet, canonical entity, speaker, place)."""
    return " ".join(text.casefold().split())


def utc(value: datetime) -> datetime:
    """An aware datetime in UTC; a naive one is taken as UTC already (the store's convention)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def local_bound(value: datetime) -> str:
    """A time filter's bound as a ``published_local`` key: its own wall-clock date, with the
    time of day unless it is midnight. Records without an instant (a date alone, a time whose
    zone is unknown) are compared by what they state: "2025-01-01" and "2025-01-01T10:30"
    are both >= the bound "2025-01-01" (``--since 2025-01-01``), and < "2025-01-02"."""
    if (value.hour, value.minute, value.second) == (0, 0, 0):
        return value.strftime("%Y-%m-%d")
    return value.strftime("%Y-%m-%dT%H:%M:%S")


#: The time-window test: an instant when the record has one, else its stated local time.
SINCE = "(a.published >= ? OR (a.published IS NULL AND a.published_local >= ?))"
UNTIL = "(a.published < ? OR (a.published IS NULL AND a.published_local < ?))"


def pack(article: Article) -> bytes:
    """The whole record as compressed JSON: ``get`` returns exactly what ``put`` was given."""
    return zlib.compress(article_to_json(article).encode("utf-8"), 6)


def unpack(blob: bytes | memoryview) -> Article:
    return article_from_json(unpack_json(blob))


def unpack_json(blob: bytes | memoryview) -> str:
    return zlib.decompress(bytes(blob)).decode("utf-8")


def pack_text(text: str) -> bytes:
    """Index text compressed: kept only so a changed article can be taken out of the index."""
    return zlib.compress(text.encode("utf-8"), 6)


def unpack_text(blob: bytes | memoryview) -> str:
    return zlib.decompress(bytes(blob)).decode("utf-8")


#: the record's top-level body key as ``json.dumps`` writes it: a comma, a space and a quote
#: in a row cannot occur inside a JSON string (the quote would be escaped), so the first
#: match is a key, and the only object with a "body" key before it would be a nested one,
#: which a record has none of
_BODY_KEY = ', "body": "'


def unpack_body(blob: bytes | memoryview) -> str:
    """The record's body alone, without parsing the rest of it (a search page needs only the
    body of each hit for its snippet, and the whole record is many times larger)."""
    text = unpack_json(blob)
    at = text.find(_BODY_KEY)
    if at < 0:
        return str(json.loads(text).get("body") or "")
    body, _ = json.decoder.scanstring(text, at + len(_BODY_KEY))  # type: ignore[attr-defined]
    return str(body)


def unpack_fields(blob: bytes | memoryview) -> dict[str, Any]:
    """The record's JSON object, for callers that need a few fields, not a full Article."""
    data: dict[str, Any] = json.loads(unpack_json(blob))
    return data


def ensure_identity(article: Article) -> None:
    """Fill ``fingerprint`` and ``id`` when a caller built the Article by hand."""
    if not article.fingerprint:
        article.fingerprint = fingerprint(article.body)
    if not article.id:
        article.id = report_id(
            url=article.url, source=article.source, body_fingerprint=article.fingerprint
        )


@dataclass(slots=True)
class ArticleRows:
    """Child rows of one article, each a tuple in the column order of its INSERT
    (the article's own key is prepended by the backend)."""

    mentions: list[tuple[Any, ...]] = field(default_factory=list)
    quotes: list[tuple[Any, ...]] = field(default_factory=list)
    times: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    places: list[tuple[Any, ...]] = field(default_factory=list)
    #: entity id -> (canonical, type, mentions in this article)
    entities: dict[str, tuple[str, str, int]] = field(default_factory=dict)


#: column lists of the child tables, after the leading ``article`` key. Blocks, removed lines
#: and keywords have no table (since migration 3): nothing queries them, the record holds them.
CHILD_COLUMNS: dict[str, tuple[str, ...]] = {
    "mentions": (
        "position",
        "span_start",
        "span_end",
        "text",
        "type",
        "entity_id",
        "canonical",
        "source",
    ),
    "quotes": (
        "position",
        "span_start",
        "span_end",
        "text",
        "kind",
        "speaker",
        "speaker_key",
        "speaker_id",
        "cue",
        "role",
        "affiliation",
    ),
    "times": ("position", "span_start", "span_end", "text", "value", "type"),
    "events": (
        "position",
        "span_start",
        "span_end",
        "category",
        "mode",
        "actor",
        "target",
        "place",
        "place_key",
        "at_time",
        "confidence",
        "reported_by",
        "evidence",
        "actor_id",
        "actor_type",
        "actor_country",
        "target_id",
        "target_type",
        "target_country",
    ),
    # the place mentions resolved to regions (``extras["warta.places"]``, nlp.places.v1):
    # ``code`` is the region named, or for an ambiguous name the region all its candidates lie
    # in (``ambiguous`` 1); ``country`` the ISO 3166-1 alpha-2 code of the country it lies in
    "places": (
        "position",
        "span_start",
        "span_end",
        "text",
        "code",
        "country",
        "ambiguous",
        "lat",
        "lng",
    ),
}


def article_rows(article: Article) -> ArticleRows:
    """Split an article into the child rows of the normalised tables."""
    rows = ArticleRows()
    rows.mentions = [
        (i, m.start, m.end, m.text, m.type, m.entity_id, m.canonical, m.source)
        for i, m in enumerate(article.entities)
    ]
    rows.quotes = [
        (
            i,
            q.start,
            q.end,
            q.text,
            q.kind,
            q.speaker,
            key(q.speaker) if q.speaker else None,
            q.speaker_id,
            q.cue,
            q.role,
            q.affiliation,
        )
        for i, q in enumerate(article.quotes)
    ]
    rows.times = [(i, t.start, t.end, t.text, t.value, t.type) for i, t in enumerate(article.times)]
    rows.events = [
        (
            i,
            e.start,
            e.end,
            e.category.upper(),
            e.mode,
            e.actor,
            e.target,
            e.place,
            key(e.place) if e.place else None,
            e.when,
            e.confidence,
            e.reported_by,
            e.evidence,
            e.actor_id,
            e.actor_type,
            e.actor_country,
            e.target_id,
            e.target_type,
            e.target_country,
        )
        for i, e in enumerate(article.events)
    ]
    rows.places = place_rows(article)
    rows.entities = entity_counts(article)
    return rows


#: The extras key the place stage writes (warta.nlp.places.EXTRAS_KEY).
PLACES_KEY = "warta.places"


#: The extras key of the dateline's place (warta.nlp.places.DATELINE_KEY).
DATELINE_PLACE_KEY = "warta.dateline_place"
#: The span of the places row that holds where the report was filed (the dateline is not body).
DATELINE_SPAN = (-1, -1)


def place_rows(article: Article) -> list[tuple[Any, ...]]:
    """The rows of the places table from the record's resolved places, then the dateline's place
    (span -1, -1: where the report was filed, so region filters find it too); entries that are
    not well formed (a record from elsewhere) are left out, never guessed."""
    out: list[tuple[Any, ...]] = []
    found = article.extras.get(PLACES_KEY)
    entries = list(found) if isinstance(found, list) else []
    filed = article.extras.get(DATELINE_PLACE_KEY)
    if isinstance(filed, dict):
        entries.append({**filed, "start": DATELINE_SPAN[0], "end": DATELINE_SPAN[1]})
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        start, end, text = entry.get("start"), entry.get("end"), entry.get("text")
        if not (isinstance(start, int) and isinstance(end, int) and isinstance(text, str)):
            continue
        region, within = entry.get("region"), entry.get("within")
        code = region if isinstance(region, str) else within if isinstance(within, str) else None
        country = entry.get("country") if isinstance(entry.get("country"), str) else None
        if code is None and country is None:
            continue
        lat, lng = entry.get("lat"), entry.get("lng")
        out.append(
            (
                len(out),
                start,
                end,
                text,
                code,
                country,
                0 if isinstance(region, str) else 1,
                float(lat) if isinstance(lat, (int, float)) else None,
                float(lng) if isinstance(lng, (int, float)) else None,
            )
        )
    return out


def entity_counts(article: Article) -> dict[str, tuple[str, str, int]]:
    """Canonical entities of one article with their mention counts. A quote's speaker id that
    no mention carries still becomes an entity (with 0 mentions) so quotes can name it."""
    counts: Counter[str] = Counter()
    names: dict[str, tuple[str, str]] = {}
    for m in article.entities:
        if m.entity_id:
            counts[m.entity_id] += 1
            names.setdefault(m.entity_id, (m.canonical or m.text, m.type))
    for q in article.quotes:
        if q.speaker_id and q.speaker_id not in names:
            names[q.speaker_id] = (q.speaker or q.speaker_id, "PERSON")
    return {eid: (canonical, type_, counts[eid]) for eid, (canonical, type_) in names.items()}


@dataclass(slots=True)
class Ready:
    """One article as the store writes it: the article's columns, its packed record, child rows
    and index text. Made where the article was made (an ingest worker) so that only these
    bytes and tuples cross to the writer, not the whole record, and the writer only runs SQL.
    ``errors`` is the record's own (the ingest driver notes a partial article by them)."""

    id: str
    url: str | None
    canonical_url: str | None
    source: str
    outlet: str | None
    language: str | None
    title: str | None
    published: datetime | None
    modified: datetime | None
    fingerprint: str
    published_local: str | None
    published_precision: str | None
    errors: list[ProcessingError]
    doc: bytes
    rows: ArticleRows
    text: str

    def article(self) -> Article:
        """The whole record back (what ``get`` would return once stored)."""
        return unpack(self.doc)


def prepare(article: Article) -> Ready:
    """Everything ``put`` computes from an article before it takes the write lock."""
    from warta.store.analyzer import MAX_INDEX_TOKENS, index_text

    ensure_identity(article)
    return Ready(
        id=article.id,
        url=article.url,
        canonical_url=article.canonical_url,
        source=article.source,
        outlet=article.outlet,
        language=article.language,
        title=article.title,
        published=article.published,
        modified=article.modified,
        fingerprint=article.fingerprint or "",
        published_local=article.published_local,
        published_precision=article.published_precision,
        errors=list(article.errors),
        doc=pack(article),
        rows=article_rows(article),
        text=index_text(f"{article.title or ''}\n{article.body}", max_tokens=MAX_INDEX_TOKENS),
    )
