"""Syndication notices: "Artikel ini telah tayang di Kompas.com dengan judul "...", klik untuk
baca: https://...". The line is furniture (label ``syndication``) but also provenance: the
original outlet, title and URL go into ``Article.syndicated_from``.

The wording lives in ``lang/*/syndication.toml``: a lead phrase that ends where the outlet's name
begins, the markers that introduce the title and the link. The code only splits what follows the
lead into outlet, title and URL, so a new outlet needs no new rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from warta.core import diskcache
from warta.core.record import Syndication
from warta.lang import LANGUAGES, load_toml

_URL = diskcache.compile(r"https?://[^\s\"”'’<>]+")
_QUOTES = "\"“”'‘’«»"
#: An outlet named in a notice is a name, not a clause: at most this many words.
_MAX_OUTLET_WORDS = 6
#: A notice is one line of furniture, not a paragraph that happens to say "tayang di".
MAX_WORDS = 90
_DATE_TAIL = diskcache.compile(r"\s+(pada|on)\s+\S.*$", re.IGNORECASE)
LABEL = "syndication"
_CAMEL = diskcache.compile(r"[a-z][A-Z]")


@dataclass(frozen=True, slots=True)
class _Rules:
    triggers: frozenset[str]
    lead: re.Pattern[str]
    title: re.Pattern[str]
    read: re.Pattern[str]


def _alternation(patterns: Iterable[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    triggers: set[str] = set()
    lead: list[str] = []
    title: list[str] = []
    read: list[str] = []
    for lang in LANGUAGES:
        data = load_toml(lang, "syndication")
        triggers.update(t.lower() for t in data.get("triggers", []))
        lead.extend(data.get("lead", []))
        title.extend(data.get("title_markers", []))
        read.extend(data.get("read_markers", []))
    return _Rules(
        frozenset(triggers),
        diskcache.compile(_alternation(lead), re.IGNORECASE),
        diskcache.compile(_alternation(title), re.IGNORECASE),
        diskcache.compile(_alternation(read), re.IGNORECASE),
    )


def may_be_notice(lowered_words: list[str]) -> bool:
    """Cheap guard: does the line hold one of the notices' trigger words?"""
    return not _rules().triggers.isdisjoint(lowered_words)


def _unquote(text: str) -> str:
    text = text.strip().rstrip(",.;:").strip()
    if len(text) >= 2 and text[0] in _QUOTES and text[-1] in _QUOTES:
        text = text[1:-1]
    return text.strip(_QUOTES + " ").strip()


def parse_notice(line: str) -> Syndication | None:
    """The provenance a notice line states, or None when the line is not a notice."""
    rules = _rules()
    m = rules.lead.match(line)
    if m is None or len(line.split()) > MAX_WORDS:
        return None
    rest = line[m.end() :]
    url_match = _URL.search(rest)
    url = url_match.group(0).rstrip(".,;)") if url_match else None
    if url_match is not None:
        # the prompt before the link ("klik untuk baca:") belongs to neither outlet nor title
        read = None
        for r in rules.read.finditer(rest, 0, url_match.start() + 1):
            if r.end() <= url_match.start():
                read = r
        cut = read.start() if read is not None else url_match.start()
        rest = rest[:cut]
    else:
        # a prompt left dangling at the end, its link on the next line ("..., klik untuk baca:")
        for r in rules.read.finditer(rest):
            if not rest[r.end() :].strip():
                rest = rest[: r.start()]
                break
    t = rules.title.search(rest)
    outlet_part, title = (rest[: t.start()], _unquote(rest[t.end() :])) if t else (rest, None)
    outlet = _unquote(_DATE_TAIL.sub("", outlet_part.strip()))
    if not outlet or len(outlet.split()) > _MAX_OUTLET_WORDS or not _name_like(outlet):
        return None
    return Syndication(outlet=outlet, title=title or None, url=url)


def _name_like(outlet: str) -> bool:
    """An outlet's name: capitalised ("Harian Jogja"), a web name ("kabarbanyumas.id") or a
    joined brand ("detikHealth"); "bahasa Inggris" ("terbit dalam bahasa Inggris") is none."""
    if not outlet[0].isalnum():
        return False
    return outlet[0].isupper() or "." in outlet or _CAMEL.search(outlet) is not None


def link_only(line: str) -> str | None:
    """The URL of a line that is only a link, perhaps after a read prompt ("Klik untuk baca:
    https://..."): the second line of a notice split in two."""
    m = _URL.search(line)
    if m is None:
        return None
    before = line[: m.start()]
    if before.strip() and _rules().read.fullmatch(before) is None:
        return None
    if line[m.end() :].strip(" .,;)"):
        return None
    return m.group(0).rstrip(".,;)")


def provenance(lines: Iterable[tuple[str, str]]) -> Syndication | None:
    """The first notice among ``(label, text)`` lines labelled ``syndication``, its URL taken
    from the link line that follows when the notice itself has none."""
    found: Syndication | None = None
    for label, text in lines:
        if label != LABEL:
            continue
        if found is None:
            found = parse_notice(text)
        elif found.url is None and (url := link_only(text)) is not None:
            return Syndication(found.outlet, found.title, url)
        elif found is not None:
            break
    return found
