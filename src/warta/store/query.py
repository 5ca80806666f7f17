"""The search query language, parsed once and compiled for each backend.

User text never reaches FTS5 ``MATCH`` or PostgreSQL ``to_tsquery`` as syntax: :func:`parse_query`
turns it into a small tree of stems (analysed exactly as :func:`warta.store.analyzer.index_text`
analyses documents), and :func:`to_fts5` / :func:`to_tsquery` write that tree back out with every
stem quoted. The compiled strings hold only ``[a-z0-9]``, spaces, quotes and the operators.

Syntax (operators case-insensitive)::

    banjir jakarta           both words (implicit AND; AND may be written)
    banjir OR longsor        either (also ``banjir | longsor``); AND binds tighter than OR
    banjir -jakarta          banjir but not jakarta (also ``NOT jakarta``, ``-"..."``, ``-(...)``)
    "harga beras"            the words next to each other, in this order (matched on stems)
    korup*                   a prefix (at least 2 characters before the ``*``)
    (banjir OR longsor) -hoaks

A chunk that analyses to several words (``covid-19``, ``1=1``) is a phrase. Punctuation that holds
no word is ignored. A query must have a word that has to match (``NOT x`` alone cannot run on
FTS5), and NOT cannot be a direct alternative of OR; both raise :class:`~warta.core.errors.QueryError`,
as do unbalanced quotes or parentheses, a lone ``*``, a short prefix, and oversized queries.

Stemming a prefix is a guess (``pemerinta*`` is not a stem), so a prefix matches stems starting
with the folded word *or* with its stem: ``pemerinta*`` looks for ``pemerinta*`` or ``perinta*``, so it
finds ``pemerintah`` (indexed as ``perintah``). A prefix too short to stem keeps its affix, so
``tersangk*`` misses ``tersangka`` (indexed as ``sangka``): prefixes work best on roots (``sangk*``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from warta.core.errors import QueryError
from warta.store.analyzer import (
    MAX_WORD_CHARS,
    has_word,
    plain_word_bounds,
    plain_words,
    stem,
    word_spans,
    words,
)

MAX_DEPTH = 8  # nested parentheses and NOTs


@dataclass(frozen=True, slots=True)
class Term:
    stem: str
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class Phrase:
    stems: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    child: Node


Node = Term | Phrase | And | Or | Not

# -- lexing ----------------------------------------------------------------------------------------

_QUOTES = '"\u201c\u201d\u201e'
_SPECIAL = frozenset(_QUOTES + "()|")
_KEYWORDS = {"OR": "or", "AND": "and", "NOT": "not"}

Kind = Literal["(", ")", "or", "and", "not", "operand"]


@dataclass(frozen=True, slots=True)
class _Token:
    kind: Kind
    at: int  # 1-based character position, for messages
    node: Node | None = None  # operands only; None for punctuation that holds no word
    terms: int = 0  # words the user wrote, for max_terms


def _operand(text: str, at: int, *, quoted: bool) -> _Token:
    """A word chunk or a quoted phrase as an operand token."""
    prefix = not quoted and text.endswith("*")
    body = text.rstrip("*") if prefix else text
    found = words(body)
    if prefix:
        if not found:
            raise QueryError(
                f"a lone '*' at position {at}: write it right after a word, as in korup*"
            )
        if len(found) > 1:
            raise QueryError(
                f"the prefix {text!r} at position {at} is more than one word; '*' ends one word"
            )
        if len(found[0]) < 2:
            raise QueryError(
                f"the prefix {text!r} at position {at} is too short: at least 2 characters before '*'"
            )
        word = found[0]
        alternatives = dict.fromkeys(w for w in (word, stem(word)) if len(w) >= 2)
        terms = [Term(w, prefix=True) for w in alternatives]
        node: Node = terms[0] if len(terms) == 1 else Or(tuple(terms))
        return _Token("operand", at, node, 1)
    if not found:
        return _Token("operand", at, None, 0)
    stems = tuple(stem(w) for w in found)
    return _Token("operand", at, Term(stems[0]) if len(stems) == 1 else Phrase(stems), len(stems))


def _lex(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
        elif char in _QUOTES:
            close = next((j for j in range(i + 1, n) if text[j] in _QUOTES), -1)
            if close < 0:
                raise QueryError(f"unbalanced quote: the quote at position {i + 1} is never closed")
            tokens.append(_operand(text[i + 1 : close], i + 1, quoted=True))
            i = close + 1
        elif char in "()":
            tokens.append(_Token("(" if char == "(" else ")", i + 1))
            i += 1
        elif char == "|":
            tokens.append(_Token("or", i + 1))
            while i < n and text[i] == "|":
                i += 1
        elif char == "-":
            j = i
            while j < n and text[j] == "-":
                j += 1
            if j < n and not text[j].isspace() and text[j] not in ")|":
                tokens.append(_Token("not", i + 1))
            else:
                tokens.append(_Token("operand", i + 1))  # dashes alone: punctuation
            i = j
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in _SPECIAL:
                j += 1
            chunk = text[i:j]
            keyword = _KEYWORDS.get(chunk.upper())
            if keyword == "or":
                tokens.append(_Token("or", i + 1))
            elif keyword == "and":
                tokens.append(_Token("and", i + 1))
            elif keyword == "not":
                tokens.append(_Token("not", i + 1))
            else:
                tokens.append(_operand(chunk, i + 1, quoted=False))
            i = j
    return tokens


# -- parsing ---------------------------------------------------------------------------------------


class _Parser:
    """Recursive descent over the tokens; depth is bounded before each descent."""

    def __init__(self, tokens: list[_Token], max_depth: int) -> None:
        self.tokens = tokens
        self.pos = 0
        self.max_depth = max_depth

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def expect_operand_after(self, op: _Token, name: str) -> None:
        following = self.peek()
        if following is None or following.kind in (")", "or", "and"):
            raise QueryError(f"{name} at position {op.at} has nothing after it")

    def parse_or(self, depth: int) -> Node | None:
        children = [self.parse_and(depth)]
        while (token := self.peek()) is not None and token.kind == "or":
            self.take()
            self.expect_operand_after(token, "OR")
            children.append(self.parse_and(depth))
        return _combine(Or, children)

    def parse_and(self, depth: int) -> Node | None:
        children: list[Node | None] = []
        start = self.peek()
        while (token := self.peek()) is not None and token.kind not in (")", "or"):
            if token.kind == "and":
                self.take()
                if not children:
                    raise QueryError(f"AND at position {token.at} has nothing before it")
                self.expect_operand_after(token, "AND")
            children.append(self.parse_unary(depth))
        if not children:
            if start is None:
                raise QueryError("the query ends where a word was expected")
            if start.kind == "or":
                raise QueryError(f"OR at position {start.at} has nothing before it")
            raise QueryError(
                f"empty parentheses: nothing between '(' and the ')' at position {start.at}"
            )
        return _combine(And, children)

    def parse_unary(self, depth: int) -> Node | None:
        token = self.peek()
        if token is not None and token.kind == "not":
            self.take()
            if depth + 1 > self.max_depth:
                raise QueryError(
                    f"the query nests NOT and parentheses deeper than {self.max_depth}"
                )
            self.expect_operand_after(token, "NOT")
            child = self.parse_unary(depth + 1)
            return None if child is None else Not(child)
        return self.parse_primary(depth)

    def parse_primary(self, depth: int) -> Node | None:
        token = self.take()
        if token.kind == "operand":
            return token.node
        if token.kind == "(":
            if depth + 1 > self.max_depth:
                raise QueryError(
                    f"the query nests NOT and parentheses deeper than {self.max_depth}"
                )
            if self.peek() is None:
                raise QueryError(
                    f"unbalanced parentheses: the '(' at position {token.at} is never closed"
                )
            inner = self.parse_or(depth + 1)
            close = self.peek()
            if close is None or close.kind != ")":
                raise QueryError(
                    f"unbalanced parentheses: the '(' at position {token.at} is never closed"
                )
            self.take()
            return inner
        raise QueryError(f"unbalanced parentheses: the ')' at position {token.at} closes nothing")


def _combine(kind: type[And] | type[Or], children: list[Node | None]) -> Node | None:
    """An And/Or of the children that hold words, flattened; a single child stands alone."""
    flat: list[Node] = []
    for child in children:
        if isinstance(child, kind):
            flat.extend(child.children)
        elif child is not None:
            flat.append(child)
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else kind(tuple(flat))


def _check_runnable(node: Node) -> None:
    """Reject what a backend cannot run: a purely negative query or group, NOT directly in OR."""
    if isinstance(node, Not) or (
        isinstance(node, And) and all(isinstance(c, Not) for c in node.children)
    ):
        raise QueryError(
            "the query (or a group in it) only excludes words (NOT x, -x): add a word that must match"
        )
    if isinstance(node, Or):
        if any(isinstance(c, Not) for c in node.children):
            raise QueryError("NOT cannot be an alternative of OR: write (a -b) OR c, not a OR -b")
        for child in node.children:
            _check_runnable(child)
    elif isinstance(node, And):
        for child in node.children:
            _check_runnable(child.child if isinstance(child, Not) else child)


def _count_terms(tokens: list[_Token]) -> int:
    return sum(token.terms for token in tokens)


def parse_query(
    text: str, *, max_chars: int = 500, max_terms: int = 32, max_depth: int = MAX_DEPTH
) -> Node | None:
    """Parse a user query into a tree of stems; None when it holds no word at all (the caller
    decides whether that is "no text condition" or an error)."""
    if len(text) > max_chars:
        raise QueryError(f"the query is {len(text)} characters long; the limit is {max_chars}")
    tokens = _lex(text)
    count = _count_terms(tokens)
    if count > max_terms:
        raise QueryError(f"the query has {count} words; the limit is {max_terms}")
    if not tokens:
        return None
    parser = _Parser(tokens, max_depth)
    node = parser.parse_or(0)
    leftover = parser.peek()
    if leftover is not None:  # only a ')' stops parse_or early
        raise QueryError(
            f"unbalanced parentheses: the ')' at position {leftover.at} closes nothing"
        )
    if node is not None:
        _check_runnable(node)
    return node


# -- compiling -------------------------------------------------------------------------------------


def to_fts5(node: Node) -> str:
    """An FTS5 MATCH expression: every stem double-quoted, every group parenthesised."""
    if isinstance(node, Term):
        return f'"{node.stem}"*' if node.prefix else f'"{node.stem}"'
    if isinstance(node, Phrase):
        return '"' + " ".join(node.stems) + '"'
    if isinstance(node, Or):
        return "(" + " OR ".join(to_fts5(c) for c in node.children) + ")"
    if isinstance(node, And):
        positive = [to_fts5(c) for c in node.children if not isinstance(c, Not)]
        negative = [to_fts5(c.child) for c in node.children if isinstance(c, Not)]
        expr = "(" + " AND ".join(positive) + ")"
        if negative:  # FTS5 NOT is binary: (must) NOT (any of the excluded)
            expr = "(" + expr + " NOT (" + " OR ".join(negative) + "))"
        return expr
    # a bare Not, which parse_query never returns: FTS5 has no unary NOT
    raise QueryError("NOT needs a word that must match beside it")


def to_tsquery(node: Node) -> str:
    """A string for PostgreSQL ``to_tsquery('simple', ...)``: quoted stems, ``:*`` prefixes,
    ``<->`` phrases, ``& | !`` and parentheses."""
    if isinstance(node, Term):
        return f"'{node.stem}':*" if node.prefix else f"'{node.stem}'"
    if isinstance(node, Phrase):
        return "(" + " <-> ".join(f"'{s}'" for s in node.stems) + ")"
    if isinstance(node, Or):
        return "(" + " | ".join(to_tsquery(c) for c in node.children) + ")"
    if isinstance(node, And):
        return "(" + " & ".join(to_tsquery(c) for c in node.children) + ")"
    return "!" + to_tsquery(node.child)


def query_stems(node: Node) -> tuple[set[str], set[str]]:
    """(exact stems, prefixes) of the words that must or may match, for highlighting."""
    exact: set[str] = set()
    prefixes: set[str] = set()

    def walk(n: Node) -> None:
        if isinstance(n, Term):
            (prefixes if n.prefix else exact).add(n.stem)
        elif isinstance(n, Phrase):
            exact.update(n.stems)
        elif isinstance(n, And | Or):
            for child in n.children:
                walk(child)
        # Not: excluded words are never highlighted

    walk(node)
    return exact, prefixes


# -- snippets --------------------------------------------------------------------------------------


def _matches(text: str, node: Node | None) -> tuple[list[tuple[int, int, str]], list[bool]]:
    spans = word_spans(text)
    if node is None:
        return spans, [False] * len(spans)
    exact, prefixes = query_stems(node)
    ordered = tuple(sorted(prefixes))
    if not ordered:  # the common case, one membership test a word
        return spans, [stem(word) in exact for _, _, word in spans]
    flags = []
    for _, _, word in spans:
        s = stem(word)
        flags.append(s in exact or s.startswith(ordered) or word.startswith(ordered))
    return spans, flags


# Snowball's Indonesian stemmer strips affixes and, after meN-/peN-, restores a mutated first
# letter ("memeriksa" -> "periksa", "menyelidiki" -> "selidik"); so a stem is found inside its word
# either as it is or with that letter mutated, and one literal alternation finds every candidate.
_MUTATIONS = {"p": "m", "s": "ny", "t": "n", "k": "ng"}


@lru_cache(maxsize=256)
def _candidate_pattern(needles: frozenset[str], ignore_case: bool = True) -> re.Pattern[str]:
    variants: set[str] = set()
    for needle in needles:
        variants.add(needle)
        if needle[:1] in _MUTATIONS:
            variants.add(_MUTATIONS[needle[0]] + needle[1:])
    alternation = "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True))
    return re.compile(alternation, re.IGNORECASE if ignore_case else 0)


def _match_offsets(text: str, node: Node | None, *, plain: bool = False) -> list[tuple[int, int]]:
    """Character spans of the words of ``text`` the query matches, found without tokenising the
    whole text: candidates by substring, then each confirmed by its stem (a long article is
    snippeted in well under a millisecond instead of several). ``plain``: the caller knows the
    text has only plain words (:func:`~warta.store.analyzer.plain_words`), so a widened
    candidate is one word as it stands."""
    if node is None:
        return []
    exact, prefixes = query_stems(node)
    if not exact and not prefixes:
        return []
    ordered = tuple(sorted(prefixes))
    found: list[tuple[int, int]] = []
    last_word = -1
    if plain:  # ASCII lower-casing keeps every offset, and a case-blind search costs more
        text = text.lower()
    for match in _candidate_pattern(frozenset(exact | prefixes), not plain).finditer(text):
        base, end = match.start(), match.end()
        while base > 0 and text[base - 1].isalnum():  # widen the needle to its whole word
            base -= 1
        if base <= last_word:
            continue
        while end < len(text) and text[end].isalnum():
            end += 1
        last_word = end
        words = ((0, end - base, text[base:end]),) if plain else word_spans(text[base:end])
        for s, e, word in words:
            if len(word) > MAX_WORD_CHARS:  # word_spans leaves these out; so must a plain word
                continue
            stemmed = stem(word)
            if stemmed in exact or (
                bool(ordered) and (stemmed.startswith(ordered) or word.startswith(ordered))
            ):
                found.append((base + s, base + e))
    return found


def snippet(text: str, node: Node | None, *, width: int = 240) -> str:
    """About ``width`` characters of ``text`` around its densest run of matches, cut at word
    boundaries ("…" where cut), matched words wrapped in ``[[`` ``]]``; the text's start when
    nothing matches. Whitespace runs become single spaces."""
    lo, hi = 0, len(text)
    offsets: list[tuple[int, int]] | None = None
    if len(text) > 4 * width:  # only the region around the densest matches is tokenised
        plain = plain_words(text)
        offsets = _match_offsets(text, node, plain=plain)
        if not offsets:
            hi = 2 * width
        else:
            first, last = _densest_window(offsets, list(range(len(offsets))), width)
            lo = max(0, offsets[first][0] - 2 * width)
            hi = min(len(text), offsets[last][1] + 2 * width)
        if lo > 0:  # start the region on a word boundary
            space = text.find(" ", lo)
            lo = space + 1 if 0 <= space < offsets[first][0] else lo
        if hi < len(text):  # end it on a word boundary, never before the last match
            floor = offsets[last][1] if offsets else lo
            space = text.rfind(" ", floor, hi)
            hi = space if space > lo and space >= floor else hi
        if offsets and plain:
            lo, hi = _reach(text, offsets[first][0], offsets[last][1], width, lo, hi)
        else:
            offsets = None
    return _snippet_in(text, node, width, lo, hi, offsets)


def _reach(text: str, first: int, last: int, width: int, lo: int, hi: int) -> tuple[int, int]:
    """The region ``lo``..``hi`` narrowed to what a snippet around the matches from ``first`` to
    ``last`` can reach: a word ``width`` characters or more beyond the other end of the matches
    never fits, so it need not be read. Where nothing but spaces and punctuation would lie between
    the narrowed region and the text's start (or end), the region keeps the start (end), which the
    snippet then shows uncut."""
    near_lo, near_hi = max(lo, first - width - 1), min(hi, last + width + 1)
    while near_hi < hi and text[near_hi - 1].isalnum() and text[near_hi].isalnum():
        near_hi += 1  # a word is read whole: cut, a match beyond the others would seem to fit
    if lo == 0 < near_lo and not has_word(text, 0, near_lo):
        near_lo = 0
    if hi == len(text) > near_hi and not has_word(text, near_hi, len(text)):
        near_hi = len(text)
    return near_lo, near_hi


def _snippet_in(
    text: str,
    node: Node | None,
    width: int,
    lo: int,
    hi: int,
    offsets: list[tuple[int, int]] | None = None,
) -> str:
    bounds: list[tuple[int, int]]
    if offsets is None:
        spans, flags = _matches(text[lo:hi], node)
        bounds = [(s + lo, e + lo) for s, e, _ in spans]
    else:  # plain words: the offsets already are the matched words (see plain_words)
        bounds = plain_word_bounds(text, lo, hi)
        matched = {s for s, _ in offsets}
        flags = [s in matched for s, _ in bounds]
    if not bounds:
        return " ".join(text[:width].split()) + ("…" if len(text) > width else "")
    hits = [i for i, flag in enumerate(flags) if flag]
    first, last = _densest_window(bounds, hits, width)
    # widen with context around the matches, word by word, while it fits
    lo_i, hi_i = first, last
    while True:
        grown = False
        if hi_i + 1 < len(bounds) and bounds[hi_i + 1][1] - bounds[lo_i][0] <= width:
            hi_i += 1
            grown = True
        if lo_i > 0 and bounds[hi_i][1] - bounds[lo_i - 1][0] <= width:
            lo_i -= 1
            grown = True
        if not grown:
            break
    start = 0 if lo_i == 0 and lo == 0 else bounds[lo_i][0]
    end = len(text) if hi_i == len(bounds) - 1 and hi == len(text) else bounds[hi_i][1]
    pieces: list[str] = []
    cursor = start
    for i in range(lo_i, hi_i + 1):
        if flags[i]:
            s, e = bounds[i]
            pieces.append(text[cursor:s])
            pieces.append("[[" + text[s:e] + "]]")
            cursor = e
    pieces.append(text[cursor:end])
    body = " ".join("".join(pieces).split())
    return ("…" if start > 0 else "") + body + ("…" if end < len(text) else "")


def _densest_window(bounds: list[tuple[int, int]], hits: list[int], width: int) -> tuple[int, int]:
    """Word indexes (first, last) of the window of at most ``width`` characters holding the most
    matches; the first word when there are none."""
    if not hits:
        return 0, 0
    best = (hits[0], hits[0])
    best_count = 1
    right = 0
    for left in range(len(hits)):
        right = max(right, left)
        while right + 1 < len(hits) and bounds[hits[right + 1]][1] - bounds[hits[left]][0] <= width:
            right += 1
        if right - left + 1 > best_count:
            best_count = right - left + 1
            best = (hits[left], hits[right])
    return best
