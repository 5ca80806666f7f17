"""The ingest endpoints: pages sent in the body, or URLs the server fetches itself.

Each request is one ingest run of the store (``begin_run``/``finish_run``). Pages are extracted
and stored one by one in a worker thread; a page that fails (too large, not text, no article
text, an unreachable URL) is recorded as a failure with its reason and the rest go on, so the
answer is 200 with one outcome per page unless the request itself is wrong.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from starlette.exceptions import HTTPException

from warta.server.auth import require_write_key, settings_of
from warta.server.params import Line, clean_line
from warta.server.problems import ERROR_RESPONSES
from warta.server.settings import ServerSettings
from warta.server.stores import using_store
from warta.store.base import Outcome, Store

router = APIRouter(
    prefix="/v1/ingest", dependencies=[Depends(require_write_key)], responses=ERROR_RESPONSES
)

_MAX_ITEMS = 1000  # a hard cap on list length before the configured one is checked


def _web_url(value: str) -> str:
    clean_line(value)
    if not value.lower().startswith(("http://", "https://")):
        raise ValueError("must be an http:// or https:// URL")
    return value


def _no_surrogates(value: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("contains a lone surrogate") from None
    return value


WebUrl = Annotated[str, Field(min_length=8, max_length=2048), AfterValidator(_web_url)]
PageText = Annotated[str, AfterValidator(_no_surrogates)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PageIn(_Body):
    """One page: exactly one of ``text`` (a text scrape) or ``html``; its URL and source name
    when known (the URL decides the report id)."""

    text: PageText | None = None
    html: PageText | None = None
    url: WebUrl | None = None
    source: Line | None = None

    @model_validator(mode="after")
    def _one_content(self) -> PageIn:
        if (self.text is None) == (self.html is None):
            raise ValueError("give exactly one of 'text' or 'html'")
        return self


class PagesIn(_Body):
    pages: list[PageIn] = Field(min_length=1, max_length=_MAX_ITEMS)


class UrlsIn(_Body):
    urls: list[WebUrl] = Field(min_length=1, max_length=_MAX_ITEMS)


class PageOutcome(BaseModel):
    index: int
    source: str
    url: str | None
    outcome: Literal["new", "updated", "unchanged", "failed"]
    article_id: str | None = None
    reason: str | None = None
    message: str | None = None


class IngestOut(BaseModel):
    run_id: int
    counts: dict[str, int]
    pages: list[PageOutcome]


def _check_count(count: int, settings: ServerSettings, what: str) -> None:
    if count > settings.max_ingest_items:
        raise HTTPException(
            422, f"{count} {what} in one request; the limit is {settings.max_ingest_items}"
        )


def _failed(
    store: Store, run_id: int, index: int, source: str, url: str | None, reason: str, message: str
) -> PageOutcome:
    store.record_failure(source=source, url=url, reason=reason, message=message, run_id=run_id)
    return PageOutcome(
        index=index, source=source, url=url, outcome="failed", reason=reason, message=message
    )


def _store_extracted(
    store: Store,
    run_id: int,
    index: int,
    content: str | bytes,
    *,
    source: str,
    url: str | None,
    content_type: str | None,
    settings: ServerSettings,
    fetched: bool = False,
) -> PageOutcome:
    from warta.api import extract_text

    article = extract_text(
        content,
        source=source,
        url=url,
        content_type=content_type,
        time_limit_s=settings.page_time_limit_s,
    )
    if fetched:
        article.retrieved_at_kind = "fetched"
    if article.errors:
        error = article.errors[0]
        return _failed(store, run_id, index, source, url, error.reason, error.message)
    put = store.put(article, run_id=run_id)
    return PageOutcome(
        index=index, source=source, url=url, outcome=put.outcome.value, article_id=put.article_id
    )


def _run(store: Store, work: list[PageOutcome], run_id: int) -> IngestOut:
    counts = Counter(o.outcome for o in work)
    totals = {o.value: counts.get(o.value, 0) for o in Outcome}
    store.finish_run(run_id, totals)
    return IngestOut(run_id=run_id, counts=totals, pages=work)


def _ingest_pages(store: Store, pages: PagesIn, settings: ServerSettings) -> IngestOut:
    run_id = store.begin_run(["api:pages"])
    outcomes = []
    for index, page in enumerate(pages.pages):
        content = page.text if page.text is not None else page.html
        assert content is not None
        source = page.source or page.url or f"api:page:{index}"
        size = len(content.encode("utf-8"))
        if size > settings.max_page_bytes:
            outcomes.append(
                _failed(
                    store,
                    run_id,
                    index,
                    source,
                    page.url,
                    "too_large",
                    f"page of {size} bytes; the limit is {settings.max_page_bytes}",
                )
            )
            continue
        kind = "text/plain" if page.text is not None else "text/html"
        outcomes.append(
            _store_extracted(
                store,
                run_id,
                index,
                content,
                source=source,
                url=page.url,
                content_type=kind,
                settings=settings,
            )
        )
    return _run(store, outcomes, run_id)


_READABLE = ("text/html", "application/xhtml+xml", "text/plain")


def _ingest_urls(store: Store, urls: UrlsIn, settings: ServerSettings) -> IngestOut:
    from warta.crawl.crawler import decode_body
    from warta.crawl.fetch import Fetcher, FetchError, FetchLimits

    run_id = store.begin_run(["api:urls"])
    outcomes = []
    limits = FetchLimits(
        max_bytes=settings.max_page_bytes, total_timeout=settings.page_time_limit_s
    )
    with Fetcher(limits, allow_private=settings.fetch_allow_private) as fetcher:
        for index, url in enumerate(urls.urls):
            try:
                result = fetcher.get(
                    url, want_body=lambda media: media is None or media in _READABLE
                )
            except FetchError as exc:
                outcomes.append(_failed(store, run_id, index, url, url, exc.reason, exc.message))
                continue
            if not 200 <= result.status < 300:
                outcomes.append(
                    _failed(
                        store,
                        run_id,
                        index,
                        url,
                        url,
                        f"http_{result.status}",
                        f"the server answered {result.status}",
                    )
                )
                continue
            if not result.body_read:
                outcomes.append(
                    _failed(
                        store,
                        run_id,
                        index,
                        url,
                        url,
                        "not_text",
                        f"content type {result.media_type} is not a page",
                    )
                )
                continue
            media = result.media_type
            kind = "text/plain" if media == "text/plain" else "text/html" if media else None
            text = decode_body(result.body, result.charset)
            outcomes.append(
                _store_extracted(
                    store,
                    run_id,
                    index,
                    text,
                    source=url,
                    url=result.final_url,
                    content_type=kind,
                    settings=settings,
                    fetched=True,
                )
            )
    return _run(store, outcomes, run_id)


@router.post("/pages", response_model=IngestOut, summary="Extract and store pages sent in the body")
async def ingest_pages(request: Request, body: PagesIn) -> IngestOut:
    settings = settings_of(request)
    _check_count(len(body.pages), settings, "pages")
    return await using_store(request, lambda store: _ingest_pages(store, body, settings))


@router.post("/urls", response_model=IngestOut, summary="Fetch, extract and store pages by URL")
async def ingest_urls(request: Request, body: UrlsIn) -> IngestOut:
    settings = settings_of(request)
    _check_count(len(body.urls), settings, "URLs")
    return await using_store(request, lambda store: _ingest_urls(store, body, settings))
