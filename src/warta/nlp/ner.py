"""Named-entity tagging: a CRF over word, affix, shape, gazetteer and word-cluster features.

::

    tagger = NerTagger.load()                  # the shipped model, loaded once per process
    tags = tagger.tag(["Presiden", "Joko", "Widodo", "tiba", "di", "Bandung"])
    # ['O', 'B-PERSON', 'I-PERSON', 'O', 'O', 'B-PLACE']
    entity_spans(tokens, tags)                 # [(1, 3, 'PERSON'), (5, 6, 'PLACE')]

The model file is a zip archive written by :mod:`warta.nlp.train`: ``meta.json`` (format,
feature set, labels, training provenance, the sha256 of every other member), ``crf.bin``
(the crfsuite model), ``clusters.tsv`` (word -> cluster ids learnt from unlabelled text) and
``gazetteer.json`` (the word lists the model was trained with). A file that is missing,
truncated or altered raises :class:`ModelError` before crfsuite ever reads it.
"""

from __future__ import annotations

import hashlib
import json
import struct
import threading
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from warta.core import diskcache
from warta.core.errors import PipelineError
from warta.nlp.ner_data import entity_spans as _spans_of_tags
from warta.nlp.ner_features import CACHE_LIMIT, FeatureExtractor, Gazetteer

if TYPE_CHECKING:
    from warta.nlp.crf_fast import FastCrf

#: File name of the shipped model inside the ``warta.models`` package folder.
MODEL_NAME = "ner_id_crf.zip"
MODEL_FORMAT = "warta-ner-crf"
MODEL_VERSION = 1

#: Token sequences longer than this are tagged in pieces, cut after sentence-final punctuation.
MAX_SEGMENT = 400
#: Batches tagged by crfsuite before a process switches to :mod:`warta.nlp.crf_fast`.
FAST_AFTER = 2
_SENTENCE_END = frozenset({".", "!", "?", "。", "؟"})


class ModelError(PipelineError):
    """A model file that is missing, damaged, or not a warta NER model."""

    reason = "model_error"


def model_path(name: str) -> Path:
    """Where the shipped model file ``name`` lives (``warta/models/<name>``): a language names
    its model in the ``[entities]`` table of its ``language.toml``."""
    return Path(str(files("warta").joinpath("models", name)))


def default_model_path() -> Path:
    """Where the shipped default model lives (``warta/models/ner_id_crf.zip``)."""
    return model_path(MODEL_NAME)


@dataclass(frozen=True)
class ModelFile:
    """The parsed members of a model archive."""

    meta: dict[str, Any]
    crf: bytes
    clusters: dict[str, tuple[str, ...]]
    gazetteer: Gazetteer


def parse_clusters(text: str) -> dict[str, tuple[str, ...]]:
    """``word<TAB>c1<TAB>c2...`` lines as a table."""
    table: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        if not line:
            continue
        parts = line.split("\t")
        if len(parts) < 2:
            raise ValueError(f"clusters.tsv: bad line {line[:40]!r}")
        table[parts[0]] = tuple(parts[1:])
    return table


def read_model_file(path: Path) -> ModelFile:
    """Read and verify a model archive; every failure is a :class:`ModelError`."""
    where = str(path)
    if not path.is_file():
        raise ModelError(
            f"NER model file not found: {path} (run `warta train ner` to build it)", source=where
        )
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            missing = {"meta.json", "crf.bin", "clusters.tsv", "gazetteer.json"} - names
            if missing:
                raise ModelError(
                    f"not a warta NER model: members {sorted(missing)} are missing", source=where
                )
            meta = json.loads(zf.read("meta.json").decode("utf-8"))
            blobs = {n: zf.read(n) for n in ("crf.bin", "clusters.tsv", "gazetteer.json")}
    except ModelError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise ModelError(
            f"NER model file is damaged or not a zip archive ({exc}); "
            "reinstall warta or rebuild it with `warta train ner`",
            source=where,
        ) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"NER model meta.json is not valid JSON ({exc})", source=where) from exc
    if not isinstance(meta, dict) or meta.get("format") != MODEL_FORMAT:
        raise ModelError(f"not a warta NER model (format is not {MODEL_FORMAT!r})", source=where)
    if meta.get("version") != MODEL_VERSION:
        raise ModelError(
            f"NER model version {meta.get('version')!r} is not supported "
            f"(this warta reads version {MODEL_VERSION})",
            source=where,
        )
    sums = meta.get("sha256", {})
    for name, blob in blobs.items():
        if not isinstance(sums, dict) or sums.get(name) != hashlib.sha256(blob).hexdigest():
            raise ModelError(
                f"NER model member {name} does not match its recorded sha256 (damaged file)",
                source=where,
            )
    try:
        clusters = parse_clusters(blobs["clusters.tsv"].decode("utf-8"))
        gazetteer = Gazetteer.from_json(blobs["gazetteer.json"].decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ModelError(f"NER model tables are unreadable ({exc})", source=where) from exc
    return ModelFile(meta=meta, crf=blobs["crf.bin"], clusters=clusters, gazetteer=gazetteer)


def _cqdb_strings(data: bytes, at: int) -> list[str] | None:
    """The strings of the CQDB (crfsuite's constant string dictionary) at offset ``at``: a
    header (``CQDB``, size, flags, byte order, number and offset of the id -> record array),
    and records (id, length with the final NUL, bytes)."""
    chunk, size, _, _, count, table = struct.unpack_from("<4sIIIII", data, at)
    if chunk != b"CQDB" or at + size > len(data):
        return None
    out: list[str] = []
    for offset in struct.unpack_from(f"<{count}I", data, at + table):
        if offset:
            _, length = struct.unpack_from("<II", data, at + offset)
            start = at + offset + 8
            out.append(data[start : start + length - 1].decode("utf-8"))
    return out


def crf_attributes(crf: bytes) -> frozenset[str] | None:
    """The attribute names of a crfsuite CRF model, read from its attribute dictionary (a
    crfsuite header: ``lCRF``, size, ``FOMC``, version, counts of features, labels and
    attributes, then offsets; the attribute dictionary's is the tenth field). None when the
    bytes are not laid out so: the tagger then passes every feature, as it always may."""
    try:
        fields = struct.unpack_from("<4sI4sIIIIIIIII", crf, 0)
        if fields[0] != b"lCRF" or fields[2] != b"FOMC":
            return None
        names = _cqdb_strings(crf, fields[9])
    except (struct.error, UnicodeDecodeError):
        return None
    if names is None or len(names) != fields[6]:
        return None
    return frozenset(names)


def _known_attributes(crf: bytes, source: str) -> frozenset[str] | None:
    """:func:`crf_attributes`, from the disk cache when a run read this model (from the same
    file name) before: reading the attribute dictionary is most of a model's load."""
    key = diskcache.data_hash([crf, Path(__file__)])
    name = "".join(c if c.isalnum() else "_" for c in Path(source).stem)[:40]
    return diskcache.cached(f"crf-attributes-{name}", key, lambda: crf_attributes(crf))


@cache
def archive_sha256(path: Path) -> str:
    """The SHA-256 of a model archive's bytes, once per path and process (the disk cache's
    key and the model version records carry both come from it)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_model_cached(path: Path) -> tuple[ModelFile, frozenset[str] | None]:
    """:func:`read_model_file` and the model's attribute names, from the disk cache when a run
    read the same archive before (keyed by its bytes): unzipping, verifying and parsing the
    archive's members cost ≈25 ms of every start-up, the pickled result ≈5 ms."""
    try:
        digest = archive_sha256(path)
    except OSError:
        return read_model_file(path), None  # not there: read_model_file says so
    key = diskcache.data_hash([digest, Path(__file__)])
    name = "".join(c if c.isalnum() else "_" for c in path.stem)[:40]

    def build() -> tuple[ModelFile, frozenset[str] | None]:
        model = read_model_file(path)
        return model, crf_attributes(model.crf)

    return diskcache.cached(f"ner-model-{name}", key, build)


def segments(tokens: Sequence[str], limit: int = MAX_SEGMENT) -> list[tuple[int, int]]:
    """``(start, end)`` pieces of at most ``limit`` tokens, cut after sentence-final marks."""
    n = len(tokens)
    if n <= limit:
        return [(0, n)] if n else []
    out: list[tuple[int, int]] = []
    start = 0
    last_end = -1
    for i, tok in enumerate(tokens):
        if tok in _SENTENCE_END:
            last_end = i + 1
        if i + 1 - start >= limit:
            cut = last_end if last_end > start else i + 1
            out.append((start, cut))
            start = cut
    if start < n:
        out.append((start, n))
    return out


class NerTagger:
    """A loaded CRF model with its feature extractor. Use :meth:`load`."""

    _cache: dict[Path, NerTagger] = {}
    _cache_lock = threading.Lock()

    def __init__(
        self,
        model: ModelFile,
        source: str = "<memory>",
        known: frozenset[str] | None | Literal[False] = False,
    ) -> None:
        """``known``: the model's attribute names when the caller read them already (False:
        read them here)."""
        import pycrfsuite  # type: ignore[import-untyped]

        self.meta = model.meta
        self.source = source
        self.features = FeatureExtractor(
            kind=model.meta.get("features", "warta"),
            clusters=model.clusters,
            gazetteer=model.gazetteer,
            known=_known_attributes(model.crf, source) if known is False else known,
        )
        # crfsuite reads the model in place: the bytes must live as long as the tagger
        self._crf = model.crf
        self._tagger = pycrfsuite.Tagger()
        try:
            self._tagger.open_inmemory(self._crf)
        except Exception as exc:  # crfsuite raises ValueError/IOError on a bad model
            raise ModelError(f"crfsuite cannot read the CRF model ({exc})", source=source) from exc
        self.labels: tuple[str, ...] = tuple(self._tagger.labels())
        self._lock = threading.Lock()
        self._batches = 0
        self._fast: FastCrf | Literal[False] | None = None

    @classmethod
    def load(cls, path: Path | None = None) -> NerTagger:
        """The model at ``path`` (default: the shipped one), read once per process."""
        target = (path or default_model_path()).resolve()
        with cls._cache_lock:
            tagger = cls._cache.get(target)
            if tagger is None:
                model, known = _read_model_cached(target)
                tagger = cls(model, source=str(target), known=known)
                cls._cache[target] = tagger
            return tagger

    @property
    def types(self) -> tuple[str, ...]:
        """Entity types this model can output."""
        return tuple(sorted({lab[2:] for lab in self.labels if lab != "O"}))

    def tag(self, tokens: list[str]) -> list[str]:
        """One BIO tag per token (``O``, ``B-PERSON``, ``I-PERSON``, ...)."""
        return self.tag_many([tokens])[0]

    def tag_many(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """:meth:`tag` of each sentence; in a long run all at once with numpy
        (:mod:`warta.nlp.crf_fast`, the same tags), else each by crfsuite."""
        cleaned = [[t if t and not t.isspace() else "_" for t in toks] for toks in sentences]
        with self._lock:
            fast = self._fast_crf()
            if fast is None:
                raw = [self._crfsuite_tags(clean) for clean in cleaned]
            else:
                pieces = [
                    (k, clean[a:b]) for k, clean in enumerate(cleaned) for a, b in segments(clean)
                ]
                found = fast.tag_words(
                    [piece for _, piece in pieces], self.features.word_features, self._marks()
                )
                if found is None:
                    raw = [self._crfsuite_tags(clean) for clean in cleaned]
                else:
                    raw = [[] for _ in cleaned]
                    labels = self.labels
                    for (k, _), ids in zip(pieces, found, strict=True):
                        raw[k] += [labels[i] for i in ids]
        return [_latin_only(clean, tags) for clean, tags in zip(cleaned, raw, strict=True)]

    def preload_fast(self) -> None:
        """Build the numpy tagger now, as a long run would after :data:`FAST_AFTER` batches
        (the tags are the same either way): a ``-j N`` run's workers then share one."""
        with self._lock:
            if self._fast is None:
                self._batches = FAST_AFTER
                self._fast_crf()

    def _fast_crf(self) -> FastCrf | None:
        """The numpy tagger once this process has tagged :data:`FAST_AFTER` batches (a
        single-page run does not pay for importing numpy), None where it cannot be had."""
        if self._fast is None:
            self._batches += 1
            if self._batches <= FAST_AFTER:
                return None
            from warta.nlp import crf_fast  # a long run only

            fast = (
                crf_fast.load(self._crf, self.labels, CACHE_LIMIT) if self.features.known else None
            )
            self._fast = fast if fast is not None else False
        return self._fast or None

    def _marks(self) -> Callable[[Sequence[str]], list[list[str]] | None] | None:
        """The phrase features of a sentence's tokens (None: the sentence has none), None
        where the feature set has none."""
        features = self.features
        phrases = features.gazetteer.phrases
        if features.kind != "warta" or not phrases:
            return None

        def marks(tokens: Sequence[str]) -> list[list[str]] | None:
            lows = [t.lower() for t in tokens]
            if phrases.keys().isdisjoint(lows):  # no phrase starts here: nothing to mark
                return None
            return features.phrases(lows)

        return marks

    def _crfsuite_tags(self, clean: list[str]) -> list[str]:
        tags: list[str] = []
        for start, end in segments(clean):
            piece = clean[start:end]
            try:
                tags.extend(self._tagger.tag(self.features.encoded(piece)))
            except (UnicodeError, SystemError):
                # lone surrogates cannot reach crfsuite (UTF-8): replace them and retry
                piece = [t.encode("utf-8", "replace").decode("utf-8") for t in piece]
                tags.extend(self._tagger.tag(self.features.encoded(piece)))
        return tags


def _latin_only(clean: list[str], tags: list[str]) -> list[str]:
    """The model has only seen Latin script: an entity with no Latin letter is dropped."""
    for start, end, _ in _spans_of_tags(tags):
        if not any(_has_latin(t) for t in clean[start:end]):
            tags[start:end] = ["O"] * (end - start)
    return tags


def _has_latin(token: str) -> bool:
    return any(ch.isalpha() and ord(ch) < 0x250 for ch in token)


def entity_spans(tokens: Sequence[str], tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Entities as token index spans ``(start, end, type)``, ``end`` exclusive.

    Read the way conlleval reads BIO: an ``I-X`` that does not continue an ``X`` opens one.
    """
    if len(tokens) != len(tags):
        raise ValueError(f"{len(tokens)} tokens but {len(tags)} tags")
    return _spans_of_tags(tags)
