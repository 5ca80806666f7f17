"""Stage ``meta.html.v1``: what an HTML page says about itself (JSON-LD, OpenGraph, <time>,
visible bylines, URL), preferred over what the text lines suggest.

``meta.page.v1`` runs it on HTML pages after ``meta.plaintext.v1``, whose findings from the
rendered lines (timestamps, bylines, credits) stay as the fallback for every field the markup
leaves empty. The outlet is the page's own: the known outlet of its URL or canonical URL, or of
the name it gives itself (og:site_name, JSON-LD publisher), else its own credit line, else a
known outlet in its copyright line, else that name as written, else its registered domain.
Links to other outlets (the lines the cleaner removed) never name it.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from warta.clean.knowledge import Knowledge, knowledge
from warta.core.record import Article
from warta.core.stage import Stage
from warta.meta.html import HtmlMetadata, html_metadata
from warta.meta.kind import check_links
from warta.meta.plaintext import outlet_name, page_credit
from warta.meta.published import finer, in_zone, set_published, stated
from warta.meta.sources import outlet_from_copyright


def _outlet(article: Article, meta: HtmlMetadata, kb: Knowledge) -> str | None:
    credit = page_credit(article, kb)
    named = (
        meta.outlet
        or (credit.outlet if credit else None)
        or outlet_from_copyright(article.removed, kb)
        or meta.site_name
        or meta.domain
    )
    return outlet_name(named, article.language, kb)


def _zone(outlet: str | None, kb: Knowledge) -> str | None:
    known = kb.outlet(outlet) if outlet else None
    return known.zone if known is not None else None


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
            "published_local",
            "published_precision",
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
        if len(article.blocks) >= 5:  # an index or tag page: a body made of its own links
            check_links(article, (a.text(deep=True) for a in tree.css("a")))
        kb = knowledge()
        meta = html_metadata(tree, article.url)
        article.outlet = _outlet(article, meta, kb)
        zone = _zone(article.outlet, kb)
        if meta.title:
            article.title = meta.title
        precision = meta.published_precision
        if (
            meta.published is not None
            and precision is not None
            and not finer(article.published_precision, precision)
        ):
            set_published(article, meta.published, precision, meta.published_raw, zone)
            article.extras["warta.published_from"] = meta.published_source or "markup"
        elif article.published is None and article.published_precision is not None:
            # a naive time from the text lines, now that the outlet (and its zone) is known
            local = stated(article)
            if local is not None:
                set_published(
                    article, local, article.published_precision, article.published_raw, zone
                )
        if meta.modified is not None:
            article.modified = in_zone(meta.modified, zone)
        if meta.authors:
            article.authors = list(meta.authors)
        article.section = meta.section
        article.tags = list(meta.tags)
        article.canonical_url = meta.canonical_url
        return article
