"""The shared analyzer: words, folds and stems, and that PostgreSQL indexes our stream unchanged.

Both store backends index ``index_text``; these tests check it against real Indonesian news
(../shared/data) and against the real PostgreSQL ``simple`` parser and ``indonesian`` stemmer."""

from __future__ import annotations

import csv
import gzip
import json
import re
import time
from functools import cache
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from warta.store.analyzer import (
    MAX_INDEX_TOKENS,
    MAX_WORD_CHARS,
    index_text,
    stem,
    word_spans,
    words,
)

from conftest import require_shared

STREAM = re.compile(r"(?:[a-z0-9]+(?: [a-z0-9]+)*)?")


@cache
def detik_documents() -> tuple[str, ...]:
    """Title and body of the 1,000 detik.com articles (raw text, punctuation and all)."""
    path = require_shared("data", "detik_summ_entity_1000", "data_berita.csv.gz")
    csv.field_size_limit(1 << 24)
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return tuple(f"{row['judul']}\n{row['isi_berita']}" for row in csv.DictReader(handle))


@cache
def indosum_documents() -> tuple[str, ...]:
    """The 750 IndoSum dev articles, tokens joined by spaces, one paragraph a line."""
    path = require_shared("data", "indosum_dev01", "dev.01.jsonl.gz")
    docs = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            docs.append("\n".join(" ".join(" ".join(s) for s in p) for p in record["paragraphs"]))
    return tuple(docs)


def real_sentences(count: int) -> list[str]:
    """``count`` sentences, half IndoSum, half detik, spread over the corpora."""
    half = count // 2
    indosum = [s for d in indosum_documents() for s in d.split(" . ") if s.strip()]
    detik = [s for d in detik_documents() for s in re.split(r"(?<=[.!?])\s+", d) if s.strip()]
    return (
        indosum[:: max(1, len(indosum) // half)][:half]
        + detik[:: max(1, len(detik) // half)][:half]
    )


# -- morphology and words --------------------------------------------------------------------------


def test_affixed_forms_share_one_stem() -> None:
    assert stem("pembangunan") == stem("membangun") == stem("dibangun") == "bangun"
    assert index_text("Pembangunan, membangun; dibangun!") == "bangun bangun bangun"
    assert stem("Kebijakannya") == stem("kebijakan") == "bijak"
    assert stem("PEMERINTAHAN") == stem("pemerintah")


def test_word_spans_point_into_the_original_text() -> None:
    text = "Kasus COVID-19 di Jum'at, Indonesia's café ﬁnal Straße anak-anak snake_case ２０２５"
    spans = word_spans(text)
    assert [w for _, _, w in spans] == [
        "kasus", "covid", "19", "di", "jumat", "indonesia", "cafe", "final", "strasse",
        "anak", "anak", "snake", "case", "2025",
    ]  # fmt: skip
    assert [text[s:e] for s, e, _ in spans][:6] == [
        "Kasus",
        "COVID",
        "19",
        "di",
        "Jum'at",
        "Indonesia's",
    ]
    assert text[spans[6][0] : spans[6][1]] == "café"


def test_decomposed_accents_and_curly_apostrophes_fold_like_composed_ones() -> None:
    assert words("e\u0301te\u0301 Ma\u2019ruf") == words("été Ma'ruf") == ["ete", "maruf"]


def test_scripts_without_an_ascii_fold_and_blobs_are_not_words() -> None:
    blob = "a" * (MAX_WORD_CHARS + 1)
    assert words(f"北京 مرحبا {blob} kata") == ["kata"]
    assert index_text("— … !!! ???") == ""


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_any_text_gives_a_clean_stream_that_matches_the_spans(text: str) -> None:
    stream = index_text(text)
    assert STREAM.fullmatch(stream), stream
    spans = word_spans(text)
    assert stream.split() == [stem(w) for _, _, w in spans]
    previous_end = 0
    for start, end, word in spans:
        assert previous_end <= start < end <= len(text)
        assert re.fullmatch(r"[a-z0-9]+", word)
        previous_end = end


def test_the_stream_can_be_capped_where_postgres_stops_counting_positions() -> None:
    text = "Pembangunan jalan tol. " * 6000
    assert len(index_text(text).split()) == 18000
    capped = index_text(text, max_tokens=MAX_INDEX_TOKENS)
    assert capped.split() == index_text(text).split()[:MAX_INDEX_TOKENS]
    assert index_text("a b c", max_tokens=3) == "a b c"
    assert index_text("a b c", max_tokens=2) == "a b"
    assert index_text("a b c", max_tokens=0) == ""


def test_index_text_is_fast_on_real_news() -> None:
    docs = detik_documents()
    size = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    for d in docs:  # the per-token caches fill on the first pass, as they do during an ingest
        index_text(d)
    began = time.perf_counter()
    for d in docs:
        index_text(d)
    rate = size / (time.perf_counter() - began)
    assert rate > 1.0, f"index_text ran at {rate:.2f} MB/s on {size:.1f} MB of detik text"


# -- the real PostgreSQL agrees --------------------------------------------------------------------


def _connect(url: str) -> Any:
    import psycopg

    return psycopg.connect(url, autocommit=True)


def test_postgres_simple_parser_keeps_our_stream_token_for_token(postgres_url: str) -> None:
    sentences = real_sentences(400) + [
        "COVID-19 1e5 0x1f 3,5 persen 12abc abc12 Rp1.000.000 e-KTP café Jum'at",
        'Ia bilang: "tidak ada" — lalu pergi... (15/10/2025) pukul 19.30 WIB',
    ]
    streams = [index_text(s) for s in sentences]
    with _connect(postgres_url) as conn:
        rows = conn.execute(
            "SELECT n, v.lexeme, v.positions FROM unnest(%s::text[]) WITH ORDINALITY AS t(s, n),"
            " unnest(to_tsvector('simple', t.s)) AS v",
            (streams,),
        ).fetchall()
    got: dict[int, dict[str, list[int]]] = {}
    for n, lexeme, positions in rows:
        got.setdefault(n - 1, {})[lexeme] = sorted(positions)
    mismatches = []
    for i, stream in enumerate(streams):
        expected: dict[str, list[int]] = {}
        for position, token in enumerate(stream.split(), start=1):
            expected.setdefault(token, []).append(position)
        if got.get(i, {}) != expected:
            mismatches.append(sentences[i])
    assert len(sentences) >= 300
    assert not mismatches, f"{len(mismatches)} sentences index differently, e.g. {mismatches[:3]}"


def test_our_stem_is_postgres_indonesian_stem_on_real_vocabulary(postgres_url: str) -> None:
    vocabulary = sorted({w for d in detik_documents()[:400] for w in words(d) if w.isalpha()})
    sample = vocabulary[:: max(1, len(vocabulary) // 2000)][:2000]
    with _connect(postgres_url) as conn:
        rows = conn.execute(
            "SELECT w, array(SELECT lexeme FROM unnest(to_tsvector('indonesian', w)))"
            " FROM unnest(%s::text[]) AS w",
            (sample,),
        ).fetchall()
    differ = [(w, stem(w), lexemes) for w, lexemes in rows if lexemes != [stem(w)]]
    assert len(rows) == len(sample) >= 1500
    assert not differ, f"{len(differ)} of {len(sample)} words stem differently: {differ[:10]}"
