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
from dataclasses import dataclass
from functools import lru_cache

from warta.lang import Reading
from warta.nlp.langdata import QUOTE_DATA, current, for_page, page_language
from warta.nlp.quote_roles import Roles
from warta.nlp.quote_speakers import NOBODY, Slot, Speakers, Who
from warta.nlp.resolve import sentence_bounds
from warta.record import Article, Mention, Quote
from warta.stage import Stage, check_deadline

__all__ = ["QuoteStage", "find_quotes"]

_QUOTE_CHARS = '"“”„«»'
_TRIM = " \t\n,.;:"


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
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


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
        postposed=re.compile(
            rf"[ \t]*,?[ \t]*(?P<verb>(?:{_alt(data.get('postposed', []))}))(?P<nya>nya)?\b"
        ),
        post_en_after=re.compile(
            rf"[ \t]*,?[ \t]*(?P<verb>{_alt(data.get('postposed_en', []))})[ \t]+(?P<who>{speaker})"
        ),
        post_en_before=re.compile(
            rf"[ \t]*,?[ \t]*(?P<who>{speaker})[ \t]+(?P<verb>{_alt(data.get('postposed_en', []))})\b"
        ),
        preposed=re.compile(rf"\b(?P<verb>{_alt(data.get('preposed', []))})\b"),
        according=re.compile(
            rf"\b(?P<verb>{_alt(data.get('according', []))})(?:(?P<nya>nya)|[ \t]+(?P<who>[^,.\n]{{1,60}}?))[ \t]*,",
            re.IGNORECASE,
        ),
        aside=re.compile(
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


_MARK_OR_BREAK = re.compile(rf"[\n{_QUOTE_CHARS}]")


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


_FIRST_WORD = re.compile(r"[\w'’-]+")
_NOT_IN_APPOSITION = re.compile(rf"[.;:!?()\n{_QUOTE_CHARS}]")
_NAME_THEN_COMMA = re.compile(rf"[ \t]*(?P<name>{_NAME})[ \t]*,")


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


def _opens_role(word: str, who_is: Speakers, cues: _Cues) -> bool:
    return word.casefold().rstrip(".") in _role_openers()


def _bare_name(body: str, start: int, end: int) -> bool:
    """Whether ``body[start:end]`` is a name alone (1-6 capitalised words, a rank in front
    allowed): the name of "Juru bicara KPK, Ali Fikri, ...", not a clause."""
    text = body[start:end].strip()
    return bool(re.fullmatch(_NAME, text)) and len(text.split()) <= 6


def _role_head(body: str, comma: int, sent_start: int, cues: _Cues, who_is: Speakers) -> int | None:
    """Start of a role phrase ending at ``comma`` ("Juru bicara KPK", "pengamat politik dari
    Universitas Indonesia"): its first word a title or role word, else None."""
    clause = max(sent_start, body.rfind(",", sent_start, comma) + 1)
    for head in (_phrase_before(body, comma, sent_start, cues), clause):
        if head is None or _words(body[head:comma]) > 16:
            continue
        first = _FIRST_WORD.search(body, head, comma)
        if first is not None and _opens_role(first.group(), who_is, cues):
            return first.start()
    return None


def _apposition_before(
    body: str, verb_start: int, sent_start: int, cues: _Cues, who_is: Speakers
) -> tuple[int, Slot] | None:
    """A speaker phrase spanning the commas of an apposition before a preposed verb: "Juru
    bicara KPK, Ali Fikri, mengatakan" (a role, then the name) or "Abhan, yang juga Ketua
    Bawaslu, mengatakan" (the name, then an aside): (phrase start, the person), else None. A
    list or a clause before the verb ("Di Jakarta, polisi ...") is no apposition."""
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
        head = _role_head(body, c1, sent_start, cues, who_is)
        if head is not None:
            return head, person
    opener = first.group().casefold() in cues.aside_openers
    named = any(c1 < m.start and m.end <= c2 for m in who_is.people)  # a role of someone else's
    if opener or (not named and _opens_role(first.group(), who_is, cues)):
        name = _phrase_before(body, c1, sent_start, cues)
        slot = None if name is None else who_is.person(name, c1, after_verb=False)
        return None if slot is None or name is None else (name, slot)
    return None


def _name_after_role(
    body: str, role_start: int, comma_end: int, cues: _Cues, who_is: Speakers
) -> tuple[Slot, int] | None:
    """The name after "Menurut <role>," ("Menurut pengamat politik dari Universitas Indonesia,
    Budi Santoso, ..."): (the person, the end of its closing comma), else None."""
    first = _FIRST_WORD.search(body, role_start, comma_end)
    if first is None or not _opens_role(first.group(), who_is, cues):
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


Bounds = tuple[tuple[int, int], ...]


def _sentence_of(bounds: Bounds, pos: int) -> tuple[int, int]:
    for s, e in bounds:
        if s <= pos < e:
            return s, e
    return pos, pos


def _introduced(
    body: str, who: Who, who_is: Speakers, roles: Roles, bounds: Bounds, cues: _Cues
) -> tuple[str | None, str | None]:
    """The role and affiliation written at the first mention of ``who`` ("Direktur Utama
    Garuda Indonesia Irfan Setiaputra menjelaskan ..."), for a speaker no cue described."""
    for m in who_is.people:
        if m.source != "pronoun" and (m.canonical or m.text, m.entity_id) == who:
            s_start, s_end = _sentence_of(bounds, m.start)
            p = _phrase_before(body, m.start, s_start, cues)
            start = m.start if p is None else p
            return roles.of(start, who_is.phrase_end(m.end, s_end), m.start, m.end)
    return (None, None)


def find_quotes(body: str, mentions: list[Mention]) -> list[Quote]:
    """Direct, partial and indirect quotes of ``body`` with their cues and speakers."""
    cues = _cues()
    spans = _quoted_spans(body)
    bounds = sentence_bounds(body)
    who_is = Speakers(body, mentions, [(q.open, q.close) for q in spans])
    roles = Roles(body, mentions)
    out: list[tuple[int, int, str, str | None, Who | None, int, tuple[str | None, str | None]]]
    out = []
    done: set[int] = set()  # quoted spans already used (by their opening mark)

    def add(
        s: int,
        e: int,
        kind: str,
        cue: str | None,
        who: Slot | None,
        anchor: int,
        phrase: tuple[int, int] | None = None,
    ) -> None:
        """Keep a statement; its speaker is ``who``'s, or (a pronoun, "-nya", no cue) the
        person salient at ``anchor``, found once every named speaker is known. The speaker's
        role and affiliation come from the speaker ``phrase`` (where the cue names someone)."""
        while s < e and body[s] in _TRIM:
            s += 1
        while e > s and body[e - 1] in _TRIM:
            e -= 1
        if e > s:
            role: tuple[str | None, str | None] = (None, None)
            if who is not None and who.who is not None:
                who_is.heard(who.start, who.who)
                if phrase is not None and who.who != NOBODY:
                    role = roles.of(phrase[0], phrase[1], who.start, who.end)
            out.append((s, e, kind, cue, who.who if who else None, anchor, role))

    def postposed(at: int, limit: int) -> tuple[str, Slot | None, tuple[int, int]] | None:
        """The postposed cue at ``at`` ("kata Obama", "ujarnya"): (cue, speaker), or None."""
        m = cues.postposed.match(body, at)
        if m is None:
            return None
        if m.group("nya"):
            return body[m.start("verb") : m.end()], None, (m.end(), m.end())
        end = who_is.phrase_end(m.end(), limit)
        slot = who_is.phrase(m.end(), end, after_verb=True)
        if slot.who == NOBODY and not _comma_at(body, at):
            return None
        return body[m.start("verb") : max(slot.end, m.end("verb"))], slot, (m.end(), end)

    # 1. quoted passages with a postposed cue
    for q in spans:
        check_deadline()
        limit = _sentence_of(bounds, q.close)[1] if q.close < len(body) else q.close
        limit = max(limit, min(len(body), q.close + 300))
        found = postposed(q.close, limit)
        en = cues.post_en_before.match(body, q.close) or cues.post_en_after.match(body, q.close)
        if found is not None:
            add(q.start, q.end, "direct", found[0], found[1], q.open, found[2])
        elif en:
            lo, hi = min(en.start("verb"), en.start("who")), max(en.end("verb"), en.end("who"))
            slot = who_is.phrase(en.start("who"), en.end("who"), after_verb=True)
            phrase = (en.start("who"), who_is.phrase_end(en.start("who"), limit))
            add(q.start, q.end, "direct", body[lo:hi], slot, q.open, phrase)
        else:
            continue
        done.add(q.open)

    # 2. preposed cues, "menurut", and postposed cues of unquoted clauses, per sentence
    for s_start, s_end in bounds:
        check_deadline()
        inside = [q for q in spans if q.open < s_end and q.close > s_start]

        def quoted(pos: int) -> bool:
            return any(q.open <= pos < q.close for q in inside)  # noqa: B023

        found_at: tuple[int, int, str, Slot | None, int, tuple[int, int]] | None = None
        for vm in cues.preposed.finditer(body, s_start, s_end):
            if quoted(vm.start()):
                continue
            p = _phrase_before(body, vm.start(), s_start, cues)
            if p is not None:
                slot = who_is.phrase(p, vm.start(), after_verb=False)
            else:
                apposed = _apposition_before(body, vm.start(), s_start, cues, who_is)
                if apposed is None:
                    continue
                p, slot = apposed
            found_at = (vm.end(), s_end, body[p : vm.end()], slot, p, (p, vm.start()))
            break
        if found_at is None:
            for am in cues.according.finditer(body, s_start, s_end):
                if quoted(am.start()):
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
                    after = _name_after_role(body, am.start("who"), am.end(), cues, who_is)
                if after is not None:
                    said, clause = after
                    cue = body[am.start() : said.end]
                    phrase = (am.start("who"), said.end)
                found_at = (clause, s_end, cue, said, am.start(), phrase)
                break
        if found_at is not None:
            c_start, c_end, cue, who, anchor, phrase = found_at
            c_start = cues.aside.match(body, c_start).end()  # type: ignore[union-attr]
            frags = [q for q in inside if q.open >= c_start - 1 and q.open not in done]
            if frags and frags[0].open <= _skip_space(body, c_start):
                q = frags[0]
                add(q.start, q.end, "direct", cue, who, anchor, phrase)
                done.add(q.open)
            elif frags:
                for q in frags:
                    add(q.start, q.end, "partial", cue, who, anchor, phrase)
                    done.add(q.open)
            elif _words(body[c_start:c_end]) >= 3 and not any(q.open in done for q in inside):
                add(c_start, c_end, "indirect", cue, who, anchor, phrase)
            continue
        if inside:
            continue
        for pm in re.finditer(r",", body[s_start:s_end]):
            at = s_start + pm.start()
            post = postposed(at, s_end)
            if post is None or (post[1] is not None and post[1].who == NOBODY):
                continue
            if _words(body[s_start:at]) >= 3:
                add(s_start, at, "indirect", post[0].strip(), post[1], s_start, post[2])
            break

    # 3. long quoted paragraphs with no cue: the previous speaker goes on
    for q in spans:
        if q.open in done or _words(body[q.start : q.end]) < cues.min_uncued:
            continue
        before = body[: q.open].rstrip(" \t")
        if before and before[-1] not in "\n.!?":
            continue  # inside running text: a long scare quote or title
        add(q.start, q.end, "direct", None, None, q.open)
        done.add(q.open)

    out.sort(key=lambda x: (x[0], x[1]))
    # a speaker's role as a cue first stated it, for the quotes that name it by "-nya" or "dia"
    stated: dict[Who, tuple[str | None, str | None]] = {}
    for *_, named, _, role_found in out:
        if named is not None and named != NOBODY and role_found != (None, None):
            stated.setdefault(named, role_found)
    quotes: list[Quote] = []
    for start, end, kind, cue_text, named, at, (role, affiliation) in out:
        speaker = named if named is not None else who_is.salient(at)
        if named is None and speaker != NOBODY:
            if speaker not in stated:
                stated[speaker] = _introduced(body, speaker, who_is, roles, bounds, cues)
            role, affiliation = stated[speaker]
        quotes.append(
            Quote(
                start,
                end,
                body[start:end],
                kind,
                speaker[0],
                cue_text,
                speaker[1],
                role,
                affiliation,
            )
        )
    return quotes


class QuoteStage(Stage):
    name = "nlp.quotes.v1"
    requires = frozenset({"body", "entities"})
    provides = frozenset({"quotes"})

    def process(self, article: Article) -> Article:
        if article.body and for_page(article, self.name, QUOTE_DATA) is not None:
            with page_language(article.language):
                article.quotes = find_quotes(article.body, article.entities)
        return article
