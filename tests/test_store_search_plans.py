"""Search plans and capped totals, on SQLite and on PostgreSQL: whichever way the full-text
condition is applied (a key set, or a lookup per article), every request returns the same hits
in the same order; totals past the cap say so in the store, the REST API and the CLI."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_server_data import client_for
from test_store_corpus import corpus

from warta.cli import main
from warta.core.errors import QueryError
from warta.core.record import Article
from warta.store import SearchRequest, SearchResult, Store, open_store
from warta.store import search as search_module


@pytest.fixture
def filled(store_location: str) -> Iterator[tuple[Store, list[Article]]]:
    articles = corpus()
    with open_store(store_location) as store:
        store.put_many(articles)
        yield store, articles


def _walk(store: Store, request: SearchRequest) -> tuple[list[str], list[SearchResult]]:
    """Every hit of a search in order, following cursors with small pages, and the pages."""
    found: list[str] = []
    pages: list[SearchResult] = []
    cursor = None
    while True:
        page = store.search(
            SearchRequest(**{**_fields(request), "limit": 4, "cursor": cursor})  # type: ignore[arg-type]
        )
        pages.append(page)
        found += [h.id for h in page.hits]
        if page.next_cursor is None:
            return found, pages
        cursor = page.next_cursor


def _fields(request: SearchRequest) -> dict[str, object]:
    return {name: getattr(request, name) for name in SearchRequest.__slots__}  # type: ignore[attr-defined]


PLANNED = [
    SearchRequest(query="presiden", sort="date"),
    SearchRequest(query="presiden", outlets=("detikcom",), sort="date"),
    SearchRequest(query="presiden", outlets=("detikcom",)),
    SearchRequest(query="menteri OR polisi", since=datetime(2019, 1, 1, tzinfo=UTC), sort="date"),
    SearchRequest(query="menteri", place="Indonesia", sort="date"),
    SearchRequest(query="menteri", place="Indonesia"),
    SearchRequest(query='"presiden joko widodo"', entity="Joko Widodo"),
    SearchRequest(query="polisi", speaker="Tito Karnavian", sort="date"),
    SearchRequest(query="jawa OR riau", event="COOPERATE"),
    SearchRequest(query="kata -presiden", language="id", sort="date"),
    SearchRequest(query="korup*", sort="date"),
]


def test_every_plan_gives_the_same_hits_in_the_same_order(
    filled: tuple[Store, list[Article]], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, _ = filled
    by_plan: dict[str | None, list[tuple[list[str], int, dict[str, list[tuple[str, int]]]]]] = {}
    for force in (None, "probe", "set"):
        monkeypatch.setattr(search_module, "FORCE", force)
        by_plan[force] = []
        for request in PLANNED:
            ids, pages = _walk(store, request)
            facets = store.search(
                SearchRequest(**{**_fields(request), "facets": True})  # type: ignore[arg-type]
            ).facets
            assert len(ids) == len(set(ids)) == pages[0].total, (force, request)
            by_plan[force].append((ids, pages[0].total, dict(facets)))
    assert by_plan["probe"] == by_plan[None] == by_plan["set"]
    assert sum(bool(ids) for ids, _, _ in by_plan[None]) >= len(PLANNED) - 2


def test_a_total_past_the_cap_says_so_and_every_hit_still_pages(
    filled: tuple[Store, list[Article]], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, articles = filled
    exact = {
        query: _walk(store, SearchRequest(query=query, sort="date"))[0]
        for query in ("", "presiden")
    }
    assert len(exact[""]) == len(articles) and len(exact["presiden"]) > 6
    monkeypatch.setattr(search_module, "CAP", 5)
    for query in ("", "presiden"):
        ids, pages = _walk(store, SearchRequest(query=query, sort="date"))
        assert ids == exact[query]  # the cap bounds the count, never the hits
        assert all(p.total == 5 and not p.total_exact for p in pages)
    few = store.search(SearchRequest(query="nickel", sort="date"))
    assert few.total_exact and 1 <= few.total <= 5
    # relevance counts what it ranks: exact whatever the cap
    ranked = store.search(SearchRequest(query="presiden"))
    assert ranked.total_exact and ranked.total == len(exact["presiden"])


def test_a_query_without_a_word_is_refused(filled: tuple[Store, list[Article]]) -> None:
    store, _ = filled
    for query in ("!!!", " - ", "“”"):
        with pytest.raises(QueryError, match="holds no word to search for"):
            store.search(SearchRequest(query=query))
    assert store.search(SearchRequest(query="   ")).total > 0  # blank: no text condition


def test_capped_totals_in_the_rest_api_and_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    location = str(tmp_path / "s.db")
    with open_store(location) as store:
        store.put_many(corpus())
    # the same request is asked again after the cap changes: no answer kept between them
    client = client_for(location, cache_entries=0)
    exact = client.get("/v1/search", params={"q": "presiden", "sort": "date"}).json()
    assert exact["total_exact"] is True and exact["total"] > 3
    monkeypatch.setattr(search_module, "CAP", 3)
    capped = client.get("/v1/search", params={"q": "presiden", "sort": "date"}).json()
    assert capped["total"] == 3 and capped["total_exact"] is False
    result = CliRunner().invoke(
        main, ["search", "presiden", "--sort", "date", "--limit", "2", "--db", location]
    )
    assert result.exit_code == 0, result.output
    assert "2 of 3+ articles" in result.output
    as_json = CliRunner().invoke(
        main, ["search", "presiden", "--sort", "date", "--db", location, "--json"]
    )
    assert '"total_exact": false' in as_json.output


def test_a_postgresql_search_reads_the_text_index_through_gin(postgres_url: str) -> None:
    """PostgreSQL's planner does not count reading a toasted tsvector, so it would count a
    common word's matches with a sequential scan that decompresses every article's; a search's
    statements run with sequential scans and JIT off, and the next statement that is not a
    search's finds the session's own settings again."""
    from warta.store.sql import SqlStore

    def settings(store: SqlStore) -> tuple[str, str]:
        row = store.db.one("SELECT current_setting('enable_seqscan'), current_setting('jit')")
        assert row is not None
        return str(row[0]), str(row[1])

    with open_store(postgres_url) as store:
        assert isinstance(store, SqlStore)
        store.put_many(corpus())
        before = settings(store)
        with store.db.searching():
            assert settings(store) == ("off", "off")
            plan = " ".join(
                str(row[0])
                for row in store.db.all(
                    "EXPLAIN SELECT count(*) FROM article_text "
                    "WHERE tsv @@ to_tsquery('simple', 'presiden')"
                )
            )
        assert "Bitmap Index Scan on article_text_tsv" in plan and "Seq Scan" not in plan
        assert settings(store) == before
        assert store.search(SearchRequest(query="presiden")).total > 0
        assert settings(store) == before
