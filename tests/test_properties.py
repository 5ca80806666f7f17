"""Property tests of plain-text extraction (hypothesis): it never raises, never invents text,
is idempotent on its own output, and keeps every offset valid."""

from __future__ import annotations

import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warta.api import extract_text
from warta.clean.lines import LineLabeller
from warta.core.record import Article

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import random  # noqa: E402

from pagegen import FURNITURE_END, FURNITURE_MID, FURNITURE_TOP, OUTLETS, _sentence  # noqa: E402

SETTINGS = settings(
    max_examples=int(__import__("os").environ.get("WARTA_PROPERTY_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@st.composite
def page_like(draw: st.DrawFn) -> str:
    """Pages built from sentences, furniture, credits and arbitrary lines, in any order."""
    rng = random.Random(draw(st.integers(0, 10**6)))
    pieces = st.one_of(
        st.builds(lambda: _sentence(rng)),
        st.builds(lambda: " ".join(_sentence(rng) for _ in range(3))),
        st.sampled_from(FURNITURE_TOP + FURNITURE_MID + FURNITURE_END),
        st.text(min_size=0, max_size=80),
        st.sampled_from(["Puji putin", "Kompas.com - 18/11/2015, 13:16 WIB", "(rdp/imk)", ""]),
    )
    head = draw(st.lists(pieces, max_size=6))
    lead = [rng.choice(OUTLETS) + _sentence(rng)] if draw(st.booleans()) else []
    lines = head + lead + draw(st.lists(pieces, min_size=0, max_size=20))
    sep = draw(st.sampled_from(["\n", "\n\n", "\r\n", "\n \n"]))
    return sep.join(lines)


def _check_offsets(article: Article) -> None:
    for block in article.blocks:
        assert 0 <= block.start < block.end <= len(article.body)
    for r in article.removed:
        assert 0 <= r.start <= r.end <= len(article.raw_text)
        assert article.raw_text[r.start : r.end] == r.text


def _check_no_invention(article: Article) -> None:
    for block in article.blocks:
        assert article.body[block.start : block.end] in article.raw_text


@SETTINGS
@given(st.text(max_size=3000))
def test_arbitrary_text_never_raises_and_invents_nothing(text: str) -> None:
    article = extract_text(text)
    assert isinstance(article, Article)
    if not article.errors:
        _check_no_invention(article)
        _check_offsets(article)


@SETTINGS
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    article = extract_text(data)
    assert isinstance(article, Article)
    assert article.ok or article.errors[0].reason


@SETTINGS
@given(page_like())
def test_page_like_text(text: str) -> None:
    article = extract_text(text)
    if article.errors:
        assert article.body == "" or article.errors[0].stage
        return
    _check_no_invention(article)
    _check_offsets(article)
    again = extract_text(article.body)
    assert again.body == article.body, "extracting the clean text changed the body"
    assert [b.kind for b in again.blocks] == [b.kind for b in article.blocks]


@SETTINGS
@given(st.text(max_size=2000))
def test_idempotent_on_arbitrary_text(text: str) -> None:
    article = extract_text(text)
    if article.errors:
        return
    assert extract_text(article.body).body == article.body


_WARM = LineLabeller()


@SETTINGS
@given(page_like())
def test_remembered_decisions_equal_fresh_ones(text: str) -> None:
    """The labeller's memo of short-line decisions never changes an outcome."""
    fresh = [(d.line, d.label, d.rule) for d in LineLabeller().label(text)]
    _WARM.label(text)
    warm = [(d.line, d.label, d.rule) for d in _WARM.label(text)]
    assert warm == fresh
