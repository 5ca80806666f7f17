"""warta.meta.html: metadata from a page's HTML (JSON-LD, OpenGraph, meta, <time>, text, URL)."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from warta.meta.html import HtmlMetadata, html_metadata

from conftest import require_shared

WIB = timezone(timedelta(hours=7))
WITA = timezone(timedelta(hours=8))


def meta_of(html: str, url: str | None = "https://example.org/berita/1") -> HtmlMetadata:
    return html_metadata(LexborHTMLParser(html), url)


def page(head: str = "", body: str = "", lang: str = "id") -> str:
    return f'<!doctype html><html lang="{lang}"><head>{head}</head><body>{body}</body></html>'


# --------------------------------------------------------------------------- JSON-LD

GRAPH = """<script type="application/ld+json">
{"@context": "https://schema.org", "@graph": [
  {"@type": "Organization", "@id": "https://kabar.example/#org", "name": "Kabar Nusantara"},
  {"@type": "WebPage", "@id": "https://kabar.example/a/1#page", "url": "https://kabar.example/a/1",
   "inLanguage": "id-ID"},
  {"@type": ["NewsArticle"], "@id": "https://kabar.example/a/1#article",
   "headline": "Banjir Rendam Ratusan Rumah di Kota Hilir",
   "datePublished": "2023-03-14T09:05:00+07:00", "dateModified": "2023-03-14T11:30:00+07:00",
   "author": [{"@id": "https://kabar.example/#andi"}, {"@type": "Person", "name": "Siti Rahma"}],
   "publisher": {"@id": "https://kabar.example/#org"},
   "mainEntityOfPage": {"@id": "https://kabar.example/a/1"},
   "articleSection": ["Regional"], "keywords": ["banjir", "Kota Hilir", " banjir ", ""],
   "description": "Hujan deras semalam merendam ratusan rumah."},
  {"@type": "Person", "@id": "https://kabar.example/#andi", "name": "Andi Saputra"},
  {"@type": "ItemList", "itemListElement": [{"@type": "ListItem", "item":
    {"@type": "NewsArticle", "headline": "Berita lain", "datePublished": "2020-01-01T00:00:00Z"}}]}
]}
</script>"""


def test_json_ld_graph() -> None:
    m = meta_of(page(head=GRAPH), "https://kabar.example/a/1?utm=x")
    assert m.title == "Banjir Rendam Ratusan Rumah di Kota Hilir"
    assert m.published == datetime(2023, 3, 14, 9, 5, tzinfo=WIB)
    assert m.published is not None and m.published.utcoffset() == timedelta(hours=7)
    assert m.published_source == "json-ld"
    assert m.published_raw == "2023-03-14T09:05:00+07:00"
    assert m.modified == datetime(2023, 3, 14, 11, 30, tzinfo=WIB)
    assert m.authors == ["Andi Saputra", "Siti Rahma"]  # the @id reference resolved
    assert m.site_name == "Kabar Nusantara"
    assert m.section == "Regional"
    assert m.tags == ["banjir", "Kota Hilir"]
    assert m.canonical_url == "https://kabar.example/a/1"
    assert m.language == "id"
    assert m.description == "Hujan deras semalam merendam ratusan rumah."


def test_json_ld_in_a_list_and_nested_as_main_entity() -> None:
    ld = """<script type="application/ld+json">[{"@type": "BreadcrumbList"},
      {"@type": "WebPage", "mainEntity": {"@type": "ReportageNews", "headline": "Gempa di Laut",
       "datePublished": "2022-08-01T20:15:00+08:00", "author": "Made Wirawan"}}]</script>"""
    m = meta_of(page(head=ld))
    assert m.title == "Gempa di Laut"
    assert m.published == datetime(2022, 8, 1, 20, 15, tzinfo=WITA)
    assert m.authors == ["Made Wirawan"]


def test_broken_json_ld_is_repaired() -> None:
    ld = """<script type="application/ld+json"><!--
    {"@context": "http://schema.org", "@type": "NewsArticle",
     "headline": "Harga Cabai Naik
     Lagi",
     "datePublished": "2021-06-02T08:00:00+07:00",
     "author": {"@type": "Person", "name": "Dewi Lestari",},
    }
    --></script>"""
    m = meta_of(page(head=ld))
    assert m.title == "Harga Cabai Naik Lagi"
    assert m.published == datetime(2021, 6, 2, 8, 0, tzinfo=WIB)
    assert m.authors == ["Dewi Lestari"]


def test_json_ld_beyond_repair_still_gives_its_date() -> None:
    ld = """<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Pasar "Baru"
    Ramai", "datePublished": "2019-12-24T17:45:00+07:00", "image": [{"url": </script>"""
    m = meta_of(page(head=ld))
    assert m.published == datetime(2019, 12, 24, 17, 45, tzinfo=WIB)
    assert m.published_source == "json-ld"


def test_json_ld_garbage_does_not_raise() -> None:
    for text in (
        "",
        "{",
        "[[[[[[[[",
        "null",
        "42",
        '{"@type": 5, "headline": {"a": []}}',
        "[" * 5000,
    ):
        m = meta_of(page(head=f'<script type="application/ld+json">{text}</script>'))
        assert m.published is None


# --------------------------------------------------------------------------- OpenGraph / meta

OG = """
<meta property="og:title" content="Pemerintah Umumkan Libur Nasional Baru | Kabar Pagi">
<meta property="og:site_name" content="Kabar Pagi">
<meta property="og:url" content="/nasional/libur-nasional-baru">
<meta property="og:locale" content="id_ID">
<meta property="article:published_time" content="2024-01-10T13:20:00+0700">
<meta property="article:modified_time" content="2024-01-10T15:00:00+07:00">
<meta property="article:section" content="Nasional">
<meta property="article:tag" content="libur nasional">
<meta property="article:tag" content=" Kalender ">
<meta property="article:tag" content="libur nasional">
<meta property="og:description" content="Daftar libur nasional bertambah satu hari.">
<title>Pemerintah Umumkan Libur Nasional Baru | Kabar Pagi</title>
"""


def test_opengraph_only() -> None:
    m = meta_of(page(head=OG, lang="en"), "https://kabarpagi.example/x?id=9")
    assert m.title == "Pemerintah Umumkan Libur Nasional Baru"
    assert m.published == datetime(2024, 1, 10, 13, 20, tzinfo=WIB)
    assert m.published_source == "meta"
    assert m.modified == datetime(2024, 1, 10, 15, 0, tzinfo=WIB)
    assert m.section == "Nasional"
    assert m.tags == ["libur nasional", "Kalender"]
    assert m.canonical_url == "https://kabarpagi.example/nasional/libur-nasional-baru"
    assert m.site_name == "Kabar Pagi"
    assert m.language == "id"  # og:locale before a template's <html lang="en">
    assert m.description == "Daftar libur nasional bertambah satu hari."


def test_other_meta_names_and_keywords() -> None:
    head = """<meta name="pubdate" content="2016-02-23T16:00:20+07:00">
    <meta name="news_keywords" content="gardu induk, PLN ,, listrik">
    <meta name="keywords" content="berita, terkini">
    <meta http-equiv="content-language" content="In-Id">
    <link rel="Canonical" href="https://listrik.example/read/1">"""
    m = meta_of(page(head=head, body="<h1>Gardu Induk Baru Beroperasi</h1>", lang=""))
    assert m.published == datetime(2016, 2, 23, 16, 0, 20, tzinfo=WIB)
    assert m.title == "Gardu Induk Baru Beroperasi"
    assert m.tags == ["gardu induk", "PLN", "listrik"]
    assert m.language == "id"  # "in" is the retired code for Indonesian
    assert m.canonical_url == "https://listrik.example/read/1"


def test_keywords_that_are_a_sentence_are_not_tags() -> None:
    head = '<meta name="keywords" content="Para, tahanan, itu, diperlakukan, dan, mereka, yang, sabar">'
    assert meta_of(page(head=head)).tags == []


def test_role_labels_are_not_tags() -> None:
    ld = """<script type="application/ld+json">{"@type": "NewsArticle",
    "keywords": [["News:", "Editor: Budi Santoso", "Tekno:Telko", "Media Visit"]]}</script>"""
    assert meta_of(page(head=ld)).tags == ["Tekno:Telko", "Media Visit"]


# --------------------------------------------------------------------------- <time> and text


def test_time_element() -> None:
    body = """<h1>Pasar Saham Ditutup Menguat</h1>
    <time itemprop="datePublished" datetime="2017-05-15T18:43:56+07:00">Senin, 15 Mei 2017</time>
    <p>Indeks harga saham gabungan ditutup menguat sore ini setelah ...</p>"""
    m = meta_of(page(body=body))
    assert m.published == datetime(2017, 5, 15, 18, 43, 56, tzinfo=WIB)
    assert m.published_source == "time"
    assert m.title == "Pasar Saham Ditutup Menguat"


def test_visible_date_line_next_to_the_headline() -> None:
    body = """<ul><li><a href="/2">Berita lain sekali</a> <span>Rabu, 04/11/2015 23:45 WIB</span></li></ul>
    <div class="x"><h2>Polres Serahkan Tersangka ke Kejaksaan</h2>
    <div>Rabu, 4 November 2015 | 21:04 WIB</div></div><p>LHOKSEUMAWE - Penyidik ...</p>"""
    head = "<title>Polres Serahkan Tersangka ke Kejaksaan - Kompas.com Regional</title>"
    m = meta_of(page(head=head, body=body), "http://regional.kompas.com/read/2015/11/04/1/x")
    assert m.title == "Polres Serahkan Tersangka ke Kejaksaan"
    assert m.published == datetime(2015, 11, 4, 21, 4, tzinfo=WIB)
    assert m.published_source == "visible"


def test_naive_time_on_an_indonesian_outlet_page_is_in_its_zone() -> None:
    body = """<h1>Brandon Makin Dekat dengan Sivia</h1><span>Kamis, 05 November 2015 11:52</span>"""
    m = meta_of(page(body=body), "http://www.kapanlagi.com/showbiz/brandon-abc.html")
    assert m.published == datetime(2015, 11, 5, 11, 52, tzinfo=WIB)
    assert m.published is not None and m.published.tzinfo is not None
    # An unknown site gives no zone: the time stays naive rather than guessed.
    m = meta_of(page(body=body), "https://unknown.example/a")
    assert m.published == datetime(2015, 11, 5, 11, 52)
    assert m.published is not None and m.published.tzinfo is None


def test_wita_page() -> None:
    head = '<meta name="pubdate" content="2018-09-28 14:05:00">'
    body = """<h1>Warga Makassar Padati Pantai Losari</h1>
    <div>Makassar - Jumat, 28 September 2018 | 14.05 WITA</div>"""
    m = meta_of(page(head=head, body=body), "https://kabarmakassar.example/berita/pantai")
    # the naive meta time takes the zone the page's own date line names
    assert m.published == datetime(2018, 9, 28, 14, 5, tzinfo=WITA)
    assert m.published is not None and m.published.utcoffset() == timedelta(hours=8)
    assert m.published_source == "meta"


def test_z_stays_utc() -> None:
    ld = """<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Tri Dorong
    Ekosistem Digital", "datePublished": "2016-02-16T02:10:56Z"}</script>"""
    body = "<h1>Tri Dorong Ekosistem Digital</h1><time>on 16 Feb 2016 at 09:10 WIB</time>"
    m = meta_of(page(head=ld, body=body), "http://tekno.liputan6.com/read/1/x")
    assert m.published == datetime(2016, 2, 16, 2, 10, 56, tzinfo=UTC)
    assert m.published is not None and m.published.utcoffset() == timedelta(0)


def test_local_time_mislabelled_z_is_read_as_local_when_the_page_says_so() -> None:
    head = '<meta name="pubdate" content="2015-11-05 T10:08:58Z">'
    body = "<h1>Google Umbar Kelemahan Galaxy</h1><div>Kamis, 05/11/2015 10:08 WIB</div>"
    m = meta_of(page(head=head, body=body), "http://inet.detik.com/read/2015/11/05/x")
    assert m.published == datetime(2015, 11, 5, 10, 8, 58, tzinfo=WIB)
    assert m.published_raw == "2015-11-05 T10:08:58Z"


def test_url_date_is_the_last_resort() -> None:
    body = "<h1>Sebuah Judul Tanpa Tanggal</h1>"
    for url, day in (
        ("https://a.example/news/2015/11/18/judul-berita", datetime(2015, 11, 18)),
        ("https://a.example/read/20151118/judul", datetime(2015, 11, 18)),
        ("https://a.example/judul-berita-20151118", datetime(2015, 11, 18)),
        ("https://a.example/2015-11-18/judul", datetime(2015, 11, 18)),
    ):
        m = meta_of(page(body=body), url)
        assert m.published == day, url
        assert m.published_source == "url"
        assert m.published is not None and m.published.tzinfo is None  # a day, not an instant
    assert meta_of(page(body=body), "https://a.example/read/20151332/x").published is None


# --------------------------------------------------------------------------- people


def test_author_junk_is_filtered() -> None:
    ld = """<script type="application/ld+json">{"@type": "NewsArticle", "author": [
      {"@type": "Person", "name": "Redaksi"}, {"@type": "Person", "name": "Andi Saputra"},
      "Admin", {"@type": "Organization", "name": "Kompas"}, {"name": "Tim Kabar Pagi"},
      {"name": "https://www.facebook.com/kabarpagi"}, {"name": "Kabar Pagi"}]}</script>
      <meta property="og:site_name" content="Kabar Pagi">"""
    assert meta_of(page(head=ld)).authors == ["Andi Saputra"]


def test_meta_author_split_and_outlet_names_dropped() -> None:
    head = '<meta name="author" content="Budi Santoso, Siti Aminah dan Joko Purnomo">'
    assert meta_of(page(head=head)).authors == ["Budi Santoso", "Siti Aminah", "Joko Purnomo"]
    for junk in ("Kompas Cyber Media", "Liputan6.com", "PT. VIVA MEDIA BARU - VIVA.co.id", "bgs"):
        head = f'<meta name="author" content="{junk}">'
        assert meta_of(page(head=head)).authors == [], junk


def test_visible_byline() -> None:
    body = """<h1>Harga Beras Turun di Pasar Induk</h1><div>Senin, 1 Juli 2019 10:00 WIB</div>
    <div class="byline">Penulis <span>:</span> <a href="/p/rina">Rina Marlina</a></div>
    <div>Editor: Bambang Priyo</div><p>JAKARTA - Harga beras ...</p>"""
    assert meta_of(page(body=body)).authors == ["Rina Marlina"]


def test_structured_author_the_page_calls_editor() -> None:
    ld = """<script type="application/ld+json">{"@type": "NewsArticle",
    "headline": "Pengadilan Pertemukan Dua Terdakwa", "author": {"@type": "Person",
    "name": "Bambang Priyo"}}</script>"""
    body = """<h1>Pengadilan Pertemukan Dua Terdakwa</h1><div>Oleh</div><div>Desca Natalia</div>
    <p>Isi berita ...</p><div>Editor:</div><div>Bambang Priyo</div>"""
    assert meta_of(page(head=ld, body=body)).authors == ["Desca Natalia"]


# --------------------------------------------------------------------------- titles


def test_title_suffixes_and_prefixes() -> None:
    cases = [
        ("Judul Berita Panjang Sekali - Kompas.com Regional", "http://regional.kompas.com/a"),
        ("Judul Berita Panjang Sekali :: Okezone News", "http://news.okezone.com/read/1"),
        ("Judul Berita Panjang Sekali - Health :: Okezone Lifestyle", "http://okezone.com/1"),
        ("KapanLagi.com: Judul Berita Panjang Sekali", "http://www.kapanlagi.com/a.html"),
        ("Judul Berita Panjang Sekali | merdeka.com", "http://www.merdeka.com/a.html"),
        ("Judul Berita Panjang Sekali - The Jakarta Globe", "http://elsewhere.example/a"),
    ]
    for raw, url in cases:
        assert (
            meta_of(page(head=f"<title>{raw}</title>"), url).title == "Judul Berita Panjang Sekali"
        )


def test_title_keeps_separators_inside_the_headline() -> None:
    head = "<title>Jokowi - Prabowo Bertemu di Istana - Kompas.com</title>"
    assert meta_of(page(head=head), "https://nasional.kompas.com/x").title == (
        "Jokowi - Prabowo Bertemu di Istana"
    )
    # "Antara" is also a word: on a site we know nothing of only a whole outlet name is cut
    head = "<title>Pertandingan Seru - Antara Dua Tim Tangguh</title>"
    assert meta_of(page(head=head), "https://bola.example/x").title == (
        "Pertandingan Seru - Antara Dua Tim Tangguh"
    )


def test_title_site_name_suffix_and_heading_consensus() -> None:
    head = """<meta property="og:site_name" content="Kabar Kita">
    <meta property="og:title" content="Kabar Kita: Musik - Bikin Gaduh Kota, Rumah Penyanyi Digerebek">
    <title>Bikin Gaduh Kota, Rumah Penyanyi Digerebek | Kabar Kita</title>"""
    body = "<h1>Musik</h1><h1>Bikin Gaduh Kota, Rumah Penyanyi Digerebek</h1>"
    m = meta_of(page(head=head, body=body), "https://kabarkita.example/a")
    assert m.title == "Bikin Gaduh Kota, Rumah Penyanyi Digerebek"


def test_headline_split_over_elements_still_anchors_the_date_line() -> None:
    body = """<h1>Suspect caught in US black <br><span>church rampage</span></h1>
    <span>Fri, June 19 2015, 7:36 AM</span>"""
    m = meta_of(page(body=body, lang="en"), "http://www.thejakartapost.com/news/2015/06/19/x.html")
    assert m.published == datetime(2015, 6, 19, 7, 36, tzinfo=WIB)
    assert m.published_source == "visible"


def test_title_in_og_site_name_is_not_a_site_name() -> None:
    head = (
        """<meta property="og:site_name" content="Ahok Dukung Jokowi Diberi Pangkat :: Okezone">"""
    )
    assert meta_of(page(head=head)).site_name is None


# --------------------------------------------------------------------------- robustness


def test_empty_and_odd_documents() -> None:
    for html in ("", "   ", "<html>", "plain text only", "<title></title>", "\x00\x01"):
        m = meta_of(html, None)
        assert m.title is None and m.published is None and m.authors == []
    for url in (None, "", "http://[", "not a url", "ftp://x/2015/11/18/y"):
        meta_of(page(head='<link rel="canonical" href="http://[::1">'), url)


_TOKENS = st.sampled_from(
    [
        "<html>",
        "<head>",
        "<body>",
        "<h1>",
        "</h1>",
        "<a>",
        "</a>",
        "<time datetime='2015-11-05T10:08:58Z'>",
        "</time>",
        '<meta property="og:title" content="',
        '<meta name="pubdate" content="',
        '<meta name="author" content="',
        '">',
        '<script type="application/ld+json">',
        "</script>",
        '{"@type": "NewsArticle", "headline": ',
        '"datePublished": "',
        '"@graph": [',
        "{",
        "}",
        "[",
        "]",
        ",",
        '"',
        ":",
        "Senin, 28 Sep 2018 14:05 WIB",
        "2015-13-45T99:99:99+99:99",
        "Penulis: ",
        "Redaksi",
        " - Kompas.com",
        " | ",
        "&amp;",
        "\x00",
        "\n",
        "Andi Saputra",
        "<title>",
        "</title>",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.one_of(_TOKENS, st.text(max_size=20)), max_size=60).map("".join),
    st.one_of(st.none(), st.text(max_size=40), st.sampled_from(["http://kompas.com/2015/11/18/"])),
)
def test_never_raises(html: str, url: str | None) -> None:
    m = html_metadata(LexborHTMLParser(html), url)
    assert isinstance(m, HtmlMetadata)
    assert all(isinstance(a, str) and a for a in m.authors)
    assert len(m.tags) == len({t.casefold() for t in m.tags})


# --------------------------------------------------------------------------- real pages


def test_anpandu_gold_floor() -> None:
    """Publish time (to the minute, as instants) and title on 26 real outlet pages."""
    from warta.clean.charset import decode_page

    folder = require_shared("data", "news_html_anpandu")
    rows = [json.loads(line) for line in (folder / "gold.jsonl").read_text().splitlines() if line]
    timed = titled = 0
    for row in rows:
        with gzip.open(folder / row["file"]) as fh:
            text = decode_page(fh.read(), source=row["file"]).text
        m = html_metadata(LexborHTMLParser(text), row["url"])
        want = datetime.fromisoformat(row["date_utc"].replace("Z", "+00:00"))
        if m.published is not None and m.published.tzinfo is not None:
            timed += m.published.astimezone(UTC).replace(second=0) == want.replace(second=0)
        titled += " ".join((m.title or "").split()) == " ".join(row["title"].split())
    assert len(rows) == 26
    assert timed >= 24, f"publish time right on {timed}/26 pages"
    assert titled >= 23, f"title right on {titled}/26 pages"
