"""Exports of a store to JSON Lines, CSV and Parquet: one file per table, streamed.

Each table (:data:`~warta.store.base.EXPORT_TABLES`) is read with ``Store.rows(table)`` and
written batch by batch, so an export never holds a table in memory: JSON Lines one row per line,
CSV with a header (lists and objects as JSON text), Parquet through one ``ParquetWriter`` per
table with an explicit schema. A file is written under a temporary name and renamed when
complete, so a failed export never leaves a file that looks whole.

The Parquet schema of a table is its declared column types (:data:`DECLARED_TYPES`) applied to
the columns the store's first batch actually has; a column the declaration does not know gets a
type read from its values; a row with a column the first batch did not have is a store error.

The articles export always carries ``retrieved_at``, ``retrieved_at_kind`` and the versions
that produced each record (``warta_version``, ``stages``, ``models``), so an export can be
reproduced: the store's rows carry them (``produced_by`` is flattened).

``gdelt=True`` (or ``format="gdelt"``) adds the events in the GDELT Event 2.0 column layout
(:mod:`warta.export.gdelt`); ``format="gdelt"`` writes only that, tab-separated with a header line.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any, Literal, Protocol

from warta.core.errors import ExportError, StoreError
from warta.core.record import Article
from warta.export.gdelt import (
    GDELT_COLUMNS,
    GDELT_EVENT_COLUMNS,
    GDELT_TYPES,
    WARTA_COLUMNS,
    gdelt_row,
)
from warta.store.base import EXPORT_TABLES, Store
from warta.store.rows import PLACES_KEY

__all__ = [
    "DECLARED_TYPES",
    "EXPORT_FORMATS",
    "ExportError",
    "export",
    "write_rows",
]

Format = Literal["jsonl", "csv", "parquet", "gdelt"]
EXPORT_FORMATS: tuple[str, ...] = ("jsonl", "csv", "parquet", "gdelt")
_EXTENSIONS = {"jsonl": "jsonl", "csv": "csv", "parquet": "parquet", "gdelt": "gdelt.tsv"}
GDELT_TABLE = "events_gdelt"
DEFAULT_BATCH = 1000

#: progress(table, rows written so far): called after every batch and once when a table is done
Progress = Callable[[str, int], None]


# -- declared column types -------------------------------------------------------------------
# "string", "int", "float", "bool", "timestamp" (ISO text or datetime; UTC in Parquet),
# "strings" (a list of text; JSON text of a list is read too). A column of the store's rows that
# is not declared here gets its type from its first values.
_PROVENANCE = {
    "retrieved_at": "timestamp",
    "retrieved_at_kind": "string",
    "warta_version": "string",
    "stages": "string",
    "models": "string",
}
_SPAN = {"article_id": "string", "start": "int", "end": "int"}
# in the order the store yields them, so that an empty table's file has the same columns
DECLARED_TYPES: dict[str, dict[str, str]] = {
    "articles": {
        "id": "string",
        "url": "string",
        "canonical_url": "string",
        "source": "string",
        "outlet": "string",
        "language": "string",
        "title": "string",
        "authors": "strings",
        "published": "timestamp",
        "published_local": "string",
        "published_precision": "string",
        "modified": "timestamp",
        "section": "string",
        "tags": "strings",
        "keywords": "strings",
        "summary": "string",
        "fingerprint": "string",
        "body": "string",
        "revision": "int",
        "stored_at": "timestamp",
        **_PROVENANCE,
        # the corpus layer (null until 'warta group' or ingest placed the article)
        "story_id": "string",
        "duplicate_group": "int",
        "duplicate_original": "bool",
        "duplicate_carried": "float",
        "duplicate_added": "float",
    },
    "entities": {
        "id": "string",
        "canonical": "string",
        "type": "string",
        "mentions": "int",
        "articles": "int",
    },
    "mentions": {
        **_SPAN,
        "text": "string",
        "type": "string",
        "entity_id": "string",
        "canonical": "string",
        "source": "string",
        "region": "string",  # where the mention is a place resolved to a region
        "country": "string",
        "lat": "float",
        "lng": "float",
    },
    "places": {
        **_SPAN,
        "text": "string",
        "region": "string",
        "ambiguous": "bool",
        "country": "string",
        "lat": "float",
        "lng": "float",
    },
    "quotes": {
        "article_id": "string",
        "speaker": "string",
        "speaker_id": "string",
        "role": "string",  # the speaker's role and affiliation as the article writes them
        "affiliation": "string",
        "kind": "string",
        "cue": "string",
        "text": "string",
        "start": "int",
        "end": "int",
    },
    "events": {
        "article_id": "string",
        "category": "string",
        "mode": "string",
        "actor": "string",
        "target": "string",
        "place": "string",
        "when": "string",
        "confidence": "float",
        "reported_by": "string",
        "evidence": "string",
        "start": "int",
        "end": "int",
        "actor_id": "string",
        "actor_type": "string",
        "actor_country": "string",
        "target_id": "string",
        "target_type": "string",
        "target_country": "string",
    },
    "stories": {
        "id": "string",
        "title": "string",
        "first_at": "timestamp",
        "last_at": "timestamp",
        "articles": "int",
    },
}
#: the column every row of a table must have (checked on the first batch)
_KEY_COLUMN: dict[str, str | None] = {
    "articles": "id",
    "entities": "id",
    "mentions": "article_id",
    "places": "article_id",
    "quotes": "article_id",
    "events": "article_id",
    "stories": "id",
}


class _Writer(Protocol):
    def write(self, batch: list[dict[str, Any]]) -> None: ...

    def close(self) -> None: ...


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (set, tuple)):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON-able")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_json_default)


class _JsonlWriter:
    """One JSON object per line, keys as the store gave them."""

    def __init__(self, path: Path) -> None:
        self._file = path.open("w", encoding="utf-8", newline="\n")

    def write(self, batch: list[dict[str, Any]]) -> None:
        self._file.write("".join(_dumps(row) + "\n" for row in batch))

    def close(self) -> None:
        self._file.close()


class _CsvWriter:
    """CSV with a header from the first batch; lists and objects as JSON, None as empty."""

    def __init__(
        self,
        path: Path,
        table: str,
        columns: Sequence[str] | None = None,
        *,
        tsv: bool = False,
        header: bool = True,
    ) -> None:
        self._file = path.open("w", encoding="utf-8", newline="")
        self._csv = csv.writer(self._file, dialect="excel-tab" if tsv else "excel")
        self._table = table
        self._header = header
        self._columns: list[str] | None = list(columns) if columns else None
        if self._columns and header:
            self._csv.writerow(self._columns)

    def write(self, batch: list[dict[str, Any]]) -> None:
        if self._columns is None:
            self._columns = _columns_of(batch)
            self._csv.writerow(self._columns)
        columns = self._columns
        known = set(columns)
        for row in batch:
            _check_known(self._table, row, known)
            self._csv.writerow([_cell(row.get(c)) for c in columns])

    def close(self) -> None:
        if self._columns is None and self._header:  # an empty table still gets its header
            self._csv.writerow(list(DECLARED_TYPES.get(self._table, {})))
        self._file.close()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict, tuple, set)):
        return _dumps(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _columns_of(batch: Iterable[Mapping[str, Any]]) -> list[str]:
    seen: dict[str, None] = {}
    for row in batch:
        for key in row:
            seen.setdefault(key, None)
    return list(seen)


def _check_known(table: str, row: Mapping[str, Any], known: set[str]) -> None:
    extra = [k for k in row if k not in known]
    if extra:
        raise StoreError(
            f"row has column(s) {', '.join(extra)} that the first rows of the table did not have",
            source=table,
        )


# -- Parquet ---------------------------------------------------------------------------------


def _infer(values: list[Any]) -> str:
    """A column type from the first batch's values (for columns nobody declared)."""
    present = [v for v in values if v is not None]
    if not present:
        return "string"
    if all(isinstance(v, bool) for v in present):
        return "bool"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "int"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return "float"
    if all(isinstance(v, datetime) for v in present):
        return "timestamp"
    if all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in present):
        return "strings"
    return "json" if any(isinstance(v, (list, dict)) for v in present) else "string"


def _to_timestamp(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        raise TypeError(f"{type(value).__name__} is not a time")
    # naive times are taken as UTC: Parquet keeps one zone per column
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def _to_strings(value: Any) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = json.loads(value) if value.startswith("[") else [value]
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"{type(value).__name__} is not a list")
    return [str(x) for x in value]


def _to_json(value: Any) -> str | None:
    return None if value is None else value if isinstance(value, str) else _dumps(value)


def _to_string(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, dict)):
        return _dumps(value)
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _to_int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and not value.is_integer():
        raise TypeError(f"{value!r} is not a whole number")
    return int(value)


def _to_float(value: Any) -> float | None:
    return None if value is None or value == "" else float(value)


def _to_bool(value: Any) -> bool | None:
    return None if value is None else bool(value)


_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "string": _to_string,
    "json": _to_json,
    "int": _to_int,
    "float": _to_float,
    "bool": _to_bool,
    "timestamp": _to_timestamp,
    "strings": _to_strings,
}


def _arrow_type(kind: str) -> Any:
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

    return {
        "string": pa.string(),
        "json": pa.string(),
        "int": pa.int64(),
        "float": pa.float64(),
        "bool": pa.bool_(),
        "timestamp": pa.timestamp("us", tz="UTC"),
        "strings": pa.list_(pa.string()),
    }[kind]


class _ParquetWriter:
    """One ParquetWriter per table; its schema is fixed by the declaration and the first batch."""

    def __init__(self, path: Path, table: str, types: Mapping[str, str] | None = None) -> None:
        self._path = path
        self._table = table
        self._declared = dict(types) if types is not None else DECLARED_TYPES.get(table, {})
        self._fixed = types is not None  # a fixed layout (GDELT): every declared column, in order
        self._kinds: dict[str, str] | None = None
        self._writer: Any = None

    def _open(self, batch: list[dict[str, Any]]) -> None:
        import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
        import pyarrow.parquet as pq  # type: ignore[import-untyped, unused-ignore]

        # a fixed layout, or an empty table, has exactly the declared columns
        columns = list(self._declared) if self._fixed or not batch else _columns_of(batch)
        self._kinds = {
            c: self._declared.get(c) or _infer([row.get(c) for row in batch]) for c in columns
        }
        schema = pa.schema([pa.field(c, _arrow_type(k)) for c, k in self._kinds.items()])
        self._writer = pq.ParquetWriter(self._path, schema, compression="zstd")

    def write(self, batch: list[dict[str, Any]]) -> None:
        import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

        if self._writer is None:
            self._open(batch)
        assert self._kinds is not None
        kinds, known = self._kinds, set(self._kinds)
        arrays: dict[str, list[Any]] = {c: [] for c in kinds}
        for row in batch:
            _check_known(self._table, row, known)
            for column, kind in kinds.items():
                value = row.get(column)
                try:
                    arrays[column].append(_CONVERTERS[kind](value))
                except (TypeError, ValueError) as exc:
                    raise StoreError(
                        f"column {column!r} should hold {kind} values, got {value!r}: {exc}",
                        source=self._table,
                    ) from exc
        self._writer.write_table(pa.table(arrays, schema=self._writer.schema))

    def close(self) -> None:
        if self._writer is None:  # an empty table: the declared columns, no rows
            self._open([])
        self._writer.close()


def _writer(fmt: str, path: Path, table: str, types: Mapping[str, str] | None) -> _Writer:
    if fmt == "jsonl":
        return _JsonlWriter(path)
    if fmt == "parquet":
        return _ParquetWriter(path, table, types)
    return _CsvWriter(path, table, list(types) if types else None, tsv=fmt == "gdelt")


def _batches(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


def write_rows(
    rows: Iterable[dict[str, Any]],
    path: Path,
    *,
    format: str,
    table: str,
    types: Mapping[str, str] | None = None,
    batch_size: int = DEFAULT_BATCH,
    progress: Progress | None = None,
) -> int:
    """Write one table's rows to ``path``, pulling ``batch_size`` rows at a time; return the count.

    ``types`` fixes the columns and their order (the GDELT layout); without it the columns are
    the first batch's and the types :data:`DECLARED_TYPES`'s. The file appears only when whole."""
    partial = path.with_name(f".{path.name}.partial")
    writer = _writer(format, partial, table, types)
    written = 0
    try:
        for batch in _batches(rows, batch_size):
            if written == 0:
                _check_key(table, batch[0])
            writer.write(batch)
            written += len(batch)
            if progress is not None:
                progress(table, written)
        writer.close()
    except BaseException:
        with contextlib.suppress(Exception):  # the first error is the one to report
            writer.close()
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, path)
    if progress is not None:
        progress(table, written)
    return written


def _check_key(table: str, row: Mapping[str, Any]) -> None:
    key = _KEY_COLUMN.get(table)
    if key is not None and key not in row:
        raise StoreError(f"rows have no {key!r} column (columns: {', '.join(row)})", source=table)


# -- provenance and GDELT context from the stored article -------------------------------------


def _with_provenance(rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Article rows with the retrieval time and versions that produced them, always: the
    ``produced_by`` object of a row is flattened; a column a row lacks is empty (null)."""
    for row in rows:
        produced = row.pop("produced_by", None)
        if isinstance(produced, str) and produced.startswith("{"):
            produced = json.loads(produced)
        if isinstance(produced, Mapping):
            row.setdefault("warta_version", produced.get("warta"))
            row.setdefault("stages", produced.get("stages"))
            row.setdefault("models", produced.get("models"))
        for key in _PROVENANCE:
            row.setdefault(key, None)
        yield row


def _article_context(store: Store, article_id: str) -> dict[str, Any]:
    article = store.get(article_id)
    if article is None:
        return {"id": article_id}
    lead = next((b for b in article.blocks if b.kind == "paragraph"), None)
    return {
        "places": _places_named(article),
        "id": article_id,
        "url": article.url,
        "canonical_url": article.canonical_url,
        "source": article.source,
        "published": article.published,
        "retrieved_at": article.retrieved_at,
        "lead_end": lead.end if lead is not None else None,
    }


def _places_named(article: Article) -> list[dict[str, Any]]:
    """The article's resolved places, each with the names (text, canonical name; case-folded)
    an event's place may give it as."""
    found = article.extras.get(PLACES_KEY)
    if not isinstance(found, list):
        return []
    canonical = {(m.start, m.end): m.canonical for m in article.entities if m.canonical}
    out = []
    for place in found:
        if not isinstance(place, dict):
            continue
        names = {str(place.get("text", "")).casefold()}
        other = canonical.get((place.get("start"), place.get("end")))  # type: ignore[arg-type]
        if other:
            names.add(other.casefold())
        out.append({**place, "names": names})
    return out


def _gdelt_rows(store: Store) -> Iterator[dict[str, Any]]:
    """The events table in GDELT layout; each report is read once per run of its events."""
    context: dict[str, Any] = {}
    for event in store.rows("events"):
        article_id = str(event.get("article_id") or "")
        if context.get("id") != article_id:
            context = _article_context(store, article_id)
        yield gdelt_row(event, context)


# -- the export ------------------------------------------------------------------------------


def _check_request(fmt: str, tables: Sequence[str], batch_size: int) -> None:
    if fmt not in EXPORT_FORMATS:
        raise ExportError(f"unknown format {fmt!r} (choose from {', '.join(EXPORT_FORMATS)})", source=fmt)
    unknown = [t for t in tables if t not in EXPORT_TABLES]
    if unknown:
        raise ExportError(
            f"unknown table(s) {', '.join(map(repr, unknown))} (choose from {', '.join(EXPORT_TABLES)})",
            source=", ".join(unknown),
        )
    if batch_size < 1:
        raise ExportError(f"batch size must be at least 1, got {batch_size}", source="batch_size")
    if fmt == "parquet":
        from warta.core.extras import require

        require("parquet", "a Parquet export")


def _prepare(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise ExportError("the output path exists and is not a folder", source=str(out_dir))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create the output folder: {exc.strerror or exc}", source=str(out_dir)) from exc
    if not os.access(out_dir, os.W_OK):
        raise ExportError("the output folder is not writable", source=str(out_dir))


def export(
    store: Store,
    out_dir: str | Path,
    *,
    format: Format = "parquet",
    tables: Sequence[str] = EXPORT_TABLES,
    gdelt: bool = False,
    progress: Progress | None = None,
    batch_size: int = DEFAULT_BATCH,
    gdelt_header: bool = False,
) -> dict[str, Path]:
    """Export ``tables`` of ``store`` into ``out_dir`` as ``<table>.<format>``; return table -> path.

    ``gdelt`` adds ``events_gdelt.<format>`` in the GDELT layout (GDELT's 61 columns, then
    warta's). ``format="gdelt"`` writes only the events, exactly as GDELT 2.0 files are: the
    61 columns by position, tab-separated, no header line (``gdelt_header`` adds one), in
    ``events_gdelt.gdelt.tsv``; warta's own columns go to the sidecar
    ``events_gdelt.warta.tsv`` (with a header), joined on ``GLOBALEVENTID``. Raises :class:`ExportError` for a bad request or folder and
    :class:`~warta.core.errors.StoreError` when the store cannot be read."""
    _check_request(format, tables, batch_size)
    out = Path(out_dir)
    _prepare(out)
    written: dict[str, Path] = {}
    if format != "gdelt":
        for table in tables:
            path = out / f"{table}.{_EXTENSIONS[format]}"
            rows = store.rows(table)
            if table == "articles":
                rows = _with_provenance(rows)
            _write(rows, path, format, table, None, batch_size, progress)
            written[table] = path
    if format == "gdelt":
        written.update(_write_gdelt_files(store, out, gdelt_header, batch_size, progress))
    elif gdelt:
        path = out / f"{GDELT_TABLE}.{_EXTENSIONS[format]}"
        layout = {column: GDELT_TYPES[column] for column in GDELT_COLUMNS}
        _write(_gdelt_rows(store), path, format, GDELT_TABLE, layout, batch_size, progress)
        written[GDELT_TABLE] = path
    return written


#: the sidecar of a positional GDELT file: warta's own columns, keyed by GLOBALEVENTID
GDELT_SIDECAR = "events_gdelt_warta"


def _write_gdelt_files(
    store: Store, out: Path, header: bool, batch_size: int, progress: Progress | None
) -> dict[str, Path]:
    """The events as a GDELT 2.0 file (61 columns by position) and warta's sidecar, in one pass."""
    main_path = out / f"{GDELT_TABLE}.gdelt.tsv"
    side_path = out / f"{GDELT_TABLE}.warta.tsv"
    side_columns = ("GLOBALEVENTID", *WARTA_COLUMNS)
    partials = [p.with_name(f".{p.name}.partial") for p in (main_path, side_path)]
    main = _CsvWriter(partials[0], GDELT_TABLE, GDELT_EVENT_COLUMNS, tsv=True, header=header)
    side = _CsvWriter(partials[1], GDELT_SIDECAR, side_columns, tsv=True)
    written = 0
    try:
        for batch in _batches(_gdelt_rows(store), batch_size):
            main.write([{c: row.get(c) for c in GDELT_EVENT_COLUMNS} for row in batch])
            side.write([{c: row.get(c) for c in side_columns} for row in batch])
            written += len(batch)
            if progress is not None:
                progress(GDELT_TABLE, written)
        main.close()
        side.close()
    except BaseException:
        for writer in (main, side):
            with contextlib.suppress(Exception):
                writer.close()
        for partial in partials:
            partial.unlink(missing_ok=True)
        raise
    os.replace(partials[0], main_path)
    os.replace(partials[1], side_path)
    return {GDELT_TABLE: main_path, GDELT_SIDECAR: side_path}


def _write(
    rows: Iterable[dict[str, Any]],
    path: Path,
    fmt: str,
    table: str,
    types: Mapping[str, str] | None,
    batch_size: int,
    progress: Progress | None,
) -> None:
    try:
        write_rows(rows, path, format=fmt, table=table, types=types, batch_size=batch_size, progress=progress)
    except OSError as exc:
        raise ExportError(f"cannot write {path.name}: {exc.strerror or exc}", source=str(path)) from exc
