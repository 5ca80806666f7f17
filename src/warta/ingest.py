"""The ingest driver: pages from any reader, through the pipeline, into a store.

Idempotent and resumable by construction. Every page gets a *page key* (a hash of its source
name and raw content) before it is extracted; a page whose key the store already knows (stored
or recorded as failed by an earlier run) is skipped without extraction, so a rerun after
kill -9 redoes only the pages it had not finished. Articles are written in batches (up to
:data:`BATCH_ARTICLES` articles or :data:`BATCH_SECONDS` seconds, whichever comes first), each
batch one store transaction together with its page keys, so a kill leaves an article either
wholly stored (and its page known) or not at all: an unwritten batch is redone on resume. The store itself keys articles by report id and content hash:
the same article again is ``unchanged``, a new version of a URL is ``updated``.

The pages of a multi-page article are skipped or extracted together: a chain is skipped only
when every one of its pages is known, and the joined article is written once per page key
(the repeats are ``unchanged`` writes that only record the key).

warta's own records (JSON Lines written by ``warta extract``, each with ``schema_version``) are
stored as they are, without extracting again.

This is the one driver every surface uses: ``warta ingest`` and :func:`warta.api.ingest` call
:func:`ingest` (paths), the REST endpoints call :func:`ingest_pages` (pages in memory or
fetched), and any executor (:mod:`warta.executors`) can run the stages. Nothing about one page
stops a run: a reader that fails, a stage, building or serialising the record, a worker that
dies, or a store that refuses the row each become that page's recorded failure, and the run
goes on. Only a store that cannot be reached at all ends the run (nothing can be recorded then).
"""

from __future__ import annotations

import gzip
import os
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from warta.errors import (
    InputError,
    MalformedRecord,
    SchemaTooNew,
    SourceUnreadable,
    StoreError,
    StoreUnavailable,
    WartaError,
)
from warta.executors import Executor, make_executor
from warta.ingest_sources import (
    chains,
    groups,
    item_key,
    not_a_page,
    page_key,
    read_inputs,
)
from warta.multipage import join_pages
from warta.pipeline import CLEAN_PIPELINE, DEFAULT_TEXT_PIPELINE
from warta.readers.base import DEFAULT_MAX_BYTES, Page, ReadFailure
from warta.record import Article
from warta.serialize import article_from_json
from warta.store.base import Outcome, PutResult, Store
from warta.store.parquet_dataset import ParquetDataset

__all__ = [
    "PIPELINES",
    "IngestReport",
    "PageResult",
    "ingest",
    "ingest_pages",
    "page_key",
    "pipeline_spec",
    "read_inputs",
]

#: Pipelines ``warta ingest --pipeline`` offers: ``full`` enriches (entities, quotes, events,
#: ...), ``clean`` only cleans and reads metadata (many times faster).
PIPELINES: dict[str, tuple[str, ...]] = {"full": DEFAULT_TEXT_PIPELINE, "clean": CLEAN_PIPELINE}


def pipeline_spec(value: str) -> tuple[str, ...]:
    """A named pipeline (:data:`PIPELINES`) or stage names separated by commas."""
    if value in PIPELINES:
        return PIPELINES[value]
    return tuple(name.strip() for name in value.split(",") if name.strip())


#: an ingest commits its articles in batches of at most this many articles...
BATCH_ARTICLES = 50
#: ...or once the oldest article waiting has waited this long
BATCH_SECONDS = 1.0


@dataclass(slots=True)
class IngestReport:
    """What one ingest did; ``counts()`` is what the store keeps for the run."""

    run_id: int | None = None
    pages: int = 0  # pages read, skipped ones included
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # pages an earlier run already stored or recorded as failed
    partial: int = 0  # stored, but a later stage failed (the record carries its errors)
    failed: Counter[str] = field(default_factory=Counter)  # reason -> pages
    started: float = field(default_factory=time.monotonic)
    elapsed_s: float = 0.0
    # the corpus pass after the run: articles placed, of them copies, stories opened
    placed: int = 0
    copies: int = 0
    stories_opened: int = 0

    @property
    def failed_total(self) -> int:
        return sum(self.failed.values())

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.elapsed_s if self.elapsed_s > 0 else 0.0

    def counts(self) -> dict[str, int]:
        """Flat counts, failures as ``failed:<reason>``."""
        out = {
            "pages": self.pages,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "partial": self.partial,
            "failed": self.failed_total,
        }
        out.update({f"failed:{reason}": n for reason, n in sorted(self.failed.items())})
        return out

    def to_dict(self) -> dict[str, Any]:
        """The JSON form printed by ``warta ingest --json``."""
        return {
            "run_id": self.run_id,
            **{k: v for k, v in self.counts().items() if ":" not in k},
            "failed_by_reason": dict(self.failed.most_common()),
            "elapsed_s": round(self.elapsed_s, 3),
            "pages_per_s": round(self.pages_per_s, 1),
            "corpus": {"placed": self.placed, "copies": self.copies, "stories_opened": self.stories_opened},
        }


@dataclass(frozen=True, slots=True)
class PageResult:
    """What became of one input page: ``index`` is its position in the input (from 0);
    ``outcome`` is new, updated, unchanged, failed, or skipped (an earlier run did it: then
    ``article_id`` or ``reason`` say what it became, when the caller asked for them). A page
    stored although a later stage failed is stored with ``reason`` set."""

    index: int
    source: str
    url: str | None
    outcome: str
    article_id: str | None = None
    reason: str | None = None
    message: str | None = None


Progress = Callable[[IngestReport], None]
PageListener = Callable[[PageResult], None]


def ingest(
    sources: Sequence[str],
    store: Store,
    *,
    jobs: int = 1,
    spec: Sequence[str] = DEFAULT_TEXT_PIPELINE,
    progress: Progress | None = None,
    pattern: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    join_multipage: bool = True,
    executor: Executor | None = None,
    time_limit_s: float | None = None,
    corpus: bool = True,
    dataset: ParquetDataset | None = None,
) -> IngestReport:
    """Read every page under ``sources`` into ``store`` as one run and say what happened.

    Sources are what ``warta extract`` reads (files, folders, ``-``, JSON Lines such as
    ``warta crawl`` output, WARC) plus warta's own JSON Lines records. A page that fails is
    recorded with its reason and the run goes on; the run is finished (its counts kept) only
    when every source was read, so an interrupted run shows as unfinished. ``executor`` runs
    the stages (default: this process, or ``jobs`` worker processes). ``dataset`` also receives
    every article stored, each (id, fingerprint) once (a Parquet dataset by outlet and month)."""
    if isinstance(sources, str):
        sources = [sources]
    # Pages without a URL are identified by their source name: name every file by its absolute
    # path so "pages", "./pages/" and "/home/me/pages" are the same input on a rerun.
    sources = [s if s == "-" else os.path.abspath(s) for s in sources]
    stages = executor or make_executor(spec, jobs=jobs, time_limit_s=time_limit_s)
    run = _Run(store, list(sources), progress=progress, dataset=dataset)
    for kind, group in groups(sources):
        if kind == "records":
            for path in group:
                run.records(path)
        else:
            pages = read_inputs(group, pattern=pattern, max_bytes=max_bytes)
            run.pages(pages, stages, join_multipage=join_multipage)
    return _placed(run.finish(), store, corpus)


def ingest_pages(
    items: Iterable[Page | ReadFailure],
    store: Store,
    *,
    sources: Sequence[str] = ("api",),
    jobs: int = 1,
    spec: Sequence[str] = DEFAULT_TEXT_PIPELINE,
    executor: Executor | None = None,
    time_limit_s: float | None = None,
    join_multipage: bool = True,
    progress: Progress | None = None,
    on_page: PageListener | None = None,
    corpus: bool = True,
) -> IngestReport:
    """Pages already in hand (or streamed: a fetcher, a queue) into ``store`` as one run named
    by ``sources``: page keys, batches, multi-page joining and failure records as in
    :func:`ingest`. ``on_page`` hears what became of each page (pages of one article and
    skipped pages may be heard out of input order: ``PageResult.index`` says which page)."""
    stages = executor or make_executor(spec, jobs=jobs, time_limit_s=time_limit_s)
    run = _Run(store, list(sources), progress=progress, on_page=on_page)
    run.pages(items, stages, join_multipage=join_multipage)
    return _placed(run.finish(), store, corpus)


def _placed(report: IngestReport, store: Store, corpus: bool) -> IngestReport:
    """The corpus pass after a run (``corpus``): the new and changed articles placed among
    their copies and into stories; a store without corpus tables is left as it is."""
    if not corpus or not (report.new or report.updated):
        return report
    from warta.corpus.update import update_corpus

    try:
        tables = store.corpus_tables()
    except StoreError:
        return report
    del tables
    placed = update_corpus(store)
    report.placed, report.copies, report.stories_opened = (
        placed.placed,
        placed.copies,
        placed.stories_opened,
    )
    return report


# -- the driver ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Pending:
    """A page sent to the stages, waiting for its article: its key and where it came from."""

    key: str
    index: int
    source: str
    url: str | None


#: store errors after which nothing more can be written or recorded: they end the run
_FATAL = (StoreUnavailable, SchemaTooNew)


class _Run:
    """One ingest run: holds the store, the counts and the batch not written yet."""

    def __init__(
        self,
        store: Store,
        sources: list[str],
        *,
        progress: Progress | None = None,
        on_page: PageListener | None = None,
        dataset: ParquetDataset | None = None,
    ) -> None:
        self.store = store
        self.dataset = dataset
        self.progress = progress
        self.on_page = on_page
        self.report = IngestReport()
        self.waiting: list[tuple[Article, list[_Pending]]] = []  # articles not written yet
        self.waiting_keys: set[str] = set()
        self.waiting_since = 0.0
        self.index = 0  # pages numbered in input order
        self.report.run_id = store.begin_run(sources)

    def finish(self) -> IngestReport:
        self.flush()
        self.tick()
        assert self.report.run_id is not None
        self.store.finish_run(self.report.run_id, self.report.counts())
        return self.report

    def known(self, key: str) -> bool:
        """Whether the page was stored (or failed) already, in this run's unwritten batch too."""
        return key in self.waiting_keys or self.store.has_page(key)

    def tick(self) -> None:
        self.report.elapsed_s = time.monotonic() - self.report.started
        if self.progress is not None:
            self.progress(self.report)

    def tell(self, page: _Pending, outcome: str, **details: str | None) -> None:
        if self.on_page is not None:
            self.on_page(PageResult(page.index, page.source, page.url, outcome, **details))

    def pending(self, item: Page | ReadFailure, key: str) -> _Pending:
        page = _Pending(key, self.index, item.source, item.url if isinstance(item, Page) else None)
        self.index += 1
        return page

    def skipped(self, page: _Pending) -> None:
        self.report.pages += 1
        self.report.skipped += 1
        if self.on_page is not None:
            if page.key in self.waiting_keys:  # the same page twice in this run: say what it became
                self.flush()
            known = self.store.known_page(page.key)
            if known is not None:
                self.tell(
                    page,
                    "skipped",
                    article_id=known.article_id,
                    reason=known.reason,
                    message=known.message,
                )

    def pages(
        self, items: Iterable[Page | ReadFailure], stages: Executor, *, join_multipage: bool
    ) -> None:
        """Extract the pages not known yet and store what comes out, in input order."""
        sent: deque[_Pending] = deque()  # the pages sent to the stages, in order

        def unknown() -> Iterator[Page | ReadFailure]:
            for chain in chains(items):
                pages = [self.pending(item, item_key(item)) for item in chain]
                if all(self.known(page.key) for page in pages):
                    for page in pages:
                        self.skipped(page)
                    self.tick()
                    continue
                for item, page in zip(chain, pages, strict=True):
                    why = not_a_page(item) if isinstance(item, Page) else None
                    if why is not None:
                        item = ReadFailure(item.source, SourceUnreadable(why, source=item.source))
                    sent.append(page)
                    yield item

        articles = stages.run(unknown())
        if join_multipage:
            articles = join_pages(articles)
        for article in articles:
            joined = int(article.extras.get("warta.pages", 1))
            self.store_article(article, [sent.popleft() for _ in range(joined)])

    def records(self, path: str) -> None:
        """warta's own JSON records, one per line, stored as they are."""
        opener: Any = gzip.open if path.lower().endswith(".gz") else open
        try:
            with opener(path, "rb") as handle:
                for lineno, line in enumerate(handle, start=1):
                    if line.strip():
                        self.record_line(f"{path}:{lineno}", line)
        except (OSError, EOFError) as exc:
            error = SourceUnreadable(str(exc) or type(exc).__name__, source=path)
            key = page_key(path, f"\0unreadable:{error.message}")
            self.fail(_Pending(key, self.index, path, None), error)
            self.index += 1

    def record_line(self, source: str, line: bytes) -> None:
        page = _Pending(page_key(source, line), self.index, source, None)
        self.index += 1
        if self.known(page.key):
            self.skipped(page)
            self.tick()
            return
        try:
            article = article_from_json(line.decode("utf-8"))
        except (MalformedRecord, UnicodeDecodeError) as exc:
            message = exc.message if isinstance(exc, WartaError) else "not valid UTF-8"
            self.fail(page, MalformedRecord(message, source=source))
            return
        page.url = article.url
        if not article.id:
            self.fail(page, MalformedRecord("record has no id", source=source))
            return
        self.store_article(article, [page])

    def fail(self, page: _Pending, error: WartaError) -> None:
        """Record a page's failure (with its key, so a rerun skips it) and count it."""
        self.store.record_failure(
            source=page.source,
            url=page.url,
            reason=error.reason,
            message=error.message,
            run_id=self.report.run_id,
            page_key=page.key,
        )
        self.tell(page, "failed", reason=error.reason, message=error.message)
        self.report.pages += 1
        self.report.failed[error.reason] += 1
        self.tick()

    def store_article(self, article: Article, pages: list[_Pending]) -> None:
        """Queue one article to be stored under each of its pages' keys, or record why it failed."""
        if not article.body or not article.id:
            err = article.errors[0] if article.errors else None
            error: WartaError = InputError(
                err.message if err else "no article text", source=article.source
            )
            error.reason = err.reason if err else "no_article_text"
            for page in pages:
                page.url = page.url or article.url
                self.fail(page, error)
            return
        if not self.waiting:
            self.waiting_since = time.monotonic()
        self.waiting.append((article, pages))
        self.waiting_keys.update(page.key for page in pages)
        if (
            len(self.waiting) >= BATCH_ARTICLES
            or time.monotonic() - self.waiting_since >= BATCH_SECONDS
        ):
            self.flush()

    def flush(self) -> None:
        """Write the waiting articles in one transaction with their page keys, then count them.
        A batch the store refuses is written again one article at a time, so only the article
        that cannot be written (its record cannot be serialised, the store refuses its row)
        fails, with its reason; the others are stored."""
        if not self.waiting:
            return
        batch, self.waiting = self.waiting, []
        if self.dataset is not None:
            # before the store's commit: a batch the store never got is redone on resume, and
            # the dataset writes only the (id, fingerprint) pairs it lacks
            self.dataset.write(article for article, _ in batch)
        try:
            results = self.put(batch)
        except _FATAL:
            raise
        except Exception:  # noqa: BLE001 - find the article at fault, one transaction each
            results = None
        self.waiting_keys.clear()
        if results is not None:
            done = iter(results)
            for article, pages in batch:
                self.counted(article, pages, [next(done) for _ in pages])
            return
        for article, pages in batch:
            try:
                written = self.put([(article, pages)])
            except _FATAL:
                raise
            except Exception as exc:  # noqa: BLE001 - this article alone fails
                self.unwritable(article, pages, exc)
                continue
            self.counted(article, pages, written)

    def put(self, batch: list[tuple[Article, list[_Pending]]]) -> list[PutResult]:
        articles = [a for a, pages in batch for _ in pages]
        keys: list[str | None] = [page.key for _, pages in batch for page in pages]
        return self.store.put_many(articles, run_id=self.report.run_id, page_keys=keys)

    def unwritable(self, article: Article, pages: list[_Pending], exc: Exception) -> None:
        """An article the store did not take: each of its pages fails with the reason."""
        if isinstance(exc, WartaError):
            reason, message = exc.reason, exc.message
        else:
            reason, message = "record_failed", f"{type(exc).__name__}: {exc}"
        error = WartaError(f"not stored: {message}", source=article.source)
        error.reason = reason
        for page in pages:
            page.url = page.url or article.url
            self.fail(page, error)

    def counted(self, article: Article, pages: list[_Pending], results: list[PutResult]) -> None:
        """Count a stored article (by its first page's outcome) and note a partial one."""
        report = self.report
        outcome = results[0].outcome
        if outcome is Outcome.NEW:
            report.new += 1
        elif outcome is Outcome.UPDATED:
            report.updated += 1
        else:
            report.unchanged += 1
        err = article.errors[0] if article.errors else None
        if err is not None:
            # after the write: a kill in between loses this note, never the article
            self.store.record_failure(
                source=article.source,
                url=article.url,
                reason=err.reason,
                message=f"stored without stage {err.stage}: {err.message}",
                run_id=report.run_id,
            )
            report.partial += 1
        for page, result in zip(pages, results, strict=True):
            page.url = page.url or article.url
            self.tell(
                page,
                result.outcome.value,
                article_id=result.article_id,
                reason=err.reason if err else None,
                message=err.message if err else None,
            )
        report.pages += len(pages)
        self.tick()
