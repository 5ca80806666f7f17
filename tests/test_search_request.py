"""Store requests are defined once (``warta.store.base``: SearchRequest, QuoteRequest,
EventRequest): the API's parameters are made from their fields, the store takes them whole, and
a search cursor is bound to every field that picks or orders the hits."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError, create_model

from warta.server.params import (
    _PARAM_NAMES,
    ArticleListParams,
    EventParams,
    QuoteParams,
    SearchParams,
    _api_field,
)
from warta.store import open_store
from warta.store.base import EventRequest, QuoteRequest, SearchRequest
from warta.store.search import _request_hash


def _old_hash(request: SearchRequest) -> str:
    """The cursor hash as it was written out field by field before (cursors stay valid)."""
    parts = [
        request.query,
        sorted(request.outlets),
        request.since.isoformat() if request.since else None,
        request.until.isoformat() if request.until else None,
        request.language,
        request.entity,
        request.speaker,
        request.event,
        request.place,
        request.sort,
    ]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:16]


@pytest.mark.parametrize(
    "request_",
    [
        SearchRequest(),
        SearchRequest(
            query='banjir "Jakarta Utara"',
            outlets=("tempo", "Kompas"),
            since=datetime(2020, 1, 1, tzinfo=UTC),
            until=datetime(2021, 1, 1),
            language="id",
            entity="Joko Widodo",
            speaker="Q76",
            event="protest",
            place="Raqqa",
            sort="date",
            limit=7,
            cursor="abc",
            facets=True,
        ),
    ],
)
def test_cursor_hash_is_what_it_was(request_: SearchRequest) -> None:
    assert _request_hash(request_) == _old_hash(request_)


def test_cursor_hash_ignores_page_size_and_facets_but_not_filters() -> None:
    base = SearchRequest(query="banjir", outlets=("b", "a"))
    assert _request_hash(base) == _request_hash(
        dataclasses.replace(base, limit=3, cursor="x", facets=True, outlets=("a", "b"))
    )
    for change in ({"speaker": "Q76"}, {"place": "Raqqa"}, {"sort": "date"}, {"query": "x"}):
        assert _request_hash(dataclasses.replace(base, **change)) != _request_hash(base)  # type: ignore[arg-type]


def test_api_parameters_are_the_request_fields() -> None:
    names = {"query": "q", "outlets": "outlet"}
    fields = [names.get(f.name, f.name) for f in dataclasses.fields(SearchRequest)]
    assert sorted(SearchParams.model_fields) == sorted(fields)
    assert sorted(ArticleListParams.model_fields) == sorted(set(fields) - {"q", "sort", "facets"})


def test_parameters_become_the_request() -> None:
    params = SearchParams.model_validate(
        {"q": "banjir", "outlet": ["Kompas", "Tempo"], "speaker": "Q76", "since": "2020-01-01"}
    )
    assert params.to_request() == SearchRequest(
        query="banjir",
        outlets=("Kompas", "Tempo"),
        speaker="Q76",
        since=datetime(2020, 1, 1, tzinfo=UTC),
    )
    listed = ArticleListParams.model_validate({"event": "protest", "limit": 5})
    assert listed.to_request(sort="date") == SearchRequest(event="protest", limit=5, sort="date")


def test_parameters_keep_their_bounds() -> None:
    with pytest.raises(ValidationError):
        SearchParams.model_validate({"speaker": "a\nb"})  # a name is one line
    with pytest.raises(ValidationError):
        SearchParams.model_validate({"language": "Indonesian"})
    with pytest.raises(ValidationError):
        ArticleListParams.model_validate({"q": "banjir"})  # the list takes no query


def test_a_new_filter_needs_no_server_edit() -> None:
    """A ``str | None`` field added to the request is a bounded one-line parameter; a field
    of a type the server cannot bound is refused when the server starts, by name."""
    model = create_model("M", author=_api_field("author", str | None, None))
    assert model.model_validate({}).author is None  # type: ignore[attr-defined]
    assert model.model_validate({"author": "Budi"}).author == "Budi"  # type: ignore[attr-defined]
    for bad in ("a\nb", "x" * 301, ""):
        with pytest.raises(ValidationError):
            model.model_validate({"author": bad})
    with pytest.raises(TypeError, match="request field weight"):
        _api_field("weight", float, 1.0)


@pytest.mark.parametrize(
    ("params", "request_type"), [(QuoteParams, QuoteRequest), (EventParams, EventRequest)]
)
def test_listing_parameters_are_the_request_fields(params: Any, request_type: Any) -> None:
    """Each request field is a parameter, by its API name where it has one (a repeatable
    filter is named in the singular: ``article=ID&article=ID2``)."""
    named = [_PARAM_NAMES.get(f.name, f.name) for f in dataclasses.fields(request_type)]
    assert list(params.model_fields) == named
    assert params.model_validate({}).to_request() == request_type()


def test_events_of_given_articles_as_a_parameter() -> None:
    events = EventParams.model_validate({"article": ["a1", "a2"]})
    assert events.to_request() == EventRequest(articles=("a1", "a2"))


def test_listing_parameters_become_the_request() -> None:
    quotes = QuoteParams.model_validate({"speaker": "Q76", "limit": 5, "offset": 10})
    assert quotes.to_request() == QuoteRequest(speaker="Q76", limit=5, offset=10)
    events = EventParams.model_validate({"category": "protest", "until": "2021-01-01T00:00:00"})
    assert events.to_request() == EventRequest(
        category="protest", until=datetime(2021, 1, 1, tzinfo=UTC)
    )
    with pytest.raises(ValidationError):
        EventParams.model_validate({"category": "not a category!"})
    with pytest.raises(ValidationError):
        QuoteParams.model_validate({"offset": -1})


def test_store_takes_a_request_or_its_fields(tmp_path: Path) -> None:
    from warta.core.record import Article, Quote

    body = '"Kami siap," kata Budi. "Tidak ada masalah," kata Ani.'

    def said(text: str, speaker: str) -> Quote:
        start = body.index(text)
        return Quote(start, start + len(text), text, "direct", speaker, f"kata {speaker}")

    article = Article(
        source="t",
        url="https://example.com/a",
        body=body,
        quotes=[said("Kami siap", "Budi"), said("Tidak ada masalah", "Ani")],
    )
    with open_store(str(tmp_path / "s.db")) as store:
        store.put(article)
        by_request = store.quotes(QuoteRequest(speaker="budi"))
        assert by_request == store.quotes(speaker="budi")
        assert [q["speaker"] for q in by_request] == ["Budi"]
        assert len(store.quotes(QuoteRequest(limit=1))) == 1
        assert store.events(EventRequest(category="protest")) == store.events(category="protest")
        with pytest.raises(TypeError, match="not both"):
            store.quotes(QuoteRequest(), speaker="budi")
        with pytest.raises(TypeError):
            store.quotes(speakr="budi")
