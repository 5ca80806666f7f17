"""Metadata of a news page read from its HTML: title, times, people, section, tags, URL.

Sources, best first:

1. JSON-LD (``NewsArticle``, ``Article``, ``ReportageNews``, ``BlogPosting`` ... found at the
   top, in lists, in ``@graph`` or nested under another node; ``@id`` references resolved).
   Broken JSON (trailing commas, raw control characters, comment wrappers, several objects back
   to back) is repaired; what still does not parse is searched for its few key strings.
2. OpenGraph and ``article:*`` meta tags, then the other common meta tags (``pubdate``,
   ``dc.date``, ``datePublished`` microdata, ``keywords``, ``author``, ...), read in one pass.
3. ``<time datetime>`` marked as the publish time (``itemprop``/``pubdate``).
4. Visible text near the headline: the date line and the byline next to it, read with
   :func:`warta.meta.dates.find_datetimes` and :func:`warta.meta.people.parse_byline`.
5. A date in the URL (``/2015/11/18/``, ``/20151118/``, ``-20151118``), as a last resort.

Times keep the page's own UTC offset. An ISO string with an offset is taken as written and
``Z`` stays UTC (the same instant). A naive time gets the page's zone: the zone written on the
visible date line, else the outlet's zone from :func:`warta.clean.knowledge.knowledge` (WIB for
the national Indonesian outlets), else the zone most visible timestamps on the page name.
One consistency check overrides a structured time: some CMSes print local time with a ``Z``
("2015-11-05T10:08:58Z" on a page that shows "10:08 WIB"); when the page's own date line
agrees with the local reading and not with the UTC one, the local reading is kept.

Authors come from JSON-LD, microdata, meta ``author``, then a labelled byline by the headline;
desks, outlets, the site's own name, companies and initials are never a person. When the
visible byline calls the structured "author" the editor ("Editor: ..."), its author wins.

The words involved (byline labels, desk and company words) are data:
``warta/lang/<code>/html_meta.toml``. Nothing here knows a particular site's markup.
:func:`html_metadata` never raises: a field it cannot read is ``None`` or empty.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from warta.clean.knowledge import Knowledge, Outlet, knowledge
from warta.lang import LANGUAGES, load_toml, load_words
from warta.meta.dates import ZONE_OFFSETS, DateMatch, find_datetimes
from warta.meta.people import parse_byline

__all__ = ["HtmlMetadata", "html_metadata"]


@dataclass(slots=True)
class HtmlMetadata:
    """What a page's HTML says about the report on it (``None``/empty where it says nothing)."""

    title: str | None = None
    published: datetime | None = None  # timezone-aware whenever the page gives an offset or zone
    published_raw: str | None = None  # the string it came from
    published_source: str | None = None  # "json-ld" | "meta" | "time" | "visible" | "url"
    modified: datetime | None = None
    authors: list[str] = field(default_factory=list)
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    canonical_url: str | None = None
    site_name: str | None = None  # og:site_name / JSON-LD publisher.name
    language: str | None = None  # JSON-LD inLanguage, og:locale, content-language, <html lang>
    description: str | None = None


# --------------------------------------------------------------------------- vocabulary

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
_ORG_TYPES = frozenset({"organization", "newsmediaorganization", "corporation", "brand"})

#: Meta keys (lower-cased name/property/itemprop) for the publish time, best first.
_META_PUBLISHED = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "article:published",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "publication_date",
    "published_time",
    "published-date",
    "article.published",
    "article_date_original",
    "original-publish-date",
    "parsely-pub-date",
    "sailthru.date",
    "content_publisheddate",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dc.date.created",
    "dcterms.created",
    "date",
    "datecreated",
)
_META_MODIFIED = (
    "article:modified_time",
    "og:article:modified_time",
    "og:updated_time",
    "article:modified",
    "datemodified",
    "dc.date.modified",
    "dcterms.modified",
    "last-modified",
    "lastmod",
    "updated_time",
)
_META_SECTION = ("article:section", "articlesection", "section", "category", "article.section")
_META_TAGS = ("news_keywords", "keywords")
_META_AUTHOR = (
    "author",
    "article:author",
    "dc.creator",
    "dcterms.creator",
    "byl",
    "sailthru.author",
)
_META_TITLE = ("og:title", "twitter:title", "title", "dc.title", "headline")
_META_DESCRIPTION = ("og:description", "description", "twitter:description", "dc.description")
_META_LANGUAGE = ("og:locale", "content-language", "language", "inlanguage", "dc.language")

#: A JSON-LD script larger than this is not parsed (no real article's is near it).
_MAX_LD_CHARS = 2_000_000
#: Walk limits for JSON-LD: nesting depth and dict nodes visited.
_MAX_LD_DEPTH = 12
_MAX_LD_NODES = 5_000
#: Text nodes longer than this are running text, not a headline, date line or byline.
_SHORT_TEXT = 300
_DATE_TEXT = 160
#: How many text nodes from the headline its date line and byline may stand.
_DATE_REACH = 8
_BYLINE_REACH = 60
#: Two readings of a time "agree" with the visible date line when this close.
_AGREE = timedelta(hours=2)
_MAX_TAGS = 40
_MAX_NAME_CHARS = 60


@dataclass(frozen=True, slots=True)
class _Words:
    byline: re.Pattern[str]
    not_person: frozenset[str]
    tag_roles: frozenset[str]
    particles: frozenset[str]
    function_words: frozenset[str]


@lru_cache(maxsize=1)
def _words() -> _Words:
    labels: list[str] = []
    not_person: set[str] = set()
    roles: set[str] = set()
    particles: set[str] = set()
    function_words: set[str] = set()
    for lang in LANGUAGES:
        function_words |= load_words(lang, "function_words")
        data = load_toml(lang, "html_meta")
        labels += [str(w).lower() for w in data.get("byline_labels", [])]
        not_person |= {str(w).lower() for w in data.get("not_person_words", [])}
        roles |= {str(w).lower() for w in data.get("tag_role_labels", [])}
        particles |= {str(w).lower() for w in data.get("name_particles", [])}
    alternatives = "|".join(
        r"\s+".join(re.escape(part) for part in w.split())
        for w in sorted(set(labels), key=len, reverse=True)
    )
    byline = re.compile(rf"^(?:{alternatives or '(?!)'})\b\s*[:|]?", re.IGNORECASE)
    return _Words(
        byline=byline,
        not_person=frozenset(not_person),
        tag_roles=frozenset(roles),
        particles=frozenset(particles),
        function_words=frozenset(function_words),
    )


# --------------------------------------------------------------------------- small helpers


def _norm(text: str | None) -> str:
    """White space collapsed, entities that survived once decoded."""
    if not text:
        return ""
    if "&" in text and ";" in text:
        text = html_lib.unescape(text)
    return " ".join(text.split())


def _absolute(value: str | None, base: str | None) -> str | None:
    value = _norm(value)
    if not value or len(value) > 2_000:
        return None
    try:
        resolved = urljoin(base or "", value)
        parts = urlsplit(resolved)
    except ValueError:  # "http://[" and other malformed URLs
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return resolved


def _host(url: str | None) -> str:
    if not url:
        return ""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def _host_label(host: str) -> str | None:
    """The name part of a host: "news.okezone.com" -> "okezone", "x.co.id" -> "x"."""
    labels = [p for p in host.split(".") if p and p != "www"]
    if len(labels) < 2:
        return None
    labels = labels[:-1]  # the top-level domain
    if len(labels) >= 2 and labels[-1] in {"co", "com", "or", "go", "ac", "net", "org", "web"}:
        labels = labels[:-1]
    label = labels[-1]
    return label if len(label) >= 4 else None


def _outlet_for(url: str | None, names: Iterable[str], kb: Knowledge) -> Outlet | None:
    """The outlet of the page: by the URL's domain, else by a name the page calls itself."""
    host = _host(url)
    best: tuple[int, Outlet] | None = None
    if host:
        for outlet in kb.outlets:
            for domain in outlet.domains:
                if (host == domain or host.endswith("." + domain)) and (
                    best is None or len(domain) > best[0]
                ):
                    best = (len(domain), outlet)
    if best is not None:
        return best[1]
    for name in names:
        named = kb.outlet(name)
        if named is not None:
            return named
    return None


# --------------------------------------------------------------------------- times


@dataclass(frozen=True, slots=True)
class _When:
    value: datetime
    raw: str
    source: str
    has_time: bool
    utc_claimed: bool  # written as Z / +00:00: maybe a local time mislabelled (see module doc)


_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T\s]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d{1,9})?)?)?"
    r"\s*(?P<z>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?\s*$",
    re.IGNORECASE,
)
_EPOCH = re.compile(r"\d{10}(?:\d{3})?")


def _parse_when(raw: str | None, source: str) -> _When | None:
    """An ISO 8601 string (loosely written), a Unix time, or any date find_datetimes reads."""
    text = _norm(raw)
    if not text or len(text) > 200:
        return None
    try:
        m = _ISO.match(text)
        if m is not None:
            zone: tzinfo | None = None
            z = m.group("z")
            utc = False
            if z:
                if z.upper() in ("Z", "UTC", "GMT"):
                    zone, utc = UTC, True
                else:
                    sign = -1 if z[0] == "-" else 1
                    digits = z[1:].replace(":", "")
                    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
                    if delta > timedelta(hours=14):
                        return None
                    zone = timezone(sign * delta)
                    utc = delta == timedelta(0)
            has_time = m.group("H") is not None
            if not has_time:
                zone, utc = None, False  # a date alone is a calendar day, not an instant
            value = datetime(
                int(m.group("y")),
                int(m.group("m")),
                int(m.group("d")),
                int(m.group("H") or 0),
                int(m.group("M") or 0),
                int(m.group("S") or 0),
                tzinfo=zone,
            )
            return _plausible(_When(value, text, source, has_time, utc))
        if _EPOCH.fullmatch(text):
            seconds = int(text) / (1000 if len(text) == 13 else 1)
            value = datetime.fromtimestamp(seconds, UTC)
            return _plausible(_When(value, text, source, True, False))
    except (ValueError, OverflowError, OSError):
        return None
    for match in find_datetimes(text):
        return _plausible(_from_match(match, source))
    return None


def _plausible(when: _When) -> _When | None:
    return when if 1990 <= when.value.year <= 2100 else None


def _from_match(match: DateMatch, source: str, raw: str | None = None) -> _When:
    return _When(
        value=match.value,
        raw=raw or match.raw,
        source=source,
        has_time=match.has_time,
        utc_claimed=match.zone == "+00:00",
    )


def _localise(when: _When, zone: tzinfo | None) -> _When:
    """A naive time takes the page's zone (see the module docstring for how it is chosen)."""
    if when.value.tzinfo is not None or zone is None or not when.has_time:
        return when  # a date without a time is not an instant: it stays naive
    return _When(when.value.replace(tzinfo=zone), when.raw, when.source, when.has_time, False)


def _as_local(when: _When, zone: tzinfo) -> _When:
    """The same wall-clock time read in ``zone`` instead of UTC."""
    return _When(
        when.value.replace(tzinfo=zone), when.raw, when.source, when.has_time, utc_claimed=False
    )


_URL_DATES = (
    re.compile(r"/((?:19|20)\d\d)/(\d{1,2})/(\d{1,2})(?=/|$|[-_.])"),
    re.compile(r"/((?:19|20)\d\d)-(\d{2})-(\d{2})(?=/|$|[-_.])"),
    re.compile(r"[/_-]((?:19|20)\d\d)(\d{2})(\d{2})(?=/|$|[-_.])"),
)


def _url_date(url: str | None) -> _When | None:
    if not url:
        return None
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    for pattern in _URL_DATES:
        for m in pattern.finditer(path):
            try:
                value = datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
            found = _plausible(_When(value, m.group(0), "url", False, False))
            if found is not None:
                return found
    return None


# --------------------------------------------------------------------------- JSON-LD


@dataclass(slots=True)
class _LdFacts:
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


_LD_WRAPPER = re.compile(r"^\s*(?://\s*)?(?:<!--|<!\[CDATA\[)|(?://\s*)?(?:-->|\]\]>)\s*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")
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
        return _norm(value) or None
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
            if _types(item) & _ORG_TYPES:
                continue
            name = _text_of(item.get("name"))
            if name:
                out.append(name)
    return out


def _json_ld(tree: LexborHTMLParser) -> _LdFacts:
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
    facts = _LdFacts()
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
            if _types(node) & _ORG_TYPES:
                facts.publisher = _name_of(node, ids)
                if facts.publisher:
                    break
    return facts


def _name_of(value: Any, ids: dict[str, dict[str, Any]]) -> str | None:
    """An organisation's name: a string, or a node's ``name`` (through an ``@id`` reference)."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, str):
        return _norm(value) or None
    if isinstance(value, dict):
        ref = value.get("@id")
        if "name" not in value and isinstance(ref, str):
            value = ids.get(ref, value)
        name = value.get("name")
        return _norm(name) or None if isinstance(name, str) else None
    return None


# --------------------------------------------------------------------------- meta tags


def _meta_tags(tree: LexborHTMLParser) -> dict[str, list[str]]:
    """Every meta tag's content under each of its keys (lower-cased), in page order."""
    out: dict[str, list[str]] = {}
    for node in tree.css("meta"):
        attrs = node.attributes
        content = attrs.get("content")
        if content is None:
            continue
        content = _norm(content)
        if not content:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = attrs.get(attr)
            if key:
                out.setdefault(key.strip().lower(), []).append(content)
    return out


def _first(meta: dict[str, list[str]], keys: Iterable[str]) -> str | None:
    for key in keys:
        for value in meta.get(key, ()):
            if value:
                return value
    return None


def _microdata(tree: LexborHTMLParser) -> tuple[list[tuple[str, str]], list[str]]:
    """(time props, author names) from non-meta microdata and ``<time>`` elements.

    Times: ``[itemprop=datePublished|dateModified]`` with ``content``/``datetime``, and
    ``<time pubdate>``; returned as (key, value) with key "published" or "modified".
    """
    times: list[tuple[str, str]] = []
    authors: list[str] = []
    for node in tree.css("[itemprop], time[pubdate]"):
        if node.tag == "meta":
            continue
        attrs = node.attributes
        props = (attrs.get("itemprop") or "").lower().split()
        value = attrs.get("datetime") or attrs.get("content")
        if "datepublished" in props or "pubdate" in attrs:
            if value:
                times.append(("published", value))
            elif node.tag == "time":
                times.append(("published", node.text(deep=True) or ""))
        elif "datemodified" in props and value:
            times.append(("modified", value))
        elif "author" in props or "creator" in props:
            name_node = node.css_first("[itemprop=name]")
            text = _norm((name_node or node).text(deep=True))
            if text and len(text) <= 80:
                authors.append(text)
    return times, authors


# --------------------------------------------------------------------------- visible text

_SKIP_TEXT_PARENTS = frozenset({"script", "style", "noscript", "template", "textarea", "title"})
_HEADINGS = frozenset({"h1", "h2", "h3"})


@dataclass(frozen=True, slots=True)
class _Text:
    pos: int  # index among the page's non-blank text nodes
    text: str  # white space collapsed
    rank: int  # 2 in a heading, 1 plain, 0 in a link
    node: LexborNode


def _visible_texts(tree: LexborHTMLParser) -> list[_Text]:
    """The short text nodes of the body, in order (long ones only advance ``pos``)."""
    body = tree.body
    if body is None:
        return []
    out: list[_Text] = []
    pos = 0
    for node in body.traverse(include_text=True):
        if node.tag != "-text":
            continue
        raw = node.text_content
        if not raw or raw.isspace():
            continue
        parent = node.parent
        if parent is not None and parent.tag in _SKIP_TEXT_PARENTS:
            continue
        pos += 1
        if len(raw) > _SHORT_TEXT * 2:
            continue
        text = " ".join(raw.split())
        if len(text) > _SHORT_TEXT:
            continue
        rank = 1
        up = parent
        for _ in range(4):
            if up is None:
                break
            if up.tag in _HEADINGS:
                rank = 2
                break
            if up.tag == "a":
                rank = 0
            up = up.parent
        out.append(_Text(pos, text, rank, node))
    return out


def _comparable(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def _anchors(texts: list[_Text], title: str | None) -> list[_Text]:
    """Text nodes that show the headline: in headings first, links last, then page order."""
    if not title:
        return []
    key = _comparable(title)
    if len(key) < 8:
        return []
    found = []
    first_word = key.split()[0]
    for i, t in enumerate(texts):
        if first_word not in t.text.casefold():
            continue
        cmp = _comparable(t.text)
        if cmp == key or (
            len(t.text) >= len(title) * 0.6 and key in cmp and len(cmp) <= len(key) * 1.5 + 10
        ):
            found.append(t)
        elif cmp and key.startswith(cmp):
            # a headline split over elements: "Suspect caught in US black<br>church ..."
            joined = cmp
            for follow in texts[i + 1 : i + 4]:
                joined = f"{joined} {_comparable(follow.text)}".strip()
                if joined == key:
                    found.append(t)
                    break
                if not key.startswith(joined):
                    break
    return sorted(found, key=lambda t: (-t.rank, t.pos))


def _time_element(node: LexborNode) -> str | None:
    """The ``datetime`` of a ``<time>`` element around a text node, if any."""
    up = node.parent
    for _ in range(3):
        if up is None:
            return None
        if up.tag == "time":
            return up.attributes.get("datetime")
        up = up.parent
    return None


_TWO_DIGITS = re.compile(r"\d\d")


@dataclass(frozen=True, slots=True)
class _Dated:
    pos: int
    match: DateMatch
    node: LexborNode


def _visible_dates(texts: list[_Text]) -> list[_Dated]:
    """Dates on short text nodes; a date with no time borrows the next node ("Senin, 15/2"
    then "16:15 WIB" in two elements)."""
    out: list[_Dated] = []
    for i, t in enumerate(texts):
        if len(t.text) > _DATE_TEXT or _TWO_DIGITS.search(t.text) is None:
            continue
        matches = find_datetimes(t.text)
        if not matches:
            continue
        if not any(m.has_time for m in matches) and i + 1 < len(texts):
            joined = find_datetimes(f"{t.text} {texts[i + 1].text}"[: _DATE_TEXT * 2])
            if any(m.has_time for m in joined):
                matches = joined
        out.extend(_Dated(t.pos, m, t.node) for m in matches)
    return out


def _near(dates: list[_Dated], anchors: list[_Text]) -> list[_Dated]:
    """The dates within reach of the first headline occurrence that has any, nearest first
    (a date after the headline wins a tie)."""
    for anchor in anchors:
        close = [d for d in dates if abs(d.pos - anchor.pos) <= _DATE_REACH]
        if close:
            return sorted(close, key=lambda d: (abs(d.pos - anchor.pos), d.pos < anchor.pos))
    return []


def _visible_when(dated: _Dated) -> _When:
    """A visible date; a ``<time datetime>`` around it is more precise, and preferred."""
    attr = _time_element(dated.node)
    if attr:
        parsed = _parse_when(attr, "time")
        if parsed is not None and parsed.value.date() == dated.match.value.date():
            return parsed
    return _from_match(dated.match, "visible")


# --------------------------------------------------------------------------- people


def _is_person(name: str, kb: Knowledge, site_names: list[str]) -> bool:
    if not name or len(name) > _MAX_NAME_CHARS or not any(c.isalpha() for c in name):
        return False
    low = name.casefold()
    if "http" in low or "www." in low or "@" in low or "/" in low:
        return False
    if re.search(r"\.(?:com|id|net|org|co)\b", low):
        return False
    tokens = set(re.findall(r"[\w.]+", low)) | set(low.split())
    if tokens & _words().not_person:
        return False
    if kb.outlet(name) is not None or kb.outlet_pattern.search(name):
        return False
    if any(s and (s == low or s in low) for s in site_names):
        return False
    if sum(c.isdigit() for c in name) > 2:
        return False
    # A name's words are capitalised, bar particles ("bin", "van"): "Share on Facebook" and
    # newsroom initials ("bgs") are not people.
    particles = _words().particles
    for word in name.split():
        head = word.lstrip("(\"'‘“")[:1]
        if head.isalpha() and not head.isupper() and word.casefold() not in particles:
            return False
    return True


def _people(values: Iterable[str], kb: Knowledge, site_names: list[str]) -> list[str]:
    """Person names from author values: split "A, B dan C", desks and outlets dropped."""
    out: list[str] = []
    for value in values:
        value = _norm(value)
        if not value or len(value) > 300:
            continue
        authors, _, _ = parse_byline(value, kb)
        for name in authors:
            name = " ".join(name.split())
            if _is_person(name, kb, site_names) and name not in out:
                out.append(name)
    return out


def _byline_near(
    texts: list[_Text], anchors: list[_Text], kb: Knowledge, site_names: list[str]
) -> tuple[list[str], list[str]]:
    """(authors, editors) from labelled bylines ("Penulis: ...", "Editor: ...", "By ...")
    near the headline, or anywhere on a page whose headline was not found."""
    centre = anchors[0].pos if anchors else None
    byline = _words().byline
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
            if _is_person(name, kb, site_names) and name not in authors:
                authors.append(name)
        for name in edited:
            if _is_person(name, kb, site_names) and name not in editors:
                editors.append(name)
        if len(authors) + len(editors) >= 8:
            break
    return authors, editors


# --------------------------------------------------------------------------- title

_SEPARATOR = re.compile(r"\s+(?:[-|–—»·•~]|::?)\s+")


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


def _strip_affixes(title: str, names: list[str], kb: Knowledge) -> str:
    """The headline without the site's name before or after it."""
    text = _norm(title)
    strict = not names  # nothing known of the site: only a whole known outlet name is cut
    for name in sorted(names, key=len, reverse=True):
        m = re.match(rf"\s*{re.escape(name)}\s*(?:[:|»·•~–—-]|::)\s*", text, re.IGNORECASE)
        if m is not None and len(text) - m.end() >= 8:
            text = text[m.end() :]
            break
    parts = _SEPARATOR.split(text)
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
            separators = _SEPARATOR.findall(text)
            text = kept[0] + "".join(s + p for s, p in zip(separators, kept[1:]))
        elif _is_site_segment(parts[0], names, kb, strict) and len(parts) == 2:
            text = parts[1]
    return text.strip() or _norm(title)


def _choose_title(candidates: list[str], headings: list[str]) -> str | None:
    """The candidate the page's own headings confirm; else a heading inside a candidate;
    else the best candidate."""
    keyed = [(_comparable(h), h) for h in headings if len(_comparable(h)) >= 8]
    for cand in candidates:
        key = _comparable(cand)
        if any(key == k for k, _ in keyed):
            return cand
    for cand in candidates:
        key = _comparable(cand)
        for k, heading in keyed:
            if len(k.split()) >= 3 and k in key and len(k) >= 0.5 * len(key):
                return heading
    if candidates:
        return candidates[0]
    return next((h for k, h in keyed if len(k.split()) >= 3), None)


# --------------------------------------------------------------------------- the rest


def _language(values: Iterable[str | None]) -> str | None:
    for value in values:
        if not value:
            continue
        m = re.match(r"\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*(?:[,;]|$)", value)
        if m is None:
            continue
        code = m.group(1).lower()
        return {"in": "id", "iw": "he", "ji": "yi"}.get(code, code)  # retired ISO 639 codes
    return None


def _tags(values: Iterable[str]) -> list[str]:
    roles = _words().tag_roles
    out: list[str] = []
    seen: set[str] = set()
    for raw in values:
        tag = _norm(raw).strip(" ,;|#")
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


def _is_sentence(tags: list[str]) -> bool:
    """Keywords that are a sentence cut at its spaces ("Para, tahanan, itu, ..."), not topics."""
    if len(tags) < 5:
        return False
    words = [t.casefold().strip(".,!?") for t in tags if " " not in t]
    if len(words) < 0.8 * len(tags):
        return False
    return sum(w in _words().function_words for w in words) >= 3


def _section(values: Iterable[str | None]) -> str | None:
    for value in values:
        text = _norm(value)
        if not text or len(text) > 60 or "/" in text:
            continue
        if re.fullmatch(r"[\w-]+(?:\.[\w-]+)+", text):  # a host name, not a section
            continue
        return text
    return None


def _site_name(values: Iterable[str | None]) -> str | None:
    """The first value that reads as a name: a title put in og:site_name is not one."""
    for value in values:
        text = _norm(value)
        if text and len(text.split()) <= 6 and len(text) <= 60 and not _SEPARATOR.search(text):
            return text
    return None


def _page_zone(near: list[_Dated], dates: list[_Dated], outlet: Outlet | None) -> tzinfo | None:
    """The zone the page's naive times are in (see the module docstring)."""
    for d in near:
        if d.match.value.tzinfo is not None and d.match.has_time:
            return d.match.value.tzinfo
    if outlet is not None and outlet.zone and outlet.zone in ZONE_OFFSETS:
        # A naive time on an Indonesian outlet's page is in the outlet's zone (WIB for the
        # national outlets), as knowledge() records it.
        return timezone(ZONE_OFFSETS[outlet.zone], outlet.zone)
    named = Counter(
        d.match.zone for d in dates if d.match.zone in ZONE_OFFSETS and d.match.has_time
    )
    if named:
        zone = named.most_common(1)[0][0]
        assert zone is not None
        return timezone(ZONE_OFFSETS[zone], zone)
    return None


def _check_utc(when: _When, visible: _When | None) -> _When:
    """A structured time written as UTC that the page's own date line shows is local time
    ("10:08:58Z" beside "10:08 WIB") is read as local time."""
    if not when.utc_claimed or visible is None or visible.value.tzinfo is None:
        return when
    local_zone = visible.value.tzinfo
    offset = visible.value.utcoffset()
    if offset is None or offset == timedelta(0):
        return when
    local = _as_local(when, local_zone)
    as_utc = abs(when.value - visible.value)
    as_local = abs(local.value - visible.value)
    if as_local <= _AGREE and as_local < as_utc:
        return local
    return when


def _pick(cands: list[_When | None]) -> _When | None:
    """The first candidate with a time; failing that, the first with a date only."""
    real = [c for c in cands if c is not None]
    return next((c for c in real if c.has_time), real[0] if real else None)


def html_metadata(tree: LexborHTMLParser, url: str | None) -> HtmlMetadata:
    """Read the metadata of the page parsed as ``tree`` (fetched from ``url``, if known)."""
    kb = knowledge()
    meta = _meta_tags(tree)
    ld = _json_ld(tree)
    micro_times, micro_authors = _microdata(tree)
    texts = _visible_texts(tree)

    site_name = _site_name([_first(meta, ("og:site_name", "application-name")), ld.publisher])
    outlet = _outlet_for(url, [n for n in (site_name, ld.publisher) if n], kb)
    site_names = [
        n.casefold()
        for n in (
            site_name,
            ld.publisher,
            *(outlet.aliases if outlet else ()),
            outlet.name if outlet else None,
            _host_label(_host(url)),
        )
        if n
    ]
    site_names = list(dict.fromkeys(site_names))

    # Title ---------------------------------------------------------------------------
    title_node = tree.css_first("title")
    raw_titles = [
        ld.headline,
        *(_first(meta, (k,)) for k in _META_TITLE),
        _norm(title_node.text()) if title_node is not None else None,
    ]
    candidates = []
    for raw in raw_titles:
        if raw:
            cleaned = _strip_affixes(raw, site_names, kb)
            if cleaned and cleaned.casefold() not in site_names and cleaned not in candidates:
                candidates.append(cleaned)
    headings = [_norm(h.text(deep=True)) for h in tree.css("h1")]
    headings += [_norm(h.text(deep=True)) for h in tree.css("h2")][:20]
    title = _choose_title(candidates, headings)

    # Times ---------------------------------------------------------------------------
    anchors = _anchors(texts, title)
    dates = _visible_dates(texts)
    near = _near(dates, anchors)
    zone = _page_zone(near, dates, outlet)

    near_published = [d for d in near if d.match.has_time and d.match.kind != "modified"]
    visible = _visible_when(near_published[0]) if near_published else None
    if visible is None:  # no date line by the headline: a line marked "published" anywhere
        marked = [d for d in dates if d.match.kind == "published" and d.match.has_time]
        visible = _visible_when(marked[0]) if marked else None
    visible_local = _localise(visible, zone) if visible else None

    time_props = [_parse_when(v, "time") for k, v in micro_times if k == "published"]
    published = _pick(
        [
            _parse_when(ld.published, "json-ld"),
            *(_parse_when(v, "meta") for k in _META_PUBLISHED for v in meta.get(k, ())[:1]),
            *time_props,
            _parse_when(ld.created, "json-ld"),
            visible,
            _url_date(url),
        ]
    )
    if published is not None:
        published = _localise(published, zone)
        checked = _check_utc(published, visible_local)
        corrected = checked is not published
        published = checked
    else:
        corrected = False

    near_modified = [d for d in near if d.match.kind == "modified"]
    modified = _pick(
        [
            _parse_when(ld.modified, "json-ld"),
            *(_parse_when(v, "meta") for k in _META_MODIFIED for v in meta.get(k, ())[:1]),
            *(_parse_when(v, "time") for k, v in micro_times if k == "modified"),
            _visible_when(near_modified[0]) if near_modified else None,
        ]
    )
    if modified is not None:
        modified = _localise(modified, zone)
        if corrected and modified.utc_claimed and visible_local is not None:
            # the CMS that mislabelled the publish time mislabels this one too
            tz = visible_local.value.tzinfo
            if tz is not None:
                modified = _as_local(modified, tz)

    # People, section, tags, URL, language ---------------------------------------------
    authors = _people(ld.authors, kb, site_names)
    if not authors:
        authors = _people(micro_authors, kb, site_names)
    if not authors:
        authors = _people([v for k in _META_AUTHOR for v in meta.get(k, ())[:3]], kb, site_names)
    shown, shown_editors = _byline_near(texts, anchors, kb, site_names)
    edited = {n.casefold() for n in shown_editors} - {n.casefold() for n in shown}
    if shown and authors and all(n.casefold() in edited for n in authors):
        # the page's own byline calls the structured "author" its editor
        authors = shown
    if not authors:
        authors = shown

    section = _section([ld.section, *(_first(meta, (k,)) for k in _META_SECTION)])

    tags: list[str] = []
    sources = [meta.get("article:tag", []), ld.keywords]
    sources += [(_first(meta, (key,)) or "").split(",") for key in _META_TAGS]
    for values in sources:
        tags = _tags(values)
        if tags and not _is_sentence(tags):
            break
        tags = []

    canonical = None
    for link in tree.css("link[rel]"):
        rels = (link.attributes.get("rel") or "").lower().split()
        if "canonical" in rels:
            canonical = _absolute(link.attributes.get("href"), url)
            if canonical:
                break
    if canonical is None:
        for value in (*meta.get("og:url", []), *ld.urls):
            canonical = _absolute(value, url)
            if canonical:
                break

    html_node = tree.css_first("html")
    html_lang = None
    if html_node is not None:
        html_lang = html_node.attributes.get("lang") or html_node.attributes.get("xml:lang")
    language = _language([ld.language, *(_first(meta, (k,)) for k in _META_LANGUAGE), html_lang])

    description = ld.description or _first(meta, _META_DESCRIPTION)

    return HtmlMetadata(
        title=title,
        published=published.value if published else None,
        published_raw=published.raw if published else None,
        published_source=published.source if published else None,
        modified=modified.value if modified else None,
        authors=authors,
        section=section,
        tags=tags,
        canonical_url=canonical,
        site_name=site_name,
        language=language,
        description=_norm(description)[:1000] or None,
    )
