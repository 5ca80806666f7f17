"""The watch endpoints: the saved watches, and each as an Atom feed of its newest matches."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from warta.server.auth import require_read_key
from warta.server.params import single_valued
from warta.server.problems import ERROR_RESPONSES
from warta.server.stores import using_store
from warta.store.base import SearchHit, Store
from warta.store.watch_tables import Watch

router = APIRouter(
    prefix="/v1",
    dependencies=[Depends(require_read_key), Depends(single_valued)],
    responses=ERROR_RESPONSES,
)

WatchName = Annotated[
    str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", description="The watch's name.")
]


@router.get("/watches", summary="The saved watches (saved searches)")
async def list_watches(request: Request) -> JSONResponse:
    def work(store: Store) -> list[dict[str, Any]]:
        return [
            {
                "name": w.name,
                "query": w.query,
                "filters": dict(w.filters),
                "has_webhook": w.webhook is not None,
                "created": w.created.isoformat() if w.created else None,
                "feed": f"/v1/watches/{w.name}.atom",
            }
            for w in store.watch_tables().all()
        ]

    return JSONResponse({"items": await using_store(request, work)})


@router.get(
    "/watches/{name}.atom",
    summary="A watch as an Atom feed of its newest matches",
    response_class=Response,
    responses={200: {"content": {"application/atom+xml": {}}}},
)
async def watch_feed(
    request: Request,
    name: WatchName,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> Response:
    from warta.alerts.atom import MEDIA_TYPE, feed
    from warta.alerts.watching import matches

    def work(store: Store) -> tuple[Watch, list[SearchHit]] | None:
        found = store.watch_tables().get(name)
        if found is None:
            return None
        return found, matches(store, found, depth=limit)

    got = await using_store(request, work)
    if got is None:
        raise HTTPException(404, f"no watch named {name}")
    found, hits = got
    body = feed(found, hits, self_url=str(request.url), now=datetime.now(UTC))
    return Response(body, media_type=MEDIA_TYPE)
