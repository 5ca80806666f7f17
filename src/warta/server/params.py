"""The query parameters each read endpoint accepts: strict (an unknown parameter is a 422, not
silently ignored), bounded (every string has a length cap, every number a range) and clean (no
control characters or lone surrogates, which no search needs and PostgreSQL refuses)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from warta.server.settings import MAX_LIMIT, MAX_OFFSET

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


class ArticleFilters(_Strict):
    """Filters shared by the article list and search."""

    outlet: list[Line] = Field(default_factory=list, max_length=20)
    since: When = None
    until: When = None
    language: Language | None = None
    entity: Line | None = None
    speaker: Line | None = None
    event: Category | None = None
    place: Line | None = None
    limit: Limit = 20
    cursor: Cursor | None = None


class ArticleListParams(ArticleFilters):
    """GET /v1/articles: newest first."""


class SearchParams(ArticleFilters):
    """GET /v1/search: ``q`` in the store's query syntax (words, "phrases", OR, -word)."""

    q: Query = ""
    sort: Literal["relevance", "date"] = "relevance"
    facets: bool = False


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
