"""Every kind of response carries the safety headers: reader pages (found and not found), REST
answers and problems, the Guard's own refusals, the OpenAPI document, both API docs pages, and
static files (the reader's and the bundled Swagger UI/ReDoc scripts)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from test_server_data import client_for, unexpected

from warta.api import extract_text
from warta.store import open_store

SAMPLES = Path(__file__).resolve().parents[1] / "src" / "warta" / "samples"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    location = str(tmp_path_factory.mktemp("headers") / "warta.db")
    with open_store(location) as store:
        for path in sorted(SAMPLES.glob("*.txt"))[:2]:
            store.put(extract_text(path.read_text(encoding="utf-8"), source=str(path)))
    with client_for(location, max_query_string_bytes=2000) as c:
        yield c
        assert unexpected(c) == []


def _article_id(client: TestClient) -> str:
    hits = client.get("/v1/articles").json()["hits"]
    assert hits
    return str(hits[0]["id"])


ROUTES = [
    ("reader home", "/", 200),
    ("reader search", "/search?q=banjir", 200),
    ("reader failed search", "/search?q=%22open", 400),
    ("reader outlets", "/outlets", 200),
    ("reader stories", "/stories", 200),
    ("reader trends", "/trends", 200),
    ("reader missing article", "/read/nothing-here", 404),
    ("reader missing entity", "/entity/nobody-at-all", 404),
    ("reader missing story", "/story/nothing-here", 404),
    ("reader missing outlet", "/outlet/Nobody", 404),
    ("reader English", "/?lang=en", 200),
    ("REST list", "/v1/articles", 200),
    ("REST stats", "/v1/stats", 200),
    ("REST problem", "/v1/articles/nothing-here", 404),
    ("REST bad parameter", "/v1/articles?limit=-3", 422),
    ("guard refusal", "/v1/search?q=" + "x" * 3000, 414),
    ("unknown path", "/no/such/page", 404),
    ("OpenAPI", "/openapi.json", 200),
    ("Swagger UI", "/docs", 200),
    ("ReDoc", "/redoc", 200),
    ("reader stylesheet", "/static/reader.css", 200),
    ("Swagger starter", "/static/swagger-init.js", 200),
    ("Swagger bundle", "/static/swagger/swagger-ui-bundle.js", 200),
    ("ReDoc bundle", "/static/swagger/redoc.standalone.js", 200),
    ("missing static", "/static/nothing.css", 404),
]


def _directives(policy: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


@pytest.mark.parametrize(("what", "path", "status"), ROUTES, ids=[r[0] for r in ROUTES])
def test_every_route_carries_the_safety_headers(
    client: TestClient, what: str, path: str, status: int
) -> None:
    response = client.get(path)
    assert response.status_code == status, (what, response.status_code, response.text[:300])
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"
    policy = _directives(headers["content-security-policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no inline script, no eval, no other origin
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    for name, sources in policy.items():  # nothing from another origin, ever
        for source in sources:
            assert source in ("'self'", "'none'", "data:", "blob:", "'unsafe-inline'"), (
                name,
                source,
            )
        if "'unsafe-inline'" in sources:  # inline styles only, and only on the API docs
            assert name == "style-src" and path in ("/docs", "/redoc"), (name, path)


def test_an_article_and_an_entity_page_carry_them_too(client: TestClient) -> None:
    article_id = _article_id(client)
    for path in (f"/read/{article_id}", f"/v1/articles/{article_id}"):
        response = client.get(path)
        assert response.status_code == 200
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    entity = client.get("/v1/entities").json()["items"][0]
    response = client.get(f"/entity/{entity['id']}")
    assert response.status_code == 200
    assert response.headers["content-security-policy"].startswith("default-src 'self'")


def test_reader_pages_have_no_inline_script_or_style(client: TestClient) -> None:
    article_id = _article_id(client)
    entity = client.get("/v1/entities").json()["items"][0]
    for path in ("/", f"/read/{article_id}", f"/entity/{entity['id']}", "/search?q=a", "/docs"):
        html = client.get(path).text.lower()
        assert "style=" not in html, path
        assert "<style" not in html, path
        for chunk in html.split("<script")[1:]:  # every script is a file of this origin
            assert chunk.lstrip().startswith('src="/static/'), (path, chunk[:80])


def test_an_empty_store_without_stories_or_trends_serves_every_page(tmp_path: Path) -> None:
    """Stories, trends and rising items come from the corpus pass; before it (or with nothing
    stored at all) the pages say so instead of failing."""
    with client_for(str(tmp_path / "empty.db")) as empty:
        for path, status in (
            ("/", 200),
            ("/?lang=en", 200),
            ("/stories", 200),
            ("/trends", 200),
            ("/outlets", 200),
            ("/search?q=banjir", 200),
            ("/story/s-nothing", 404),
            ("/outlet/Kompas.com", 404),
        ):
            response = empty.get(path)
            assert response.status_code == status, (path, response.text[:300])
            assert "content-security-policy" in response.headers
        assert "ingest" in empty.get("/?lang=en").text.lower()
        assert unexpected(empty) == []
