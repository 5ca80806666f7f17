"""Which zone a page's naive times are in, and one consistency check on structured times.

A naive time gets the page's zone: the zone written on the visible date line, else the
outlet's zone from :func:`warta.clean.knowledge.knowledge` (WIB for the national Indonesian
outlets), else the zone most visible timestamps on the page name. Some CMSes print local
time with a ``Z`` ("2015-11-05T10:08:58Z" on a page that shows "10:08 WIB"); when the page's
own date line agrees with the local reading and not with the UTC one, the local reading is kept.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta, timezone, tzinfo

from warta.clean.knowledge import Outlet
from warta.meta.dates import ZONE_OFFSETS
from warta.meta.pagetext import Dated
from warta.meta.when import When

#: Two readings of a time "agree" with the visible date line when this close.
_AGREE = timedelta(hours=2)


def localise(when: When, zone: tzinfo | None) -> When:
    """A naive time takes the page's zone (see the module docstring for how it is chosen)."""
    if when.value.tzinfo is not None or zone is None or not when.has_time:
        return when  # a date without a time is not an instant: it stays naive
    return When(
        when.value.replace(tzinfo=zone), when.raw, when.source, when.has_time, False, when.precision
    )


def as_local(when: When, zone: tzinfo) -> When:
    """The same wall-clock time read in ``zone`` instead of UTC."""
    return When(
        when.value.replace(tzinfo=zone), when.raw, when.source, when.has_time, False, when.precision
    )


def page_zone(near: list[Dated], dates: list[Dated], outlet: Outlet | None) -> tzinfo | None:
    """The zone the page's naive times are in (see the module docstring)."""
    for d in near:
        if d.match.value.tzinfo is not None and d.match.has_time:
            return d.match.value.tzinfo
    if outlet is not None and outlet.zone and outlet.zone in ZONE_OFFSETS:
        # A naive time on an Indonesian outlet's page is in the outlet's zone (WIB for the
        # national outlets), as knowledge() records it.
        return timezone(ZONE_OFFSETS[outlet.zone], outlet.zone)
    named = Counter(
        d.match.zone for d in dates if d.match.zone in ZONE_OFFSETS and d.match.has_time
    )
    if named:
        zone = named.most_common(1)[0][0]
        assert zone is not None
        return timezone(ZONE_OFFSETS[zone], zone)
    return None


def check_utc(when: When, visible: When | None) -> When:
    """A structured time written as UTC that the page's own date line shows is local time
    ("10:08:58Z" beside "10:08 WIB") is read as local time."""
    if not when.utc_claimed or visible is None or visible.value.tzinfo is None:
        return when
    local_zone = visible.value.tzinfo
    offset = visible.value.utcoffset()
    if offset is None or offset == timedelta(0):
        return when
    local = as_local(when, local_zone)
    gap_utc = abs(when.value - visible.value)
    gap_local = abs(local.value - visible.value)
    if gap_local <= _AGREE and gap_local < gap_utc:
        return local
    return when
