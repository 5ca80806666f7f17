"""Metadata of a news page read from its HTML: title, times, people, section, tags, URL.

Sources, best first:

1. JSON-LD (:mod:`warta.meta.jsonld`: the report's node, broken JSON repaired).
2. OpenGraph and ``article:*`` meta tags, then the other common meta tags
   (:mod:`warta.meta.metatags`), read in one pass.
3. ``<time datetime>`` marked as the publish time, ``itemprop`` microdata
   (:mod:`warta.meta.microdata`).
4. Visible text near the headline: the date line and the byline next to it
   (:mod:`warta.meta.pagetext`, :mod:`warta.meta.bylines`).
5. A date in the URL (``/2015/11/18/``, ``/20151118/``, ``-20151118``), as a last resort.

Times keep the page's own UTC offset; a naive time gets the page's zone
(:mod:`warta.meta.zones` says how it is chosen, and when a time written as UTC is read as
local time). Authors come from JSON-LD, microdata, meta ``author``, then a labelled byline by
the headline; when the visible byline calls the structured "author" the editor
("Editor: ..."), its author wins. Nothing here knows a particular site's markup.
:func:`html_metadata` never raises: a field it cannot read is ``None`` or empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from selectolax.lexbor import LexborHTMLParser

from warta.clean.knowledge import Knowledge, Outlet, knowledge
from warta.meta import bylines, labels, metatags, titles
from warta.meta.jsonld import LdFacts, json_ld
from warta.meta.markup import absolute, host, norm
from warta.meta.metatags import first, meta_tags
from warta.meta.microdata import microdata
from warta.meta.pagetext import (
    Dated,
    Text,
    anchors,
    near,
    visible_dates,
    visible_texts,
    visible_when,
)
from warta.meta.sites import host_label, known_outlet, registered_domain
from warta.meta.when import When, parse_when, pick, url_date
from warta.meta.zones import as_local, check_utc, localise, page_zone

__all__ = ["HtmlMetadata", "html_metadata"]


@dataclass(slots=True)
class HtmlMetadata:
    """What a page's HTML says about the report on it (``None``/empty where it says nothing)."""

    title: str | None = None
    published: datetime | None = None  # timezone-aware whenever the page gives an offset or zone
    published_raw: str | None = None  # the string it came from
    published_source: str | None = None  # "json-ld" | "meta" | "time" | "visible" | "url"
    published_precision: str | None = None  # "second" | "minute" | "day" (a date alone)
    modified: datetime | None = None  # with a time of day (a date alone is not an update time)
    authors: list[str] = field(default_factory=list)
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    canonical_url: str | None = None
    site_name: str | None = None  # og:site_name / JSON-LD publisher.name
    outlet: str | None = (
        None  # the known outlet, by the page's own URLs or the name it gives itself
    )
    domain: str | None = None  # the registered domain of the page's URL, else its canonical URL
    language: str | None = None  # JSON-LD inLanguage, og:locale, content-language, <html lang>
    description: str | None = None


@dataclass(frozen=True, slots=True)
class _Page:
    """What every field's reader shares: the parsed sources of one page."""

    tree: LexborHTMLParser
    url: str | None
    meta: dict[str, list[str]]
    ld: LdFacts
    texts: list[Text]
    micro_times: list[tuple[str, str]]  # ("published" | "modified", value)
    micro_authors: list[str]
    kb: Knowledge


@dataclass(frozen=True, slots=True)
class _Site:
    name: str | None  # what the page calls itself (og:site_name, JSON-LD publisher)
    outlet: Outlet | None  # the known outlet, by domain or by that name
    names: list[str]  # every casefolded name of the site, for cutting titles and bylines


def _site(page: _Page, canonical: str | None) -> _Site:
    name = titles.site_name(
        [first(page.meta, ("og:site_name", "application-name")), page.ld.publisher]
    )
    # never from links to other outlets: only the page's own URLs and names
    outlet = known_outlet([page.url, canonical], [name, page.ld.publisher], page.kb)
    names = [
        n.casefold()
        for n in (
            name,
            page.ld.publisher,
            *(outlet.aliases if outlet else ()),
            outlet.name if outlet else None,
            host_label(host(page.url)),
        )
        if n
    ]
    return _Site(name, outlet, list(dict.fromkeys(names)))


def _title(page: _Page, site: _Site) -> str | None:
    title_node = page.tree.css_first("title")
    raw_titles = [
        page.ld.headline,
        *(first(page.meta, (k,)) for k in metatags.META_TITLE),
        norm(title_node.text()) if title_node is not None else None,
    ]
    candidates: list[str] = []
    for raw in raw_titles:
        if raw:
            cleaned = titles.strip_affixes(raw, site.names, page.kb)
            if cleaned and cleaned.casefold() not in site.names and cleaned not in candidates:
                candidates.append(cleaned)
    headings = [norm(h.text(deep=True)) for h in page.tree.css("h1")]
    headings += [norm(h.text(deep=True)) for h in page.tree.css("h2")][:20]
    return titles.choose_title(candidates, headings)


def _date_line(near_dates: list[Dated], dates: list[Dated]) -> When | None:
    """The visible publish time: the date line by the headline, else a line marked
    "published" anywhere on the page."""
    near_published = [d for d in near_dates if d.match.has_time and d.match.kind != "modified"]
    if near_published:
        return visible_when(near_published[0])
    marked = [d for d in dates if d.match.kind == "published" and d.match.has_time]
    return visible_when(marked[0]) if marked else None


def _times(
    page: _Page, headline: list[Text], outlet: Outlet | None
) -> tuple[When | None, When | None]:
    """(published, modified), each from its best source, placed in the page's zone."""
    micro_times = page.micro_times
    dates = visible_dates(page.texts)
    near_dates = near(dates, headline)
    zone = page_zone(near_dates, dates, outlet)
    visible = _date_line(near_dates, dates)
    visible_local = localise(visible, zone) if visible else None

    published = pick(
        [
            parse_when(page.ld.published, "json-ld"),
            *(
                parse_when(v, "meta")
                for k in metatags.META_PUBLISHED
                for v in page.meta.get(k, ())[:1]
            ),
            *(parse_when(v, "time") for k, v in micro_times if k == "published"),
            parse_when(page.ld.created, "json-ld"),
            visible,
            url_date(page.url),
        ]
    )
    corrected = False
    if published is not None:
        published = localise(published, zone)
        checked = check_utc(published, visible_local)
        corrected = checked is not published
        published = checked

    near_modified = [d for d in near_dates if d.match.kind == "modified"]
    modified = pick(
        [
            parse_when(page.ld.modified, "json-ld"),
            *(
                parse_when(v, "meta")
                for k in metatags.META_MODIFIED
                for v in page.meta.get(k, ())[:1]
            ),
            *(parse_when(v, "time") for k, v in micro_times if k == "modified"),
            visible_when(near_modified[0]) if near_modified else None,
        ]
    )
    if modified is not None:
        modified = localise(modified, zone)
        if corrected and modified.utc_claimed and visible_local is not None:
            # the CMS that mislabelled the publish time mislabels this one too
            tz = visible_local.value.tzinfo
            if tz is not None:
                modified = as_local(modified, tz)
    return published, modified


def _authors(page: _Page, headline: list[Text], site: _Site) -> list[str]:
    """People from JSON-LD, microdata, meta tags, then the visible byline by the headline."""
    kb, names = page.kb, site.names
    authors = bylines.people(page.ld.authors, kb, names)
    if not authors:
        authors = bylines.people(page.micro_authors, kb, names)
    if not authors:
        meta_authors = [v for k in metatags.META_AUTHOR for v in page.meta.get(k, ())[:3]]
        authors = bylines.people(meta_authors, kb, names)
    shown, shown_editors = bylines.byline_near(page.texts, headline, kb, names)
    edited = {n.casefold() for n in shown_editors} - {n.casefold() for n in shown}
    if shown and authors and all(n.casefold() in edited for n in authors):
        # the page's own byline calls the structured "author" its editor
        return shown
    return authors or shown


def _tags(page: _Page) -> list[str]:
    """Topic tags from the first source that gives a list of topics, not a cut-up sentence."""
    sources = [page.meta.get("article:tag", []), page.ld.keywords]
    sources += [(first(page.meta, (key,)) or "").split(",") for key in metatags.META_TAGS]
    for values in sources:
        found = labels.tags(values)
        if found and not labels.is_sentence(found):
            return found
    return []


def _canonical(page: _Page) -> str | None:
    """``<link rel=canonical>``, else og:url, else the report node's own URL."""
    for link in page.tree.css("link[rel]"):
        rels = (link.attributes.get("rel") or "").lower().split()
        if "canonical" in rels:
            found = absolute(link.attributes.get("href"), page.url)
            if found:
                return found
    for value in (*page.meta.get("og:url", []), *page.ld.urls):
        found = absolute(value, page.url)
        if found:
            return found
    return None


def _language(page: _Page) -> str | None:
    html_node = page.tree.css_first("html")
    html_lang = None
    if html_node is not None:
        html_lang = html_node.attributes.get("lang") or html_node.attributes.get("xml:lang")
    return labels.language(
        [page.ld.language, *(first(page.meta, (k,)) for k in metatags.META_LANGUAGE), html_lang]
    )


def html_metadata(tree: LexborHTMLParser, url: str | None) -> HtmlMetadata:
    """Read the metadata of the page parsed as ``tree`` (fetched from ``url``, if known)."""
    micro_times, micro_authors = microdata(tree)
    page = _Page(
        tree,
        url,
        meta_tags(tree),
        json_ld(tree),
        visible_texts(tree),
        micro_times,
        micro_authors,
        knowledge(),
    )
    canonical = _canonical(page)
    site = _site(page, canonical)
    title = _title(page, site)
    headline = anchors(page.texts, title)
    published, modified = _times(page, headline, site.outlet)
    section = labels.section(
        [page.ld.section, *(first(page.meta, (k,)) for k in metatags.META_SECTION)]
    )
    description = page.ld.description or first(page.meta, metatags.META_DESCRIPTION)
    return HtmlMetadata(
        title=title,
        published=published.value if published else None,
        published_raw=published.raw if published else None,
        published_source=published.source if published else None,
        published_precision=published.precision if published else None,
        modified=modified.value if modified and modified.has_time else None,
        authors=_authors(page, headline, site),
        section=section,
        tags=_tags(page),
        canonical_url=canonical,
        site_name=site.name,
        outlet=site.outlet.name if site.outlet else None,
        domain=registered_domain(page.url) or registered_domain(canonical),
        language=_language(page),
        description=norm(description)[:1000] or None,
    )
