"""Whether a page's text is an article at all, by general signals (never by file name).

A folder of pages often holds other files: a licence, a JSON gold file, an index page of
links. They decode and clean as text, so each gets a verdict before its metadata is read:

* structured data: a text that opens with ``{`` or ``[`` and parses as JSON, or whose lines
  are mostly JSON syntax (``"key": value``, quoted strings, lone brackets) ->
  ``not_an_article`` (an article's quoted paragraphs never open the text with a bracket);
* a licence or legal-terms text: several different phrases of licence vocabulary
  (``lang/<code>/licence_words.txt``) in the body -> ``not_an_article``;
* an index, tag or section page: most of the body is the text of the page's own links
  (:func:`link_share`) -> ``not_an_article``;
* no sentence of prose at all (only labels, names, numbers, menu words) -> ``no_article_text``.

A page that fails is reported with its reason and counted, never stored as an article.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache

from warta.core import diskcache
from warta.core.errors import NoArticleText, NotAnArticle, WartaError
from warta.core.record import Article
from warta.lang import LANGUAGES, load_words

#: Share of non-blank lines written as JSON syntax that makes a text data, not prose.
_DATA_SHARE = 0.6
_DATA_LINE = diskcache.compile(r'^\s*(?:"[^"\n]{0,200}"\s*:|[\[\]{}](?:\s*,)?\s*$|".*"\s*,?\s*$)')
#: Different licence phrases in one body that make it a licence (a report about a licence
#: names one or two: "licensed under Creative Commons").
_LICENCE_PHRASES = 4
#: Share of the body's paragraphs that are links (or open with one) on an index page, and
#: the paragraphs it needs (an article links a word or two, never most of its paragraphs).
_LINK_SHARE = 0.6
_LINK_PARAGRAPHS = 5
#: A sentence of prose: this many letters, mostly letters, and this many words (or CJK letters).
_PROSE_LETTERS = 25
_PROSE_WORDS = 5
_CJK_LETTERS = 12
_SENTENCE_END = diskcache.compile(r"(?<=[.!?。！？])\s+|\n+")
_WORD = diskcache.compile(r"[^\W\d_]{2,}")


@lru_cache(maxsize=1)
def _licence_phrases() -> frozenset[str]:
    return frozenset().union(*(load_words(lang, "licence_words") for lang in LANGUAGES))


def _is_prose(sentence: str) -> bool:
    letters = sum(c.isalpha() for c in sentence)
    if letters < _PROSE_LETTERS or letters < 0.6 * len(sentence.replace(" ", "")):
        return False
    wide = sum(c.isalpha() and ord(c) > 0x2E80 for c in sentence)  # CJK: no spaces between words
    return len(_WORD.findall(sentence)) >= _PROSE_WORDS or wide >= _CJK_LETTERS


def has_prose(body: str) -> bool:
    """Whether ``body`` holds at least one sentence of running text."""
    return any(_is_prose(s) for s in _SENTENCE_END.split(body))


def data_share(text: str) -> float:
    """The share of non-blank lines of ``text`` written as JSON syntax."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return 0.0
    return sum(bool(_DATA_LINE.match(line)) for line in lines) / len(lines)


def is_data(text: str) -> bool:
    """Whether ``text`` is JSON data rather than prose."""
    head = text.lstrip()[:1]
    if head not in ("{", "["):
        return False
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return data_share(text) >= _DATA_SHARE
    return True


def licence_phrases(body: str) -> list[str]:
    """The different licence phrases standing in ``body``."""
    low = " ".join(body.casefold().split())
    return sorted(p for p in _licence_phrases() if p in low)


def _linked(paragraph: str, links: list[str]) -> bool:
    """A paragraph that is a link, or opens with one (a teaser: headline link, then a line)."""
    text = " ".join(paragraph.split()).casefold()
    covered = sum(len(link) for link in links if link in text)
    return covered >= 0.5 * len(text) or any(
        text.startswith(link) and len(link.split()) >= 4 for link in links
    )


def link_share(paragraphs: list[str], link_texts: Iterable[str]) -> float:
    """The share of the body's paragraphs that are links or open with one."""
    links = sorted(
        {" ".join(t.split()).casefold() for t in link_texts if len(t.split()) >= 2},
        key=len,
        reverse=True,
    )
    if not paragraphs or not links:
        return 0.0
    return sum(_linked(p, links) for p in paragraphs) / len(paragraphs)


def _reject(article: Article, error: WartaError) -> WartaError:
    """The error for a page that is not an article; its text is no article body."""
    article.body, article.blocks = "", []
    return error


def check_text(article: Article) -> None:
    """Raise NotAnArticle or NoArticleText when the article's text is not a report."""
    source = article.source
    text = article.raw_text or article.body
    if is_data(text):
        raise _reject(article, NotAnArticle("structured data (JSON), not prose", source=source))
    # a text scrape's own lines, kept or removed (a licence's sentences read as furniture to
    # the cleaner); an HTML page's body only (its markup has footers with legal words)
    phrases = licence_phrases(article.body if article.content_type == "text/html" else text)
    if len(phrases) >= _LICENCE_PHRASES:
        shown = ", ".join(repr(p) for p in phrases[:4])
        raise _reject(
            article,
            NotAnArticle(
                f"a licence or legal text ({len(phrases)} licence phrases: {shown})", source=source
            ),
        )
    if article.body and not has_prose(article.body):
        raise _reject(
            article,
            NoArticleText(
                "no sentence of prose in the text (labels, names or menus only)", source=source
            ),
        )


def check_links(article: Article, link_texts: Iterable[str]) -> None:
    """Raise NotAnArticle for an index, tag or section page: a body made of its links."""
    paragraphs = [article.body[b.start : b.end] for b in article.blocks if b.kind != "heading"]
    if len(paragraphs) < _LINK_PARAGRAPHS:
        return
    share = link_share(paragraphs, link_texts)
    if share >= _LINK_SHARE:
        raise _reject(
            article,
            NotAnArticle(
                f"an index or tag page ({share:.0%} of its paragraphs are links)",
                source=article.source,
            ),
        )
