"""The in-process executor: one pipeline, pages streamed one at a time (flat memory)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from warta.core.record import Article, ProcessingError
from warta.readers.base import Page, ReadFailure
from warta.run.executors.admit import refuse
from warta.run.pipeline import Pipeline, article_from_page

#: reason of a page whose processing raised outside any stage's own error policy (building
#: the record, a stage that returned something that is not a record)
RECORD_FAILED = "record_failed"


def failed_article(failure: ReadFailure) -> Article:
    """A read failure becomes a record with its reason, so it is reported, never lost."""
    err = failure.error
    return Article(
        source=failure.source,
        errors=[ProcessingError(stage="read", reason=err.reason, message=err.message)],
    )


def broken_page(item: Page | ReadFailure, stage: str, reason: str, message: str) -> Article:
    """The record of a page whose processing could not finish at all."""
    url = item.url if isinstance(item, Page) else None
    return Article(
        source=item.source,
        url=url,
        errors=[ProcessingError(stage=stage, reason=reason, message=message)],
    )


def process_page(
    pipeline: Pipeline, item: Page | ReadFailure, *, time_limit_s: float | None = None
) -> Article:
    """One page through the pipeline. Never raises for the page: stages record their own
    failures, and anything else (building the record, a stage returning a non-record) becomes
    this page's ``record_failed`` error so the batch goes on."""
    if isinstance(item, ReadFailure):
        return failed_article(item)
    refused = refuse(item)
    if refused is not None:
        return broken_page(item, "admit", refused.reason, refused.message)
    try:
        article = pipeline.process(article_from_page(item), time_limit_s=time_limit_s)
        if not isinstance(article, Article):
            raise TypeError(f"the pipeline returned {type(article).__name__}, not an Article")
    except Exception as exc:  # noqa: BLE001 - one page must never stop a batch
        return broken_page(item, "pipeline", RECORD_FAILED, f"{type(exc).__name__}: {exc}")
    return article


class LocalExecutor:
    def __init__(self, spec: Sequence[str], *, time_limit_s: float | None = None) -> None:
        self.pipeline = Pipeline.from_spec(spec)
        self.time_limit_s = time_limit_s

    def run(self, pages: Iterable[Page | ReadFailure]) -> Iterator[Article]:
        for item in pages:
            yield process_page(self.pipeline, item, time_limit_s=self.time_limit_s)
