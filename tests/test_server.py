"""The REST API's read endpoints against a real SQLite store filled with real extracted pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from test_server_data import assert_problem, client_for, fill_store, real_pages, unexpected
from test_store import ROLES, with_roles, without_roles
from test_store_corpus import base_articles

from warta.store import open_store


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[str]]:
    location = str(tmp_path_factory.mktemp("server") / "warta.db")
    return location, fill_store(location, real_pages())


@pytest.fixture
def client(filled: tuple[str, list[str]]) -> Iterator[TestClient]:
    with client_for(filled[0]) as c:
        yield c
        assert unexpected(c) == []


def _all_articles(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    hits: list[dict[str, Any]] = []
    cursor = None
    for _ in range(100):
        query = {**params, **({"cursor": cursor} if cursor else {})}
        body = client.get("/v1/articles", params=query).json()
        hits += body["hits"]
        cursor = body["next_cursor"]
        if cursor is None:
            return hits
    raise AssertionError("the cursor never ended")


def test_openapi_document_and_docs_are_served(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    for path in (
        "/v1/articles",
        "/v1/articles/{article_id}",
        "/v1/search",
        "/v1/entities",
        "/v1/entities/{key}",
        "/v1/quotes",
        "/v1/events",
        "/v1/outlets",
        "/v1/stats",
        "/v1/ingest/pages",
        "/v1/ingest/urls",
    ):
        assert path in doc["paths"], path
    search = doc["paths"]["/v1/search"]["get"]
    assert {p["name"] for p in search["parameters"]} >= {
        "q",
        "outlet",
        "since",
        "limit",
        "cursor",
        "facets",
    }
    assert "application/problem+json" in search["responses"]["422"]["content"]
    assert "APIKeyHeader" in doc["components"]["securitySchemes"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()


def test_stats_and_outlets_count_the_stored_articles(
    client: TestClient, filled: tuple[str, list[str]]
) -> None:
    stats = client.get("/v1/stats").json()
    assert stats["articles"] == len(set(filled[1]))
    outlets = client.get("/v1/outlets").json()["items"]
    assert sum(o["articles"] for o in outlets) <= stats["articles"]
    names = {o["outlet"] for o in outlets}
    assert any("detik" in name.lower() for name in names), names


def test_article_list_walks_every_article_once_by_cursor(
    client: TestClient, filled: tuple[str, list[str]]
) -> None:
    hits = _all_articles(client, limit=3)
    ids = [h["id"] for h in hits]
    assert sorted(ids) == sorted(set(filled[1]))
    dated = [h["published"] for h in hits if h["published"]]
    assert dated == sorted(dated, reverse=True)


def test_article_by_id_is_the_whole_record(
    client: TestClient, filled: tuple[str, list[str]]
) -> None:
    from warta.core.serialize import article_from_dict

    article_id = filled[1][0]
    response = client.get(f"/v1/articles/{article_id}")
    assert response.status_code == 200
    article = article_from_dict(response.json())
    assert article.id == article_id
    assert "ISIS" in article.body and article.entities


def test_unknown_article_is_a_404_problem(client: TestClient) -> None:
    body = assert_problem(client.get("/v1/articles/0123456789abcdef01234567"), 404)
    assert "0123456789abcdef01234567" in body["detail"]


def test_search_finds_words_and_phrases(client: TestClient, filled: tuple[str, list[str]]) -> None:
    seed_id = filled[1][0]
    result = client.get("/v1/search", params={"q": "koalisi ISIS"}).json()
    assert seed_id in {h["id"] for h in result["hits"]}
    assert result["total"] >= 1
    assert any("[[" in h["snippet"] for h in result["hits"])
    phrase = client.get("/v1/search", params={"q": '"banjir rob"'}).json()
    assert phrase["hits"] and all("makassar" in (h["title"] or "").lower() for h in phrase["hits"])
    none = client.get("/v1/search", params={"q": "zzqxwv"}).json()
    assert none["hits"] == [] and none["total"] == 0


def test_search_filters_and_facets(client: TestClient) -> None:
    everything = client.get("/v1/search", params={"facets": "true", "limit": 100}).json()
    assert "outlet" in everything["facets"]
    outlet, count = (
        everything["facets"]["outlet"][0]["value"],
        everything["facets"]["outlet"][0]["count"],
    )
    only = client.get("/v1/search", params={"outlet": outlet, "limit": 100}).json()
    assert only["total"] == count and {h["outlet"] for h in only["hits"]} == {outlet}
    late = client.get(
        "/v1/search", params={"since": "2025-01-01", "sort": "date", "limit": 100}
    ).json()
    assert late["hits"] and all(h["published"] >= "2025" for h in late["hits"])
    early = client.get("/v1/search", params={"until": "2016-01-01", "limit": 100}).json()
    assert all(h["published"] < "2016-01-01T23:59" for h in early["hits"] if h["published"])
    both = {h["id"] for h in late["hits"]} & {h["id"] for h in early["hits"]}
    assert both == set()


def test_entities_and_an_entity_profile(client: TestClient) -> None:
    entities = client.get("/v1/entities", params={"limit": 20}).json()["items"]
    assert entities and entities[0]["mentions"] >= entities[-1]["mentions"]
    top = entities[0]
    by_id = client.get(f"/v1/entities/{top['id']}").json()
    assert by_id["id"] == top["id"] and by_id["mentions"] == top["mentions"]
    assert by_id["aliases"] and by_id["by_month"]
    by_name = client.get(f"/v1/entities/{top['canonical'].upper()}")
    assert by_name.status_code == 200 and by_name.json()["id"] == top["id"]
    assert_problem(client.get("/v1/entities/Nobody%20Atall%20Xyz"), 404)


def test_obama_is_quoted_and_his_profile_has_the_quotes(client: TestClient) -> None:
    quotes = client.get("/v1/quotes", params={"speaker": "Barack Obama"}).json()
    assert quotes["items"], quotes
    assert all("Obama" in (q["speaker"] or "") for q in quotes["items"])
    profile = client.get("/v1/entities/Barack Obama").json()
    assert profile["quotes"] and profile["co_occurring"]


def test_quotes_and_events_page_by_offset(client: TestClient) -> None:
    first = client.get("/v1/quotes", params={"limit": 2}).json()
    assert len(first["items"]) == 2 and first["next_offset"] == 2
    second = client.get("/v1/quotes", params={"limit": 2, "offset": 2}).json()
    assert [q["text"] for q in second["items"]] != [q["text"] for q in first["items"]]
    events = client.get("/v1/events", params={"limit": 100}).json()["items"]
    assert events
    category = events[0]["category"]
    same = client.get("/v1/events", params={"category": category, "limit": 100}).json()["items"]
    assert same and {e["category"] for e in same} == {category}
    # one article's events, or two articles' (the parameter repeats)
    first_id = events[0]["article_id"]
    own = client.get("/v1/events", params={"article": first_id, "limit": 100}).json()["items"]
    assert own == [e for e in events if e["article_id"] == first_id]
    other = next((e["article_id"] for e in events if e["article_id"] != first_id), None)
    if other is not None:
        answer = client.get("/v1/events", params={"article": [first_id, other], "limit": 100})
        assert answer.status_code == 200, answer.text
        both = answer.json()["items"]
        assert {e["article_id"] for e in both} == {first_id, other}
    nothing = client.get("/v1/events", params={"article": "no-such-article"}).json()
    assert nothing["items"] == []


def test_search_by_entity_speaker_and_event(
    client: TestClient, filled: tuple[str, list[str]]
) -> None:
    seed_id = filled[1][0]
    by_entity = client.get("/v1/search", params={"entity": "Barack Obama"}).json()
    assert seed_id in {h["id"] for h in by_entity["hits"]}
    by_speaker = client.get("/v1/search", params={"speaker": "Barack Obama"}).json()
    assert seed_id in {h["id"] for h in by_speaker["hits"]}
    events = client.get("/v1/events", params={"limit": 1}).json()["items"]
    by_event = client.get("/v1/search", params={"event": events[0]["category"]}).json()
    assert events[0]["article_id"] in {h["id"] for h in by_event["hits"]}


def test_read_key_can_be_required(filled: tuple[str, list[str]], tmp_path: Path) -> None:
    from test_server_data import KEY

    with client_for(filled[0], api_key=KEY, read_key_required=True) as c:
        assert_problem(c.get("/v1/stats"), 401)
        assert_problem(c.get("/v1/stats", headers={"X-API-Key": "wrong-key-wrong-key"}), 403)
        assert c.get("/v1/stats", headers={"X-API-Key": KEY}).status_code == 200
    with client_for(filled[0], api_key=KEY) as c:
        assert c.get("/v1/stats").status_code == 200  # reads open by default


def test_bad_configuration_is_refused() -> None:
    from warta.server.app import create_app

    with pytest.raises(ValueError, match="api_key"):
        create_app("x.db", read_key_required=True)
    with pytest.raises(ValueError, match="16"):
        create_app("x.db", api_key="short")
    with pytest.raises(ValueError, match="max_body_bytes"):
        create_app("x.db", max_body_bytes=0)


def test_quotes_and_profiles_give_the_speakers_role_and_affiliation(store_location: str) -> None:
    """On either store: /v1/quotes and the entity profile carry each quote's role and
    affiliation as stored, null (never missing) where the article states neither."""
    seed, tempo, _ = base_articles()
    roled, plain = with_roles(seed), without_roles(tempo)
    with open_store(store_location) as store:
        store.put_many([roled, plain])
    want = {(a.id, q.start): (q.role, q.affiliation) for a in (roled, plain) for q in a.quotes}
    with client_for(store_location) as client:
        listed = client.get("/v1/quotes", params={"limit": 100}).json()["items"]
        obama = client.get("/v1/quotes", params={"speaker": "Q76"}).json()["items"]
        profile = client.get("/v1/entities/Q76").json()
        schema = client.get("/openapi.json").json()["components"]["schemas"]["QuoteRow"]
        assert unexpected(client) == []
    assert {(q["article_id"], q["start"]): (q["role"], q["affiliation"]) for q in listed} == want
    assert all({"role", "affiliation"} <= set(q) for q in listed)
    spoken = {(q["article_id"], q["start"]): (q["role"], q["affiliation"]) for q in obama}
    assert spoken and set(ROLES) <= set(spoken.values())
    assert {
        (q["article_id"], q["start"]): (q["role"], q["affiliation"]) for q in profile["quotes"]
    } == spoken
    assert {"role", "affiliation"} <= set(schema["properties"])
