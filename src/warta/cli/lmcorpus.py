"""``warta corpus``: language-model training text from a store, a Parquet dataset or pages
(WARC, JSON Lines, files), with quality signals, keep/drop rules, deduplication and PII
masking (:mod:`warta.lmcorpus`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from warta.cli.options import JSON_HELP


@click.command("corpus")
@click.argument("inputs", nargs=-1)
@click.option(
    "-o",
    "--output",
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="A new or empty folder for the shards, dropped.jsonl and manifest.json.",
)
@click.option("--db", default=None, metavar="PATH|URL", help="Read the articles of this store.")
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "parquet"]), default="jsonl", show_default=True
)
@click.option(
    "--rules",
    "rules_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A TOML file of thresholds over the defaults (warta/lmcorpus/rules.toml).",
)
@click.option("--shard-docs", type=click.IntRange(min=1), default=10000, show_default=True)
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", default=None, metavar="tcp://HOST:PORT", help="With --executor dask.")
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
@click.option("--quiet", "-q", is_flag=True)
def corpus(
    inputs: tuple[str, ...],
    out: Path,
    db: str | None,
    fmt: str,
    rules_path: Path | None,
    shard_docs: int,
    jobs: int,
    executor: str,
    scheduler: str | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Training text from INPUTS (Parquet files or dataset folders, or pages: WARC, JSON Lines,
    files, folders) or from the store given by --db.

    Each document gets its quality signals and is kept or dropped by the first rule it fails;
    exact and near copies of a kept document are dropped; personal data (e-mail, phone, NIK,
    card and account numbers) is masked in what is kept. Exit status 1 on bad input."""
    from itertools import chain

    from warta.core.errors import WartaError
    from warta.lmcorpus.build import build_corpus
    from warta.lmcorpus.rules import load_rules
    from warta.lmcorpus.sources import Doc, is_parquet, page_docs, parquet_docs, store_docs

    if not inputs and db is None:
        raise click.UsageError("give INPUTS or --db")
    if scheduler and executor != "dask":
        raise click.UsageError("--scheduler needs --executor dask")
    for name in inputs:
        if name != "-" and not Path(name).exists():
            raise click.BadParameter(f"{name}: no such file or folder", param_hint="INPUTS")
    unreadable: list[str] = []
    sources = []
    if db is not None:
        sources.append(store_docs(db))
    tables = [name for name in inputs if is_parquet(name)]
    pages = [name for name in inputs if name not in tables]
    sources.extend(parquet_docs(name) for name in tables)
    if pages:
        sources.append(
            page_docs(pages, jobs=jobs, executor=executor, scheduler=scheduler, failed=unreadable)
        )
    docs: chain[Doc] = chain.from_iterable(sources)
    shown = {"at": 0}

    def progress(m: object) -> None:
        done = getattr(m, "documents", 0)
        if not quiet and sys.stderr.isatty() and done - shown["at"] >= 1000:
            shown["at"] = done
            click.echo(f"warta: corpus: {done} documents, {getattr(m, 'kept', 0)} kept", err=True)

    try:
        manifest = build_corpus(
            docs,
            out,
            rules=load_rules(rules_path),
            inputs=[*(["store:" + db] if db else []), *inputs],
            fmt=fmt,
            shard_docs=shard_docs,
            jobs=jobs,
            executor=executor,
            scheduler=scheduler,
            unreadable=unreadable,
            on_progress=progress,
        )
    except WartaError as exc:
        click.echo(exc.one_line(), err=True)
        sys.exit(1)
    data = manifest.to_dict()
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    click.echo(
        f"{data['documents']} documents: {data['kept']} kept, {data['dropped']} dropped; "
        f"{len(data['shards'])} shards in {out}"
    )
    for rule, n in data["dropped_by_rule"].items():
        click.echo(f"  dropped {rule:<22} {n}")
    masked = ", ".join(f"{k} {v}" for k, v in data["pii_masked"].items() if v) or "none"
    click.echo(f"  personal data masked: {masked}")


def register(main: click.Group) -> None:
    """Add ``warta corpus`` (the training-text command) to ``main``."""
    main.add_command(corpus)
