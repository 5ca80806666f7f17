"""Meta tags of a page (OpenGraph, ``article:*``, Dublin Core, ``name``/``itemprop``), read in one pass.

:func:`meta_tags` maps every lower-cased key to its values in page order; the ``META_*`` tuples
name the keys that carry each field, best first.
"""

from __future__ import annotations

from collections.abc import Iterable

from selectolax.lexbor import LexborHTMLParser

from warta.meta.markup import norm

#: Meta keys (lower-cased name/property/itemprop) for the publish time, best first.
META_PUBLISHED = (
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
META_MODIFIED = (
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
META_SECTION = ("article:section", "articlesection", "section", "category", "article.section")
META_TAGS = ("news_keywords", "keywords")
META_AUTHOR = (
    "author",
    "article:author",
    "dc.creator",
    "dcterms.creator",
    "byl",
    "sailthru.author",
)
META_TITLE = ("og:title", "twitter:title", "title", "dc.title", "headline")
META_DESCRIPTION = ("og:description", "description", "twitter:description", "dc.description")
META_LANGUAGE = ("og:locale", "content-language", "language", "inlanguage", "dc.language")


def meta_tags(tree: LexborHTMLParser) -> dict[str, list[str]]:
    """Every meta tag's content under each of its keys (lower-cased), in page order."""
    out: dict[str, list[str]] = {}
    for node in tree.css("meta"):
        attrs = node.attributes
        content = attrs.get("content")
        if content is None:
            continue
        content = norm(content)
        if not content:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = attrs.get(attr)
            if key:
                out.setdefault(key.strip().lower(), []).append(content)
    return out


def first(meta: dict[str, list[str]], keys: Iterable[str]) -> str | None:
    """The first non-empty value under any of ``keys``, tried in order."""
    for key in keys:
        for value in meta.get(key, ()):
            if value:
                return value
    return None
