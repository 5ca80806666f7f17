"""``warta ingest``, ``warta stats``, ``warta failures`` and ``warta search``: the store from the
command line. Each command is a thin layer over :func:`warta.run.ingest.ingest` and the
:class:`warta.store.base.Store` interface.

The store is ``./warta.db`` (SQLite) unless ``--db`` or the ``WARTA_DB`` environment variable
names another file or a ``postgresql://`` URL. Exit status: 0 done; 1 some pages failed, or the
store could not be opened or written; 2 a bad command line or query (one line on stderr).
"""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, NoReturn

import click

from warta.cli.options import JSON_HELP, cluster_executor, pipeline_option, reading_options
from warta.store import DEFAULT_PATH, ENV, redact

if TYPE_CHECKING:
    from warta.run.ingest import IngestReport
    from warta.store.base import SearchResult, Store


_db_option = click.option(
    "--db",
    "db",
    envvar=ENV,
    default=DEFAULT_PATH,
    show_default=True,
    metavar="PATH|URL",
    help="The store: a SQLite file or a postgresql:// URL (also from WARTA_DB).",
)
_json_option = click.option("--json", "as_json", is_flag=True, help=JSON_HELP)


def register(main: click.Group) -> None:
    """Add this module's commands to ``main``."""
    for command in (ingest, stats, failures, search):
        main.add_command(command)


# -- shared helpers ---------------------------------------------------------------------------


def _fail(message: str, status: int = 1) -> NoReturn:
    click.echo(f"warta: error: {message}".replace("\n", " "), err=True)
    sys.exit(status)


def _is_url(location: str) -> bool:
    return location.startswith(("postgresql://", "postgres://"))


@contextmanager
def _store(location: str, *, create: bool) -> Iterator[Store]:
    """The opened store; a one-line error (exit 1) for a missing or unreachable one, and for
    a read command on a SQLite file that does not exist (no empty store is made by reading).
    Read commands (``create=False``) open it read-only, so a read-only store file serves."""
    from warta.core.errors import QueryError, WartaError
    from warta.store import open_store

    if not create and not _is_url(location) and not os.path.exists(location):
        _fail(f"{location}: not_found: no store here yet (run 'warta ingest' first, or give --db)")
    try:
        with open_store(location, read_only=not create) as store:
            yield store
    except QueryError as exc:
        _fail(exc.one_line(), 2)
    except WartaError as exc:
        _fail(exc.one_line())


def _echo_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, default=_json_default))


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    return str(value)


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


# -- ingest -----------------------------------------------------------------------------------


@click.command("ingest")
@click.argument("sources", nargs=-1, required=True)
@_db_option
@pipeline_option
@reading_options
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress bar on stderr [default: when stderr is a terminal].",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary table.")
@_json_option
@click.option(
    "--no-corpus",
    is_flag=True,
    help="Do not place the new articles among duplicates and stories now ('warta group' does it later).",
)
@click.option(
    "--no-templates",
    is_flag=True,
    help="Do not learn or remove outlet templates (furniture an outlet repeats; kept in the store).",
)
@click.option(
    "--parquet",
    "parquet_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Also write the stored articles to this Parquet dataset, partitioned by outlet and "
    "month (idempotent: a rerun writes nothing twice).",
)
def ingest(
    sources: tuple[str, ...],
    db: str,
    spec: tuple[str, ...],
    jobs: int,
    executor: str,
    scheduler: str | None,
    pattern: str | None,
    max_bytes: int,
    no_join: bool,
    progress: bool | None,
    quiet: bool,
    as_json: bool,
    no_corpus: bool = False,
    no_templates: bool = False,
    parquet_dir: Path | None = None,
) -> None:
    """Extract SOURCES (files, folders, '-', JSON Lines, WARC, 'warta crawl' output, 'warta
    extract' records) into the store.

    Idempotent: the same input again adds nothing, a new version of an article replaces the
    old one and keeps it as a revision. Resumable: after an interruption (even kill -9) run
    the same command again; pages already stored or failed are skipped without extracting.
    Exit status 1 when any page failed ('warta failures' lists them). Each outlet's repeated
    furniture is learned as pages are read and removed from its later pages; what was learned
    is kept in the store ('warta templates --db' lists it).
    """
    from warta.run.ingest import ingest as run_ingest
    from warta.run.ingest_templates import with_templates

    show = (sys.stderr.isatty() if progress is None else progress) and not quiet
    bar = _ProgressBar(_page_total(sources, pattern)) if show else None
    previous = signal.getsignal(signal.SIGTERM)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        with _store(db, create=True) as store:
            dataset = None
            if parquet_dir is not None:
                from warta.store.parquet_dataset import ParquetDataset

                dataset = ParquetDataset(parquet_dir)
            if bar is not None:
                bar.start()
            report = run_ingest(
                list(sources),
                store,
                jobs=jobs,
                # a cluster's workers run the templates stage too; the ingest keeps what they learn
                executor=cluster_executor(
                    executor,
                    scheduler,
                    spec if no_templates else with_templates(spec),
                    jobs,
                    quiet=quiet,
                ),
                spec=spec,
                progress=bar.update if bar is not None else None,
                pattern=pattern,
                max_bytes=max_bytes,
                join_multipage=not no_join,
                corpus=not no_corpus,
                templates=not no_templates,
                dataset=dataset,
            )
    except KeyboardInterrupt:
        if bar is not None:
            bar.stop()
        _fail("interrupted: run the same command again to resume where it stopped", 130)
    finally:
        if bar is not None:
            bar.stop()
        signal.signal(signal.SIGTERM, previous)
    if not quiet:
        _summary(report, db)
        if report.placed:
            click.echo(
                f"corpus: placed {report.placed} articles, {report.copies} in duplicate "
                f"groups, {report.stories_opened} new stories",
                err=True,
            )
        if report.unreadable:
            click.echo(
                f"corpus: {report.unreadable} stored articles could not be read back and were "
                "left unplaced (the log names them)",
                err=True,
            )
    if as_json:
        _echo_json(report.to_dict())
    if report.failed_total:
        sys.exit(1)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _page_total(sources: Sequence[str], pattern: str | None) -> int | None:
    """The number of pages when listing the inputs tells it (folders of pages), else None."""
    from warta.readers.walk import count_pages

    return count_pages(sources, pattern=pattern)


class _ProgressBar:
    """A rich progress line on stderr: pages done (of how many, with the percentage and the
    time left, when that is known before reading), pages/s and the outcomes so far."""

    def __init__(self, total: int | None = None) -> None:
        from rich.progress import (
            BarColumn,
            Progress,
            SpinnerColumn,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        columns: list[Any] = [SpinnerColumn()]
        if total is not None:
            columns += [
                BarColumn(),
                TextColumn("{task.completed}/{task.total} pages"),
                TaskProgressColumn(),
                TimeRemainingColumn(),
            ]
        else:
            columns.append(TextColumn("{task.completed} pages"))
        columns += [
            TextColumn("{task.fields[rate]} pages/s"),
            TimeElapsedColumn(),
            TextColumn("{task.description}", style="dim"),
        ]
        self.progress = Progress(*columns, console=_stderr_console(), transient=True)
        self.task = self.progress.add_task("", total=total, rate="0.0")
        self.running = False

    def start(self) -> None:
        self.progress.start()
        self.running = True

    def stop(self) -> None:
        if self.running:
            self.progress.stop()
            self.running = False

    def update(self, report: IngestReport) -> None:
        rate = report.pages / report.elapsed_s if report.elapsed_s > 0 else 0.0
        self.progress.update(
            self.task,
            completed=report.pages,
            rate=f"{rate:.1f}",
            description=f"{report.new} new, {report.updated} updated, "
            f"{report.unchanged} unchanged, {report.skipped} skipped, "
            f"{report.failed_total} failed",
        )


def _summary(report: IngestReport, db: str) -> None:
    """The end summary table on stderr."""
    from rich.table import Table

    table = Table(title=f"warta ingest · run {report.run_id}", show_header=False, box=None)
    table.add_column(justify="left")
    table.add_column(justify="right")
    rows: list[tuple[str, str]] = [
        ("new", str(report.new)),
        ("updated", str(report.updated)),
        ("unchanged", str(report.unchanged)),
        ("skipped (done by an earlier run)", str(report.skipped)),
        ("stored with a failed stage", str(report.partial)),
        ("failed", str(report.failed_total)),
    ]
    rows += [(f"  {reason}", str(n)) for reason, n in report.failed.most_common()]
    rows += [
        ("pages", str(report.pages)),
        ("time", f"{report.elapsed_s:.1f} s ({report.pages_per_s:.1f} pages/s)"),
    ]
    for label, value in rows:
        table.add_row(label, value)
    console = _stderr_console()
    console.print(table)
    if report.failed_total:
        where = "" if db == DEFAULT_PATH else f" --db {redact(db)}"
        console.print(f"see the failed pages with: warta failures{where}")


# -- stats and failures -----------------------------------------------------------------------


@click.command("stats")
@_db_option
@_json_option
def stats(db: str, as_json: bool) -> None:
    """Counts of what the store holds: articles, revisions, entities, quotes, events, failures,
    runs, and the top outlets, entities and speakers."""
    with _store(db, create=False) as store:
        counts = store.stats()
        location = store.location
    if as_json:
        _echo_json(counts)
        return
    click.echo(f"store: {location}")
    for name, value in counts.items():
        if isinstance(value, list | tuple):
            click.echo(f"{name}:")
            for row in value:
                click.echo("  " + _row_text(row))
        elif isinstance(value, dict):
            click.echo(f"{name}:")
            for key, item in value.items():
                click.echo(f"  {key}: {item}")
        else:
            click.echo(f"{name}: {value}")


def _row_text(row: Any) -> str:
    if isinstance(row, list | tuple):
        *names, count = row
        return f"{' '.join(str(n) for n in names)}: {count}"
    if isinstance(row, dict):
        return ", ".join(f"{k}={v}" for k, v in row.items())
    return str(row)


@click.command("failures")
@_db_option
@click.option("--limit", type=click.IntRange(1), default=100, show_default=True)
@_json_option
def failures(db: str, limit: int, as_json: bool) -> None:
    """Pages that could not be ingested, newest first, with their reason."""
    with _store(db, create=False) as store:
        rows = store.failures(limit=limit)
    if as_json:
        _echo_json(
            [
                {
                    "source": f.source,
                    "url": f.url,
                    "reason": f.reason,
                    "message": f.message,
                    "run_id": f.run_id,
                    "at": f.at,
                }
                for f in rows
            ]
        )
        return
    for f in rows:
        where = f"{f.source} ({f.url})" if f.url else f.source
        click.echo(f"{f.at:%Y-%m-%d %H:%M:%S}  {where}: {f.reason}: {f.message}".replace("\n", " "))
    if not rows:
        click.echo("no failed pages", err=True)


# -- search -----------------------------------------------------------------------------------


def _when(
    next_day: bool,
) -> Callable[[click.Context, click.Parameter, str | None], datetime | None]:
    """A click callback reading a date or datetime; without a zone it is UTC. The store's
    ``until`` is exclusive, so a bare date given to --until means the start of the next day
    (the day itself is included)."""

    def convert(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime | None:
        if value is None:
            return None
        text = value.strip()
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise click.BadParameter(
                f"{value!r} is not a date (YYYY-MM-DD) or an ISO date and time"
            ) from None
        if next_day and len(text) == 10:  # YYYY-MM-DD
            parsed += timedelta(days=1)
        return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)

    return convert


@click.command("search")
@click.argument("query", required=False, default="")
@_db_option
@click.option(
    "--outlet",
    "outlets",
    multiple=True,
    help="Only this outlet, by name or as typed ('detik'); repeat for several.",
)
@click.option("--since", callback=_when(False), help="Published on or after (YYYY-MM-DD or ISO).")
@click.option(
    "--until",
    callback=_when(True),
    help="Published before this time (a bare date includes that day).",
)
@click.option(
    "--entity",
    default=None,
    help="Names this entity: an id, its name or an alias, any case ('KPK', 'Jokowi', 'AS').",
)
@click.option("--speaker", default=None, help="Quotes this speaker: an id, a name or an alias.")
@click.option(
    "--event", default=None, help="Has an event of this PLOVER category (ASSAULT, PROTEST...)."
)
@click.option("--place", default=None, help="Names this place: an id, its name or an alias.")
@click.option(
    "--region",
    default=None,
    help="Names a place inside this region, its children included: a Kemendagri code "
    "('72' = Sulawesi Tengah and all in it), a country code ('RU') or a name ('Sulteng').",
)
@click.option("--language", default=None, help="Written in this language (id, en, ...).")
@click.option(
    "--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True
)
@click.option(
    "--limit", type=click.IntRange(1), default=20, show_default=True, help="Hits per page."
)
@click.option("--cursor", default=None, help="The next_cursor printed by the previous page.")
@click.option("--facets", is_flag=True, help="Also count hits by outlet, year, language, entity...")
@click.option("--story", default=None, help="Only the articles of this story (see 'warta stories').")
@click.option("--duplicates-of", default=None, metavar="ARTICLE_ID", help="Only the other copies of this article.")
@click.option("--originals-only", is_flag=True, help="Leave out copies: each report text once.")
@_json_option
def search(
    query: str,
    db: str,
    outlets: tuple[str, ...],
    since: datetime | None,
    until: datetime | None,
    entity: str | None,
    speaker: str | None,
    event: str | None,
    place: str | None,
    region: str | None,
    language: str | None,
    sort: str,
    limit: int,
    cursor: str | None,
    facets: bool,
    story: str | None,
    duplicates_of: str | None,
    originals_only: bool,
    as_json: bool,
) -> None:
    """Find stored articles: words, "a phrase", AND/OR/NOT, plus filters. An empty QUERY lists
    every article the filters let through. Names resolve through the gazetteer and the store's
    aliases; exit status 2 for a query that cannot be run, an unknown event category, or a name
    the store does not hold (with the names probably meant)."""
    from warta.store.base import SearchRequest

    request = SearchRequest(
        query=query,
        outlets=outlets,
        since=since,
        until=until,
        language=language,
        entity=entity,
        speaker=speaker,
        event=event,
        place=place,
        region=region,
        story=story,
        duplicates_of=duplicates_of,
        originals_only=originals_only,
        sort="date" if sort == "date" else "relevance",
        limit=limit,
        cursor=cursor,
        facets=facets,
    )
    with _store(db, create=False) as store:
        result = store.search(request)
    if result.unknown:
        _fail("; ".join(u.message() for u in result.unknown), 2)
    if as_json:
        _echo_json(_result_dict(result))
    else:
        _print_result(result)


def _result_dict(result: SearchResult) -> dict[str, Any]:
    return {
        "total": result.total,
        "total_exact": result.total_exact,
        "next_cursor": result.next_cursor,
        "hits": [
            {
                "id": h.id,
                "url": h.url,
                "title": h.title,
                "outlet": h.outlet,
                "published": h.published,
                "language": h.language,
                "score": h.score,
                "snippet": h.snippet,
            }
            for h in result.hits
        ],
        "facets": {name: [list(pair) for pair in pairs] for name, pairs in result.facets.items()},
        **({"facets_exact": result.facets_exact, "facets_over": result.facets_over} if result.facets else {}),
    }


def _print_result(result: SearchResult) -> None:
    for hit in result.hits:
        day = f"{hit.published:%Y-%m-%d}" if hit.published else "----------"
        click.echo(f"{day}  {hit.outlet or '?'}  {hit.title or '(no title)'}  [{hit.id}]")
        if hit.url:
            click.echo(f"    {hit.url}")
        if hit.snippet:
            click.echo(f"    {' '.join(hit.snippet.split())}")
    for name, pairs in result.facets.items():
        click.echo(f"{name}: " + ", ".join(f"{value} {n}" for value, n in pairs))
    if result.facets and not result.facets_exact:
        click.echo(f"(facets counted over the newest {result.facets_over:,} matches)")
    shown = len(result.hits)
    more = f"; next page: --cursor {result.next_cursor}" if result.next_cursor else ""
    total = f"{result.total:,}" + ("" if result.total_exact else "+")
    click.echo(f"{shown} of {total} articles{more}", err=True)
