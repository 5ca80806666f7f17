"""Executors decide only *where* stages run; every executor gives identical output."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from warta.readers.base import Page, ReadFailure
from warta.record import Article

PageLike = Page | ReadFailure


def run_pipeline(
    spec: Sequence[str], pages: Iterable[PageLike], *, jobs: int = 1
) -> Iterator[Article]:
    """Run ``spec`` over ``pages`` in this process (``jobs == 1``) or in a process pool."""
    if jobs <= 1:
        from warta.executors.local import LocalExecutor

        return LocalExecutor(spec).run(pages)
    from warta.executors.process import ProcessExecutor

    return ProcessExecutor(spec, jobs=jobs).run(pages)
