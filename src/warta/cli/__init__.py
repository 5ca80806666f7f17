"""The ``warta`` command: a thin surface over :mod:`warta.api`."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

import click

from warta import __version__
from warta.cli.options import cluster_executor, pipeline_option, reading_options
from warta.record import Article


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
    from warta.serialize import article_to_json

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


@click.group()
@click.version_option(__version__, prog_name="warta")
def main() -> None:
    """warta: clean, structured news records from raw news pages."""


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
    from warta.errors import WartaError
    from warta.record import ProcessingError

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
        if progress is not None:
            progress.stop()
        if quarantine is not None:
            quarantine.close()
    if failures:
        summary = ", ".join(f"{n} {reason}" for reason, n in failures.most_common())
        click.echo(f"warta: {sum(failures.values())} of {total} pages failed ({summary})", err=True)
        sys.exit(1)


@main.command()
def stages() -> None:
    """List the registered pipeline stages."""
    from warta.registry import load_stage_class, stage_names

    for name in stage_names():
        cls = load_stage_class(name)
        click.echo(f"{name:<24} requires {sorted(cls.requires)} provides {sorted(cls.provides)}")


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
def demo(samples: Path | None, db: str | None) -> None:
    """The main job on the bundled samples: extract every page, print what was found, ingest
    them into the embedded store and print what the store holds."""
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


def _demo_store(console: Any, folder: str, db: str | None) -> None:
    """Ingest the sample pages into the store and print its summary (articles, outlets, top
    entities and speakers); a second run adds nothing."""
    from warta.errors import WartaError
    from warta.ingest import ingest
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
    for label, name in (("outlets", "top_outlets"), ("entities", "top_entities"), ("speakers", "top_speakers")):
        top = ", ".join(f"{value} {count}" for value, count in stats[name][:6]) or "-"
        console.print(f"  top {label:9} {top}")
    console.print("search it:  warta search 'banjir'")
    console.print(
        "read it:    warta serve, then open http://127.0.0.1:8000/  (the web reader; REST API at /v1, docs at /docs)"
    )


def _register_commands() -> None:
    # each module is light: its heavy imports (httpx, psycopg, fastapi, pyarrow) load when it runs
    from warta.cli.corpus import register as register_corpus
    from warta.cli.crawl import register as register_crawl
    from warta.cli.export import register as register_export
    from warta.cli.serve import register as register_server
    from warta.cli.store import register as register_ingest
    from warta.cli.templates import register as register_templates
    from warta.cli.train import register as register_train

    for register in (
        register_crawl,
        register_train,
        register_ingest,
        register_corpus,
        register_export,
        register_server,
    ):
        register(main)
    register_templates(main)
    from warta.cli.lmcorpus import register as register_lmcorpus

    register_lmcorpus(main)  # "corpus": training text (the placement commands are "group")


_register_commands()

if __name__ == "__main__":  # pragma: no cover
    main()
