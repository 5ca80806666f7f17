"""The reader speaks Indonesian and English: chosen from Accept-Language, switchable by ?lang=
(which a cookie then keeps), Indonesian by default; both catalogs hold every text the
templates ask for. The browser half (a Chromium with an Indonesian locale, then the switch) is
in tests/test_web_reader.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from test_server_data import client_for, unexpected

from warta.api import extract_text
from warta.store import open_store
from warta.web.i18n import CATALOGS, EN, ID, Translator, accepted, choose
from warta.web.routes import _FACET_NAMES

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "src" / "warta" / "web" / "templates"
ROUTES = ROOT / "src" / "warta" / "web" / "routes.py"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    location = str(tmp_path_factory.mktemp("i18n") / "warta.db")
    sample = sorted((ROOT / "src" / "warta" / "samples").glob("*.txt"))[0]
    with open_store(location) as store:
        store.put(extract_text(sample.read_text(encoding="utf-8"), source=str(sample)))
    with client_for(location) as c:
        yield c
        assert unexpected(c) == []


def test_accept_language_is_read_with_its_weights() -> None:
    assert accepted("en-US,en;q=0.9,id;q=0.8") == ["en", "en", "id"]
    assert accepted("id;q=0.4, en;q=0.7") == ["en", "id"]
    assert accepted("fr, en;q=0") == ["fr"]
    assert accepted("en;q=abc") == ["en"]
    assert accepted("") == [] and accepted(None) == []
    assert choose(None, None, "fr-FR, en;q=0.5") == "en"
    assert choose(None, None, "ms-MY") == "id"
    assert choose(None, None, "de") == "id"  # nothing offered: Indonesian
    assert choose("en", "id", "id") == "en"  # ?lang= first
    assert choose("xx", "en", "id") == "en"  # an unknown ?lang= is ignored; then the cookie
    assert choose(None, "de", "en") == "en"


def test_both_catalogs_hold_every_text_the_templates_use() -> None:
    assert set(EN) == set(ID)
    used = set()
    for template in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r"""\bt\(\s*["'](\w+)["']""", template.read_text(encoding="utf-8")))
    used |= set(re.findall(r"""_tr\(request\)\(\s*["'](\w+)["']""", ROUTES.read_text()))
    used.discard("facet_")  # t("facet_" ~ name): the facet names, below
    used |= {f"facet_{name}" for name in _FACET_NAMES}
    assert used, "no t() calls found"
    for lang, catalog in CATALOGS.items():
        assert used <= set(catalog), (lang, used - set(catalog))
    for key in EN:  # the same placeholders in both languages
        assert re.findall(r"{\w+}", EN[key]) == re.findall(r"{\w+}", ID[key]) or sorted(
            re.findall(r"{\w+}", EN[key])
        ) == sorted(re.findall(r"{\w+}", ID[key])), key
    assert Translator("en")("n_articles", n=3) == "3 articles"
    assert Translator("id")("n_articles", n=3) == "3 artikel"


def test_the_browser_language_chooses_and_lang_switches_and_sticks(client: TestClient) -> None:
    plain = client.get("/")
    assert plain.status_code == 200
    assert '<html lang="id">' in plain.text and "Terbaru" in plain.text
    assert plain.headers["content-language"] == "id"
    english = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en">' in english.text and "Latest" in english.text
    assert "Terbaru" not in english.text
    assert "Accept-Language" in english.headers["vary"]
    weighted = client.get("/", headers={"Accept-Language": "en;q=0.3, id;q=0.9"})
    assert "Terbaru" in weighted.text

    switched = client.get("/search?q=banjir&lang=en", headers={"Accept-Language": "id"})
    assert "Search" in switched.text and '<html lang="en">' in switched.text
    assert "warta_lang=en" in switched.headers["set-cookie"]
    assert "HttpOnly" in switched.headers["set-cookie"]
    # the switch links keep the page and its query, changing only the language
    assert 'href="/search?q=banjir&amp;lang=id"' in switched.text
    again = client.get("/outlets", headers={"Accept-Language": "id"})  # the cookie holds
    assert '<html lang="en">' in again.text and "Outlets" in again.text
    back = client.get("/outlets?lang=id", headers={"Accept-Language": "en"})
    assert '<html lang="id">' in back.text and "Media" in back.text
    client.cookies.clear()


def test_dates_and_messages_follow_the_language(client: TestClient) -> None:
    article_id = client.get("/v1/articles").json()["hits"][0]["id"]
    page_id = client.get(f"/read/{article_id}?lang=id").text
    page_en = client.get(f"/read/{article_id}?lang=en").text
    assert "Yang dibuang" in page_id and "What was removed" in page_en
    missing = client.get("/read/nothing?lang=id")
    assert missing.status_code == 404 and "tidak ada artikel nothing" in missing.text
    missing = client.get("/entity/nobody?lang=en")
    assert missing.status_code == 404 and "no entity named nobody" in missing.text
    assert "KIND:KEY" in client.get("/trends?what=x&lang=id").text
    client.cookies.clear()
