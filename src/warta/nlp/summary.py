"""Extractive summary of a news body, and the stage ``nlp.summary.v1`` (keywords + summary).

``summarize(body, n_sentences, language)`` picks whole sentences
(:func:`warta.nlp.sentences.split_sentences`; a sentence is never cut) and returns them in
document order, joined by a space:

* each sentence is a bag of Snowball stems of its non-stopword words (:mod:`warta.nlp.keywords`);
* its salience mixes a *position prior* (news puts the news first: the lead weighs most, then
  a decay by sentence index, and sentences of the first paragraph get a bonus), its
  *centrality* (mean cosine similarity to the other sentences, TextRank's signal without the
  iteration) and its *coverage* of the body's frequent stems; very short sentences (fewer than
  ``MIN_WORDS`` words: crossheads, captions, "Baca juga") and questions are held back;
* sentences are picked by MMR: ``score = LAMBDA * salience - (1 - LAMBDA) * max cosine to the
  picked ones``, and a sentence more similar than ``REDUNDANT`` to a picked one is never taken.

The lead is kept whenever it is a real sentence, since it is the news in a news report; the
weights were set on the IndoSum dev fold (``bench/summary.py``), so its figures there are
optimistic as well as indicative.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from warta.core import diskcache
from warta.core.record import Article
from warta.core.stage import Stage, check_deadline
from warta.nlp.keywords import NEEDS, content_stem, keywords
from warta.nlp.langdata import for_page
from warta.nlp.sentences import split_sentences
from warta.nlp.tokens import tokenize

__all__ = ["KeywordSummaryStage", "cosine", "summarize"]

MIN_WORDS = 4
LAMBDA = 0.9
REDUNDANT = 0.8
W_POSITION = 1.0
W_CENTRALITY = 0.1
W_COVERAGE = 0.4

_PARAGRAPH = diskcache.compile(r"\n[^\S\n]*\n")


@dataclass(frozen=True, slots=True)
class _Sentence:
    index: int
    start: int
    end: int
    paragraph: int
    words: int
    bag: Counter[str]
    norm: str  # lower-cased, whitespace-collapsed text (to drop verbatim repeats)


def cosine(a: Counter[str], b: Counter[str]) -> float:
    """Cosine similarity of two bags of words (0 when either is empty)."""
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b[w] for w, v in a.items() if w in b)
    if dot == 0:
        return 0.0
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb)


# A whitespace-separated chunk holding a letter or digit (a word, for MIN_WORDS).
_WORD_CHUNK = diskcache.compile(r"[^\W_]\S*")


def _sentences(body: str, language: str | None) -> list[_Sentence]:
    breaks = [m.end() for m in _PARAGRAPH.finditer(body)]
    # The body's own tokens (tokenised once per article), not a second pass per sentence.
    tokens = tokenize(body)
    n_tokens = len(tokens)
    k = 0
    out: list[_Sentence] = []
    p = 0
    for i, span in enumerate(split_sentences(body)):
        if i % 256 == 0:
            check_deadline()
        while p < len(breaks) and breaks[p] <= span.start:
            p += 1
        text = body[span.start : span.end]
        words = len(_WORD_CHUNK.findall(text))
        while k < n_tokens and tokens[k].start < span.start:
            k += 1
        stems: list[str] = []
        while k < n_tokens and tokens[k].start < span.end:
            tok = tokens[k]
            k += 1
            if tok.kind == "word" and tok.end <= span.end:
                stemmed = content_stem(tok.text, language)
                if stemmed is not None:
                    stems.append(stemmed)
        norm = " ".join(text.lower().split())
        out.append(_Sentence(i, span.start, span.end, p, words, Counter(stems), norm))
    return out


def _similarities(sentences: list[_Sentence]) -> list[dict[int, float]]:
    """The cosine of every pair of sentences that share a stem (``sims[i][j]``; a missing
    pair is 0). One pass over each stem's sentences instead of a cosine per pair: the bags
    are small and most pairs share nothing. The dot products are integers and the norms
    those of :func:`cosine`, so each value is exactly what :func:`cosine` gives."""
    norms = [math.sqrt(sum(v * v for v in s.bag.values())) for s in sentences]
    postings: dict[str, list[tuple[int, int]]] = {}
    for i, s in enumerate(sentences):
        for w, v in s.bag.items():
            postings.setdefault(w, []).append((i, v))
    dots: list[dict[int, int]] = [{} for _ in sentences]
    for plist in postings.values():
        for x, (i, vi) in enumerate(plist):
            if x & 255 == 0:  # pairs grow with the square of the sentences: a huge page stops
                check_deadline()
            row = dots[i]
            for j, vj in plist[x + 1 :]:
                row[j] = row.get(j, 0) + vi * vj
    sims: list[dict[int, float]] = [{} for _ in sentences]
    for i, row in enumerate(dots):
        check_deadline()
        for j, dot in row.items():
            value = dot / (norms[i] * norms[j])
            sims[i][j] = value
            sims[j][i] = value
    return sims


def _salience(sentences: list[_Sentence], sims: list[dict[int, float]]) -> list[float]:
    n = len(sentences)
    totals: Counter[str] = Counter()
    for s in sentences:
        totals.update(s.bag.keys())
    top = max(totals.values(), default=1)
    first_paragraph = sentences[0].paragraph if sentences else 0
    scores: list[float] = []
    for s in sentences:
        check_deadline()
        position = 1.0 / math.sqrt(1.0 + s.index)
        if s.paragraph == first_paragraph:
            position += 0.3
        if s.index == 0:
            position += 0.5
        # summed in sentence order, as a sum over every other sentence would be (zeros add
        # nothing)
        row = sims[s.index]
        centrality = sum(row[j] for j in sorted(row)) / (n - 1) if n > 1 else 0.0
        coverage = sum(totals[w] for w in s.bag) / (top * math.sqrt(len(s.bag))) if s.bag else 0.0
        score = W_POSITION * position + W_CENTRALITY * 4 * centrality + W_COVERAGE * coverage / 4
        if s.words < MIN_WORDS or s.norm.endswith("?"):
            score *= 0.2
        scores.append(score)
    return scores


def summarize(body: str, n_sentences: int = 3, language: str | None = None) -> str:
    """The ``n_sentences`` most salient, non-redundant whole sentences of ``body``, in
    document order, joined by a space ("" for an empty body or ``n_sentences <= 0``)."""
    if n_sentences <= 0 or not body.strip():
        return ""
    sentences = _sentences(body, language)
    sims = _similarities(sentences)
    chosen = select(sentences, _salience(sentences, sims), n_sentences, sims)
    return " ".join(body[sentences[i].start : sentences[i].end] for i in sorted(chosen))


def select(
    sentences: list[_Sentence],
    salience: list[float],
    n: int,
    sims: list[dict[int, float]] | None = None,
) -> list[int]:
    """MMR selection: indexes of up to ``n`` sentences, best first (``sims`` from
    :func:`_similarities`, computed when not given)."""
    if sims is None:
        sims = _similarities(sentences)
    chosen: list[int] = []
    seen_texts: set[str] = set()
    top = max(salience, default=1.0) or 1.0
    candidates = list(range(len(sentences)))
    while len(chosen) < n and candidates:
        best: int | None = None
        best_score = -math.inf
        for i in candidates:
            row = sims[i]
            redundancy = max((row.get(j, 0.0) for j in chosen), default=0.0)
            if redundancy > REDUNDANT:
                continue
            score = LAMBDA * salience[i] / top - (1 - LAMBDA) * redundancy
            if score > best_score:
                best, best_score = i, score
        if best is None:
            break
        candidates.remove(best)
        if sentences[best].norm in seen_texts:
            continue
        seen_texts.add(sentences[best].norm)
        chosen.append(best)
    return chosen


class KeywordSummaryStage(Stage):
    """Stage ``nlp.summary.v1``: ``Article.keywords`` and ``Article.summary`` from the body."""

    name = "nlp.summary.v1"
    requires = frozenset({"body"})
    provides = frozenset({"keywords", "summary"})
    n_keywords = 10
    n_sentences = 3

    def process(self, article: Article) -> Article:
        if for_page(article, self.name, NEEDS) is None:
            return article
        article.keywords = keywords(article.body, article.language, self.n_keywords)
        summary = summarize(article.body, self.n_sentences, article.language)
        article.summary = summary or None
        return article
