"""The reader's pages: home, article, search, entity, outlets, stories, story, trends.

Each page asks the store through the same pooled connections as the REST API and renders a
Jinja2 template. Query parameters use the API's names, so a reader URL and an API URL for the
same search look alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from warta.core.errors import QueryError, WartaError
from warta.store.base import EventRequest, SearchRequest, Store
from warta.web.i18n import COOKIE, LANGUAGES, NAMES, Translator, choose
from warta.web.render import body_html, snippet_html, web_link, when
from warta.web.timex import timex_text

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.filters["when"] = when
templates.env.filters["snippet"] = snippet_html
templates.env.filters["web_link"] = web_link
templates.env.filters["timex"] = timex_text
templates.env.globals["urlencode"] = urlencode

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
T = TypeVar("T")
_QID = re.compile(r"Q[1-9][0-9]*")


async def using_store(request: Request, work: Callable[[Store], T]) -> T:
    """``work(store)`` in a worker thread with a store lent by the app's pool (the same pool as
    the REST API's: the app that mounts the reader puts it in ``app.state.store_pool``)."""
    pool = request.app.state.store_pool
    result: T = await run_in_threadpool(pool.run, work)
    return result


def _lang(request: Request) -> str:
    """The interface language of this request (see :mod:`warta.web.i18n`)."""
    return choose(
        request.query_params.get("lang"),
        request.cookies.get(COOKIE),
        request.headers.get("accept-language"),
    )


def _tr(request: Request) -> Translator:
    return Translator(_lang(request))


def _with_lang(request: Request, code: str) -> str:
    """This page's address in language ``code`` (its other parameters kept)."""
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return request.url.path + "?" + urlencode([*query, ("lang", code)])


def _page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    lang = _lang(request)
    languages = [(code, NAMES[code], _with_lang(request, code)) for code in LANGUAGES]
    context = {**context, "lang": lang, "t": Translator(lang), "languages": languages}
    response = templates.TemplateResponse(request, name, context, status_code=status)
    response.headers["content-language"] = lang
    response.headers["vary"] = "Accept-Language, Cookie"
    asked = request.query_params.get("lang")
    if asked in LANGUAGES and asked != request.cookies.get(COOKIE):  # the choice holds
        response.set_cookie(COOKIE, asked, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return response


def _newest(store: Store, outlets: tuple[str, ...] = ()) -> datetime | None:
    """The publish time of the newest article (of ``outlets``): "today" for a store of past news."""
    hits = store.search(SearchRequest(outlets=outlets, sort="date", limit=1)).hits
    return hits[0].published if hits else None


def _named_since(store: Store, since: datetime, outlets: tuple[str, ...] = ()) -> list[Any]:
    """The entity facet (name, articles) of the articles published from ``since`` on."""
    return _named(store, since, outlets)[0]


def _named(store: Store, since: datetime, outlets: tuple[str, ...] = ()) -> tuple[list[Any], int]:
    """The entity facet of the articles published from ``since`` on, and how many of the
    newest it counted when it did not count them all (else 0)."""
    found = store.search(SearchRequest(outlets=outlets, since=since, limit=1, facets=True))
    over = 0 if found.facets_exact else found.facets_over
    return list(found.facets.get("entity", []))[:10], over


def _rising_on(store: Store, newest: datetime | None) -> list[Any]:
    """What rose on the newest day, when the corpus tables exist (else nothing, no failure)."""
    from warta.corpus.trends import WIB, rising

    if newest is None:
        return []
    try:
        return rising(store, newest.astimezone(WIB).date(), period="day", limit=8)
    except WartaError:
        return []


@router.get("/")
async def home(request: Request) -> HTMLResponse:
    def work(store: Store) -> dict[str, Any]:
        latest = store.search(SearchRequest(sort="date", limit=15))
        try:
            stories = store.corpus_tables().stories(8)
        except WartaError:
            stories = []
        newest = latest.hits[0].published if latest.hits else None
        day = week = []
        if newest is not None:
            day = _named_since(store, newest - timedelta(days=1))
            week = _named_since(store, newest - timedelta(days=7))
        runs = store.runs(limit=1)
        return {
            "latest": latest.hits,
            "stories": stories,
            "stats": store.stats(),
            "named_day": day,
            "named_week": week,
            "rising": _rising_on(store, newest),
            "last_run": runs[0] if runs else None,
            "failures": store.failures(limit=5),
        }

    return _page(request, "home.html", **await using_store(request, work))


@router.get("/outlet/{name:path}")
async def outlet(request: Request, name: str) -> HTMLResponse:
    from collections import Counter

    from warta.corpus.trends import series
    from warta.web.chart import bar_chart

    def work(store: Store) -> dict[str, Any] | None:
        try:
            latest = store.search(SearchRequest(outlets=(name,), sort="date", limit=50))
        except QueryError:
            return None
        if not latest.hits:
            return None
        canonical = latest.hits[0].outlet or name
        newest = latest.hits[0].published
        volume: list[tuple[str, int]] = []
        if newest is not None:
            try:
                found = series(
                    store,
                    "outlet",
                    canonical,
                    since=newest - timedelta(days=90),
                    until=newest + timedelta(days=1),
                )
                volume = [(p.bucket, p.count) for p in found.points]
            except WartaError:  # no corpus tables in this store yet
                volume = []
        sections: Counter[str] = Counter()
        for hit in latest.hits:
            article = store.get(hit.id)
            if article is not None and article.section:
                sections[article.section] += 1
        named, named_over = _named(store, datetime(1, 1, 1, tzinfo=UTC), (canonical,))
        return {
            "outlet_name": canonical,
            "latest": latest.hits[:15],
            "sampled": len(latest.hits),
            "total": store.search(SearchRequest(outlets=(canonical,), limit=1)).total,
            "volume": volume,
            "sections": sections.most_common(12),
            "named": named,
            "named_over": named_over,
        }

    found = await using_store(request, work)
    if found is None:
        what = _tr(request)("no_outlet", key=name)
        return _page(request, "missing.html", 404, what=what)
    first = next((i for i, (_, n) in enumerate(found["volume"]) if n), len(found["volume"]))
    chart = bar_chart(found["volume"][first:], _tr(request)("per_day"))
    return _page(request, "outlet.html", chart=chart, **found)


@router.get("/read/{article_id}")
async def read(request: Request, article_id: str) -> HTMLResponse:
    def work(store: Store) -> dict[str, Any] | None:
        article = store.get(article_id)
        if article is None:
            return None
        duplicates: list[dict[str, Any]] = []
        story: str | None = None
        try:
            tables = store.corpus_tables()
            duplicates = tables.duplicate_rows(article.id)
            doc = tables.doc_by_id(article.id)
            story = tables.resolve_story(doc.story) if doc and doc.story else None
        except WartaError:
            pass
        return {"article": article, "duplicates": duplicates, "story": story}

    found = await using_store(request, work)
    if found is None:
        what = _tr(request)("no_article", key=article_id)
        return _page(request, "missing.html", 404, what=what)
    article = found["article"]
    return _page(request, "article.html", body=body_html(article, _lang(request)), **found)


_FACET_NAMES = ("outlet", "year", "language", "entity", "speaker", "event", "place", "story")


def _facet_link(params: dict[str, str], name: str, value: str) -> str:
    """The search narrowed to one facet value (a year: its dates, as the since/until filters)."""
    narrowed = {**params, "cursor": ""}
    if name == "year":
        narrowed.update(since=f"{value}-01-01", until=f"{value}-12-31")
    else:
        narrowed[name] = value
    return "/search?" + urlencode(narrowed)


def _search_request(params: dict[str, str]) -> SearchRequest:
    def day(name: str, next_day: bool = False) -> datetime | None:
        text = params.get(name, "").strip()
        if not text:
            return None
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            raise QueryError(f"{name}: {text!r} is not a date (YYYY-MM-DD)", source=name) from None
        if next_day and len(text) == 10:
            value += timedelta(days=1)
        return value if value.tzinfo else value.replace(tzinfo=UTC)

    sort = "date" if params.get("sort") == "date" or not params.get("q") else "relevance"
    return SearchRequest(
        query=params.get("q", "").strip(),
        outlets=tuple(o for o in [params.get("outlet", "").strip()] if o),
        since=day("since"),
        until=day("until", next_day=True),
        language=params.get("language") or None,
        entity=params.get("entity") or None,
        speaker=params.get("speaker") or None,
        event=params.get("event") or None,
        place=params.get("place") or None,
        region=params.get("region") or None,
        story=params.get("story") or None,
        duplicates_of=params.get("duplicates_of") or None,
        originals_only=params.get("originals_only") in ("1", "true", "on"),
        sort=sort,  # type: ignore[arg-type]
        limit=20,
        cursor=params.get("cursor") or None,
        facets=True,
    )


@router.get("/search")
async def search(request: Request) -> HTMLResponse:
    params = {k: v for k, v in request.query_params.items() if v}
    try:
        asked = _search_request(params)
    except QueryError as exc:
        return _page(request, "search.html", 400, params=params, error=exc.one_line(), result=None)

    def work(store: Store) -> dict[str, Any]:
        try:
            result = store.search(asked)
        except QueryError as exc:
            return {"error": exc.one_line(), "result": None, "suggestions": [], "titles": {}}
        titles: dict[str, str] = {}
        if result.facets.get("story"):  # the story facet counts ids: show each story's title
            tables = store.corpus_tables()
            for story_id, _ in result.facets["story"]:
                row = tables.story(story_id)
                titles[story_id] = (row.title if row and row.title else None) or story_id
        suggestions: list[dict[str, Any]] = []
        if result.unknown:  # a filter named nothing: offer the names probably meant
            suggestions = [{"canonical": s} for u in result.unknown for s in u.suggestions]
        elif result.total == 0 and asked.query and len(asked.query) >= 2:
            suggestions = store.entities(prefix=asked.query, limit=5)
        return {"error": None, "result": result, "suggestions": suggestions, "titles": titles}

    found = await using_store(request, work)
    status = 400 if found["error"] else 200
    facet_links = {}
    result = found["result"]
    if result is not None:
        for name in _FACET_NAMES:
            items = list(result.facets.get(name, []))
            if name == "year":  # newest year first, as a time line reads
                items.sort(key=lambda vn: vn[0], reverse=True)
            labels = found["titles"] if name == "story" else {}
            facet_links[name] = [
                (labels.get(value, value), count, _facet_link(params, name, value))
                for value, count in items
            ]
    more = None
    if result is not None and result.next_cursor:
        more = "/search?" + urlencode({**params, "cursor": result.next_cursor})
    return _page(
        request,
        "search.html",
        status,
        params=params,
        facets=facet_links,
        more=more,
        **found,
    )


def _acting(store: Store, profile: Any) -> list[dict[str, Any]]:
    """Events whose actor or target is the entity (its name or a way it was written), from its
    newest stored articles (``profile.latest``), newest first, read as event rows: neither a
    search nor whole records, so the cost does not grow with the store or with how often the
    entity is named (the events table has no index on actors)."""
    if not profile.latest:
        return []
    names = {profile.canonical.casefold(), *(text.casefold() for text, _ in profile.aliases)}
    order = {article_id: n for n, article_id in enumerate(profile.latest)}
    rows = store.events(EventRequest(articles=tuple(order), limit=10_000))
    rows.sort(key=lambda row: order[row["article_id"]])  # stable: each article's own order
    return [
        row
        for row in rows
        if (row["actor"] or "").casefold() in names or (row["target"] or "").casefold() in names
    ]


@router.get("/entity/{key:path}")
async def entity(request: Request, key: str) -> HTMLResponse:
    def work(store: Store) -> tuple[Any, list[dict[str, Any]]]:
        profile = store.entity(key)
        if profile is None:
            return None, []
        return profile, _acting(store, profile)

    profile, events = await using_store(request, work)
    if profile is None:
        what = _tr(request)("no_entity", key=key)
        return _page(request, "missing.html", 404, what=what)
    from warta.web.chart import bar_chart

    chart = bar_chart(profile.by_month, _tr(request)("per_month"))
    wikidata = f"https://www.wikidata.org/wiki/{profile.id}" if _QID.fullmatch(profile.id) else None
    return _page(
        request, "entity.html", profile=profile, chart=chart, events=events, wikidata=wikidata
    )


@router.get("/outlets")
async def outlets(request: Request) -> HTMLResponse:
    rows = await using_store(request, lambda store: store.outlets())
    return _page(request, "outlets.html", outlets=rows)


@router.get("/stories")
async def stories(request: Request) -> HTMLResponse:
    def work(store: Store) -> list[Any]:
        try:
            return store.corpus_tables().stories(50)
        except WartaError:
            return []

    return _page(request, "stories.html", stories=await using_store(request, work))


@router.get("/story/{story_id}")
async def story(request: Request, story_id: str) -> HTMLResponse:
    from warta.corpus.stories import story_detail

    detail = await using_store(request, lambda store: story_detail(store, story_id))
    if detail is None:
        what = _tr(request)("no_story", key=story_id)
        return _page(request, "missing.html", 404, what=what)
    return _page(request, "story.html", story=detail)


@router.get("/trends")
async def trends(request: Request) -> HTMLResponse:
    from warta.corpus.trends import KINDS, WIB, series
    from warta.web.chart import line_chart

    asked = [w for w in request.query_params.getlist("what") if w.strip()]
    now = datetime.now(WIB)
    try:
        since = datetime.fromisoformat(
            request.query_params.get("since") or (now - timedelta(days=30)).date().isoformat()
        )
        until = datetime.fromisoformat(
            request.query_params.get("until") or (now + timedelta(days=1)).date().isoformat()
        )
    except ValueError:
        return _page(
            request,
            "trends.html",
            400,
            error=_tr(request)("bad_dates"),
            asked=asked,
            chart=None,
            series=[],
        )
    since = since if since.tzinfo else since.replace(tzinfo=WIB)
    until = until if until.tzinfo else until.replace(tzinfo=WIB)
    pairs = []
    for item in asked:
        kind, sep, key = item.partition(":")
        if not sep or kind not in KINDS or not key:
            return _page(
                request,
                "trends.html",
                400,
                error=_tr(request)("bad_what", item=repr(item), kinds=", ".join(KINDS)),
                asked=asked,
                chart=None,
                series=[],
            )
        pairs.append((kind, key))

    def work(store: Store) -> list[Any]:
        return [series(store, k, v, since=since, until=until) for k, v in pairs]

    try:
        found = await using_store(request, work)
    except WartaError as exc:
        return _page(
            request, "trends.html", 400, error=exc.one_line(), asked=asked, chart=None, series=[]
        )
    chart = line_chart(found) if found else None
    return _page(
        request,
        "trends.html",
        error=None,
        asked=asked,
        chart=chart,
        series=found,
        since=since.date(),
        until=until.date(),
    )


@router.get("/docs")
async def swagger_docs(request: Request) -> HTMLResponse:
    """Swagger UI over ``/openapi.json``, started by a script file (no inline script)."""
    return templates.TemplateResponse(request, "docs.html", {})


@router.get("/redoc")
async def redoc_docs(request: Request) -> HTMLResponse:
    """ReDoc over ``/openapi.json``, from the bundled standalone script."""
    return templates.TemplateResponse(request, "redoc.html", {})
