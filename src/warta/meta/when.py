"""Publish and update times as pages write them: ISO 8601 (loosely written), Unix times, any
date :func:`warta.meta.dates.find_datetimes` reads, and dates in URLs.

An ISO string with an offset is taken as written and ``Z`` stays UTC (the same instant); a
string without one stays naive, for :mod:`warta.meta.zones` to place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from urllib.parse import urlsplit

from warta.core import diskcache
from warta.meta.dates import DateMatch, find_datetimes
from warta.meta.markup import norm


@dataclass(frozen=True, slots=True)
class When:
    """One reading of a time: its value, the string and the source it came from."""

    value: datetime
    raw: str
    source: str
    has_time: bool
    utc_claimed: bool  # written as Z / +00:00: maybe a local time mislabelled (see module doc)
    precision: str = "minute"  # how much the string stated: "second", "minute" or "day"


_ISO = diskcache.compile(
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T\s]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d{1,9})?)?)?"
    r"\s*(?P<z>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?\s*$",
    re.IGNORECASE,
)
_EPOCH = diskcache.compile(r"\d{10}(?:\d{3})?")


def parse_when(raw: str | None, source: str) -> When | None:
    """An ISO 8601 string (loosely written), a Unix time, or any date find_datetimes reads."""
    text = norm(raw)
    if not text or len(text) > 200:
        return None
    try:
        m = _ISO.match(text)
        if m is not None:
            zone: tzinfo | None = None
            z = m.group("z")
            utc = False
            if z:
                if z.upper() in ("Z", "UTC", "GMT"):
                    zone, utc = UTC, True
                else:
                    sign = -1 if z[0] == "-" else 1
                    digits = z[1:].replace(":", "")
                    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
                    if delta > timedelta(hours=14):
                        return None
                    zone = timezone(sign * delta)
                    utc = delta == timedelta(0)
            has_time = m.group("H") is not None
            if not has_time:
                zone, utc = None, False  # a date alone is a calendar day, not an instant
            value = datetime(
                int(m.group("y")),
                int(m.group("m")),
                int(m.group("d")),
                int(m.group("H") or 0),
                int(m.group("M") or 0),
                int(m.group("S") or 0),
                tzinfo=zone,
            )
            precision = "second" if m.group("S") else "minute" if has_time else "day"
            return _plausible(When(value, text, source, has_time, utc, precision))
        if _EPOCH.fullmatch(text):
            seconds = int(text) / (1000 if len(text) == 13 else 1)
            value = datetime.fromtimestamp(seconds, UTC)
            return _plausible(When(value, text, source, True, False, "second"))
    except (ValueError, OverflowError, OSError):
        return None
    for match in find_datetimes(text):
        return _plausible(from_match(match, source))
    return None


def _plausible(when: When) -> When | None:
    return when if 1990 <= when.value.year <= 2100 else None


_SECONDS = diskcache.compile(r"\d[:.]\d\d[:.]\d\d")


def from_match(match: DateMatch, source: str, raw: str | None = None) -> When:
    if not match.has_time:
        precision = "day"
    else:
        precision = "second" if _SECONDS.search(match.raw) else "minute"
    return When(
        value=match.value,
        raw=raw or match.raw,
        source=source,
        has_time=match.has_time,
        utc_claimed=match.zone == "+00:00",
        precision=precision,
    )


_URL_DATES = (
    re.compile(r"/((?:19|20)\d\d)/(\d{1,2})/(\d{1,2})(?=/|$|[-_.])"),
    re.compile(r"/((?:19|20)\d\d)-(\d{2})-(\d{2})(?=/|$|[-_.])"),
    re.compile(r"[/_-]((?:19|20)\d\d)(\d{2})(\d{2})(?=/|$|[-_.])"),
)


def url_date(url: str | None) -> When | None:
    if not url:
        return None
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    for pattern in _URL_DATES:
        for m in pattern.finditer(path):
            try:
                value = datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
            found = _plausible(When(value, m.group(0), "url", False, False, "day"))
            if found is not None:
                return found
    return None


def pick(cands: list[When | None]) -> When | None:
    """The first candidate with a time; failing that, the first with a date only."""
    real = [c for c in cands if c is not None]
    return next((c for c in real if c.has_time), real[0] if real else None)
