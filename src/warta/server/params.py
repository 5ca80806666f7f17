"""The query parameters each read endpoint accepts: strict (an unknown parameter is a 422, not
silently ignored), bounded (every string has a length cap, every number a range) and clean (no
control characters or lone surrogates, which no search needs and PostgreSQL refuses)."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal, get_origin, get_type_hints

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, create_model

from warta.server.settings import MAX_LIMIT, MAX_OFFSET
from warta.store.base import SearchRequest

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def clean_text(value: str) -> str:
    """Refuse control characters (tab and newlines excepted) and lone surrogates."""
    if _CONTROL.search(value):
        raise ValueError("contains a control character or a lone surrogate")
    return value


def clean_line(value: str) -> str:
    """A one-line value: no control characters at all."""
    if "\t" in value or "\n" in value or "\r" in value:
        raise ValueError("must be one line")
    return clean_text(value)


def aware(value: datetime | None) -> datetime | None:
    """A time without a zone is read as UTC, so it compares with stored times."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


Line = Annotated[str, Field(min_length=1, max_length=300), AfterValidator(clean_line)]
When = Annotated[datetime | None, AfterValidator(aware)]
Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT)]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]
Cursor = Annotated[str, Field(min_length=1, max_length=512), AfterValidator(clean_line)]
Language = Annotated[str, Field(pattern=r"^[a-z]{2,3}$")]
Category = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z_ -]{0,63}$")]
Query = Annotated[str, Field(max_length=2000), AfterValidator(clean_text)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SearchModel(_Strict):
    """The parameters of a search endpoint. The models are made from the fields of
    :class:`warta.store.base.SearchRequest` (:func:`_search_model`), so a filter added there is
    a parameter here with no second edit."""

    def to_request(self, **more: Any) -> SearchRequest:
        """The store's request for these parameters (``more`` sets fields the endpoint fixes)."""
        values: dict[str, Any] = {}
        for name in type(self).model_fields:
            field = _REQUEST_NAMES.get(name, name)
            value = getattr(self, name)
            values[field] = tuple(value) if isinstance(value, list) else value
        values.update(more)
        return SearchRequest(**values)


#: API names of the request fields that differ from them.
_PARAM_NAMES = {"query": "q", "outlets": "outlet"}
_REQUEST_NAMES = {param: field for field, param in _PARAM_NAMES.items()}
#: Fields only a search has (the article list is every other filter, newest first).
_SEARCH_ONLY = ("query", "sort", "facets")
#: The bounded API type of each request field that is not a one-line name, a date-time or a
#: flag (those need no entry: ``str | None`` is a :data:`Line`, ``datetime | None`` a
#: :data:`When`).
_API_TYPES: dict[str, Any] = {
    "query": Query,
    "outlets": list[Line],
    "language": Language | None,
    "event": Category | None,
    "limit": Limit,
    "cursor": Cursor | None,
}


def _api_field(name: str, hint: Any, default: Any) -> tuple[Any, Any]:
    """(type, default) of the API parameter for the request field ``name``."""
    if name in _API_TYPES:
        api_type = _API_TYPES[name]
    elif hint == (str | None):
        api_type = Line | None
    elif hint == (datetime | None):
        api_type = When
    elif hint is bool or get_origin(hint) is Literal:
        api_type = hint
    else:
        raise TypeError(f"SearchRequest.{name}: give its API type in {__name__}._API_TYPES")
    if isinstance(default, tuple):
        return api_type, Field(default_factory=list, max_length=20)
    return api_type, default


def _search_model(name: str, doc: str, *, search: bool) -> type[SearchModel]:
    """A parameter model from :class:`SearchRequest`: its filters in their order, then (for
    a search) the query, sort and facets."""
    hints = get_type_hints(SearchRequest)
    fields = dataclasses.fields(SearchRequest)
    chosen = [f for f in fields if f.name not in _SEARCH_ONLY]
    if search:
        chosen += [f for f in fields if f.name in _SEARCH_ONLY]
    spec: dict[str, Any] = {
        _PARAM_NAMES.get(f.name, f.name): _api_field(f.name, hints[f.name], f.default)
        for f in chosen
    }
    return create_model(name, __base__=SearchModel, __doc__=doc, **spec)


if TYPE_CHECKING:
    ArticleListParams = SearchModel
    SearchParams = SearchModel
else:
    ArticleListParams = _search_model(
        "ArticleListParams", "GET /v1/articles: newest first.", search=False
    )
    SearchParams = _search_model(
        "SearchParams",
        'GET /v1/search: ``q`` in the store\'s query syntax (words, "phrases", OR, -word).',
        search=True,
    )


class EntityListParams(_Strict):
    prefix: Line | None = None
    type: Annotated[str, Field(pattern=r"^[A-Za-z_]{1,32}$"), AfterValidator(str.upper)] | None = (
        None
    )
    limit: Limit = 50


class QuoteParams(_Strict):
    speaker: Line | None = None
    since: When = None
    until: When = None
    limit: Limit = 50
    offset: Offset = 0


class EventParams(_Strict):
    category: Category | None = None
    actor: Line | None = None
    place: Line | None = None
    since: When = None
    until: When = None
    limit: Limit = 50
    offset: Offset = 0


#: Parameters that may be given more than once (each adds a value).
REPEATABLE = frozenset({"outlet"})


def single_valued(request: Request) -> None:
    """Dependency: ``q=a&q=b`` is an error, not silently the last value."""
    params = request.query_params
    repeated = sorted(k for k in set(params) if k not in REPEATABLE and len(params.getlist(k)) > 1)
    if repeated:
        raise RequestValidationError(
            [
                {"loc": ("query", name), "type": "repeated", "msg": "given more than once"}
                for name in repeated
            ]
        )
