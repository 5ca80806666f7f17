"""Names as people write them (issue 12, item 1), on a store built from 200 real detik.com
bodies through the full pipeline: every query is checked against what the pipeline extracted
(the articles whose mentions were linked to the entity, the quotes of the speaker), never
against fixed counts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from test_ingest import detik_rows, write_jsonl
from test_server_data import assert_problem, client_for

from warta.cli import main
from warta.store import open_store
from warta.store.base import SearchRequest
from warta.store.names import closest, outlet_stem, resolve_outlet
from warta.store.sqlite import SQLiteStore

ARTICLES = 200
KPK = "Komisi Pemberantasan Korupsi"


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A store of the first 200 detik articles: their URL and body (``isi_berita``) only."""
    folder = tmp_path_factory.mktemp("names")
    source = write_jsonl(
        folder / "detik.jsonl",
        [{"url": r["tautan"], "text": r["isi_berita"]} for r in detik_rows()[:ARTICLES]],
    )
    location = str(folder / "store.db")
    result = cli("ingest", str(source), "--db", location, "--json")
    assert result.exit_code == 0, result.output
    yield location


def hits(db: str, *args: str) -> set[str]:
    """Every hit of ``warta search`` (exit 0 asserted)."""
    result = cli("search", *args, "--db", db, "--json", "--limit", "100", "--sort", "date")
    assert result.exit_code == 0, result.output
    page = json.loads(result.stdout)
    assert page["next_cursor"] is None, "more than 100 hits: page on"
    return {hit["id"] for hit in page["hits"]}


def linked(db: str, surface: str) -> tuple[set[str], set[str]]:
    """(the entity ids that mentions written ``surface`` were linked to, the articles of those
    mentions) — what the pipeline itself extracted."""
    ids, articles = set(), set()
    with open_store(db) as store:
        for row in store.rows("mentions"):
            if row["text"] == surface and row["entity_id"]:
                ids.add(row["entity_id"])
                articles.add(row["article_id"])
    return ids, articles


@pytest.mark.parametrize(
    ("typed", "canonical", "surface"),
    [
        ("KPK", KPK, "KPK"),
        ("kpk", KPK, "KPK"),
        ("Jokowi", "Joko Widodo", "Jokowi"),
        ("Rusia", "Rusia", "Rusia"),
        ("Russia", "Rusia", "Rusia"),
        ("AS", "Amerika Serikat", "AS"),
        ("United States", "Amerika Serikat", "Amerika Serikat"),
        ("amerika-serikat", "Amerika Serikat", "Amerika Serikat"),
        ("Sri Mulyani", "Sri Mulyani Indrawati", "Sri Mulyani"),
    ],
)
def test_entity_names_as_people_write_them(
    db: str, typed: str, canonical: str, surface: str
) -> None:
    found = hits(db, "--entity", typed)
    assert found, f"--entity {typed} found nothing"
    assert found == hits(db, "--entity", canonical)
    # every article where the pipeline linked this surface form is found by it
    _, articles = linked(db, surface)
    assert articles and articles <= found


def test_english_and_indonesian_country_names_agree(db: str) -> None:
    assert hits(db, "--entity", "Rusia") == hits(db, "--entity", "Russia")
    assert hits(db, "--place", "Amerika Serikat") == hits(db, "--entity", "United States")


def test_outlet_as_typed(db: str) -> None:
    with open_store(db) as store:
        assert store.outlets() == [("detikcom", ARTICLES)]
        for typed in ("detik", "Detik", "detik.com", "DETIKCOM", "www.detik.com"):
            result = store.search(SearchRequest(outlets=(typed,), limit=1))
            assert (result.total, result.unknown) == (ARTICLES, ()), typed


def test_python_api_entity_and_quotes(db: str) -> None:
    with open_store(db) as store:
        profile = store.entity("KPK")
        assert profile is not None and profile.canonical == KPK
        assert "KPK" in dict(profile.aliases)
        by_alias = store.quotes(speaker="Sri Mulyani", limit=1000)
        assert by_alias and {q["speaker"] for q in by_alias} >= {"Sri Mulyani Indrawati"}
        assert by_alias == store.quotes(speaker="Sri Mulyani Indrawati", limit=1000)
        assert store.quotes(speaker="Sri Mulyan", limit=10) == []


def test_rest_entity_quotes_and_search(db: str) -> None:
    client = client_for(db)
    profile = client.get("/v1/entities/KPK")
    assert profile.status_code == 200, profile.text
    assert profile.json()["canonical"] == KPK
    quotes = client.get("/v1/quotes", params={"speaker": "Sri Mulyani", "limit": 100})
    assert quotes.status_code == 200, quotes.text
    assert {q["speaker"] for q in quotes.json()["items"]} >= {"Sri Mulyani Indrawati"}
    searched = client.get("/v1/search", params={"entity": "Jokowi", "outlet": "detik"})
    assert searched.status_code == 200, searched.text
    assert searched.json()["total"] == len(hits(db, "--entity", "Joko Widodo"))


def test_unknown_names_get_suggestions_everywhere(db: str) -> None:
    result = cli("search", "--entity", "Jokwi", "--db", db)
    assert result.exit_code == 2
    assert "no entity named 'Jokwi'" in result.stderr and "did you mean" in result.stderr
    assert "Jokowi" in result.stderr and "Traceback" not in result.stderr

    result = cli("search", "--outlet", "detk", "--db", db)
    assert result.exit_code == 2 and "detikcom" in result.stderr

    client = client_for(db)
    body = assert_problem(client.get("/v1/entities/Prabow"), 404)
    assert body["reason"] == "unknown_name" and "Prabowo Subianto" in body["suggestions"]
    body = assert_problem(client.get("/v1/quotes", params={"speaker": "Purbay"}), 404)
    assert "Purbaya" in body["suggestions"]
    body = assert_problem(client.get("/v1/search", params={"entity": "Jokwi"}), 404)
    assert "Jokowi" in body["suggestions"]

    page = client.get("/search", params={"entity": "Jokwi", "lang": "en"})
    assert page.status_code == 200 and "Did you mean" in page.text and "Jokowi" in page.text


def test_unknown_enum_values_are_usage_errors(db: str) -> None:
    result = cli("search", "--event", "BOGUS", "--db", db)
    assert result.exit_code == 2
    assert "unknown event category 'BOGUS'" in result.stderr and "ASSAULT" in result.stderr
    assert hits(db, "--event", "assault") == hits(db, "--event", "ASSAULT")

    client = client_for(db)
    body = assert_problem(client.get("/v1/search", params={"event": "BOGUS"}), 422)
    assert "PROTEST" in body["detail"]
    body = assert_problem(client.get("/v1/entities", params={"type": "BOGUS"}), 422)
    assert "PERSON" in body["detail"]
    assert client.get("/v1/entities", params={"type": "per"}).status_code == 200
    assert_problem(client.get("/v1/events", params={"category": "BOGUS"}), 422)


def test_outlet_stems(tmp_path: Path) -> None:
    assert outlet_stem("JUARA.net") == outlet_stem("JUARA.NET") == "juara"
    assert outlet_stem("detikcom") == outlet_stem("detik.com") == outlet_stem("Detik") == "detik"
    assert outlet_stem("Kompas.com") == "kompas" != outlet_stem("Kompas TV")
    with SQLiteStore(str(tmp_path / "s.db")) as store:
        for name in ("JUARA.net", "JUARA.NET", "Tempo"):
            store.db.execute(
                "INSERT INTO outlets (name, name_key, articles) VALUES (?, ?, 1)",
                (name, name.casefold()),
            )
        assert len(resolve_outlet(store.db, "juara").ids) == 2
        assert len(resolve_outlet(store.db, "JUARA.net").ids) == 2
        assert resolve_outlet(store.db, "Tempo.co").ids
        assert resolve_outlet(store.db, "Temp").suggestions == ("Tempo",)


def test_closest_prefers_prefixes_then_edit_distance() -> None:
    names = ["Prabowo Subianto", "Prabowo", "Purbaya", "Jokowi", "Joko Widodo"]
    assert closest("prab", names)[:2] == ["Prabowo Subianto", "Prabowo"]
    assert closest("Jokwi", names)[0] == "Jokowi"
    assert closest("zzzz", names) == []
