"""Names as people write them, resolved to what the store holds.

Every filter and lookup that takes an entity, speaker or outlet name goes through here, so the
CLI, the Python API, the REST API and the reader agree on what "KPK", "Jokowi", "Rusia", "AS"
or "detik" mean. An entity name is tried, in order, and the first step that finds anything wins:

1. an entity id, or a canonical name (any case);
2. the gazetteer (:mod:`warta.nlp.linking`): aliases, abbreviations, nicknames, Indonesian and
   English names, titles stripped, case and punctuation variants — a short name typed in lower
   case is also tried in capitals ("kpk" -> "KPK");
3. the id warta gives an entity the gazetteer does not know (its normalised name);
4. the store's learned aliases: the surface forms of its mentions ("KPK" written in articles
   and linked to "Komisi Pemberantasan Korupsi"), any case; an alias shared by several
   entities names those holding at least a tenth of its mentions;
5. the gazetteer again, by a single first or last name ("Widodo").

A name that resolves to nothing gets suggestions: canonical names and aliases that start with
it, then the closest by edit distance. Lookups of learned aliases read the mentions table
without an index; they run only when the cheaper steps find nothing.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from warta.core.errors import QueryError
from warta.store.db import Db
from warta.store.rows import key

if TYPE_CHECKING:
    from warta.nlp.linking import Linker

#: The PLOVER event categories (what ``--event`` and ``category`` accept, any case).
PLOVER_CATEGORIES: tuple[str, ...] = (
    "ACCUSE",
    "AGREE",
    "AID",
    "ASSAULT",
    "COERCE",
    "CONCEDE",
    "CONSULT",
    "COOPERATE",
    "MOBILIZE",
    "PROTEST",
    "REJECT",
    "REQUEST",
    "RETREAT",
    "SANCTION",
    "SUPPORT",
    "THREATEN",
)
#: How many suggestions an unknown name gets.
SUGGESTIONS = 5
#: Candidates for suggestions: this many of the most mentioned names of each source.
_POOL = 5000
#: An alias names every entity holding at least this share of its top entity's mentions.
_ALIAS_SHARE = 0.1
#: A domain's top level at the end of an outlet name ("JUARA.net", "Tempo.co", "detik.com").
_TOP_LEVEL = re.compile(r"\.(?:co\.id|or\.id|go\.id|com|net|org|info|id|co)$")
_NON_ALNUM = re.compile(r"[\W_]+")


class UnknownValue(QueryError):
    """A filter value outside a fixed set (an event category, an entity type): a usage error
    that names the values allowed."""

    reason = "unknown_value"


@dataclass(frozen=True, slots=True)
class Resolved:
    """What a name given by a user names in the store: entity or outlet ``ids``, and for
    speakers the speaker ``keys`` as stored. ``suggestions`` only when nothing was found."""

    kind: str
    text: str
    ids: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()

    @property
    def known(self) -> bool:
        return bool(self.ids or self.keys)


# -- fixed sets --------------------------------------------------------------------------------


def check_category(db: Db, value: str) -> str:
    """``value`` as a stored event category (upper case); :class:`UnknownValue` when it is
    neither a PLOVER category nor one the store holds."""
    wanted = value.strip().upper()
    allowed = set(PLOVER_CATEGORIES)
    if wanted in allowed:
        return wanted
    allowed |= {str(c) for (c,) in db.all("SELECT DISTINCT category FROM events")}
    if wanted not in allowed:
        raise UnknownValue(
            f"unknown event category {value.strip()!r}: one of {', '.join(sorted(allowed))}",
            source="event",
        )
    return wanted


def check_type(db: Db, value: str) -> str:
    """``value`` as a stored entity type (PER, ORG, LOC and their kin accepted);
    :class:`UnknownValue` listing the types when it is none of them."""
    from warta.nlp.linking import TYPES, canonical_type

    wanted = canonical_type(value.strip()) or ""
    allowed = set(TYPES)
    if wanted in allowed:
        return wanted
    allowed |= {str(t) for (t,) in db.all("SELECT DISTINCT type FROM entities")}
    if wanted not in allowed:
        raise UnknownValue(
            f"unknown entity type {value.strip()!r}: one of {', '.join(sorted(allowed))}",
            source="type",
        )
    return wanted


# -- entities ----------------------------------------------------------------------------------


def resolve_entity(db: Db, text: str, *, type_: str | None = None) -> Resolved:
    """The entities ``text`` names (see the module docstring), of ``type_`` when given."""
    wanted = " ".join(text.split())
    kind = "place" if type_ == "PLACE" else "entity"
    if not wanted:
        return Resolved(kind, text)
    ids = entity_ids(db, wanted, type_=type_)
    if ids:
        return Resolved(kind, wanted, ids=tuple(ids))
    return Resolved(kind, wanted, suggestions=tuple(suggest_entities(db, wanted, type_=type_)))


def entity_ids(db: Db, text: str, *, type_: str | None = None) -> list[str]:
    """Ids of the entities ``text`` names, from the first step that finds any; [] for none."""
    from warta.nlp.linking import Linker

    linker = Linker.load()
    return (
        _by_id_or_canonical(db, text, type_)
        or _by_gazetteer(linker, text, type_, partial=False)
        or _by_stable_id(db, linker, text, type_)
        or _by_learned_alias(db, text, type_)
        or _by_gazetteer(linker, text, type_, partial=True)
    )


def _typed(
    sql: str, params: list[Any], type_: str | None, column: str = "type"
) -> tuple[str, list[Any]]:
    if type_:
        return f"{sql} AND {column} = ?", [*params, type_]
    return sql, params


def _by_id_or_canonical(db: Db, text: str, type_: str | None) -> list[str]:
    sql, params = _typed(
        "SELECT id FROM entities WHERE (id = ? OR canonical_key = ?)", [text, key(text)], type_
    )
    return [str(r[0]) for r in db.all(sql + " ORDER BY mentions DESC, id", params)]


def _spellings(text: str) -> list[str]:
    """The name as typed, and in capitals when it is short enough to be an acronym typed in
    lower case ("kpk", "as")."""
    out = [text]
    compact = "".join(c for c in text if c.isalnum())
    if compact and len(compact) <= 5 and compact.isalpha() and not compact.isupper():
        out.append(text.upper())
    return out


def _by_gazetteer(linker: Linker, text: str, type_: str | None, *, partial: bool) -> list[str]:
    for spelling in _spellings(text):
        link = linker.link(spelling, type_, partial=partial)
        if link is not None and (type_ is None or link.type == type_):
            return [str(link.entity_id)]
    return []


def _by_stable_id(db: Db, linker: Linker, text: str, type_: str | None) -> list[str]:
    from warta.nlp.linking import TYPES, stable_id

    core = linker.core(text) or text
    types = (type_,) if type_ else TYPES
    candidates = sorted({stable_id(name, t) for name in (text, core) for t in types})
    marks = ", ".join("?" * len(candidates))
    rows = db.all(
        f"SELECT id FROM entities WHERE id IN ({marks}) ORDER BY mentions DESC, id", candidates
    )
    return [str(r[0]) for r in rows]


def _by_learned_alias(db: Db, text: str, type_: str | None) -> list[str]:
    forms = sorted({text, text.lower(), text.upper(), text.title()})
    marks = ", ".join("?" * len(forms))
    sql, params = _typed(
        "SELECT m.entity_id, count(*) FROM mentions m JOIN entities e ON e.id = m.entity_id "
        f"WHERE (m.text IN ({marks}) OR lower(m.text) = ?)",
        [*forms, text.lower()],
        type_,
        "e.type",
    )
    rows = db.all(sql + " GROUP BY m.entity_id ORDER BY count(*) DESC, m.entity_id", params)
    if not rows:
        return []
    top = int(rows[0][1])
    return [str(eid) for eid, n in rows if int(n) >= max(1.0, top * _ALIAS_SHARE)]


def suggest_entities(db: Db, text: str, *, type_: str | None = None) -> list[str]:
    """Canonical names and aliases close to ``text``: those starting with it first, then the
    nearest by edit distance; each shown as the store writes it."""
    sql, params = _typed("SELECT canonical FROM entities WHERE articles > 0", [], type_)
    names = [
        str(r[0]) for r in db.all(sql + " ORDER BY mentions DESC, id LIMIT ?", [*params, _POOL])
    ]
    sql, params = _typed(
        "SELECT m.text FROM mentions m JOIN entities e ON e.id = m.entity_id WHERE 1 = 1",
        [],
        type_,
        "e.type",
    )
    aliases = [
        str(r[0])
        for r in db.all(
            sql + " GROUP BY m.text ORDER BY count(*) DESC, m.text LIMIT ?", [*params, _POOL]
        )
    ]
    return closest(text, [*names, *aliases])


# -- speakers ----------------------------------------------------------------------------------


def resolve_speaker(db: Db, text: str) -> Resolved:
    """The speakers ``text`` names: the entity ids it resolves to (see :func:`entity_ids`) and
    the stored speaker names equal to it, or holding it as their first or last words
    ("Sri Mulyani" -> "Sri Mulyani Indrawati") when nothing else matches."""
    wanted = " ".join(text.split())
    if not wanted:
        return Resolved("speaker", text)
    k = key(wanted)
    keys = [
        str(r[0])
        for r in db.all("SELECT DISTINCT speaker_key FROM quotes WHERE speaker_key = ?", (k,))
    ]
    ids = entity_ids(db, wanted)
    if not keys and not ids:
        rows = db.all(
            "SELECT DISTINCT speaker_key FROM quotes WHERE speaker_key LIKE ? OR speaker_key LIKE ?",
            (_like(k) + " %", "% " + _like(k)),
        )
        keys = sorted(str(r[0]) for r in rows)
    if keys or ids:
        return Resolved("speaker", wanted, ids=tuple(ids), keys=tuple(keys))
    names = [
        str(r[0])
        for r in db.all(
            "SELECT max(speaker) FROM quotes WHERE speaker_key IS NOT NULL GROUP BY speaker_key "
            "ORDER BY count(*) DESC, speaker_key LIMIT ?",
            (_POOL,),
        )
    ]
    return Resolved("speaker", wanted, suggestions=tuple(closest(wanted, names)))


def _like(text: str) -> str:
    return text.replace("\\", "").replace("%", "").replace("_", " ")


# -- outlets -----------------------------------------------------------------------------------


def outlet_stem(name: str) -> str:
    """An outlet name reduced to what people type: letters and digits only, lower case, without
    a leading "www" and a trailing top-level domain ("detik.com", "detikcom" and "Detik" are
    one stem; "JUARA.net" and "JUARA.NET" too)."""
    lowered = _TOP_LEVEL.sub("", name.casefold().strip())
    if lowered.startswith("www."):
        lowered = lowered[4:]
    compact = _NON_ALNUM.sub("", lowered)
    if compact.endswith("com") and len(compact) > 5:  # a brand written as its domain: "detikcom"
        compact = compact[:-3]
    return compact


def resolve_outlet(db: Db, text: str) -> Resolved:
    """The outlets ``text`` names: by name (any case), else by stem (:func:`outlet_stem`)."""
    wanted = " ".join(text.split())
    rows = [
        (int(i), str(n), str(k)) for i, n, k in db.all("SELECT id, name, name_key FROM outlets")
    ]
    ids = [i for i, _, k in rows if k == key(wanted)]
    if not ids:
        stem = outlet_stem(wanted)
        ids = [i for i, n, _ in rows if stem and outlet_stem(n) == stem]
    if ids:
        return Resolved("outlet", wanted, ids=tuple(str(i) for i in sorted(ids)))
    names = [n for _, n, _ in rows]
    return Resolved("outlet", wanted, suggestions=tuple(closest(wanted, names)))


# -- suggestions -------------------------------------------------------------------------------


def closest(text: str, candidates: Sequence[str], limit: int = SUGGESTIONS) -> list[str]:
    """Up to ``limit`` of ``candidates`` near ``text``: those whose lookup form starts with it
    (in the candidates' order), then the nearest by edit distance (difflib's ratio >= 0.6);
    each once, case-insensitively."""
    wanted = key(text)
    by_key: dict[str, str] = {}
    for name in candidates:
        by_key.setdefault(key(name), name)
    out = [name for k, name in by_key.items() if wanted and k.startswith(wanted) and k != wanted]
    out = out[:limit]
    if len(out) < limit:
        near = difflib.get_close_matches(wanted, list(by_key), n=limit * 2, cutoff=0.6)
        out += [by_key[k] for k in near if by_key[k] not in out]
    return _unique(out)[:limit]


def _unique(names: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for name in names:
        if key(name) not in seen:
            seen.add(key(name))
            out.append(name)
    return out


# -- regions -----------------------------------------------------------------------------------


def resolve_region(text: str) -> Resolved:
    """The regions a region filter names: a Kemendagri code ("72", "72.03"), an ISO country
    code ("ID", "RU"), or a name as people write it ("Sulteng", "Kota Bandung", "Rusia"); a
    bare name of several regions ("Bandung") names them all. ``ids`` are the codes (each
    filter takes in every region inside); suggestions when nothing matches."""
    from warta.nlp.places import Places

    index = Places.load()
    value = text.strip()
    if index is None or not value:
        return Resolved("region", text)
    found = index.find(value)
    if found:
        return Resolved("region", text, ids=tuple(dict.fromkeys(r.code for r in found)))
    return Resolved("region", text, suggestions=tuple(index.suggestions(value, SUGGESTIONS)))


def region_condition(codes: Sequence[str]) -> tuple[str, list[Any]]:
    """SQL selecting the articles of the places table inside any of ``codes``: a code itself
    and every code below it ("72" takes in "72.03" and "72.03.05", read as an index range); a
    country code takes in everything in that country."""
    parts: list[str] = []
    params: list[Any] = []
    for code in codes:
        if code.isalpha():
            parts.append("SELECT article FROM places WHERE country = ?")
            params.append(code.upper())
        else:
            # "72." up to "72/" ("/" follows "." in ASCII): every code below "72", no LIKE
            parts.append("SELECT article FROM places WHERE code = ? OR (code > ? AND code < ?)")
            params += [code, code + ".", code + "/"]
    return " UNION ".join(parts), params
