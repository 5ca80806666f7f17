"""Metadata a user gives with a page (JSON Lines keys, CSV columns), checked and made plain.

The readers put what a record gives into :attr:`warta.readers.base.Page.given` as JSON values
(``published`` as an ISO 8601 date-time with its zone); the stage ``meta.given.v1``
(:mod:`warta.meta.given`) takes them as given and records them in the article's extras as
``given.<field>``, with warta's own differing finding kept as ``found.<field>``. A value that
cannot be read (a date that does not match the format, an author list that is a number) makes
the record malformed, naming the field: it is never dropped silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from warta.core import diskcache

__all__ = ["GIVEN_FIELDS", "GivenError", "Reading", "read_given", "zone"]

#: The metadata a record may give, besides its text.
GIVEN_FIELDS: tuple[str, ...] = (
    "title",
    "published",
    "outlet",
    "url",
    "section",
    "authors",
    "language",
)
_LANGUAGE = diskcache.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$")
_AUTHOR_SPLIT = diskcache.compile(r"\s*[;,|]\s*|\s+(?:dan|and|&)\s+")


class GivenError(ValueError):
    """A given field that cannot be read; the message names the field."""


@dataclass(frozen=True, slots=True)
class Reading:
    """How given metadata is read: ``date_format`` (strptime; None: ISO 8601) and the zone of
    dates written without one (``timezone``; None: UTC)."""

    date_format: str | None = None
    timezone: str | None = None


def zone(name: str | None) -> tzinfo:
    """The time zone called ``name`` (IANA, e.g. Asia/Jakarta); UTC for None."""
    if name is None:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise GivenError(f"unknown time zone {name!r} (an IANA name such as Asia/Jakarta)") from exc


def read_given(record: Mapping[str, Any], reading: Reading = Reading()) -> dict[str, Any]:
    """The given metadata of ``record`` (only :data:`GIVEN_FIELDS`, empty values left out), as
    JSON values; :class:`GivenError` naming the first field that cannot be read."""
    out: dict[str, Any] = {}
    for name in GIVEN_FIELDS:
        if name == "url":  # the page's own URL (Page.url), as it always was
            continue
        value = record.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if name == "authors":
            authors = _authors(value)
            if authors:
                out[name] = authors
            continue
        if not isinstance(value, str):
            raise GivenError(f"'{name}' is not a string")
        text = " ".join(value.split())
        if name == "published":
            out["published"] = _published(text, reading).isoformat()
            out["published_raw"] = value.strip()
        elif name == "language":
            code = text.lower().replace("_", "-")
            if not _LANGUAGE.match(code):
                raise GivenError(f"'language' {text[:40]!r} is not a language code (id, en, ...)")
            out[name] = code
        else:
            out[name] = text
    return out


def _authors(value: Any) -> list[str]:
    if isinstance(value, str):
        parts = _AUTHOR_SPLIT.split(value)
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        parts = value
    else:
        raise GivenError("'authors' is neither a string nor a list of strings")
    return [" ".join(p.split()) for p in parts if p.strip()]


def _published(text: str, reading: Reading) -> datetime:
    try:
        if reading.date_format:
            when = datetime.strptime(text, reading.date_format)
        else:
            when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        wanted = repr(reading.date_format) if reading.date_format else "ISO 8601"
        raise GivenError(f"'published' {text[:40]!r} is not a date in {wanted}") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=zone(reading.timezone))
    return when
