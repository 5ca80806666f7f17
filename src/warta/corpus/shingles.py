"""Word shingles of a clean body, hashed to stable 64-bit integers.

Near-duplicate detection compares sets of overlapping word n-grams ("shingles"). Five words
is the usual size for news: long enough that two different reports on one topic share few
shingles (quotes and names aside), short enough that a rewritten sentence costs only the
shingles that cross it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

SHINGLE_WORDS = 5

_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    """Lower-cased word tokens, accents and punctuation ignored (a re-typed copy still matches)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _WORD.findall(folded)


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[int]:
    """The set of hashed ``size``-word shingles; a text shorter than ``size`` words is one
    shingle (so two identical short texts still match), an empty text none."""
    tokens = words(text)
    if not tokens:
        return set()
    if len(tokens) <= size:
        return {_hash(" ".join(tokens))}
    return {_hash(" ".join(tokens[i : i + size])) for i in range(len(tokens) - size + 1)}
