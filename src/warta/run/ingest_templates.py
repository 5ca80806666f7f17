"""Learned outlet templates in an ingest run: seeded from the store, saved back to it.

``warta ingest`` adds ``clean.templates.v1`` to its pipeline (after the metadata stages, which
name the outlet). In this process (the default, one job) the stage starts from the templates
the store kept for each outlet and the run saves what it learned with every batch it writes,
so an outlet's furniture goes away after a few dozen pages, across runs, without anyone
writing a rule; an outlet's first page is cleaned by the rules alone. Worker processes
(``-j N``, Dask) each learn on their own during the run and keep nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from warta.clean.templates import TemplateLearner, TemplateStage
from warta.core.errors import StoreError
from warta.store.base import Store

__all__ = ["STAGE", "TemplateLearner", "save", "seed", "with_templates"]

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
