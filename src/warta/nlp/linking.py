"""Entity linking: an entity mention's surface form to a canonical entity of the gazetteer.

The gazetteer (``warta/lang/id/gazetteer.toml``) lists canonical entities with their aliases;
titles and forms of address (``warta/lang/{id,en}/honorifics.txt``) are stripped from the front
of a mention. Both are read on the first :meth:`Linker.load`, never at import.

How :meth:`Linker.link` decides, in order (all dictionary lookups):

1. **Exact alias.** The mention, normalised (NFKC, case-folded, accents dropped, dots and
   apostrophes removed, other punctuation as spaces), is an alias of an entity. Aliases of at
   most three letters written in capitals ("AS", "PBB", "MA") are acronyms: they match only a
   mention written in capitals, so "as" or "Ma" never become the United States or the Supreme
   Court.
2. **Titles stripped.** Leading titles ("Presiden", "Menteri Luar Negeri", "Pak", "Prof. Dr.",
   "President", ordinals such as "ke-7") are removed, longest first and repeatedly, and the
   longest remaining suffix that is an alias wins ("Presiden AS Barack Obama" -> "barack
   obama"; "Gubernur Jawa Barat Ridwan Kamil" -> "ridwan kamil"). A titled mention links only
   to a PERSON unless the caller asked for another type.
3. **Part of a known name** (``partial=True``, PERSON or untyped mentions only). A single word
   that is the first or last name of exactly one gazetteer PERSON links to that person
   ("Widodo"); two or more words link when their first and last words are the first and last
   name of exactly one PERSON ("Barack Hussein Obama"). Very common given names and surnames
   ("Muhammad", "Budi", "Kim") never link on their own.

When the form as written does not match, it is tried again without a possessive "-nya"
("Jokowinya") and without legal forms ("PT Pertamina (Persero)" -> "Pertamina").

Types: a mention links to an entity of its own type first; PLACE and ORGANIZATION mentions
may fall back to each other (NER tags governments and capitals either way: "Rusia" tagged
ORGANIZATION still links to Russia), PERSON never crosses. Where two entities of the same type
share an alias the first in the file wins (tests/test_linking.py lists the deliberate cases).
Unknown entities get :func:`stable_id`.

Canonical names: an entity's ``label`` (the gazetteer's language: "Rusia", "Amerika Serikat",
"Perserikatan Bangsa-Bangsa") is the canonical name of its links, its ``name`` (English for
foreign entities) the alternate label; a language whose ``language.toml`` says ``[linking]
canonical = "name"`` (English) gets the names. Ids never depend on the label: a QID, else the
:func:`stable_id` of the name.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from warta.core import diskcache
from warta.lang import UNDETERMINED, folder_bytes, language_info, load_toml, load_words, reading

#: The entity types of the gazetteer.
TYPES: tuple[str, ...] = ("PERSON", "ORGANIZATION", "PLACE")
#: The optional ``kind`` of a gazetteer entity.
KINDS: frozenset[str] = frozenset(
    {
        "country",
        "capital",
        "city",
        "regency",
        "province",
        "state",
        "region",
        "continent",
        "island",
        "historical-state",
        "ministry",
        "agency",
        "party",
        "international",
        "armed-group",
        "company",
        "media",
        "head-of-state",
        "public-figure",
    }
)
#: Other spellings of the types that NER corpora use.
TYPE_ALIASES: dict[str, str] = {
    "PER": "PERSON",
    "PPL": "PERSON",
    "ORG": "ORGANIZATION",
    "ORGANISATION": "ORGANIZATION",
    "LOC": "PLACE",
    "LOCATION": "PLACE",
    "GPE": "PLACE",
    "PLC": "PLACE",
}
#: Types a mention may fall back to when no entity of its own type has the alias.
_FALLBACK: dict[str, tuple[str, ...]] = {"PLACE": ("ORGANIZATION",), "ORGANIZATION": ("PLACE",)}


@dataclass(frozen=True, slots=True)
class NameWords:
    """Words about names (``name_parts.toml`` of the gazetteer's language): given names and
    surnames too common to identify anyone alone (step 3), particles inside names ("al",
    "bin"), and legal forms of companies left out when names are compared ("PT", "Tbk")."""

    common: frozenset[str] = frozenset()
    particles: frozenset[str] = frozenset()
    legal_prefixes: frozenset[str] = frozenset()
    legal_suffixes: frozenset[str] = frozenset()

    @classmethod
    def of(cls, code: str | None) -> NameWords:
        table = load_toml(code, "name_parts") if code else {}

        def words(key: str) -> frozenset[str]:
            return frozenset(str(w).casefold() for w in table.get(key, []))

        return cls(
            words("common_name_parts"),
            words("particles"),
            words("legal_prefixes"),
            words("legal_suffixes"),
        )


_GENERATIONAL = diskcache.compile(r"^(?:jr|sr|[ivx]+)$")
_ORDINAL = diskcache.compile(r"^ke\d+$")

_DROP = str.maketrans("", "", ".'’‘`´ʼ")
_NON_WORD = diskcache.compile(r"[\W_]+")
_OUTER = " \t\r\n\"'“”‘’«»()[]{}<>,;:!?"
_TRAILING_STOP = diskcache.compile(r"(?<=\w{3})\.$")


def normalise(text: str) -> str:
    """The lookup key of a surface form: NFKC, case-folded, accents dropped, dots and
    apostrophes removed ("D.C." -> "dc", "Ma'ruf" -> "maruf"), other punctuation and hyphens
    as spaces ("al-Assad" -> "al assad"), whitespace collapsed."""
    if text.isascii():
        text = text.casefold()
    else:
        text = unicodedata.normalize("NFKC", text).casefold()
        text = "".join(
            c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
        )
    text = text.translate(_DROP)
    return " ".join(_NON_WORD.sub(" ", text).split())


def canonical_type(type: str | None) -> str | None:
    """PERSON, ORGANIZATION or PLACE for the spellings NER corpora use; others unchanged."""
    if type is None:
        return None
    upper = type.upper()
    return TYPE_ALIASES.get(upper, upper)


def stable_id(name: str, type: str) -> str:
    """A deterministic id for an entity the gazetteer does not know:
    ``warta:<type>:<slug>`` (type lower-cased, slug = the normalised name with hyphens), e.g.
    ``stable_id("Ahmad Suryadi", "PERSON") == "warta:person:ahmad-suryadi"``. The caller
    strips titles first (see :meth:`Linker.core`)."""
    slug = normalise(name).replace(" ", "-")
    if not slug:  # a name of punctuation only: still deterministic
        slug = "h" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:12]
    kind = (canonical_type(type) or "entity").lower()
    return f"warta:{kind}:{slug}"


@dataclass(frozen=True, slots=True)
class Link:
    """A mention's canonical entity: ``entity_id`` is the Wikidata QID when the gazetteer has
    one, else the entity's :func:`stable_id`; ``type`` is the entity's type."""

    entity_id: str
    canonical: str
    type: str
    qid: str | None


@dataclass(frozen=True, slots=True)
class Entity:
    """One canonical entity of the gazetteer."""

    entity_id: str
    name: str
    type: str
    qid: str | None = None
    kind: str | None = None
    bps: str | None = None
    aliases: tuple[str, ...] = ()
    #: the canonical label in the gazetteer's language where it differs from ``name`` ("Rusia"
    #: for Russia); ``name`` is then the alternate label
    label: str | None = None
    #: a Wikidata id learned after the entity had its id (harvested from IndEL's train split):
    #: its links carry it as their QID while the entity keeps its stable id
    wikidata: str | None = None

    def __reduce__(self) -> tuple[Callable[..., Entity], tuple[Any, ...]]:
        # unpickled by the constructor: a frozen class's default state-setting (one
        # object.__setattr__ per field) made reading the cached linker ≈3x slower
        return (
            Entity,
            (
                self.entity_id,
                self.name,
                self.type,
                self.qid,
                self.kind,
                self.bps,
                self.aliases,
                self.label,
                self.wikidata,
            ),
        )

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Entity:
        """An entity from one gazetteer record; ValueError when the record is malformed."""
        name = record.get("name")
        type_ = record.get("type")
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"gazetteer record without a name: {record!r}")
        if type_ not in TYPES:
            raise ValueError(f"gazetteer record {name!r}: type {type_!r} not in {TYPES}")
        qid = record.get("id")
        if qid is not None and not (isinstance(qid, str) and re.fullmatch(r"Q[1-9]\d*", qid)):
            raise ValueError(f"gazetteer record {name!r}: id {qid!r} is not a Wikidata QID")
        kind = record.get("kind")
        if kind is not None and kind not in KINDS:
            raise ValueError(f"gazetteer record {name!r}: kind {kind!r} unknown")
        bps = record.get("bps")
        if bps is not None and not (isinstance(bps, str) and re.fullmatch(r"\d{2}|\d{4}", bps)):
            raise ValueError(f"gazetteer record {name!r}: bps {bps!r} is not a BPS code")
        aliases = record.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise ValueError(f"gazetteer record {name!r}: aliases must be a list of strings")
        wikidata = record.get("wikidata")
        if wikidata is not None and not (
            isinstance(wikidata, str) and re.fullmatch(r"Q[1-9]\d*", wikidata)
        ):
            raise ValueError(f"gazetteer record {name!r}: wikidata {wikidata!r} is not a QID")
        label = record.get("label")
        if label is not None and not (isinstance(label, str) and label.strip()):
            raise ValueError(f"gazetteer record {name!r}: label {label!r} is not a name")
        return cls(
            entity_id=qid if qid else stable_id(name, type_),
            name=name,
            type=type_,
            qid=qid,
            kind=kind,
            bps=bps,
            aliases=tuple(aliases),
            label=label,
            wikidata=wikidata,
        )

    @property
    def forms(self) -> tuple[str, ...]:
        """The name, the label and every alias."""
        if self.label and self.label not in self.aliases:
            return (self.name, self.label, *self.aliases)
        return (self.name, *self.aliases)

    def canonical(self, labels: bool = True) -> str:
        """The name shown and filtered on: the label where there is one and ``labels`` asks
        for it (pages in the gazetteer's language), else the name."""
        return self.label if labels and self.label else self.name

    @property
    def alternate(self) -> str | None:
        """The other label: the (English) name where a label is the canonical one."""
        return self.name if self.label and self.label != self.name else None

    def to_link(self, labels: bool = True) -> Link:
        return Link(self.entity_id, self.canonical(labels), self.type, self.qid or self.wikidata)


@dataclass(frozen=True, slots=True)
class _Words:
    """A mention split into whitespace words and normalised parts (``owner[i]`` is the word
    that part ``i`` comes from: "al-Assad" is one word, two parts)."""

    words: tuple[str, ...]
    parts: tuple[str, ...]
    owner: tuple[int, ...]


@lru_cache(maxsize=1 << 14)
def _analyse(text: str) -> _Words:
    # Resolution asks this of the same few names many times per article (cached; immutable).
    words: list[str] = []
    parts: list[str] = []
    owner: list[int] = []
    for word in text.split():
        key = normalise(word)
        if not key:
            continue
        for part in key.split():
            parts.append(part)
            owner.append(len(words))
        words.append(word)
    return _Words(tuple(words), tuple(parts), tuple(owner))


def _acronym(form: str) -> str | None:
    """The capital letters of a form that is an acronym of at most three characters."""
    raw = "".join(c for c in form if c.isalnum())
    if 0 < len(raw) <= 3 and raw.isupper():
        return raw
    return None


class Linker:
    """Links surface forms to gazetteer entities. :meth:`load` gives the shipped gazetteer,
    cached per process; the constructor takes any entities and titles (tests)."""

    def __init__(
        self,
        entities: Iterable[Entity],
        titles: Iterable[str] = (),
        names: NameWords | None = None,
        labels: bool = True,
    ) -> None:
        self.names = names or NameWords.of(reading(None, "gazetteer.toml").code)
        #: whether links carry the entities' labels (the gazetteer's language) or their names
        self.labels = labels
        self._entities: tuple[Entity, ...] = tuple(entities)
        self._by_id: dict[str, Entity] = {}
        self._exact: dict[str, list[int]] = {}
        self._acronyms: dict[str, list[int]] = {}
        self._titles: frozenset[tuple[str, ...]] = frozenset(
            tuple(normalise(t).split()) for t in titles if normalise(t)
        )
        self._title_max = max((len(t) for t in self._titles), default=0)
        self._title_words: frozenset[str] = frozenset(t[0] for t in self._titles if len(t) == 1)
        self._first: dict[str, set[int]] = {}
        self._last: dict[str, set[int]] = {}
        self._first_last: dict[tuple[str, str], set[int]] = {}
        for index, entity in enumerate(self._entities):
            self._by_id.setdefault(entity.entity_id, entity)
            for form in entity.forms:
                acronym = _acronym(form)
                table, key = (
                    (self._acronyms, acronym) if acronym else (self._exact, normalise(form))
                )
                if key and index not in table.setdefault(key, []):
                    table[key].append(index)
                if entity.type == "PERSON" and not acronym:
                    self._index_name_parts(index, form)

    @classmethod
    def load(cls, language: str | None = None) -> Linker:
        """The linker over the shipped gazetteer and honorifics that pages in ``language``
        read (None: a page of no known language; read once per process)."""
        found = reading(language, "gazetteer.toml")
        settings = language_info(language or UNDETERMINED).get("linking", {})
        names_only = isinstance(settings, dict) and settings.get("canonical") == "name"
        return _linker(found.code, found.also, not names_only)

    # -- the gazetteer -----------------------------------------------------------------------

    @property
    def entities(self) -> tuple[Entity, ...]:
        return self._entities

    def get(self, entity_id: str) -> Entity | None:
        """The gazetteer entity with this id (QID or stable id), if any."""
        return self._by_id.get(entity_id)

    # -- titles ------------------------------------------------------------------------------

    def _title_end(self, parts: tuple[str, ...], keep_one: bool = True) -> int:
        """How many leading parts are titles (leaving at least one part if ``keep_one``)."""
        i = 0
        n = len(parts)
        limit = n - 1 if keep_one else n
        while i < limit:
            if i and _ORDINAL.match(parts[i]):  # "Presiden ke7"
                i += 1
                continue
            if i and parts[i] == "ke" and i + 2 < n and parts[i + 1].isdigit():  # "ke-7"
                i += 2
                continue
            for size in range(min(self._title_max, limit - i), 0, -1):
                if parts[i : i + size] in self._titles:
                    i += size
                    break
            else:
                break
        return i

    def leading_titles(self, words: Sequence[str]) -> int:
        """How many of ``words`` (whitespace words, in order) are titles at their front, with
        at least one word left after them: 2 for ["Komisaris", "Besar", "Ferry"], 0 when the
        first word is no title or a title ends inside a word."""
        w = _analyse(" ".join(words))
        if len(w.words) != len(words):
            return 0  # a word with no letters or digits: no alignment with the caller's words
        end = self._title_end(w.parts)
        if end == 0 or w.owner[end] == w.owner[end - 1]:
            return 0
        return w.owner[end]

    def is_title(self, text: str) -> bool:
        """Whether the mention is nothing but titles ("Presiden", "Menteri Luar Negeri")."""
        parts = _analyse(text).parts
        return bool(parts) and self._title_end(parts, keep_one=False) == len(parts)

    def _qualifier_end(self, w: _Words, i: int) -> int:
        """After a title, the end of a place or organisation that qualifies it ("Presiden *AS*
        Barack Obama", "Bupati *Bogor* Ade Yasin"): the longest non-PERSON alias starting at
        part ``i`` that leaves at least one part; ``i`` when there is none."""
        parts = w.parts
        for j in range(len(parts) - 1, i, -1):
            candidates = list(self._exact.get(" ".join(parts[i:j]), ()))
            if j == i + 1 and w.owner[i] != w.owner[j]:
                acronym = _acronym(w.words[w.owner[i]])
                if acronym is not None:
                    candidates.extend(self._acronyms.get(acronym, ()))
            if any(self._entities[c].type != "PERSON" for c in candidates):
                return j
        return i

    def _core_span(self, w: _Words) -> tuple[int, int]:
        """The parts [start, end) of a mention's name: leading titles (with the place or body
        they qualify, repeatedly: "Menteri Luar Negeri AS John Kerry") and legal forms ("PT",
        "Tbk", "Ltd") left out, at least one part kept."""
        n = len(w.parts)
        start = self._title_end(w.parts)
        while start:
            after = self._qualifier_end(w, start)
            if after == start:
                break
            start = after + self._title_end(w.parts[after:])
        while start < n - 1 and w.parts[start] in self.names.legal_prefixes:
            start += 1
        end = n
        while end - 1 > start and w.parts[end - 1] in self.names.legal_suffixes:
            end -= 1
        return start, end

    def core(self, text: str) -> str:
        """The mention's name without leading titles and their qualifier, legal forms and
        outer punctuation ("Presiden AS Barack Obama" -> "Barack Obama", "PT Bank Mandiri
        Tbk" -> "Bank Mandiri"); the trimmed text itself when it is all titles."""
        w = _analyse(text)
        if not w.parts:
            return text.strip(_OUTER)
        start, end = self._core_span(w)
        out = " ".join(w.words[w.owner[start] : w.owner[end - 1] + 1]).strip(_OUTER)
        return _TRAILING_STOP.sub("", out) or out

    def name_key(self, text: str) -> tuple[str, ...]:
        """The normalised parts of :meth:`core` (used to compare mentions in a document)."""
        w = _analyse(text)
        if not w.parts:
            return ()
        start, end = self._core_span(w)
        return w.parts[start:end]

    # -- linking -----------------------------------------------------------------------------

    def link(self, text: str, type: str | None = None, *, partial: bool = True) -> Link | None:
        """The canonical entity of a mention, or None. ``type`` is the mention's type (None:
        any); ``partial=False`` skips step 3 (a single first or last name)."""
        wanted = canonical_type(type)
        w = _analyse(text)
        if not w.parts:
            return None
        for variant in self._variants(w):
            entity = self._match(variant, wanted, partial)
            if entity is not None:
                return entity.to_link(self.labels)
        return None

    def _variants(self, w: _Words) -> Iterable[_Words]:
        yield w
        n = len(w.parts)
        start = 1 if n > 1 and w.parts[0] in self.names.legal_prefixes else 0
        end = n
        while end - 1 > start and w.parts[end - 1] in self.names.legal_suffixes:
            end -= 1
        if (start, end) != (0, n):  # "PT Pertamina (Persero)" -> "Pertamina"
            yield _Words(w.words, w.parts[start:end], w.owner[start:end])
        last = w.parts[-1]
        if last == "nya" and len(w.parts) > 1:  # "Obama-nya"
            yield _Words(w.words, w.parts[:-1], w.owner[:-1])
        elif last.endswith("nya") and len(last) >= 6:  # "Jokowinya"
            yield _Words(w.words, (*w.parts[:-1], last[:-3]), w.owner)

    def _match(self, w: _Words, wanted: str | None, partial: bool) -> Entity | None:
        found = self._lookup(w, 0, wanted, person_only=False)
        if found is not None:
            return found
        start = self._title_end(w.parts)
        if start:
            for j in range(start, len(w.parts)):
                found = self._lookup(w, j, wanted, person_only=wanted is None)
                if found is not None:
                    return found
        if partial and wanted in (None, "PERSON"):
            return self._by_name_part(w.parts[start:])
        return None

    def _lookup(self, w: _Words, j: int, wanted: str | None, person_only: bool) -> Entity | None:
        candidates: list[int] = []
        word = w.owner[j]
        if j == 0 or w.owner[j - 1] != word:  # the suffix starts at a word boundary
            rest = w.words[word:]
            if len(rest) == 1:
                acronym = _acronym(rest[0])
                if acronym is not None:
                    candidates.extend(self._acronyms.get(acronym, ()))
        candidates.extend(self._exact.get(" ".join(w.parts[j:]), ()))
        return self._select(candidates, wanted, person_only)

    def _select(
        self, candidates: list[int], wanted: str | None, person_only: bool
    ) -> Entity | None:
        pool = [self._entities[i] for i in candidates]
        if person_only:
            pool = [e for e in pool if e.type == "PERSON"]
        if not pool:
            return None
        if wanted is None:
            return pool[0]
        for types in ((wanted,), _FALLBACK.get(wanted, ())):
            for entity in pool:
                if entity.type in types:
                    return entity
        return None

    # -- step 3: first and last names --------------------------------------------------------

    def _index_name_parts(self, index: int, form: str) -> None:
        parts = _analyse(form).parts
        parts = parts[self._title_end(parts) :]
        while len(parts) > 2 and _GENERATIONAL.match(parts[-1]):
            parts = parts[:-1]
        if len(parts) < 2:
            return
        first, last = parts[0], parts[-1]
        self._first_last.setdefault((first, last), set()).add(index)
        if self._usable_alone(first):
            self._first.setdefault(first, set()).add(index)
        if self._usable_alone(last):
            self._last.setdefault(last, set()).add(index)

    def _usable_alone(self, part: str) -> bool:
        return (
            len(part) >= 3
            and not part.isdigit()
            and part not in self.names.common
            and part not in self.names.particles
            and part not in self._title_words
        )

    def _by_name_part(self, parts: tuple[str, ...]) -> Entity | None:
        if not parts:
            return None
        if len(parts) == 1:
            part = parts[0]
            if not self._usable_alone(part):
                return None
            found = self._first.get(part, set()) | self._last.get(part, set())
        else:
            found = self._first_last.get((parts[0], parts[-1]), set())
        if len(found) == 1:
            return self._entities[next(iter(found))]
        return None


@cache
def _linker(code: str | None, also: tuple[str, ...], labels: bool = True) -> Linker:
    """The gazetteer of ``code`` (none without one), with its honorifics and those of
    ``also``; ``labels``: links carry the entities' labels. Read from the disk cache when an
    earlier run built it from the same data files and the same code of this module (building it
    parses a 150 KB TOML file)."""
    if code is None:
        return _build_linker(code, also, labels)
    key = diskcache.data_hash(
        [Path(__file__), *folder_bytes((code, *also)), repr((code, also, labels))]
    )
    name = f"linker-{code}" if labels else f"linker-{code}-nolabels"
    return diskcache.cached(name, key, lambda: _build_linker(code, also, labels))


def _build_linker(code: str | None, also: tuple[str, ...], labels: bool) -> Linker:
    records = load_toml(code, "gazetteer").get("entity", []) if code else []
    entities = [Entity.from_record(r) for r in records]
    titles = load_words(code, "honorifics") if code else frozenset()
    for extra in also:
        titles |= load_words(extra, "honorifics")
    return Linker(entities, titles, NameWords.of(code), labels)
