"""Stage ``nlp.quotes.v1``: who said what — direct, partial and indirect quotes with speakers.

:func:`find_quotes` works on the body and the entity stage's mentions, with the cue words of
``lang/id/quote_cues.toml``:

* **direct**: a quoted passage ('"...," kata Obama'; a quote may go on over a paragraph break
  when the next paragraph opens with a quote mark) with a postposed cue ("kata Obama",
  "ujarnya", '"..." Obama said', "said Obama") or a preposed one ('Obama mengatakan, "..."');
  a long quoted paragraph with no cue of its own (at least ``min_uncued_words`` words) goes on
  the previous speaker's account;
* **partial**: a quoted fragment inside a reported clause ('Obama mengatakan, Rusia menjadi
  "mitra ..."'): the fragment is the text;
* **indirect**: the reported clause of a preposed cue ("Obama mengatakan, AS siap ...",
  "Menurut Obama, ...", "dia mengatakan ...") up to the sentence end, or before a postposed
  cue with no quote marks ("AS siap ..., kata Obama").

Short quoted phrases without a cue are scare quotes and are not quotes. The speaker is the
mention overlapping the cue's speaker phrase (a PERSON first; a speaking pronoun is already a
mention resolved to its person); with no mention the phrase itself ("Kapolri") is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from warta.lang import load_toml
from warta.nlp.resolve import resolve_pronoun, sentence_bounds
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
    min_uncued: int


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_WORD_IN_NAME = r"[A-Z](?:[\w'’-]|\.(?=\w))*"
_NAME = rf"{_WORD_IN_NAME}(?:[ \t]+(?:{_WORD_IN_NAME}|bin|binti|van|de|al)\b)*"


@lru_cache(maxsize=1)
def _cues() -> _Cues:
    data = load_toml("id", "quote_cues")
    pron = [str(p) for p in data.get("pronouns", [])]
    speaker = rf"(?:{_NAME}|{_alt(pron)})"
    comp = _alt([str(w) for w in data.get("complementisers", [])])
    days = _alt([str(w) for w in data.get("days", [])])
    return _Cues(
        postposed=re.compile(
            rf"[ \t]*,?[ \t]*(?P<verb>(?:{_alt(data.get('postposed', []))}))(?P<nya>nya)?\b"
            rf"(?:[ \t]+(?P<who>{speaker}))?"
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
        min_uncued=int(data.get("min_uncued_words", 8)),
    )


@dataclass(frozen=True, slots=True)
class _Span:
    open: int  # the opening quote mark
    close: int  # just after the closing quote mark
    start: int  # the quoted text (quote marks and edge punctuation trimmed)
    end: int


def _quoted_spans(body: str) -> list[_Span]:
    """Quoted passages: any double quote mark toggles (news text often opens with ``”``); an
    open quote reaching a paragraph break goes on only if the next paragraph opens with one."""
    spans: list[_Span] = []
    opened: int | None = None
    i = 0
    n = len(body)
    while i < n:
        ch = body[i]
        if ch == "\n" and opened is not None and "\n" in body[i + 1 : _skip_space(body, i + 1)]:
            j = _skip_space(body, i)
            if j < n and body[j] in _QUOTE_CHARS:
                i = j + 1
                continue
            opened = None
        elif ch in _QUOTE_CHARS:
            if opened is None or ch == "“":
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
        i += 1
    return spans


def _skip_space(body: str, i: int) -> int:
    while i < len(body) and body[i].isspace():
        i += 1
    return i


def _speaker(
    body: str, start: int, end: int, mentions: list[Mention]
) -> tuple[str | None, str | None]:
    """(speaker, speaker_id) of ``body[start:end]``: the overlapping mention, a PERSON first."""
    over = [m for m in mentions if m.start < end and m.end > start]
    over.sort(key=lambda m: (m.type != "PERSON", m.source == "pronoun", m.start))
    if over:
        m = over[0]
        return (m.canonical or m.text), m.entity_id
    text = body[start:end].strip()
    return (text or None), None


def _nya_speaker(body: str, pos: int, mentions: list[Mention]) -> tuple[str | None, str | None]:
    m = resolve_pronoun(body, pos, mentions)
    if m is None:
        return None, None
    return (m.canonical or m.text), m.entity_id


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


def _sentence_of(bounds: tuple[tuple[int, int], ...], pos: int) -> tuple[int, int]:
    for s, e in bounds:
        if s <= pos < e:
            return s, e
    return pos, pos


def find_quotes(body: str, mentions: list[Mention]) -> list[Quote]:
    """Direct, partial and indirect quotes of ``body`` with their cues and speakers."""
    cues = _cues()
    spans = _quoted_spans(body)
    bounds = sentence_bounds(body)
    out: list[Quote] = []
    done: set[int] = set()  # quoted spans already used (by their opening mark)

    def add(s: int, e: int, kind: str, cue: str | None, who: tuple[str | None, str | None]) -> None:
        while s < e and body[s] in _TRIM:
            s += 1
        while e > s and body[e - 1] in _TRIM:
            e -= 1
        if e > s:
            out.append(Quote(s, e, body[s:e], kind, who[0], cue, who[1]))

    # 1. quoted passages with a postposed cue
    for q in spans:
        check_deadline()
        m = cues.postposed.match(body, q.close)
        en = cues.post_en_before.match(body, q.close) or cues.post_en_after.match(body, q.close)
        if m and m.group("nya"):
            add(
                q.start,
                q.end,
                "direct",
                body[m.start("verb") : m.end()].strip(),
                _nya_speaker(body, m.start("nya"), mentions),
            )
        elif m and m.group("who"):
            add(
                q.start,
                q.end,
                "direct",
                body[m.start("verb") : m.end("who")],
                _speaker(body, m.start("who"), m.end("who"), mentions),
            )
        elif en:
            lo, hi = min(en.start("verb"), en.start("who")), max(en.end("verb"), en.end("who"))
            add(
                q.start,
                q.end,
                "direct",
                body[lo:hi],
                _speaker(body, en.start("who"), en.end("who"), mentions),
            )
        else:
            continue
        done.add(q.open)

    # 2. preposed cues, "menurut", and postposed cues of unquoted clauses, per sentence
    for s_start, s_end in bounds:
        check_deadline()
        inside = [q for q in spans if q.open < s_end and q.close > s_start]

        def quoted(pos: int) -> bool:
            return any(q.open <= pos < q.close for q in inside)  # noqa: B023

        found: tuple[int, int, str, tuple[str | None, str | None]] | None = None
        for vm in cues.preposed.finditer(body, s_start, s_end):
            if quoted(vm.start()):
                continue
            p = _phrase_before(body, vm.start(), s_start, cues)
            if p is None:
                continue
            who = _speaker(body, p, vm.start(), mentions)
            found = (vm.end(), s_end, body[p : vm.end()], who)
            break
        if found is None:
            for am in cues.according.finditer(body, s_start, s_end):
                if quoted(am.start()):
                    continue
                if am.group("nya"):
                    who = _nya_speaker(body, am.start("nya"), mentions)
                    cue = body[am.start() : am.end("nya")]
                else:
                    if _words(am.group("who")) > 6:
                        continue
                    who = _speaker(body, am.start("who"), am.end("who"), mentions)
                    cue = body[am.start() : am.end("who")]
                found = (am.end(), s_end, cue, who)
                break
        if found is not None:
            c_start, c_end, cue, who = found
            c_start = cues.aside.match(body, c_start).end()  # type: ignore[union-attr]
            frags = [q for q in inside if q.open >= c_start - 1 and q.open not in done]
            if frags and frags[0].open <= _skip_space(body, c_start):
                q = frags[0]
                add(q.start, q.end, "direct", cue, who)
                done.add(q.open)
            elif frags:
                for q in frags:
                    add(q.start, q.end, "partial", cue, who)
                    done.add(q.open)
            elif _words(body[c_start:c_end]) >= 3 and not any(q.open in done for q in inside):
                add(c_start, c_end, "indirect", cue, who)
            continue
        if inside:
            continue
        for pm in re.finditer(r",", body[s_start:s_end]):
            at = s_start + pm.start()
            m = cues.postposed.match(body, at)
            if m is None or not (m.group("nya") or m.group("who")):
                continue
            if m.group("nya"):
                who = _nya_speaker(body, m.start("nya"), mentions)
                cue = body[m.start("verb") : m.end()]
            else:
                who = _speaker(body, m.start("who"), m.end("who"), mentions)
                cue = body[m.start("verb") : m.end("who")]
            if _words(body[s_start:at]) >= 3:
                add(s_start, at, "indirect", cue.strip(), who)
            break

    # 3. long quoted paragraphs with no cue: the previous speaker goes on
    for q in spans:
        if q.open in done or _words(body[q.start : q.end]) < cues.min_uncued:
            continue
        before = body[: q.open].rstrip(" \t")
        if before and before[-1] not in "\n.!?":
            continue  # inside running text: a long scare quote or title
        prev = [x for x in out if x.start < q.open and x.speaker]
        if prev:
            last = max(prev, key=lambda x: x.start)
            add(q.start, q.end, "direct", None, (last.speaker, last.speaker_id))
        else:
            add(q.start, q.end, "direct", None, (None, None))
        done.add(q.open)

    out.sort(key=lambda x: (x.start, x.end))
    return _continue_speakers(out)


#: How far back (characters) a "-nya" cue ("ujarnya") looks for the speaker of the last quote.
_CONTINUITY = 1200


def _continue_speakers(quotes: list[Quote]) -> list[Quote]:
    """A "-nya" cue ("ujarnya", "tegasnya") continues the last named speaker: news reports a
    run of quotes from one person and names them once. Only when that speaker's quote is
    close; otherwise the pronoun's own resolution stands."""
    out: list[Quote] = []
    last: Quote | None = None
    for q in quotes:
        named = q.cue is not None and not q.cue.rstrip(" ,").lower().endswith("nya")
        if (
            not named
            and q.cue is not None
            and last is not None
            and q.start - last.end <= _CONTINUITY
        ):
            q = Quote(q.start, q.end, q.text, q.kind, last.speaker, q.cue, last.speaker_id)
        if named and q.speaker:
            last = q
        out.append(q)
    return out


class QuoteStage(Stage):
    name = "nlp.quotes.v1"
    requires = frozenset({"body", "entities"})
    provides = frozenset({"quotes"})

    def process(self, article: Article) -> Article:
        if article.body:
            article.quotes = find_quotes(article.body, article.entities)
        return article
