"""The publish time put on the record as the page stated it (record schema 1.5).

``Article.published`` is an instant or nothing: a time of day with an offset written on the
page, or a time of day whose zone is the known outlet's (WIB for the national Indonesian
outlets, from ``lang/*/outlets.toml``). A date without a time ("Nov 15, 2022") is not an
instant, and a time whose zone nobody knows is not one either: for those ``published`` stays
None and ``published_local`` keeps what the page stated, cut to ``published_precision``.
Inventing midnight, or an offset, would put a page on the wrong day in a time filter.
"""

from __future__ import annotations

from datetime import datetime, timezone, tzinfo

from warta.core.record import PUBLISHED_PRECISIONS, Article
from warta.meta.dates import ZONE_OFFSETS

#: ``published_local`` cut to each precision.
_FORMATS = {
    "second": "%Y-%m-%dT%H:%M:%S",
    "minute": "%Y-%m-%dT%H:%M",
    "hour": "%Y-%m-%dT%H",
    "day": "%Y-%m-%d",
    "month": "%Y-%m",
    "year": "%Y",
}
#: Precisions that state a time of day (and so, with a zone, an instant).
_TIMED = frozenset({"second", "minute", "hour"})
_ZONE_EXTRA = "warta.published_zone"


def zone_named(name: str | None) -> tzinfo | None:
    """The fixed-offset zone of a zone name ("WIB"), or None when the name is unknown."""
    offset = ZONE_OFFSETS.get(name or "")
    return timezone(offset, name) if offset is not None and name else None


def finer(precision: str | None, than: str | None) -> bool:
    """Whether ``precision`` states more than ``than`` (None states nothing)."""
    if precision is None:
        return False
    if than is None:
        return True
    return PUBLISHED_PRECISIONS.index(precision) < PUBLISHED_PRECISIONS.index(than)


def in_zone(value: datetime | None, zone: str | None) -> datetime | None:
    """An aware time as it is; a naive one in the outlet's ``zone``; None when none is known."""
    if value is None or value.tzinfo is not None:
        return value
    tz = zone_named(zone)
    return value.replace(tzinfo=tz) if tz is not None else None


def set_published(
    article: Article, value: datetime, precision: str, raw: str | None, zone: str | None
) -> None:
    """Put a stated publish time on ``article``: an instant when it has a time of day and a
    zone (its own, else the outlet's ``zone``), and always what the page stated."""
    assumed = False
    if precision in _TIMED and value.tzinfo is None and zone_named(zone) is not None:
        value = value.replace(tzinfo=zone_named(zone))
        assumed = True
    timed = precision in _TIMED and value.tzinfo is not None
    article.published = value if timed else None
    article.published_local = value.strftime(_FORMATS[precision])
    article.published_precision = precision
    article.published_raw = raw
    if assumed:
        article.extras[_ZONE_EXTRA] = f"assumed {zone}"
    else:
        article.extras.pop(_ZONE_EXTRA, None)


def stated(article: Article) -> datetime | None:
    """What the page stated, as a (naive) datetime: for placing it in a zone found later."""
    if article.published_local is None:
        return None
    try:
        return datetime.fromisoformat(article.published_local)
    except ValueError:  # "2015" or "2015-11": not a time anyway
        return None
