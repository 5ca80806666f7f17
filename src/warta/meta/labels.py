"""The page's language code, section and topic tags, each read from its best source first."""

from __future__ import annotations

import re
from collections.abc import Iterable

from warta.meta.markup import norm
from warta.meta.vocab import html_words

_MAX_TAGS = 40


def language(values: Iterable[str | None]) -> str | None:
    for value in values:
        if not value:
            continue
        m = re.match(r"\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*(?:[,;]|$)", value)
        if m is None:
            continue
        code = m.group(1).lower()
        return {"in": "id", "iw": "he", "ji": "yi"}.get(code, code)  # retired ISO 639 codes
    return None


def tags(values: Iterable[str]) -> list[str]:
    roles = html_words().tag_roles
    out: list[str] = []
    seen: set[str] = set()
    for raw in values:
        tag = norm(raw).strip(" ,;|#")
        if not tag or len(tag) > 80:
            continue
        label, colon, rest = tag.partition(":")
        if colon:
            if label.strip().casefold() in roles:
                continue  # "Editor: Andi" names a person, not a topic
            if not rest.strip():
                continue  # "News:" with nothing after it
        key = tag.casefold()
        if key not in seen:
            seen.add(key)
            out.append(tag)
        if len(out) >= _MAX_TAGS:
            break
    return out


def is_sentence(tags: list[str]) -> bool:
    """Keywords that are a sentence cut at its spaces ("Para, tahanan, itu, ..."), not topics."""
    if len(tags) < 5:
        return False
    words = [t.casefold().strip(".,!?") for t in tags if " " not in t]
    if len(words) < 0.8 * len(tags):
        return False
    return sum(w in html_words().function_words for w in words) >= 3


def section(values: Iterable[str | None]) -> str | None:
    for value in values:
        text = norm(value)
        if not text or len(text) > 60 or "/" in text:
            continue
        if re.fullmatch(r"[\w-]+(?:\.[\w-]+)+", text):  # a host name, not a section
            continue
        return text
    return None
