"""The search request is defined once (``warta.store.base.SearchRequest``): the API's search and
article-list parameters are made from its fields, and a cursor is bound to every field that
picks or orders the hits."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError, create_model

from warta.server.params import ArticleListParams, SearchParams, _api_field
from warta.store.base import SearchRequest
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
    with pytest.raises(TypeError, match="SearchRequest.weight"):
        _api_field("weight", float, 1.0)
