"""HTTP fetching with every limit a crawler of other people's sites needs.

* one ``httpx`` client (one connection) per origin, keep-alive, no proxies from the
  environment, an identifying User-Agent;
* connect and read timeouts, plus a total deadline per page across all redirect hops;
* the body is streamed and abandoned past ``max_bytes``, both as sent and once
  decompressed (gzip and deflate are decoded here, bounded, so a gzip bomb is cut off);
* redirects are followed by hand: a hop limit, loop detection, and every hop checked;
* SSRF guard: the host is resolved, every address must be public (no private,
  loopback, link-local, multicast, reserved or unspecified address, IPv4-mapped or not)
  unless private addresses are allowed, and the request is pinned to the checked address
  (``Host`` header and TLS SNI keep the name), so DNS cannot change the answer between
  the check and the connection.
"""

from __future__ import annotations

import ipaddress
import socket
import time
import zlib
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit

import httpx

from warta import __version__
from warta.readers.base import DEFAULT_MAX_BYTES

__all__ = [
    "USER_AGENT",
    "ROBOTS_TOKEN",
    "FetchError",
    "FetchLimits",
    "FetchResult",
    "Fetcher",
    "address_blocked",
    "inflate_bounded",
]

USER_AGENT = f"warta/{__version__} (+https://github.com/warta-news/warta; news research crawler)"
ROBOTS_TOKEN = "warta"
"""The product token robots.txt groups are matched against."""

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
_DEFAULT_PORTS = {"http": 80, "https": 443}
_MAX_CLIENTS = 16
_DNS_TTL = 60.0

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]


class FetchError(Exception):
    """A fetch that produced no usable answer; ``reason`` is a short code for summaries."""

    def __init__(
        self, reason: str, message: str, *, transient: bool = False, url: str | None = None
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.transient = transient
        self.url = url


@dataclass(frozen=True, slots=True)
class FetchLimits:
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 60.0
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = 5


@dataclass(frozen=True, slots=True)
class FetchResult:
    """The final answer after redirects. ``body`` is empty unless it was wanted and 2xx."""

    url: str
    final_url: str
    status: int
    headers: Mapping[str, str]
    body: bytes = b""
    body_read: bool = False
    redirects: tuple[str, ...] = ()

    @property
    def media_type(self) -> str | None:
        return media_type(self.headers.get("content-type"))

    @property
    def charset(self) -> str | None:
        return charset_param(self.headers.get("content-type"))


@dataclass(slots=True)
class _Answer:
    status: int
    headers: dict[str, str]
    body: bytes = b""
    body_read: bool = False
    location: str | None = None


@dataclass(slots=True)
class _DnsEntry:
    addresses: list[str]
    expires: float


class Fetcher:
    """Fetch URLs one at a time; close it (or use ``with``) to drop the connections.

    ``is_blocked`` replaces the address policy (tests); ``resolver`` replaces DNS.
    """

    def __init__(
        self,
        limits: FetchLimits | None = None,
        *,
        user_agent: str = USER_AGENT,
        allow_private: bool = False,
        is_blocked: Callable[[IPAddress], bool] | None = None,
        resolver: Resolver | None = None,
    ) -> None:
        self.limits = limits or FetchLimits()
        self.user_agent = user_agent
        self.allow_private = allow_private
        self.is_blocked = is_blocked
        self.resolver = resolver
        self._clients: OrderedDict[tuple[str, str, int], httpx.Client] = OrderedDict()
        self._dns: dict[tuple[str, int], _DnsEntry] = {}

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        while self._clients:
            _, client = self._clients.popitem()
            client.close()

    def get(
        self,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        want_body: Callable[[str | None], bool] = lambda _type: True,
        hop_check: Callable[[str], str | None] | None = None,
        max_bytes: int | None = None,
    ) -> FetchResult:
        """GET ``url``, following redirects; raises :class:`FetchError`.

        ``want_body(media_type)`` decides, for a 2xx answer, whether the body is read at
        all; ``hop_check(url)`` may refuse a redirect target by returning a reason code.
        """
        limit = self.limits.max_bytes if max_bytes is None else max_bytes
        deadline = time.monotonic() + self.limits.total_timeout
        current = url
        seen = {url}
        redirects: list[str] = []
        while True:
            answer = self._one(current, headers or {}, deadline, want_body, limit)
            if answer.status not in REDIRECT_STATUSES:
                return FetchResult(
                    url=url,
                    final_url=current,
                    status=answer.status,
                    headers=answer.headers,
                    body=answer.body,
                    body_read=answer.body_read,
                    redirects=tuple(redirects),
                )
            if not answer.location:
                raise FetchError("bad_redirect", "redirect without a Location", url=current)
            if len(redirects) >= self.limits.max_redirects:
                raise FetchError(
                    "too_many_redirects",
                    f"more than {self.limits.max_redirects} redirects",
                    url=current,
                )
            target = urldefrag(urljoin(current, answer.location.strip()))[0]
            if urlsplit(target).scheme.lower() not in _DEFAULT_PORTS or not urlsplit(target).netloc:
                raise FetchError("bad_redirect", f"redirect to {target!r}", url=current)
            if target in seen:
                raise FetchError("redirect_loop", f"redirect loop back to {target}", url=current)
            seen.add(target)
            redirects.append(target)
            if hop_check is not None:
                refusal = hop_check(target)
                if refusal is not None:
                    raise FetchError(refusal, f"redirect to {target} refused", url=target)
            current = target

    # -- one request -------------------------------------------------------------------

    def _one(
        self,
        url: str,
        headers: Mapping[str, str],
        deadline: float,
        want_body: Callable[[str | None], bool],
        max_bytes: int,
    ) -> _Answer:
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, ValueError) as exc:
            raise FetchError("bad_url", str(exc), url=url) from exc
        scheme, host = parsed.scheme, parsed.host
        if scheme not in _DEFAULT_PORTS or not host:
            raise FetchError("bad_url", f"cannot fetch {url!r}", url=url)
        port = parsed.port or _DEFAULT_PORTS[scheme]
        address = self._checked_address(host, port, url)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError("timeout", "total time limit reached", transient=True, url=url)
        target = parsed if address == host else parsed.copy_with(host=address)
        request_headers = {**headers, "Host": parsed.netloc.decode("ascii")}
        extensions = {"sni_hostname": host} if scheme == "https" and address != host else {}
        timeout = httpx.Timeout(
            connect=min(self.limits.connect_timeout, remaining),
            read=min(self.limits.read_timeout, remaining),
            write=min(self.limits.read_timeout, remaining),
            pool=min(self.limits.connect_timeout, remaining),
        )
        client = self._client(scheme, host, port)
        try:
            with client.stream(
                "GET", target, headers=request_headers, extensions=extensions, timeout=timeout
            ) as response:
                answer = _Answer(
                    status=response.status_code,
                    headers={k.lower(): v for k, v in response.headers.items()},
                )
                if answer.status in REDIRECT_STATUSES:
                    answer.location = response.headers.get("location")
                elif 200 <= answer.status < 300 and answer.status != 204:
                    if want_body(media_type(answer.headers.get("content-type"))):
                        answer.body = _read_body(response, answer.headers, deadline, max_bytes, url)
                        answer.body_read = True
                return answer
        except httpx.TimeoutException as exc:
            raise FetchError("timeout", _describe(exc), transient=True, url=url) from exc
        except httpx.ConnectError as exc:
            raise FetchError("connect_error", _describe(exc), transient=True, url=url) from exc
        except (httpx.NetworkError, httpx.RemoteProtocolError) as exc:
            raise FetchError("network_error", _describe(exc), transient=True, url=url) from exc
        except httpx.HTTPError as exc:
            raise FetchError("http_error", _describe(exc), url=url) from exc

    def _client(self, scheme: str, host: str, port: int) -> httpx.Client:
        """One client per origin: one connection, kept alive between polite requests.

        Requests go to the pinned address, so the pool must not be shared between names:
        a TLS connection made for one name must never carry another name's request.
        """
        key = (scheme, host, port)
        client = self._clients.get(key)
        if client is not None:
            self._clients.move_to_end(key)
            return client
        client = httpx.Client(
            headers={
                "User-Agent": self.user_agent,
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                "Accept-Encoding": "gzip, deflate",
            },
            follow_redirects=False,
            trust_env=False,
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
        )
        self._clients[key] = client
        while len(self._clients) > _MAX_CLIENTS:
            _, old = self._clients.popitem(last=False)
            old.close()
        return client

    # -- addresses ---------------------------------------------------------------------

    def _checked_address(self, host: str, port: int, url: str) -> str:
        """Resolve ``host``; refuse it if any address is not public; return one to use."""
        addresses = self._resolve(host, port, url)
        blocked = self.is_blocked
        if blocked is None:
            blocked = (lambda _ip: False) if self.allow_private else address_blocked
        for text in addresses:
            if blocked(ipaddress.ip_address(text)):
                raise FetchError(
                    "blocked_address",
                    f"{host} resolves to {text}, a non-public address "
                    "(--allow-private to crawl it)",
                    url=url,
                )
        return addresses[0]

    def _resolve(self, host: str, port: int, url: str) -> list[str]:
        try:
            return [str(ipaddress.ip_address(host))]
        except ValueError:
            pass
        now = time.monotonic()
        cached = self._dns.get((host, port))
        if cached is not None and cached.expires > now:
            return cached.addresses
        try:
            if self.resolver is not None:
                addresses = list(self.resolver(host, port))
            else:
                infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
                addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
            addresses = [str(ipaddress.ip_address(a.split("%", 1)[0])) for a in addresses]
        except (OSError, UnicodeError, ValueError) as exc:
            raise FetchError(
                "dns_error", f"cannot resolve {host}", transient=True, url=url
            ) from exc
        if not addresses:
            raise FetchError("dns_error", f"no address for {host}", transient=True, url=url)
        self._dns[(host, port)] = _DnsEntry(addresses, now + _DNS_TTL)
        return addresses


def address_blocked(ip: IPAddress) -> bool:
    """True for every address a crawler of the public web has no business connecting to."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None and address_blocked(embedded):
            return True
    return (
        not ip.is_global
        or ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


# -- bodies ------------------------------------------------------------------------------


def media_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    value = content_type.split(";", 1)[0].strip().lower()
    return value or None


def charset_param(content_type: str | None) -> str | None:
    if not content_type:
        return None
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            value = value.strip().strip("\"'").strip().lower()
            return value or None
    return None


def _read_body(
    response: httpx.Response,
    headers: Mapping[str, str],
    deadline: float,
    max_bytes: int,
    url: str,
) -> bytes:
    declared = headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(
            "too_large", f"Content-Length {declared} exceeds {max_bytes} bytes", url=url
        )
    encoding = headers.get("content-encoding", "").strip().lower()
    inflater: _Inflater | None = None
    if encoding in ("gzip", "x-gzip", "deflate"):
        inflater = _Inflater(encoding)
    elif encoding not in ("", "identity"):
        raise FetchError("unsupported_encoding", f"Content-Encoding {encoding!r}", url=url)
    parts: list[bytes] = []
    raw = 0
    size = 0
    for chunk in response.iter_raw():  # as received: a chunk size would buffer
        if time.monotonic() > deadline:
            raise FetchError("timeout", "total time limit reached", transient=True, url=url)
        raw += len(chunk)
        if raw > max_bytes:
            raise FetchError("too_large", f"body exceeds {max_bytes} bytes", url=url)
        data = inflater.feed(chunk, max_bytes - size, url) if inflater is not None else chunk
        size += len(data)
        if size > max_bytes:
            raise FetchError("too_large", f"body exceeds {max_bytes} bytes", url=url)
        parts.append(data)
    return b"".join(parts)


class _Inflater:
    """gzip/zlib/raw-deflate decoding that never produces more than it is allowed."""

    def __init__(self, encoding: str) -> None:
        self._encoding = encoding
        self._obj: zlib._Decompress | None = None

    def _new(self, first: bytes) -> zlib._Decompress:
        if self._encoding != "deflate":
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        # "deflate" is zlib-wrapped by the standard, raw deflate by many servers.
        if len(first) >= 2 and first[0] & 0x0F == 8 and ((first[0] << 8) | first[1]) % 31 == 0:
            return zlib.decompressobj(zlib.MAX_WBITS)
        return zlib.decompressobj(-zlib.MAX_WBITS)

    def feed(self, data: bytes, room: int, url: str) -> bytes:
        out: list[bytes] = []
        size = 0
        try:
            while data:
                if self._obj is None:
                    self._obj = self._new(data)
                piece = self._obj.decompress(data, max(room - size, 0) + 1)
                out.append(piece)
                size += len(piece)
                if size > room:
                    raise FetchError(
                        "too_large", "decompressed body exceeds the size limit", url=url
                    )
                if self._obj.unconsumed_tail:
                    data = self._obj.unconsumed_tail
                elif self._obj.eof and self._obj.unused_data.strip(b"\0"):
                    data = self._obj.unused_data  # another gzip member follows
                    self._obj = None
                else:
                    data = b""
        except zlib.error as exc:
            raise FetchError("bad_encoding", f"cannot decompress: {exc}", url=url) from exc
        return b"".join(out)


def inflate_bounded(data: bytes, max_bytes: int, *, source: str = "") -> bytes:
    """Gunzip ``data`` (a ``.gz`` sitemap), refusing more than ``max_bytes`` of output."""
    return _Inflater("gzip").feed(data, max_bytes, source)


def _describe(exc: Exception) -> str:
    text = str(exc).strip()
    return text or type(exc).__name__
