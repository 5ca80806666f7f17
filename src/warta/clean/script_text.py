"""The article a page carries only in its scripts.

Client-rendered pages (Next.js flight data, ``__NEXT_DATA__``, Nuxt and other hydration
states) ship their article as a string inside an inline script and render nothing readable in
the HTML itself; some pages state it only as JSON-LD ``articleBody``. When the page's own
markup gives no article text, the cleaner reads it from there: the longest string literal in
an inline script that is HTML with paragraphs, or the JSON-LD ``articleBody`` when that says
more. The signal is the markup's shape (paragraph tags in a script string), not any site or
language.
"""

from __future__ import annotations

import html
import json
import re

from selectolax.lexbor import LexborHTMLParser

from warta.core import diskcache

#: A double-quoted script string long enough to hold an article (JSON and JS share the form).
_LITERAL = diskcache.compile(r'"((?:[^"\\]|\\.){200,})"', re.S)
_PARAGRAPH = diskcache.compile(r"<(?:p|br)\b", re.I)
_TAG = diskcache.compile(r"<[^>]*>")
#: Text (characters, tags stripped) a fragment needs to count as an article.
MIN_TEXT = 200
#: Literals decoded per page at most (a hydration state can hold thousands of strings).
MAX_LITERALS = 2_000


def _text_size(fragment: str) -> int:
    return len(" ".join(_TAG.sub(" ", fragment).split()))


def script_fragments(tree: LexborHTMLParser) -> list[str]:
    """HTML fragments with paragraphs held in inline scripts' string literals, decoded."""
    found: list[str] = []
    seen = 0
    for node in tree.css("script"):
        attrs = node.attributes
        if attrs.get("src") or attrs.get("type") == "application/ld+json":
            continue
        raw = node.text(deep=True) or ""
        if "<p" not in raw and "\\u003cp" not in raw and "<br" not in raw:
            continue
        for m in _LITERAL.finditer(raw):
            seen += 1
            if seen > MAX_LITERALS:
                return found
            literal = m.group(1)
            if "<p" not in literal and "\\u003cp" not in literal and "<br" not in literal:
                continue
            try:
                value = json.loads(f'"{literal}"')
            except ValueError:
                continue  # a JS-only escape (\x, \'): not worth a JS parser
            if isinstance(value, str) and _PARAGRAPH.search(value):
                found.append(value)
    return found


def script_article(tree: LexborHTMLParser, ld_body: str) -> str:
    """The page's article as HTML from its scripts ("" when they hold none): the fragment
    with the most text, or the JSON-LD ``articleBody`` (one paragraph per line) when longer."""
    best, size = "", 0
    for fragment in script_fragments(tree):
        n = _text_size(fragment)
        if n > size:
            best, size = fragment, n
    ld_size = len(" ".join(ld_body.split()))
    if ld_size > size:
        paragraphs = (p.strip() for p in ld_body.splitlines())
        best = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs if p)
        size = ld_size
    return best if size >= MIN_TEXT else ""


def with_article(page: str, fragment: str) -> str:
    """``page`` with ``fragment`` added as an ``<article>`` at the end of its body."""
    block = f"<article>{fragment}</article>"
    at = page.lower().rfind("</body>")
    return page + block if at < 0 else page[:at] + block + page[at:]
