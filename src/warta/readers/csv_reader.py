"""CSV files (``*.csv``, ``*.tsv``, optionally ``.gz``): one page per row, with a header row.

Which column holds what is a mapping of warta's fields to the file's columns (``--columns
text=isi_berita,title=judul,published=tanggal``); a field not mapped is read from the column of
its own name, when there is one. ``text`` is the page; ``url`` its URL; ``title``,
``published``, ``outlet``, ``section``, ``authors`` and ``language`` are taken as given (see
:mod:`warta.readers.given`: dates by ``--date-format``, in ``--timezone``). The file streams
row by row; each row has the page limit. A bad row is one :class:`ReadFailure` naming
``file:line`` (the line the row starts on), and reading goes on; a file without the text
column is one failure that lists the columns it has.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import sys
from collections.abc import Iterator, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import IO, cast

from warta.core.errors import EmptyInput, InputTooLarge, MalformedRecord, SourceUnreadable
from warta.readers.base import Item, Page, Reader, ReadFailure, mtime, os_failure, reason
from warta.readers.given import GIVEN_FIELDS, GivenError, Reading, read_given

__all__ = ["FIELDS", "CsvReader", "parse_columns"]

#: The fields a column can be mapped to.
FIELDS: tuple[str, ...] = ("text", *GIVEN_FIELDS)


def parse_columns(spec: str) -> dict[str, str]:
    """``"text=isi_berita,title=judul"`` as {field: column}; ValueError naming what is wrong."""
    out: dict[str, str] = {}
    for part in spec.split(","):
        if not part.strip():
            continue
        field, sep, column = part.partition("=")
        field, column = field.strip().lower(), column.strip()
        if not sep or not column:
            raise ValueError(f"{part.strip()!r} is not FIELD=COLUMN")
        if field not in FIELDS:
            raise ValueError(f"unknown field {field!r}: one of {', '.join(FIELDS)}")
        if field in out:
            raise ValueError(f"field {field!r} mapped twice")
        out[field] = column
    return out


class CsvReader(Reader):
    """Files named ``*.csv`` or ``*.tsv`` (optionally ``.gz``), known by name alone."""

    name = "csv"
    suffixes = (".csv", ".tsv", ".csv.gz", ".tsv.gz")

    def __init__(
        self, columns: Mapping[str, str] | None = None, reading: Reading | None = None
    ) -> None:
        self.columns = MappingProxyType(dict(columns or {}))
        self.reading = reading or Reading()

    def read(self, path: str, info: os.stat_result, max_bytes: int) -> Iterator[Item]:
        try:
            with open(path, "rb") as raw:
                if path.lower().endswith(".gz"):
                    with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
                        yield from self._rows(unzipped, path, info, max_bytes)
                else:
                    yield from self._rows(raw, path, info, max_bytes)
        except OSError as exc:
            yield os_failure(path, exc)

    def _rows(
        self, raw: IO[bytes] | gzip.GzipFile, path: str, info: os.stat_result, max_bytes: int
    ) -> Iterator[Item]:
        retrieved_at = mtime(info)
        delimiter = "\t" if path.lower().removesuffix(".gz").endswith(".tsv") else ","
        text = io.TextIOWrapper(cast(IO[bytes], raw), encoding="utf-8-sig", newline="")
        csv.field_size_limit(min(sys.maxsize, max_bytes * 4 + 1024))
        rows = csv.reader(text, delimiter=delimiter)
        try:
            header = next(rows, None)
        except (csv.Error, UnicodeDecodeError, OSError, EOFError) as exc:
            yield ReadFailure(path, SourceUnreadable(f"header: {reason(exc)}", source=path))
            return
        if header is None:
            yield ReadFailure(path, EmptyInput("no header row", source=path))
            return
        mapping = self._mapping(header)
        if isinstance(mapping, str):
            yield ReadFailure(path, MalformedRecord(mapping, source=path))
            return
        start = rows.line_num + 1
        count = 0
        while True:
            try:
                row = next(rows)
            except StopIteration:
                break
            except (csv.Error, UnicodeDecodeError, OSError, EOFError) as exc:
                why = f"line {start}: {reason(exc)}"
                yield ReadFailure(f"{path}:{start}", SourceUnreadable(why, source=path))
                return
            line, start = start, rows.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            count += 1
            yield self._page(row, mapping, path, line, max_bytes, retrieved_at)
        if count == 0:
            yield ReadFailure(path, EmptyInput("no rows", source=path))

    def _mapping(self, header: list[str]) -> dict[str, int] | str:
        """field -> column index, or the message of a header that lacks a mapped column."""
        index = {name.strip(): i for i, name in enumerate(header)}
        out: dict[str, int] = {}
        for field in FIELDS:
            column = self.columns.get(field, field)
            if column in index:
                out[field] = index[column]
            elif field in self.columns or field == "text":
                have = ", ".join(repr(h.strip()) for h in header[:30])
                hint = "" if self.columns else " (map it with --columns text=COLUMN)"
                return f"no column {column!r} for {field}{hint}; the columns are {have}"
        return out

    def _page(
        self,
        row: list[str],
        mapping: dict[str, int],
        path: str,
        line: int,
        max_bytes: int,
        retrieved_at: datetime | None,
    ) -> Item:
        source = f"{path}:{line}"
        values = {f: row[i] if i < len(row) else "" for f, i in mapping.items()}
        body = values.pop("text")
        size = len(body.encode("utf-8", "replace"))
        if size > max_bytes:
            message = (
                f"line {line}: text of {size} bytes exceeds the page limit of {max_bytes} bytes"
            )
            return ReadFailure(source, InputTooLarge(message, source=path))
        if not body.strip():
            return ReadFailure(source, EmptyInput(f"line {line}: empty text", source=path))
        try:
            given = read_given(values, self.reading)
        except GivenError as exc:
            return ReadFailure(source, MalformedRecord(f"line {line}: {exc}", source=path))
        url = values.get("url", "").strip()
        return Page(
            source=source,
            text=body,
            url=url or None,
            retrieved_at=retrieved_at,
            retrieved_at_kind="file_mtime" if retrieved_at is not None else "unknown",
            given=given or None,
        )
