"""Stages that learn across pages (learned outlet templates) in worker processes.

A learning stage keeps state that later pages use. In one process that is simply the stage's
own; with workers (``-j N``, Dask) each worker has its own copy, so the ingest is the one that
keeps the state: it hands the workers a *snapshot* with each chunk of pages (a generation
number and the pickled state of each learning stage), a worker takes it up when its
generation is newer than the one it has, and every page comes back with what it taught
(:class:`Taught`), which the ingest merges, keeps, and puts into the next snapshot. Between
snapshots a worker goes on learning from its own pages, so a new outlet's furniture goes
from a worker's pages after it has seen a few, as in one process.

A learning stage has ``adopt(state)`` (start again from the parent's state) and
``take_evidence()`` (what the last page taught, or None, then forgotten).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

#: (run, generation, pickled ``{stage name: state}``): what the workers start from; ``run``
#: names the ingest (a cluster's workers outlive it), ``generation`` counts its saves
Snapshot = tuple[str, int, bytes]
#: called by an executor each time it hands out pages: the snapshot as it stands now
SnapshotSource = Callable[[], Snapshot]


@runtime_checkable
class LearningStage(Protocol):
    name: str

    def adopt(self, state: Any) -> None: ...

    def take_evidence(self) -> object | None: ...


@dataclass(frozen=True, slots=True)
class Taught:
    """A page's result from a worker, with what it taught each learning stage (by name)."""

    result: object
    evidence: dict[str, object]


def unwrap(result: object) -> object:
    """The result itself, without what it taught."""
    return result.result if isinstance(result, Taught) else result


class WorkerLearning:
    """In a worker: its pipeline's learning stages and the generation they were given."""

    def __init__(self, stages: list[Any]) -> None:
        self.stages = [s for s in stages if isinstance(s, LearningStage)]
        self.run = ""
        self.generation = -1

    def adopt(self, snapshot: Snapshot) -> None:
        """Take up the ingest's state when it is newer than the one this worker has (or comes
        from another ingest: a cluster's worker serves one run after another)."""
        run, generation, payload = snapshot
        if not self.stages or (run == self.run and generation <= self.generation):
            return
        states = pickle.loads(payload)  # noqa: S301 - from the parent process that started us
        for stage in self.stages:
            if stage.name in states:
                stage.adopt(states[stage.name])
        self.run, self.generation = run, generation

    def forget(self) -> None:
        """Drop evidence left by a page that did not reach the end of the pipeline."""
        for stage in self.stages:
            stage.take_evidence()

    def taught(self, result: object) -> object:
        """``result`` with what its page taught (as it is when it taught nothing)."""
        evidence: dict[str, object] = {}
        for stage in self.stages:
            found = stage.take_evidence()
            if found is not None:
                evidence[stage.name] = found
        return Taught(result, evidence) if evidence else result
