"""What every reader shares: the :class:`Page` and :class:`ReadFailure` it yields, the
:class:`Reader` interface a format implements, and the small file helpers readers reuse.

A reader only locates and loads raw pages; decoding bytes to text is the job of
:func:`warta.clean.charset.decode_page` later in the pipeline. One bad input must never stop a
batch, so a reader yields every problem as a :class:`ReadFailure` and goes on.

This module imports nothing else of warta's readers, so any reader, the registry and the
pipeline can import it without a cycle.
"""

from __future__ import annotations

import errno
import os
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any, ClassVar

from warta.core.errors import SourceNotFound, SourceUnreadable, WartaError

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SNIFF_BYTES",
    "STDIN_SOURCE",
    "Item",
    "Page",
    "ReadFailure",
    "Reader",
    "mtime",
    "os_failure",
    "read_upto",
    "reason",
]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
"""Largest single page accepted; a real article page is far below this."""

SNIFF_BYTES = 64 * 1024
"""How much of an input's start :meth:`Reader.sniff` is shown (enough to see a feed's root
element, gzip-compressed or not)."""

STDIN_SOURCE = "<stdin>"
"""The ``source`` of pages read from standard input."""

_CHUNK = 1024 * 1024


@dataclass(slots=True)
class Page:
    """One raw page: exactly one of ``data`` (bytes to decode) or ``text`` is set.

    ``retrieved_at_kind`` says what ``retrieved_at`` means: ``file_mtime`` for files,
    ``read_at`` for stdin, ``fetched`` for the web and WARC records, ``unknown`` when there is
    no time at all. ``content_type`` is ``text/html`` or ``text/plain`` when the container
    says so (file extension, HTTP header, JSON Lines key), else None and the decoder sniffs;
    ``charset`` is a declared charset (a hint, never trusted over valid UTF-8);
    ``last_modified`` the HTTP Last-Modified time. ``given`` is metadata the input gives
    with the page (JSON Lines keys, CSV columns: see :mod:`warta.readers.given`), taken as
    given by the stage ``meta.given.v1``; None when it gives none.
    """

    source: str
    data: bytes | None = None
    text: str | None = None
    url: str | None = None
    retrieved_at: datetime | None = None
    retrieved_at_kind: str = "unknown"
    content_type: str | None = None
    charset: str | None = None
    last_modified: datetime | None = None
    given: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        if (self.data is None) == (self.text is None):
            raise ValueError("a Page needs exactly one of data or text")


@dataclass(frozen=True, slots=True)
class ReadFailure:
    """An input that could not be read; ``error`` says why, and the batch goes on."""

    source: str
    error: WartaError


Item = Page | ReadFailure


class Reader(ABC):
    """One input format: how to recognise it and how to read pages out of it.

    A reader is registered under the ``warta.readers`` entry-point group (or, where a package
    cannot ship entry points, with :func:`warta.readers.registry.register`) and is chosen for
    each input, file by file:

    1. by name: a file whose name ends with one of :attr:`suffixes` (any case) goes to
       :meth:`read` unread, so that containers (JSON Lines, WARC) can stream;
    2. otherwise by content: every reader's :meth:`sniff` sees the start of the input and the
       most confident one reads it. The plain page reader answers every input weakly, so an
       input no format claims is read as one page.

    Readers never raise for bad input: every problem is a :class:`ReadFailure`.
    """

    name: ClassVar[str]
    """The registered name (the entry point's name)."""

    suffixes: ClassVar[tuple[str, ...]] = ()
    """Lower-case file name endings that make a file this reader's without looking inside."""

    def sniff(self, name: str, head: bytes) -> float:
        """How sure this reader is (0 to 1) that the input called ``name`` is its format.

        ``head`` is the start of the content, at most :data:`SNIFF_BYTES`; ``name`` is a path
        or :data:`STDIN_SOURCE`. 0 means "not mine"; the default claims nothing by content.
        """
        return 0.0

    @abstractmethod
    def read(self, path: str, info: os.stat_result, max_bytes: int) -> Iterator[Item]:
        """Every page in the file at ``path`` (``info``: its stat); ``max_bytes`` limits each
        page, not necessarily the file."""

    def read_bytes(self, page: Page, max_bytes: int) -> Iterator[Item]:
        """Every page in content already read in full (stdin, a pipe), handed over as the one
        page it would otherwise be. Readers that :meth:`sniff` content implement this; the
        default refuses, naming the input."""
        message = f"the {self.name} reader reads files only"
        yield ReadFailure(page.source, SourceUnreadable(message, source=page.source))


# -- helpers for readers -----------------------------------------------------------------


def read_upto(handle: IO[bytes], limit: int) -> bytes:
    """Read until ``limit`` bytes or end of input; pipes may return short reads."""
    parts: list[bytes] = []
    remaining = limit
    while remaining > 0:
        chunk = handle.read(min(remaining, _CHUNK))
        if not chunk:
            break
        parts.append(chunk)
        remaining -= len(chunk)
    return b"".join(parts)


def mtime(info: os.stat_result) -> datetime | None:
    """A file's modification time in UTC, or None where the filesystem gives nonsense."""
    try:
        return datetime.fromtimestamp(info.st_mtime, tz=UTC)
    except (OverflowError, OSError, ValueError):  # absurd timestamps on odd filesystems
        return None


def reason(exc: BaseException) -> str:
    """A short lower-case reason from an exception, for one-line messages."""
    text = (exc.strerror if isinstance(exc, OSError) else None) or str(exc)
    text = text or type(exc).__name__
    return text[0].lower() + text[1:]


def os_failure(path: str, exc: OSError) -> ReadFailure:
    """Map an OSError to the matching warta error, with a short lower-case reason."""
    code = exc.errno
    if code == errno.ENOENT:
        error: WartaError = SourceNotFound("no such file or directory", source=path)
    elif code in (errno.EACCES, errno.EPERM):
        error = SourceUnreadable("permission denied", source=path)
    elif code == errno.ELOOP:
        error = SourceUnreadable("symbolic link loop", source=path)
    elif code == errno.EISDIR:
        error = SourceUnreadable("is a directory", source=path)
    else:
        error = SourceUnreadable(reason(exc), source=path)
    return ReadFailure(path, error)
