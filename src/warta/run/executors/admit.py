"""The cheap checks a page passes before any stage sees it: what no stage could finish in time.

A text page of one 10 MB line (a dump with its line breaks lost, a binary-ish export) costs
the default pipeline 33 s and 525 MB before its time limit stops it, and says only
``time_limit``. No news paragraph comes near :data:`MAX_TEXT_LINE`: the longest line of any
text in ../shared/data is 5,941 characters (a detik.com article body in one CSV field), so
the limit is 30 times that. Finding the longest line is one pass of ``bytes.find`` (a few
milliseconds for 10 MB; gzip pages inflate in bounded steps). HTML is exempt: minified markup
is one long line by design, and the HTML cleaner reads it by elements, not by lines.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

from warta.core.errors import PageTooComplex
from warta.readers.text import Page

#: longest line (characters, or bytes before decoding) a text page may have
MAX_TEXT_LINE = 200_000
_HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz", ".xhtml.gz")
_STEP = 1 << 20


def refuse(page: Page) -> PageTooComplex | None:
    """Why ``page`` is not worth running the stages on, or None for almost every page."""
    if _is_html(page):
        return None
    if page.text is not None:
        chunks: Iterator[bytes] = iter([page.text.encode("utf-8", "surrogatepass")])
    else:
        assert page.data is not None
        chunks = _inflated(page.data) if page.data[:2] == b"\x1f\x8b" else iter([page.data])
    longest = _longest_line(chunks, MAX_TEXT_LINE)
    if longest <= MAX_TEXT_LINE:
        return None
    return PageTooComplex(
        f"a line of more than {MAX_TEXT_LINE:,} characters without a line break; no news "
        "paragraph is that long (split the text into lines, or give it as HTML)",
        source=page.source,
    )


def _is_html(page: Page) -> bool:
    if page.content_type is not None:
        return page.content_type != "text/plain"
    if page.source.lower().endswith(_HTML_SUFFIXES):
        return True
    head = page.data[:1024] if page.data is not None else (page.text or "")[:1024].encode()
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def _inflated(data: bytes) -> Iterator[bytes]:
    """A gzipped page, inflated a step at a time (the caller stops early); damaged data ends
    the stream quietly: the decode stage reports it."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    rest = data
    try:
        while rest:
            yield inflater.decompress(rest, _STEP)
            rest = inflater.unconsumed_tail
            if inflater.eof:
                return
    except zlib.error:
        return


def _longest_line(chunks: Iterator[bytes], limit: int) -> int:
    """The longest run of bytes without a line break, counting at most ``limit + 1``."""
    longest = run = 0
    for chunk in chunks:
        start = 0
        while True:
            end = _next_break(chunk, start)
            if end < 0:
                run += len(chunk) - start
                break
            longest = max(longest, run + end - start)
            run, start = 0, end + 1
        if max(longest, run) > limit:
            return limit + 1
    return max(longest, run)


def _next_break(chunk: bytes, start: int) -> int:
    newline = chunk.find(b"\n", start)
    carriage = chunk.find(b"\r", start, newline if newline >= 0 else len(chunk))
    return carriage if carriage >= 0 else newline
