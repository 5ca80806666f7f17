"""Feeds given as input (warta.readers.feed_pages): every item that carries its article becomes
a page for the HTML pipeline; teasers are failures that say to crawl. Real processes for the
CLI, real SQLite and PostgreSQL stores. The articles are invented; one test reads the real
detik.com set in ../shared at test time."""

from __future__ import annotations

import csv
import gzip
import html
import json
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from warta.api import extract_paths
from warta.readers.base import Page, ReadFailure
from warta.readers.feed_pages import MIN_ARTICLE_WORDS
from warta.readers.walk import iter_pages
from warta.run.ingest import ingest
from warta.run.pipeline import CLEAN_PIPELINE
from warta.store import open_store

from conftest import require_shared

WARTA = [sys.executable, "-m", "warta.cli"]
WIB = timezone(timedelta(hours=7))

# Invented reports, long enough to be articles (each well over MIN_ARTICLE_WORDS words).
BANJIR = [
    "Banjir kembali merendam ratusan rumah di Kecamatan Medan Maimun, Kota Medan, Sumatera Utara,"
    " setelah hujan deras mengguyur kawasan itu sejak Minggu malam hingga Senin pagi.",
    "Kepala Badan Penanggulangan Bencana Daerah Kota Medan, Hendra Siregar, mengatakan air mulai"
    " naik sekitar pukul 03.00 WIB dan mencapai ketinggian satu meter di beberapa gang sempit di"
    " sepanjang bantaran Sungai Deli.",
    '"Kami sudah mengevakuasi sekitar 240 warga ke masjid dan sekolah terdekat. Dapur umum juga'
    ' sudah berdiri sejak pagi," kata Hendra kepada wartawan di posko pengungsian.',
    "Menurut dia, petugas gabungan dari kepolisian, TNI, dan relawan masih menyisir rumah warga"
    " yang belum mau meninggalkan tempat tinggal mereka. Perahu karet dikerahkan untuk menjangkau"
    " lansia dan anak-anak yang terjebak di lantai dua.",
    "Warga berharap pemerintah segera menormalisasi aliran sungai yang semakin dangkal karena"
    " sampah dan endapan lumpur, agar banjir serupa tidak terulang setiap musim hujan tiba.",
]
PANEN = [
    "Petani di Kabupaten Indramayu, Jawa Barat, mulai memanen padi lebih awal tahun ini karena"
    " khawatir serangan hama wereng yang meluas di sejumlah desa sejak awal bulan lalu.",
    "Ketua kelompok tani Sri Rejeki, Wahyudi, menyebut hasil panen turun hingga dua ton per"
    " hektare dibanding musim sebelumnya. Harga gabah kering panen di tingkat petani kini berkisar"
    " Rp6.200 per kilogram.",
    '"Kalau menunggu sampai benar-benar tua, kami takut habis dimakan wereng. Jadi lebih baik'
    ' dipanen sekarang walaupun hasilnya sedikit," ujar Wahyudi saat ditemui di sawahnya.',
    "Dinas Pertanian setempat menyatakan telah membagikan pestisida dan benih tahan wereng kepada"
    " lebih dari tiga puluh kelompok tani, serta menyiapkan penyuluhan tentang pola tanam serempak"
    " untuk musim tanam berikutnya.",
]
TEASER = (
    "Harga cabai rawit di sejumlah pasar tradisional Jakarta naik tajam menjelang Lebaran,"
    " pedagang mengeluhkan pasokan yang berkurang."
)


def words(paragraphs: Sequence[str]) -> int:
    return sum(len(p.split()) for p in paragraphs)


def as_html(paragraphs: Sequence[str]) -> str:
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


def rss_item(
    title: str,
    link: str,
    *,
    date: str | None = None,
    creators: Sequence[str] = (),
    description: str | None = None,
    content: str | None = None,
) -> str:
    parts = [f"<title>{html.escape(title)}</title>", f"<link>{link}</link>"]
    if date:
        parts.append(f"<pubDate>{date}</pubDate>")
    parts += [f"<dc:creator>{html.escape(c)}</dc:creator>" for c in creators]
    if description is not None:
        parts.append(f"<description>{html.escape(description)}</description>")
    if content is not None:
        parts.append(f"<content:encoded><![CDATA[{content}]]></content:encoded>")
    return "<item>" + "".join(parts) + "</item>"


def rss(*items: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        "<channel><title>Kabar Contoh</title><link>https://kabar.example.id/</link>"
        "<description>Berita terkini</description>\n" + "\n".join(items) + "\n</channel></rss>\n"
    )


def full_rss() -> str:
    """Two items with the article in content:encoded, one teaser between them."""
    return rss(
        rss_item(
            "Banjir Rendam Ratusan Rumah di Medan",
            "https://kabar.example.id/daerah/2024/05/06/banjir-medan",
            date="Senin, 06 Mei 2024 10:15 WIB",
            creators=["Rina Wulandari", "Agus Prasetyo"],
            description=BANJIR[0],
            content=as_html(BANJIR),
        ),
        rss_item(
            "Harga Cabai Rawit Melonjak",
            "https://kabar.example.id/ekonomi/2024/05/06/cabai",
            date="Mon, 06 May 2024 08:00:00 +0700",
            description=TEASER,
        ),
        rss_item(
            "Petani Indramayu Panen Lebih Awal",
            "https://kabar.example.id/daerah/2024/05/05/panen-indramayu",
            date="Sun, 05 May 2024 14:30:00 +0700",
            creators=["Dewi Lestari"],
            content=as_html(PANEN),
        ),
    )


def atom() -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Kabar Atom</title>'
        '<link href="https://atom.example.id/"/><id>urn:kabar</id>'
        "<updated>2024-05-06T12:00:00+07:00</updated>\n"
        "<entry><title>Banjir Rendam Ratusan Rumah di Medan</title>"
        '<link rel="alternate" href="https://atom.example.id/banjir-medan"/>'
        "<id>urn:kabar:1</id><published>2024-05-06T10:15:00+07:00</published>"
        "<updated>2024-05-06T11:00:00+07:00</updated>"
        "<author><name>Rina Wulandari</name></author>"
        f"<summary>{html.escape(BANJIR[0])}</summary>"
        f'<content type="html">{html.escape(as_html(BANJIR))}</content></entry>\n'
        "<entry><title>Harga Cabai Rawit Melonjak</title>"
        '<link href="https://atom.example.id/cabai"/><id>urn:kabar:2</id>'
        f"<updated>2024-05-06T08:00:00+07:00</updated><summary>{html.escape(TEASER)}</summary>"
        "</entry>\n</feed>\n"
    )


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [*WARTA, *args], input=stdin, capture_output=True, timeout=180, check=False
    )
    return subprocess.CompletedProcess(
        proc.args, proc.returncode, proc.stdout.decode(), proc.stderr.decode()
    )


def records(stdout: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.splitlines()]


def errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("warta: error:")]


# --------------------------------------------------------------------------- warta extract


def test_extract_rss_content_encoded(tmp_path: Path) -> None:
    feed = write(tmp_path / "feed.xml", full_rss())
    proc = run("extract", str(feed))
    assert proc.returncode == 1  # the convention: 1 when any page failed
    first, second = records(proc.stdout)
    assert first["source"] == f"{feed}#1" and second["source"] == f"{feed}#3"
    assert first["url"] == "https://kabar.example.id/daerah/2024/05/06/banjir-medan"
    assert first["title"] == "Banjir Rendam Ratusan Rumah di Medan"
    assert first["published"] == "2024-05-06T10:15:00+07:00"
    assert first["authors"] == ["Rina Wulandari", "Agus Prasetyo"]
    assert first["content_type"] == "text/html" and first["retrieved_at_kind"] == "file_mtime"
    body = str(first["body"])
    assert body.startswith("Banjir kembali merendam") and "Sungai Deli" in body
    assert "tidak terulang setiap musim hujan tiba." in body
    assert "Penulis" not in body and "2024-05-06" not in body  # byline and date line stay out
    assert second["title"] == "Petani Indramayu Panen Lebih Awal"
    assert second["published"] == "2024-05-05T14:30:00+07:00"
    assert second["authors"] == ["Dewi Lestari"]
    assert str(second["body"]).startswith("Petani di Kabupaten Indramayu")
    (error,) = errors(proc.stderr)
    assert (
        f"{feed}: unreadable: item 2 <https://kabar.example.id/ekonomi/2024/05/06/cabai>" in error
    )
    assert "feed item without article text" in error and "warta crawl --feed" in error
    assert "1 of 3 pages failed" in proc.stderr and "Traceback" not in proc.stderr


def test_extract_atom_html_content(tmp_path: Path) -> None:
    feed = write(tmp_path / "kabar.atom", atom())
    proc = run("extract", str(feed))
    assert proc.returncode == 1
    (record,) = records(proc.stdout)
    assert record["url"] == "https://atom.example.id/banjir-medan"
    assert record["title"] == "Banjir Rendam Ratusan Rumah di Medan"
    assert record["published"] == "2024-05-06T10:15:00+07:00"
    assert record["authors"] == ["Rina Wulandari"]
    assert str(record["body"]).startswith("Banjir kembali merendam")
    (error,) = errors(proc.stderr)
    assert "<https://atom.example.id/cabai>" in error and "without article text" in error


def test_every_item_of_a_full_feed_extracts_with_exit_status_0(tmp_path: Path) -> None:
    feed = write(
        tmp_path / "lengkap.rss",
        rss(
            rss_item("Satu", "https://kabar.example.id/1", content=as_html(BANJIR)),
            rss_item("Dua", "https://kabar.example.id/2", content=as_html(PANEN)),
        ),
    )
    proc = run("extract", str(feed))
    assert proc.returncode == 0, proc.stderr
    assert [r["url"] for r in records(proc.stdout)] == [
        "https://kabar.example.id/1",
        "https://kabar.example.id/2",
    ]


def test_summary_only_feed_reports_each_item(tmp_path: Path) -> None:
    feed = write(
        tmp_path / "ringkas.xml",
        rss(
            *(
                rss_item(f"Berita {n}", f"https://kabar.example.id/r/{n}", description=TEASER)
                for n in range(1, 4)
            )
        ),
    )
    proc = run("extract", str(feed))
    assert proc.returncode == 1 and proc.stdout == ""
    lines = errors(proc.stderr)
    assert len(lines) == 3
    for n, line in enumerate(lines, start=1):
        assert f"item {n} <https://kabar.example.id/r/{n}>" in line
        assert f"feed item without article text ({len(TEASER.split())} words;" in line


def test_a_long_description_is_article_text(tmp_path: Path) -> None:
    """A feed without content:encoded whose description is the whole article."""
    long_text = " ".join(PANEN)
    feed = write(
        tmp_path / "deskripsi.xml",
        rss(rss_item("Panen", "https://kabar.example.id/p", description=long_text)),
    )
    (page,) = iter_pages([str(feed)])
    assert isinstance(page, Page) and page.url == "https://kabar.example.id/p"
    (article,) = extract_paths([str(feed)], spec=CLEAN_PIPELINE)
    assert article.body is not None and article.body.startswith("Petani di Kabupaten")


def test_threshold_is_counted_in_words(tmp_path: Path) -> None:
    text = " ".join(" ".join(BANJIR).split()[:MIN_ARTICLE_WORDS])
    feed = write(
        tmp_path / "batas.xml",
        rss(
            rss_item("Cukup", "https://kabar.example.id/a", content=f"<p>{text}</p>"),
            rss_item(
                "Kurang",
                "https://kabar.example.id/b",
                content=f"<p>{text.rsplit(' ', 1)[0]}</p><p>&nbsp; &mdash;</p>",
            ),
        ),
    )
    enough, short = iter_pages([str(feed)])
    assert isinstance(enough, Page) and enough.url == "https://kabar.example.id/a"
    assert isinstance(short, ReadFailure)
    assert f"({MIN_ARTICLE_WORDS - 1} words; fewer than {MIN_ARTICLE_WORDS})" in short.error.message


def test_gzipped_feed_under_any_name(tmp_path: Path) -> None:
    data = full_rss().encode("utf-8")
    zipped = tmp_path / "feed.xml.gz"
    zipped.write_bytes(gzip.compress(data))
    unnamed = tmp_path / "unduhan"
    unnamed.write_bytes(gzip.compress(data))
    plain = write(tmp_path / "feed.xml", full_rss())
    by_file = {
        path: [(a.url, a.title, a.body) for a in extract_paths([str(path)], spec=CLEAN_PIPELINE)]
        for path in (plain, zipped, unnamed)
    }
    assert by_file[plain] == by_file[zipped] == by_file[unnamed]
    assert [url for url, _, body in by_file[plain] if body] == [
        "https://kabar.example.id/daerah/2024/05/06/banjir-medan",
        "https://kabar.example.id/daerah/2024/05/05/panen-indramayu",
    ]


def test_feed_on_stdin(tmp_path: Path) -> None:
    proc = run("extract", "-", stdin=full_rss().encode("utf-8"))
    assert proc.returncode == 1
    assert [r["source"] for r in records(proc.stdout)] == ["<stdin>#1", "<stdin>#3"]


def test_feed_larger_than_the_page_limit_is_still_read(tmp_path: Path) -> None:
    feed = write(tmp_path / "feed.xml", full_rss())
    limit = feed.stat().st_size - 1
    items = list(iter_pages([str(feed)], max_bytes=limit))
    assert [type(i).__name__ for i in items] == ["Page", "ReadFailure", "Page"]
    (page,) = iter_pages([str(write(tmp_path / "page.html", "<p>x</p>" * 1000))], max_bytes=limit)
    assert isinstance(page, ReadFailure) and page.error.reason == "too_large"  # pages as before


def test_malformed_feed_is_one_failure_naming_the_file(tmp_path: Path) -> None:
    broken = write(
        tmp_path / "rusak.xml",
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Rusak</titel><item>',
    )
    bad_gzip = tmp_path / "rusak.xml.gz"
    packed = gzip.compress(full_rss().encode())  # its head shows a feed, its body is corrupt
    bad_gzip.write_bytes(packed[:400] + bytes(range(256)) * 4)
    proc = run("extract", str(broken), str(bad_gzip))
    assert proc.returncode == 1 and proc.stdout == ""
    first, second = errors(proc.stderr)
    assert first.startswith(f"warta: error: {broken}: malformed_record: unreadable feed:")
    assert second.startswith(f"warta: error: {bad_gzip}: malformed_record: unreadable feed:")
    assert "Traceback" not in proc.stderr


def test_items_without_a_link_are_counted_not_lost(tmp_path: Path) -> None:
    feed = write(
        tmp_path / "tanpa-tautan.xml",
        rss(
            rss_item("Ada", "https://kabar.example.id/ada", content=as_html(BANJIR)),
            "<item><title>Tanpa tautan</title><description>isi</description></item>",
        ),
    )
    page, failure = iter_pages([str(feed)])
    assert isinstance(page, Page) and isinstance(failure, ReadFailure)
    assert failure.error.message == "1 feed item without a usable http(s) link skipped"
    (empty,) = iter_pages([str(write(tmp_path / "kosong.xml", rss()))])
    assert isinstance(empty, ReadFailure) and empty.error.reason == "empty"
    assert empty.error.message == "feed without items"


_LAUGHS = "\n".join(
    [f'<!ENTITY a0 "{"ha" * 5}">']
    + [f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, 10)]
)


@pytest.mark.parametrize("sep", ["\n", ""], ids=["one-a-line", "one-line"])
def test_entity_expansion_does_not_blow_up(tmp_path: Path, sep: str) -> None:
    """Billion laughs (10^9 "haha"s = 10 GB if expanded), quadratic blow-up and an external
    entity, with declarations on lines of their own or run together (feedparser's own filter
    only sees the former)."""
    declarations = sep.join(_LAUGHS.splitlines())
    quadratic = "x" * 2_000  # the DTD stays under the 8 KB that sniffing reads
    feed = write(
        tmp_path / "bom.xml",
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [{declarations}{sep}'
        f'<!ENTITY q "{quadratic}">{sep}<!ENTITY ext SYSTEM "file:///etc/passwd">]>\n'
        + rss(
            rss_item("&a9;", "https://kabar.example.id/bom", content=as_html(BANJIR) + "&a9;"),
            rss_item("Q", "https://kabar.example.id/q", content="<p>" + "&q; " * 5000 + "</p>"),
            rss_item("E", "https://kabar.example.id/e", description="&ext;"),
        ).split("\n", 1)[1],
    )
    tracemalloc.start()
    started = time.process_time()  # CPU time: a blow-up shows, a loaded machine does not
    try:
        items = list(iter_pages([str(feed)]))
        elapsed = time.process_time() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < 3.0 and peak < 20 * 1024 * 1024
    pages = [i for i in items if isinstance(i, Page)]
    assert all(len(p.text or "") < 100_000 and "root:" not in (p.text or "") for p in pages)
    assert "https://kabar.example.id/bom" in [p.url for p in pages]


# --------------------------------------------------------------------------- warta ingest


def test_ingest_stores_full_items_and_records_teasers(tmp_path: Path) -> None:
    feed = write(tmp_path / "feed.xml", full_rss())
    db = str(tmp_path / "warta.db")
    first = run("ingest", str(feed), "--db", db, "--pipeline", "clean", "--json", "-q")
    assert first.returncode == 1, first.stderr
    report = json.loads(first.stdout)
    assert (report["new"], report["failed"]) == (2, 1)
    failures = json.loads(run("failures", "--db", db, "--json").stdout)
    (failure,) = failures
    assert failure["reason"] == "unreadable" and failure["source"] == str(feed)
    assert "https://kabar.example.id/ekonomi/2024/05/06/cabai" in failure["message"]
    with open_store(db) as store:
        stored = {a.url: a for a in (store.get(r["id"]) for r in store.rows("articles")) if a}
    assert set(stored) == {
        "https://kabar.example.id/daerah/2024/05/06/banjir-medan",
        "https://kabar.example.id/daerah/2024/05/05/panen-indramayu",
    }
    banjir = stored["https://kabar.example.id/daerah/2024/05/06/banjir-medan"]
    assert banjir.title == "Banjir Rendam Ratusan Rumah di Medan"
    assert banjir.published == datetime(2024, 5, 6, 10, 15, tzinfo=WIB)
    again = run("ingest", str(feed), "--db", db, "--pipeline", "clean", "--json", "-q")
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert (report["new"], report["updated"], report["skipped"], report["failed"]) == (0, 0, 3, 0)
    assert len(json.loads(run("failures", "--db", db, "--json").stdout)) == 1


def test_ingest_feed_on_both_stores(store_location: str, tmp_path: Path) -> None:
    feed = write(tmp_path / "kabar.atom", atom())
    with open_store(store_location) as store:
        report = ingest([str(feed)], store, spec=CLEAN_PIPELINE)
        assert report.new == 1 and report.failed == {"unreadable": 1}
        again = ingest([str(feed)], store, spec=CLEAN_PIPELINE)
        assert again.new == 0 and again.skipped == 2 and again.failed_total == 0
        assert store.stats()["articles"] == 1 and store.stats()["failures"] == 1


def test_sitemap_file_is_still_refused_with_the_hint(tmp_path: Path) -> None:
    sitemap = write(
        tmp_path / "sitemap.xml",
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>https://kabar.example.id/a</loc></url></urlset>",
    )
    (item,) = iter_pages([str(sitemap)])
    assert isinstance(item, Page) and item.data is not None  # a page, as before
    with open_store(str(tmp_path / "warta.db")) as store:
        report = ingest([str(sitemap)], store, spec=CLEAN_PIPELINE)
        (failure,) = store.failures()
    assert report.failed == {"unreadable": 1} and "warta crawl --sitemap" in failure.message


# --------------------------------------------------------------------------- real articles


def test_real_detik_articles_round_trip_through_a_feed(tmp_path: Path) -> None:
    """60 real detik.com articles (../shared) served whole in content:encoded: every record
    gets the title, URL, publish time and body the feed carries."""
    path = require_shared("data", "detik_summ_entity_1000", "data_berita.csv.gz")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_url = {r["tautan"]: r for r in rows if len(r["isi_berita"].split()) >= MIN_ARTICLE_WORDS}
    chosen = list(by_url.values())[:60]
    items = []
    for row in chosen:
        when = datetime.strptime(row["tanggal"], "%m/%d/%Y %H:%M").replace(tzinfo=WIB)
        paragraphs = [p for p in row["isi_berita"].split("\n") if p.strip()]
        items.append(
            rss_item(
                row["judul"],
                html.escape(row["tautan"]),
                date=when.strftime("%a, %d %b %Y %H:%M:%S +0700"),
                description=row["Summary"],
                content=as_html(paragraphs),
            )
        )
    feed = write(tmp_path / "detik.xml", rss(*items))
    articles = list(extract_paths([str(feed)], spec=CLEAN_PIPELINE))
    assert len(articles) == len(chosen)
    for article, row in zip(articles, chosen, strict=True):
        assert not article.errors, (article.source, article.errors)
        assert article.url == row["tautan"] and article.title == " ".join(row["judul"].split())
        when = datetime.strptime(row["tanggal"], "%m/%d/%Y %H:%M").replace(tzinfo=WIB)
        assert article.published == when
        assert (article.body or "").split()[:8] == row["isi_berita"].split()[:8]
    # Prose paragraphs (20 words or more) found verbatim in the bodies; the rest are the
    # set's own mojibake (repaired by warta), sponsor lines and run-together lists: 98.8%
    # on the first 200 articles.
    prose = found = 0
    for article, row in zip(articles, chosen, strict=True):
        body = " ".join((article.body or "").split())
        for paragraph in row["isi_berita"].split("\n"):
            text = " ".join(paragraph.split())
            if len(text.split()) >= 20:
                prose += 1
                found += text in body
    assert found >= 0.95 * prose, (found, prose)
