"""WARC files (``.warc``, ``.warc.gz``), known by name: the registered reader.

Kept apart from :mod:`warta.readers.warc`, which does the reading, so that choosing a reader
never loads the WARC library: it loads only when a WARC file shows up. A WARC file has no size
limit, only each record in it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from warta.readers.base import Item, Reader

__all__ = ["WarcReader"]


class WarcReader(Reader):
    """Files named ``*.warc`` or ``*.warc.gz``: one page per HTML or text record."""

    name = "warc"
    suffixes = (".warc", ".warc.gz")

    def read(self, path: str, info: os.stat_result, max_bytes: int) -> Iterator[Item]:
        from warta.readers.warc import iter_warc_pages

        yield from iter_warc_pages(path, max_bytes=max_bytes)
