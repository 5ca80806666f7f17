"""Highlighting is exact: for random bodies (with "<", "&", quotes, emoji, flags, joined emoji
and combining marks) cut into random blocks, with random entity and time spans inside them,
the rendered HTML read back as text is the stored text, block for block, and every highlight
element holds exactly its span's text at exactly its span's place.

The browser half (the same, in Chromium, on a stored article) is in tests/test_web_reader.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warta.core.record import Article, Block, Mention, TimeExpression
from warta.web.render import body_html

SPECIALS = [
    "<",
    ">",
    "&",
    "&amp;",
    '"',
    "'",
    "<b>",
    "</p>",
    "😀",
    "👩‍👩‍👧",  # joined by zero-width joiners
    "🇮🇩",  # a flag: two regional indicators
    "e\u0301",  # e + combining acute
    "\u0301",  # a combining mark on its own
    "ā\u0323",
    "\u200b",
    " ",
    "\t",
    "[[",
    "]]",
]
CHUNK = st.one_of(
    st.sampled_from(SPECIALS),
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc")),
        min_size=1,
        max_size=6,
    ),
)
TAGS = {"a", "span"}


@dataclass
class Read:
    """What the rendered HTML says: each block's text, and each highlight's (block id, offset
    of its first character within the block text, its text, its tag and class)."""

    blocks: dict[str, str] = field(default_factory=dict)
    marks: list[tuple[str, int, str, str]] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out = Read()
        self.block: str | None = None
        self.text: list[str] = []
        self.open: list[tuple[str, int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if self.block is None:
            self.block = values["id"] or ""
            self.text = []
            return
        assert tag in TAGS, tag  # nothing but the reader's own marks inside a block
        self.open.append((tag, len("".join(self.text)), values.get("class") or ""))

    def handle_endtag(self, tag: str) -> None:
        if self.open:
            opened, at, cls = self.open.pop()
            assert opened == tag
            assert self.block is not None
            self.out.marks.append((self.block, at, "".join(self.text)[at:], f"{tag}.{cls}"))
            return
        assert self.block is not None
        self.out.blocks[self.block] = "".join(self.text)
        self.block = None

    def handle_data(self, data: str) -> None:
        assert self.block is not None or not data.strip("\n"), data
        if self.block is not None:
            self.text.append(data)


@st.composite
def articles(draw: st.DrawFn) -> Article:
    pieces = draw(st.lists(CHUNK, min_size=1, max_size=60))
    body = "".join(pieces)
    # cut points fall on piece boundaries and also anywhere (a span may split an emoji's
    # code points: the renderer must still keep every code point, in order)
    cuts = sorted(set(draw(st.lists(st.integers(0, len(body)), max_size=12))))
    edges = sorted({0, len(body), *draw(st.lists(st.integers(0, len(body)), max_size=4))})
    blocks = [
        Block(draw(st.sampled_from(["paragraph", "heading", "quote"])), a, b)
        for a, b in zip(edges, edges[1:], strict=False)
        if b > a
    ]
    entities: list[Mention] = []
    times: list[TimeExpression] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        inside = any(blk.start <= a and b <= blk.end for blk in blocks)
        if b > a and inside and draw(st.booleans()):
            text = body[a:b]
            if draw(st.booleans()):
                kind = draw(st.sampled_from(["PERSON", "ORGANIZATION", "PLACE", "EVENT"]))
                entities.append(Mention(a, b, text, kind, f"warta:{kind}:{text}", text))
            else:
                times.append(TimeExpression(a, b, text, draw(st.sampled_from([None, "2015-11"]))))
    return Article(source="prop", body=body, blocks=blocks, entities=entities, times=times)


def _read(html: str) -> Read:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles())
def test_rendered_text_is_the_stored_text_and_each_highlight_is_its_span(article: Article) -> None:
    read = _read(str(body_html(article)))
    assert list(read.blocks) == [f"b{blk.start}" for blk in article.blocks]
    for blk in article.blocks:
        assert read.blocks[f"b{blk.start}"] == article.body[blk.start : blk.end]
    wanted = sorted(
        [(f"b{_block_of(article, m.start)}", m.start, m.end, "a.ent") for m in article.entities]
        + [(f"b{_block_of(article, t.start)}", t.start, t.end, "span.time") for t in article.times]
    )
    got = sorted(
        (block, int(block[1:]) + at, int(block[1:]) + at + len(text), kind.split(" ")[0])
        for block, at, text, kind in read.marks
    )
    assert got == wanted
    for block, at, text, _ in read.marks:
        start = int(block[1:]) + at
        assert article.body[start : start + len(text)] == text


def _block_of(article: Article, start: int) -> int:
    return next(b.start for b in article.blocks if b.start <= start < b.end)


def test_the_entity_class_names_the_type() -> None:
    body = "Joko & <Ani> di Bandung 😀"
    article = Article(
        source="t",
        body=body,
        blocks=[Block("paragraph", 0, len(body))],
        entities=[
            Mention(0, 4, "Joko", "PERSON", "Q1", "Joko Widodo"),
            Mention(7, 12, "<Ani>", "ORGANIZATION", None, "<Ani>"),
            Mention(16, 23, "Bandung", "PLACE", "Q10389", "Bandung"),
        ],
    )
    html = str(body_html(article))
    assert '<a class="ent per" href="/entity/Q1"' in html
    assert '<a class="ent org" href="/entity/warta%3AORGANIZATION%3A' not in html  # no id given
    assert 'href="/entity/%3CAni%3E"' in html
    assert "&lt;Ani&gt;</a>" in html and "Joko</a> &amp; " in html
    read = _read(html)
    assert [(t, k) for _, _, t, k in read.marks] == [
        ("Joko", "a.ent per"),
        ("<Ani>", "a.ent org"),
        ("Bandung", "a.ent plc"),
    ]
