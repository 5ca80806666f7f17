"""Shared pieces of the REST API tests: real pages, a store filled from them, a client, and the
problem-document check. (No tests here; imported by the test_server* modules.)"""

from __future__ import annotations

import csv
import gzip
from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient

from warta.server.app import create_app

from conftest import ROOT, require_shared

SAMPLES = ROOT / "src" / "warta" / "samples"
KEY = "test-key-0123456789abcdef"
DETIK_PAGES = 12


@dataclass(frozen=True)
class RawPage:
    text: str
    source: str
    url: str | None = None


def real_pages() -> list[RawPage]:
    """The seed page, the shipped samples and a dozen detik.com articles (with their URLs)."""
    seed = require_shared("seed", "000_e34af48cd88e996e.txt")
    pages = [RawPage(seed.read_text(encoding="utf-8"), str(seed))]
    pages += [RawPage(p.read_text(encoding="utf-8"), str(p)) for p in sorted(SAMPLES.glob("*.txt"))]
    detik = require_shared("data", "detik_summ_entity_1000", "data_berita.csv.gz")
    with gzip.open(detik, "rt", encoding="utf-8") as handle:
        for n, row in enumerate(csv.DictReader(handle)):
            if n >= DETIK_PAGES:
                break
            month, day, rest = row["tanggal"].split("/", 2)
            year, clock = rest.split(" ", 1)
            text = f"{row['judul']}\n{int(day):02d}/{int(month):02d}/{year} {clock} WIB\n\n{row['isi_berita']}"
            pages.append(RawPage(text, f"detik:{row['id']}", row["tautan"]))
    return pages


def fill_store(location: str, pages: list[RawPage]) -> list[str]:
    """Extract every page with the real pipeline and store it; the stored article ids."""
    from warta.api import extract_text
    from warta.store import open_store

    ids = []
    with open_store(location) as store:
        for page in pages:
            article = extract_text(page.text, source=page.source, url=page.url)
            assert article.ok, (page.source, article.errors)
            ids.append(store.put(article).article_id)
    return ids


def client_for(location: str, **options: Any) -> TestClient:
    """A client that answers a 500 as a response (as a real server would) instead of raising."""
    return TestClient(create_app(location, **options), raise_server_exceptions=False)


def unexpected(client: TestClient) -> list[str]:
    errors: list[str] = client.app.state.unexpected_errors  # type: ignore[attr-defined]
    return errors


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    """The response is an RFC 9457 problem with this status; its body."""
    assert response.status_code == status, (response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    for key in ("type", "title", "status", "detail", "instance"):
        assert key in body, (key, body)
    assert body["status"] == status
    assert body["detail"] and "Traceback" not in body["detail"]
    return body
