"""Learned outlet templates in an ingest run: seeded from the store, saved back to it.

``warta ingest`` adds ``clean.templates.v1`` to its pipeline (after the metadata stages, which
name the outlet). In this process (the default, one job) the stage starts from the templates
the store kept for each outlet and the run saves what it learned with every batch it writes,
so an outlet's furniture goes away after a few dozen pages, across runs, without anyone
writing a rule; an outlet's first page is cleaned by the rules alone.

With worker processes (``-j N``, Dask) the ingest keeps the learner (:class:`Exchange`): the
workers start each chunk from its state as last saved (the store's, seeded at the start, then
after each batch written), go on learning from their own pages, and send each page's evidence
back with its result; the ingest merges the evidence of the pages it has written (or recorded
as failed) and saves it after each batch. The counts are sums, so after a run the store holds
what one process would have kept; which pages a line was removed from depends on which pages
their worker had seen (a worker learns a new outlet's line from its own first N pages until a
snapshot brings it what the others learned).
"""

from __future__ import annotations

import pickle
import threading
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from warta.clean.templates import PageEvidence, TemplateLearner, TemplateStage
from warta.core.errors import StoreError
from warta.store.base import Store

__all__ = ["STAGE", "Exchange", "TemplateLearner", "exchange", "save", "seed", "with_templates"]

STAGE = TemplateStage.name
#: The stages that name the outlet: the templates stage runs after the last one in the spec.
_AFTER = ("meta.page.v1", "meta.html.v1", "meta.plaintext.v1", "meta.given.v1")


def with_templates(spec: Sequence[str]) -> tuple[str, ...]:
    """``spec`` with the templates stage after its metadata stages (unchanged when it has it
    already or names no metadata stage, so nothing would name the outlet)."""
    spec = tuple(spec)
    if STAGE in spec:
        return spec
    at = max((i for i, name in enumerate(spec) if name in _AFTER), default=-1)
    if at < 0:
        return spec
    return (*spec[: at + 1], STAGE, *spec[at + 1 :])


def seed(stages: object, store: Store) -> TemplateLearner | None:
    """The learner of the templates stage running in this process, seeded with what the store
    kept (None when the stages run elsewhere or have no templates stage)."""
    pipeline = getattr(stages, "pipeline", None)
    found = [s for s in getattr(pipeline, "stages", ()) if isinstance(s, TemplateStage)]
    if not found:
        return None
    learner = found[0].learner
    for outlet, state in store.outlet_templates().items():
        learner.load_outlet_state(outlet, state)
    learner.dirty.clear()
    return learner


def save(store: Store, learner: TemplateLearner | None) -> None:
    """Keep the states of the outlets seen since the last save (a store that cannot keep
    them, such as an old one opened read-only, is left as it is: learning is an extra)."""
    if learner is None or not learner.dirty:
        return
    try:
        store.save_outlet_templates(learner.take_dirty())
    except StoreError:
        pass


class Exchange:
    """The learner of an ingest whose stages run in workers: seeded from the store, merged
    with the evidence the workers send back, saved to the store, and handed to the workers as
    a snapshot (:mod:`warta.run.executors.learning`). Thread-safe: the writer thread merges
    and saves, the reading thread takes snapshots."""

    def __init__(self, store: Store) -> None:
        self.learner = TemplateLearner()
        self._states: dict[str, dict[str, Any]] = dict(store.outlet_templates())
        for outlet, state in self._states.items():
            self.learner.load_outlet_state(outlet, state)
        self.learner.dirty.clear()
        self._lock = threading.Lock()
        self._run = uuid.uuid4().hex
        self._snapshot = self._snapshot_of(0)

    def _snapshot_of(self, generation: int) -> tuple[str, int, bytes]:
        # as warta.run.executors.learning.Snapshot: (run, generation, {stage name: state})
        payload = pickle.dumps({STAGE: self._states}, protocol=pickle.HIGHEST_PROTOCOL)
        return self._run, generation, payload

    def snapshot(self) -> tuple[str, int, bytes]:
        """The state as last saved, for the workers (run, generation, pickled states)."""
        with self._lock:
            return self._snapshot

    def merge(self, evidence: Mapping[str, object]) -> None:
        """Count what one page taught (the page is written or recorded as failed)."""
        taught = evidence.get(STAGE)
        if not isinstance(taught, tuple) or len(taught) != 2:
            return
        outlet, page = taught
        if isinstance(outlet, str) and isinstance(page, PageEvidence):
            with self._lock:
                self.learner.add(outlet, page)

    def save(self, store: Store) -> None:
        """Keep the outlets counted since the last save, and make them the next snapshot."""
        with self._lock:
            if not self.learner.dirty:
                return
            states = self.learner.take_dirty()
            self._states.update(states)
            generation = self._snapshot[1] + 1
            self._snapshot = self._snapshot_of(generation)
        try:
            store.save_outlet_templates(states)
        except StoreError:
            pass


def exchange(stages: object, store: Store) -> Exchange | None:
    """The learner to keep for stages that run in workers with the templates stage in their
    spec (None when they run in this process or have no templates stage)."""
    if getattr(stages, "pipeline", None) is not None:
        return None
    if STAGE not in tuple(getattr(stages, "spec", ())):
        return None
    return Exchange(store)
