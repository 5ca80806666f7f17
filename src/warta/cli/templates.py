"""``warta templates``: learn outlet templates from pages and list or export them."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from warta.clean.templates import MIN_PAGES, TemplateLearner, TemplateStage
from warta.core.errors import WartaError


def register(main: click.Group) -> None:
    @main.command()
    @click.argument("inputs", nargs=-1)
    @click.option(
        "--load",
        "load_path",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        default=None,
        help="Start from a templates file written by --export (learning goes on from it).",
    )
    @click.option(
        "-o",
        "--output",
        "--export",
        "export_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Write what was learned (templates and counts) to this JSON data file.",
    )
    @click.option(
        "--db",
        "db",
        default=None,
        metavar="PATH|URL",
        help="Start from the templates this store kept per outlet (SQLite file or URL); "
        "outlets it kept none of are learned from their stored bodies.",
    )
    @click.option(
        "--min-pages",
        type=click.IntRange(min=2),
        default=MIN_PAGES,
        show_default=True,
        help="Pages of one outlet a line must be seen on before it is learned.",
    )
    def templates(
        inputs: tuple[str, ...],
        load_path: Path | None,
        export_path: Path | None,
        db: str | None,
        min_pages: int,
    ) -> None:
        """Learn each outlet's furniture from INPUTS (files, folders, .jsonl, WARC; read in
        order, as a batch would) and from the store's articles (--db), and list the learned
        templates per outlet. With --load only, list a saved file's templates."""
        from warta.readers.text import Page, iter_pages
        from warta.run.pipeline import CLEAN_PIPELINE, Pipeline, article_from_page

        try:
            learner = TemplateLearner.load(load_path) if load_path else None
        except WartaError as exc:
            raise click.ClickException(str(exc)) from None
        if learner is None:
            learner = TemplateLearner(min_pages=min_pages)
        if db is not None:
            _learn_from_store(learner, db)
        if inputs:
            pipeline = Pipeline.from_spec(CLEAN_PIPELINE)
            stage = TemplateStage(learner)
            for page in iter_pages(inputs):
                if isinstance(page, Page):  # an unreadable page teaches nothing
                    stage.run_one(pipeline.process(article_from_page(page)))
        found = learner.templates()
        for t in found:
            click.echo(f"{t.outlet}\t{t.kind}\t{t.pages}/{t.outlet_pages}\t{t.key}")
        outlets = len({t.outlet for t in found})
        print(f"{len(found)} templates of {outlets} outlets", file=sys.stderr)
        if export_path is not None:
            learner.save(export_path)
            print(f"wrote {export_path}", file=sys.stderr)


def _learn_from_store(learner: TemplateLearner, location: str) -> None:
    """What the store kept per outlet (``warta ingest`` learns as it reads), and for outlets it
    kept nothing of (a store written before it kept templates), what their stored bodies
    teach."""
    from warta.clean.lines import LineLabeller
    from warta.clean.templates import observe_body
    from warta.store import open_store

    labeller = LineLabeller()
    try:
        store = open_store(location)
        try:
            kept = store.outlet_templates()
            for name, state in kept.items():
                learner.load_outlet_state(name, state)
            for row in store.rows("articles"):
                outlet, body = row.get("outlet"), row.get("body")
                if isinstance(outlet, str) and outlet and outlet not in kept:
                    if isinstance(body, str):
                        observe_body(learner, labeller, outlet, body)
        finally:
            store.close()
    except WartaError as exc:
        raise click.ClickException(str(exc)) from None
