"""The same pipeline on a Dask cluster (dask.distributed), with the same output, in the same
order, as the local executor.

Pages are cut into shards of consecutive pages in input order, so the sharding of one input is
always the same; each shard is one task. A worker builds its pipeline from the spec once (the
first shard it runs; models load once per worker process) and keeps it for the next shards.
Results come back to the ingest driver, which alone writes to the store: page keys make the
writes idempotent, so a shard run twice (a killed worker's shard is re-run by the scheduler)
stores nothing twice, and a resumed ingest skips what was stored.

A shard whose task fails — its worker killed more often than the scheduler allows, or a result
that cannot come back — is redone page by page; the page that still kills its worker (a poison
page) is recorded as ``worker_died`` and the job completes. With no scheduler address, a
LocalCluster of ``workers`` processes is started and closed with the run.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from warta.core.record import Article
from warta.readers.base import Page, ReadFailure
from warta.run.executors.learning import Snapshot, SnapshotSource, WorkerLearning
from warta.run.executors.local import broken_page, process_page
from warta.run.pipeline import Pipeline

Item = Page | ReadFailure
#: reason of a page whose worker died on it until the scheduler gave up
WORKER_DIED = "worker_died"

_pipelines: dict[tuple[str, ...], tuple[Pipeline, WorkerLearning]] = {}


def _run_shard(
    spec: tuple[str, ...],
    time_limit_s: float | None,
    shard: list[Item],
    snapshot: Snapshot | None = None,
) -> list[object]:
    """On a worker: the shard's pages through this worker's pipeline (built once per spec).
    With a ``snapshot`` the learning stages take it up first and each page comes back with
    what it taught (:mod:`warta.run.executors.learning`)."""
    built = _pipelines.get(spec)
    if built is None:
        pipeline = Pipeline.from_spec(spec)
        built = _pipelines[spec] = (pipeline, WorkerLearning(pipeline.stages))
    pipeline, learning = built
    if snapshot is None:
        return [process_page(pipeline, item, time_limit_s=time_limit_s) for item in shard]
    learning.adopt(snapshot)
    out: list[object] = []
    for item in shard:
        learning.forget()
        out.append(learning.taught(process_page(pipeline, item, time_limit_s=time_limit_s)))
    return out


@dataclass(slots=True)
class DaskProgress:
    """Where a Dask run stands, for a progress display."""

    dashboard: str | None
    workers: int
    shards_done: int = 0
    pages_done: int = 0
    started: float = 0.0

    @property
    def pages_per_s(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.pages_done / elapsed if elapsed > 0 else 0.0


class DaskExecutor:
    """Where the stages run: a Dask cluster (``scheduler`` address) or a LocalCluster."""

    def __init__(
        self,
        spec: Sequence[str],
        *,
        scheduler: str | None = None,
        workers: int = 2,
        shard_size: int = 16,
        retries: int = 1,
        ahead: int = 4,
        time_limit_s: float | None = None,
        on_progress: Callable[[DaskProgress], None] | None = None,
    ) -> None:
        Pipeline.from_spec(spec)  # fail fast, here, on a bad spec
        self.spec = tuple(spec)
        self.scheduler = scheduler
        self.workers = workers
        self.shard_size = shard_size
        self.retries = retries
        self.ahead = ahead  # shards in flight per worker (and one more)
        self.time_limit_s = time_limit_s
        self.on_progress = on_progress
        self.dashboard: str | None = None
        self._snapshot: SnapshotSource | None = None

    def _connect(self) -> tuple[Any, Any]:
        from distributed import Client, LocalCluster

        if self.scheduler:
            client = Client(self.scheduler, timeout="30s")  # type: ignore[no-untyped-call]
            return client, None
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=self.workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            silence_logs=40,
        )
        return Client(cluster), cluster  # type: ignore[no-untyped-call]

    def run(self, pages: Iterable[Item]) -> Iterator[Article]:
        for result in self.run_taught(pages):
            assert isinstance(result, Article)
            yield result

    def run_taught(
        self, pages: Iterable[Item], *, snapshot: SnapshotSource | None = None
    ) -> Iterator[object]:
        """As :meth:`run`; with ``snapshot`` (the learning stages' state, taken as each shard
        is handed out) a page that taught something comes back as ``Taught``."""
        self._snapshot = snapshot
        client, cluster = self._connect()
        try:
            self.dashboard = client.dashboard_link
            workers = max(1, len(client.scheduler_info().get("workers", {})))
            progress = DaskProgress(self.dashboard, workers, started=time.monotonic())
            yield from self._run(
                client, iter(pages), progress, max_in_flight=self.ahead * workers + 1
            )
        finally:
            client.close()
            if cluster is not None:
                cluster.close()

    def _run(
        self, client: Any, source: Iterator[Item], progress: DaskProgress, max_in_flight: int
    ) -> Iterator[object]:
        in_flight: deque[tuple[Any, list[Item]]] = deque()
        while True:
            while len(in_flight) < max_in_flight:
                shard = list(islice(source, self.shard_size))
                if not shard:
                    break
                in_flight.append((self._submit(client, shard), shard))
            if not in_flight:
                return
            future, shard = in_flight.popleft()
            try:
                results = future.result()
            except Exception:  # noqa: BLE001 - KilledWorker, a result that cannot come back, ...
                results = self._one_by_one(client, shard)
            progress.shards_done += 1
            progress.pages_done += len(shard)
            if self.on_progress is not None:
                self.on_progress(progress)
            yield from results

    def _submit(self, client: Any, shard: list[Item]) -> Any:
        snapshot = self._snapshot() if self._snapshot is not None else None
        return client.submit(
            _run_shard,
            self.spec,
            self.time_limit_s,
            shard,
            snapshot,
            retries=self.retries,
            pure=False,
        )

    def _one_by_one(self, client: Any, shard: list[Item]) -> list[object]:
        """Each page of a shard that failed as a whole, alone, so only the culprit fails."""
        out: list[object] = []
        for item in shard:
            try:
                out.extend(self._submit(client, [item]).result())
            except Exception as exc:  # noqa: BLE001 - this page alone: record it, go on
                name = type(exc).__name__
                if name == "KilledWorker":
                    out.append(
                        broken_page(
                            item,
                            "worker",
                            WORKER_DIED,
                            "the worker died on this page every time it ran",
                        )
                    )
                else:
                    out.append(broken_page(item, "worker", "record_failed", f"{name}: {exc}"))
        return out
