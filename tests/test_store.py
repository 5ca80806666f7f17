"""The store keeps what it is given, on SQLite and on PostgreSQL: round trips, idempotent
puts, revisions, exact entity counts, runs and failures, listings and export rows."""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import UTC
from typing import Any

import pytest
from test_store_corpus import base_articles, corpus, revised

from warta.core.record import Article
from warta.core.serialize import article_to_dict
from warta.store import EXPORT_TABLES, Outcome, open_store
from warta.store.migrations import LATEST


def _expected_entities(articles: list[Article]) -> dict[str, tuple[int, int]]:
    """entity id -> (mentions, articles) as the stored articles say."""
    mentions: Counter[str] = Counter()
    present: Counter[str] = Counter()
    for a in articles:
        ids = Counter(m.entity_id for m in a.entities if m.entity_id)
        mentions.update(ids)
        present.update(set(ids) | {q.speaker_id for q in a.quotes if q.speaker_id})
    return {eid: (mentions[eid], present[eid]) for eid in present}


def _stored_entities(store_location: str) -> dict[str, tuple[int, int]]:
    with open_store(store_location) as store:
        return {
            r["id"]: (r["mentions"], r["articles"]) for r in store.rows("entities") if r["articles"]
        }


def test_put_get_round_trip(store_location: str) -> None:
    articles = corpus()
    with open_store(store_location) as store:
        assert store.schema_version() == LATEST
        results = [store.put(a) for a in articles]
        assert [r.outcome for r in results] == [Outcome.NEW] * len(articles)
        for a in articles:
            got = store.get(a.id)
            assert got is not None
            assert article_to_dict(got) == article_to_dict(a)
        assert store.get("no-such-id") is None
        stats = store.stats()
    assert stats["articles"] == len(articles)
    assert stats["mentions"] == sum(len(a.entities) for a in articles)
    assert stats["quotes"] == sum(len(a.quotes) for a in articles)
    assert stats["times"] == sum(len(a.times) for a in articles)
    assert stats["events"] == sum(len(a.events) for a in articles)
    assert stats["revisions"] == 0
    assert ("detikcom", len(articles) - 3) in stats["top_outlets"]


def test_reingest_adds_nothing(store_location: str) -> None:
    articles = corpus()
    with open_store(store_location) as store:
        store.put_many(articles)
        before = store.stats()
        again = store.put_many(corpus())
        assert {r.outcome for r in again} == {Outcome.UNCHANGED}
        assert [r.article_id for r in again] == [a.id for a in articles]
        after = store.stats()
    assert after == before
    assert _stored_entities(store_location) == _expected_entities(articles)


def test_updated_article_replaces_and_keeps_a_revision(store_location: str) -> None:
    articles = corpus()
    seed = articles[0]
    assert seed.url
    with open_store(store_location) as store:
        store.put_many(articles)
        newer = revised(
            seed, "Obama kembali bertemu Putin di Moskwa, kata juru bicara Gedung Putih."
        )
        newer.entities = [
            m for m in seed.entities if m.entity_id != "Q159"
        ]  # a re-run found fewer (none of Russia)
        result = store.put(newer)
        assert result == type(result)(Outcome.UPDATED, seed.id)
        assert store.put(newer).outcome is Outcome.UNCHANGED
        got = store.get(seed.id)
        assert got is not None and got.body == newer.body
        revisions = store.revisions(seed.id)
        assert [r["revision"] for r in revisions] == [1]
        assert article_to_dict(revisions[0]["article"]) == article_to_dict(seed)
        assert store.stats()["revisions"] == 1
        assert store.stats()["articles"] == len(articles)
        russia = store.entity("Russia")
    assert russia is not None and russia.mentions == 0
    current = [newer, *articles[1:]]
    assert _stored_entities(store_location) == _expected_entities(current)


def test_canonical_url_is_the_key(store_location: str) -> None:
    seed = base_articles()[0]
    seed.canonical_url = seed.url
    copy = revised(seed, "Pembaruan: pertemuan ditunda.")
    copy.url = f"{seed.url}?utm_source=feed"
    copy.id = "another-id-from-the-tracking-url"
    with open_store(store_location) as store:
        assert store.put(seed).outcome is Outcome.NEW
        assert store.put(copy) == type(store.put(seed))(Outcome.UPDATED, seed.id)
        assert store.stats()["articles"] == 1


def test_page_without_url_is_never_updated(store_location: str) -> None:
    post = base_articles()[2]
    assert post.url is None
    other = revised(post, "The ministry did not comment.")
    with open_store(store_location) as store:
        assert store.put(post).outcome is Outcome.NEW
        assert store.put(other).outcome is Outcome.NEW  # another report: its id is its content
        assert store.put(post).outcome is Outcome.UNCHANGED
        assert store.stats()["articles"] == 2 and store.stats()["revisions"] == 0


def test_runs_failures_and_page_keys(store_location: str) -> None:
    seed, tempo, _ = base_articles()
    with open_store(store_location) as store:
        run = store.begin_run(["pages/", "feed.jsonl"])
        assert not store.has_page("k1")
        store.put(seed, run_id=run, page_key="k1")
        store.record_failure(
            source="pages/x.txt",
            url=None,
            reason="not_text",
            message="binary",
            run_id=run,
            page_key="k2",
        )
        store.finish_run(run, {"new": 1, "failed": 1})
        assert store.has_page("k1") and store.has_page("k2") and not store.has_page("k3")
        runs = store.runs()
        assert [(r.id, r.sources, dict(r.counts)) for r in runs] == [
            (run, ("pages/", "feed.jsonl"), {"new": 1, "failed": 1})
        ]
        assert runs[0].finished_at is not None and runs[0].finished_at >= runs[0].started_at
        failures = store.failures()
        assert [(f.source, f.reason, f.message, f.run_id) for f in failures] == [
            ("pages/x.txt", "not_text", "binary", run)
        ]
        assert store.put(tempo, run_id=run, page_key="k1").outcome is Outcome.NEW
        from warta.core.errors import StoreError

        with pytest.raises(StoreError, match="no ingest run 999"):
            store.finish_run(999, {})


def test_listings_and_profiles(store_location: str) -> None:
    articles = corpus()
    with open_store(store_location) as store:
        store.put_many(articles)
        obama = store.entity("barack obama")
        assert obama is not None and store.entity("Q76") == obama
        seed = articles[0]
        expected = sum(1 for m in seed.entities if m.entity_id == "Q76")
        assert (obama.id, obama.type, obama.mentions, obama.articles) == (
            "Q76",
            "PERSON",
            expected,
            1,
        )
        assert dict(obama.aliases)["Obama"] == sum(1 for m in seed.entities if m.text == "Obama")
        assert obama.by_month == [("2015-11", expected)]
        assert "Vladimir Putin" in {c for _, c, _ in obama.co_occurring}
        assert len(obama.quotes) == sum(1 for q in seed.quotes if q.speaker_id == "Q76") > 0
        assert store.entity("nobody at all") is None

        top = store.entities(limit=5)
        assert [e["mentions"] for e in top] == sorted((e["mentions"] for e in top), reverse=True)
        places = store.entities(type="place", limit=500)
        assert places and {e["type"] for e in places} == {"PLACE"}
        assert [e["canonical"] for e in store.entities(prefix="jawa ti")] == ["Jawa Timur"]

        purbaya = store.quotes(speaker="Purbaya", limit=500)
        assert len(purbaya) == sum(1 for a in articles for q in a.quotes if q.speaker == "Purbaya")
        assert set(purbaya[0]) == {
            "article_id", "published", "outlet", "speaker", "speaker_id", "role", "affiliation", "kind", "cue",
            "text", "start", "end",
        }  # fmt: skip
        assaults = store.events(category="assault")
        assert {e["article_id"] for e in assaults} == {seed.id}
        assert {e["place"] for e in store.events(place="raqqa")} == {"Raqqa"}
        outlets = dict(store.outlets())
        assert outlets["Kompas.com"] == 1 and outlets["detikcom"] == len(articles) - 3


def test_export_rows_stream_every_table(store_location: str) -> None:
    articles = corpus()
    with open_store(store_location) as store:
        store.put_many(articles)
        counts = {table: sum(1 for _ in store.rows(table)) for table in EXPORT_TABLES}
        first = next(iter(store.rows("articles")))
        mentions = list(store.rows("mentions"))
        with pytest.raises(Exception, match="unknown table"):
            list(store.rows("secrets"))
    assert counts["articles"] == len(articles)
    assert counts["mentions"] == sum(len(a.entities) for a in articles)
    assert counts["quotes"] == sum(len(a.quotes) for a in articles)
    assert counts["events"] == sum(len(a.events) for a in articles)
    assert counts["entities"] == len(_expected_entities(articles))
    assert first["id"] == articles[0].id and first["body"] == articles[0].body
    by_article = Counter(m["article_id"] for m in mentions)
    assert all(by_article[a.id] == len(a.entities) for a in articles)


def test_unchanged_put_does_not_touch_the_stored_record(store_location: str) -> None:
    seed = base_articles()[0]
    with open_store(store_location) as store:
        store.put(seed)
        again = dataclasses.replace(seed, keywords=["tampered"])  # same body: same report
        assert store.put(again).outcome is Outcome.UNCHANGED
        got = store.get(seed.id)
    assert got is not None and got.keywords == seed.keywords


#: speaker roles and affiliations as articles write them, every combination of present and absent
ROLES: tuple[tuple[str | None, str | None], ...] = (
    ("Presiden", "Amerika Serikat"),
    ("Kepala Unit Reskrim", None),
    (None, "Polres Metro Jakarta Barat"),
    (None, None),
)


def with_roles(article: Article) -> Article:
    """The article with its quotes' speakers given the :data:`ROLES` in turn."""
    quotes = [
        dataclasses.replace(q, role=role, affiliation=affiliation)
        for q, (role, affiliation) in zip(article.quotes, ROLES * len(article.quotes), strict=False)
    ]
    return dataclasses.replace(article, quotes=quotes)


def without_roles(article: Article) -> Article:
    quotes = [dataclasses.replace(q, role=None, affiliation=None) for q in article.quotes]
    return dataclasses.replace(article, quotes=quotes)


def _spoken(rows: list[dict[str, Any]]) -> dict[tuple[str, int], tuple[str | None, str | None]]:
    return {(r["article_id"], r["start"]): (r["role"], r["affiliation"]) for r in rows}


def _written(articles: list[Article]) -> dict[tuple[str, int], tuple[str | None, str | None]]:
    return {(a.id, q.start): (q.role, q.affiliation) for a in articles for q in a.quotes}


def test_quote_rows_carry_the_speakers_role_and_affiliation(store_location: str) -> None:
    """Every read of quote rows (listing, export stream, entity profile) gives each quote the
    role and affiliation its record has; a quote without them reads None."""
    seed, tempo, *rest = corpus()
    roled, plain = with_roles(seed), without_roles(tempo)
    assert len(roled.quotes) >= len(ROLES) and plain.quotes
    articles = [roled, plain, *rest]
    with open_store(store_location) as store:
        store.put_many(articles)
        listed = store.quotes(limit=10_000)
        streamed = list(store.rows("quotes"))
        obama = store.entity("Q76")
        got = store.get(roled.id)
    assert got is not None and [(q.role, q.affiliation) for q in got.quotes] == [
        (q.role, q.affiliation) for q in roled.quotes
    ]
    written = _written(articles)
    assert _spoken(listed) == written and _spoken(streamed) == written
    assert [_spoken(listed)[(roled.id, q.start)] for q in roled.quotes[:4]] == list(ROLES)
    assert all(_spoken(listed)[(plain.id, q.start)] == (None, None) for q in plain.quotes)
    assert obama is not None and obama.quotes
    assert _spoken(obama.quotes) == {
        (roled.id, q.start): (q.role, q.affiliation) for q in roled.quotes if q.speaker_id == "Q76"
    }
    assert ("Presiden", "Amerika Serikat") in _spoken(obama.quotes).values()


def test_a_revised_article_replaces_its_quotes_roles(store_location: str) -> None:
    seed = corpus()[0]
    with open_store(store_location) as store:
        store.put(with_roles(seed))
        later = without_roles(revised(seed, "Paragraf tambahan."))
        store.put(later)
        rows = store.quotes(speaker="Q76", limit=500)
    assert rows and {(r["role"], r["affiliation"]) for r in rows} == {(None, None)}
    assert {r["article_id"] for r in rows} == {later.id}


def test_events_keep_their_actor_coding(store_location: str) -> None:
    from warta.api import extract_text

    article = extract_text(
        "Jakarta - Polda Metro Jaya menangkap Budi Santoso di Bekasi pada Selasa pagi. "
        "Jepang mengirimkan bantuan ke Palu."
    )
    coded = [(e.actor_type, e.actor_country, e.target_id) for e in article.events if e.actor_type]
    assert ("police", "IDN", "warta:person:budi-santoso") in coded
    with open_store(store_location) as store:
        store.put(article)
        read = store.events(limit=50)
        exported = list(store.rows("events"))
    for rows in (read, exported):
        got = {(r["actor_type"], r["actor_country"], r["target_id"]) for r in rows}
        assert set(coded) <= got
        assert {"actor_id", "target_type", "target_country"} <= set(rows[0])


def test_events_of_given_articles_are_theirs_in_order(store_location: str) -> None:
    """``EventRequest(articles=...)`` reads the events of those articles alone, each article's
    in the record's order (the reader's entity page reads them so, not whole records)."""
    articles = [a for a in corpus() if a.events]
    assert len(articles) >= 2
    with open_store(store_location) as store:
        store.put_many(articles)
        for chosen in (articles[:1], articles[:2]):
            rows = store.events(articles=tuple(a.id for a in chosen), limit=10_000)
            expected = [(a.id, e.start, e.category) for a in chosen for e in a.events]
            got = [(r["article_id"], r["start"], r["category"]) for r in rows]
            assert sorted(got) == sorted(expected)
            for a in chosen:  # each article's own events in their order
                assert [g for g in got if g[0] == a.id] == [x for x in expected if x[0] == a.id]
        assert store.events(articles=("no-such-article",), limit=50) == []


def _months_from_articles(store: Any, entity_id: str) -> list[tuple[str, int]]:
    """An entity's mentions per publish month (UTC) counted from every article naming it."""
    db = store.db
    month = db.month("a.published")
    return [
        (str(m), int(n))
        for m, n in db.all(
            f"SELECT {month}, sum(ae.mentions) FROM article_entities ae JOIN articles a "
            f"ON a.seq = ae.article WHERE ae.entity_id = ? AND a.published IS NOT NULL "
            f"GROUP BY {month} ORDER BY {month}",
            (entity_id,),
        )
    ]


def test_entity_months_follow_new_and_revised_articles(store_location: str) -> None:
    """The chart's counts kept per month (migration 16) equal a count over the articles after
    new articles, a revision that moves an article to another month, and a revision that
    drops an entity; months left with no article are gone."""
    from datetime import timedelta

    articles = corpus()
    dated = [a for a in articles if a.published is not None and a.entities]
    assert len(dated) >= 5
    moved = dataclasses.replace(
        revised(dated[0], "Paragraf tambahan."), published=dated[0].published - timedelta(days=400)
    )
    emptied = dataclasses.replace(revised(dated[1], "Tambahan lain."), entities=[])
    with open_store(store_location) as store:
        store.put_many(articles)
        store.put(moved)
        store.put(emptied)
        ids = {m.entity_id for a in articles for m in a.entities if m.entity_id}
        assert len(ids) > 20
        for entity_id in sorted(ids):
            profile = store.entity(entity_id)
            assert profile is not None
            assert profile.by_month == _months_from_articles(store, entity_id), entity_id
        new_month = moved.published.astimezone(UTC).strftime("%Y-%m")
        named = next(m.entity_id for m in moved.entities if m.entity_id)
        profile = store.entity(named)
        assert profile is not None and new_month in dict(profile.by_month)
        kept = store.db.all(  # type: ignore[attr-defined]
            "SELECT count(*) FROM entity_months WHERE articles <= 0 OR mentions < 0"
        )
        assert int(kept[0][0]) == 0
