"""A process-pool executor with the same output, in the same order, as the local one.

Each worker builds its own pipeline from the spec (stages are never pickled). Work is sent in
chunks with a bounded number in flight, so memory stays flat however many pages stream in.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice

from warta.executors.local import process_page
from warta.pipeline import Pipeline
from warta.readers.base import Page, ReadFailure
from warta.record import Article

_worker_pipeline: Pipeline | None = None


def _init_worker(spec: tuple[str, ...]) -> None:
    global _worker_pipeline
    _worker_pipeline = Pipeline.from_spec(spec)


def _work(chunk: list[Page | ReadFailure]) -> list[Article]:
    assert _worker_pipeline is not None, "worker not initialised"
    return [process_page(_worker_pipeline, item) for item in chunk]


class ProcessExecutor:
    def __init__(self, spec: Sequence[str], *, jobs: int, chunk_size: int = 16) -> None:
        Pipeline.from_spec(spec)  # fail fast, in the parent, on a bad spec
        self.spec = tuple(spec)
        self.jobs = jobs
        self.chunk_size = chunk_size

    def run(self, pages: Iterable[Page | ReadFailure]) -> Iterator[Article]:
        source = iter(pages)
        max_in_flight = self.jobs * 4
        with ProcessPoolExecutor(
            max_workers=self.jobs, initializer=_init_worker, initargs=(self.spec,)
        ) as pool:
            in_flight: deque[Future[list[Article]]] = deque()
            while True:
                while len(in_flight) < max_in_flight:
                    chunk = list(islice(source, self.chunk_size))
                    if not chunk:
                        break
                    in_flight.append(pool.submit(_work, chunk))
                if not in_flight:
                    return
                yield from in_flight.popleft().result()
