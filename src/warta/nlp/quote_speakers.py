"""Who speaks a quote: the speaker slot of a cue, resolved to a person or organisation.

:class:`Speakers` answers for one body and its entity mentions:

* :meth:`Speakers.phrase`: the speaker named in a cue's speaker phrase ("kata Kepala Unit
  Reskrim Polsek Tamansari Roland Manurung", "Direktur Utama PT KCI Wiwik Widayanti
  mengatakan"): a PERSON mention in it (the first one after a postposed verb, the last one
  before a preposed verb, where news puts the name after the role); else a run of
  capitalised words that no place or organisation mention covers and that is not a title (a
  name the NER missed); else an ORGANIZATION mention ("Kemenhub menyatakan"); else a title
  ("kata Presiden", "ujar Kapolri"), taken to the person the article names with that title
  ("Presiden Joko Widodo"), or kept as written when it names nobody; a pronoun goes to
  :meth:`Speakers.salient`.
* :meth:`Speakers.salient`: for "ujarnya", "kata dia", "Menurutnya" and a quote that goes on
  uncued, the last salient person before the quote: the subject (first PERSON) of the nearest
  earlier sentence that names one, outside quoted text.

A speaker is a PERSON or an ORGANIZATION, never a place. Mentions that are no name are
skipped: a pronoun the NER tagged ("Ia"), a lower-case word, a capitalised word that the body
mostly writes in lower case ("Pandemi", "Masker": a common noun at a sentence start), and the
``not_speakers`` words of ``lang/id/quote_cues.toml`` ("Covid").

Where a speaker comes from. Every speaker is one of the entity stage's mentions (a PERSON or
ORGANIZATION in the phrase, or the PERSON whose name holds a word of it), except two written
as the article gives them, with no entity id: a run of capitalised words no mention covers
(:meth:`Speakers._name_runs`) and a title that names nobody ("kata Presiden").

Three checks here look like the entity stage's but are not the same, and leaving any of them to
the entity stage alone changes quotes: the case test (:meth:`Speakers._mostly_lower` counts the
exact forms of the body's regex words; the entity stage's ``_name_like`` counts its tokens
case-folded and takes a gazetteer person as a name), the name word
(:meth:`Speakers._known_name` finds a word of a PERSON's written name inside the phrase, also
inside a place or organisation mention; the entity stage's ``_retype_name_words`` retypes only
a one-word mention equal to a first or last name of the canonical name) and the titled name
(:meth:`Speakers._blocked` frees the words after the last title inside a place or organisation
mention; the entity stage's ``_split_at_title`` splits a mention at its first title, under more
conditions). The entity stage's fixes come first; these act on what it leaves.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from warta.core import diskcache
from warta.core.record import Mention
from warta.lang import Reading
from warta.nlp.langdata import QUOTE_DATA, current
from warta.nlp.resolve import sentence_bounds

__all__ = ["NOBODY", "Slot", "Speakers", "Who", "who_of"]

#: (speaker, speaker_id): the canonical name (or the words of the text) and the entity id.
Who = tuple[str | None, str | None]
NOBODY: Who = (None, None)

#: How many sentences before the quote's own one :meth:`Speakers.salient` searches.
LOOKBACK = 10

_WORD = diskcache.compile(r"[\w'’.-]+")


def _titles() -> frozenset[str]:
    return _titles_of(current(QUOTE_DATA))


@lru_cache(maxsize=8)
def _titles_of(lang: Reading) -> frozenset[str]:
    """Title, office and rank words ("presiden", "kapolri", "kombes", "juru", "bicara")."""
    entries = lang.own_words("ner_person_titles") | lang.own_words("honorifics")
    return frozenset(w.strip(".") for entry in entries for w in entry.split())


def _lists() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    return _lists_of(current(QUOTE_DATA))


@lru_cache(maxsize=8)
def _lists_of(
    lang: Reading,
) -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    """(pronouns, not_speakers, phrase_ends, role_words) from ``quote_cues.toml``."""
    data = lang.table("quote_cues")

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).casefold() for w in data.get(key, []))

    return words("pronouns"), words("not_speakers"), words("phrase_ends"), words("role_words")


@dataclass(frozen=True, slots=True)
class Slot:
    """A cue's speaker: who (None: a pronoun, left to :meth:`Speakers.salient`) and where."""

    who: Who | None
    start: int
    end: int


def who_of(m: Mention) -> Who:
    """The speaker a mention names: its canonical name (else its words) and its entity id."""
    return (m.canonical or m.text), m.entity_id


class Speakers:
    """Speaker look-ups over one body: see the module docstring."""

    def __init__(self, body: str, mentions: list[Mention], quoted: list[tuple[int, int]]) -> None:
        self.body = body
        self.pronouns, self.not_speakers, self.phrase_ends, roles = _lists()
        self.person_titles = _titles()
        self.titles = self.person_titles | roles
        self._forms: Counter[str] | None = None  # word form -> count, made when first needed
        usable = sorted(
            (m for m in mentions if m.type in ("PERSON", "ORGANIZATION") and self._name_like(m)),
            key=lambda m: (m.start, m.end),
        )
        self.people = [m for m in usable if m.type == "PERSON"]
        self.people_starts = [m.start for m in self.people]
        # name word -> the PERSON mentions holding it (a name NER tagged otherwise elsewhere)
        self.by_word: dict[str, list[Mention]] = {}
        for m in self.people:
            if m.source != "pronoun":
                for w in m.text.split():
                    if w.casefold() not in self.titles and len(w) > 2:
                        self.by_word.setdefault(w.casefold(), []).append(m)
        self.event_starts: list[int] = []  # where a cue named a speaker, in order
        self.event_whos: list[Who] = []
        self.orgs = [m for m in usable if m.type == "ORGANIZATION"]
        self.others = sorted(
            (m for m in mentions if m.type not in ("PERSON",)), key=lambda m: m.start
        )
        self.quoted = sorted(quoted)
        self.bounds = sentence_bounds(body)
        self.bound_starts = [s for s, _ in self.bounds]

    # -- which mentions can speak ------------------------------------------------------------

    def _name_like(self, m: Mention) -> bool:
        text = m.text.strip()
        low = text.casefold()
        if m.source == "pronoun":
            return m.canonical is not None and m.canonical.casefold() not in self.pronouns
        if not text[:1].isupper() or low in self.pronouns or low in self.not_speakers:
            return False
        if " " not in text and m.type == "PERSON":
            return not self._mostly_lower(text)
        return True

    def _mostly_lower(self, word: str) -> bool:
        """Whether the body writes ``word`` in lower case at least as often as capitalised."""
        if self._forms is None:
            self._forms = Counter(re.findall(r"\w+", self.body))
        low = word.casefold()
        return self._forms[low] >= self._forms[word] and low != word

    def _inside_quote(self, pos: int) -> bool:
        i = bisect_right(self.quoted, (pos, len(self.body) + 1)) - 1
        return i >= 0 and self.quoted[i][0] <= pos < self.quoted[i][1]

    # -- a cue's speaker phrase --------------------------------------------------------------

    def phrase_end(self, start: int, limit: int) -> int:
        """End of a postposed cue's speaker phrase starting at ``start``: before a word that
        opens an adjunct ("di", "dalam", "saat", ...), a bracket, or ``limit``."""
        end = start
        for i, m in enumerate(_WORD.finditer(self.body, start, limit)):
            word = m.group().rstrip(".")
            gap = self.body[end : m.start()]
            if i >= 24 or word.casefold() in self.phrase_ends or "(" in gap or "\n" in gap:
                break
            if re.search(r"[.;:!?]", gap):
                break
            end = m.start() + len(word)
        return end

    def person(self, start: int, end: int, *, after_verb: bool) -> Slot | None:
        """The person named in ``body[start:end]``, or None: a PERSON mention, a name the body
        gives a person elsewhere, or a run of capitalised words that is no title, place or
        organisation. Tells a name from a role where an apposition may hold either."""
        lo = bisect_left(self.people_starts, start)
        inside = [m for m in self.people[lo:] if m.start < end and m.end <= end]
        if inside:
            m = inside[0] if after_verb else inside[-1]
            return Slot(who_of(m), m.start, m.end)
        known = self._known_name(start, end, after_verb)
        if known is not None:
            return known
        runs = self._name_runs(start, end)
        if runs:
            first = runs[0][0] == self._first_word(start, end)
            s, e = runs[0] if after_verb and first else runs[-1]
            return Slot((self.body[s:e], None), s, e)
        return None

    def phrase(self, start: int, end: int, *, after_verb: bool) -> Slot:
        """The speaker named in ``body[start:end]`` (see the module docstring) and where its
        words are; a pronoun leaves the speaker to :meth:`salient` (``who`` None)."""
        found = self.person(start, end, after_verb=after_verb)
        if found is not None:
            return found
        orgs = [m for m in self.orgs if start <= m.start and m.end <= end]
        if orgs:
            m = orgs[0] if after_verb else orgs[-1]
            return Slot(who_of(m), m.start, m.end)
        words = list(_WORD.finditer(self.body, start, end))
        if not words:
            return Slot(NOBODY, start, start)
        if len(words) == 1 and words[0].group().casefold() in self.pronouns:
            return Slot(None, words[0].start(), words[0].end())
        if words[0].group().rstrip(".").casefold() in self.titles and self._role_like(words):
            s, e = words[0].start(), words[-1].end()
            return Slot(self.titled(self.body[s:e], start), s, e)
        return Slot(NOBODY, start, start)

    def _role_like(self, words: list[re.Match[str]]) -> bool:
        """Whether a phrase that opens with a title reads as a role ("the deputy minister",
        "Kepala Dinas Pendidikan setempat"): title words and capitalised words, with at most one
        other word — not a clause that happens to open with one ("the country now had ...")."""
        other = sum(
            1
            for w in words
            if not w.group()[:1].isupper() and w.group().rstrip(".").casefold() not in self.titles
        )
        return other <= 1

    def _known_name(self, start: int, end: int, after_verb: bool) -> Slot | None:
        """A capitalised word of the phrase that is part of a PERSON named elsewhere in the
        body ("Ngajib" after "Mokhamad Ngajib", wherever NER called it a place)."""
        hits: list[Slot] = []
        for w in _WORD.finditer(self.body, start, end):
            owners = self.by_word.get(w.group().casefold()) if w.group()[:1].isupper() else None
            if not owners:
                continue
            blocker = next(
                (m for m in self.others if m.start <= w.start() < m.end and m.type != "PERSON"),
                None,
            )
            if blocker is not None and not all(
                x.casefold() in self.by_word for x in blocker.text.split()
            ):
                continue
            before = [m for m in owners if m.start < start]
            m = max(before, key=lambda x: x.start) if before else owners[0]
            hits.append(Slot(who_of(m), w.start(), w.end()))
        if not hits:
            return None
        return hits[0] if after_verb else hits[-1]

    def _first_word(self, start: int, end: int) -> int:
        m = _WORD.search(self.body, start, end)
        return m.start() if m else start

    def _name_runs(self, start: int, end: int) -> list[tuple[int, int]]:
        """Runs of capitalised words in ``[start, end)`` that are neither titles nor inside a
        place or organisation mention nor before an amount: names the NER missed
        ("Krishnadi")."""
        covered = [self._blocked(m) for m in self.others if m.start < end and m.end > start]
        runs: list[tuple[int, int]] = []
        run: list[int] = []
        for m in _WORD.finditer(self.body, start, end):
            word = m.group().rstrip(".")
            low = word.casefold()
            ok = (
                word[:1].isupper()
                and low not in self.titles
                and low not in self.pronouns
                and low not in self.not_speakers
                and not any(s <= m.start() < e for s, e in covered)
            )
            if ok and run and not self.body[run[1] : m.start()].strip():
                run[1] = m.start() + len(word)
                continue
            if run:
                runs.append((run[0], run[1]))
            run = [m.start(), m.start() + len(word)] if ok else []
        if run:
            runs.append((run[0], run[1]))
        return [
            r
            for r in runs
            if not self._mostly_lower(self.body[r[0] : r[1]].split()[0])
            and not self._before_amount(r[1])
        ]

    def _before_amount(self, end: int) -> bool:
        """Whether a number follows the run: a currency or unit before an amount ("Rp 9.700",
        "US$ 5", "Pasal 27"), not a name."""
        rest = self.body[end : end + 3].lstrip(" $.")
        return rest[:1].isdigit()

    def _blocked(self, m: Mention) -> tuple[int, int]:
        """The part of a place or organisation mention that is no name: all of it, but for a
        titled name it swallowed ("Sultra Komisaris Besar Ferry Walintukan": up to the last
        title word after its first word)."""
        words = list(_WORD.finditer(m.text))
        cut = m.end
        for w in words[1:-1]:
            if w.group().casefold() in self.person_titles:
                cut = m.start + w.end()
        return m.start, cut

    def titled(self, title: str, pos: int) -> Who:
        """The person the article names with ``title`` ("Presiden" -> "Presiden Joko Widodo"):
        the nearest such mention before ``pos``, else the first after; else the title."""
        key = " ".join(title.casefold().split())
        found: list[Mention] = []
        for m in self.people:
            if m.source == "pronoun":
                continue
            before = " ".join(
                self.body[max(0, m.start - len(key) - 40) : m.start].casefold().split()
            )
            text = " ".join(m.text.casefold().split())
            if text.startswith(key + " ") or before.endswith(key):
                found.append(m)
        if found:
            earlier = [m for m in found if m.start < pos]
            return who_of(earlier[-1] if earlier else found[0])
        return title, None

    # -- the salient person ------------------------------------------------------------------

    def heard(self, pos: int, who: Who) -> None:
        """Note a speaker named at ``pos`` (by a cue): the most salient person from there."""
        if who != NOBODY:
            i = bisect_right(self.event_starts, pos)
            self.event_starts.insert(i, pos)
            self.event_whos.insert(i, who)

    def salient(self, pos: int) -> Who:
        """The last salient person before ``pos``: in the nearest earlier sentence (the one
        holding ``pos`` included) that names a person outside quoted text, the last speaker a
        cue named there, else its first PERSON."""
        event_starts = self.event_starts
        n = bisect_right(self.bound_starts, pos) - 1
        stop = n - LOOKBACK
        hi = bisect_left(self.people_starts, pos)
        e_hi = bisect_left(event_starts, pos)
        while n >= 0 and n >= stop:
            s = self.bounds[n][0]
            e_lo = bisect_left(event_starts, s)
            if e_hi > e_lo:
                return self.event_whos[e_hi - 1]
            lo = bisect_left(self.people_starts, s)
            for m in self.people[lo:hi]:
                if not self._inside_quote(m.start):
                    return who_of(m)
            hi, e_hi = lo, e_lo
            n -= 1
        return NOBODY
