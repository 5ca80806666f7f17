"""Small helpers shared by the readers of a page's markup: text normalisation and URLs."""

from __future__ import annotations

import html as html_lib
from urllib.parse import urljoin, urlsplit


def norm(text: str | None) -> str:
    """White space collapsed, entities that survived once decoded."""
    if not text:
        return ""
    if "&" in text and ";" in text:
        text = html_lib.unescape(text)
    return " ".join(text.split())


def absolute(value: str | None, base: str | None) -> str | None:
    """``value`` resolved against ``base`` when it is an http(s) URL with a host, else None."""
    value = norm(value)
    if not value or len(value) > 2_000:
        return None
    try:
        resolved = urljoin(base or "", value)
        parts = urlsplit(resolved)
    except ValueError:  # "http://[" and other malformed URLs
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return resolved


def host(url: str | None) -> str:
    """The lower-cased host name of ``url``; "" when there is none or it does not parse."""
    if not url:
        return ""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
