"""People of a report named by the page: author values from the markup, and the labelled
byline by the headline ("Penulis: ...", "Editor: ...", "By ...").

Desks, outlets, the site's own name, companies and initials are never a person; the words
that say so are data (``warta/lang/<code>/html_meta.toml``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from warta.clean.knowledge import Knowledge
from warta.meta.markup import norm
from warta.meta.pagetext import Text
from warta.meta.people import parse_byline
from warta.meta.vocab import html_words

_MAX_NAME_CHARS = 60
#: How many text nodes after the headline its byline may stand.
_BYLINE_REACH = 60


def is_person(name: str, kb: Knowledge, site_names: list[str]) -> bool:
    if not name or len(name) > _MAX_NAME_CHARS or not any(c.isalpha() for c in name):
        return False
    low = name.casefold()
    if "http" in low or "www." in low or "@" in low or "/" in low:
        return False
    if re.search(r"\.(?:com|id|net|org|co)\b", low):
        return False
    tokens = set(re.findall(r"[\w.]+", low)) | set(low.split())
    if tokens & html_words().not_person:
        return False
    if kb.outlet(name) is not None or kb.outlet_pattern.search(name):
        return False
    if any(s and (s == low or s in low) for s in site_names):
        return False
    if sum(c.isdigit() for c in name) > 2:
        return False
    # A name's words are capitalised, bar particles ("bin", "van"): "Share on Facebook" and
    # newsroom initials ("bgs") are not people.
    particles = html_words().particles
    for word in name.split():
        head = word.lstrip("(\"'‘“")[:1]
        if head.isalpha() and not head.isupper() and word.casefold() not in particles:
            return False
    return True


def people(values: Iterable[str], kb: Knowledge, site_names: list[str]) -> list[str]:
    """Person names from author values: split "A, B dan C", desks and outlets dropped."""
    out: list[str] = []
    for value in values:
        value = norm(value)
        if not value or len(value) > 300:
            continue
        authors, _, _ = parse_byline(value, kb)
        for name in authors:
            name = " ".join(name.split())
            if is_person(name, kb, site_names) and name not in out:
                out.append(name)
    return out


def byline_near(
    texts: list[Text], anchors: list[Text], kb: Knowledge, site_names: list[str]
) -> tuple[list[str], list[str]]:
    """(authors, editors) from labelled bylines ("Penulis: ...", "Editor: ...", "By ...")
    near the headline, or anywhere on a page whose headline was not found."""
    centre = anchors[0].pos if anchors else None
    byline = html_words().byline
    authors: list[str] = []
    editors: list[str] = []
    for i, t in enumerate(texts):
        if centre is not None and not -5 <= t.pos - centre <= _BYLINE_REACH:
            continue
        m = byline.match(t.text)
        if m is None or len(t.text) > 120:
            continue
        # The label and the names often sit in separate elements: read on a little.
        line = t.text
        for follow in texts[i + 1 : i + 4]:
            if len(line) >= 120 or byline.match(follow.text):
                break
            if line[m.end() :].strip(" :|") and not line.rstrip().endswith((":", "|")):
                break
            line = f"{line} {follow.text}"
        found, edited, _ = parse_byline(line, kb)
        for name in found:
            if is_person(name, kb, site_names) and name not in authors:
                authors.append(name)
        for name in edited:
            if is_person(name, kb, site_names) and name not in editors:
                editors.append(name)
        if len(authors) + len(editors) >= 8:
            break
    return authors, editors
