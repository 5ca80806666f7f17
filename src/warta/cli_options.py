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
    from warta.errors import PipelineError
    from warta.ingest import pipeline_spec
    from warta.pipeline import Pipeline

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


def reading_options(command: F) -> F:
    """Add ``--jobs/-j``, ``--executor``, ``--scheduler``, ``--glob``, ``--max-bytes`` and ``--no-join`` to ``command``."""
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
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise click.UsageError("--executor dask needs Dask: pip install 'warta[dask]'") from None
    from warta.executors.dask_cluster import DaskExecutor, DaskProgress

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
