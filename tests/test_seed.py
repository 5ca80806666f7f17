"""Golden test: the mission's seed page (../shared/seed) end to end."""

from __future__ import annotations

from datetime import datetime

import pytest

from warta.api import extract_text
from warta.core.record import Article

from conftest import load_json, require_shared


@pytest.fixture(scope="module")
def seed() -> tuple[Article, dict]:
    folder = require_shared("seed")
    expected = load_json(folder / "expected.json")
    page = folder / "000_e34af48cd88e996e.txt"
    return extract_text(page.read_bytes(), source=str(page)), expected


def test_seed_has_no_errors(seed: tuple[Article, dict]) -> None:
    article, _ = seed
    assert article.errors == []


def test_seed_metadata(seed: tuple[Article, dict]) -> None:
    article, expected = seed
    assert article.outlet == expected["outlet"]
    assert article.published == datetime.fromisoformat(expected["published"])
    assert article.published is not None and article.published.utcoffset() is not None
    assert article.published.isoformat() == expected["published"]
    assert article.published_raw == expected["published_raw"]
    assert article.wire_sources == expected["wire_sources"]
    assert article.title == expected["title"]
    assert article.language == expected["language"]
    assert article.dateline == expected["dateline"]


def test_seed_body(seed: tuple[Article, dict]) -> None:
    article, expected = seed
    body = expected["body"]
    paragraphs = article.paragraphs
    assert paragraphs[0] == body["first_paragraph"]
    assert paragraphs[-1] == body["last_paragraph"]
    assert len(paragraphs) == body["paragraph_count"]
    assert article.crossheads == body["crossheads"]
    for junk in body["must_not_contain"]:
        assert junk not in article.body, junk


def test_seed_crosshead_sits_between_8th_and_9th_paragraph(seed: tuple[Article, dict]) -> None:
    article, _ = seed
    kinds = [b.kind for b in article.blocks]
    assert kinds.index("heading") == 8


def test_seed_removed_lines_are_labelled(seed: tuple[Article, dict]) -> None:
    article, _ = seed
    labels = {r.text: r.label for r in article.removed}
    assert labels["Sumber WSJ, AFP"] == "wire"
    assert labels["Kompas.com - 18/11/2015, 13:16 WIB"] == "timestamp"
    assert labels["KOMPAS.com - "] == "dateline"
    assert labels["Close Ads"] == "ad"
    assert article.credit == "KOMPAS.com - "
    for r in article.removed:
        assert article.raw_text[r.start : r.end] == r.text
