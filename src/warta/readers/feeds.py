"""Feeds (RSS 0.9x/1.0/2.0, Atom) and sitemaps (urlset, sitemapindex, Google News, text):
the crawler fetches, these functions read. No network access happens here.

Contract
--------
* **URLs** are resolved against the ``url`` the document was fetched from (RSS ``<link>``,
  Atom ``xml:base``, sitemap ``<loc>``, robots ``Sitemap:``). Only ``http``/``https`` URLs
  with a host, at most :data:`MAX_URL_CHARS` long and free of control characters, are kept
  (spaces are written ``%20``); every entry without one is *dropped* and counted in
  :class:`ParseStats`. An RSS ``<guid>`` serves as the link only when it is an absolute URL
  (a relative guid is an identifier, not an address). Text sitemaps must list absolute
  URLs (the protocol says so): a relative line is dropped, not resolved.
* **Datetimes** are always timezone-aware. A written offset or zone is kept as written
  (``WIB`` is +07:00, via :func:`warta.meta.dates.find_datetimes`, so Indonesian
  ``Senin, 06 Mei 2024 10:00 WIB`` works); otherwise feedparser's UTC ``struct_time`` is
  used. A date or time with **no zone at all is taken as UTC**. Years outside 1900-2100
  count as no date.
* **Errors**: the parsers raise only :class:`warta.core.errors.MalformedRecord` (reason on one
  line, ``source`` is ``url``) and only when nothing usable can be read: empty input, not
  a feed / not a sitemap, XML broken before its first entry, corrupt gzip, a gzip stream
  that decompresses beyond ``max_bytes``. A document that breaks off *after* some entries
  returns those entries and puts the reason in ``ParseStats.error``. A sitemap broken by
  bare ``&`` in URLs (the commonest defect) is read again with them escaped. A
  well-formed feed or sitemap with no entries returns an empty result.
* **Counting**: pass ``stats=ParseStats()`` to learn how many entries were seen, kept and
  dropped, whether ``max_urls`` cut the sitemap short, and any tolerated error.
* **Hardening**: sitemap XML goes through lxml with ``resolve_entities=False``,
  ``no_network=True``, ``load_dtd=False``, ``huge_tree=False``; a ``<loc>`` holding an
  entity reference is dropped, so neither billion-laughs nor external entities expand.
  The internal DTD subset is cut before parsing (sitemaps never need one), so the result
  does not depend on libxml2's amplification policy, which changed in 2.14.
  Feeds go through feedparser after :func:`_defuse_dtd` has cut the internal DTD subset
  down to flat, short entity declarations (a nested, long or external entity is declared
  empty, so its references expand to nothing; parameter entities go): feedparser's own
  filter misses declarations that do not start a line, and expat stops a billion-laughs
  document only after 8 MiB of expansion, seconds of feedparser time. A sitemap stops after ``max_urls`` entries
  (default 50,000, the protocol maximum); gzip input (sniffed by its magic bytes, for
  feeds too) is decompressed incrementally and refused beyond ``max_bytes`` (default
  50 MiB, the protocol maximum), so a gzip bomb costs at most that much.
* **Cost**: a sitemap reads at about 25 MB/s (50,000 Google News entries in ~0.7 s).
  feedparser costs some 15-30 microseconds per XML element, so a hostile feed of 600 KB
  of nested empty tags takes seconds: the caller should cap the size of what it fetches.
* A sitemap whose root is a feed (the protocol allows RSS and Atom) is read with
  :func:`parse_feed`: entry title and published date fill ``news_title`` and
  ``news_published``, the modified (else published) date fills ``lastmod``.
"""

from __future__ import annotations

import html
import io
import re
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from warta.core import diskcache
from warta.core.errors import MalformedRecord
from warta.meta.dates import find_datetimes

__all__ = [
    "MAX_CONTENT_CHARS",
    "MAX_SITEMAP_BYTES",
    "MAX_SITEMAP_URLS",
    "MAX_URL_CHARS",
    "FeedEntry",
    "ParseStats",
    "Sitemap",
    "SitemapUrl",
    "looks_like_feed",
    "looks_like_sitemap",
    "parse_feed",
    "parse_sitemap",
    "sitemaps_from_robots",
]

#: Most ``<url>``/``<sitemap>`` entries (or text lines) read from one sitemap: the protocol's.
MAX_SITEMAP_URLS = 50_000
#: Most bytes a gzip-compressed sitemap or feed may decompress to: the protocol's 50 MiB.
MAX_SITEMAP_BYTES = 50 * 1024 * 1024
#: Longest URL kept (the sitemap protocol allows 2,048; some real URLs are longer).
MAX_URL_CHARS = 4096
#: Most characters of an item's content kept (cut at a tag): a long article is some 50,000
#: characters of HTML, so only a hostile or broken feed comes near this.
MAX_CONTENT_CHARS = 1_000_000

_GZIP_MAGIC = b"\x1f\x8b"
_HEAD_BYTES = 8192
_GUNZIP_PIECE = 1 << 20
_YEAR_MIN, _YEAR_MAX = 1900, 2100
_SITEMAP_ROOTS = ("urlset", "sitemapindex")
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item of a feed. ``summary`` is plain text (tags removed, entities decoded).

    ``content`` is the item's full text as HTML when the feed carries it (RSS
    ``content:encoded``, Atom ``<content>``; plain-text content is escaped into paragraphs),
    as feedparser sanitised it, at most :data:`MAX_CONTENT_CHARS`; else None. The crawler
    needs only the URL; readers that take a feed as pages need the text.
    """

    url: str
    title: str | None
    published: datetime | None
    modified: datetime | None
    authors: tuple[str, ...]
    summary: str | None
    tags: tuple[str, ...]
    content: str | None = None


@dataclass(frozen=True, slots=True)
class SitemapUrl:
    """One ``<url>`` of a urlset; the ``news_*`` fields come from a Google News ``<news:news>``."""

    url: str
    lastmod: datetime | None
    news_title: str | None
    news_published: datetime | None
    news_publication: str | None
    language: str | None


@dataclass(frozen=True, slots=True)
class Sitemap:
    """A parsed sitemap: page URLs (``urlset``) and/or child sitemaps (``sitemapindex``)."""

    urls: tuple[SitemapUrl, ...]
    children: tuple[str, ...]


@dataclass(slots=True)
class ParseStats:
    """What one parse saw; pass an instance as ``stats=`` and read it afterwards.

    ``seen`` entries (feed items, ``<url>``/``<sitemap>`` elements, text lines) = ``kept`` +
    ``dropped`` (no usable http(s) URL). ``truncated`` is set when ``max_urls`` stopped the
    read; ``error`` holds a tolerated problem (a document that broke off after some entries,
    a feed feedparser had to recover, a truncated gzip stream). ``format`` names what was
    read: feedparser's version (``rss20``, ``atom10``, ...), ``urlset``, ``sitemapindex``,
    ``text``, or ``feed:<version>`` for a feed read as a sitemap; ``gzip`` is set when the
    input was compressed.
    """

    seen: int = 0
    kept: int = 0
    dropped: int = 0
    truncated: bool = False
    error: str | None = None
    format: str | None = None
    gzip: bool = False


# --------------------------------------------------------------------------- helpers


def _one_line(value: object, limit: int = 200) -> str:
    text = " ".join(str(value).split())
    return text[:limit] if text else type(value).__name__


_CONTROL = diskcache.compile(r"[\x00-\x1f\x7f]")
#: An absolute http(s) URL whose authority is plainly a host (optional user and port).
_SIMPLE_HTTP_URL = diskcache.compile(
    r"https?://(?:[^/?#@\[\]]*@)?[^/?#:@\[\]\\]+(?::\d*)?(?:[/?#]|\Z)", re.IGNORECASE
)


def _absolute(raw: str | None, base: str) -> str | None:
    """``raw`` resolved against ``base`` if it is a usable http(s) URL, else None."""
    if not raw:
        return None
    text = raw.strip()
    if not text or len(text) > MAX_URL_CHARS or _CONTROL.search(text):
        return None
    if " " in text:
        text = text.replace(" ", "%20")
    if _SIMPLE_HTTP_URL.match(text):
        return text  # the common case, without urlsplit's cost
    try:
        joined = text if _is_absolute_http(text) or not base else urljoin(base, text)
        parts = urlsplit(joined)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if len(joined) > MAX_URL_CHARS:
        return None
    return joined


def _is_absolute_http(raw: str) -> bool:
    return raw[:8].lower().startswith(("http://", "https://"))


def _date(raw: object, parsed: object = None) -> datetime | None:
    """A timezone-aware datetime from a date string (and feedparser's UTC struct_time).

    Preference: an ISO 8601 value with an offset; a date with time and a written zone
    (``WIB``, ``+0700``, ``GMT``); feedparser's UTC reading; then a zoneless reading, taken
    as UTC.
    """
    text = " ".join(raw.split())[:160] if isinstance(raw, str) else ""
    iso: datetime | None = None
    if text:
        try:
            iso = datetime.fromisoformat(text)
        except ValueError:
            iso = None
    if iso is not None and iso.tzinfo is not None:
        return _in_range(iso)
    match = None
    if text and iso is None:
        try:
            found = find_datetimes(text)
        except Exception:  # never let a date string break a whole feed
            found = []
        match = found[0] if found else None
        if match is not None and match.has_time and match.value.tzinfo is not None:
            return _in_range(match.value)
    if isinstance(parsed, tuple) and len(parsed) >= 6:  # time.struct_time is a tuple
        try:
            y, mo, d, h, mi, s = (int(v) for v in parsed[:6])
            return _in_range(datetime(y, mo, d, h, mi, min(s, 59), tzinfo=UTC))
        except (TypeError, ValueError, OverflowError):
            pass
    naive = iso if iso is not None else (match.value if match is not None else None)
    if naive is None:
        return None
    return _in_range(naive if naive.tzinfo is not None else naive.replace(tzinfo=UTC))


def _in_range(value: datetime) -> datetime | None:
    return value if _YEAR_MIN <= value.year <= _YEAR_MAX else None


# Block-level tags (and images) separate words; inline ones (<b>, <a>, <span>) do not.
_BLOCK_TAG = diskcache.compile(
    r"<\s*/?\s*(?:p|br|div|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|section|article|"
    r"figure|figcaption|hr|img|pre|dd|dt)\b[^>]*>",
    re.IGNORECASE,
)
_TAG = diskcache.compile(r"<[^>]*>")


def _plain(value: object, *, markup: bool) -> str | None:
    """Collapsed plain text; ``markup`` strips tags and decodes entities first."""
    if not isinstance(value, str):
        return None
    text = html.unescape(_TAG.sub("", _BLOCK_TAG.sub(" ", value))) if markup else value
    text = " ".join(text.split())
    return text or None


def _unique(values: Iterable[str | None]) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for value in values:
        if value:
            text = " ".join(value.split())
            if text:
                out.setdefault(text)
    return tuple(out)


def _gunzip(data: bytes, max_bytes: int, stats: ParseStats, source: str) -> bytes:
    """Decompress gzip ``data`` (all members), refusing more than ``max_bytes`` of output.

    Output comes in pieces of at most 1 MiB, so a bomb is stopped after ``max_bytes``
    (plus one piece) were produced, never more.
    """
    pieces: list[bytes] = []
    size = 0
    decomp = zlib.decompressobj(wbits=31)
    buf = data
    try:
        while True:
            before = len(buf)
            chunk = decomp.decompress(buf, min(max_bytes - size + 1, _GUNZIP_PIECE))
            pieces.append(chunk)
            size += len(chunk)
            if size > max_bytes:
                raise MalformedRecord(
                    f"gzip data decompresses to more than {max_bytes} bytes", source=source
                )
            buf = decomp.unconsumed_tail
            if decomp.eof:
                rest = decomp.unused_data
                if rest[:2] != _GZIP_MAGIC:
                    break  # trailing padding after the last member is ignored
                decomp = zlib.decompressobj(wbits=31)
                buf = rest
            elif not chunk and (not buf or len(buf) == before):
                stats.error = "gzip stream ends early (truncated download?)"
                break
    except zlib.error as exc:
        raise MalformedRecord(f"corrupt gzip data: {_one_line(exc)}", source=source) from exc
    return b"".join(pieces)


def _inflated(data: bytes, max_bytes: int, stats: ParseStats, source: str, what: str) -> bytes:
    """The document's bytes, gunzipped when gzip-compressed; an empty one is malformed."""
    raw = data
    if raw[:2] == _GZIP_MAGIC:
        stats.gzip = True
        raw = _gunzip(raw, max_bytes, stats, source)
    if not raw.strip():
        raise MalformedRecord(f"empty {what}", source=source)
    return raw


def _peek_gzip(data: bytes) -> bytes:
    """The first bytes of gzip ``data``: what inflates before any corruption further on (so
    a damaged feed is still known as a feed, and reported as one)."""
    decomp = zlib.decompressobj(wbits=31)
    out = b""
    try:
        for start in range(0, min(len(data), 65536), 128):
            out += decomp.decompress(data[start : start + 128], _HEAD_BYTES - len(out))
            if len(out) >= _HEAD_BYTES or decomp.eof:
                break
    except zlib.error:
        pass
    return out


def _head_text(data: bytes) -> str:
    """The first bytes as text, good enough to find the root element and test lines."""
    head = data[:_HEAD_BYTES]
    if head[:2] == _GZIP_MAGIC:
        head = _peek_gzip(data)
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return head.decode("utf-16", "ignore")
    if head[:2] == b"<\x00":
        return head.decode("utf-16-le", "ignore")
    if head[:2] == b"\x00<":
        return head.decode("utf-16-be", "ignore")
    text = head.decode("utf-8", "replace")
    return text.removeprefix("\ufeff")


_COMMENT = diskcache.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_ROOT = diskcache.compile(r"<(?![?!/])([A-Za-z_][\w.:-]*)")


def _root_name(head: str) -> str | None:
    """Local name (lower case) of the first element in ``head``, or None."""
    m = _ROOT.search(_COMMENT.sub("", head))
    return m.group(1).rpartition(":")[2].lower() if m else None


def _is_feed_root(name: str | None, head: str) -> bool:
    if name in ("rss", "feed"):
        return True
    if name == "rdf":
        low = head.lower()
        return "purl.org/rss/" in low or "netscape.com" in low or "<channel" in low
    return False


def _is_xml(head: str) -> bool:
    return head.lstrip(" \t\r\n\ufeff").startswith("<")


# --------------------------------------------------------------------------- feeds


def parse_feed(
    data: bytes,
    url: str,
    *,
    stats: ParseStats | None = None,
    max_bytes: int = MAX_SITEMAP_BYTES,
) -> list[FeedEntry]:
    """Entries of an RSS 0.9x/1.0/2.0 or Atom feed, in document order.

    Raises :class:`MalformedRecord` when ``data`` is not a feed (or a broken one with no
    entry); see the module docstring for URLs, dates and counting.
    """
    st = stats if stats is not None else ParseStats()
    raw = _inflated(data, max_bytes, st, url, "feed")
    raw = _defuse_dtd(raw, url)
    # Imported here: every page read is sniffed with this module, few of them are feeds.
    import feedparser  # type: ignore[import-untyped, unused-ignore]

    try:
        # A stream, never bytes: feedparser would treat a bytes URL or path as one to open.
        # No Content-Location: relative links stay relative and are resolved against ``url``.
        result = feedparser.parse(
            io.BytesIO(raw),
            response_headers={"content-type": "application/xml"},
            resolve_relative_uris=False,
        )
        version = str(result.get("version") or "")
        entries = list(result.get("entries") or [])
        problem = result.get("bozo_exception") if result.get("bozo") else None
    except Exception as exc:  # feedparser on hostile bytes: no exception escapes
        raise MalformedRecord(f"feed parser failed: {_one_line(exc)}", source=url) from exc
    reason = _one_line(problem) if problem is not None else None
    if not entries and (not version or reason):
        raise MalformedRecord(f"not a feed: {reason or 'no RSS or Atom root element'}", source=url)
    st.format = version or None
    if reason:
        st.error = reason
    out: list[FeedEntry] = []
    for entry in entries:
        st.seen += 1
        try:
            item = _feed_entry(entry, url)
        except Exception:  # one odd entry never costs the others
            item = None
        if item is None:
            st.dropped += 1
            continue
        st.kept += 1
        out.append(item)
    return out


# An internal DTD subset, read just well enough to rewrite its entity declarations.
_SUBSET_SKIP = re.compile(rb"\s+|%[\w.:-]+;|<!--.*?-->|<\?.*?\?>", re.DOTALL)
_DECLARATION = re.compile(rb"<!([A-Z]+)(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")
_GENERAL_ENTITY = re.compile(
    rb"<!ENTITY\s+([A-Za-z_]\w*)\s+(?:\"([^\"]*)\"|'([^']*)'|(?:SYSTEM|PUBLIC)\b[^>]*)\s*>"
)
_PROLOG_SKIP = re.compile(rb"(?:\s+|\xef\xbb\xbf|<\?.*?\?>|<!--.*?-->)*", re.DOTALL)
_DOCTYPE_HEAD = re.compile(rb"<!DOCTYPE(?:[^>\[\"']|\"[^\"]*\"|'[^']*')*")
_FLAT_VALUE = re.compile(rb"&#(?:\d{1,7}|x[0-9A-Fa-f]{1,6});|[^&%<>\"]{0,32}")
_SUBSET_END = re.compile(rb"\]\s*>")
_MAX_ENTITIES = 256


def _defuse_dtd(raw: bytes, source: str) -> bytes:
    """``raw`` with an internal DTD subset rewritten to flat, short entities only.

    feedparser's own filter only sees declarations that start a line, and expat caps
    amplification only after 8 MiB of expansion (seconds of feedparser callbacks). So each
    general entity is declared again here, one a line: with its value when that is one
    character reference or at most 32 bytes (ten times its reference) without ``&``, ``%``,
    ``<``, ``>``, ``"``; else (nested as in billion laughs, long as in the quadratic
    blow-up, external) as the empty string, so its references expand to nothing and the
    feed still parses strictly. Other declarations and parameter entities go. A document
    with no entity declaration passes unchanged.
    """
    if b"<!ENTITY" not in raw:
        if b"<\x00!\x00E\x00N\x00T" in raw or b"\x00<\x00!\x00E\x00N\x00T" in raw:
            raise MalformedRecord("not read: UTF-16 feed declaring DTD entities", source=source)
        return raw
    prolog = _PROLOG_SKIP.match(raw)
    head = _DOCTYPE_HEAD.match(raw, prolog.end() if prolog else 0)
    if head is None or raw[head.end() : head.end() + 1] != b"[":
        return raw  # no internal subset: any <!ENTITY is in content and is not one
    pos = head.end() + 1
    entities: dict[bytes, bytes] = {}
    while True:
        skip = _SUBSET_SKIP.match(raw, pos)
        if skip is not None:
            pos = skip.end()
            continue
        if raw[pos : pos + 1] == b"]":
            break
        decl = _DECLARATION.match(raw, pos)
        if decl is None:
            raise MalformedRecord("not a feed: unreadable DTD subset", source=source)
        entity = _GENERAL_ENTITY.fullmatch(decl.group())
        if entity is not None and len(entities) < _MAX_ENTITIES:
            name, double, single = entity.groups()
            value = double if double is not None else single
            flat = value is not None and _FLAT_VALUE.fullmatch(value) is not None
            entities.setdefault(name, value if flat and value is not None else b"")
        pos = decl.end()
    close = _SUBSET_END.match(raw, pos)
    if close is None:
        raise MalformedRecord("not a feed: unterminated DOCTYPE", source=source)
    lines = [b'<!ENTITY %s "%s">' % item for item in entities.items()]
    # The DOCTYPE and each declaration on a line of its own: feedparser looks for them at
    # line starts only.
    before = raw[: head.start()]
    if before and not before.endswith(b"\n"):
        before += b"\n"
    subset = b"[\n" + b"\n".join(lines) + b"\n]" if lines else b""
    return before + raw[head.start() : head.end()] + subset + b">" + raw[close.end() :]


def _get(entry: Any, key: str) -> Any:
    # dict.get: FeedParserDict maps a missing "updated" to "published" (with a warning).
    return dict.get(entry, key) if isinstance(entry, dict) else None


def _entry_link(entry: Any, base: str) -> str | None:
    link = _get(entry, "link")
    origin = _get(entry, "feedburner_origlink")
    if isinstance(origin, str) and _is_absolute_http(origin.strip()):
        found = _absolute(origin, base)
        if found:
            return found
    if isinstance(link, str) and link:
        from_guid = bool(_get(entry, "guidislink")) and link == _get(entry, "id")
        if not from_guid or _is_absolute_http(link.strip()):
            found = _absolute(link, base)
            if found:
                return found
    for candidate in _get(entry, "links") or ():
        if isinstance(candidate, Mapping) and candidate.get("rel", "alternate") == "alternate":
            found = _absolute(candidate.get("href"), base)
            if found:
                return found
    return None


def _detail_is_html(entry: Any, key: str) -> bool:
    detail = _get(entry, key)
    return isinstance(detail, Mapping) and detail.get("type") in _HTML_TYPES


def _feed_entry(entry: Any, base: str) -> FeedEntry | None:
    link = _entry_link(entry, base)
    if link is None:
        return None
    published = _date(_get(entry, "published"), _get(entry, "published_parsed"))
    if published is None:
        published = _date(_get(entry, "created"), _get(entry, "created_parsed"))
    modified = _date(_get(entry, "updated"), _get(entry, "updated_parsed"))
    authors: list[str | None] = []
    for author in _get(entry, "authors") or ():
        if isinstance(author, Mapping) and isinstance(author.get("name"), str):
            authors.append(author["name"])
    if not authors and isinstance(_get(entry, "author"), str):
        authors.append(_get(entry, "author"))
    tags: list[str | None] = []
    for tag in _get(entry, "tags") or ():
        if isinstance(tag, Mapping):
            label = tag.get("label") or tag.get("term")
            tags.append(label if isinstance(label, str) else None)
    return FeedEntry(
        url=link,
        title=_plain(_get(entry, "title"), markup=_detail_is_html(entry, "title_detail")),
        # An entry with only an update date (RSS 1.0 dc:date, Atom without <published>)
        # was first published then, as far as anyone can tell.
        published=published if published is not None else modified,
        modified=modified,
        authors=_unique(authors),
        summary=_plain(_get(entry, "summary"), markup=True),
        tags=_unique(tags),
        content=_content(entry),
    )


def _content(entry: Any) -> str | None:
    """The longest of the entry's ``content`` values as HTML, bounded, or None.

    feedparser lists RSS ``content:encoded`` and each Atom ``<content>`` there (already
    sanitised: no scripts, no event handlers); Atom ``type="text"`` content is plain text
    and is escaped, one paragraph per blank-line-separated block.
    """
    best: str | None = None
    for detail in _get(entry, "content") or ():
        if not isinstance(detail, Mapping) or not isinstance(detail.get("value"), str):
            continue
        value: str = detail["value"]
        if detail.get("type") not in _HTML_TYPES:
            value = _paragraphs(value)
        if value.strip() and (best is None or len(value) > len(best)):
            best = value
    if best is None:
        return None
    if len(best) > MAX_CONTENT_CHARS:
        cut = best.rfind("<", 0, MAX_CONTENT_CHARS)
        best = best[: cut if cut > 0 else MAX_CONTENT_CHARS]
    return best


def _paragraphs(text: str) -> str:
    blocks = (" ".join(block.split()) for block in re.split(r"\n\s*\n", text))
    return "".join(f"<p>{html.escape(block, quote=False)}</p>" for block in blocks if block)


# --------------------------------------------------------------------------- sitemaps


def parse_sitemap(
    data: bytes,
    url: str,
    *,
    max_urls: int = MAX_SITEMAP_URLS,
    max_bytes: int = MAX_SITEMAP_BYTES,
    stats: ParseStats | None = None,
) -> Sitemap:
    """Page URLs and child sitemaps of an XML sitemap, sitemap index, Google News sitemap,
    text sitemap (one URL per line) or a feed used as a sitemap; gzip is sniffed.

    Reads at most ``max_urls`` entries and decompresses at most ``max_bytes``. Raises
    :class:`MalformedRecord` when nothing usable can be read (see the module docstring).
    """
    st = stats if stats is not None else ParseStats()
    raw = _inflated(data, max_bytes, st, url, "sitemap")
    head = _head_text(raw)
    if not _is_xml(head):
        return _text_sitemap(raw, url, max_urls, st)
    root = _root_name(head)
    if _is_feed_root(root, head):
        return _feed_sitemap(raw, url, max_urls, max_bytes, st)
    if root is not None and root not in _SITEMAP_ROOTS:
        raise MalformedRecord(f"not a sitemap: root element <{root}>", source=url)
    return _xml_sitemap(raw, url, max_urls, st, root)


def _text_sitemap(raw: bytes, base: str, max_urls: int, st: ParseStats) -> Sitemap:
    st.format = "text"
    if b"\x00" in raw:
        raise MalformedRecord("not a sitemap: binary data", source=base)
    urls: list[SitemapUrl] = []
    for line in raw.decode("utf-8", "replace").splitlines():
        text = line.strip().removeprefix("\ufeff")
        if not text or text.startswith("#"):
            continue
        if st.seen >= max_urls:
            st.truncated = True
            break
        st.seen += 1
        found = _absolute(text, "") if _is_absolute_http(text) else None
        if found is None:
            st.dropped += 1
            continue
        st.kept += 1
        urls.append(SitemapUrl(found, None, None, None, None, None))
    if not urls:
        raise MalformedRecord("not a sitemap: no URL lines", source=base)
    return Sitemap(urls=tuple(urls), children=())


def _feed_sitemap(raw: bytes, base: str, max_urls: int, max_bytes: int, st: ParseStats) -> Sitemap:
    entries = parse_feed(raw, base, stats=st, max_bytes=max_bytes)
    st.format = f"feed:{st.format or 'unknown'}"
    if len(entries) > max_urls:
        st.truncated = True
        entries = entries[:max_urls]
    urls = tuple(
        SitemapUrl(
            url=e.url,
            lastmod=e.modified or e.published,
            news_title=e.title,
            news_published=e.published,
            news_publication=None,
            language=None,
        )
        for e in entries
    )
    return Sitemap(urls=urls, children=())


@dataclass(slots=True)
class _XmlRead:
    urls: list[SitemapUrl]
    children: list[str]
    root: str | None = None
    seen: int = 0
    dropped: int = 0
    truncated: bool = False
    error: str | None = None


# A bare "&" (not starting an entity or character reference), or a CDATA section / comment,
# which is kept as it is: "&" is literal there.
_BARE_AMP = re.compile(
    rb"<!\[CDATA\[.*?(?:\]\]>|\Z)|<!--.*?(?:-->|\Z)|&(?!(?:[A-Za-z_][\w.-]*|#\d+|#x[0-9A-Fa-f]+);)",
    re.DOTALL,
)


def _escape_amp(match: re.Match[bytes]) -> bytes:
    return b"&amp;" if match.group() == b"&" else match.group()


# ``<!DOCTYPE root [ ... ]>`` with an internal subset, and the general entities it declares.
_INTERNAL_SUBSET = re.compile(rb"<!DOCTYPE[^\[>]*\[(.*?)\]\s*>", re.DOTALL)
_ENTITY_DECL = re.compile(rb"<!ENTITY\s+([A-Za-z_][\w.-]*)\s")


def _detach_dtd(raw: bytes) -> bytes:
    """The sitemap without its internal DTD subset; references to the entities it declared
    become an empty ``<_entity/>`` element, so the ``<loc>`` holding one is dropped.

    Sitemaps never need a DTD. Cutting it before lxml sees the document gives the same
    entries whatever libxml2's amplification policy is (2.14 refuses a billion-laughs
    document outright, older releases stop part-way).
    """
    found = _INTERNAL_SUBSET.search(raw, 0, 4096 + len(raw) // 64)
    if found is None or b"<urlset" in raw[: found.start()] or b"<sitemapindex" in raw[: found.start()]:
        return raw
    names = set(_ENTITY_DECL.findall(found.group(1)))
    rest = raw[found.end() :]
    if names:
        reference = re.compile(rb"&(" + b"|".join(re.escape(n) for n in sorted(names)) + rb");")
        rest = reference.sub(b"<_entity/>", rest)
    return raw[: found.start()] + rest


def _xml_sitemap(
    raw: bytes, base: str, max_urls: int, st: ParseStats, sniffed: str | None
) -> Sitemap:
    raw = _detach_dtd(raw)
    read = _read_xml(raw, base, max_urls)
    if read.error is not None:
        # The commonest sitemap defect: "&" unescaped in a URL. Escape and read again.
        fixed = _BARE_AMP.sub(_escape_amp, raw)
        if fixed != raw:
            again = _read_xml(fixed, base, max_urls)
            if again.error is None or again.seen > read.seen:
                read = again
    root = read.root or sniffed
    if root not in _SITEMAP_ROOTS:
        what = f"root element <{root}>" if root else read.error or "no root element"
        raise MalformedRecord(f"not a sitemap: {what}", source=base)
    if read.error is not None and read.seen == 0:
        raise MalformedRecord(f"broken sitemap XML: {read.error}", source=base)
    st.format = root
    st.seen += read.seen
    st.dropped += read.dropped
    st.kept += len(read.urls) + len(read.children)
    st.truncated = st.truncated or read.truncated
    if read.error is not None:
        st.error = f"sitemap XML breaks off after {read.seen} entries: {read.error}"
    return Sitemap(urls=tuple(read.urls), children=tuple(read.children))


_LOCAL_NAMES: dict[str, str] = {}


def _local(tag: object) -> str:
    """``{namespace}name`` -> ``name`` (remembered: a sitemap repeats a handful of tags)."""
    if not isinstance(tag, str):
        return ""  # comments, entity references
    name = _LOCAL_NAMES.get(tag)
    if name is None:
        name = tag.rpartition("}")[2]
        if len(_LOCAL_NAMES) < 4096:
            _LOCAL_NAMES[tag] = name
    return name


def _text(element: Any) -> str | None:
    """Text of a leaf-like element (its text and the tails of any children), collapsed."""
    if element is None:
        return None
    text = element.text or ""
    if len(element):
        text += "".join(child.tail or "" for child in element)
    return " ".join(text.split()) or None


def _loc(element: Any, base: str) -> str | None:
    if element is None or len(element):  # children: entity references, never expanded
        return None
    text = element.text
    return _absolute(text, base) if isinstance(text, str) else None


def _read_xml(raw: bytes, base: str, max_urls: int) -> _XmlRead:
    # imported here: lxml costs ≈15 ms, and a run that reads no sitemap never needs it
    from lxml import etree  # type: ignore[import-untyped, unused-ignore]

    read = _XmlRead(urls=[], children=[])
    try:
        context = etree.iterparse(
            io.BytesIO(raw),
            events=("end",),
            tag=("{*}url", "{*}sitemap"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            recover=False,
            remove_comments=True,
            remove_pis=True,
        )
        for _event, element in context:
            parent = element.getparent()
            if read.root is None:
                read.root = _local(element.getroottree().getroot().tag).lower() or None
            kind = _local(element.tag)
            if parent is None or (kind, _local(parent.tag)) not in (
                ("url", "urlset"),
                ("sitemap", "sitemapindex"),
            ):
                continue
            if read.seen >= max_urls:
                read.truncated = True
                break
            read.seen += 1
            if kind == "url":
                item = _sitemap_url(element, base)
                if item is None:
                    read.dropped += 1
                else:
                    read.urls.append(item)
            else:
                loc = _loc(element.find("{*}loc"), base)
                if loc is None:
                    read.dropped += 1
                else:
                    read.children.append(loc)
            element.clear(keep_tail=False)
            while element.getprevious() is not None:
                del parent[0]
        if read.root is None and context.root is not None:
            read.root = _local(context.root.tag).lower() or None
    except Exception as exc:  # XMLSyntaxError, unknown encodings, ...: reported, not raised
        read.error = _one_line(exc)
    return read


def _sitemap_url(element: Any, base: str) -> SitemapUrl | None:
    loc_el = lastmod_el = news_el = None
    for child in element:
        name = _local(child.tag)
        if name == "loc":
            loc_el = loc_el if loc_el is not None else child
        elif name == "lastmod":
            lastmod_el = child
        elif name == "news":
            news_el = child
    loc = _loc(loc_el, base)
    if loc is None:
        return None
    title = published = publication = language = None
    if news_el is not None:
        for child in news_el:
            name = _local(child.tag)
            if name == "title":
                title = _text(child)
            elif name == "publication_date":
                published = _date(_text(child))
            elif name == "publication":
                for sub in child:
                    sub_name = _local(sub.tag)
                    if sub_name == "name":
                        publication = _text(sub)
                    elif sub_name == "language":
                        lang = _text(sub)
                        language = lang.lower() if lang else None
    return SitemapUrl(
        url=loc,
        lastmod=_date(_text(lastmod_el)),
        news_title=title,
        news_published=published,
        news_publication=publication,
        language=language,
    )


# --------------------------------------------------------------------------- robots.txt

_SITEMAP_LINE = diskcache.compile(r"(?im)^[ \t]*site-?map[ \t]*:[ \t]*([^\s#]+)")


def sitemaps_from_robots(text: str, base_url: str) -> list[str]:
    """Absolute http(s) URLs of the ``Sitemap:`` lines of a robots.txt, in order, once each.

    Relative values are resolved against ``base_url`` (the robots.txt URL); comments are
    ignored; other schemes are dropped.
    """
    from protego import Protego  # only a run that reads robots.txt needs it

    body = text.removeprefix("\ufeff")
    try:
        found = [str(s) for s in Protego.parse(body).sitemaps]
    except Exception:  # protego on hostile text: fall back to a plain line scan
        found = _SITEMAP_LINE.findall(body)
    out: dict[str, None] = {}
    for raw in found:
        absolute = _absolute(raw, base_url)
        if absolute is not None:
            out.setdefault(absolute)
    return list(out)


# --------------------------------------------------------------------------- sniffing


def looks_like_feed(data: bytes) -> bool:
    """Whether ``data`` (possibly gzip) starts like an RSS, RDF or Atom document."""
    try:
        head = _head_text(data)
        return _is_xml(head) and _is_feed_root(_root_name(head), head)
    except Exception:
        return False


_URL_LINE = diskcache.compile(r"https?://\S+", re.IGNORECASE)


def looks_like_sitemap(data: bytes) -> bool:
    """Whether ``data`` (possibly gzip) starts like a urlset or sitemap index, or like a text
    sitemap: of its first five lines (blank and ``#`` lines skipped) the first and most are
    absolute http(s) URLs."""
    try:
        head = _head_text(data)
        if _is_xml(head):
            return _root_name(head) in _SITEMAP_ROOTS
        lines = head.splitlines()
        if len(head) >= _HEAD_BYTES and len(lines) > 1:
            lines = lines[:-1]  # the last line may be cut off
        first = [t for t in (line.strip() for line in lines) if t and not t.startswith("#")][:5]
        hits = [bool(_URL_LINE.fullmatch(line)) for line in first]
        return bool(hits) and hits[0] and 2 * sum(hits) > len(hits)
    except Exception:
        return False
