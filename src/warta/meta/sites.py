"""Which site a page belongs to: the known outlet by its own URL's domain or the name the page
calls itself, the name part of a host, and the registered domain that names an unknown outlet."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from publicsuffixlist import PublicSuffixList

from warta.clean.knowledge import Knowledge, Outlet
from warta.core import diskcache
from warta.meta.markup import host as host_of


def host_label(host: str) -> str | None:
    """The name part of a host: "news.okezone.com" -> "okezone", "x.co.id" -> "x"."""
    labels = [p for p in host.split(".") if p and p != "www"]
    if len(labels) < 2:
        return None
    labels = labels[:-1]  # the top-level domain
    if len(labels) >= 2 and labels[-1] in {"co", "com", "or", "go", "ac", "net", "org", "web"}:
        labels = labels[:-1]
    label = labels[-1]
    return label if len(label) >= 4 else None


def outlet_for(url: str | None, names: Iterable[str], kb: Knowledge) -> Outlet | None:
    """The outlet of the page: by the URL's domain, else by a name the page calls itself."""
    host = host_of(url)
    best: tuple[int, Outlet] | None = None
    if host:
        for outlet in kb.outlets:
            for domain in outlet.domains:
                if (host == domain or host.endswith("." + domain)) and (
                    best is None or len(domain) > best[0]
                ):
                    best = (len(domain), outlet)
    if best is not None:
        return best[1]
    for name in names:
        named = kb.outlet(name)
        if named is not None:
            return named
    return None


@lru_cache(maxsize=1)
def _suffixes() -> PublicSuffixList:
    """The list bundled with publicsuffixlist (no network, ever: its update script is never
    run), parsed once and then read from the disk cache, keyed by that file's bytes."""
    import publicsuffixlist

    key = diskcache.data_hash([Path(publicsuffixlist.PSLFILE), publicsuffixlist.__version__])
    return diskcache.cached("public-suffixes", key, PublicSuffixList)


def registered_domain(url: str | None) -> str | None:
    """The domain a registrant holds ("news.bbc.co.uk" -> "bbc.co.uk"), by the Public Suffix
    List; None for a URL without a host, an IP address or a bare public suffix."""
    name = host_of(url).rstrip(".")
    if not name or name.replace(".", "").isdigit() or ":" in name:
        return None
    try:
        found = _suffixes().privatesuffix(name)
    except (ValueError, UnicodeError):
        return None
    return found if isinstance(found, str) and found else None


def known_outlet(
    urls: Iterable[str | None], names: Iterable[str | None], kb: Knowledge
) -> Outlet | None:
    """The known outlet a page belongs to: by the domain of its own URLs (the page's, then its
    canonical URL), else by the name it gives itself (og:site_name, JSON-LD publisher)."""
    for url in urls:
        found = outlet_for(url, (), kb)
        if found is not None:
            return found
    return outlet_for(None, [n for n in names if n], kb)
