"""Multi-page articles given together are joined into one report."""

from __future__ import annotations

from warta.api import extract_text
from warta.run.multipage import join_pages, page_of

P1 = (
    "<html><body><h1>Banjir Rendam Lima Kecamatan</h1><div class='content'>"
    "<p>Jakarta - Banjir merendam lima kecamatan di wilayah utara sejak Senin pagi dan memaksa "
    "ratusan warga mengungsi ke sekolah terdekat.</p>"
    "<p>Petugas gabungan mendirikan tenda darurat dan dapur umum di halaman kantor camat.</p>"
    "<p>Halaman 1 2 Selanjutnya</p></div></body></html>"
)
P2 = (
    "<html><body><h1>Banjir Rendam Lima Kecamatan</h1><div class='content'>"
    "<p>Hingga Selasa sore, air mulai surut di dua kecamatan, tetapi tiga lainnya masih "
    "tergenang setinggi lutut orang dewasa.</p>"
    "<p>Pemerintah kota berjanji memperbaiki pompa air yang rusak pekan ini.</p>"
    "<p>Halaman 1 2</p></div></body></html>"
)


def test_page_markers() -> None:
    assert page_of("https://x.id/berita/banjir?page=2") == ("https://x.id/berita/banjir", 2)
    assert page_of("https://x.id/berita/banjir?utm=a&halaman=3") == (
        "https://x.id/berita/banjir?utm=a",
        3,
    )
    assert page_of("https://x.id/read/2019/07/08/banjir/2") == (
        "https://x.id/read/2019/07/08/banjir",
        2,
    )
    assert page_of("https://x.id/berita/banjir") is None


def test_two_pages_given_together_are_one_report() -> None:
    url = "https://kabar.example/berita/banjir-rendam-lima-kecamatan"
    first = extract_text(P1, url=url, content_type="text/html")
    second = extract_text(P2, url=url + "?page=2", content_type="text/html")
    other = extract_text(P1, url="https://kabar.example/lain", content_type="text/html")
    joined = list(join_pages([first, second, other]))
    assert len(joined) == 2
    article = joined[0]
    assert len(article.paragraphs) == 4
    assert article.paragraphs[-1].startswith("Pemerintah kota berjanji")
    assert article.extras["warta.pages"] == 2
    for r in article.removed:
        assert article.raw_text[r.start : r.end] == r.text
    for b in article.blocks:
        assert article.body[b.start : b.end] in article.raw_text
    assert joined[1].url == "https://kabar.example/lain"


def test_consecutive_numeric_article_ids_are_not_pages() -> None:
    a = extract_text(P1, url="https://kabar.example/news/5", content_type="text/html")
    b = extract_text(P2, url="https://kabar.example/news/6", content_type="text/html")
    assert len(list(join_pages([a, b]))) == 2
