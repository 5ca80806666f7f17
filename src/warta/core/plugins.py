"""warta's entry-point groups (``warta.stages``, ``warta.readers``), read without
``importlib.metadata`` when nothing installed has changed.

Reading a group through ``importlib.metadata`` imports it (with ``email``, ``zipfile`` and
``csv``: ≈15 ms) and reads the metadata of every installed distribution (≈10 ms per group),
in every process, for a table that changes only when a package is installed or removed. The
table is kept in the disk cache (:func:`warta.core.diskcache.cached`) under a key made of
the distributions' metadata folders on ``sys.path``, with their modification times
(installing, upgrading or removing a package adds, renames or removes such a folder;
reinstalling one writes it anew): a changed installation gives another key, and the groups are
read again. Loading an entry point is what ``EntryPoint.load`` does: import the module, follow the
attributes.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

from warta.core.diskcache import cache_dir, cached, data_hash

__all__ = ["entry_point_values", "load_entry_point"]

#: The groups read together (one scan of the installed distributions for both).
GROUPS = ("warta.stages", "warta.readers")


def _installation() -> str:
    """What the key is made of: the name and time of each distribution's metadata folder in
    each folder on ``sys.path`` (only those: a script's own folder or the working folder on
    the path changes nothing while it holds no distribution)."""
    parts: list[str] = []
    for entry in sys.path:
        try:
            with os.scandir(entry or ".") as found:
                for item in found:
                    if item.name.endswith((".dist-info", ".egg-info")):
                        parts.append(f"{entry}\t{item.name}\t{item.stat().st_mtime_ns}")
        except OSError:  # not a folder (a zip file, a missing path): no metadata folders
            continue
    return "\n".join(parts)


def _read_groups() -> dict[str, dict[str, str]]:
    from importlib.metadata import entry_points

    return {group: {ep.name: ep.value for ep in entry_points(group=group)} for group in GROUPS}


def entry_point_values(group: str) -> dict[str, str]:
    """``name -> "module:attribute"`` of the entry points of ``group``, as
    ``importlib.metadata.entry_points(group=group)`` gives them (a later duplicate name wins)."""
    if group not in GROUPS or cache_dir() is None:
        from importlib.metadata import entry_points

        return {ep.name: ep.value for ep in entry_points(group=group)}
    groups = cached("entry-points", data_hash([_installation()]), _read_groups)
    return dict(groups.get(group, {}))


def load_entry_point(value: str) -> Any:
    """The object an entry point's value names (``"package.module:Class"``, or a module)."""
    module, _, attrs = value.split("[", 1)[0].partition(":")  # extras ("[name]") are not ours
    found: Any = importlib.import_module(module.strip())
    for attr in filter(None, attrs.strip().split(".")):
        found = getattr(found, attr)
    return found
