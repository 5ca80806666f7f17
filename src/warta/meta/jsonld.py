"""JSON-LD of a news page: the report's own node and what it says (headline, times, people).

Nodes are found at the top, in lists, in ``@graph`` or nested under another node, and ``@id``
references are resolved. The report's node is the shallowest article-typed one
(``NewsArticle``, ``Article``, ``ReportageNews``, ``BlogPosting`` ...); deeper articles are
lists of related reports. Broken JSON (trailing commas, raw control characters, comment
wrappers, several objects back to back) is repaired; what still does not parse is searched
for its few key strings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from warta.core import diskcache
from warta.meta.markup import norm

__all__ = ["LdFacts", "json_ld"]

#: schema.org types whose node describes the report itself.
_ARTICLE_TYPES = frozenset(
    {
        "newsarticle",
        "article",
        "reportagenews",
        "blogposting",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "reviewnewsarticle",
        "backgroundnewsarticle",
        "askpublicnewsarticle",
        "liveblogposting",
        "socialmediaposting",
        "scholarlyarticle",
        "techarticle",
        "report",
    }
)
#: Nodes that may carry a page's dates when no article node does.
_PAGE_TYPES = frozenset({"webpage", "itempage", "collectionpage"})
ORG_TYPES = frozenset({"organization", "newsmediaorganization", "corporation", "brand"})

#: A JSON-LD script larger than this is not parsed (no real article's is near it).
_MAX_LD_CHARS = 2_000_000
#: Walk limits for JSON-LD: nesting depth and dict nodes visited.
_MAX_LD_DEPTH = 12
_MAX_LD_NODES = 5_000


@dataclass(slots=True)
class LdFacts:
    """What the report's JSON-LD node (or, failing it, the page's node) says."""

    headline: str | None = None
    published: str | None = None
    created: str | None = None
    modified: str | None = None
    authors: list[str] = field(default_factory=list)
    section: str | None = None
    keywords: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    publisher: str | None = None
    description: str | None = None
    language: str | None = None


_LD_WRAPPER = diskcache.compile(r"^\s*(?://\s*)?(?:<!--|<!\[CDATA\[)|(?://\s*)?(?:-->|\]\]>)\s*$")
_CONTROL = diskcache.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TRAILING_COMMA = diskcache.compile(r",(\s*[}\]])")
_LD_STRING_KEYS = ("headline", "datePublished", "dateModified", "dateCreated", "articleSection")


def _load_json(text: str) -> list[Any]:
    """Every JSON value in a script's text, repairing the usual breakage; [] if none."""
    text = _LD_WRAPPER.sub("", text.strip())
    try:
        return [json.loads(text, strict=False)]
    except (ValueError, RecursionError):
        pass
    repaired = _TRAILING_COMMA.sub(r"\1", _CONTROL.sub(" ", text))
    try:
        return [json.loads(repaired, strict=False)]
    except (ValueError, RecursionError):
        pass
    decoder = json.JSONDecoder(strict=False)
    found: list[Any] = []
    i = 0
    while len(found) < 20:
        starts = [p for p in (repaired.find("{", i), repaired.find("[", i)) if p >= 0]
        if not starts:
            break
        start = min(starts)
        try:
            value, end = decoder.raw_decode(repaired, start)
        except (ValueError, RecursionError):
            i = start + 1
            continue
        found.append(value)
        i = end
    if not found:  # beyond repair: harvest the few strings that matter
        salvage: dict[str, Any] = {"@type": "NewsArticle"}
        for key in _LD_STRING_KEYS:
            m = re.search(rf'"{key}"\s*:\s*"((?:[^"\\]|\\.){{1,500}})"', repaired)
            if m is not None:
                salvage[key] = m.group(1).replace('\\"', '"').replace("\\/", "/")
        if len(salvage) > 1:
            found.append(salvage)
    return found


def _types(node: dict[str, Any]) -> set[str]:
    raw = node.get("@type")
    names = raw if isinstance(raw, list) else [raw]
    out = set()
    for name in names:
        if isinstance(name, str):
            out.add(re.split(r"[/:#]", name.strip())[-1].lower())
    return out


def _walk(value: Any, out: list[tuple[int, dict[str, Any]]], depth: int = 0) -> None:
    """Every dict in ``value`` with its depth, in document order, within the walk limits."""
    if depth > _MAX_LD_DEPTH or len(out) >= _MAX_LD_NODES:
        return
    if isinstance(value, dict):
        out.append((depth, value))
        for child in value.values():
            if isinstance(child, dict | list):
                _walk(child, out, depth + 1)
    elif isinstance(value, list):
        for child in value:
            if isinstance(child, dict | list):
                _walk(child, out, depth + 1)


def _text_of(value: Any) -> str | None:
    """A plain string from a JSON-LD value: a string, a number, or a node's name/@value."""
    if isinstance(value, str):
        return norm(value) or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dict):
        for key in ("@value", "name", "@id", "url"):
            text = _text_of(value.get(key))
            if text:
                return text
    if isinstance(value, list):
        for item in value:
            text = _text_of(item)
            if text:
                return text
    return None


def _flat_strings(value: Any, depth: int = 0) -> Iterator[str]:
    if depth > 4:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _flat_strings(item, depth + 1)


def _ld_people(value: Any, ids: dict[str, dict[str, Any]]) -> list[str]:
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in items[:20]:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict):
            ref = item.get("@id")
            if "name" not in item and isinstance(ref, str) and ref in ids:
                item = ids[ref]
            if _types(item) & ORG_TYPES:
                continue
            name = _text_of(item.get("name"))
            if name:
                out.append(name)
    return out


def json_ld(tree: LexborHTMLParser) -> LdFacts:
    """The facts of every ``application/ld+json`` script of the page, report node first."""
    found: list[tuple[int, dict[str, Any]]] = []
    for script in tree.css("script"):
        kind = (script.attributes.get("type") or "").lower()
        if "ld+json" not in kind:
            continue
        text = script.text(deep=True) or ""
        if len(text) > _MAX_LD_CHARS:
            continue
        for value in _load_json(text):
            _walk(value, found)
    facts = LdFacts()
    if not found:
        return facts
    nodes = [n for _, n in found]
    ids = {
        n["@id"]: n for n in nodes if isinstance(n.get("@id"), str) and len(n) > 2 and "@type" in n
    }
    # The report's own node stands near the top (alone, in @graph, or as a page's mainEntity);
    # articles deeper down are lists of related reports.
    articles = sorted((d, i) for i, (d, n) in enumerate(found) if _types(n) & _ARTICLE_TYPES)
    pages = [i for i, (_, n) in enumerate(found) if _types(n) & _PAGE_TYPES]
    ordered = [(nodes[i], True) for _, i in articles] + [(nodes[i], False) for i in pages]
    for node, is_article in ordered:
        facts.headline = facts.headline or _text_of(node.get("headline"))
        facts.published = facts.published or _text_of(node.get("datePublished"))
        facts.created = facts.created or _text_of(node.get("dateCreated"))
        facts.modified = facts.modified or _text_of(node.get("dateModified"))
        facts.section = facts.section or _text_of(node.get("articleSection"))
        facts.description = facts.description or _text_of(node.get("description"))
        facts.language = facts.language or _text_of(node.get("inLanguage"))
        if facts.publisher is None:
            facts.publisher = _name_of(node.get("publisher"), ids)
        if is_article:
            if not facts.authors:
                facts.authors = _ld_people(node.get("author"), ids)
            if not facts.keywords:
                kw = node.get("keywords")
                facts.keywords = kw.split(",") if isinstance(kw, str) else list(_flat_strings(kw))
            for key in ("url", "mainEntityOfPage"):
                url = _text_of(node.get(key))
                if url:
                    facts.urls.append(url)
            if facts.headline and facts.published:
                break
    if facts.publisher is None:
        for node in nodes:
            if _types(node) & ORG_TYPES:
                facts.publisher = _name_of(node, ids)
                if facts.publisher:
                    break
    return facts


def _name_of(value: Any, ids: dict[str, dict[str, Any]]) -> str | None:
    """An organisation's name: a string, or a node's ``name`` (through an ``@id`` reference)."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, str):
        return norm(value) or None
    if isinstance(value, dict):
        ref = value.get("@id")
        if "name" not in value and isinstance(ref, str):
            value = ids.get(ref, value)
        name = value.get("name")
        return norm(name) or None if isinstance(name, str) else None
    return None
