"""Keyphrases of a news body: candidate phrases between stopwords and punctuation, scored by
term frequency with a position prior, grouped by stem, returned in their usual surface form.

``keywords(body, language, k)``:

* the body is tokenised (:func:`warta.nlp.tokens.tokenize`) and cut into sentences
  (:func:`warta.nlp.sentences.split_sentences`); a *run* is a maximal sequence of word tokens
  inside a sentence with no stopword, punctuation, number or symbol between them;
* candidates are the n-grams (1 to 3 words) of each run; a candidate is keyed by the Snowball
  stems of its lower-cased words (Indonesian stemmer, English for ``en``), so "kebijakan
  moneter" and "Kebijakan Moneter" are one phrase;
* a word's weight is its stem frequency in the body; a phrase's score is its frequency times
  the mean weight of its words, times a length bonus (multi-word phrases beat their parts) and
  a position prior (a phrase first seen in the lead counts more). Multi-word phrases must occur
  at least twice (once when the body has a single sentence);
* phrases are taken best first, skipping any that lies inside one already taken;
  each is returned in its most frequent surface form (a sentence-initial capital counts half).

Never a stopword-only or number-only phrase; deterministic (ties break on first position).
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Any

import snowballstemmer  # type: ignore[import-untyped]

from warta.lang import language_info, load_words, reading
from warta.nlp.sentences import split_sentences
from warta.nlp.tokens import tokenize

__all__ = ["content_stem", "content_stems", "keywords", "stem", "stopwords"]

MAX_WORDS = 3
_LENGTH_BONUS = {1: 1.0, 2: 1.6, 3: 1.9}


#: Bounds of the caches below: languages a page may name (its language tag is read from the
#: page), and content words (a word and its stem or None, ≈200 bytes: ≈6.5 MiB at the limit).
#: 32,768 words holds the vocabulary of about 1,000 news articles, so a long ingest's memory is
#: what a short one's is (issue 13: flat peak memory) and the common words stay cached.
_LANGUAGES = 64
_WORDS = 1 << 15

#: What a language must have for keywords and summaries of its pages: the ``[keywords]``
#: table of its ``language.toml`` (the Snowball stemmer, the stopword list).
NEEDS = "keywords"


@lru_cache(maxsize=_LANGUAGES)
def stopwords(language: str | None) -> frozenset[str]:
    """Lower-cased stopwords of a page in ``language``: the list its ``[keywords]`` table
    names, with the longer words (4+ letters) of its ``also`` languages' lists added (news
    quotes both), less its ``not_stopwords`` list ("data", "media" are Indonesian words)."""
    found = reading(language, NEEDS)
    return _stopwords(found.code, found.also)


@lru_cache(maxsize=_LANGUAGES)
def _stopwords(code: str | None, also: tuple[str, ...]) -> frozenset[str]:
    if code is None:
        return frozenset()
    settings = _settings(code)
    own = load_words(code, str(settings.get("stopwords", "")))
    keep = load_words(code, str(settings.get("not_stopwords", "")))
    borrowed: set[str] = set()
    for extra in also:
        name = _settings(extra).get("stopwords")
        if name:
            borrowed |= {w for w in load_words(extra, str(name)) if len(w) > 3 and w not in keep}
    return own | borrowed


def _settings(code: str) -> dict[str, Any]:
    table = language_info(code).get(NEEDS)
    return table if isinstance(table, dict) else {}


@lru_cache(maxsize=_LANGUAGES)
def _stemmer(language: str | None) -> snowballstemmer.Stemmer | None:
    """The Snowball stemmer its ``[keywords]`` table names (None: words are not stemmed)."""
    code = reading(language, NEEDS).code
    name = _settings(code).get("stemmer") if code else None
    return snowballstemmer.stemmer(str(name)) if name else None


def _stem_word(word: str, language: str | None) -> str:
    # not cached: content_stem's cache is the one that hits (98 %); one here behind it hit
    # 10 % of its calls and held 32,768 words an ingest carried to its end
    stemmer = _stemmer(language)
    return word if stemmer is None else str(stemmer.stemWord(word))


def stem(word: str, language: str | None = None) -> str:
    """The Snowball stem of the lower-cased ``word``, by the stemmer of ``language``'s data."""
    return _stem_word(word.lower(), language)


def _is_word(text: str) -> bool:
    return len(text) > 1 and any(c.isalpha() for c in text)


@lru_cache(maxsize=_WORDS)
def content_stem(word: str, language: str | None = None) -> str | None:
    """The stem of ``word`` when it is a content word (not a stopword, number or one letter),
    else None: keywords and the summary ask this of every token, so it is cached."""
    low = word.lower()
    if _is_word(low) and low not in stopwords(language):
        return _stem_word(low, language)
    return None


def content_stems(text: str, language: str | None = None) -> list[str]:
    """Stems of the non-stopword words of ``text`` (for similarity between sentences)."""
    out: list[str] = []
    for tok in tokenize(text):
        if tok.kind == "word":
            stemmed = content_stem(tok.text, language)
            if stemmed is not None:
                out.append(stemmed)
    return out


_Run = list[tuple[int, str, bool, str]]
_EDGE = (-1, -1)  # the place of the None between two runs (never a phrase's first place)


def _runs(body: str, language: str | None) -> list[tuple[int, _Run]]:
    """(sentence index, [(token index, surface, sentence-initial, stem)]) per run of content
    words."""
    tokens = tokenize(body)
    spans = split_sentences(body)
    runs: list[tuple[int, _Run]] = []
    s = 0
    last = len(spans) - 1
    end = spans[0].end if spans else 0
    current: _Run = []
    sentence_start = True
    for i, tok in enumerate(tokens):
        while s < last and tok.start >= end:
            if current:
                runs.append((s, current))
                current = []
            s += 1
            end = spans[s].end
            sentence_start = True
        kind = tok.kind
        stemmed = content_stem(tok.text, language) if kind == "word" else None
        if stemmed is not None:
            current.append((i, tok.text, sentence_start, stemmed))
        elif current:
            runs.append((s, current))
            current = []
        if kind != "quote" and not (kind == "punct" and tok.text in "(["):
            sentence_start = False
    if current:
        runs.append((s, current))
    return runs


def keywords(body: str, language: str | None = None, k: int = 10) -> list[str]:
    """Up to ``k`` keyphrases of ``body``, best first (see the module docstring)."""
    if k <= 0 or not body.strip():
        return []
    runs = _runs(body, language)
    if not runs:
        return []
    n_sentences = max(s for s, _ in runs) + 1
    # Phrases are counted as bare stem tuples, all at once, before any object is built: the
    # runs' stems in one list with a None between runs, from which zip makes the 2- and
    # 3-word phrases in C (those holding a None cross a run's edge and are never scored); the
    # surface forms are gathered afterwards for the few phrases chosen, not for every one.
    seq: list[str | None] = []
    where: list[tuple[int, int]] = []  # (token index, sentence) of each item of seq
    for s, run in runs:
        seq += [item[3] for item in run]
        where += [(item[0], s) for item in run]
        seq.append(None)
        where.append(_EDGE)
    word_tf = Counter(seq)  # a word's count is also its 1-word phrase's
    # (-score, first token index, key): sorted as they are, best first, ties on first place
    scored: list[tuple[float, int, tuple[str, ...]]] = []
    bonus = _LENGTH_BONUS
    first_word = dict(zip(reversed(seq), reversed(where)))  # the first place wins
    for word, count in word_tf.items():
        if word is not None:
            index, sentence = first_word[word]
            tf = count
            score = count * (tf / 1) * bonus[1] * (1.0 + 1.0 / (1.0 + sentence))
            scored.append((-score, index, (word,)))
    min_multi = 2 if n_sentences > 1 else 1
    for n, grams in ((2, list(zip(seq, seq[1:]))), (3, list(zip(seq, seq[1:], seq[2:])))):
        first = dict(zip(reversed(grams), reversed(where[: len(grams)])))
        for key, count in Counter(grams).items():
            if count < min_multi or None in key:
                continue
            if n == 2:
                a, b = key
                if a == b:
                    continue
                tf = word_tf[a] + word_tf[b]
            else:
                a, b, c = key
                if a == b or a == c or b == c:
                    continue
                tf = word_tf[a] + word_tf[b] + word_tf[c]
            index, sentence = first[key]
            score = count * (tf / n) * bonus[n] * (1.0 + 1.0 / (1.0 + sentence))
            scored.append((-score, index, key))  # type: ignore[arg-type]  # None: skipped
    scored.sort()
    chosen: list[tuple[str, ...]] = []
    for _, _, key in scored:
        if any(_inside(key, c) for c in chosen):
            continue
        chosen.append(key)
        if len(chosen) == k:
            break
    surfaces = _surfaces(runs, chosen)
    return [_surface(surfaces[key]) for key in chosen]


def _surfaces(
    runs: list[tuple[int, _Run]], keys: list[tuple[str, ...]]
) -> dict[tuple[str, ...], dict[str, float]]:
    """Surface form -> weight for each phrase of ``keys``: a capital forced by the sentence
    start counts half."""
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for key in keys:
        by_first.setdefault(key[0], []).append(key)
    out: dict[tuple[str, ...], dict[str, float]] = {key: {} for key in keys}
    for _, run in runs:
        stems = [item[3] for item in run]
        for a, stem_a in enumerate(stems):
            for key in by_first.get(stem_a, ()):
                n = len(key)
                if a + n <= len(stems) and tuple(stems[a : a + n]) == key:
                    surface = " ".join(item[1] for item in run[a : a + n])
                    weights = out[key]
                    weights[surface] = weights.get(surface, 0.0) + (0.5 if run[a][2] else 1.0)
    return out


def _surface(weights: dict[str, float]) -> str:
    """The most frequent surface form (ties: lower case, then alphabetical)."""
    return min(weights, key=lambda s: (-weights[s], not s.islower(), s))


def _inside(small: tuple[str, ...], big: tuple[str, ...]) -> bool:
    n = len(small)
    return n <= len(big) and any(big[i : i + n] == small for i in range(len(big) - n + 1))
