"""Executors decide only *where* stages run; every executor gives identical output.

An executor is anything with ``run(pages) -> articles`` (:class:`Executor`): one record per
page, in input order, and never an exception for one page — whatever goes wrong with a page
(a stage, building the record, a worker that dies) comes back as that page's record with an
``errors`` entry, so the ingest driver (:mod:`warta.run.ingest`) records it and goes on. The driver
takes any executor, so a cluster executor (Dask) plugs in beside these two.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Protocol

from warta.core.record import Article
from warta.readers.base import Page, ReadFailure

PageLike = Page | ReadFailure


class Executor(Protocol):
    """Where the stages of one pipeline run."""

    def run(self, pages: Iterable[PageLike]) -> Iterator[Article]:
        """One record per page, in input order; a failed page is a record with ``errors``.
        May be called more than once (an ingest calls it once per run of page sources), and
        must stop its workers when the caller closes the iterator early (an interrupt)."""
        ...


#: where stages can run: this machine (this process or ``jobs`` processes), or a Dask cluster
EXECUTORS: tuple[str, ...] = ("local", "dask")


def make_executor(
    spec: Sequence[str],
    *,
    jobs: int = 1,
    time_limit_s: float | None = None,
    kind: str = "local",
    scheduler: str | None = None,
) -> Executor:
    """This process (``jobs == 1``), a pool of ``jobs`` worker processes, or (``kind="dask"``)
    the Dask cluster at ``scheduler`` — a LocalCluster of ``jobs`` workers when none is given."""
    if kind == "dask":
        from warta.run.executors.dask_cluster import DaskExecutor

        return DaskExecutor(spec, scheduler=scheduler, workers=max(jobs, 2), time_limit_s=time_limit_s)
    if kind != "local":
        raise ValueError(f"unknown executor {kind!r}: one of {', '.join(EXECUTORS)}")
    if jobs <= 1:
        from warta.run.executors.local import LocalExecutor

        return LocalExecutor(spec, time_limit_s=time_limit_s)
    from warta.run.executors.process import ProcessExecutor

    return ProcessExecutor(spec, jobs=jobs, time_limit_s=time_limit_s)


def run_pipeline(
    spec: Sequence[str],
    pages: Iterable[PageLike],
    *,
    jobs: int = 1,
    time_limit_s: float | None = None,
) -> Iterator[Article]:
    """Run ``spec`` over ``pages`` in this process (``jobs == 1``) or in a process pool."""
    return make_executor(spec, jobs=jobs, time_limit_s=time_limit_s).run(pages)
