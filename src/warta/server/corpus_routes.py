"""The corpus endpoints: stories, duplicate groups, trend series and what is rising."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from warta.server.auth import require_read_key
from warta.server.params import single_valued
from warta.server.problems import ERROR_RESPONSES
from warta.server.stores import using_store
from warta.store.base import Store

router = APIRouter(
    prefix="/v1",
    dependencies=[Depends(require_read_key), Depends(single_valued)],
    responses=ERROR_RESPONSES,
)

StoryId = Annotated[
    str, Path(pattern=r"^[A-Za-z0-9_.:-]{1,128}$", description="A story id (old ids forward).")
]
ArticleId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_.:-]{1,128}$", description="The report id.")]


def _json(value: Any) -> JSONResponse:
    return JSONResponse(jsonable_encoder(value))


@router.get("/stories", summary="Stories, largest first")
async def list_stories(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> JSONResponse:
    def work(store: Store) -> list[dict[str, Any]]:
        rows = store.corpus_tables().stories(limit, offset)
        return [asdict(r) for r in rows]

    return _json({"items": await using_store(request, work)})


@router.get(
    "/stories/{story_id}", summary="One story: outlets, entities, speakers, events, timeline"
)
async def get_story(request: Request, story_id: StoryId) -> JSONResponse:
    from warta.corpus.stories import story_detail

    detail = await using_store(request, lambda store: story_detail(store, story_id))
    if detail is None:
        raise HTTPException(404, f"no story {story_id}")
    return _json(detail)


@router.get(
    "/articles/{article_id}/duplicates", summary="The copies of an article, its original marked"
)
async def get_duplicates(request: Request, article_id: ArticleId) -> JSONResponse:
    rows = await using_store(
        request, lambda store: store.corpus_tables().duplicate_rows(article_id)
    )
    return _json({"article_id": article_id, "items": rows})


@router.get(
    "/trends",
    summary="Reports per day or hour of an entity, keyword, event, outlet, speaker or query",
)
async def get_trends(
    request: Request,
    kind: Annotated[str, Query(pattern="^(entity|keyword|event|outlet|speaker|query)$")],
    key: Annotated[str, Query(min_length=1, max_length=300)],
    since: datetime,
    until: datetime,
    bucket: Annotated[str, Query(pattern="^(day|hour)$")] = "day",
) -> JSONResponse:
    from warta.corpus.trends import series

    found = await using_store(
        request, lambda store: series(store, kind, key, since=since, until=until, bucket=bucket)
    )
    return _json(
        {
            "kind": found.kind,
            "key": found.key,
            "label": found.label,
            "points": [[p.bucket, p.count] for p in found.points],
        }
    )


@router.get("/rising", summary="What is rising on a day or in a week, against its own baseline")
async def get_rising(
    request: Request,
    day: date,
    period: Annotated[str, Query(pattern="^(day|week)$")] = "day",
    min_count: Annotated[int, Query(ge=1, le=1000)] = 3,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> JSONResponse:
    from warta.corpus.trends import rising

    found = await using_store(
        request, lambda store: rising(store, day, period=period, min_count=min_count, limit=limit)
    )
    return _json(
        {
            "day": day,
            "period": period,
            "items": [asdict(r) for r in found],
        }
    )
