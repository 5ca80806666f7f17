"""Stage ``nlp.quotes.v1``: who said what — direct, partial and indirect quotes with speakers.

:func:`find_quotes` works on the body and the entity stage's mentions, with the cue words of
``lang/id/quote_cues.toml``:

* **direct**: a quoted passage ('"...," kata Obama'; a quote may go on over a paragraph break
  when the next paragraph opens with a quote mark) with a postposed cue ("kata Obama",
  "ujarnya", '"..." Obama said', "said Obama") or a preposed one ('Obama mengatakan, "..."');
  a long quoted paragraph with no cue of its own (at least ``min_uncued_words`` words) goes to
  the last salient speaker;
* **partial**: a quoted fragment inside a reported clause ('Obama mengatakan, Rusia menjadi
  "mitra ..."'): the fragment is the text;
* **indirect**: the reported clause of a preposed cue ("Obama mengatakan, AS siap ...",
  "Menurut Obama, ...", "dia mengatakan ...") up to the sentence end, or before a postposed
  cue with no quote marks ("AS siap ..., kata Obama").

Short quoted phrases without a cue are scare quotes and are not quotes. Speakers come from
:mod:`warta.nlp.quote_speakers`: the person (or organisation) in the cue's speaker phrase,
past any role ("kata Kepala Unit Reskrim ... Roland Manurung"); a title alone taken to the
person the article names with it; and for "ujarnya", "kata dia", "Menurutnya" and uncued
quotes, the last salient person, once every named speaker of the body is known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from warta.core import diskcache
from warta.core.record import Article, Mention, Quote
from warta.core.stage import Stage, check_deadline
from warta.lang import Reading
from warta.nlp.langdata import QUOTE_DATA, current, for_page, page_language
from warta.nlp.quote_roles import Roles
from warta.nlp.quote_speakers import NOBODY, Slot, Speakers, Who, who_of
from warta.nlp.resolve import sentence_bounds

__all__ = ["QuoteStage", "find_quotes"]

_QUOTE_CHARS = '"“”„«»'
_TRIM = " \t\n,.;:"


def _longest_first(word: str) -> tuple[int, str]:
    """Longest first, then alphabetical: an alternation built from a set is the same text in
    every process (so its compiled program is found in the disk cache)."""
    return (-len(word), word)


@dataclass(frozen=True, slots=True)
class _Cues:
    postposed: re.Pattern[str]
    post_en_after: re.Pattern[str]
    post_en_before: re.Pattern[str]
    preposed: re.Pattern[str]
    according: re.Pattern[str]
    aside: re.Pattern[str]
    pronouns: frozenset[str]
    speaker_words: frozenset[str]
    aside_openers: frozenset[str]
    min_uncued: int


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=_longest_first))


_WORD_IN_NAME = r"[A-Z](?:[\w'’-]|\.(?=\w))*"
_NAME = rf"{_WORD_IN_NAME}(?:[ \t]+(?:{_WORD_IN_NAME}|bin|binti|van|de|al)\b)*"


def _cues() -> _Cues:
    return _cues_of(current(QUOTE_DATA))


@lru_cache(maxsize=8)
def _cues_of(lang: Reading) -> _Cues:
    data = lang.table("quote_cues")
    pron = [str(p) for p in data.get("pronouns", [])]
    speaker = rf"(?:{_NAME}|{_alt(pron)})"
    comp = _alt([str(w) for w in data.get("complementisers", [])])
    days = _alt([str(w) for w in data.get("days", [])])
    return _Cues(
        postposed=diskcache.compile(
            rf"[ \t]*,?[ \t]*(?P<verb>(?:{_alt(data.get('postposed', []))}))(?P<nya>nya)?\b"
        ),
        post_en_after=diskcache.compile(
            rf"[ \t]*,?[ \t]*(?P<verb>{_alt(data.get('postposed_en', []))})[ \t]+(?P<who>{speaker})"
        ),
        post_en_before=diskcache.compile(
            rf"[ \t]*,?[ \t]*(?P<who>{speaker})[ \t]+(?P<verb>{_alt(data.get('postposed_en', []))})\b"
        ),
        preposed=diskcache.compile(rf"\b(?P<verb>{_alt(data.get('preposed', []))})\b"),
        according=diskcache.compile(
            rf"\b(?P<verb>{_alt(data.get('according', []))})(?:(?P<nya>nya)|[ \t]+(?P<who>[^,.\n]{{1,60}}?))[ \t]*,",
            re.IGNORECASE,
        ),
        aside=diskcache.compile(
            rf"[ \t]*[,:]?[ \t]*(?:(?:{days})\b[ \t]*(?:\([^)\n]*\))?[ \t]*,[ \t]*)?(?:(?:{comp})\b[ \t]*)?",
            re.IGNORECASE,
        ),
        pronouns=frozenset(p.casefold() for p in pron),
        speaker_words=frozenset(str(w).casefold() for w in data.get("speaker_words", [])),
        aside_openers=frozenset(str(w).casefold() for w in data.get("aside_openers", [])),
        min_uncued=int(data.get("min_uncued_words", 8)),
    )


@dataclass(frozen=True, slots=True)
class _Span:
    open: int  # the opening quote mark
    close: int  # just after the closing quote mark
    start: int  # the quoted text (quote marks and edge punctuation trimmed)
    end: int


_MARK_OR_BREAK = diskcache.compile(rf"[\n{_QUOTE_CHARS}]")


def _quoted_spans(body: str) -> list[_Span]:
    """Quoted passages: any double quote mark toggles (news text often opens with ``”``); an
    open quote reaching a paragraph break goes on only if the next paragraph opens with one.
    Only quote marks and line breaks are visited (a regex scan, not a loop over characters)."""
    spans: list[_Span] = []
    opened: int | None = None
    resume = 0  # a continuation mark already consumed ends before here
    n = len(body)
    for mark in _MARK_OR_BREAK.finditer(body):
        i = mark.start()
        if i < resume:
            continue
        ch = body[i]
        if ch == "\n":
            if opened is not None and "\n" in body[i + 1 : _skip_space(body, i + 1)]:
                j = _skip_space(body, i)
                if j < n and body[j] in _QUOTE_CHARS:
                    resume = j + 1
                    continue
                opened = None
        elif opened is None or ch == "“":
            opened = i
        else:
            s, e = opened + 1, i
            while s < e and body[s] in _TRIM:
                s += 1
            while e > s and body[e - 1] in _TRIM:
                e -= 1
            if e > s:
                spans.append(_Span(opened, i + 1, s, e))
            opened = None
    return spans


def _skip_space(body: str, i: int) -> int:
    while i < len(body) and body[i].isspace():
        i += 1
    return i


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _phrase_before(body: str, verb_start: int, sent_start: int, cues: _Cues) -> int | None:
    """Start of the speaker phrase just before a preposed verb (capitalised words, a pronoun,
    title words), or None when there is none."""
    start: int | None = None
    for m in reversed(list(re.finditer(r"[\w.'’-]+", body[sent_start:verb_start]))):
        if body[sent_start + m.end() : verb_start][:1] not in (" ", ""):
            break  # punctuation between (a comma) ends the phrase
        if body[sent_start + m.end() : verb_start if start is None else start].strip():
            break
        word = m.group()
        low = word.casefold()
        if low in cues.pronouns:
            return sent_start + m.start() if start is None else start
        if word[:1].isupper() or (start is not None and low in cues.speaker_words):
            start = sent_start + m.start()
            continue
        break
    return start


_FIRST_WORD = diskcache.compile(r"[\w'’-]+")
_NOT_IN_APPOSITION = diskcache.compile(rf"[.;:!?()\n{_QUOTE_CHARS}]")
_NAME_THEN_COMMA = diskcache.compile(rf"[ \t]*(?P<name>{_NAME})[ \t]*,")
_COMMA = diskcache.compile(",")

Bounds = tuple[tuple[int, int], ...]
#: (role, affiliation) of a speaker, as :meth:`warta.nlp.quote_roles.Roles.of` reads them.
RoleAndAffiliation = tuple[str | None, str | None]


@dataclass(frozen=True, slots=True)
class _Cue:
    """A cue found for a statement: its words ("kata Obama", "ujarnya"), the speaker slot
    (``slot`` None for "-nya" and "Menurutnya", whose speaker is the salient person), and the
    speaker phrase ``[start, end)`` where the speaker's role and affiliation are read."""

    text: str
    slot: Slot | None
    phrase: tuple[int, int]


@dataclass(frozen=True, slots=True)
class _Opening:
    """A cue that opens a reported clause ("Obama mengatakan, ...", "Menurut Obama, ..."):
    the clause starts at ``clause``; ``anchor`` is where a pronoun's salient person is found."""

    cue: _Cue
    clause: int
    anchor: int


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A statement kept by a pass, before its speaker is settled: ``who`` is the speaker its
    cue named (NOBODY: nobody), or None where the speaker is the person salient at ``anchor``
    (a pronoun, "-nya", no cue); ``role`` is what the cue's speaker phrase states."""

    start: int
    end: int
    kind: str
    cue: str | None
    who: Who | None
    anchor: int
    role: RoleAndAffiliation


@dataclass(slots=True)
class _Context:
    """What every pass of :func:`find_quotes` reads (the body, its cues, quoted spans and
    sentences, the speaker and role look-ups) and what the passes build: the candidates and
    the quoted spans already used (by their opening mark)."""

    body: str
    cues: _Cues
    spans: list[_Span]
    bounds: Bounds
    who_is: Speakers
    roles: Roles
    done: set[int] = field(default_factory=set)
    found: list[_Candidate] = field(default_factory=list)

    def keep(self, start: int, end: int, kind: str, cue: _Cue | None, anchor: int) -> None:
        """Keep the statement ``body[start:end]`` (edge punctuation trimmed). A speaker the
        cue names is heard there (it becomes the salient person from that point on), and
        its role and affiliation are read from the cue's speaker phrase."""
        body = self.body
        while start < end and body[start] in _TRIM:
            start += 1
        while end > start and body[end - 1] in _TRIM:
            end -= 1
        if end <= start:
            return
        slot = cue.slot if cue is not None else None
        role: RoleAndAffiliation = (None, None)
        if cue is not None and slot is not None and slot.who is not None:
            self.who_is.heard(slot.start, slot.who)
            if slot.who != NOBODY:
                role = self.roles.of(cue.phrase[0], cue.phrase[1], slot.start, slot.end)
        self.found.append(
            _Candidate(
                start,
                end,
                kind,
                cue.text if cue is not None else None,
                slot.who if slot is not None else None,
                anchor,
                role,
            )
        )


def _role_openers() -> frozenset[str]:
    return _role_openers_of(current(QUOTE_DATA))


@lru_cache(maxsize=8)
def _role_openers_of(lang: Reading) -> frozenset[str]:
    """Words that open a role before or after a name ("juru", "kepala", "spokesman"): the
    first words of the person titles and the role words; not every word of a title
    ("dalam" of "Menteri Dalam Negeri" opens no role)."""
    cue_data, role_data = lang.table("quote_cues"), lang.table("quote_roles")
    words = {t.split()[0] for t in lang.own_words("ner_person_titles")}
    for key, data in (("role_words", cue_data), ("role_nouns", role_data)):
        words |= {str(w).casefold() for w in data.get(key, [])}
    return frozenset(words)


def _opens_role(word: str) -> bool:
    return word.casefold().rstrip(".") in _role_openers()


def _bare_name(body: str, start: int, end: int) -> bool:
    """Whether ``body[start:end]`` is a name alone (1-6 capitalised words, a rank in front
    allowed): the name of "Juru bicara KPK, Ali Fikri, ...", not a clause."""
    text = body[start:end].strip()
    return bool(re.fullmatch(_NAME, text)) and len(text.split()) <= 6


def _role_head(ctx: _Context, comma: int, sent_start: int) -> int | None:
    """Start of a role phrase ending at ``comma`` ("Juru bicara KPK", "pengamat politik dari
    Universitas Indonesia"): its first word a title or role word, else None."""
    body = ctx.body
    clause = max(sent_start, body.rfind(",", sent_start, comma) + 1)
    for head in (_phrase_before(body, comma, sent_start, ctx.cues), clause):
        if head is None or _words(body[head:comma]) > 16:
            continue
        first = _FIRST_WORD.search(body, head, comma)
        if first is not None and _opens_role(first.group()):
            return first.start()
    return None


def _apposition_before(ctx: _Context, verb_start: int, sent_start: int) -> tuple[int, Slot] | None:
    """A speaker phrase spanning the commas of an apposition before a preposed verb: "Juru
    bicara KPK, Ali Fikri, mengatakan" (a role, then the name) or "Abhan, yang juga Ketua
    Bawaslu, mengatakan" (the name, then an aside): (phrase start, the person), else None. A
    list or a clause before the verb ("Di Jakarta, polisi ...") is no apposition."""
    body, who_is = ctx.body, ctx.who_is
    c2 = len(body[:verb_start].rstrip(" \t")) - 1
    if c2 <= sent_start or body[c2] != ",":
        return None
    c1 = body.rfind(",", sent_start, c2)
    if c1 < 0 or _NOT_IN_APPOSITION.search(body, c1, c2) or _words(body[c1:c2]) > 12:
        return None
    first = _FIRST_WORD.search(body, c1, c2)
    if first is None:
        return None
    person = who_is.person(c1 + 1, c2, after_verb=False)
    if person is not None and _bare_name(body, c1 + 1, c2):
        head = _role_head(ctx, c1, sent_start)
        if head is not None:
            return head, person
    opener = first.group().casefold() in ctx.cues.aside_openers
    named = any(c1 < m.start and m.end <= c2 for m in who_is.people)  # a role of someone else's
    if opener or (not named and _opens_role(first.group())):
        name = _phrase_before(body, c1, sent_start, ctx.cues)
        slot = None if name is None else who_is.person(name, c1, after_verb=False)
        return None if slot is None or name is None else (name, slot)
    return None


def _name_after_role(ctx: _Context, role_start: int, comma_end: int) -> tuple[Slot, int] | None:
    """The name after "Menurut <role>," ("Menurut pengamat politik dari Universitas Indonesia,
    Budi Santoso, ..."): (the person, the end of its closing comma), else None."""
    body, who_is = ctx.body, ctx.who_is
    first = _FIRST_WORD.search(body, role_start, comma_end)
    if first is None or not _opens_role(first.group()):
        return None
    if who_is.person(role_start, comma_end, after_verb=True) is not None:
        return None  # the role phrase names its person already ("Menurut Presiden Joko Widodo")
    m = _NAME_THEN_COMMA.match(body, comma_end)
    if m is None or not _bare_name(body, m.start("name"), m.end("name")):
        return None
    slot = who_is.person(m.start("name"), m.end("name"), after_verb=True)
    return None if slot is None else (slot, m.end())


def _comma_at(body: str, at: int) -> bool:
    """Whether a comma (or "!", "?") closes the statement ending at ``at``: '"...," kata' —
    what makes a quoted passage speech when its speaker is not named."""
    i = at - 1
    while i >= 0 and (body[i] in _QUOTE_CHARS or body[i] in " \t"):
        i -= 1
    return (i >= 0 and body[i] in ",!?") or bool(re.match(r"[ \t]*,", body[at:]))


def _sentence_of(bounds: Bounds, pos: int) -> tuple[int, int]:
    for s, e in bounds:
        if s <= pos < e:
            return s, e
    return pos, pos


# -- cues --------------------------------------------------------------------------------------


def _postposed(ctx: _Context, at: int, limit: int) -> _Cue | None:
    """The postposed cue at ``at`` ("kata Obama", "ujarnya"), or None. A cue that names
    nobody counts only after a comma ('"...," kata')."""
    body, who_is = ctx.body, ctx.who_is
    m = ctx.cues.postposed.match(body, at)
    if m is None:
        return None
    if m.group("nya"):
        return _Cue(body[m.start("verb") : m.end()], None, (m.end(), m.end()))
    end = who_is.phrase_end(m.end(), limit)
    slot = who_is.phrase(m.end(), end, after_verb=True)
    if slot.who == NOBODY and not _comma_at(body, at):
        return None
    return _Cue(body[m.start("verb") : max(slot.end, m.end("verb"))], slot, (m.end(), end))


def _postposed_en(ctx: _Context, at: int, limit: int) -> _Cue | None:
    """An English postposed cue at ``at`` ('"..." Obama said', '"...," said Obama'), or None."""
    body, cues, who_is = ctx.body, ctx.cues, ctx.who_is
    en = cues.post_en_before.match(body, at) or cues.post_en_after.match(body, at)
    if en is None:
        return None
    lo, hi = min(en.start("verb"), en.start("who")), max(en.end("verb"), en.end("who"))
    slot = who_is.phrase(en.start("who"), en.end("who"), after_verb=True)
    phrase = (en.start("who"), who_is.phrase_end(en.start("who"), limit))
    return _Cue(body[lo:hi], slot, phrase)


def _quoted(inside: list[_Span], pos: int) -> bool:
    return any(q.open <= pos < q.close for q in inside)


def _preposed(ctx: _Context, s_start: int, s_end: int, inside: list[_Span]) -> _Opening | None:
    """The first preposed cue of the sentence outside quotes whose speaker phrase is found
    ("Obama mengatakan", "Juru bicara KPK, Ali Fikri, mengatakan"), or None."""
    body = ctx.body
    for vm in ctx.cues.preposed.finditer(body, s_start, s_end):
        if _quoted(inside, vm.start()):
            continue
        p = _phrase_before(body, vm.start(), s_start, ctx.cues)
        if p is not None:
            slot = ctx.who_is.phrase(p, vm.start(), after_verb=False)
        else:
            apposed = _apposition_before(ctx, vm.start(), s_start)
            if apposed is None:
                continue
            p, slot = apposed
        return _Opening(_Cue(body[p : vm.end()], slot, (p, vm.start())), vm.end(), p)
    return None


def _according(ctx: _Context, s_start: int, s_end: int, inside: list[_Span]) -> _Opening | None:
    """The first "Menurut <speaker>," ("Menurutnya,", "Menurut <role>, <name>,") of the
    sentence outside quotes, or None."""
    body, who_is = ctx.body, ctx.who_is
    for am in ctx.cues.according.finditer(body, s_start, s_end):
        if _quoted(inside, am.start()):
            continue
        said: Slot | None = None
        phrase = (am.end(), am.end())
        if am.group("nya"):
            cue = body[am.start() : am.end("nya")]
        else:
            if _words(am.group("who")) > 6:
                continue
            said = who_is.phrase(am.start("who"), am.end("who"), after_verb=True)
            cue = body[am.start() : am.end("who")]
            phrase = (am.start("who"), am.end("who"))
        clause = am.end()
        after = None
        if said is not None:
            after = _name_after_role(ctx, am.start("who"), am.end())
        if after is not None:
            said, clause = after
            cue = body[am.start() : said.end]
            phrase = (am.start("who"), said.end)
        return _Opening(_Cue(cue, said, phrase), clause, am.start())
    return None


# -- the passes --------------------------------------------------------------------------------


def _quotes_with_postposed_cue(ctx: _Context) -> None:
    """Pass 1: quoted passages followed by their cue ('"...," kata Obama')."""
    body = ctx.body
    for q in ctx.spans:
        check_deadline()
        limit = _sentence_of(ctx.bounds, q.close)[1] if q.close < len(body) else q.close
        limit = max(limit, min(len(body), q.close + 300))
        cue = _postposed(ctx, q.close, limit)
        if cue is None:
            cue = _postposed_en(ctx, q.close, limit)
        if cue is None:
            continue
        ctx.keep(q.start, q.end, "direct", cue, q.open)
        ctx.done.add(q.open)


def _reported(ctx: _Context, opening: _Opening, s_end: int, inside: list[_Span]) -> None:
    """What an opening cue reports, up to the sentence end ``s_end``: a quoted passage right
    after it (direct), quoted fragments inside the clause (partial), else the clause itself
    (indirect) when no quote of the sentence is taken already."""
    body, cue, anchor = ctx.body, opening.cue, opening.anchor
    aside = ctx.cues.aside.match(body, opening.clause)  # matches always (every part optional)
    c_start = aside.end() if aside is not None else opening.clause
    frags = [q for q in inside if q.open >= c_start - 1 and q.open not in ctx.done]
    if frags and frags[0].open <= _skip_space(body, c_start):
        q = frags[0]
        ctx.keep(q.start, q.end, "direct", cue, anchor)
        ctx.done.add(q.open)
    elif frags:
        for q in frags:
            ctx.keep(q.start, q.end, "partial", cue, anchor)
            ctx.done.add(q.open)
    elif _words(body[c_start:s_end]) >= 3 and not any(q.open in ctx.done for q in inside):
        ctx.keep(c_start, s_end, "indirect", cue, anchor)


def _unquoted_with_postposed_cue(ctx: _Context, s_start: int, s_end: int) -> None:
    """A sentence with no quote marks whose clause ends in a postposed cue ("AS siap ...,
    kata Obama"): the clause before the first comma that a cue naming somebody follows."""
    body = ctx.body
    for pm in _COMMA.finditer(body, s_start, s_end):
        at = pm.start()
        post = _postposed(ctx, at, s_end)
        if post is None or (post.slot is not None and post.slot.who == NOBODY):
            continue
        if _words(body[s_start:at]) >= 3:
            cue = _Cue(post.text.strip(), post.slot, post.phrase)
            ctx.keep(s_start, at, "indirect", cue, s_start)
        break


def _sentences(ctx: _Context) -> None:
    """Pass 2, per sentence: a preposed cue or "menurut" and what it reports; in a sentence
    without either and without quote marks, a clause with a postposed cue."""
    for s_start, s_end in ctx.bounds:
        check_deadline()
        inside = [q for q in ctx.spans if q.open < s_end and q.close > s_start]
        opening = _preposed(ctx, s_start, s_end, inside)
        if opening is None:
            opening = _according(ctx, s_start, s_end, inside)
        if opening is not None:
            _reported(ctx, opening, s_end, inside)
        elif not inside:
            _unquoted_with_postposed_cue(ctx, s_start, s_end)


def _uncued_paragraphs(ctx: _Context) -> None:
    """Pass 3: a long quoted paragraph with no cue: the previous speaker goes on."""
    body = ctx.body
    for q in ctx.spans:
        if q.open in ctx.done or _words(body[q.start : q.end]) < ctx.cues.min_uncued:
            continue
        before = body[: q.open].rstrip(" \t")
        if before and before[-1] not in "\n.!?":
            continue  # inside running text: a long scare quote or title
        ctx.keep(q.start, q.end, "direct", None, q.open)
        ctx.done.add(q.open)


# -- speakers ----------------------------------------------------------------------------------


def _introduced(ctx: _Context, who: Who) -> RoleAndAffiliation:
    """The role and affiliation written at the first mention of ``who`` ("Direktur Utama
    Garuda Indonesia Irfan Setiaputra menjelaskan ..."), for a speaker no cue described."""
    for m in ctx.who_is.people:
        if m.source != "pronoun" and who_of(m) == who:
            s_start, s_end = _sentence_of(ctx.bounds, m.start)
            p = _phrase_before(ctx.body, m.start, s_start, ctx.cues)
            start = m.start if p is None else p
            return ctx.roles.of(start, ctx.who_is.phrase_end(m.end, s_end), m.start, m.end)
    return (None, None)


def _attributed(ctx: _Context) -> list[Quote]:
    """The candidates in body order as quotes, once every named speaker is known: a pronoun,
    "-nya" or no cue takes the salient person, with the role a cue first stated for that
    person (else the words at the person's first mention)."""
    found = sorted(ctx.found, key=lambda c: (c.start, c.end))
    stated: dict[Who, RoleAndAffiliation] = {}
    for c in found:
        if c.who is not None and c.who != NOBODY and c.role != (None, None):
            stated.setdefault(c.who, c.role)
    quotes: list[Quote] = []
    for c in found:
        speaker = c.who if c.who is not None else ctx.who_is.salient(c.anchor)
        role, affiliation = c.role
        if c.who is None and speaker != NOBODY:
            if speaker not in stated:
                stated[speaker] = _introduced(ctx, speaker)
            role, affiliation = stated[speaker]
        quotes.append(
            Quote(
                start=c.start,
                end=c.end,
                text=ctx.body[c.start : c.end],
                kind=c.kind,
                speaker=speaker[0],
                cue=c.cue,
                speaker_id=speaker[1],
                role=role,
                affiliation=affiliation,
            )
        )
    return quotes


def find_quotes(body: str, mentions: list[Mention]) -> list[Quote]:
    """Direct, partial and indirect quotes of ``body`` with their cues and speakers."""
    spans = _quoted_spans(body)
    ctx = _Context(
        body=body,
        cues=_cues(),
        spans=spans,
        bounds=sentence_bounds(body),
        who_is=Speakers(body, mentions, [(q.open, q.close) for q in spans]),
        roles=Roles(body, mentions),
    )
    _quotes_with_postposed_cue(ctx)
    _sentences(ctx)
    _uncued_paragraphs(ctx)
    return _attributed(ctx)


class QuoteStage(Stage):
    name = "nlp.quotes.v1"
    requires = frozenset({"body", "entities"})
    provides = frozenset({"quotes"})

    def process(self, article: Article) -> Article:
        if article.body and for_page(article, self.name, QUOTE_DATA) is not None:
            with page_language(article.language):
                article.quotes = find_quotes(article.body, article.entities)
        return article
