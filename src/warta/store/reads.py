"""Everything the store answers besides search: counts, entity profiles, quote and event
listings, and the row streams that exports write. Plain SQL over :class:`~warta.store.db.Db`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from warta.core.errors import QueryError
from warta.store import names
from warta.store.base import EXPORT_TABLES, EntityProfile, EventRequest, QuoteRequest
from warta.store.db import Db
from warta.store.migrations import (
    CORPUS,
    ENTITY_MONTHS,
    EVENT_ACTORS,
    LATEST,
    PLACES,
    QUOTE_ROLES,
    SEQ_PUBLISHED,
)
from warta.store.rows import SINCE, UNTIL, key, local_bound, unpack_fields, utc

_COUNTED = (
    "articles",
    "revisions",
    "outlets",
    "entities",
    "mentions",
    "quotes",
    "times",
    "events",
    "failures",
    "runs",
)
_CHUNK = 2000
#: an entity profile's aliases and co-occurring entities are counted over this many of its
#: newest articles (all of them when it has no more), and its quotes are the newest of those
#: articles' quotes; the chart and the totals cover every one
PROFILE_WINDOW = 500
#: a profile lists the ids of this many of the entity's newest stored articles
PROFILE_LATEST = 10


def stats(db: Db) -> dict[str, Any]:
    out: dict[str, Any] = {
        table: int(db.scalar(f"SELECT count(*) FROM {table}")) for table in _COUNTED
    }
    out["top_outlets"] = db.all(
        "SELECT name, articles FROM outlets ORDER BY articles DESC, name LIMIT 10"
    )
    out["top_entities"] = db.all(
        "SELECT canonical, mentions FROM entities WHERE mentions > 0 ORDER BY mentions DESC, id LIMIT 10"
    )
    out["top_speakers"] = db.all(
        "SELECT max(speaker), count(*) FROM quotes WHERE speaker_key IS NOT NULL "
        "GROUP BY speaker_key ORDER BY count(*) DESC, speaker_key LIMIT 10"
    )
    for name in ("top_outlets", "top_entities", "top_speakers"):
        out[name] = [(str(v), int(n)) for v, n in out[name]]
    out["schema_version"] = int(db.scalar("SELECT max(version) FROM schema_migrations"))
    if out["schema_version"] >= CORPUS:
        out["stories"] = int(db.scalar("SELECT count(*) FROM stories WHERE forward IS NULL"))
        out["duplicate_groups"] = int(db.scalar("SELECT count(*) FROM dup_groups"))
    if out["schema_version"] >= PLACES:
        out["places"] = int(db.scalar("SELECT count(*) FROM places"))
    return out


def entity_profile(db: Db, name_or_id: str, *, level: int = LATEST) -> EntityProfile | None:
    """The profile of the entity a name or id names (resolved as filters resolve it, see
    :mod:`warta.store.names`; of several, the most mentioned). ``level``: the store's
    migration level (its quotes' columns depend on it)."""
    ids = names.entity_ids(db, name_or_id.strip())
    if not ids:
        return None
    marks = ", ".join("?" * len(ids))
    row = db.one(
        "SELECT id, canonical, type, mentions, articles FROM entities "
        f"WHERE id IN ({marks}) ORDER BY id = ? DESC, mentions DESC, id LIMIT 1",
        (*ids, name_or_id),
    )
    if row is None:
        return None
    eid, canonical, type_, mentions, articles = row
    # the spellings and the company an entity keeps are counted over its newest articles: over
    # every article they cost time in proportion to them (a country named in a third of the
    # store: hundreds of thousands of rows), and a profile is read far more than written
    floor = db.scalar(
        "SELECT article FROM article_entities WHERE entity_id = ? ORDER BY article DESC LIMIT 1 OFFSET ?",
        (eid, PROFILE_WINDOW - 1),
    )
    newest, since = ("", []) if floor is None else (" AND {col} >= ?", [int(floor)])
    aliases = db.all(
        "SELECT text, count(*) FROM mentions WHERE entity_id = ?"
        + newest.format(col="article")
        + " GROUP BY text ORDER BY count(*) DESC, text",
        (eid, *since),
    )
    by_month = _by_month(db, str(eid), level)
    # counted per id from the article index alone, the names joined to the top 20 only
    co = db.all(
        "SELECT c.entity_id, e.canonical, c.n FROM (SELECT o.entity_id, count(*) AS n "
        "FROM article_entities me JOIN article_entities o ON o.article = me.article "
        "AND o.entity_id <> me.entity_id WHERE me.entity_id = ?"
        + newest.format(col="me.article")
        + " GROUP BY o.entity_id ORDER BY n DESC, o.entity_id LIMIT 20) c "
        "JOIN entities e ON e.id = c.entity_id ORDER BY c.n DESC, c.entity_id",
        (eid, *since),
    )
    return EntityProfile(
        id=str(eid),
        canonical=str(canonical),
        type=str(type_),
        aliases=[(str(t), int(n)) for t, n in aliases],
        mentions=int(mentions),
        articles=int(articles),
        by_month=[(str(m), int(n)) for m, n in by_month],
        co_occurring=[(str(i), str(c), int(n)) for i, c, n in co],
        # from the same newest articles: sorting every quote an entity ever spoke by date costs
        # time in proportion to them (thousands for a president)
        quotes=quotes(
            db,
            QuoteRequest(speaker=str(eid), limit=50),
            level=level,
            from_article=None if floor is None else int(floor),
        ),
        alternate=_alternate(str(eid), str(canonical)),
        window=int(articles) if floor is None else PROFILE_WINDOW,
        latest=[
            str(i)
            for (i,) in db.all(
                "SELECT a.id FROM article_entities ae JOIN articles a ON a.seq = ae.article "
                "WHERE ae.entity_id = ? ORDER BY ae.article DESC LIMIT ?",
                (eid, PROFILE_LATEST),
            )
        ],
    )


def _by_month(db: Db, eid: str, level: int) -> list[tuple[Any, Any]]:
    """(month, mentions) of the entity, oldest first: from the counts kept per month, or in a
    store older than them from every article naming it."""
    if level >= ENTITY_MONTHS:
        return db.all(
            "SELECT month, mentions FROM entity_months WHERE entity_id = ? AND articles > 0 "
            "ORDER BY month",
            (eid,),
        )
    month = db.month("a.published")
    # every article naming the entity, its publish time read from the (seq, published) index
    dated = db.covered("articles", "a", "articles_seq_published", has=level >= SEQ_PUBLISHED)
    return db.all(
        f"SELECT {month}, sum(ae.mentions) FROM article_entities ae JOIN {dated} "
        "ON a.seq = ae.article "
        f"WHERE ae.entity_id = ? AND a.published IS NOT NULL GROUP BY {month} ORDER BY {month}",
        (eid,),
    )


def _alternate(entity_id: str, canonical: str) -> str | None:
    """The gazetteer's other label of an entity (English name or Indonesian label), if any."""
    from warta.nlp.linking import Linker

    entity = Linker.load().get(entity_id)
    if entity is None or entity.label is None:
        return None
    other = entity.name if canonical == entity.label else entity.label
    return other if other != canonical else None


def entities(db: Db, *, prefix: str | None, type_: str | None, limit: int) -> list[dict[str, Any]]:
    _check_page(limit, 0)
    sql = "SELECT id, canonical, type, mentions, articles FROM entities WHERE articles > 0"
    params: list[Any] = []
    if prefix:
        escaped = key(prefix).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        sql += " AND canonical_key LIKE ? ESCAPE '\\'"
        params.append(escaped + "%")
    if type_:
        sql += " AND type = ?"
        params.append(names.check_type(db, type_))
    rows = db.all(sql + " ORDER BY mentions DESC, id LIMIT ?", [*params, limit])
    return [
        {"id": i, "canonical": c, "type": t, "mentions": int(m), "articles": int(n)}
        for i, c, t, m, n in rows
    ]


def _check_page(limit: int, offset: int) -> None:
    if not 1 <= limit <= 10_000:
        raise QueryError(f"limit must be between 1 and 10000, got {limit}")
    if offset < 0:
        raise QueryError(f"offset must be 0 or more, got {offset}")


def _window(
    db: Db, since: datetime | None, until: datetime | None, where: list[str], params: list[Any]
) -> None:
    if since is not None:
        where.append(SINCE)
        params += [db.time_in(utc(since)), local_bound(since)]
    if until is not None:
        where.append(UNTIL)
        params += [db.time_in(utc(until)), local_bound(until)]


_QUOTE_KEYS = (
    "article_id",
    "published",
    "outlet",
    "speaker",
    "speaker_id",
    "role",
    "affiliation",
    "kind",
    "cue",
    "text",
    "start",
    "end",
)


def quotes(
    db: Db, request: QuoteRequest, *, level: int = LATEST, from_article: int | None = None
) -> list[dict[str, Any]]:
    """Newest first; ``speaker`` is an entity id or a speaker's name (any case). ``level`` is
    the store's migration level: below :data:`QUOTE_ROLES` role and affiliation are None.
    ``from_article``: only quotes of articles stored from this key on (a profile's window)."""
    _check_page(request.limit, request.offset)
    where: list[str] = []
    params: list[Any] = []
    if request.speaker:
        speaker = names.resolve_speaker(db, request.speaker)
        if not speaker.known:
            return []
        tests = []
        if speaker.ids:
            tests.append(f"q.speaker_id IN ({', '.join('?' * len(speaker.ids))})")
        if speaker.keys:
            tests.append(f"q.speaker_key IN ({', '.join('?' * len(speaker.keys))})")
        where.append("(" + " OR ".join(tests) + ")")
        params += [*speaker.ids, *speaker.keys]
    if from_article is not None:
        where.append("q.article >= ?")
        params.append(from_article)
    _window(db, request.since, request.until, where, params)
    sql = (
        f"SELECT a.id, a.published, o.name, q.speaker, q.speaker_id, {_speaker_roles(level)}, q.kind, "
        "q.cue, q.text, q.span_start, q.span_end FROM quotes q JOIN articles a ON a.seq = q.article "
        "LEFT JOIN outlets o ON o.id = a.outlet_id"
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {db.date_order()}, q.position LIMIT ? OFFSET ?"
    return [
        _timed(db, dict(zip(_QUOTE_KEYS, r, strict=True)))
        for r in db.all(sql, [*params, request.limit, request.offset])
    ]


_ACTOR_CODING = (
    "actor_id",
    "actor_type",
    "actor_country",
    "target_id",
    "target_type",
    "target_country",
)


def _actor_coding(level: int) -> str:
    """The actor coding columns of ``events e``, NULL in a store older than them."""
    if level >= EVENT_ACTORS:
        return ", ".join(f"e.{c}" for c in _ACTOR_CODING)
    return ", ".join("NULL" for _ in _ACTOR_CODING)


def _speaker_roles(level: int) -> str:
    """The role and affiliation columns of ``quotes q``, NULL in a store older than them (one
    opened below the latest level reads as it did)."""
    return "q.role, q.affiliation" if level >= QUOTE_ROLES else "NULL, NULL"


_EVENT_COLUMNS = (
    "a.id, a.published, o.name, e.category, e.mode, e.actor, e.target, e.place, e.at_time, e.confidence, "
    "e.reported_by, e.evidence, e.span_start, e.span_end"
)
_EVENT_KEYS = (
    "article_id",
    "published",
    "outlet",
    "category",
    "mode",
    "actor",
    "target",
    "place",
    "when",
    "confidence",
    "reported_by",
    "evidence",
    "start",
    "end",
)


def events(db: Db, request: EventRequest, *, level: int = LATEST) -> list[dict[str, Any]]:
    """Newest first; ``actor`` and ``place`` are names as the events carry them (any case).
    ``level``: the store's migration level (below :data:`EVENT_ACTORS` the actor coding is
    None)."""
    _check_page(request.limit, request.offset)
    where: list[str] = []
    params: list[Any] = []
    if request.category:
        where.append("e.category = ?")
        params.append(names.check_category(db, request.category))
    if request.actor:
        where.append("lower(e.actor) = ?")
        params.append(request.actor.lower())
    if request.place:
        where.append("e.place_key = ?")
        params.append(key(request.place))
    if request.articles:  # looked up by id, then read from the events' (article, position) key
        where.append(f"a.id IN ({', '.join('?' * len(request.articles))})")
        params += list(request.articles)
    _window(db, request.since, request.until, where, params)
    sql = (
        f"SELECT {_EVENT_COLUMNS}, {_actor_coding(level)} FROM events e "
        "JOIN articles a ON a.seq = e.article "
        "LEFT JOIN outlets o ON o.id = a.outlet_id"
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {db.date_order()}, e.position LIMIT ? OFFSET ?"
    return [
        _timed(db, dict(zip((*_EVENT_KEYS, *_ACTOR_CODING), r, strict=True)))
        for r in db.all(sql, [*params, request.limit, request.offset])
    ]


def _timed(db: Db, row: dict[str, Any]) -> dict[str, Any]:
    row["published"] = db.time_out(row["published"])
    return row


# -- export streams ------------------------------------------------------------------------

_EXPORT_SQL: dict[str, tuple[str, tuple[str, ...]]] = {
    "mentions": (
        "SELECT m.article, m.position, a.id, m.span_start, m.span_end, m.text, m.type, m.entity_id, m.canonical, "
        "m.source, {geo} FROM mentions m JOIN articles a ON a.seq = m.article{geo_join}",
        (
            "article_id",
            "start",
            "end",
            "text",
            "type",
            "entity_id",
            "canonical",
            "source",
            "region",
            "country",
            "lat",
            "lng",
        ),
    ),
    # each place mention resolved (nlp.places.v1): ``region`` the code it names, or for an
    # ambiguous name the region every candidate lies in (``ambiguous`` true)
    "places": (
        "SELECT p.article, p.position, a.id, p.span_start, p.span_end, p.text, p.code, p.ambiguous, "
        "p.country, p.lat, p.lng FROM places p JOIN articles a ON a.seq = p.article",
        ("article_id", "start", "end", "text", "region", "ambiguous", "country", "lat", "lng"),
    ),
    "quotes": (
        "SELECT q.article, q.position, a.id, q.speaker, q.speaker_id, {roles}, q.kind, q.cue, q.text, "
        "q.span_start, q.span_end FROM quotes q JOIN articles a ON a.seq = q.article",
        (
            "article_id",
            "speaker",
            "speaker_id",
            "role",
            "affiliation",
            "kind",
            "cue",
            "text",
            "start",
            "end",
        ),
    ),
    "events": (
        "SELECT e.article, e.position, a.id, e.category, e.mode, e.actor, e.target, e.place, e.at_time, "
        "e.confidence, e.reported_by, e.evidence, e.span_start, e.span_end, {actors} FROM events e "
        "JOIN articles a ON a.seq = e.article",
        (
            "article_id",
            "category",
            "mode",
            "actor",
            "target",
            "place",
            "when",
            "confidence",
            "reported_by",
            "evidence",
            "start",
            "end",
            *_ACTOR_CODING,
        ),
    ),
}
_ARTICLE_FIELDS = (
    "id",
    "url",
    "canonical_url",
    "source",
    "outlet",
    "language",
    "title",
    "authors",
    "published",
    "published_local",
    "published_precision",
    "published_raw",
    "modified",
    "section",
    "tags",
    "keywords",
    "summary",
    "fingerprint",
    "body",
)
#: provenance of each record, after ``revision`` and ``stored_at`` (``produced_by`` is an object:
#: the versions of warta, its stages and models that made the record)
_PROVENANCE_FIELDS = ("retrieved_at", "retrieved_at_kind", "produced_by")


def published_timezone(data: dict[str, Any]) -> tuple[str | None, str | None]:
    """The zone of a record's publish time as exports give it: the UTC offset the instant
    carries ("+07:00"; None for a local time whose zone nobody knows), and how warta knows it
    when it did not come from the page ("assumed WIB": the outlet's zone)."""
    extras = data.get("extras")
    note = extras.get("warta.published_zone") if isinstance(extras, dict) else None
    published = data.get("published")
    offset: str | None = None
    if isinstance(published, str) and len(published) > 19:
        tail = published[19:].lstrip(".0123456789")
        offset = "+00:00" if tail == "Z" else tail or None
    return offset, note if isinstance(note, str) else None


def export_rows(db: Db, table: str, *, level: int = LATEST) -> Iterator[dict[str, Any]]:
    """Rows of one export table in a stable order, read in chunks by key (no long cursors);
    ``level`` is the store's migration level."""
    if table not in EXPORT_TABLES:
        raise QueryError(f"unknown table {table!r}: one of {', '.join(EXPORT_TABLES)}")
    if table == "articles":
        return _export_articles(db, level)
    if table == "entities":
        return _export_entities(db)
    if table == "stories":
        return _export_stories(db, level)
    return _export_spans(db, table, level)


def _export_articles(db: Db, level: int) -> Iterator[dict[str, Any]]:
    corpus = level >= CORPUS
    select = (
        "SELECT a.seq, a.revision, a.stored_at, a.doc, d.story, d.dup_group, g.original, d.carried, "
        "d.added FROM articles a LEFT JOIN corpus_docs d ON d.article = a.seq "
        "LEFT JOIN dup_groups g ON g.id = d.dup_group"
        if corpus
        else "SELECT a.seq, a.revision, a.stored_at, a.doc, NULL, NULL, NULL, NULL, NULL FROM articles a"
    )
    forward = _story_forwarding(db) if corpus else {}
    last = -1
    while True:
        rows = db.all(f"{select} WHERE a.seq > ? ORDER BY a.seq LIMIT ?", (last, _CHUNK))
        for seq, revision, stored_at, doc, story, group, original, carried, added in rows:
            data = unpack_fields(doc)
            out = {name: data.get(name) for name in _ARTICLE_FIELDS}
            out["published_utc_offset"], out["published_zone_note"] = published_timezone(data)
            out["revision"] = int(revision)
            stored = db.time_out(stored_at)
            out["stored_at"] = stored.isoformat() if stored else None
            out.update((name, data.get(name)) for name in _PROVENANCE_FIELDS)
            out["story_id"] = forward.get(story, story) if story is not None else None
            out["duplicate_group"] = None if group is None else int(group)
            out["duplicate_original"] = None if group is None else int(original) == int(seq)
            out["duplicate_carried"] = carried
            out["duplicate_added"] = added
            last = seq
            yield out
        if len(rows) < _CHUNK:
            return


def _story_forwarding(db: Db) -> dict[str, str]:
    """Merged story id -> the live story it forwards to (chains followed)."""
    direct = {
        str(a): str(b)
        for a, b in db.all("SELECT id, forward FROM stories WHERE forward IS NOT NULL")
    }
    out: dict[str, str] = {}
    for start in direct:
        seen, current = {start}, direct[start]
        while current in direct and current not in seen:
            seen.add(current)
            current = direct[current]
        out[start] = current
    return out


def _export_stories(db: Db, level: int) -> Iterator[dict[str, Any]]:
    """Live stories (merged ones forward and are left out), by id."""
    if level < CORPUS:
        return
    last = ""
    while True:
        rows = db.all(
            "SELECT id, title, first_at, last_at, articles FROM stories WHERE forward IS NULL AND id > ? "
            "ORDER BY id LIMIT ?",
            (last, _CHUNK),
        )
        for sid, title, first_at, last_at, articles in rows:
            last = sid
            first, final = db.time_out(first_at), db.time_out(last_at)
            yield {
                "id": sid,
                "title": title,
                "first_at": first.isoformat() if first else None,
                "last_at": final.isoformat() if final else None,
                "articles": int(articles),
            }
        if len(rows) < _CHUNK:
            return


def _export_entities(db: Db) -> Iterator[dict[str, Any]]:
    last = ""
    while True:
        rows = db.all(
            "SELECT id, canonical, type, mentions, articles FROM entities WHERE id > ? ORDER BY id LIMIT ?",
            (last, _CHUNK),
        )
        for eid, canonical, type_, mentions, articles in rows:
            last = eid
            yield {
                "id": eid,
                "canonical": canonical,
                "type": type_,
                "mentions": int(mentions),
                "articles": int(articles),
            }
        if len(rows) < _CHUNK:
            return


def _export_spans(db: Db, table: str, level: int) -> Iterator[dict[str, Any]]:
    sql, names = _EXPORT_SQL[table]
    if table == "places" and level < PLACES:
        return
    sql = sql.replace("{roles}", _speaker_roles(level)).replace("{actors}", _actor_coding(level))
    places = level >= PLACES
    sql = sql.replace(
        "{geo}", "g.code, g.country, g.lat, g.lng" if places else "NULL, NULL, NULL, NULL"
    ).replace(
        "{geo_join}",
        " LEFT JOIN places g ON g.article = m.article AND g.span_start = m.span_start "
        "AND g.span_end = m.span_end"
        if places
        else "",
    )
    alias = table[0]
    last = (-1, -1)
    while True:
        rows = db.all(
            f"{sql} WHERE ({alias}.article > ? OR ({alias}.article = ? AND {alias}.position > ?)) "
            f"ORDER BY {alias}.article, {alias}.position LIMIT ?",
            (last[0], last[0], last[1], _CHUNK),
        )
        for row in rows:
            last = (row[0], row[1])
            out = dict(zip(names, row[2:], strict=True))
            if "ambiguous" in out:
                out["ambiguous"] = bool(out["ambiguous"])
            yield out
        if len(rows) < _CHUNK:
            return
