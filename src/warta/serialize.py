"""The JSON form of :class:`~warta.record.Article` (``schema_version`` 1.0).

Kept apart from the record so the dataclass stays a plain data holder; ``article_to_dict``
and ``article_from_dict`` are exact inverses (round-trip tested with hypothesis).
"""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import datetime
from typing import Any

from warta.errors import MalformedRecord
from warta.record import (
    SCHEMA_VERSION,
    Article,
    Block,
    Event,
    Mention,
    ProcessingError,
    Quote,
    RemovedLine,
    TimeExpression,
)

_SPAN_TYPES: dict[str, type] = {
    "blocks": Block,
    "removed": RemovedLine,
    "entities": Mention,
    "quotes": Quote,
    "times": TimeExpression,
    "events": Event,
    "errors": ProcessingError,
}
_DATETIMES = ("retrieved_at", "published", "modified")
#: Fields kept out of the JSON form: the raw page is large and reproducible from the source.
_INTERNAL = frozenset({"raw_text", "raw_bytes"})


def _span_to_dict(obj: Any) -> dict[str, Any]:
    return {f.name: getattr(obj, f.name) for f in fields(obj)}


def article_to_dict(article: Article) -> dict[str, Any]:
    out: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    for f in fields(article):
        if f.name in _INTERNAL:
            continue
        value = getattr(article, f.name)
        if f.name in _DATETIMES:
            value = value.isoformat() if value is not None else None
        elif f.name in _SPAN_TYPES:
            value = [_span_to_dict(v) for v in value]
        elif isinstance(value, (list, dict)):
            value = json.loads(json.dumps(value))  # a deep, JSON-safe copy
        out[f.name] = value
    return out


def article_from_dict(data: dict[str, Any]) -> Article:
    """Inverse of :func:`article_to_dict`; raises MalformedRecord on a wrong shape."""
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        raise MalformedRecord(f"unsupported schema_version {version!r} (expected {SCHEMA_VERSION})")
    kwargs: dict[str, Any] = {}
    known = {f.name for f in fields(Article)}
    try:
        for name, value in data.items():
            if name == "schema_version":
                continue
            if name not in known:
                raise MalformedRecord(f"unknown field {name!r}")
            if name in _DATETIMES:
                value = datetime.fromisoformat(value) if value is not None else None
            elif name in _SPAN_TYPES:
                value = [_SPAN_TYPES[name](**v) for v in value]
            kwargs[name] = value
        return Article(**kwargs)
    except (TypeError, ValueError) as exc:
        raise MalformedRecord(f"bad article record: {exc}") from exc


def article_to_json(article: Article, *, pretty: bool = False) -> str:
    return json.dumps(
        article_to_dict(article), ensure_ascii=False, indent=2 if pretty else None, sort_keys=False
    )


def article_from_json(text: str) -> Article:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MalformedRecord(f"not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise MalformedRecord("an article record must be a JSON object")
    return article_from_dict(data)
