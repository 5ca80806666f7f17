"""Furniture of plain-text scrapes from outlets warta has no rule for (issue 11, item 3).

Each page below is invented for this test (made-up outlets, people and events), written in the
house style such scrapes have: photo captions closed by a photo credit, a syndication notice at
the foot, pagination and scroll prompts, a credit prefix naming an outlet warta does not list,
and for an English-language page the deck, a names-and-outlet byline and article-tool widgets.
"""

from __future__ import annotations

from pathlib import Path

from warta.api import extract_text
from warta.clean.lines import label_lines
from warta.core.record import Article, Syndication

REGIONAL = """\
SUARA LEMBAH
Beranda
Daerah
Ekonomi
Beranda » Daerah
Jembatan Gantung Desa Lereng Putus, Ratusan Pelajar Memutar Lewat Hutan
Rabu, 5 Februari 2025 - 09:40 WIB
Penulis: Wulan Pratiwi | Editor: Gilang Ramadhan
Warga melintasi sungai di bawah jembatan gantung yang putus, Selasa (4/2/2025). (FOTO: ANTARA/Fikri Aditya)
Lereng (SLB) - Jembatan gantung yang menghubungkan Desa Lereng dengan pusat kecamatan putus setelah tali bajanya berkarat dan tidak kuat menahan beban pada Selasa sore.

Tidak ada korban jiwa dalam kejadian itu, namun sekitar 300 pelajar kini harus memutar melewati jalan setapak di hutan sejauh enam kilometer untuk sampai ke sekolah.

Gulir ke bawah untuk melanjutkan membaca
Kepala desa Lereng, Sutrisno Hadi, mengatakan warga sudah tiga kali mengusulkan perbaikan jembatan itu dalam musyawarah perencanaan pembangunan.

"Usulan kami selalu kalah prioritas. Sekarang anak-anak yang menanggung akibatnya," kata Sutrisno di balai desa.
Foto: Perahu karet milik BPBD disiagakan di tepi sungai untuk menyeberangkan warga.
Pemerintah kabupaten berjanji membangun jembatan sementara dari rangka baja dalam dua pekan. Selama pembangunan, BPBD menyiagakan perahu karet untuk menyeberangkan warga pada pagi dan sore hari.
Halaman selanjutnya
Halaman 2
Petugas BPBD menyeberangkan pelajar dengan perahu karet, Rabu (5/2/2025). SUARALEMBAH.com/WULAN PRATIWI
Dinas Pekerjaan Umum memperkirakan jembatan permanen baru bisa dibangun tahun depan karena anggarannya belum masuk rencana kerja tahun ini.

Warga berharap pemerintah provinsi ikut membantu agar pembangunan tidak menunggu terlalu lama.
Selanjutnya
SCROLL TO CONTINUE WITH CONTENT
Artikel ini telah tayang di SuaraLembah.com dengan judul "Jembatan Gantung Desa Lereng Putus, Pelajar Memutar Lewat Hutan", klik untuk baca: https://www.suaralembah.com/daerah/2025/02/05/jembatan-gantung-putus
Berita Terkait
Harga Gabah di Lereng Turun Jelang Panen Raya
"""

REGIONAL_PARAGRAPHS = [
    "Jembatan gantung yang menghubungkan Desa Lereng dengan pusat kecamatan putus setelah tali "
    "bajanya berkarat dan tidak kuat menahan beban pada Selasa sore.",
    "Tidak ada korban jiwa dalam kejadian itu, namun sekitar 300 pelajar kini harus memutar "
    "melewati jalan setapak di hutan sejauh enam kilometer untuk sampai ke sekolah.",
    "Kepala desa Lereng, Sutrisno Hadi, mengatakan warga sudah tiga kali mengusulkan perbaikan "
    "jembatan itu dalam musyawarah perencanaan pembangunan.",
    '"Usulan kami selalu kalah prioritas. Sekarang anak-anak yang menanggung akibatnya," kata '
    "Sutrisno di balai desa.",
    "Pemerintah kabupaten berjanji membangun jembatan sementara dari rangka baja dalam dua pekan. "
    "Selama pembangunan, BPBD menyiagakan perahu karet untuk menyeberangkan warga pada pagi dan "
    "sore hari.",
    "Dinas Pekerjaan Umum memperkirakan jembatan permanen baru bisa dibangun tahun depan karena "
    "anggarannya belum masuk rencana kerja tahun ini.",
    "Warga berharap pemerintah provinsi ikut membantu agar pembangunan tidak menunggu terlalu lama.",
]


def _removed(article: Article) -> dict[str, str]:
    return {r.text: r.label for r in article.removed}


def test_a_regional_scrape_keeps_only_the_article() -> None:
    article = extract_text(REGIONAL)
    assert article.paragraphs == REGIONAL_PARAGRAPHS
    removed = _removed(article)
    caption_lines = [
        "Warga melintasi sungai di bawah jembatan gantung yang putus, Selasa (4/2/2025). "
        "(FOTO: ANTARA/Fikri Aditya)",
        "Foto: Perahu karet milik BPBD disiagakan di tepi sungai untuk menyeberangkan warga.",
        "Petugas BPBD menyeberangkan pelajar dengan perahu karet, Rabu (5/2/2025). "
        "SUARALEMBAH.com/WULAN PRATIWI",
    ]
    for caption in caption_lines:
        assert removed[caption] == "media", caption
    for prompt in ("Halaman selanjutnya", "Halaman 2", "Selanjutnya"):
        assert removed[prompt] == "pagination", prompt
    for prompt in ("Gulir ke bawah untuk melanjutkan membaca", "SCROLL TO CONTINUE WITH CONTENT"):
        assert removed[prompt] == "ad", prompt


def test_an_unknown_outlets_credit_prefix_is_split_off_the_lead() -> None:
    article = extract_text(REGIONAL)
    assert article.credit == "Lereng (SLB) - "
    assert article.dateline == "Lereng"
    assert not article.body.startswith("Lereng (SLB)")


def test_the_syndication_notice_is_removed_and_kept_as_provenance() -> None:
    article = extract_text(REGIONAL)
    assert "tayang" not in article.body
    assert article.syndicated_from == Syndication(
        outlet="SuaraLembah.com",
        title="Jembatan Gantung Desa Lereng Putus, Pelajar Memutar Lewat Hutan",
        url="https://www.suaralembah.com/daerah/2025/02/05/jembatan-gantung-putus",
    )
    notice = [r for r in article.removed if r.label == "syndication"]
    assert len(notice) == 1 and notice[0].text.startswith("Artikel ini telah tayang")


def test_a_notice_split_over_two_lines_gives_its_link() -> None:
    page = (
        "MAJENANG, kabarbanyumas.id - Ratusan petani di Majenang memanen padi lebih awal karena "
        "khawatir hujan deras merusak tanaman yang sudah menguning.\n\n"
        "Harga gabah kering panen di tingkat petani turun menjadi Rp 5.900 per kilogram pekan "
        "ini, lebih rendah dari pekan sebelumnya.\n\n"
        "Berita ini sudah tayang di Kabar Banyumas dengan judul Petani Majenang Panen Lebih "
        "Awal, klik untuk baca:\n"
        "https://kabarbanyumas.id/2025/03/petani-majenang-panen\n"
    )
    article = extract_text(page)
    assert article.credit == "MAJENANG, kabarbanyumas.id - "
    assert article.dateline == "Majenang"
    assert len(article.paragraphs) == 2 and "http" not in article.body
    assert article.syndicated_from == Syndication(
        outlet="Kabar Banyumas",
        title="Petani Majenang Panen Lebih Awal",
        url="https://kabarbanyumas.id/2025/03/petani-majenang-panen",
    )
    assert [r.rule for r in article.removed if r.label == "syndication"] == [
        "syndication-notice",
        "syndication-link",
    ]


def test_a_sentence_that_mentions_tayang_is_body() -> None:
    page = (
        "Jakarta - Film dokumenter tentang nelayan Natuna itu telah tayang di sejumlah bioskop "
        "kota besar sejak pekan lalu dan ditonton lebih dari dua puluh ribu orang.\n\n"
        "Sutradaranya mengatakan film itu dibuat selama tiga tahun dengan biaya patungan warga.\n"
    )
    article = extract_text(page)
    assert article.syndicated_from is None
    assert "telah tayang di sejumlah bioskop" in article.body


ENGLISH = """\
The Archipelago Herald
News
Business
Opinion
Coastal towns brace for king tides as sea walls remain unfinished
Residents of three fishing towns on Java's north coast say delays to a sea wall project have left them exposed to the highest tides of the year.
Maya Lestari and Arif Nugroho (The Archipelago Herald)
Semarang
Thu, February 6, 2025
Change Size
Share This Article
Facebook
Twitter
Fishermen pull their boats onto higher ground in Tambaklorok, Semarang, on Wednesday. (Courtesy of the Semarang Fisheries Office)
Officials in Semarang have told residents of low-lying neighbourhoods to prepare for flooding this weekend, when the year's highest tides are expected to coincide with heavy rain.

A sea wall meant to protect the area was due to be finished last December, but contractors say land disputes have held up work on a two-kilometre stretch.

Read also: Jakarta tests early warning sirens in flood-prone districts

"We have moved our nets and our children's school books upstairs already. We know what the water does here," said Sri Wahyuni, who sells grilled fish near the harbour.

The city's disaster agency said pumps and sandbags had been placed at seven points along the coast.
Share This Article
Facebook
Related Articles
Rice prices climb ahead of Ramadan
"""

ENGLISH_PARAGRAPHS = [
    "Officials in Semarang have told residents of low-lying neighbourhoods to prepare for flooding "
    "this weekend, when the year's highest tides are expected to coincide with heavy rain.",
    "A sea wall meant to protect the area was due to be finished last December, but contractors "
    "say land disputes have held up work on a two-kilometre stretch.",
    "\"We have moved our nets and our children's school books upstairs already. We know what the "
    'water does here," said Sri Wahyuni, who sells grilled fish near the harbour.',
    "The city's disaster agency said pumps and sandbags had been placed at seven points along "
    "the coast.",
]


def test_an_english_page_loses_deck_byline_widgets_and_read_also() -> None:
    article = extract_text(ENGLISH)
    assert article.language == "en"
    assert article.paragraphs == ENGLISH_PARAGRAPHS
    assert article.crossheads == []
    assert article.title == "Coastal towns brace for king tides as sea walls remain unfinished"
    removed = _removed(article)
    assert (
        removed[
            "Residents of three fishing towns on Java's north coast say delays to a sea wall project "
            "have left them exposed to the highest tides of the year."
        ]
        == "standfirst"
    )
    assert removed["Maya Lestari and Arif Nugroho (The Archipelago Herald)"] == "byline"
    assert removed["Change Size"] == "social"
    assert removed["Share This Article"] == "social"
    assert removed["Read also: Jakarta tests early warning sirens in flood-prone districts"] == (
        "related"
    )
    # the names themselves are meta/people.py's to read (it keeps the bracketed outlet today)
    assert article.authors[0] == "Maya Lestari"


def test_a_lead_without_a_byline_above_it_is_never_a_standfirst() -> None:
    page = (
        "Flood warnings issued for Semarang\n"
        "Officials in Semarang have told residents of low-lying neighbourhoods to prepare for "
        "flooding this weekend, when the highest tides are expected.\n"
        "A sea wall meant to protect the area was due to be finished last December, but "
        "contractors say land disputes have held up the work.\n"
    )
    article = extract_text(page)
    assert len(article.paragraphs) == 2
    assert all(r.label != "standfirst" for r in article.removed)


def test_a_body_sentence_ending_in_an_acronym_pair_stays() -> None:
    lines = label_lines(
        "Jakarta - Pemerintah menargetkan seluruh perusahaan milik negara dan daerah melaporkan "
        "kinerja keuangannya sebelum akhir Maret. Aturan itu berlaku untuk BUMN/BUMD\n"
    )
    assert [d.label for d in lines] == ["body"]


def test_a_sentence_opening_with_oleh_or_penulis_is_body_not_a_byline() -> None:
    """"Oleh karena itu, ..." ("therefore") and "Penulis buku itu ..." open sentences; only a
    capitalised name after the word makes the line a byline."""
    page = (
        "Polisi Tangkap Pencuri Ponsel\n\n"
        "Oleh Andi Saputra\n\n"
        "Jakarta - Polisi menangkap pencuri di Pasar Minggu pada Senin malam. Pencuri itu "
        "membawa dua telepon genggam.\n\n"
        "Oleh karena itu, polisi menangkap Budi dan memeriksa dua saksi lain.\n\n"
        "Penulis buku itu mengatakan naskahnya selesai tahun lalu.\n"
    )
    article = extract_text(page)
    assert article.authors == ["Andi Saputra"]
    assert "Oleh karena itu, polisi menangkap Budi" in article.body
    assert article.body.endswith("Penulis buku itu mengatakan naskahnya selesai tahun lalu.")
    assert [r.text for r in article.removed if r.label == "byline"] == ["Oleh Andi Saputra"]


def test_the_store_carries_syndicated_from(tmp_path: Path) -> None:
    from warta.store import open_store

    article = extract_text(REGIONAL, source="regional.txt")
    store = open_store(str(tmp_path / "warta.db"))
    try:
        store.put(article)
        stored = store.get(article.id)
    finally:
        store.close()
    assert stored is not None and stored.syndicated_from == article.syndicated_from
    assert stored.syndicated_from is not None and stored.syndicated_from.outlet == "SuaraLembah.com"
