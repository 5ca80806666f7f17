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
fetched), and any executor (:mod:`warta.run.executors`) can run the stages. Nothing about one page
stops a run: a reader that fails, a stage, building or serialising the record, a worker that
dies, or a store that refuses the row each become that page's recorded failure, and the run
goes on. Only a store that cannot be reached at all ends the run (nothing can be recorded then).

With worker processes (``jobs > 1``) the workers prepare each storable record for the store
(:func:`warta.store.rows.prepare`) and send back only that, and one writer thread does every
write, so the process that reads and hands out the pages never waits on a commit.
"""

from __future__ import annotations

import functools
import gc
import gzip
import logging
import os
import queue
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from warta.core.errors import (
    InputError,
    MalformedRecord,
    SchemaTooNew,
    SourceUnreadable,
    StoreError,
    StoreUnavailable,
    WartaError,
)
from warta.core.record import Article
from warta.core.serialize import article_from_json
from warta.readers.base import DEFAULT_MAX_BYTES, Page, ReadFailure
from warta.run.executors import Executor, make_executor
from warta.run.executors.learning import Taught
from warta.run.ingest_sources import (
    chains,
    groups,
    item_key,
    not_a_page,
    page_key,
    read_inputs,
)
from warta.run.ingest_templates import Exchange, TemplateLearner, exchange, seed, with_templates
from warta.run.ingest_templates import save as save_templates
from warta.run.multipage import join_pages
from warta.run.pipeline import DEFAULT_TEXT_PIPELINE, PIPELINES, pipeline_spec
from warta.store.base import Outcome, PutResult, Store
from warta.store.parquet_dataset import ParquetDataset
from warta.store.rows import Ready, prepare

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


log = logging.getLogger(__name__)

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
    unreadable: int = 0  # stored articles whose record could not be read back (left unplaced)
    # the watch pass after it: new matches queued per watch, webhook posts delivered or not
    watch_matches: dict[str, int] = field(default_factory=dict)
    delivered: int = 0
    undelivered: int = 0
    alert_error: str | None = None

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
            "corpus": {
                "placed": self.placed,
                "copies": self.copies,
                "stories_opened": self.stories_opened,
                "unreadable": self.unreadable,
            },
            "watches": {
                "new_matches": dict(self.watch_matches),
                "delivered": self.delivered,
                "undelivered": self.undelivered,
                "error": self.alert_error,
            },
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
    alerts: bool = True,
    templates: bool = True,
    dataset: ParquetDataset | None = None,
) -> IngestReport:
    """Read every page under ``sources`` into ``store`` as one run and say what happened.

    Sources are what ``warta extract`` reads (files, folders, ``-``, JSON Lines such as
    ``warta crawl`` output, WARC) plus warta's own JSON Lines records. A page that fails is
    recorded with its reason and the run goes on; the run is finished (its counts kept) only
    when every source was read, so an interrupted run shows as unfinished. ``executor`` runs
    the stages (default: this process, or ``jobs`` worker processes). ``templates``: learn
    each outlet's furniture as pages are read and remove it from later pages, starting from
    what the store kept (:mod:`warta.run.ingest_templates`). ``dataset`` also receives every
    article stored, each (id, fingerprint) once (a Parquet dataset by outlet and month)."""
    if isinstance(sources, str):
        sources = [sources]
    # Pages without a URL are identified by their source name: name every file by its absolute
    # path so "pages", "./pages/" and "/home/me/pages" are the same input on a rerun.
    sources = [s if s == "-" else os.path.abspath(s) for s in sources]
    stages, run = _start(
        store, sources, spec, jobs, executor, time_limit_s, templates, progress, None, dataset
    )
    try:
        for kind, group in groups(sources):
            if kind == "records":
                for path in group:
                    run.records(path)
            else:
                pages = read_inputs(group, pattern=pattern, max_bytes=max_bytes)
                run.pages(pages, stages, join_multipage=join_multipage)
        report = run.finish()
    finally:
        run.close()
    del stages, run  # the stages are done: their memory is the corpus pass's to reuse
    return _alerted(_placed(report, store, corpus), store, alerts)


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
    alerts: bool = True,
    templates: bool = True,
    dataset: ParquetDataset | None = None,
) -> IngestReport:
    """Pages already in hand (or streamed: a fetcher, a queue) into ``store`` as one run named
    by ``sources``: page keys, batches, multi-page joining and failure records as in
    :func:`ingest`. ``on_page`` hears what became of each page (pages of one article and
    skipped pages may be heard out of input order: ``PageResult.index`` says which page);
    ``templates`` as in :func:`ingest`."""
    stages, run = _start(
        store, sources, spec, jobs, executor, time_limit_s, templates, progress, on_page, dataset
    )
    try:
        run.pages(items, stages, join_multipage=join_multipage)
        report = run.finish()
    finally:
        run.close()
    return _alerted(_placed(report, store, corpus), store, alerts)


def _start(
    store: Store,
    sources: Sequence[str],
    spec: Sequence[str],
    jobs: int,
    executor: Executor | None,
    time_limit_s: float | None,
    templates: bool,
    progress: Progress | None,
    on_page: PageListener | None,
    dataset: ParquetDataset | None,
) -> tuple[Executor, _Run]:
    """The stages (with the learned-templates stage when this process runs them) and the run
    that writes what they make."""
    if executor is None and templates:
        spec = with_templates(spec)
    stages = executor or make_executor(spec, jobs=jobs, time_limit_s=time_limit_s)
    run = _Run(
        store,
        list(sources),
        progress=progress,
        on_page=on_page,
        # a Parquet dataset takes whole records: then the workers do not prepare store rows
        writer=_prepares(stages) and dataset is None,
        learner=seed(stages, store),
        exchange=exchange(stages, store) if templates else None,
        dataset=dataset,
    )
    return stages, run


def _prepares(stages: Executor) -> bool:
    """Whether the executor's workers can prepare records for the store (a process pool)."""
    return callable(getattr(stages, "run_then", None))


def _ready(article: Article) -> Article | Ready:
    """Run in an ingest worker: a storable record as the store will write it (only that
    crosses back to the writer); any other record, or one whose preparation fails, as it is
    (the writer's own put then says why)."""
    if not article.body or not article.id:
        return article
    try:
        return prepare(article)
    except Exception:  # noqa: BLE001 - the writer records this article's failure
        return article


def _placed(report: IngestReport, store: Store, corpus: bool) -> IngestReport:
    """The corpus pass after a run (``corpus``): the new and changed articles placed among
    their copies and into stories; a store without corpus tables is left as it is."""
    if not corpus or not (report.new or report.updated):
        return report
    try:
        tables = store.corpus_tables()
    except StoreError:
        return report
    del tables
    if report.new + report.updated >= RELEASE_FROM:
        _release_word_caches()  # before the corpus modules load, so they reuse what it frees
    from warta.corpus.update import update_corpus

    placed = update_corpus(store)
    log.info(
        "corpus: %d placed, %d copies, %d new stories",
        placed.placed,
        placed.copies,
        placed.stories_opened,
    )
    report.placed, report.copies, report.stories_opened = (
        placed.placed,
        placed.copies,
        placed.stories_opened,
    )
    report.unreadable = len(placed.unreadable)
    return report


def _release_word_caches() -> None:
    """Empty the stages' bounded per-word caches before the corpus pass (pure caches: outputs
    do not change): the pass needs few of them, and reuses their memory instead of adding its
    own on top of theirs (issue 13: an ingest's peak memory flat with its size)."""
    for name, module in list(sys.modules.items()):
        if not name.startswith("warta.") or module is None:
            continue
        for obj in list(vars(module).values()):
            if (
                isinstance(obj, functools._lru_cache_wrapper)
                and (obj.cache_parameters()["maxsize"] or 0) > _SMALL_CACHE
            ):
                obj.cache_clear()
    gc.collect()
    _return_free_memory()


def _return_free_memory() -> None:
    """Hand the C allocator's free pages back to the system (glibc's ``malloc_trim``; nothing
    elsewhere): what the emptied caches held is then not counted twice under the corpus pass."""
    import ctypes  # only here: loading it costs every other command's start-up

    try:
        trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)


#: caches of at most this many entries (languages, rule sets) are kept
_SMALL_CACHE = 1024

#: the word caches are emptied only after a run that stored at least this many articles: a
#: small run (a page posted to ``warta serve``) leaves the server's warm caches as they are
RELEASE_FROM = 500


#: seconds the webhook posts after an ingest may take, all together (the rest wait in the
#: store's outbox for the next run or ``warta watch deliver``)
WEBHOOK_BUDGET_S = 10.0


def _alerted(report: IngestReport, store: Store, alerts: bool) -> IngestReport:
    """The watch pass after a run (``alerts``): each watch's new matches queued for its webhook,
    then the due posts made within :data:`WEBHOOK_BUDGET_S`. Everything is stored before it
    starts, so nothing it meets (an unreachable receiver, a store without watch tables) can
    undo or fail the ingest: a problem is reported in ``alert_error``."""
    if not alerts:
        return report
    from warta.alerts.watching import queue_new_matches
    from warta.alerts.webhook import deliver_due

    try:
        tables = store.watch_tables()
        if not tables.all():
            return report
        if report.new or report.updated:
            report.watch_matches = queue_new_matches(store)
        outcomes = deliver_due(store, budget_s=WEBHOOK_BUDGET_S)
    except StoreError:
        return report  # a store without watch tables (read-only, older level) has no watches
    except Exception as exc:  # noqa: BLE001 - the ingest is done; its alerts must not undo it
        report.alert_error = f"{type(exc).__name__}: {exc}"
        return report
    log.info("watches: new matches %s; %d posts made", report.watch_matches, len(outcomes))
    report.delivered = sum(o.delivered for o in outcomes)
    report.undelivered = sum(not o.delivered for o in outcomes)
    return report


# -- the driver ------------------------------------------------------------------------------


class _Writer:
    """The one thread that writes an ingest's batches, in order. A bounded queue holds the
    batches not written yet (memory stays flat); a failure that ends the run (the store is
    gone) is raised again in the reading thread at its next hand-over."""

    def __init__(
        self, write: Callable[[list[tuple[Article | Ready, list[_Pending]]]], None]
    ) -> None:
        self._write = write
        self._queue: queue.Queue[list[tuple[Article | Ready, list[_Pending]]] | None] = queue.Queue(
            maxsize=4
        )
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._loop, name="warta-ingest-writer", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while True:
            batch = self._queue.get()
            try:
                if batch is None:
                    return
                if self._error is None:  # after a fatal error nothing more is written
                    self._write(batch)
            except BaseException as exc:  # noqa: BLE001 - handed to the reading thread
                self._error = exc
            finally:
                self._queue.task_done()

    def _raise(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def send(self, batch: list[tuple[Article | Ready, list[_Pending]]]) -> None:
        self._raise()
        self._queue.put(batch)

    def drain(self) -> None:
        """Wait until every batch handed over is written."""
        self._queue.join()
        self._raise()

    def stop(self) -> None:
        self._queue.put(None)
        self._thread.join()


@dataclass(slots=True)
class _Pending:
    """A page sent to the stages, waiting for its article: its key and where it came from."""

    key: str
    index: int
    source: str
    url: str | None
    #: what the page taught the learning stages in a worker, merged once the page is done
    evidence: dict[str, object] | None = None


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
        writer: bool = False,
        learner: TemplateLearner | None = None,
        exchange: Exchange | None = None,
        dataset: ParquetDataset | None = None,
    ) -> None:
        self.store = store
        self.dataset = dataset
        self.learner = learner  # the templates stage's, when it runs in this process
        self.exchange = exchange  # or the workers', kept here, when they run elsewhere
        self.progress = progress
        self.on_page = on_page
        self.report = IngestReport()
        self.waiting: list[tuple[Article | Ready, list[_Pending]]] = []  # not handed over yet
        self.waiting_keys: set[str] = set()  # their page keys, and those of batches not written
        self.waiting_since = 0.0
        self.index = 0  # pages numbered in input order
        self.report.run_id = store.begin_run(sources)
        # the counts, waiting_keys and the listeners are shared with the writer thread
        self.lock = threading.RLock()
        self.writer = _Writer(self.write) if writer else None

    def finish(self) -> IngestReport:
        self.flush()
        if self.writer is not None:
            self.writer.drain()
        if self.exchange is not None:
            self.exchange.save(self.store)  # what the last failed pages taught
        self.tick()
        assert self.report.run_id is not None
        self.store.finish_run(self.report.run_id, self.report.counts())
        log.info("run %s finished: %s", self.report.run_id, self.report.counts())
        return self.report

    def close(self) -> None:
        """Stop the writer thread (after the batches handed to it are written)."""
        if self.writer is not None:
            writer, self.writer = self.writer, None
            writer.stop()

    def known(self, key: str) -> bool:
        """Whether the page was stored (or failed) already, in this run's unwritten batches too."""
        with self.lock:
            if key in self.waiting_keys:
                return True
        return self.store.has_page(key)

    def tick(self) -> None:
        with self.lock:
            self.report.elapsed_s = time.monotonic() - self.report.started
            if self.progress is not None:
                self.progress(self.report)

    def tell(self, page: _Pending, outcome: str, **details: str | None) -> None:
        if log.isEnabledFor(logging.DEBUG):
            why = (
                f" ({details.get('reason')}: {details.get('message')})"
                if details.get("reason")
                else ""
            )
            log.debug("page %d %s: %s%s", page.index, page.url or page.source, outcome, why)
        if self.on_page is not None:
            self.on_page(PageResult(page.index, page.source, page.url, outcome, **details))

    def pending(self, item: Page | ReadFailure, key: str) -> _Pending:
        page = _Pending(key, self.index, item.source, item.url if isinstance(item, Page) else None)
        self.index += 1
        return page

    def skipped(self, page: _Pending) -> None:
        with self.lock:
            self.report.pages += 1
            self.report.skipped += 1
            twice = page.key in self.waiting_keys
        if self.on_page is not None:
            if twice:  # the same page twice in this run: say what it became
                self.flush()
                if self.writer is not None:
                    self.writer.drain()
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
        run_then = getattr(stages, "run_then", None)
        # with workers that learn: each result is matched to its page to carry its evidence
        snapshot = self.exchange.snapshot if self.exchange is not None else None
        taught: deque[_Pending] = deque()

        def unknown() -> Iterator[tuple[Page | ReadFailure, Callable[[Article], object] | None]]:
            for chain in chains(items):
                pages = [self.pending(item, item_key(item)) for item in chain]
                if all(self.known(page.key) for page in pages):
                    for page in pages:
                        self.skipped(page)
                    self.tick()
                    continue
                # a page of a chain comes back whole, to be joined; so does every article a
                # Parquet dataset takes too (it writes whole records, not store rows)
                then = _ready if len(chain) == 1 and self.dataset is None else None
                for item, page in zip(chain, pages, strict=True):
                    why = not_a_page(item) if isinstance(item, Page) else None
                    if why is not None:
                        item = ReadFailure(item.source, SourceUnreadable(why, source=item.source))
                    sent.append(page)
                    if snapshot is not None:
                        taught.append(page)
                    yield item, then

        def records(results: Iterable[object]) -> Iterator[Article | Ready]:
            for result in results:
                if snapshot is not None and taught:
                    page = taught.popleft()
                    if isinstance(result, Taught):
                        page.evidence, result = result.evidence, result.result
                assert isinstance(result, Article | Ready), type(result)
                yield result

        run_taught = getattr(stages, "run_taught", None)
        articles: Iterable[Article | Ready]
        if callable(run_then):
            articles = records(
                run_then(unknown(), snapshot=snapshot) if snapshot else run_then(unknown())
            )
        elif snapshot is not None and callable(run_taught):
            articles = records(run_taught((item for item, _ in unknown()), snapshot=snapshot))
        else:
            articles = stages.run(item for item, _ in unknown())
        if join_multipage:
            articles = join_pages(articles)
        for article in articles:
            joined = 1 if isinstance(article, Ready) else int(article.extras.get("warta.pages", 1))
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
        self.learned([page])
        with self.lock:
            self.tell(page, "failed", reason=error.reason, message=error.message)
            self.report.pages += 1
            self.report.failed[error.reason] += 1
            self.tick()

    def store_article(self, article: Article | Ready, pages: list[_Pending]) -> None:
        """Queue one article to be stored under each of its pages' keys, or record why it failed."""
        if isinstance(article, Article) and (not article.body or not article.id):
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
        with self.lock:
            self.waiting_keys.update(page.key for page in pages)
        if (
            len(self.waiting) >= BATCH_ARTICLES
            or time.monotonic() - self.waiting_since >= BATCH_SECONDS
        ):
            self.flush()

    def flush(self) -> None:
        """Write the waiting articles (or hand them to the writer thread). What the templates
        stage learned so far is saved after the batch is written: a kill in between forgets a
        few pages' counts (resumed pages are skipped, not read again), never counts a page
        twice. (Only an in-process templates stage has a learner here; with workers the
        writer merges and saves what they taught, :meth:`learned`.)"""
        if self.waiting:
            batch, self.waiting = self.waiting, []
            if self.writer is not None:
                self.writer.send(batch)
            else:
                self.write(batch)
        if self.writer is None:
            save_templates(self.store, self.learner)

    def write(self, batch: list[tuple[Article | Ready, list[_Pending]]]) -> None:
        """Write a batch in one transaction with its page keys, then count it. A batch the
        store refuses is written again one article at a time, so only the article that cannot
        be written (its record cannot be serialised, the store refuses its row) fails, with its
        reason; the others are stored."""
        if self.dataset is not None:
            # before the store's commit: a batch the store never got is redone on resume, and
            # the dataset writes only the (id, fingerprint) pairs it lacks
            self.dataset.write(a for a, _ in batch if isinstance(a, Article))
        try:
            results = self.put(batch)
        except _FATAL:
            raise
        except Exception:  # noqa: BLE001 - find the article at fault, one transaction each
            results = None
        if results is not None:
            with self.lock:
                self.written(batch)
                done = iter(results)
                for article, pages in batch:
                    self.counted(article, pages, [next(done) for _ in pages])
            self.learned([page for _, pages in batch for page in pages], save=True)
            return
        for article, pages in batch:
            try:
                written = self.put([(article, pages)])
            except _FATAL:
                raise
            except Exception as exc:  # noqa: BLE001 - this article alone fails
                self.unwritable(article, pages, exc)  # its page keys recorded as failed
                with self.lock:
                    self.written([(article, pages)])
                continue
            with self.lock:
                self.written([(article, pages)])
                self.counted(article, pages, written)
        self.learned([page for _, pages in batch for page in pages], save=True)

    def learned(self, pages: list[_Pending], *, save: bool = False) -> None:
        """Merge what the written (or failed) pages taught the workers into the kept learner,
        each page once; with ``save``, keep it in the store (after the batch's commit: a kill
        in between forgets a few pages' counts, never counts a page twice)."""
        if self.exchange is None:
            return
        for page in pages:
            if page.evidence is not None:
                evidence, page.evidence = page.evidence, None
                self.exchange.merge(evidence)
        if save:
            self.exchange.save(self.store)

    def written(self, batch: list[tuple[Article | Ready, list[_Pending]]]) -> None:
        """The batch's page keys are the store's to answer for now."""
        self.waiting_keys.difference_update(page.key for _, pages in batch for page in pages)

    def put(self, batch: list[tuple[Article | Ready, list[_Pending]]]) -> list[PutResult]:
        articles = [a for a, pages in batch for _ in pages]
        keys: list[str | None] = [page.key for _, pages in batch for page in pages]
        return self.store.put_many(articles, run_id=self.report.run_id, page_keys=keys)

    def unwritable(self, article: Article | Ready, pages: list[_Pending], exc: Exception) -> None:
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

    def counted(
        self, article: Article | Ready, pages: list[_Pending], results: list[PutResult]
    ) -> None:
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
