"""Stage ``nlp.entities.v1``: who and where — mentions of people, organisations and places,
linked to canonical entities and resolved within the document.

Steps, per article: sentences and tokens; the NER model per sentence; known names from the
gazetteer the model missed; nested mentions dropped ("Irak" inside "Negara Islam Irak dan
Suriah"); linking and in-document resolution ("Obama" -> Barack Obama); later lower-case or
bare repeats of a resolved person's name ("putin" in a crosshead); and a pronoun that is the
subject of a speech verb ("Namun, dia mengatakan ...") resolved to its person, because quotes
and events need a speaker.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from warta.core import diskcache
from warta.core.record import Article, Mention
from warta.core.stage import Stage, check_deadline
from warta.lang import Reading, reading
from warta.nlp.langdata import for_page
from warta.nlp.linking import Linker, normalise
from warta.nlp.ner import (
    NerTagger,
    archive_sha256,
    default_model_path,
    entity_spans,
    model_path,
)
from warta.nlp.resolve import resolve_mentions, resolve_pronoun
from warta.nlp.sentences import split_sentences
from warta.nlp.tokens import Token, tokenize

_WORD_KINDS = frozenset({"word", "abbrev"})
#: What a language must have for the stage to read its pages: the ``[entities]`` table of its
#: ``language.toml`` (the NER model's file name).
_NEEDS = "entities"


@dataclass(frozen=True, slots=True)
class _Tools:
    """What the stage reads for one page: its language's data, tagger and linker."""

    data: Reading
    tagger: NerTagger
    linker: Linker
    model_version: str  # "name:sha256[:12]" of the model file, recorded on the page


@cache
def _model_version(path: Path) -> str:
    # once per path and process, as NerTagger.load reads each model once
    return f"{path.stem}:{archive_sha256(path)[:12]}"


@lru_cache(maxsize=8)
def _tools(data: Reading) -> _Tools:
    """The tagger (the model named in the ``[entities]`` table) and the linker for ``data``."""
    model = data.settings().get("model")
    path = model_path(str(model)) if model else default_model_path()
    return _Tools(data, NerTagger.load(path), Linker.load(data.page), _model_version(path))


@lru_cache(maxsize=8)
def _say_verbs(data: Reading) -> frozenset[str]:
    return data.own_words("say_verbs")


@lru_cache(maxsize=8)
def _speaking_pronouns(data: Reading) -> frozenset[str]:
    """Pronouns resolved to their person when a speech verb follows ("dia mengatakan")."""
    return data.words("speaking_pronouns")


@lru_cache(maxsize=8)
def _ner_pronouns(data: Reading) -> frozenset[str]:
    """Personal pronouns: never a named PERSON, whatever the tagger says ("Ia", "Saya")."""
    return data.words("ner_pronouns")


@lru_cache(maxsize=8)
def _title_starts(data: Reading) -> frozenset[str]:
    """First words of the language's own titles (not those of its ``also`` languages:
    "Justice", "General" and "Manager" are inside many English names of Indonesian bodies)."""
    return frozenset(normalise(t).split(" ", 1)[0] for t in data.own_words("honorifics"))


@lru_cache(maxsize=8)
def _generic_words(data: Reading) -> frozenset[str]:
    """Heads of place and organisation names ("Jalan", "RSUD", "Kantor", "Polda"): a title
    right after one names a place or body after a person or office ("Jalan Sultan
    Hasanuddin", "RSUD dr Soetomo", "Kantor Gubernur"), not a titled person."""
    return data.own_words("ner_place_cues") | data.own_words("ner_org_heads")


@lru_cache(maxsize=8)
def _possessives(data: Reading) -> tuple[str, ...]:
    """Possessive endings that are no part of a name ("Anwar Ibrahim’s" is Anwar Ibrahim):
    ``possessives`` of the ``[entities]`` table, longest first."""
    ends = data.settings().get("possessives", [])
    return tuple(sorted((str(e) for e in ends), key=len, reverse=True))


def _without_possessive(
    mentions: list[Mention], ends: tuple[str, ...], linker: Linker
) -> list[Mention]:
    """Mentions with a possessive ending cut off; a possessive inside a mention ends a name
    ("Indonesia’s President Joko Widodo": the place, then the person), the name before it
    kept where the gazetteer knows it."""
    if not ends:
        return mentions
    index, _ = _gazetteer_index(linker)
    out = []
    for m in mentions:
        words = list(_POSSESSOR.finditer(m.text))
        for w in words[:-1]:
            end = next((e for e in ends if w.group().endswith(e)), None)
            if end is None or len(w.group()) <= len(end):
                continue
            left = m.text[: w.end() - len(end)]
            known = index.get(_key(left))
            if known is not None:
                out.append(Mention(m.start, m.start + len(left), left, known[0], source=m.source))
            right_at = words[words.index(w) + 1].start()
            m = Mention(m.start + right_at, m.end, m.text[right_at:], m.type, source=m.source)
            break
        end = next((e for e in ends if m.text.endswith(e) and len(m.text) > len(e) + 1), None)
        if end is not None:
            cut = len(m.text) - len(end)
            m = Mention(m.start, m.start + cut, m.text[:cut], m.type, source=m.source)
        out.append(m)
    return out


_POSSESSOR = diskcache.compile(r"\S+")


def _without_lower_tail(m: Mention) -> Mention:
    """A tagger mention without the lower-case words and marks it ran on into ("Kwasi
    Kwarteng as", "Chris Bowen will", "Lindi town"): in languages that capitalise every
    word of a name (``trim_lower_tail`` of the ``[entities]`` table), a name ends in a
    capitalised word."""
    if m.source != "ner" or not m.text[:1].isupper():
        return m  # a mention in a lower-case text has no capitalised word to end at
    words = list(_POSSESSOR.finditer(m.text))
    keep = len(words)
    while keep > 1 and _not_in_name(words[keep - 1].group()):
        keep -= 1
    if keep == len(words):
        return m
    cut = words[keep - 1].end()
    while cut > 1 and m.text[cut - 1] in ",;:":
        cut -= 1
    return Mention(m.start, m.start + cut, m.text[:cut], m.type, source=m.source)


def _not_in_name(word: str) -> bool:
    """Not a capitalised word or a number ("Launch Pad 39A"): a lower-case word ("as",
    "town"), a mark ("-"), a word of an uncased script after the name ("Jhongye Island,
    中業島")."""
    return not (word[:1].isupper() or word[:1].isdigit())


def _drop_nested(mentions: list[Mention]) -> list[Mention]:
    """Keep the longest of overlapping mentions (a place inside an organisation's name)."""
    kept: list[Mention] = []
    for m in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start))):
        if kept and m.start < kept[-1].end:
            continue
        kept.append(m)
    return kept


def _within(tokens: list[Token], starts: list[int], start: int, end: int) -> list[Token]:
    """The tokens of ``body[start:end]`` (the body is tokenised once per article)."""
    lo = bisect_left(starts, start)
    hi = bisect_left(starts, end, lo)
    return [t for t in tokens[lo:hi] if t.end <= end]


def _ner_mentions(
    body: str, tagger: NerTagger, tokens: list[Token], starts: list[int]
) -> list[Mention]:
    out: list[Mention] = []
    sentences: list[list[Token]] = []
    for sentence in split_sentences(body):
        check_deadline()
        sent_tokens = _within(tokens, starts, sentence.start, sentence.end)
        if sent_tokens:
            sentences.append(sent_tokens)
    texts = [[t.text for t in sent_tokens] for sent_tokens in sentences]
    check_deadline()
    for sent_tokens, words, tags in zip(sentences, texts, tagger.tag_many(texts), strict=True):
        for first, last, kind in entity_spans(words, tags):
            start, end = sent_tokens[first].start, sent_tokens[last - 1].end
            out.append(Mention(start, end, body[start:end], kind, source="ner"))
    return out


def _person_parts(mentions: list[Mention]) -> dict[str, Mention]:
    """Name part (4+ letters, case-folded) of a resolved person's canonical name -> the
    earliest PERSON mention of that person."""
    names: dict[str, Mention] = {}
    for m in sorted(mentions, key=lambda m: m.start):
        if m.type == "PERSON" and m.canonical and m.source != "pronoun":
            for part in m.canonical.split():
                if len(part) >= 4:
                    names.setdefault(part.casefold(), m)
    return names


def _name_like(
    parts: dict[str, Mention], body: str, tokens: list[Token], linker: Linker
) -> set[str]:
    """The parts that are names: those of a gazetteer person ("Putin"), and those the body
    writes capitalised more often than in lower case (every part when the whole body is lower
    case), not "pandemi" that the tagger once took for a name at a sentence start."""
    if body.islower():
        return set(parts)
    known = {p for p, m in parts.items() if m.entity_id and linker.get(m.entity_id)}
    upper: dict[str, int] = {}
    lower: dict[str, int] = {}
    for t in tokens:
        if t.kind in _WORD_KINDS:
            low = t.text.casefold()
            if low in parts and low not in known:
                tally = upper if t.text[:1].isupper() else lower
                tally[low] = tally.get(low, 0) + 1
    return known | {p for p, n in upper.items() if n > lower.get(p, 0)}


def _repeats(
    body: str, tokens: list[Token], mentions: list[Mention], names: dict[str, Mention]
) -> list[Mention]:
    """Bare repeats, not yet found, of a resolved person's name parts (``names``: those of
    :func:`_person_parts` that are :func:`_name_like`), lower-case ones too ("putin" in a
    crosshead)."""
    spans = sorted((m.start, m.end) for m in mentions)
    starts = [a for a, _ in spans]
    reach: list[int] = []  # the furthest end among spans starting at or before each one
    for _, b in spans:
        reach.append(max(b, reach[-1]) if reach else b)
    extra: list[Mention] = []
    for t in tokens:
        owner = names.get(t.text.casefold()) if t.kind in _WORD_KINDS else None
        if owner is None:
            continue
        k = bisect_right(starts, t.start) - 1
        if k >= 0 and reach[k] > t.start:
            continue  # already inside a mention (a binary search, not a scan: long texts)
        extra.append(
            Mention(t.start, t.end, t.text, "PERSON", owner.entity_id, owner.canonical, "resolved")
        )
    return extra


_CLAUSE_END = diskcache.compile(r"[.!?;:()\"“”\n]")


def _presented_as_person(body: str, m: Mention, linker: Linker, say_verbs: frozenset[str]) -> bool:
    """Whether the words around a mention present it as a person: a title right before it
    ("Menteri Keuangan", "pelatih"), or a speech verb right before or after it ("kata X",
    "X mengatakan"); only within its clause."""
    before = _CLAUSE_END.split(body[max(0, m.start - 60) : m.start])[-1].split()
    after = _CLAUSE_END.split(body[m.end : m.end + 30])[0].split()
    if before and before[-1].strip(",").casefold() in say_verbs:
        return True
    if after and after[0].strip(",").casefold() in say_verbs:
        return True
    return any(linker.is_title(" ".join(before[-k:])) for k in range(1, min(4, len(before)) + 1))


def _speakers(
    body: str, tokens: list[Token], mentions: list[Mention], data: Reading
) -> list[Mention]:
    """A pronoun that is the subject of a speech verb, resolved to its person."""
    verbs = _say_verbs(data)
    pronouns = _speaking_pronouns(data)
    out: list[Mention] = []
    words = [t for t in tokens if t.kind in _WORD_KINDS]
    for i, t in enumerate(words[:-1]):
        if t.text.casefold() in pronouns and words[i + 1].text.casefold() in verbs:
            person = resolve_pronoun(body, t.start, mentions, data.page)
            if person is not None:
                out.append(person)
    return out


class EntityStage(Stage):
    name = "nlp.entities.v1"
    requires = frozenset({"body"})
    provides = frozenset({"entities"})
    #: the version of the model pages of no known language read (set in setup)
    default_version: str | None = None

    def setup(self) -> None:
        self.tagger = NerTagger.load()
        self.linker = Linker.load()
        self.default_version = _model_version(default_model_path())
        self.model_version = self.default_version

    def preload(self) -> None:
        """The models, and the default model's numpy tagger a long run switches to."""
        self.setup()
        self.tagger.preload_fast()

    def process(self, article: Article) -> Article:
        body = article.body
        self.model_version = self.default_version  # the page's own model, once known
        if not body:
            return article
        data = for_page(article, self.name, _NEEDS)
        if data is None:
            return article
        tools = _tools(data)
        self.model_version = tools.model_version
        article.entities = self._mentions(body, tools)
        return article

    def _mentions(self, body: str, tools: _Tools) -> list[Mention]:
        tokens = tokenize(body)
        starts = [t.start for t in tokens]
        ner = [
            m
            for raw in _ner_mentions(body, tools.tagger, tokens, starts)
            for m in self._repair(body, raw, _within(tokens, starts, raw.start, raw.end), tools)
        ]
        known = self._known(body, tokens, tools.linker, _possessives(tools.data))
        mentions = _drop_nested(ner + known)
        if tools.data.settings().get("trim_lower_tail"):
            mentions = [_without_lower_tail(m) for m in mentions]
        mentions = _without_possessive(mentions, _possessives(tools.data), tools.linker)
        mentions = self._retype_full_names(body, mentions, tools)
        mentions = resolve_mentions(mentions, body, tools.linker)
        names = _person_parts(mentions)
        if names:
            like = _name_like(names, body, tokens, tools.linker)  # once, not once per name
            names = {p: m for p, m in names.items() if p in like}
        if names:
            mentions = self._retype_name_words(mentions, names, tools)
            mentions += _repeats(body, tokens, mentions, names)
        mentions += _speakers(body, tokens, mentions, tools.data)
        return sorted(mentions, key=lambda m: (m.start, m.end))

    def _repair(
        self, body: str, m: Mention, span_tokens: list[Token], tools: _Tools | None = None
    ) -> list[Mention]:
        """Mend a tagger span with what the gazetteer knows: lower-case words at its front are
        dropped ("de fakto ISIS" -> "ISIS"); a span that is exactly a known name takes that
        name's type ("Rusia" tagged PERSON is the place); a span made of two known names is
        split ("Suriah Bashar Assad" -> Suriah + Bashar Assad)."""
        tools = tools or _tools(reading(None, _NEEDS))
        index, _ = _gazetteer_index(tools.linker)
        pronouns = _ner_pronouns(tools.data)
        words = [t for t in span_tokens if t.kind in _WORD_KINDS]
        while words and (not words[0].text[:1].isupper() or words[0].text.casefold() in pronouns):
            words.pop(0)
        if not words:
            return []
        start = words[0].start
        text = body[start : m.end]
        known = index.get(_key(text))
        if known is not None:
            return [Mention(start, m.end, text, known[0], source="ner")]
        for k in range(1, len(words)):
            left_end = words[k - 1].end
            right_start = words[k].start
            left, right = body[start:left_end], body[right_start : m.end]
            left_known = index.get(_key(left))
            right_link = tools.linker.link(right)
            if left_known is not None and right_link is not None:
                return [
                    Mention(start, left_end, left, left_known[0], source="ner"),
                    Mention(right_start, m.end, right, right_link.type, source="ner"),
                ]
        if m.type != "PERSON" and len(words) > 2:
            titled = self._split_at_title(body, m, words, tools)
            if titled:
                return titled
        return [Mention(start, m.end, text, m.type, source="ner")]

    def _split_at_title(
        self, body: str, m: Mention, words: list[Token], tools: _Tools
    ) -> list[Mention]:
        """A place or organisation span that runs on into a titled name ("Sultra Komisaris
        Besar Ferry Walintukan", "Kendari dr Algazali") split before the title: the front
        keeps its type, the title with the name is a PERSON. Not where the title follows a
        place or body head ("Jalan Sultan Hasanuddin", "RSUD Dr Soetomo"), where the front
        is no name of its own, or where what follows the title is no name (capitalised
        words, no head among them, not a known place or body: "Kantor Gubernur Maluku")."""
        linker = tools.linker
        index, _ = _gazetteer_index(linker)
        starts = _title_starts(tools.data)
        generic = _generic_words(tools.data)
        start = words[0].start
        for k in range(1, len(words) - 1):
            first = normalise(words[k].text).split(" ", 1)[0]
            if first not in starts or words[k - 1].text.casefold() in generic:
                continue
            n = linker.leading_titles([w.text for w in words[k:]])
            name = words[k + n :] if n else []
            if not name or any(
                not w.text[:1].isupper() or w.text.casefold() in generic for w in name
            ):
                continue
            left = body[start : words[k - 1].end]
            right = body[words[k].start : m.end]
            named = index.get(_key(linker.core(right)))
            if (
                linker.is_title(left)
                or linker.is_title(right)
                or (named is not None and named[0] != "PERSON")
            ):
                continue
            left_known = index.get(_key(left))
            return [
                Mention(
                    start,
                    words[k - 1].end,
                    left,
                    left_known[0] if left_known else m.type,
                    source="ner",
                ),
                Mention(words[k].start, m.end, right, "PERSON", source="ner"),
            ]
        return []

    def _retype_name_words(
        self, mentions: list[Mention], names: dict[str, Mention], tools: _Tools | None = None
    ) -> list[Mention]:
        """A single capitalised word typed place or organisation that is a name part of an
        earlier PERSON of the document, its first or last name ("Ngajib" after "Mokhamad
        Ngajib"), is that person, unless the gazetteer knows the word as a place or body or
        the person's name holds a place or body head ("Polres Yahukimo" tagged PERSON)."""
        tools = tools or _tools(reading(None, _NEEDS))
        index, _ = _gazetteer_index(tools.linker)
        out: list[Mention] = []
        generic = _generic_words(tools.data)
        for m in mentions:
            owner = names.get(m.text.casefold()) if m.type != "PERSON" else None
            parts = owner.canonical.casefold().split() if owner and owner.canonical else []
            if (
                owner is not None
                and len(parts) >= 2
                and m.text.casefold() in (parts[0], parts[-1])
                and generic.isdisjoint(parts)
                and owner.start < m.start
                and " " not in m.text
                and not m.text.isupper()
                and m.text[:1].isupper()
                and index.get(_key(m.text), ("PERSON",))[0] == "PERSON"
            ):
                m = Mention(
                    m.start, m.end, m.text, "PERSON", owner.entity_id, owner.canonical, "resolved"
                )
            out.append(m)
        return out

    def _retype_full_names(
        self, body: str, mentions: list[Mention], tools: _Tools | None = None
    ) -> list[Mention]:
        """Name-part consistency within an article, the other way round from
        :meth:`_retype_name_words`: a name of two to four capitalised words typed place or
        organisation whose first word (or last, of two) the article also has as a PERSON on its
        own,
        and which the text itself presents as a person, a title or a speech verb right before
        it or a speech verb right after ("Menteri Keuangan Purbaya Yudhi Sadewa" tagged PLACE
        beside "kata Purbaya"), is that person's full name. Not when the gazetteer knows the
        span or any of its words as a place or body, or a word is a place or body head or all
        capitals (an acronym is a body's). A longer span matched by its last word only is
        left alone: it is mostly a body followed by a person ("AnyMind Kosuke Sogo")."""
        tools = tools or _tools(reading(None, _NEEDS))
        alone = {
            m.text.casefold()
            for m in mentions
            if m.type == "PERSON" and m.source != "pronoun" and " " not in m.text.strip()
        }
        if not alone:
            return mentions
        index, _ = _gazetteer_index(tools.linker)
        generic = _generic_words(tools.data)
        verbs = _say_verbs(tools.data)
        out: list[Mention] = []
        for m in mentions:
            words = m.text.split()
            if (
                m.type in ("PLACE", "ORGANIZATION")
                and 2 <= len(words) <= 4
                and (
                    words[0].casefold() in alone
                    or (len(words) == 2 and words[-1].casefold() in alone)
                )
                and all(w[:1].isupper() and not w.isupper() and w.isalpha() for w in words)
                and _key(m.text) not in index
                and not any(
                    w.casefold() in generic or index.get(_key(w), ("PERSON",))[0] != "PERSON"
                    for w in words
                )
                and _presented_as_person(body, m, tools.linker, verbs)
            ):
                m = Mention(m.start, m.end, m.text, "PERSON", source=m.source)
            out.append(m)
        return out

    def _known(
        self,
        body: str,
        tokens: list[Token],
        linker: Linker | None = None,
        possessives: tuple[str, ...] = (),
    ) -> list[Mention]:
        """Gazetteer names the model missed: the longest run of capitalised tokens that is a
        known name or alias (an all-capitals alias such as "AS" only in capitals); a word
        with one of the language's ``possessives`` is read without it ("China's crackdown",
        "Donald Trump's visit": the tokenizer keeps the ending on the word)."""
        linker = linker or self.linker
        index, longest = _gazetteer_index(linker)
        firsts, prefixes = _first_words(linker)
        words = [
            _without_ending(t, possessives)
            for t in tokens
            if t.kind in _WORD_KINDS or t.text == "-"
        ]
        found: list[Mention] = []
        i = 0
        n_body = len(body)
        while i < len(words):
            word = words[i]
            if not word.text[:1].isupper():
                i += 1
                continue
            if (word.end == n_body or body[word.end].isspace()) and (
                word.text.casefold() not in firsts
            ):
                # Followed by a space, the word is the first word of every name tried here,
                # and no known name starts with it.
                i += 1
                continue
            top = min(longest, len(words) - i)
            if top >= 2:
                top = _reach(body, words, i, top, prefixes)
            hit = None
            for n in range(top, 0, -1):
                start, end = words[i].start, words[i + n - 1].end
                surface = body[start:end]
                entity_type = index.get(_key(surface))
                if entity_type is None:
                    continue
                kind, caps_only = entity_type
                if caps_only and not surface.isupper():
                    continue
                hit = Mention(start, end, surface, kind, source="gazetteer")
                i += n
                break
            if hit is None:
                i += 1
            else:
                found.append(hit)
        return found


def _without_ending(token: Token, endings: tuple[str, ...]) -> Token:
    """``token`` without a possessive ending ("China's" -> "China"), when it is capitalised
    and something is left."""
    if not endings or not token.text[:1].isupper():
        return token
    end = next((e for e in endings if token.text.endswith(e)), None)
    if end is None or len(token.text) <= len(end) + 1:
        return token
    cut = len(token.text) - len(end)
    return token._replace(text=token.text[:cut], end=token.start + cut)


def _key(surface: str) -> str:
    return " ".join(surface.casefold().split())


@lru_cache(maxsize=4)
def _first_words(linker: Linker) -> tuple[frozenset[str], frozenset[str]]:
    """The first word of every alias key, and its first one, two, three words ... (every
    prefix of whole words): the gazetteer pass skips a capitalised word that starts no name,
    and the longer names where the words after it start none."""
    index, _ = _gazetteer_index(linker)
    firsts = frozenset(key.split(" ", 1)[0] for key in index)
    prefixes = frozenset(
        " ".join(parts[:j])
        for key in index
        for parts in (key.split(" "),)
        for j in range(1, len(parts) + 1)
    )
    return firsts, prefixes


_SPACE = diskcache.compile(r"\s")


def _reach(body: str, words: list[Token], i: int, top: int, prefixes: frozenset[str]) -> int:
    """How many of ``words[i:i + top]`` a known name starting at ``words[i]`` can span, at
    most. A name's key is its surface case-folded and split at white space: where a word's
    white-space chunk ends before the next word starts, every longer name holds that chunk as
    a whole key word, so the key words read so far must begin some alias key (``prefixes``);
    the reading goes on while only white space parts a chunk from the next word."""
    key = ""
    for j in range(top - 1):
        word, nxt = words[i + j], words[i + j + 1]
        space = _SPACE.search(body, word.end)
        cut = len(body) if space is None else space.start()
        if cut >= nxt.start:
            return top  # the chunk runs into the next word
        key += body[word.start : cut].casefold()
        if key not in prefixes:
            # no name of j + 2 words or more starts with these key words, nor is one of j + 1
            # where the chunk is the word itself (a key is its own prefix)
            return j if cut == word.end else j + 1
        if not body[cut : nxt.start].isspace():
            return top  # something else opens the next key word
        key += " "
    return top
    key = word.text.casefold()
    for j in range(1, top):
        prev, nxt = words[i + j - 1], words[i + j]
        if not (prev.end < nxt.start and body[prev.end : nxt.start].isspace()):
            return top
        if nxt.end != len(body) and not body[nxt.end].isspace():
            return top
        key += " " + nxt.text.casefold()
        if key not in prefixes:
            return j  # no name of j + 1 words or more starts with these
    return top


@lru_cache(maxsize=4)
def _gazetteer_index(linker: Linker) -> tuple[dict[str, tuple[str, bool]], int]:
    """alias key -> (type, only in capitals); and the longest alias in words."""
    index: dict[str, tuple[str, bool]] = {}
    longest = 1
    for entity in linker.entities:
        for form in entity.forms:
            caps_only = form.isupper() and len(form.replace(".", "")) <= 5
            index.setdefault(_key(form), (entity.type, caps_only))
            longest = max(longest, len(form.split()))
    return index, longest
