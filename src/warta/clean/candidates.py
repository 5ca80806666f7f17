"""Candidates for the element that holds the article, and how to choose between them.

The HTML cleaner's first guess is the container with the most sentence words directly in it,
widened while that at most doubles them. It is right on most pages and wrong, losing most of the
article, on two layouts: paragraphs that each sit in their own wrapper between ad slots (the
article is then dozens of one-paragraph siblings), and an article whose wrapper carries a
widget-like class ("noloaddisqus", "share-enabled"). When the guess is uncertain, other
candidates are scored with signals that hold in any language:

* a density candidate: the element whose sentence words minus its link-heavy words (weighted
  ``LINK_PENALTY``) is highest — the article's paragraphs add to it, teaser lists
  and menus take away;
* the page's own marks: ``<article>``, ``<main>``, ``itemprop="articleBody"``;
* JSON-LD ``articleBody``, when the page states it: the candidate whose words it covers best.

A widget never holds most of a page's text: a furniture hint on an element holding at least
``PAGE_WIDE_SHARE`` of the page's sentence words is dropped before anything is chosen.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser

from warta.core import diskcache

#: A link-heavy or widget line costs this many times its words in the density score (a teaser's
#: linked headline outweighs its summary; an article's few inline links do not).
LINK_PENALTY = 1.5
#: Share of the page's sentence words above which an element cannot be a widget.
PAGE_WIDE_SHARE = 0.4
#: Gain a candidate needs over the first guess to replace it.
MARGIN = 1.25
#: Most link-heavy words per sentence word in what a wider candidate adds.
ADDED_LINK_RATIO = 0.6
#: Most share of the added sentence words that may sit right under a link-heavy line.
TEASER_SHARE = 0.3
#: JSON-LD articleBody shorter than this (words) says too little to arbitrate.
MIN_LD_WORDS = 30
_TOKEN = diskcache.compile(r"\w+")


@dataclass(slots=True)
class Tally:
    """Per element: sentence words (``good``) and link-heavy words (``bad``) in its subtree.
    Widget lines (ads, share bars) count for neither.
    ``teaser``: the sentence words of lines right under a link-heavy line (a teaser's summary
    under its linked headline)."""

    good: dict[int, float] = field(default_factory=dict)
    bad: dict[int, float] = field(default_factory=dict)
    teaser: dict[int, float] = field(default_factory=dict)  # good words under a link line

    def gain(self, element: int) -> float:
        return self.good.get(element, 0.0) - LINK_PENALTY * self.bad.get(element, 0.0)


def tally(
    ancestors: Sequence[tuple[int, ...]],
    shapes: Sequence[str],
    words: Sequence[int],
    link_share: Sequence[float],
    widget: Sequence[bool],
) -> Tally:
    t = Tally()
    for i, chain in enumerate(ancestors):
        good = bad = 0.0
        if link_share[i] > 0.5:
            bad = max(1, words[i])
        elif widget[i]:
            pass  # an ad slot or share bar inside the article is removed there, not a reason
            # to look elsewhere
        elif shapes[i] == "sentence":
            good = words[i]
        elif shapes[i] == "short_sentence":
            good = 0.5 * words[i]
        if not (good or bad):
            continue
        teaser = good and i > 0 and link_share[i - 1] > 0.5
        if good:
            g = t.good
            for element in chain:
                g[element] = g.get(element, 0.0) + good
            if teaser:
                for element in chain:
                    t.teaser[element] = t.teaser.get(element, 0.0) + good
        else:
            b = t.bad
            for element in chain:
                b[element] = b.get(element, 0.0) + bad
    return t


def page_wide(good: dict[int, float], hinted: set[int]) -> set[int]:
    """Hinted elements that hold at least ``PAGE_WIDE_SHARE`` of the page's sentence words."""
    total = good.get(0, 0.0)  # element 0 is <body>
    if not total:
        return set()
    return {e for e in hinted if good.get(e, 0.0) >= PAGE_WIDE_SHARE * total}


def densest(t: Tally) -> int | None:
    """The element with the highest gain (the deepest one on a tie), never element 0 (the root
    of the walk)."""
    best, best_gain = None, 0.0
    for element in t.good:
        if element == 0:
            continue
        g = t.gain(element)
        if g > best_gain or (g == best_gain and best is not None and element > best):
            best, best_gain = element, g
    return best


def ld_article_body(tree: LexborHTMLParser) -> str:
    """The longest JSON-LD ``articleBody`` on the page ("" when none)."""
    best = ""
    for node in tree.css('script[type="application/ld+json"]'):
        raw = node.text(deep=True) or ""
        if "articleBody" not in raw:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            continue  # a malformed block says nothing
        for value in _find(data, "articleBody", 0):
            if isinstance(value, str) and len(value) > len(best):
                best = value
    return best


def _find(data: object, key: str, depth: int) -> Iterator[object]:
    if depth > 8:
        return
    if isinstance(data, dict):
        for k, v in data.items():
            if k == key:
                yield v
            else:
                yield from _find(v, key, depth + 1)
    elif isinstance(data, list):
        for v in data:
            yield from _find(v, key, depth + 1)


def bag(text: str) -> Counter[str]:
    return Counter(_TOKEN.findall(text.lower()))


def bag_f1(got: Counter[str], want: Counter[str]) -> float:
    inter = sum((got & want).values())
    if not inter:
        return 0.0
    p, r = inter / sum(got.values()), inter / sum(want.values())
    return 2 * p * r / (p + r)


def choose(
    first: int,
    t: Tally,
    chains: Sequence[tuple[int, ...]],
    marked: set[int],
    lines: Sequence[str],
    ld_body: str,
) -> tuple[int, str]:
    """The element to keep as the article and why ("first-guess", "density", "page-mark",
    "json-ld"): ``first`` unless another candidate is clearly better."""
    chain = next(c for c in chains if first in c)
    candidates = {first, *chain[max(1, chain.index(first) - 3) : chain.index(first)]}
    dense = densest(t)
    if dense is not None:
        candidates.add(dense)
    candidates |= {m for m in marked if t.good.get(m, 0.0) > 0}
    ld_words = bag(ld_body)
    if sum(ld_words.values()) >= MIN_LD_WORDS:
        scored = {}
        under = {c: [i for i, ch in enumerate(chains) if c in ch] for c in candidates}
        for c in candidates:
            scored[c] = bag_f1(bag("\n".join(lines[i] for i in under[c])), ld_words)
        best = max(scored, key=lambda c: (scored[c], -len(under[c])))
        if scored[best] > scored[first] + 0.05:
            return best, "json-ld"
    base = t.gain(first)
    for reason, pool in (("density", [dense] if dense is not None else []), ("page-mark", marked)):
        for c in sorted(pool, key=t.gain, reverse=True):
            if c == first or t.gain(c) <= MARGIN * max(base, 1.0):
                continue
            if first in _holders(c, chains):
                continue  # narrower than the first guess: the labeller already sorts its lines
            if c in _holders(first, chains):
                added_good = max(1.0, t.good.get(c, 0.0) - t.good.get(first, 0.0))
                added_bad = t.bad.get(c, 0.0) - t.bad.get(first, 0.0)
                added_teaser = t.teaser.get(c, 0.0) - t.teaser.get(first, 0.0)
                if added_bad > ADDED_LINK_RATIO * added_good:
                    continue  # what it adds is mostly links: a menu or a headline list
                if added_teaser > TEASER_SHARE * added_good:
                    continue  # what it adds are summaries under linked headlines: teasers
            return c, reason
    return first, "first-guess"


def _holders(element: int, chains: Sequence[tuple[int, ...]]) -> set[int]:
    """``element`` and its ancestors."""
    chain = next((c for c in chains if element in c), ())
    return set(chain[: chain.index(element) + 1]) if chain else {element}
