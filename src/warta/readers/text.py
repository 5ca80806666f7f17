"""Find the pages to process: files, folders, JSON Lines containers, feeds and stdin.

The reader only locates and loads raw pages; decoding bytes to text is the job of
:func:`warta.clean.charset.decode_page` later in the pipeline. One bad input must never
stop a batch, so every problem is yielded as a :class:`ReadFailure` and reading goes on.
"""

from __future__ import annotations

import errno
import fnmatch
import gzip
import json
import os
import re
import stat
import sys
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, BinaryIO, Protocol

from warta.errors import (
    EmptyInput,
    InputTooLarge,
    MalformedRecord,
    SourceNotFound,
    SourceUnreadable,
    WartaError,
)

__all__ = ["DEFAULT_MAX_BYTES", "Page", "ReadFailure", "iter_pages"]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
"""Largest single page accepted; a real article page is far below this."""

STDIN_SOURCE = "<stdin>"
_CONTAINER_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
_WARC_SUFFIXES = (".warc", ".warc.gz")
_CHUNK = 1024 * 1024
_UTF8_BOM = b"\xef\xbb\xbf"
_SURROGATE = re.compile("[\ud800-\udfff]")
# JSON can spell one byte of text as a six-byte escape, so a record line may be this many
# times longer than the page limit before its text must be over the limit.
_JSON_ESCAPE_FACTOR = 6
_LINE_SLACK = 64 * 1024
# Enough of a file to see a feed's root element, gzip-compressed or not.
_FEED_SNIFF_BYTES = 64 * 1024


@dataclass(slots=True)
class Page:
    """One raw page: exactly one of ``data`` (bytes to decode) or ``text`` is set.

    ``retrieved_at_kind`` says what ``retrieved_at`` means: ``file_mtime`` for files,
    ``read_at`` for stdin, ``fetched`` for the web and WARC records, ``unknown`` when there is
    no time at all. ``content_type`` is ``text/html`` or ``text/plain`` when the container
    says so (file extension, HTTP header, JSON Lines key), else None and the decoder sniffs;
    ``charset`` is a declared charset (a hint, never trusted over valid UTF-8);
    ``last_modified`` the HTTP Last-Modified time.
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

    def __post_init__(self) -> None:
        if (self.data is None) == (self.text is None):
            raise ValueError("a Page needs exactly one of data or text")


@dataclass(frozen=True, slots=True)
class ReadFailure:
    """An input that could not be read; ``error`` says why, and the batch goes on."""

    source: str
    error: WartaError


Item = Page | ReadFailure


def iter_pages(
    inputs: Sequence[str],
    *,
    pattern: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
) -> Iterator[Page | ReadFailure]:
    """Yield a page or a failure for every page found in ``inputs``, in order.

    Each input is ``-`` (stdin: one page, or JSON Lines when it starts with ``{``), a file,
    or a folder walked recursively in sorted order, skipping hidden entries. ``pattern``
    filters folder entries: without ``/`` it is matched against the file name, with ``/``
    against the path relative to the folder (``**/`` spans any number of folders).
    Files named ``*.jsonl``, ``*.ndjson`` (optionally ``.gz``) hold one record per line;
    an RSS/Atom feed (any name, gzip or not, stdin too) gives one page per item that carries
    article text (:mod:`warta.readers.feed_pages`).
    """
    if isinstance(inputs, str):  # a lone path is a common slip; do not iterate its letters
        inputs = [inputs]
    matcher = _compile_pattern(pattern) if pattern else None
    for name in inputs:
        if name == "-":
            yield from _read_stdin(stdin if stdin is not None else sys.stdin.buffer, max_bytes)
            continue
        try:
            info = os.stat(name)
        except OSError as exc:
            yield _failure(name, exc)
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _walk(name, matcher, max_bytes)
        else:
            # An explicit non-regular path (a pipe from <(...), /dev/stdin) is read as asked.
            yield from _read_path(name, info, max_bytes)


# -- files -------------------------------------------------------------------------------


def _is_container(path: str) -> bool:
    return path.lower().endswith(_CONTAINER_SUFFIXES)


def _read_path(path: str, info: os.stat_result, max_bytes: int) -> Iterator[Item]:
    """One file given by path: a container of records or a single page."""
    if path.lower().endswith(_WARC_SUFFIXES):
        # A WARC file has no size limit, only each record in it; imported here so that
        # the WARC library loads only when a WARC file shows up.
        from warta.readers.warc import iter_warc_pages

        yield from iter_warc_pages(path, max_bytes=max_bytes)
        return
    if _is_container(path):
        yield from _read_container(path, info, max_bytes)
        return
    if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes and _starts_like_feed(path):
        yield from _read_large_feed(path, info, max_bytes)
        return
    item = _read_file(path, info, max_bytes)
    if isinstance(item, Page) and item.data is not None:
        yield from _pages_of(item, max_bytes)
    else:
        yield item


def _pages_of(page: Page, max_bytes: int) -> Iterator[Item]:
    """The page itself, or one page per item when it is an RSS/Atom feed (any file name,
    gzip or not). The feed modules load only when a feed shows up."""
    from warta.readers.feeds import looks_like_feed

    if page.data is None or not looks_like_feed(page.data):
        yield page
        return
    from warta.readers.feed_pages import feed_pages

    yield from feed_pages(
        page.data,
        page.source,
        retrieved_at=page.retrieved_at,
        retrieved_at_kind=page.retrieved_at_kind,
        max_bytes=max_bytes,
    )


def _starts_like_feed(path: str) -> bool:
    """Whether a file too large for a page begins like a feed (which may be larger)."""
    from warta.readers.feeds import looks_like_feed

    try:
        with open(path, "rb") as handle:
            return looks_like_feed(handle.read(_FEED_SNIFF_BYTES))
    except OSError:
        return False  # reading it as a page reports the problem


def _read_large_feed(path: str, info: os.stat_result, max_bytes: int) -> Iterator[Item]:
    """A feed over the page limit: feeds are containers, read up to the feed limit."""
    from warta.readers.feed_pages import MAX_FEED_BYTES

    item = _read_file(path, info, MAX_FEED_BYTES)
    if isinstance(item, Page):
        yield from _pages_of(item, max_bytes)
    else:
        yield item


def _read_file(path: str, info: os.stat_result, max_bytes: int) -> Item:
    """Read one page's bytes, refusing by size before reading anything."""
    if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
        return _too_large(path, info.st_size, max_bytes)
    try:
        with open(path, "rb") as handle:
            current = os.fstat(handle.fileno())
            if stat.S_ISREG(current.st_mode) and current.st_size > max_bytes:
                return _too_large(path, current.st_size, max_bytes)
            # Read one byte past the limit: a file that grew, or a pipe, is caught too.
            data = _read_upto(handle, max_bytes + 1)
    except OSError as exc:
        return _failure(path, exc)
    if len(data) > max_bytes:
        error = InputTooLarge(f"input exceeds the page limit of {max_bytes} bytes", source=path)
        return ReadFailure(path, error)
    if not data:
        return ReadFailure(path, EmptyInput("empty file", source=path))
    return Page(
        source=path,
        data=data,
        retrieved_at=_mtime(current),
        retrieved_at_kind="file_mtime",
    )


def _too_large(path: str, size: int, max_bytes: int) -> ReadFailure:
    message = f"{size} bytes exceeds the page limit of {max_bytes} bytes"
    return ReadFailure(path, InputTooLarge(message, source=path))


def _read_upto(handle: IO[bytes], limit: int) -> bytes:
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


def _mtime(info: os.stat_result) -> datetime | None:
    try:
        return datetime.fromtimestamp(info.st_mtime, tz=UTC)
    except (OverflowError, OSError, ValueError):  # absurd timestamps on odd filesystems
        return None


# -- folders -----------------------------------------------------------------------------

# Work items of a folder walk: a folder to list, a file to read, or a failure to report.
_Ancestors = tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class _Folder:
    path: str
    rel: str
    ancestors: _Ancestors  # (device, inode) of this folder and those above it


@dataclass(frozen=True, slots=True)
class _File:
    path: str
    info: os.stat_result


def _walk(root: str, matcher: re.Pattern[str] | None, max_bytes: int) -> Iterator[Item]:
    """Depth-first walk in name order, skipping hidden entries.

    Symbolic links are followed (a linked folder is read like a real one); a link back to
    a folder above it is reported instead of looping forever. An explicit stack, not
    recursion, so deep trees cannot exhaust the interpreter's recursion limit.
    """
    try:
        info = os.stat(root)
    except OSError as exc:
        yield _failure(root, exc)
        return
    stack: list[_Folder | _File | ReadFailure] = [_Folder(root, "", ((info.st_dev, info.st_ino),))]
    while stack:
        item = stack.pop()
        if isinstance(item, ReadFailure):
            yield item
        elif isinstance(item, _File):
            yield from _read_path(item.path, item.info, max_bytes)
        else:
            # Children go on the stack in reverse so they come off it in name order.
            stack.extend(reversed(_list_folder(item, matcher)))


def _list_folder(
    folder: _Folder, matcher: re.Pattern[str] | None
) -> list[_Folder | _File | ReadFailure]:
    """Classify one folder's visible entries, in name order, without reading any file."""
    try:
        with os.scandir(folder.path) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        return [_failure(folder.path, exc)]
    items: list[_Folder | _File | ReadFailure] = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = entry.path
        rel = f"{folder.rel}/{entry.name}" if folder.rel else entry.name
        try:
            info = entry.stat()  # follows symbolic links, as reading the file would
        except OSError as exc:
            if exc.errno == errno.ENOENT and entry.is_symlink():
                items.append(ReadFailure(path, SourceNotFound("broken symbolic link", source=path)))
            else:
                items.append(_failure(path, exc))
            continue
        if stat.S_ISDIR(info.st_mode):
            key = (info.st_dev, info.st_ino)
            if key in folder.ancestors:
                error = SourceUnreadable("symbolic link loop back to a parent folder", source=path)
                items.append(ReadFailure(path, error))
            else:
                items.append(_Folder(path, rel, (*folder.ancestors, key)))
            continue
        if matcher is not None and matcher.fullmatch(rel) is None:
            continue
        if stat.S_ISREG(info.st_mode):
            items.append(_File(path, info))
        else:
            # Opening a FIFO would hang the walk; sockets and devices are not pages.
            items.append(ReadFailure(path, SourceUnreadable("not a regular file", source=path)))
    return items


def _compile_pattern(pattern: str) -> re.Pattern[str]:
    """Glob to regex: ``*`` and ``?`` stay inside one folder, ``**/`` spans folders."""
    pattern = pattern.replace(os.sep, "/").removeprefix("./")
    if "/" not in pattern:
        pattern = "**/" + pattern  # a bare name pattern applies at any depth
    parts: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            parts.append("(?:[^/]*/)*")
            i += 3
        elif pattern.startswith("**", i):
            parts.append(".*")
            i += 2
        elif pattern[i] == "*":
            parts.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            parts.append("[^/]")
            i += 1
        elif pattern[i] == "[":
            end = pattern.find("]", i + 2)
            if end == -1:
                parts.append(re.escape("["))
                i += 1
            else:
                # fnmatch knows [seq] and [!seq]; keep its rules for the class itself.
                parts.append(fnmatch.translate(pattern[i : end + 1])[4:-3])
                i = end + 1
        else:
            parts.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(parts), re.DOTALL)


# -- stdin and containers ----------------------------------------------------------------


def _read_stdin(stream: BinaryIO, max_bytes: int) -> Iterator[Item]:
    """All of stdin as one page, or as JSON Lines when its first visible byte is ``{``.

    Only as much is read up front as it takes to see that first byte; JSON Lines then
    stream line by line like a container file.
    """
    read_at = datetime.now(UTC)
    try:
        head = _read_until_visible(stream, max_bytes)
        is_records = _first_visible(head).startswith(b"{")
        if not is_records and len(head) <= max_bytes:
            head += _read_upto(stream, max_bytes + 1 - len(head))
    except (OSError, ValueError) as exc:  # ValueError: a closed stream
        yield ReadFailure(STDIN_SOURCE, SourceUnreadable(_reason(exc), source=STDIN_SOURCE))
        return
    if is_records:
        records = _PrefixedStream(head, stream)
        yield from _read_records(records, STDIN_SOURCE, max_bytes, read_at, "read_at")
    elif len(head) > max_bytes:
        message = f"input exceeds the page limit of {max_bytes} bytes"
        yield ReadFailure(STDIN_SOURCE, InputTooLarge(message, source=STDIN_SOURCE))
    elif not head:
        yield ReadFailure(STDIN_SOURCE, EmptyInput("empty input", source=STDIN_SOURCE))
    else:
        page = Page(
            source=STDIN_SOURCE, data=head, retrieved_at=read_at, retrieved_at_kind="read_at"
        )
        yield from _pages_of(page, max_bytes)


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


def _read_container(path: str, info: os.stat_result, max_bytes: int) -> Iterator[Item]:
    """A JSON Lines file, gzip-compressed or not, streamed one line at a time."""
    retrieved_at = _mtime(info)
    try:
        with open(path, "rb") as raw:
            if path.lower().endswith(".gz"):
                with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
                    yield from _read_records(unzipped, path, max_bytes, retrieved_at, "file_mtime")
            else:
                yield from _read_records(raw, path, max_bytes, retrieved_at, "file_mtime")
    except OSError as exc:  # opening or closing; read errors are handled per line
        yield _failure(path, exc)


class _LineSource(Protocol):
    def readline(self, limit: int, /) -> bytes: ...


def _read_records(
    stream: _LineSource,
    container: str,
    max_bytes: int,
    retrieved_at: datetime | None,
    kind: str,
) -> Iterator[Item]:
    """Turn each line into a page or a failure; a bad line never stops the rest."""
    # No valid record can need a longer line, so a longer one is refused unread.
    line_limit = max_bytes * _JSON_ESCAPE_FACTOR + _LINE_SLACK
    lineno = 0
    records = 0
    while True:
        lineno += 1
        try:
            line = stream.readline(line_limit)
            overlong = len(line) >= line_limit and not line.endswith(b"\n")
            while overlong:  # skip the rest of the line in bounded pieces
                more = stream.readline(line_limit)
                if not more or more.endswith(b"\n"):
                    break
        except (OSError, EOFError, ValueError, zlib.error) as exc:  # bad gzip data, I/O errors
            reason = f"line {lineno}: {_reason(exc)}"
            yield ReadFailure(container, SourceUnreadable(reason, source=container))
            return
        if not line:
            break
        source = f"{container}:{lineno}"
        if overlong:
            message = f"line {lineno}: record exceeds the page limit of {max_bytes} bytes"
            yield ReadFailure(source, InputTooLarge(message, source=container))
            records += 1
            continue
        if lineno == 1:
            line = line.removeprefix(_UTF8_BOM)
        if not line.strip():
            continue
        records += 1
        yield _parse_record(line, lineno, container, max_bytes, retrieved_at, kind)
    if records == 0:
        yield ReadFailure(container, EmptyInput("no records", source=container))


def _parse_record(
    line: bytes,
    lineno: int,
    container: str,
    max_bytes: int,
    retrieved_at: datetime | None,
    kind: str,
) -> Item:
    """One JSON Lines record: an object with a string ``text`` and an optional ``url``."""
    source = f"{container}:{lineno}"

    def malformed(why: str) -> ReadFailure:
        return ReadFailure(source, MalformedRecord(f"line {lineno}: {why}", source=container))

    try:
        record = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError:
        return malformed("not valid UTF-8")
    except json.JSONDecodeError as exc:
        return malformed(f"invalid JSON ({exc.msg} at column {exc.colno})")
    except (ValueError, RecursionError):  # absurd numbers, absurd nesting
        return malformed("invalid JSON")
    if not isinstance(record, dict):
        return malformed(f"expected a JSON object, got {_json_type(record)}")
    if "text" not in record:
        return malformed("missing 'text'")
    text = record["text"]
    if not isinstance(text, str):
        return malformed(f"'text' is {_json_type(text)}, not a string")
    url = record.get("url")
    if url is not None and not isinstance(url, str):
        return malformed(f"'url' is {_json_type(url)}, not a string")
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError:
        # JSON may escape lone surrogates ("\\ud800"); they cannot be written out later.
        text = _SURROGATE.sub("\ufffd", text)
        size = len(text.encode("utf-8"))
    if size > max_bytes:
        message = f"line {lineno}: text of {size} bytes exceeds the page limit of {max_bytes} bytes"
        return ReadFailure(source, InputTooLarge(message, source=container))
    if not text.strip():
        return ReadFailure(source, EmptyInput(f"line {lineno}: empty 'text'", source=container))
    return Page(
        source=source,
        text=text,
        url=url or None,
        retrieved_at=retrieved_at,
        retrieved_at_kind=kind if retrieved_at is not None else "unknown",
    )


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a number"
    return names.get(type(value), type(value).__name__)


def _reason(exc: BaseException) -> str:
    """A short lower-case reason from an exception, for one-line messages."""
    reason = (exc.strerror if isinstance(exc, OSError) else None) or str(exc)
    reason = reason or type(exc).__name__
    return reason[0].lower() + reason[1:]


def _failure(path: str, exc: OSError) -> ReadFailure:
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
        error = SourceUnreadable(_reason(exc), source=path)
    return ReadFailure(path, error)
