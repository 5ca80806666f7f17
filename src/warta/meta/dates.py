"""The date and time shapes now live in :mod:`warta.clean.dates`, below both clean and meta
(cleaning needs them for datelines and furniture lines, and clean must not import meta). This
name stays so that existing importers keep working; new code imports ``warta.clean.dates``."""

from __future__ import annotations

from warta.clean.dates import (
    ZONE_OFFSETS,
    DateMatch,
    MarkedTime,
    find_datetimes,
    find_marked_time,
)

__all__ = ["ZONE_OFFSETS", "DateMatch", "MarkedTime", "find_datetimes", "find_marked_time"]
