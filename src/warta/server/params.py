"""The query parameters each read endpoint accepts: strict (an unknown parameter is a 422, not
silently ignored), bounded (every string has a length cap, every number a range) and clean (no
control characters or lone surrogates, which no search needs and PostgreSQL refuses)."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar, get_origin, get_type_hints

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, create_model

from warta.server.settings import MAX_LIMIT, MAX_OFFSET
from warta.store.base import EventRequest, QuoteRequest, SearchRequest

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


class _RequestModel(_Strict):
    """Parameters made from the fields of one of the store's request dataclasses
    (:func:`_request_model`), so a filter added there is a parameter here with no second edit."""

    def _values(self, more: dict[str, Any]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            values[_REQUEST_NAMES.get(name, name)] = (
                tuple(value) if isinstance(value, list) else value
            )
        return values | more


class SearchModel(_RequestModel):
    """The parameters of GET /v1/search and GET /v1/articles."""

    def to_request(self, **more: Any) -> SearchRequest:
        """The store's request for these parameters (``more`` sets fields the endpoint fixes)."""
        return SearchRequest(**self._values(more))


class QuoteModel(_RequestModel):
    """The parameters of GET /v1/quotes."""

    def to_request(self) -> QuoteRequest:
        return QuoteRequest(**self._values({}))


class EventModel(_RequestModel):
    """The parameters of GET /v1/events."""

    def to_request(self) -> EventRequest:
        return EventRequest(**self._values({}))


#: API names of the request fields that differ from them.
_PARAM_NAMES = {"query": "q", "outlets": "outlet", "articles": "article"}
_REQUEST_NAMES = {param: field for field, param in _PARAM_NAMES.items()}
#: Fields only a search has (the article list is every other filter, newest first).
_SEARCH_ONLY = ("query", "sort", "facets")
#: The bounded API type of each request field that is not a one-line name, a date-time or a
#: flag (those need no entry: ``str | None`` is a :data:`Line`, ``datetime | None`` a
#: :data:`When`).
_API_TYPES: dict[str, Any] = {
    "query": Query,
    "outlets": list[Line],
    "articles": list[Line],
    "language": Language | None,
    "event": Category | None,
    "category": Category | None,
    "limit": Limit,
    "offset": Offset,
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
        raise TypeError(f"request field {name}: give its API type in {__name__}._API_TYPES")
    if isinstance(default, tuple):
        return api_type, Field(default_factory=list, max_length=20)
    return api_type, default


_M = TypeVar("_M", bound=_RequestModel)


def _request_model(
    name: str, doc: str, base: type[_M], request: type[Any], skip: tuple[str, ...] = ()
) -> type[_M]:
    """A parameter model from the fields of the dataclass ``request``, in their order, less
    ``skip``; for a search, the query, sort and facets come last (as the API has always
    listed them)."""
    hints = get_type_hints(request)
    fields = [f for f in dataclasses.fields(request) if f.name not in skip]
    if request is SearchRequest:
        fields.sort(key=lambda f: f.name in _SEARCH_ONLY)  # stable: each group keeps its order
    spec: dict[str, Any] = {
        _PARAM_NAMES.get(f.name, f.name): _api_field(f.name, hints[f.name], f.default)
        for f in fields
    }
    return create_model(name, __base__=base, __doc__=doc, **spec)


if TYPE_CHECKING:
    ArticleListParams = SearchModel
    SearchParams = SearchModel
    QuoteParams = QuoteModel
    EventParams = EventModel
else:
    ArticleListParams = _request_model(
        "ArticleListParams",
        "GET /v1/articles: newest first.",
        SearchModel,
        SearchRequest,
        skip=_SEARCH_ONLY,
    )
    SearchParams = _request_model(
        "SearchParams",
        'GET /v1/search: ``q`` in the store\'s query syntax (words, "phrases", OR, -word).',
        SearchModel,
        SearchRequest,
    )
    QuoteParams = _request_model("QuoteParams", "GET /v1/quotes.", QuoteModel, QuoteRequest)
    EventParams = _request_model("EventParams", "GET /v1/events.", EventModel, EventRequest)


class EntityListParams(_Strict):
    prefix: Line | None = None
    type: Annotated[str, Field(pattern=r"^[A-Za-z_]{1,32}$"), AfterValidator(str.upper)] | None = (
        None
    )
    limit: Limit = 50


#: Parameters that may be given more than once (each adds a value).
REPEATABLE = frozenset({"outlet", "article"})


async def single_valued(request: Request) -> None:
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
