"""The query language: parsing, refusals, safe compilation, snippets, and that SQLite FTS5 and
PostgreSQL return the same article sets for the same query over real news."""

from __future__ import annotations

import re
import sqlite3
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_store_analyzer import detik_documents

from warta.core.errors import QueryError, WartaError
from warta.store.analyzer import index_text, stem
from warta.store.query import (
    And,
    Node,
    Not,
    Or,
    Phrase,
    Term,
    parse_query,
    query_stems,
    snippet,
    to_fts5,
    to_tsquery,
)

# compiled queries are made of quoted stems, the operators, parentheses and spaces, nothing else
FTS5_SAFE = re.compile(r'(?:"[a-z0-9]+(?: [a-z0-9]+)*"\*?|AND|OR|NOT|[() ])+')
TSQUERY_SAFE = re.compile(r"(?:'[a-z0-9]+'(?::\*)?|<->|[&|!() ])+")


def T(word: str) -> Term:
    return Term(stem(word))


# -- parsing ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("pembangunan jalan", And((Term("bangun"), Term("jalan")))),
        ("Membangun AND jalan", And((Term("bangun"), Term("jalan")))),
        ("banjir OR longsor", Or((T("banjir"), T("longsor")))),
        ("banjir | longsor", Or((T("banjir"), T("longsor")))),
        ("banjir or longsor", Or((T("banjir"), T("longsor")))),
        ("a b OR c", Or((And((T("a"), T("b"))), T("c")))),
        ("banjir -jakarta", And((T("banjir"), Not(T("jakarta"))))),
        ("banjir not jakarta", And((T("banjir"), Not(T("jakarta"))))),
        ('"harga beras" naik', And((Phrase(("harga", "beras")), T("naik")))),
        ("\u201charga beras\u201d", Phrase(("harga", "beras"))),
        ('-"harga beras" naik', And((Not(Phrase(("harga", "beras"))), T("naik")))),
        ("(banjir OR gempa) -(hoaks isu)", And((Or((T("banjir"), T("gempa"))), Not(And((T("hoaks"), T("isu"))))))),
        ("covid-19", Phrase(("covid", "19"))),
        ("korup*", Term("korup", prefix=True)),
        ("pemerinta*", Or((Term("pemerinta", prefix=True), Term("perinta", prefix=True)))),
        ("Jum'at", T("jumat")),
        ("((a))", T("a")),
        ("a , b", And((T("a"), T("b")))),
        ("x - y", And((T("x"), T("y")))),
    ],
)  # fmt: skip
def test_parses_into_stems(query: str, expected: Node) -> None:
    assert parse_query(query) == expected


@pytest.mark.parametrize("query", ["", "   ", "!!!", "^ : ; --", "( ??? )", '""', "-- ..."])
def test_a_query_without_words_is_none(query: str) -> None:
    assert parse_query(query) is None


@pytest.mark.parametrize(
    ("query", "complaint"),
    [
        ('"harga beras', "unbalanced quote"),
        ("(banjir OR longsor", "unbalanced parentheses"),
        ("banjir)", "unbalanced parentheses"),
        ("banjir (", "unbalanced parentheses"),
        ("*", "lone '*'"),
        ("banjir * longsor", "lone '*'"),
        ("k*", "too short"),
        ("covid-1*", "more than one word"),
        ("NOT korupsi", "only excludes"),
        ("-korupsi -suap", "only excludes"),
        ("banjir (-hoaks)", None),  # a group that only excludes, inside AND, is fine
        ("banjir OR -hoaks", "NOT cannot be an alternative of OR"),
        ("banjir OR NOT hoaks", "NOT cannot be an alternative of OR"),
        ("banjir -(-hoaks)", "only excludes"),
        ("banjir OR", "OR at position 8 has nothing after it"),
        ("OR banjir", "nothing before it"),
        ("banjir AND", "nothing after it"),
        ("AND banjir", "nothing before it"),
        ("banjir NOT", "nothing after it"),
        ("banjir ()", "empty parentheses"),
        ("(" * 9 + "a" + ")" * 9, "deeper than 8"),
        ("a " + "NOT " * 9 + "b", "deeper than 8"),
        ("kata " * 120, "the limit is 500"),
        (" ".join(f"w{i}" for i in range(33)), "33 words; the limit is 32"),
        ('"' + " ".join(f"w{i}" for i in range(33)) + '"', "33 words"),
    ],
)
def test_refuses_with_a_message_that_names_the_problem(query: str, complaint: str | None) -> None:
    if complaint is None:
        assert parse_query(query) is not None
        return
    with pytest.raises(QueryError, match=re.escape(complaint)) as caught:
        parse_query(query)
    assert isinstance(caught.value, WartaError) and caught.value.reason == "bad_query"


def test_limits_are_the_callers_to_set() -> None:
    assert parse_query("a b c", max_terms=3) is not None
    with pytest.raises(QueryError):
        parse_query("a b c d", max_terms=3)
    with pytest.raises(QueryError):
        parse_query("abcdef", max_chars=5)


@pytest.mark.parametrize(
    "query",
    ["NEAR(a b)", "title:banjir", "^banjir", "banjir;", "banjir -- DROP TABLE x", "' OR 1=1",
     "\" OR \"\"=\"", "a:* & !b", "x <-> y", "{col}: z", "banjir\x00longsor", "\\'; --", "a' | 'b"],
)  # fmt: skip
def test_syntax_of_the_backends_is_only_ever_words(query: str) -> None:
    try:
        node = parse_query(query)
    except QueryError:
        return
    if node is None:
        return
    assert FTS5_SAFE.fullmatch(to_fts5(node))
    assert TSQUERY_SAFE.fullmatch(to_tsquery(node))


def test_compiles_to_each_backend() -> None:
    node = parse_query('(banjir OR "tanah longsor") korup* -hoaks')
    assert node is not None
    assert to_fts5(node) == '((("banjir" OR "tanah longsor") AND "korup"*) NOT ("hoaks"))'
    assert to_tsquery(node) == "(('banjir' | ('tanah' <-> 'longsor')) & 'korup':* & !'hoaks')"


def test_query_stems_are_the_positive_words() -> None:
    node = parse_query('pembangunan "harga beras" korup* -hoaks')
    assert node is not None
    assert query_stems(node) == ({"bangun", "harga", "beras"}, {"korup"})


# -- any input: a tree or a QueryError, and compiled strings that run ----------------------------

_FTS = sqlite3.connect(":memory:")
_FTS.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize='unicode61')")
_FTS.execute("INSERT INTO t VALUES ('bangun jalan harga beras korup hoaks')")

_QUERY_ALPHABET = st.sampled_from(
    list("abcdeijk\"()|-*:^;'   ") + ["OR ", "AND ", "NOT ", "NEAR", "é", "\u201c", "_", "9", "\n"]
)


@given(st.one_of(st.text(max_size=80), st.lists(_QUERY_ALPHABET, max_size=40).map("".join)))
@settings(max_examples=600, deadline=None)
def test_any_string_is_a_tree_or_a_query_error(text: str) -> None:
    try:
        node = parse_query(text)
    except QueryError as error:
        assert error.message
        return
    if node is None:
        return
    fts5, tsquery = to_fts5(node), to_tsquery(node)
    assert FTS5_SAFE.fullmatch(fts5), fts5
    assert TSQUERY_SAFE.fullmatch(tsquery), tsquery
    _FTS.execute("SELECT count(*) FROM t WHERE t MATCH ?", (fts5,)).fetchone()  # FTS5 accepts it


def test_postgres_accepts_every_compiled_tsquery(postgres_url: str) -> None:
    import random

    import psycopg

    alphabet = list("abcdeijk\"()|-*:^;'<>&!  ") + ["OR ", "AND ", "NOT ", "é", "9", "kata "]
    rng = random.Random(6)
    compiled = set()
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        try:
            node = parse_query(text)
        except QueryError:
            continue
        if node is not None:
            compiled.add(to_tsquery(node))
    assert len(compiled) > 300
    with psycopg.connect(postgres_url) as conn:
        rows = conn.execute(
            "SELECT q, to_tsquery('simple', q)::text FROM unnest(%s::text[]) AS q",
            (sorted(compiled),),
        ).fetchall()
    assert all(parsed for _, parsed in rows)


# -- snippets --------------------------------------------------------------------------------------

BODY = (
    "Jakarta - Pemerintah provinsi mengumumkan rencana baru. Rapat itu membahas anggaran sekolah. "
    "Pembangunan jalan tol di Jawa Barat dipercepat, kata menteri. Pekerja membangun jembatan "
    "sepanjang malam agar jalan itu dibangun tepat waktu. Warga menyambut baik kabar tersebut."
)


def test_snippet_marks_every_form_of_the_word_in_the_densest_part() -> None:
    node = parse_query("bangun jalan")
    assert node is not None
    text = snippet(BODY, node, width=120)
    assert "[[Pembangunan]] [[jalan]]" in text and "[[membangun]]" in text
    assert text.startswith("…") and text.endswith("…")
    assert len(text.replace("[[", "").replace("]]", "")) <= 120 + 2
    assert "Jakarta" not in text  # the densest part is the middle, not the start


def test_snippet_cuts_at_word_boundaries() -> None:
    node = parse_query("jembatan")
    assert node is not None
    text = snippet(BODY, node, width=60)
    inner = text.strip("…").replace("[[", "").replace("]]", "")
    assert inner in " ".join(BODY.split())
    start = BODY.index(inner)
    assert start == 0 or not BODY[start - 1].isalnum()
    assert not BODY[start + len(inner)].isalnum()


def test_snippet_highlights_prefixes_not_excluded_words() -> None:
    node = parse_query("pemerinta* -anggaran")
    assert node is not None
    text = snippet(BODY, node)
    assert "[[Pemerintah]]" in text and "[[anggaran]]" not in text


def test_snippet_without_a_match_is_the_start() -> None:
    assert snippet(BODY, parse_query("banjir"), width=40) == "Jakarta - Pemerintah provinsi…"
    assert snippet(BODY, None, width=40) == "Jakarta - Pemerintah provinsi…"
    assert snippet("pendek", parse_query("pendek")) == "[[pendek]]"
    assert snippet("", parse_query("x")) == ""


# -- both backends, same sets, over real news ------------------------------------------------------

CORPUS_QUERIES = [
    "inflasi",
    "ekonomi",
    "presiden",
    "prabowo",
    "pembangunan",
    "membangun jalan",
    "harga beras",
    '"harga beras"',
    '"suku bunga"',
    '"bank indonesia"',
    '"kabinet merah putih"',
    "presiden OR menteri",
    "korupsi | suap",
    "ekonomi -inflasi",
    "korupsi NOT kpk",
    "(banjir OR longsor OR gempa) -jakarta",
    "kpk (tersangka OR terdakwa)",
    "polisi AND (pembunuhan OR penganiayaan) -narkoba",
    "korup*",
    "pemerinta*",
    "tersangka -(korupsi OR suap)",
    "sangk* polisi",
    "rupiah dolar",
    '"tata ruang"',
    '"rp 1"',
    "covid-19",
    "sekolah guru -siswa",
    '"presiden prabowo" -"sri mulyani"',
    "investasi OR (ekspor impor)",
    "jakarta -(banjir OR macet OR polisi)",
    "Jum'at",
    "pajak* kendaraan",
    "'NEAR' OR title:rupiah",
    "titl*: -- kebijakan",
]


def _reference_ids(node: Node, docs: list[list[str]]) -> set[int]:
    """What the query means, evaluated directly on the token streams."""

    def holds(n: Node, tokens: list[str]) -> bool:
        if isinstance(n, Term):
            return any(t.startswith(n.stem) for t in tokens) if n.prefix else n.stem in tokens
        if isinstance(n, Phrase):
            k = len(n.stems)
            return any(tuple(tokens[i : i + k]) == n.stems for i in range(len(tokens) - k + 1))
        if isinstance(n, Or):
            return any(holds(c, tokens) for c in n.children)
        if isinstance(n, And):
            return all(holds(c, tokens) for c in n.children)
        return not holds(n.child, tokens)

    return {i for i, tokens in enumerate(docs) if holds(node, tokens)}


def test_sqlite_fts5_and_postgres_find_the_same_articles(postgres_url: str) -> None:
    import psycopg

    docs = list(detik_documents()[::3][:300])
    streams = [index_text(d) for d in docs]
    tokens = [s.split() for s in streams]

    lite = sqlite3.connect(":memory:")
    lite.execute("CREATE VIRTUAL TABLE docs USING fts5(body, tokenize='unicode61')")
    lite.executemany("INSERT INTO docs(rowid, body) VALUES (?, ?)", enumerate(streams))

    found: dict[str, tuple[set[int], set[int], set[int]]] = {}
    with psycopg.connect(postgres_url, autocommit=True) as pg:
        pg.execute("CREATE TABLE docs (id int PRIMARY KEY, tsv tsvector)")
        with pg.cursor() as cur:
            cur.executemany(
                "INSERT INTO docs VALUES (%s, to_tsvector('simple', %s))", list(enumerate(streams))
            )
        for query in CORPUS_QUERIES:
            node = parse_query(query)
            assert node is not None, query
            in_sqlite = {
                r[0]
                for r in lite.execute("SELECT rowid FROM docs WHERE docs MATCH ?", (to_fts5(node),))
            }
            rows: Any = pg.execute(
                "SELECT id FROM docs WHERE tsv @@ to_tsquery('simple', %s)", (to_tsquery(node),)
            ).fetchall()
            found[query] = (in_sqlite, {r[0] for r in rows}, _reference_ids(node, tokens))

    differ = {q: (len(a), len(b), len(c)) for q, (a, b, c) in found.items() if not a == b == c}
    assert not differ, f"sqlite / postgres / reference counts differ: {differ}"
    sizes = [len(a) for a, _, _ in found.values()]
    assert sum(1 for n in sizes if 0 < n < len(docs)) >= 25, dict(zip(CORPUS_QUERIES, sizes))
    # the operators do something: NOT removes, OR adds, a phrase is narrower than its words
    assert found["ekonomi -inflasi"][0] < found["ekonomi"][0]
    assert found['"harga beras"'][0] < found["harga beras"][0]
    assert found["presiden OR menteri"][0] > found["presiden"][0]


def test_snippet_of_a_long_text_finds_mutated_forms_deep_inside() -> None:
    """Long texts are only tokenised around the densest matches: every affixed form of the word far
    from the start is still found, highlighted and cut on word boundaries."""
    filler = "Warga berkumpul di balai desa untuk rapat rutin bulanan. " * 60
    text = filler + "Polisi memeriksa saksi dan pemeriksaan berlanjut. " + filler
    out = snippet(text, parse_query("diperiksa"), width=120)
    assert out.startswith("…") and out.endswith("…")
    assert "[[memeriksa]]" in out and "[[pemeriksaan]]" in out
    inner = out.strip("…").replace("[[", "").replace("]]", "")
    assert inner in " ".join(text.split())


def test_fast_match_finding_agrees_with_full_tokenising_on_real_text() -> None:
    """Snippets find matches by substring + stem check instead of tokenising the whole body; on
    real detik bodies both ways find exactly the same words for 1,000 single-word queries."""
    import csv
    import gzip
    import random

    from warta.store.analyzer import words
    from warta.store.query import _match_offsets, _matches

    from conftest import require_shared

    path = require_shared("data", "detik_summ_entity_1000", "data_berita.csv.gz")
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        bodies = [row["isi_berita"] for row in csv.DictReader(f)][:100]
    rng = random.Random(5)
    for body in bodies:
        for word in rng.sample(words(body), 10):
            node = parse_query(word)
            assert node is not None
            spans, flags = _matches(body, node)
            assert _match_offsets(body, node) == [(s, e) for (s, e, _), f in zip(spans, flags) if f]


def test_plain_match_finding_agrees_with_full_tokenising_on_real_text() -> None:
    """In a body of plain words (ASCII letters and digits, news punctuation) the lower-cased,
    case-sensitive candidate search finds the same words as tokenising and stemming all of it,
    for single words, prefixes and mutated forms."""
    import random

    from warta.store.analyzer import plain_words, words
    from warta.store.query import _match_offsets, _matches

    bodies = [body for body in detik_documents()[:300] if plain_words(body)]
    assert len(bodies) > 150  # most news text takes the plain path
    rng = random.Random(7)
    for body in bodies[:120]:
        for word in rng.sample(words(body), 6):
            for query in (word, word[:4] + "*" if len(word) > 1 else word, "me" + word):
                node = parse_query(query)
                assert node is not None
                spans, flags = _matches(body, node)
                expected = [(s, e) for (s, e, _), f in zip(spans, flags) if f]
                assert _match_offsets(body, node, plain=True) == expected, (query, body[:80])


_SNIPPET_WORDS = st.sampled_from(
    ["Polisi", "memeriksa", "pemeriksaan", "saksi", "banjir", "Jakarta", "KPK", "2024", "rapat",
     "desa", "warga", "a", "x" * 120, "dia'", "'kata"]
)  # fmt: skip
#: one word that takes a text off the plain path, or none
_NOT_PLAIN = st.sampled_from([None, "Jum'at", "café", "_id", "e\u0301", "Rp\u00b2"])
_SNIPPET_GAPS = st.sampled_from(
    [" ", "  ", ", ", ". ", "\n\n", " - ", "\u2013", " \u201c", "\u201d ", " '", " \u2019",
     "\u00a0", "...", "(", ")"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    pieces=st.lists(st.tuples(_SNIPPET_WORDS, _SNIPPET_GAPS), min_size=1, max_size=400),
    lead=_SNIPPET_GAPS,
    odd=_NOT_PLAIN,
    query=st.sampled_from(
        ["periksa", "saksi banjir", "pem*", "jakarta OR kpk", '"rapat desa"', "2024"]
    ),
    width=st.sampled_from([20, 60, 240]),
)
def test_a_snippet_is_the_same_by_the_plain_path_and_the_general_one(
    pieces: list[tuple[str, str]], lead: str, odd: str | None, query: str, width: int
) -> None:
    """Long plain texts are snippeted from the matches' offsets, reading only the words a snippet
    can reach; the answer is exactly the one of tokenising the whole region around the matches."""
    from unittest import mock

    from warta.store import query as query_module
    from warta.store.analyzer import plain_words

    if odd is not None:
        pieces = [*pieces[: len(pieces) // 2], (odd, " "), *pieces[len(pieces) // 2 :]]
    text = lead + "".join(word + gap for word, gap in pieces)
    assert plain_words(text) == (odd is None)
    node = parse_query(query)
    fast = snippet(text, node, width=width)
    with mock.patch.object(query_module, "plain_words", lambda _text: False):
        general = snippet(text, node, width=width)
    assert fast == general


def test_a_snippet_region_never_ends_before_its_last_match() -> None:
    """Found by the property test above in CI: after the match, no space for twice the width
    (one long run of letters), and the region's end was put at the space before the match."""
    text = " Polisi Polisi  Polisi pemeriksaan\n\n" + "x" * 120 + " "
    node = parse_query("pem*")
    assert snippet(text, node, width=20) == "…Polisi [[pemeriksaan]]…"
