"""The stage interface: one small method per stage, the looping and error policy here.

A stage names the record fields it ``requires`` and ``provides``; :class:`~warta.pipeline.Pipeline`
checks them when it is built, so a mis-ordered pipeline fails before any page is read. Models and
lexicons load in :meth:`Stage.setup`, inside the worker, never at import time.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import ClassVar

from warta.errors import StageError, TimeLimitExceeded, WartaError
from warta.record import Article, ProcessingError

#: The monotonic time by which the page being processed must be done (set by the pipeline).
PAGE_DEADLINE: ContextVar[float | None] = ContextVar("warta_page_deadline", default=None)


def check_deadline(source: str | None = None) -> None:
    """Raise TimeLimitExceeded when the current page is past its time limit (long loops in
    stages call this every few thousand steps)."""
    deadline = PAGE_DEADLINE.get()
    if deadline is not None and time.monotonic() > deadline:
        raise TimeLimitExceeded("the page took longer than its time limit", source=source)


#: What a freshly read page provides before any stage runs.
PAGE_FIELDS: frozenset[str] = frozenset({"page", "source", "url", "retrieved_at"})


class Stage:
    """Base class. Subclasses set ``name``/``requires``/``provides`` and write :meth:`process`."""

    name: ClassVar[str] = "stage.v0"
    requires: ClassVar[frozenset[str]] = frozenset()
    provides: ClassVar[frozenset[str]] = frozenset()
    #: "name:hash" of the model a stage loaded in setup(), recorded in every record it made
    model_version: str | None = None

    def __init__(self) -> None:
        self.counters: Counter[str] = Counter()
        self._ready = False
        self._setup_error: WartaError | None = None

    def setup(self) -> None:
        """Load models or lexicons. Called once per worker before the first article."""

    def process(self, article: Article) -> Article:
        raise NotImplementedError

    def run_one(self, article: Article) -> Article:
        """Process one article under the error policy: a failure is recorded on the article,
        counted, and never propagates; an article that already failed passes through untouched."""
        if not self._ready:
            self._ready = True
            try:
                self.setup()
            except WartaError as exc:  # a damaged model: every page says so, none crashes
                self._setup_error = exc
            except Exception as exc:  # noqa: BLE001
                self._setup_error = StageError(f"setup failed: {exc}", stage=self.name)
        if self._setup_error is not None and not article.errors:
            err = self._setup_error
            article.errors.append(
                ProcessingError(stage=self.name, reason=err.reason, message=err.message)
            )
            self.counters[f"failed:{err.reason}"] += 1
            return article
        if article.errors:
            self.counters["skipped_failed"] += 1
            return article
        try:
            result = self.process(article)
        except WartaError as exc:
            article.errors.append(
                ProcessingError(stage=self.name, reason=exc.reason, message=exc.message)
            )
            self.counters[f"failed:{exc.reason}"] += 1
            return article
        except Exception as exc:  # noqa: BLE001 - a bug on one page must not stop a batch
            wrapped = StageError(f"{type(exc).__name__}: {exc}", stage=self.name)
            article.errors.append(
                ProcessingError(stage=self.name, reason=wrapped.reason, message=wrapped.message)
            )
            self.counters["failed:stage_failed"] += 1
            return article
        self.counters["processed"] += 1
        return result

    def __call__(self, articles: Iterable[Article]) -> Iterator[Article]:
        for article in articles:
            yield self.run_one(article)
