"""Malay (ms) pages: times and quotes read Malay data (lang/ms/), other stages the Indonesian
data they fall back to. The sentences are written for these tests (no Malay gold data exists
in ../shared/data: see CLARIFICATIONS.md)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from warta.core.record import Article
from warta.lang import reading
from warta.nlp.entities import EntityStage
from warta.nlp.quotes import QuoteStage
from warta.nlp.times import find_times

#: Wednesday 14 August 2024, 10:00 UTC.
ANCHOR = datetime(2024, 8, 14, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Menteri itu berkata demikian semalam.", [("semalam", "2024-08-13")]),
        ("Mesyuarat diadakan pada Isnin depan.", [("Isnin depan", "2024-08-19")]),
        ("Dia tiba pada Khamis lalu.", [("Khamis lalu", "2024-08-08")]),
        (
            "Dia tiba pada 12 Ogos 2024 dan pulang minggu lepas.",
            [("12 Ogos 2024", "2024-08-12"), ("minggu lepas", "2024-W32")],
        ),
        ("Laporan itu keluar bulan hadapan.", [("bulan hadapan", "2024-09")]),
        ("Pameran dibuka pada Disember.", [("Disember", "2024-12")]),
        ("Ia berlaku kelmarin petang.", [("kelmarin petang", "2024-08-12TAF")]),
        ("Projek itu siap dua hari lalu.", [("dua hari lalu", "2024-08-12")]),
        ("Dia bertugas selama lapan minggu.", [("lapan minggu", "P8W")]),
        ("Harga naik pada Mac 2025.", [("Mac 2025", "2025-03")]),
    ],
)
def test_malay_time_expressions(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(t.text, t.value) for t in find_times(text, ANCHOR, "ms")] == expected


def test_semalam_is_yesterday_in_malay_but_not_in_indonesian() -> None:
    text = "Polis menahan suspek semalam."
    assert [(t.text, t.value) for t in find_times(text, ANCHOR, "ms")] == [
        ("semalam", "2024-08-13")
    ]
    assert find_times(text, ANCHOR, "id") == []


def test_a_lower_case_mac_is_no_month() -> None:
    assert find_times("Dia membeli sebuah komputer mac baharu.", ANCHOR, "ms") == []


def test_malay_pages_read_malay_data_for_times_quotes_and_events() -> None:
    assert reading("ms", "times.toml").code == "ms"
    assert reading("ms", "quote_cues.toml").code == "ms"
    # Malay's event verbs extend the Indonesian ones (lang/ms/event_verbs.toml)
    assert reading("ms", "event_verbs.toml").code == "ms"
    for needs in ("entities", "keywords", "gazetteer.toml"):
        assert reading("ms", needs).code == "id", needs


def _quotes(text: str) -> list[tuple[str, str | None, str | None, str | None]]:
    article = Article(source="<ms>", body=text, language="ms")
    article = QuoteStage().run_one(EntityStage().run_one(article))
    assert article.errors == []
    return [(q.kind, q.speaker, q.cue, q.role) for q in article.quotes]


def test_malay_postposed_quote_with_honours() -> None:
    text = (
        '"Kerajaan akan terus memantau keadaan ekonomi negara dengan teliti," kata Perdana '
        "Menteri Datuk Seri Anwar Ibrahim di Putrajaya semalam."
    )
    assert _quotes(text) == [
        (
            "direct",
            "Anwar Ibrahim",
            "kata Perdana Menteri Datuk Seri Anwar Ibrahim",
            "Perdana Menteri",
        )
    ]


def test_malay_preposed_and_according_to() -> None:
    said = (
        "Menteri Kewangan II Datuk Seri Amir Hamzah Azizan berkata, kerajaan komited untuk "
        "mengurangkan defisit fiskal tahun depan."
    )
    assert _quotes(said)[0][:2] == ("indirect", "Amir Hamzah Azizan")
    according = "Menurut jurucakap polis, suspek ditahan di Kuala Lumpur pada Isnin."
    assert _quotes(according) == [("indirect", "jurucakap polis", "Menurut jurucakap polis", None)]


def test_malay_enclitic_cue() -> None:
    text = '"Kami tidak akan berkompromi dalam isu keselamatan," tegasnya kepada pemberita.'
    assert _quotes(text) == [("direct", None, "tegasnya", None)]
