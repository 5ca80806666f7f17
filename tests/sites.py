"""Real HTTP fixture sites for the crawler tests: a threaded server on 127.0.0.1.

A :class:`Site` maps paths (with or without the query) to :class:`Reply` objects or to
functions of the request; :func:`serve` runs it on a free port in a thread and logs
every request (path, headers, time) so tests can count what the crawler asked for.
Nothing is mocked: the crawler talks HTTP over a real socket.
"""

from __future__ import annotations

import gzip
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    """One answer. ``stream`` (chunks, no Content-Length, connection closed) replaces
    ``body``; ``delay`` waits before the status line; ``drip`` waits between chunks."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = "text/html; charset=utf-8"
    delay: float = 0.0
    stream: Callable[[], Iterable[bytes]] | None = None
    drip: float = 0.0
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Hit:
    path: str
    headers: dict[str, str]
    at: float


Route = Reply | Callable[["Request"], Reply]


@dataclass(frozen=True)
class Request:
    path: str
    headers: dict[str, str]


class Site:
    """Routes of one origin, and the log of requests it received."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        self.base = ""  # set by serve()

    def add(self, path: str, reply: Route) -> None:
        self.routes[path] = reply

    def page(
        self, path: str, title: str, body: str = "", links: Iterable[str] = (), **kw: Any
    ) -> None:
        self.add(path, Reply(body=article(title, body, links).encode("utf-8"), **kw))

    def url(self, path: str) -> str:
        return self.base + path

    def count(self, path: str) -> int:
        with self._lock:
            return sum(1 for hit in self.hits if hit.path == path)

    def requests(self, path: str) -> list[Hit]:
        with self._lock:
            return [hit for hit in self.hits if hit.path == path]

    def paths(self) -> list[str]:
        with self._lock:
            return [hit.path for hit in self.hits]

    def _record(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)

    def route(self, request: Request) -> Reply:
        route = self.routes.get(request.path) or self.routes.get(request.path.split("?", 1)[0])
        if route is None:
            return Reply(status=404, body=b"<html><body>not found</body></html>")
        return route(request) if callable(route) else route


def article(title: str, body: str = "", links: Iterable[str] = ()) -> str:
    anchors = "".join(f'<li><a href="{href}">{href}</a></li>' for href in links)
    text = body or f"{title}. JAKARTA, KOMPAS.com - Ini isi berita tentang {title.lower()}."
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body><h1>{title}</h1><p>{text}</p><ul>{anchors}</ul></body></html>"
    )


def http_date(when: float) -> str:
    return formatdate(when, usegmt=True)


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in two writes; without this, Nagle's algorithm and
            # delayed ACKs add 40 ms to every response.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
            pass

        def do_GET(self) -> None:  # noqa: N802 - stdlib name
            headers = {k.lower(): v for k, v in self.headers.items()}
            site._record(Hit(self.path, headers, time.time()))
            reply = site.route(Request(self.path, headers))
            try:
                self._send(reply, headers)
            except (BrokenPipeError, ConnectionResetError, TimeoutError):
                self.close_connection = True

        def _send(self, reply: Reply, headers: dict[str, str]) -> None:
            if reply.delay:
                time.sleep(reply.delay)
            status = reply.status
            unchanged = (reply.etag is not None and headers.get("if-none-match") == reply.etag) or (
                reply.last_modified is not None
                and headers.get("if-modified-since") == reply.last_modified
            )
            if unchanged and status == 200:
                status = 304
            self.send_response(status)
            if reply.content_type and status != 304:
                self.send_header("Content-Type", reply.content_type)
            if reply.etag:
                self.send_header("ETag", reply.etag)
            if reply.last_modified:
                self.send_header("Last-Modified", reply.last_modified)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if status == 304:
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if reply.stream is not None:
                self.send_header("Connection", "close")
                self.end_headers()
                self.close_connection = True
                for chunk in reply.stream():
                    self.wfile.write(chunk)
                    self.wfile.flush()
                    if reply.drip:
                        time.sleep(reply.drip)
                return
            if "Content-Length" not in reply.headers:
                self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

    return Handler


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up (a killed crawler) is no error worth a traceback."""
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


@contextmanager
def serve(site: Site) -> Iterator[Site]:
    """Run ``site`` on 127.0.0.1 (a free port) for the duration of the block."""
    server = _Server(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    server.block_on_close = False
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# -- ready-made bodies -------------------------------------------------------------------


def gzip_bomb(size: int = 64 * 1024 * 1024) -> bytes:
    """``size`` zero bytes, gzip-compressed to about a thousandth of that."""
    return gzip.compress(b"\0" * size, compresslevel=9)


def endless(
    chunk: bytes = b"x" * 65536, total: int = 64 * 1024 * 1024
) -> Callable[[], Iterator[bytes]]:
    def gen() -> Iterator[bytes]:
        sent = 0
        while sent < total:
            yield chunk
            sent += len(chunk)

    return gen


def rss(items: Iterable[str], title: str = "Berita terkini") -> bytes:
    entries = "".join(
        f"<item><title>Item {i}</title><link>{url}</link>"
        f"<pubDate>Mon, 06 May 2024 0{i % 10}:00:00 +0700</pubDate></item>"
        for i, url in enumerate(items)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>http://example.invalid/</link>"
        f"<description>d</description>{entries}</channel></rss>"
    ).encode()


def sitemap_index(children: Iterable[str]) -> bytes:
    entries = "".join(f"<sitemap><loc>{url}</loc></sitemap>" for url in children)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{entries}</sitemapindex>"
    ).encode()


def news_sitemap(urls: Iterable[str]) -> bytes:
    entries = "".join(
        f"<url><loc>{url}</loc><news:news><news:publication><news:name>Contoh</news:name>"
        "<news:language>id</news:language></news:publication>"
        "<news:publication_date>2024-05-06T08:00:00+07:00</news:publication_date>"
        f"<news:title>Judul {i}</news:title></news:news></url>"
        for i, url in enumerate(urls)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"{entries}</urlset>"
    ).encode()


def plain_sitemap(urls: Iterable[str]) -> bytes:
    entries = "".join(f"<url><loc>{url}</loc></url>" for url in urls)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
    ).encode()
