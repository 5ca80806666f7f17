"""The in-process executor: one pipeline, pages streamed one at a time (flat memory)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from warta.pipeline import Pipeline, article_from_page
from warta.readers.base import Page, ReadFailure
from warta.record import Article, ProcessingError


def failed_article(failure: ReadFailure) -> Article:
    """A read failure becomes a record with its reason, so it is reported, never lost."""
    err = failure.error
    return Article(
        source=failure.source,
        errors=[ProcessingError(stage="read", reason=err.reason, message=err.message)],
    )


def process_page(pipeline: Pipeline, item: Page | ReadFailure) -> Article:
    if isinstance(item, ReadFailure):
        return failed_article(item)
    return pipeline.process(article_from_page(item))


class LocalExecutor:
    def __init__(self, spec: Sequence[str]) -> None:
        self.pipeline = Pipeline.from_spec(spec)

    def run(self, pages: Iterable[Page | ReadFailure]) -> Iterator[Article]:
        for item in pages:
            yield process_page(self.pipeline, item)
