"""Standard input (``-``): one page, or JSON Lines when its first visible byte is ``{``.

Only as much is read up front as it takes to see that first byte; JSON Lines then stream line
by line like a container file, so records from a live producer flow at once. Anything else is
read whole (up to the page limit) and handed, like a file's bytes, to the reader its content
calls for (a feed gives one page per item).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO, BinaryIO

from warta.core.errors import EmptyInput, InputTooLarge, SourceUnreadable
from warta.readers.base import STDIN_SOURCE, Item, Page, ReadFailure, read_upto, reason
from warta.readers.given import Reading
from warta.readers.jsonl import JsonLinesReader, read_records
from warta.readers.registry import pages_in, readers

__all__ = ["read_stdin"]

_CHUNK = 1024 * 1024
_UTF8_BOM = b"\xef\xbb\xbf"


def read_stdin(stream: BinaryIO, max_bytes: int) -> Iterator[Item]:
    """Every page on ``stream`` (standard input), named :data:`STDIN_SOURCE`."""
    read_at = datetime.now(UTC)
    try:
        head = _read_until_visible(stream, max_bytes)
        is_records = _first_visible(head).startswith(b"{")
        if not is_records and len(head) <= max_bytes:
            head += read_upto(stream, max_bytes + 1 - len(head))
    except (OSError, ValueError) as exc:  # ValueError: a closed stream
        yield ReadFailure(STDIN_SOURCE, SourceUnreadable(reason(exc), source=STDIN_SOURCE))
        return
    if is_records:
        records = _PrefixedStream(head, stream)
        yield from read_records(
            records, STDIN_SOURCE, max_bytes, read_at, "read_at", _jsonl_reading()
        )
    elif len(head) > max_bytes:
        message = f"input exceeds the page limit of {max_bytes} bytes"
        yield ReadFailure(STDIN_SOURCE, InputTooLarge(message, source=STDIN_SOURCE))
    elif not head:
        yield ReadFailure(STDIN_SOURCE, EmptyInput("empty input", source=STDIN_SOURCE))
    else:
        page = Page(
            source=STDIN_SOURCE, data=head, retrieved_at=read_at, retrieved_at_kind="read_at"
        )
        yield from pages_in(page, max_bytes)


def _jsonl_reading() -> Reading | None:
    """How the JSON Lines reader of this process reads given dates (``--timezone``...)."""
    for reader in readers():
        if isinstance(reader, JsonLinesReader):
            return reader.reading
    return None


def _read_until_visible(stream: IO[bytes], max_bytes: int) -> bytes:
    """Read until a non-blank byte shows up, the limit passes, or input ends.

    ``read1`` returns what is available instead of waiting for a full chunk, so records
    from a live producer start flowing at once.
    """
    read = getattr(stream, "read1", stream.read)
    head = b""
    while len(head) <= max_bytes:
        chunk: bytes = read(_CHUNK)
        if not chunk:
            break
        head += chunk
        if _first_visible(head):
            break
    return head


def _first_visible(data: bytes) -> bytes:
    """``data`` without leading whitespace and byte-order mark."""
    return data.lstrip().removeprefix(_UTF8_BOM).lstrip()


class _PrefixedStream:
    """A stream with bytes already read from it put back in front, for ``readline``."""

    def __init__(self, prefix: bytes, stream: IO[bytes]) -> None:
        self._prefix = prefix
        self._stream = stream

    def readline(self, limit: int) -> bytes:
        if not self._prefix:
            return self._stream.readline(limit)
        end = self._prefix.find(b"\n", 0, limit)
        if end != -1 or len(self._prefix) >= limit:
            cut = end + 1 if end != -1 else limit
            line, self._prefix = self._prefix[:cut], self._prefix[cut:]
            return line
        line, self._prefix = self._prefix, b""
        return line + self._stream.readline(limit - len(line))

    def close(self) -> None:
        """Nothing to do: stdin belongs to the caller."""
