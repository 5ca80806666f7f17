"""HTML article pages: structure kept, furniture removed with labelled reasons, and pages no
news site serves (pathological nesting, giant text nodes, entity bombs) stopped and reported."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from warta.api import extract_text
from warta.core.record import Article

HTML = Path(__file__).parent / "golden" / "html"


@pytest.fixture(scope="module")
def palu() -> Article:
    page = HTML / "kabar_palu.html"
    return extract_text(page.read_bytes(), source=str(page))


def test_html_is_sniffed_and_cleaned(palu: Article) -> None:
    assert palu.errors == []
    assert palu.content_type == "text/html"
    assert palu.title == "Gempa Guncang Palu, Warga Berhamburan ke Luar Rumah"


def test_structure_is_kept(palu: Article) -> None:
    kinds = [b.kind for b in palu.blocks]
    assert kinds.count("list_item") == 3
    assert kinds.count("quote") == 1
    assert palu.crossheads == ["Sekolah diliburkan"]
    assert (
        palu.paragraphs[-1]
        == "Hingga Selasa pagi belum ada laporan korban jiwa akibat gempa tersebut."
    )


def test_furniture_is_removed_with_reasons(palu: Article) -> None:
    labels = {r.text: r.label for r in palu.removed}
    assert labels["ADVERTISEMENT"] == "ad"
    assert labels["SCROLL TO CONTINUE WITH CONTENT"] == "ad"
    assert labels["Baca juga: BMKG Catat 30 Gempa Susulan di Sulawesi Tengah"] == "related"
    assert labels["Facebook Twitter WhatsApp"] == "social"
    assert labels["Copyright © 2019 Kabar Sulawesi. All rights reserved."] == "footer"
    for junk in (
        "Beranda",
        "Berita Terkait",
        "Ratusan warga memilih bertahan",
        "Pedagang di Pasar",
        "Tag:",
        "Warga berkumpul di halaman",
    ):
        assert junk not in palu.body, junk


def test_removed_offsets_point_into_the_rendered_text(palu: Article) -> None:
    for r in palu.removed:
        assert palu.raw_text[r.start : r.end] == r.text


def _timed(page: str | bytes, limit: float = 5.0) -> tuple[Article, float]:
    t0 = time.monotonic()
    article = extract_text(page, source="<hostile>", content_type="text/html", time_limit_s=limit)
    return article, time.monotonic() - t0


def test_a_million_nested_divs_is_refused_quickly() -> None:
    article, seconds = _timed("<html><body>" + "<div>" * 1_000_000 + "x" + "</div>" * 1_000_000)
    assert article.errors and article.errors[0].reason == "too_complex"
    assert seconds < 5


def test_deep_nesting_with_text_between_levels_is_refused() -> None:
    article, seconds = _timed("<html><body>" + "<div>a " * 30_000 + "</div>" * 30_000)
    assert article.errors and article.errors[0].reason == "too_complex"
    assert seconds < 5


def test_a_giant_text_node_is_refused_by_the_page_limit() -> None:
    article, seconds = _timed("<html><body><p>" + "kata " * 5_000_000 + "</p></body></html>")
    assert article.errors and article.errors[0].reason == "too_large"
    assert seconds < 10


def test_an_entity_bomb_is_not_expanded() -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i else "&lol;" * 10}">'
            for i in range(1, 10)
        )
        + "]><html><body><p>&lol9; Jakarta - Sebuah kalimat berita yang cukup panjang untuk dibaca.</p></body></html>"
    )
    article, seconds = _timed(bomb)
    assert seconds < 5
    assert "lollollol" not in article.body


def test_broken_encodings_never_crash() -> None:
    page = (
        "<html><body><p>Presiden mengatakan \u201ckita siap\u201d bekerja sama dengan semua pihak "
        "di Jakarta pada hari Senin.</p></body></html>"
    ).encode("utf-8")
    mixed = page[:60] + "caf\u00e9".encode("cp1252") + page[60:] + b"\xff\xfe\x00"
    article, _ = _timed(mixed)
    assert isinstance(article, Article)


def test_the_time_limit_stops_a_slow_page_and_the_next_page_is_fine() -> None:
    big = "<html><body>" + "<div><p>Sebuah kalimat berita yang panjang di sini.</p></div>" * 15_000
    slow, _ = _timed(big, limit=0.001)
    assert slow.errors and slow.errors[0].reason == "time_limit"
    fine, _ = _timed((HTML / "kabar_palu.html").read_bytes())
    assert fine.errors == [] and fine.body


EMBEDS = """<html><body><article><h1>Judul Berita Yang Cukup Panjang Untuk Diuji</h1>
<div class="content">
<p>Jakarta - Pemerintah mengumumkan kebijakan baru tentang harga beras pada Senin pagi di kantor kementerian.</p>
<blockquote class="twitter-tweet"><p lang="id">Harga beras harus turun minggu ini, kata saya kepada semua pihak yang hadir. <a href="https://t.co/x">pic.twitter.com/x</a></p>&mdash; Akun Resmi (@akun) <a href="https://twitter.com/akun/status/1">July 1, 2019</a></blockquote>
<p>Menteri mengatakan kebijakan itu akan berlaku mulai bulan depan di seluruh provinsi yang terdampak.</p>
<div class="polling"><p>Apakah Anda setuju dengan kebijakan ini?</p><label>Setuju</label><label>Tidak setuju</label></div>
<div class="newsletter-box"><p>Dapatkan berita terbaru setiap pagi langsung di email Anda. Daftar sekarang!</p></div>
<iframe src="https://www.youtube.com/embed/x"></iframe>
<p>Kebijakan tersebut disambut baik oleh para pedagang di pasar tradisional yang selama ini mengeluh.</p>
</div></article></body></html>"""


def test_social_embeds_polls_and_newsletter_prompts_are_removed() -> None:
    article = extract_text(EMBEDS, content_type="text/html")
    assert len(article.paragraphs) == 3
    for junk in ("Harga beras harus turun", "Apakah Anda setuju", "Setuju", "Dapatkan berita"):
        assert junk not in article.body
    assert article.published is None  # the tweet's date is not the article's
