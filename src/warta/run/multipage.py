"""Joining the pages of a multi-page article ("Halaman 2", ``?page=2``, ``/2``) when the pages
are given together, in order. A streaming pass: one article is held back at a time."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import TypeVar

from warta.core.record import Article, Block, RemovedLine, fingerprint, report_id

_PAGE_PARAM = re.compile(r"([?&])(page|halaman|hal|p|pg)=(\d{1,3})(?=&|$)", re.IGNORECASE)
_PAGE_PATH = re.compile(r"/(\d{1,3})/?$")
_SEPARATOR = "\n\n"


def page_of(url: str) -> tuple[str, int] | None:
    """(the URL without its page marker, the page number), or None for a URL with no page
    marker — which is page 1 of its own base."""
    m = _PAGE_PARAM.search(url)
    if m:
        base = (
            url[: m.start()] + (m.group(1) if url[m.end() :] else "") + url[m.end() :].lstrip("&")
        )
        return base.rstrip("?&"), int(m.group(3))
    m = _PAGE_PATH.search(url)
    if m and 2 <= int(m.group(1)) <= 20:  # "/berita/1" is likelier an article id than page 1
        return url[: m.start()], int(m.group(1))
    return None


def _base(url: str) -> tuple[str, int]:
    found = page_of(url)
    return found if found is not None else (url.rstrip("/"), 1)


def merge(first: Article, following: Article) -> Article:
    """``following`` appended to ``first``: body, blocks and removed lines (offsets shifted),
    raw text concatenated; metadata stays the first page's."""
    shift_body = len(first.body) + len(_SEPARATOR)
    shift_raw = len(first.raw_text) + 1
    merged = replace(first)
    merged.body = first.body + _SEPARATOR + following.body
    merged.blocks = first.blocks + [
        Block(b.kind, b.start + shift_body, b.end + shift_body) for b in following.blocks
    ]
    merged.removed = first.removed + [
        RemovedLine(r.line, r.start + shift_raw, r.end + shift_raw, r.text, r.label, r.rule)
        for r in following.removed
    ]
    merged.raw_text = first.raw_text + "\n" + following.raw_text
    merged.extras = {**first.extras, "warta.pages": int(first.extras.get("warta.pages", 1)) + 1}
    merged.fingerprint = fingerprint(merged.body)
    merged.id = report_id(url=merged.url, source=merged.source, body_fingerprint=merged.fingerprint)
    return merged


_T = TypeVar("_T")


def join_pages(articles: Iterable[_T]) -> Iterator[_T | Article]:
    """Merge runs of consecutive articles whose URLs differ only by a page number that counts
    up by one (page 1 may have no marker). Articles without URLs pass through, and so does
    anything that is not an :class:`Article` (an ingest's record already prepared for the
    store: a page alone, never part of a chain)."""
    pending: Article | None = None
    pending_page = 0
    for article in articles:
        if not isinstance(article, Article):
            if pending is not None:
                yield pending
                pending = None
            yield article
            continue
        if pending is not None and article.url and pending.url and not article.errors:
            base, page = _base(article.url)
            if base == _base(pending.url)[0] and page == pending_page + 1 and page > 1:
                pending = merge(pending, article)
                pending_page = page
                continue
        if pending is not None:
            yield pending
            pending = None
        if article.url and not article.errors:
            # a chain starts at page 1 only: "/news/5" then "/news/6" are two articles
            first_page = _base(article.url)[1]
            pending, pending_page = article, (1 if first_page == 1 else -1)
        else:
            yield article
    if pending is not None:
        yield pending
