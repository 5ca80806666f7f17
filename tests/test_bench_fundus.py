"""The fundus benchmark's loader, gold body and fixed held-out rule (bench/fundus.py)."""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import require_shared

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import fundus  # noqa: E402


def test_gold_body_is_summary_then_headlines_and_paragraphs() -> None:
    body = {
        "summary": ["Lead."],
        "sections": [
            {"headline": [], "paragraphs": ["One.", "Two."]},
            {"headline": ["Cross"], "paragraphs": ["Three."]},
        ],
    }
    assert fundus.gold_body(body) == "Lead.\nOne.\nTwo.\nCross\nThree."
    assert fundus.gold_body(None) == ""


def test_held_out_is_every_third_publisher_in_sorted_order() -> None:
    pubs = [("b", "uk"), ("A", "us"), ("c", "uk"), ("d", "jp"), ("e", "jp"), ("f", "kr")]
    assert fundus.held_out_publishers(pubs) == {("c", "uk"), ("f", "kr")}


def test_every_page_is_loaded_with_its_gold() -> None:
    data = require_shared("data", "fundus_news_pages")
    pages = fundus.load_fundus(data)
    assert len(pages) == 82
    assert len({(p.publisher, p.country) for p in pages}) == 61
    assert len({p.country for p in pages}) == 18
    held = {(p.publisher, p.country) for p in pages if p.split == "held-out"}
    assert len(held) == 20  # 61 publishers: indices 2, 5, ..., 59
    assert all(p.page.gold_body for p in pages)
    assert all(p.page.url.startswith("http") for p in pages)


def test_date_is_compared_as_a_day() -> None:
    assert fundus.date_correct("2024-01-07", "2024-01-07 01:20:00+00:00")
    assert fundus.date_correct("2024-01-07T09:20:00+08:00", "2024-01-07 01:20:00+00:00")
    assert not fundus.date_correct("2024-01-06", "2024-01-07 01:20:00+00:00")
