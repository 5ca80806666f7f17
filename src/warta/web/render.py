"""An article's body as HTML: paragraphs and crossheads, entity mentions linked to their entity
pages and marked by type, time expressions with their resolved value on hover.

Every piece of text is escaped; the only markup is what this module writes, so nothing from a
page can reach the reader's browser as HTML.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from warta.core.record import Article
from warta.web.i18n import DEFAULT, Translator, date_text
from warta.web.timex import timex_text

WIB = ZoneInfo("Asia/Jakarta")
_TYPE_CLASS = {"PERSON": "per", "ORGANIZATION": "org", "PLACE": "plc"}


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    html_open: str
    html_close: str


def _spans(article: Article, lang: str) -> list[Span]:
    """Entity and time spans, left to right, overlaps dropped (entities win). A time's hover
    text says its resolved value in words of ``lang``, with the TIMEX3 value beside it."""
    wanted: list[tuple[int, int, int, Span]] = []
    for m in article.entities:
        key = m.entity_id or m.canonical or m.text
        cls = _TYPE_CLASS.get(m.type, "oth")
        title = f"{m.type}: {m.canonical or m.text}"
        href = "/entity/" + quote(key, safe="")
        opening = f'<a class="ent {cls}" href="{escape(href)}" title="{escape(title)}">'
        wanted.append((m.start, 0, m.end, Span(m.start, m.end, opening, "</a>")))
    for t in article.times:
        title = t.type
        if t.value:
            words = timex_text(t.value, lang)
            title += f": {words}" + (f" ({t.value})" if words != t.value else "")
        opening = f'<span class="time" title="{escape(title)}">'
        wanted.append((t.start, 1, t.end, Span(t.start, t.end, opening, "</span>")))
    wanted.sort(key=lambda w: (w[0], w[1], -w[2]))
    out: list[Span] = []
    last_end = -1
    for start, _, end, span in wanted:
        if start >= last_end and end > start:
            out.append(span)
            last_end = end
    return out


def body_html(article: Article, lang: str = DEFAULT) -> Markup:
    """The body as <p> and <h2> blocks with the spans marked (hover texts in ``lang``)."""
    spans = _spans(article, lang)
    parts: list[str] = []
    blocks = article.blocks or []
    if not blocks and article.body:
        from warta.core.record import Block

        blocks = [Block(kind="paragraph", start=0, end=len(article.body))]
    i = 0
    for block in blocks:
        tag = "h2" if block.kind == "heading" else ("blockquote" if block.kind == "quote" else "p")
        pos = block.start
        html: list[str] = []
        while i < len(spans) and spans[i].end <= block.start:
            i += 1
        j = i
        while j < len(spans) and spans[j].start < block.end:
            s = spans[j]
            if s.start >= pos and s.end <= block.end:
                html.append(str(escape(article.body[pos : s.start])))
                html.append(s.html_open + str(escape(article.body[s.start : s.end])) + s.html_close)
                pos = s.end
            j += 1
        html.append(str(escape(article.body[pos : block.end])))
        parts.append(f'<{tag} id="b{block.start}">' + "".join(html) + f"</{tag}>")
    return Markup("\n".join(parts))


def when(value: datetime | None, lang: str = "en") -> str:
    """A publish time in WIB, with the zone it was stated in when that differs; month names
    and "undated" in the interface language ``lang``."""
    if value is None:
        return Translator(lang)("undated")
    local = date_text(value.astimezone(WIB), lang) + " WIB"
    offset = value.utcoffset()
    if offset is not None and offset.total_seconds() != 7 * 3600:
        return f"{local} ({value.isoformat(timespec='minutes')})"
    return local


def web_link(url: str | None) -> str | None:
    """``url`` when it is an http(s) address a link may point to, else None: a page's stated URL
    is untrusted text, and a ``javascript:`` or ``data:`` URL must never become a link."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() in ("http", "https") and parts.netloc and url.strip() == url:
        return url
    return None


def snippet_html(snippet: str) -> Markup:
    """A search snippet with the store's ``[[match]]`` marks as <mark>."""
    out: list[str] = []
    rest = snippet
    while "[[" in rest:
        before, _, after = rest.partition("[[")
        inner, sep, after = after.partition("]]")
        out.append(str(escape(before)))
        out.append(f"<mark>{escape(inner)}</mark>" if sep else str(escape("[[" + inner)))
        rest = after
    out.append(str(escape(rest)))
    return Markup("".join(out))
