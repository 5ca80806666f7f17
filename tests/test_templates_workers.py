"""Learned outlet templates with worker processes (issue 11, item 2): ``warta ingest -j 2`` keeps
one learner in the parent. Workers start each chunk of pages from the templates as last saved
and send each page's evidence back with its result; the parent merges what the pages it wrote
taught and saves it after each batch. The counts are sums, so after the run the store holds
the templates ``-j 1`` leaves; which pages lost the line depends on which pages their worker
had seen (each worker learns a new outlet's line from its own first N = 5 pages until a
snapshot brings it the others'). The pages are those of ``test_templates_store.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_templates import PROMO, WIRE
from test_templates_store import _bodies, _write

from warta.clean.templates import MIN_PAGES
from warta.run.executors.process import ProcessExecutor
from warta.run.ingest import ingest
from warta.run.pipeline import CLEAN_PIPELINE
from warta.store import open_store

#: pages the process pool sends to a worker at a time (the first chunks all go out at once)
CHUNK = 16


def _ingest(location: str, path: Path, jobs: int) -> tuple[dict[str, Any], int]:
    with open_store(location) as store:
        report = ingest([str(path)], store, jobs=jobs, spec=CLEAN_PIPELINE, corpus=False)
        return store.outlet_templates(), report.new


def test_workers_learn_into_the_store_as_one_process_does(
    store_location: str, tmp_path: Path
) -> None:
    assert MIN_PAGES == 5 and ProcessExecutor(CLEAN_PIPELINE, jobs=2).chunk_size == CHUNK
    n = 40  # three chunks: 0-15, 16-31, 32-39
    first = _write(tmp_path / "in", 0, n, "a")
    kept, new = _ingest(store_location, first, jobs=2)
    assert new == n
    one, _ = _ingest(str(tmp_path / "one.db"), first, jobs=1)
    # the same evidence, merged in another order: the store keeps what one process keeps
    assert kept == one
    assert kept["kabarpesisir.id"]["pages"] == n
    promo = next(c for c in kept["kabarpesisir.id"]["counts"] if c[3] == PROMO)
    assert promo[:3] == ["line", "dukung jurnalisme warga pesisir", n]

    bodies = _bodies(store_location)
    for i in range(n):
        body = bodies[f"https://kabarpesisir.id/a/{i}"]
        assert WIRE in body  # repeated on every page, and body: never learned
        # a worker's first five pages keep the promo; the first chunk's worker learns it at
        # its page 5; the other worker, if it took the second chunk, at page 16 + 5; by the
        # third chunk every worker has
        if i < MIN_PAGES:
            assert PROMO in body, i
        elif i < CHUNK or i >= CHUNK + MIN_PAGES:
            assert PROMO not in body, i

    # a later run's workers start from what the store kept: every page is cleaned already
    second = _write(tmp_path / "in", 100, 20, "b")
    kept_after, new = _ingest(store_location, second, jobs=2)
    assert new == 20
    bodies = _bodies(store_location)
    for i in range(100, 120):
        body = bodies[f"https://kabarpesisir.id/b/{i}"]
        assert PROMO not in body and WIRE in body
    assert kept_after["kabarpesisir.id"]["pages"] == n + 20

    # the same input again: every page is skipped, nothing is counted twice
    again, new = _ingest(store_location, second, jobs=2)
    assert new == 0 and again == kept_after


def test_workers_keep_nothing_without_templates(tmp_path: Path) -> None:
    path = _write(tmp_path / "in", 0, 20, "c")
    location = str(tmp_path / "warta.db")
    with open_store(location) as store:
        ingest([str(path)], store, jobs=2, spec=CLEAN_PIPELINE, corpus=False, templates=False)
        assert store.outlet_templates() == {}
    assert all(PROMO in body for body in _bodies(location).values())


def test_a_dask_clusters_workers_learn_into_the_store_too(tmp_path: Path) -> None:
    """The same seam on a LocalCluster of two workers (shards of 16 pages)."""
    pytest.importorskip("distributed")
    from warta.run.executors.dask_cluster import DaskExecutor
    from warta.run.ingest_templates import with_templates

    n = 40
    path = _write(tmp_path / "in", 0, n, "d")
    one, _ = _ingest(str(tmp_path / "one.db"), path, jobs=1)
    location = str(tmp_path / "dask.db")
    with open_store(location) as store:
        dask = DaskExecutor(with_templates(CLEAN_PIPELINE), workers=2)
        report = ingest([str(path)], store, executor=dask, spec=CLEAN_PIPELINE, corpus=False)
        assert report.new == n
        assert store.outlet_templates() == one
    bodies = _bodies(location)
    assert all(WIRE in body for body in bodies.values())
    assert all(PROMO in bodies[f"https://kabarpesisir.id/d/{i}"] for i in range(MIN_PAGES))
    assert PROMO not in bodies[f"https://kabarpesisir.id/d/{n - 1}"]


def test_the_learner_keeps_the_same_state_whatever_the_order_pages_are_counted_in() -> None:
    """What makes the store's templates after ``-j N`` equal to ``-j 1``'s: counts add up, the
    example kept is the smallest text seen, an opening keeps its two smallest lines."""
    import random

    from test_templates import page

    from warta.clean.lines import LineLabeller
    from warta.clean.templates import TemplateLearner, page_evidence

    labeller = LineLabeller()
    texts = [
        page(i % 8).replace("Sorotan Redaksi: Harga", f"Sorotan Redaksi: Harga {i}")
        + f"\nHal {i}\n"
        for i in range(30)
    ]
    evidence = [page_evidence(labeller.first_pass(text)) for text in texts]
    states = []
    for seed in range(3):
        order = list(evidence)
        random.Random(seed).shuffle(order)
        learner = TemplateLearner()
        for ev in order:
            learner.add("kabarpesisir.id", ev)
        states.append(learner.to_dict())
    assert states[0] == states[1] == states[2]
    assert {t["kind"] for t in states[0]["templates"]} == {"line", "opening"}


def test_a_worker_takes_up_a_newer_snapshot_and_any_snapshot_of_another_run() -> None:
    """A cluster's worker serves one ingest after another: a new run's first snapshot
    (generation 0) replaces what the last run left, an older one of the same run does not."""
    import pickle

    from warta.clean.templates import TemplateStage
    from warta.run.executors.learning import WorkerLearning

    stage = TemplateStage()
    learning = WorkerLearning([stage])

    def snap(run: str, generation: int, pages: int) -> tuple[str, int, bytes]:
        state = {"kabarpesisir.id": {"pages": pages, "counts": [], "openings": {}}}
        return run, generation, pickle.dumps({TemplateStage.name: state})

    learning.adopt(snap("a", 3, 30))
    assert stage.learner.pages["kabarpesisir.id"] == 30
    learning.adopt(snap("a", 2, 20))  # older: kept what it has
    assert stage.learner.pages["kabarpesisir.id"] == 30
    learning.adopt(snap("b", 0, 5))  # another run
    assert stage.learner.pages["kabarpesisir.id"] == 5
