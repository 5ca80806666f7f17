"""NER: data loaders and tag mapping, features, the shipped CRF model, bad input, damaged files.

Nothing big is trained here: the model tests use the shipped file, and the round trip through
the trainer trains a toy CRF on a handful of sentences.
"""

from __future__ import annotations

import importlib.util
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from warta.core.errors import PipelineError, WartaError
from warta.nlp import ner_data as nd
from warta.nlp.ner import (
    ModelError,
    NerTagger,
    crf_attributes,
    default_model_path,
    entity_spans,
    read_model_file,
    segments,
)
from warta.nlp.ner_features import FeatureExtractor, Gazetteer, shape

from conftest import require_shared

needs_crf = pytest.mark.skipif(
    importlib.util.find_spec("pycrfsuite") is None,
    reason="python-crfsuite is not installed (pip install warta[nlp])",
)

VALID_TAGS = {"O"} | {f"{p}-{t}" for p in "BI" for t in nd.ENTITY_TYPES}


def _tokens(text: str) -> list[str]:
    return [t for _, _, t in nd.simple_tokenize(text)]


def _spans(tagger: NerTagger, text: str) -> set[tuple[str, str]]:
    toks = _tokens(text)
    return {(" ".join(toks[s:e]), k) for s, e, k in entity_spans(toks, tagger.tag(toks))}


# --- tag mapping (no data needed) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "mapped"),
    [
        ("B-PER", "B-PERSON"),
        ("I-PPL", "I-PERSON"),
        ("B-PERSON", "B-PERSON"),
        ("B-LOC", "B-PLACE"),
        ("I-PLC", "I-PLACE"),
        ("B-LOCATION", "B-PLACE"),
        ("B-GPE", "B-PLACE"),
        ("I-ORGANISATION", "I-ORGANIZATION"),
        ("B-ORG", "B-ORGANIZATION"),
        ("B-IND", "B-PRODUCT"),
        ("B-EVT", "B-EVENT"),
        ("I-FNB", "I-FOOD"),
        ("B-TIME", "B-TIME"),
        ("I-QUANTITY", "I-QUANTITY"),
        ("Person", "I-PERSON"),
        ("Place ", "I-PLACE"),
        ("Organisation", "I-ORGANIZATION"),
        ("O", "O"),
    ],
)
def test_map_tag(raw: str, mapped: str) -> None:
    assert nd.map_tag(raw) == mapped


def test_unknown_label_is_an_error() -> None:
    with pytest.raises(nd.NerDataError):
        nd.map_tag("B-WEAPON")


def test_repair_bio_and_spans() -> None:
    tags = nd.repair_bio(["I-PERSON", "I-PERSON", "O", "I-PLACE", "I-ORGANIZATION"])
    assert tags == ["B-PERSON", "I-PERSON", "O", "B-PLACE", "B-ORGANIZATION"]
    assert nd.entity_spans(tags) == [(0, 2, "PERSON"), (3, 4, "PLACE"), (4, 5, "ORGANIZATION")]


def test_inline_tags_that_cut_words() -> None:
    s = nd.parse_inline(
        "ujar <PERSON>Jokowi</PERSON> di K<LOCATION>antor Transisi</LOCATION>, <TIME>Kamis (25/9/2014)</TIME>."
    )
    spans = [(" ".join(s.tokens[a:b]), k) for a, b, k in nd.entity_spans(s.tags)]
    assert spans == [
        ("Jokowi", "PERSON"),
        ("Kantor Transisi", "PLACE"),
        ("Kamis ( 25/9/2014 )", "TIME"),
    ]


def test_simple_tokenize_keeps_marks_with_letters() -> None:
    assert _tokens("Kompas.com, ke-80 (2/12/2014)") == [
        "Kompas.com",
        ",",
        "ke-80",
        "(",
        "2/12/2014",
        ")",
    ]
    assert _tokens("สวัสดีครับ ผม") == ["สวัสดีครับ", "ผม"]


def test_span_scores() -> None:
    from warta.nlp.train import span_scores

    gold = [["B-PERSON", "I-PERSON", "O", "B-PLACE"]]
    pred = [["B-PERSON", "O", "O", "B-PLACE"]]
    sc = span_scores(gold, pred)
    assert (sc.tp, sc.fp, sc.fn) == (1, 1, 1)
    assert sc.f1 == pytest.approx(0.5)


# --- loaders on the real files -----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "split", "fold", "must_have"),
    [
        ("nergrit", "test", None, {"PERSON", "ORGANIZATION", "PLACE"}),
        ("nerp", "test", None, {"PERSON", "PLACE", "PRODUCT", "EVENT", "FOOD"}),
        ("idner", "test", None, {"PERSON", "ORGANIZATION", "PLACE"}),
        ("nerui", "test", 3, {"PERSON", "ORGANIZATION", "PLACE"}),
        ("nerugm", "test", 5, {"PERSON", "ORGANIZATION", "PLACE", "TIME", "QUANTITY"}),
        ("luthfi", "all", None, {"PERSON", "ORGANIZATION", "PLACE"}),
        ("syaifudin", "test", None, {"PERSON", "ORGANIZATION", "PLACE", "TIME", "QUANTITY"}),
    ],
)
def test_loaders_read_and_map(name: str, split: str, fold: int | None, must_have: set[str]) -> None:
    require_shared("data", "indonlu_nergrit")
    sents = nd.load(name, split, fold)
    assert len(sents) > 90
    for s in sents:
        assert len(s.tokens) == len(s.tags) > 0
        assert set(s.tags) <= VALID_TAGS
        assert nd.repair_bio(s.tags) == list(s.tags)  # well-formed BIO
    found = {k for *_, k in nd.iter_spans(sents)}
    assert found == must_have == set(nd.SET_TYPES[name])


def test_loader_counts_match_sources_md() -> None:
    require_shared("data", "indonlu_nergrit")
    assert len(nd.load("nergrit", "test")) == 209
    assert sum(len(s.tokens) for s in nd.load("nergrit", "dev")) == 6_983
    assert len(nd.load("idner", "test")) == 509
    assert len(nd.load_all_folds("nerui")) == 2_126


def test_nerp_is_lower_cased() -> None:
    require_shared("data", "indonlu_nerp")
    toks = [t for s in nd.load("nerp", "test") for t in s.tokens]
    assert sum(t != t.lower() for t in toks) == 0


def test_bad_requests() -> None:
    with pytest.raises(ValueError, match="unknown NER set"):
        nd.load("conll2003", "train")
    with pytest.raises(ValueError, match="fold"):
        nd.load("nerui", "train")
    with pytest.raises(FileNotFoundError):
        nd.load("nergrit", "test", data_dir=Path("/nonexistent"))


# --- features ------------------------------------------------------------------------------


def test_features() -> None:
    gaz = Gazetteer.build({"gt": ["presiden"], "gL": ["jawa barat", "bandung"]})
    ex = FeatureExtractor("warta", {"bandung": ("1", "2", "3")}, gaz)
    toks = ["Presiden", "Joko", "ke", "Jawa", "Barat", "dan", "Bandung", "memberikan"]
    feats = ex(toks)
    assert len(feats) == len(toks)
    assert "gt" in feats[0] and "-1gt" in feats[1] and "BOS" in feats[0] and "EOS" in feats[-1]
    assert "gL=B" in feats[3] and "gL=I" in feats[4] and "gL" in feats[6]
    assert "k2=3" in feats[6] and "k=?" in feats[1]
    assert "ip=mem" in feats[7] and "is=kan" in feats[7]
    assert ex(toks) == feats  # the word cache changes nothing
    plain = FeatureExtractor("plain")(toks)
    assert all(set(p) <= set(w) for p, w in zip(plain, feats))
    assert shape("Jakarta") == "Xx" and shape("KPK") == "X" and shape("2/12/2014") == "d/d/d"
    assert ex([]) == []


def test_segments() -> None:
    assert segments([]) == []
    toks = ["a"] * 10 + ["."] + ["b"] * 10
    assert segments(toks, limit=15) == [(0, 11), (11, 21)]
    assert segments(["x"] * 35, limit=10) == [(0, 10), (10, 20), (20, 30), (30, 35)]


# --- the shipped model ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def tagger() -> NerTagger:
    pytest.importorskip("pycrfsuite", reason="python-crfsuite is not installed")
    return NerTagger.load()


def test_shipped_model_is_small_and_cached(tagger: NerTagger) -> None:
    assert default_model_path().stat().st_size < 50_000_000
    assert NerTagger.load() is tagger
    assert set(tagger.types) == {"PERSON", "ORGANIZATION", "PLACE"}


def test_shipped_model_tags_indonesian(tagger: NerTagger) -> None:
    toks = _tokens("Presiden Joko Widodo bertemu Gubernur Jawa Barat di Bandung")
    tags = tagger.tag(toks)
    assert entity_spans(toks, tags) == [(1, 3, "PERSON"), (5, 7, "PLACE"), (8, 9, "PLACE")]
    found = _spans(
        tagger,
        "Menteri Keuangan Sri Mulyani mengatakan Kementerian Keuangan akan menambah "
        "anggaran untuk Provinsi Papua.",
    )
    assert {("Sri Mulyani", "PERSON"), ("Kementerian Keuangan", "ORGANIZATION")} <= found
    found = _spans(tagger, "PT Pertamina dan Universitas Gadjah Mada bekerja sama di Yogyakarta.")
    assert {
        ("PT Pertamina", "ORGANIZATION"),
        ("Universitas Gadjah Mada", "ORGANIZATION"),
        ("Yogyakarta", "PLACE"),
    } <= found


def test_empty_and_odd_tokens(tagger: NerTagger) -> None:
    assert tagger.tag([]) == []
    tags = tagger.tag(["", " ", "\n", "-", "Jakarta"])
    assert len(tags) == 5 and set(tags) <= VALID_TAGS
    odd = [
        "Presiden",
        "Joko:5",
        "Widodo\x00",
        "\U0001f600",
        "a" * 100_000,
        "\ud800",
        "di",
        "Bandung",
    ]
    tags = tagger.tag(odd)
    assert len(tags) == len(odd) and tags[-1] == "B-PLACE"


def test_other_scripts(tagger: NerTagger) -> None:
    for text in ["สวัสดีครับ ผมชื่อสมชาย และผมอยู่ที่กรุงเทพ", "مرحبا بكم في جاكرتا يا أحمد", "東京で会議"]:
        toks = _tokens(text)
        tags = tagger.tag(toks)
        assert len(tags) == len(toks)
        assert set(tags) == {"O"}


def test_long_paragraph(tagger: NerTagger) -> None:
    sentence = _tokens(
        "Presiden Joko Widodo bertemu Gubernur Jawa Barat di Bandung , Senin ( 12/2 ) ."
    )
    toks = (sentence * (200_000 // len(sentence) + 1))[:200_000]
    t0 = time.perf_counter()
    tags = tagger.tag(toks)
    assert time.perf_counter() - t0 < 20
    assert len(tags) == 200_000
    assert tags[1:3] == ["B-PERSON", "I-PERSON"]
    # no sentence-final mark at all: cut into fixed pieces, still one tag per token
    assert len(tagger.tag(["kata"] * 5_000)) == 5_000


# --- damaged or missing model files -------------------------------------------------------


@needs_crf
def test_missing_model(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not found"):
        NerTagger.load(tmp_path / "nope.zip")


@needs_crf
def test_garbage_model(tmp_path: Path) -> None:
    bad = tmp_path / "garbage.zip"
    bad.write_bytes(b"\x00\xffnot a model at all" * 100)
    with pytest.raises(ModelError, match="damaged") as info:
        NerTagger.load(bad)
    err = info.value
    assert isinstance(err, PipelineError) and isinstance(err, WartaError)
    assert err.reason == "model_error" and str(bad) in err.one_line()


@needs_crf
def test_truncated_and_altered_model(tmp_path: Path) -> None:
    blob = default_model_path().read_bytes()
    cut = tmp_path / "truncated.zip"
    cut.write_bytes(blob[: len(blob) // 2])
    with pytest.raises(ModelError):
        NerTagger.load(cut)
    altered = tmp_path / "altered.zip"
    with zipfile.ZipFile(default_model_path()) as src, zipfile.ZipFile(altered, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "crf.bin":
                data = data[:100] + b"\x00" * 64 + data[164:]
            dst.writestr(name, data)
    with pytest.raises(ModelError, match="sha256"):
        NerTagger.load(altered)
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(ModelError, match="missing"):
        NerTagger.load(other)


def test_model_records_its_training(tagger: NerTagger) -> None:
    from warta.nlp import train

    meta = tagger.meta
    assert meta["train"]["sets"] == list(train.SHIPPED_SETS)
    assert meta["seed"] == train.SEED
    assert len(meta["train"]["sentences_sha256"]) == 64
    assert not any(s.endswith("/test") for s in meta["train"]["splits"])


# --- the trainer, on a toy set --------------------------------------------------------------


@needs_crf
def test_trainer_round_trip(tmp_path: Path) -> None:
    pytest.importorskip("numpy")
    from warta.nlp import train

    sents = [
        nd.Sentence(
            ("Presiden", "Joko", "tiba", "di", "Bandung", "."),
            ("O", "B-PERSON", "O", "O", "B-PLACE", "O"),
        ),
        nd.Sentence(
            ("Gubernur", "Ridwan", "ke", "Bogor", "."), ("O", "B-PERSON", "O", "B-PLACE", "O")
        ),
        nd.Sentence(("KPK", "memeriksa", "Budi", "."), ("B-ORGANIZATION", "O", "B-PERSON", "O")),
    ] * 5
    text = [[t.lower() for t in s.tokens] for s in sents]
    clusters = train.learn_clusters(text, ks=(2, 3), min_count=1, dim=4, log=lambda m: None)
    assert set(clusters) >= {"presiden", "bandung"}
    assert train.learn_clusters(text, ks=(2, 3), min_count=1, dim=4, log=lambda m: None) == clusters
    gaz = Gazetteer.build({"gt": ["presiden"]})
    ex = FeatureExtractor("warta", clusters, gaz)
    params = train.CrfParams(c1=0.0, c2=0.01, max_iterations=30)
    crf = train.train_crf(sents, ex, params)
    assert train.train_crf(sents, ex, params) == crf  # deterministic
    blob = train.model_bytes(crf, clusters, gaz, "warta", {"types": ["PERSON"]})
    assert train.model_bytes(crf, clusters, gaz, "warta", {"types": ["PERSON"]}) == blob
    path = tmp_path / "toy.zip"
    path.write_bytes(blob)
    toy = NerTagger.load(path)
    assert toy.tag(["Presiden", "Joko", "tiba", "di", "Bandung", "."])[1] == "B-PERSON"


def test_train_cli_registers() -> None:
    import click

    from warta.cli.train import register

    @click.group()
    def cli() -> None:
        pass

    register(cli)
    runner = CliRunner()
    res = runner.invoke(cli, ["train", "ner", "--help"])
    assert res.exit_code == 0 and "--sets" in res.output and "--out" in res.output
    res = runner.invoke(cli, ["train", "ner", "--sets", "nergrit,conll", "--out", "/tmp/x.zip"])
    assert res.exit_code == 2 and "conll" in res.output


@needs_crf
def test_model_attributes_read_from_the_crf(tagger: NerTagger) -> None:
    # the attribute dictionary read from crf.bin is crfsuite's own (its dump parser agrees)
    known = tagger.features.known
    assert known is not None
    assert known == frozenset(tagger._tagger.info().attributes)
    assert crf_attributes(b"not a model") is None
    assert crf_attributes(b"lCRF" + bytes(60)) is None


@needs_crf
def test_unknown_features_left_out_change_no_tag(tagger: NerTagger) -> None:
    # features the model never saw are dropped by crfsuite anyway: leaving them out early
    # must give the same tags, token for token, on real pages
    model = read_model_file(default_model_path())
    every = FeatureExtractor(
        kind=model.meta.get("features", "warta"),
        clusters=model.clusters,
        gazetteer=model.gazetteer,
    )
    pages = sorted((Path(__file__).parent / "golden" / "pages").glob("*.txt"))
    assert pages
    for page in pages:
        toks = _tokens(page.read_text(encoding="utf-8"))
        for start, end in segments(toks):
            piece = toks[start:end]
            full, pruned = every(piece), tagger.features(piece)
            assert all(set(p) <= set(f) for p, f in zip(pruned, full, strict=True))
            assert tagger._tagger.tag(pruned) == tagger._tagger.tag(full), page.name
