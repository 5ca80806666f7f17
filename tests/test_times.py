"""Time expressions: detection spans and TIMEX3 values against the publish time."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warta.core.record import Article
from warta.nlp.times import TimeStage, _all_rules, _rule_matches, find_times, rule_languages

WIB = timezone(timedelta(hours=7))
ANCHOR = datetime(2015, 11, 18, 13, 16, tzinfo=WIB)  # a Wednesday, ISO week 47
SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_e34af48cd88e996e.txt"


def _one(text: str, anchor: datetime | None = ANCHOR) -> tuple[str, str | None, str]:
    found = find_times(text, anchor)
    assert len(found) == 1, found
    t = found[0]
    assert text[t.start : t.end] == t.text
    return t.text, t.value, t.type


@pytest.mark.skipif(not SEED.is_file(), reason="../shared/seed is not present")
def test_seed_expressions() -> None:
    body = SEED.read_text(encoding="utf-8")
    got = [(t.text, t.value) for t in find_times(body, ANCHOR)]
    expected = [
        ("Rabu (18/11/2015)", "2015-11-18"),
        ("pekan ini", "2015-W47"),
        ("Selasa (17/11/2015)", "2015-11-17"),
        ("minggu depan", "2015-W48"),
        ("Selasa malam", "2015-11-17TNI"),
    ]
    assert [g for g in got if g in expected] == expected


@pytest.mark.parametrize(
    ("text", "span", "value", "kind"),
    [
        ("Ia datang kemarin.", "kemarin", "2015-11-17", "DATE"),
        ("kemarin lusa ia datang", "kemarin lusa", "2015-11-16", "DATE"),
        ("Rapat digelar besok pagi.", "besok pagi", "2015-11-19TMO", "DATE"),
        ("lusa", "lusa", "2015-11-20", "DATE"),
        ("hari ini", "hari ini", "2015-11-18", "DATE"),
        ("Ia tiba tadi pagi.", "tadi pagi", "2015-11-18TMO", "DATE"),
        ("malam ini", "malam ini", "2015-11-18TNI", "DATE"),
        ("nanti malam", "nanti malam", "2015-11-18TNI", "DATE"),
        ("pekan lalu", "pekan lalu", "2015-W46", "DATE"),
        ("pekan depan", "pekan depan", "2015-W48", "DATE"),
        ("minggu lalu", "minggu lalu", "2015-W46", "DATE"),
        ("bulan ini", "bulan ini", "2015-11", "DATE"),
        ("bulan lalu", "bulan lalu", "2015-10", "DATE"),
        ("bulan depan", "bulan depan", "2015-12", "DATE"),
        ("tahun ini", "tahun ini", "2015", "DATE"),
        ("tahun lalu", "tahun lalu", "2014", "DATE"),
        ("tahun depan", "tahun depan", "2016", "DATE"),
        ("awal bulan depan", "awal bulan depan", "2015-12", "DATE"),
        ("pada akhir tahun", "akhir tahun", "2015", "DATE"),
        ("akhir pekan lalu", "akhir pekan lalu", "2015-W46-WE", "DATE"),
        ("dua hari lalu", "dua hari lalu", "2015-11-16", "DATE"),
        ("tiga bulan lagi", "tiga bulan lagi", "2016-02", "DATE"),
        ("dua tahun yang lalu", "dua tahun yang lalu", "2013", "DATE"),
        ("sehari kemudian", "sehari kemudian", None, "DATE"),
        ("selama dua hari", "dua hari", "P2D", "DURATION"),
        ("selama dua puluh satu hari", "dua puluh satu hari", "P21D", "DURATION"),
        ("dihukum 3 tahun penjara", "3 tahun", "P3Y", "DURATION"),
        ("sebelas bulan", "sebelas bulan", "P11M", "DURATION"),
        ("Selasa malam", "Selasa malam", "2015-11-17TNI", "DATE"),
        ("Rabu", "Rabu", "2015-11-18", "DATE"),
        ("Kamis", "Kamis", "2015-11-12", "DATE"),
        ("Minggu dini hari", "Minggu dini hari", "2015-11-15TNI", "DATE"),
        ("Senin depan", "Senin depan", "2015-11-23", "DATE"),
        ("Rabu (18/11/2015)", "Rabu (18/11/2015)", "2015-11-18", "DATE"),
        ("Jumat (6/11) lalu", "Jumat (6/11)", "2015-11-06", "DATE"),
        ("pukul 14.05 WIB", "pukul 14.05 WIB", "2015-11-18T14:05+07:00", "TIME"),
        ("pukul 9 pagi", "pukul 9", "2015-11-18T09:00", "TIME"),
        ("10.00 WITA", "10.00 WITA", "2015-11-18T10:00+08:00", "TIME"),
        ("pada Oktober 2009", "Oktober 2009", "2009-10", "DATE"),
        ("akhir 2019", "akhir 2019", "2019", "DATE"),
        ("19 Agustus", "19 Agustus", "2015-08-19", "DATE"),
        ("Kamis, 30 Mei 2013", "Kamis, 30 Mei 2013", "2013-05-30", "DATE"),
        ("pada Desember", "Desember", "2015-12", "DATE"),
        ("tahun 90-an", "90-an", "199", "DATE"),
        ("sejak 2014 ia", "2014", "2014", "DATE"),
        ("yesterday", "yesterday", "2015-11-17", "DATE"),
        ("today", "today", "2015-11-18", "DATE"),
        ("tomorrow evening", "tomorrow evening", "2015-11-19TEV", "DATE"),
        ("last week", "last week", "2015-W46", "DATE"),
        ("next month", "next month", "2015-12", "DATE"),
        ("this year", "this year", "2015", "DATE"),
        ("on Monday", "Monday", "2015-11-16", "DATE"),
        ("Monday night", "Monday night", "2015-11-16TNI", "DATE"),
        ("next Friday", "next Friday", "2015-11-20", "DATE"),
        ("3 days ago", "3 days ago", "2015-11-15", "DATE"),
        ("two weeks ago", "two weeks ago", "2015-W45", "DATE"),
        ("earlier this month", "earlier this month", "2015-11", "DATE"),
        ("late 2019", "late 2019", "2019", "DATE"),
        ("tonight", "tonight", "2015-11-18TNI", "DATE"),
        ("last night", "last night", "2015-11-17TNI", "DATE"),
    ],
)
def test_cases(text: str, span: str, value: str | None, kind: str) -> None:
    assert _one(text) == (span, value, kind)


def test_no_anchor() -> None:
    assert _one("Rabu (18/11/2015)", None) == ("Rabu (18/11/2015)", "2015-11-18", "DATE")
    assert _one("pekan ini", None) == ("pekan ini", None, "DATE")
    assert _one("Jumat (6/11)", None) == ("Jumat (6/11)", "XXXX-11-06", "DATE")
    assert _one("dua hari", None) == ("dua hari", "P2D", "DURATION")


def test_negatives() -> None:
    for text in ["2.000 orang", "minggu", "rabu", "Ia mungkin datang.", "may be", "nomor 14.05"]:
        assert find_times(text, ANCHOR) == [], text


def test_tadi_malam_before_noon_is_last_night() -> None:
    morning = datetime(2015, 11, 18, 8, 0, tzinfo=WIB)
    assert _one("tadi malam", morning)[1] == "2015-11-17TNI"


def test_stage() -> None:
    stage = TimeStage()
    assert stage.name == "nlp.times.v1"
    article = Article(source="t", body="Ia datang kemarin.", published=ANCHOR)
    out = stage.run_one(article)
    assert [(t.text, t.value) for t in out.times] == [("kemarin", "2015-11-17")]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.booleans())
def test_never_raises_spans_valid(text: str, anchored: bool) -> None:
    found = find_times(text, ANCHOR if anchored else None)
    floor = 0
    for t in found:
        assert floor <= t.start < t.end <= len(text)
        assert text[t.start : t.end] == t.text
        floor = t.end


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Selasa",
                "malam",
                "pekan",
                "ini",
                "dua",
                "hari",
                "lalu",
                "(6/11)",
                "2019",
                "akhir",
                "pukul",
                "14.05",
                "WIB",
                "bulan",
                "depan",
                "last",
                "week",
                " ",
                ",",
                "Minggu",
            ]
        ),
        max_size=12,
    )
)
def test_word_soup(words: list[str]) -> None:
    text = " ".join(words)
    for t in find_times(text, ANCHOR):
        assert text[t.start : t.end] == t.text


#: The rule set of a page of no known language (Indonesian's and English's rules).
_CODES = rule_languages(None)


def _every_rule_scanned(text: str) -> list[tuple[int, int, int]]:
    """What each rule finds when it scans the whole text itself (no gate)."""
    return [
        (i, m.start(), m.end())
        for i, rule in enumerate(_all_rules(_CODES))
        for m in rule.pattern.finditer(text)
    ]


def _gated(text: str) -> list[tuple[int, int, int]]:
    index = {id(rule): i for i, rule in enumerate(_all_rules(_CODES))}
    return [(index[id(rule)], m.start(), m.end()) for rule, m in _rule_matches(text, _CODES)]


_SOUP = [
    "Selasa", "SELASA", "selasa", "Rabu (18/11/2015)", "malam", "pekan", "ini", "dua", "hari",
    "lalu", "(6/11)", "2019", "1990-an", "akhir", "Akhir", "pukul", "14.05", "WIB", "wib",
    "bulan", "depan", "last", "Week", "two", "days", "ago", "Oktober", "Okt.", "19 Agustus",
    "tahun", "kemarin", "Besok", "pagi", "Monday", "next", "tiga", "puluh", "jam", "10.00",
    " ", ",", ".", "\n", "“", "”", "—", "\u00a0", "é", "Éric", "İstanbul", "ſ", "\u212a", "x",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_SOUP), max_size=16), st.sampled_from(["", " ", "-", "a"]))
def test_gate_finds_what_every_rule_finds(words: list[str], glue: str) -> None:
    # the gate only picks where the rules are tried: same matches, same ends, as a full scan
    # (texts with letters outside ASCII take the full scan; both kinds are drawn here)
    text = glue.join(words)
    assert _gated(text) == _every_rule_scanned(text)


def test_gate_on_golden_pages() -> None:
    pages = sorted((Path(__file__).parent / "golden" / "pages").glob("*.txt"))
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert _gated(text) == _every_rule_scanned(text), page.name
