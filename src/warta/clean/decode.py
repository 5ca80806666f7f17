"""Stage ``read.decode.v1``: page bytes to repaired text (or the JSON Lines text as given)."""

from __future__ import annotations

import unicodedata

from warta.clean.charset import decode_page
from warta.errors import EmptyInput
from warta.record import Article
from warta.stage import Stage


class DecodeStage(Stage):
    name = "read.decode.v1"
    requires = frozenset({"page"})
    provides = frozenset({"raw_text"})

    def process(self, article: Article) -> Article:
        if article.raw_bytes is not None:
            decoded = decode_page(article.raw_bytes, source=article.source)
            article.raw_text = decoded.text
            article.encoding = decoded.encoding
            if decoded.repaired:
                article.extras["warta.mojibake_repaired"] = True
            article.raw_bytes = None  # the bytes are not needed again: keep memory flat
        else:
            text = article.raw_text.replace("\r\n", "\n").replace("\r", "\n")
            article.raw_text = unicodedata.normalize("NFC", text)
            article.encoding = article.encoding or "text"
        if not article.raw_text.strip():
            raise EmptyInput("no text", source=article.source)
        return article
