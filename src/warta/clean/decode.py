"""Stage ``read.decode.v1``: page bytes to repaired text (or the JSON Lines text as given)."""

from __future__ import annotations

import re
import unicodedata
import zlib

from warta.clean.charset import decode_page
from warta.core import diskcache
from warta.core.errors import EmptyInput, InputTooLarge, NotText
from warta.core.record import Article
from warta.core.stage import Stage


class DecodeStage(Stage):
    name = "read.decode.v1"
    requires = frozenset({"page"})
    provides = frozenset(
        {"raw_text", "raw_bytes", "encoding", "content_type", "extras.warta.mojibake_repaired"}
    )

    def process(self, article: Article) -> Article:
        if article.raw_bytes is not None:
            data = article.raw_bytes
            if data[:2] == b"\x1f\x8b":  # a gzipped page (page.html.gz): inflate, bounded
                data = _gunzip(data, source=article.source)
            decoded = decode_page(data, source=article.source)
            article.raw_text = decoded.text
            article.encoding = decoded.encoding
            if decoded.repaired:
                article.extras["warta.mojibake_repaired"] = True
            article.raw_bytes = None  # the bytes are not needed again: keep memory flat
        else:
            text = article.raw_text.replace("\r\n", "\n").replace("\r", "\n")
            article.raw_text = unicodedata.normalize("NFC", text)
            article.encoding = article.encoding or "text"
        if len(article.raw_text) > MAX_PAGE_CHARS:
            raise InputTooLarge(
                f"{len(article.raw_text)} characters exceeds the page limit of {MAX_PAGE_CHARS}",
                source=article.source,
            )
        if not article.raw_text.strip():
            raise EmptyInput("no text", source=article.source)
        if article.content_type not in ("text/html", "text/plain"):
            article.content_type = (
                "text/html" if looks_like_html(article.raw_text) else "text/plain"
            )
        return article


#: Largest page, in characters, whatever way it arrived (the readers' byte limit's twin).
MAX_PAGE_CHARS = 20 * 1024 * 1024
#: Largest inflated size of a gzipped page (a gzip bomb stops here).
MAX_INFLATED_BYTES = 64 * 1024 * 1024


def _gunzip(data: bytes, *, source: str) -> bytes:
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, MAX_INFLATED_BYTES + 1)
    except zlib.error as exc:
        raise NotText(f"damaged gzip data ({exc})", source=source) from exc
    if len(out) > MAX_INFLATED_BYTES:
        raise InputTooLarge(
            f"gzipped page inflates beyond {MAX_INFLATED_BYTES} bytes", source=source
        )
    return out


_HTML_TAG = diskcache.compile(
    r"<(?:html|head|body|div|p|meta|title|article|span|a)\b", re.IGNORECASE
)


def looks_like_html(text: str) -> bool:
    """A page is HTML when it opens with a doctype/``<html>`` or starts with a tag and has
    common HTML elements near the top (a text scrape that quotes one tag is not)."""
    head = text[:4096].lstrip().lower()
    if head.startswith(("<!doctype html", "<html")):
        return True
    return head.startswith("<") and len(_HTML_TAG.findall(head)) >= 3
