"""The ``warta`` command: a thin surface over :mod:`warta.api`."""

from __future__ import annotations

import gc
import json
import shlex
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from warta import __version__
from warta.cli.options import (
    JSON_HELP,
    cluster_executor,
    pipeline_option,
    reading_options,
    share_common_options,
)
from warta.core.record import Article

#: What turns the cycle collector on again after :meth:`_LazyGroup.main` paused it.
_PAUSED_GC: list[Callable[[], None]] = []
#: Whether a command of this process froze its start-up's objects (given back to the
#: collector when the next command starts).
_FROZEN: list[bool] = []


def _pause_gc() -> None:
    """Turn the cycle collector off for the start-up: the stages' modules, models and tables
    are hundreds of thousands of objects that all live on, which the collector would traverse
    again and again (≈12 % of a single-page ``extract``). :func:`_resume_gc` turns it on again:
    ``extract`` when its first record is out, every other command as it starts, and the group
    when the command ends in any way. A caller that froze objects itself keeps its own."""
    if gc.isenabled():
        gc.disable()
        _PAUSED_GC.append(_freeze_and_enable if gc.get_freeze_count() == 0 else gc.enable)


def _freeze_and_enable() -> None:
    # the start-up's objects move to the permanent generation first: turned on with them
    # young, the collector's next pass would traverse them all at once (≈50 ms)
    gc.freeze()
    _FROZEN.append(True)
    gc.enable()


def _unfreeze() -> None:
    """Give what an earlier command of this process froze back to the collector, and collect:
    a process that calls the commands many times (tests) keeps at most the last one's
    start-up objects from it. Not done when a command ends: the process usually ends with
    it, and its last collection would traverse all of them (≈25 ms)."""
    if _FROZEN:
        _FROZEN.clear()
        gc.unfreeze()
        gc.collect()


def _resume_gc() -> None:
    while _PAUSED_GC:
        _PAUSED_GC.pop()()


def _error_line(article: Article, which: int = 0) -> str:
    err = article.errors[which]
    return f"warta: error: {article.source}: {err.reason}: {err.message}".replace("\n", " ")


def _failure_json(article: Article) -> str:
    import json

    errors = [{"stage": e.stage, "reason": e.reason, "message": e.message} for e in article.errors]
    return json.dumps(
        {"source": article.source, "url": article.url, "errors": errors}, ensure_ascii=False
    )


def _shown(article: Article, *, fmt: str, pretty: bool, explain: bool) -> str:
    """What ``warta extract`` prints for one record (raises when it cannot be written)."""
    if explain:
        from warta.api import explain as explain_lines

        lines = [f"== {article.source}\n"]
        for d in explain_lines(article.raw_text):
            lines.append(f"{d.line + 1:>5}  {d.label:<11} {d.rule:<42} | {d.text}\n")
        lines.append(
            f"   -> credit prefix {article.credit!r}, dateline {article.dateline!r}, "
            f"outlet {article.outlet!r}, published {article.published_raw!r}\n"
        )
        return "".join(lines)
    if fmt == "text":
        return reader_text(article) + "\n"
    from warta.core.serialize import article_to_json

    return article_to_json(article, pretty=pretty) + "\n"


def reader_text(article: Article) -> str:
    """The clean reader view: a metadata header, then the body with crossheads marked."""
    header = [
        ("Title", article.title),
        ("Outlet", article.outlet),
        ("Published", article.published.isoformat() if article.published else None),
        ("Updated", article.modified.isoformat() if article.modified else None),
        ("Dateline", article.dateline),
        ("Authors", ", ".join(article.authors) or None),
        ("Editors", ", ".join(article.editors) or None),
        ("Wire", ", ".join(article.wire_sources) or None),
        ("Language", f"{article.language} ({article.language_confidence:.2f})"),
        ("Source", article.source),
    ]
    lines = [f"{k}: {v}" for k, v in header if v]
    lines.append("")
    for block in article.blocks:
        text = article.body[block.start : block.end]
        lines.append(f"## {text}" if block.kind == "heading" else text)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


#: Command name -> the module under ``warta.cli`` whose ``register(main)`` adds it. A module is
#: imported only when one of its commands runs (or ``--help`` lists them all): ``warta extract``
#: on one page does not pay for the store, the crawler or the corpus commands.
LAZY_COMMANDS: dict[str, str] = {
    "group": "corpus",
    "duplicates": "corpus",
    "rising": "corpus",
    "stories": "corpus",
    "story": "corpus",
    "trends": "corpus",
    "corpus": "lmcorpus",
    "crawl": "crawl",
    "entities": "lookups",
    "entity": "lookups",
    "events": "lookups",
    "quotes": "lookups",
    "watch": "watch",
    "export": "export",
    "serve": "serve",
    "failures": "store",
    "ingest": "store",
    "search": "store",
    "stats": "store",
    "templates": "templates",
    "train": "train",
}


class _LazyGroup(click.Group):
    """A group whose commands in :data:`LAZY_COMMANDS` load on first use, run with the cycle
    collector paused for their start-up (:func:`_pause_gc`)."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        _unfreeze()
        _pause_gc()
        try:
            return super().main(*args, **kwargs)
        finally:
            _resume_gc()

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(LAZY_COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in LAZY_COMMANDS:
            _register(LAZY_COMMANDS[cmd_name], self)
        return super().get_command(ctx, cmd_name)


def _register(module: str, group: click.Group) -> None:
    from importlib import import_module

    import_module(f"warta.cli.{module}").register(group)
    share_common_options(group)


def load_all_commands() -> click.Group:
    """The ``warta`` group with every lazy command loaded (for listing and checking them all)."""
    for module in sorted(set(LAZY_COMMANDS.values())):
        if not all(name in main.commands for name, m in LAZY_COMMANDS.items() if m == module):
            _register(module, main)
    share_common_options(main)
    return main


@click.group(cls=_LazyGroup)
@click.version_option(__version__, prog_name="warta")
def main() -> None:
    """warta: clean, structured news records from raw news pages."""
    if click.get_current_context().invoked_subcommand != "extract":
        _resume_gc()  # only extract's start-up runs without the collector


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "text"]),
    default="json",
    help="json: one JSON record per page (JSON Lines); text: the clean reader text.",
)
@click.option("--pretty", is_flag=True, help="Indent the JSON records.")
@click.option(
    "--explain", is_flag=True, help="Print every line with its label and the deciding rule."
)
@pipeline_option
@reading_options
@click.option("--quiet", "-q", is_flag=True, help="No progress display.")
@click.option(
    "--failures",
    "failures_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write each failed page as a JSON line to this file.",
)
def extract(
    inputs: tuple[str, ...],
    fmt: str,
    pretty: bool,
    explain: bool,
    spec: tuple[str, ...],
    jobs: int,
    executor: str,
    scheduler: str | None,
    pattern: str | None,
    max_bytes: int,
    quiet: bool,
    failures_path: Path | None,
    no_join: bool,
) -> None:
    """Extract clean articles from INPUTS: files, folders, '-' for stdin, .jsonl files, WARC
    archives, or RSS/Atom feeds (one record per item that carries its article).

    Exit status 0 when every page was extracted, 1 when any page failed (each failure is
    reported on stderr as one line naming the page and the reason).
    """
    from warta.api import extract_paths
    from warta.core.errors import WartaError
    from warta.core.record import ProcessingError

    failures: Counter[str] = Counter()
    total = 0
    progress = None
    show = not quiet and sys.stderr.isatty()
    if show:
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TextColumn("{task.completed} pages"),
            TimeElapsedColumn(),
            transient=True,
            console=None,
        )
        progress.start()
        task = progress.add_task("extracting", total=None)
    out = sys.stdout
    quarantine = failures_path.open("w", encoding="utf-8") if failures_path else None
    if jobs != 1 or executor != "local":
        _resume_gc()  # worker processes forked now would inherit the paused collector
    try:
        articles = extract_paths(
            list(inputs),
            pattern=pattern,
            max_bytes=max_bytes,
            jobs=jobs,
            spec=spec,
            join_multipage=not no_join,
            executor=cluster_executor(executor, scheduler, spec, jobs, quiet=quiet),
        )
        for article in articles:
            total += 1
            _resume_gc()
            if progress is not None:
                progress.advance(task)
            if article.errors:
                failures[article.errors[0].reason] += 1
                click.echo(_error_line(article), err=True)
                if quarantine is not None:
                    quarantine.write(_failure_json(article) + "\n")
                if not article.body:
                    continue  # nothing to show; a partial record (a later stage failed) is kept
            try:
                shown = _shown(article, fmt=fmt, pretty=pretty, explain=explain)
            except Exception as exc:  # noqa: BLE001 - a record that cannot be written is one failure
                reason = exc.reason if isinstance(exc, WartaError) else "record_failed"
                message = (
                    exc.message if isinstance(exc, WartaError) else f"{type(exc).__name__}: {exc}"
                )
                article.errors.append(
                    ProcessingError(stage="write", reason=reason, message=message)
                )
                failures[reason] += 1
                click.echo(_error_line(article, -1), err=True)
                if quarantine is not None:
                    quarantine.write(_failure_json(article) + "\n")
                continue
            out.write(shown)
    finally:
        _resume_gc()  # no record at all, or a failure: the collector is on again all the same
        if progress is not None:
            progress.stop()
        if quarantine is not None:
            quarantine.close()
    if failures:
        summary = ", ".join(f"{n} {reason}" for reason, n in failures.most_common())
        click.echo(f"warta: {sum(failures.values())} of {total} pages failed ({summary})", err=True)
        sys.exit(1)


@main.command()
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
def stages(as_json: bool) -> None:
    """List the registered pipeline stages."""
    from warta.core.registry import load_stage_class, stage_names

    rows = []
    for name in stage_names():
        cls = load_stage_class(name)
        rows.append(
            {"name": name, "requires": sorted(cls.requires), "provides": sorted(cls.provides)}
        )
    if as_json:
        click.echo(json.dumps(rows))
        return
    for row in rows:
        click.echo(f"{row['name']:<24} requires {row['requires']} provides {row['provides']}")


@main.command()
@click.option(
    "--samples",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder of pages (default: the bundled samples).",
)
@click.option(
    "--db",
    default=None,
    metavar="PATH|URL",
    help="The store to ingest into (default: $WARTA_DB, else ./warta.db).",
)
@click.option(
    "--serve",
    "serve_after",
    is_flag=True,
    help="Then serve the web reader and the REST API on that store (what `make run` does).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="With --serve: address.")
@click.option(
    "--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="With --serve."
)
@click.pass_context
def demo(
    ctx: click.Context,
    samples: Path | None,
    db: str | None,
    serve_after: bool,
    host: str,
    port: int,
) -> None:
    """The main job on the bundled samples: extract every page, print what was found, ingest
    them into the embedded store and print what the store holds; with --serve, then serve the
    reader on it."""
    from rich.console import Console

    from warta.api import extract_paths

    folder = samples or Path(__file__).parent.parent / "samples"
    console = Console(highlight=False)
    console.rule(f"warta {__version__} · pages in {folder}")
    failed = 0
    removed_total: Counter[str] = Counter()
    outlets: Counter[str] = Counter()
    pages = 0
    for a in extract_paths([str(folder)], pattern="*.txt"):
        pages += 1
        if a.errors:
            failed += 1
            console.print(f"[red]{_error_line(a)}[/red]")
            continue
        removed = Counter(r.label for r in a.removed)
        removed_total.update(removed)
        outlets[a.outlet or "?"] += 1
        console.print(f"[bold]{Path(a.source).name}[/bold]")
        published = a.published.isoformat() if a.published else "-"
        console.print(
            f"  outlet  {a.outlet or '?'} · published {published} · "
            f"language {a.language} ({a.language_confidence:.2f})"
        )
        console.print(f"  title   {a.title or '-'}")
        console.print(
            f"  people  authors {', '.join(a.authors) or '-'} · editors "
            f"{', '.join(a.editors) or '-'} · dateline {a.dateline or '-'} · "
            f"wire {', '.join(a.wire_sources) or '-'}"
        )
        kinds = ", ".join(f"{k} {v}" for k, v in removed.most_common())
        console.print(
            f"  body    {len(a.paragraphs)} paragraphs, {len(a.crossheads)} crossheads; "
            f"removed {len(a.removed)} pieces ({kinds})"
        )
        named = Counter(m.canonical for m in a.entities if m.canonical)
        speakers = Counter(q.speaker for q in a.quotes if q.speaker)
        console.print(
            f"  named   {', '.join(n for n, _ in named.most_common(6)) or '-'}; "
            f"quotes {len(a.quotes)} ({', '.join(n for n, _ in speakers.most_common(3)) or '-'}); "
            f"times {len(a.times)}; events {len(a.events)}"
        )
        lead = a.paragraphs[0] if a.paragraphs else ""
        console.print(f"  lead    {lead[:110]}{'…' if len(lead) > 110 else ''}")
    console.rule()
    console.print(
        f"{pages} pages, {failed} failed; outlets: "
        + ", ".join(f"{k} {v}" for k, v in outlets.most_common())
        + "; furniture removed: "
        + ", ".join(f"{k} {v}" for k, v in removed_total.most_common())
    )
    _demo_store(console, str(folder), db)
    if failed:
        sys.exit(1)
    if serve_after:
        from warta.cli.serve import serve

        console.rule("the reader")
        ctx.invoke(serve, db=db, host=host, port=port)


def _demo_store(console: Any, folder: str, db: str | None) -> None:
    """Ingest the sample pages into the store and print its summary (articles, outlets, top
    entities and speakers); a second run adds nothing."""
    from warta.core.errors import WartaError
    from warta.run.ingest import ingest
    from warta.store import open_store

    try:
        with open_store(db) as store:
            report = ingest([folder], store, pattern="*.txt")
            stats = store.stats()
            where = store.location
    except WartaError as exc:
        console.print(f"[red]{exc.one_line()}[/red]")
        sys.exit(1)
    console.rule(f"store {where}")
    console.print(
        f"this run: {report.new} new, {report.updated} updated, {report.unchanged} unchanged, "
        f"{report.skipped} already stored, {sum(report.failed.values())} failed"
    )
    console.print(
        f"holds {stats['articles']} articles from {stats['outlets']} outlets; "
        f"{stats['entities']} entities, {stats['quotes']} quotes, {stats['events']} events; "
        f"{stats.get('stories', 0)} stories, {stats.get('duplicate_groups', 0)} duplicate groups"
    )
    for label, name in (
        ("outlets", "top_outlets"),
        ("entities", "top_entities"),
        ("speakers", "top_speakers"),
    ):
        top = ", ".join(f"{value} {count}" for value, count in stats[name][:6]) or "-"
        console.print(f"  top {label:9} {top}")
    db_option = f" --db {shlex.quote(db)}" if db else ""
    console.print(f"search it:  warta search{db_option} 'banjir'")
    console.print(
        f"read it:    warta serve{db_option} (or make serve), then open http://127.0.0.1:8000/  "
        "(the web reader; REST API at /v1, docs at /docs)"
    )


share_common_options(main)  # the commands defined here; lazy ones get them as they load

if __name__ == "__main__":  # pragma: no cover
    main()
