"""Per-document quality signals of the training corpus, after the Gopher rules (Rae et al.
2021) as datatrove implements them, with words as :mod:`warta.lmcorpus.words` defines them.

Lines are split at line breaks, paragraphs at blank lines; ratios "per word" divide by the
word count, shares of characters divide by the length of the whole text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any

from warta.lang import load_words
from warta.lmcorpus.words import words

__all__ = ["Signals", "compute_signals", "stopwords_for"]

#: what ends a line of running text
_TERMINAL = (".", "!", "?", '"', "”", "'", "’", ")", "…", ":")
_BULLETS = ("•", "●", "○", "■", "□", "▪", "▫", "–", "-", "*", "·", "‣", "⁃", "◦")
_PARAGRAPHS = re.compile(r"\n{2,}")
_LINES = re.compile(r"\n+")


@cache
def stopwords_for(language: str) -> frozenset[str]:
    """``lang/<language>/corpus_stopwords.txt`` (empty for a language without one)."""
    return load_words(language, "corpus_stopwords") if language else frozenset()


@dataclass(frozen=True, slots=True)
class Signals:
    """What the keep/drop rules read about one document."""

    language: str
    language_confidence: float
    words: int
    mean_word_length: float
    punct_line_share: float
    stopwords: int  # distinct stop words present (the Gopher rule's count)
    stopword_share: float  # stop-word occurrences over words
    hash_word_ratio: float
    ellipsis_word_ratio: float
    symbol_word_ratio: float
    alpha_word_share: float
    bullet_line_share: float
    ellipsis_line_share: float
    dup_line_share: float
    dup_line_char_share: float
    dup_para_share: float
    dup_para_char_share: float
    top_ngram_char_share: dict[int, float] = field(default_factory=dict)
    dup_ngram_char_share: dict[int, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["top_ngram_char_share"] = {str(k): v for k, v in self.top_ngram_char_share.items()}
        out["dup_ngram_char_share"] = {str(k): v for k, v in self.dup_ngram_char_share.items()}
        return out


def _duplicates(items: list[str]) -> tuple[int, int]:
    """How many items repeat an earlier one, and their characters."""
    seen: set[str] = set()
    n = chars = 0
    for item in items:
        if item in seen:
            n += 1
            chars += len(item)
        else:
            seen.add(item)
    return n, chars


def _top_ngram_chars(tokens: list[str], n: int) -> int:
    """Characters of the most frequent n-gram times its count (its words joined by spaces)."""
    grams = Counter(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    if not grams:
        return 0
    gram, count = grams.most_common(1)[0]
    return len(gram) * count


def _dup_ngram_chars(tokens: list[str], n: int) -> int:
    """Characters inside n-grams that repeat an earlier one, without counting a word twice
    (a repeated n-gram moves the window past itself)."""
    seen: set[str] = set()
    chars = i = 0
    while i < len(tokens) - n + 1:
        gram = "".join(tokens[i : i + n])
        if gram in seen:
            chars += len(gram)
            i += n
        else:
            seen.add(gram)
            i += 1
    return chars


def compute_signals(
    text: str,
    language: str,
    language_confidence: float,
    *,
    top_ngrams: tuple[int, ...] = (2, 3, 4),
    dup_ngrams: tuple[int, ...] = (5, 6, 7, 8, 9, 10),
) -> Signals:
    """The signals of ``text`` (its language as identified, with that confidence)."""
    toks = words(text)
    n = len(toks)
    chars = max(1, len(text))
    stripped = text.strip()
    lines = [ln for ln in _LINES.split(stripped)] if stripped else []
    paras = _PARAGRAPHS.split(stripped) if stripped else []
    kept_lines = [ln.strip() for ln in lines if ln.strip()]
    nl = max(1, len(kept_lines))
    stop = stopwords_for(language)
    lowered = [t.lower() for t in toks]
    n_stop = sum(1 for t in lowered if t in stop)
    distinct_stop = len(stop.intersection(lowered))
    hashes = text.count("#")
    ellipses = text.count("...") + text.count("…")
    dup_lines, dup_line_chars = _duplicates(lines)
    dup_paras, dup_para_chars = _duplicates(paras)
    per_word = max(1, n)
    return Signals(
        language=language,
        language_confidence=round(language_confidence, 4),
        words=n,
        mean_word_length=sum(map(len, toks)) / n if n else 0.0,
        punct_line_share=sum(ln.endswith(_TERMINAL) for ln in kept_lines) / nl,
        stopwords=distinct_stop,
        stopword_share=n_stop / per_word,
        hash_word_ratio=hashes / per_word,
        ellipsis_word_ratio=ellipses / per_word,
        symbol_word_ratio=(hashes + ellipses) / per_word,
        alpha_word_share=sum(any(c.isalpha() for c in t) for t in toks) / per_word,
        bullet_line_share=sum(ln.startswith(_BULLETS) for ln in kept_lines) / nl,
        ellipsis_line_share=sum(ln.endswith(("...", "…")) for ln in kept_lines) / nl,
        dup_line_share=dup_lines / max(1, len(lines)),
        dup_line_char_share=dup_line_chars / chars,
        dup_para_share=dup_paras / max(1, len(paras)),
        dup_para_char_share=dup_para_chars / chars,
        top_ngram_char_share={k: _top_ngram_chars(toks, k) / chars for k in top_ngrams},
        dup_ngram_char_share={k: _dup_ngram_chars(toks, k) / chars for k in dup_ngrams},
    )
