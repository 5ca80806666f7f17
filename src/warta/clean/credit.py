"""Credit prefixes at the start of a lead: "JAKARTA, KOMPAS.com - ", "Jakarta (ANTARA) - ".

The prefix is split into fields (place, outlet, wire) and removed from the body. One generic
shape covers the outlets we know and those we do not: up to two comma-separated name parts and
an optional parenthesised part, ended by a dash; which part is the outlet is decided by the
outlet and wire lists in ``lang/*/outlets.toml`` and ``wires.toml``, or by a domain-like name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from warta.clean.knowledge import Knowledge
from warta.core import diskcache

_NAME = r"[^\W\d_][\w.&'’+]*(?:-[\w.&'’+]+)*(?:[ ][\w.&'’+]+){0,3}"
_CREDIT = diskcache.compile(
    rf"^(?P<a>{_NAME})(?:\s*\((?P<paren>[^()\n]{{2,30}})\))?(?:\s*,\s*(?P<b>{_NAME}))?"
    # the dash has a space on one side at least: "Jakarta-Bandung" is a name, not a credit
    r"(?:\s*\((?P<paren2>[^()\n]{2,30})\))?(?:\s+(?:--|-|–|—|―)\s*|(?:--|-|–|—|―)\s+)(?=\S|$)"
)
# "Jakarta. State construction firm ..." (Jakarta Globe style): one or two capitalised words
# and a full stop opening the lead. A one-word sentence almost never opens a news lead.
_PERIOD_DATELINE = diskcache.compile(r"^(?P<place>[A-Z][a-z]+(?: [A-Z][a-z]+)?)\.\s+(?=[A-Z\"“])")
_DOMAINISH = diskcache.compile(r"\.(com|co|id|net|org|co\.id)\b", re.IGNORECASE)
# An outlet we do not list, in brackets after a place: "Kota (XYZ) - ", "Sleman (HarianJogja) - ".
# Upper case or a joined CamelCase name reads as a masthead, never a sentence's aside.
_MASTHEAD = diskcache.compile(
    r"^(?:[A-Z][A-Z0-9&.-]{1,14}(?: [A-Z][A-Z0-9&.-]{1,14})?|[A-Z][a-z]+(?:[A-Z][a-z0-9]+)+)$"
)
_CREDIT_ONLY = diskcache.compile(r"^\s*(?P<body>.+?)\s*(?:--|-|–|—|―)\s*$")


@dataclass(frozen=True, slots=True)
class Credit:
    text: str  # the prefix exactly as it stands, separator and trailing space included
    place: str | None
    outlet: str | None  # canonical name when known, else as written
    wire: str | None


def _place_ok(part: str) -> bool:
    words = part.split()
    return 1 <= len(words) <= 3 and all(w[0].isupper() for w in words) and len(part) <= 30


def parse_credit(line: str, kb: Knowledge) -> Credit | None:
    """The credit prefix of ``line``, or None. Conservative: a bare "Word - " counts only when
    it reads as a place (capitalised, at most three words)."""
    m = _CREDIT.match(line)
    if m is None:
        return None
    parts = [p for p in (m.group("a"), m.group("b")) if p]
    paren = m.group("paren") or m.group("paren2")
    if m.group("paren") and m.group("paren2"):
        return None
    place = outlet = wire = None
    for part in parts:
        known = kb.outlet(part)
        if known is not None and outlet is None:
            outlet = known.name
        elif kb.wire(part) and wire is None:
            wire = kb.wire(part)
        elif _DOMAINISH.search(part) and outlet is None:
            outlet = part
        elif place is None and _place_ok(part):
            place = part
        elif place is not None and part is parts[-1] and _place_ok(part):
            pass  # a region after the place: "Lumajang, E Java (ANTARA) - "
        else:
            return None
    if paren:
        known = kb.outlet(paren)
        if known is not None and outlet is None:
            outlet = known.name
        elif kb.wire(paren):
            wire = kb.wire(paren)
        elif (
            outlet is None
            and place is not None
            and (_MASTHEAD.match(paren.strip()) or _DOMAINISH.search(paren))
        ):
            outlet = paren.strip()  # an outlet we do not list, named as the page names it
        else:
            return None
    if outlet is None and wire is None:
        if len(parts) > 1:
            return None
        # "JAKARTA - " alone: only an upper-case or short capitalised place, never a sentence
        # opener such as "Namun - ".
        if place is None or not (place.isupper() or len(place.split()) <= 2):
            return None
        if m.group("a") != place or m.group("b"):
            return None
    if place is not None:
        place = place.title() if place.isupper() else place
    return Credit(text=m.group(0), place=place, outlet=outlet, wire=wire)


def parse_period_dateline(line: str, function_words: frozenset[str]) -> Credit | None:
    """ "Jakarta. The government ..." -> Credit(place="Jakarta"); never a function word
    ("Namun. ...")."""
    m = _PERIOD_DATELINE.match(line)
    if m is None or any(w.lower() in function_words for w in m.group("place").split()):
        return None
    return Credit(text=m.group(0), place=m.group("place"), outlet=None, wire=None)


def parse_credit_line(line: str, kb: Knowledge) -> Credit | None:
    """A credit standing alone on its line ("JAKARTA, KOMPAS.com -")."""
    m = _CREDIT_ONLY.match(line)
    if m is None:
        return None
    credit = parse_credit(m.group("body") + " - x", kb)
    if credit is None or (credit.outlet is None and credit.wire is None):
        return None
    return Credit(text=line, place=credit.place, outlet=credit.outlet, wire=credit.wire)
