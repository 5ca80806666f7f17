"""Tokenisation of news text (Indonesian first, English alike): one compiled regex, no loops.

``tokenize(text)`` returns :class:`Token` objects whose offsets index ``text``
(``text[t.start:t.end] == t.text``). Tokens never contain whitespace, never overlap, come in
order, and every non-space character of the input lies in exactly one token: whatever no
other rule claims becomes a one-character ``symbol``.

Kinds, in the order the rules are tried at each position:

``url``      ``https://…``, ``www.…`` and bare host names with a known top-level domain
             (``detik.com``, ``KOMPAS.com``, ``TEMPO.CO``); trailing punctuation is left out
``email``    ``nama@domain.co.id``
``mention``  ``@jokowi``
``hashtag``  ``#PemiluDamai`` (a letter somewhere after ``#``)
``date``     ``18/11/2015``, ``17/11``, ``18-11-2015``, ``18.11.2015``, ``2015-11-18`` (ISO,
             with an optional ``T14:05:00+07:00``)
``time``     ``14:05``, ``14:05:30``; ``14.05`` only where a time is meant: after a time word of
             ``dates.toml`` (``pukul 14.05``) or before a zone or clock word (``14.05 WIB``,
             ``7.45 p.m.``); ``7.45pm``, ``10am``
``money``    a currency sign glued to an amount (``Rp2.500``, ``Rp.2.500,-``, ``US$5``), or a
             sign followed by an amount after a space (``Rp`` in ``Rp 2,5 triliun``)
``percent``  ``3,5%``
``number``   ``2.500``, ``1.000,5``, ``3.14``, ranges ``10-15``; a number glued to letters is a
             word (``50km``, ``1990-an``)
``abbrev``   the abbreviations of ``abbreviations.txt`` (``Jl.``, ``S.H.``, ``dll.``) and capital
             initials (``B.``, ``B.J.``, ``A.S.``)
``word``     letters and digits, joined by inner hyphens and apostrophes (``negara-negara``,
             ``Uni-Soviet``, ``HP-nya``, ``Jum'at``, ``don't``); clitics stay in the word
``quote``    ``" ' “ ” ‘ ’ « » „`` each on its own (an apostrophe inside a word is the word's)
``punct``    ``. , ; : ( ) [ ] { } - – — / \\ |``, with ``...``, ``…``, ``?!``, ``!!``, ``--`` as
             one token
``symbol``   any other single character (``% & + = * • $`` and emoji)

"50 persen" and "Rp 2,5 triliun" stay separate tokens (``number`` + ``word``; ``money`` +
``number`` + ``word``), as the Indonesian NER corpora tokenise them; a token never spans a
space. A dotted ``14.05`` after a time word is a time even where it is a decimal ("at 5.25
percent"): English writes times with ``:``, so the case is rare.

Speed: the regex engine tries the rules one after another at each position, so a first rule
takes the common case (a word of letters followed by a space or plain punctuation) and every
other rule starts with a guard that fails on the first character or two where it cannot
apply. Without the guards the list of abbreviations alone costs four fifths of the time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, lru_cache
from typing import NamedTuple, cast

from warta.core import diskcache
from warta.lang import LANGUAGES, load_toml, load_words

__all__ = ["KINDS", "Token", "abbreviation_class", "tokenize"]

#: Every kind a token can have.
KINDS: tuple[str, ...] = (
    "url",
    "email",
    "mention",
    "hashtag",
    "date",
    "time",
    "money",
    "percent",
    "number",
    "abbrev",
    "word",
    "quote",
    "punct",
    "symbol",
)


class Token(NamedTuple):
    """A token of ``text``: ``text[start:end]`` and its kind (one of :data:`KINDS`).

    A named tuple, not a frozen dataclass: a body has hundreds of tokens and a tuple is made
    in a third of the time (the same fields, immutability, equality, hash and repr)."""

    start: int
    end: int
    text: str
    kind: str


# Currency signs and ISO codes: facts about currencies, not about a language.
_CURRENCIES: tuple[str, ...] = tuple(
    "US$ S$ A$ HK$ NZ$ C$ Rp RP rp RM IDR USD EUR SGD MYR JPY CNY GBP AUD $ € £ ¥ ₹ ₩ ₱ ₫ ฿".split()
)
# Top-level domains (and Indonesian second-level ones) that make "name.tld" a host name.
_TLDS = (
    "com|net|org|info|biz|io|co|id|go|ac|sch|or|web|my|mil|desa|ponpes|gov|edu|news|tv|me|"
    "asia|uk|au|sg|us|jp|de|fr|nl|ru|cn|in|ly"
)
_HOST_LABEL = r"[^\W_](?:[\w-]*[^\W_])?"
_URL_CHARS = r"[^\s<>\"'“”‘’«»]"
_URL_END = r"[^\s<>\"'“”‘’«».,;:!?)\]}*]"

_HOUR = r"(?:[01]?\d|2[0-4])"
_MIN = r"[0-5]\d"
_NUM = r"\d+(?:[.,]\d+)*"


def _words(items: list[str]) -> str:
    """An alternation of literal words, longest first (so that "WITA" wins over "WIT")."""
    return "|".join(re.escape(w) for w in sorted(set(items), key=lambda w: (-len(w), w)))


@cache
def _abbreviations() -> dict[str, str]:
    """Lower-cased abbreviation -> class ("title", "end" or "num"); the first language that
    lists an abbreviation decides its class."""
    classes: dict[str, str] = {}
    for lang in LANGUAGES:
        for entry in load_words(lang, "abbreviations"):
            parts = entry.split()
            word = parts[0]
            kind = parts[1] if len(parts) > 1 else "title"
            if kind not in ("title", "end", "num") or not word.endswith("."):
                raise ValueError(f"{lang}/abbreviations.txt: bad entry {entry!r}")
            classes.setdefault(word, kind)
    return classes


def abbreviation_class(text: str) -> str:
    """How an ``abbrev`` token behaves at a sentence boundary: its class in
    ``abbreviations.txt`` ("title": never closes a sentence, "end": may close one, "num":
    before a number), or "initial" for capital initials that no list names ("B.", "B.J.")."""
    return _abbreviations().get(text.lower(), "initial")


@cache
def _rules() -> tuple[tuple[str, str], ...]:
    """(kind, regex) per rule, in the order they are tried."""
    prefixes: list[str] = []
    zones: list[str] = []
    clock: list[str] = []
    for lang in LANGUAGES:
        data = load_toml(lang, "dates")
        prefixes += [str(p) for p in data.get("time_prefixes", [])]
        zones += [str(z) for z in data.get("zones", {})]
        for words in data.get("clock", {}).values():
            clock += [str(w) for w in words]
    abbrevs = _abbreviations()
    plain = [a for a, kind in abbrevs.items() if kind != "num"]
    numbered = [a for a, kind in abbrevs.items() if kind == "num"]

    # "pukul 14.05": one fixed-width look-behind per time word (and its form with a dot).
    behind = "|".join(
        f"(?i:(?<={re.escape(p)}[ \\xa0])|(?<={re.escape(p)}\\.[ \\xa0]))"
        for p in sorted(set(prefixes))
    )
    after_time = f"(?i:{_words(zones + clock)})" if zones or clock else "(?!)"
    clock_glued = f"(?i:{_words(clock)})" if clock else "(?!)"
    dot_time = f"{_HOUR}\\.{_MIN}(?:\\.{_MIN})?(?!\\d|[.,]\\d)"
    currency = _words(list(_CURRENCIES))
    currency_first = "".join(sorted({re.escape(c[0]) for c in _CURRENCIES}))
    # The longest run of letters before an abbreviation's first ".", for a cheap guard.
    head = max([len(re.split(r"[^\w]", a)[0]) for a in abbrevs] + [1])

    # One group per rule, tried in this order at each position; two rules give "word". Every
    # group but the first fails on its first character or two where it cannot apply: the
    # regex engine tries the groups one by one, so a guard up front is what keeps it fast.
    groups: list[tuple[str, str]] = [
        # The common case first: a word of letters followed by a space or plain punctuation.
        # Anything a later group could claim (a ".", "@", ":" or digit after it, "Rp 5")
        # falls through to the full rules below.
        (
            "word",
            r"[^\W\d_]+(?:[-'’`][^\W\d_]+)*(?![\w.@:+$'’`-]|[^\S\n]*\d)",
        ),
        (
            "url",
            rf"(?:(?i:https?|ftp)://|(?i:www)\.){_URL_CHARS}*{_URL_END}"
            rf"|(?:{_HOST_LABEL}\.)+(?i:{_TLDS})(?![\w@-])(?:/(?:{_URL_CHARS}*{_URL_END})?)?",
        ),
        ("email", r"[^\W_][\w.+-]*@[^\W_][\w-]*(?:\.[\w-]*[^\W_])+"),
        ("mention", r"@[^\W_]\w*(?:\.\w+)*"),
        ("hashtag", r"#\d*[^\W\d]\w*"),
        (
            "date",
            r"(?=\d)(?:"
            r"\d{4}-\d{1,2}-\d{1,2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
            r"(?![\w-])"
            r"|\d{1,2}/\d{1,2}/\d{4}(?![\w/])|\d{1,2}-\d{1,2}-\d{4}(?![\w-])"
            r"|\d{1,2}/\d{1,2}/\d{2}(?![\w/])"
            r"|\d{1,2}\.\d{1,2}\.\d{4}(?!\w|[.,]\d)"
            r"|\d{1,2}/\d{1,2}(?![\w/]))",
        ),
        (
            "time",
            rf"(?=\d)(?:{_HOUR}:{_MIN}(?::{_MIN})?(?:{clock_glued})?(?![\w:])"
            rf"|{_HOUR}\.{_MIN}{clock_glued}(?!\w)"
            rf"|(?:{behind or '(?!)'}){dot_time}"
            rf"|{dot_time}(?=[^\S\n]?{after_time}(?!\w))"
            rf"|(?:1[0-2]|0?[1-9]){clock_glued}(?!\w))",
        ),
        (
            "money",
            rf"(?=[{currency_first}])(?:{currency})"
            rf"(?:\.?{_NUM}(?:,-{{1,2}})?(?![\w%])|\.?(?=[^\S\n]*\d))",
        ),
        ("percent", rf"{_NUM}%"),
        ("number", rf"{_NUM}(?:[-–]{_NUM})*(?!\w|[-'’]\w)"),
        (
            "abbrev",
            rf"(?=[^\W\d_]{{1,{head}}}\.)(?:"
            + (f"(?i:{_words(plain)})|" if plain else "")
            + (f"(?i:{_words(numbered)})(?=[^\\S\\n]?[(+]?\\d)|" if numbered else "")
            + r"(?:[A-ZÀ-ÖØ-Þ]\.)+)",
        ),
        ("word", r"[^\W_]\w*(?:[-'’`][^\W_]\w*)*"),
        ("quote", r"''|``|[\"'“”‘’„‟‚‛«»‹›「」『』]"),
        ("punct", r"\.{2,}|…+|[!?]+|-{2,}|[.,;:()\[\]{}\-–—/\\|]"),
        ("symbol", r"\S"),
    ]
    return tuple(groups)


def _compile(rules: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """One regex with one unnamed group per rule, and the kind of each group number.

    The regex takes the white space before a token too (possessively: no rule starts with
    white space, and a token never holds any), so that ``finditer`` makes one match per
    token instead of trying every rule at every space first; :func:`_scan` reads the
    token's own span from its group. White space at the end of the text is one match with
    no group (the end-of-text alternative), not a failed try at each of its characters."""
    body = "|".join(f"({rule})" for _, rule in rules)
    return diskcache.compile(rf"\s*+(?:{body}|\Z)"), ("",) + tuple(kind for kind, _ in rules)


@cache
def _pattern() -> tuple[re.Pattern[str], tuple[str, ...]]:
    return _compile(_rules())


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text``, in order (see the module docstring for the kinds)."""
    return list(_tokenize(text))


@lru_cache(maxsize=16)
def _tokenize(text: str) -> tuple[Token, ...]:
    # Every stage of an article tokenises the same body: do it once (a few bodies are kept;
    # a str caches its own hash, so the lookup is cheap).
    pattern, kinds = _pattern()
    return _scan(pattern, kinds, text)


def _scan(pattern: re.Pattern[str], kinds: tuple[str, ...], text: str) -> tuple[Token, ...]:
    """The tokens of ``text`` by a regex of :func:`_compile`: a match is the white space
    before a token and the token, which is the match's end and its rule group's text."""
    out: list[Token] = []
    add = out.append
    make = _make_token  # the tuple made directly: no Python-level __new__ call per token
    for m in pattern.finditer(text):
        group = m.lastindex
        if group is None:  # the white space at the end
            continue
        token = m.group(group)
        end = m.end()
        add(make(Token, (end - len(token), end, token, kinds[group])))
    return tuple(out)


_make_token = cast(Callable[[type[Token], tuple[int, int, str, str]], Token], tuple.__new__)
