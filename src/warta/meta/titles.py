"""The headline of a page: title candidates without the site's name around them, checked
against the page's own headings."""

from __future__ import annotations

import re
from collections.abc import Iterable

from warta.clean.knowledge import Knowledge
from warta.core import diskcache
from warta.meta.markup import norm
from warta.meta.pagetext import comparable

SEPARATOR = diskcache.compile(r"\s+(?:[-|–—»·•~]|::?)\s+")


def _is_site_segment(segment: str, names: list[str], kb: Knowledge, strict: bool) -> bool:
    """Whether a title segment names the site ("Kompas.com Regional", "Tekno Liputan6.com")."""
    low = segment.casefold().strip()
    if not low or len(low.split()) > 6:
        return False
    if kb.outlet(segment) is not None or any(low == n for n in names):
        return True
    if strict:
        return False
    words = set(re.findall(r"[\w.]+", low))
    return any(n in words or (("." in n or " " in n) and n in low) for n in names)


def strip_affixes(title: str, names: list[str], kb: Knowledge) -> str:
    """The headline without the site's name before or after it."""
    text = norm(title)
    strict = not names  # nothing known of the site: only a whole known outlet name is cut
    for name in sorted(names, key=len, reverse=True):
        m = re.match(rf"\s*{re.escape(name)}\s*(?:[:|»·•~–—-]|::)\s*", text, re.IGNORECASE)
        if m is not None and len(text) - m.end() >= 8:
            text = text[m.end() :]
            break
    parts = SEPARATOR.split(text)
    if len(parts) > 1:
        cut = next(
            (k for k in range(1, len(parts)) if _is_site_segment(parts[k], names, kb, strict)),
            None,
        )
        if cut is not None:
            kept = parts[:cut]
            # A section name left between headline and site: "Title - Health :: Okezone".
            while len(kept) > 1 and len(kept[-1].split()) <= 2 and len(kept[0].split()) >= 4:
                kept.pop()
            separators = SEPARATOR.findall(text)
            text = kept[0] + "".join(s + p for s, p in zip(separators, kept[1:]))
        elif _is_site_segment(parts[0], names, kb, strict) and len(parts) == 2:
            text = parts[1]
    return text.strip() or norm(title)


def choose_title(candidates: list[str], headings: list[str]) -> str | None:
    """The candidate the page's own headings confirm; else a heading inside a candidate;
    else the best candidate."""
    keyed = [(comparable(h), h) for h in headings if len(comparable(h)) >= 8]
    for cand in candidates:
        key = comparable(cand)
        if any(key == k for k, _ in keyed):
            return cand
    for cand in candidates:
        key = comparable(cand)
        for k, heading in keyed:
            if len(k.split()) >= 3 and k in key and len(k) >= 0.5 * len(key):
                return heading
    if candidates:
        return candidates[0]
    return next((h for k, h in keyed if len(k.split()) >= 3), None)


def site_name(values: Iterable[str | None]) -> str | None:
    """The first value that reads as a name: a title put in og:site_name is not one."""
    for value in values:
        text = norm(value)
        if text and len(text.split()) <= 6 and len(text) <= 60 and not SEPARATOR.search(text):
            return text
    return None
