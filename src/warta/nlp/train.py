"""The reproducible trainer of warta's NER model (``warta train ner``).

Steps, all deterministic (fixed seeds, fixed orders):

1. read the gold sets named in ``sets`` (:mod:`warta.nlp.ner_data`), map their tags to one
   set, keep ``types``, drop every sentence that also occurs (normalised text) in a
   held-out test split (:data:`HELDOUT`) or earlier in the list (first set wins), and print
   the sha256 of the files read and of the resulting training sentences;
2. learn word clusters from UNLABELLED Indonesian news text in ``../shared/data`` (detik
   bodies and IndoSum paragraphs, the text only): left/right-neighbour co-occurrence counts,
   PPMI, a seeded randomised SVD, then seeded spherical k-means at three granularities;
3. train a crfsuite CRF (L-BFGS, elastic net) on the features of
   :mod:`warta.nlp.ner_features`;
4. write one zip archive (:mod:`warta.nlp.ner` reads it) with fixed member order and
   timestamps, so the same data and seed give the same bytes.

numpy is needed for step 2 only (``pip install numpy``); python-crfsuite for step 3.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import sys
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warta.nlp import ner_data
from warta.nlp.ner import MODEL_FORMAT, MODEL_VERSION, default_model_path
from warta.nlp.ner_data import Sentence
from warta.nlp.ner_features import FeatureExtractor, FeatureKind, Gazetteer

SEED = 20240611

#: Sets the shipped model is trained on, in priority order (a sentence found in two sets is
#: kept from the first): every split but the held-out test splits below. Chosen by
#: measurement on dev splits (NER_MODEL_CARD.md).
SHIPPED_SETS: tuple[str, ...] = ("nergrit", "nerui", "luthfi", "idner", "nerugm", "nerp")
SHIPPED_TYPES: tuple[str, ...] = ("PERSON", "ORGANIZATION", "PLACE")

#: Test splits kept out of the shipped model, sentence by sentence (normalised text), so that
#: it can be scored on each of them without leakage (SOURCES.md, leakage warning).
HELDOUT: tuple[tuple[str, str, int | None], ...] = (
    ("nergrit", "test", None),
    ("nerp", "test", None),
    ("idner", "test", None),
    ("nerui", "test", 1),
    ("nerugm", "test", 1),
    ("gum", "test", None),
)

#: CRF hyper-parameters (tuned on NERGrit dev and NER-UI fold-1 dev only).
C1 = 0.1
C2 = 0.1
MAX_ITERATIONS = 150

#: Word-cluster granularities.
CLUSTER_KS: tuple[int, ...] = (64, 256, 1024)

Log = Callable[[str], None]


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --- training data -------------------------------------------------------------------------


def training_splits(name: str) -> list[tuple[str, str, int | None]]:
    """The splits of a set that the shipped-model recipe trains on (never a held-out test)."""
    if name in ner_data.FOLDED:
        return [(name, "train", 1), (name, "dev", 1)]
    if name == "luthfi":
        return [(name, "all", None)]
    if name == "syaifudin":
        return [(name, "train", None)]
    if name == "pud":  # its only split; never scored on when trained on
        return [(name, "test", None)]
    return [(name, "train", None), (name, "dev", None)]


@dataclass
class TrainingData:
    sentences: list[Sentence]
    files: list[Path]
    files_sha256: str
    sentences_sha256: str
    per_set: dict[str, int] = field(default_factory=dict)
    dropped_overlap: int = 0


def _key(s: Sentence) -> str | None:
    key = ner_data.normalise_sentence(s.tokens)
    return key if len(key) >= 12 else None


def heldout_keys(data_dir: Path | None = None) -> set[str]:
    keys: set[str] = set()
    for name, split, fold in HELDOUT:
        for s in ner_data.load(name, split, fold, data_dir):
            k = _key(s)
            if k:
                keys.add(k)
    return keys


def build_training_data(
    sets: Sequence[str],
    types: Sequence[str],
    data_dir: Path | None = None,
    exclude: set[str] | None = None,
) -> TrainingData:
    """The union of the training splits of ``sets``, de-duplicated, without ``exclude``."""
    exclude = heldout_keys(data_dir) if exclude is None else exclude
    seen: set[str] = set()
    out: list[Sentence] = []
    files: list[Path] = []
    per_set: dict[str, int] = {}
    dropped = 0
    for name in sets:
        for set_name, split, fold in training_splits(name):
            files.extend(ner_data.data_files(set_name, split, fold, data_dir))
            for s in ner_data.keep_types(ner_data.load(set_name, split, fold, data_dir), types):
                k = _key(s)
                if k is not None and (k in exclude or k in seen):
                    dropped += 1
                    continue
                if k is not None:
                    seen.add(k)
                out.append(s)
                per_set[name] = per_set.get(name, 0) + 1
    return TrainingData(
        sentences=out,
        files=files,
        files_sha256=ner_data.files_sha256(files),
        sentences_sha256=ner_data.sentences_sha256(out),
        per_set=per_set,
        dropped_overlap=dropped,
    )


# --- unlabelled text and word clusters -----------------------------------------------------

_BOILERPLATE = ("SCROLL TO CONTINUE", "ADVERTISEMENT", "Simak juga", "Saksikan Live")


def unlabelled_files(data_dir: Path | None = None) -> list[Path]:
    """The unlabelled text the shipped clusters are learnt from: IndoSum (CC BY-SA 4.0) only.
    The detik bodies state no licence, so SOURCES.md treats them as evaluation-only: a table
    derived from them does not ship."""
    base = data_dir or ner_data.default_data_dir()
    return [base / "indosum_dev01" / "dev.01.jsonl.gz"]


def unlabelled_sentences(data_dir: Path | None = None) -> Iterator[list[str]]:
    """Lower-cased token lines of the IndoSum paragraphs (text only)."""
    (indosum,) = unlabelled_files(data_dir)
    with gzip.open(indosum, "rt", encoding="utf-8") as f:
        for raw in f:
            doc = json.loads(raw)
            for para in doc["paragraphs"]:
                for sent in para:
                    yield [t.lower() for t in sent]


def learn_clusters(
    sentences: Iterable[Sequence[str]],
    *,
    seed: int = SEED,
    ks: Sequence[int] = CLUSTER_KS,
    min_count: int = 3,
    max_vocab: int = 30_000,
    n_context: int = 1_000,
    dim: int = 100,
    iterations: int = 25,
    log: Log = _stderr,
) -> dict[str, tuple[str, ...]]:
    """word -> one cluster id per granularity in ``ks``, from neighbour co-occurrence."""
    import numpy as np

    sents = [list(s) for s in sentences]
    counts = Counter(w for s in sents for w in s)
    vocab = [w for w, c in sorted(counts.items(), key=lambda x: (-x[1], x[0])) if c >= min_count]
    vocab = vocab[:max_vocab]
    index = {w: i for i, w in enumerate(vocab)}
    ctx_words = ["<s>", "</s>", *vocab[: n_context - 2]]
    ctx = {w: i for i, w in enumerate(ctx_words)}
    nc = len(ctx_words)
    mat = np.zeros((len(vocab), 2 * nc), dtype=np.float64)
    for s in sents:
        padded = ["<s>", *s, "</s>"]
        for j in range(1, len(padded) - 1):
            row = index.get(padded[j])
            if row is None:
                continue
            left = ctx.get(padded[j - 1])
            right = ctx.get(padded[j + 1])
            if left is not None:
                mat[row, left] += 1
            if right is not None:
                mat[row, nc + right] += 1
    # positive PMI with context-distribution smoothing
    total = mat.sum()
    row_p = mat.sum(axis=1, keepdims=True) / total
    col = mat.sum(axis=0, keepdims=True) ** 0.75
    col_p = col / col.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log((mat / total) / (row_p * col_p))
    ppmi = np.where(np.isfinite(pmi) & (pmi > 0), pmi, 0.0)
    # seeded randomised SVD
    rng = np.random.default_rng(seed)
    omega = rng.standard_normal((ppmi.shape[1], dim + 20))
    q, _ = np.linalg.qr(ppmi @ omega)
    for _ in range(2):
        q, _ = np.linalg.qr(ppmi @ (ppmi.T @ q))
    u_b, s_vals, _ = np.linalg.svd(q.T @ ppmi, full_matrices=False)
    emb = (q @ u_b[:, :dim]) * np.sqrt(s_vals[:dim])
    emb /= np.linalg.norm(emb, axis=1, keepdims=True) + 1e-12
    log(f"clusters: {len(sents):,} lines, {sum(counts.values()):,} tokens, {len(vocab):,} words")

    labels_by_k: list[list[str]] = []
    for k in ks:
        k_eff = min(k, len(vocab))
        krng = np.random.default_rng(seed + k)
        # k-means++ initialisation (cosine distance on unit vectors)
        centres = np.empty((k_eff, emb.shape[1]))
        centres[0] = emb[int(krng.integers(len(vocab)))]
        dist = 1.0 - emb @ centres[0]
        for c in range(1, k_eff):
            d2 = np.clip(dist, 0, None) ** 2
            probs = d2 / d2.sum() if d2.sum() > 0 else np.full(len(vocab), 1 / len(vocab))
            centres[c] = emb[int(krng.choice(len(vocab), p=probs))]
            dist = np.minimum(dist, 1.0 - emb @ centres[c])
        assign = np.zeros(len(vocab), dtype=np.int64)
        for _ in range(iterations):
            assign = np.argmax(emb @ centres.T, axis=1)
            for c in range(k_eff):
                members = emb[assign == c]
                if len(members):
                    v = members.sum(axis=0)
                    centres[c] = v / (np.linalg.norm(v) + 1e-12)
        # stable ids: clusters numbered by their most frequent word
        renumber: dict[int, int] = {}
        for a in assign.tolist():
            renumber.setdefault(int(a), len(renumber))
        labels_by_k.append([str(renumber[int(a)]) for a in assign.tolist()])
    return {w: tuple(labels[i] for labels in labels_by_k) for i, w in enumerate(vocab)}


def clusters_tsv(clusters: dict[str, tuple[str, ...]]) -> str:
    return "".join(f"{w}\t" + "\t".join(c) + "\n" for w, c in sorted(clusters.items()))


# --- CRF -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CrfParams:
    c1: float = C1
    c2: float = C2
    max_iterations: int = MAX_ITERATIONS


def train_crf(
    sentences: Sequence[Sentence], extractor: FeatureExtractor, params: CrfParams
) -> bytes:
    """A crfsuite model (bytes) trained on ``sentences`` with ``extractor``'s features."""
    import pycrfsuite  # type: ignore[import-untyped]

    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    trainer.set_params(
        {
            "c1": params.c1,
            "c2": params.c2,
            "max_iterations": params.max_iterations,
            "feature.possible_transitions": True,
        }
    )
    for s in sentences:
        trainer.append(extractor(list(s.tokens)), list(s.tags))
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "crf.bin")
        trainer.train(path)
        with open(path, "rb") as f:
            return f.read()


def predict(
    crf: bytes, extractor: FeatureExtractor, sentences: Iterable[Sequence[str]]
) -> list[list[str]]:
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open_inmemory(crf)
    return [list(tagger.tag(extractor(list(toks)))) if toks else [] for toks in sentences]


# --- scoring -------------------------------------------------------------------------------


@dataclass
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    by_type: dict[str, list[int]] = field(default_factory=dict)  # type -> [tp, fp, fn]

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def type_f1(self, kind: str) -> float:
        tp, fp, fn = self.by_type.get(kind, [0, 0, 0])
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def span_scores(gold: Iterable[Sequence[str]], pred: Iterable[Sequence[str]]) -> Scores:
    """Entity-level micro precision/recall/F1, exact span and type match (seqeval default)."""
    sc = Scores()
    for g, p in zip(gold, pred, strict=True):
        gs = set(ner_data.entity_spans(g))
        ps = set(ner_data.entity_spans(p))
        for span in gs | ps:
            row = sc.by_type.setdefault(span[2], [0, 0, 0])
            if span in gs and span in ps:
                sc.tp += 1
                row[0] += 1
            elif span in ps:
                sc.fp += 1
                row[1] += 1
            else:
                sc.fn += 1
                row[2] += 1
    return sc


# --- model file ----------------------------------------------------------------------------

_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def model_bytes(
    crf: bytes,
    clusters: dict[str, tuple[str, ...]],
    gazetteer: Gazetteer,
    kind: FeatureKind,
    meta: dict[str, Any],
) -> bytes:
    """The model archive, byte-for-byte reproducible."""
    members = {
        "crf.bin": crf,
        "clusters.tsv": clusters_tsv(clusters).encode("utf-8"),
        "gazetteer.json": gazetteer.to_json().encode("utf-8"),
    }
    full_meta = {
        "format": MODEL_FORMAT,
        "version": MODEL_VERSION,
        "features": kind,
        **meta,
        "sha256": {n: hashlib.sha256(b).hexdigest() for n, b in members.items()},
    }
    members = {"meta.json": json.dumps(full_meta, indent=1, sort_keys=True).encode(), **members}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, blob in members.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, blob, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return buf.getvalue()


@dataclass
class TrainReport:
    path: Path
    model_sha256: str
    size: int
    data: TrainingData
    unlabelled_sha256: str
    seconds: float
    sentences: int
    tokens: int


def train_ner(
    out: Path | None = None,
    *,
    sets: Sequence[str] = SHIPPED_SETS,
    types: Sequence[str] = SHIPPED_TYPES,
    data_dir: Path | None = None,
    params: CrfParams = CrfParams(),  # noqa: B008 - frozen dataclass
    seed: int = SEED,
    log: Log = _stderr,
    language: str | None = None,
    cluster_text: str = "indosum",
) -> TrainReport:
    """Train the shipped NER model (or a variant) and write it to ``out``, with the gazetteer
    lists that pages in ``language`` read (None: a page of no known language). Word clusters
    are learnt from ``cluster_text``: "indosum" (the IndoSum paragraphs) or "training" (the
    training sentences' own words, for a language without unlabelled text here)."""
    t0 = time.perf_counter()
    out = out or default_model_path()
    for name in sets:
        if name not in ner_data.SETS:
            raise ValueError(f"unknown NER set {name!r}; known: {', '.join(ner_data.SETS)}")
    data = build_training_data(sets, types, data_dir)
    n_tok = sum(len(s.tokens) for s in data.sentences)
    log(
        f"training data: {len(data.sentences):,} sentences, {n_tok:,} tokens "
        f"({', '.join(f'{k} {v:,}' for k, v in data.per_set.items())}); "
        f"{data.dropped_overlap:,} dropped as held-out or duplicate"
    )
    log(f"training data sha256 (files read): {data.files_sha256}")
    log(f"training data sha256 (sentences):  {data.sentences_sha256}")
    if cluster_text == "training":
        ufiles = data.files
        unlabelled: Iterable[Sequence[str]] = [
            [t.lower() for t in s.tokens] for s in data.sentences
        ]
    elif cluster_text == "indosum":
        ufiles = unlabelled_files(data_dir)
        unlabelled = unlabelled_sentences(data_dir)
    else:
        raise ValueError(f"unknown cluster text {cluster_text!r}: indosum or training")
    unlabelled_sha = ner_data.files_sha256(ufiles)
    log(f"unlabelled text sha256: {unlabelled_sha}")
    clusters = learn_clusters(unlabelled, seed=seed, log=log)
    gazetteer = Gazetteer.from_lang(language)
    extractor = FeatureExtractor("warta", clusters=clusters, gazetteer=gazetteer)
    log(f"training CRF (c1={params.c1}, c2={params.c2}, {params.max_iterations} iterations) ...")
    crf = train_crf(data.sentences, extractor, params)
    meta = {
        "types": sorted(types),
        "seed": seed,
        "crf": {"c1": params.c1, "c2": params.c2, "max_iterations": params.max_iterations},
        "cluster_ks": list(CLUSTER_KS),
        "train": {
            "sets": list(sets),
            "splits": [
                f"{n}/{sp}" + (f".0{f}" if f else "")
                for s in sets
                for n, sp, f in training_splits(s)
            ],
            "heldout": [f"{n}/{sp}" + (f".0{f}" if f else "") for n, sp, f in HELDOUT],
            "files_sha256": data.files_sha256,
            "sentences_sha256": data.sentences_sha256,
            "sentences": len(data.sentences),
            "tokens": n_tok,
        },
        "clusters_from": {
            "files": [f"{p.parent.name}/{p.name}" for p in ufiles],
            "sha256": unlabelled_sha,
        },
    }
    blob = model_bytes(crf, clusters, gazetteer, "warta", meta)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(blob)
    tmp.replace(out)
    digest = hashlib.sha256(blob).hexdigest()
    secs = time.perf_counter() - t0
    log(f"wrote {out} ({len(blob) / 1e6:.1f} MB, sha256 {digest}) in {secs:.0f} s")
    return TrainReport(
        path=out,
        model_sha256=digest,
        size=len(blob),
        data=data,
        unlabelled_sha256=unlabelled_sha,
        seconds=secs,
        sentences=len(data.sentences),
        tokens=n_tok,
    )
