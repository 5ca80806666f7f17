"""The crfsuite model's Viterbi tagging redone with numpy, many sentences at once, giving the
tags crfsuite gives.

Why: a long run tags tens of sentences per article, and most of crfsuite's time goes to
converting every feature string of every token (pycrfsuite builds an item per token and looks
each attribute up in the model's string dictionary). Here the features of a word are looked up
once (:meth:`warta.nlp.ner_features.FeatureExtractor.ids` caches their attribute ids per word),
and the scores of all the sentences of an article are one gather and one Viterbi pass.

Exactness: crfsuite (``crf1dt_state_score``, ``crf1dc_viterbi``) adds, for each token, the
weights of its attributes one attribute after another in the order given, starting from 0;
takes for each label the best predecessor ``prev[i] + trans[i][j]`` (the first best on a tie)
and adds the state score; and ends on the first best label. Every addition here is the same
double-precision addition in the same order (a padding attribute of weight 0.0 leaves a sum
unchanged), so the tags are crfsuite's. A model this module cannot read exactly (an attribute
with two features for one label, an unexpected layout) gives None, and crfsuite tags.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Sequence
from itertools import chain
from typing import Any

__all__ = ["FastCrf", "load"]


#: Widths of a word's neighbour blocks (features at -2, -1, +1, +2), padded with the zero
#: attribute; a word with more falls back to crfsuite.
_WIDTHS = (4, 12, 12, 4)


class FastCrf:
    """A crfsuite model's weights as arrays: ``weights[attribute id]`` is the attribute's
    weight per label (the last row is all zero, for padding), ``trans[i][j]`` the weight of
    label ``i`` followed by ``j``. Per word it keeps (bounded by ``limit`` words) the sum of
    its own attributes' weights, added in crfsuite's order, and its neighbour attribute ids."""

    def __init__(self, attr_ids: dict[str, int], weights: Any, trans: Any, limit: int) -> None:
        import numpy as np

        self.attr_ids = attr_ids
        self.zero = weights.shape[0] - 1
        self._weights = weights
        self._trans = trans
        self._trans_t = np.ascontiguousarray(trans.T)  # [label, previous label]
        self._limit = limit
        self._rows: dict[str, int] = {}
        self._own = np.zeros((1024, weights.shape[1]))
        self._near = np.full((1024, sum(_WIDTHS)), self.zero, dtype=np.intp)
        self._used = np.zeros((1024, len(_WIDTHS)), dtype=np.intp)  # ids in each block
        # what lies beyond a sentence's edge: BOS first in the -1 block, EOS in the +1 block
        self._edge = np.full(sum(_WIDTHS), self.zero, dtype=np.intp)
        self._edge[_WIDTHS[0]] = attr_ids.get("BOS", self.zero)
        self._edge[sum(_WIDTHS[:2])] = attr_ids.get("EOS", self.zero)

    def _fill(self, words: list[str], features: Callable[[str], Sequence[Sequence[str]]]) -> None:
        """The table rows of ``words`` (none in the table yet, each once), filled together:
        numpy's per-call cost is paid once per batch of new words rather than once per word,
        which is most of what a new word costs (every worker of a ``-j N`` run meets most
        words anew). Each word's own weights are still added one attribute after another,
        starting from 0, as crfsuite adds them; the padding attribute's 0.0 changes no sum."""
        import numpy as np

        get, zero = self.attr_ids.get, self.zero
        owns: list[list[int]] = []
        nears: list[list[int]] = []
        used: list[list[int]] = []
        for word in words:
            own, *near = features(word)
            ids = [zero]
            ids += [get(f, zero) for f in own]
            owns.append(ids)
            row: list[int] = []
            for block, width in zip(near, _WIDTHS, strict=True):
                if len(block) > width:
                    raise _TooWide(word)
                row += [get(f, zero) for f in block]
                row += [zero] * (width - len(block))
            nears.append(row)
            used.append([len(block) for block in near])
        rows = self._rows
        start = len(rows)
        end = start + len(words)
        while end > self._own.shape[0]:
            self._own = np.concatenate([self._own, np.zeros_like(self._own)])
            self._near = np.concatenate([self._near, np.full_like(self._near, self.zero)])
            self._used = np.concatenate([self._used, np.zeros_like(self._used)])
        width = max(map(len, owns))
        index = np.array([ids + [zero] * (width - len(ids)) for ids in owns], dtype=np.intp)
        weights = self._weights
        sums = weights[index[:, 0]]
        for column in index.T[1:]:
            sums += weights[column]
        self._own[start:end] = sums
        self._near[start:end] = nears
        self._used[start:end] = used
        for row_id, word in enumerate(words, start):
            rows[word] = row_id

    def tag_words(
        self,
        sentences: Sequence[Sequence[str]],
        features: Callable[[str], Sequence[Sequence[str]]],
        marks: Callable[[Sequence[str]], list[list[str]] | None] | None,
    ) -> list[list[int]] | None:
        """The best label ids of each sentence (its tokens; ``features(word)``: a word's
        lists of :class:`warta.nlp.ner_features.FeatureExtractor`, own, -2, -1, +1, +2;
        ``marks``: the phrase features of a sentence's tokens, None where it has none).
        None: a word has more neighbour features than the table holds (then crfsuite tags)."""
        import numpy as np

        if not sentences:
            return []
        n_seq = len(sentences)
        order = sorted(range(n_seq), key=lambda i: -len(sentences[i]))  # longest first
        lengths = [len(sentences[i]) for i in order]
        if len(self._rows) + sum(lengths) > self._limit:
            self._rows.clear()  # between batches, so that a batch's rows stay put
        table = self._rows
        words = [w for i in order for w in sentences[i]]
        new = [w for w in dict.fromkeys(words) if w not in table]
        if new:
            try:
                self._fill(new, features)
            except _TooWide:
                return None
        rows_list = [table[w] for w in words]
        n = len(rows_list)
        rows = np.array(rows_list, dtype=np.intp)
        w2, w1, v1, _ = _WIDTHS
        # a block's columns past the longest of this batch's words hold the padding
        # attribute for every token (its weights 0.0 change no sum): they are left out
        u2, u1, x1, x2 = self._used[rows].max(axis=0).tolist() if n else _WIDTHS
        # The words laid out with two edge slots before each sentence and after the last:
        # an edge slot lends what crfsuite gives a token at a sentence's edge (BOS at -1, EOS
        # at +1, nothing at -2 and +2), so a token's neighbour blocks are plain shifted rows.
        slot = np.arange(n, dtype=np.intp)
        slot += np.repeat(np.arange(2, 2 * n_seq + 1, 2, dtype=np.intp), lengths)
        laid = np.empty((n + 2 * n_seq + 2, self._near.shape[1]), dtype=np.intp)
        laid[:] = self._edge
        laid[slot] = self._near[rows]
        blocks = [
            laid[slot + shift, lo : lo + width]
            for shift, lo, width in (
                (-2, 0, u2),
                (-1, w2, max(u1, 1)),
                (1, w2 + w1, max(x1, 1)),
                (2, w2 + w1 + v1, x2),
            )
            if width
        ]
        zero = self.zero
        if marks is not None:
            extra: dict[int, list[int]] = {}  # token -> its phrase features, where it has any
            get = self.attr_ids.get
            offset = 0
            for i in order:
                sentence = sentences[i]
                found = marks(sentence)
                if found is not None:
                    prev: list[str] = []
                    for t, own_marks in enumerate(found):
                        ids = [get(m, zero) for m in own_marks]
                        ids += [get("-1" + m, zero) for m in prev]
                        if ids:
                            extra[offset + t] = ids
                        prev = own_marks
                offset += len(sentence)
            if extra:
                width = max(map(len, extra.values()))
                block = np.full((n, width), zero, dtype=np.intp)
                for t, ids in extra.items():
                    block[t, : len(ids)] = ids
                blocks.append(block)
        index = np.ascontiguousarray(np.concatenate(blocks, axis=1).T)
        gathered = np.take(self._weights, index, axis=0)  # [attribute, token, label]
        state = self._own[rows]
        for column in gathered:  # one attribute after another, as crfsuite adds them
            state += column
        return self._viterbi(state, order, lengths)

    def _viterbi(self, state: Any, order: list[int], lengths: list[int]) -> list[list[int]]:
        import numpy as np

        n_seq = len(order)
        t_max, labels = lengths[0], self._trans.shape[0]
        scores = np.zeros((t_max, n_seq, labels))  # [position, sequence, label]
        seq_of = np.repeat(np.arange(n_seq, dtype=np.intp), lengths)
        offsets = np.repeat(np.cumsum([0, *lengths[:-1]]), lengths)
        scores[np.arange(len(seq_of), dtype=np.intp) - offsets, seq_of] = state
        live = [0] * t_max  # live[t]: how many sequences reach position t
        for length in lengths:
            live[length - 1] += 1
        for t in range(t_max - 2, -1, -1):
            live[t] += live[t + 1]
        back = np.zeros((t_max, n_seq, labels), dtype=np.intp)
        cur = scores[0].copy()
        # the previous label on the last axis (the reductions run along contiguous memory),
        # and the maximum taken by the ufunc itself (``ndarray.max`` goes through Python)
        trans_t = self._trans_t
        best_of = np.maximum.reduce
        for t in range(1, t_max):
            m = live[t]
            step = cur[:m, None, :] + trans_t  # [sequence, label, previous label]
            back[t, :m] = step.argmax(axis=2)  # the first best, as crfsuite's strict "<"
            cur[:m] = best_of(step, axis=2) + scores[t, :m]
        last = cur.argmax(axis=1)
        out = np.zeros((t_max, n_seq), dtype=np.intp)
        for t in range(t_max - 1, -1, -1):
            m = live[t]
            out[t, :m] = last[:m]
            if t:
                last[:m] = back[t, np.arange(m), last[:m]]
        found: list[list[int]] = [[] for _ in order]
        for i, row, length in zip(order, out.T.tolist(), lengths, strict=True):
            found[i] = row[:length]
        return found


class _TooWide(Exception):
    """A word with more neighbour features than :data:`_WIDTHS` holds."""


def _cqdb_ids(data: bytes, at: int) -> dict[str, int] | None:
    """String -> id of the CQDB at ``at`` (see :func:`warta.nlp.ner._cqdb_strings`); None
    when an id has no record."""
    chunk, size, _, _, count, table = struct.unpack_from("<4sIIIII", data, at)
    if chunk != b"CQDB" or at + size > len(data):
        return None
    out: dict[str, int] = {}
    for i, offset in enumerate(struct.unpack_from(f"<{count}I", data, at + table)):
        if not offset:
            return None
        ident, length = struct.unpack_from("<II", data, at + offset)
        if ident != i:
            return None
        start = at + offset + 8
        out[data[start : start + length - 1].decode("utf-8")] = i
    return out


def _refs(data: bytes, at: int, count: int) -> list[tuple[int, ...]] | None:
    """The feature ids of each of ``count`` attributes or labels (an ``AFRF``/``LFRF``
    chunk: name, size, number, then one offset per entry to a count and the ids)."""
    chunk, _, num = struct.unpack_from("<4sII", data, at)
    if chunk not in (b"AFRF", b"LFRF") or num < count:
        return None
    out: list[tuple[int, ...]] = []
    for offset in struct.unpack_from(f"<{count}I", data, at + 12):
        (n,) = struct.unpack_from("<I", data, offset)
        out.append(struct.unpack_from(f"<{n}I", data, offset + 4))
    return out


def _state_weights(table: Any, attr_refs: list[tuple[int, ...]], num_labels: int) -> Any:
    """``weights[attribute, label]`` of the state features, with a zero row for padding; None
    when a feature is not the state feature of the attribute that lists it, or an attribute
    has two features for one label (then the order of addition would matter). All attributes
    at once: a loop over them (≈46,000 in the shipped model) was most of a process's start-up
    in a long run, paid again by every worker of ``-j N``."""
    import numpy as np

    counts = np.fromiter(map(len, attr_refs), dtype=np.intp, count=len(attr_refs))
    fids = np.fromiter(chain.from_iterable(attr_refs), dtype=np.intp, count=int(counts.sum()))
    if fids.size and (fids.min() < 0 or fids.max() >= len(table)):
        return None
    aids = np.repeat(np.arange(len(attr_refs), dtype=np.intp), counts)
    feats = table[fids]
    dst = feats["dst"].astype(np.intp)
    if (feats["type"] != 0).any() or (feats["src"] != aids).any() or (dst >= num_labels).any():
        return None
    if np.unique(aids * num_labels + dst).size != dst.size:  # two features of one label
        return None
    weights = np.zeros((len(attr_refs) + 1, num_labels))
    weights[aids, dst] = feats["w"]
    return weights


def load(crf: bytes, labels: Sequence[str], limit: int) -> FastCrf | None:
    """The arrays of a crfsuite model (``crf``, the bytes crfsuite reads; ``labels``, its labels
    in id order), or None when numpy is missing or the model is not laid out as expected."""
    try:
        import numpy as np
    except ImportError:
        return None
    try:
        fields = struct.unpack_from("<4sI4sIIIIIIIII", crf, 0)
        if fields[0] != b"lCRF" or fields[2] != b"FOMC":
            return None
        num_labels, num_attrs = fields[5], fields[6]
        off_features, off_attrs, off_labelrefs, off_attrrefs = (
            fields[7],
            fields[9],
            fields[10],
            fields[11],
        )
        if num_labels != len(labels):
            return None
        chunk, _, num_features = struct.unpack_from("<4sII", crf, off_features)
        if chunk != b"FEAT":
            return None
        table = np.frombuffer(
            crf,
            dtype=np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("w", "<f8")]),
            count=num_features,
            offset=off_features + 12,
        )
        attr_ids = _cqdb_ids(crf, off_attrs)
        attr_refs = _refs(crf, off_attrrefs, num_attrs)
        label_refs = _refs(crf, off_labelrefs, num_labels)
    except (struct.error, UnicodeDecodeError, ValueError):
        return None
    if attr_ids is None or attr_refs is None or label_refs is None:
        return None
    if len(attr_ids) != num_attrs:
        return None
    weights = _state_weights(table, attr_refs, num_labels)
    if weights is None:
        return None
    trans = np.zeros((num_labels, num_labels))
    for i, fids in enumerate(label_refs):
        for fid in fids:  # crfsuite assigns in this order: the last one of a pair counts
            f = table[fid]
            if f["type"] != 1 or f["src"] != i or f["dst"] >= num_labels:
                return None
            trans[i, f["dst"]] = f["w"]
    return FastCrf(attr_ids, weights, trans, limit)
