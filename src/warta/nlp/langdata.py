"""The language data an NLP stage reads for the page in hand (see :func:`warta.lang.reading`).

A stage asks :func:`for_page` with what it needs (``times.toml``, ``entities``); where no
language along the page's fallbacks has it, the stage leaves the page as it is and the reason is
recorded under ``extras["warta.skipped"]`` (stage name -> reason). Functions deep inside a
stage that load data by themselves read the page's language from :func:`page_language`, which
the stage sets around its work.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from warta.core.record import Article
from warta.lang import Reading, reading

__all__ = ["QUOTE_DATA", "SKIPPED", "current", "for_page", "page_language"]

#: The ``extras`` key of the stages that skipped a page for want of language data.
SKIPPED = "warta.skipped"

#: What a language must have for the quote stage to read its pages.
QUOTE_DATA = "quote_cues.toml"

_PAGE_LANGUAGE: ContextVar[str | None] = ContextVar("warta_page_language", default=None)


def for_page(article: Article, stage: str, needs: str) -> Reading | None:
    """What ``stage`` reads for ``article``; None (and the reason recorded) when nothing."""
    found = reading(article.language, needs)
    if found.code is None:
        skipped = article.extras.setdefault(SKIPPED, {})
        skipped[stage] = found.reason
        return None
    return found


@contextmanager
def page_language(code: str | None) -> Iterator[None]:
    """Within the block, :func:`current` reads for a page in language ``code``."""
    token = _PAGE_LANGUAGE.set(code)
    try:
        yield
    finally:
        _PAGE_LANGUAGE.reset(token)


def current(needs: str) -> Reading:
    """What the page set by :func:`page_language` reads (outside one: a page of no known
    language)."""
    return reading(_PAGE_LANGUAGE.get(), needs)
