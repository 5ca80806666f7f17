"""The web path end to end: a real HTTP site crawled, its output extracted; a CC-NEWS-style
WARC extracted. Same Article, same cleaning as a text scrape."""

from __future__ import annotations

import json
from pathlib import Path

from sites import Reply, Site, serve

from warta.api import extract_paths
from warta.crawl.crawler import CrawlConfig, Crawler, Seeds
from warta.crawl.fetch import FetchLimits

PAGE = (Path(__file__).parent / "golden" / "html" / "kabar_palu.html").read_text(encoding="utf-8")


def test_crawl_then_extract(tmp_path: Path) -> None:
    site = Site()
    with serve(site):
        base = site.base
        site.add("/robots.txt", Reply(body=b"User-agent: *\nAllow: /\n", content_type="text/plain"))
        for i in range(3):
            site.add(f"/berita/{i}", Reply(body=PAGE.replace("5,4", f"5,{i}").encode()))
        config = CrawlConfig(
            frontier=tmp_path / "frontier.sqlite",
            output=tmp_path / "pages.jsonl",
            delay=0.0,
            allow_private=True,
            limits=FetchLimits(connect_timeout=2.0, read_timeout=2.0, total_timeout=5.0),
        )
        stats = Crawler(config).run(Seeds(urls=tuple(f"{base}/berita/{i}" for i in range(3))))
    assert stats.fetched == 3
    articles = list(extract_paths([str(tmp_path / "pages.jsonl")]))
    assert len(articles) == 3
    for a in articles:
        assert a.errors == [] and a.content_type == "text/html"
        assert a.url and a.url.startswith(base)
        assert a.title == "Gempa Guncang Palu, Warga Berhamburan ke Luar Rumah"
        assert a.published is not None and a.published.isoformat() == "2019-07-08T21:15:00+08:00"
        assert a.authors == ["Rahmawati Lamato"]
        assert "ADVERTISEMENT" not in a.body and "Berita Terkait" not in a.body
    record = json.loads((tmp_path / "pages.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert record["status"] == 200


def test_warc_then_extract(tmp_path: Path) -> None:
    import warcgen

    path = tmp_path / "cc-news.warc.gz"
    warcgen.write_crawl(path, 40, seed=7)
    articles = list(extract_paths([str(path)]))
    ok = [a for a in articles if not a.errors]
    assert ok, [a.errors for a in articles][:3]
    for a in ok:
        assert a.content_type in ("text/html", "text/plain")
        assert a.retrieved_at_kind == "fetched" and a.url
        assert a.body
