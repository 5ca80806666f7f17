"""The Python API that every surface (CLI, REST, web reader) sits on.

>>> from warta.api import extract_text
>>> article = extract_text("KOMPAS.com - Presiden ... \\n...")
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from warta.clean.lines import LineDecision, label_lines
from warta.core.record import Article
from warta.readers.base import DEFAULT_MAX_BYTES
from warta.run.executors import Executor, run_pipeline
from warta.run.ingest_sources import read_inputs
from warta.run.multipage import join_pages
from warta.run.pipeline import DEFAULT_TEXT_PIPELINE, Pipeline, article_from_text

if TYPE_CHECKING:
    from warta.run.ingest import IngestReport, PageResult, ingest, ingest_pages

#: Names of :mod:`warta.run.ingest` this module offers, imported on first use: extracting a page
#: does not load the store.
_FROM_INGEST = frozenset({"IngestReport", "PageResult", "ingest", "ingest_pages"})


def __getattr__(name: str) -> Any:
    if name in _FROM_INGEST:
        from importlib import import_module

        return getattr(import_module("warta.run.ingest"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@lru_cache(maxsize=8)
def _pipeline(spec: tuple[str, ...]) -> Pipeline:
    return Pipeline.from_spec(spec)


def extract_text(
    text: str | bytes,
    *,
    source: str = "<text>",
    url: str | None = None,
    content_type: str | None = None,
    time_limit_s: float | None = None,
    spec: Sequence[str] = DEFAULT_TEXT_PIPELINE,
) -> Article:
    """Clean one page (a text scrape or HTML; ``content_type`` "text/html" or "text/plain"
    forces the path, None sniffs). Never raises on bad content: failures are in ``.errors``,
    including a page that takes longer than ``time_limit_s`` (default 30 s)."""
    article = article_from_text(text, source=source, url=url, content_type=content_type)
    return _pipeline(tuple(spec)).process(article, time_limit_s=time_limit_s)


def extract_paths(
    inputs: Sequence[str],
    *,
    pattern: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    jobs: int = 1,
    spec: Sequence[str] = DEFAULT_TEXT_PIPELINE,
    join_multipage: bool = True,
    executor: Executor | None = None,
) -> Iterator[Article]:
    """Every page under ``inputs`` (files, folders, ``-``, JSON Lines, WARC), one record each,
    in input order; a page that fails is a record whose ``errors`` say why. Consecutive pages
    of one multi-page article (``?page=2``, ``/2``) are joined unless ``join_multipage`` is off.
    ``executor`` runs the stages (default: this process, or ``jobs`` worker processes)."""
    if isinstance(inputs, str):
        inputs = [inputs]
    pages = read_inputs(inputs, pattern=pattern, max_bytes=max_bytes)
    if executor is not None:
        articles = executor.run(pages)
    else:
        articles = run_pipeline(spec, pages, jobs=jobs)
    return join_pages(articles) if join_multipage else articles


__all__ = [
    "IngestReport",
    "PageResult",
    "explain",
    "extract_paths",
    "extract_text",
    "ingest",
    "ingest_pages",
]


def explain(text: str) -> list[LineDecision]:
    """Every line with its label and the rule or signal that decided it."""
    return label_lines(text)
