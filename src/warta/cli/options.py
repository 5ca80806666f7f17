"""Command-line options shared by the commands that read pages (``extract``, ``ingest``), so
both spell, limit and document them the same way."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from warta.readers.base import DEFAULT_MAX_BYTES

F = TypeVar("F", bound=Callable[..., Any])


def _pipeline_spec(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    """``full``, ``clean``, or stage names separated by commas (plugin stages included),
    checked here so a bad pipeline is a usage error before any page is read."""
    from warta.core.errors import PipelineError
    from warta.run.pipeline import Pipeline, pipeline_spec

    try:
        spec = pipeline_spec(value)
        Pipeline.from_spec(spec)
    except PipelineError as exc:
        raise click.BadParameter(exc.message) from None
    return spec


pipeline_option = click.option(
    "--pipeline",
    "spec",
    default="full",
    show_default=True,
    metavar="full|clean|STAGE,...",
    callback=_pipeline_spec,
    help="full: clean and enrich (entities, quotes, events...); clean: cleaning and metadata "
    "only; or the stage names to run, separated by commas ('warta stages' lists them).",
)


def _reading_state(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """Check one of ``--columns``, ``--date-format``, ``--timezone`` and set up the CSV and JSON
    Lines readers of this process with all three so far (the last option's call has them all);
    with none given, the readers are the installed ones."""
    from warta.readers.csv_reader import CsvReader, parse_columns
    from warta.readers.given import GivenError, Reading, zone
    from warta.readers.jsonl import JsonLinesReader
    from warta.readers.registry import register, unregister

    if value is not None:
        try:
            if param.name == "columns":
                value = parse_columns(value)
            elif param.name == "timezone":
                zone(value)
            elif param.name == "date_format" and "%" not in value:
                raise ValueError(f"{value!r} has no % directive (e.g. '%m/%d/%Y %H:%M')")
        except (ValueError, GivenError) as exc:
            raise click.BadParameter(str(exc)) from None
    state: dict[str, Any] = ctx.meta.setdefault("warta.reading", {})
    state[str(param.name)] = value
    if not any(v is not None for v in state.values()):
        unregister("csv")
        unregister("jsonl")
        return value
    reading = Reading(date_format=state.get("date_format"), timezone=state.get("timezone"))
    register(CsvReader(state.get("columns"), reading))
    register(JsonLinesReader(reading))
    return value


def reading_options(command: F) -> F:
    """Add ``--jobs/-j``, ``--executor``, ``--scheduler``, ``--glob``, ``--max-bytes``,
    ``--no-join``, and for CSV and JSON Lines input ``--columns``, ``--date-format`` and
    ``--timezone`` to ``command``."""
    for option in reversed(
        [
            click.option(
                "--jobs",
                "-j",
                type=click.IntRange(1, 256),
                default=1,
                show_default=True,
                help="Worker processes (output is identical for any value).",
            ),
            click.option(
                "--executor",
                type=click.Choice(["local", "dask"]),
                default="local",
                show_default=True,
                help="local: this machine (-j processes); dask: a Dask cluster (--scheduler), "
                "or a LocalCluster of -j workers (at least 2) when no scheduler is given.",
            ),
            click.option(
                "--scheduler",
                default=None,
                metavar="tcp://HOST:PORT",
                help="The Dask scheduler to run on (with --executor dask).",
            ),
            click.option(
                "--glob",
                "pattern",
                default=None,
                help="Only files matching this glob inside folders.",
            ),
            click.option(
                "--max-bytes",
                type=click.IntRange(1),
                default=DEFAULT_MAX_BYTES,
                show_default=True,
                help="Largest single page accepted.",
            ),
            click.option(
                "--no-join",
                is_flag=True,
                help="Keep the pages of a multi-page article (?page=2, /2) apart.",
            ),
            click.option(
                "--columns",
                metavar="FIELD=COLUMN,...",
                default=None,
                expose_value=False,
                callback=_reading_state,
                help="CSV columns of text, url, title, published, outlet, section, authors, "
                "language (e.g. text=isi_berita,title=judul,published=tanggal); unmapped "
                "fields are read from columns of their own name.",
            ),
            click.option(
                "--date-format",
                default=None,
                expose_value=False,
                callback=_reading_state,
                help="How given publish dates are written (strptime, e.g. '%m/%d/%Y %H:%M'); "
                "default ISO 8601.",
            ),
            click.option(
                "--timezone",
                default=None,
                expose_value=False,
                callback=_reading_state,
                help="Time zone of given dates written without one (e.g. Asia/Jakarta); "
                "default UTC.",
            ),
        ]
    ):
        command = option(command)
    return command


def cluster_executor(
    kind: str, scheduler: str | None, spec: tuple[str, ...], jobs: int, *, quiet: bool
) -> Any:
    """The Dask executor for ``--executor dask`` (None: the local default), announcing the
    dashboard and reporting shards and pages done on stderr."""
    if kind != "dask":
        if scheduler:
            raise click.UsageError("--scheduler needs --executor dask")
        return None
    from warta.core.errors import MissingExtra
    from warta.core.extras import require

    try:
        require("dask", "--executor dask")
    except MissingExtra as exc:
        raise click.UsageError(exc.message) from None
    from warta.run.executors.dask_cluster import DaskExecutor, DaskProgress

    shown = {"dashboard": False, "at": 0.0}

    def report(p: DaskProgress) -> None:
        import time

        if quiet:
            return
        if not shown["dashboard"]:
            click.echo(f"warta: dask: {p.workers} workers, dashboard {p.dashboard}", err=True)
            shown["dashboard"] = True
        now = time.monotonic()
        if now - shown["at"] >= 2.0:
            shown["at"] = now
            click.echo(
                f"warta: dask: {p.shards_done} shards, {p.pages_done} pages, {p.pages_per_s:.1f} pages/s",
                err=True,
            )

    return DaskExecutor(spec, scheduler=scheduler, workers=max(jobs, 2), on_progress=report)


# -- the options every command has -------------------------------------------------------------

#: the one meaning of --quiet and --verbose on every command
QUIET_HELP = "Print nothing on stderr but errors (no progress, no notes)."
VERBOSE_HELP = "Also log on stderr what warta does, step by step."
#: the one meaning of --json and -o/--output where a command has them
JSON_HELP = "Print JSON on stdout."


def _log_to_stderr(level: int) -> None:
    import logging

    logger = logging.getLogger("warta")
    logger.setLevel(level)
    if not any(getattr(h, "_warta", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("warta: %(name)s: %(message)s"))
        handler._warta = True  # type: ignore[attr-defined]
        logger.addHandler(handler)


def _quiet(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    if value:
        import logging

        logging.getLogger("warta").setLevel(logging.ERROR)
    return value


def _verbose(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    if value:
        import logging

        _log_to_stderr(logging.DEBUG)
    return value


def leaf_commands(
    group: click.Group, path: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], click.Command]]:
    """Every command under ``group`` with its path of names (``("watch", "add")``)."""
    out: list[tuple[tuple[str, ...], click.Command]] = []
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            out.extend(leaf_commands(command, (*path, name)))
        else:
            out.append(((*path, name), command))
    return out


def share_common_options(group: click.Group) -> None:
    """Give every command ``--quiet/-q`` and ``--verbose/-v`` with one meaning. A command that
    reads ``quiet`` itself (its progress display) keeps its own parameter; it gets the shared
    help text and the shared effect on the log."""
    for _, command in leaf_commands(group):
        names = {o for p in command.params for o in getattr(p, "opts", [])}
        if "--quiet" in names:
            for p in command.params:
                if "--quiet" in getattr(p, "opts", []) and isinstance(p, click.Option):
                    p.help = QUIET_HELP
                    p.callback = _quiet
        else:
            command.params.append(
                click.Option(
                    ["--quiet", "-q"],
                    is_flag=True,
                    expose_value=False,
                    callback=_quiet,
                    help=QUIET_HELP,
                )
            )
        if "--verbose" not in names:
            command.params.append(
                click.Option(
                    ["--verbose", "-v"],
                    is_flag=True,
                    expose_value=False,
                    callback=_verbose,
                    help=VERBOSE_HELP,
                )
            )
