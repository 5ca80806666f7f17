"""Sentence splitting of news text over :func:`warta.nlp.tokens.tokenize`'s tokens.

``split_sentences(text)`` returns :class:`Span` objects (``start``, ``end`` offsets into
``text``) in order, without overlap, each starting on its first token and ending on its last
(so stripped); every token, hence every non-space character, lies in exactly one sentence.

A sentence ends:

* at a paragraph break (a blank line), always;
* after ``.``, ``!``, ``?``, ``?!``, ``...`` or ``…`` (with any closing quotes and brackets glued
  to it: ``lihat." Kata dia`` ends after the quote) when whitespace follows and what follows
  may start a sentence: not a lower-case word (``"Apa?" tanya dia``, ``... lalu pergi``), not
  ``, ; : )``. Numbers, dates and times are single tokens, so ``Rp 2,5 triliun.`` and
  ``pukul 14.05 WIB.`` end where they should and ``1.000,5`` never splits;
* after an abbreviation of class "end" in ``abbreviations.txt`` (``dll.``, ``Tbk.``, ``S.H.``)
  only before a capitalised word or an opening quote (and, when it is all dotted capitals,
  only after a comma or a number: ``Budi, S.H. Ia ...``, ``10 A.M. The ...``, but
  ``A.M. Hendropriyono``); abbreviations of class "title" and "num" (``Dr.``, ``Jl.``,
  ``No. 5``) never end one; a single capital initial (``B. J. Habibie``) ends one only before
  a capitalised word of ``function_words.txt`` (``... berinisial I. Mereka ...``), and dotted
  capitals that no list names (``U.S.``, ``B.J.``) never do;
* at a stop glued to the next word only where a lower-case word meets a capitalised one
  (``melemah.Satu``: a space lost in scraping; ``KOMPAS.com`` and ``Sp.PD`` stay whole);
* at a single line break, unless the next line starts in lower case or with ``, ; : )``, or
  the line ends in something that joins (``,``, ``;``, ``-``, ``(``, a title abbreviation or
  an initial).

It does not end after a short dateline in capitals (``JAKARTA. Presiden ...``; the usual
``JAKARTA, KOMPAS.com - ...`` has no stop at all), nor after a list number (``1. Pertama``),
nor before anything but punctuation has been seen (``"... dan kami``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from warta.core import diskcache
from warta.lang import LANGUAGES, load_words
from warta.nlp.tokens import Token, abbreviation_class, tokenize

__all__ = ["Span", "split_sentences"]


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


# A line break, or a run of blank space holding two or more (a paragraph break).
_BREAK = diskcache.compile(r"\n(?:\s*\n)?")
# Punctuation tokens that end a sentence start with one of these (".", "...", "?!", "…").
_STOPS = frozenset(".!?…")
# Glued after a stop, these stay with its sentence.
_CLOSERS = frozenset(['"', "'", "”", "’", "»", "›", "''", "」", "』", ")", "]", "}"])
_OPENING_QUOTES = frozenset(['"', "'", "“", "‘", "«", "‹", "„", "‚", "``", "「", "『"])
# A line that ends in one of these goes on in the next line.
_JOINING = frozenset([",", ";", "-", "–", "—", "(", "[", "/", "\\", "|"])
_CONTENTLESS = frozenset(["punct", "quote", "symbol"])
_DOTTED_CAPITALS = diskcache.compile(r"(?:[A-Z]\.)+")


@cache
def _function_words() -> frozenset[str]:
    words: frozenset[str] = frozenset()
    for lang in LANGUAGES:
        words |= load_words(lang, "function_words")
    return words


def _breaks(text: str, tokens: list[Token]) -> dict[int, int]:
    """Token index -> 1 if a line break comes before that token, 2 if a paragraph break."""
    found: dict[int, int] = {}
    if "\n" not in text:
        return found
    k = 0
    n = len(tokens)
    for m in _BREAK.finditer(text):
        end = m.end()
        while k < n and tokens[k].start < end:
            k += 1
        if k == n:
            break
        level = 2 if end - m.start() > 1 else 1
        found[k] = max(found.get(k, 0), level)
    return found


def _closes(tok: Token) -> bool:
    return tok.text in _CLOSERS or (tok.kind == "punct" and tok.text[0] in _STOPS)


def _starts_sentence(stop: Token, nxt: Token) -> bool:
    """Whether ``nxt`` (after whitespace) may open a new sentence after ``stop``."""
    kind = nxt.kind
    if stop.kind == "abbrev":
        if kind == "quote":
            return nxt.text in _OPENING_QUOTES
        if kind != "word" or not nxt.text[0].isupper():
            return False
        if abbreviation_class(stop.text) == "end":
            return True
        # A single initial: "B. J. Habibie" goes on, "berinisial I. Mereka ..." ends; dotted
        # capitals ("U.S. President", "B.J. Habibie") never end a sentence.
        return len(stop.text) == 2 and nxt.text.lower() in _function_words()
    if kind == "word":
        return not nxt.text[0].islower()
    if kind == "punct":
        return nxt.text[0] in "([{"
    if kind == "quote":
        return nxt.text in _OPENING_QUOTES
    return True


def _line_ends(prev: Token, nxt: Token) -> bool:
    """Whether a single line break between ``prev`` and ``nxt`` ends a sentence."""
    if nxt.kind == "word" and nxt.text[0].islower():
        return False
    if nxt.kind == "punct" and nxt.text[0] in ",;:)]}":
        return False
    if prev.kind == "punct":
        return prev.text not in _JOINING
    if prev.kind == "abbrev":
        return abbreviation_class(prev.text) == "end"
    if prev.kind == "quote":
        return prev.text not in ("“", "‘", "«", "„")
    return True


def _dateline(tokens: list[Token], start: int, stop: int) -> bool:
    """A short capitalised dateline before a full stop: "JAKARTA." or "BANDUNG, KOMPAS.com."."""
    if tokens[stop].text != "." or stop - start > 5:
        return False
    capitals = 0
    for tok in tokens[start:stop]:
        if tok.kind == "word" and len(tok.text) >= 3 and tok.text.isupper():
            capitals += 1
        elif tok.kind != "url" and tok.text not in (",", "-", "–", "—"):
            return False
    return capitals > 0


def _glued(prev: Token, nxt: Token) -> bool:
    """A stop with no space after it that still ends a sentence: "melemah.Satu sisi" (a
    lower-case word, then a capitalised one), a join that scraped text often loses."""
    return (
        prev.kind == "word"
        and prev.text.islower()
        and nxt.kind == "word"
        and nxt.text[0].isupper()
        and nxt.text[1:2].islower()
    )


def _ends(tokens: list[Token], start: int, i: int, j: int, breaks: dict[int, int]) -> bool:
    """Whether the sentence that began at token ``start`` ends with the stop ``tokens[i]``
    and the closers glued to it, before ``tokens[j]``."""
    stop, nxt, last = tokens[i], tokens[j], tokens[j - 1]
    if nxt.start == last.end and not (j == i + 1 and i > start and _glued(tokens[i - 1], nxt)):
        return False
    if not _starts_sentence(stop, nxt):
        return False
    if (
        stop.kind == "abbrev"
        and _DOTTED_CAPITALS.fullmatch(stop.text)
        and abbreviation_class(stop.text) == "end"
    ):
        # "Budi, S.H. Ia ..." and "10 A.M. The ..." end; "A.M. Hendropriyono" goes on.
        before = tokens[i - 1] if i > start else None
        if before is None or not (before.text == "," or before.kind in ("number", "time")):
            return False
    if i == start + 1 and _list_number(tokens[start]):
        return False
    return not ((start == 0 or start in breaks) and _dateline(tokens, start, i))


def split_sentences(text: str) -> list[Span]:
    """The sentences of ``text`` as spans, in order (see the module docstring for the rules)."""
    return list(_split_sentences(text))


@lru_cache(maxsize=16)
def _split_sentences(text: str) -> tuple[Span, ...]:
    # several stages split the same body: once per article
    return tuple(_split(text))


def _split(text: str) -> list[Span]:
    tokens = tokenize(text)
    n = len(tokens)
    if n == 0:
        return []
    breaks = _breaks(text, tokens)
    spans: list[Span] = []
    start = 0  # first token of the current sentence
    content = False  # whether the current sentence has more than punctuation
    i = 0
    while i < n:
        if breaks and i > start and i in breaks:
            if breaks[i] == 2 or _line_ends(tokens[i - 1], tokens[i]):
                spans.append(Span(tokens[start].start, tokens[i - 1].end))
                start, content = i, False
        tok = tokens[i]
        kind = tok.kind
        if kind == "word":
            content = True
            i += 1
            continue
        if kind == "punct":
            if tok.text[0] not in _STOPS:
                i += 1
                continue
        elif kind == "abbrev":
            content = True
            if abbreviation_class(tok.text) not in ("end", "initial"):
                i += 1
                continue
        else:
            if kind not in _CONTENTLESS:
                content = True
            i += 1
            continue
        j = i + 1
        while j < n and tokens[j].start == tokens[j - 1].end and _closes(tokens[j]):
            j += 1
        if j < n and content and _ends(tokens, start, i, j, breaks):
            spans.append(Span(tokens[start].start, tokens[j - 1].end))
            start, content = j, False
        i = j
    spans.append(Span(tokens[start].start, tokens[n - 1].end))
    return spans


def _list_number(tok: Token) -> bool:
    """ "1." or "a." opening a list item (not a sentence of its own)."""
    return (tok.kind == "number" and len(tok.text) <= 3) or (
        tok.kind == "word" and len(tok.text) == 1
    )
