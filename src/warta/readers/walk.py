"""Find the pages to process: the driver that walks inputs and hands each to its reader.

Each input is ``-`` (standard input, :mod:`warta.readers.stdin`), a file, or a folder walked
here recursively in sorted order. Every file goes to the reader the registry
(:mod:`warta.readers.registry`) picks: by name for containers that stream (JSON Lines, WARC),
otherwise by its content once read (a feed, or one plain page).
"""

from __future__ import annotations

import errno
import fnmatch
import os
import re
import stat
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from warta.core.errors import SourceNotFound, SourceUnreadable
from warta.readers.base import (
    DEFAULT_MAX_BYTES,
    SNIFF_BYTES,
    STDIN_SOURCE,
    Item,
    Page,
    ReadFailure,
    os_failure,
)
from warta.readers.page import PageReader, read_page_file
from warta.readers.registry import ReaderError, for_content, for_name, pages_in, readers
from warta.readers.stdin import read_stdin

__all__ = ["iter_pages", "read_path"]


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
    article text (:mod:`warta.readers.feed_pages`). Formats added under the ``warta.readers``
    entry points are read the same way (:mod:`warta.readers.registry`).
    """
    if isinstance(inputs, str):  # a lone path is a common slip; do not iterate its letters
        inputs = [inputs]
    matcher = _compile_pattern(pattern) if pattern else None
    try:
        readers()  # load them once, here: a broken plugin fails each input, named
    except ReaderError as exc:
        for name in inputs:
            source = STDIN_SOURCE if name == "-" else name
            yield ReadFailure(source, ReaderError(exc.message, source=source))
        return
    for name in inputs:
        if name == "-":
            yield from read_stdin(stdin if stdin is not None else sys.stdin.buffer, max_bytes)
            continue
        try:
            info = os.stat(name)
        except OSError as exc:
            yield os_failure(name, exc)
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _walk(name, matcher, max_bytes)
        else:
            # An explicit non-regular path (a pipe from <(...), /dev/stdin) is read as asked.
            yield from read_path(name, info, max_bytes)


def read_path(path: str, info: os.stat_result, max_bytes: int) -> Iterator[Item]:
    """One file given by path, read by the reader its name or its content calls for."""
    reader = for_name(path)
    if reader is not None:  # a container: it streams, with no limit but each page's
        yield from reader.read(path, info, max_bytes)
        return
    if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
        # Too large for a page, but a format may allow more (a feed): its start decides.
        large = for_content(path, _head(path)) or PageReader()
        yield from large.read(path, info, max_bytes)
        return
    item = read_page_file(path, info, max_bytes)
    if isinstance(item, Page):
        yield from pages_in(item, max_bytes)
    else:
        yield item


def _head(path: str) -> bytes:
    """The start of a file, for sniffing; nothing when it cannot be read (the reader that
    reads it reports why)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(SNIFF_BYTES)
    except OSError:
        return b""


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
        yield os_failure(root, exc)
        return
    stack: list[_Folder | _File | ReadFailure] = [_Folder(root, "", ((info.st_dev, info.st_ino),))]
    while stack:
        item = stack.pop()
        if isinstance(item, ReadFailure):
            yield item
        elif isinstance(item, _File):
            yield from read_path(item.path, item.info, max_bytes)
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
        return [os_failure(folder.path, exc)]
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
                items.append(os_failure(path, exc))
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


#: endings of files that may hold many pages (besides those of registered container readers)
_MANY_PAGES = (".xml", ".rss", ".atom", ".json")


def count_pages(inputs: Sequence[str], *, pattern: str | None = None) -> int | None:
    """How many pages ``inputs`` hold, found by listing folders (no file is read), or None when
    that cannot be known this way: stdin, or a file that may hold many pages (JSON Lines, WARC,
    CSV, a feed). Progress displays use it to show a percentage and the time left."""
    many = tuple(s.lower() for r in readers() if r.name != "page" for s in r.suffixes) + _MANY_PAGES
    matcher = _compile_pattern(pattern) if pattern else None
    total = 0
    for source in inputs:
        if source == "-":
            return None
        try:
            info = os.stat(source)
        except OSError:
            total += 1  # a failure is one page's outcome
            continue
        if stat.S_ISREG(info.st_mode):
            if source.lower().endswith(many):
                return None
            total += 1
            continue
        stack: list[_Folder | _File | ReadFailure] = [
            _Folder(source, "", ((info.st_dev, info.st_ino),))
        ]
        while stack:
            item = stack.pop()
            if isinstance(item, _Folder):
                stack.extend(_list_folder(item, matcher))
            elif isinstance(item, _File) and item.path.lower().endswith(many):
                return None
            else:
                total += 1
    return total
