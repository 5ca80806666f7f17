"""URL normalisation: one spelling per page, so the frontier never holds a page twice.

:func:`normalize_url` lower-cases the scheme and host, drops default ports, user info and
fragments, resolves ``.``/``..`` path segments, tidies percent-escapes, removes tracking
parameters (``utm_*``, ``fbclid``, ``gclid``, ``mc_cid`` ...) and sorts the query. AMP and
mobile variants are mapped to the canonical page: ``/amp/`` path segments, ``.amp.html``,
``?amp``, ``outputType=amp``, the Google AMP cache, and ``amp.``, ``m.`` and ``mobile.`` hosts
(``m.example.com`` becomes ``www.example.com``; ``m.news.example.com`` becomes
``news.example.com``). The result is idempotent: normalising it again changes nothing.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote, unquote_plus, urljoin, urlsplit, urlunsplit

__all__ = [
    "TRACKING_PARAMS",
    "normalize_url",
    "origin_of",
    "registered_domain",
    "same_site",
    "site_host",
]

TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "wickedid",
        "pk_campaign",
        "pk_kwd",
        "pk_source",
        "pk_medium",
        "pk_content",
        "ncid",
        "cmpid",
        "s_cid",
        "tag_from",
    }
)
"""Query keys that only say where a reader came from (compared lower-case)."""

_TRACKING_PREFIXES = ("utm_", "mtm_")
# Keys that only select the AMP rendering of the same page.
_AMP_PARAMS = frozenset({"amp", "amp_js_v", "amp_gsa", "usqp", "amp_lite"})
_AMP_VALUED = {"outputtype": "amp", "output": "amp", "format": "amp", "view": "amp"}
_VARIANT_LABELS = ("amp", "m", "mobile")
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Second-level labels under two-letter country codes that are registries, not sites
# (kompas.co.id is a site; co.id is not).
_SECOND_LEVEL = frozenset(
    {"ac", "co", "com", "edu", "go", "gov", "mil", "my", "net", "or", "org", "sch", "web", "biz"}
    | {"ponsel", "desa", "id", "ne", "gob", "nic"}
)
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PATH_SAFE = "/%:@!$&'()*+,;="
_QUERY_SAFE = "/%:@!$'()*+,;=?"
_AMP_SUFFIX = re.compile(r"\.amp(?=\.html?$)|\.amp$", re.IGNORECASE)
_AMP_CACHE = ".cdn.ampproject.org"


def normalize_url(url: str, base: str | None = None) -> str | None:
    """The canonical spelling of ``url`` (resolved against ``base``), or None.

    None means the URL cannot be crawled: not http(s), no host, a bad port, or unparsable.
    """
    url = url.strip()
    if not url:
        return None
    try:
        if base is not None:
            url = urljoin(base, url)
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in _DEFAULT_PORTS:
            return None
        host = _clean_host(parts.hostname or "")
        port = parts.port
    except (ValueError, UnicodeError):
        return None
    if not host:
        return None
    path, query = parts.path, parts.query
    if host.endswith(_AMP_CACHE):
        cached = _from_amp_cache(path, query)
        return normalize_url(cached) if cached else None
    host = _canonical_host(host)
    netloc = host if port is None or port == _DEFAULT_PORTS[scheme] else f"{host}:{port}"
    path = _normalize_path(path)
    query = _normalize_query(query)
    return urlunsplit((scheme, netloc, path, query, ""))


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of a normalised URL: the unit of robots.txt and politeness."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def site_host(host: str) -> str:
    """The host without ``www.`` and mobile/AMP labels, for same-site comparisons."""
    host = host.lower().rstrip(".")
    labels = host.split(".")
    while len(labels) > 2 and labels[0] in ("www", *_VARIANT_LABELS):
        labels = labels[1:]
    return ".".join(labels)


def registered_domain(host: str) -> str:
    """The site's registered domain (``news.kompas.co.id`` → ``kompas.co.id``), by heuristic."""
    labels = host.lower().rstrip(".").split(".")
    if _is_ip(host) or len(labels) <= 2:
        return ".".join(labels)
    if len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def same_site(url_a: str, url_b: str, *, domain: bool = False) -> bool:
    """Whether two URLs are on the same host (ignoring www/m/amp), or the same domain."""
    host_a = urlsplit(url_a).hostname or ""
    host_b = urlsplit(url_b).hostname or ""
    if urlsplit(url_a).port != urlsplit(url_b).port:
        return False
    if domain:
        return registered_domain(host_a) == registered_domain(host_b)
    return site_host(host_a) == site_host(host_b)


# -- pieces ------------------------------------------------------------------------------


def _is_ip(host: str) -> bool:
    return ":" in host or host.replace(".", "").isdigit()


def _clean_host(host: str) -> str:
    host = host.lower().rstrip(".")
    if not host or _is_ip(host):
        return host
    if not host.isascii():
        host = host.encode("idna").decode("ascii")
    if any(c in host for c in " /\\@#?%"):
        raise ValueError("bad host")
    return host


def _canonical_host(host: str) -> str:
    """Map ``amp.``, ``m.`` and ``mobile.`` hosts to the canonical one."""
    if _is_ip(host):
        return f"[{host}]" if ":" in host else host
    labels = host.split(".")
    if len(labels) > 2 and labels[0] in _VARIANT_LABELS:
        rest = ".".join(labels[1:])
        if registered_domain(rest) == rest:
            return "www." + rest
        return rest
    return host


def _from_amp_cache(path: str, query: str) -> str | None:
    """``https://www-x-com.cdn.ampproject.org/c/s/www.x.com/a`` → ``https://www.x.com/a``."""
    match = re.match(r"^/[a-z]/(s/)?([^/]+)(/.*)?$", path)
    if match is None:
        return None
    scheme = "https" if match.group(1) else "http"
    rest = match.group(3) or "/"
    return f"{scheme}://{match.group(2)}{rest}" + (f"?{query}" if query else "")


def _tidy_escapes(text: str, safe: str) -> str:
    """Upper-case escapes, decode escaped unreserved characters, escape what must be."""

    def fix(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else f"%{match.group(1).upper()}"

    return quote(_ESCAPE.sub(fix, text), safe=safe)


def _normalize_path(path: str) -> str:
    path = _remove_dot_segments(path or "/")
    segments = path.split("/")
    kept = [s for i, s in enumerate(segments) if not (s.lower() == "amp" and 0 < i)]
    if len(kept) != len(segments):
        # "/x/amp" ends in "x"; "/amp/" is the root; "/x/amp/" keeps its trailing slash.
        path = "/".join(kept) or "/"
        if not path.startswith("/"):
            path = "/" + path
    path = _AMP_SUFFIX.sub("", path)
    return _tidy_escapes(path, _PATH_SAFE) or "/"


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4, so ``/a/./b/../c`` becomes ``/a/c``."""
    output: list[str] = []
    for segment in path.split("/")[1:] if path.startswith("/") else path.split("/"):
        if segment == "..":
            if output:
                output.pop()
        elif segment != ".":
            output.append(segment)
    trailing = path.endswith(("/.", "/..")) and (not output or output[-1] != "")
    result = "/" + "/".join(output)
    if trailing:
        result += "/"
    return result


def _normalize_query(query: str) -> str:
    if not query:
        return ""
    kept: list[tuple[str, str]] = []
    for pair in query.split("&"):
        if not pair:
            continue
        raw_key, _, raw_value = pair.partition("=")
        key = unquote_plus(raw_key).strip().lower()
        if key in TRACKING_PARAMS or key.startswith(_TRACKING_PREFIXES) or key in _AMP_PARAMS:
            continue
        if _AMP_VALUED.get(key) == unquote(raw_value).strip().lower():
            continue
        kept.append((unquote_plus(raw_key), _tidy_escapes(pair, _QUERY_SAFE)))
    kept.sort()
    return "&".join(pair for _, pair in kept)
