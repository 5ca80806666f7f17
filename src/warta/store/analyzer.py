"""The text analyzer both store backends share: words, their ASCII folds and their stems.

Full-text search must give the same article sets on SQLite FTS5 and on PostgreSQL, so neither
backend is allowed to tokenize or stem on its own. Both index the string :func:`index_text`
returns: the document as a stream of Snowball-Indonesian stems, each only ``[a-z0-9]``, joined by
single spaces. FTS5's ``unicode61`` tokenizer and PostgreSQL's ``to_tsvector('simple', ...)`` both
split that stream at the spaces and keep every token unchanged, so token *i* of the stream is
position *i + 1* in both indexes, and phrase queries line up.

Words are runs of letters and digits (Unicode), NFKC-casefolded and folded to ASCII (``é`` -> ``e``,
``ß`` -> ``ss``). Hyphens and every other punctuation split words (``covid-19`` is ``covid``,
``19``; ``anak-anak`` is ``anak``, ``anak``). An apostrophe between letters joins (``Jum'at`` is
``jumat``, the common spelling), and an English possessive ``'s`` is dropped (``Indonesia's`` is
``indonesia``). Characters with no ASCII fold (Arabic, CJK, ...) are dropped; a word left empty, or
longer than :data:`MAX_WORD_CHARS` (hashes, base64), is not a word.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import snowballstemmer  # type: ignore[import-untyped]

#: PostgreSQL keeps token positions only up to 16,383 (later ones collapse onto it), so a phrase
#: past that point matches in FTS5 but not in PostgreSQL; backends cap the stream here to agree
MAX_INDEX_TOKENS = 16383

#: longer "words" are blobs (hashes, base64, run-together URLs), not something anyone searches for
MAX_WORD_CHARS = 100

# A raw token: letters/digits (\w, split at "_" later) with combining marks, apostrophe-joined.
_APOSTROPHES = "'\u2019\u2018`\u02bc"
_PIECE = r"[\w\u0300-\u036f]+"
_TOKEN = re.compile(rf"{_PIECE}(?:[{_APOSTROPHES}]{_PIECE})*")
_APOSTROPHE = re.compile(rf"[{_APOSTROPHES}]")
_POSSESSIVE = re.compile(rf"[{_APOSTROPHES}][sS]$")
_NOT_ASCII_WORD = re.compile(r"[^a-z0-9]+")

# Latin letters that Unicode does not decompose into a base letter plus a mark.
_EXTRA_FOLDS = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d", "ł": "l", "þ": "th", "ı": "i", "ħ": "h"}
)

#: Entries in each of the three word caches below (≈180 bytes an entry: ≈6 MiB each when full).
#: About the vocabulary of 1,000 news articles: enough for the common words of any run, small
#: enough that an ingest of 100,000 articles holds what one of 1,000 holds (a larger bound let
#: memory grow with the corpus's new names; a much smaller one makes indexing thrash).
WORD_CACHE = 1 << 15

_stemmer = snowballstemmer.stemmer("indonesian")
_stem_lock = threading.Lock()  # the Snowball object keeps its state in itself: one caller at a time


def _stem_word(word: str) -> str:
    lowered = word.lower()
    with _stem_lock:
        result: str = _stemmer.stemWord(lowered)
    return result or lowered


@lru_cache(maxsize=WORD_CACHE)
def stem(word: str) -> str:
    """The Snowball Indonesian stem of the lower-cased word (PostgreSQL's ``indonesian`` stemmer).

    ``pembangunan``, ``membangun`` and ``dibangun`` all give ``bangun``."""
    return _stem_word(word)


def fold(word: str) -> str:
    """A word as the index sees it before stemming: NFKC-casefolded, diacritics and ligatures folded
    to ASCII, anything that is not ``[a-z0-9]`` removed (may return "")."""
    if word.isascii():
        return _NOT_ASCII_WORD.sub("", word.lower())
    folded = unicodedata.normalize("NFKC", word).casefold()
    decomposed = unicodedata.normalize("NFD", folded).translate(_EXTRA_FOLDS)
    return _NOT_ASCII_WORD.sub("", decomposed)


@lru_cache(maxsize=WORD_CACHE)
def _token_words(token: str) -> tuple[tuple[int, int, str], ...]:
    """The words of one raw regex token, with offsets relative to the token (cached: tokens repeat)."""
    return _split_token(token)


def _split_token(token: str) -> tuple[tuple[int, int, str], ...]:
    words: list[tuple[int, int, str]] = []
    offset = 0
    for part in token.split("_"):
        start, end = offset, offset + len(part)
        offset = end + 1
        if not part:
            continue
        if _APOSTROPHE.search(part):
            part = _APOSTROPHE.sub("", _POSSESSIVE.sub("", part))
        word = fold(part)
        if word and len(word) <= MAX_WORD_CHARS:
            words.append((start, end, word))
    return tuple(words)


@lru_cache(maxsize=WORD_CACHE)
def _token_index(token: str) -> str:
    """The stems of one raw token joined by spaces ("" when it holds no word). Its own cache is
    the only one indexing needs: on a miss the token is new (or long evicted), so its words and
    their stems are computed without the two word caches, which indexing would fill with
    entries it almost never reads again (275 hits in 39,000 and 4,155 in 39,000 over 4,000
    articles) and an ingest would carry at full size (≈13 MiB; searches still use them)."""
    return " ".join(_stem_word(word) for _, _, word in _split_token(token))


# Text whose words need the general path: an underscore (it splits words), an apostrophe between
# letters or digits (it joins them, and "'s" is dropped), or a character outside ASCII other than
# the punctuation and spaces news text is full of (curly quotes, dashes, ellipsis, bullets,
# no-break and zero-width spaces, degree and copyright signs), which may be a letter or a mark.
_NEEDS_FOLDING = re.compile(
    r"[^\x00-\x5e\x60-\x7f\u00a0\u00a9\u00ab\u00b0\u00b1\u00bb\u200b-\u200f"  # not "_" (5f)
    r"\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026]"
)
# An apostrophe before a letter or digit: it joins words when one also stands before it. (Two
# searches: a pattern that starts with a lookbehind is tried at every character.)
_APOSTROPHE_BEFORE_WORD = re.compile(rf"[{_APOSTROPHES}](?=[A-Za-z0-9])")


def plain_words(text: str) -> bool:
    """Whether every word of ``text`` is a run of ASCII letters and digits that the index folds
    only by lower-casing: then a word holds its stem (or the stem with a mutated first letter)
    as a substring, which is what lets snippets find matches by substring search."""
    if _NEEDS_FOLDING.search(text) is not None:
        return False
    for match in _APOSTROPHE_BEFORE_WORD.finditer(text):
        before = match.start() - 1
        if before >= 0 and text[before].isascii() and text[before].isalnum():
            return False
    return True


# In text without those, a word is a run of ASCII letters and digits: one no longer than
# MAX_WORD_CHARS, neither glued to letters or digits before nor after (longer runs are no word).
_PLAIN_WORD = re.compile(rf"(?<![A-Za-z0-9])[A-Za-z0-9]{{1,{MAX_WORD_CHARS}}}(?![A-Za-z0-9])")


def plain_word_bounds(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``(start, end)`` of the words of a text with only plain words (:func:`plain_words`) that
    begin in ``text[start:end]``: the spans :func:`word_spans` finds there without the folded
    words (a plain word's fold is its lower case). A word cut by ``start`` is left out; one cut by
    ``end`` is kept, cut."""
    return [m.span() for m in _PLAIN_WORD.finditer(text, start, end)]


def has_word(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` holds a letter or digit (a word, or part of one)."""
    return any(ch.isalnum() for ch in text[start:end])


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """Every word of ``text`` as ``(start, end, folded word)``; offsets index ``text`` itself, so a
    caller can cut or highlight the original."""
    if plain_words(text):  # most news text: one regex pass, no per-token work
        return [(m.start(), m.end(), m.group().lower()) for m in _PLAIN_WORD.finditer(text)]
    spans: list[tuple[int, int, str]] = []
    append = spans.append  # a plain loop: a generator per token cost a third of a snippet's time
    for match in _TOKEN.finditer(text):
        base = match.start()
        for s, e, w in _token_words(match.group()):
            append((base + s, base + e, w))
    return spans


def words(text: str) -> list[str]:
    """The folded words of ``text`` (:func:`word_spans` without the offsets)."""
    out: list[str] = []
    for token in _TOKEN.findall(text):
        out.extend(w for _, _, w in _token_words(token))
    return out


def index_text(text: str, *, max_tokens: int | None = None) -> str:
    """The string both backends index: the stems of ``text``'s words, ``[a-z0-9]`` only, joined by
    single spaces (see the module docstring), at most ``max_tokens`` of them when given (pass
    :data:`MAX_INDEX_TOKENS` so both backends see the same positions). Runs on every stored
    article, so it is one regex pass plus cached per-token lookups."""
    stream = " ".join(filter(None, map(_token_index, _TOKEN.findall(text))))
    if max_tokens is not None and stream.count(" ") >= max_tokens:
        stream = " ".join(stream.split(" ", max_tokens)[:max_tokens])
    return stream
