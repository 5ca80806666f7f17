"""The JSON form of :class:`~warta.core.record.Article` (``schema_version`` 1.6; 1.0-1.5 still read).

Kept apart from the record so the dataclass stays a plain data holder; ``article_to_dict``
and ``article_from_dict`` are exact inverses for valid records (round-trip tested with
hypothesis). Both directions are checked without a schema library: one small converter per
field is derived once, at import, from the dataclass annotations, and anything that does not
fit raises :class:`~warta.core.errors.MalformedRecord` naming the field (``blocks[2].kind``).

Reading is strict: every field has its annotated JSON type (``bool`` is not a number, offsets
are integers >= 0), span objects have exactly their dataclass's keys, block kinds and line
labels come from :data:`~warta.core.record.BLOCK_KINDS` / :data:`~warta.core.record.LINE_LABELS`,
``extras`` keys are namespaced (``ns.key``), numbers are finite, and date-times carry a UTC
offset. Fields left out take their defaults, except ``source``.

Writing refuses what JSON cannot carry faithfully: naive datetimes, non-JSON values (sets,
bytes, objects, non-string keys, NaN and infinities), and un-namespaced ``extras`` keys.
Date-times are written with ``datetime.isoformat()``: ``2024-02-05T14:30:00+07:00``. An offset
with seconds (historical local mean time only) comes out as ``+05:00:15``, which RFC 3339 has
no form for, so a strict ``date-time`` format check rejects it; warta reads it back exactly.
"""

from __future__ import annotations

import json
import math
import re
import types
from collections.abc import Callable
from dataclasses import MISSING, fields, is_dataclass
from datetime import datetime
from functools import cache
from typing import Any, Union, get_args, get_origin, get_type_hints

from warta.core.errors import MalformedRecord
from warta.core.record import (
    ACTOR_TYPES,
    BLOCK_KINDS,
    LINE_LABELS,
    PUBLISHED_PRECISIONS,
    READABLE_SCHEMA_VERSIONS,
    SCHEMA_VERSION,
    Article,
    Block,
    Event,
    RemovedLine,
)

#: Fields kept out of the JSON form: the raw page is large and reproducible from the source.
_INTERNAL = frozenset({"raw_text", "raw_bytes", "markup"})
_ENUMS: dict[tuple[type, str], tuple[str, ...]] = {
    (Block, "kind"): BLOCK_KINDS,
    (RemovedLine, "label"): LINE_LABELS,
    (Article, "published_precision"): PUBLISHED_PRECISIONS,
    (Event, "actor_type"): ACTOR_TYPES,
    (Event, "target_type"): ACTOR_TYPES,
}
_Convert = Callable[[Any], Any]


class _Bad(Exception):
    """A problem with one value; ``where`` is its path below the field (``[2].kind``)."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem, self.where = problem, ""

    def at(self, step: str) -> _Bad:
        self.where = step + self.where
        return self


def _kind(value: object) -> str:
    return "null" if value is None else type(value).__name__


def _expected(what: str, value: object) -> _Bad:
    return _Bad(f"expected {what}, got {_kind(value)} {value!r:.60}")


def _str(value: Any) -> str:
    if isinstance(value, str):
        return value
    raise _expected("a string", value)


def _offset(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise _expected("an integer >= 0", value)


def _float(value: Any) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value) if isinstance(value, float) or abs(value) < 2**1000 else math.inf
        if math.isfinite(number):
            return number
    raise _expected("a finite number", value)


def _datetime_in(value: Any) -> datetime:
    try:
        parsed = datetime.fromisoformat(_str(value))
    except ValueError:
        raise _expected("an ISO 8601 date-time", value) from None
    if parsed.utcoffset() is None:
        raise _Bad(f"{value!r} has no UTC offset (date-only or naive)")
    return parsed


def _datetime_out(value: Any) -> str:
    if not isinstance(value, datetime):
        raise _expected("a datetime", value)
    if value.utcoffset() is None:
        raise _Bad(
            f"naive datetime {value.isoformat()!r}: warta writes only times with a UTC offset"
        )
    return value.isoformat()


def _extras_key(key: Any) -> str:
    text = _str(key)
    if 0 < text.find(".") < len(text) - 1:
        return text
    raise _Bad(f"key {key!r} is not namespaced ('namespace.key')")


def _json(value: Any) -> Any:
    """A deep copy of a JSON value (lists are lists, keys are strings, numbers are finite)."""
    if value is None or isinstance(value, (str, int)):
        return value
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, list):
        return _each(_json, value)
    if isinstance(value, dict):
        return _mapping(_str, _json, value)
    raise _expected("JSON data", value)


def _each(convert: _Convert, value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise _expected("a list", value)
    out, i = [], 0
    try:
        for i, item in enumerate(value):  # noqa: B007 - ``i`` names the bad item below
            out.append(convert(item))
    except _Bad as exc:
        raise exc.at(f"[{i}]") from None
    return out


def _mapping(key: _Convert, convert: _Convert, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _expected("an object", value)
    out, k = {}, None
    try:
        for k, item in value.items():
            out[key(k)] = convert(item)
    except _Bad as exc:
        raise exc.at(f"[{k!r}]") from None
    return out


def _optional(convert: _Convert) -> _Convert:
    return lambda value: None if value is None else convert(value)


def _enum(allowed: tuple[str, ...]) -> _Convert:
    members = frozenset(allowed)

    def check(value: Any) -> str:
        if isinstance(value, str) and value in members:
            return value
        raise _Bad(f"{value!r:.60} is not one of {', '.join(allowed)}")

    return check


#: Span fields added after schema 1.0 (1.2: mention canonical/source; 1.3: speaker_id, time
#: type, event reporter/evidence; 1.4: quote role and affiliation; 1.6: event actor coding).
_ADDED_SINCE_1_0: dict[str, frozenset[str]] = {
    "Mention": frozenset({"canonical", "source"}),
    "Quote": frozenset({"speaker_id", "role", "affiliation"}),
    "TimeExpression": frozenset({"type"}),
    "Event": frozenset(
        {
            "reported_by",
            "evidence",
            "actor_id",
            "actor_type",
            "actor_country",
            "target_id",
            "target_type",
            "target_country",
        }
    ),
}


def _span_in(cls: Any) -> _Convert:
    convert = {f.name: _reader(hint, _ENUMS.get((cls, f.name))) for f, hint in _hints(cls)}
    keys, steps = convert.keys(), tuple(convert.items())  # in field order: positional arguments
    # fields added after schema 1.0 take their defaults when an older record lacks them
    added = _ADDED_SINCE_1_0.get(cls.__name__, frozenset())
    defaults = {f.name: f.default for f in fields(cls) if f.name in added}

    def read(value: Any) -> Any:
        if not isinstance(value, dict):
            raise _expected("an object", value)
        if value.keys() != keys:
            missing, unknown = keys - value.keys() - defaults.keys(), value.keys() - keys
            if not missing and not unknown:
                value = {**defaults, **value}
                return read(value)
            raise _Bad(
                f"{cls.__name__} needs keys {list(keys)}"
                f" (missing {sorted(missing)}, unknown {sorted(unknown, key=repr)})"
            )
        args, name = [], ""
        try:
            for name, convert_one in steps:
                args.append(convert_one(value[name]))
        except _Bad as exc:
            raise exc.at(f".{name}") from None
        return cls(*args)

    return read


def _span_out(cls: Any) -> _Convert:
    names = tuple(f.name for f in fields(cls))

    def write(span: Any) -> dict[str, Any]:
        if type(span) is not cls:
            raise _expected(f"a {cls.__name__}", span)
        return {n: getattr(span, n) for n in names}

    return write


def _reader(hint: Any, enum: tuple[str, ...] | None = None) -> _Convert:
    origin, args = get_origin(hint), get_args(hint)
    if origin in (Union, types.UnionType) and type(None) in args:
        (inner,) = [a for a in args if a is not type(None)]
        if is_dataclass(inner):  # an optional object field (``syndicated_from``)
            return _optional(_span_in(inner))
        return _optional(_reader(inner, enum))
    if hint is str:
        return _enum(enum) if enum else _str
    simple: dict[Any, _Convert] = {int: _offset, float: _float, datetime: _datetime_in, Any: _json}
    if hint in simple:
        return simple[hint]
    if origin is list:
        item = _span_in(args[0]) if is_dataclass(args[0]) else _reader(args[0])
        return lambda value: _each(item, value)
    if origin is dict and args[0] is str:
        key, val = (_str, _reader(args[1])) if args[1] is not Any else (_extras_key, _json)
        return lambda value: _mapping(key, val, value)
    raise TypeError(f"no JSON form for {hint!r}")  # at import: a field type this module lacks


def _writer(hint: Any) -> _Convert | None:
    """How a field is written; None where the value is written as it is (a scalar)."""
    origin, args = get_origin(hint), get_args(hint)
    if datetime in args:
        return _optional(_datetime_out)
    if origin in (Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        if len(inner) == 1 and is_dataclass(inner[0]):  # an optional object field
            return _optional(_span_out(inner[0]))
    if origin is list and is_dataclass(args[0]):
        span = _span_out(args[0])
        return lambda value: _each(span, value)
    if origin is dict and args[1] is Any:
        return lambda value: _mapping(_extras_key, _json, value)
    return _json if origin in (list, dict) else None


@cache
def _hints(cls: Any) -> tuple[tuple[Any, Any], ...]:
    # once per class: get_type_hints evaluates every annotation's text anew, and the record's
    # ≈40 were read three times at import (a tenth of this module's import)
    hints = get_type_hints(cls)
    return tuple((f, hints[f.name]) for f in fields(cls) if f.name not in _INTERNAL)


#: ``published_local``: an ISO 8601 date or local time cut to its precision, with no offset.
_LOCAL_TIME = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}(?::\d{2}(?::\d{2})?)?)?)?)?")


def _local_time(value: Any) -> str:
    text = _str(value)
    if _LOCAL_TIME.fullmatch(text):
        return text
    raise _expected("a local ISO 8601 date or time without offset ('2022-11-15T10:30')", value)


_READ = {f.name: _reader(hint, _ENUMS.get((Article, f.name))) for f, hint in _hints(Article)}
_READ["published_local"] = _optional(_local_time)
_WRITE = {f.name: _writer(hint) for f, hint in _hints(Article)}
_WRITE["published_local"] = _READ["published_local"]  # checked both ways
_WRITE["published_precision"] = _READ["published_precision"]
_REQUIRED = [
    f.name for f, _ in _hints(Article) if f.default is MISSING and f.default_factory is MISSING
]


def _malformed(action: str, name: str, exc: _Bad) -> MalformedRecord:
    return MalformedRecord(f"{action} field '{name}{exc.where}': {exc.problem}")


def article_to_dict(article: Article) -> dict[str, Any]:
    """The JSON form, sharing nothing mutable with ``article``; MalformedRecord if it has none."""
    out: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    for name, write in _WRITE.items():
        value = getattr(article, name)
        try:
            out[name] = value if write is None else write(value)
        except _Bad as exc:
            raise _malformed("cannot write", name, exc) from None
        except RecursionError:
            raise MalformedRecord(
                f"cannot write field '{name}': nested too deeply or circular"
            ) from None
    return out


def article_from_dict(data: Any) -> Article:
    """Inverse of :func:`article_to_dict`; raises MalformedRecord on a wrong shape."""
    if not isinstance(data, dict):
        raise MalformedRecord(f"an article record must be a JSON object, got {_kind(data)}")
    version = data.get("schema_version")
    if version not in READABLE_SCHEMA_VERSIONS:
        raise MalformedRecord(
            f"unsupported schema_version {version!r} (this warta reads "
            f"{', '.join(READABLE_SCHEMA_VERSIONS)})"
        )
    kwargs: dict[str, Any] = {}
    for name, value in data.items():
        read = _READ.get(name)
        if read is None:
            if name == "schema_version":
                continue
            raise MalformedRecord(f"unknown field {name!r}")
        try:
            kwargs[name] = read(value)
        except _Bad as exc:
            raise _malformed("bad", name, exc) from None
        except RecursionError:
            raise MalformedRecord(f"bad field '{name}': nested too deeply") from None
    for name in _REQUIRED:
        if name not in kwargs:
            raise MalformedRecord(f"missing field {name!r}")
    return Article(**kwargs)


def article_to_json(article: Article, *, pretty: bool = False) -> str:
    data = article_to_dict(article)
    try:
        return json.dumps(data, ensure_ascii=False, indent=2 if pretty else None, allow_nan=False)
    except (TypeError, ValueError) as exc:  # a scalar field holding a non-JSON value, or NaN
        raise MalformedRecord(f"cannot write article as JSON: {exc}") from None


def article_from_json(text: str) -> Article:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MalformedRecord(f"not JSON: {exc}") from exc
    except RecursionError:
        raise MalformedRecord("not JSON: nested too deeply") from None
    return article_from_dict(data)
