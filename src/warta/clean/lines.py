"""Label every line of a plain-text page scrape and say which rule or signal decided.

Three passes, cheapest first:

1. *Rules*: furniture phrases from ``lang/*/furniture.toml`` (one regex search per line),
   timestamp lines (a date with little else around it), credit lines.
2. *Shape*: sentence-ness (words, final punctuation, share of function words), headline shape
   (short, capitalised, no final stop), link-like text (URLs) and repetition within the page.
3. *Position*: the body runs from the first to the last sentence-like line; inside it short
   sentences stay and short headings become crossheads; before it the headline is the title;
   everything else is furniture, labelled by the closest kind.

The generic signals carry pages from outlets we have never seen; the data files only add
precision for the outlets we know.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from warta.clean.credit import parse_credit, parse_credit_line
from warta.clean.dates import find_datetimes, find_marked_time
from warta.clean.knowledge import Knowledge, knowledge
from warta.clean.syndication import link_only, may_be_notice, parse_notice
from warta.core import diskcache
from warta.lang import LANGUAGES, load_words

# Words are what is left between spaces once punctuation is blanked: two C-level calls per line,
# about 4x cheaper than a word regex (the labeller's hottest loop).
_PUNCTUATION_TO_SPACE = str.maketrans({c: " " for c in string.punctuation + "“”‘’«»…–—―•·|©®™¿¡"})
_DIGIT = diskcache.compile(r"\d")
_LETTER = diskcache.compile(r"[^\W\d_]")
_UPPER_INITIAL = diskcache.compile(r"(?<!\S)[A-ZÀ-ÖØ-Þ]")
_WORD = diskcache.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*")
_URL = diskcache.compile(r"https?://|www\.\w|\b\w+\.(?:com|co\.id|id|net|org)/\S", re.IGNORECASE)
_NAME_LINE = diskcache.compile(
    r"^[A-Z][a-z'’.-]+(?: [A-Z][a-z'’.-]+){1,3}(?:\s*(?:,|-|–|\|)\s*[\w. ]{2,25})?$"
)
#: Lines of at most this many words have their first-pass decision remembered (furniture).
_MEMO_MAX_WORDS = 12
_MEMO_SIZE = 2_048
#: Page lines between two sentence lines beyond which they belong to different text blocks.
_GAP = 8
#: A deck is a sentence or two; a longer line above the byline is the article itself.
_DECK_MAX_WORDS = 60
_SENTENCE_END = frozenset('.!?"”’…):')
_TIMESTAMP_WORDS = frozenset(
    """wib wita wit gmt utc pukul jam diperbarui diperbaharui update updated diterbitkan terbit
    dipublikasikan published posted pembaruan last senin selasa rabu kamis jumat jum'at sabtu
    minggu ahad monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat
    sun am pm on at waktu tanggal""".split()
)


@dataclass(slots=True)
class LineDecision:
    """One non-blank line and what was decided about it: ``text`` is the stripped line,
    ``start``/``end`` its offsets in the page text, ``line`` its 0-based index in
    ``text.split("\\n")``, ``label`` and ``rule`` the decision and what made it. The other
    fields are the signals the labeller computed on the way."""

    line: int
    pos: int  # ordinal among non-blank lines: layout (blank lines) never changes a decision
    start: int
    end: int
    text: str
    words: list[str]
    lowered: list[str]
    spaced: str  # the line with punctuation blanked
    label: str = ""
    rule: str = ""
    shape: str = ""  # "sentence" | "short_sentence" | "heading" | "junk"
    kind: str = ""  # block kind forced by markup (HTML: "quote", "list_item", "heading")


_CREDIT_TAIL = diskcache.compile(r"\.\s+[A-Z][\w. ]*/[\w. ]+$")


def _one_sentence(text: str) -> bool:
    """One sentence, perhaps closed by a photo credit ("... (13/11). ANTARA/Nama")."""
    return ". " not in _CREDIT_TAIL.sub(".", text)[:-1]


@lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    """Function words of every language warta knows (a sentence-ness signal)."""
    words: set[str] = set()
    for lang in LANGUAGES:
        words |= load_words(lang, "function_words")
    return frozenset(words)


class LineLabeller:
    """Holds the compiled knowledge; :meth:`label` is pure and thread-safe."""

    def __init__(self, kb: Knowledge | None = None) -> None:
        self.kb = kb or knowledge()
        self.function_words = function_words()
        # The first pass depends on a line's text alone, and short lines (menus, prompts,
        # footers) repeat across the pages of an outlet: remember their decisions. Bounded, so
        # memory stays flat however long the run.
        self._memo: dict[str, tuple[str, str, str]] = {}

    # -- pass 1 and 2: each line on its own -------------------------------------------------
    def _shape(self, ln: LineDecision) -> str:
        text, words = ln.text, ln.words
        n = len(words)
        if n == 0 or (n <= 12 and _URL.search(text)) or not _LETTER.search(text):
            return "junk"
        ends = text[-1] in _SENTENCE_END
        fw = sum(map(self.function_words.__contains__, ln.lowered)) / n
        if n >= 8 and ends and fw >= 0.08:
            return "sentence"
        capitalised = len(_UPPER_INITIAL.findall(ln.spaced)) / n
        if n >= 8 and ends and capitalised < 0.5:
            return "sentence"
        if n >= 15 and fw >= 0.15 and capitalised < 0.6:
            return "sentence"
        if n >= 2 and ends and text[-1] not in "):" and (capitalised < 0.8 or n == 2):
            return "short_sentence"
        if n <= 20 and not ends:
            return "heading"
        return "junk"

    def _is_timestamp(self, ln: LineDecision) -> str | None:
        if len(ln.words) > 16 or _DIGIT.search(ln.text) is None:
            return None
        matches = find_datetimes(ln.text)
        if not matches:
            marked = find_marked_time(ln.text)
            if marked is not None and len(ln.words) <= 6:
                return f"time-line({marked.kind})"
            return None
        rest = ln.text
        for m in matches:
            rest = rest.replace(m.raw, " ")
        rest = self.kb.outlet_pattern.sub(" ", rest)
        leftover = [w for w in _WORD.findall(rest) if w.lower() not in _TIMESTAMP_WORDS]
        if len(leftover) <= 3:
            return f"date-line({matches[0].kind})"
        return None

    def _first_pass(self, ln: LineDecision) -> None:
        n = len(ln.words)
        if may_be_notice(ln.lowered) and parse_notice(ln.text) is not None:
            ln.label, ln.rule = "syndication", "syndication-notice"
            return
        hit = self.kb.match_furniture(ln.text, n, ln.lowered, ln.text.lower())
        if hit is not None:
            rule, matched = hit
            ln.label, ln.rule = rule.label, f"{rule.name}:{matched.strip()[:30]!r}"
            return
        ts = self._is_timestamp(ln)
        if ts is not None:
            ln.label, ln.rule = "timestamp", ts
            return
        if n <= 6 and parse_credit_line(ln.text, self.kb) is not None:
            ln.label, ln.rule = "dateline", "credit-line"
            return
        ln.shape = self._shape(ln)

    # -- pass 3: position --------------------------------------------------------------------
    def first_pass(self, text: str) -> list[LineDecision]:
        """Lines with the decisions that depend on each line alone (rules and shape)."""
        lines: list[LineDecision] = []
        offset = 0
        for index, raw in enumerate(text.split("\n")):
            stripped = raw.strip()
            if stripped:
                start = offset + (len(raw) - len(raw.lstrip()))
                spaced = stripped.translate(_PUNCTUATION_TO_SPACE)
                lines.append(
                    LineDecision(
                        index,
                        len(lines),
                        start,
                        start + len(stripped),
                        stripped,
                        spaced.split(),
                        spaced.lower().split(),
                        spaced,
                    )
                )
            offset += len(raw) + 1

        memo = self._memo
        for ln in lines:
            if len(ln.words) > _MEMO_MAX_WORDS:
                self._first_pass(ln)
                continue
            known = memo.get(ln.text)
            if known is None:
                self._first_pass(ln)
                if len(memo) >= _MEMO_SIZE:
                    memo.clear()
                memo[ln.text] = (ln.label, ln.rule, ln.shape)
            else:
                ln.label, ln.rule, ln.shape = known
        return lines

    def label(
        self,
        text: str,
        preset: Mapping[int, tuple[str, str]] | None = None,
        lines: list[LineDecision] | None = None,
    ) -> list[LineDecision]:
        """Label every line. ``preset`` maps line positions (ordinal among non-blank lines) to
        a (label, rule) decided outside the text, e.g. by the HTML cleaner for lines outside
        the main content; preset lines are furniture to the positional pass. ``lines`` may
        pass in this text's :meth:`first_pass` result to avoid computing it twice."""
        if lines is None:
            lines = self.first_pass(text)
        if preset:
            for pos, (label, rule) in preset.items():
                if not lines[pos].label:
                    lines[pos].label, lines[pos].rule = label, rule

        # The headlines listed under "Baca juga:" / "Berita terkait" belong to that list; a
        # notice's link on the line after it ("Klik untuk baca: https://...") belongs to it.
        for prev, ln in zip(lines, lines[1:]):
            if prev.rule == "syndication-notice" and link_only(ln.text) is not None:
                ln.label, ln.rule = "syndication", "syndication-link"
                continue
            if ln.label or ln.shape != "heading" or prev.label != "related":
                continue
            if (
                prev.rule == "headline-under-related-heading"
                or prev.text.endswith(":")
                or len(prev.words) <= 3
            ):
                ln.label, ln.rule = "related", "headline-under-related-heading"

        # A first-pass label depends on the text alone, so twins of a labelled line share its
        # label: only unlabelled lines need counting.
        unlabelled = [ln for ln in lines if not ln.label]
        keys = [ln.text.casefold() for ln in unlabelled]
        counts = Counter(keys)
        if len(counts) < len(keys):
            seen: set[str] = set()
            for ln, key in zip(unlabelled, keys):
                if counts[key] > 1 and (ln.shape != "sentence" or key in seen):
                    ln.label, ln.rule = "boilerplate", f"repeated-{counts[key]}x"
                seen.add(key)

        open_lines = [ln for ln in lines if not ln.label]
        sentences = [i for i, ln in enumerate(open_lines) if ln.shape == "sentence"]
        if not sentences:  # a short page: its short sentences are the body
            sentences = [i for i, ln in enumerate(open_lines) if ln.shape == "short_sentence"]
        if preset is None:  # in HTML the markup tells a deck from the text; the cleaner keeps it
            sentences = self._standfirst(lines, open_lines, sentences)
        sentences = self._main_cluster(open_lines, sentences)
        if sentences:
            first, last = sentences[0], sentences[-1]
            # A credit prefix ("JAKARTA, KOMPAS.com - ") marks the lead: sentence-shaped lines
            # above it are photo captions or teasers, not the article.
            for i in sentences[:4]:
                if parse_credit(open_lines[i].text, self.kb) is not None:
                    above = open_lines[first:i]
                    # only single sentences of caption length: a paragraph is never a caption
                    if all(len(ln.words) <= 30 and _one_sentence(ln.text) for ln in above):
                        for ln in above:
                            if ln.shape in ("sentence", "short_sentence"):
                                ln.label, ln.rule = "media", "sentence-above-credit-lead"
                        first = i
                    break
            # A short closing paragraph ("Polisi masih memburu satu orang lain.") stays body.
            while last + 1 < len(open_lines) and open_lines[last + 1].shape == "short_sentence":
                last += 1
            lead_line = open_lines[first].line
            for i, ln in enumerate(open_lines):
                if i < first or i > last:
                    continue
                if ln.shape == "sentence":
                    ln.label, ln.rule = "body", "sentence"
                elif ln.shape == "short_sentence":
                    ln.label, ln.rule = "body", "short-sentence-in-body"
                elif ln.shape == "heading":
                    ln.label, ln.rule = self._heading_in_body(open_lines, i)
                else:
                    ln.label, ln.rule = "boilerplate", "link-or-symbols-inside-body"
        else:
            lead_line = len(text)

        self._label_title(lines, lead_line)
        self._label_name_lines(lines, lead_line)
        for ln in lines:
            if ln.label:
                continue
            before = ln.line < lead_line
            where = "before-body" if before else "after-body"
            if ln.shape == "heading" and len(ln.words) >= 4:
                ln.label, ln.rule = "related", f"headline-{where}"
            elif ln.shape == "heading":
                ln.label, ln.rule = "nav", f"short-line-{where}"
            elif ln.shape in ("sentence", "short_sentence"):
                ln.label, ln.rule = "boilerplate", f"text-{where}"
            else:
                ln.label, ln.rule = "boilerplate", f"link-or-symbols-{where}"
        return lines

    def _standfirst(
        self, lines: list[LineDecision], open_lines: list[LineDecision], sentences: list[int]
    ) -> list[int]:
        """A deck (standfirst): the first sentence lines, when a byline or timestamp line stands
        between them and the next sentence. The article starts after the byline, so what is
        above it is the page's summary of the article, not its text. Returns the sentences
        left."""
        for _ in range(2):  # a deck is one or two lines
            if len(sentences) < 2:
                break
            deck, nxt = open_lines[sentences[0]], open_lines[sentences[1]]
            if len(deck.words) > _DECK_MAX_WORDS or deck.shape != "sentence":
                break
            if parse_credit(deck.text, self.kb) is not None:
                break  # a credit prefix marks the lead itself
            if parse_credit(nxt.text, self.kb) is not None and _one_sentence(deck.text):
                break  # a caption above a credit lead: the caption rule below labels it
            if not any(x.label in ("byline", "timestamp") for x in lines[deck.pos + 1 : nxt.pos]):
                break
            deck.label, deck.rule = "standfirst", "sentence-above-byline"
            sentences = sentences[1:]
        return sentences

    @staticmethod
    def _main_cluster(open_lines: list[LineDecision], sentences: list[int]) -> list[int]:
        """Sentence lines far apart (a gap of ``_GAP`` or more page lines) are separate
        clusters; the body is the cluster with the most words. A stray sentence-shaped prompt
        at the foot of the page ("Berikan komentar Anda ...") then stays out of the body."""
        if len(sentences) < 2:
            return sentences
        clusters: list[list[int]] = [[sentences[0]]]
        for prev, cur in zip(sentences, sentences[1:]):
            if open_lines[cur].pos - open_lines[prev].pos > _GAP:
                clusters.append([])
            clusters[-1].append(cur)
        if len(clusters) == 1:
            return sentences
        main = max(clusters, key=lambda c: sum(len(open_lines[i].words) for i in c))
        for cluster in clusters:
            if cluster is not main:
                for i in cluster:
                    ln = open_lines[i]
                    ln.label, ln.rule = "boilerplate", "sentence-outside-main-text"
        return main

    @staticmethod
    def _heading_in_body(open_lines: list[LineDecision], i: int) -> tuple[str, str]:
        """A heading between paragraphs: a crosshead; one of a run of short lines is a list
        item; a long unpunctuated line in sentence case is a paragraph."""
        ln = open_lines[i]
        # neighbours that will be kept (junk between two headings does not separate them)
        before = next((x for x in reversed(open_lines[:i]) if x.shape != "junk"), None)
        after = next((x for x in open_lines[i + 1 :] if x.shape != "junk"), None)
        if any(nb is not None and nb.shape == "heading" for nb in (before, after)):
            return "body", "list-item"
        if len(ln.words) <= 12:
            return "crosshead", "short-heading-between-paragraphs"
        return "body", "unpunctuated-paragraph"

    def _label_name_lines(self, lines: list[LineDecision], lead_line: int) -> None:
        """A bare person's name between the headline and the lead is the byline
        ("Fajar Kurniawan", "Rizky Adiputra - detikNews", "Rina Kartikasari, Jurnalis")."""
        title = next((ln.line for ln in lines if ln.label == "title"), None)
        if title is None:
            return
        for ln in lines:
            if title < ln.line < lead_line and not ln.label and _NAME_LINE.match(ln.text):
                if not any(w.lower() in self.function_words for w in ln.words[:4]):
                    ln.label, ln.rule = "byline", "name-line-near-title"

    @staticmethod
    def _label_title(lines: list[LineDecision], lead_line: int) -> None:
        """The headline: the last headline-shaped line (4+ words) before the first timestamp or
        byline that precedes the body, else the last one before the body."""
        head = [ln for ln in lines if ln.line < lead_line]
        anchor = next((ln.line for ln in head if ln.label in ("timestamp", "byline")), lead_line)
        candidates = [
            ln
            for ln in head
            if not ln.label
            and (ln.shape == "heading" or (ln.shape == "short_sentence" and ln.text[-1] in "?!"))
            and 4 <= len(ln.words) <= 30
        ]
        before_anchor = [ln for ln in candidates if ln.line < anchor]
        pick = before_anchor[-1] if before_anchor else (candidates[-1] if candidates else None)
        if pick is not None:
            pick.label, pick.rule = "title", "headline-before-body"


_labeller: LineLabeller | None = None


def label_lines(text: str) -> list[LineDecision]:
    """Label every non-blank line of ``text`` (see the module docstring)."""
    global _labeller
    if _labeller is None:
        _labeller = LineLabeller()
    return _labeller.label(text.replace("\r\n", "\n"))
