"""In-document entity resolution: every mention of a document to one canonical entity.

:func:`resolve_mentions` fills ``entity_id`` and ``canonical`` of each mention, in this order:

1. **Gazetteer, full form.** The mention links by alias or with its titles stripped
   (:meth:`Linker.link` with ``partial=False``): "Presiden Barack Obama", "Presiden Jokowi",
   "Perancis". The mention keeps its ``source``.
2. **An earlier full name in the same document** (PERSON mentions only). A short or titled
   mention ("Pak Budi", "Suryadi") whose words, titles stripped, are all among the words of an
   earlier, longer PERSON mention takes that mention's entity; among several the longest wins,
   then the nearest. Only when no earlier mention fits is a **later** longer mention used (a
   story may name "Suryadi" in its lead and "Ahmad Suryadi" further down). ``source`` becomes
   "resolved". Step 2 comes before step 3 so a document's own "Bambang Marsudi" beats the
   gazetteer's guess (Retno Marsudi) for a bare "Marsudi".
3. **Gazetteer, part of a name**: a single first or last name of exactly one gazetteer PERSON
   ("Widodo").
4. **Unknown**: a stable id (:func:`stable_id`) of :meth:`Linker.core` (the mention without
   titles, the place or body a title names, or legal forms such as "PT"/"Tbk"), which for a
   PERSON is its longest form in the document, since a shorter one would have been resolved to
   it in step 2. One name is one entity per document whatever NER called each occurrence: the
   id uses the type most of the unknown mentions of that name carry (the earliest on a tie),
   so "Labuhan Bajo" tagged PLACE once and PERSON once gets a single id. The mentions keep
   their own ``type``.

:func:`resolve_pronoun` resolves "dia", "ia", "beliau", an enclitic "-nya" (``position`` at
its "n": "menurut|nya"), "he", "she" (and "him", "her") to a PERSON: the sentence's own subject when a PERSON comes before the pronoun in
the same sentence, else the subject of the nearest earlier sentence (up to
``PRONOUN_LOOKBACK`` sentences back, as :mod:`warta.nlp.sentences` splits them) that names a
PERSON. "Subject" is approximated by the
first PERSON mention of the sentence: Indonesian news sentences are subject-first, and in
quote attributions ('"...," kata Obama') the speaker is usually the only PERSON. Nothing more
(no gender, number or syntax): simple and predictable, and measured in ``bench/linking.py``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from functools import lru_cache

from warta.core import diskcache
from warta.core.record import Mention
from warta.core.stage import check_deadline
from warta.lang import reading
from warta.nlp.linking import Link, Linker, stable_id
from warta.nlp.sentences import split_sentences


@lru_cache(maxsize=64)  # keyed by the page's language tag
def pronouns(language: str | None = None) -> frozenset[str]:
    """Personal pronouns (3rd person singular) that :func:`resolve_pronoun` resolves in a page
    in ``language`` (None: not known): ``anaphora.txt`` of the language whose entity data it
    reads, with its ``also`` languages'."""
    return reading(language, "entities").words("anaphora")


#: How many sentences before the pronoun's own one are searched for an antecedent (news
#: quotes a speaker over several paragraphs: 3 found 55% of the antecedents in
#: bench/linking.py's development split, 10 found 74%).
PRONOUN_LOOKBACK = 10

_WORD = diskcache.compile(r"\w+")


@lru_cache(maxsize=16)
def sentence_bounds(body: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each sentence of ``body``, from :func:`warta.nlp.sentences.split_sentences`
    (cached: the pronouns of one body share one split)."""
    return tuple((span.start, span.end) for span in split_sentences(body))


def resolve_mentions(mentions: list[Mention], body: str, linker: Linker) -> list[Mention]:
    """The mentions, in the order given, with ``entity_id`` and ``canonical`` filled (see the
    module docstring). A mention that already has an ``entity_id`` is kept as it is."""
    return _Resolver(mentions, linker).run()


class _Resolver:
    def __init__(self, mentions: list[Mention], linker: Linker) -> None:
        self.mentions = mentions
        self.linker = linker
        self.order = sorted(range(len(mentions)), key=lambda i: (mentions[i].start, i))
        self.rank = {index: position for position, index in enumerate(self.order)}
        self.keys = [linker.name_key(m.text) for m in mentions]
        self.done: dict[int, tuple[str | None, str | None, str]] = {}
        self.doc_type: dict[tuple[str, ...], str] = {}

    def _document_types(self) -> None:
        """For each unknown name, the type most of its mentions carry (earliest on a tie)."""
        votes: dict[tuple[str, ...], dict[str, int]] = {}
        for i in self.order:
            if i not in self.done and self.keys[i]:
                tally = votes.setdefault(self.keys[i], {})
                tally[self.mentions[i].type] = tally.get(self.mentions[i].type, 0) + 1
        for key, tally in votes.items():
            best = max(tally.values())
            self.doc_type[key] = next(t for t, n in tally.items() if n == best)

    def run(self) -> list[Mention]:
        for i, m in enumerate(self.mentions):  # step 1
            if m.entity_id is not None:
                self.done[i] = (m.entity_id, m.canonical, m.source)
                continue
            if m.type == "PERSON" and len(self.keys[i]) == 1 and self._container(i) is not None:
                continue  # "Sandi" after "AKBP Sandi Sultan" is him, not a famous namesake
            link = self.linker.link(m.text, m.type, partial=False)
            if link is not None:
                self.done[i] = self._from_link(link, m.source)
        self._document_types()
        for n, i in enumerate(self.order):
            if n % 128 == 0:
                check_deadline()  # the container search grows with the square of the mentions
            self._resolve(i)
        out: list[Mention] = []
        for i, m in enumerate(self.mentions):
            entity_id, canonical, source = self.done[i]
            out.append(
                dataclasses.replace(m, entity_id=entity_id, canonical=canonical, source=source)
            )
        return out

    @staticmethod
    def _from_link(link: Link, source: str) -> tuple[str | None, str | None, str]:
        return (link.entity_id, link.canonical, source)

    def _resolve(self, i: int) -> tuple[str | None, str | None, str]:
        if i in self.done:
            return self.done[i]
        m = self.mentions[i]
        result: tuple[str | None, str | None, str] | None = None
        if m.type == "PERSON" and self.keys[i]:
            target = self._container(i)
            if target is not None:
                entity_id, canonical, _ = self._resolve(target)
                result = (entity_id, canonical, "resolved")
        if result is None:
            link = self.linker.link(m.text, m.type, partial=True)
            if link is not None:
                result = self._from_link(link, m.source)
        if result is None:
            core = self.linker.core(m.text)
            if core and not self.linker.is_title(m.text):
                kind = self.doc_type.get(self.keys[i], m.type)
                result = (stable_id(core, kind), core, m.source)
            else:  # a bare title ("Presiden") names no one in particular
                result = (None, None, m.source)
        self.done[i] = result
        return result

    def _container(self, i: int) -> int | None:
        """The longer PERSON mention whose words contain mention i's: the longest earlier one
        (then the nearest), else the longest later one (then the nearest)."""
        key = self.keys[i]
        words = set(key)
        here = self.rank[i]
        best_before: tuple[int, int] | None = None  # (length, rank)
        best_after: tuple[int, int] | None = None  # (length, -rank)
        for k, other in enumerate(self.mentions):
            if k == i or other.type != "PERSON":
                continue
            other_key = self.keys[k]
            if len(other_key) <= len(key) or not words <= set(other_key):
                continue
            if self.rank[k] < here:
                candidate = (len(other_key), self.rank[k])
                if best_before is None or candidate > best_before:
                    best_before = candidate
            else:
                candidate = (len(other_key), -self.rank[k])
                if best_after is None or candidate > best_after:
                    best_after = candidate
        if best_before is not None:
            return self.order[best_before[1]]
        if best_after is not None:
            return self.order[-best_after[1]]
        return None


def _pronoun_at(body: str, position: int, words: frozenset[str]) -> str | None:
    m = _WORD.match(body, position)
    if m is None:
        return None
    word = m.group(0)
    return word if word.casefold() in words else None


def resolve_pronoun(
    body: str, position: int, mentions: Sequence[Mention], language: str | None = None
) -> Mention | None:
    """The PERSON that the pronoun at ``body[position:]`` refers to, as a Mention of the
    pronoun (source "pronoun", the antecedent's entity and canonical name), or None when
    there is no pronoun there or no PERSON to refer to (rule: see the module docstring);
    the pronouns are those of :func:`pronouns` for ``language``."""
    pronoun = _pronoun_at(body, position, pronouns(language))
    if pronoun is None:
        return None
    people = sorted(
        (m for m in mentions if m.type == "PERSON" and m.end <= position),
        key=lambda m: m.start,
    )
    if not people:
        return None
    bounds = sentence_bounds(body)
    # the sentence holding the pronoun: the last one starting at or before it
    current = max((n for n, (s, _) in enumerate(bounds) if s <= position), default=-1)
    antecedent: Mention | None = None
    for n in range(current, max(-1, current - PRONOUN_LOOKBACK - 1), -1):
        start, end = bounds[n]
        inside = [m for m in people if start <= m.start < end]
        if inside:
            antecedent = inside[0]
            break
    if antecedent is None:
        return None
    entity_id = antecedent.entity_id or stable_id(antecedent.text, "PERSON")
    return Mention(
        start=position,
        end=position + len(pronoun),
        text=pronoun,
        type="PERSON",
        entity_id=entity_id,
        canonical=antecedent.canonical or antecedent.text,
        source="pronoun",
    )
