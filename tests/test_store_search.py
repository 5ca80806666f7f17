"""Search on real extracted articles, on SQLite and on PostgreSQL: every filter, phrase and
boolean queries, Indonesian morphology, facets, cursor pagination, bad requests; and the same
result sets from both backends for a list of queries."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from test_store_corpus import corpus

from warta.core.errors import QueryError
from warta.core.record import Article
from warta.store import SearchRequest, SearchResult, Store, open_store


@pytest.fixture
def filled(store_location: str) -> Iterator[tuple[Store, list[Article]]]:
    articles = corpus()
    with open_store(store_location) as store:
        store.put_many(articles)
        yield store, articles


def _ids(store: Store, **request: object) -> set[str]:
    """Every hit of a search, following cursors."""
    found: list[str] = []
    cursor = None
    while True:
        result = store.search(SearchRequest(limit=100, cursor=cursor, **request))  # type: ignore[arg-type]
        found += [h.id for h in result.hits]
        if not result.next_cursor:
            break
        cursor = result.next_cursor
    assert len(found) == len(set(found)) == result.total
    return set(found)


def _having(articles: list[Article], test: object) -> set[str]:
    return {a.id for a in articles if test(a)}  # type: ignore[operator]


def test_each_filter_on_real_data(filled: tuple[Store, list[Article]]) -> None:
    store, articles = filled
    seed, tempo, post = articles[:3]
    obama = _having(articles, lambda a: any(m.entity_id == "Q76" for m in a.entities))
    assert obama and _ids(store, entity="Barack Obama") == obama == _ids(store, entity="Q76")
    assert _ids(store, entity="barack obama") == obama  # canonical names in any case
    tito = _having(articles, lambda a: any(q.speaker == "Tito Karnavian" for q in a.quotes))
    assert len(tito) >= 2 and _ids(store, speaker="Tito Karnavian") == tito
    tito_id = next(
        q.speaker_id for a in articles for q in a.quotes if q.speaker == "Tito Karnavian"
    )
    assert tito_id and _ids(store, speaker=tito_id) == tito
    for category in ("ASSAULT", "COOPERATE", "REQUEST"):
        expected = _having(articles, lambda a, c=category: any(e.category == c for e in a.events))
        assert expected and _ids(store, event=category) == expected
        assert _ids(store, event=category.lower()) == expected
    east_java = _having(
        articles,
        lambda a: any(m.type == "PLACE" and m.canonical == "Jawa Timur" for m in a.entities),
    )
    assert len(east_java) >= 2 and _ids(store, place="Jawa Timur") == east_java
    assert _ids(store, place="Barack Obama") == set()  # a person is not a place
    assert _ids(store, outlets=("Tempo.co", "the jakarta post")) == {tempo.id, post.id}
    assert _ids(store, language="en") == {post.id}
    since, until = datetime(2020, 1, 1, tzinfo=UTC), datetime(2021, 1, 1, tzinfo=UTC)
    window = _having(articles, lambda a: a.published is not None and since <= a.published < until)
    assert window == {tempo.id, post.id}
    assert _ids(store, since=since, until=until) == window
    assert _ids(store, entity="nobody we know") == set()
    both = _ids(store, query="menteri", speaker="Tito Karnavian", outlets=("detikcom",))
    assert both and both <= tito


def test_phrase_boolean_and_morphology(filled: tuple[Store, list[Article]]) -> None:
    store, articles = filled
    seed = articles[0]
    assert _ids(store, query='"presiden barack obama"') == {seed.id}
    assert _ids(store, query='"obama barack presiden"') == set()
    a, b = _ids(store, query="banjir"), _ids(store, query="pajak")
    assert a and b and a != b
    assert _ids(store, query="banjir OR pajak") == a | b
    assert _ids(store, query="banjir pajak") == a & b
    assert _ids(store, query="pajak -banjir") == b - a
    assert _ids(store, query="(banjir OR pajak) -rusia") == (a | b) - _ids(store, query="rusia")
    builds = _having(
        articles, lambda x: "dibangun" in x.body and "pembangunan" not in x.body.lower()
    )
    assert builds and builds <= _ids(store, query="pembangunan")
    hit = store.search(SearchRequest(query="pembangunan", limit=50)).hits
    snippet = next(h.snippet for h in hit if h.id in builds)
    assert "[[dibangun]]" in snippet.lower() or "[[" in snippet


def test_relevance_and_date_order(filled: tuple[Store, list[Article]]) -> None:
    store, articles = filled
    ranked = store.search(SearchRequest(query="obama", limit=5))
    assert ranked.hits[0].id == articles[0].id and ranked.hits[0].score > 0
    assert [h.score for h in ranked.hits] == sorted((h.score for h in ranked.hits), reverse=True)
    dated = store.search(SearchRequest(sort="date", limit=100)).hits
    stamps = [h.published for h in dated]
    known = [s for s in stamps if s is not None]
    assert known == sorted(known, reverse=True) and known
    assert stamps[len(known) :] == [None] * (len(stamps) - len(known))  # undated last
    assert all(s is None or s.tzinfo is not None for s in stamps)


def test_cursor_pagination_covers_every_hit_once(filled: tuple[Store, list[Article]]) -> None:
    store, articles = filled
    for sort in ("relevance", "date"):
        for query in ("", "presiden", "jawa OR riau"):
            whole = store.search(SearchRequest(query=query, sort=sort, limit=100))  # type: ignore[arg-type]
            seen: list[str] = []
            cursor = None
            pages = 0
            while True:
                page = store.search(SearchRequest(query=query, sort=sort, limit=7, cursor=cursor))  # type: ignore[arg-type]
                assert page.total == whole.total
                seen += [h.id for h in page.hits]
                pages += 1
                if page.next_cursor is None:
                    break
                cursor = page.next_cursor
            assert len(seen) == len(set(seen)) == whole.total, (sort, query)
            assert seen == [h.id for h in whole.hits], (sort, query)
            assert pages == -(-whole.total // 7) and whole.total > 7
            if not query:
                assert whole.total == len(articles)


def test_facets_count_the_matching_set(filled: tuple[Store, list[Article]]) -> None:
    store, articles = filled
    result = store.search(SearchRequest(query="presiden", facets=True, limit=3))
    names = {"outlet", "year", "language", "entity", "speaker", "event", "place", "story"}
    assert set(result.facets) == names
    assert all(len(values) <= 10 for values in result.facets.values())
    assert sum(n for _, n in result.facets["language"]) == result.total
    field = {
        "outlet": "outlets",
        "entity": "entity",
        "speaker": "speaker",
        "event": "event",
        "place": "place",
    }
    for facet, name in field.items():
        assert result.facets[facet], facet
        for value, count in result.facets[facet][:3]:
            arg: object = (value,) if name == "outlets" else value
            assert store.search(SearchRequest(query="presiden", **{name: arg})).total == count  # type: ignore[arg-type]
    assert store.search(SearchRequest(facets=False)).facets == {}


BAD_REQUESTS = [
    (SearchRequest(query='"banjir'), "quote"),
    (SearchRequest(query="banjir", limit=0), "limit"),
    (SearchRequest(query="banjir", limit=10_000), "limit"),
    (SearchRequest(query="banjir", cursor="not-a-cursor!"), "cursor"),
    (SearchRequest(query="banjir", sort="size"), "sort"),  # type: ignore[arg-type]
    (SearchRequest(since="yesterday"), "since"),  # type: ignore[arg-type]
]


def test_bad_requests_are_query_errors(filled: tuple[Store, list[Article]]) -> None:
    store, _ = filled
    for request, problem in BAD_REQUESTS:
        with pytest.raises(QueryError, match=problem):
            store.search(request)


def test_cursor_of_another_search_is_refused(filled: tuple[Store, list[Article]]) -> None:
    store, _ = filled
    first = store.search(SearchRequest(query="presiden", limit=2))
    assert first.next_cursor
    with pytest.raises(QueryError, match="another search"):
        store.search(SearchRequest(query="menteri", limit=2, cursor=first.next_cursor))


SAME_ON_BOTH: list[dict[str, object]] = [
    {"query": "presiden"},
    {"query": "obama"},
    {"query": '"presiden barack obama"'},
    {"query": '"menteri keuangan"'},
    {"query": "banjir OR pajak"},
    {"query": "pajak -banjir"},
    {"query": "(jawa OR riau) polisi"},
    {"query": "pembangunan"},
    {"query": "korup*"},
    {"query": "pemerinta*"},
    {"query": "nickel"},
    {"query": "", "entity": "Barack Obama"},
    {"query": "", "speaker": "Tito Karnavian"},
    {"query": "", "event": "COOPERATE"},
    {"query": "", "place": "Jawa Timur"},
    {"query": "presiden", "outlets": ("detikcom",)},
    {"query": "", "language": "en"},
    {
        "query": "",
        "since": datetime(2025, 10, 1, tzinfo=UTC),
        "until": datetime(2025, 11, 1, tzinfo=UTC),
    },
    {"query": "menteri", "place": "Indonesia", "sort": "date"},
]


def test_same_result_sets_on_sqlite_and_postgres(tmp_path: Path, postgres_url: str) -> None:
    articles = corpus()
    results: dict[str, list[tuple[set[str], SearchResult]]] = {}
    for name, location in (("sqlite", str(tmp_path / "s.db")), ("postgres", postgres_url)):
        with open_store(location) as store:
            store.put_many(articles)
            results[name] = [
                (_ids(store, **request), store.search(SearchRequest(facets=True, **request)))  # type: ignore[arg-type]
                for request in SAME_ON_BOTH
            ]
    nonempty = 0
    for request, (lite_ids, lite), (pg_ids, pg) in zip(
        SAME_ON_BOTH, results["sqlite"], results["postgres"]
    ):
        assert lite_ids == pg_ids, request
        assert lite.total == pg.total == len(lite_ids), request
        assert lite.facets == pg.facets, request
        if request.get("sort") == "date" or not request.get("query"):
            assert [h.id for h in lite.hits] == [h.id for h in pg.hits], request
        pg_snippets = {h.id: h.snippet for h in pg.hits}
        for hit in lite.hits:
            assert pg_snippets.get(hit.id, hit.snippet) == hit.snippet, request
        nonempty += bool(lite_ids)
    assert nonempty >= len(SAME_ON_BOTH) - 1


def test_tiered_ranking_still_pages_through_every_hit(
    filled: tuple[Store, list[Article]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With tiers of 4 matches (200,000-article behaviour on a small store), every hit comes
    exactly once, with or without filters."""
    from warta.store import ranking

    store, articles = filled
    exact = {
        (q, o): _ids(store, query=q, outlets=o)
        for q in ("presiden", "jawa OR riau")
        for o in ((), ("detikcom",))
    }
    monkeypatch.setattr(ranking, "TIER", 4)
    for query in ("presiden", "jawa OR riau"):
        for outlets in ((), ("detikcom",)):
            seen: list[str] = []
            cursor = None
            while True:
                page = store.search(
                    SearchRequest(query=query, outlets=outlets, limit=3, cursor=cursor)
                )
                seen += [h.id for h in page.hits]
                if page.next_cursor is None:
                    break
                cursor = page.next_cursor
            assert len(seen) == len(set(seen)) == page.total
            assert set(seen) == exact[(query, outlets)]
