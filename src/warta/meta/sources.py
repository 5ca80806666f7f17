"""Wire services and the outlet of a page, from credits, furniture and the URL."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

from warta.clean.knowledge import Knowledge
from warta.core import diskcache
from warta.core.record import RemovedLine

_WIRE_LINE = diskcache.compile(
    r"^\(?\s*(?:sumber(?: berita)?|source|sources|via|dikutip dari|disadur dari|dilansir dari)?\s*:?\s*"
    r"(?P<names>[^()]+?)\s*\)?\.?$",
    re.IGNORECASE,
)
_SPLIT = diskcache.compile(r"\s*(?:,|;|/|&|\+|\bdan\b|\band\b)\s*", re.IGNORECASE)
# The word "copyright" names a holder only with a sign or a year after it: "COPYRIGHT
# HOLDERS BE LIABLE" in a licence is a phrase, not a credit.
_COPYRIGHT = diskcache.compile(
    r"(?:©|\(c\)|copyright(?=\s*(?:©|\(c\)|\d{4})))\s*(?:©\s*|\(c\)\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*"
    r"(?P<name>[A-Z][\w.&' -]{1,40}?)"
    r"(?:\s*[.,|]|\s+all rights|\s+hak cipta|\s*$)",
    re.IGNORECASE,
)

_COPYRIGHT_MARK = diskcache.compile(r"©|\(c\)|\bcopyright\b|\bhak cipta\b", re.IGNORECASE)


def wires_in_line(text: str, kb: Knowledge) -> list[str]:
    """Wire services named by a wire-credit line ("Sumber WSJ, AFP", "(Reuters)")."""
    m = _WIRE_LINE.match(text.strip())
    if m is None:
        return []
    found = []
    for part in _SPLIT.split(m.group("names")):
        outlet = kb.outlet(part)
        wire = kb.wire(part) or (outlet.name if outlet is not None else None)
        if wire is None and part.strip() and part.strip()[0].isupper() and len(part) <= 30:
            wire = part.strip(" .")  # an agency we do not list: keep it as written
        if wire and wire not in found:
            found.append(wire)
    return found


def outlet_from_url(url: str | None, kb: Knowledge) -> str | None:
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    best: tuple[int, str] | None = None
    for outlet in kb.outlets:
        for domain in outlet.domains:
            if host == domain or host.endswith("." + domain):
                if best is None or len(domain) > best[0]:
                    best = (len(domain), outlet.name)
    return best[1] if best else None


def outlet_from_furniture(removed: list[RemovedLine], kb: Knowledge) -> str | None:
    """The outlet named most often by the page's own furniture (timestamps, promos, footers,
    prompts); failing that, the name in a copyright line."""
    votes: Counter[str] = Counter()
    for r in removed:
        for m in kb.outlet_pattern.finditer(r.text):
            outlet = kb.outlet(m.group(1))
            if outlet is not None:
                weight = 3 if r.label in ("timestamp", "dateline", "footer") else 1
                votes[outlet.name] += weight
    if votes:
        return votes.most_common(1)[0][0]
    for r in removed:
        if r.label == "footer":
            named = _COPYRIGHT.search(r.text)
            if named:
                return named.group("name").strip()
    return None


def outlet_from_copyright(removed: list[RemovedLine], kb: Knowledge) -> str | None:
    """A known outlet named by the page's own copyright line ("COPYRIGHT © ANTARA 2016"):
    unlike its other furniture (menus, links to sister sites), that line speaks for the page."""
    for r in removed:
        if r.label != "footer" or not _COPYRIGHT_MARK.search(r.text):
            continue
        for m in kb.outlet_pattern.finditer(r.text):
            outlet = kb.outlet(m.group(1))
            if outlet is not None:
                return outlet.name
    return None
