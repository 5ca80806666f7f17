"""A plain file as one page: HTML or text, whatever its name.

The fallback reader: it answers every input weakly, so anything no other format claims is one
page, and the decoder later tells HTML from text. A file over the page limit is refused by its
size before anything is read.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator

from warta.core.errors import EmptyInput, InputTooLarge
from warta.readers.base import Item, Page, Reader, ReadFailure, mtime, os_failure, read_upto

__all__ = ["FALLBACK", "PageReader", "read_page_file"]

FALLBACK = 0.1
"""The plain page reader's confidence for any input: a format that claims content must be
surer than this to be chosen."""


class PageReader(Reader):
    """Any file: one page of raw bytes, decoded later."""

    name = "page"

    def sniff(self, name: str, head: bytes) -> float:
        return FALLBACK

    def read(self, path: str, info: os.stat_result, max_bytes: int) -> Iterator[Item]:
        yield read_page_file(path, info, max_bytes)

    def read_bytes(self, page: Page, max_bytes: int) -> Iterator[Item]:
        yield page


def read_page_file(path: str, info: os.stat_result, max_bytes: int) -> Item:
    """Read one page's bytes, refusing by size before reading anything."""
    if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
        return _too_large(path, info.st_size, max_bytes)
    try:
        with open(path, "rb") as handle:
            current = os.fstat(handle.fileno())
            if stat.S_ISREG(current.st_mode) and current.st_size > max_bytes:
                return _too_large(path, current.st_size, max_bytes)
            # Read one byte past the limit: a file that grew, or a pipe, is caught too.
            data = read_upto(handle, max_bytes + 1)
    except OSError as exc:
        return os_failure(path, exc)
    if len(data) > max_bytes:
        error = InputTooLarge(f"input exceeds the page limit of {max_bytes} bytes", source=path)
        return ReadFailure(path, error)
    if not data:
        return ReadFailure(path, EmptyInput("empty file", source=path))
    return Page(
        source=path,
        data=data,
        retrieved_at=mtime(current),
        retrieved_at_kind="file_mtime",
    )


def _too_large(path: str, size: int, max_bytes: int) -> ReadFailure:
    message = f"{size} bytes exceeds the page limit of {max_bytes} bytes"
    return ReadFailure(path, InputTooLarge(message, source=path))
