"""The reader says a resolved time in words (issue 15: times on hover; an event's date), and
never hides a value it does not recognise."""

from __future__ import annotations

import pytest

from warta.core.record import Article, Block, TimeExpression
from warta.web.render import body_html
from warta.web.timex import timex_text


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        ("2015-11-17", "id", "17 Nov 2015"),
        ("2015-08-17", "id", "17 Agu 2015"),
        ("2015-11-17TNI", "id", "17 Nov 2015, malam"),
        ("2015-11-17TNI", "en", "17 Nov 2015, night"),
        ("2015-11-17TMO", "id", "17 Nov 2015, pagi"),
        ("2015-11-18T14:05", "en", "18 Nov 2015, 14:05"),
        ("2015-11-18T14:05+07:00", "en", "18 Nov 2015, 14:05 (+07:00)"),
        ("2015-05", "en", "May 2015"),
        ("2015-05", "id", "Mei 2015"),
        ("2019", "id", "2019"),
        ("XXXX-11-06", "id", "6 Nov"),
        ("2015-W47", "id", "pekan 47, 2015"),
        ("2015-W47-WE", "en", "weekend of week 47, 2015"),
        ("P2D", "id", "2 hari"),
        ("P1D", "en", "1 day"),
        ("PT3H", "en", "3 hours"),
        ("PT30M", "id", "30 menit"),
        ("P1.5Y", "id", "1,5 tahun"),
        ("2015-13-01", "en", "2015-13-01"),  # not a date: shown as it is
        ("PRESENT_REF", "en", "PRESENT_REF"),
        ("<b>", "en", "<b>"),
        (None, "en", ""),
    ],
)
def test_timex_values_in_words(value: str | None, lang: str, expected: str) -> None:
    assert timex_text(value, lang) == expected


def test_hover_text_says_the_time_in_words_and_keeps_the_value() -> None:
    body = "Polisi datang Selasa malam."
    start = body.index("Selasa")
    article = Article(
        source="test",
        id="t",
        body=body,
        blocks=[Block(kind="paragraph", start=0, end=len(body))],
        times=[
            TimeExpression(
                text="Selasa malam", start=start, end=start + 12, type="DATE", value="2015-11-17TNI"
            )
        ],
    )
    assert 'title="DATE: 17 Nov 2015, malam (2015-11-17TNI)"' in str(body_html(article, "id"))
    assert 'title="DATE: 17 Nov 2015, night (2015-11-17TNI)"' in str(body_html(article, "en"))
