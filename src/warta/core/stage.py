"""The stage interface: one small method per stage, the looping and error policy here.

A stage names the record fields it ``requires`` and ``provides``; :class:`~warta.run.pipeline.Pipeline`
checks them when it is built, so a mis-ordered pipeline fails before any page is read. ``provides``
names every field the stage writes (an ``extras`` key as ``"extras.<key>"``, or ``"extras"`` for
any key); in checking mode (:func:`run_checked`) a stage that writes a field it does not declare
fails on that page. Models and lexicons load in :meth:`Stage.setup`, inside the worker, never at
import time.
"""

from __future__ import annotations

import copy
import os
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import fields
from typing import ClassVar

from warta.core.errors import StageError, TimeLimitExceeded, WartaError
from warta.core.record import Article, ProcessingError

#: The monotonic time by which the page being processed must be done (set by the pipeline).
PAGE_DEADLINE: ContextVar[float | None] = ContextVar("warta_page_deadline", default=None)


def check_deadline(source: str | None = None) -> None:
    """Raise TimeLimitExceeded when the current page is past its time limit (long loops in
    stages call this every few thousand steps)."""
    deadline = PAGE_DEADLINE.get()
    if deadline is not None and time.monotonic() > deadline:
        raise TimeLimitExceeded("the page took longer than its time limit", source=source)


#: Set to 1 to run every pipeline in checking mode (the test suite does).
CHECK_CONTRACTS_ENV = "WARTA_CHECK_CONTRACTS"
#: True while :func:`run_checked` runs a stage, so a stage that runs variants checks them too.
CHECKING: ContextVar[bool] = ContextVar("warta_checking_contracts", default=False)


def checking_from_env() -> bool:
    """Whether ``WARTA_CHECK_CONTRACTS`` asks for checking mode ("1", "true", "yes", "on")."""
    return os.environ.get(CHECK_CONTRACTS_ENV, "").strip().lower() in ("1", "true", "yes", "on")


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

    def preload(self) -> None:
        """Load now the read-only data a long run will need (nothing by default). A ``-j N``
        run calls it in the process that forks its workers, before they fork, so the workers
        share what it loaded instead of each loading its own copy. Pure loading: the records
        do not change, and whatever fails here fails again, per page, in a worker."""

    def variants(self) -> tuple[Stage, ...]:
        """The stages this one dispatches to (a cleaner's HTML and plain-text variants): their
        counters are reported beside its own, and they are checked against their own contract."""
        return ()

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


def run_variant(variant: Stage, article: Article) -> Article:
    """Run one variant of a dispatching stage: under the variant's own name and error policy,
    and checked against the variant's own ``provides`` when the pipeline is in checking mode."""
    return run_checked(variant, article) if CHECKING.get() else variant.run_one(article)


# -- checking mode ------------------------------------------------------------------------------

#: Fields no stage declares: ``errors`` belongs to the error policy in :meth:`Stage.run_one`.
_POLICY_FIELDS = frozenset({"errors"})
_FIELD_NAMES: tuple[str, ...] = tuple(
    f.name for f in fields(Article) if f.name not in _POLICY_FIELDS and f.name != "extras"
)


def _snapshot(article: Article) -> dict[str, object]:
    """Every field's value (lists and dicts copied, so changes made in place show), and each
    ``extras`` key as ``"extras.<key>"``."""
    state: dict[str, object] = {}
    for name in _FIELD_NAMES:
        value = getattr(article, name)
        if isinstance(value, list):
            value = list(value)
        elif isinstance(value, dict):
            value = copy.deepcopy(value)
        state[name] = value
    for key, value in article.extras.items():
        state[f"extras.{key}"] = copy.deepcopy(value)
    return state


def written_fields(before: dict[str, object], after: dict[str, object]) -> set[str]:
    """The fields whose value differs between two snapshots (an extras key added or removed
    counts as written)."""
    missing = object()
    return {
        name
        for name in before.keys() | after.keys()
        if (old := before.get(name, missing)) is not (new := after.get(name, missing))
        and (old is missing or new is missing or old != new)
    }


def undeclared(stage: Stage, written: Iterable[str]) -> list[str]:
    """The written fields that the stage's ``provides`` does not name."""
    provides = stage.provides
    return sorted(
        name
        for name in written
        if name not in provides and not (name.startswith("extras.") and "extras" in provides)
    )


def run_checked(stage: Stage, article: Article) -> Article:
    """:meth:`Stage.run_one`, then fail the stage on this page if it wrote a field it does not
    declare: a StageError naming the stage and the fields, recorded like any stage failure."""
    before = _snapshot(article)
    token = CHECKING.set(True)  # a stage with variants checks each against its own contract
    try:
        result = stage.run_one(article)
    finally:
        CHECKING.reset(token)
    extra = undeclared(stage, written_fields(before, _snapshot(result)))
    if extra:
        fail_contract(
            stage,
            result,
            f"wrote {', '.join(map(repr, extra))}, which it does not declare in provides "
            f"{sorted(stage.provides)}",
            "undeclared_field",
        )
    return result


def fail_contract(stage: Stage, article: Article, what: str, counter: str) -> None:
    """Record on this page that ``stage`` broke its contract (``what`` it did), as a stage
    failure naming the stage, and count it under ``failed:<counter>``."""
    err = StageError(f"stage {stage.name!r} {what}", stage=stage.name, source=article.source)
    article.errors.append(ProcessingError(stage=stage.name, reason=err.reason, message=err.message))
    stage.counters[f"failed:{counter}"] += 1
