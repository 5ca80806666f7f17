"""The read endpoints: articles, search, entities, quotes, events, outlets, stats."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from warta.core.errors import QueryError
from warta.server.auth import require_read_key, settings_of
from warta.server.params import (
    ArticleListParams,
    EntityListParams,
    EventParams,
    QuoteParams,
    SearchParams,
    clean_line,
    single_valued,
)
from warta.server.problems import ERROR_RESPONSES, UnknownNameProblem, no_query_params
from warta.server.schemas import (
    EntitiesOut,
    EntityProfileOut,
    EntityRow,
    EventRow,
    EventsOut,
    OutletOut,
    OutletsOut,
    QuoteRow,
    QuotesOut,
    SearchOut,
    StatsOut,
    stats_out,
)
from warta.server.settings import ServerSettings
from warta.server.stores import using_store
from warta.store.base import EntityProfile, Store, UnknownName
from warta.store.names import Resolved

router = APIRouter(
    prefix="/v1",
    dependencies=[Depends(require_read_key), Depends(single_valued)],
    responses=ERROR_RESPONSES,
)

ArticleId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_.:-]{1,128}$", description="The report id.")]
EntityKey = Annotated[
    str, Path(min_length=1, max_length=300, description="Entity id or canonical name.")
]


def check_query(q: str, settings: ServerSettings) -> None:
    """The server's own bound on query complexity, whatever the store could run."""
    if len(q) > settings.max_query_chars:
        raise QueryError(
            f"query of {len(q)} characters; the limit is {settings.max_query_chars}", source="q"
        )
    terms = len(q.replace('"', " ").replace("(", " ").replace(")", " ").split())
    if terms > settings.max_query_terms:
        raise QueryError(
            f"query of {terms} terms; the limit is {settings.max_query_terms}", source="q"
        )


def _next(offset: int, limit: int, got: int) -> int | None:
    return offset + got if got >= limit else None


@router.get("/articles", response_model=SearchOut, summary="List articles, newest first")
async def list_articles(
    request: Request, params: Annotated[ArticleListParams, Query()]
) -> SearchOut:
    search = params.to_request(sort="date")
    result = await using_store(request, lambda store: store.search(search))
    if result.unknown:
        raise UnknownNameProblem(result.unknown[0])
    return SearchOut.of(result)


@router.get(
    "/articles/{article_id}",
    summary="One article: the whole record",
    dependencies=[Depends(no_query_params)],
    responses={
        200: {
            "content": {"application/json": {}},
            "description": "The article record (warta's JSON).",
        }
    },
)
async def get_article(request: Request, article_id: ArticleId) -> JSONResponse:
    from warta.core.serialize import article_to_dict

    article = await using_store(request, lambda store: store.get(article_id))
    if article is None:
        raise HTTPException(404, f"no article with id {article_id}")
    return JSONResponse(article_to_dict(article))


@router.get("/search", response_model=SearchOut, summary="Search articles")
async def search(request: Request, params: Annotated[SearchParams, Query()]) -> SearchOut:
    settings = settings_of(request)
    search = params.to_request()
    check_query(search.query, settings)
    result = await using_store(request, lambda store: store.search(search))
    if result.unknown:
        raise UnknownNameProblem(result.unknown[0])
    return SearchOut.of(result)


@router.get("/entities", response_model=EntitiesOut, summary="Entities, most mentioned first")
async def list_entities(
    request: Request, params: Annotated[EntityListParams, Query()]
) -> EntitiesOut:
    rows = await using_store(
        request,
        lambda store: store.entities(prefix=params.prefix, type=params.type, limit=params.limit),
    )
    return EntitiesOut(items=[EntityRow.model_validate(row) for row in rows])


@router.get(
    "/entities/{key:path}",
    response_model=EntityProfileOut,
    summary="Entity profile: aliases, mentions by month, co-occurring entities, quotes",
    dependencies=[Depends(no_query_params)],
)
async def get_entity(request: Request, key: EntityKey) -> EntityProfileOut:
    try:
        clean_line(key)
    except ValueError as exc:
        raise HTTPException(422, f"path parameter 'key': {exc}") from None
    def work(store: Store) -> EntityProfile | Resolved:
        return store.entity(key) or store.resolve_name("entity", key)

    found = await using_store(request, work)
    if isinstance(found, Resolved):
        raise UnknownNameProblem(UnknownName("entity", found.text, found.suggestions))
    return EntityProfileOut.of(found)


@router.get("/quotes", response_model=QuotesOut, summary="Quotes, with their speakers")
async def list_quotes(request: Request, params: Annotated[QuoteParams, Query()]) -> QuotesOut:
    asked = params.to_request()

    def work(store: Store) -> list[dict[str, Any]] | Resolved:
        rows = store.quotes(asked)
        if not rows and asked.speaker:
            speaker = store.resolve_name("speaker", asked.speaker)
            if not speaker.known:
                return speaker
        return rows

    rows = await using_store(request, work)
    if isinstance(rows, Resolved):
        raise UnknownNameProblem(UnknownName("speaker", rows.text, rows.suggestions))
    return QuotesOut(
        items=[QuoteRow.model_validate(row) for row in rows],
        limit=asked.limit,
        offset=asked.offset,
        next_offset=_next(asked.offset, asked.limit, len(rows)),
    )


@router.get("/events", response_model=EventsOut, summary="Coded events (PLOVER)")
async def list_events(request: Request, params: Annotated[EventParams, Query()]) -> EventsOut:
    asked = params.to_request()

    def work(store: Store) -> list[dict[str, Any]]:
        return store.events(asked)

    rows = await using_store(request, work)
    return EventsOut(
        items=[EventRow.model_validate(row) for row in rows],
        limit=asked.limit,
        offset=asked.offset,
        next_offset=_next(asked.offset, asked.limit, len(rows)),
    )


@router.get(
    "/outlets",
    response_model=OutletsOut,
    summary="Outlets with their article counts",
    dependencies=[Depends(no_query_params)],
)
async def list_outlets(request: Request) -> OutletsOut:
    rows = await using_store(request, lambda store: store.outlets())
    return OutletsOut(items=[OutletOut(outlet=name, articles=count) for name, count in rows])


@router.get(
    "/stats",
    response_model=StatsOut,
    summary="Counts and top lists of the store",
    dependencies=[Depends(no_query_params)],
)
async def stats(request: Request) -> StatsOut:
    return stats_out(await using_store(request, lambda store: store.stats()))
