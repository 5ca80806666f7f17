"""The entity page's events (issue 15: events where the entity is actor or target) read as
event rows are exactly those the full records hold, in the same order, on both backends."""

from __future__ import annotations

from typing import Any

from test_store_corpus import corpus

from warta.store import open_store
from warta.store.base import SearchRequest, Store
from warta.web.routes import _acting


def _from_records(store: Store, profile: Any) -> list[tuple[Any, ...]]:
    """The same question answered the slow way: the newest articles' whole records."""
    names = {profile.canonical.casefold(), *(text.casefold() for text, _ in profile.aliases)}
    out = []
    for article_id in profile.latest:
        article = store.get(article_id)
        assert article is not None
        for e in article.events:
            if (e.actor or "").casefold() in names or (e.target or "").casefold() in names:
                out.append((article.id, e.start, e.end, e.category, e.mode, e.actor, e.target))
    return out


def test_profile_latest_are_the_newest_stored_articles_naming_it(store_location: str) -> None:
    articles = corpus()
    with open_store(store_location) as store:
        store.put_many(articles)
        for row in store.entities(limit=50):
            profile = store.entity(row["id"])
            assert profile is not None
            found = store.search(SearchRequest(entity=profile.id, limit=100))
            assert found.total <= 100
            naming = found.hits
            assert set(profile.latest) <= {h.id for h in naming}
            assert len(profile.latest) == min(10, len(naming))
            stored = [a.id for a in articles if a.id in set(profile.latest)]
            assert profile.latest == list(reversed(stored))  # newest stored first


def test_entity_page_events_equal_the_records(store_location: str) -> None:
    with open_store(store_location) as store:
        store.put_many(corpus())
        acting = 0
        for row in store.entities(limit=200):
            profile = store.entity(row["id"])
            assert profile is not None
            got = [
                (
                    r["article_id"],
                    r["start"],
                    r["end"],
                    r["category"],
                    r["mode"],
                    r["actor"],
                    r["target"],
                )
                for r in _acting(store, profile)
            ]
            assert got == _from_records(store, profile)
            acting += bool(got)
    assert acting >= 2  # the corpus has entities that act in events: the check is not empty
