"""The visible text of a page around its headline: short text nodes, the headline's own
nodes, and the dates printed near it (the date line)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from warta.core import diskcache
from warta.meta.dates import DateMatch, find_datetimes
from warta.meta.when import When, from_match, parse_when

#: Text nodes longer than this are running text, not a headline, date line or byline.
SHORT_TEXT = 300
_DATE_TEXT = 160
#: How many text nodes from the headline its date line may stand.
_DATE_REACH = 8

_SKIP_TEXT_PARENTS = frozenset({"script", "style", "noscript", "template", "textarea", "title"})
_HEADINGS = frozenset({"h1", "h2", "h3"})


@dataclass(frozen=True, slots=True)
class Text:
    """A short text node of the page body."""

    pos: int  # index among the page's non-blank text nodes
    text: str  # white space collapsed
    rank: int  # 2 in a heading, 1 plain, 0 in a link
    node: LexborNode


def visible_texts(tree: LexborHTMLParser) -> list[Text]:
    """The short text nodes of the body, in order (long ones only advance ``pos``)."""
    body = tree.body
    if body is None:
        return []
    out: list[Text] = []
    pos = 0
    for node in body.traverse(include_text=True):
        if node.tag != "-text":
            continue
        raw = node.text_content
        if not raw or raw.isspace():
            continue
        parent = node.parent
        if parent is not None and parent.tag in _SKIP_TEXT_PARENTS:
            continue
        pos += 1
        if len(raw) > SHORT_TEXT * 2:
            continue
        text = " ".join(raw.split())
        if len(text) > SHORT_TEXT:
            continue
        rank = 1
        up = parent
        for _ in range(4):
            if up is None:
                break
            if up.tag in _HEADINGS:
                rank = 2
                break
            if up.tag == "a":
                rank = 0
            up = up.parent
        out.append(Text(pos, text, rank, node))
    return out


def comparable(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def anchors(texts: list[Text], title: str | None) -> list[Text]:
    """Text nodes that show the headline: in headings first, links last, then page order."""
    if not title:
        return []
    key = comparable(title)
    if len(key) < 8:
        return []
    found = []
    first_word = key.split()[0]
    for i, t in enumerate(texts):
        if first_word not in t.text.casefold():
            continue
        cmp = comparable(t.text)
        if cmp == key or (
            len(t.text) >= len(title) * 0.6 and key in cmp and len(cmp) <= len(key) * 1.5 + 10
        ):
            found.append(t)
        elif cmp and key.startswith(cmp):
            # a headline split over elements: "Suspect caught in US black<br>church ..."
            joined = cmp
            for follow in texts[i + 1 : i + 4]:
                joined = f"{joined} {comparable(follow.text)}".strip()
                if joined == key:
                    found.append(t)
                    break
                if not key.startswith(joined):
                    break
    return sorted(found, key=lambda t: (-t.rank, t.pos))


def _time_element(node: LexborNode) -> str | None:
    """The ``datetime`` of a ``<time>`` element around a text node, if any."""
    up = node.parent
    for _ in range(3):
        if up is None:
            return None
        if up.tag == "time":
            return up.attributes.get("datetime")
        up = up.parent
    return None


_TWO_DIGITS = diskcache.compile(r"\d\d")


@dataclass(frozen=True, slots=True)
class Dated:
    """A date found on a visible text node."""

    pos: int
    match: DateMatch
    node: LexborNode


def visible_dates(texts: list[Text]) -> list[Dated]:
    """Dates on short text nodes; a date with no time borrows the next node ("Senin, 15/2"
    then "16:15 WIB" in two elements)."""
    out: list[Dated] = []
    for i, t in enumerate(texts):
        if len(t.text) > _DATE_TEXT or _TWO_DIGITS.search(t.text) is None:
            continue
        matches = find_datetimes(t.text)
        if not matches:
            continue
        if not any(m.has_time for m in matches) and i + 1 < len(texts):
            joined = find_datetimes(f"{t.text} {texts[i + 1].text}"[: _DATE_TEXT * 2])
            if any(m.has_time for m in joined):
                matches = joined
        out.extend(Dated(t.pos, m, t.node) for m in matches)
    return out


def near(dates: list[Dated], anchors: list[Text]) -> list[Dated]:
    """The dates within reach of the first headline occurrence that has any, nearest first
    (a date after the headline wins a tie)."""
    for anchor in anchors:
        close = [d for d in dates if abs(d.pos - anchor.pos) <= _DATE_REACH]
        if close:
            return sorted(close, key=lambda d: (abs(d.pos - anchor.pos), d.pos < anchor.pos))
    return []


def visible_when(dated: Dated) -> When:
    """A visible date; a ``<time datetime>`` around it is more precise, and preferred."""
    attr = _time_element(dated.node)
    if attr:
        parsed = parse_when(attr, "time")
        if parsed is not None and parsed.value.date() == dated.match.value.date():
            return parsed
    return from_match(dated.match, "visible")
