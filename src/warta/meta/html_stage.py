"""Stage ``meta.html.v1``: what an HTML page says about itself (JSON-LD, OpenGraph, <time>,
visible bylines, URL), preferred over what the text lines suggest.

``meta.page.v1`` runs it on HTML pages after ``meta.plaintext.v1``, whose findings from the
rendered lines (timestamps, bylines, credits) stay as the fallback for every field the markup
leaves empty.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from warta.clean.knowledge import knowledge
from warta.meta.html import html_metadata
from warta.record import Article
from warta.stage import Stage


class HtmlMetadataStage(Stage):
    name = "meta.html.v1"
    requires = frozenset({"outlet", "published", "authors", "title"})
    provides = frozenset(
        {
            "canonical_url",
            "section",
            "tags",
            "title",
            "published",
            "published_raw",
            "modified",
            "authors",
            "outlet",
            "extras.warta.published_from",
            "extras.warta.published_zone",  # removed: the markup's zone replaces the assumed one
        }
    )

    def process(self, article: Article) -> Article:
        if article.markup is None:  # no parsed document (the HTML cleaner did not run)
            return article
        tree = article.markup  # parsed once, by the cleaner
        if not isinstance(tree, LexborHTMLParser):
            tree = LexborHTMLParser(str(tree))
        meta = html_metadata(tree, article.url)
        if meta.title:
            article.title = meta.title
        if meta.published is not None:
            article.published = meta.published
            article.published_raw = meta.published_raw
            article.extras["warta.published_from"] = meta.published_source or "markup"
            article.extras.pop("warta.published_zone", None)
        if meta.modified is not None:
            article.modified = meta.modified
        if meta.authors:
            article.authors = list(meta.authors)
        article.section = meta.section
        article.tags = list(meta.tags)
        article.canonical_url = meta.canonical_url
        if article.outlet is None and meta.site_name:
            known = knowledge().outlet(meta.site_name)
            article.outlet = known.name if known else meta.site_name
        return article
