"""The ingest endpoints: pages sent in the body, or URLs the server fetches itself.

Each request is one run of the ingest driver (:func:`warta.run.ingest.ingest_pages`), the same one
``warta ingest`` uses: page keys, batched writes, multi-page joining and failure records. This
module only turns the request into pages (checking sizes, fetching URLs) and the driver's
per-page results into the answer. A page that fails (too large, not text, no article text, an
unreachable URL) is recorded as a failure with its reason and the rest go on, so the answer is
200 with one outcome per page unless the request itself is wrong. A page an earlier request
already stored answers ``unchanged`` with its article id (nothing is written again).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from starlette.exceptions import HTTPException

from warta.core.errors import InputTooLarge, SourceUnreadable
from warta.readers.text import Page, ReadFailure
from warta.run.ingest import PageResult
from warta.run.ingest import ingest_pages as run_ingest
from warta.run.pipeline import DEFAULT_TEXT_PIPELINE
from warta.server.auth import require_write_key, settings_of
from warta.server.params import Line, clean_line
from warta.server.problems import ERROR_RESPONSES
from warta.server.settings import ServerSettings
from warta.server.stores import using_store
from warta.store.base import Outcome, Store

if TYPE_CHECKING:
    from warta.crawl.fetch import Fetcher

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


def _too_large(source: str, size: int, settings: ServerSettings) -> ReadFailure:
    message = f"page of {size} bytes; the limit is {settings.max_page_bytes}"
    return ReadFailure(source, InputTooLarge(message, source=source))


def _failure(source: str, reason: str, message: str) -> ReadFailure:
    error = SourceUnreadable(message, source=source)
    error.reason = reason
    return ReadFailure(source, error)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _answer(outcome: PageResult) -> PageOutcome:
    """A driver result as the API says it: a page an earlier run did is ``unchanged`` when it
    was stored, ``failed`` (with the earlier reason) when it was not."""
    name = outcome.outcome
    if name == "skipped":
        name = "unchanged" if outcome.article_id else "failed"
    return PageOutcome(
        index=outcome.index,
        source=outcome.source,
        url=outcome.url,
        outcome=name,  # type: ignore[arg-type]  # one of the Literal's values by construction
        article_id=outcome.article_id,
        reason=outcome.reason,
        message=outcome.message,
    )


def _run(
    store: Store, pages: Iterable[Page | ReadFailure], sources: list[str], settings: ServerSettings
) -> IngestOut:
    results: dict[int, PageResult] = {}

    def heard(result: PageResult) -> None:
        results[result.index] = result

    report = run_ingest(
        pages,
        store,
        sources=sources,
        spec=settings.ingest_pipeline or DEFAULT_TEXT_PIPELINE,
        time_limit_s=settings.page_time_limit_s,
        on_page=heard,
    )
    work = [_answer(results[i]) for i in sorted(results)]
    counts = Counter(o.outcome for o in work)
    totals = {o.value: counts.get(o.value, 0) for o in Outcome}
    assert report.run_id is not None
    return IngestOut(run_id=report.run_id, counts=totals, pages=work)


def _body_pages(pages: PagesIn, settings: ServerSettings) -> Iterator[Page | ReadFailure]:
    for index, page in enumerate(pages.pages):
        content = page.text if page.text is not None else page.html
        assert content is not None
        source = page.source or page.url or f"api:page:{index}"
        size = len(content.encode("utf-8"))
        if size > settings.max_page_bytes:
            yield _too_large(source, size, settings)
            continue
        yield Page(
            source=source,
            text=content,
            url=page.url,
            retrieved_at=_now(),
            retrieved_at_kind="read_at",
            content_type="text/plain" if page.text is not None else "text/html",
        )


def _ingest_pages(store: Store, pages: PagesIn, settings: ServerSettings) -> IngestOut:
    return _run(store, _body_pages(pages, settings), ["api:pages"], settings)


_READABLE = ("text/html", "application/xhtml+xml", "text/plain")


def _fetched_pages(urls: UrlsIn, fetcher: Fetcher) -> Iterator[Page | ReadFailure]:
    from warta.crawl.crawler import decode_body
    from warta.crawl.fetch import FetchError

    for url in urls.urls:
        try:
            result = fetcher.get(url, want_body=lambda media: media is None or media in _READABLE)
        except FetchError as exc:
            yield _failure(url, exc.reason, exc.message)
            continue
        if not 200 <= result.status < 300:
            yield _failure(url, f"http_{result.status}", f"the server answered {result.status}")
            continue
        if not result.body_read:
            yield _failure(url, "not_text", f"content type {result.media_type} is not a page")
            continue
        media = result.media_type
        yield Page(
            source=url,
            text=decode_body(result.body, result.charset),
            url=result.final_url,
            retrieved_at=_now(),
            retrieved_at_kind="fetched",
            content_type="text/plain" if media == "text/plain" else "text/html" if media else None,
        )


def _ingest_urls(store: Store, urls: UrlsIn, settings: ServerSettings) -> IngestOut:
    from warta.crawl.fetch import Fetcher, FetchLimits

    limits = FetchLimits(
        max_bytes=settings.max_page_bytes, total_timeout=settings.page_time_limit_s
    )
    with Fetcher(limits, allow_private=settings.fetch_allow_private) as fetcher:
        return _run(store, _fetched_pages(urls, fetcher), ["api:urls"], settings)


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
