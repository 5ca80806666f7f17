"""Which language a text is in: Indonesian, English, Malay or Javanese (ISO 639-1 codes).

The knowledge is data: ``warta/lang/<code>/function_words.txt`` lists the function words and
very frequent words of a language; any language folder with that file takes part, so adding
a language is adding a list. A word listed for *k* languages gives each of them 1/*k* of a
point, so the words that only one language uses decide between close relatives (Indonesian
"karena", "bahwa", "uang" against Malay "kerana", "bahawa", "wang"), while the words they
share still tell both apart from English or Javanese.

Each distinct word counts once: a surname such as "Wang" (Malay for money) printed ten times
in an Indonesian story is one piece of evidence, not ten. A word that is not listed can still
give half a point through an affix the lists name ("-nya", "meng-" for Indonesian and Malay,
"-ipun" for Javanese, "-tion" for English).

The points become a probability with a softmax (one point of margin is a factor *e*), and the
confidence is that probability scaled down when there is little evidence: few listed words,
or few of the text's words listed (a text in a language without a list). Too short a text or
no evidence gives ``("und", 0.0)``. Only the first :data:`MAX_CHARS` characters are read.
"""

from __future__ import annotations

import math
import string
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from warta.lang import LANGUAGES, load_words

__all__ = ["MAX_CHARS", "UNDETERMINED", "detect_language"]

#: Characters read from the start of the text.
MAX_CHARS = 1200
#: The code returned when the text does not say.
UNDETERMINED = "und"
#: Fewer word tokens than this, or fewer listed words than MIN_HITS: undetermined.
MIN_TOKENS = 3
MIN_HITS = 2
#: Listed words at which the evidence factor reaches 1 - 1/e (about 0.63).
EVIDENCE_SCALE = 6.0
#: Share of a text's words that are listed at and above which coverage does not lower the
#: confidence; running prose in a listed language is well above it (about 0.3-0.5).
FULL_COVERAGE = 0.2

#: A word that is not listed may still show its language by an affix listed as "-nya" or
#: "meng-"; such evidence is worth this many points (a listed word is worth 1), and needs a
#: stem of at least MIN_STEM letters besides the affix.
AFFIX_POINTS = 0.5
MIN_STEM = 3
#: How many unlisted words keep their affix verdict in memory (≈100 bytes each: ≈3 MiB; the
#: table is cleared back to the listed words when full).
AFFIX_CACHE = 32_768

_WORDS_FILE = "function_words"
# Tokens: what is left once punctuation and digits are blanked, ~3x cheaper than a word regex
# on a page; a stray apostrophe can stay on a token (it then scores nothing).
_NON_WORD_TO_SPACE = str.maketrans(
    {c: " " for c in string.punctuation.replace("'", "") + string.digits + "“”‘«»…–—―•·|©®™"}
)


#: (indexes of the languages that list a word or affix, points each of them gets)
_Entry = tuple[tuple[int, ...], float]


@dataclass(frozen=True, slots=True)
class _Model:
    languages: tuple[str, ...]
    #: listed word -> entry
    weights: dict[str, _Entry]
    #: affix length -> affix -> (languages, points), for words that are not listed
    suffixes: dict[int, dict[str, _Entry]]
    prefixes: dict[int, dict[str, _Entry]]
    #: every token seen so far -> its entry or None: the listed words, then what _classify
    #: found for others (bounded by AFFIX_CACHE)
    lookup: dict[str, _Entry | None]


def _fold(word: str) -> str:
    """Lower-case, accents removed (kabèh -> kabeh), curly apostrophe made straight."""
    word = word.lower().replace("’", "'")
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _languages() -> tuple[str, ...]:
    """Language folders with a word list; known languages first, in LANGUAGES order."""
    found = {
        entry.name
        for entry in files("warta.lang").iterdir()
        if entry.is_dir() and entry.joinpath(f"{_WORDS_FILE}.txt").is_file()
    }
    known = [code for code in LANGUAGES if code in found]
    return (*known, *sorted(found.difference(known)))


def _weigh(listed: dict[str, list[int]], points: float) -> dict[str, _Entry]:
    return {item: (tuple(owners), points / len(owners)) for item, owners in listed.items()}


def _by_length(
    table: dict[str, _Entry],
) -> dict[int, dict[str, _Entry]]:
    out: dict[int, dict[str, _Entry]] = {}
    for affix, entry in table.items():
        out.setdefault(len(affix), {})[affix] = entry
    return dict(sorted(out.items(), reverse=True))  # longest affix first


@lru_cache(maxsize=1)
def _model() -> _Model:
    languages = _languages()
    words: dict[str, list[int]] = {}
    suffixes: dict[str, list[int]] = {}
    prefixes: dict[str, list[int]] = {}
    for index, code in enumerate(languages):
        for entry in load_words(code, _WORDS_FILE):
            entry = _fold(entry)
            if entry.startswith("-") and len(entry) > 1:  # "-nya": a suffix
                table, entry = suffixes, entry[1:]
            elif entry.endswith("-") and len(entry) > 1:  # "meng-": a prefix
                table, entry = prefixes, entry[:-1]
            else:
                table = words
            owners = table.setdefault(entry, [])
            if index not in owners:
                owners.append(index)
    weights = _weigh(words, 1.0)
    return _Model(
        languages=languages,
        weights=weights,
        suffixes=_by_length(_weigh(suffixes, AFFIX_POINTS)),
        prefixes=_by_length(_weigh(prefixes, AFFIX_POINTS)),
        lookup=dict(weights),
    )


def _affix(token: str, model: _Model) -> _Entry | None:
    """Points for an unlisted word from its longest listed suffix, else prefix."""
    n = len(token)
    for length, table in model.suffixes.items():
        if n >= length + MIN_STEM:
            entry = table.get(token[-length:])
            if entry is not None:
                return entry
    for length, table in model.prefixes.items():
        if n >= length + MIN_STEM:
            entry = table.get(token[:length])
            if entry is not None:
                return entry
    return None


def _classify(token: str, model: _Model) -> _Entry | None:
    """Points for a token not seen before (accents folded, then affixes); remembered."""
    folded = _fold(token) if not token.isascii() else token
    entry = model.weights.get(folded)
    if entry is None:
        entry = _affix(folded, model)
    lookup = model.lookup
    if len(lookup) >= len(model.weights) + AFFIX_CACHE:
        lookup.clear()
        lookup.update(model.weights)
    lookup[token] = entry
    return entry


def detect_language(text: str) -> tuple[str, float]:
    """The language of ``text`` as an ISO 639-1 code and a confidence in [0, 1].

    Returns ``("und", 0.0)`` when the text is too short or has no evidence.
    """
    model = _model()
    lookup = model.lookup
    scores = [0.0] * len(model.languages)
    tokens = set(text[:MAX_CHARS].lower().translate(_NON_WORD_TO_SPACE).split())
    hits = 0
    for token in sorted(tokens):  # a fixed order of additions: the same sums in every process
        try:
            entry = lookup[token]
        except KeyError:
            entry = _classify(token, model)
        if entry is None:
            continue
        hits += 1
        owners, points = entry
        for index in owners:
            scores[index] += points
    if len(tokens) < MIN_TOKENS or hits < MIN_HITS:
        return UNDETERMINED, 0.0
    # scores equal but for the order of float additions are a tie, which the languages' fixed
    # order breaks: no answer may depend on how a set of words happens to iterate
    best = max(range(len(scores)), key=lambda i: (round(scores[i], 6), -i))
    top = scores[best]
    probability = 1.0 / sum(math.exp(s - top) for s in scores)
    evidence = 1.0 - math.exp(-hits / EVIDENCE_SCALE)
    coverage = min(1.0, hits / len(tokens) / FULL_COVERAGE)  # share of distinct words
    return model.languages[best], round(probability * evidence * coverage, 4)
