"""warta.nlp.sentences: concrete Indonesian and English cases, the invariants as properties,
and sane counts on real detik bodies."""

from __future__ import annotations

import os
import re
import statistics

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_tokens import _PIECES, detik_bodies

from warta.nlp.sentences import Span, split_sentences
from warta.nlp.tokens import tokenize

SETTINGS = settings(
    max_examples=int(os.environ.get("WARTA_PROPERTY_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


def test_spans() -> None:
    assert split_sentences("  Ia datang.  Ia pergi. ") == [Span(2, 12), Span(14, 23)]
    assert split_sentences("") == []
    assert split_sentences(" \n\n ") == []
    assert sentences("tanpa titik") == ["tanpa titik"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # plain stops
        (
            "Presiden datang. Menteri pergi! Apa kabar? Baik.",
            ["Presiden datang.", "Menteri pergi!", "Apa kabar?", "Baik."],
        ),
        ("Apa?! Dia pergi.", ["Apa?!", "Dia pergi."]),
        ("Benarkah?? Ya!!! Tentu.", ["Benarkah??", "Ya!!!", "Tentu."]),
        # abbreviations and initials never end a sentence before a name or number
        (
            "Ia tinggal di Jl. Sudirman No. 5, Kec. Menteng, Kab. Bogor. Rumahnya besar.",
            ["Ia tinggal di Jl. Sudirman No. 5, Kec. Menteng, Kab. Bogor.", "Rumahnya besar."],
        ),
        (
            "Hadir Prof. Dr. Ir. H. Budi Santoso, S.H., M.H. dan Hj. Siti. Acara dimulai.",
            ["Hadir Prof. Dr. Ir. H. Budi Santoso, S.H., M.H. dan Hj. Siti.", "Acara dimulai."],
        ),
        (
            "Pasien ditangani dr. Ani dan Dr. Budi di RS. Kondisinya membaik.",
            ["Pasien ditangani dr. Ani dan Dr. Budi di RS.", "Kondisinya membaik."],
        ),
        (
            "Presiden ketiga adalah B. J. Habibie. Ia lahir di Parepare.",
            ["Presiden ketiga adalah B. J. Habibie.", "Ia lahir di Parepare."],
        ),
        (
            "Mantan presiden B.J. Habibie hadir. Ia tersenyum.",
            ["Mantan presiden B.J. Habibie hadir.", "Ia tersenyum."],
        ),
        (
            "Saham PT. Bank Mandiri Tbk. naik. Saham BBRI turun.",
            ["Saham PT. Bank Mandiri Tbk. naik.", "Saham BBRI turun."],
        ),
        (
            "Dana dikirim a.n. Budi Bpk. Ahmad. Budi menerimanya.",
            ["Dana dikirim a.n. Budi Bpk. Ahmad.", "Budi menerimanya."],
        ),
        # "end" abbreviations close a sentence before a capital, not before a lower-case word
        (
            "Ia membeli beras, gula, dll. Kemudian ia pulang.",
            ["Ia membeli beras, gula, dll.", "Kemudian ia pulang."],
        ),
        (
            "Beras, gula, dll. naik harganya.",
            ["Beras, gula, dll. naik harganya."],
        ),
        (
            "Penelitian Budi dkk. menunjukkan hal itu. Hasilnya jelas.",
            ["Penelitian Budi dkk. menunjukkan hal itu.", "Hasilnya jelas."],
        ),
        (
            "Hal itu dikatakan Andi Saputra, S.H. Ia pengacara.",
            ["Hal itu dikatakan Andi Saputra, S.H.", "Ia pengacara."],
        ),
        (
            "Pelakunya berinisial I. Mereka warga Tasikmalaya.",
            ["Pelakunya berinisial I.", "Mereka warga Tasikmalaya."],
        ),
        (
            "Acara dibuka A.M. Hendropriyono. Ia berpidato.",
            ["Acara dibuka A.M. Hendropriyono.", "Ia berpidato."],
        ),
        # numbers, money, dates and times hold their dots and commas
        (
            "Anggarannya Rp 2,5 triliun. Angka itu naik 3,5% dari 1.000,5 miliar tahun 2015.",
            ["Anggarannya Rp 2,5 triliun.", "Angka itu naik 3,5% dari 1.000,5 miliar tahun 2015."],
        ),
        (
            "Rapat dimulai pukul 14.05 WIB. Semua hadir.",
            ["Rapat dimulai pukul 14.05 WIB.", "Semua hadir."],
        ),
        (
            "Harga naik menjadi Rp2.500. Pada 18/11/2015 harga turun. Pada 17/11 stabil.",
            ["Harga naik menjadi Rp2.500.", "Pada 18/11/2015 harga turun.", "Pada 17/11 stabil."],
        ),
        (
            "Kejadian itu pada Selasa (18/11/2015). Polisi datang pukul 14:05.",
            ["Kejadian itu pada Selasa (18/11/2015).", "Polisi datang pukul 14:05."],
        ),
        # quotes
        ('"Itu sesuatu," kata Obama.', ['"Itu sesuatu," kata Obama.']),
        (
            '"Saya sudah lihat." Kata dia kemudian.',
            ['"Saya sudah lihat."', "Kata dia kemudian."],
        ),
        (
            "“Saya sudah lihat.” Kata dia kemudian.",
            ["“Saya sudah lihat.”", "Kata dia kemudian."],
        ),
        ('"Apa kabar?" tanya dia. Ia tersenyum.', ['"Apa kabar?" tanya dia.', "Ia tersenyum."]),
        (
            '"Pergi!" teriaknya. "Sekarang juga," lanjutnya.',
            ['"Pergi!" teriaknya.', '"Sekarang juga," lanjutnya.'],
        ),
        (
            "Dia berkata, ‘Tidak mungkin.’ Lalu dia pergi.",
            ["Dia berkata, ‘Tidak mungkin.’", "Lalu dia pergi."],
        ),
        (
            "Ia datang (dan pergi lagi.) Kemudian tidur.",
            ["Ia datang (dan pergi lagi.)", "Kemudian tidur."],
        ),
        # ellipses: a lower-case continuation goes on, a capital starts anew
        ("Dia pergi... lalu kembali.", ["Dia pergi... lalu kembali."]),
        ("Dia pergi… lalu kembali.", ["Dia pergi… lalu kembali."]),
        ("Dia menunggu... Tidak ada yang datang.", ["Dia menunggu...", "Tidak ada yang datang."]),
        ('"... dan kami akan datang," katanya.', ['"... dan kami akan datang," katanya.']),
        # datelines stay with the lead sentence
        (
            "JAKARTA, KOMPAS.com - Presiden Joko Widodo meresmikan jalan tol. Jalan itu panjang.",
            [
                "JAKARTA, KOMPAS.com - Presiden Joko Widodo meresmikan jalan tol.",
                "Jalan itu panjang.",
            ],
        ),
        (
            "Jakarta, CNN Indonesia -- Harga emas naik. Investor senang.",
            ["Jakarta, CNN Indonesia -- Harga emas naik.", "Investor senang."],
        ),
        (
            "TEMPO.CO, Jakarta - Menteri datang. Ia disambut.",
            ["TEMPO.CO, Jakarta - Menteri datang.", "Ia disambut."],
        ),
        (
            "JAKARTA. Presiden meresmikan jalan tol. Jalan itu panjang.",
            ["JAKARTA. Presiden meresmikan jalan tol.", "Jalan itu panjang."],
        ),
        # paragraphs always end a sentence; lines usually do
        (
            "Paragraf pertama tanpa titik\n\nParagraf kedua, Jl.\n\nSudirman.",
            ["Paragraf pertama tanpa titik", "Paragraf kedua, Jl.", "Sudirman."],
        ),
        (
            "SCROLL TO CONTINUE WITH CONTENT\nTerkait hal ini, Menteri hadir.",
            ["SCROLL TO CONTINUE WITH CONTENT", "Terkait hal ini, Menteri hadir."],
        ),
        (
            "Menurut dia,\nsemua baik.\nBerikut daftarnya:\n1. Pertama\n2. Kedua",
            ["Menurut dia,\nsemua baik.", "Berikut daftarnya:", "1. Pertama", "2. Kedua"],
        ),
        # a stop glued to a capitalised word (lost space) still ends a sentence
        (
            "Partisipasi melemah.Satu sisi, putusan itu baik.",
            ["Partisipasi melemah.", "Satu sisi, putusan itu baik."],
        ),
        (
            "Baca di detik.com. Situs KOMPAS.com juga.",
            ["Baca di detik.com.", "Situs KOMPAS.com juga."],
        ),
        # English
        (
            "Mr. Smith went to Washington. He met Sen. Jones and Dr. Brown at 2:30 p.m. on Jan. 5.",
            [
                "Mr. Smith went to Washington.",
                "He met Sen. Jones and Dr. Brown at 2:30 p.m. on Jan. 5.",
            ],
        ),
        ("He said no. No. 5 is mine.", ["He said no.", "No. 5 is mine."]),
        (
            "U.S. President Joe Biden spoke. It cost $5.5 million. Acme Inc. The end.",
            ["U.S. President Joe Biden spoke.", "It cost $5.5 million.", "Acme Inc.", "The end."],
        ),
        (
            "The meeting ended at 10 a.m. The press left.",
            ["The meeting ended at 10 a.m.", "The press left."],
        ),
        (
            '"We will win," she said. "They will not."',
            ['"We will win," she said.', '"They will not."'],
        ),
        (
            "Martin Luther King Jr. was born in 1929. He died in 1968.",
            ["Martin Luther King Jr. was born in 1929.", "He died in 1968."],
        ),
        ("Wait... what? Really!", ["Wait... what?", "Really!"]),
        (
            "Visit https://example.com/a.b. Then leave.",
            ["Visit https://example.com/a.b.", "Then leave."],
        ),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


# --- properties ------------------------------------------------------------------------------

texts = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(_PIECES) | st.text(max_size=6), max_size=50).map("".join),
    st.lists(st.sampled_from(_PIECES + ["Budi", "dia", "Ia", "kata"]), max_size=50).map(" ".join),
)


def check_invariants(text: str, spans: list[Span]) -> None:
    position = 0
    covered = bytearray(len(text))
    for s in spans:
        assert position <= s.start < s.end <= len(text)
        assert not text[s.start].isspace() and not text[s.end - 1].isspace()
        covered[s.start : s.end] = b"\x01" * (s.end - s.start)
        position = s.end
    for i, c in enumerate(text):
        assert c.isspace() or covered[i], (i, c, text)


@SETTINGS
@given(texts)
def test_split_invariants(text: str) -> None:
    check_invariants(text, split_sentences(text))


@SETTINGS
@given(texts)
def test_sentences_follow_tokens(text: str) -> None:
    """Every sentence starts and ends on a token edge."""
    starts = {t.start for t in tokenize(text)}
    ends = {t.end for t in tokenize(text)}
    for s in split_sentences(text):
        assert s.start in starts and s.end in ends


@SETTINGS
@given(st.lists(texts, min_size=1, max_size=5))
def test_paragraphs_always_end_sentences(paragraphs: list[str]) -> None:
    text = "\n\n".join(paragraphs)
    for s in split_sentences(text):
        assert not re.search(r"\n\s*\n", text[s.start : s.end])


# --- real text -------------------------------------------------------------------------------


def test_detik_bodies_sane_counts() -> None:
    bodies = list(detik_bodies(200))
    lengths: list[int] = []
    lower_starts = 0
    total = 0
    for body in bodies:
        spans = split_sentences(body)
        check_invariants(body, spans)
        paragraphs = [p for p in re.split(r"\n\s*\n", body) if p.strip()]
        stops = len(re.findall(r"[.!?…](?=\s|$)", body))
        lines = len([line for line in body.split("\n") if line.strip()])
        # at least a sentence per paragraph, at most one per stop or line
        assert len(paragraphs) <= len(spans) <= stops + lines, (len(spans), stops, lines)
        for s in spans:
            total += 1
            lengths.append(len(body[s.start : s.end].split()))
            lower_starts += body[s.start].islower()
    assert total > 1000
    assert 10 <= statistics.median(lengths) <= 35
    assert lower_starts / total < 0.02
    # a sentence of hundreds of words means a missed stop (or a verse or list, rarely)
    assert sum(n > 120 for n in lengths) / total < 0.01
