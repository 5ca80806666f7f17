"""A process-pool executor with the same output, in the same order, as the local one.

Each worker builds its own pipeline from the spec (stages are never pickled). Work is sent in
chunks with a bounded number in flight, so memory stays flat however many pages stream in.

Nothing about one page stops the batch: a chunk whose result cannot come back (a record that
cannot be pickled) is redone page by page, and a worker that dies (killed, out of memory, a
crash in C code) takes only its own page down: the chunks it held are redone one page at a
time in a fresh pool, and the page that kills a worker again is recorded as ``worker_died``.

:meth:`ProcessExecutor.run_then` also applies a function to each record in the worker: the
ingest driver gives it the store's preparation (packed record, child rows, index text), so only
that crosses back and the parent neither unpickles whole records nor does the store's CPU work.
Given a ``snapshot`` source, each chunk carries the learning stages' state as the ingest last
saved it and each page comes back with what it taught (:mod:`warta.run.executors.learning`).

On Linux the workers are forked, and from a process that has loaded what they share: before
the first worker starts, the stages' :meth:`~warta.core.stage.Stage.preload` loads their
read-only data (models, the numpy tagger) here, and the collector freezes this process's
objects while the workers fork (``gc.freeze``), so they start without loading their own copy
and their collections never walk (or copy) what they inherited. Pages are never processed
here: a page that kills its process still kills only a worker.

Workers never outlive the ingest: each watches the process that started it and exits within
:data:`WATCH_INTERVAL_S` once that process is gone, even after a kill -9 of the parent. They
die on SIGTERM (the default action, not the parent's handler) and ignore SIGINT, which the
parent handles for them; a parent that stops early terminates them.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice

from warta.core.record import Article
from warta.readers.base import Page, ReadFailure
from warta.run.executors.learning import Snapshot, SnapshotSource, WorkerLearning, unwrap
from warta.run.executors.local import broken_page, process_page
from warta.run.pipeline import Pipeline

log = logging.getLogger(__name__)

#: how often a worker checks that the process that started it is still alive (seconds)
WATCH_INTERVAL_S = 0.5
#: reason of a page whose worker died while processing it, twice
WORKER_DIED = "worker_died"

Item = Page | ReadFailure

#: how workers start: forked where that is safe (Linux), so they share what the parent loaded;
#: elsewhere the platform's default (then nothing is preloaded: each worker loads its own)
_FORK = multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None

_worker_pipeline: Pipeline | None = None
_worker_time_limit: float | None = None
_worker_learning: WorkerLearning | None = None


def _alive(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie, killed but not yet reaped, is not)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            state = handle.read().rpartition(b")")[2].split()[:1]
        return state != [b"Z"]
    except FileNotFoundError:
        return False
    except OSError:  # no /proc: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True


def _watch_parent(parent: int, ppid: int) -> None:
    """Exit this worker once the ingest that started it is gone (its pid dead, or this
    worker re-parented): nothing else would tell it, since it inherited the queues' pipes."""
    while True:
        time.sleep(WATCH_INTERVAL_S)
        if os.getppid() != ppid or not _alive(parent):
            os._exit(1)


def _init_worker(spec: tuple[str, ...], time_limit_s: float | None, parent: int) -> None:
    global _worker_pipeline, _worker_time_limit, _worker_learning
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    watcher = threading.Thread(
        target=_watch_parent, args=(parent, os.getppid()), name="warta-parent-watch", daemon=True
    )
    watcher.start()
    _worker_pipeline = Pipeline.from_spec(spec)
    _worker_time_limit = time_limit_s
    _worker_learning = WorkerLearning(_worker_pipeline.stages)


#: what a worker sends back for a page: its record, or what the page's ``then`` made of it
Result = object
#: a function a worker applies to a page's record; module-level, so it pickles by name
Then = Callable[[Article], object]
#: one page and what to apply to its record in the worker (None: send the record back)
Job = tuple[Item, Then | None]


def _work(chunk: list[Job], snapshot: Snapshot | None = None) -> list[Result]:
    """A chunk's pages through this worker's pipeline. With a ``snapshot`` (an ingest that
    keeps what learning stages learn) the worker first takes it up, and each page comes back
    with what it taught (:class:`~warta.run.executors.learning.Taught`)."""
    assert _worker_pipeline is not None, "worker not initialised"
    learning = _worker_learning if snapshot is not None else None
    if learning is not None and snapshot is not None:
        learning.adopt(snapshot)
    out: list[Result] = []
    for item, then in chunk:
        if learning is not None:
            learning.forget()
        article = process_page(_worker_pipeline, item, time_limit_s=_worker_time_limit)
        result = article if then is None else then(article)
        out.append(result if learning is None else learning.taught(result))
    return out


class ProcessExecutor:
    def __init__(
        self,
        spec: Sequence[str],
        *,
        jobs: int,
        chunk_size: int = 16,
        time_limit_s: float | None = None,
    ) -> None:
        self._stages = Pipeline.from_spec(spec).stages  # fail fast, in the parent, on a bad spec
        self.spec = tuple(spec)
        self.jobs = jobs
        self.chunk_size = chunk_size
        self.time_limit_s = time_limit_s
        self._pool: ProcessPoolExecutor | None = None
        self._snapshot: SnapshotSource | None = None
        self._preloaded = False
        self._unforked = False  # a pool whose workers start with its first submit

    def _new_pool(self) -> ProcessPoolExecutor:
        if _FORK is not None and not self._preloaded:
            self._preload()
        self._pool = ProcessPoolExecutor(
            max_workers=self.jobs,
            mp_context=_FORK,
            initializer=_init_worker,
            initargs=(self.spec, self.time_limit_s, os.getpid()),
        )
        self._unforked = _FORK is not None
        return self._pool

    def _preload(self) -> None:
        """The stages' shared read-only data loaded here, once, for every worker to inherit."""
        self._preloaded = True
        for stage in self._stages:
            for part in (stage, *stage.variants()):
                try:
                    part.preload()
                except Exception:  # noqa: BLE001 - each worker meets it again, per page
                    log.debug("preloading %s failed", part.name, exc_info=True)

    def _stop(self, *, finished: bool) -> None:
        """Shut the pool down: wait for it after a finished run, else terminate its workers."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if finished:
            pool.shutdown(wait=True)
            return
        processes = list(getattr(pool, "_processes", {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(timeout=5)

    def run(self, pages: Iterable[Item]) -> Iterator[Article]:
        for result in self.run_then((item, None) for item in pages):
            result = unwrap(result)
            assert isinstance(result, Article)
            yield result

    def run_then(
        self, jobs: Iterable[Job], *, snapshot: SnapshotSource | None = None
    ) -> Iterator[Result]:
        """As :meth:`run`, for pages each given with a function to apply to its record in the
        worker (module-level; it must not raise), whose value comes back instead of the record.
        A page whose worker died, or whose result could not come back, comes back as its
        failed record, without the function. ``snapshot``: the learning stages' state as it
        stands, taken each time a chunk is handed out; then a page's result comes back as
        :class:`~warta.run.executors.learning.Taught` when the page taught something."""
        self._snapshot = snapshot
        source = iter(jobs)
        max_in_flight = self.jobs * 4
        finished = False
        pool = self._new_pool()
        in_flight: deque[tuple[Future[list[Result]], list[Job]]] = deque()
        try:
            while True:
                while len(in_flight) < max_in_flight:
                    chunk = list(islice(source, self.chunk_size))
                    if not chunk:
                        break
                    in_flight.append((self._submit(pool, chunk), chunk))
                if not in_flight:
                    finished = True
                    return
                future, chunk = in_flight.popleft()
                try:
                    results = future.result()
                except BrokenProcessPool:
                    # every chunk in flight went down with the pool: redo them in a new one
                    lost = [c for _, c in in_flight]
                    in_flight.clear()
                    self._stop(finished=False)
                    results = self._one_by_one(chunk)
                    pool = self._resubmit(lost, in_flight)
                except Exception:  # noqa: BLE001 - e.g. a record that cannot be pickled back
                    results = self._one_by_one(chunk)
                    pool = self._pool or self._new_pool()
                yield from results
        finally:
            self._stop(finished=finished)

    def _submit(self, pool: ProcessPoolExecutor, chunk: list[Job]) -> Future[list[Result]]:
        snapshot = self._snapshot() if self._snapshot is not None else None
        if not self._unforked:
            return pool.submit(_work, chunk, snapshot)
        # A forking pool starts all its workers in its first submit. What this process holds
        # then is frozen for them (collected first, so no garbage is inherited): their
        # collections skip it, which also keeps its memory pages shared instead of copied.
        # Thawed here right after, so this process goes on collecting as before.
        self._unforked = False
        gc.collect()
        gc.freeze()
        try:
            return pool.submit(_work, chunk, snapshot)
        finally:
            gc.unfreeze()

    def _resubmit(
        self, chunks: list[list[Job]], in_flight: deque[tuple[Future[list[Result]], list[Job]]]
    ) -> ProcessPoolExecutor:
        pool = self._pool or self._new_pool()
        for chunk in chunks:
            in_flight.append((self._submit(pool, chunk), chunk))
        return pool

    def _one_by_one(self, chunk: list[Job]) -> list[Result]:
        """Each page of a chunk that failed as a whole, alone, so only the culprit fails."""
        out: list[Result] = []
        for job in chunk:
            item = job[0]
            pool = self._pool or self._new_pool()
            try:
                out.extend(self._submit(pool, [job]).result())
            except BrokenProcessPool:
                self._stop(finished=False)
                out.append(
                    broken_page(item, "worker", WORKER_DIED, "the worker process died on this page")
                )
            except Exception as exc:  # noqa: BLE001 - this page alone: record it, go on
                out.append(
                    broken_page(item, "worker", "record_failed", f"{type(exc).__name__}: {exc}")
                )
        return out
