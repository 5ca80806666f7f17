"""The crawler against real HTTP fixture sites (tests/sites.py), no mocked HTTP."""

from __future__ import annotations

import dataclasses
import gzip
import json
import sqlite3
import time
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from sites import (
    Reply,
    Site,
    article,
    endless,
    gzip_bomb,
    http_date,
    news_sitemap,
    plain_sitemap,
    rss,
    serve,
    sitemap_index,
)

from warta.cli.crawl import crawl as crawl_command
from warta.cli.crawl import register
from warta.crawl.crawler import CrawlConfig, Crawler, CrawlStats, Seeds
from warta.crawl.fetch import USER_AGENT, Fetcher, FetchLimits
from warta.crawl.frontier import Frontier, FrontierBusy
from warta.readers.base import Page
from warta.readers.walk import iter_pages

FAST = FetchLimits(connect_timeout=2.0, read_timeout=2.0, total_timeout=5.0)


def run(
    tmp_path: Path, seeds: Seeds | None = None, *, fetcher: Fetcher | None = None, **options: Any
) -> CrawlStats:
    options.setdefault("delay", 0.0)
    options.setdefault("allow_private", True)
    options.setdefault("retry_wait", 0.05)
    options.setdefault("limits", FAST)
    config = CrawlConfig(
        frontier=tmp_path / "frontier.sqlite", output=tmp_path / "pages.jsonl", **options
    )
    return Crawler(config, fetcher=fetcher).run(seeds)


def records(tmp_path: Path) -> list[dict[str, Any]]:
    path = tmp_path / "pages.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def rows(tmp_path: Path) -> dict[str, dict[str, Any]]:
    db = sqlite3.connect(tmp_path / "frontier.sqlite")
    db.row_factory = sqlite3.Row
    try:
        return {row["url"]: dict(row) for row in db.execute("SELECT * FROM urls")}
    finally:
        db.close()


def written_urls(tmp_path: Path) -> list[str]:
    return [record["url"] for record in records(tmp_path)]


# -- robots.txt --------------------------------------------------------------------------


def test_robots_disallow_crawl_delay_and_cache(tmp_path: Path) -> None:
    site = Site()
    site.add(
        "/robots.txt",
        Reply(
            body=b"User-agent: *\nDisallow: /\n\n"
            b"User-agent: warta\nDisallow: /private/\nCrawl-delay: 0.25\n",
            content_type="text/plain",
        ),
    )
    for path in ("/a", "/b", "/c", "/private/x", "/d"):
        site.page(path, f"Halaman {path}")
    with serve(site):
        seeds = Seeds(urls=tuple(site.url(p) for p in ("/a", "/private/x", "/b", "/c")))
        stats = run(tmp_path, seeds, delay=0.01)
        assert stats.fetched == 3 and stats.robots == 1
        assert site.count("/private/x") == 0
        times = [hit.at for hit in site.hits]
        gaps = [later - earlier for earlier, later in zip(times, times[1:])]
        assert len(gaps) == 3 and min(gaps) >= 0.23, gaps  # Crawl-delay beats --delay
        assert rows(tmp_path)[site.url("/private/x")]["outcome"] == "robots"
        # A second run: robots.txt comes from the frontier, not the site.
        stats = run(tmp_path, Seeds(urls=(site.url("/d"),)), delay=0.01)
        assert stats.fetched == 1
        assert site.count("/robots.txt") == 1
        assert all(hit.headers["user-agent"] == USER_AGENT for hit in site.hits)


def test_robots_unavailable_blocks_the_host(tmp_path: Path) -> None:
    site = Site()
    site.add("/robots.txt", Reply(status=503, body=b"down"))
    site.page("/a", "A")
    with serve(site):
        stats = run(tmp_path, Seeds(urls=(site.url("/a"),)))
    assert stats.failed == {"robots_unavailable": 1}
    assert site.count("/a") == 0


# -- seeds: sitemaps and feeds -----------------------------------------------------------


def test_sitemap_index_from_robots_to_news_sitemap_to_pages(tmp_path: Path) -> None:
    site = Site()
    with serve(site):
        base = site.base
        pages = [f"/read/2024/05/06/berita-{i}" for i in range(4)]
        for path in pages:
            site.page(path, f"Berita {path[-1]}")
        site.add(
            "/robots.txt",
            Reply(body=f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap_index.xml\n".encode()),
        )
        site.add(
            "/sitemap_index.xml",
            Reply(
                body=sitemap_index([f"{base}/sitemaps/news.xml", f"{base}/sitemaps/old.xml.gz"]),
                content_type="application/xml",
            ),
        )
        news = [base + p for p in pages[:3]] + ["http://elsewhere.example/read/1"]
        site.add(
            "/sitemaps/news.xml", Reply(body=news_sitemap(news), content_type="application/xml")
        )
        old = [base + pages[3], base + pages[0] + "?utm_source=sitemap"]
        site.add(
            "/sitemaps/old.xml.gz",
            Reply(body=gzip.compress(plain_sitemap(old)), content_type="application/x-gzip"),
        )
        stats = run(tmp_path, Seeds(sites=(base,)))
        assert sorted(written_urls(tmp_path)) == sorted(base + p for p in pages)
        assert stats.fetched == 4 and not stats.failed
        assert all(site.count(p) == 1 for p in pages)
        state = rows(tmp_path)
        assert "http://elsewhere.example/read/1" not in state  # other domain: out of scope
        assert state[f"{base}/sitemaps/news.xml"]["kind"] == "sitemap"
        # Pages are done; the next run re-reads the sitemaps but fetches no page again.
        stats = run(tmp_path, Seeds(sites=(base,)))
        assert stats.fetched == 0
        assert site.count("/sitemaps/news.xml") == 2
        assert all(site.count(p) == 1 for p in pages)


def test_rss_feed_seeds_and_amp_variants(tmp_path: Path) -> None:
    site = Site()
    with serve(site):
        base = site.base
        site.page("/berita/1", "Satu")
        site.page("/berita/2", "Dua")
        items = [
            f"{base}/berita/1?utm_source=rss",
            f"{base}/amp/berita/1",
            f"{base}/berita/2#komentar",
            f"{base}/berita/2?amp=1",
        ]
        site.add("/rss", Reply(body=rss(items), content_type="application/rss+xml"))
        site.add("/feed-as-url", Reply(body=rss(items), content_type="text/xml"))
        stats = run(tmp_path, Seeds(feeds=(site.url("/rss"),), urls=(site.url("/feed-as-url"),)))
        assert sorted(written_urls(tmp_path)) == [f"{base}/berita/1", f"{base}/berita/2"]
        assert stats.documents == 2 and stats.fetched == 2
        assert rows(tmp_path)[site.url("/feed-as-url")]["kind"] == "feed"  # told by its body
        assert site.count("/berita/1") == 1 and site.count("/amp/berita/1") == 0


# -- redirects ---------------------------------------------------------------------------


def test_redirects_loops_and_limits(tmp_path: Path) -> None:
    site = Site()
    site.add("/old", Reply(status=301, headers={"Location": "/mid"}))
    site.add("/mid", Reply(status=302, headers={"Location": "new?x=1"}))
    site.page("/new", "Baru")
    site.add("/loop-a", Reply(status=301, headers={"Location": "/loop-b"}))
    site.add("/loop-b", Reply(status=307, headers={"Location": "/loop-a"}))
    for i in range(6):
        site.add(f"/hop/{i}", Reply(status=302, headers={"Location": f"/hop/{i + 1}"}))
    site.page("/hop/6", "Akhir")
    site.add("/nowhere", Reply(status=301))
    limits = dataclasses.replace(FAST, max_redirects=3)
    with serve(site):
        seeds = Seeds(
            urls=tuple(site.url(p) for p in ("/old", "/new?x=1", "/loop-a", "/hop/0", "/nowhere"))
        )
        stats = run(tmp_path, seeds, limits=limits)
        (record,) = records(tmp_path)
        assert record["url"] == site.url("/old")
        assert record["final_url"] == site.url("/new?x=1")
        assert site.count("/new?x=1") == 1  # the seed /new?x=1 was proved done by the redirect
        assert stats.failed == {"redirect_loop": 1, "too_many_redirects": 1, "bad_redirect": 1}
        assert site.count("/hop/4") == 0


# -- limits: time and size ---------------------------------------------------------------


def test_slow_and_dripping_responses_time_out(tmp_path: Path) -> None:
    site = Site()
    site.add("/slow", Reply(body=article("Lambat").encode(), delay=3.0))
    site.add("/drip", Reply(stream=lambda: iter([b"x"] * 100), drip=0.1))
    limits = FetchLimits(connect_timeout=1.0, read_timeout=0.4, total_timeout=0.8)
    with serve(site):
        started = time.monotonic()
        stats = run(
            tmp_path, Seeds(urls=(site.url("/slow"), site.url("/drip"))), limits=limits, retries=0
        )
        elapsed = time.monotonic() - started
    assert stats.failed == {"timeout": 2}
    assert elapsed < 3.0, elapsed  # not the 3 s delay plus the 10 s drip


def test_huge_bodies_are_cut_off(tmp_path: Path) -> None:
    site = Site()
    declared = 64 * 1024 * 1024
    site.add("/declared", Reply(body=b"x" * 1024, headers={"Content-Length": str(declared)}))
    site.add("/endless", Reply(stream=endless(), content_type="text/html"))
    site.page("/fine", "Kecil")
    limits = dataclasses.replace(FAST, max_bytes=256 * 1024)
    with serve(site):
        started = time.monotonic()
        urls = (site.url("/declared"), site.url("/endless"), site.url("/fine"))
        stats = run(tmp_path, Seeds(urls=urls), limits=limits)
        elapsed = time.monotonic() - started
    assert stats.failed == {"too_large": 2} and stats.fetched == 1
    assert elapsed < 3, elapsed


def test_gzip_bomb_is_cut_off_and_gzip_pages_decode(tmp_path: Path) -> None:
    site = Site()
    site.add("/bomb", Reply(body=gzip_bomb(), headers={"Content-Encoding": "gzip"}))
    page = article("Terkompresi", "Isi berita yang dikompresi dengan gzip.")
    site.add(
        "/zipped", Reply(body=gzip.compress(page.encode()), headers={"Content-Encoding": "gzip"})
    )
    limits = dataclasses.replace(FAST, max_bytes=1024 * 1024)
    with serve(site):
        stats = run(tmp_path, Seeds(urls=(site.url("/bomb"), site.url("/zipped"))), limits=limits)
    assert stats.failed == {"too_large": 1}
    (record,) = records(tmp_path)
    assert record["text"] == page and record["html"] == page


def test_wrong_charsets(tmp_path: Path) -> None:
    text = "Kopi – café, naïve; Rp 5.000"
    site = Site()
    site.add(
        "/says-latin1",
        Reply(body=article(text).encode(), content_type="text/html; charset=iso-8859-1"),
    )
    site.add(
        "/says-utf8",
        Reply(body=article(text).encode("cp1252"), content_type="text/html; charset=utf-8"),
    )
    meta = f"<html><head><meta charset='windows-1252'></head><body><p>{text}</p></body></html>"
    site.add("/meta", Reply(body=meta.encode("cp1252"), content_type="text/html"))
    with serve(site):
        urls = tuple(site.url(p) for p in ("/says-latin1", "/says-utf8", "/meta"))
        stats = run(tmp_path, Seeds(urls=urls))
    assert stats.fetched == 3
    by_path = {r["url"].rsplit("/", 1)[1]: r for r in records(tmp_path)}
    assert all(text in r["text"] for r in by_path.values())
    assert by_path["says-latin1"]["charset"] == "iso-8859-1"  # as declared, though wrong
    assert by_path["meta"]["charset"] == "windows-1252"
    assert by_path["meta"]["content_type"] == "text/html"


# -- errors ------------------------------------------------------------------------------


def test_404_and_500_fail_with_reason_and_are_not_retried_forever(tmp_path: Path) -> None:
    site = Site()
    site.add("/gone", Reply(status=404, body=b"not here"))
    site.add("/broken", Reply(status=500, body=b"oops"))
    site.add("/pdf", Reply(body=b"%PDF-1.4", content_type="application/pdf"))
    with serve(site):
        urls = (site.url("/gone"), site.url("/broken"), site.url("/pdf"))
        stats = run(tmp_path, Seeds(urls=urls), retries=1)
        assert stats.failed == {"http_404": 1, "http_500": 1, "unsupported_type": 1}
        assert site.count("/gone") == 1
        assert site.count("/broken") == 2  # one retry after a 5xx, then failed
        state = rows(tmp_path)
        assert state[site.url("/gone")]["state"] == "failed"
        assert state[site.url("/broken")]["outcome"] == "http_500"
        # A new run with the same seeds asks neither again; --retry-failed does.
        run(tmp_path, Seeds(urls=urls))
        assert site.count("/gone") == 1 and site.count("/broken") == 2
        run(tmp_path, Seeds(urls=urls), retry_failed=True, retries=0)
        assert site.count("/gone") == 2
    assert records(tmp_path) == []


# -- conditional GET ---------------------------------------------------------------------


def test_conditional_get_on_a_second_crawl(tmp_path: Path) -> None:
    site = Site()
    stamp = http_date(1_714_953_600)
    version = {"n": 1}
    site.add("/etag", Reply(body=article("E").encode(), etag='"v1"'))
    site.add("/lm", Reply(body=article("L").encode(), last_modified=stamp))
    site.add(
        "/changing",
        lambda _req: Reply(
            body=article(f"Versi {version['n']}").encode(), etag=f'"c{version["n"]}"'
        ),
    )
    with serve(site):
        urls = tuple(site.url(p) for p in ("/etag", "/lm", "/changing"))
        first = run(tmp_path, Seeds(urls=urls))
        assert first.fetched == 3
        version["n"] = 2
        second = run(tmp_path, Seeds(urls=urls), recrawl=True)
        assert (second.fetched, second.unchanged) == (1, 2)
        assert site.requests("/etag")[-1].headers["if-none-match"] == '"v1"'
        assert site.requests("/lm")[-1].headers["if-modified-since"] == stamp
        assert "if-none-match" not in site.requests("/etag")[0].headers
    written = written_urls(tmp_path)
    assert sorted(written) == sorted([*urls, site.url("/changing")])  # the new version only
    lm_record = next(r for r in records(tmp_path) if r["url"].endswith("/lm"))
    assert lm_record["last_modified"] == "2024-05-06T00:00:00+00:00"
    assert rows(tmp_path)[site.url("/etag")]["outcome"] == "unchanged"


# -- SSRF --------------------------------------------------------------------------------


def test_private_addresses_are_refused_without_allow_private(tmp_path: Path) -> None:
    site = Site()
    site.page("/a", "A")
    with serve(site):
        port = site.base.rsplit(":", 1)[1]
        urls = (site.url("/a"), f"http://localhost:{port}/a")
        stats = run(tmp_path, Seeds(urls=urls), allow_private=False)
    assert stats.failed == {"blocked_address": 2}
    assert site.hits == []  # not even robots.txt was asked


def test_redirect_target_address_is_checked_again(tmp_path: Path) -> None:
    site = Site()
    with serve(site):
        port = site.base.rsplit(":", 1)[1]
        site.add("/jump", Reply(status=302, headers={"Location": f"http://127.0.0.2:{port}/x"}))
        # Treat 127.0.0.1 as public for this test; 127.0.0.2 stays refused.
        fetcher = Fetcher(FAST, is_blocked=lambda ip: str(ip) == "127.0.0.2")
        stats = run(
            tmp_path, Seeds(urls=(site.url("/jump"),)), fetcher=fetcher, allow_private=False
        )
    assert stats.failed == {"blocked_address": 1}


# -- links, limits, resuming -------------------------------------------------------------


def test_follow_links_same_host_with_depth_limit(tmp_path: Path) -> None:
    other = Site()
    other.page("/x", "Lain")
    site = Site()
    with serve(site), serve(other):
        site.page("/", "Depan", links=["/a", "b?utm_campaign=x", other.url("/x"), "mailto:r@x.id"])
        site.page("/a", "A", links=["/c", "/"])
        site.page("/b", "B")
        site.page("/c", "C")
        stats = run(tmp_path, Seeds(urls=(site.url("/"),)), follow_links=True, max_depth=1)
        assert sorted(written_urls(tmp_path)) == sorted(site.url(p) for p in ("/", "/a", "/b"))
        assert stats.fetched == 3
        assert other.hits == [] and site.count("/c") == 0
        deeper = tmp_path / "deeper"
        deeper.mkdir()
        stats = run(deeper, Seeds(urls=(site.url("/"),)), follow_links=True, max_depth=2)
        assert stats.fetched == 4 and site.count("/c") == 1


def test_max_pages_then_resume(tmp_path: Path) -> None:
    site = Site()
    for i in range(10):
        site.page(f"/p/{i}", f"P{i}")
    with serve(site):
        urls = tuple(site.url(f"/p/{i}") for i in range(10))
        first = run(tmp_path, Seeds(urls=urls), max_pages=4)
        assert first.fetched == 4 and first.queued == 6 and not first.finished
        second = run(tmp_path, Seeds(urls=urls))
        assert second.resumed and second.fetched == 6 and second.finished
        assert all(site.count(f"/p/{i}") == 1 for i in range(10))
    assert sorted(written_urls(tmp_path)) == sorted(urls)


def test_resume_repairs_output_and_frontier(tmp_path: Path) -> None:
    site = Site()
    for i in range(4):
        site.page(f"/p/{i}", f"P{i}")
    with serve(site):
        urls = tuple(site.url(f"/p/{i}") for i in range(4))
        run(tmp_path, Seeds(urls=urls), max_pages=1)
        # As if a run died after writing /p/1 but before marking it done, and while
        # writing the next record (a torn last line), with /p/2 and /p/3 mid-request.
        out = tmp_path / "pages.jsonl"
        done = json.loads(out.read_text().splitlines()[0])
        with out.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps({**done, "url": urls[1], "final_url": urls[1]}) + "\n")
            handle.write('{"url": "' + urls[2] + '", "html": "<ht')
        db = sqlite3.connect(tmp_path / "frontier.sqlite")
        db.execute("UPDATE urls SET state = 'fetching' WHERE url IN (?, ?)", urls[2:])
        db.execute("UPDATE urls SET interrupts = 1 WHERE url = ?", (urls[3],))
        db.commit()
        db.close()
        stats = run(tmp_path, Seeds(urls=urls))
        assert stats.recovered == 1 and stats.fetched == 1
        assert site.count("/p/1") == 0  # recovered from the output, not fetched again
        assert site.count("/p/2") == 1
        assert site.count("/p/3") == 0  # interrupted twice: given up
    state = rows(tmp_path)
    assert state[urls[3]]["outcome"] == "interrupted"
    assert [state[u]["state"] for u in urls[:3]] == ["done"] * 3
    assert sorted(written_urls(tmp_path)) == sorted(urls[:3])  # torn line gone, none twice


def test_output_is_readable_by_warta(tmp_path: Path) -> None:
    site = Site()
    site.page("/a", "Judul berita")
    with serve(site):
        run(tmp_path, Seeds(urls=(site.url("/a"),)))
    (page,) = list(iter_pages([str(tmp_path / "pages.jsonl")]))
    assert isinstance(page, Page)
    assert page.url == site.url("/a") and page.text is not None and "Judul berita" in page.text
    record = records(tmp_path)[0]
    assert set(record) == {
        "url",
        "final_url",
        "status",
        "fetched_at",
        "content_type",
        "charset",
        "last_modified",
        "etag",
        "html",
        "text",
    }


def test_one_crawl_per_frontier(tmp_path: Path) -> None:
    with Frontier(tmp_path / "f.sqlite"), pytest.raises(FrontierBusy):
        Frontier(tmp_path / "f.sqlite")


def test_cli_crawl_and_register(tmp_path: Path) -> None:
    site = Site()
    site.page("/a", "A")
    site.add("/gone", Reply(status=404))
    seeds = tmp_path / "seeds.txt"
    with serve(site):
        seeds.write_text(f"# seeds\n{site.url('/a')}\n\n{site.url('/gone')}\nmailto:x@y\n")
        out = tmp_path / "out.jsonl"
        args = ["-o", str(out), "--urls", str(seeds), "--delay", "0", "--allow-private", "-q"]
        result = CliRunner().invoke(crawl_command, args)
    assert result.exit_code == 0, result.output
    assert (
        "warta crawl: 1 fetched, 0 unchanged, 1 failed (1 http_404), 0 skipped by robots"
        in result.stderr
    )
    assert "not a crawlable http(s) URL: mailto:x@y" in result.stderr
    assert (tmp_path / "out.jsonl.frontier.sqlite").exists()

    @click.group()
    def group() -> None:
        pass

    register(group)
    assert "crawl" in group.commands
    result = CliRunner().invoke(group, ["crawl", "-o", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 2 and "nothing to crawl" in result.output


# -- limits that hold across resumes and say so --------------------------------------------------


def test_max_pages_counts_across_resumes(tmp_path: Path) -> None:
    site = Site()
    for i in range(10):
        site.page(f"/p/{i}", f"P{i}")
    with serve(site):
        urls = tuple(site.url(f"/p/{i}") for i in range(10))
        config = CrawlConfig(
            frontier=tmp_path / "frontier.sqlite",
            output=tmp_path / "pages.jsonl",
            delay=0.0,
            allow_private=True,
            limits=FAST,
            max_pages=4,
        )
        crawler = Crawler(config)
        # interrupted after two pages, as a kill or Ctrl-C would
        crawler.progress = lambda stats, url: setattr(crawler, "stop", stats.fetched >= 2)
        first = crawler.run(Seeds(urls=urls))
        assert first.fetched == 2 and not first.finished
        second = run(tmp_path, Seeds(urls=urls), max_pages=4)
        assert second.resumed and second.attempted_before == 2
        assert second.fetched == 2 and second.limit_reached  # 4 in all, not 2 + 4
        assert "max-pages reached (4 pages this run)" in second.summary()
        third = run(tmp_path, Seeds(urls=urls), max_pages=4)
        assert third.fetched == 0 and third.limit_reached
        rest = run(tmp_path, Seeds(urls=urls))
        assert rest.fetched == 6 and rest.finished
        assert all(site.count(f"/p/{i}") == 1 for i in range(10))


def test_a_sitemap_cut_at_50000_urls_says_so(tmp_path: Path) -> None:
    site = Site()
    base = "http://example.invalid"  # out of scope: listed, never fetched
    site.add(
        "/big.xml",
        Reply(
            body=plain_sitemap(f"{base}/a/{i}" for i in range(50_010)),
            content_type="application/xml",
        ),
    )
    with serve(site):
        stats = run(tmp_path, Seeds(sitemaps=(site.url("/big.xml"),)))
    assert stats.documents == 1 and not stats.failed
    (warning,) = stats.warnings
    assert "more than 50,000 URLs" in warning and site.url("/big.xml") in warning
    assert "warning: sitemap" in stats.summary()


def test_a_gzip_sitemap_inflating_past_max_bytes_fails_alone(tmp_path: Path) -> None:
    site = Site()
    site.page("/p/1", "P1")
    bomb = gzip.compress(plain_sitemap([site.url("/p/1")]) + b" " * (4 * 1024 * 1024))
    site.add("/bomb.xml.gz", Reply(body=bomb, content_type="application/x-gzip"))
    site.add("/auto.xml.gz", Reply(body=bomb, content_type="application/octet-stream"))
    limits = dataclasses.replace(FAST, max_bytes=1024 * 1024)
    with serve(site):
        seeds = Seeds(
            urls=(site.url("/auto.xml.gz"), site.url("/p/1")), sitemaps=(site.url("/bomb.xml.gz"),)
        )
        stats = run(tmp_path, seeds, limits=limits)
        result = CliRunner().invoke(
            crawl_command,
            [
                "--sitemap",
                site.url("/bomb.xml.gz"),
                "--max-bytes",
                str(1024 * 1024),
                "--allow-private",
                "--delay",
                "0",
                "--frontier",
                str(tmp_path / "cli.sqlite"),
                "-o",
                str(tmp_path / "cli.jsonl"),
            ],
        )
    assert stats.fetched == 1 and stats.finished
    assert stats.failed == {"sitemap_too_large": 1, "too_large": 1}, stats.failed
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
