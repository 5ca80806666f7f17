"""What the ingest driver needs to know about its inputs, before any stage runs: which files
are warta's own records, which pages belong to one multi-page article, which "page" is really
a feed or a sitemap, and the key that lets a rerun recognise a page without extracting it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from warta.core.errors import SourceUnreadable
from warta.readers.text import Page, ReadFailure, iter_pages
from warta.run.multipage import page_of

__all__ = ["chains", "groups", "item_key", "not_a_page", "page_key", "read_inputs"]

_RECORD_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
_SNIFF_BYTES = 4096


def page_key(source: str, content: bytes | str) -> str:
    """The key that lets a rerun recognise a page without extracting it: the same source name
    with the same raw content is the same page."""
    data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    digest = hashlib.sha256(source.encode("utf-8", "surrogatepass") + b"\0" + data)
    return digest.hexdigest()[:32]


def groups(sources: Sequence[str]) -> Iterator[tuple[str, list[str]]]:
    """Runs of consecutive sources of one kind: ``records`` files (warta's own JSON records)
    or ``pages`` (everything the readers take), in the order given."""
    kind: str | None = None
    group: list[str] = []
    for source in sources:
        this = "records" if _is_record_file(source) else "pages"
        if this != kind and group:
            assert kind is not None
            yield kind, group
            group = []
        kind = this
        group.append(source)
    if group and kind is not None:
        yield kind, group


def read_inputs(
    inputs: Sequence[str], *, pattern: str | None, max_bytes: int
) -> Iterator[Page | ReadFailure]:
    """The pages of each input in turn; a reader that fails with an unexpected error costs
    only the rest of its own input, recorded as that input's failure, never the run."""
    for name in inputs:
        pages = iter_pages([name], pattern=pattern, max_bytes=max_bytes)
        while True:
            try:
                item = next(pages)
            except StopIteration:
                break
            except Exception as exc:  # noqa: BLE001 - a reader bug must not stop the batch
                error = SourceUnreadable(
                    f"the reader failed: {type(exc).__name__}: {exc}", source=name
                )
                error.reason = "read_failed"
                yield ReadFailure(name, error)
                break
            yield item


def _head_line(path: str) -> bytes:
    """The first non-blank line of a (possibly gzip) file, up to a sniffing limit."""
    opener: Any = gzip.open if path.lower().endswith(".gz") else open
    with opener(path, "rb") as handle:
        while True:
            line: bytes = handle.readline(1024 * 1024)
            if not line or line.strip():
                return line.strip().removeprefix(b"\xef\xbb\xbf")


def _is_record_file(path: str) -> bool:
    """A JSON Lines file whose first record has ``schema_version``: warta's own output."""
    if not path.lower().endswith(_RECORD_SUFFIXES) or not os.path.isfile(path):
        return False
    try:
        head = _head_line(path)
        data = json.loads(head.decode("utf-8")) if head.startswith(b"{") else None
    except (OSError, EOFError, ValueError):  # unreadable here: the page reader reports it
        return False
    return isinstance(data, dict) and "schema_version" in data and "text" not in data


def not_a_page(item: Page) -> str | None:
    """Why a file is not a news page but a list of them (a feed or a sitemap), if it is one."""
    if item.data is None or item.url is not None:
        return None
    from warta.readers.feeds import looks_like_feed, looks_like_sitemap

    head = item.data[:_SNIFF_BYTES]
    if looks_like_feed(head):
        what, option = "an RSS/Atom feed", "--feed"
    elif head.lstrip().startswith(b"<") and looks_like_sitemap(head):
        what, option = "a sitemap", "--sitemap"
    else:
        return None
    return (
        f"{what} lists pages but is not one: fetch its pages with "
        f"'warta crawl {option} URL -o pages.jsonl', then ingest pages.jsonl"
    )


def item_key(item: Page | ReadFailure) -> str:
    if isinstance(item, ReadFailure):
        return page_key(item.source, f"\0failure:{item.error.reason}:{item.error.message}")
    content = item.data if item.data is not None else (item.text or "")
    return page_key(item.source, content)


def chains(items: Iterable[Page | ReadFailure]) -> Iterator[list[Page | ReadFailure]]:
    """Consecutive pages that may be joined into one article (their URLs count pages up by
    one on one base); every other item alone. At least as coarse as :func:`join_pages`."""
    chain: list[Page | ReadFailure] = []
    base: str | None = None
    number = 0
    for item in items:
        url = item.url if isinstance(item, Page) else None
        found = page_of(url) if url else None
        here, page = found if found is not None else ((url or "").rstrip("/"), 1)
        if chain and url and base == here and page == number + 1 and page > 1:
            chain.append(item)
            number = page
            continue
        if chain:
            yield chain
        chain, base, number = [item], (here if url else None), page
    if chain:
        yield chain
