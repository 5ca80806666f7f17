"""Token features for the CRF named-entity tagger (:mod:`warta.nlp.ner`).

Two feature sets:

``plain``
    the baseline: lower-cased word, word shape, character prefixes/suffixes (2-4), sentence
    start/end, and the words at -2..+2 and shapes at -1..+1.
``warta``
    ``plain`` plus Indonesian affixes (me-, ber-, di-, ter-, pe-, ke-, se-; -kan, -an, -i,
    -nya, -lah), capitalisation and length classes, gazetteer hits (person given names, titles
    that precede a person, organisation head words and names, place cue words and place
    names, month/day names, units), unsupervised word clusters at three granularities, and
    the same cues for the neighbours (clusters and gazetteer at -1/+1, titles at -2).

Features are plain strings (crfsuite attributes with value 1). Everything that depends on the
word alone is computed once per distinct word and cached, so tagging costs little more than
concatenating lists; the cache is bounded.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

FeatureKind = Literal["plain", "warta"]

#: Gazetteer lists: warta/lang/id/<file>.txt -> the feature name a hit fires.
GAZETTEER_FILES: dict[str, str] = {
    "ner_person_names": "gp",
    "ner_person_titles": "gt",
    "ner_org_heads": "go",
    "ner_org_names": "gO",
    "ner_place_cues": "gl",
    "ner_places": "gL",
    "ner_time_words": "gT",
    "ner_unit_words": "gU",
}

_PREFIXES: tuple[str, ...] = (
    "meng",
    "meny",
    "mem",
    "men",
    "me",
    "ber",
    "di",
    "ter",
    "peng",
    "peny",
    "pem",
    "pen",
    "per",
    "pe",
    "ke",
    "se",
)
_SUFFIXES: tuple[str, ...] = ("kannya", "kan", "nya", "lah", "kah", "an", "i")

#: Words whose features are kept: each cache (strings for training and :meth:`__call__`,
#: encoded for the tagger) holds at most this many and is cleared when full. A word's lists
#: take ≈1.2 KiB, so a cache is ≈40 MiB at the limit; a thousand news articles use ≈25,000
#: distinct words, so a long run's memory stays where its first thousand articles put it.
CACHE_LIMIT = 32_768

_F = TypeVar("_F", str, bytes)
#: A word's features: (own, at -2, at -1, at +1, at +2)
_Entry = tuple[list[_F], list[_F], list[_F], list[_F], list[_F]]


@dataclass(frozen=True)
class Gazetteer:
    """Word lists by feature name; lists with several-word entries also match phrases."""

    words: Mapping[str, frozenset[str]]
    #: first word -> [(phrase words, feature name)], longest phrase first
    phrases: Mapping[str, tuple[tuple[tuple[str, ...], str], ...]] = field(default_factory=dict)

    @classmethod
    def build(cls, lists: Mapping[str, Sequence[str]]) -> Gazetteer:
        words: dict[str, frozenset[str]] = {}
        by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for name in sorted(lists):
            entries = sorted({e.strip().lower() for e in lists[name] if e.strip()})
            words[name] = frozenset(e for e in entries if " " not in e)
            for entry in entries:
                parts = tuple(entry.split())
                if len(parts) > 1:
                    by_first.setdefault(parts[0], []).append((parts, name))
        phrases = {
            k: tuple(sorted(v, key=lambda p: (-len(p[0]), p[1], p[0])))
            for k, v in sorted(by_first.items())
        }
        return cls(words=words, phrases=phrases)

    @classmethod
    def from_lang(cls, language: str | None = None) -> Gazetteer:
        """The lists shipped under ``warta/lang/<code>/`` that pages in ``language`` read
        (read at training time; None: a page of no known language)."""
        from warta.lang import load_words, reading

        lang = reading(language, "ner_places.txt").code
        if lang is None:
            return cls.build({})
        return cls.build({feat: sorted(load_words(lang, f)) for f, feat in GAZETTEER_FILES.items()})

    def to_json(self) -> str:
        lists: dict[str, list[str]] = {name: sorted(ws) for name, ws in self.words.items()}
        for first in self.phrases:
            for parts, name in self.phrases[first]:
                lists.setdefault(name, []).append(" ".join(parts))
        return json.dumps({k: sorted(v) for k, v in sorted(lists.items())}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Gazetteer:
        data: Any = json.loads(text)
        if not isinstance(data, dict) or not all(
            isinstance(v, list) and all(isinstance(x, str) for x in v) for v in data.values()
        ):
            raise ValueError("gazetteer: expected an object of string lists")
        return cls.build({str(k): list(v) for k, v in data.items()})


def shape(word: str) -> str:
    """``Jakarta`` -> ``Xx``, ``KPK`` -> ``X``, ``2/12/2014`` -> ``d/d/d``: runs collapsed."""
    out: list[str] = []
    prev = ""
    for ch in word:
        if ch.isupper():
            c = "X"
        elif ch.islower():
            c = "x"
        elif ch.isdigit():
            c = "d"
        elif ch.isalpha():
            c = "a"  # letters without case: Thai, Arabic, CJK ...
        else:
            c = ch
        if c != prev:
            out.append(c)
            prev = c
        if len(out) >= 6:
            break
    return "".join(out)


def _length_class(n: int) -> str:
    if n <= 3:
        return str(n)
    if n <= 5:
        return "4-5"
    if n <= 8:
        return "6-8"
    return "9+"


class FeatureExtractor:
    """Turns a token sequence into one list of feature strings per token."""

    def __init__(
        self,
        kind: FeatureKind = "warta",
        clusters: Mapping[str, Sequence[str]] | None = None,
        gazetteer: Gazetteer | None = None,
        known: frozenset[str] | None = None,
    ) -> None:
        if kind not in ("plain", "warta"):
            raise ValueError(f"unknown feature set {kind!r}")
        self.kind: FeatureKind = kind
        # The attributes a trained model knows (None: keep all, as when training): crfsuite
        # drops any other, so leaving them out of the per-word lists changes no tag and saves
        # crfsuite a lookup of each (an eighth of the features of news text).
        self.known = known
        self.clusters: Mapping[str, Sequence[str]] = clusters or {}
        self.gazetteer = gazetteer if gazetteer is not None else Gazetteer.build({})
        # word -> (own, at -2, at -1, at +1, at +2)
        self._cache: dict[str, _Entry[str]] = {}
        self._encoded_cache: dict[str, _Entry[bytes]] = {}

    # -- per word -------------------------------------------------------------------------

    def _word(self, word: str) -> tuple[list[str], list[str], list[str], list[str], list[str]]:
        low = word.lower()
        shp = shape(word)
        own = [
            "b",
            "w=" + low,
            "s=" + shp,
            "p2=" + low[:2],
            "p3=" + low[:3],
            "x2=" + low[-2:],
            "x3=" + low[-3:],
            "x4=" + low[-4:],
        ]
        m2 = ["-2w=" + low]
        m1 = ["-1w=" + low, "-1s=" + shp]
        p1 = ["+1w=" + low, "+1s=" + shp]
        p2 = ["+2w=" + low]
        if self.kind == "plain":
            return own, m2, m1, p1, p2

        own.append("L=" + _length_class(len(word)))
        m2.append("-2s=" + shp)
        p2.append("+2s=" + shp)
        if low.isalpha():
            for pre in _PREFIXES:
                if low.startswith(pre) and len(low) - len(pre) >= 3:
                    own.append("ip=" + pre)
                    break
            for suf in _SUFFIXES:
                if low.endswith(suf) and len(low) - len(suf) >= 3:
                    own.append("is=" + suf)
                    break
        if word[:1].isupper():
            if word.isupper() and len(word) > 1:
                own.append("caps")
            elif word[1:].islower():
                own.append("title")
            else:
                own.append("mixed")
        if "-" in word and len(word) > 1:
            own.append("hyphen")
        cl = self.clusters.get(low)
        if cl is not None:
            for i, c in enumerate(cl):
                own.append(f"k{i}={c}")

            m1.append("-1k=" + cl[-2 if len(cl) > 1 else 0])
            p1.append("+1k=" + cl[-2 if len(cl) > 1 else 0])
        else:
            own.append("k=?")
        for name, ws in self.gazetteer.words.items():
            if low in ws or (low.endswith(".") and low[:-1] in ws):
                own.append(name)
                m1.append("-1" + name)
                p1.append("+1" + name)
                if name == "gt":
                    m2.append("-2gt")
        return own, m2, m1, p1, p2

    def _lookup(self, word: str) -> tuple[list[str], list[str], list[str], list[str], list[str]]:
        entry = self._cache.get(word)
        if entry is None:
            if len(self._cache) >= CACHE_LIMIT:
                self._cache.clear()
            entry = self._cache[word] = self._features(word)
        return entry

    def _features(self, word: str) -> _Entry[str]:
        """The word's lists, less the attributes the model does not know."""
        entry = self._word(word)
        known = self.known
        if known is None:
            return entry
        own, m2, m1, p1, p2 = entry
        return (
            [f for f in own if f in known],
            [f for f in m2 if f in known],
            [f for f in m1 if f in known],
            [f for f in p1 if f in known],
            [f for f in p2 if f in known],
        )

    # -- per sentence ---------------------------------------------------------------------

    def _phrases(self, lows: list[str]) -> list[list[str]]:
        """Multi-word gazetteer matches, longest first, as B/I features per token."""
        marks: list[list[str]] = [[] for _ in lows]
        phrases = self.gazetteer.phrases
        if not phrases:
            return marks
        i = 0
        n = len(lows)
        while i < n:
            cands = phrases.get(lows[i])
            matched = 0
            if cands:
                for parts, name in cands:
                    k = len(parts)
                    if tuple(lows[i : i + k]) == parts:
                        marks[i].append(name + "=B")
                        for j in range(i + 1, i + k):
                            marks[j].append(name + "=I")
                        matched = k
                        break
            i += matched or 1
        return marks

    def __call__(self, tokens: Sequence[str]) -> list[list[str]]:
        if not tokens:
            return []
        entries = [self._lookup(t) for t in tokens]
        return self._assemble(entries, tokens, ["BOS"], ["EOS"], _as_str)

    def encoded(self, tokens: Sequence[str]) -> list[list[bytes]]:
        """What :meth:`__call__` gives, each feature UTF-8 encoded: crfsuite takes bytes as
        they are but encodes every string it is given, so the tagger passes these (the
        encoded lists are cached per word as the strings are)."""
        if not tokens:
            return []
        lookup = self._encoded_cache.get
        entries = [lookup(t) or self._lookup_encoded(t) for t in tokens]
        return self._assemble(entries, tokens, [b"BOS"], [b"EOS"], str.encode)

    def _lookup_encoded(self, word: str) -> _Entry[bytes]:
        if len(self._encoded_cache) >= CACHE_LIMIT:
            self._encoded_cache.clear()
        own, m2, m1, p1, p2 = self._features(word)  # not kept as strings too
        entry = (
            [f.encode() for f in own],
            [f.encode() for f in m2],
            [f.encode() for f in m1],
            [f.encode() for f in p1],
            [f.encode() for f in p2],
        )
        self._encoded_cache[word] = entry
        return entry

    def word_features(self, word: str) -> _Entry[str]:
        """The lists of ``word`` alone (own, at -2, -1, +1, +2), less the attributes the model
        does not know: for :mod:`warta.nlp.crf_fast`, which keeps what it needs per word."""
        return self._features(word)

    def phrases(self, lows: list[str]) -> list[list[str]]:
        """Multi-word gazetteer matches of lower-cased tokens, as B/I features per token."""
        return self._phrases(lows)

    def _assemble(
        self,
        entries: list[_Entry[Any]],
        tokens: Sequence[str],
        bos: list[Any],
        eos: list[Any],
        convert: Callable[[str], Any],
    ) -> list[list[Any]]:
        n = len(entries)
        # The neighbours' lists for every position, with the sentence edges filled in, so each
        # token's features are one list display (same order: own, -2, -1, +1, +2, phrases).
        edge: list[Any] = []
        at_m2: list[list[Any]] = [edge] * min(2, n) + [e[1] for e in entries[:-2]]
        at_m1: list[list[Any]] = [bos] + [e[2] for e in entries[:-1]]
        at_p1: list[list[Any]] = [e[3] for e in entries[1:]] + [eos]
        at_p2: list[list[Any]] = [e[4] for e in entries[2:]] + [edge] * min(2, n)
        out: list[list[Any]] = [
            [*own[0], *m2, *m1, *p1, *p2]
            for own, m2, m1, p1, p2 in zip(entries, at_m2, at_m1, at_p1, at_p2, strict=True)
        ]
        if self.kind == "warta" and self.gazetteer.phrases:
            marks = self._phrases([t.lower() for t in tokens])
            for i, feats in enumerate(out):
                feats += [convert(m) for m in marks[i]]
                if i >= 1 and marks[i - 1]:
                    feats += [convert("-1" + m) for m in marks[i - 1]]
        return out


def _as_str(feature: str) -> str:
    return feature
