"""warta.nlp.tokens: concrete Indonesian and English cases, the invariants as properties, and
the real detik bodies."""

from __future__ import annotations

import csv
import gzip
import os
import re
import time
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warta.nlp.tokens import (
    KINDS,
    Token,
    _compile,
    _rules,
    _scan,
    abbreviation_class,
    tokenize,
)

from conftest import require_shared

SETTINGS = settings(
    max_examples=int(os.environ.get("WARTA_PROPERTY_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def pairs(text: str) -> list[tuple[str, str]]:
    return [(t.text, t.kind) for t in tokenize(text)]


def kind_of(text: str, piece: str) -> str:
    """The kind of the token that is exactly ``piece`` in ``text`` (fails if none is)."""
    found = [t.kind for t in tokenize(text) if t.text == piece]
    assert found, f"{piece!r} is not a token of {text!r}: {pairs(text)}"
    return found[0]


def test_token_fields() -> None:
    tokens = tokenize("Presiden Jokowi.")
    assert tokens == [
        Token(0, 8, "Presiden", "word"),
        Token(9, 15, "Jokowi", "word"),
        Token(15, 16, ".", "punct"),
    ]
    with pytest.raises(AttributeError):
        tokens[0].start = 3  # type: ignore[misc]


def test_empty_and_blank() -> None:
    assert tokenize("") == []
    assert tokenize(" \n\t\u00a0 ") == []


def test_indonesian_sentence() -> None:
    text = "JAKARTA, KOMPAS.com - Presiden Joko Widodo meresmikan jalan tol, Selasa (18/11/2015)."
    assert pairs(text) == [
        ("JAKARTA", "word"),
        (",", "punct"),
        ("KOMPAS.com", "url"),
        ("-", "punct"),
        ("Presiden", "word"),
        ("Joko", "word"),
        ("Widodo", "word"),
        ("meresmikan", "word"),
        ("jalan", "word"),
        ("tol", "word"),
        (",", "punct"),
        ("Selasa", "word"),
        ("(", "punct"),
        ("18/11/2015", "date"),
        (")", "punct"),
        (".", "punct"),
    ]


@pytest.mark.parametrize(
    ("text", "piece", "kind"),
    [
        # Indonesian numbers: "." groups thousands, "," is the decimal mark
        ("Ada 2.500 peserta.", "2.500", "number"),
        ("Nilainya 1.000,5 ton.", "1.000,5", "number"),
        ("Tahun 2015.", "2015", "number"),
        ("Sebanyak 1.000.000 orang.", "1.000.000", "number"),
        ("Growth was 3.14 points.", "3.14", "number"),
        ("Usia 10-15 tahun.", "10-15", "number"),
        ("Hubungi 0812-3456-7890.", "0812-3456-7890", "number"),
        # money
        ("Harganya Rp2.500.", "Rp2.500", "money"),
        ("Harganya Rp.2.500,- saja.", "Rp.2.500,-", "money"),
        ("Dana Rp 2,5 triliun.", "Rp", "money"),
        ("Dana Rp. 2,5 triliun.", "Rp.", "money"),
        ("It cost US$5 million.", "US$5", "money"),
        ("It cost $5.5 million.", "$5.5", "money"),
        ("Kurs USD 15.000.", "USD", "money"),
        # percent
        ("Naik 3,5%.", "3,5%", "percent"),
        ("Turun 50%, lalu naik.", "50%", "percent"),
        # dates
        ("Selasa (18/11/2015).", "18/11/2015", "date"),
        ("Senin (17/11) lalu.", "17/11", "date"),
        ("Pada 2015-11-18 pagi.", "2015-11-18", "date"),
        ("Pada 18-11-2015 pagi.", "18-11-2015", "date"),
        ("Pada 18.11.2015 pagi.", "18.11.2015", "date"),
        ("Terbit 18/11/15.", "18/11/15", "date"),
        ("At 2015-11-18T14:05:00+07:00.", "2015-11-18T14:05:00+07:00", "date"),
        # times
        ("Pukul 14.05 WIB.", "14.05", "time"),
        ("Acara dimulai pukul 14.05.", "14.05", "time"),
        ("Dimulai pkl. 09.30 tadi.", "09.30", "time"),
        ("Dimulai jam 9.30 tadi.", "9.30", "time"),
        ("Tiba 16.00 WITA.", "16.00", "time"),
        ("Tiba 07.15 WIT.", "07.15", "time"),
        ("Tiba 14:05 tadi.", "14:05", "time"),
        ("Tiba 14:05:30 tadi.", "14:05:30", "time"),
        ("He left at 2:30 p.m.", "2:30", "time"),
        ("He left at 7.45pm.", "7.45pm", "time"),
        ("He left at 10am.", "10am", "time"),
        # urls, e-mails, hashtags, mentions
        (
            "Lihat https://news.detik.com/berita/d-123/abc.",
            "https://news.detik.com/berita/d-123/abc",
            "url",
        ),
        ("Buka www.kompas.id, lalu baca.", "www.kompas.id", "url"),
        ("TEMPO.CO, Jakarta - Menteri datang.", "TEMPO.CO", "url"),
        ("Situs lapor.go.id dibuka.", "lapor.go.id", "url"),
        ("Surel ke redaksi@detik.com.", "redaksi@detik.com", "email"),
        ("Tagar #PemiluDamai ramai.", "#PemiluDamai", "hashtag"),
        ("Akun @jokowi menulis.", "@jokowi", "mention"),
        ("Ditandai oleh @jokowi.", "@jokowi", "mention"),
        # abbreviations and initials
        ("Di Jl. Sudirman.", "Jl.", "abbrev"),
        ("Di Jl.Sudirman.", "Jl.", "abbrev"),
        ("Di Jl. Sudirman No. 5.", "No.", "abbrev"),
        ("Oleh dr. Budi dan Dr. Ani.", "dr.", "abbrev"),
        ("Oleh dr. Budi dan Dr. Ani.", "Dr.", "abbrev"),
        ("Bersama H. Ahmad dan Hj. Siti.", "Hj.", "abbrev"),
        ("Prof. Budi, S.H., M.Si. hadir.", "S.H.", "abbrev"),
        ("Prof. Budi, S.H., M.Si. hadir.", "M.Si.", "abbrev"),
        ("Prof. Budi, S.H., M.H. hadir.", "M.H.", "abbrev"),
        ("Budi, S.E. hadir.", "S.E.", "abbrev"),
        ("Di Kec. Menteng, Kab. Bogor, Kel. Cikini, Prov. Jawa Barat.", "Prov.", "abbrev"),
        ("PT Bank Mandiri Tbk. naik.", "Tbk.", "abbrev"),
        ("PT. Maju datang.", "PT.", "abbrev"),
        ("Transfer a.n. Budi.", "a.n.", "abbrev"),
        ("Beras, gula, dll. naik.", "dll.", "abbrev"),
        ("Beras, gula, dsb. naik.", "dsb.", "abbrev"),
        ("Budi dkk. datang.", "dkk.", "abbrev"),
        ("Bpk. Budi, Ir. Ani, Drs. Joko.", "Bpk.", "abbrev"),
        ("Bpk. Budi, Ir. Ani, Drs. Joko.", "Drs.", "abbrev"),
        ("Mr. and Mrs. Smith of St. Louis.", "Mrs.", "abbrev"),
        ("Mr. and Mrs. Smith of St. Louis.", "St.", "abbrev"),
        ("On Jan. 5 it rained.", "Jan.", "abbrev"),
        ("Presiden B. J. Habibie.", "B.", "abbrev"),
        ("Presiden B.J. Habibie.", "B.J.", "abbrev"),
        ("Officials in the U.S. said so.", "U.S.", "abbrev"),
        # words
        ("Negara-negara maju.", "Negara-negara", "word"),
        ("Bekas Uni-Soviet.", "Uni-Soviet", "word"),
        ("Pada Jum'at lalu.", "Jum'at", "word"),
        ("Pada Jum’at lalu.", "Jum’at", "word"),
        ("I don't know.", "don't", "word"),
        ("Bukunya hilang.", "Bukunya", "word"),
        ("HP-nya hilang.", "HP-nya", "word"),
        ("Juara ke-5.", "ke-5", "word"),
        ("Pandemi COVID-19.", "COVID-19", "word"),
        ("Era 1990-an.", "1990-an", "word"),
        ("Jaraknya 50km.", "50km", "word"),
        ("Anggota G20.", "G20", "word"),
        ("Kata detikcom.", "detikcom", "word"),
    ],
)
def test_kinds(text: str, piece: str, kind: str) -> None:
    assert kind_of(text, piece) == kind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rp 2,5 triliun", [("Rp", "money"), ("2,5", "number"), ("triliun", "word")]),
        ("50 persen", [("50", "number"), ("persen", "word")]),
        ("pukul 14.05 WIB", [("pukul", "word"), ("14.05", "time"), ("WIB", "word")]),
        (
            "“Kami siap,” katanya.",
            [
                ("“", "quote"),
                ("Kami", "word"),
                ("siap", "word"),
                (",", "punct"),
                ("”", "quote"),
                ("katanya", "word"),
                (".", "punct"),
            ],
        ),
        (
            '‘Ya’ dan "tidak"',
            [
                ("‘", "quote"),
                ("Ya", "word"),
                ("’", "quote"),
                ("dan", "word"),
                ('"', "quote"),
                ("tidak", "word"),
                ('"', "quote"),
            ],
        ),
        (
            "the students' books",
            [("the", "word"), ("students", "word"), ("'", "quote"), ("books", "word")],
        ),
        (
            "Apa?! Tunggu... Ya…",
            [
                ("Apa", "word"),
                ("?!", "punct"),
                ("Tunggu", "word"),
                ("...", "punct"),
                ("Ya", "word"),
                ("…", "punct"),
            ],
        ),
        ("B. J. Habibie", [("B.", "abbrev"), ("J.", "abbrev"), ("Habibie", "word")]),
        (
            "Jl.Sudirman No.5",
            [("Jl.", "abbrev"), ("Sudirman", "word"), ("No.", "abbrev"), ("5", "number")],
        ),
        # "no." before a word is a word and a stop; before a number an abbreviation
        (
            "He said no. No. 5 won.",
            [
                ("He", "word"),
                ("said", "word"),
                ("no", "word"),
                (".", "punct"),
                ("No.", "abbrev"),
                ("5", "number"),
                ("won", "word"),
                (".", "punct"),
            ],
        ),
        # a stop glued to the next word is still a stop when no host name is made
        ("melemah.Satu", [("melemah", "word"), (".", "punct"), ("Satu", "word")]),
        (
            "A&B + C = 100 • ok",
            [
                ("A", "word"),
                ("&", "symbol"),
                ("B", "word"),
                ("+", "symbol"),
                ("C", "word"),
                ("=", "symbol"),
                ("100", "number"),
                ("•", "symbol"),
                ("ok", "word"),
            ],
        ),
        (
            "Skor 2:1.",
            [("Skor", "word"), ("2", "number"), (":", "punct"), ("1", "number"), (".", "punct")],
        ),
        ("#1 dan @", [("#", "symbol"), ("1", "number"), ("dan", "word"), ("@", "symbol")]),
    ],
)
def test_sequences(text: str, expected: list[tuple[str, str]]) -> None:
    assert pairs(text) == expected


def test_trailing_punctuation_leaves_urls() -> None:
    text = "Baca (https://detik.com/a?b=1), lalu www.example.org/path."
    assert [t.text for t in tokenize(text) if t.kind == "url"] == [
        "https://detik.com/a?b=1",
        "www.example.org/path",
    ]


def test_times_need_a_cue_when_dotted() -> None:
    # "14.05" alone is a number (Indonesian decimals use ","; English ones use ".")
    assert kind_of("Nilainya 14.05 poin.", "14.05") == "number"
    assert kind_of("Rp 14.500 per kilo.", "14.500") == "number"
    assert kind_of("pukul 14.500", "14.500") == "number"


def test_abbreviation_data() -> None:
    for text, cls in [
        ("Dr.", "title"),
        ("jl.", "title"),
        ("dll.", "end"),
        ("S.H.", "end"),
        ("Tbk.", "end"),
        ("No.", "num"),
        ("Jan.", "num"),
        ("B.", "initial"),
        ("B.J.", "initial"),
    ]:
        assert abbreviation_class(text) == cls, text


def test_rule_kinds_are_the_documented_kinds() -> None:
    assert {kind for kind, _ in _rules()} == set(KINDS)


# --- properties ------------------------------------------------------------------------------

_PIECES = [
    "Rp",
    "Rp2.500",
    "2,5",
    "1.000,5",
    "3,5%",
    "%",
    "persen",
    "14.05",
    "14:05",
    "WIB",
    "pukul",
    "18/11/2015",
    "17/11",
    "2015-11-18",
    "Jl.",
    "No.",
    "dr.",
    "S.H.",
    "M.Si.",
    "dll.",
    "B.",
    "J.",
    "Habibie",
    "KOMPAS.com",
    "https://detik.com/x?y=1",
    "www.a.id",
    "a@b.co.id",
    "@jokowi",
    "#Pemilu",
    "negara-negara",
    "Jum'at",
    "don't",
    "HP-nya",
    ".",
    ",",
    "...",
    "…",
    "?!",
    "!",
    "?",
    '"',
    "'",
    "“",
    "”",
    "‘",
    "’",
    "(",
    ")",
    "-",
    "–",
    "—",
    "/",
    "\n",
    "\n\n",
    " ",
    "\t",
    "\u00a0",
    "\u200b",
    "é",
    "e\u0301",
    "😀",
    "_",
    "$",
    "€",
    "US$",
    "a.m.",
    "p.m.",
    "pm",
]
texts = st.one_of(
    st.text(max_size=200),
    # the characters where the rules meet: letters, digits, joins, stops, signs
    st.text(alphabet="aAkRpUSé²0159-'’`.,:;@#$%+/ \n_", max_size=40),
    st.lists(st.sampled_from(_PIECES) | st.text(max_size=6), max_size=40).map("".join),
    st.lists(st.sampled_from(_PIECES), max_size=40).map(" ".join),
)


def check_invariants(text: str, tokens: list[Token]) -> None:
    position = 0
    covered = bytearray(len(text))
    for t in tokens:
        assert position <= t.start < t.end <= len(text)
        assert text[t.start : t.end] == t.text
        assert t.kind in KINDS
        assert not any(c.isspace() for c in t.text), t
        covered[t.start : t.end] = b"\x01" * (t.end - t.start)
        position = t.end
    for i, c in enumerate(text):
        assert c.isspace() or covered[i], (i, c, text)


@SETTINGS
@given(texts)
def test_tokenize_invariants(text: str) -> None:
    check_invariants(text, tokenize(text))


@SETTINGS
@given(texts)
def test_fast_word_rule_changes_nothing(text: str) -> None:
    """The first rule is only a shortcut: the rules without it tokenise alike."""
    pattern, kinds = _compile(_rules()[1:])
    assert tokenize(text) == list(_scan(pattern, kinds, text))


@SETTINGS
@given(texts)
def test_white_space_taken_with_tokens_changes_nothing(text: str) -> None:
    """The regex takes the white space before each token (one match per token): the tokens
    are those of the plain alternation of the rules, which finds them among the spaces."""
    plain = re.compile("|".join(f"({rule})" for _, rule in _rules()))
    kinds = ("", *(kind for kind, _ in _rules()))
    for case in (text, " \t\n" + text + "\n \xa0"):
        found = [
            Token(m.start(), m.end(), m.group(), kinds[m.lastindex or 0])
            for m in plain.finditer(case)
        ]
        assert tokenize(case) == found


def test_long_trailing_white_space_is_linear() -> None:
    """White space at the end is one match, not a failed try at each character."""
    text = "Jakarta " + " " * 200_000
    start = time.process_time()
    assert [t.text for t in tokenize(text)] == ["Jakarta"]
    assert time.process_time() - start < 1.0


# --- real text -------------------------------------------------------------------------------


def detik_bodies(limit: int) -> Iterator[str]:
    path = require_shared("data", "detik_summ_entity_1000", "data_berita.csv.gz")
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            if i >= limit:
                break
            yield row["isi_berita"]


def test_detik_bodies() -> None:
    bodies = list(detik_bodies(200))
    assert len(bodies) == 200
    pattern, kinds = _compile(_rules()[1:])
    counts: dict[str, int] = {}
    for body in bodies:
        tokens = tokenize(body)
        check_invariants(body, tokens)
        assert tokens == list(_scan(pattern, kinds, body))
        for t in tokens:
            counts[t.kind] = counts.get(t.kind, 0) + 1
    total = sum(counts.values())
    assert counts["word"] > 0.7 * total
    for kind in ("number", "date", "money", "percent", "punct", "quote"):
        assert counts.get(kind, 0) > 0, kind
