"""The crawl loop: seeds in, one JSON line per fetched page out, politely and resumably.

One URL at a time, from whichever host's turn has come (``--delay`` after its previous
request, or robots.txt's Crawl-delay when that is longer). For each URL:

1. robots.txt of its origin, fetched once and cached in the frontier for a day
   (4xx: no rules; 5xx or unreachable: nothing may be fetched, ``robots_unavailable``);
2. ``queued → fetching`` committed, then the request (conditional when an ETag or
   Last-Modified is known);
3. a page is appended to the output and fsynced, *then* the frontier marks it done (with
   the links it found); a feed or sitemap adds its entries and is marked done in one
   transaction. A kill between the two steps is repaired on resume from the output.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any

from protego import Protego

from warta.crawl.fetch import (
    TRANSIENT_STATUSES,
    USER_AGENT,
    Fetcher,
    FetchError,
    FetchLimits,
    FetchResult,
    inflate_bounded,
)
from warta.crawl.frontier import (
    Frontier,
    NewUrl,
    QueuedUrl,
    http_date_to_iso,
)
from warta.crawl.urls import normalize_url, origin_of, registered_domain, same_site

__all__ = ["CrawlConfig", "CrawlStats", "Crawler", "Seeds", "decode_body", "extract_links"]

ROBOTS_MAX_BYTES = 512 * 1024
_ROBOTS_RETRY = 600.0  # an unavailable robots.txt is asked again after ten minutes
_MAX_LINKS = 1000
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
_XML_HINTS = ("xml", "rss", "atom", "gzip", "octet-stream")
_XML_STARTS = (b"<?xml", b"<rss", b"<feed", b"<urlset", b"<sitemapindex", b"<rdf", b"\x1f\x8b")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
# WHATWG: these labels mean windows-1252 on the web.
_AS_CP1252 = frozenset({"iso-8859-1", "iso8859-1", "latin-1", "latin1", "us-ascii", "ascii"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class CrawlConfig:
    frontier: Path
    output: Path
    delay: float = 1.0
    max_pages: int | None = None
    limits: FetchLimits = field(default_factory=FetchLimits)
    allow_private: bool = False
    follow_links: bool = False
    max_depth: int = 1
    scope: str = "host"
    """host: links on the page's host, feed/sitemap entries on its site's domain;
    domain: links anywhere on the same registered domain too; any: no limit."""
    recrawl: bool = False
    retry_failed: bool = False
    retries: int = 1
    """Extra attempts for transient failures (timeouts, 5xx, 429, network errors)."""
    retry_wait: float = 30.0
    robots_ttl: float = 86400.0
    user_agent: str = USER_AGENT


@dataclass(frozen=True, slots=True)
class Seeds:
    """Where to start: URLs (page, feed or sitemap, told apart by the answer), feeds,
    sitemaps (or sitemap indexes), and sites whose robots.txt lists their sitemaps."""

    urls: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.urls or self.feeds or self.sitemaps or self.sites)


@dataclass(slots=True)
class CrawlStats:
    fetched: int = 0
    unchanged: int = 0
    failed: Counter[str] = field(default_factory=Counter)
    robots: int = 0
    duplicates: int = 0
    documents: int = 0
    discovered: int = 0
    retried: int = 0
    recovered: int = 0
    attempted: int = 0
    resumed: bool = False
    finished: bool = False
    interrupted: bool = False
    queued: int = 0
    bad_seeds: list[str] = field(default_factory=list)
    #: pages requested by earlier processes of a resumed run (they count for ``max_pages``)
    attempted_before: int = 0
    limit_reached: bool = False
    #: what the user should know although nothing failed (a sitemap cut at its URL limit)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        failed = sum(self.failed.values())
        reasons = ", ".join(f"{n} {reason}" for reason, n in sorted(self.failed.items()))
        parts = [
            f"{self.fetched} fetched",
            f"{self.unchanged} unchanged",
            f"{failed} failed" + (f" ({reasons})" if reasons else ""),
            f"{self.robots} skipped by robots",
        ]
        if self.duplicates:
            parts.append(f"{self.duplicates} duplicates")
        tail = f"{self.queued} still queued" if self.queued else "frontier empty"
        if self.limit_reached:
            tail += f", max-pages reached ({self.attempted_before + self.attempted} pages this run)"
        if self.interrupted:
            tail += ", interrupted"
        warnings = "".join(f"\nwarta crawl: warning: {w}" for w in self.warnings)
        return "warta crawl: " + ", ".join(parts) + f"; {tail}" + warnings


@dataclass(slots=True)
class _Robots:
    parser: Protego | None
    unavailable: bool = False

    def allows(self, url: str) -> bool:
        if self.unavailable:
            return False
        return self.parser is None or self.parser.can_fetch(url, "warta")

    def delay(self) -> float:
        if self.parser is None:
            return 0.0
        value = self.parser.crawl_delay("warta")
        return float(value) if value else 0.0


class _Blocked(Exception):
    """The origin itself cannot be asked (its address is refused)."""

    def __init__(self, error: FetchError) -> None:
        super().__init__(error.message)
        self.error = error


class Crawler:
    """Run a crawl: ``Crawler(config).run(seeds)`` returns the statistics."""

    def __init__(
        self,
        config: CrawlConfig,
        *,
        fetcher: Fetcher | None = None,
        progress: Callable[[CrawlStats, str], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config
        self.fetcher = fetcher or Fetcher(
            config.limits, user_agent=config.user_agent, allow_private=config.allow_private
        )
        self.progress = progress
        self.stats = CrawlStats()
        self._sleep = sleep
        self._robots: dict[str, _Robots] = {}
        self._frontier: Frontier | None = None
        self._out: IO[bytes] | None = None
        self._out_key = str(Path(config.output).resolve())
        self.stop = False

    # -- the loop ----------------------------------------------------------------------

    def run(self, seeds: Seeds | None = None) -> CrawlStats:
        """Crawl until the frontier is empty, ``max_pages`` is reached, or ``stop`` is set."""
        config = self.config
        seeds = seeds or Seeds()
        with Frontier(config.frontier) as frontier:
            self._frontier = frontier
            try:
                discover = self._recovered_links if config.follow_links else None
                self.stats.recovered = frontier.reconcile_output(config.output, discover=discover)
                self.stats.resumed = frontier.begin_run(
                    recrawl=config.recrawl, retry_failed=config.retry_failed
                )
                if self.stats.resumed:  # --max-pages counts the whole run, across resumes
                    self.stats.attempted_before = frontier.attempted()
                self._add_seeds(frontier, seeds)
                self._out = _open_output(config.output)
                self._loop(frontier)
            finally:
                if self._out is not None:
                    self._out.close()
                    self._out = None
                self.fetcher.close()
                self.stats.queued = sum(
                    n for state, n in frontier.counts().items() if state in ("queued", "fetching")
                )
                self._frontier = None
        return self.stats

    def _loop(self, frontier: Frontier) -> None:
        claimed: QueuedUrl | None = None
        try:
            while not self.stop:
                now = time.time()
                item = frontier.next_ready(now)
                if item is None:
                    wake = frontier.next_wake(now)
                    if wake is None:
                        frontier.finish_run()
                        self.stats.finished = True
                        return
                    self._sleep(min(max(wake - now, 0.002), 0.5))
                    continue
                if item.kind in ("page", "auto") and self._limit_reached():
                    return
                claimed = item
                try:
                    self._process(frontier, item)
                except Exception:  # noqa: BLE001 - one URL must never end the crawl
                    # (a frontier that cannot record this fails again here, and ends it)
                    self._fail(frontier, item, "crawl_error")
                claimed = None
                if self.progress is not None:
                    self.progress(self.stats, item.url)
        except KeyboardInterrupt:
            if claimed is not None:
                frontier.release(claimed)
            self.stats.interrupted = True

    def _limit_reached(self) -> bool:
        limit = self.config.max_pages
        done = self.stats.attempted_before + self.stats.attempted
        self.stats.limit_reached = limit is not None and done >= limit
        return self.stats.limit_reached

    def _add_seeds(self, frontier: Frontier, seeds: Seeds) -> None:
        items: list[NewUrl] = []
        groups: list[tuple[str, Iterable[str]]] = [
            ("auto", seeds.urls),
            ("feed", seeds.feeds),
            ("sitemap", seeds.sitemaps),
        ]
        for kind, urls in groups:
            for raw in urls:
                url = normalize_url(raw)
                if url is None:
                    self.stats.bad_seeds.append(raw)
                else:
                    items.append(NewUrl(url, kind))
        for raw in seeds.sites:
            url = normalize_url(raw)
            if url is None:
                self.stats.bad_seeds.append(raw)
            else:
                items.append(NewUrl(origin_of(url) + "/robots.txt", "site"))
        self.stats.discovered += frontier.add(items, refresh=not self.stats.resumed)

    # -- one URL -----------------------------------------------------------------------

    def _process(self, frontier: Frontier, item: QueuedUrl) -> None:
        try:
            robots, asked = self._robots_for(item.origin)
        except _Blocked as blocked:
            self._fail(frontier, item, blocked.error.reason)
            return
        if asked:  # that was this host's request for now; the URL waits for its turn
            return
        if item.kind == "site":
            self._site(frontier, item)
            return
        if robots.unavailable:
            self._fail(frontier, item, "robots_unavailable")
            return
        if not robots.allows(item.url):
            frontier.finish(item, "skipped", "robots")
            self.stats.robots += 1
            return
        if item.kind in ("page", "auto"):
            self.stats.attempted += 1
        frontier.claim(item)
        headers: dict[str, str] = {}
        if item.etag:
            headers["If-None-Match"] = item.etag
        if item.last_modified:
            headers["If-Modified-Since"] = item.last_modified
        try:
            result = self.fetcher.get(
                item.url,
                headers=headers,
                want_body=_body_filter(item.kind),
                hop_check=self._hop_check,
            )
        except FetchError as error:
            self._after_request(item.origin, robots)
            if error.reason == "robots":
                frontier.finish(item, "skipped", "robots")
                self.stats.robots += 1
            elif error.transient:
                self._transient(frontier, item, error.reason)
            else:
                self._fail(frontier, item, error.reason)
            return
        self._after_request(item.origin, robots)
        self._answer(frontier, item, result)

    def _after_request(self, origin: str, robots: _Robots) -> None:
        assert self._frontier is not None
        wait = max(self.config.delay, robots.delay())
        self._frontier.set_next_at(origin, time.time() + wait)

    def _answer(self, frontier: Frontier, item: QueuedUrl, result: FetchResult) -> None:
        status = result.status
        if status == 304:
            kind = item.kind if item.kind != "auto" else None
            outcome = "parsed" if item.kind in ("feed", "sitemap") else "unchanged"
            frontier.finish(
                item, "done", outcome, status=304, final_url=result.final_url, kind=kind
            )
            if outcome == "unchanged":
                self.stats.unchanged += 1
            return
        if not (200 <= status < 300) or status == 204:
            reason = f"http_{status}"
            if status in TRANSIENT_STATUSES:
                self._transient(frontier, item, reason)
            else:
                self._fail(frontier, item, reason)
            return
        if not result.body_read:
            self._fail(frontier, item, "unsupported_type")
            return
        kind = self._document_kind(item.kind, result)
        if kind is not None:
            self._document(frontier, item, result, kind)
        elif item.kind in ("page", "auto") and _is_page_type(result.media_type):
            self._page(frontier, item, result)
        else:
            self._fail(frontier, item, "unsupported_type")

    def _transient(self, frontier: Frontier, item: QueuedUrl, reason: str) -> None:
        if item.attempts + 1 <= self.config.retries:
            frontier.requeue(item, not_before=time.time() + self.config.retry_wait, reason=reason)
            self.stats.retried += 1
        else:
            self._fail(frontier, item, reason)

    def _fail(self, frontier: Frontier, item: QueuedUrl, reason: str) -> None:
        frontier.finish(item, "failed", reason)
        if item.kind in ("page", "auto"):
            self.stats.failed[reason] += 1
        else:
            self.stats.failed[f"{item.kind}_{reason}"] += 1

    # -- pages -------------------------------------------------------------------------

    def _page(self, frontier: Frontier, item: QueuedUrl, result: FetchResult) -> None:
        final = normalize_url(result.final_url)
        aliases = [final] if final is not None and final != item.url else []
        if aliases and frontier.is_done(aliases[0]):
            # Another URL already redirected here and was written: not twice.
            frontier.finish(item, "skipped", "duplicate", status=result.status, kind="page")
            self.stats.duplicates += 1
            return
        declared = result.charset or _meta_charset(result.body)
        text = decode_body(result.body, declared)
        if not text.strip():
            self._fail(frontier, item, "empty")
            return
        if len(_CONTROL.findall(text[:65536])) > len(text[:65536]) // 20:
            self._fail(frontier, item, "not_text")
            return
        etag = result.headers.get("etag")
        last_modified = result.headers.get("last-modified")
        record: dict[str, Any] = {
            "url": item.url,
            "final_url": result.final_url,
            "status": result.status,
            "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "content_type": result.media_type,
            "charset": declared,
            "last_modified": http_date_to_iso(last_modified),
            "etag": etag,
            "html": text,
            "text": text,
        }
        offset = self._write(record)
        links: list[NewUrl] = []
        if self.config.follow_links and item.depth < self.config.max_depth:
            if result.media_type != "text/plain":
                links = self._links(text, result.final_url, item.depth + 1)
        frontier.finish(
            item,
            "done",
            "fetched",
            status=result.status,
            etag=etag,
            last_modified=last_modified if http_date_to_iso(last_modified) else None,
            final_url=result.final_url,
            aliases=aliases,
            discovered=links,
            output=(self._out_key, offset),
            kind="page",
        )
        self.stats.fetched += 1
        self.stats.discovered += len(links)

    def _write(self, record: dict[str, Any]) -> int:
        """Append one record and make it durable; returns the file size after it."""
        assert self._out is not None
        line = json.dumps(record, ensure_ascii=False).encode("utf-8", "surrogatepass") + b"\n"
        self._out.write(line)
        self._out.flush()
        os.fsync(self._out.fileno())
        return self._out.tell()

    def _recovered_links(self, record: dict[str, Any], depth: int) -> list[NewUrl]:
        """The links a page recovered from the output would have added when marked done."""
        html, base = record.get("html"), record.get("final_url") or record.get("url")
        if depth >= self.config.max_depth or not isinstance(html, str) or not isinstance(base, str):
            return []
        if record.get("content_type") == "text/plain":
            return []
        return self._links(html, base, depth + 1)

    def _links(self, html: str, base: str, depth: int) -> list[NewUrl]:
        found: list[NewUrl] = []
        seen: set[str] = set()
        domain = self.config.scope == "domain"
        for href in extract_links(html, base):
            url = normalize_url(href)
            if url is None or url in seen:
                continue
            if self.config.scope != "any" and not same_site(url, base, domain=domain):
                continue
            seen.add(url)
            found.append(NewUrl(url, "page", depth))
            if len(found) >= _MAX_LINKS:
                break
        return found

    # -- feeds and sitemaps ------------------------------------------------------------

    def _document_kind(self, kind: str, result: FetchResult) -> str | None:
        """``feed`` or ``sitemap`` when the answer is one (whatever the URL was taken for)."""
        if kind == "page":
            return None
        body = result.body
        xmlish = any(h in (result.media_type or "") for h in _XML_HINTS)
        if not xmlish and not body.lstrip()[:16].lower().startswith(_XML_STARTS):
            return kind if kind in ("feed", "sitemap") else None
        from warta.readers.feeds import looks_like_feed, looks_like_sitemap

        try:
            data = self._gunzip(body)
        except FetchError:  # inflates past --max-bytes, or corrupt: _document says which
            return kind if kind in ("feed", "sitemap") else "sitemap"
        if looks_like_sitemap(data):
            return "sitemap"
        if looks_like_feed(data):
            return "feed"
        return kind if kind in ("feed", "sitemap") else None

    def _gunzip(self, data: bytes) -> bytes:
        if data[:2] != b"\x1f\x8b":
            return data
        return inflate_bounded(data, self.config.limits.max_bytes)

    def _document(
        self, frontier: Frontier, item: QueuedUrl, result: FetchResult, kind: str
    ) -> None:
        from warta.readers.feeds import MAX_SITEMAP_URLS, ParseStats, parse_feed, parse_sitemap

        base = result.final_url
        try:
            data = self._gunzip(result.body)
            if kind == "sitemap":
                parsed = ParseStats()
                sitemap = parse_sitemap(data, base, stats=parsed)
                pages = [entry.url for entry in sitemap.urls]
                children = list(sitemap.children)
                if parsed.truncated:
                    self.stats.warnings.append(
                        f"sitemap {item.url} lists more than {MAX_SITEMAP_URLS:,} URLs (the "
                        f"protocol's limit): only the first {MAX_SITEMAP_URLS:,} were read"
                    )
            else:
                pages = [entry.url for entry in parse_feed(data, base)]
                children = []
        except FetchError as error:
            self._fail(frontier, item, error.reason)
            return
        except Exception:  # a parser bug must not end the crawl
            self._fail(frontier, item, f"bad_{kind}")
            return
        found = self._scoped(pages, base, "page", item.depth)
        found += self._scoped(children, base, "sitemap", item.depth)
        frontier.finish(
            item,
            "done",
            "parsed",
            status=result.status,
            etag=result.headers.get("etag"),
            last_modified=result.headers.get("last-modified"),
            final_url=result.final_url,
            discovered=found,
            refresh=not self.stats.resumed,
            kind=kind,
        )
        self.stats.documents += 1
        self.stats.discovered += len(found)

    def _scoped(self, urls: Iterable[str], base: str, kind: str, depth: int) -> list[NewUrl]:
        found: list[NewUrl] = []
        home = registered_domain(_host(base))
        for raw in urls:
            url = normalize_url(raw, base)
            if url is None:
                continue
            if self.config.scope != "any" and registered_domain(_host(url)) != home:
                continue
            found.append(NewUrl(url, kind, depth))
        return found

    def _site(self, frontier: Frontier, item: QueuedUrl) -> None:
        """A ``--site`` seed: the sitemaps its robots.txt lists, else ``/sitemap.xml``."""
        from warta.readers.feeds import sitemaps_from_robots

        info = frontier.host(item.origin)
        listed = sitemaps_from_robots(info.robots or "", item.origin + "/") if info.robots else []
        if not listed:
            listed = [item.origin + "/sitemap.xml"]
        found = self._scoped(listed, item.origin + "/", "sitemap", item.depth)
        frontier.finish(item, "done", "parsed", discovered=found, refresh=not self.stats.resumed)
        self.stats.documents += 1
        self.stats.discovered += len(found)

    # -- robots.txt --------------------------------------------------------------------

    def _robots_for(self, origin: str) -> tuple[_Robots, bool]:
        """The origin's rules, and whether a request was made to get them just now."""
        cached = self._robots.get(origin)
        if cached is not None:
            return cached, False
        assert self._frontier is not None
        info = self._frontier.host(origin)
        now = time.time()
        if info.robots_fetched_at is not None:
            status = info.robots_status or 0
            ttl = self.config.robots_ttl if 0 < status < 500 else _ROBOTS_RETRY
            if now - info.robots_fetched_at < ttl:
                robots = _robots_from(info.robots, status)
                self._robots[origin] = robots
                return robots, False
        robots = self._fetch_robots(origin)
        self._robots[origin] = robots
        self._after_request(origin, robots)
        return robots, True

    def _fetch_robots(self, origin: str) -> _Robots:
        assert self._frontier is not None
        try:
            result = self.fetcher.get(origin + "/robots.txt", max_bytes=ROBOTS_MAX_BYTES)
        except FetchError as error:
            if error.reason == "blocked_address":
                raise _Blocked(error) from error
            if error.reason == "too_large":  # RFC 9309: parse at least 500 KiB; be lenient
                self._frontier.set_robots(origin, None, 404)
                return _Robots(None)
            self._frontier.set_robots(origin, None, 0)
            return _Robots(None, unavailable=True)
        status = result.status
        text: str | None = None
        if 200 <= status < 300:
            text = result.body.decode("utf-8", "replace")
        self._frontier.set_robots(origin, text, status)
        return _robots_from(text, status)

    def _hop_check(self, url: str) -> str | None:
        """A redirect target must be crawlable too: robots.txt of its origin applies."""
        target = normalize_url(url)
        if target is None:
            return "bad_redirect"
        try:
            robots, _ = self._robots_for(origin_of(target))
        except _Blocked as blocked:
            return blocked.error.reason
        if robots.unavailable:
            return "robots_unavailable"
        return None if robots.allows(url) else "robots"


# -- helpers -----------------------------------------------------------------------------


def _robots_from(text: str | None, status: int) -> _Robots:
    if status >= 500 or status <= 0:
        return _Robots(None, unavailable=True)
    if text is None:  # 4xx: no rules at all (RFC 9309)
        return _Robots(None)
    try:
        return _Robots(Protego.parse(text))
    except Exception:  # a robots.txt the parser chokes on is read as no rules
        return _Robots(None)


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname or ""


def _is_page_type(media_type: str | None) -> bool:
    return media_type is None or media_type in _HTML_TYPES


def _body_filter(kind: str) -> Callable[[str | None], bool]:
    if kind in ("feed", "sitemap"):
        return lambda _type: True
    if kind == "auto":
        return lambda t: _is_page_type(t) or any(h in (t or "") for h in _XML_HINTS)
    return _is_page_type


def _open_output(path: Path) -> IO[bytes]:
    existed = path.exists()
    handle = open(path, "ab")
    if not existed:  # make the new file's name durable too
        try:
            fd = os.open(path.resolve().parent, os.O_RDONLY)
        except OSError:
            return handle
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)
    return handle


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii").lower() if match else None


def decode_body(data: bytes, declared: str | None) -> str:
    """Bytes to text: a BOM, valid UTF-8, the declared charset if it decodes, a guess.

    Valid UTF-8 wins over a declaration (pages often declare ISO-8859-1 and send UTF-8);
    a declaration that does not decode cleanly is ignored: mostly-ASCII text is read as
    windows-1252, anything else as charset-normalizer guesses.
    """
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(codec, "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        name = "cp1252" if declared.lower() in _AS_CP1252 else declared
        try:
            codecs.lookup(name)
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass
    # Mostly ASCII with a few high bytes: Latin-script news in windows-1252 far more often
    # than anything a statistical guess prefers on so little evidence.
    high = sum(1 for byte in data[:65536] if byte >= 0x80)
    if high <= len(data[:65536]) // 10:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 1024 * 1024]).best()
    if best is not None and best.encoding:
        try:
            return data.decode(best.encoding, "replace")
        except LookupError:
            pass
    return data.decode("cp1252", "replace")


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base: str | None = None
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("a", "area", "base"):
            return
        href = next((v for k, v in attrs if k == "href" and v), None)
        if href is None:
            return
        if tag == "base":
            if self.base is None:
                self.base = href.strip()
        else:
            self.hrefs.append(href.strip())


def extract_links(html: str, base: str) -> list[str]:
    """Absolute targets of ``<a href>`` (and ``<area>``), resolved against ``<base>``."""
    from urllib.parse import urljoin

    parser = _LinkParser()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError):  # hopeless markup: keep what was found
        pass
    root = urljoin(base, parser.base) if parser.base else base
    return [urljoin(root, href) for href in parser.hrefs if not href.startswith("#")]
