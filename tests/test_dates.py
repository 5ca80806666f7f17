"""warta.clean.dates: the date and time shapes of Indonesian and English news pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warta.clean.dates import ZONE_OFFSETS, DateMatch, find_datetimes

WIB = timezone(timedelta(hours=7))
WITA = timezone(timedelta(hours=8))
WIT = timezone(timedelta(hours=9))

# (text, raw, value, has_time, zone)
CASES: list[tuple[str, str, datetime, bool, str | None]] = [
    (
        "Kompas.com - 18/11/2015, 13:16 WIB",
        "18/11/2015, 13:16 WIB",
        datetime(2015, 11, 18, 13, 16, tzinfo=WIB),
        True,
        "WIB",
    ),
    ("18/11/2015 13:16", "18/11/2015 13:16", datetime(2015, 11, 18, 13, 16), True, None),
    ("Tanggal 18-11-2015.", "18-11-2015", datetime(2015, 11, 18), False, None),
    ("18.11.2015", "18.11.2015", datetime(2015, 11, 18), False, None),
    ("pada 5/3/20 lalu", "5/3/20", datetime(2020, 3, 5), False, None),
    ("lahir 5-3-85", "5-3-85", datetime(1985, 3, 5), False, None),
    (
        "Senin, 28 Sep 2018 14:05 WIB",
        "Senin, 28 Sep 2018 14:05 WIB",
        datetime(2018, 9, 28, 14, 5, tzinfo=WIB),
        True,
        "WIB",
    ),
    (
        "Senin 28 Sep 2018, 14:05 WIB",
        "Senin 28 Sep 2018, 14:05 WIB",
        datetime(2018, 9, 28, 14, 5, tzinfo=WIB),
        True,
        "WIB",
    ),
    (
        "Makassar - 28 September 2018 | 14.05 WITA",
        "28 September 2018 | 14.05 WITA",
        datetime(2018, 9, 28, 14, 5, tzinfo=WITA),
        True,
        "WITA",
    ),
    (
        "Rabu, 18 November 2015 | 13:16 WIB",
        "Rabu, 18 November 2015 | 13:16 WIB",
        datetime(2015, 11, 18, 13, 16, tzinfo=WIB),
        True,
        "WIB",
    ),
    (
        "Jakarta, Rabu (18/11/2015) sore, polisi menggelar jumpa pers.",
        "Rabu (18/11/2015)",
        datetime(2015, 11, 18),
        False,
        None,
    ),
    (
        "Senin (28/9/2018) pukul 14.05 WIB",
        "Senin (28/9/2018) pukul 14.05 WIB",
        datetime(2018, 9, 28, 14, 5, tzinfo=WIB),
        True,
        "WIB",
    ),
    (
        "Kamis, 5 Maret 2020 - 10:12 WIB",
        "Kamis, 5 Maret 2020 - 10:12 WIB",
        datetime(2020, 3, 5, 10, 12, tzinfo=WIB),
        True,
        "WIB",
    ),
    (
        '"datePublished": "2015-11-18T13:16:00+07:00"',
        "2015-11-18T13:16:00+07:00",
        datetime(2015, 11, 18, 13, 16, tzinfo=WIB),
        True,
        "+07:00",
    ),
    (
        "2015-11-18T06:16:00.000Z",
        "2015-11-18T06:16:00.000Z",
        datetime(2015, 11, 18, 6, 16, tzinfo=UTC),
        True,
        "+00:00",
    ),
    ("2015-11-18 13:16:00", "2015-11-18 13:16:00", datetime(2015, 11, 18, 13, 16), True, None),
    ("read/2015/11/18/22260808", "2015/11/18", datetime(2015, 11, 18), False, None),
    ("November 18, 2015", "November 18, 2015", datetime(2015, 11, 18), False, None),
    (
        "Nov. 18, 2015 1:16 PM",
        "Nov. 18, 2015 1:16 PM",
        datetime(2015, 11, 18, 13, 16),
        True,
        None,
    ),
    (
        "Wednesday, November 18, 2015 | 1:16 pm",
        "Wednesday, November 18, 2015 | 1:16 pm",
        datetime(2015, 11, 18, 13, 16),
        True,
        None,
    ),
    (
        "Posted at 12:05 a.m. on Nov 18, 2015",
        "Nov 18, 2015",
        datetime(2015, 11, 18),
        False,
        None,
    ),
    (
        "Nov 18, 2015 12:05 a.m.",
        "Nov 18, 2015 12:05 a.m.",
        datetime(2015, 11, 18, 0, 5),
        True,
        None,
    ),
    (
        "18 Nov 2015 13:16 GMT+7",
        "18 Nov 2015 13:16 GMT+7",
        datetime(2015, 11, 18, 13, 16, tzinfo=WIB),
        True,
        "+07:00",
    ),
    (
        "18 Nov 2015 13:16 UTC+07:00",
        "18 Nov 2015 13:16 UTC+07:00",
        datetime(2015, 11, 18, 13, 16, tzinfo=WIB),
        True,
        "+07:00",
    ),
    (
        "18 Nov 2015 13:16 +0700",
        "18 Nov 2015 13:16 +0700",
        datetime(2015, 11, 18, 13, 16, tzinfo=WIB),
        True,
        "+07:00",
    ),
    (
        "18 Nov 2015 06:16 GMT",
        "18 Nov 2015 06:16 GMT",
        datetime(2015, 11, 18, 6, 16, tzinfo=UTC),
        True,
        "GMT",
    ),
    (
        "Jumat, 02 Agt 2019 09:30 WIT",
        "Jumat, 02 Agt 2019 09:30 WIT",
        datetime(2019, 8, 2, 9, 30, tzinfo=WIT),
        True,
        "WIT",
    ),
    (
        "Jum'at, 02 Agustus 2019 09:30 wit",
        "Jum'at, 02 Agustus 2019 09:30 wit",
        datetime(2019, 8, 2, 9, 30, tzinfo=WIT),
        True,
        "WIT",
    ),
    (
        "Jum’at, 2 Ags 2019",
        "Jum’at, 2 Ags 2019",
        datetime(2019, 8, 2),
        False,
        None,
    ),
    (
        "12 Okt 2020 08:00 WIB",
        "12 Okt 2020 08:00 WIB",
        datetime(2020, 10, 12, 8, 0, tzinfo=WIB),
        True,
        "WIB",
    ),
    ("7 Nop 2019", "7 Nop 2019", datetime(2019, 11, 7), False, None),
    ("5 Des 2019", "5 Des 2019", datetime(2019, 12, 5), False, None),
    ("3 Peb 2019", "3 Peb 2019", datetime(2019, 2, 3), False, None),
    ("Minggu, 1 Mei 2022", "Minggu, 1 Mei 2022", datetime(2022, 5, 1), False, None),
    ("Ahad, 1 Mei 2022", "Ahad, 1 Mei 2022", datetime(2022, 5, 1), False, None),
    ("Sept 3, 2019", "Sept 3, 2019", datetime(2019, 9, 3), False, None),
    ("Sept. 3rd, 2019", "Sept. 3rd, 2019", datetime(2019, 9, 3), False, None),
    ("the 3rd September 2019 vote", "3rd September 2019", datetime(2019, 9, 3), False, None),
    ("18-Nov-2015", "18-Nov-2015", datetime(2015, 11, 18), False, None),
    (
        "13:16 WIB, 18 November 2015",
        "13:16 WIB, 18 November 2015",
        datetime(2015, 11, 18, 13, 16, tzinfo=WIB),
        True,
        "WIB",
    ),
    (
        "18 Nov 2015 at 13.16",
        "18 Nov 2015 at 13.16",
        datetime(2015, 11, 18, 13, 16),
        True,
        None,
    ),
    (
        "Thu, 19 Nov 2015 07:00:05",
        "Thu, 19 Nov 2015 07:00:05",
        datetime(2015, 11, 19, 7, 0, 5),
        True,
        None,
    ),
    ("Oleh Ahmad18 Nov 2015", "18 Nov 2015", datetime(2015, 11, 18), False, None),
]


@pytest.mark.parametrize(("text", "raw", "value", "has_time", "zone"), CASES)
def test_formats(text: str, raw: str, value: datetime, has_time: bool, zone: str | None) -> None:
    matches = find_datetimes(text)
    assert len(matches) == 1, matches
    m = matches[0]
    assert m.raw == raw
    assert text[m.start : m.end] == raw
    assert m.value == value
    assert (m.value.tzinfo is None) == (value.tzinfo is None)
    if value.tzinfo is not None:
        assert m.value.utcoffset() == value.utcoffset()
    assert m.has_time is has_time
    assert m.zone == zone
    assert m.kind == "unmarked" or text.lower().startswith("posted")


def test_match_is_frozen_record() -> None:
    m = find_datetimes("18/11/2015")[0]
    assert isinstance(m, DateMatch)
    with pytest.raises(AttributeError):
        m.raw = "x"  # type: ignore[misc]


def test_zone_offsets_from_data() -> None:
    assert ZONE_OFFSETS["WIB"] == timedelta(hours=7)
    assert ZONE_OFFSETS["WITA"] == timedelta(hours=8)
    assert ZONE_OFFSETS["WIT"] == timedelta(hours=9)
    assert ZONE_OFFSETS["GMT"] == timedelta(0)
    assert ZONE_OFFSETS["UTC"] == timedelta(0)
    assert ZONE_OFFSETS.get("wib") == timedelta(hours=7)
    assert ZONE_OFFSETS.get("XYZ") is None
    assert "WIB" in ZONE_OFFSETS and "XYZ" not in ZONE_OFFSETS
    assert set(ZONE_OFFSETS) >= {"WIB", "WITA", "WIT", "GMT", "UTC"}


def test_zone_word_case_and_spacing() -> None:
    (m,) = find_datetimes("Mataram - 5 November 2015 08.00 Wita")
    assert m.zone == "WITA" and m.value.utcoffset() == timedelta(hours=8)
    (m,) = find_datetimes("18 Nov 2015 13:16WIB")
    assert m.zone == "WIB"
    (m,) = find_datetimes("18 Nov 2015 13:16 GMT -5")
    assert m.value.utcoffset() == timedelta(hours=-5) and m.zone == "-05:00"


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("Diperbarui 18 Nov 2015 14:00 WIB", ["modified"]),
        ("Diperbaharui: Rabu, 18/11/2015 14:00 WIB", ["modified"]),
        ("Update: 18/11/2015 14:00", ["modified"]),
        ("Pembaruan terakhir 18/11/2015", ["modified"]),
        ("Last updated: November 18, 2015 1:16 pm", ["modified"]),
        ("Updated Nov. 18, 2015", ["modified"]),
        ("Diterbitkan 18 Nov 2015, 13:16 WIB", ["published"]),
        ("Dipublikasikan pada 18/11/2015", ["published"]),
        ("Terbit: 18 Nov 2015", ["published"]),
        ("Published: Wednesday, November 18, 2015", ["published"]),
        ("Posted on 18 Nov 2015", ["published"]),
        ("Rabu, 18 November 2015 13:16 WIB", ["unmarked"]),
        (
            "Diterbitkan 18 Nov 2015 13:16 WIB | Diperbarui 19 Nov 2015 08:00 WIB",
            ["published", "modified"],
        ),
        ("Diperbarui\n18 Nov 2015", ["unmarked"]),  # the marker must be on the same line
        ("18 Nov 2015 (diperbarui)", ["unmarked"]),  # and before the date
    ],
)
def test_kind(text: str, kinds: list[str]) -> None:
    assert [m.kind for m in find_datetimes(text)] == kinds


@pytest.mark.parametrize(
    "text",
    [
        "",
        "tanpa angka sama sekali",
        "harga Rp 2.500 per kilogram",
        "Rp 2.500.000",
        "inflasi 1.000,5 poin",
        "hubungi 0812-3456-7890 atau (021) 5551234",
        "3/4 peserta setuju",
        "skor 2-1 dan 1/2 babak",
        "31/02/2015",  # no 31 February
        "29/02/2015",  # 2015 is not a leap year
        "18/13/2015",  # month 13
        "00/11/2015",
        "18/11/1850",  # year out of range
        "18 November 2150",
        "1.5.20",  # version number, not a date
        "versi 2.14.2019",  # month 14
        "pukul 14.05 WIB",  # a time without a date
        "November 2015",  # month and year only
        "Jumat (6/11)",  # no year
        "192.168.10.12",
        "10.000.2015",
    ],
)
def test_rejects(text: str) -> None:
    assert find_datetimes(text) == []


def test_leap_day_accepted() -> None:
    (m,) = find_datetimes("29/02/2016")
    assert m.value == datetime(2016, 2, 29)


def test_bad_time_keeps_the_date() -> None:
    (m,) = find_datetimes("pada 18 Nov 2015 25:99 WIB")
    assert m.raw == "18 Nov 2015" and not m.has_time
    (m,) = find_datetimes("18 Nov 2015 13:16 pm")
    assert m.raw == "18 Nov 2015" and not m.has_time


def test_numbers_after_the_date_are_not_times() -> None:
    (m,) = find_datetimes("Sejak 2 Mei 2019 1.000 orang mengungsi")
    assert m.raw == "2 Mei 2019" and not m.has_time
    (m,) = find_datetimes("Pada 2 Mei 2019, 12.500 warga")
    assert m.raw == "2 Mei 2019"


def test_several_in_order() -> None:
    text = (
        "Gempa terjadi Selasa (17/11/2015) dan susulan pada 18 November 2015 pukul 02.10 WIB, "
        "lalu 2015-11-20."
    )
    ms = find_datetimes(text)
    assert [m.raw for m in ms] == [
        "Selasa (17/11/2015)",
        "18 November 2015 pukul 02.10 WIB",
        "2015-11-20",
    ]
    assert all(a.end <= b.start for a, b in pairwise(ms))


def test_never_crosses_a_line() -> None:
    ms = find_datetimes("18 Nov 2015\n13:16 WIB\nRabu\n(18/11/2015)")
    assert [m.raw for m in ms] == ["18 Nov 2015", "18/11/2015"]


def test_two_digit_years() -> None:
    assert find_datetimes("1/1/69")[0].value.year == 2069
    assert find_datetimes("1/1/70")[0].value.year == 1970


def test_long_text_offsets() -> None:
    filler = "Lorem ipsum dolor sit amet 123 456. " * 50
    text = filler + "Rabu, 18/11/2015 13:16 WIB " + filler + "18 Nov 2015"
    ms = find_datetimes(text)
    assert [m.raw for m in ms] == ["Rabu, 18/11/2015 13:16 WIB", "18 Nov 2015"]
    for m in ms:
        assert text[m.start : m.end] == m.raw


def _check(text: str) -> None:
    ms = find_datetimes(text)
    last = 0
    for m in ms:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.raw
        assert m.start >= last
        last = m.end
        assert m.kind in ("published", "modified", "unmarked")
        assert (m.zone is None) == (m.value.tzinfo is None)
        assert 1900 <= m.value.year <= 2100
        assert "\n" not in m.raw


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises_on_any_text(text: str) -> None:
    _check(text)


_PIECES = st.sampled_from(
    [
        "18",
        "1",
        "31",
        "02",
        "2015",
        "15",
        "/",
        "-",
        ".",
        ",",
        ":",
        " ",
        "  ",
        "\n",
        "(",
        ")",
        "|",
        "13:16",
        "14.05",
        "1:16",
        "PM",
        "a.m.",
        "WIB",
        "Wita",
        "GMT+7",
        "+0700",
        "Z",
        "T",
        "Senin",
        "Rabu",
        "Jum'at",
        "Wednesday",
        "Nov",
        "Nov.",
        "November",
        "Agt",
        "Sept",
        "Mei",
        "pukul",
        "at",
        "Diperbarui",
        "Published",
        "Rp",
        "2.500",
        "1.000,5",
        "0812",
        "x",
    ]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=25).map("".join))
def test_never_raises_on_date_like_text(text: str) -> None:
    _check(text)


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_windows_find_what_a_full_scan_finds(text: str) -> None:
    # find_datetimes only scans windows around year-like anchors, for speed; that must not
    # change the answer.
    from warta.clean import dates

    assert find_datetimes(text) == dates._collect(text, [(0, len(text))])
