"""Authors and editors from byline lines ("Penulis: ...", "Editor: ...", "(rdp/imk)").

Never the outlet's name or a desk ("Redaksi", "Tim Liputan6.com") as a person: those are
dropped, because users filter by author and junk authors are a known failure of peers.
"""

from __future__ import annotations

import re

from warta.clean.knowledge import Knowledge
from warta.core import diskcache

_AUTHOR_FIELDS = (
    "penulis|reporter|pewarta|kontributor|koresponden|jurnalis|wartawan|ditulis oleh|oleh|by|rep(?=\\s*:)|"
    "written by|author|writer|reporting by|reported by|additional reporting by|correspondent|"
    "laporan wartawan(?: [\\w.]+)*?,|laporan reporter(?: [\\w.]+)*?,|laporan koresponden(?: [\\w.]+)*?,"
)
_EDITOR_FIELDS = r"editor|penyunting|redaktur|editing by|edited by|diedit oleh|red(?=\s*:)"
_PHOTO_FIELDS = "fotografer|foto|videografer|video|photo"
_EDITOR_WORDS = frozenset(
    {"editor", "penyunting", "redaktur", "editing by", "edited by", "diedit oleh", "red"}
)
_PHOTO_WORDS = frozenset(_PHOTO_FIELDS.split("|"))
_FIELD = diskcache.compile(
    rf"\b(?P<field>{_EDITOR_FIELDS}|{_PHOTO_FIELDS}|{_AUTHOR_FIELDS})\s*[:|]?\s*"
    rf"(?P<value>.+?)\s*(?=(?:\||•|·|;|/\s|\s-\s|\s{{2,}}|\b(?:{_EDITOR_FIELDS}|{_AUTHOR_FIELDS})\s*:"
    rf"|\b(?:editing by|edited by|writing by|reporting by)\b)|$)",
    re.IGNORECASE,
)
_INITIALS = diskcache.compile(r"^[(\[]\s*([a-z0-9]{2,5}(?:\s*/\s*[a-z0-9]{2,5}){0,3})\s*[)\]]$")
_SPLIT_NAMES = diskcache.compile(r"\s*(?:,|;|&|\bdan\b|\band\b)\s*", re.IGNORECASE)
_JUNK = diskcache.compile(
    r"^(redaksi|tim redaksi|admin|administrator|editor|staff|staf|tim|desk|newsroom|"
    r"web ?desk|the jakarta post|jakarta globe|kontributor|jurnalis|wartawan|reporter|"
    r"koresponden|penulis|fotografer)$|^(tim|kontributor|koresponden|wartawan)\s",
    re.IGNORECASE,
)
_DATE_TAIL = diskcache.compile(r"\s*[-|,]?\s*\d{1,2}[/ ].*$")


def _clean_name(name: str) -> str:
    name = _DATE_TAIL.sub("", name)
    return name.strip(" .:-–—|()[]\"'")


def _names(value: str, kb: Knowledge) -> list[str]:
    out = []
    for part in _SPLIT_NAMES.split(value):
        name = _clean_name(part)
        if not name or len(name) > 60 or _JUNK.search(name) or kb.outlet(name) is not None:
            continue
        if kb.outlet_pattern.fullmatch(name):
            continue
        if not any(c.isalpha() for c in name):
            continue
        out.append(name)
    return out


def parse_byline(line: str, kb: Knowledge) -> tuple[list[str], list[str], list[str]]:
    """(authors, editors, wires) named on one byline line."""
    authors: list[str] = []
    editors: list[str] = []
    wires: list[str] = []
    m = _INITIALS.match(line.strip())
    if m:
        codes = [c.strip() for c in m.group(1).split("/")]
        people = []
        for code in codes:
            wire = kb.wire(code)
            if wire:
                wires.append(wire)
            else:
                people.append(code)
        # The newsroom convention: writer first, then editor(s).
        if people:
            authors.append(people[0])
            editors.extend(people[1:])
        return authors, editors, wires
    matched = False
    for fm in _FIELD.finditer(line):
        matched = True
        field = " ".join(fm.group("field").lower().split())
        if field in _PHOTO_WORDS:
            continue
        names = _names(fm.group("value"), kb)
        if field in _EDITOR_WORDS:
            editors.extend(names)
        else:
            authors.extend(names)
    if not matched:  # a bare name line: "Rizky Adiputra - detikNews"
        authors.extend(_names(re.split(r"\s+[-–|]\s+", line.strip())[0], kb))
    return authors, editors, wires


def is_initials(line: str) -> bool:
    """ "(rdp/imk)": newsroom initials, used only when no byline names the people."""
    return _INITIALS.match(line.strip()) is not None
