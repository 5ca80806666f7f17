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
import dataclasses
import hashlib
import json
from bisect import insort
from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from warta.core.errors import QueryError
from warta.store import names
from warta.store.base import SearchHit, SearchRequest, SearchResult, UnknownName
from warta.store.db import Db
from warta.store.migrations import CORPUS, FACET_COVERING, LATEST, SEQ_PUBLISHED
from warta.store.ranking import Ranker
from warta.store.rows import SINCE, UNTIL, local_bound, unpack_body, utc

MAX_LIMIT = 100
_TOP = "SELECT coalesce(max(seq), 0) FROM articles"
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
        #: the full-text test as a lookup per article (``{k}`` is the key column), not a set
        self.probe: tuple[str, list[Any]] | None = None
        self.empty = False
        #: names given to filters that name nothing in the store, with suggestions
        self.unknown: list[names.Resolved] = []

    def add(self, condition: str, *params: Any) -> None:
        self.where.append(condition)
        self.params.extend(params)

    def add_set(self, select_keys: str, *params: Any) -> None:
        self.sets.append((select_keys, list(params)))

    def text_set(self, db: Db, text: str) -> None:
        """The full-text condition as a key set (the last one)."""
        self.add_set(db.fts_match(), text)
        self.text = True

    def text_probe(self, db: Db, text: str) -> None:
        """The full-text condition as a lookup of each article in the index, in place of the
        key set: an article the other conditions let through is tested by key."""
        if self.text:
            self.sets.pop()
            self.text = False
        table, key, match, _ = db.fts_table()
        self.probe = (
            f"EXISTS (SELECT 1 FROM {table} WHERE {match} AND {table}.{key} = {{k}})",
            [text] * match.count("?"),
        )

    def condition(self, *, dense: bool, text_drives: bool = False) -> tuple[str, list[Any]]:
        """The filters as one condition on ``articles a`` for a page query. ``dense``: they let
        through much of the store, so each key set is tested (``+``) while the date index is
        walked, never iterated with a lookup per key. ``text_drives``: the full-text set is
        iterated (few matches) and every other set tested; otherwise it is only tested."""
        last = len(self.sets) - 1 if self.text else -1

        def plus(i: int) -> str:
            if i == last:
                return "" if text_drives else "+"
            return "+" if dense or text_drives else ""

        tests = [f"{plus(i)}a.seq IN ({sql})" for i, (sql, _) in enumerate(self.sets)]
        probe, probe_params = self._probe("a.seq")
        cond = " AND ".join([*self.where, *tests, *probe]) or "1 = 1"
        return cond, self.params + [p for _, ps in self.sets for p in ps] + probe_params

    def _probe(self, column: str) -> tuple[list[str], list[Any]]:
        """The text probe on ``column`` (last: it is the dearest test), if there is one."""
        if self.probe is None:
            return [], []
        return [self.probe[0].format(k=column)], list(self.probe[1])

    def __bool__(self) -> bool:
        return bool(self.where or self.sets or self.probe)

    def keys(self, *, dense_text: bool = False) -> tuple[str, list[Any]]:
        """SQL selecting the keys (column ``k``) that pass every filter, and its parameters.
        With conditions on the article row, the planner walks an article index (outlet, date,
        language) and tests the key sets; a full-text set matching much of the store is then
        tested (``+``), never iterated. Without them, the key sets are intersected directly."""
        set_params = [p for _, ps in self.sets for p in ps]
        if self.where or not self.sets:
            tests = [
                f"{'+' if dense_text and i == len(self.sets) - 1 and self.text else ''}a.seq IN ({sql})"
                for i, (sql, _) in enumerate(self.sets)
            ]
            probe, probe_params = self._probe("a.seq")
            cond = " AND ".join([*self.where, *tests, *probe])
            where = f" WHERE {cond}" if cond else ""
            return (
                f"SELECT a.seq AS k FROM articles a{where}",
                self.params + set_params + probe_params,
            )
        (first, params), rest = self.sets[0], self.sets[1:]
        probe, probe_params = self._probe("s.k")
        sql = f"SELECT s.k FROM ({_as_k(first)}) s"
        tests = [f"s.k IN ({r})" for r, _ in rest] + probe
        if tests:
            sql += " WHERE " + " AND ".join(tests)
        return sql, params + [p for _, ps in rest for p in ps] + probe_params


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
    """The request's filters; a name that names nothing the store holds is kept in
    ``unknown`` (with suggestions) and empties the result."""
    f = _Filters()
    if request.outlets:
        outlet_ids: list[str] = []
        for name in request.outlets:
            found = names.resolve_outlet(db, name)
            outlet_ids += found.ids
            if not found.known:
                f.unknown.append(found)
        if not outlet_ids:
            f.empty = True
        else:
            marks = ", ".join("?" * len(outlet_ids))
            f.add(f"a.outlet_id IN ({marks})", *map(int, outlet_ids))
    if request.since is not None:
        f.add(SINCE, db.time_in(utc(request.since)), local_bound(request.since))
    if request.until is not None:
        f.add(UNTIL, db.time_in(utc(request.until)), local_bound(request.until))
    if request.language:
        f.add("a.language = ?", request.language.strip().lower())
    for value, type_ in ((request.entity, None), (request.place, "PLACE")):
        if value:
            found = names.resolve_entity(db, value, type_=type_)
            if not found.known:
                f.unknown.append(found)
                f.empty = True
                continue
            marks = ", ".join("?" * len(found.ids))
            f.add_set(
                f"SELECT article FROM article_entities WHERE entity_id IN ({marks})", *found.ids
            )
    if request.speaker:
        speaker = names.resolve_speaker(db, request.speaker)
        if not speaker.known:
            f.unknown.append(speaker)
            f.empty = True
        else:
            f.add_set(*_speaker_set(speaker))
    if request.event:
        f.add_set(
            "SELECT article FROM events WHERE category = ?", names.check_category(db, request.event)
        )
    if request.region:
        _region_filter(db, request.region, f)
    if request.story or request.duplicates_of or request.originals_only:
        _corpus_filters(db, request, f)
    return f


def _region_filter(db: Db, value: str, f: _Filters) -> None:
    """Articles naming a place inside the region (its children included: "72" is Sulawesi
    Tengah with every regency and district in it)."""
    if not db.table_exists("places"):
        raise QueryError("this store has no places table yet: open it with this warta to upgrade")
    region = names.resolve_region(value)
    if not region.known:
        f.unknown.append(region)
        f.empty = True
        return
    sql, params = names.region_condition(region.ids)
    f.add_set(sql, *params)


def _speaker_set(speaker: names.Resolved) -> tuple[str, ...]:
    """The key set of articles quoting a resolved speaker: by entity id or stored name."""
    parts = []
    if speaker.ids:
        parts.append(
            f"SELECT article FROM quotes WHERE speaker_id IN ({', '.join('?' * len(speaker.ids))})"
        )
    if speaker.keys:
        parts.append(
            f"SELECT article FROM quotes WHERE speaker_key IN ({', '.join('?' * len(speaker.keys))})"
        )
    return (" UNION ".join(parts), *speaker.ids, *speaker.keys)


def _unknown(found: names.Resolved) -> UnknownName:
    return UnknownName(field=found.kind, text=found.text, suggestions=found.suggestions)


def _corpus_filters(db: Db, request: SearchRequest, f: _Filters) -> None:
    """Story, duplicate-group and originals-only filters (the corpus tables, migration 5)."""
    if not db.table_exists("corpus_docs"):
        raise QueryError("this store has no corpus tables yet: open it with this warta to upgrade")
    if request.story:
        from warta.store.corpus_tables import CorpusTables

        live = CorpusTables(db).resolve_story(request.story.strip())
        if live is None:
            f.empty = True
        else:
            f.add_set("SELECT article FROM corpus_docs WHERE story = ?", live)
    if request.duplicates_of:
        wanted = request.duplicates_of.strip()
        group = db.scalar(
            "SELECT d.dup_group FROM corpus_docs d JOIN articles a ON a.seq = d.article WHERE a.id = ?",
            (wanted,),
        )
        if group is None:
            f.empty = True
        else:
            f.add_set("SELECT article FROM corpus_docs WHERE dup_group = ?", group)
            f.add("a.id <> ?", wanted)
    if request.originals_only:
        f.add(
            "a.seq NOT IN (SELECT d.article FROM corpus_docs d JOIN dup_groups g ON g.id = d.dup_group "
            "WHERE g.original <> d.article)"
        )


#: Request fields that do not change which hits a search has, or their order.
_NOT_HASHED = frozenset({"limit", "cursor", "facets"})
#: Filters added after cursors were first given out: they join the hash only when set, so a
#: cursor of a request that does not use them stays valid.
_HASHED_WHEN_SET = frozenset({"region", "story", "duplicates_of", "originals_only"})


def _request_hash(request: SearchRequest) -> str:
    """What a cursor is bound to: every field of the request that picks or orders the hits
    (so a filter added to :class:`SearchRequest` joins it with no edit here)."""
    parts: list[Any] = []
    for f in dataclasses.fields(request):
        if f.name in _NOT_HASHED:
            continue
        value = getattr(request, f.name)
        if f.name in _HASHED_WHEN_SET and value == f.default:
            continue
        if isinstance(value, tuple | list):
            value = sorted(value)
        elif isinstance(value, datetime):
            value = value.isoformat()
        parts.append(value)
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


def run_search(db: Db, request: SearchRequest, *, level: int = LATEST) -> SearchResult:
    from warta.store import query as q

    _validate(request)
    node = q.parse_query(request.query) if request.query and request.query.strip() else None
    if node is None and request.query and request.query.strip():
        raise QueryError(f"the query {request.query!r} holds no word to search for")
    filters = _filters(db, request)
    if filters.empty:
        return SearchResult(
            hits=[],
            total=0,
            next_cursor=None,
            facets=_no_facets() if request.facets else {},
            unknown=tuple(_unknown(r) for r in filters.unknown),
        )
    ranked = node is not None and request.sort == "relevance"
    cursor = _decode_cursor(request)
    text = db.fts_query(node) if node is not None else None
    # the highest key, which sizes are measured against (a relevance search by text alone has
    # nothing to measure)
    top = 0 if ranked and not filters else int(db.scalar(_TOP) or 0)
    plan = _plan(db, filters, text, top, ranked=ranked)
    keys, key_params = filters.keys(dense_text=plan.dense_text)
    if ranked:
        assert text is not None
        page = _ranked_page(db, request, text, plan, (keys, key_params), cursor)
    else:
        page = _date_page(db, request, filters, plan, text, (keys, key_params), cursor, top, level)
    rows = page.rows[: request.limit]
    hits = _hits(db, [(int(seq), float(score)) for seq, score in rows], node)
    facets: dict[str, list[tuple[str, int]]] = {}
    facets_exact, facets_over = True, 0
    if request.facets:
        sample = facet_sample(db, filters, (keys, key_params))
        facets_exact = len(sample) <= FACET_SAMPLE
        facets_over = min(len(sample), FACET_SAMPLE)
        facets = _facets(db, sample[:FACET_SAMPLE], level=level)
    return SearchResult(
        hits=hits,
        total=page.total,
        next_cursor=page.next_cursor,
        facets=facets,
        total_exact=page.exact,
        facets_exact=facets_exact,
        facets_over=facets_over,
    )


@dataclasses.dataclass(frozen=True, slots=True)
class _Page:
    """One page of a search: up to ``limit + 1`` (seq, score) rows (one more says there is a
    next page), the total (exact or capped) and the cursor of the next page."""

    rows: list[tuple[Any, ...]]
    total: int
    exact: bool
    next_cursor: str | None


def _ranked_page(
    db: Db,
    request: SearchRequest,
    text: str,
    plan: _Plan,
    keys: tuple[str, list[Any]],
    cursor: dict[str, Any] | None,
) -> _Page:
    """A page sorted by relevance: the ranker over the matches the filters allow; the cursor
    holds the offset."""
    offset = int(cursor.get("o", 0)) if cursor else 0
    if offset < 0:
        raise QueryError("the cursor holds a negative offset")
    allowed = None
    if plan.only_text:  # the index counts its matches faster than any join
        total = plan.matches
    else:
        allowed = sorted(int(k) for (k,) in db.all(*keys))
        total = len(allowed)
    exact_matches = plan.matches if plan.matches <= CAP else None
    rows = Ranker(db, text, allowed, matches=exact_matches).page(offset, request.limit + 1)
    next_cursor = None
    if len(rows) > request.limit:
        next_cursor = _encode_cursor({"h": _request_hash(request), "o": offset + request.limit})
    return _Page(list(rows), total, True, next_cursor)


def _date_page(
    db: Db,
    request: SearchRequest,
    filters: _Filters,
    plan: _Plan,
    text: str | None,
    keys: tuple[str, list[Any]],
    cursor: dict[str, Any] | None,
    top: int,
    level: int = LATEST,
) -> _Page:
    """A page newest first: counted (up to :data:`CAP`), then read along the date order; the
    cursor holds the last hit's date and sequence number."""
    if plan.only_text:
        counted = plan.matches
    elif not filters:  # every article
        counted = min(int(db.scalar("SELECT count(*) FROM articles")), CAP + 1)
    else:
        # few keys (a name's articles, probed for the text): read them once and page through
        # them, instead of applying every filter twice, once to count and once for the page
        found = db.all(f"{keys[0]} LIMIT {FEW + 1}", keys[1])
        if len(found) <= FEW:
            return _page_of_keys(db, request, [int(k) for (k,) in found], cursor, level)
        counted = _capped(db, *keys)
    drives, walk = _page_plan(db, filters, plan, text, counted, top, request.limit)
    # many keys: walk the date index and test each, stopping at the page's end;
    # few keys: look each up and sort them
    where, params = filters.condition(dense=walk or counted >= DENSE * top, text_drives=drives)
    if cursor:
        where, params = _after(db, cursor, where, params)
    rows = db.all(
        f"SELECT a.seq, 0.0 FROM articles a WHERE {where} ORDER BY {db.date_order()} LIMIT ?",
        [*params, request.limit + 1],
    )
    return _Page(rows, min(counted, CAP), counted <= CAP, _date_cursor(db, request, rows))


def _page_of_keys(
    db: Db,
    request: SearchRequest,
    seqs: list[int],
    cursor: dict[str, Any] | None,
    level: int = LATEST,
) -> _Page:
    """A date-sorted page from the whole, known set of matching keys (at most :data:`FEW`)."""
    rows: list[tuple[Any, ...]] = []
    if seqs:
        where, params = f"a.seq IN ({', '.join('?' * len(seqs))})", list(seqs)
        if cursor:
            where, params = _after(db, cursor, where, params)
        # each key's publish time from the (seq, published) index, not from its article row
        # (a page or more of packed record each: thousands of them for a common name)
        dated = db.covered("articles", "a", "articles_seq_published", has=level >= SEQ_PUBLISHED)
        rows = db.all(
            f"SELECT a.seq, 0.0 FROM {dated} WHERE {where} ORDER BY {db.date_order()} LIMIT ?",
            [*params, request.limit + 1],
        )
    return _Page(rows, len(seqs), True, _date_cursor(db, request, rows))


def _date_cursor(db: Db, request: SearchRequest, rows: list[tuple[Any, ...]]) -> str | None:
    """The cursor of the page after ``rows`` (``limit + 1`` of them when there is one)."""
    if len(rows) <= request.limit:
        return None
    last = int(rows[request.limit - 1][0])
    published = db.scalar("SELECT published FROM articles WHERE seq = ?", (last,))
    stamp = db.time_out(published)
    return _encode_cursor(
        {"h": _request_hash(request), "p": stamp.isoformat() if stamp else None, "s": last}
    )


#: a date-sorted search whose filters let through at most this many articles reads their keys
#: once and sorts them, rather than counting and then paging with every filter applied again
FEW = 2000
#: a search letting through at least this share of the store walks the date index (see run_search)
DENSE = 0.02
#: totals are counted up to here: past it a result says "at least CAP" (``total_exact`` False)
CAP = 10_000
# What each way of applying the full-text condition costs per article, in µs (SQLite FTS5 at
# 200,000 articles; PostgreSQL is in the same proportions): ``PROBE_US`` looks one article up in
# the index (``EXISTS ... rowid = a.seq``: a seek per segment), ``SET_US`` puts one match into a
# materialised key set, ``ITERATE_US`` walks one match and looks its article row up.
PROBE_US = 40.0
SET_US = 0.25
ITERATE_US = 2.0
WALK_US = 0.5  # one date-index entry passed, its key sets tested
#: tests force a plan: None picks by cost, "probe" or "set" always takes that one
FORCE: str | None = None


class _Plan:
    """How the full-text condition joins the filters: as a key set, or probed per article.

    ``matches`` is the match count, exact up to :data:`CAP` (``CAP + 1`` means more), exact
    without a cap when the ranker needs it (a text-only relevance search)."""

    def __init__(
        self, matches: int, *, only_text: bool, dense_text: bool, allowed: int = 0
    ) -> None:
        self.matches = matches
        self.only_text = only_text
        self.dense_text = dense_text
        #: what the other filters let through, counted up to ``CAP + 1``
        self.allowed = allowed


def _plan(db: Db, filters: _Filters, text: str | None, top: int, *, ranked: bool) -> _Plan:
    """Pick how the text condition is applied, from the sizes of the two sides (counted up to
    :data:`CAP`, so the choice itself stays cheap): the smaller side drives, and a text
    condition matching much of the store is never materialised when few articles need testing.
    The choice changes the work, never the set of articles."""
    if text is None:
        return _Plan(0, only_text=False, dense_text=False)
    table, _, match, _ = db.fts_table()
    match_params = [text] * match.count("?")
    if not filters:
        sql = f"SELECT count(*) FROM {table} WHERE {match}"
        matches = (
            int(db.scalar(sql, match_params))
            if ranked
            else _capped(db, f"SELECT 1 FROM {table} WHERE {match}", match_params)
        )
        filters.text_set(db, text)
        return _Plan(matches, only_text=True, dense_text=False, allowed=CAP + 1)
    matches = _capped(db, f"SELECT 1 FROM {table} WHERE {match}", match_params)
    keys, key_params = filters.keys()
    allowed = _capped(db, keys, key_params)
    wide = top if allowed > CAP else allowed  # past the cap: as many as the store holds
    probe_cost = _probe_us(text) * wide
    set_cost = ITERATE_US * matches if matches <= CAP else SET_US * top
    probe = FORCE == "probe" or (FORCE is None and probe_cost < set_cost)
    if probe:
        filters.text_probe(db, text)
        return _Plan(matches, only_text=False, dense_text=False, allowed=allowed)
    filters.text_set(db, text)
    return _Plan(matches, only_text=False, dense_text=matches >= DENSE * top, allowed=allowed)


def _page_plan(
    db: Db, filters: _Filters, plan: _Plan, text: str | None, counted: int, top: int, limit: int
) -> tuple[bool, bool]:
    """How a date-sorted page applies the text: probed while the date index is walked (the walk
    stops after about ``limit`` / (the text's share of what the filters let through) articles),
    or as a set, iterated when its matches are few. Returns whether the text set drives, and
    whether the date index must be walked (a probed text never probes a whole key set unless
    that set is smaller than the walk)."""
    if text is None:
        return False, False
    wide = plan.allowed if plan.allowed <= CAP else top
    if plan.allowed <= CAP and not plan.only_text:
        share = counted / max(plan.allowed, 1)
    else:
        share = min(plan.matches, CAP) / max(top, 1)
    probes = min(wide, (limit + 1) / max(share, 1e-9))
    probe_cost = _probe_us(text) * probes
    set_cost = ITERATE_US * plan.matches if plan.matches <= CAP else SET_US * top
    if FORCE == "probe" or (FORCE is None and probe_cost < set_cost):
        filters.text_probe(db, text)
        walked = min(top, (limit + 1) * top / max(counted, 1))  # date index entries passed
        return False, _probe_us(text) * wide > probe_cost + WALK_US * walked
    return plan.matches <= CAP and FORCE is None, False


def _probe_us(text: str) -> float:
    """A probe's cost: a prefix is expanded over its terms at every probe, so it is dear."""
    return PROBE_US * (50 if "*" in text else 1 + text.count(" "))


def _capped(db: Db, select: str, params: list[Any]) -> int:
    """How many rows ``select`` gives, counting no further than ``CAP + 1``."""
    return int(db.scalar(f"SELECT count(*) FROM ({select} LIMIT {CAP + 1}) c", params))


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
        body = unpack_body(doc)
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


#: the facets, in the order a result lists them
FACET_NAMES = ("outlet", "year", "language", "entity", "speaker", "event", "place", "story")
#: facets count at most this many matching articles: the newest stored (highest ``seq``). A
#: search matching more is counted over these (``facets_exact`` False, ``facets_over`` says how
#: many): counting every match of a common word costs time in proportion to the matches
#: (about 12 entity rows each; 14 s at 110,000 articles), which no page can wait for
FACET_SAMPLE = 500

#: facets read from the key list ``{m}`` in one statement each (the entity and place facets are
#: counted together, see :func:`_entity_facets`; outlet, year and language in one pass over the
#: rows)
_FACET_SQL: dict[str, str] = {
    "speaker": "SELECT max(q.speaker) AS v, count(DISTINCT q.article) AS n FROM {quotes} "
    "WHERE q.article IN ({m}) AND q.speaker_key IS NOT NULL GROUP BY q.speaker_key",
    "event": "SELECT ev.category AS v, count(DISTINCT ev.article) AS n FROM {events} "
    "WHERE ev.article IN ({m}) GROUP BY ev.category",
    # a story's id (the reader shows its title); empty until the corpus layer has placed articles
    "story": "SELECT d.story AS v, count(*) AS n FROM corpus_docs d WHERE d.article IN ({m}) "
    "AND d.story IS NOT NULL GROUP BY d.story",
}


def _no_facets() -> dict[str, list[tuple[str, int]]]:
    return {name: [] for name in FACET_NAMES}


def facet_sample(db: Db, filters: _Filters, keys: tuple[str, list[Any]]) -> list[int]:
    """The keys the facets count, newest stored first: every matching article, or the
    :data:`FACET_SAMPLE` + 1 newest of them (one more says there are more). A text-only search
    reads them from the full-text index in key order, which stops after the sample."""
    limit = FACET_SAMPLE + 1
    if filters.text and len(filters.sets) == 1 and not filters.where and filters.probe is None:
        table, key_col, match, _ = db.fts_table()
        sql = f"SELECT {key_col} FROM {table} WHERE {match} ORDER BY {key_col} DESC LIMIT {limit}"
        return [int(k) for (k,) in db.all(sql, [filters.sets[0][1][0]] * match.count("?"))]
    sql, params = keys
    return [
        int(k)
        for (k,) in db.all(f"SELECT f.k FROM ({sql}) f ORDER BY f.k DESC LIMIT {limit}", params)
    ]


def _facets(db: Db, keys: list[int], *, level: int = LATEST) -> dict[str, list[tuple[str, int]]]:
    """Top values of each facet over the articles ``keys`` (the whole matching set, or its
    newest part: see :data:`FACET_SAMPLE`), with the number of those articles each; ties
    broken by value (code point order, as both backends' binary collations order it).
    ``level``: the store's migration level (which tables and indexes it has)."""
    out = _no_facets()
    if not keys:
        return out
    m = ", ".join(str(int(k)) for k in keys)  # integers from the store: no quoting to get wrong
    covering = level >= FACET_COVERING
    tables = {  # each read through its small covering index where the store has one
        "articles": db.covered("articles", "a", "articles_seq_published", has=covering),
        "quotes": db.covered("quotes", "q", "quotes_article_speaker", has=covering),
        "events": db.covered("events", "ev", "events_article_category", has=covering),
        "entities": db.covered("entities", "e", "entities_names", has=covering),
    }
    outlets: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    years: Counter[str] = Counter()
    month = db.month("a.published")
    for outlet, language, published, n in db.all(
        f"SELECT o.name, a.language, {month}, count(*) FROM {tables['articles']} "
        f"LEFT JOIN outlets o ON o.id = a.outlet_id WHERE a.seq IN ({m}) "
        f"GROUP BY o.name, a.language, {month}"
    ):
        if outlet is not None:
            outlets[str(outlet)] += int(n)
        if language is not None:
            languages[str(language)] += int(n)
        if published is not None:  # the year (UTC) of the publish time
            years[str(published)[:4]] += int(n)
    out["outlet"] = _top(outlets.items())
    out["language"] = _top(languages.items())
    out["year"] = _top(years.items())
    out["entity"], out["place"] = _entity_facets(db, m, tables["entities"])
    for name, sql in _FACET_SQL.items():
        if name == "story" and level < CORPUS:  # a store from before the corpus tables
            continue
        out[name] = _top((str(v), int(n)) for v, n in db.all(sql.format(m=m, **tables)))
    return {name: out[name] for name in FACET_NAMES}


def _top(counts: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    """The :data:`FACET_SIZE` largest counts, ties by value."""
    return sorted(counts, key=lambda vn: (-vn[1], vn[0]))[:FACET_SIZE]


def _entity_facets(
    db: Db, m: str, entities: str = "entities e"
) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """The entity facet and the place facet (entities named as places in those articles): the
    articles naming each canonical name, ids that share one counted together.

    The articles per entity id are counted once, from the index on (article, type, entity_id)
    alone (each article names an id once), and grouped by canonical name for both facets. A
    name held by one id has its count; a name held by several has at most the sum of theirs (an
    article may name two of them), so its exact count is asked for only when that bound could
    place it among the top."""
    rows = db.all(
        "WITH c AS (SELECT ae.entity_id, ae.type, count(*) AS n FROM article_entities ae "
        f"WHERE ae.article IN ({m}) GROUP BY ae.entity_id, ae.type) "
        "SELECT 0, e.canonical_key, max(e.canonical), sum(c.n), count(DISTINCT c.entity_id) "
        f"FROM c JOIN {entities} ON e.id = c.entity_id GROUP BY e.canonical_key "
        "UNION ALL SELECT 1, e.canonical_key, max(e.canonical), sum(c.n), count(DISTINCT c.entity_id) "
        f"FROM c JOIN {entities} ON e.id = c.entity_id WHERE c.type = 'PLACE' GROUP BY e.canonical_key"
    )
    groups: tuple[list[_Bound], list[_Bound]] = ([], [])
    for facet, name_key, value, bound, ids in rows:
        groups[int(facet)].append((-int(bound), str(value), int(ids) == 1, str(name_key)))
    return _exact_top(db, m, groups[0], None), _exact_top(db, m, groups[1], "PLACE")


#: a name in a facet: (minus its count or the bound on it, its value, whether the count is
#: exact, its canonical key)
_Bound = tuple[int, str, bool, str]


def _exact_top(db: Db, m: str, ranked: list[_Bound], type_: str | None) -> list[tuple[str, int]]:
    """The top names by exact count: bounds are replaced by counts from the best down until
    the top :data:`FACET_SIZE` are all exact (an exact count is never above its bound)."""
    ranked.sort()
    while True:
        loose = next((i for i, r in enumerate(ranked[:FACET_SIZE]) if not r[2]), None)
        if loose is None:
            return [(value, -neg) for neg, value, _, _ in ranked[:FACET_SIZE]]
        _, value, _, name_key = ranked.pop(loose)
        typed = " AND ae.type = ?" if type_ else ""
        exact = int(
            db.scalar(
                "SELECT count(DISTINCT ae.article) FROM article_entities ae JOIN entities e "
                f"ON e.id = ae.entity_id WHERE e.canonical_key = ? AND ae.article IN ({m}){typed}",
                [name_key, *([type_] if type_ else [])],
            )
        )
        insort(ranked, (-exact, value, True, name_key))
