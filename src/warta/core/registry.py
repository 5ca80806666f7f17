"""Explicit, lazy stage registration through the ``warta.stages`` entry-point group.

Built-in stages are registered in warta's own ``pyproject.toml`` the same way a plugin would be,
so there is one path for both. Nothing is imported until a stage is asked for by name. A name
registered for a class whose own ``name`` differs is an alias kept for saved specs
(``clean.html.v1`` loads ``clean.page.v1``, which runs it as a variant); see
:func:`warta.run.pipeline.resolve_spec`.
"""

from __future__ import annotations

from functools import lru_cache

from warta.core.errors import UnknownStage
from warta.core.plugins import entry_point_values, load_entry_point
from warta.core.stage import Stage

GROUP = "warta.stages"


@lru_cache(maxsize=1)
def _entry_points() -> dict[str, str]:
    return entry_point_values(GROUP)


def stage_names() -> list[str]:
    return sorted(_entry_points())


def load_stage_class(name: str) -> type[Stage]:
    """The stage class registered under ``name`` (for example ``"clean.page.v1"``; an alias
    such as ``"clean.plaintext.v1"`` gives the class that now holds that variant)."""
    # The group is read once (each ``entry_points()`` call reads every installed package's
    # metadata: 20 stages a pipeline made that most of a single page's start-up), and from
    # the disk cache while the installation is unchanged (warta.core.plugins).
    value = _entry_points().get(name)
    if value is not None:
        cls = load_entry_point(value)
        if not (isinstance(cls, type) and issubclass(cls, Stage)):
            raise UnknownStage(f"entry point {name!r} is not a warta Stage")
        return cls
    known = ", ".join(stage_names()) or "none"
    raise UnknownStage(f"no stage named {name!r} (registered: {known})")
