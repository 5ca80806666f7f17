"""A Bloom filter over the LSH band keys of one generation of ``corpus_bands``.

Why: the band rows are kept by generation (``gen``: the rows written while the highest placed
article lay in one block of :data:`~warta.store.migrations.BAND_GEN_ARTICLES` seqs) so that a new article's rows go into the newest generation's pages, not into 42 pages
anywhere in a table of millions of rows. A new article must still be compared with every
generation; a closed generation's filter (a few bytes per row, read once per process) says
which of the article's keys it may hold, so its table pages are read only for those — for an
article with no copy, almost never. A filter never misses a key it was built from, so the
candidates found are those a lookup of every generation would find.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

#: filter bits per band row (rounded up to a power of two) and bits set per key: about one
#: false "may hold" in 20,000 keys at 16 to 32 bits a row
BITS_PER_ROW = 16
HASHES = 8

_MIX_BAND = np.uint64(0x9E3779B97F4A7C15)
_MIX = np.uint64(0xBF58476D1CE4E5B9)


def _positions(bands: np.ndarray, keys: np.ndarray, size: int) -> np.ndarray:
    """The ``HASHES`` bit positions of each (band, key), one row per key (double hashing of a
    64-bit mix of the two; ``size`` a power of two)."""
    with np.errstate(over="ignore"):
        h = (keys.astype(np.int64).view(np.uint64) ^ (bands.astype(np.uint64) * _MIX_BAND)) * _MIX
        h ^= h >> np.uint64(31)
        h *= _MIX
    low = h & np.uint64(0xFFFFFFFF)
    step = (h >> np.uint64(32)) | np.uint64(1)
    steps = np.arange(HASHES, dtype=np.uint64)
    with np.errstate(over="ignore"):
        pos = low[:, None] + step[:, None] * steps[None, :]
    return pos & np.uint64(size - 1)


def build_filter(bands: Sequence[int], keys: Sequence[int]) -> bytes:
    """The filter of a generation's rows (band, key), as stored in ``corpus_band_filters``."""
    return build_filter_from(len(keys), [(bands, keys)])


def build_filter_from(rows: int, chunks: Iterable[tuple[Sequence[int], Sequence[int]]]) -> bytes:
    """The filter of a generation of ``rows`` rows given as chunks of (bands, keys): the same
    bytes as :func:`build_filter` of all of them, with memory bounded by a chunk (a generation's
    ≈350,000 rows read at once took ≈130 MiB for a moment, at every generation closed)."""
    size = 1 << max(10, (max(rows, 1) * BITS_PER_ROW - 1).bit_length())
    bits = np.zeros(size, dtype=bool)
    for bands, keys in chunks:
        if len(keys):
            pos = _positions(
                np.asarray(bands, dtype=np.int64), np.asarray(keys, dtype=np.int64), size
            )
            bits[pos.ravel()] = True
    return np.packbits(bits, bitorder="little").tobytes()


class BandFilter:
    """A stored filter, ready to ask."""

    def __init__(self, data: bytes) -> None:
        self.bits = np.frombuffer(data, dtype=np.uint8)
        self.size = len(data) * 8

    def folded(self, nbytes: int) -> BandFilter:
        """This filter at ``nbytes`` (a smaller power of two): each half OR-ed onto the other
        until it fits. Positions are taken modulo the size, so the result is the filter a build
        at that size gives: it still never misses a key, and says "may hold" more often."""
        bits = self.bits
        while len(bits) > max(nbytes, 1):
            half = len(bits) // 2
            bits = bits[:half] | bits[half:]
        return self if bits is self.bits else BandFilter(bits.tobytes())

    def may_hold(self, pos: np.ndarray) -> np.ndarray:
        """For each key's positions (:func:`positions` at this filter's ``size``): False when
        the generation holds no row with that (band, key)."""
        hit = (self.bits[pos >> np.uint64(3)] >> (pos & np.uint64(7)).astype(np.uint8)) & 1
        return np.asarray(hit.all(axis=1))


def positions(bands: Sequence[tuple[int, int]], size: int) -> np.ndarray:
    """The bit positions of each (band, key) in a filter of ``size`` bits (computed once for
    every filter of that size)."""
    arr = np.asarray(bands, dtype=np.int64).reshape(-1, 2)
    return _positions(arr[:, 0], arr[:, 1], size)
