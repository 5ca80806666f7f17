"""Stage ``clean.html.v1``: the main content of an HTML article page.

The page is rendered to lines, one per block (paragraph, heading, list item, caption ...), each
with the signals the markup gives: its block tag, how much of its text sits in links, and the
class/id words and landmark elements (nav, footer, aside) around it. The lines then go through
the same labeller as a plain-text scrape — so "Baca juga", "SCROLL TO CONTINUE WITH CONTENT" and
share prompts get the same labels and reasons in both — and the markup signals refine the
result: the article lives in the deepest element holding most of the page's sentences;
link lists, landmarks and captions inside it are furniture; headings, list items and block
quotes keep their kind.

Where the first guess at the article's element is uncertain, other candidates (a density
candidate, the page's ``<article>``/``<main>``/``itemprop=articleBody``, JSON-LD
``articleBody``) are compared (:mod:`warta.clean.candidates`); a page whose container gives no
body is relabelled without it, so a page with an article never comes back empty for that.

``raw_text`` becomes the rendered text, so ``removed`` offsets point into what a reader sees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from warta.clean.candidates import choose, ld_article_body, page_wide, tally
from warta.clean.credit import parse_credit
from warta.clean.lines import LineDecision, LineLabeller
from warta.clean.plaintext import assemble
from warta.clean.script_shape import reshape
from warta.clean.script_text import script_article, with_article
from warta.core import diskcache
from warta.core.errors import PageTooComplex
from warta.core.record import Article
from warta.core.stage import Stage, check_deadline

#: Elements whose content is never article text.
_SKIP = frozenset(
    """script style noscript template svg iframe object embed canvas head select option button
    input textarea video audio map math link meta source track picture""".split()
)
#: Elements that start a new line.
_BLOCK = frozenset(
    """p div section article main header footer nav aside h1 h2 h3 h4 h5 h6 li ul ol dl dt dd
    blockquote figure figcaption table thead tbody tfoot tr td th pre address hr br center
    details summary caption form fieldset legend body html""".split()
)
_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
#: Elements by which a page marks its own content (with ``itemprop="articleBody"``).
_CONTENT_MARKS = frozenset({"article", "main"})
# <header> is not here: articles have their own (title, dek, byline); page headers are caught
# by their class names (site-header, masthead) instead.
_LANDMARKS = {"nav": "nav", "footer": "footer", "aside": "related"}
# Taxonomy classes (WordPress puts "tag-kpk category-news" on the <article> itself) say what
# the article is about, not that it is a widget.
_TAXONOMY_PREFIXES = ("tag-", "category-", "post-", "type-", "status-", "format-", "has-", "topic-")
#: class/id words that mark furniture, and the label they suggest (checked in this order).
_HINTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), label)
    for pattern, label in (
        # social-media embeds and polls inside an article are never its text
        (
            r"twitter-tweet|instagram-media|tiktok-embed|fb-post|fb-video|social-embed|"
            r"\bpoll|polling|survey|jajak|quiz|kuis",
            "social",
        ),
        (r"breadcrumb|\bmenu\b|navbar|\bnav\b|navigation|topbar|masthead|site-?header", "nav"),
        (r"footer|copyright", "footer"),
        (
            r"related|terkait|recommend|rekomendasi|baca-?juga|read-?also|readmore|populer|popular|"
            r"trending|terpopuler|terkini|latest|more-?news|also-?read|box-?news",
            "related",
        ),
        (r"share|social|sosmed|komentar|comment|disqus|login|newsletter|subscribe", "social"),
        (r"\bads?\b|advert|iklan|banner|sponsor|dfp|gpt-|parallax", "ad"),
        (r"\btags?\b|topik|topic|keyword|label", "nav"),
        (r"caption|credit|foto|photo|gallery|video|embed|player|instagram|twitter-tweet", "media"),
        (r"pagination|paging|halaman", "pagination"),
    )
)
_WS = diskcache.compile(r"\s+")

#: Limits that keep one pathological page from stalling a batch (per-page budget).
MAX_TAGS = 300_000
DEEP_SCAN_TAGS = 20_000
MAX_DEPTH = 2_000
_OPEN_OR_CLOSE = diskcache.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>")
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())


@dataclass(slots=True)
class _Rendered:
    text: str
    lines: list[str]
    tags: list[str]  # innermost block tag of each line
    link_share: list[float]
    hints: list[str]  # innermost furniture hint from landmarks or class/id words ("" if none)
    ancestors: list[tuple[int, ...]]  # element ids of each line's block ancestors
    hinted: list[tuple[tuple[int, str], ...]]  # (element id, hint) of hinted ancestors
    marked: set[int]  # elements the page marks as its content (<article>, <main>, articleBody)


def _check_complexity(html: str, source: str) -> None:
    """Refuse what no news page looks like before the parser sees it: lexbor's time grows
    with nesting depth (100,000 nested divs take ~20 s), so depth is measured first."""
    tags = html.count("<")
    if tags > MAX_TAGS:
        raise PageTooComplex(f"{tags} tags (limit {MAX_TAGS})", source=source)
    if tags <= DEEP_SCAN_TAGS:
        return
    depth = 0
    for m in _OPEN_OR_CLOSE.finditer(html):
        name = m.group(2).lower()
        if name in _VOID or m.group(3):
            continue
        depth += -1 if m.group(1) else 1
        if depth > MAX_DEPTH:
            raise PageTooComplex(f"elements nested deeper than {MAX_DEPTH}", source=source)


_hint_memo: dict[str, str] = {}
#: Class-name strings whose hint is remembered (≈150 bytes each: ≈3 MiB; cleared when full).
_HINT_MEMO_LIMIT = 20_000


def _hint(tag: str, attrs: dict[str, str | None]) -> str:
    if tag in _LANDMARKS:
        return _LANDMARKS[tag]
    words = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
    if words == " ":
        return ""
    known = _hint_memo.get(words)  # class names repeat across a site's pages: decide once
    if known is not None:
        return known
    lowered = " ".join(t for t in words.lower().split() if not t.startswith(_TAXONOMY_PREFIXES))
    hint = next((label for pattern, label in _HINTS if pattern.search(lowered)), "")
    if len(_hint_memo) > _HINT_MEMO_LIMIT:
        _hint_memo.clear()
    _hint_memo[words] = hint
    return hint


def render(tree: LexborHTMLParser, *, source: str) -> _Rendered:
    """The page's visible text as lines, with each line's markup signals (iterative walk: no
    recursion limit, a deadline checked as it goes)."""
    root = tree.body
    lines: list[str] = []
    tags: list[str] = []
    link_share: list[float] = []
    hints: list[str] = []
    ancestors: list[tuple[int, ...]] = []
    hinted: list[tuple[tuple[int, str], ...]] = []
    buf: list[str] = []
    link_chars = 0
    # stack entries: (node, leaving?, block id or -1, hint, inside link)
    block_stack: list[tuple[int, str, str]] = [(0, "body", "")]  # (id, tag, hint)
    next_id = 1
    visited = 0

    def flush() -> None:
        nonlocal link_chars
        text = _WS.sub(" ", "".join(buf)).strip()
        buf.clear()
        if text:
            lines.append(text)
            tags.append(block_stack[-1][1])
            link_share.append(min(1.0, link_chars / len(text)))
            chain = tuple((b[0], b[2]) for b in block_stack if b[2])
            hints.append(chain[-1][1] if chain else "")
            hinted.append(chain)
            ancestors.append(tuple(b[0] for b in block_stack))
        link_chars = 0

    marked: set[int] = set()
    if root is None:
        return _Rendered("", [], [], [], [], [], [], marked)
    stack: list[tuple[LexborNode, bool, bool]] = [(root, False, False)]
    while stack:
        node, leaving, in_link = stack.pop()
        tag = node.tag or ""
        if leaving:
            if tag in _BLOCK:
                flush()
                block_stack.pop()
            continue
        visited += 1
        if visited & 1023 == 0:
            check_deadline(source)
        if tag == "-text":
            text = node.text_content or ""
            buf.append(text)
            if in_link:
                link_chars += len(text.strip())
            continue
        if tag in _SKIP or tag.startswith("-"):
            continue
        if tag == "br" or tag == "hr":
            flush()
            continue
        if tag in _BLOCK:
            flush()
            attrs = node.attributes
            block_stack.append((next_id, tag, _hint(tag, attrs)))
            if tag in _CONTENT_MARKS or attrs.get("itemprop") == "articleBody":
                marked.add(next_id)
            next_id += 1
            if len(block_stack) > MAX_DEPTH:
                raise PageTooComplex(f"elements nested deeper than {MAX_DEPTH}", source=source)
        child_in_link = in_link or tag == "a"
        stack.append((node, True, in_link))
        children = []
        child = node.child
        while child is not None:
            children.append(child)
            child = child.next
        for child in reversed(children):
            stack.append((child, False, child_in_link))
    flush()
    return _Rendered("\n".join(lines), lines, tags, link_share, hints, ancestors, hinted, marked)


_WIDGET_HINTS = frozenset({"related", "social", "ad", "footer", "nav"})
_PARAGRAPH_TAGS = frozenset({"p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "dd", "dt"})


def _container(rendered: _Rendered, i: int) -> int:
    """The element a line's text sits in as a paragraph: a ``<p>``'s parent, or the ``<div>``
    that holds the text directly (``<div>text<br><br>text</div>`` layouts)."""
    chain = rendered.ancestors[i]
    if rendered.tags[i] in _PARAGRAPH_TAGS and len(chain) > 1:
        return chain[-2]
    return chain[-1]


def first_guess(rendered: _Rendered, shapes: list[str], words: list[int]) -> int | None:
    """The element holding the article: the container with the most sentence words directly
    in it (teaser lists give each summary its own container, so they never win), widened to
    its parent, then grandparent, while that at most doubles the sentence words (articles whose
    paragraphs sit in sibling wrappers)."""
    score: dict[int, float] = {}
    subtree: dict[int, float] = {}
    for i, shape in enumerate(shapes):
        if shape == "sentence" and rendered.link_share[i] <= 0.5:
            c = _container(rendered, i)
            # wrappers are often named after media ("photo", "video"): only widget-like hints
            # count against a line
            widget = rendered.hints[i] in _WIDGET_HINTS
            weight = words[i] * (0.5 if widget else 1.0)
            score[c] = score.get(c, 0) + weight
            if widget:
                continue  # teasers in a related box never widen the article
            for element in rendered.ancestors[i]:
                subtree[element] = subtree.get(element, 0) + weight
    if not score:
        return None
    best = max(score, key=lambda c: score[c])
    chain = next(rendered.ancestors[i] for i in range(len(shapes)) if best in rendered.ancestors[i])
    main = best
    at = chain.index(best)
    for parent in reversed(chain[max(1, at - 2) : at]):  # never the <body> itself
        if subtree.get(parent, 0) > 2.0 * subtree.get(main, 0):
            break
        main = parent
    return main


def drop_page_wide_hints(rendered: _Rendered, shapes: list[str], words: list[int]) -> None:
    """A widget never holds most of the page's text: furniture hints on elements that hold
    ``PAGE_WIDE_SHARE`` of the page's sentence words ("noloaddisqus" on an <article>,
    "share-enabled" on a page wrapper) are dropped (in place)."""
    hinted = {e for chain in rendered.hinted for e, _ in chain}
    if not hinted:
        return
    n = len(shapes)
    t = tally(rendered.ancestors, shapes, words, rendered.link_share, [False] * n)
    wide = page_wide(t.good, hinted)
    if not wide:
        return
    for i, chain in enumerate(rendered.hinted):
        if any(e in wide for e, _ in chain):
            kept = tuple((e, h) for e, h in chain if e not in wide)
            rendered.hinted[i] = kept
            landmark = _LANDMARKS.get(rendered.tags[i], "")
            rendered.hints[i] = kept[-1][1] if kept else landmark


def main_content(
    rendered: _Rendered, shapes: list[str], words: list[int], ld_body: str
) -> tuple[set[int], str]:
    """The element holding the article and the candidate that gave it (see
    :mod:`warta.clean.candidates`): the first guess unless the density candidate, the page's
    own marks or its JSON-LD articleBody clearly say otherwise."""
    drop_page_wide_hints(rendered, shapes, words)
    first = first_guess(rendered, shapes, words)
    if first is None:
        return set(), "no-sentences"
    widget = [h in _WIDGET_HINTS for h in rendered.hints]
    t = tally(rendered.ancestors, shapes, words, rendered.link_share, widget)
    chosen, reason = choose(first, t, rendered.ancestors, rendered.marked, rendered.lines, ld_body)
    return {chosen}, reason


def refine(rendered: _Rendered, decisions: list[LineDecision], main: set[int]) -> None:
    """Apply the markup's signals to the text labeller's decisions (in place)."""
    has_h1 = "h1" in rendered.tags
    for i, d in enumerate(decisions):
        tag, links = rendered.tags[i], rendered.link_share[i]
        hint = _hint_inside(rendered, i, main)
        kept = d.label in ("body", "crosshead")
        if tag == "h1" and d.label != "title":
            d.label, d.rule = "title", "h1"
            continue
        if has_h1 and d.label == "title" and tag != "h1":
            d.label, d.rule = "related", "headline-not-the-h1"
            continue
        if not kept:
            if hint in _WIDGET_HINTS and d.label in ("timestamp", "byline", "dateline"):
                # a date or name inside an embed or a teaser is not the article's metadata
                d.label, d.rule = hint, f"markup-{hint}"
            continue
        if hint in _WIDGET_HINTS or (hint and (links > 0.3 or d.shape != "sentence")):
            d.label, d.rule = hint, f"markup-{hint}"
        elif links > 0.6 and d.shape != "sentence":
            d.label, d.rule = "related", "link-list"
        elif tag == "figcaption":
            d.label, d.rule = "media", "figcaption"
        elif tag in _HEADINGS:
            d.label, d.kind = "crosshead", "heading"
        elif tag == "li":
            d.label, d.kind = "body", "list_item"
        elif tag == "blockquote":
            d.kind = "quote"


def _hint_inside(rendered: _Rendered, i: int, main: set[int]) -> str:
    """The innermost hint of an element inside the main content (a widget within the
    article); hints on the article's own wrappers say nothing about its lines."""
    chain = rendered.ancestors[i]
    top = max((chain.index(e) for e in main if e in chain), default=-1)
    inside = {e for e in chain[top + 1 :]} if top >= 0 else set(chain)
    for element, hint in reversed(rendered.hinted[i]):
        if element in inside:
            return hint
    return ""


def _outside(rendered: _Rendered, main: set[int], pos: int) -> bool:
    chain = rendered.ancestors[pos]
    return bool(main) and not any(m in chain for m in main)


_labeller: LineLabeller | None = None


def html_labeller() -> LineLabeller:
    global _labeller
    if _labeller is None:
        _labeller = LineLabeller()
    return _labeller


class HtmlCleaner(Stage):
    name = "clean.html.v1"
    requires = frozenset({"raw_text"})
    provides = frozenset(
        {"body", "blocks", "removed", "title", "credit", "dateline", "raw_text", "markup"}
    )

    def process(self, article: Article) -> Article:
        page = article.raw_text
        _check_complexity(page, article.source)
        tree = LexborHTMLParser(page)
        check_deadline(article.source)
        ld_body = ld_article_body(tree)
        rendered, decisions = self._label(article, tree, ld_body)
        if not _has_body(decisions):
            # A client-rendered page: its article is in a script (or only in JSON-LD), so it
            # is read from there as an <article> of the page.
            fragment = script_article(tree, ld_body)
            if fragment:
                tree = LexborHTMLParser(with_article(page, fragment))
                rendered, decisions = self._label(article, tree, ld_body)
        article.markup = tree  # for the metadata stage; dropped when the page is done
        article.raw_text = rendered.text
        return assemble(article, decisions)

    def _label(
        self, article: Article, tree: LexborHTMLParser, ld_body: str
    ) -> tuple[_Rendered, list[LineDecision]]:
        """The page's lines and their labels, with the recall fallbacks."""
        rendered = render(tree, source=article.source)
        labeller = html_labeller()
        first = labeller.first_pass(rendered.text)
        reshape(first)
        shapes, words = [d.shape for d in first], [len(d.words) for d in first]
        main, _ = main_content(rendered, shapes, words, ld_body)
        decisions = _decide(labeller, rendered, first, main)
        if not _has_body(decisions):
            # A photo story: its captions are the text (said as such in the rule).
            for d in decisions:
                if d.label == "media" and d.shape in ("sentence", "short_sentence"):
                    d.label, d.rule = "body", "gallery-caption"
        if not _has_body(decisions):
            # Recall: a page with an article never comes back empty because the container
            # was misjudged; without the container's limit the labeller's own signals decide.
            first = labeller.first_pass(rendered.text)
            reshape(first)
            decisions = _decide(labeller, rendered, first, set())
        return rendered, decisions


def _has_body(decisions: list[LineDecision]) -> bool:
    return any(d.label in ("body", "crosshead") for d in decisions)


def _decide(
    labeller: LineLabeller, rendered: _Rendered, first: list[LineDecision], main: set[int]
) -> list[LineDecision]:
    """Label the lines with everything outside ``main`` preset as furniture."""
    preset = {
        i: ((rendered.hints[i] or "boilerplate"), "outside-main-content")
        for i in range(len(first))
        if _outside(rendered, main, i) and rendered.tags[i] != "h1"
    }
    decisions = labeller.label(rendered.text, preset, lines=first)
    refine(rendered, decisions, main)
    if main:
        rejoin_main(rendered, decisions, main)
        rejoin_siblings(rendered, decisions, main)
        keep_lead_ins(rendered, decisions, main)
        keep_standfirst(rendered, decisions)
    keep_credit_lead(decisions, labeller)
    return decisions


def rejoin_main(rendered: _Rendered, decisions: list[LineDecision], main: set[int]) -> None:
    """Inside the chosen container, paragraphs split from the body only by a long run of
    furniture (a newsletter box, a video player, ad slots between paragraphs) are body when
    they are set like the body's paragraphs and are no teaser's summary, and the headings
    between them crossheads (in place). The labeller splits text blocks at gaps
    of furniture lines because a plain-text page gives no other sign of where the article
    ends; the container is that sign here."""
    # a split-off paragraph is set like the body's own paragraphs: same tag, same depth
    layouts = {
        (rendered.tags[i], len(rendered.ancestors[i]))
        for i, d in enumerate(decisions)
        if d.label == "body"
    }
    rejoined = False
    for i, d in enumerate(decisions):
        if d.rule != "sentence-outside-main-text" or _outside(rendered, main, i):
            continue
        if (rendered.tags[i], len(rendered.ancestors[i])) not in layouts:
            continue
        if rendered.link_share[i] > 0.5 or _hint_inside(rendered, i, main):
            continue
        if _next_to_link(rendered, i):
            continue  # a teaser's summary under (or over) its linked headline
        d.label, d.rule = "body", "sentence-in-main-content"
        rejoined = True
    if not rejoined:
        return
    kept = [i for i, d in enumerate(decisions) if d.label == "body"]
    first, last = kept[0], kept[-1]
    for i in range(first + 1, last):
        d = decisions[i]
        if d.label in ("body", "crosshead") or _outside(rendered, main, i):
            continue
        if (
            d.rule in ("headline-after-body", "short-line-after-body", "headline-before-body")
            and not _hint_inside(rendered, i, main)
            and rendered.link_share[i] <= 0.3
            and len(d.words) <= 20
        ):
            d.label, d.rule = "crosshead", "heading-in-main-content"


#: Rules by which the labeller put a line outside the article only for where it sits.
_PLACED_OUT = frozenset({"outside-main-content", "sentence-outside-main-text"})


def _plain_paragraph(
    rendered: _Rendered, decisions: list[LineDecision], i: int, *, teaser_check: bool = True
) -> bool:
    """A sentence put outside the article only for where it sits, with no link text, no
    furniture hint on any element around it and (``teaser_check``) no link line beside it."""
    return (
        decisions[i].shape == "sentence"
        and decisions[i].rule in _PLACED_OUT
        and rendered.link_share[i] == 0.0
        and not rendered.hinted[i]
        and rendered.tags[i] != "figcaption"
        and not (teaser_check and _next_to_link(rendered, i))
    )


def rejoin_siblings(rendered: _Rendered, decisions: list[LineDecision], main: set[int]) -> None:
    """Paragraphs in a sibling of the chosen container are body when they are set exactly like
    the body's paragraphs (same tag, same depth), carry no link text and no furniture hint
    (in place): an article split into two wrappers by a related-stories box or a video keeps
    both halves."""
    layouts = {
        (rendered.tags[i], len(rendered.ancestors[i]))
        for i, d in enumerate(decisions)
        if d.label == "body"
    }
    if not layouts:
        return
    parents = set()
    for chain in rendered.ancestors:
        for m in main:
            if m in chain:
                at = chain.index(m)
                if at > 1:  # never the <body> or <html> as the shared parent
                    parents.add(chain[at - 1])
    if not parents:
        return

    def joins(i: int) -> bool:
        d = decisions[i]
        if not _outside(rendered, main, i) or not any(p in rendered.ancestors[i] for p in parents):
            return False
        if (rendered.tags[i], len(rendered.ancestors[i])) not in layouts:
            return False
        if not _plain_paragraph(rendered, decisions, i):
            return False
        d.label, d.rule = "body", "sentence-beside-main-content"
        return True

    kept = [i for i, d in enumerate(decisions) if d.label == "body"]
    for i in range(kept[0] + 1, kept[-1]):
        if decisions[i].label not in ("body", "crosshead"):
            joins(i)
    # outwards from the body's ends, while no more than SIBLING_GAP lines lie between
    for step, edge in ((-1, kept[0]), (1, kept[-1])):
        gap, i = 0, edge + step
        while 0 <= i < len(decisions) and gap < SIBLING_GAP:
            gap = 0 if decisions[i].label != "body" and joins(i) else gap + 1
            i += step


#: Most lines between the body and a paragraph in a sibling of its container.
SIBLING_GAP = 6


def keep_standfirst(rendered: _Rendered, decisions: list[LineDecision]) -> None:
    """The standfirst (deck) under the headline is body: the first line after the ``<h1>``,
    or the one after a dateline or byline there, when it is a plain sentence above the
    article's first body line — a summary the page sets outside the article's wrapper
    (in place)."""
    start = next((i for i, d in enumerate(decisions) if d.label == "body"), None)
    if start is None:
        return
    h1 = [i for i in range(start) if rendered.tags[i] == "h1"]
    if not h1:
        return
    for i in range(h1[-1] + 1, min(start, h1[-1] + 1 + STANDFIRST_REACH)):
        if _plain_paragraph(rendered, decisions, i, teaser_check=False) or (
            decisions[i].shape == "sentence" and decisions[i].label == "crosshead"
        ):
            d = decisions[i]
            if d.label != "crosshead":
                d.label, d.rule = "body", "standfirst-under-title"
            return
        if decisions[i].shape == "sentence":
            return  # another sentence (a caption, a notice) comes first: no standfirst here


#: How many lines after the headline a standfirst may start.
STANDFIRST_REACH = 2


def keep_lead_ins(rendered: _Rendered, decisions: list[LineDecision], main: set[int]) -> None:
    """A line that opens what follows ("Here's what to look for:") is body when body text
    follows it inside the container: the labeller reads a line ending in a colon as a label,
    not a sentence (in place)."""
    for i, d in enumerate(decisions[:-1]):
        if (
            d.rule.startswith("link-or-symbols-")
            and d.text.endswith(":")
            and len(d.words) >= 3
            and rendered.link_share[i] == 0.0
            and decisions[i + 1].label == "body"
            and not _outside(rendered, main, i)
            and not _hint_inside(rendered, i, main)
        ):
            d.label, d.rule = "body", "lead-in-to-body"


def _next_to_link(rendered: _Rendered, i: int) -> bool:
    share = rendered.link_share
    return (i > 0 and share[i - 1] > 0.5) or (i + 1 < len(share) and share[i + 1] > 0.5)


def keep_credit_lead(decisions: list[LineDecision], labeller: LineLabeller) -> None:
    """A lead that opens with a dateline credit ("LHOKSEUMAWE, KOMPAS.com – Penyidik ...") is
    body even when its names made it look less like a sentence than the paragraphs after it:
    the credit says where the article starts. Only the text lines just above the first body
    line are looked at (in place)."""
    start = next((i for i, d in enumerate(decisions) if d.label == "body"), None)
    if start is None:
        return
    for d in reversed(decisions[max(0, start - 3) : start]):
        if d.label in ("body", "crosshead"):
            break
        if d.rule.startswith("text-") and d.shape in ("sentence", "short_sentence"):
            if parse_credit(d.text, labeller.kb) is not None:
                d.label, d.rule = "body", "credit-lead"
                return
