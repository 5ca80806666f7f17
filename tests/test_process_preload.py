"""A ``-j N`` pool's workers are forked from a parent that has loaded what they share: each
stage's ``preload`` runs once, in the parent, before the workers start; they inherit it with
the parent's objects frozen for their collector, and the parent is thawed again. Pages are
never processed in the parent, and a preload that fails costs nothing but itself."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator

import pytest
from test_ingest import detik_rows, page_text

from warta.core import registry
from warta.core.record import Article
from warta.core.stage import Stage
from warta.readers.base import Page
from warta.run.executors.process import ProcessExecutor

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="workers are forked (and preloaded) on Linux"
)

#: what the toy stage's preload did in this process: (pid that loaded, times loaded)
LOADED: dict[str, int] = {}


class Shared(Stage):
    """Says, on each record, who loaded its data and what the worker's collector holds."""

    name = "toy.shared.v1"
    provides = frozenset({"extras.toy.loaded_by", "extras.toy.pid", "extras.toy.frozen"})

    def preload(self) -> None:
        LOADED["by"] = os.getpid()
        LOADED["times"] = LOADED.get("times", 0) + 1

    def process(self, article: Article) -> Article:
        article.extras["toy.loaded_by"] = LOADED.get("by", 0)
        article.extras["toy.pid"] = os.getpid()
        article.extras["toy.frozen"] = gc.get_freeze_count()
        return article


class BrokenPreload(Shared):
    name = "toy.brokenpreload.v1"

    def preload(self) -> None:
        raise RuntimeError("the model is not there")


SPEC = ("read.decode.v1", "clean.plaintext.v1", "toy.shared.v1", "finalize.identity.v1")


@pytest.fixture(autouse=True)
def toy_stages(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The toy stages registered in this process (forked workers inherit the registry)."""
    known = registry._entry_points()
    toys = {
        "toy.shared.v1": f"{__name__}:Shared",
        "toy.brokenpreload.v1": f"{__name__}:BrokenPreload",
    }
    monkeypatch.setattr(registry, "_entry_points", lambda: {**known, **toys})
    LOADED.clear()
    yield
    LOADED.clear()


def _pages(n: int) -> list[Page]:
    rows = detik_rows()[:n]
    return [Page(source=r["tautan"], url=r["tautan"], text=page_text(r)) for r in rows]


def test_workers_inherit_what_the_parent_preloaded_once() -> None:
    parent = os.getpid()
    out = list(ProcessExecutor(SPEC, jobs=2, chunk_size=4).run(_pages(24)))
    assert len(out) == 24 and all(a.body and not a.errors for a in out)
    assert LOADED == {"by": parent, "times": 1}  # here, once, whatever the number of workers
    assert {a.extras["toy.loaded_by"] for a in out} == {parent}  # inherited, not reloaded
    workers = {a.extras["toy.pid"] for a in out}
    assert parent not in workers  # no page was processed in the parent
    # the workers' collectors leave the inherited objects alone; the parent is thawed
    assert all(a.extras["toy.frozen"] > 0 for a in out)
    assert gc.get_freeze_count() == 0


def test_a_failed_preload_is_no_failure_of_the_run() -> None:
    spec = tuple(s.replace("toy.shared.v1", "toy.brokenpreload.v1") for s in SPEC)
    out = list(ProcessExecutor(spec, jobs=2, chunk_size=4).run(_pages(8)))
    assert len(out) == 8 and all(a.body and not a.errors for a in out)
    assert {a.extras["toy.loaded_by"] for a in out} == {0}  # nothing loaded ahead
    assert gc.get_freeze_count() == 0


def test_a_second_run_of_the_executor_does_not_preload_again() -> None:
    executor = ProcessExecutor(SPEC, jobs=2, chunk_size=4)
    first = list(executor.run(_pages(8)))
    second = list(executor.run(_pages(8)))  # a second run of pages starts a new pool
    assert len(first) == len(second) == 8
    assert LOADED["times"] == 1
    assert {a.extras["toy.loaded_by"] for a in first + second} == {os.getpid()}
