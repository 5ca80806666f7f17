"""The web reader in a real browser (Debian's Chromium driven by Playwright) against `warta
serve`'s app on a real SQLite store filled with the seed page, an edited copy and the samples.

Skips, saying why, where no Chromium is installed (a user's machine); `.ci/run` installs it and
sets WARTA_REQUIRE_BROWSER=1, which turns the skip into a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from conftest import require_shared

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ROOT = Path(__file__).resolve().parents[1]


def _browser_or_skip() -> str:
    if CHROMIUM is None:
        if os.environ.get("WARTA_REQUIRE_BROWSER"):
            pytest.fail("WARTA_REQUIRE_BROWSER is set but no chromium is installed")
        pytest.skip("no chromium on this machine (apt-get install chromium): browser tests skipped")
    return CHROMIUM


STORED: dict[str, str] = {}
TRICKY = 'Ani & <Budi> 👩‍👩‍👧 bertemu Zoë (Zoe\u0308) di 🇮🇩 Bandung\u0301 pada Senin.\nKata "<script>" & &amp; lagi.'


def _tricky_article() -> Any:
    """An article whose body mixes markup characters, joined emoji, a flag and combining marks,
    with entity and time spans over them (stored as written: the browser check reads it back)."""
    from warta.core.record import Article, Block, Mention, TimeExpression

    body = TRICKY
    line = body.index("\n")

    def at(text: str) -> tuple[int, int]:
        start = body.index(text)
        return start, start + len(text)

    mentions = []
    for text, kind in (
        ("Ani", "PERSON"),
        ("<Budi>", "PERSON"),
        ("Zoe\u0308", "PERSON"),
        ("🇮🇩 Bandung\u0301", "PLACE"),
        ('"<script>"', "ORGANIZATION"),
    ):
        a, b = at(text)
        mentions.append(Mention(a, b, text, kind, f"warta:{kind}:{text}", text))
    a, b = at("Senin")
    return Article(
        source="tricky",
        id="highlight-check",
        title="Highlight <check> & 😀",
        body=body,
        blocks=[Block("paragraph", 0, line), Block("heading", line + 1, len(body))],
        entities=mentions,
        times=[TimeExpression(a, b, "Senin", "2015-11-16")],
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from warta.corpus.update import update_corpus
    from warta.run.ingest import ingest
    from warta.server.app import create_app
    from warta.store import open_store

    _browser_or_skip()
    folder = tmp_path_factory.mktemp("reader")
    seed = require_shared("seed", "000_e34af48cd88e996e.txt").read_text(encoding="utf-8")
    (folder / "seed.txt").write_text(seed, encoding="utf-8")
    (folder / "copy.txt").write_text("Ikuti kami di Instagram\n" + seed, encoding="utf-8")
    db = str(folder / "warta.db")
    with open_store(db) as store:
        ingest(
            [
                str(folder / "seed.txt"),
                str(folder / "copy.txt"),
                str(ROOT / "src" / "warta" / "samples"),
            ],
            store,
        )
        update_corpus(store)
        store.put(_tricky_article())
    STORED["db"] = db
    port = _free_port()
    config = uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=_browser_or_skip(),
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


#: what a screenshot holds, read back in a blank page of the same browser (no image library
#: needed): how many colours, and the share of pixels unlike the most common one (the background)
PIXELS = """async (src) => {
  const img = new Image();
  img.src = src;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = img.width;
  canvas.height = img.height;
  const g = canvas.getContext('2d');
  g.drawImage(img, 0, 0);
  const d = g.getImageData(0, 0, canvas.width, canvas.height).data;
  const counts = new Map();
  for (let i = 0; i < d.length; i += 4) {
    const k = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
    counts.set(k, (counts.get(k) || 0) + 1);
  }
  let top = 0;
  for (const n of counts.values()) top = Math.max(top, n);
  return {colours: counts.size, inked: 1 - top / (d.length / 4), width: img.width};
}"""


@pytest.fixture(scope="module")
def looker(browser: Any) -> Iterator[Any]:
    """A blank page (no Content-Security-Policy of the reader's) that reads screenshots."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


def assert_not_blank(page: Any, looker: Any, what: str) -> None:
    """A screenshot of ``page`` as shown shows something: text and colour, not one flat colour."""
    import base64

    png = page.screenshot(full_page=False)
    seen = looker.evaluate(PIXELS, "data:image/png;base64," + base64.b64encode(png).decode())
    assert seen["width"] > 0, what
    assert seen["colours"] >= 16 and seen["inked"] >= 0.01, (what, seen)


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context()
    pg = context.new_page()
    pg.requested = []
    pg.on("request", lambda r: pg.requested.append(r.url))
    pg.refused = []  # asked for, but stopped in the browser by the Content-Security-Policy
    pg.on(
        "requestfailed",
        lambda r: (
            pg.refused.append(r.url)
            if (r.failure or "") in ("csp", "net::ERR_BLOCKED_BY_CSP")
            else None
        ),
    )
    pg.blocked = []  # what the Content-Security-Policy refused: the reader needs none of it
    pg.on(
        "console",
        lambda m: pg.blocked.append(m.text) if "Content Security Policy" in m.text else None,
    )
    yield pg
    assert pg.blocked == []
    # nothing the reader shows is loaded from another origin
    sent = [u for u in pg.requested if u not in pg.refused]
    origins = {urlsplit(u).netloc for u in sent if not u.startswith(("data:", "about:", "blob:"))}
    assert origins <= {urlsplit(server).netloc}, origins
    context.close()


def test_front_page_to_article_to_entity(page: Any, server: str, looker: Any) -> None:
    page.goto(server + "/")
    assert page.title().endswith("warta reader")
    page.locator("text=Latest").wait_for()
    links = page.locator("article.hit a.title")
    assert links.count() >= 3
    assert_not_blank(page, looker, "home")
    page.locator("article.hit a.title", has_text="Banjir Rob").click()
    page.wait_for_url("**/read/**")
    assert page.locator("h1").inner_text().startswith("Banjir Rob Rendam Pesisir Makassar")
    assert (
        "WIB" in page.locator(".meta time").inner_text()
        or "WITA" in page.locator(".meta time").inner_text()
    )
    places = page.locator(".body a.ent.plc")
    assert places.count() >= 1
    assert_not_blank(page, looker, "article")
    name = places.first.inner_text()
    places.first.click()
    page.wait_for_url("**/entity/**")
    assert page.locator("h1").inner_text().startswith(page.locator("h1").inner_text().split(" ")[0])
    assert "mentions in" in page.locator("p.meta").inner_text(), name
    assert page.locator("svg.chart rect.bar").count() >= 1  # mentions by month, drawn here
    page.locator("svg.chart").scroll_into_view_if_needed()
    assert_not_blank(page, looker, "entity")


def test_article_shows_quotes_events_and_what_was_removed(page: Any, server: str) -> None:
    page.goto(server + "/search?q=Putin")
    page.locator("article.hit a.title").first.click()
    page.wait_for_url("**/read/**")
    assert page.locator(".quotes li .speaker", has_text="Barack Obama").count() >= 1
    assert page.locator(".events li b").count() >= 3
    removed = page.locator("details.removed li", has_text="Baca berita tanpa iklan")
    assert not removed.first.is_visible()  # folded until asked for
    page.locator("details.removed summary").click()
    assert removed.first.is_visible()
    assert page.locator("details.removed .label").first.inner_text()
    times = page.locator(".body .time")
    assert times.count() >= 1 and times.first.get_attribute("title")
    assert page.locator("aside", has_text="Copies").count() == 1  # the seed's copy is listed
    assert page.locator("aside a", has_text="a story").count() == 1


def test_search_highlights_facets_and_says_why_when_empty(
    page: Any, server: str, looker: Any
) -> None:
    page.goto(server + "/")
    page.fill("form.q input[name=q]", "Rusia")
    page.press("form.q input[name=q]", "Enter")
    page.wait_for_url("**/search?q=Rusia**")
    assert page.locator("p.count").inner_text().split()[0] != "0"
    assert page.locator(".snippet mark").count() >= 1
    assert page.locator(".facets h2", has_text="outlet").count() == 1
    assert_not_blank(page, looker, "search")
    page.locator(".facets a", has_text="Kompas.com").first.click()
    assert "outlet=Kompas.com" in page.url
    assert_not_blank(page, looker, "search with a facet applied")
    page.goto(server + "/search?q=Rusia")  # the year facet narrows to that year's dates
    year = page.locator(".facets h2[data-facet=year] + ul a").first
    label = year.inner_text()
    year.click()
    page.wait_for_url(f"**since={label}-01-01**")
    assert f"until={label}-12-31" in page.url
    assert page.locator("article.hit").count() >= 1
    assert all(label in m for m in page.locator("article.hit .meta").all_inner_texts())
    page.goto(server + "/search?q=qwertyzzz")
    assert "Nothing matches" in page.locator(".empty").inner_text()
    response = page.goto(server + "/search?q=%22unbalanced")
    assert response.status == 400
    assert "Search failed" in page.locator(".error").inner_text()


def test_stories_trends_outlets_and_offline_api_docs(page: Any, server: str) -> None:
    page.goto(server + "/stories")
    page.locator("ul.stories a").first.click()
    page.wait_for_url("**/story/**")
    assert page.locator("ol.timeline li").count() >= 1
    page.goto(server + "/trends?what=outlet:Kompas.com&since=2015-11-10&until=2015-11-25")
    assert page.locator("svg.chart polyline").count() == 1
    page.goto(server + "/trends?what=colour:x")
    assert "KIND:KEY" in page.locator(".error").inner_text()
    page.goto(server + "/outlets")
    assert page.locator("ul.outlets li").count() >= 3
    page.goto(server + "/docs")
    page.locator(".swagger-ui .info .title").wait_for(timeout=15000)
    assert "warta" in page.locator(".swagger-ui .info .title").inner_text()
    page.goto(server + "/redoc")
    page.locator(".api-info h1").wait_for(timeout=20000)
    assert "warta" in page.locator(".api-info h1").inner_text()
    assert page.get_by_text("/v1/search").count() >= 1
    # ReDoc's bundle always asks for its maker's logo from a CDN; the policy refuses it (the
    # bundle then hides the image), which is the policy doing its job: nothing else is refused
    assert all("cdn.redoc.ly/redoc/logo-mini.svg" in m for m in page.blocked), page.blocked
    page.blocked.clear()
    assert page.goto(server + "/read/nothing-here").status == 404


MARKS = """() => [...document.querySelectorAll('.body > *')].map(block => ({
  id: block.id,
  text: block.textContent,
  marks: [...block.querySelectorAll('a.ent, span.time')].map(mark => {
    const before = document.createRange();
    before.setStart(block, 0);
    before.setEndBefore(mark);
    return {before: before.toString(), text: mark.textContent, cls: mark.className,
            href: mark.getAttribute('href')};
  }),
}))"""


@pytest.mark.parametrize("which", ["tricky", "seed"])
def test_highlights_in_the_browser_are_exactly_the_stored_spans(
    page: Any, server: str, which: str
) -> None:
    from warta.store import open_store
    from warta.store.base import SearchRequest

    with open_store(STORED["db"]) as store:
        if which == "tricky":
            article = store.get("highlight-check")
        else:
            hit = store.search(SearchRequest(query="Putin", limit=1)).hits[0]
            article = store.get(hit.id)
    assert article is not None and article.entities
    page.goto(f"{server}/read/{article.id}")
    shown = page.evaluate(MARKS)
    assert [b["id"] for b in shown] == [f"b{blk.start}" for blk in article.blocks]
    placed = []
    for block, blk in zip(shown, article.blocks, strict=True):
        assert block["text"] == article.body[blk.start : blk.end]
        for mark in block["marks"]:
            start = blk.start + len(mark["before"])  # the same count in code points
            end = start + len(mark["text"])
            assert article.body[start:end] == mark["text"]
            placed.append((start, end, mark["cls"].split()[0], mark["href"]))
    entities = {(m.start, m.end) for m in article.entities}
    times = {(t.start, t.end) for t in article.times}
    for start, end, cls, href in placed:
        assert (start, end) in (entities if cls == "ent" else times), (start, end, cls)
        if cls == "ent":
            mention = next(m for m in article.entities if (m.start, m.end) == (start, end))
            assert unquote(href.removeprefix("/entity/")) == (
                mention.entity_id or mention.canonical
            )
    # every entity span that overlaps no earlier one is shown (times yield to entities)
    ents = sorted(entities)
    kept = [ents[0]] + [e for p, e in zip(ents, ents[1:], strict=False) if e[0] >= p[1]]
    assert {(s, e) for s, e, c, _ in placed if c == "ent"} >= {
        e for e in kept if any(b.start <= e[0] and e[1] <= b.end for b in article.blocks)
    }
    quotes = page.locator(".quotes li q").all_inner_texts()
    assert quotes == [q.text for q in article.quotes] or not article.quotes
    for q in article.quotes:
        assert article.body[q.start : q.end] == q.text


def test_home_panels_and_the_outlet_page(page: Any, server: str) -> None:
    page.goto(server + "/?lang=en")
    assert page.locator("h2", has_text="Rising").count() == 1
    assert page.locator("ul.named-week li a").count() >= 1  # named in the newest week
    assert "last run" in page.locator("p.ingest").inner_text()
    page.locator("article.hit .meta a", has_text="Kompas.com").first.click()
    page.wait_for_url("**/outlet/**")
    assert page.locator("h1").inner_text() == "Kompas.com"
    assert page.locator("svg.chart rect.bar").count() >= 1  # articles per day
    assert page.locator("ul.named li a").count() >= 1
    assert page.locator("ul.sections li").count() >= 1
    assert page.goto(server + "/outlet/No Such Outlet").status == 404


def test_language_follows_the_browser_and_switches(browser: Any, server: str) -> None:
    context = browser.new_context(locale="id-ID")
    pg = context.new_page()
    pg.goto(server + "/")
    assert pg.locator("html").get_attribute("lang") == "id"
    assert pg.locator("h1").inner_text() == "Terbaru"
    pg.locator("nav.lang a", has_text="EN").click()
    pg.wait_for_url("**lang=en")
    assert pg.locator("h1").inner_text() == "Latest"
    pg.goto(server + "/outlets")  # the choice holds (a cookie), against the browser's language
    assert pg.locator("h1").inner_text() == "Outlets"
    pg.locator("nav.lang a", has_text="ID").click()
    pg.wait_for_url("**lang=id")
    assert pg.locator("h1").inner_text() == "Media"
    context.close()


def test_readable_at_phone_width_and_by_keyboard(browser: Any, server: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-US")
    pg = context.new_page()
    for path in ("/", "/search?q=Rusia", "/read/highlight-check", "/outlets", "/stories"):
        pg.goto(server + path)
        width = pg.evaluate("document.documentElement.scrollWidth")
        assert width <= 361, (path, width)  # no sideways scrolling
    pg.goto(server + "/")
    pg.keyboard.press("Tab")  # the first stop skips to the content
    assert pg.evaluate("document.activeElement.className") == "skip"
    pg.keyboard.press("Enter")
    assert pg.url.endswith("#main")
    context.close()


def test_the_screenshot_check_sees_a_blank_page(browser: Any) -> None:
    context = browser.new_context()
    blank, looker = context.new_page(), context.new_page()
    blank.set_content("<html><body style='background:#fff'></body></html>")
    with pytest.raises(AssertionError):
        assert_not_blank(blank, looker, "a blank page")
    text = "<p style='color:#036'>Banjir rob merendam pesisir Makassar pada Senin pagi.</p>" * 20
    blank.set_content(f"<html><body><h1>warta</h1>{text}</body></html>")
    assert_not_blank(blank, looker, "a page with a heading")
    context.close()


@pytest.mark.parametrize("zone", ["Europe/Berlin", "Asia/Jakarta"])
def test_the_publish_time_also_in_the_readers_own_zone(
    browser: Any, server: str, zone: str
) -> None:
    """The server writes WIB; the article page's one script adds the same moment in the
    browser's zone, and only where that zone is not WIB."""
    from zoneinfo import ZoneInfo

    from warta.store import open_store
    from warta.store.base import SearchRequest

    with open_store(STORED["db"]) as store:
        hit = store.search(SearchRequest(query="Putin", limit=1)).hits[0]
    assert hit.published is not None
    context = browser.new_context(timezone_id=zone, locale="en-US")
    pg = context.new_page()
    pg.goto(f"{server}/read/{hit.id}")
    assert "WIB" in pg.locator(".meta time").inner_text()
    local = pg.locator(".meta .local-time")
    if zone == "Asia/Jakarta":
        pg.wait_for_load_state("load")
        assert local.count() == 0
    else:
        there = hit.published.astimezone(ZoneInfo(zone))
        text = local.inner_text()
        assert zone.replace("_", " ") in text and there.strftime("%H:%M") in text, text
        assert str(there.day) in text and str(there.year) in text, text
    context.close()
