"""Search over either backend: the parsed query goes to the dialect's full-text index, filters
and facets are the same SQL on both, so both return the same sets of articles.

Pagination: sorted by date, the cursor is a keyset position ``(published, seq)``, so pages stay
consistent while new articles arrive. Sorted by relevance, the cursor is an offset into the
ranked list (ranks can change as the index grows, so a page may repeat or skip a hit that
moved; offsets are simple and what every ranked search engine does). Relevance over very many
matches is ranked in recency tiers (:mod:`warta.store.ranking`). Either cursor carries a
hash of the request and is refused for another one. ``total`` is exact.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from datetime import datetime
from typing import Any

from warta.errors import QueryError
from warta.store.base import SearchHit, SearchRequest, SearchResult
from warta.store.db import Db
from warta.store.ranking import Ranker
from warta.store.reads import entity_ids
from warta.store.rows import key, unpack_fields, utc

MAX_LIMIT = 100
FACET_SIZE = 10
SNIPPET_WIDTH = 240


class _Filters:
    """What the filters let through, as sets of article keys: conditions on the article row
    (outlet, dates, language) and key sets from the span tables (entity, speaker, event,
    place, full text). Intersecting key sets reads only indexes: no article row is touched
    until the page is known. ``empty`` when a filter names something the store does not hold."""

    def __init__(self) -> None:
        self.where: list[str] = []
        self.params: list[Any] = []
        self.sets: list[tuple[str, list[Any]]] = []
        self.text = False  # the last set is the full-text one
        self.empty = False

    def add(self, condition: str, *params: Any) -> None:
        self.where.append(condition)
        self.params.extend(params)

    def add_set(self, select_keys: str, *params: Any) -> None:
        self.sets.append((select_keys, list(params)))

    def condition(self, *, dense: bool) -> tuple[str, list[Any]]:
        """The filters as one condition on ``articles a`` for a page query. ``dense``: they let
        through much of the store, so each key set is tested (``+``) while the date index is
        walked, never iterated with a lookup per key."""
        plus = "+" if dense else ""
        tests = [f"{plus}a.seq IN ({sql})" for sql, _ in self.sets]
        cond = " AND ".join([*self.where, *tests]) or "1 = 1"
        return cond, self.params + [p for _, ps in self.sets for p in ps]

    def __bool__(self) -> bool:
        return bool(self.where or self.sets)

    def keys(self, *, dense_text: bool = False) -> tuple[str, list[Any]]:
        """SQL selecting the keys (column ``k``) that pass every filter, and its parameters.
        With conditions on the article row, the planner walks an article index (outlet, date,
        language) and tests the key sets; a full-text set matching much of the store is then
        tested (``+``), never iterated. Without them, the key sets are intersected directly."""
        if self.where:
            tests = [
                f"{'+' if dense_text and i == len(self.sets) - 1 and self.text else ''}a.seq IN ({sql})"
                for i, (sql, _) in enumerate(self.sets)
            ]
            cond = " AND ".join([*self.where, *tests])
            return f"SELECT a.seq AS k FROM articles a WHERE {cond}", self.params + [
                p for _, ps in self.sets for p in ps
            ]
        if not self.sets:
            return "SELECT a.seq AS k FROM articles a", []
        (first, params), rest = self.sets[0], self.sets[1:]
        sql = f"SELECT s.k FROM ({_as_k(first)}) s"
        if rest:
            sql += " WHERE " + " AND ".join(f"s.k IN ({r})" for r, _ in rest)
        return sql, params + [p for _, ps in rest for p in ps]


def _as_k(select_keys: str) -> str:
    """``SELECT x FROM ...`` as ``SELECT DISTINCT x AS k FROM ...``: each key once (an article
    has many events of one category), in one column named for the join."""
    head, _, tail = select_keys.partition(" FROM ")
    return f"{head.replace('SELECT ', 'SELECT DISTINCT ', 1)} AS k FROM {tail}"


def _validate(request: SearchRequest) -> None:
    if not isinstance(request.limit, int) or not 1 <= request.limit <= MAX_LIMIT:
        raise QueryError(f"limit must be between 1 and {MAX_LIMIT}, got {request.limit!r}")
    if request.sort not in ("relevance", "date"):
        raise QueryError(f"sort must be 'relevance' or 'date', got {request.sort!r}")
    for name in ("since", "until"):
        value = getattr(request, name)
        if value is not None and not isinstance(value, datetime):
            raise QueryError(f"{name} must be a date-time, got {value!r:.60}")


def _filters(db: Db, request: SearchRequest) -> _Filters:
    f = _Filters()
    if request.outlets:
        marks = ", ".join("?" * len(request.outlets))
        f.add(
            f"a.outlet_id IN (SELECT id FROM outlets WHERE name_key IN ({marks}))",
            *map(key, request.outlets),
        )
    if request.since is not None:
        f.add("a.published >= ?", db.time_in(utc(request.since)))
    if request.until is not None:
        f.add("a.published < ?", db.time_in(utc(request.until)))
    if request.language:
        f.add("a.language = ?", request.language.strip().lower())
    for value, type_ in ((request.entity, None), (request.place, "PLACE")):
        if value:
            ids = entity_ids(db, value.strip(), type_=type_)
            if not ids:
                f.empty = True
                continue
            marks = ", ".join("?" * len(ids))
            f.add_set(f"SELECT article FROM article_entities WHERE entity_id IN ({marks})", *ids)
    if request.speaker:
        f.add_set(
            "SELECT article FROM quotes WHERE speaker_id = ? UNION "
            "SELECT article FROM quotes WHERE speaker_key = ?",
            request.speaker.strip(),
            key(request.speaker),
        )
    if request.event:
        f.add_set("SELECT article FROM events WHERE category = ?", request.event.strip().upper())
    return f


def _request_hash(request: SearchRequest) -> str:
    parts = [
        request.query,
        sorted(request.outlets),
        request.since.isoformat() if request.since else None,
        request.until.isoformat() if request.until else None,
        request.language,
        request.entity,
        request.speaker,
        request.event,
        request.place,
        request.sort,
    ]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:16]


def _encode_cursor(data: dict[str, Any]) -> str:
    return (
        base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode())
        .decode()
        .rstrip("=")
    )


def _decode_cursor(request: SearchRequest) -> dict[str, Any] | None:
    if not request.cursor:
        return None
    text = request.cursor
    try:
        data = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise QueryError(f"cursor {text[:40]!r} is not a cursor this store gave out") from None
    if not isinstance(data, dict) or data.get("h") != _request_hash(request):
        raise QueryError(
            "the cursor belongs to another search: pass the same query, filters and sort"
        )
    return data


def run_search(db: Db, request: SearchRequest) -> SearchResult:
    from warta.store import query as q

    _validate(request)
    node = q.parse_query(request.query) if request.query and request.query.strip() else None
    filters = _filters(db, request)
    if filters.empty:
        return SearchResult(
            hits=[], total=0, next_cursor=None, facets=_no_facets() if request.facets else {}
        )
    ranked = node is not None and request.sort == "relevance"
    cursor = _decode_cursor(request)
    text = db.fts_query(node) if node is not None else None

    top = int(db.scalar("SELECT coalesce(max(seq), 0) FROM articles") or 0)
    only_text = text is not None and not filters
    matches = _match_count(db, text) if text is not None else 0
    if text is not None:
        filters.add_set(db.fts_match(), text)
        filters.text = True
    keys, key_params = filters.keys(dense_text=matches >= DENSE * top)
    if only_text:  # the index counts its matches faster than any join
        total = matches
    elif not filters:
        total = int(db.scalar("SELECT count(*) FROM articles"))
    else:
        total = int(db.scalar(f"SELECT count(*) FROM ({keys}) c", key_params))
    matching = (keys, key_params)

    if ranked:
        assert text is not None
        offset = int(cursor.get("o", 0)) if cursor else 0
        if offset < 0:
            raise QueryError("the cursor holds a negative offset")
        allowed = None
        if not only_text:
            allowed = [int(k) for (k,) in db.all(f"{keys} ORDER BY 1", key_params)]
        rows = Ranker(db, text, allowed).page(offset, request.limit + 1)
        more = len(rows) > request.limit
        next_cursor = (
            _encode_cursor({"h": _request_hash(request), "o": offset + request.limit})
            if more
            else None
        )
    else:
        # many keys: walk the date index and test each, stopping at the page's end;
        # few keys: look each up and sort them
        where, params = filters.condition(dense=total >= DENSE * top)
        if cursor:
            where, params = _after(db, cursor, where, params)
        rows = db.all(
            f"SELECT a.seq, 0.0 FROM articles a WHERE {where} ORDER BY {db.date_order()} LIMIT ?",
            [*params, request.limit + 1],
        )
        more = len(rows) > request.limit
        next_cursor = None
        if more:
            last = int(rows[request.limit - 1][0])
            published = db.scalar("SELECT published FROM articles WHERE seq = ?", (last,))
            stamp = db.time_out(published)
            next_cursor = _encode_cursor(
                {"h": _request_hash(request), "p": stamp.isoformat() if stamp else None, "s": last}
            )
    page = rows[: request.limit]
    hits = _hits(db, [(int(seq), float(score)) for seq, score in page], node)
    facets = _facets(db, *matching) if request.facets else {}
    return SearchResult(hits=hits, total=total, next_cursor=next_cursor, facets=facets)


#: a search letting through at least this share of the store walks the date index (see run_search)
DENSE = 0.02


def _match_count(db: Db, text: str) -> int:
    table, _, match, _ = db.fts_table()
    return int(db.scalar(f"SELECT count(*) FROM {table} WHERE {match}", [text] * match.count("?")))


def _after(db: Db, cursor: dict[str, Any], where: str, params: list[Any]) -> tuple[str, list[Any]]:
    """The keyset condition for the page after ``cursor`` (newest first, undated last)."""
    try:
        seq = int(cursor["s"])
        stamp = datetime.fromisoformat(cursor["p"]) if cursor.get("p") else None
    except (KeyError, TypeError, ValueError):
        raise QueryError("the cursor is not a date-sorted cursor") from None
    if stamp is None:
        return f"{where} AND (a.published IS NULL AND a.seq < ?)", [*params, seq]
    t = db.time_in(stamp)
    return (
        f"{where} AND (a.published < ? OR (a.published = ? AND a.seq < ?) OR a.published IS NULL)",
        [*params, t, t, seq],
    )


def _hits(db: Db, page: list[tuple[int, float]], node: Any) -> list[SearchHit]:
    if not page:
        return []
    from warta.store import query as q

    marks = ", ".join("?" * len(page))
    rows = db.all(
        "SELECT a.seq, a.id, a.url, a.title, o.name, a.published, a.language, a.doc FROM articles a "
        f"LEFT JOIN outlets o ON o.id = a.outlet_id WHERE a.seq IN ({marks})",
        [seq for seq, _ in page],
    )
    by_seq = {int(r[0]): r for r in rows}
    hits = []
    for seq, score in page:
        _, article_id, url, title, outlet, published, language, doc = by_seq[seq]
        body = str(unpack_fields(doc).get("body") or "")
        snippet = q.snippet(body, node, width=SNIPPET_WIDTH) if node is not None else _lead(body)
        hits.append(
            SearchHit(
                id=str(article_id),
                url=url,
                title=title,
                outlet=outlet,
                published=db.time_out(published),
                language=language,
                score=score,
                snippet=snippet,
            )
        )
    return hits


def _lead(body: str) -> str:
    """The opening of the body, cut at a word, when there is no query to centre a snippet on."""
    if len(body) <= SNIPPET_WIDTH:
        return body
    cut = body.rfind(" ", 0, SNIPPET_WIDTH)
    return body[: cut if cut > 0 else SNIPPET_WIDTH] + " …"


_FACET_SQL: dict[str, str] = {
    "outlet": "SELECT o.name AS v, count(*) AS n FROM articles a JOIN outlets o ON o.id = a.outlet_id "
    "WHERE a.seq IN ({m}) GROUP BY o.name",
    "language": "SELECT a.language AS v, count(*) AS n FROM articles a WHERE a.seq IN ({m}) AND a.language IS NOT NULL "
    "GROUP BY a.language",
    "entity": "SELECT max(e.canonical) AS v, count(DISTINCT ae.article) AS n FROM article_entities ae "
    "JOIN entities e ON e.id = ae.entity_id WHERE ae.article IN ({m}) GROUP BY e.canonical_key",
    "speaker": "SELECT max(q.speaker) AS v, count(DISTINCT q.article) AS n FROM quotes q "
    "WHERE q.article IN ({m}) AND q.speaker_key IS NOT NULL GROUP BY q.speaker_key",
    "event": "SELECT ev.category AS v, count(DISTINCT ev.article) AS n FROM events ev WHERE ev.article IN ({m}) "
    "GROUP BY ev.category",
    "place": "SELECT max(e.canonical) AS v, count(DISTINCT ae.article) AS n FROM article_entities ae "
    "JOIN entities e ON e.id = ae.entity_id WHERE ae.type = 'PLACE' AND ae.article IN ({m}) "
    "GROUP BY e.canonical_key",
}


def _no_facets() -> dict[str, list[tuple[str, int]]]:
    return {name: [] for name in _FACET_SQL}


def _facets(db: Db, matching: str, params: list[Any]) -> dict[str, list[tuple[str, int]]]:
    """Top values of each facet over the whole matching set (not just the page), with the
    number of matching articles each; ties broken by value (byte order) so both backends agree."""
    out: dict[str, list[tuple[str, int]]] = {}
    for name, sql in _FACET_SQL.items():
        rows = db.all(
            f"SELECT v, n FROM ({sql.format(m=matching)}) t ORDER BY n DESC, v COLLATE {db.binary} LIMIT ?",
            [*params, FACET_SIZE],
        )
        out[name] = [(str(value), int(count)) for value, count in rows]
    return out
