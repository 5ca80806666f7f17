"""The numpy tagger (warta.nlp.crf_fast) gives crfsuite's tags, on the shipped models and real
text; a model it cannot read exactly is left to crfsuite."""

from __future__ import annotations

import csv
import gzip
import importlib.util

import pytest

from warta.nlp import crf_fast
from warta.nlp.ner import MAX_SEGMENT, NerTagger, _latin_only, model_path
from warta.nlp.sentences import split_sentences
from warta.nlp.tokens import tokenize

from conftest import require_shared

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("pycrfsuite") is None or importlib.util.find_spec("numpy") is None,
    reason="python-crfsuite and numpy are needed",
)


def _sentences(body: str) -> list[list[str]]:
    tokens = tokenize(body)
    out = []
    for s in split_sentences(body):
        words = [t.text for t in tokens if t.start >= s.start and t.end <= s.end]
        if words:
            out.append(words)
    return out


def _both(tagger: NerTagger, sentences: list[list[str]]) -> tuple[list[list[str]], list[list[str]]]:
    """(crfsuite's tags, the numpy tagger's tags) of the sentences, as tag_many gives them."""
    cleaned = [[t if t and not t.isspace() else "_" for t in s] for s in sentences]
    slow = [_latin_only(c, tagger._crfsuite_tags(c)) for c in cleaned]
    tagger._batches = 10**6  # past FAST_AFTER: the numpy tagger from now on
    fast = tagger.tag_many(sentences)
    assert tagger._fast, "the numpy tagger could not read the shipped model"
    return slow, fast


def test_same_tags_as_crfsuite_on_detik_bodies() -> None:
    path = require_shared("data", "detik_summ_entity_1000", "data_berita.csv.gz")
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        bodies = [row["isi_berita"] for row in csv.DictReader(f)][:120]
    tagger = NerTagger.load()
    entities = 0
    for body in bodies:
        slow, fast = _both(tagger, _sentences(body))
        assert fast == slow
        entities += sum(tag.startswith("B-") for tags in fast for tag in tags)
    assert entities > 500  # the comparison covered real entities, not only "O"


def test_same_tags_on_the_english_model_and_odd_input() -> None:
    tagger = NerTagger.load(model_path("ner_en_crf.zip"))
    odd = [
        ["President", "Joe", "Biden", "met", "Olaf", "Scholz", "in", "Berlin", "."],
        ["Jakarta"],  # one token: no neighbours, BOS and EOS on the same token
        ["", " ", "New", "York", "\ud800x", "Café", "東京", "ÅÄÖ", "-", "IBM"],
        ["word"] * (MAX_SEGMENT + 37),  # cut into segments, each tagged alone
        [],
    ]
    slow, fast = _both(tagger, odd)
    assert fast == slow
    assert fast[-1] == []
    assert "B-PERSON" in fast[0]


def test_a_long_run_gives_the_same_entities_as_one_page() -> None:
    """The stage switches to the numpy tagger after a few pages: the same page tagged before
    and after the switch has the same tags."""
    tagger = NerTagger.load()
    sentences = _sentences(
        "Presiden Joko Widodo tiba di Bandung, Jawa Barat, Senin (12/3). Menteri Keuangan Sri "
        "Mulyani Indrawati mengatakan Bank Indonesia akan menahan suku bunga."
    )
    tagger._batches, tagger._fast = 0, None
    first = tagger.tag_many(sentences)
    assert tagger._fast is None  # a single page does not import numpy for the tagger
    for _ in range(3):
        again = tagger.tag_many(sentences)
    assert tagger._fast
    assert again == first
    assert "B-PERSON" in first[0]


def test_preloading_the_numpy_tagger_changes_no_tag() -> None:
    """A -j N parent builds the numpy tagger before its workers fork: their first pages are
    tagged by it, with the tags crfsuite gives them on a single page."""
    tagger = NerTagger.load()
    sentences = _sentences(
        "Gubernur DKI Jakarta Anies Baswedan bertemu Ketua KPK Firli Bahuri di Jakarta, Rabu "
        "(4/3). Polda Metro Jaya memeriksa saksi dari PT Garuda Indonesia."
    )
    tagger._batches, tagger._fast = 0, None
    first = tagger.tag_many(sentences)  # crfsuite: the first batch of a process
    assert tagger._fast is None
    tagger._batches = 0
    tagger.preload_fast()
    assert tagger._fast
    assert tagger.tag_many(sentences) == first
    fast = tagger._fast
    tagger.preload_fast()  # once built, kept
    assert tagger._fast is fast


def test_a_model_it_cannot_read_is_left_to_crfsuite() -> None:
    assert crf_fast.load(b"not a model at all" * 10, ["O"], 100) is None
    tagger = NerTagger.load()
    crf = tagger._crf
    assert crf_fast.load(crf, [*tagger.labels, "B-EXTRA"], 100) is None  # labels disagree
    at = crf.index(b"FEAT")
    assert crf_fast.load(crf[:at] + b"XXXX" + crf[at + 4 :], tagger.labels, 100) is None
    assert crf_fast.load(crf[: len(crf) // 2], tagger.labels, 100) is None  # cut short


def test_state_weights_refuse_what_crfsuite_would_add_in_another_order() -> None:
    import numpy as np

    feature = np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("w", "<f8")])
    table = np.array(
        [(0, 0, 1, 0.5), (0, 0, 0, -1.25), (0, 1, 1, 2.0), (1, 0, 1, 9.0), (0, 1, 1, 3.0)],
        dtype=feature,
    )
    weights = crf_fast._state_weights(table, [(0, 1), (2,), ()], 2)
    assert weights is not None
    assert weights.tolist() == [[-1.25, 0.5], [0.0, 2.0], [0.0, 0.0], [0.0, 0.0]]
    assert crf_fast._state_weights(table, [(0,), (2, 4)], 2) is None  # two features of label 1
    assert crf_fast._state_weights(table, [(2,), ()], 2) is None  # a feature of another attribute
    assert crf_fast._state_weights(table, [(3,), ()], 2) is None  # a transition, not a state
    assert crf_fast._state_weights(table, [(0,), (7,)], 2) is None  # past the table's end
    assert crf_fast._state_weights(table, [(0, 1)], 1) is None  # a label the model lacks
