"""A quote speaker's role and affiliation, as the speaker phrase states them.

"kata Kepala Unit Reskrim Polres Metro Jakarta Barat AKP Roland Manurung" gives the role
"Kepala Unit Reskrim" and the affiliation "Polres Metro Jakarta Barat"; "Juru bicara KPK, Ali
Fikri," gives "Juru bicara" and "KPK"; "John Smith, a spokesman for the ministry" gives
"spokesman" and "the ministry". Both are the article's own words (trimmed), or None when the
phrase states none: a speaker named by a bare name or a pronoun has neither.

The words before the name (or an apposition after it, between commas) are read left to right:
a role opens with a title or role word (``lang/id/honorifics.txt``, ``ner_person_titles.txt``,
``quote_cues.toml`` role_words, ``quote_roles.toml`` role_nouns); the affiliation starts at a
linking word ("dari", "for"), after a title that heads a place ("Kapolda", "Gubernur"), or at
the first word that names an organisation or place: an organisation head ("Polres",
"Kementerian"), a word in capitals ("KPK", "AS"), a gazetteer ORGANIZATION/PLACE name, or a
word inside one of the article's own ORGANIZATION/PLACE mentions. A unit word ("Unit",
"Bidang") keeps its unit's name in the role. Ranks and forms of address ("AKP", "Bapak") at the
end of the role belong to the name and are dropped.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from warta.core import diskcache
from warta.core.record import Mention
from warta.lang import Reading
from warta.nlp.langdata import QUOTE_DATA, current
from warta.nlp.linking import Linker, normalise

__all__ = ["Roles"]

#: (role, affiliation) of one speaker.
RoleAndAffiliation = tuple[str | None, str | None]
_NONE: RoleAndAffiliation = (None, None)
_WORD = diskcache.compile(r"[\w'’&.-]+|\([^()\n]{1,40}\)")
_GAZ_MAX = 4  # longest gazetteer name looked up, in words


def _phrases(items: object) -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(str(x).casefold().split()) for x in items or [])  # type: ignore[attr-defined]


def _data() -> dict[str, frozenset[tuple[str, ...]]]:
    return _data_of(current(QUOTE_DATA))


@lru_cache(maxsize=8)
def _data_of(lang: Reading) -> dict[str, frozenset[tuple[str, ...]]]:
    """The word lists of ``quote_roles.toml`` and the title lists, as tuples of words."""
    data = lang.table("quote_roles")
    cues = lang.table("quote_cues")
    titles = lang.words("honorifics") | lang.own_words("ner_person_titles")
    opens = {w.strip(".") for t in titles for w in t.split()}
    opens |= {str(w).casefold() for w in cues.get("role_words", [])}
    opens |= {str(w).casefold() for w in data.get("role_nouns", [])}
    out = {key: _phrases(data.get(key)) for key in ("place_titles", "unit_words", "links")}
    out["articles"] = _phrases(data.get("articles"))
    out["ranks"] = _phrases(data.get("ranks"))
    out["opens"] = frozenset((w,) for w in opens)
    out["titles"] = _phrases(titles)
    out["heads"] = frozenset((w,) for w in lang.own_words("ner_org_heads"))
    return out


@lru_cache(maxsize=1)
def _gazetteer() -> frozenset[str]:
    """Normalised names of the gazetteer's organisations and places (not acronyms: a word in
    capitals is an affiliation anyway)."""
    return frozenset(
        normalise(form)
        for e in Linker.load().entities
        if e.type in ("ORGANIZATION", "PLACE")
        for form in e.forms
        if not form.isupper()
    )


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


class Roles:
    """Role and affiliation look-ups over one body and its ORGANIZATION/PLACE mentions."""

    def __init__(self, body: str, mentions: list[Mention]) -> None:
        self.body = body
        spans = sorted(
            (m.start, m.end) for m in mentions if m.type in ("ORGANIZATION", "PLACE", "LOCATION")
        )
        self._starts = [s for s, _ in spans]
        self._spans = spans
        self.lists = _data()

    def _in_mention(self, pos: int) -> bool:
        i = bisect_right(self._starts, pos) - 1
        return i >= 0 and self._spans[i][0] <= pos < self._spans[i][1]

    def _is(self, key: str, *words: str) -> bool:
        return tuple(w.casefold().strip(".") for w in words) in self.lists[key]

    def _names_org(self, words: list[re.Match[str]], i: int) -> bool:
        """Whether words[i] opens an organisation or place name."""
        w = words[i].group()
        if not _capitalised(w) and not w.startswith("("):
            return False
        if _acronym(w) or self._is("heads", w) or self._in_mention(words[i].start()):
            return True
        gaz = _gazetteer()
        for n in range(min(_GAZ_MAX, len(words) - i), 0, -1):
            if normalise(" ".join(m.group() for m in words[i : i + n])) in gaz:
                return True
        return False

    def _strip_ranks(self, words: list[re.Match[str]]) -> list[re.Match[str]]:
        """``words`` less ranks and forms of address at their end ("... AKP")."""
        changed = True
        while words and changed:
            changed = False
            for n in (4, 3, 2, 1):
                if len(words) >= n and self._is("ranks", *(m.group() for m in words[-n:])):
                    words, changed = words[:-n], True
                    break
        return words

    def split(self, start: int, end: int) -> RoleAndAffiliation:
        """The role and affiliation stated in ``body[start:end]`` (no name in it)."""
        words = [m for m in _WORD.finditer(self.body, start, end)]
        while words and self._is("articles", words[0].group()):
            words = words[1:]
        words = self._strip_ranks(words)
        if not words or not self._is("opens", words[0].group()):
            return _NONE
        cut = len(words)  # where the affiliation starts
        link = False
        after_unit = self._is("unit_words", words[0].group())
        for i in range(1, len(words)):
            w = words[i].group()
            prev2 = (words[i - 2].group(), words[i - 1].group()) if i >= 2 else ()
            if self._is("links", w) and i + 1 < len(words):
                cut, link = i, True
                break
            if (
                self._is("place_titles", words[i - 1].group()) or self._is("place_titles", *prev2)
            ) and (_capitalised(w) or w.startswith("(")):
                cut = i
                break
            if after_unit:
                after_unit = False
                continue
            if _acronym(w) and not self._is("unit_words", w):  # "KPK", "BNPB", "AS"
                cut = i
                break
            if self._is("unit_words", w) or self._is("opens", w) or not _capitalised(w):
                after_unit = self._is("unit_words", w)
                continue
            if self._names_org(words, i):
                cut = i
                break
        role = self._text(words[:cut])
        aff = self._text(words[cut + 1 :] if link else words[cut:])
        return role, aff

    def _text(self, words: list[re.Match[str]]) -> str | None:
        if not words:
            return None
        text = self.body[words[0].start() : words[-1].end()].strip(" \t\n,;:")
        return " ".join(text.split()) or None

    def of(self, start: int, end: int, name_start: int, name_end: int) -> RoleAndAffiliation:
        """Role and affiliation of the speaker named at ``[name_start, name_end)`` inside the
        speaker phrase ``[start, end)``: from the words before the name, else from an
        apposition after it (", juru bicara KPK", ", a spokesman for the ministry")."""
        name = list(_WORD.finditer(self.body, name_start, name_end))
        if name and self._is("titles", *(w.group() for w in name)):  # "kata Kapolri"
            name_start = name_end
        else:
            titles = Linker.load().leading_titles([w.group() for w in name])
            if titles:  # a title the mention holds: "Presiden Joko Widodo"
                name_start = name[titles].start()
        if name_start > start:
            comma = self.body.find(",", start, name_start)  # "Juru bicara KPK, Ali Fikri"
            found = self.split(start, name_start if comma < 0 else comma)
            if found != _NONE:
                return found
        rest = self.body[name_end:end]
        m = re.match(r"[ \t]*,[ \t]*([^,;:.!?\n]+)", rest)
        if m is None:
            return _NONE
        return self.split(name_end + m.start(1), name_end + m.end(1))
