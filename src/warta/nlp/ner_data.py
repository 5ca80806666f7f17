"""Loaders for the gold Indonesian NER sets in ``../shared/data`` (SOURCES.md section 1).

Every loader returns :class:`Sentence` objects whose tags are BIO over ONE tag set:

=============  ============================================================
warta type     source labels
=============  ============================================================
PERSON         PER, PPL, PERSON, Person
PLACE          LOC, PLC, LOCATION, PLACE, Place, GPE
ORGANIZATION   ORG, ORGANISATION, ORGANIZATION, Organisation
PRODUCT        NERP ``IND`` (products and brands)
EVENT          NERP ``EVT``
FOOD           NERP ``FNB`` (food and beverage)
TIME           NER-UGM and Syaifudin ``TIME``
QUANTITY       NER-UGM and Syaifudin ``QUANTITY``
=============  ============================================================

Tags are repaired to well-formed BIO the way conlleval reads them (an ``I-X`` after ``O`` or
after another type opens a new ``X`` entity). The Luthfi gold standard is IO (no B-): a run
of equal labels becomes one entity. The Syaifudin set is raw text with inline tags: it is
tokenised with :func:`simple_tokenize` and a token belongs to an entity when most of its
characters lie inside the tagged span (the set has tags that cut words, ``K<LOCATION>antor``).

The data files are third-party (licences in SOURCES.md) and are never copied into warta.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from warta.core import diskcache

#: The entity types warta's NER can produce, in a fixed order.
ENTITY_TYPES: tuple[str, ...] = (
    "PERSON",
    "ORGANIZATION",
    "PLACE",
    "EVENT",
    "PRODUCT",
    "FOOD",
    "TIME",
    "QUANTITY",
)

#: Source label -> warta type.
TAG_MAP: dict[str, str] = {
    "PER": "PERSON",
    "PPL": "PERSON",
    "PERSON": "PERSON",
    "LOC": "PLACE",
    "PLC": "PLACE",
    "LOCATION": "PLACE",
    "PLACE": "PLACE",
    "GPE": "PLACE",
    "ORG": "ORGANIZATION",
    "ORGANISATION": "ORGANIZATION",
    "ORGANIZATION": "ORGANIZATION",
    "IND": "PRODUCT",
    "EVT": "EVENT",
    "FNB": "FOOD",
    "TIME": "TIME",
    "QUANTITY": "QUANTITY",
}

#: The data sets, by short name.
SETS: tuple[str, ...] = (
    "nergrit",
    "nerp",
    "idner",
    "nerui",
    "nerugm",
    "luthfi",
    "syaifudin",
    "gum",
    "gum_news",
    "pud",
)

#: Splits of each set (cross-validated sets also take a fold, 1..5).
SPLITS: dict[str, tuple[str, ...]] = {
    "nergrit": ("train", "dev", "test"),
    "nerp": ("train", "dev", "test"),
    "idner": ("train", "dev", "test"),
    "nerui": ("train", "dev", "test"),
    "nerugm": ("train", "dev", "test"),
    "luthfi": ("all",),
    "syaifudin": ("train", "test"),
    "gum": ("train", "dev", "test"),  # GUM's news, interview and bio/voyage/academic/court
    "gum_news": ("train", "dev", "test"),  # GUM's news documents alone
    "pud": ("test",),  # UNER English PUD: one split, named test by its makers
}

#: GUM's genre files (en_ner_gum/README.txt), per set.
_GUM_GENRES: dict[str, tuple[str, ...]] = {
    "gum": ("news", "wikinews_interview", "other_bio-voyage-academic-court"),
    "gum_news": ("news",),
}

#: Sets split into five cross-validation folds (01..05).
FOLDED: frozenset[str] = frozenset({"nerui", "nerugm"})

#: The entity types each set annotates (others are ``O`` there, annotated or not).
SET_TYPES: dict[str, frozenset[str]] = {
    "nergrit": frozenset({"PERSON", "ORGANIZATION", "PLACE"}),
    "nerp": frozenset({"PERSON", "PLACE", "PRODUCT", "EVENT", "FOOD"}),
    "idner": frozenset({"PERSON", "ORGANIZATION", "PLACE"}),
    "nerui": frozenset({"PERSON", "ORGANIZATION", "PLACE"}),
    "nerugm": frozenset({"PERSON", "ORGANIZATION", "PLACE", "TIME", "QUANTITY"}),
    "luthfi": frozenset({"PERSON", "ORGANIZATION", "PLACE"}),
    "syaifudin": frozenset({"PERSON", "ORGANIZATION", "PLACE", "TIME", "QUANTITY"}),
}

#: Sets whose text is lower-cased (shape and capitalisation features carry no signal there).
LOWERCASED: frozenset[str] = frozenset({"nerp"})


@dataclass(frozen=True, slots=True)
class Sentence:
    """One tokenised sentence (or segment) with a BIO tag per token."""

    tokens: tuple[str, ...]
    tags: tuple[str, ...]


class NerDataError(ValueError):
    """A data file that does not read as the format its set is documented to have."""


def default_data_dir() -> Path:
    """``$WARTA_SHARED_DATA``, else ``../shared/data`` beside the repository checkout."""
    env = os.environ.get("WARTA_SHARED_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3].parent / "shared" / "data"


# --- tags ------------------------------------------------------------------------------------


def map_label(label: str) -> str:
    """A source entity label (no B-/I- prefix) as a warta type; unknown labels raise."""
    key = label.strip().upper()
    try:
        return TAG_MAP[key]
    except KeyError:
        raise NerDataError(f"unknown NER label {label!r}") from None


def map_tag(tag: str) -> str:
    """``B-PER`` -> ``B-PERSON``; ``O`` stays ``O``; a bare label (IO data) becomes ``I-X``."""
    tag = tag.strip()
    if not tag or tag == "O":
        return "O"
    if len(tag) > 2 and tag[1] == "-" and tag[0] in "BIES":
        prefix = "B" if tag[0] in "BS" else "I"
        return f"{prefix}-{map_label(tag[2:])}"
    return f"I-{map_label(tag)}"


def repair_bio(tags: Sequence[str]) -> list[str]:
    """Well-formed BIO: an ``I-X`` that does not continue an ``X`` entity becomes ``B-X``."""
    out: list[str] = []
    prev = "O"
    for tag in tags:
        if tag.startswith("I-") and (prev == "O" or prev[2:] != tag[2:]):
            tag = "B-" + tag[2:]
        out.append(tag)
        prev = tag
    return out


def keep_types(sentences: Iterable[Sentence], types: Iterable[str]) -> list[Sentence]:
    """Sentences with every entity of a type outside ``types`` turned into ``O``."""
    keep = frozenset(types)
    out = []
    for s in sentences:
        tags = tuple(t if t == "O" or t[2:] in keep else "O" for t in s.tags)
        out.append(Sentence(s.tokens, tags))
    return out


def entity_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Entities of a BIO sequence as ``(start, end, type)``, ``end`` exclusive (conlleval)."""
    spans: list[tuple[int, int, str]] = []
    start = -1
    kind = ""
    for i, tag in enumerate(tags):
        if tag == "O" or not tag:
            if start >= 0:
                spans.append((start, i, kind))
            start = -1
            continue
        prefix, _, label = tag.partition("-")
        if prefix == "B" or start < 0 or label != kind:
            if start >= 0:
                spans.append((start, i, kind))
            start, kind = i, label
    if start >= 0:
        spans.append((start, len(tags), kind))
    return spans


# --- tokenising raw text -------------------------------------------------------------------

_TOKEN = diskcache.compile(
    r"""
    https?://\S+[^\s.,;:!?"')\]]      # URLs
  | \d+(?:[.,/:]\d+)*                 # numbers, dates 2/12/2014, times 10.30, 1.000,5
  | \w+(?:[-'’.]\w+)*                 # words, ke-80, ka'bah, Kompas.com
  | \S                                # any other single character
    """,
    re.VERBOSE,
)


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch)[0] == "M"


def simple_tokenize(text: str) -> list[tuple[int, int, str]]:
    """Whitespace and punctuation tokens as ``(start, end, text)``; the CoNLL sets' style.

    Combining marks (Thai vowels, Arabic harakat, ...) stay with the letters they follow.
    """
    out: list[tuple[int, int, str]] = []
    for m in _TOKEN.finditer(text):
        start, end = m.start(), m.end()
        if (
            out
            and out[-1][1] == start
            and (_is_mark(text[start]) or (_is_mark(text[start - 1]) and text[start].isalnum()))
        ):
            start = out.pop()[0]
        out.append((start, end, text[start:end]))
    return out


# --- readers -------------------------------------------------------------------------------


def _open_text(path: Path) -> str:
    if not path.exists():
        raise FileNotFoundError(f"NER data file not found: {path}")
    if path.suffix == ".gz":
        with gzip.open(path, "rt", encoding="utf-8") as f:
            return f.read()
    return path.read_text(encoding="utf-8")


def _read_columns(text: str, *, sep: str | None, io_tags: bool = False) -> list[Sentence]:
    """Token-per-line files, blank line between sentences; the tag is the last column."""
    sentences: list[Sentence] = []
    tokens: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        if tokens:
            sentences.append(Sentence(tuple(tokens), tuple(repair_bio(tags))))
        tokens.clear()
        tags.clear()

    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            flush()
            continue
        parts = line.split(sep) if sep else line.split()
        parts = [p for p in parts if p.strip()] if sep else parts
        if len(parts) < 2:
            raise NerDataError(f"line {lineno}: expected a token and a tag, got {line!r}")
        token, tag = parts[0].strip(), parts[-1].strip()
        if io_tags and tag != "O":
            tag = map_label(tag)
            # IO data: continue the previous entity when the type repeats
            tag = f"I-{tag}"
        else:
            tag = map_tag(tag)
        tokens.append(token)
        tags.append(tag)
    flush()
    return sentences


def _read_mapped(text: str) -> list[Sentence]:
    """The English sets' ``token<TAB>warta tag<TAB>source tag`` lines (``# newdoc`` lines
    between documents); their OTHER entities (times, events, objects) are left out."""
    lines = []
    for line in text.splitlines():
        if line.startswith("# "):
            continue
        parts = line.split("\t")
        if len(parts) >= 2 and parts[1].endswith("-OTHER"):
            parts[1] = "O"
        lines.append("\t".join(parts[:2]))
    return _read_columns("\n".join(lines), sep="\t")


_INLINE = diskcache.compile(r"<(/?)([A-Z]+)>")


def parse_inline(line: str) -> Sentence:
    """One Syaifudin line (``<PERSON>Joko</PERSON> ...``) as tokens with BIO tags."""
    text_parts: list[str] = []
    spans: list[tuple[int, int, str]] = []
    pos = 0
    length = 0
    open_at: tuple[int, str] | None = None
    for m in _INLINE.finditer(line):
        chunk = line[pos : m.start()]
        text_parts.append(chunk)
        length += len(chunk)
        pos = m.end()
        closing, label = m.group(1) == "/", m.group(2)
        if not closing:
            open_at = (length, map_label(label))
        elif open_at is not None:
            spans.append((open_at[0], length, open_at[1]))
            open_at = None
    text_parts.append(line[pos:])
    text = "".join(text_parts)
    toks = simple_tokenize(text)
    tags = ["O"] * len(toks)
    for s, e, kind in spans:
        first = True
        for i, (ts, te, _) in enumerate(toks):
            overlap = min(te, e) - max(ts, s)
            if overlap > 0 and overlap * 2 >= te - ts:
                tags[i] = ("B-" if first else "I-") + kind
                first = False
    return Sentence(tuple(t for _, _, t in toks), tuple(repair_bio(tags)))


def split_at_full_stops(sentence: Sentence) -> list[Sentence]:
    """A long segment cut after every ``.``, ``!`` or ``?`` token tagged ``O``."""
    out: list[Sentence] = []
    start = 0
    for i, (tok, tag) in enumerate(zip(sentence.tokens, sentence.tags)):
        if tok in (".", "!", "?") and tag == "O":
            out.append(Sentence(sentence.tokens[start : i + 1], sentence.tags[start : i + 1]))
            start = i + 1
    if start < len(sentence.tokens):
        out.append(Sentence(sentence.tokens[start:], sentence.tags[start:]))
    return [Sentence(s.tokens, tuple(repair_bio(s.tags))) for s in out]


def _files(name: str, split: str, fold: int | None) -> list[str]:
    if name not in SPLITS:
        raise ValueError(f"unknown NER set {name!r}; known: {', '.join(SETS)}")
    if split not in SPLITS[name]:
        raise ValueError(f"{name} has no split {split!r}; it has {', '.join(SPLITS[name])}")
    if name in FOLDED:
        folder = "indolem_nerui" if name == "nerui" else "indolem_nerugm"
        if fold is None or not 1 <= fold <= 5:
            raise ValueError(f"{name} is cross-validated: give fold=1..5")
        return [f"{folder}/{split}.0{fold}.tsv.gz"]
    if fold is not None:
        raise ValueError(f"{name} has no folds")
    if name in _GUM_GENRES:
        return [f"en_ner_gum/gum_{genre}_{split}.tsv.gz" for genre in _GUM_GENRES[name]]
    if name == "pud":
        return ["en_ner_pud/uner_en_pud_test.tsv.gz"]
    if name in ("nergrit", "nerp"):
        folder = f"indonlu_{name}"
        fname = {"train": "train.txt.gz", "dev": "valid.txt", "test": "test.txt"}[split]
        return [f"{folder}/{fname}"]
    if name == "idner":
        return [f"idner_news_2k/{'train.txt.gz' if split == 'train' else split + '.txt'}"]
    if name == "luthfi":
        return ["luthfi2014_ner_goldstandard/goldstandard-0811.txt"]
    return [f"syaifudin_ner_inline/{'data_train.txt.gz' if split == 'train' else 'data_test.txt'}"]


def data_files(
    name: str, split: str, fold: int | None = None, data_dir: Path | None = None
) -> list[Path]:
    """The file(s) that :func:`load` reads for this set and split."""
    base = data_dir or default_data_dir()
    return [base / rel for rel in _files(name, split, fold)]


def load(
    name: str, split: str, fold: int | None = None, data_dir: Path | None = None
) -> list[Sentence]:
    """Sentences of one set and split (``fold`` for nerui/nerugm), tags mapped to warta types."""
    out: list[Sentence] = []
    for path in data_files(name, split, fold, data_dir):
        text = _open_text(path)
        if name in ("nergrit", "nerp", "nerui", "nerugm"):
            out.extend(_read_columns(text, sep="\t"))
        elif name == "idner":
            out.extend(_read_columns(text, sep=None))
        elif name in _GUM_GENRES or name == "pud":
            out.extend(_read_mapped(text))
        elif name == "luthfi":
            for segment in _read_columns(text, sep="\t", io_tags=True):
                out.extend(split_at_full_stops(segment))
        else:
            out.extend(parse_inline(line) for line in text.splitlines() if line.strip())
    return [s for s in out if s.tokens]


def load_all_folds(name: str, data_dir: Path | None = None) -> list[Sentence]:
    """Every sentence of a cross-validated set once (the union of fold 1's three splits)."""
    if name not in FOLDED:
        raise ValueError(f"{name} is not cross-validated")
    out: list[Sentence] = []
    for split in ("train", "dev", "test"):
        out.extend(load(name, split, 1, data_dir))
    return out


# --- identity of what was read -------------------------------------------------------------


def normalise_sentence(tokens: Iterable[str]) -> str:
    """A key for finding the same sentence across sets: lower-cased alphanumerics only."""
    return re.sub(r"[^0-9a-z]+", "", "".join(tokens).lower())


def sentences_sha256(sentences: Iterable[Sentence]) -> str:
    """sha256 over tokens and tags, in order: the identity of a training set."""
    h = hashlib.sha256()
    for s in sentences:
        for tok, tag in zip(s.tokens, s.tags):
            h.update(tok.encode("utf-8"))
            h.update(b"\t")
            h.update(tag.encode("utf-8"))
            h.update(b"\n")
        h.update(b"\n")
    return h.hexdigest()


def files_sha256(paths: Iterable[Path]) -> str:
    """sha256 over the raw bytes of files, in order (names not included)."""
    h = hashlib.sha256()
    for path in paths:
        h.update(path.read_bytes())
    return h.hexdigest()


def iter_spans(sentences: Iterable[Sentence]) -> Iterator[tuple[int, int, str]]:
    """All entity spans of all sentences (for counting)."""
    for s in sentences:
        yield from entity_spans(s.tags)
