"""Honest metadata (schema 1.5): a publish time carries the precision the page stated and no
invented hour or offset; the outlet is the page's own; files that are no report fail with a
reason instead of becoming articles."""

from __future__ import annotations

import gzip
import json
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from warta.api import extract_text
from warta.core.serialize import article_from_json, article_to_json
from warta.meta.sites import registered_domain
from warta.run.ingest import ingest
from warta.store import SearchRequest, open_store

from conftest import require_shared

WIB = timezone(timedelta(hours=7))
LEAD = (
    "The city council approved the new budget on Tuesday after a long debate about public "
    "transport and school repairs across the district."
)
MORE = (
    "Members of the opposition said the plan left too little money for flood defences, "
    "while the mayor called it the most balanced budget in a decade."
)


def html_page(head: str = "", byline: str = "", extra: str = "") -> bytes:
    body = (
        f"<article><h1>Council approves the budget after a long debate</h1>{byline}"
        f"<p>{LEAD}</p><p>{MORE}</p><p>{LEAD} {MORE}</p></article>{extra}"
    )
    return f"<html lang='en'><head>{head}</head><body>{body}</body></html>".encode()


def roundtrip(page: bytes, url: str | None = None) -> dict[str, object]:
    article = extract_text(page, source="page.html", url=url, content_type="text/html")
    assert not article.errors, article.errors
    text = article_to_json(article)  # never a MalformedRecord for a naive time
    assert article_from_json(text).published_local == article.published_local
    data: dict[str, object] = json.loads(text)
    return data


# --------------------------------------------------------------------------- precision


def test_a_date_only_page_says_day_and_gets_no_instant() -> None:
    head = '<meta property="article:published_time" content="2022-11-15">'
    record = roundtrip(html_page(head), "https://news.example.org/a/1")
    assert record["published"] is None  # not midnight with an offset
    assert (record["published_local"], record["published_precision"]) == ("2022-11-15", "day")
    assert record["published_raw"] == "2022-11-15"


def test_a_naive_time_of_an_unknown_outlet_is_kept_as_stated() -> None:
    head = '<meta property="article:published_time" content="2022-11-15T10:30">'
    record = roundtrip(html_page(head), "https://news.example.org/a/1")
    assert record["published"] is None
    assert record["published_local"] == "2022-11-15T10:30"
    assert record["published_precision"] == "minute"
    assert record["outlet"] == "example.org"  # named by its registered domain


def test_a_naive_time_of_a_known_outlet_takes_its_zone() -> None:
    head = (
        '<link rel="canonical" href="https://www.thejakartapost.com/news/2022/11/15/x.html">'
        '<meta property="article:published_time" content="2022-11-15T10:30">'
    )
    record = roundtrip(html_page(head))  # no URL: the canonical link names the site
    assert record["outlet"] == "The Jakarta Post"
    assert record["published"] == "2022-11-15T10:30:00+07:00"
    assert record["published_precision"] == "minute"


def test_an_offset_the_page_states_is_kept_with_seconds() -> None:
    head = '<meta property="article:published_time" content="2022-11-15T10:30:05+02:00">'
    record = roundtrip(html_page(head), "https://news.example.org/a/1")
    assert record["published"] == "2022-11-15T10:30:05+02:00"
    assert (record["published_local"], record["published_precision"]) == (
        "2022-11-15T10:30:05",
        "second",
    )


def test_a_text_scrape_with_a_date_only_gets_no_invented_midnight() -> None:
    text = f"Budget approved\n\nSabtu, 5 November 2016\n\n{LEAD}\n\n{MORE}"
    article = extract_text(text, source="scrape.txt")
    assert article.published is None
    assert (article.published_local, article.published_precision) == ("2016-11-05", "day")


def test_a_text_scrape_of_a_known_outlet_takes_its_zone() -> None:
    text = f"Judul berita\n\nRabu, 18/11/2015 13:16\n\nJAKARTA, KOMPAS.com - {LEAD}\n\n{MORE}"
    article = extract_text(text, source="scrape.txt")
    assert article.outlet == "Kompas.com"
    assert article.published == datetime(2015, 11, 18, 13, 16, tzinfo=WIB)
    assert article.extras["warta.published_zone"] == "assumed WIB"


# --------------------------------------------------------------------------- the outlet


def test_links_to_another_outlet_never_name_the_page_outlet() -> None:
    links = "".join(
        f'<li><a href="https://www.kompas.com/read/{i}">Baca di KOMPAS.com {i}</a></li>'
        for i in range(4)
    )
    page = html_page(extra=f"<footer><ul>{links}</ul><p>kompas.com | tempo.co</p></footer>")
    record = roundtrip(page, "https://www.kabarkita.co.id/berita/1")
    assert record["outlet"] == "kabarkita.co.id"


def test_an_unknown_outlet_written_as_a_domain_is_one_outlet_however_capitalised() -> None:
    """Issue 12: "JUARA.net" and "JUARA.NET" were two outlets in the store."""
    body = (
        " - Pebulu tangkis Indonesia menang di final turnamen itu kemarin sore dengan skor "
        "meyakinkan.\n\nIa akan bertanding lagi pekan depan di Jakarta."
    )
    names = {
        extract_text(f"JAKARTA, {credit}{body}").outlet for credit in ("JUARA.net", "JUARA.NET")
    }
    assert names == {"JUARA.net"}
    assert extract_text(f"JAKARTA, KOMPAS.COM{body}").outlet == "Kompas.com"  # a known outlet


def test_the_site_name_names_an_unknown_outlet() -> None:
    head = '<meta property="og:site_name" content="Kabar Kita">'
    record = roundtrip(html_page(head), "https://www.kabarkita.co.id/berita/1")
    assert record["outlet"] == "Kabar Kita"


def test_the_jakarta_post_page_extracts_without_a_crash() -> None:
    page = require_shared("data", "news_html_slasher", "thejakartapost.html.gz")
    proc = subprocess.run(
        [sys.executable, "-m", "warta.cli", "extract", str(page)],
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    record = json.loads(proc.stdout)
    assert record["outlet"] == "The Jakarta Post"  # not Kompas.com, which it links to
    assert record["published"] == "2015-06-19T07:36:00+07:00"
    assert record["published_precision"] == "minute"


def test_registered_domains_come_from_the_bundled_list_offline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_network(*args: object, **kwargs: object) -> socket.socket:
        raise AssertionError("the public suffix list must not be fetched")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    assert registered_domain("https://news.bbc.co.uk/x") == "bbc.co.uk"
    assert registered_domain("https://a.b.kompas.id/") == "kompas.id"
    assert registered_domain("https://example.co.id") == "example.co.id"
    assert registered_domain("http://127.0.0.1/x") is None
    assert registered_domain("https://co.uk/") is None
    assert registered_domain(None) is None


# --------------------------------------------------------------------------- not articles

MIT = """MIT License

Copyright (c) 2020 Someone

Permission is hereby granted, free of charge, to any person obtaining a copy of this software
and associated documentation files, to deal in the Software without restriction, including
without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense.

The above copyright notice and this permission notice shall be included in all copies.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING
BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM.
"""
GOLD_JSON = json.dumps(
    {"V1": {"title": "A headline", "authors": ["A. Writer"], "body": {"paragraphs": [LEAD, MORE]}}},
    indent=2,
)


def reason_of(text: str | bytes, **kwargs: str) -> str | None:
    article = extract_text(text, source="file", **kwargs)
    return article.errors[0].reason if article.errors else None


def test_a_licence_is_not_an_article() -> None:
    article = extract_text(MIT, source="LICENSE")
    assert [e.reason for e in article.errors] == ["not_an_article"]
    assert "licence" in article.errors[0].message and article.body == ""


def test_a_json_file_is_not_an_article() -> None:
    assert reason_of(GOLD_JSON) == "not_an_article"


def test_an_index_page_of_links_is_not_an_article() -> None:
    teasers = "".join(
        f'<li><a href="/news/{i}">Story number {i} about the regional budget and the council '
        f"vote on transport.</a> Posted by the desk on Monday in Jakarta.</li>"
        for i in range(12)
    )
    page = f"<html><body><main><h1>Latest news</h1><ul>{teasers}</ul></main></body></html>"
    assert reason_of(page, content_type="text/html") == "not_an_article"
    bare = "".join(
        f'<p><a href="/n/{i}">Story {i} about the budget vote</a></p>' for i in range(12)
    )
    page = f"<html><body><h1>Tag: budget</h1><div>{bare}</div></body></html>"
    assert reason_of(page, content_type="text/html") in ("not_an_article", "no_article_text")


def test_a_text_without_prose_has_no_article_text() -> None:
    menu = "\n\n".join(["Home", "News 2024", "Sport", "Contact us", "12:00", "Login"] * 3)
    assert reason_of(menu) in ("no_article_text",)


def test_an_article_quoting_a_licence_name_stays_an_article() -> None:
    text = (
        f"{LEAD} The photographs are licensed under Creative Commons, the council said.\n\n{MORE}"
    )
    assert reason_of(text) is None


def test_extract_and_ingest_report_non_articles_as_failures(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "LICENSE.txt").write_text(MIT, encoding="utf-8")
    (folder / "Publisher.json").write_text(GOLD_JSON, encoding="utf-8")
    (folder / "story.txt").write_text(f"Budget approved\n\n{LEAD}\n\n{MORE}", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "warta.cli", "extract", str(folder)],
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == 1
    records = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [Path(r["source"]).name for r in records] == ["story.txt"]
    assert "2 of 3 pages failed (2 not_an_article)" in proc.stderr.decode()
    with open_store(str(tmp_path / "store.db")) as store:
        report = ingest([str(folder)], store)
        assert report.new == 1 and dict(report.failed) == {"not_an_article": 2}
        assert sorted(Path(f.source).name for f in store.failures()) == [
            "LICENSE.txt",
            "Publisher.json",
        ]


# --------------------------------------------------------------------------- store, export


def test_the_store_keeps_the_stated_time_and_its_precision(tmp_path: Path) -> None:
    head = '<meta property="article:published_time" content="2022-11-15">'
    article = extract_text(html_page(head), source="page.html", url="https://news.example.org/a/1")
    with open_store(str(tmp_path / "store.db")) as store:
        store.put(article)
        assert store.schema_version() >= 5
        row = store.db.one(  # type: ignore[attr-defined]
            "SELECT published, published_local, published_precision FROM articles"
        )
        assert tuple(row) == (None, "2022-11-15", "day")
        exported = next(store.rows("articles"))
        assert exported["published_local"] == "2022-11-15"
        assert exported["published_precision"] == "day"
        got = store.get(article.id)
        assert got is not None and got.published_precision == "day"


def test_a_gzipped_real_page_states_its_precision() -> None:
    page = require_shared("data", "news_html_anpandu", "kompas", "kompas-singlepage.html.gz")
    article = extract_text(gzip.decompress(page.read_bytes()), source=str(page))
    assert article.published is not None and article.published_precision in ("minute", "second")


def test_time_filters_match_a_date_only_record_by_its_stated_day(tmp_path: Path) -> None:
    day_only = extract_text(
        html_page('<meta property="article:published_time" content="2022-11-15">'),
        source="a.html",
        url="https://news.example.org/a/1",
    )
    instant = extract_text(
        html_page('<meta property="article:published_time" content="2022-11-20T08:00:00+07:00">'),
        source="b.html",
        url="https://news.example.org/a/2",
    )
    with open_store(str(tmp_path / "store.db")) as store:
        store.put_many([day_only, instant])

        def found(since: datetime | None, until: datetime | None) -> set[str]:
            result = store.search(SearchRequest(since=since, until=until, limit=10))
            return {hit.id for hit in result.hits}

        utc = UTC
        assert found(datetime(2022, 11, 15, tzinfo=utc), datetime(2022, 11, 16, tzinfo=utc)) == {
            day_only.id
        }
        assert found(datetime(2022, 11, 16, tzinfo=utc), None) == {instant.id}
        assert found(None, datetime(2022, 11, 15, tzinfo=utc)) == set()
        assert found(datetime(2022, 11, 1, tzinfo=utc), None) == {day_only.id, instant.id}
