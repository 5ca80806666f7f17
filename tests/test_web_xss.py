"""121 cross-site scripting vectors (tests/xss_vectors.py) pushed through the whole pipeline into a
real SQLite store, then every page that shows them opened in a real browser (Debian's Chromium
through Playwright): no script runs, no dialog opens, no request leaves the origin.

Where the vectors go:
* JSON Lines records read and extracted by ``warta ingest``, one per vector: the vector is the
  record's URL and is in its title, author names, outlet, section, page text and in a furniture
  line the cleaner removes ("Baca juga: ..."), so it reaches the "what was removed" list;
* HTML pages, ten vectors a page: raw in the markup (title, meta author, canonical URL,
  paragraphs, attributes) and as visible text (escaped in the HTML, so the vector is the text);
* one malformed record, so a vector reaches the failures table;
* entity names, quote speakers, roles, affiliations and event actors, targets and places: these
  come from the language models, which cannot be steered to a chosen string, so records with
  these fields set to the vectors (ten to a record) are written through ``Store.put`` — the same
  store writes and the same pages as extracted articles.

The pages are opened twice: with the Content-Security-Policy bypassed (then escaping is the
only wall, and a vector that slipped through would run), and as served (the policy must refuse
nothing on the reader's own pages). After each page the DOM is audited: no script element, no
``on*`` attribute, no ``javascript:``/``data:``/``vbscript:`` link, no frame, object or base.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import pytest
from markupsafe import escape
from test_web_reader import _browser_or_skip, _free_port
from xss_vectors import VECTORS, batches

AUDIT = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    if (['script', 'iframe', 'frame', 'object', 'embed', 'base', 'applet'].includes(tag)
        && !(tag === 'script' && el.getAttribute('src') && el.getAttribute('src').startsWith('/static/')))
      bad.push('element ' + tag);
    if (tag === 'meta' && el.getAttribute('http-equiv')) bad.push('meta http-equiv');
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      const value = a.value.replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase();
      if (name.startsWith('on')) bad.push(tag + ' ' + name);
      if (name === 'style' || name === 'srcdoc' || name === 'formaction') bad.push(tag + ' ' + name);
      if (['href', 'src', 'action', 'xlink:href', 'data', 'poster', 'srcset'].includes(name)
          && /^(javascript|data|vbscript):/.test(value)) bad.push(tag + ' ' + name + '=' + value);
      if (['href', 'src', 'action'].includes(name) && /^(https?:)?\\/\\/evil/.test(value))
        bad.push(tag + ' ' + name + '=' + value);
    }
  }
  return bad;
}"""


def _text_record(n: int, vector: str) -> dict[str, Any]:
    text = (
        f"Berita uji {n} {vector}\n"
        "Selasa, 17 November 2015 09:30 WIB\n\n"
        f"JAKARTA, KOMPAS.com - Warga kota menulis {vector} di papan pengumuman balai desa "
        "pada Senin pagi, dan petugas membersihkannya sebelum siang.\n\n"
        f"Baca juga: {vector}\n\n"
        f'"Kami tidak tahu siapa yang menulis {vector} itu," kata Joko Widodo di Jakarta.\n\n'
        f"Paragraf terakhir menyebut {vector} sekali lagi untuk pencarian."
    )
    return {
        "url": vector,
        "title": f"Berita uji {n} {vector}",
        "authors": [vector, "Rina Sari"],
        "outlet": vector,
        "section": vector,
        "published": "2015-11-17T09:30:00+07:00",
        "text": text,
    }


def _html_page(n: int, group: list[str]) -> str:
    raw = "\n".join(f"<p>Paragraf {n}-{i}: {v} akhir paragraf.</p>" for i, v in enumerate(group))
    shown = "\n".join(f"<p>Teks {n}-{i}: {escape(v)} selesai.</p>" for i, v in enumerate(group))
    joined = " ".join(group)
    return f"""<!doctype html><html><head><meta charset="utf-8">
<title>Halaman uji {n} {escape(joined)}</title>
<meta name="author" content="{escape(group[0])}">
<meta property="og:title" content="Halaman uji {n} {escape(joined)}">
<link rel="canonical" href="{escape(group[-1])}">
</head><body><article><h1>Halaman uji {n} {joined}</h1>
<p class="byline">Penulis: {escape(group[1 % len(group)])}</p>
{raw}
{shown}
<p title="{escape(joined)}">Paragraf penutup yang cukup panjang untuk dianggap isi berita oleh pembersih halaman.</p>
</article></body></html>"""


def _annotated(base: Any, n: int, group: list[str]) -> Any:
    """``base`` (an extracted article) rewritten to carry ``group`` as entity names, speakers,
    roles, affiliations and event fields, with every span pointing at its text in the body."""
    from warta.core.record import Block, Event, Mention, Quote

    body_lines = [f"Nama uji {n}-{i}: {v} tamat." for i, v in enumerate(group)]
    body = "\n".join(body_lines)
    mentions, quotes, events, blocks = [], [], [], []
    pos = 0
    for i, (line, v) in enumerate(zip(body_lines, group, strict=True)):
        start = pos + line.index(v)
        end = start + len(v)
        kind = ("PERSON", "ORGANIZATION", "PLACE")[i % 3]
        mentions.append(Mention(start, end, v, kind, f"warta:xss:{n}:{i}:{v}", v))
        quotes.append(Quote(pos, pos + len(line), line, "direct", v, v, None, v, v))
        events.append(Event(pos, pos + len(line), "ACCUSE", "asserted", v, v, v, v, 0.9, v, line))
        blocks.append(Block(kind="paragraph", start=pos, end=pos + len(line)))
        pos += len(line) + 1
    return replace(
        base,
        id=f"xss-annotated-{n}",
        title=f"Catatan uji {n} " + " ".join(group),
        body=body,
        blocks=blocks,
        entities=mentions,
        quotes=quotes,
        events=events,
        times=[],
        keywords=[],
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    import uvicorn

    from warta.api import extract_text
    from warta.corpus.update import update_corpus
    from warta.run.ingest import ingest
    from warta.server.app import create_app
    from warta.store import open_store
    from warta.store.base import SearchRequest

    _browser_or_skip()
    folder = tmp_path_factory.mktemp("xss")
    pages = folder / "pages"
    pages.mkdir()
    with (pages / "records.jsonl").open("w", encoding="utf-8") as out:
        for n, vector in enumerate(VECTORS):
            out.write(json.dumps(_text_record(n, vector)) + "\n")
        bad = {"text": "Teks yang cukup.", "language": VECTORS[0], "title": VECTORS[1]}
        out.write(json.dumps(bad) + "\n")
    groups = batches(10)
    for n, group in enumerate(groups):
        (pages / f"page{n:02d}.html").write_text(_html_page(n, group), encoding="utf-8")
    db = str(folder / "warta.db")
    base = extract_text(_text_record(0, "apa saja")["text"], source="xss-base")
    with open_store(db) as store:
        ingest([str(pages)], store)
        for n, group in enumerate(groups):
            store.put(_annotated(base, n, group))
        update_corpus(store)
        ids: list[str] = []
        cursor = None
        while True:
            found = store.search(SearchRequest(sort="date", limit=100, cursor=cursor))
            ids += [h.id for h in found.hits]
            cursor = found.next_cursor
            if cursor is None:
                break
        stories = [s.id for s in store.corpus_tables().stories(5)]
        failures = store.failures()
    assert len(ids) >= len(VECTORS) + len(groups), len(ids)
    assert failures, "the malformed record should be a failure"
    port = _free_port()
    srv = uvicorn.Server(
        uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "the server did not start"
    yield {"base": f"http://127.0.0.1:{port}", "ids": ids, "stories": stories, "groups": groups}
    srv.should_exit = True
    thread.join(timeout=10)


def _paths(site: dict[str, Any]) -> list[str]:
    groups: list[list[str]] = site["groups"]
    paths = ["/", "/outlets", "/stories", "/trends?" + urlencode({"what": "entity:" + VECTORS[0]})]
    paths += [f"/read/{i}" for i in site["ids"]]
    paths += [f"/story/{s}" for s in site["stories"]]
    for n, group in enumerate(groups):
        paths += [
            "/entity/" + quote(f"warta:xss:{n}:{i}:{v}", safe="") for i, v in enumerate(group)
        ][:2]
        paths.append("/search?" + urlencode({"q": " ".join(group)[:400]}))
        paths.append("/search?" + urlencode({"entity": f"warta:xss:{n}:0:{group[0]}"}))
    paths += ["/search?" + urlencode({"q": q}) for q in ("uji", "Paragraf", "Nama uji", "alert")]
    paths.append("/search?" + urlencode({"q": "uji", "sort": "date", "outlet": VECTORS[5]}))
    return paths


def _visit(browser: Any, base: str, paths: list[str], *, bypass_csp: bool) -> dict[str, list[str]]:
    from playwright.sync_api import Error as PlaywrightError

    context = browser.new_context(bypass_csp=bypass_csp, java_script_enabled=True)
    page = context.new_page()
    seen: dict[str, list[str]] = {"dialogs": [], "offsite": [], "refused": [], "dom": []}

    def on_dialog(dialog: Any) -> None:
        seen["dialogs"].append(f"{dialog.type}: {dialog.message} on {page.url}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    host = urlsplit(base).netloc
    page.on(
        "request",
        lambda r: (
            seen["offsite"].append(r.url)
            if not r.url.startswith(("data:", "about:", "blob:")) and urlsplit(r.url).netloc != host
            else None
        ),
    )
    page.on(
        "console",
        lambda m: seen["refused"].append(m.text) if "Content Security Policy" in m.text else None,
    )
    for path in paths:
        try:
            response = page.goto(base + path, wait_until="load")
            assert response is not None and response.status in (200, 400, 404), (path, response)
            problems = page.evaluate(AUDIT)
        except PlaywrightError as exc:  # the page navigated itself away: something ran
            problems = [f"the page did not stay put ({exc.message.splitlines()[0]})"]
        if urlsplit(page.url).path != urlsplit(base + path).path:
            problems.append(f"the page moved to {page.url}")
        seen["dom"] += [f"{path}: {problem}" for problem in problems]
    page.wait_for_timeout(300)  # timers a vector might have set
    context.close()
    return seen


@pytest.fixture(scope="module")
def browser(site: dict[str, Any]) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=_browser_or_skip(),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
        )
        yield b
        b.close()


def test_the_vectors_reached_the_pages(site: dict[str, Any]) -> None:
    """The test is only worth something if the vectors are shown: spot-check that they are, as
    text, on the pages the browser then audits."""
    import httpx

    base = site["base"]
    article = httpx.get(f"{base}/read/{site['ids'][0]}").text
    listing = httpx.get(f"{base}/search", params={"q": "uji", "sort": "date"}).text
    shown = 0
    for vector in VECTORS:
        if str(escape(vector)) in article or str(escape(vector)) in listing:
            shown += 1
    assert shown >= 1
    outlets = httpx.get(f"{base}/outlets").text
    assert sum(str(escape(v)) in outlets for v in VECTORS) >= 100  # each vector, as an outlet
    entity = httpx.get(f"{base}/entity/" + quote("warta:xss:0:0:" + VECTORS[0], safe="")).text
    assert str(escape(VECTORS[0])) in entity


def test_no_vector_runs_with_escaping_as_the_only_wall(browser: Any, site: dict[str, Any]) -> None:
    seen = _visit(browser, site["base"], _paths(site), bypass_csp=True)
    assert seen["dialogs"] == []
    assert seen["offsite"] == []
    assert seen["dom"] == []


def test_the_policy_refuses_nothing_on_the_served_pages(browser: Any, site: dict[str, Any]) -> None:
    paths = _paths(site)
    seen = _visit(browser, site["base"], paths[:4] + paths[-6:], bypass_csp=False)
    assert seen == {"dialogs": [], "offsite": [], "refused": [], "dom": []}
