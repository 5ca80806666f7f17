"""Facets and entity profiles, on SQLite and on PostgreSQL: the fast queries give what the
straightforward ones give. The reference is the SQL the store ran before (every facet counted
over the whole matching set in one GROUP BY; every profile part over every article), run here
over the same articles; a facet counted over the newest matches only says so, and equals the
reference over exactly those articles."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape
from test_server_data import client_for
from test_store_corpus import corpus

from warta.core.record import Article
from warta.corpus.update import update_corpus
from warta.store import SearchRequest, Store, open_store
from warta.store import reads as reads_module
from warta.store import search as search_module

_REFERENCE_SQL: dict[str, str] = {
    "outlet": "SELECT o.name AS v, count(*) AS n FROM articles a JOIN outlets o ON o.id = a.outlet_id "
    "WHERE a.seq IN ({m}) GROUP BY o.name",
    "year": "SELECT substr({month}, 1, 4) AS v, count(*) AS n FROM articles a WHERE a.seq IN ({m}) "
    "AND a.published IS NOT NULL GROUP BY substr({month}, 1, 4)",
    "language": "SELECT a.language AS v, count(*) AS n FROM articles a WHERE a.seq IN ({m}) "
    "AND a.language IS NOT NULL GROUP BY a.language",
    "entity": "SELECT max(e.canonical) AS v, count(DISTINCT ae.article) AS n FROM article_entities ae "
    "JOIN entities e ON e.id = ae.entity_id WHERE ae.article IN ({m}) GROUP BY e.canonical_key",
    "speaker": "SELECT max(q.speaker) AS v, count(DISTINCT q.article) AS n FROM quotes q "
    "WHERE q.article IN ({m}) AND q.speaker_key IS NOT NULL GROUP BY q.speaker_key",
    "event": "SELECT ev.category AS v, count(DISTINCT ev.article) AS n FROM events ev "
    "WHERE ev.article IN ({m}) GROUP BY ev.category",
    "place": "SELECT max(e.canonical) AS v, count(DISTINCT ae.article) AS n FROM article_entities ae "
    "JOIN entities e ON e.id = ae.entity_id WHERE ae.type = 'PLACE' AND ae.article IN ({m}) "
    "GROUP BY e.canonical_key",
    "story": "SELECT s.id AS v, count(*) AS n FROM corpus_docs d JOIN stories s ON s.id = d.story "
    "WHERE d.article IN ({m}) GROUP BY s.id",
}

REQUESTS = [
    SearchRequest(),
    SearchRequest(query="presiden"),
    SearchRequest(query="presiden", sort="date"),
    SearchRequest(query="presiden", outlets=("detikcom",)),
    SearchRequest(query="menteri OR polisi", sort="date"),
    SearchRequest(query="menteri", place="Indonesia"),
    SearchRequest(query="polisi", speaker="Tito Karnavian", sort="date"),
    SearchRequest(query="jawa OR riau", event="COOPERATE"),
    SearchRequest(entity="Joko Widodo"),
    SearchRequest(language="id", sort="date"),
    SearchRequest(query="kata -presiden", language="id", sort="date"),
    SearchRequest(query="korup*", sort="date"),
]


@pytest.fixture
def filled(store_location: str) -> Iterator[tuple[Store, list[Article]]]:
    articles = corpus()
    with open_store(store_location) as store:
        store.put_many(articles)
        # two ids under one canonical name, named together in some articles: the facet counts
        # each article once (the case where a name's count is not a sum of its ids' counts)
        db = store.db  # type: ignore[attr-defined]
        pair = db.all(
            "SELECT a.entity_id, b.entity_id FROM article_entities a JOIN article_entities b "
            "ON b.article = a.article AND b.entity_id > a.entity_id JOIN entities ea ON ea.id = a.entity_id "
            "JOIN entities eb ON eb.id = b.entity_id WHERE ea.type = 'PERSON' AND eb.type = 'PERSON' "
            "GROUP BY a.entity_id, b.entity_id ORDER BY count(*) DESC, a.entity_id, b.entity_id LIMIT 1"
        )[0]
        with db.transaction():
            for eid in pair:
                db.execute(
                    "UPDATE entities SET canonical = ?, canonical_key = ? WHERE id = ?",
                    (f"Orang Kembar {eid[-3:]}", "orang kembar", eid),
                )
        update_corpus(store)  # stories, so the story facet has something to count
        yield store, articles


def _matching_seqs(store: Store, request: SearchRequest) -> list[int]:
    """Every matching article's key, following cursors."""
    ids: list[str] = []
    cursor = None
    while True:
        fields = {name: getattr(request, name) for name in SearchRequest.__slots__}  # type: ignore[attr-defined]
        page = store.search(SearchRequest(**{**fields, "limit": 100, "cursor": cursor}))
        ids += [h.id for h in page.hits]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    if not ids:
        return []
    db = store.db  # type: ignore[attr-defined]
    marks = ", ".join("?" * len(ids))
    return sorted(int(s) for (s,) in db.all(f"SELECT seq FROM articles WHERE id IN ({marks})", ids))


def _reference(store: Store, seqs: list[int]) -> dict[str, list[tuple[str, int]]]:
    db = store.db  # type: ignore[attr-defined]
    if not seqs:
        return {name: [] for name in _REFERENCE_SQL}
    m = ", ".join(map(str, seqs))
    return {
        name: [
            (str(v), int(n))
            for v, n in db.all(
                f"SELECT v, n FROM ({sql.format(m=m, month=db.month('a.published'))}) t "
                f"ORDER BY n DESC, v COLLATE {db.binary} LIMIT 10"
            )
        ]
        for name, sql in _REFERENCE_SQL.items()
    }


def _with_facets(request: SearchRequest) -> SearchRequest:
    fields = {name: getattr(request, name) for name in SearchRequest.__slots__}  # type: ignore[attr-defined]
    return SearchRequest(**{**fields, "facets": True})


def test_facets_equal_the_reference_over_every_match(filled: tuple[Store, list[Article]]) -> None:
    store, _ = filled
    shared_name = 0
    for request in REQUESTS:
        seqs = _matching_seqs(store, request)
        result = store.search(_with_facets(request))
        assert result.facets_exact and result.facets_over == len(seqs), request
        assert dict(result.facets) == _reference(store, seqs), request
        shared_name += any(v.startswith("Orang Kembar") for v, _ in result.facets["entity"])
    assert shared_name >= 1  # the shared name was among the counted ones somewhere
    assert store.search(_with_facets(SearchRequest())).facets["story"]  # stories were counted


def test_the_story_facet_narrows_to_its_story_in_the_reader(
    filled: tuple[Store, list[Article]], store_location: str
) -> None:
    """The reader lists a story facet by its stories' titles, each linking to the search
    narrowed to that story, which finds exactly the story's articles that match."""
    store, _ = filled
    story_id, count = store.search(_with_facets(SearchRequest())).facets["story"][0]
    row = store.corpus_tables().story(story_id)
    assert row is not None and row.title
    client = client_for(store_location)
    page = client.get("/search", params={"q": ""}).text
    assert str(escape(row.title)) in page  # as the template escapes it
    narrowed = store.search(SearchRequest(story=story_id, limit=100))
    assert narrowed.total == count


def test_facets_over_many_matches_count_the_newest_and_say_so(
    filled: tuple[Store, list[Article]], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, _ = filled
    monkeypatch.setattr(search_module, "FACET_SAMPLE", 5)
    checked = 0
    for request in REQUESTS:
        seqs = _matching_seqs(store, request)
        result = store.search(_with_facets(request))
        if len(seqs) <= 5:
            assert result.facets_exact and result.facets_over == len(seqs)
            continue
        checked += 1
        assert not result.facets_exact and result.facets_over == 5, request
        assert dict(result.facets) == _reference(store, seqs[-5:]), request
    assert checked >= 8


def test_a_shared_name_is_counted_once_per_article(filled: tuple[Store, list[Article]]) -> None:
    store, _ = filled
    result = store.search(SearchRequest(query="", facets=True))
    twins = dict(result.facets["entity"])
    db = store.db  # type: ignore[attr-defined]
    both = db.scalar(
        "SELECT count(DISTINCT ae.article) FROM article_entities ae JOIN entities e ON e.id = ae.entity_id "
        "WHERE e.canonical_key = 'orang kembar'"
    )
    summed = db.scalar(
        "SELECT count(*) FROM article_entities ae JOIN entities e ON e.id = ae.entity_id "
        "WHERE e.canonical_key = 'orang kembar'"
    )
    name = max(v for v in twins if v.startswith("Orang Kembar")) if twins else None
    assert summed > both  # some article names both ids
    if name is not None:
        assert twins[name] == both


def _reference_profile(store: Store, eid: str) -> dict[str, Any]:
    db = store.db  # type: ignore[attr-defined]
    aliases = db.all(
        "SELECT text, count(*) FROM mentions WHERE entity_id = ? GROUP BY text ORDER BY count(*) DESC, text",
        (eid,),
    )
    co = db.all(
        "SELECT o.entity_id, e.canonical, count(*) FROM article_entities me "
        "JOIN article_entities o ON o.article = me.article AND o.entity_id <> me.entity_id "
        "JOIN entities e ON e.id = o.entity_id WHERE me.entity_id = ? "
        "GROUP BY o.entity_id, e.canonical ORDER BY count(*) DESC, o.entity_id LIMIT 20",
        (eid,),
    )
    month = db.month("a.published")
    by_month = db.all(
        f"SELECT {month}, sum(ae.mentions) FROM article_entities ae JOIN articles a ON a.seq = ae.article "
        f"WHERE ae.entity_id = ? AND a.published IS NOT NULL GROUP BY {month} ORDER BY {month}",
        (eid,),
    )
    return {
        "aliases": [(str(t), int(n)) for t, n in aliases],
        "co_occurring": [(str(i), str(c), int(n)) for i, c, n in co],
        "by_month": [(str(m), int(n)) for m, n in by_month],
    }


def test_entity_profiles_equal_the_reference(filled: tuple[Store, list[Article]]) -> None:
    store, _ = filled
    db = store.db  # type: ignore[attr-defined]
    top = [str(i) for (i,) in db.all("SELECT id FROM entities ORDER BY articles DESC, id LIMIT 8")]
    for eid in top:
        profile = store.entity(eid)
        assert profile is not None and profile.id == eid
        assert profile.window == profile.articles
        reference = _reference_profile(store, eid)
        assert profile.aliases == reference["aliases"], eid
        assert profile.co_occurring == reference["co_occurring"], eid
        assert profile.by_month == reference["by_month"] and profile.by_month, eid


def _chart_plan(store: Store) -> list[str]:
    """The query plan steps of the chart's statement when the largest entity's profile is read."""
    db = store.db  # type: ignore[attr-defined]
    eid = db.scalar("SELECT id FROM entities ORDER BY articles DESC, id LIMIT 1")
    seen: list[str] = []
    real = db.all

    def spy(sql: str, params: Any = ()) -> Any:
        if "sum(ae.mentions)" in sql or "FROM entity_months" in sql:
            seen.extend(str(r[-1]) for r in real("EXPLAIN QUERY PLAN " + sql, params))
        return real(sql, params)

    db.all = spy
    assert store.entity(str(eid)) is not None
    return seen


def test_the_chart_reads_its_counts_by_key(tmp_path: Path) -> None:
    """The chart reads the counts kept per entity and month by their key alone; a store from
    before them (level 15) reads the publish times from the (seq, published) index, not from
    the article rows (which SQLite would pick by itself)."""
    from warta.store.sqlite import SQLiteStore

    with SQLiteStore(str(tmp_path / "old.db"), upgrade_to=15) as old:
        old.put_many(corpus()[:20])
        seen = _chart_plan(old)
    assert any("COVERING INDEX articles_seq_published" in step for step in seen), seen
    with open_store(str(tmp_path / "w.db")) as store:
        store.put_many(corpus()[:20])
        seen = _chart_plan(store)
    assert seen and all("entity_months USING PRIMARY KEY" in step for step in seen), seen


def test_a_large_entity_profile_counts_its_newest_articles_and_says_so(
    filled: tuple[Store, list[Article]], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, _ = filled
    db = store.db  # type: ignore[attr-defined]
    eid, articles = db.one("SELECT id, articles FROM entities ORDER BY articles DESC, id LIMIT 1")
    assert articles > 4
    monkeypatch.setattr(reads_module, "PROFILE_WINDOW", 4)
    profile = store.entity(str(eid))
    assert profile is not None and profile.window == 4 and profile.articles == articles
    newest = [
        int(a)
        for (a,) in db.all(
            "SELECT article FROM article_entities WHERE entity_id = ? ORDER BY article DESC LIMIT 4",
            (eid,),
        )
    ]
    m = ", ".join(map(str, newest))
    aliases = db.all(
        f"SELECT text, count(*) FROM mentions WHERE entity_id = ? AND article IN ({m}) "
        "GROUP BY text ORDER BY count(*) DESC, text",
        (eid,),
    )
    co = db.all(
        "SELECT o.entity_id, e.canonical, count(*) FROM article_entities o JOIN entities e ON e.id = o.entity_id "
        f"WHERE o.article IN ({m}) AND o.entity_id <> ? "
        "GROUP BY o.entity_id, e.canonical ORDER BY count(*) DESC, o.entity_id LIMIT 20",
        (eid,),
    )
    assert profile.aliases == [(str(t), int(n)) for t, n in aliases]
    assert profile.co_occurring == [(str(i), str(c), int(n)) for i, c, n in co]
    # the chart and the totals still cover every article
    monkeypatch.setattr(reads_module, "PROFILE_WINDOW", 10_000)
    full = store.entity(str(eid))
    assert full is not None and full.window == articles
    assert (profile.by_month, profile.mentions) == (full.by_month, full.mentions)
    assert profile.aliases != full.aliases or profile.co_occurring != full.co_occurring


def test_the_api_and_the_reader_say_what_the_counts_cover(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    location = str(tmp_path / "s.db")
    with open_store(location) as store:
        store.put_many(corpus())
        eid = str(store.db.scalar("SELECT id FROM entities ORDER BY articles DESC, id LIMIT 1"))  # type: ignore[attr-defined]
    client = client_for(location, cache_entries=0)
    exact = client.get("/v1/search", params={"q": "presiden", "facets": "true"}).json()
    assert exact["facets_exact"] is True and exact["facets_over"] == exact["total"] > 3
    assert "newest" not in client.get("/search", params={"q": "presiden"}).text
    monkeypatch.setattr(search_module, "FACET_SAMPLE", 3)
    monkeypatch.setattr(reads_module, "PROFILE_WINDOW", 2)
    sampled = client.get("/v1/search", params={"q": "presiden", "facets": "true"}).json()
    assert sampled["facets_exact"] is False and sampled["facets_over"] == 3
    assert sampled["total"] == exact["total"]  # the hits and the total are not sampled
    page = client.get("/search", params={"q": "presiden"}, headers={"accept-language": "en"})
    assert "counted over the newest 3 matches" in page.text
    profile = client.get(f"/v1/entities/{eid}").json()
    assert profile["window"] == 2 < profile["articles"]
    assert (
        "in its newest 2 articles"
        in client.get(f"/entity/{eid}", headers={"accept-language": "en"}).text
    )


def test_facets_read_covering_indexes_not_rows(tmp_path: Path) -> None:
    """SQLite counts the facets from small covering indexes (migration 16): the article rows
    hold the packed record and quote and event rows their text, which a count never needs."""
    with open_store(str(tmp_path / "w.db")) as store:
        store.put_many(corpus()[:20])
        db = store.db  # type: ignore[attr-defined]
        seen: list[str] = []
        real = db.all

        def spy(sql: str, params: Any = ()) -> Any:
            if " IN (" in sql and ("count(" in sql) and "article_fts" not in sql:
                seen.extend(str(r[-1]) for r in real("EXPLAIN QUERY PLAN " + sql, params))
            return real(sql, params)

        db.all = spy
        assert store.search(_with_facets(SearchRequest())).facets["entity"]
    for index in (
        "articles_seq_published",
        "quotes_article_speaker",
        "events_article_category",
        "entities_names",
    ):
        assert any(f"COVERING INDEX {index}" in step for step in seen), (index, seen)
