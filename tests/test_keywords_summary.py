"""Keywords and extractive summary (warta.nlp.keywords, warta.nlp.summary)."""

from __future__ import annotations

from warta.core.record import Article
from warta.nlp.keywords import keywords, stopwords
from warta.nlp.sentences import split_sentences
from warta.nlp.summary import KeywordSummaryStage, summarize

# Self-written for this test.
BODY = (
    "Bank Indonesia menegaskan pengendalian inflasi tetap menjadi prioritas utama tahun ini. "
    "Menurut gubernur bank sentral, pengendalian inflasi membutuhkan koordinasi dengan "
    "pemerintah daerah.\n\n"
    "Harga beras dan cabai merah naik tajam di sejumlah pasar tradisional. "
    "Kenaikan harga beras mendorong inflasi pangan bulan lalu.\n\n"
    "Pemerintah daerah diminta menjaga pasokan beras agar pengendalian inflasi berhasil. "
    "Tim pengendalian inflasi daerah akan menggelar operasi pasar pekan depan. "
    "Operasi pasar digelar di 20 kota."
)


def test_keywords_find_multiword_phrase_deterministically() -> None:
    first = keywords(BODY, "id", k=10)
    assert first == keywords(BODY, "id", k=10)
    lowered = [k.lower() for k in first]
    assert "pengendalian inflasi" in lowered
    assert len(first) <= 10
    assert len(keywords(BODY, "id", k=3)) == 3
    stop = stopwords("id")
    for phrase in first:
        words = phrase.lower().split()
        assert not all(w in stop for w in words)
        assert not all(w.replace(".", "").replace(",", "").isdigit() for w in words)
        assert words[0] not in stop and words[-1] not in stop


def test_keywords_empty() -> None:
    assert keywords("", "id") == []
    assert keywords("yang dan di ke 2024", "id") == []


def test_summary_whole_sentences_in_order() -> None:
    sentences = [BODY[s.start : s.end] for s in split_sentences(BODY)]
    for n in (1, 2, 3, 4):
        out = summarize(BODY, n, "id")
        picked = [s for s in sentences if s in out]
        assert " ".join(picked) == out
        assert len(picked) == n
        assert len(set(picked)) == len(picked)
    assert summarize(BODY, 2, "id").startswith(sentences[0])  # the lead is the news


def test_summary_no_duplicates() -> None:
    sentence = "Harga beras naik tajam di pasar tradisional Jakarta pekan ini."
    body = f"{sentence} {sentence}\n\n{sentence} Pemerintah menyiapkan operasi pasar besok pagi."
    out = summarize(body, 3, "id")
    assert out.count(sentence) == 1


def test_summary_empty_and_short() -> None:
    assert summarize("", 3) == ""
    assert summarize("   \n\n ", 3) == ""
    assert summarize(BODY, 0) == ""
    one = "Presiden meresmikan jalan tol baru di Sumatera."
    assert summarize(one, 3) == one


def test_stage() -> None:
    stage = KeywordSummaryStage()
    assert stage.name == "nlp.summary.v1"
    article = stage.run_one(Article(source="test", body=BODY, language="id"))
    assert article.keywords and article.summary
    assert not article.errors
