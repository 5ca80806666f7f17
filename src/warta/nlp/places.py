"""Places on the map: a place mention to an official region code and coordinates.

The index (``lang/<code>/regions.tsv``, ``countries.tsv`` and ``place_names.toml``, built by
``scripts/build_places.py`` from the reference tables; origin and licences in
``places_NOTICE.md``) holds every Indonesian province, regency/city and district with its
Kemendagri code, parent and centroid, and every ISO 3166-1 country with its Wikidata id and
its point on the map (``country_geo.tsv``, built by ``scripts/build_country_geo.py`` from
GeoNames: the country's centre of population, or its capital; none for a few uninhabited ones).

A region is found by its name as people write it: the official name ("Kabupaten Bandung"), the
short forms of the level ("Kab. Bandung", "Kota Bandung", "Bandung Regency", "Kec. Sukajadi"),
the bare name ("Bandung"), the common short forms of provinces ("Jabar", "Sulteng", "DKI
Jakarta"), and the gazetteer's aliases of the same places ("Jakpus").

How :meth:`Places.resolve_article` decides, for each PLACE mention:

0. Places the NER did not tag as such: a few countries' names it never tags ("Tanah Air":
   Indonesia) wherever they are written so outside every mention; the region an ORGANIZATION
   mention's name ends in after an office or level word ("Pemprov Jabar" -> Jawa Barat,
   "Polres Serang" -> Kabupaten Serang; see :meth:`Places.organisation_region`); and a
   region's name after such a word in text no mention covers ("Bupati Dompu"). The last two
   are decided like a mention that says its level.
1. A level written in the mention or just before it ("Kabupaten", "Kota", "Provinsi",
   "Kecamatan"; the office words "Bupati", "Wali Kota", "Gubernur", "Camat") keeps the
   candidates of that level.
2. Otherwise a country's name is the country, and a bare name is every province, regency and
   city of that name; districts only when no larger region has the name.
3. Several candidates left ("Bandung": the city 32.73 and the regency 32.04) are decided by
   the article: a candidate named with its level elsewhere in the article, or the one
   containing another place the article names unambiguously. If the article does not decide,
   the mention keeps the ambiguous set (``candidates``) and the region all of them lie in
   (``within``): nothing is guessed.
"""

from __future__ import annotations

import csv
import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from warta.core import diskcache, disktable
from warta.core.record import Article, Mention
from warta.core.stage import Stage
from warta.lang import folder_bytes, load_text, load_toml, reading
from warta.nlp import linking
from warta.nlp.langdata import for_page
from warta.nlp.linking import Linker, normalise

#: The extras key of the places a page's mentions were resolved to.
EXTRAS_KEY = "warta.places"
#: The extras key of the place the dateline names (where the report was filed; its offsets
#: count in ``dateline``, which is not part of the body).
DATELINE_KEY = "warta.dateline_place"
#: Levels of the Indonesian regions by the index's level number.
LEVELS: dict[int, str] = {1: "province", 2: "regency", 3: "district"}
_NEEDS = "regions.tsv"
#: How far before a mention its level words are looked for (characters).
_CUE_WINDOW = 40
#: The word just before a country phrase, when it is capitalised.
_NAME_BEFORE = diskcache.compile(r"\b([A-Z][\w-]*)\s+$")
#: A capitalised word after a space: where a region may be named after an office word.
_CAPITALISED = diskcache.compile(r"(?<=\s)[A-Z]")


@dataclass(frozen=True, slots=True)
class Region:
    """One region of the index: an Indonesian province, regency, city or district (``code``
    is its Kemendagri code, "72", "72.03", "72.03.05") or a country (``code`` is its ISO
    3166-1 alpha-2 code, "RU")."""

    code: str
    level: str  # country | province | regency | city | district
    name: str
    parent: str | None = None
    lat: float | None = None
    lng: float | None = None
    country: str = ""  # the ISO 3166-1 alpha-2 code of the country it lies in (or is)
    qid: str | None = None
    alternate: str | None = None  # the English name of a country
    other_names: tuple[str, ...] = ()  # more names of a country (formal, older, gazetteer)

    def __reduce__(self) -> tuple[type[Region], tuple[Any, ...]]:
        # unpickled by the constructor: a frozen class's default state-setting is 10x slower
        return (Region, tuple(getattr(self, f.name) for f in dataclasses.fields(self)))

    def within(self, code: str) -> bool:
        """Whether this region is ``code`` or lies inside it."""
        if code.isalpha():
            return self.country == code.upper()
        return self.code == code or self.code.startswith(code + ".")


@dataclass(frozen=True, slots=True)
class Place:
    """A place mention resolved: ``region`` is the code it names (None when ambiguous or
    unknown); ``candidates`` the codes it may name when the article does not decide; ``within``
    the region every candidate lies in (the region itself when resolved)."""

    start: int
    end: int
    text: str
    region: str | None
    candidates: tuple[str, ...] = ()
    within: str | None = None

    def as_dict(self, index: Places) -> dict[str, Any]:
        """The JSON form kept in the record's extras."""
        found = index.get(self.region) if self.region else None
        out: dict[str, Any] = {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "region": self.region,
            "name": found.name if found else None,
            "level": found.level if found else None,
            "country": found.country if found else _country_of(index, self.within),
            "lat": found.lat if found else None,
            "lng": found.lng if found else None,
            "within": self.within,
            "qid": found.qid if found else None,
        }
        if self.candidates:
            out["candidates"] = list(self.candidates)
        return out


def _country_of(index: Places, code: str | None) -> str | None:
    found = index.get(code) if code else None
    return found.country if found else None


@dataclass(slots=True)
class _Key:
    """The regions one normalised name may be: ``exact`` names that say their level, ``bare``
    the regions whose bare name it is."""

    exact: list[str] = field(default_factory=list)
    bare: list[str] = field(default_factory=list)

    def __reduce__(self) -> tuple[type[_Key], tuple[list[str], list[str]]]:
        return (_Key, (self.exact, self.bare))  # the constructor: faster than slots' state


def _add(table: dict[str, _Key], name: str, code: str, *, exact: bool) -> None:
    key = normalise(name)
    if not key:
        return
    entry = table.setdefault(key, _Key())
    bucket = entry.exact if exact else entry.bare
    if code not in bucket:
        bucket.append(code)


def _common(codes: Iterable[str]) -> str | None:
    """The longest code every code lies in ("32.04", "32.73" -> "32"), None when none."""
    parts = [c.split(".") for c in codes]
    if not parts or any(p[0].isalpha() for p in parts):
        return None
    out: list[str] = []
    for column in zip(*parts, strict=False):
        if len(set(column)) != 1:
            break
        out.append(column[0])
    return ".".join(out) or None


class Places:
    """The place index. :meth:`load` reads the shipped one once per process."""

    def __init__(
        self,
        regions: Iterable[Region],
        words: dict[str, Any] | None = None,
        linker: Linker | None = None,
    ) -> None:
        words = words or {}
        by_code: dict[str, Region] = {}
        names: dict[str, _Key] = {}
        # read-only once built: the index read from the disk cache is a lazy table of each
        self._by_code: Mapping[str, Region] = by_code
        self._names: Mapping[str, _Key] = names
        self._level_words: dict[str, str] = {}
        self._cues: dict[str, str] = {}
        for level, forms in words.get("level_words", {}).items():
            for form in forms:
                self._level_words[normalise(form)] = level
        for level, forms in words.get("level_cues", {}).items():
            for form in forms:
                self._cues[normalise(form)] = level
        suffixes = {
            normalise(form): level
            for level, forms in words.get("level_suffixes", {}).items()
            for form in forms
        }
        prefixes: dict[str, list[str]] = {}
        for form, level in self._level_words.items():
            prefixes.setdefault(level, []).append(form)
        for region in regions:
            by_code[region.code] = region
            self._index(names, region, prefixes, suffixes)
        for code, forms in words.get("country_aliases", {}).items():
            if code in by_code:
                for form in forms:
                    _add(names, form, code, exact=True)
        for table in ("province_aliases", "regency_aliases"):
            for code, forms in words.get(table, {}).items():
                if code in by_code:
                    for form in forms:
                        _add(names, form, code, exact=False)
        self._max_cue = max((len(c.split()) for c in (*self._cues, *self._level_words)), default=0)
        # the last word of every office and level word: a capitalised word after one of these
        # may be a region named in text no mention covers
        self._cue_ends = frozenset(f.split()[-1] for f in (*self._cues, *self._level_words))
        self._phrases = [
            (form, code)
            for code, forms in words.get("country_phrases", {}).items()
            if code in self._by_code
            for form in forms
        ]
        self._phrase_openers = frozenset(
            normalise(w) for w in words.get("country_phrase_openers", ())
        )
        if linker is not None:
            self._gazetteer_aliases(linker, by_code, names)

    def _index(
        self,
        names: dict[str, _Key],
        region: Region,
        prefixes: dict[str, list[str]],
        suffixes: dict[str, str],
    ) -> None:
        if region.level == "country":
            for name in (region.name, region.alternate or "", *region.other_names):
                _add(names, name, region.code, exact=True)
            return
        bare = self.bare_name(region)
        if bare != region.name:  # "Kota Bandung" says its level; "Bandung" does not
            _add(names, region.name, region.code, exact=True)
        _add(names, bare, region.code, exact=False)
        for form in prefixes.get(region.level, ()):
            _add(names, f"{form} {bare}", region.code, exact=True)
        for form, level in suffixes.items():
            if level == region.level:
                _add(names, f"{bare} {form}", region.code, exact=True)

    def _gazetteer_aliases(
        self, linker: Linker, by_code: dict[str, Region], names: dict[str, _Key]
    ) -> None:
        """The gazetteer's other spellings of Indonesian provinces, regencies and cities: each
        entity whose name finds exactly one region of its level lends it its aliases and its
        Wikidata id."""
        wanted = {"province": ("province",), "regency": ("regency",), "city": ("city",)}
        for entity in linker.entities:
            levels = wanted.get(entity.kind or "")
            if entity.type != "PLACE" or levels is None or entity.bps is None:
                continue
            found = [
                c for form in entity.forms for c in self.lookup(form) if by_code[c].level in levels
            ]
            codes = sorted(set(found))
            if len(codes) != 1:
                continue
            qid = entity.qid or entity.wikidata
            region = by_code[codes[0]]
            if qid and region.qid is None:  # the region's Wikidata id, where the gazetteer has it
                by_code[codes[0]] = dataclasses.replace(region, qid=qid)
            for form in entity.forms:
                key = normalise(form)
                if key and key not in names:
                    _add(names, form, codes[0], exact=True)

    @staticmethod
    def bare_name(region: Region) -> str:
        """The name without its level ("Kabupaten Administrasi Kepulauan Seribu" -> "Kepulauan
        Seribu", "Kota Bandung" -> "Bandung")."""
        for prefix in ("Kabupaten Administrasi ", "Kota Administrasi ", "Kabupaten ", "Kota "):
            if region.level in ("regency", "city") and region.name.startswith(prefix):
                return region.name[len(prefix) :]
        return region.name

    # -- kept on disk ----------------------------------------------------------------------

    def tables(self) -> dict[str, list[tuple[str, Any]]]:
        """The index as the rows of three tables (regions by code, names by normalised key,
        and the small word tables), for :func:`warta.core.disktable.cached_tables`."""
        return {
            "regions": [(c, _region_row(r)) for c, r in self._by_code.items()],
            "names": [(k, (e.exact, e.bare)) for k, e in self._names.items()],
            "state": [(attr, getattr(self, attr)) for attr in _STATE],
        }

    @classmethod
    def from_tables(cls, tables: Mapping[str, Mapping[str, Any]]) -> Places:
        """The index over tables :meth:`tables` wrote (regions and names read when asked)."""
        index = cls.__new__(cls)
        index._by_code = tables["regions"]
        index._names = tables["names"]
        state = tables["state"]
        for attr in _STATE:
            setattr(index, attr, state[attr])
        return index

    @classmethod
    def load(cls, language: str | None = None) -> Places | None:
        """The shipped index read by pages in ``language`` (None when no language along its
        fallbacks has one)."""
        found = reading(language, _NEEDS)
        return _places(found.code) if found.code else None

    # -- lookups ---------------------------------------------------------------------------

    def get(self, code: str) -> Region | None:
        """The region or country with this code (a Kemendagri code or an alpha-2 code)."""
        return self._by_code.get(code if "." in code or code.isdigit() else code.upper())

    @property
    def regions(self) -> tuple[Region, ...]:
        return tuple(self._by_code.values())

    def lookup(self, name: str) -> list[str]:
        """Every code a name may be (exact forms first), in index order."""
        entry = self._names.get(normalise(name))
        if entry is None:
            return []
        return list(dict.fromkeys(entry.exact + entry.bare))

    def find(self, name_or_code: str) -> list[Region]:
        """The regions a user's filter value names: a code ("72", "72.03", "RU"), or a name
        written any way the index knows ("Sulteng", "Kota Bandung", "Rusia")."""
        value = name_or_code.strip()
        if value.replace(".", "").isdigit():
            found = self.get(value)
            return [found] if found else []
        named = [self._by_code[c] for c in self._candidates(value, None)]
        if named or not (len(value) == 2 and value.isalpha()):
            return named
        found = self.get(value)  # "ID", "RU": a country's alpha-2 code
        return [found] if found else []

    def children(self, code: str) -> list[Region]:
        """Every region inside ``code`` (itself left out)."""
        return [r for r in self._by_code.values() if r.code != code and r.within(code)]

    def suggestions(self, name: str, limit: int = 5) -> list[str]:
        """Names close to one the index does not know (for "did you mean")."""
        import difflib

        key = normalise(name)
        close = difflib.get_close_matches(key, list(self._names), n=limit, cutoff=0.75)
        return [self._by_code[self.lookup(k)[0]].name for k in close if self.lookup(k)]

    # -- resolving one mention -------------------------------------------------------------

    def _candidates(self, text: str, cue: str | None) -> list[str]:
        """The codes a written name may be, before the article is asked."""
        key = normalise(text)
        entry = self._names.get(key)
        if cue is not None:
            # "Bupati Bandung", "Kota" just before the span: the level the text says
            levelled = self._names.get(f"{_prefix_of(cue, self._level_words)} {key}")
            pool = (levelled.exact if levelled else []) or (entry.bare if entry else [])
            matching = [c for c in pool if self._by_code[c].level == cue]
            if matching:
                return matching
        if entry is None:
            return []
        if entry.exact:
            return list(entry.exact)
        larger = [c for c in entry.bare if self._by_code[c].level != "district"]
        return larger or list(entry.bare)

    def _levelled_tail(self, text: str) -> list[str]:
        """The region named at the end of a longer name from a level word on ("Jalan Melati
        Kecamatan Marpoyan Damai" -> Marpoyan Damai); none when no such tail names one."""
        words = normalise(text).split()
        for i in range(1, len(words) - 1):
            if words[i] in self._level_words:
                entry = self._names.get(" ".join(words[i:]))
                if entry is not None and entry.exact:
                    return list(entry.exact)
        return []

    def _inner(self, text: str) -> list[str]:
        """The region a longer name ends in ("Kantor Gubernur Jawa Tengah" -> Jawa Tengah, the
        office word before it read as a cue), or begins with when that is a district of the
        region it ends in ("Cilincing Jakut" -> the district Cilincing); a bare district name
        alone never counts (too many are common words)."""
        words = text.split()
        for i in range(1, len(words)):
            tail = " ".join(words[i:])
            cue = self.cue_before(" ".join(words[:i]), len(" ".join(words[:i])))
            codes = [c for c in self._candidates(tail, cue) if self._by_code[c].level != "district"]
            if not codes:
                continue
            for j in range(i, 0, -1):
                head = [
                    c
                    for c in self._candidates(" ".join(words[:j]), None)
                    if any(self._by_code[c].within(o) for o in codes)
                ]
                if len(head) == 1:
                    return head
            return codes
        return []

    def resolve_dateline(
        self, dateline: str, body: str, mentions: Sequence[Mention]
    ) -> Place | None:
        """The place a dateline names ("Jakarta", "SOLO"), decided with the body's places
        (offsets of the result count in the dateline)."""
        shift = len(dateline) + 1
        moved = [Mention(m.start + shift, m.end + shift, m.text, m.type) for m in mentions]
        first = Mention(0, len(dateline), dateline, "PLACE")
        places = self.resolve_article(f"{dateline}\n{body}", [first, *moved])
        place = places[0] if places else None
        if place is None or (place.region is None and not place.candidates):
            return None
        return place

    def cue_before(self, body: str, start: int) -> str | None:
        """The level the words just before ``start`` say ("Bupati", "Kota", "Pemprov")."""
        left = body[max(0, start - _CUE_WINDOW) : start]
        words = normalise(left).split()
        for size in range(min(self._max_cue, len(words)), 0, -1):
            tail = " ".join(words[-size:])
            level = self._cues.get(tail) or self._level_words.get(tail)
            if level is not None:
                return level
        return None

    def organisation_region(self, mention: Mention) -> tuple[Mention, list[str]] | None:
        """The region an organisation's name ends in after an office or level word ("Pemprov
        Jabar", "Wali Kota Bogor", "Polda Kalimantan Selatan", "Dinas Pariwisata Provinsi
        NTT"): a PLACE span over the region's words and the codes of that level it names. None
        when no such word stands before a name of its level ("Bank Indonesia", "Polres Metro
        Bekasi")."""
        text = mention.text.rstrip()
        for word in re.finditer(r"\S+", text):
            at = word.start()
            if at == 0:
                continue
            level = self.cue_before(text[:at], at)
            if level is None:
                continue
            tail = text[at:]
            while True:
                codes = [
                    c for c in self._candidates(tail, level) if self._by_code[c].level == level
                ]
                if codes:
                    start = mention.start + at
                    return Mention(start, start + len(tail), tail, "PLACE"), codes
                last = tail.rsplit(" ", 1)
                if len(last) < 2 or not (last[1].isupper() and last[1].isalpha()):
                    break
                tail = last[0]  # a rank the span ran into: "Polres Serang AKP"
        return None

    def resolve_article(self, body: str, mentions: Sequence[Mention]) -> list[Place]:
        """Each PLACE mention of an article resolved, with the places found without one (an
        organisation's region, a country phrase, a region after an office word in untagged
        text; see the module doc), in the order of the text."""
        found: list[tuple[Mention, list[str], bool]] = []
        spans = {(m.start, m.end) for m in mentions if m.type == "PLACE"}
        for m in mentions:
            if m.type == "ORGANIZATION":
                inner = self.organisation_region(m)
                if inner is not None and (inner[0].start, inner[0].end) not in spans:
                    found.append((inner[0], inner[1], True))
                continue
            if m.type != "PLACE":
                continue
            cue = self.cue_before(body, m.start)
            codes = self._candidates(m.text, cue)
            if not codes and m.canonical:
                codes = self._candidates(m.canonical, cue)
            if not codes:  # "Masjid Istiqomah Kecamatan Rumbai": the region it lies in
                codes = self._levelled_tail(m.text)
            if not codes:  # "Kantor Gubernur Jawa Tengah", "Cilincing Jakut"
                codes = self._inner(m.text)
            explicit = cue is not None or bool(
                (e := self._names.get(normalise(m.text))) and e.exact
            )
            found.append((m, codes, explicit))
        found.extend((m, codes, True) for m, codes in self._cued_names(body, mentions))
        found.sort(key=lambda item: item[0].start)
        sure = {codes[0] for _, codes, _ in found if len(codes) == 1}
        named = {codes[0] for _, codes, explicit in found if len(codes) == 1 and explicit}
        out: list[Place] = []
        for m, codes, _ in found:
            if len(codes) > 1:
                codes = self._decide(codes, sure, named)
            if len(codes) == 1:
                out.append(Place(m.start, m.end, m.text, codes[0], (), codes[0]))
            else:
                out.append(Place(m.start, m.end, m.text, None, tuple(codes), _common(codes)))
        phrased = self._phrase_places(body, mentions)
        return sorted([*out, *phrased], key=lambda p: p.start) if phrased else out

    def _cued_names(
        self, body: str, mentions: Sequence[Mention]
    ) -> list[tuple[Mention, list[str]]]:
        """Regions named after an office or level word in text no mention covers ("Bupati
        Dompu", "di Kabupaten Sigi" where the NER tagged nothing): the longest run of
        capitalised words after the word (up to four) that names a region of its level."""
        out: list[tuple[Mention, list[str]]] = []
        for capital in _CAPITALISED.finditer(body):
            at = capital.start()
            space = body.rfind(" ", 0, at - 1)
            if body[space + 1 : at - 1].lower().rstrip(".") not in self._cue_ends:
                continue
            level = self.cue_before(body, at)
            if level is None:
                continue
            words = list(re.finditer(r"[A-Z][\w-]*", body[at : at + 80]))
            run = [words[0]] if words and words[0].start() == 0 else []
            for prev, word in zip(words, words[1:], strict=False):
                if len(run) == 4 or run[-1:] != [prev]:
                    break
                gap = body[at + prev.end() : at + word.start()]
                if gap != " ":
                    break
                run.append(word)
            for n in range(len(run), 0, -1):
                start, end = at, at + run[n - 1].end()
                if any(m.start < end and start < m.end for m in mentions):
                    break
                text = body[start:end]
                codes = [
                    c for c in self._candidates(text, level) if self._by_code[c].level == level
                ]
                if codes:
                    out.append((Mention(start, end, text, "PLACE"), codes))
                    break
        return out

    def _phrase_places(self, body: str, mentions: Sequence[Mention]) -> list[Place]:
        """The countries named by phrases the NER leaves untagged ("Tanah Air": Indonesia;
        ``country_phrases`` in ``place_names.toml``), where no entity mention covers them."""
        out: list[Place] = []
        for form, code in self._phrases:
            start = body.find(form)
            while start >= 0:
                end = start + len(form)
                bounded = (start == 0 or not body[start - 1].isalnum()) and (
                    end == len(body) or not body[end].isalnum()
                )
                covered = any(m.start < end and start < m.end for m in mentions)
                before = _NAME_BEFORE.search(body, max(0, start - 60), start)
                named = (
                    before is not None and normalise(before.group(1)) not in self._phrase_openers
                )
                if bounded and not covered and not named:  # named: "Pembela Tanah Air" (PETA)
                    out.append(Place(start, end, form, code, (), code))
                start = body.find(form, end)
        return out

    def _decide(self, codes: list[str], sure: set[str], named: set[str]) -> list[str]:
        """The candidates the article's other places leave: one named with its level in the
        article, else the one that alone contains a place the article names for sure."""
        kept = [c for c in codes if c in named]
        if len(kept) == 1:
            return kept
        sure_regions = [self._by_code[s] for s in sure if s in self._by_code]
        holding = [c for c in codes if any(s.code != c and s.within(c) for s in sure_regions)]
        if len(holding) == 1:
            return holding
        inside = [
            c
            for c in codes
            if any(s.code != c and self._by_code[c].within(s.code) for s in sure_regions)
        ]
        if len(inside) == 1:  # "Kecamatan Sukajadi" in an article about Pekanbaru
            return inside
        return codes


#: The attributes of :class:`Places` besides its two big tables.
_STATE = (
    "_level_words",
    "_cues",
    "_max_cue",
    "_cue_ends",
    "_phrases",
    "_phrase_openers",
)


def _region_row(region: Region) -> tuple[Any, ...]:
    return tuple(getattr(region, f.name) for f in dataclasses.fields(region))


def _region_from_row(row: tuple[Any, ...]) -> Region:
    return Region(*row)


def _key_from_row(row: tuple[list[str], list[str]]) -> _Key:
    return _Key(list(row[0]), list(row[1]))


def _as_is(value: Any) -> Any:
    return value


_DECODERS = {"regions": _region_from_row, "names": _key_from_row, "state": _as_is}


def _prefix_of(level: str, words: dict[str, str]) -> str:
    """The first level word of ``level`` ("regency" -> "kabupaten")."""
    for form, lvl in words.items():
        if lvl == level:
            return form
    return ""


def _float(value: str) -> float | None:
    return float(value) if value else None


def _rows(code: str, name: str) -> list[list[str]]:
    text = load_text(code, name)
    if text is None:
        return []
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return [row for row in csv.reader(lines[1:], delimiter="\t", quoting=csv.QUOTE_NONE)]


def _country_points(code: str) -> dict[str, tuple[float, float]]:
    """Each country's point on the map (``country_geo.tsv``: its centre of population from
    GeoNames, or its capital; see the file's header), by alpha-2 code."""
    out: dict[str, tuple[float, float]] = {}
    for a2, _fips, lat, lng, _basis in _rows(code, "country_geo.tsv"):
        if lat and lng:
            out[a2] = (float(lat), float(lng))
    return out


def _country_regions(code: str, linker: Linker) -> list[Region]:
    """Countries, with the gazetteer's aliases of the same Wikidata id as other names and
    their points on the map."""
    by_qid: dict[str, list[str]] = {}
    for entity in linker.entities:
        if entity.qid and entity.kind == "country":
            by_qid.setdefault(entity.qid, []).extend(entity.forms)
    points = _country_points(code)
    out: list[Region] = []
    for a2, _a3, qid, name_id, name_en, others in _rows(code, "countries.tsv"):
        names = tuple(n for n in others.split("|") if n) + tuple(by_qid.get(qid, []))
        lat, lng = points.get(a2, (None, None))
        out.append(Region(a2, "country", name_id, None, lat, lng, a2, qid or None, name_en, names))
    return out


@cache
def _places(code: str) -> Places:
    """The place index of ``code``, over the disk cache's tables when an earlier run built
    them from the same data files and the same code (building it normalises some 50,000
    names; reading it whole, even pickled, costs ≈0.12 s, while a page looks up a few dozen
    names: each is read from the table when asked for)."""
    found = reading(code, "gazetteer.toml")
    codes = sorted({code, *(c for c in (found.code, *found.also) if c)})
    key = diskcache.data_hash(
        [Path(__file__), Path(linking.__file__), *folder_bytes(codes), repr((code, codes))]
    )
    built: list[Places] = []

    def build() -> dict[str, list[tuple[str, Any]]]:
        built.append(_build_places(code))
        return built[0].tables()

    tables = disktable.cached_tables(f"places-{code}", key, build, _DECODERS)
    if built:  # this process built it: the index in memory (the file is for the next run)
        return built[0]
    return _build_places(code) if tables is None else Places.from_tables(tables)


def _build_places(code: str) -> Places:
    linker = Linker.load(code)
    regions: list[Region] = _country_regions(code, linker)
    words = load_toml(code, "place_names")
    country = str(words.get("country", ""))  # the country the regions table divides
    for row in _rows(code, "regions.tsv"):
        region_code, level, parent, name, lat, lng = row
        kind = LEVELS[int(level)]
        if kind == "regency" and name.startswith("Kota "):
            kind = "city"
        regions.append(
            Region(region_code, kind, name, parent or None, _float(lat), _float(lng), country)
        )
    return Places(regions, words, linker)


class PlaceStage(Stage):
    """Resolves the article's PLACE mentions to regions and coordinates, kept in
    ``extras["warta.places"]`` (a list in mention order; see :meth:`Place.as_dict`), and the
    dateline's place in ``extras["warta.dateline_place"]``. An organisation of a region is not a
    place mention, but the region its name ends in after an office or level word ("Pemkot
    Bogor", "Polres Serang", "Dinas Pariwisata Provinsi NTT") is a place of the article, with
    the span of the region's words; so are a region after such a word in text no mention
    covers ("Bupati Dompu") and the country phrases the NER never tags ("Tanah Air")."""

    name = "nlp.places.v1"
    requires = frozenset({"body", "entities"})
    provides = frozenset({f"extras.{EXTRAS_KEY}", f"extras.{DATELINE_KEY}"})

    def process(self, article: Article) -> Article:
        if not article.entities:
            return article
        data = for_page(article, self.name, _NEEDS)
        if data is None or data.code is None:
            return article
        index = _places(data.code)
        places = index.resolve_article(article.body, article.entities)
        if places:
            article.extras[EXTRAS_KEY] = [p.as_dict(index) for p in places]
        if article.dateline:
            filed = index.resolve_dateline(article.dateline, article.body, article.entities)
            if filed is not None:
                article.extras[DATELINE_KEY] = filed.as_dict(index)
        return article
