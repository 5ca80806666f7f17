"""JSON Lines containers (``*.jsonl``, ``*.ndjson``, optionally ``.gz``): one page per line.

Each line is an object with a string ``text``, an optional string ``url`` and optional given
metadata: ``title``, ``published`` (ISO 8601; a date without a zone is in the reader's time
zone, UTC unless ``--timezone`` says), ``outlet``, ``section``, ``authors`` (a list, or one
string of names separated by commas) and ``language``, taken as given (see
:mod:`warta.readers.given`); other keys are ignored. The file streams
one line at a time and has no size limit; each record has the page limit. A bad line is one
:class:`ReadFailure` naming ``file:line``, and reading goes on. Standard input that starts with
``{`` is read the same way (:mod:`warta.readers.stdin`).
"""

from __future__ import annotations

import gzip
import json
import os
import zlib
from collections.abc import Iterator
from datetime import datetime
from typing import Protocol

from warta.core import diskcache
from warta.core.errors import EmptyInput, InputTooLarge, MalformedRecord, SourceUnreadable
from warta.readers.base import Item, Page, Reader, ReadFailure, mtime, os_failure, reason
from warta.readers.given import GivenError, Reading, read_given

__all__ = ["SUFFIXES", "JsonLinesReader", "LineSource", "read_records"]

SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
_UTF8_BOM = b"\xef\xbb\xbf"
_SURROGATE = diskcache.compile("[\ud800-\udfff]")
# JSON can spell one byte of text as a six-byte escape, so a record line may be this many
# times longer than the page limit before its text must be over the limit.
_JSON_ESCAPE_FACTOR = 6
_LINE_SLACK = 64 * 1024


class JsonLinesReader(Reader):
    """Files named ``*.jsonl`` or ``*.ndjson`` (optionally ``.gz``), known by name alone."""

    name = "jsonl"
    suffixes = SUFFIXES

    def __init__(self, reading: Reading | None = None) -> None:
        #: how given dates are read (``--date-format``, ``--timezone``)
        self.reading = reading or Reading()

    def read(self, path: str, info: os.stat_result, max_bytes: int) -> Iterator[Item]:
        """A JSON Lines file, gzip-compressed or not, streamed one line at a time."""
        retrieved_at = mtime(info)
        try:
            with open(path, "rb") as raw:
                if path.lower().endswith(".gz"):
                    with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
                        yield from read_records(
                            unzipped, path, max_bytes, retrieved_at, "file_mtime", self.reading
                        )
                else:
                    yield from read_records(
                        raw, path, max_bytes, retrieved_at, "file_mtime", self.reading
                    )
        except OSError as exc:  # opening or closing; read errors are handled per line
            yield os_failure(path, exc)


class LineSource(Protocol):
    """What :func:`read_records` reads from: a binary file or stream."""

    def readline(self, limit: int, /) -> bytes: ...


def read_records(
    stream: LineSource,
    container: str,
    max_bytes: int,
    retrieved_at: datetime | None,
    kind: str,
    reading: Reading | None = None,
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
            why = f"line {lineno}: {reason(exc)}"
            yield ReadFailure(container, SourceUnreadable(why, source=container))
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
        yield _parse_record(line, lineno, container, max_bytes, retrieved_at, kind, reading)
    if records == 0:
        yield ReadFailure(container, EmptyInput("no records", source=container))


def _parse_record(
    line: bytes,
    lineno: int,
    container: str,
    max_bytes: int,
    retrieved_at: datetime | None,
    kind: str,
    reading: Reading | None = None,
) -> Item:
    """One JSON Lines record: an object with a string ``text``, an optional ``url`` and
    optional given metadata."""
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
    try:
        given = read_given(record, reading or Reading())
    except GivenError as exc:
        return malformed(str(exc))
    return Page(
        source=source,
        text=text,
        url=url or None,
        retrieved_at=retrieved_at,
        retrieved_at_kind=kind if retrieved_at is not None else "unknown",
        given=given or None,
    )


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a number"
    return names.get(type(value), type(value).__name__)
