"""The HTML extraction benchmark's data loader and scorer (bench/html_data.py, bench/html_extraction.py).

The loader checks need ../shared/data (skipped with the reason when it is absent); the scorer
checks use text written here.
"""

from __future__ import annotations

import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import require_shared

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import html_data  # noqa: E402
import html_extraction as hx  # noqa: E402


def _f1(extracted: str, gold: str) -> float:
    return hx.prf(*hx.overlap(extracted, gold))[2]


# ----------------------------------------------------------------------------- loader


@pytest.fixture(scope="module")
def pages() -> list[html_data.HtmlPage]:
    for name in html_data.DATASETS:
        require_shared("data", name, "gold.jsonl")
    return html_data.load_pages()


def test_loader_finds_36_pages_with_gold(pages: list[html_data.HtmlPage]) -> None:
    assert len(pages) == 36
    assert Counter(p.dataset for p in pages) == html_data.EXPECTED_PAGES
    assert len({p.name for p in pages}) == 36
    for p in pages:
        assert p.html.lstrip()[:1] == b"<", p.name  # gunzipped, raw bytes
        assert len(hx.tokens(p.gold_body)) >= 20, p.name  # two are photo pages: a caption
        assert p.gold_title.strip(), p.name
        assert p.language in ("id", "en"), p.name
        assert p.url.startswith("http"), p.name
        assert p.body_concatenated == (p.dataset == "news_html_slasher")
        if p.dataset == "news_html_anpandu":
            assert p.gold_published is not None and p.gold_published.utcoffset() is not None
        else:
            assert p.gold_published is None


def test_loader_charsets_and_titles(pages: list[html_data.HtmlPage]) -> None:
    assert sum(p.charset == "iso-8859-1" for p in pages) == 3
    for p in pages:
        assert html_data.decode_html(p.html, p.charset).strip()
    slasher = [p for p in pages if p.dataset == "news_html_slasher"]
    assert not any(p.gold_title.endswith(("Kompas.com Bola", "The Jakarta Post")) for p in slasher)


def test_every_gold_scores_one_against_itself(pages: list[html_data.HtmlPage]) -> None:
    for p in pages:
        inter, n_ext, n_gold = hx.overlap(p.gold_body, p.gold_body)
        assert inter == n_ext == n_gold > 0, p.name


def test_loader_reports_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        html_data.load_pages(tmp_path)


# ----------------------------------------------------------------------------- scorer

LEAD = "Harga sewa lahan parkir di pusat kota naik menjadi Rp 200 juta per tahun mulai bulan depan."
PARAS = [
    LEAD,
    "Pengalaman serupa terjadi pada 2013 ketika pengelola pasar menaikkan tarif tanpa pemberitahuan",
    "Berikutnya para pedagang mengadukan kenaikan itu kepada dewan kota dan meminta penjelasan.",
    "\u201cKami tidak pernah diajak bicara,\u201d kata seorang pedagang sayur di pasar itu.",
]


def test_identical_text_scores_one() -> None:
    text = "\n".join(PARAS)
    assert hx.prf(*hx.overlap(text, text)) == (1.0, 1.0, 1.0)


def test_disjoint_text_scores_zero() -> None:
    other = "Tim nasional bulu tangkis berangkat ke Tokyo pekan ini untuk turnamen terbuka."
    assert hx.overlap(other, "\n".join(PARAS))[0] == 0
    assert _f1(other, "\n".join(PARAS)) == 0.0
    assert _f1("", "\n".join(PARAS)) == 0.0


def test_partial_overlap_precision_and_recall() -> None:
    gold = "\n".join(PARAS)
    extracted = "\n".join(
        [*PARAS[:2], "Menu Beranda Berita Olahraga Hiburan Teknologi Kontak Kami"]
    )
    p, r, f = hx.prf(*hx.overlap(extracted, gold))
    assert 0 < p < 1 and 0 < r < 1 and 0 < f < 1


def test_concatenated_gold_matches_paragraph_extraction() -> None:
    # slasher style: paragraphs glued with no separator ("...tahun.Pengalaman", "...pemberitahuanBerikutnya")
    gold = "".join(PARAS)
    assert "pemberitahuanBerikutnya" in gold and "depan.Pengalaman" in gold
    extracted = "\n\n".join(PARAS)
    assert _f1(extracted, gold) == 1.0
    # the case-boundary split is what makes the letter-letter join score: plain \w+ would not
    plain = Counter(w.lower() for w in hx._TOKEN.findall(gold))
    assert plain["pemberitahuanberikutnya"] == 1
    assert "pemberitahuanberikutnya" not in hx.tokens(gold)


def test_case_split_is_the_same_on_both_sides() -> None:
    text = "Aplikasi YouTube dan iPhone dipakai KLovers di McDonald's."
    assert _f1(text, text) == 1.0
    assert hx.tokens("ASKisah landThe 2015Pengalaman") == [
        "as", "kisah", "land", "the", "2015", "pengalaman",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("JAKARTA, KOMPAS.com - Harga naik.", "Harga naik."),
        ("Jakarta (ANTARA News) - Harga naik.", "Harga naik."),
        ("Mataram, NTB (ANTARA News) - Harga naik.", "Harga naik."),
        ("ISTANBUL, 23 Februari 2016 (Antara/PRNewswire) -\nHarga naik.", "Harga naik."),
        ("REPUBLIKA.CO.ID, JAKARTA - Harga naik.", "Harga naik."),
        ("TEMPO.CO, Jakarta - Harga naik.", "Harga naik."),
        ("Liputan6.com, Jakarta -  Harga naik.", "Harga naik."),
        ("VIVA.co.id - Harga naik.", "Harga naik."),
        ("Yogyakarta - Harga naik.", "Harga naik."),
        ("Jakarta. A bill was sent.", "A bill was sent."),
        # not credits
        ("Penyanyi Taylor Swift (kanan) memeluk Selena Gomez.", None),
        ("DEPRESI jadi satu momok - kata dokter.", None),
        ("Jakarta-based firms said - Monday.", None),
        ("Presiden Joko Widodo - yang akrab disapa Jokowi - datang.", None),
    ],
)
def test_strip_credit(text: str, rest: str | None) -> None:
    assert hx.strip_credit(text) == (text if rest is None else rest)


def test_credit_on_one_side_only_costs_nothing() -> None:
    body = "\n".join(PARAS)
    assert _f1(body, "JAKARTA, KOMPAS.com - " + body) == 1.0
    assert _f1("Jakarta (ANTARA News) - " + body, body) == 1.0


def test_title_suffix() -> None:
    strip = html_data.strip_title_suffix
    assert strip("Harga Naik Lagi - Kompas.com Bola", "kompas.com") == "Harga Naik Lagi"
    assert strip("Harga Naik Lagi | The Jakarta Post", "thejakartapost.com") == "Harga Naik Lagi"
    assert strip("Harga Naik Lagi :: Okezone News", "okezone.com") == "Harga Naik Lagi"
    assert strip("Brouhaha - The Jakarta Globe", "thejakartaglobe.beritasatu.com") == "Brouhaha"
    assert strip("Harga Naik - Pedagang Protes", "kompas.com") == "Harga Naik - Pedagang Protes"
    assert strip("Harga Naik Lagi", "viva.co.id") == "Harga Naik Lagi"


def test_publish_time_rules() -> None:
    gold = datetime(2015, 11, 5, 7, 56, 43, tzinfo=UTC)
    assert hx.time_correct("2015-11-05T14:56:00+07:00", gold) == (True, True)
    assert hx.time_correct(datetime.fromisoformat("2015-11-05T07:56:59+00:00"), gold) == (
        True,
        True,
    )
    assert hx.time_correct("2015-11-05", gold) == (False, True)  # a day only: time wrong
    assert hx.time_correct("2015-11-05T14:56:00", gold) == (False, True)  # naive: time wrong
    assert hx.time_correct("2015-11-05T14:57:00+07:00", gold) == (False, True)
    assert hx.time_correct("2015-11-04", gold) == (False, False)
    assert hx.time_correct(None, gold) == (False, False)
    late = datetime(2015, 11, 4, 20, 0, tzinfo=UTC)  # 03:00 next day in Jakarta
    assert hx.time_correct("2015-11-05", late) == (False, True)


def test_a_failing_page_is_counted_and_scored_zero() -> None:
    page = html_data.HtmlPage(
        dataset="news_html_slasher", file="x.html.gz", outlet="kompas.com", language="id",
        url="http://example.invalid/x", html=b"<html></html>", charset=None,
        gold_title="Harga Naik", gold_body="\n".join(PARAS), body_concatenated=True,
        gold_published=None,
    )  # fmt: skip
    calls = {"n": 0}

    def run(p: html_data.HtmlPage) -> hx.Output:
        calls["n"] += 1
        if calls["n"] > 1:
            raise ValueError("boom")
        return hx.Output("\n".join(PARAS), "Harga Naik")

    res = hx.run_system(hx.System("flaky", run, True, False), [page, page])
    s = res.summary()
    assert s["errors"] == 2 and s["micro_f1"] == 0.0 and s["title_exact"] == 0.0
    ok = hx.run_system(
        hx.System("ok", lambda p: hx.Output("\n".join(PARAS), "harga naik"), True, False), [page]
    )
    s = ok.summary()
    assert s["micro_f1"] == 1.0 and s["title_exact"] == 0.0 and s["title_ci"] == 1.0
    assert s["time_acc"] is None
