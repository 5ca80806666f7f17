"""Which site a page belongs to: the known outlet by its URL's domain or the name the page
calls itself, and the name part of a host."""

from __future__ import annotations

from collections.abc import Iterable

from warta.clean.knowledge import Knowledge, Outlet
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
