"""CLI commands of this area (registered on ``warta`` by warta.cli): ``warta export``."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, cast

import click

# kept here, not imported from warta.export.tables, so that ``warta --help`` loads nothing heavy
_FORMATS = ("jsonl", "csv", "parquet", "gdelt")
_TABLES = ("articles", "entities", "mentions", "places", "quotes", "events")


def _totals(store: Any, tables: tuple[str, ...], gdelt: bool) -> dict[str, int | None]:
    """Row counts for the progress bars, from the store's stats where it has them."""
    try:
        stats = store.stats()
    except Exception:  # counts only size the bars: an export without them is still right
        stats = {}
    totals: dict[str, int | None] = {}
    for table in tables:
        count = stats.get(table)
        totals[table] = count if isinstance(count, int) else None
    if gdelt:
        count = stats.get("events")
        totals["events_gdelt"] = count if isinstance(count, int) else None
    return totals


def _run_export(
    db: str | None,
    fmt: str,
    out: Path,
    tables: tuple[str, ...],
    gdelt: bool,
    quiet: bool,
    gdelt_header: bool = False,
) -> dict[str, tuple[Path, int]]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from warta.core.errors import StoreUnavailable
    from warta.export.tables import export
    from warta.store import DEFAULT_PATH, ENV, open_store

    where = db or os.environ.get(ENV) or DEFAULT_PATH
    if "://" not in where and not Path(where).is_file():  # opening would create an empty store
        raise StoreUnavailable("no store here (ingest pages first, or give --db)", source=where)
    counts: dict[str, int] = {}
    with open_store(where) as store:
        with_gdelt = gdelt or fmt == "gdelt"
        shown = () if fmt == "gdelt" else tables
        bars = Progress(
            TextColumn("{task.description:<13}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            disable=quiet or not sys.stderr.isatty(),
            transient=True,
        )
        with bars:
            tasks = {
                table: bars.add_task(table, total=total)
                for table, total in _totals(store, shown, with_gdelt).items()
            }

            def progress(table: str, rows: int) -> None:
                counts[table] = rows
                bars.update(tasks[table], completed=rows)

            paths = export(
                store,
                out,
                format=cast(Any, fmt),
                tables=tables,
                gdelt=gdelt,
                progress=progress,
                gdelt_header=gdelt_header,
            )
    # the sidecar of a positional GDELT file has one row per event row
    return {
        table: (path, counts.get(table, counts.get("events_gdelt", 0)))
        for table, path in paths.items()
    }


def register(main: click.Group) -> None:
    """Add this module's commands to ``main``."""

    @main.command("export")
    @click.option(
        "--db",
        default=None,
        help="The store: a SQLite file or a postgresql:// URL (default: $WARTA_DB, else ./warta.db).",
    )
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(_FORMATS),
        default="parquet",
        show_default=True,
        help="jsonl, csv or parquet: one file per table; gdelt: the events in GDELT 2.0 layout (TSV).",
    )
    @click.option(
        "-o",
        "--output",
        "--out",
        "out",
        required=True,
        type=click.Path(file_okay=False, path_type=Path),
        help="Folder to write into (created if missing; files of the same name are replaced).",
    )
    @click.option(
        "--table",
        "tables",
        multiple=True,
        type=click.Choice(_TABLES),
        help="Export only this table (repeatable; default: all).",
    )
    @click.option("--gdelt", is_flag=True, help="Also write the events in GDELT layout, in --format.")
    @click.option(
        "--gdelt-header",
        is_flag=True,
        help="With --format gdelt: a header line (GDELT's own files have none).",
    )
    @click.option("--quiet", "-q", is_flag=True, help="No progress bars.")
    def export_command(
        db: str | None,
        fmt: str,
        out: Path,
        tables: tuple[str, ...],
        gdelt: bool,
        gdelt_header: bool,
        quiet: bool,
    ) -> None:
        """Export the store to JSON Lines, CSV or Parquet, one file per table, streamed.

        The articles table carries retrieved_at and the warta, stage and model versions that
        produced each record. Files are readable by DuckDB and pandas as they are.
        """
        from warta.core.errors import WartaError

        try:
            written = _run_export(db, fmt, out, tables or _TABLES, gdelt, quiet, gdelt_header)
        except WartaError as exc:
            click.echo(f"warta: error: {exc.one_line()}", err=True)
            sys.exit(1)
        width = max((len(t) for t in written), default=0)
        for table, (path, rows) in written.items():
            click.echo(f"{table:<{width}}  {rows:>9,} rows  {path}")
