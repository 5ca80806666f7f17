"""Exact and near-duplicate removal across the whole corpus: the first document of a text is
kept, every later copy is dropped naming the one it repeats.

Exact: the same text after lower-casing and collapsing white space. Near: MinHash signatures
(datasketch) of word n-grams, and an LSH index at the Jaccard threshold; the signatures are
computed where the documents are assessed (a worker), the index is one, on the driver, so the
first-kept order holds whatever ran where.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from warta.lmcorpus.words import words

__all__ = ["NearIndex", "exact_key", "minhash"]

_SPACE = re.compile(r"\s+")


def exact_key(text: str) -> str:
    """The text's identity for exact duplicates."""
    return hashlib.sha1(_SPACE.sub(" ", text.strip().lower()).encode("utf-8")).hexdigest()


def minhash(text: str, *, num_perm: int, shingle: int) -> Any:
    """The MinHash signature (a datasketch ``LeanMinHash``, small to send back from a worker)
    of the text's word n-grams."""
    from datasketch import LeanMinHash, MinHash  # type: ignore[import-untyped, unused-ignore]

    toks = [t.lower() for t in words(text)]
    grams = {" ".join(toks[i : i + shingle]) for i in range(max(1, len(toks) - shingle + 1))}
    mh = MinHash(num_perm=num_perm, seed=1)
    mh.update_batch([g.encode("utf-8") for g in grams])
    return LeanMinHash(mh)


class NearIndex:
    """The LSH index of the documents kept so far."""

    def __init__(self, *, threshold: float, num_perm: int) -> None:
        from datasketch import MinHashLSH  # type: ignore[import-untyped, unused-ignore]

        self.num_perm = num_perm
        self.lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self.count = 0

    def seen(self, doc_id: str, mh: Any) -> str | None:
        """The kept document this one nearly repeats, else None (and it is kept: indexed)."""
        found = self.lsh.query(mh)
        if found:
            return str(min(found, key=lambda k: int(k.split("\0", 1)[0])).split("\0", 1)[1])
        self.lsh.insert(f"{self.count}\0{doc_id}", mh)
        self.count += 1
        return None
