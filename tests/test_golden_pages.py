"""Golden pages written in the house styles of 19 outlets: every field as a user sees it.

The pages are invented text (see tests/golden/pages/README.md); they pin behaviour, while the
quality on real data is measured in bench/ (detik gold, seed).
"""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from warta.api import extract_text
from warta.clean.lines import label_lines

from conftest import GOLDEN_PAGES, load_json

PAGES = sorted(GOLDEN_PAGES.glob("*.txt"))
FIELDS = ("outlet", "title", "authors", "editors", "dateline", "credit", "wire_sources", "language")


def test_there_are_at_least_fifteen_golden_pages() -> None:
    assert len(PAGES) >= 15


def test_golden_expectations_are_consistent_with_their_pages() -> None:
    proc = subprocess.run(
        [sys.executable, str(GOLDEN_PAGES / "check_golden.py")], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_golden_page(page: Path) -> None:
    expected = load_json(page.with_suffix(".json"))
    article = extract_text(page.read_bytes(), source=str(page))
    assert article.errors == []
    for field in FIELDS:
        assert getattr(article, field) == expected[field], field
    for field in ("published", "modified"):
        want = expected[field]
        got = getattr(article, field)
        assert got == (datetime.fromisoformat(want) if want else None), field
        if got is not None:
            assert got.utcoffset() == datetime.fromisoformat(want).utcoffset(), field
    assert article.published_raw == expected["published_raw"]
    assert article.paragraphs == expected["paragraphs"]
    assert article.crossheads == expected["crossheads"]


def test_line_labels_stay_above_their_floor() -> None:
    """Quality floor (like trafilatura's evaluation gate): measured 0.93 exact, 0.999 kept."""
    exact = kept = total = 0
    for page in PAGES:
        expected = load_json(page.with_suffix(".json"))["lines"]
        got = label_lines(page.read_text(encoding="utf-8"))
        assert [d.text for d in got] == [text.strip() for _, text in expected]
        for d, (label, _) in zip(got, expected):
            total += 1
            exact += d.label == label
            kept += (d.label in ("body", "crosshead")) == (label in ("body", "crosshead"))
    assert exact / total >= 0.90
    assert kept / total >= 0.99
