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

from warta.errors import MalformedRecord
from warta.record import (
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
from warta.serialize import article_from_dict, article_from_json, article_to_dict, article_to_json

INTERNAL_FIELDS = frozenset({"raw_text", "raw_bytes"})
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
        return Quote(s, e, body[s:e], draw(text), draw(opt_text), draw(opt_text))

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
    return dataclasses.replace(article, raw_text="", raw_bytes=None)


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
