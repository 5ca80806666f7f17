"""Ingest through the API (pages in the body, URLs fetched from a local server), then read back,
on SQLite and on PostgreSQL (``store_location``)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fastapi.testclient import TestClient
from test_server_data import KEY, assert_problem, client_for, real_pages, unexpected

HEADERS = {"X-API-Key": KEY}


def _pages_body(count: int) -> dict[str, Any]:
    pages = real_pages()[:count]
    return {
        "pages": [
            {"text": p.text, "source": p.source, **({"url": p.url} if p.url else {})} for p in pages
        ]
    }


@pytest.fixture
def client(store_location: str) -> Iterator[TestClient]:
    with client_for(store_location, api_key=KEY) as c:
        yield c
        assert unexpected(c) == []


def test_ingest_pages_then_read_them_back(client: TestClient) -> None:
    body = _pages_body(6)  # seed, three samples, two detik articles with URLs
    first = client.post("/v1/ingest/pages", json=body, headers=HEADERS)
    assert first.status_code == 200, first.text
    result = first.json()
    assert result["counts"]["new"] == 6 and result["counts"]["failed"] == 0
    ids = [p["article_id"] for p in result["pages"]]
    assert all(ids) and len(set(ids)) == 6

    again = client.post("/v1/ingest/pages", json=body, headers=HEADERS).json()
    assert again["counts"]["unchanged"] == 6
    assert [p["article_id"] for p in again["pages"]] == ids

    record = client.get(f"/v1/articles/{ids[0]}").json()
    assert "ISIS" in record["body"]
    hits = client.get("/v1/search", params={"q": "koalisi"}).json()["hits"]
    assert ids[0] in {h["id"] for h in hits}
    assert client.get("/v1/stats").json()["articles"] == 6
    obama = client.get("/v1/entities/barack obama")
    assert obama.status_code == 200 and obama.json()["quotes"]


def test_a_changed_page_at_the_same_url_is_updated(client: TestClient) -> None:
    page = real_pages()[4]
    assert page.url
    first = client.post(
        "/v1/ingest/pages", json={"pages": [{"text": page.text, "url": page.url}]}, headers=HEADERS
    )
    changed = (
        page.text
        + "\n\nPembaruan: berita ini telah diperbarui dengan keterangan tambahan dari pihak terkait."
    )
    second = client.post(
        "/v1/ingest/pages", json={"pages": [{"text": changed, "url": page.url}]}, headers=HEADERS
    )
    assert first.json()["pages"][0]["outcome"] == "new"
    assert second.json()["pages"][0]["outcome"] == "updated"
    assert second.json()["pages"][0]["article_id"] == first.json()["pages"][0]["article_id"]


def test_failed_pages_are_reported_and_recorded(store_location: str) -> None:
    with client_for(store_location, api_key=KEY, max_page_bytes=50_000) as c:
        seed = real_pages()[0]
        body = {
            "pages": [
                {"text": "   \n  ", "source": "blank"},
                {"text": "x" * 60_000, "source": "huge"},
                {"text": "\x00\x01\x02\x03" * 100, "source": "binary"},
                {"text": seed.text, "source": "seed"},
            ]
        }
        result = c.post("/v1/ingest/pages", json=body, headers=HEADERS).json()
        outcomes = [(p["source"], p["outcome"], p["reason"]) for p in result["pages"]]
        assert outcomes[0][1:] == ("failed", "empty")
        assert outcomes[1][1:] == ("failed", "too_large")
        assert outcomes[2][1] == "failed" and outcomes[2][2]
        assert outcomes[3][1] == "new"
        stats = c.get("/v1/stats").json()
        assert stats["failures"] == 3 and stats["articles"] == 1
        assert unexpected(c) == []


def test_html_pages_are_read_as_html(client: TestClient) -> None:
    seed = real_pages()[0]
    paragraphs = "".join(f"<p>{line}</p>" for line in seed.text.splitlines() if line.strip())
    html = f"<html><head><title>Koalisi global</title></head><body><nav>Home</nav><article>{paragraphs}</article></body></html>"
    result = client.post(
        "/v1/ingest/pages", json={"pages": [{"html": html, "source": "seed.html"}]}, headers=HEADERS
    ).json()
    assert result["pages"][0]["outcome"] == "new", result
    record = client.get(f"/v1/articles/{result['pages'][0]['article_id']}").json()
    assert record["content_type"] == "text/html" and "<p>" not in record["body"]


# -- URLs, fetched from a server on this machine ----------------------------------------------------


class _Site(BaseHTTPRequestHandler):
    pages: dict[str, tuple[int, str, bytes]] = {}

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        status, kind, body = self.pages.get(self.path, (404, "text/plain", b"not here"))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    pages = real_pages()
    _Site.pages = {
        "/seed": (200, "text/plain; charset=utf-8", pages[0].text.encode("utf-8")),
        "/tempo": (200, "text/plain; charset=utf-8", pages[3].text.encode("utf-8")),
        "/image": (200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100),
        "/broken": (500, "text/plain", b"oops"),
    }
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_ingest_urls_fetches_extracts_and_stores(store_location: str, site: str) -> None:
    with client_for(store_location, api_key=KEY, fetch_allow_private=True) as c:
        urls = [
            f"{site}/seed",
            f"{site}/tempo",
            f"{site}/image",
            f"{site}/broken",
            f"{site}/missing",
        ]
        result = c.post("/v1/ingest/urls", json={"urls": urls}, headers=HEADERS).json()
        got = [(p["outcome"], p["reason"]) for p in result["pages"]]
        assert got == [
            ("new", None),
            ("new", None),
            ("failed", "not_text"),
            ("failed", "http_500"),
            ("failed", "http_404"),
        ]
        record = c.get(f"/v1/articles/{result['pages'][0]['article_id']}").json()
        assert record["url"] == f"{site}/seed" and record["retrieved_at_kind"] == "fetched"
        assert "ISIS" in record["body"]
        assert unexpected(c) == []


def test_ingest_urls_refuses_private_addresses_by_default(tmp_path: Any, site: str) -> None:
    with client_for(str(tmp_path / "w.db"), api_key=KEY) as c:
        result = c.post("/v1/ingest/urls", json={"urls": [f"{site}/seed"]}, headers=HEADERS).json()
        assert result["pages"][0]["outcome"] == "failed"
        assert result["pages"][0]["reason"] == "blocked_address"


def test_ingest_is_off_without_a_key(tmp_path: Any) -> None:
    with client_for(str(tmp_path / "w.db")) as c:
        body = assert_problem(
            c.post("/v1/ingest/pages", json={"pages": [{"text": "x"}]}, headers=HEADERS), 403
        )
        assert "without an API key" in body["detail"]


def test_an_unreachable_store_is_a_503_problem() -> None:
    with client_for("postgresql://warta:nope@127.0.0.1:1/none") as c:
        body = assert_problem(c.get("/v1/stats"), 503)
        assert body["reason"] == "store_unavailable"
        assert "nope" not in body["detail"]  # no password in the answer
        assert unexpected(c) == []
