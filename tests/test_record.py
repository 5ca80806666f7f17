"""The Article record and its JSON form: round trips, the JSON Schema, identity helpers.

The schema file is the published contract of ``article_to_dict``; the tests below make sure the
two never drift apart (same fields, same enums) and that everything warta can serialise
validates against it.
"""

from __future__ import annotations

import dataclasses
import json
import re
import string
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from importlib.resources import files
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker

from warta.core.errors import MalformedRecord
from warta.core.record import (
    ACTOR_TYPES,
    BLOCK_KINDS,
    LINE_LABELS,
    SCHEMA_VERSION,
    Article,
    Block,
    Event,
    Mention,
    ProcessingError,
    Quote,
    RemovedLine,
    TimeExpression,
    fingerprint,
    normalise_for_fingerprint,
    report_id,
)
from warta.core.serialize import (
    article_from_dict,
    article_from_json,
    article_to_dict,
    article_to_json,
)

INTERNAL_FIELDS = frozenset({"raw_text", "raw_bytes", "markup"})
SERIALISED_FIELDS = frozenset(
    {f.name for f in dataclasses.fields(Article)} - INTERNAL_FIELDS | {"schema_version"}
)
DATETIME_FIELDS = ("retrieved_at", "published", "modified")
RETRIEVED_AT_KINDS = ("fetched", "file_mtime", "read_at", "unknown")

# --------------------------------------------------------------------------- schema loading

_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$")


def _is_rfc3339_datetime(value: object) -> bool:
    """Strict RFC 3339 date-time (offset required), independent of jsonschema's optional
    ``rfc3339-validator`` dependency, without which ``date-time`` would not be checked at all."""
    if not isinstance(value, str):
        return True
    if not _RFC3339.match(value):
        return False
    datetime.fromisoformat(value)  # raises ValueError on an impossible date or time
    return True


@cache
def schema() -> dict[str, Any]:
    text = (files("warta") / "schema" / "article.schema.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@cache
def validator() -> Draft202012Validator:
    checker = FormatChecker()
    checker.checks("date-time", raises=ValueError)(_is_rfc3339_datetime)
    return Draft202012Validator(schema(), format_checker=checker)


def schema_errors(data: dict[str, Any]) -> list[str]:
    return [e.message for e in validator().iter_errors(data)]


# --------------------------------------------------------------------------- strategies

# The full Unicode range (minus lone surrogates, which UTF-8 JSON cannot carry).
text = st.text(max_size=40)
opt_text = st.none() | text
confidence = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)

# Fixed offsets seen in the region (WIB, WITA, WIT), UTC, and any whole-minute offset.
_named_zones = st.sampled_from([UTC] + [timezone(timedelta(hours=h)) for h in (7, 8, 9, -5, 5.5)])
_any_zone = st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1).map(
    lambda m: timezone(timedelta(minutes=m))
)
aware_datetimes = st.datetimes(
    min_value=datetime(1, 1, 2),
    max_value=datetime(9999, 12, 30),
    timezones=_named_zones | _any_zone,
)
opt_datetime = st.none() | aware_datetimes

_namespace = st.text(
    st.characters(blacklist_characters=".", blacklist_categories=["Cs"]), min_size=1
)
extras_keys = st.builds(lambda ns, key: f"{ns}.{key}", _namespace, st.text(min_size=1, max_size=20))
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(text, children, max_size=4),
    max_leaves=12,
)


@st.composite
def spans_in(draw: st.DrawFn, body: str) -> tuple[int, int]:
    """A valid ``(start, end)`` with ``0 <= start <= end <= len(body)``."""
    start = draw(st.integers(0, len(body)))
    end = draw(st.integers(start, len(body)))
    return start, end


@st.composite
def blocks_of(draw: st.DrawFn, body: str) -> list[Block]:
    """Blocks in body order, non-overlapping, as a cleaner would produce them."""
    cuts = sorted(draw(st.lists(st.integers(0, len(body)), max_size=12)))
    pairs = list(zip(cuts[::2], cuts[1::2], strict=False))
    return [Block(draw(st.sampled_from(BLOCK_KINDS)), s, e) for s, e in pairs]


removed_lines = st.builds(
    lambda line, start, length, text_, label, rule: RemovedLine(
        line, start, start + length, text_, label, rule
    ),
    st.integers(0, 10_000),
    st.integers(0, 1_000_000),
    st.integers(0, 500),
    text,
    st.sampled_from(LINE_LABELS),
    text,
)
processing_errors = st.builds(ProcessingError, text, text, text)


@st.composite
def articles(draw: st.DrawFn) -> Article:
    body = draw(st.text(max_size=300))

    def span() -> tuple[int, int]:
        return draw(spans_in(body))

    def mention() -> Mention:
        s, e = span()
        return Mention(s, e, body[s:e], draw(text), draw(opt_text))

    def quote() -> Quote:
        s, e = span()
        return Quote(
            s,
            e,
            body[s:e],
            draw(text),
            draw(opt_text),
            draw(opt_text),
            draw(opt_text),
            draw(opt_text),
            draw(opt_text),
        )

    def time_expression() -> TimeExpression:
        s, e = span()
        return TimeExpression(s, e, body[s:e], draw(opt_text))

    def event() -> Event:
        s, e = span()
        return Event(
            s,
            e,
            draw(text),
            draw(text),
            draw(opt_text),
            draw(opt_text),
            draw(opt_text),
            draw(opt_text),
            draw(confidence),
        )

    def several(make: Any, most: int = 4) -> list[Any]:
        return [make() for _ in range(draw(st.integers(0, most)))]

    url = draw(st.none() | st.just("https://example.id/berita/") | text)
    source = draw(text)
    fp = draw(st.none() | st.just(fingerprint(body)))
    return Article(
        source=source,
        url=url,
        id=draw(
            st.just("") | st.just(report_id(url=url, source=source, body_fingerprint=fp or ""))
        ),
        retrieved_at=draw(opt_datetime),
        retrieved_at_kind=draw(st.sampled_from(RETRIEVED_AT_KINDS)),
        produced_by=draw(st.dictionaries(text, text, max_size=3)),
        raw_text=draw(text),
        raw_bytes=draw(st.none() | st.binary(max_size=20)),
        encoding=draw(st.none() | st.sampled_from(["utf-8", "cp1252", "latin-1"])),
        outlet=draw(opt_text),
        language=draw(st.none() | st.sampled_from(["id", "en", "jv", "ms"])),
        language_confidence=draw(confidence),
        title=draw(opt_text),
        authors=draw(st.lists(text, max_size=3)),
        editors=draw(st.lists(text, max_size=3)),
        published=draw(opt_datetime),
        published_raw=draw(opt_text),
        modified=draw(opt_datetime),
        dateline=draw(opt_text),
        credit=draw(opt_text),
        wire_sources=draw(st.lists(text, max_size=3)),
        body=body,
        blocks=draw(blocks_of(body)),
        removed=draw(st.lists(removed_lines, max_size=5)),
        entities=several(mention),
        quotes=several(quote),
        times=several(time_expression),
        events=several(event),
        keywords=draw(st.lists(text, max_size=4)),
        summary=draw(opt_text),
        fingerprint=fp,
        story_id=draw(opt_text),
        errors=draw(st.lists(processing_errors, max_size=3)),
        extras=draw(st.dictionaries(extras_keys, json_values, max_size=4)),
    )


def public(article: Article) -> Article:
    """The article without the fields the JSON form leaves out."""
    return dataclasses.replace(article, raw_text="", raw_bytes=None, markup=None)


def assert_same_record(got: Article, expected: Article) -> None:
    assert public(got) == public(expected)
    # Aware datetimes compare by instant; the offset must survive too.
    for name in DATETIME_FIELDS:
        a, b = getattr(got, name), getattr(expected, name)
        assert (a is None) == (b is None)
        if a is not None:
            assert a.utcoffset() == b.utcoffset()
            assert a.isoformat() == b.isoformat()


def assert_spans_valid(article: Article) -> None:
    n = len(article.body)
    for b in article.blocks:
        assert b.kind in BLOCK_KINDS
        assert 0 <= b.start <= b.end <= n
    for span in (*article.entities, *article.quotes, *article.times, *article.events):
        assert 0 <= span.start <= span.end <= n


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --------------------------------------------------------------------------- round-trip properties


@PROPERTY
@given(articles())
def test_dict_round_trip(article: Article) -> None:
    data = article_to_dict(article)
    assert set(data) == SERIALISED_FIELDS
    assert not INTERNAL_FIELDS & set(data)
    assert data["schema_version"] == SCHEMA_VERSION
    assert_same_record(article_from_dict(data), article)


@PROPERTY
@given(articles(), st.booleans())
def test_json_round_trip(article: Article, pretty: bool) -> None:
    encoded = article_to_json(article, pretty=pretty)
    assert ("\n" in encoded) == pretty  # compact JSON escapes newlines inside strings
    assert_same_record(article_from_json(encoded), article)
    # And the JSON text is stable: encoding the decoded record gives the same text.
    assert article_to_json(article_from_json(encoded), pretty=pretty) == encoded


@PROPERTY
@given(articles())
def test_every_serialised_article_validates_against_the_schema(article: Article) -> None:
    data = article_to_dict(article)
    assert schema_errors(data) == []
    # What a reader of the JSON text sees validates too.
    assert schema_errors(json.loads(article_to_json(article))) == []


@PROPERTY
@given(articles())
def test_offsets_stay_valid_after_round_trip(article: Article) -> None:
    assert_spans_valid(article)
    back = article_from_json(article_to_json(article))
    assert_spans_valid(back)
    assert back.body == article.body
    assert [back.body[b.start : b.end] for b in back.blocks] == [
        article.body[b.start : b.end] for b in article.blocks
    ]
    assert back.paragraphs == article.paragraphs
    assert back.crossheads == article.crossheads
    for span in back.entities + back.quotes + back.times:
        assert back.body[span.start : span.end] == span.text


@PROPERTY
@given(articles())
def test_serialised_form_is_a_copy(article: Article) -> None:
    """Mutating the dict must not reach back into the article."""
    data = article_to_dict(article)
    before = article_to_json(article)
    data["authors"].append("x")
    data["extras"]["test.injected"] = 1
    data["produced_by"]["test"] = "x"
    assert article_to_json(article) == before


# --------------------------------------------------------------------------- malformed input


def _minimal() -> dict[str, Any]:
    return article_to_dict(Article(source="a.txt"))


@pytest.mark.parametrize("version", ["0.9", "1", "2.0", 1.0, None, ""])
def test_wrong_schema_version_is_malformed(version: object) -> None:
    data = _minimal()
    data["schema_version"] = version
    with pytest.raises(MalformedRecord, match="schema_version"):
        article_from_dict(data)


def test_missing_schema_version_is_malformed() -> None:
    data = _minimal()
    del data["schema_version"]
    with pytest.raises(MalformedRecord):
        article_from_dict(data)
    with pytest.raises(MalformedRecord):
        article_from_json(json.dumps(data))


@pytest.mark.parametrize("name", ["paragraphs", "ok", "Body", "extra", "schema"])
def test_unknown_field_is_malformed(name: str) -> None:
    data = _minimal()
    data[name] = "x"
    with pytest.raises(MalformedRecord, match="unknown field"):
        article_from_dict(data)
    with pytest.raises(MalformedRecord):
        article_from_json(json.dumps(data))


@pytest.mark.parametrize("doc", ["[]", "[{}]", "42", '"article"', "null", "true", "1.5"])
def test_non_object_json_is_malformed(doc: str) -> None:
    with pytest.raises(MalformedRecord, match="JSON object"):
        article_from_json(doc)


@pytest.mark.parametrize("doc", ["", "{", "{'source': 'x'}", "not json", '{"a": 1} trailing'])
def test_invalid_json_is_malformed(doc: str) -> None:
    with pytest.raises(MalformedRecord, match="not JSON"):
        article_from_json(doc)


@pytest.mark.parametrize("field_name", DATETIME_FIELDS)
@pytest.mark.parametrize("value", ["yesterday", "2024-13-01T00:00:00+07:00", "5/2/2024", "", 12])
def test_bad_datetime_is_malformed(field_name: str, value: object) -> None:
    data = _minimal()
    data[field_name] = value
    with pytest.raises(MalformedRecord):
        article_from_dict(data)


@pytest.mark.parametrize(
    "field_name, value",
    [
        ("blocks", [{"kind": "paragraph", "start": 0}]),  # missing end
        ("blocks", [{"kind": "paragraph", "start": 0, "end": 1, "extra": 2}]),
        ("blocks", ["paragraph"]),
        ("removed", [{"line": 0}]),
        ("errors", 5),
    ],
)
def test_bad_span_is_malformed(field_name: str, value: object) -> None:
    data = _minimal()
    data[field_name] = value
    with pytest.raises(MalformedRecord):
        article_from_dict(data)


def test_missing_source_is_malformed() -> None:
    data = _minimal()
    del data["source"]
    with pytest.raises(MalformedRecord):
        article_from_dict(data)


# --------------------------------------------------------------------------- strict reading


@pytest.mark.parametrize("name, value", [("raw_text", ""), ("raw_text", "x"), ("raw_bytes", None)])
def test_internal_fields_are_unknown_on_reading(name: str, value: object) -> None:
    data = _minimal()
    data[name] = value
    with pytest.raises(MalformedRecord, match=f"unknown field '{name}'"):
        article_from_dict(data)
    with pytest.raises(MalformedRecord, match="unknown field"):
        article_from_json(json.dumps(data))


@pytest.mark.parametrize("field_name", DATETIME_FIELDS)
@pytest.mark.parametrize("value", ["2024-02-05", "2024-02-05T14:30:00", "2024-02-05T14:30"])
def test_datetime_without_offset_is_malformed(field_name: str, value: str) -> None:
    data = _minimal()
    data[field_name] = value
    with pytest.raises(MalformedRecord, match=f"'{field_name}'.*no UTC offset"):
        article_from_dict(data)


@pytest.mark.parametrize("field_name", DATETIME_FIELDS)
def test_naive_datetime_is_not_written(field_name: str) -> None:
    article = dataclasses.replace(Article(source="a.txt"), **{field_name: datetime(2024, 2, 5)})
    with pytest.raises(MalformedRecord, match=f"'{field_name}'.*naive"):
        article_to_dict(article)
    with pytest.raises(MalformedRecord, match=f"'{field_name}'.*naive"):
        article_to_json(article)


def test_zulu_is_read_as_utc() -> None:
    data = _minimal()
    data["published"] = "2024-02-05T07:30:00Z"
    published = article_from_dict(data).published
    assert published == datetime(2024, 2, 5, 7, 30, tzinfo=UTC)
    assert article_to_dict(article_from_dict(data))["published"] == "2024-02-05T07:30:00+00:00"


@pytest.mark.parametrize(
    "offset, written",
    [
        (timedelta(hours=5, seconds=15), "2024-02-05T14:30:00+05:00:15"),
        (timedelta(hours=-7, minutes=-52, seconds=-58), "2024-02-05T14:30:00-07:52:58"),
        (timedelta(hours=7, microseconds=5), "2024-02-05T14:30:00+07:00:00.000005"),
    ],
)
def test_offset_with_seconds_round_trips(offset: timedelta, written: str) -> None:
    """isoformat writes sub-minute offsets (local mean time) as +HH:MM:SS, which RFC 3339 has
    no form for: the schema's strict date-time check rejects them, warta reads them exactly."""
    article = Article(
        source="a.txt", published=datetime(2024, 2, 5, 14, 30, tzinfo=timezone(offset))
    )
    data = json.loads(article_to_json(article))
    assert data["published"] == written
    back = article_from_dict(data)
    assert back.published is not None and back.published.utcoffset() == offset
    assert_same_record(back, article)
    assert not _is_rfc3339_datetime(written)
    assert schema_errors(data) != []


@pytest.mark.parametrize(
    "field_name, value, where",
    [
        ("source", None, "'source'"),
        ("source", 5, "'source'"),
        ("url", ["x"], "'url'"),
        ("id", None, "'id'"),
        ("title", 5, "'title'"),
        ("summary", True, "'summary'"),
        ("language_confidence", "0.5", "'language_confidence'"),
        ("language_confidence", True, "'language_confidence'"),  # bool is not a number
        ("language_confidence", None, "'language_confidence'"),
        ("language_confidence", float("nan"), "'language_confidence'"),
        ("language_confidence", float("inf"), "'language_confidence'"),
        pytest.param("language_confidence", 10**400, "'language_confidence'", id="huge-int"),
        ("authors", "Budi", "'authors'"),
        ("authors", ["Budi", 3], r"'authors\[1\]'"),
        ("authors", None, "'authors'"),
        ("keywords", [None], r"'keywords\[0\]'"),
        ("produced_by", {"warta": 1}, r"'produced_by\['warta'\]'"),
        ("produced_by", ["warta"], "'produced_by'"),
        ("extras", {"nodot": 1}, "'extras.*namespaced"),
        ("extras", {".x": 1}, "'extras.*namespaced"),
        ("extras", {"x.": 1}, "'extras.*namespaced"),
        ("extras", {"a.b": float("nan")}, r"'extras\['a.b'\]'"),
        ("extras", {"a.b": {1, 2}}, r"'extras\['a.b'\]'"),
        ("extras", [], "'extras'"),
        ("blocks", {"kind": "paragraph"}, "'blocks'"),
        ("blocks", [{"kind": "table", "start": 0, "end": 0}], r"'blocks\[0\].kind'.*table"),
        ("blocks", [{"kind": None, "start": 0, "end": 0}], r"'blocks\[0\].kind'"),
        ("blocks", [{"kind": "paragraph", "start": -1, "end": 0}], r"'blocks\[0\].start'"),
        ("blocks", [{"kind": "paragraph", "start": 0, "end": 1.0}], r"'blocks\[0\].end'"),
        ("blocks", [{"kind": "paragraph", "start": 0, "end": True}], r"'blocks\[0\].end'"),
        ("blocks", [{"kind": "paragraph", "start": "0", "end": 1}], r"'blocks\[0\].start'"),
        ("blocks", [{"kind": "paragraph", "start": 0}], "'blocks.*missing.*end"),
        ("blocks", [{"kind": "paragraph", "start": 0, "end": 1, "x": 2}], "'blocks.*unknown"),
        (
            "removed",
            [{"line": 0, "start": 0, "end": 1, "text": "x", "label": "junk", "rule": "r"}],
            r"'removed\[0\].label'.*junk",
        ),
        (
            "removed",
            [{"line": 0, "start": 0, "end": 1, "text": 1, "label": "ad", "rule": "r"}],
            r"'removed\[0\].text'",
        ),
        ("entities", [{"start": 0, "end": 1, "text": "x", "type": "PER"}], "entity_id"),
        (
            "events",
            [
                {
                    "start": 0, "end": 1, "category": "PROTEST", "mode": "", "actor": None,
                    "target": None, "place": None, "when": None, "confidence": "high",
                    "reported_by": None, "evidence": "",
                }
            ],
            r"'events\[0\].confidence'",
        ),
        ("errors", [{"stage": "x", "reason": "y", "message": None}], r"'errors\[0\].message'"),
    ],
)  # fmt: skip
def test_wrong_types_are_malformed(field_name: str, value: object, where: str) -> None:
    data = _minimal()
    data[field_name] = value
    with pytest.raises(MalformedRecord, match=where):
        article_from_dict(data)


def test_whole_number_confidence_is_read_as_float() -> None:
    data = _minimal()
    data["language_confidence"] = 1
    confidence = article_from_dict(data).language_confidence
    assert confidence == 1.0 and isinstance(confidence, float)


def test_nan_in_json_text_is_malformed() -> None:
    text = article_to_json(Article(source="a.txt")).replace(
        '"language_confidence": 0.0', '"language_confidence": NaN'
    )
    assert "NaN" in text
    with pytest.raises(MalformedRecord, match="language_confidence"):
        article_from_json(text)


@PROPERTY
@given(articles(), st.data())
def test_reader_raises_only_malformed_record(article: Article, data: st.DataObject) -> None:
    """Any JSON value in any field: either a record or MalformedRecord, nothing else."""
    record = article_to_dict(article)
    name = data.draw(st.sampled_from(sorted(SERIALISED_FIELDS - {"schema_version"})))
    record[name] = data.draw(json_values | st.lists(st.dictionaries(text, json_values)))
    try:
        back = article_from_dict(record)
    except MalformedRecord:
        return
    assert article_to_dict(back)[name] == record[name]


@pytest.mark.parametrize("data", [[], [{}], None, "article", 42, 1.5, True, ("source", "x")])
def test_non_dict_is_malformed(data: Any) -> None:
    with pytest.raises(MalformedRecord, match="JSON object"):
        article_from_dict(data)


class _Opaque:
    pass


@pytest.mark.parametrize(
    "change, where",
    [
        ({"extras": {"warta.x": {1, 2}}}, r"'extras\['warta.x'\]'.*set"),
        ({"extras": {"warta.x": b"raw"}}, r"'extras\['warta.x'\]'.*bytes"),
        ({"extras": {"warta.x": _Opaque()}}, r"'extras\['warta.x'\]'.*_Opaque"),
        ({"extras": {"warta.x": {1: "a"}}}, r"'extras\['warta.x'\]\[1\]'"),  # key would become "1"
        ({"extras": {"warta.x": [float("nan")]}}, r"'extras\['warta.x'\]\[0\]'"),
        ({"extras": {"nodot": 1}}, "'extras.*namespaced"),
        ({"authors": ["a", None, b"b"]}, r"'authors\[2\]'"),
        ({"blocks": [("paragraph", 0, 1)]}, r"'blocks\[0\]'.*Block"),
        ({"published": "2024-02-05T14:30:00+07:00"}, "'published'.*datetime"),
    ],
)
def test_non_json_values_are_not_written(change: dict[str, Any], where: str) -> None:
    article = dataclasses.replace(Article(source="a.txt"), **change)
    with pytest.raises(MalformedRecord, match=where):
        article_to_dict(article)
    with pytest.raises(MalformedRecord, match=where):
        article_to_json(article)


def test_circular_extras_are_not_written() -> None:
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(MalformedRecord, match="extras"):
        article_to_dict(Article(source="a.txt", extras={"warta.loop": loop}))


@pytest.mark.parametrize(
    "change",
    [
        {"language_confidence": float("nan")},
        {"language_confidence": float("inf")},
        {"events": [Event(0, 0, "PROTEST", "", confidence=float("nan"))]},
        {"title": _Opaque()},
    ],
)
def test_nan_and_non_json_scalars_are_not_written_as_json(change: dict[str, Any]) -> None:
    article = dataclasses.replace(Article(source="a.txt"), **change)
    with pytest.raises(MalformedRecord, match="cannot write article as JSON"):
        article_to_json(article)


@PROPERTY
@given(articles())
def test_read_record_shares_nothing_with_its_input(article: Article) -> None:
    data = article_to_dict(article)
    back = article_from_dict(data)
    before = article_to_json(back)
    for value in data.values():  # mutate every list and dict of the input, nested ones too
        inner = value if isinstance(value, list) else []
        if isinstance(value, dict):
            inner = list(value.values())
            value["test.injected"] = 1
        for item in inner:
            if isinstance(item, (list, dict)):
                item.clear()
        if isinstance(value, list):
            value.append("x")
    assert article_to_json(back) == before
    # And the other way round: changing the record leaves the input alone.
    data = article_to_dict(article)
    snapshot = json.dumps(data)
    back = article_from_dict(data)
    back.authors.append("y")
    back.extras.clear()
    back.produced_by["z"] = "z"
    assert json.dumps(data) == snapshot


def test_concrete_record_in_wib() -> None:
    wib = timezone(timedelta(hours=7))
    body = "Paragraf pertama.\nSubjudul\nParagraf kedua — «kutipan» 東京."
    article = Article(
        source="kompas/1.txt",
        url="https://example.id/a",
        published=datetime(2024, 2, 5, 14, 30, tzinfo=wib),
        retrieved_at=datetime(2024, 2, 5, 8, 0, tzinfo=UTC),
        retrieved_at_kind="file_mtime",
        credit="JAKARTA, KOMPAS.com - ",
        body=body,
        blocks=[
            Block("paragraph", 0, 17),
            Block("heading", 18, 26),
            Block("paragraph", 27, len(body)),
        ],
        removed=[RemovedLine(0, 0, 11, "Baca juga: x", "related", "related-prefix")],
        extras={"warta.published_zone": "assumed +07:00"},
    )
    data = json.loads(article_to_json(article, pretty=True))
    assert data["published"] == "2024-02-05T14:30:00+07:00"
    assert data["retrieved_at"] == "2024-02-05T08:00:00+00:00"
    assert schema_errors(data) == []
    back = article_from_dict(data)
    assert back.published is not None and back.published.utcoffset() == timedelta(hours=7)
    assert back.paragraphs == ["Paragraf pertama.", "Paragraf kedua — «kutipan» 東京."]
    assert back.crossheads == ["Subjudul"]


# --------------------------------------------------------------------------- identity helpers


@pytest.mark.parametrize(
    "a, b",
    [
        ("Presiden Joko Widodo", "presiden   joko\twidodo"),
        ("  Baris satu.\n\nBaris dua.  ", "Baris satu. Baris dua."),
        ("JAKARTA", "jakarta"),
        ("Straße", "STRASSE"),  # case folding, not just lower()
        ("ＡＢＣ　１２３", "abc 123"),  # NFKC: full-width letters, digits and space
        ("a\r\nb", "a b"),
    ],
)
def test_fingerprint_ignores_whitespace_and_case(a: str, b: str) -> None:
    assert fingerprint(a) == fingerprint(b)


def test_fingerprint_shape_and_sensitivity() -> None:
    fp = fingerprint("Berita hari ini")
    assert re.fullmatch(r"[0-9a-f]{32}", fp)
    assert fingerprint("Berita hari ini") == fp
    assert fingerprint("Berita hari esok") != fp
    assert fingerprint("Beritahari ini") != fp  # whitespace is collapsed, not deleted
    assert fingerprint("") == fingerprint("  \n\t ")


@given(
    st.text(),
    st.text(alphabet=string.ascii_letters + string.digits + string.punctuation + " "),
    st.text(alphabet=" \t\n\r\u00a0\u3000", min_size=1),
)
def test_fingerprint_property(s: str, ascii_text: str, ws: str) -> None:
    assert fingerprint(ws + s + ws) == fingerprint(s)
    assert fingerprint(s.replace(" ", ws)) == fingerprint(s)
    assert fingerprint(ascii_text.upper()) == fingerprint(ascii_text.lower())
    assert normalise_for_fingerprint(s) == normalise_for_fingerprint(normalise_for_fingerprint(s))


def test_report_id_uses_url_when_present() -> None:
    url = "https://news.example.id/read/2024/02/05/123"
    a = report_id(url=url, source="a.txt", body_fingerprint=fingerprint("one"))
    b = report_id(url=url, source="b.jsonl:7", body_fingerprint=fingerprint("two"))
    assert a == b
    assert re.fullmatch(r"[0-9a-f]{24}", a)
    assert report_id(url=url + "4", source="a.txt", body_fingerprint=fingerprint("one")) != a


@pytest.mark.parametrize("url", [None, ""])
def test_report_id_without_url_uses_source_and_fingerprint(url: str | None) -> None:
    fp1, fp2 = fingerprint("isi berita"), fingerprint("isi lain")
    base = report_id(url=url, source="a.txt", body_fingerprint=fp1)
    assert re.fullmatch(r"[0-9a-f]{24}", base)
    assert report_id(url=url, source="a.txt", body_fingerprint=fp1) == base
    assert report_id(url=url, source="b.txt", body_fingerprint=fp1) != base
    assert report_id(url=url, source="a.txt", body_fingerprint=fp2) != base
    # Layout-only differences of the body give the same fingerprint, hence the same id.
    same = report_id(url=url, source="a.txt", body_fingerprint=fingerprint("ISI   berita\n"))
    assert same == base
    # With a URL the id differs from the source-based one.
    assert report_id(url="https://x.id/1", source="a.txt", body_fingerprint=fp1) != base


@given(st.text(min_size=1), text, text, text)
def test_report_id_property(url: str, source: str, body1: str, body2: str) -> None:
    with_url = {
        report_id(url=url, source=s, body_fingerprint=fingerprint(b))
        for s, b in [(source, body1), (source + "x", body2)]
    }
    assert len(with_url) == 1


# --------------------------------------------------------------------------- the schema itself


def test_schema_is_valid_json_schema() -> None:
    Draft202012Validator.check_schema(schema())
    assert schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_properties_are_exactly_the_serialised_fields() -> None:
    s = schema()
    assert set(s["properties"]) == SERIALISED_FIELDS
    assert set(s["required"]) == SERIALISED_FIELDS
    assert s["additionalProperties"] is False
    assert s["properties"]["schema_version"]["const"] == SCHEMA_VERSION
    assert set(article_to_dict(Article(source="x"))) == SERIALISED_FIELDS


def test_every_field_has_a_description() -> None:
    s = schema()
    for name, prop in s["properties"].items():
        assert prop.get("description", "").strip(), name
    for def_name, definition in s["$defs"].items():
        assert definition.get("description", "").strip(), def_name
        for name, prop in definition.get("properties", {}).items():
            assert prop.get("description", "").strip(), f"{def_name}.{name}"


@pytest.mark.parametrize(
    "field_name, span_type",
    [
        ("blocks", Block),
        ("removed", RemovedLine),
        ("entities", Mention),
        ("quotes", Quote),
        ("times", TimeExpression),
        ("events", Event),
        ("errors", ProcessingError),
    ],
)
def test_span_definitions_match_their_dataclasses(field_name: str, span_type: type) -> None:
    s = schema()
    ref = s["properties"][field_name]["items"]["$ref"]
    definition = s["$defs"][ref.rsplit("/", 1)[1]]
    names = {f.name for f in dataclasses.fields(span_type)}
    assert set(definition["properties"]) == names
    assert set(definition["required"]) == names
    assert definition["additionalProperties"] is False


def test_schema_enums_match_the_record() -> None:
    s = schema()
    assert s["$defs"]["removed_line"]["properties"]["label"]["enum"] == list(LINE_LABELS)
    assert s["$defs"]["block"]["properties"]["kind"]["enum"] == list(BLOCK_KINDS)
    assert s["properties"]["retrieved_at_kind"]["enum"] == list(RETRIEVED_AT_KINDS)
    for role in ("actor", "target"):
        enum = s["$defs"]["event"]["properties"][f"{role}_type"]["enum"]
        assert enum == [*ACTOR_TYPES, None]


@pytest.mark.parametrize(
    "change",
    [
        {"schema_version": "2.0"},
        {"raw_text": "x"},  # internal fields never appear in the JSON form
        {"published": "2024-02-05T14:30:00"},  # naive: published must carry its offset
        {"published": "2024-02-05"},
        {"published": "kemarin"},
        {"retrieved_at": 1707100000},
        {"retrieved_at_kind": "guessed"},
        {"language_confidence": 1.5},
        {"authors": "Budi"},
        {"fingerprint": "not-a-hash"},
        {"blocks": [{"kind": "table", "start": 0, "end": 0}]},
        {"blocks": [{"kind": "paragraph", "start": -1, "end": 0}]},
        {"blocks": [{"kind": "paragraph", "start": 0, "end": 0, "text": ""}]},
        {"removed": [{"line": 0, "start": 0, "end": 1, "text": "x", "label": "junk", "rule": "r"}]},
        {"extras": {"nodot": 1}},
        {"produced_by": {"warta": 1}},
    ],
)
def test_schema_rejects_malformed_records(change: dict[str, Any]) -> None:
    data = _minimal()
    assert schema_errors(data) == []
    data.update(change)
    assert schema_errors(data) != []


def test_schema_checks_datetimes_strictly() -> None:
    assert _is_rfc3339_datetime("2024-02-05T14:30:00+07:00")
    assert _is_rfc3339_datetime("2024-02-05T14:30:00.123456+09:00")
    assert _is_rfc3339_datetime("2024-02-05T07:30:00Z")
    assert not _is_rfc3339_datetime("2024-02-05T14:30:00")
    assert not _is_rfc3339_datetime("2024-02-05 14:30")
    with pytest.raises(ValueError):
        _is_rfc3339_datetime("2024-02-30T14:30:00+07:00")
