"""PLOVER event coding: who did what to whom, where, when, in which mode.

:func:`code_events` reads each sentence of a body for a verb or phrase of the language's event
lexicon (``lang/<lang>/event_verbs.toml``, data, not code) and codes it as an
:class:`~warta.core.record.Event` when it can find an actor:

* actor: the last PERSON / ORGANIZATION / PLACE (a country standing for its government) mention
  between the start of the verb's clause and the verb, not after a preposition; failing that, the
  actor of the previous event of the sentence (``X memuji ... dan menawarkan ...``) or the speaker
  of a ``X mengatakan ...`` that opens the clause;
* target: the first mention after the verb (in a gap phrase such as ``menginginkan * mundur``,
  the mention inside the gap), before the object ends (a conditional or purpose word, another
  verb, a new clause); for an attack, the place attacked when there is no other target;
* place: a PLACE after ``di``/``ke`` (``in``/``at``/``to``) in the clause; ``Raqqa di Suriah``
  gives the more precise Raqqa;
* mode: negated, conditional, hypothetical, planned or asserted, from the lexicon's cue words;
* when: the value of a time expression of the clause (else of the sentence);
* reported_by: the speaker of a quote that holds the verb, or of a ``X mengatakan`` /
  ``kata X`` / ``menurut X`` in the sentence.

Precision first: no actor, no event.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from warta.core import diskcache
from warta.core.record import ACTOR_TYPES, Article, Event, Mention, Quote, TimeExpression
from warta.core.stage import Stage, check_deadline
from warta.lang import load_toml, load_words, reading
from warta.nlp.langdata import for_page
from warta.nlp.linking import Entity, Linker
from warta.nlp.resolve import resolve_pronoun
from warta.nlp.sentences import split_sentences

__all__ = ["EventStage", "Lexicon", "code_events", "load_lexicon"]

_ACTOR_TYPES = frozenset({"PERSON", "ORGANIZATION", "PLACE"})
#: categories that are one party acting towards another (support for someone or something):
#: with no other party named they are praise, hopes and welcomes, not events (the precision
#: audit, bench/audit.py, found them so)
_NEEDS_TARGET = frozenset({"SUPPORT"})
# categories whose object, when a common noun, is the actor's own means, not a target
_GROUP_NOT_TARGET = frozenset({"MOBILIZE"})
_MODES = ("negated", "conditional", "hypothetical", "planned")
_WORD = diskcache.compile(r"\w+", re.UNICODE)
_NEEDS = "event_verbs.toml"  # what a language must have for its pages' events to be coded


def _longest_first(word: str) -> tuple[int, str]:
    """Longest first, then alphabetical: an alternation built from a set is the same text in
    every process (so its compiled program is found in the disk cache)."""
    return (-len(word), word)


def _alternation(phrases: list[str]) -> str:
    parts = []
    for p in sorted(set(phrases), key=_longest_first):
        parts.append(r"\s+".join(re.escape(w) for w in p.split()))
    return "|".join(parts) if parts else r"(?!x)x"


def _cue_re(phrases: list[str]) -> re.Pattern[str]:
    return diskcache.compile(r"(?<!\w)(?:" + _alternation(phrases) + r")(?!\w)")


@dataclass(frozen=True)
class Lexicon:
    verbs: re.Pattern[str]
    categories: dict[str, str]  # group key -> category
    phrases: dict[str, str]  # group key -> its phrase (gap as "*")
    modes: dict[str, re.Pattern[str]]
    not_negated: re.Pattern[str]
    reporting_before: re.Pattern[str]
    reporting_after: re.Pattern[str]
    clause: re.Pattern[str]
    object_stop: re.Pattern[str]
    prepositions: frozenset[str]
    place_prepositions: frozenset[str]
    where_prepositions: frozenset[str]
    verb_prefixes: tuple[str, ...]
    min_verb_length: int
    not_verbs: frozenset[str]
    auxiliaries: re.Pattern[str]  # words removed before asking if a cue is next to the verb
    # word sense: a trigger (by its group key) whose object opens with one of these is no event
    object_vetoes: dict[str, re.Pattern[str]]
    # ... and one right after one of these words is not a verb at all ("kebutuhan mendesak": urgent)
    word_before_vetoes: dict[str, frozenset[str]]
    # a sentence holding one of these words (sport, games, health) has no event of the category
    context_vetoes: dict[str, re.Pattern[str]]
    # ... unless its actor is of one of the block's ``unless_actor_types`` (a ministry working
    # with a firm to launch a programme is cooperation, product news or not): category ->
    # [(words, exempt actor types)], checked once the actor's type is known
    typed_context_vetoes: dict[str, list[tuple[re.Pattern[str], frozenset[str]]]]
    # per category, objects right after any of its triggers that make it a private matter
    # ("met her future husband", "menemui ibunya"): no event
    category_object_vetoes: dict[str, re.Pattern[str]]
    passive_before: frozenset[str]  # "was invited": the subject is the target, not the actor
    passive: frozenset[str]  # group keys of passive triggers ("ditangkap", "arrested by")
    agent_words: frozenset[str]  # words allowed between a passive and its agent ("oleh")
    # nominal triggers ("kunjungan", "penangkapan"): group key -> the role of the name after
    # them ("actor": "kunjungan Jokowi"; "target": "penangkapan Budi"); "alone": an event even
    # with no name ("demonstrasi 4 November")
    nominals: dict[str, str]
    alone: frozenset[str]
    actors: _Actors
    coordinators: frozenset[str]  # "dan", "kemudian": a clause they open may share the subject
    subordinators: frozenset[str]  # "saat": "pelaku saat menyerang", the name before acts
    openers: frozenset[str]  # adverbs that may open a sentence whose subject is left out
    title_words: frozenset[str]  # agent words that are not "by" ("pihak", "aparat")
    possessive_suffix: str  # "-nya": a nominal's owner, a verb's object
    passive_prefix: str  # "di-": a name right after such a verb is its agent, no subject
    not_passives: frozenset[str]  # words that start like a passive and are none ("dirinya")
    partitives: frozenset[str]  # "satu pun dari mereka": quantifiers before "dari"/"of"
    partitive_prepositions: frozenset[str]
    determiners: frozenset[str]  # "para", "sejumlah": between a preposition and its noun
    target_words: frozenset[str]  # "terhadap": between a nominal event and the one it targets
    not_subjects: frozenset[str]  # capitalised words that open a clause and name no one
    # argument constraints: a trigger (by its group key) codes an event only when its actor's
    # type is one of these ("memeriksa": police, prosecutors, officials; not a doctor)
    actor_types: dict[str, frozenset[str]]
    target_types: dict[str, frozenset[str]]  # the same for the one acted on (object, subject)
    # per category, actors that never take part in one ("warga" helping a crime victim is no
    # AID; "responden" agreeing in a survey is no AGREE): lower-cased actor words
    actor_vetoes: dict[str, frozenset[str]]
    # ... and actor types that never do ("the Lesotho Times visit": a newspaper's reporting)
    actor_type_vetoes: dict[str, frozenset[str]]
    # triggers (by group key) that are no event when a verb follows ("membantu meningkatkan",
    # "helped boost"): the help is for an act, not for a party
    no_verb_after: frozenset[str]
    # the longest word of every trigger ("kunjungan" of "melakukan kunjungan", "arrested" of
    # "was arrested"): a sentence with none of them has no event (one set lookup per word
    # before the long alternation runs)
    first_words: frozenset[str]
    # "Penahanan dilakukan", "pemeriksaan itu berlangsung": a nominal event followed by one of
    # these happened, no one named (its agent, if any, follows: "dilakukan oleh BEM")
    happened: frozenset[str] = frozenset()
    demonstratives: frozenset[str] = frozenset()  # "itu", "tersebut": between noun and verb
    # "melakukan penyitaan", "menggelar unjuk rasa": a light verb makes a nominal event a verb,
    # its subject the actor
    light_verbs: frozenset[str] = frozenset()
    light_nouns: frozenset[str] = frozenset()  # "melakukan tindakan penahanan"
    # "pejabat yang ditangkap": the word that ties a passive to the noun before it
    relatives: frozenset[str] = frozenset()
    modals: frozenset[str] = frozenset()  # "yang mungkin saja menyerang": still the relative's
    # words that may stand between a subject the entity stage missed and its verb ("Sahara
    # berniat melaporkan"): intentions and stances, not verbs of their own
    subject_skips: frozenset[str] = frozenset()
    # prefixes of an active verb's form ("me-"): a missed name is looked for only before one
    active_prefixes: tuple[str, ...] = ()
    # the language's function words and stopwords: never a name the entity stage missed
    common_words: frozenset[str] = frozenset()
    # sequence words that may open a quoted clause before its verb ("Pertama, menyita ...")
    ordinals: frozenset[str] = frozenset()
    # (prefixes, suffixes) that together mark a derived common noun, which is no missed name
    noun_affixes: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    # passives that are an event with no one named ("barang bukti yang disita")
    alone_passives: frozenset[str] = frozenset()
    # "mengancam akan menyerang": a trigger after a threat and one of these is the threat's
    # content, no event of its own
    threat_links: frozenset[str] = frozenset()
    # first-person pronouns: inside a quote they are its speaker ("saya minta ...", kata X)
    first_person: frozenset[str] = frozenset()
    # "kami" (we, the speaker's side): inside a quote its speaker too; else as before
    first_plural: frozenset[str] = frozenset()
    # "saya", "aku": in quoted speech whose speaker is not named here, kept as written
    first_singular: frozenset[str] = frozenset()
    # word starts of every verb form (active, intransitive, passive): "me", "ber", "di", "ter"
    verb_starts: tuple[str, ...] = ()
    # words that make the nominal event right after them the name of a charge ("pasal
    # penganiayaan"): no event
    charge_names: re.Pattern[str] = re.compile(r"(?!x)x")
    # triggers (by group key) that report a question when a "?" stands right before them
    # ('"... on social media?" he asked'): no request
    question_verbs: frozenset[str] = frozenset()
    # words that open a suspicion ("diduga terlibat", "diduga meminta uang"): the subject is
    # the one suspected, and what follows is the suspected act's object, never an agent
    hedges: frozenset[str] = frozenset()
    # the first run of word characters of every trigger's first word ("menyerang", "sit" of
    # "sit-in"): a trigger starts only where a word of the text is one of them (or one with
    # the possessive suffix), so the long alternation is tried at those places alone
    openings: frozenset[str] = frozenset()
    # "diamankan di Polres X", "Pemeriksaan dilakukan di Polda Jambi": an act of these
    # categories with no agent named, done at an institution of one of ``venue_types`` (its
    # type from the words of its name), was done by that institution
    venue_prepositions: frozenset[str] = frozenset()
    venue_categories: frozenset[str] = frozenset()
    venue_types: frozenset[str] = frozenset()
    # "the attack", "his visit": a verb trigger right after one of these is a noun ("Police
    # arrested two men after the attack": no assault by the police), no verb of its own
    noun_markers: frozenset[str] = frozenset()
    # titles before a surname ("Ms Ley", "Premier Minns"): in a language whose verbs have no
    # prefix to tell them ("Photos released"), a name the entity stage missed is taken only
    # after one of these
    name_titles: frozenset[str] = frozenset()
    # words that may stand inside a title before a name ("Menteri Kesehatan Kanada saat itu Rona
    # Ambrose": then): the noun before them is still that name's title, no actor of its own
    title_asides: re.Pattern[str] = re.compile(r"(?!x)x")
    # "Jokowi dan Prabowo bertemu", "Biden and Xi met": in these (joint) categories a verb
    # whose subject is two parties joined by one of ``pair_words`` has the first as its actor
    # and the second as its target, where no other target is named
    # "Israel's subsequent assault on Gaza": a possessor (a name, then one of these) before a
    # nominal event that names its target is the one who acts
    possessive_marks: tuple[str, ...] = ()
    joint_categories: frozenset[str] = frozenset()
    pair_words: frozenset[str] = frozenset()


@dataclass(frozen=True)
class _Actors:
    """The common nouns that can act ("polisi", "warga"), with their actor types, and the
    pronouns that can ("ia", "mereka")."""

    nouns: re.Pattern[str]
    types: dict[str, str]  # lower-cased noun -> actor type
    pronouns: re.Pattern[str]
    titles: dict[str, str]  # title before a name ("kapolda", and every noun) -> actor type
    name_words: dict[str, str]  # word of an organisation's name ("polda") -> actor type
    home: frozenset[str]  # name words of the page's home country's institutions
    home_country: str | None  # its ISO 3166-1 alpha-3 code
    kinds: dict[str, str]  # gazetteer kind -> actor type
    countries: dict[str, str]  # gazetteer QID of a country -> ISO 3166-1 alpha-3 code
    # object pronouns ("him", "them"): a verb's target right after it, never an actor
    objects: frozenset[str] = frozenset()


def _merge(base: dict[str, Any], more: dict[str, Any]) -> dict[str, Any]:
    """``more`` laid over ``base``: tables merged key by key, lists joined, values replaced."""
    out = dict(base)
    for key, value in more.items():
        old = out.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            out[key] = _merge(old, value)
        elif isinstance(old, list) and isinstance(value, list):
            out[key] = old + value
        else:
            out[key] = value
    return out


def _load_data(lang: str, name: str) -> dict[str, Any]:
    """``lang/<lang>/<name>.toml``; a file that says ``extends = "<code>"`` adds its words to
    that language's (Malay reads the Indonesian event verbs and adds its own)."""
    data: dict[str, Any] = load_toml(lang, name)
    base = data.pop("extends", None)
    if isinstance(base, str) and base != lang:
        data = _merge(_load_data(base, name), data)
    return data


def _load_actors(lang: str) -> _Actors:
    data = _load_data(lang, "event_actors")
    types = {w.lower(): kind for kind, words in data.get("nouns", {}).items() for w in words}
    prons = [w for words in data.get("pronouns", {}).values() for w in words]
    titles = {w.lower(): kind for kind, words in data.get("titles", {}).items() for w in words}
    name_words: dict[str, str] = {}
    home: set[str] = set()
    for kind, entry in data.get("name_words", {}).items():
        for w in entry["words"]:
            name_words[w.lower()] = kind
            if entry.get("home"):
                home.add(w.lower())
    countries = reading(lang, "event_countries.toml")
    table = load_toml(countries.code, "event_countries") if countries.code else {}
    return _Actors(
        nouns=_cue_re(list(types)),
        types=types,
        pronouns=_cue_re(prons),
        titles={**types, **titles},
        name_words=name_words,
        home=frozenset(home),
        home_country=data.get("home_country"),
        kinds=dict(data.get("kinds", {})),
        countries=dict(table.get("countries", {})),
        objects=frozenset(w.lower() for w in data.get("objects", {}).get("pronouns", [])),
    )


def _by_first_char(alts: list[str]) -> str:
    """The verb alternatives, each in its named group ``v<i>`` (its gap in ``g<i>``), grouped
    under their first character and then under each next two, three levels deep:
    ``m(?:en(?:ye(?:(?P<v0>rang)|...)|...)|...)``. The regex engine skips a branch that opens
    with literal characters in one comparison, where it would try each verb in turn (the
    Indonesian lexicon holds hundreds of "men..." verbs); the order of the verbs that share a
    beginning is kept, so the same verb wins at each place."""
    items = []
    for i, a in enumerate(alts):
        head, rest = (a[:1], a[1:]) if a[:1].isalnum() else ("", a)
        items.append((head, rest, i))
    return _prefix_groups(items, _GROUP_LEVELS)


_GROUP_LEVELS = 3  # levels of two literal characters under the first one


def _prefix_groups(items: list[tuple[str, str, int]], levels: int) -> str:
    """``items`` (a literal prefix, the rest of the pattern, the verb's index) as an alternation
    grouped by prefix, in the order each prefix first appears; under a prefix, its rests grouped
    by their next two characters while ``levels`` last (a rest that does not open with two
    literal characters stays whole)."""
    groups: dict[str, list[tuple[str, str, int]]] = {}
    for prefix, rest, i in items:
        split = levels > 0 and prefix and len(rest) >= 2 and rest[:2].isalnum()
        groups.setdefault(prefix, []).append((rest[:2], rest[2:], i) if split else ("", rest, i))
    out = []
    for prefix, subs in groups.items():
        if levels > 0 and prefix and any(sub for sub, _, _ in subs):
            body = _prefix_groups(subs, levels - 1)
        else:
            body = "|".join(_verb_group(sub + rest, i) for sub, rest, i in subs)
        out.append(prefix + "(?:" + body + ")" if prefix else body)
    return "|".join(out)


def _verb_group(rest: str, i: int) -> str:
    """Verb ``i``'s pattern (what its prefixes leave) in its named group, its gap renamed."""
    return f"(?P<v{i}>" + rest.replace("(?P<gap>", f"(?P<g{i}>") + ")"


@cache
def load_lexicon(lang: str) -> Lexicon:
    """The event verbs, modes and syntax words of ``lang/<lang>/event_verbs.toml``."""
    data = _load_data(lang, "event_verbs")
    passives: dict[str, str] = dict(data.get("passives", {}))
    # "arrested" = "COERCE" gives "was arrested", "were arrested", ... (the auxiliaries of
    # the language), each a passive whose agent follows ("by police")
    for participle, category in data.get("participles", {}).items():
        for aux in data["syntax"].get("passive_auxiliaries", []):
            passives.setdefault(f"{aux} {participle}", category)
    nominal_data: dict[str, dict[str, Any]] = data.get("nominals", {})
    nominals = {p: str(v["category"]) for p, v in nominal_data.items()}
    verbs: dict[str, str] = {**nominals, **data["verbs"], **passives}
    suffix = str(data["syntax"].get("possessive_suffix", ""))
    alts = []
    for phrase in sorted(verbs, key=len, reverse=True):
        pat = ""
        for w in phrase.split():
            if w == "*":  # the gap takes its own trailing space
                pat += r"(?P<gap>(?:\w[\w-]*\W+){0,4}?)"
            else:
                pat += re.escape(w) + r"\W+"
        alts.append(pat[: -len(r"\W+")])
    # "kunjungannya": his visit; "menahannya": detained him (one optional ending after the
    # alternation keeps each alternative a literal the regex engine skips fast)
    ending = "(?:" + re.escape(suffix) + ")?" if suffix else ""
    verb_re = diskcache.compile(r"(?<!\w)(?:" + _by_first_char(alts) + ")" + ending + r"(?!\w)")
    ordered = sorted(verbs, key=len, reverse=True)
    cats = {f"v{i}": verbs[p] for i, p in enumerate(ordered)}
    phrases = {f"v{i}": p for i, p in enumerate(ordered)}
    passive_keys = frozenset(f"v{i}" for i, p in enumerate(ordered) if p in passives)
    nominal_keys = {
        f"v{i}": str(nominal_data[p].get("name_after", "actor"))
        for i, p in enumerate(ordered)
        if p in nominals and p not in data["verbs"] and p not in passives
    }
    alone_keys = frozenset(
        k for k in nominal_keys if nominal_data[ordered[int(k[1:])]].get("alone", False)
    )
    obj_words: dict[str, list[str]] = data.get("object_vetoes", {})
    object_vetoes = {
        f"v{i}": diskcache.compile(r"\W*(?:" + _alternation(obj_words[p]) + r")(?!\w)")
        for i, p in enumerate(ordered)
        if p in obj_words
    }
    before_words: dict[str, list[str]] = data.get("word_before_vetoes", {})
    word_before_vetoes = {
        f"v{i}": frozenset(before_words[p]) for i, p in enumerate(ordered) if p in before_words
    }
    ctx_words: dict[str, list[str]] = {}
    typed_ctx: dict[str, list[tuple[re.Pattern[str], frozenset[str]]]] = {}
    cat_obj: dict[str, list[str]] = {}
    for veto in data.get("category_object_vetoes", []):
        for cat in veto["categories"]:
            cat_obj.setdefault(cat, []).extend(veto["words"])
    for veto in data.get("context_vetoes", []):
        exempt = frozenset(veto.get("unless_actor_types", []))
        for cat in veto["categories"]:
            if exempt:
                typed_ctx.setdefault(cat, []).append((_cue_re(veto["words"]), exempt))
            else:
                ctx_words.setdefault(cat, []).extend(veto["words"])
    modes = data["modes"]
    syn = data["syntax"]
    constraints: dict[str, list[str]] = data.get("actor_types", {})
    target_constraints: dict[str, list[str]] = data.get("target_types", {})
    no_verb = set(syn.get("no_verb_after", []))
    hedges = frozenset(syn.get("hedges", []))
    function_words = _function_words(syn)  # once, not once per phrase
    return Lexicon(
        verbs=verb_re,
        categories=cats,
        phrases=phrases,
        modes={m: _cue_re(modes.get(m, [])) for m in _MODES},
        not_negated=_cue_re(modes.get("not_negated", [])),
        reporting_before=_cue_re(syn["reporting_before"]),
        reporting_after=_cue_re(syn["reporting_after"]),
        clause=diskcache.compile(
            r"[,;:\"“”(]|(?<!\w)(?:"
            + _alternation(syn["clause_words"] + syn["reporting_before"])
            + r")(?!\w)"
        ),
        object_stop=diskcache.compile(
            r";|,\s*(?=(?:"
            + _alternation(syn["clause_words"])
            + r")(?!\w))|(?<!\w)(?:"
            + _alternation(syn["object_stops"] + modes.get("conditional", []))
            + r")(?!\w)"
        ),
        prepositions=frozenset(syn["prepositions"]),
        place_prepositions=frozenset(syn["place_prepositions"]),
        where_prepositions=frozenset(syn["where_prepositions"]),
        verb_prefixes=tuple(syn.get("verb_prefixes", [])),
        min_verb_length=int(syn.get("min_verb_length", 99)),
        not_verbs=frozenset(syn.get("not_verbs", [])),
        auxiliaries=diskcache.compile(
            r"\b(" + "|".join(re.escape(w) for w in syn.get("auxiliaries", [])) + r")\b"
            if syn.get("auxiliaries")
            else r"(?!x)x"
        ),
        object_vetoes=object_vetoes,
        word_before_vetoes=word_before_vetoes,
        context_vetoes={cat: _cue_re(words) for cat, words in ctx_words.items()},
        typed_context_vetoes=typed_ctx,
        category_object_vetoes={
            cat: diskcache.compile(r"\W*(?:" + _alternation(words) + r")(?!\w)")
            for cat, words in cat_obj.items()
        },
        passive_before=frozenset(syn.get("passive_before", [])),
        passive=passive_keys,
        agent_words=frozenset(syn.get("agent_words", [])),
        nominals=nominal_keys,
        alone=alone_keys,
        actors=_load_actors(lang),
        openers=frozenset(syn.get("openers", [])),
        coordinators=frozenset(syn.get("coordinators", [])),
        subordinators=frozenset(syn.get("subordinators", [])),
        title_words=frozenset(syn.get("agent_words", [])) - frozenset(syn.get("by", [])),
        possessive_suffix=suffix,
        passive_prefix=str(syn.get("passive_prefix", "")),
        not_passives=frozenset(syn.get("not_passives", [])),
        target_words=frozenset(syn.get("target_words", [])),
        determiners=frozenset(syn.get("determiners", [])),
        partitives=frozenset(syn.get("partitives", [])),
        partitive_prepositions=frozenset(syn.get("partitive_prepositions", [])),
        not_subjects=frozenset(
            w.lower()
            for w in syn.get("not_subjects", [])
            + syn["clause_words"]
            + syn["prepositions"]
            + syn.get("subordinators", [])
        ),
        actor_types={
            f"v{i}": frozenset(constraints[p]) for i, p in enumerate(ordered) if p in constraints
        },
        target_types={
            f"v{i}": frozenset(target_constraints[p])
            for i, p in enumerate(ordered)
            if p in target_constraints
        },
        actor_vetoes={
            cat: frozenset(w.lower() for w in words)
            for cat, words in data.get("actor_vetoes", {}).items()
        },
        actor_type_vetoes={
            cat: frozenset(types) for cat, types in data.get("actor_type_vetoes", {}).items()
        },
        no_verb_after=frozenset(f"v{i}" for i, p in enumerate(ordered) if p in no_verb),
        # a suspicion's key word is its hedge ("diduga"), rarer than the act after it ("menjadi")
        first_words=frozenset(
            p.split()[0] if p.split()[0] in hedges else _key_word(p, function_words)
            for p in ordered
        ),
        happened=frozenset(syn.get("happened", [])),
        demonstratives=frozenset(syn.get("demonstratives", [])),
        light_verbs=frozenset(syn.get("light_verbs", [])),
        light_nouns=frozenset(syn.get("light_nouns", [])),
        relatives=frozenset(syn.get("relatives", [])),
        modals=frozenset(syn.get("modals", [])),
        subject_skips=frozenset(syn.get("subject_skips", [])),
        ordinals=frozenset(syn.get("ordinals", [])),
        common_words=load_words(lang, "function_words") | load_words(lang, "stopwords"),
        active_prefixes=tuple(syn.get("active_prefixes", [])),
        noun_affixes=(
            tuple(syn.get("noun_prefixes", [])),
            tuple(syn.get("noun_suffixes", [])),
        ),
        alone_passives=frozenset(
            f"v{i}" for i, p in enumerate(ordered) if p in set(syn.get("alone_passives", []))
        ),
        threat_links=frozenset(syn.get("threat_links", [])),
        first_person=frozenset(syn.get("first_person", [])),
        first_plural=frozenset(syn.get("first_plural", [])),
        first_singular=frozenset(syn.get("first_singular", [])),
        verb_starts=tuple(syn.get("verb_starts", [])),
        hedges=hedges,
        question_verbs=frozenset(
            f"v{i}" for i, p in enumerate(ordered) if p in set(syn.get("question_verbs", []))
        ),
        charge_names=diskcache.compile(
            r"(?<!\w)(?:" + _alternation(syn["charge_names"]) + r")\W+\Z"
            if syn.get("charge_names")
            else r"(?!x)x"
        ),
        openings=frozenset(_WORD.match(p.split()[0])[0] for p in ordered),  # type: ignore[index]
        venue_prepositions=frozenset(syn.get("venue_prepositions", [])),
        venue_categories=frozenset(syn.get("venue_categories", [])),
        venue_types=frozenset(syn.get("venue_types", [])),
        noun_markers=frozenset(syn.get("noun_markers", [])),
        name_titles=frozenset(w.lower() for w in syn.get("name_titles", [])),
        possessive_marks=tuple(syn.get("possessive_marks", [])),
        joint_categories=frozenset(syn.get("joint_categories", [])),
        pair_words=frozenset(syn.get("pair_words", [])),
        title_asides=diskcache.compile(
            r"\s*(?:" + _alternation(syn["title_asides"]) + r")(?!\w)"
            if syn.get("title_asides")
            else r"(?!x)x"
        ),
    )


def _function_words(syn: dict[str, Any]) -> frozenset[str]:
    """The lexicon's prepositions, auxiliaries and the like: no trigger's key word."""
    keys = ("prepositions", "auxiliaries", "passive_auxiliaries", "determiners", "clause_words")
    return frozenset(w for k in keys for w in syn.get(k, []))


def _key_word(phrase: str, function_words: frozenset[str]) -> str:
    """The word of a trigger a sentence must hold for it to match: its longest word that is
    no function word ("shot" of "were shot", "kerja" of "kerja sama dengan")."""
    words: list[str] = _WORD.findall(phrase)
    content = [w for w in words if w not in function_words] or words
    return max(reversed(content), key=len)


def _lower(text: str) -> str:
    """Lower-case keeping every offset (characters whose lower form is longer stay as they are)."""
    low = text.lower()
    # The same string when no character grew and no final sigma took its context form: the
    # whole-string lower-casing is one C call, the per-character one a Python loop.
    if len(low) == len(text) and "\u03a3" not in text:
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _name(m: Mention) -> str:
    return m.canonical or m.text


def _word_before(low: str, pos: int, floor: int = 0) -> str | None:
    """The nearest word before ``pos`` (lower-cased text)."""
    words = list(_WORD.finditer(low, floor, pos))
    return words[-1].group() if words else None


def _prev_plain_word(body: str, pos: int, floor: int) -> str | None:
    for w in reversed(list(_WORD.finditer(body, floor, pos))):
        if not w.group()[:1].isupper():
            return w.group().lower()
    return None


def _prev_word(body: str, pos: int, floor: int) -> str | None:
    words = list(_WORD.finditer(body, floor, pos))
    return words[-1].group().lower() if words else None


@dataclass
class _Match:
    start: int
    end: int
    category: str
    gap: tuple[int, int] | None
    key: str = ""
    phrase: str = ""  # the lexicon phrase it matched


_SCARE_OPEN = diskcache.compile(r"[\"“‘']\s*\Z")
_SCARE_CLOSE = diskcache.compile(r"\s*[\"”’']")
_QUESTION_BEFORE = diskcache.compile(r"\?\s*[\"”’']?\s*(?:\w+\s+){0,2}\Z")


def _vetoed(lex: Lexicon, low: str, mt: _Match, a: int, b: int) -> bool:
    """Word sense from the object and the sentence: "menahan kenaikan PPN" detains no one, and
    "menyerang" in a sentence about a match, a game or a disease is no assault."""
    if (
        lex.passive_before
        and mt.key not in lex.passive
        and _word_before(low, mt.start, a) in lex.passive_before
    ):
        return True
    veto = lex.object_vetoes.get(mt.key)
    if veto is not None and veto.match(low, mt.end, b):
        return True
    private = lex.category_object_vetoes.get(mt.category)
    if private is not None and mt.key not in lex.passive and private.match(low, mt.end, b):
        return True  # "met her future husband", "menemui ibunya": a private matter
    before = lex.word_before_vetoes.get(mt.key)
    if before is not None and _word_before(low, mt.start, a) in before:
        return True
    if (
        lex.noun_markers
        and mt.key not in lex.passive
        and mt.key not in lex.nominals
        and _word_before(low, mt.start, a) in lex.noun_markers
    ):
        return True  # "after the attack", "his visit": a noun, not the verb
    if mt.key in lex.question_verbs and _QUESTION_BEFORE.search(low, a, mt.start):
        return True  # '"... social media?" he asked': a question, no request
    if _SCARE_OPEN.search(low, a, mt.start) and _SCARE_CLOSE.match(low, mt.end, b):
        return True  # '" pemerkosaan "': a word in scare quotes is a figure of speech
    if mt.key in lex.no_verb_after:
        nxt = _WORD.search(low, mt.end, b)
        if nxt is not None and _is_verb(lex, nxt.group()):
            return True
    if mt.key in lex.nominals and lex.charge_names.search(low, max(a, mt.start - 40), mt.start):
        return True  # "pasal penganiayaan", "tindak pidana pembunuhan": a charge's name
    ctx = lex.context_vetoes.get(mt.category)
    return ctx is not None and ctx.search(low, a, b) is not None


def _is_verb(lex: Lexicon, word: str) -> bool:
    """An active verb by its prefix ("meningkatkan"), not a word that merely starts so."""
    return (
        bool(lex.verb_prefixes)
        and word.startswith(lex.verb_prefixes)
        and len(word) >= lex.min_verb_length
        and word not in lex.not_verbs
    )


def _passive_agent(
    lex: Lexicon,
    body: str,
    verb_end: int,
    mentions: list[Mention],
    also: frozenset[str] = frozenset(),
) -> str | None:
    """The named agent right after a passive trigger ("ditangkap oleh Polres Bogor", "dibunuh
    Kamal"): only "oleh" or capitalised title words (or the words ``also``) may come between,
    no punctuation. No name, no actor."""
    for m in mentions:
        if m.start < verb_end:
            continue
        between = _WORD.findall(body, verb_end, m.start)
        if (
            not re.search(r"[,;:.()]", body[verb_end : m.start])
            and len(between) <= 4
            and all(
                w.lower() in lex.agent_words or w.lower() in also or w[:1].isupper()
                for w in between
            )
        ):
            return _name(m)
        # "didesak menjauhi perairan oleh Lembaga ...": a short complement, then "oleh"
        by = next(
            (k for k, w in enumerate(between) if w.lower() in lex.agent_words - lex.title_words), -1
        )
        if (
            0 < by <= 3
            and len(between) <= 8
            and not re.search(r"[,;:.()\"”]", body[verb_end : m.start])
            and all(w.islower() for w in between[:by])
            # "gugatan yang dimenangkan oleh X": the agent of the relative clause's own verb
            and not any(w.lower() in lex.relatives for w in between[:by])
            and all(w.lower() in lex.agent_words or w[:1].isupper() for w in between[by:])
        ):
            return _name(m)
        return None
    return None


def _openings(lex: Lexicon, low: str, a: int = 0, b: int | None = None) -> list[int]:
    """Where in ``low[a:b]`` a trigger may start: the words that open one (see
    ``Lexicon.openings``), in order. Every match of ``lex.verbs`` starts at one of them."""
    forms = _with_suffix(lex.openings, lex.possessive_suffix)
    return [
        w.start() for w in _WORD.finditer(low, a, len(low) if b is None else b) if w[0] in forms
    ]


@cache
def _with_suffix(words: frozenset[str], suffix: str) -> frozenset[str]:
    """``words`` and each with ``suffix`` ("serangan", "serangannya"): a word of the text is
    one of them, or its stem before the suffix is, when it is in this set."""
    return words | {w + suffix for w in words} if suffix else words


def _verb_matches(lex: Lexicon, low: str, b: int, starts: list[int]) -> Iterator[re.Match[str]]:
    """``lex.verbs.finditer(low, a, b)`` where ``starts`` (ascending, from ``a``) hold every place
    a match can start: the regex is tried at those alone, each after the last match's end."""
    end = -1
    match = lex.verbs.match
    for s in starts:
        if s < end:
            continue
        m = match(low, s, b)
        if m is not None:
            end = m.end()
            yield m


def _matches(
    lex: Lexicon, low: str, a: int, b: int, starts: list[int] | None = None
) -> list[_Match]:
    """The triggers of ``low[a:b]``, vetoes applied; ``starts``: its openings, when known."""
    out = []
    # m.groupdict() builds a dict of every verb's groups (hundreds, ≈0.1 ms a match): the
    # matched verb's gap is read by its name instead.
    names = lex.verbs.groupindex
    if starts is None:
        starts = _openings(lex, low, a, b)
    for m in _verb_matches(lex, low, b, starts):
        key = m.lastgroup
        if key is None or not key.startswith("v"):
            # lastgroup may name the gap; find the alternative that matched
            key = next(k for k, v in m.groupdict().items() if k.startswith("v") and v is not None)
        gap_key = "g" + key[1:]
        gap = (m.start(gap_key), m.end(gap_key)) if gap_key in names and m[gap_key] else None
        mt = _Match(m.start(), m.end(), lex.categories[key], gap, key, lex.phrases[key])
        if not _vetoed(lex, low, mt, a, b):
            out.append(mt)
    return out


def _in(m: Mention, a: int, b: int) -> bool:
    return a <= m.start and m.end <= b


def _speaker_before(
    body: str, low: str, lex: Lexicon, a: int, verb: int, mentions: list[Mention]
) -> tuple[str | None, int]:
    """A ``X mengatakan`` before the verb: (speaker, end of the cue)."""
    speaker, cue_end = None, -1
    for c in lex.reporting_before.finditer(low, a, verb):
        before = [
            m for m in mentions if _in(m, a, c.start()) and m.type in ("PERSON", "ORGANIZATION")
        ]
        if before and len(_WORD.findall(body, before[-1].end, c.start())) <= 2:
            speaker, cue_end = _name(before[-1]), c.end()
    for c in lex.reporting_after.finditer(low, a, verb):
        after = [m for m in mentions if m.start >= c.end() and m.end <= verb]
        if (
            after
            and after[0].type == "PERSON"
            and len(_WORD.findall(body, c.end(), after[0].start)) <= 2
        ):
            speaker, cue_end = _name(after[0]), after[0].end
    return speaker, cue_end


def _speaker_after(
    body: str, low: str, lex: Lexicon, verb: int, b: int, mentions: list[Mention]
) -> str | None:
    """``"...," kata X`` after the verb."""
    for c in lex.reporting_after.finditer(low, verb, b):
        if not re.search(r"[\"”',]\s*$", body[max(0, c.start() - 4) : c.start()]):
            continue
        after = [m for m in mentions if m.start >= c.end() and m.end <= b]
        if (
            after
            and after[0].type in ("PERSON", "ORGANIZATION")
            and len(_WORD.findall(body, c.end(), after[0].start)) <= 2
        ):
            return _name(after[0])
    return None


def _mode(lex: Lexicon, low: str, win: int, verb: int, verb_end: int, seg_end: int) -> str:
    neg_from = max(win, verb - 30)
    neg_text = lex.not_negated.sub(lambda m: " " * len(m.group()), low[neg_from:verb])
    if lex.modes["negated"].search(neg_text):
        return "negated"
    for mode in ("conditional", "hypothetical", "planned"):
        if lex.modes[mode].search(low, win, verb) or lex.modes[mode].search(low, verb_end, seg_end):
            return mode
    return "asserted"


_QUOTE_CLOSE = re.compile(r",?\s*[\"”]\s*,?\s*(?=[a-z])")


def _object_end(lex: Lexicon, body: str, low: str, verb_end: int, b: int) -> int:
    stop = lex.object_stop.search(low, verb_end, b)
    end = stop.start() if stop else b
    close = _QUOTE_CLOSE.search(body, verb_end, end)  # '...," kata X': the quote ends there
    if close is not None:
        end = close.start()
    if lex.verb_prefixes:
        for w in _WORD.finditer(low, verb_end, end):
            if _is_verb(lex, w.group()):
                return w.start()
    return end


@dataclass(frozen=True, slots=True)
class _Doc:
    """What every sentence of one body is coded against."""

    body: str
    low: str
    lex: Lexicon
    times: list[TimeExpression]
    quotes: list[Quote]
    names_by_id: dict[str, str]
    mentions: list[Mention]  # every mention of the body, by start (a noun inside one is no actor)
    lang: str | None
    linker: Linker  # the gazetteer: an entity's kind gives its actor type, a country its code


@dataclass(frozen=True, slots=True)
class _Sentence:
    """One sentence ``body[a:b]`` with its actor-type mentions."""

    a: int
    b: int
    ents: list[Mention]


def code_events(
    body: str,
    mentions: list[Mention],
    times: list[TimeExpression] | None = None,
    quotes: list[Quote] | None = None,
    lang: str | None = None,
) -> list[Event]:
    """Code the PLOVER events of ``body`` (see the module docstring), a page in language
    ``lang`` (None: not known); none where no language along its fallbacks has event verbs."""
    found = reading(lang, _NEEDS)
    if found.code is None:
        return []
    lex = load_lexicon(found.code)
    ents = sorted((m for m in mentions if m.type in _ACTOR_TYPES), key=lambda m: m.start)
    names_by_id = {m.entity_id: _name(m) for m in mentions if m.entity_id}
    doc = _Doc(
        body,
        _lower(body),
        lex,
        times or [],
        quotes or [],
        names_by_id,
        sorted(mentions, key=lambda m: m.start),
        lang,
        Linker.load(lang),
    )
    events: list[Event] = []
    carried: str | None = None  # the actor of the previous sentence's last event
    low = doc.low
    ent_starts = [m.start for m in ents]
    for sent in split_sentences(body):
        check_deadline()
        a, b = sent.start, sent.end
        starts = _gated_openings(lex, low, a, b)
        # no opening: no match, so no event, as when no key word gates the sentence out
        if not starts:
            carried = None
            continue
        inside = ents[bisect_left(ent_starts, a) : bisect_right(ent_starts, b)]
        found_here = _sentence_events(
            doc, _Sentence(a, b, [m for m in inside if m.end <= b]), carried, starts
        )
        events.extend(found_here)
        carried = found_here[-1].actor if found_here else None
    return events


def _common_actors(doc: _Doc, a: int, b: int) -> list[Mention]:
    """The common nouns ("polisi", "warga") and pronouns ("ia", "mereka") of ``body[a:b]`` that
    can act, as mentions: a noun inside a named mention, or right before one (its title:
    "Presiden Joko Widodo"), is not one; a pronoun is resolved to its person where the entity
    stage can ("Jokowi ... Ia"), else kept as written."""
    named = [m for m in doc.mentions if m.end > a and m.start < b]
    out: list[Mention] = []
    for pattern, kind in ((doc.lex.actors.nouns, "GROUP"), (doc.lex.actors.pronouns, "PRONOUN")):
        for w in pattern.finditer(doc.low, a, b):
            s, e = w.start(), w.end()
            if any(m.start < e and s < m.end for m in named):
                continue
            nxt = _WORD.search(doc.body, e, b)
            if kind == "GROUP" and nxt and any(m.start == nxt.start() for m in named):
                continue
            if kind == "GROUP" and _titles_a_person(doc, e, b, named):
                continue  # "Menteri Kesehatan Kanada saat itu Rona Ambrose": a title
            if kind == "PRONOUN" and w.group() in doc.lex.first_person:
                # "saya minta ...," jelas X: the speaker; with none, no one to name
                speaker = _quote_speaker(doc, s, b)
                if speaker is not None:
                    out.append(Mention(s, e, doc.body[s:e], kind, None, speaker, "event-actor"))
                elif w.group() in doc.lex.first_singular and _quoted(doc, a, s, b):
                    # '" Saya minta bukti konkret ...': a quoted speaker not named here acts
                    out.append(Mention(s, e, doc.body[s:e], kind, source="event-actor"))
                continue
            if kind == "PRONOUN" and w.group() in doc.lex.first_plural:
                # '"Kami amankan ...," kata Kapolres X': the speaker's side, named by the speaker
                speaker = _quote_speaker(doc, s, b)
                if speaker is not None:
                    out.append(Mention(s, e, doc.body[s:e], kind, None, speaker, "event-actor"))
                    continue
            if kind == "PRONOUN":
                person = resolve_pronoun(doc.body, s, doc.mentions, doc.lang)
                if person is not None:
                    out.append(person)
                    continue
            out.append(Mention(s, e, doc.body[s:e], kind, source="event-actor"))
    return out


def _titles_a_person(
    doc: _Doc, at: int, b: int, named: list[Mention], direct: bool = False
) -> bool:
    """Whether the words after a common noun at ``at`` are the rest of a title and then a
    person's name: capitalised words (at most four, "Kesehatan Kanada") and the lexicon's
    asides ("saat itu": then), then a PERSON mention ("Menteri Kesehatan Rona Ambrose")."""
    persons = {m.start for m in named if m.type == "PERSON"}
    pos, words = at, 0
    while words <= 4:
        aside = doc.lex.title_asides.match(doc.low, pos)
        if aside is not None and aside.end() > pos:
            pos = aside.end()
            continue
        w = _WORD.search(doc.body, pos, b)
        if w is None or doc.body[pos : w.start()].strip():
            return False  # punctuation between: the title ends
        if w.start() in persons:
            return words > 0 or direct  # a name right after a noun: the caller's case
        if not w.group()[:1].isupper():
            return False
        pos, words = w.end(), words + 1
    return False


_HYPHENATED = diskcache.compile(r"(?<![\w-])[A-Z][\w.]*(?:-[A-Z][\w.]*)+(?![\w-])")


def _pair_mentions(doc: _Doc, sent: _Sentence) -> tuple[list[Mention], list[Mention]]:
    """(the sentence's mentions, the names of its hyphenated pairs): "pertemuan Jokowi-Prabowo",
    "Trump-Putin", "kerja sama Indonesia-Jepang" name two parties of one kind, each one the
    gazetteer knows; the entity stage reads them as one name or none, so the events stage
    reads each part as its own actor (a mention the pair replaces is left out here only)."""
    found: list[Mention] = []
    replaced: set[int] = set()
    spans = [(m.start, m.end, i) for i, m in enumerate(sent.ents) if "-" in m.text]
    spans += [
        (h.start(), h.end(), -1)
        for h in _HYPHENATED.finditer(doc.body, sent.a, sent.b)
        if not any(m.start < h.end() and h.start() < m.end for m in sent.ents)
    ]
    for start, end, i in spans:
        parts: list[Mention] = []
        at = start
        for part in doc.body[start:end].split("-"):
            link = doc.linker.link(part, partial=False) if part[:1].isupper() else None
            if link is None or part != part.strip():
                parts = []
                break
            parts.append(
                Mention(at, at + len(part), part, link.type, link.entity_id, link.canonical, "pair")
            )
            at += len(part) + 1
        if len(parts) >= 2 and len({m.type for m in parts}) == 1:
            found.extend(parts)
            if i >= 0:
                replaced.add(i)
    if not found:
        return sent.ents, []
    return [m for i, m in enumerate(sent.ents) if i not in replaced], found


_OPEN_QUOTE = diskcache.compile(r"[\"“]")
_CLOSE_QUOTE = diskcache.compile(r"[\"”]\s*,?\s*\w")


def _quoted(doc: _Doc, a: int, at: int, b: int) -> bool:
    """Whether ``at`` stands in quoted speech: inside a quote the quote stage found, after a
    quote mark of its sentence, or before a closing mark and its cue ('..., " katanya')."""
    if any(q.start <= at < q.end for q in doc.quotes):
        return True
    return bool(_OPEN_QUOTE.search(doc.body, a, at) or _CLOSE_QUOTE.search(doc.body, at, b))


def _quote_speaker(doc: _Doc, at: int, b: int) -> str | None:
    """The speaker of the quote holding ``at``, else of a cue after it in the sentence
    (``..., " jelas X``)."""
    for q in doc.quotes:
        if q.start <= at < q.end and (q.speaker or q.speaker_id):
            return doc.names_by_id.get(q.speaker_id or "", q.speaker)
    for c in doc.lex.reporting_after.finditer(doc.low, at, b):
        if not re.search(r"[\"”',]\s*$", doc.body[max(0, c.start() - 4) : c.start()]):
            continue
        for m in doc.mentions:
            if m.start >= c.end() and m.end <= b and m.type == "PERSON":
                # "jelas Ketua DPRD DKI Jakarta Prasetyo": capitalised title words between
                between = _WORD.findall(doc.body, c.end(), m.start)
                if len(between) <= 6 and all(w[:1].isupper() for w in between):
                    return _name(m)
                break
    return None


def _enclitic(doc: _Doc, mt: _Match) -> tuple[bool, str | None]:
    """Whether the trigger ends in a "-nya" its phrase lacks ("kunjungannya": his visit;
    "menahannya": detained him), and the person it resolves to (None: unresolved)."""
    suffix = doc.lex.possessive_suffix
    if not suffix or not doc.low.endswith(suffix, mt.start, mt.end) or mt.phrase.endswith(suffix):
        return False, None
    person = resolve_pronoun(doc.body, mt.end - len(suffix), doc.mentions, doc.lang)
    return True, _name(person) if person is not None else None


def _possessor(doc: _Doc, mt: _Match) -> str | None:
    """Whose nominal event its "-nya" names: the person it resolves to, else the enclitic."""
    has, person = _enclitic(doc, mt)
    if not has:
        return None
    return person or doc.body[mt.end - len(doc.lex.possessive_suffix) : mt.end]


def _only_adverbs(doc: _Doc, a: int, b: int) -> bool:
    """Whether ``body[a:b]`` holds nothing but adverbs and auxiliaries."""
    rest = doc.lex.auxiliaries.sub("", doc.low[a:b])
    return all(w.group() in doc.lex.openers for w in _WORD.finditer(rest))


def _only_openers(doc: _Doc, a: int, verb: int) -> bool:
    """Whether nothing but adverbs and auxiliaries stands between the sentence start and the
    verb: its subject is left out ("Kemudian menahan ..."), the previous sentence's actor."""
    rest = doc.lex.auxiliaries.sub("", doc.low[a:verb])
    return all(w.group() in doc.lex.openers for w in _WORD.finditer(rest))


def _gated_openings(lex: Lexicon, low: str, a: int, b: int) -> list[int]:
    """``_openings(lex, low, a, b)`` where a word of ``low[a:b]`` (or its stem before "-nya") is
    a trigger's key word (``Lexicon.first_words``), else none: a sentence without one has no
    event. The gate is two set tests on the sentence's words."""
    words = _WORD.findall(low, a, b)
    suffix = lex.possessive_suffix
    if _with_suffix(lex.first_words, suffix).isdisjoint(words):
        return []
    if _with_suffix(lex.openings, suffix).isdisjoint(words):
        return []
    return _openings(lex, low, a, b)


def _sentence_events(
    doc: _Doc, bare: _Sentence, carried: str | None = None, starts: list[int] | None = None
) -> list[Event]:
    """The events of one sentence, verb by verb; a verb with no actor codes none, except a
    passive or a nominal event whose participant is named ("Budi ditangkap")."""
    low, lex = doc.low, doc.lex
    matches = _matches(lex, low, bare.a, bare.b, starts)
    if not matches:
        return []
    extra = _common_actors(doc, bare.a, bare.b)
    ents, pairs = _pair_mentions(doc, bare)
    sent = _Sentence(bare.a, bare.b, sorted(ents + pairs + extra, key=lambda m: m.start))
    sent_events: list[Event] = []
    targets_so_far: set[str] = set()
    for i, mt in enumerate(matches):
        if i and _threat_content(doc, matches[i - 1], mt):
            continue  # "mengancam akan menyerang": what is threatened has not happened
        prev_end = matches[i - 1].end if i else sent.a
        if i and matches[i - 1].key in lex.nominals:
            prev_end = matches[i - 1].start  # "massa aksi akan mengerahkan": its noun acts
        next_start = matches[i + 1].start if i + 1 < len(matches) else sent.b
        # the verb's clause: back to the last clause boundary
        win = mode_from = prev_end
        for c in lex.clause.finditer(low, prev_end, mt.start):
            win, mode_from = c.end(), c.start()  # "jika" opens a clause and gives its mode
        speaker, cue_end = _speaker_before(doc.body, low, lex, sent.a, mt.start, sent.ents)
        patient: str | None = None
        seg_end = _segment_end(doc, mt.end, next_start)
        nominal = lex.nominals.get(mt.key)
        done_at = -1
        if mt.key in lex.passive:  # "Budi ditangkap oleh Polres": the agent acts on the subject
            # "Ia dikenakan pasal ...": a pronoun right before the verb is the one acted on (as
            # written if unresolved); not one a verb stands after ("Ia takut akan dibunuh")
            before = [
                m
                for m in _candidates(doc, sent, win, mt, targets_so_far)
                if m.type != "PRONOUN" or _only_adverbs(doc, m.end, mt.start)
            ]
            patient = _relative_head(doc, sent, mt.start)  # "pejabat yang ditangkap"
            if patient is None and before:
                patient = _name(before[-1])
            if patient is None:  # "Family doctors and their teams have been urged"
                patient = _shared_subject(doc, sent, win, targets_so_far)
            if patient is None:  # "Nikita Mirzani, tetap dituntut": the sentence's opener
                patient = _opening_subject(doc, sent, win, mt.start)
            if patient is None:  # "Atut juga didakwa": a name the entity stage missed
                patient = _bare_subject(doc, win, mt.start)
            actor, inherited = _passive_agent(lex, doc.body, mt.end, sent.ents), False
            if mt.phrase.split()[0] in lex.hedges:
                actor = None  # "diduga mengintimidasi wartawan": the suspected act's object
            if actor is None and patient is None and mt.key not in lex.alone_passives:
                continue  # "telah ditahan": who, by whom?
        elif nominal is not None:  # "kunjungan Jokowi", "penangkapan Budi oleh polisi"
            if _in_title(doc, sent, mt):
                continue  # "Pertemuan Diaspora Indonesia", "Biro Kerja Sama": part of a name
            # "penganiayaan terhadap NL": the one acted on may follow its preposition
            also = lex.target_words if nominal == "target" else frozenset()
            named = _passive_agent(lex, doc.body, mt.end, sent.ents, also)
            actor, inherited = _possessor(doc, mt), False
            if nominal == "actor":
                actor = actor or named
            else:
                patient = named or actor
                # "Israel's assault on Gaza"; "Trump's visit to Beijing was postponed by the
                # White House": the possessor acts, not a later "by"
                actor = _possessive_actor(doc, sent, win, mt) or _agent_after(
                    doc, sent, mt.end, seg_end
                )
            # "Pemeriksaan dilakukan (oleh X)": the act happened, its agent after the verb
            done_at = _happened_end(doc, mt.end, seg_end)
            if done_at >= 0 and (nominal != "actor" or actor is None):
                actor = _passive_agent(lex, doc.body, done_at, sent.ents) or actor
            # "Kejaksaan melakukan penyitaan": the light verb's subject acts
            light = _light_verb(doc, sent, mt)
            if actor is None and light is not None:
                actor, inherited = _actor(
                    doc, sent, win, light, sent_events, targets_so_far, speaker, cue_end
                )
                if actor is not None and actor == patient:
                    actor, inherited = None, False
            if (
                actor is None
                and patient is None
                and mt.key not in lex.alone
                and done_at < 0
                and light is None
            ):
                continue
        else:
            actor, inherited = _actor(
                doc, sent, win, mt, sent_events, targets_so_far, speaker, cue_end
            )
            if inherited and i and _demanded(doc, matches[i - 1], mt, sent_events, actor):
                continue  # "X meminta badan usaha yang ... menjalin kerja sama": Y's act, asked for
            if actor is None:
                # "PT X ( IKT ) memberikan", "Bupati Y (SP) meminta": past a short aside
                wide = _past_asides(lex, low, prev_end, mt.start)
                if wide < win:
                    actor, inherited = _actor(
                        doc, sent, wide, mt, sent_events, targets_so_far, speaker, cue_end
                    )
            if actor is None and i == 0 and carried and _only_openers(doc, sent.a, mt.start):
                actor, inherited = carried, True
            if actor is None and i == 0:
                actor = _quoted_subjectless(doc, sent, win, mt)
                inherited = actor is not None
            if actor is None:
                continue
        if actor is None and mt.category in lex.venue_categories:
            # "barang bukti diamankan di Polres Biak Numfor": the police unit did it
            actor = _venue_agent(doc, sent, win, seg_end)
            if actor is not None and actor == patient:
                actor = None
        if not _actor_allowed(doc, sent, mt, actor):
            continue
        acted_on = mt.key in lex.passive or nominal is not None
        if acted_on and not _target_allowed(doc, sent, mt, patient):
            continue
        has_object, person = _enclitic(doc, mt) if nominal is None else (False, None)
        # "menahannya": the enclitic is the object, whoever it refers to
        # a nominal event's object ends at a comma ("Pada pertemuan itu, KPK mengimbau")
        obj_end = seg_end if nominal is None else _comma_end(doc, mt.end, seg_end)
        target = person if has_object else _target(doc, sent, mt, actor, obj_end)
        place = _place(doc, sent, win, mt, seg_end)
        if mt.key in lex.passive or (nominal is not None and (nominal != "actor" or done_at >= 0)):
            target = patient if patient != actor else None
        if target is not None and target == actor:
            target = None  # "X menyampaikan apresiasinya": no one else named, not X to X
        if (
            target is None
            and actor is not None
            and not inherited
            and mt.category in lex.joint_categories
            and not acted_on
        ):
            # "Jokowi dan Prabowo bertemu": the first meets the second
            pair = _joint_subjects(doc, sent, win, mt, actor)
            if pair is not None:
                actor, target = pair
        if target is None and mt.category in ("ASSAULT", "COERCE") and place and place != actor:
            target = place
        if target is None and mt.category in _NEEDS_TARGET and nominal is None:
            target = _relative_agent(doc, sent, mt, seg_end)
        if target is None and mt.category in _NEEDS_TARGET:
            continue
        if mt.key in lex.target_types and not acted_on:
            # "mendorong pemerintah daerah": the object right after the verb is of the type
            if not _target_allowed(doc, sent, mt, target) or not _object_next(
                doc, sent, mt, target
            ):
                continue  # "mendorong pertumbuhan", "mendorong keberlanjutan, Danone Indonesia"
        reported_by = _reported_by(doc, sent, mt, speaker)
        actor_id, actor_type, actor_country = _coding(doc, sent, actor)
        if any(
            actor_type not in exempt and ctx.search(low, sent.a, sent.b)
            for ctx, exempt in lex.typed_context_vetoes.get(mt.category, ())
        ):
            continue  # "perusahaan X bekerja sama ... meluncurkan produk": product news
        target_id, target_type, target_country = _coding(doc, sent, target)
        # "sport" (a club, a federation) only vetoes: the record's types are ACTOR_TYPES
        actor_type = actor_type if actor_type in ACTOR_TYPES else None
        target_type = target_type if target_type in ACTOR_TYPES else None
        ev_start, ev_end = _evidence(doc.body, win, seg_end)
        conf = (
            (0.5 if actor else 0.4)
            + (0.2 if target else 0.0)
            + (0.0 if inherited or not actor else 0.1)
            + (0.05 if place else 0.0)
        )
        sent_events.append(
            Event(
                start=ev_start,
                end=ev_end,
                category=mt.category,
                mode=_mode(lex, low, mode_from, mt.start, mt.end, seg_end),
                actor=actor,
                target=target,
                place=place,
                when=_when(doc.times, win, seg_end, sent),
                confidence=round(min(conf, 0.95), 2),
                reported_by=reported_by,
                evidence=doc.body[ev_start:ev_end],
                actor_id=actor_id,
                actor_type=actor_type,
                actor_country=actor_country,
                target_id=target_id,
                target_type=target_type,
                target_country=target_country,
            )
        )
        if target:
            targets_so_far.add(target)
    # a bare nominal event ("personel gabungan", "demo") beside a fuller event of its category
    # in the sentence is the same happening named twice
    # and two bare ones of a category ("di tengah bentrokan itu ... melerai bentrokan") one
    full = {e.category for e in sent_events if e.actor or e.target}
    out: list[Event] = []
    for e in sent_events:
        if e.actor or e.target or e.category not in full:
            out.append(e)
            full.add(e.category)
    return out


_ASIDE = diskcache.compile(r"\(([^()]{1,40})\)")


def _past_asides(lex: Lexicon, low: str, floor: int, verb: int) -> int:
    """Where the verb's clause starts when a short parenthesis is no boundary."""
    win = floor
    aside_end = -1
    for c in lex.clause.finditer(low, floor, verb):
        if c.start() < aside_end:
            continue  # inside a closed aside
        aside_end = _aside_end(low, c, verb)
        if aside_end < 0:
            win = c.end()
    return win


def _aside_end(low: str, c: re.Match[str], verb: int) -> int:
    """Where a short parenthesis opened by ``c`` closes before the verb (an abbreviation, an
    age, a date: "Bupati Sleman Sri Purnomo (SP) meminta"), else -1."""
    if c.group() != "(":
        return -1
    m = _ASIDE.match(low, c.start(), verb)
    if m is None or len(_WORD.findall(m.group(1))) > 4:
        return -1
    return m.end()


_TITLE_START = diskcache.compile(r"[\"“‘'(:\-–—]\s*\Z")


def _in_title(doc: _Doc, sent: _Sentence, mt: _Match) -> bool:
    """Whether a nominal trigger is capitalised inside its sentence, neither opening it nor
    after a quote mark or a colon: part of a name ("Pertemuan Diaspora Indonesia ke-4",
    "Direktorat Kerja Sama"), not an act."""
    if not doc.body[mt.start : mt.start + 1].isupper() or doc.body[mt.start : mt.end].isupper():
        return False  # lower case, or an acronym ("OTT": an arrest operation)
    if not doc.body[sent.a : mt.start].strip() or _TITLE_START.search(doc.body, sent.a, mt.start):
        return False
    return True


def _threat_content(doc: _Doc, threat: _Match, mt: _Match) -> bool:
    """Whether ``mt`` is what a threat or a demand right before it asks for ("mengancam akan
    menyerang", "threatened to strike"; "mendesak Arief mundur", "meminta TNI segera
    menangkap"): only link words stand after a threat; after a demand, its object and no
    clause boundary or coordinator (words of the lexicon), within six words."""
    lex = doc.lex
    if mt.category == threat.category or threat.key in lex.nominals:
        return False
    between = _WORD.findall(doc.low, threat.end, mt.start)
    if threat.category == "THREATEN":
        return len(between) <= 2 and all(w in lex.threat_links for w in between)
    if (
        threat.category != "REQUEST"
        or len(between) > 6
        or re.search(r"[,;:.]", doc.low[threat.end : mt.start])
    ):
        return False
    return not any(w in lex.coordinators for w in between)


def _demanded(
    doc: _Doc, demand: _Match, mt: _Match, earlier: list[Event], actor: str | None
) -> bool:
    """Whether ``mt``, whose actor came from the demand right before it, is what the demand asks
    of its object however long that object is ("meminta badan usaha swasta yang kehabisan stok
    menjalin kerja sama"): no coordinator or punctuation between them."""
    if demand.category != "REQUEST" or not earlier or earlier[-1].actor != actor:
        return False
    if re.search(r"[,;:.\"“”]", doc.low[demand.end : mt.start]):
        return False
    return not any(w in doc.lex.coordinators for w in _WORD.findall(doc.low, demand.end, mt.start))


def _relative_at(doc: _Doc, sent: _Sentence, verb: int) -> int:
    """Where the relative word ("yang", "who") that opens the verb's clause stands, past
    adverbs and auxiliaries; -1 where none does."""
    lex = doc.lex
    if not lex.relatives:
        return -1
    words = list(_WORD.finditer(doc.low, sent.a, verb))
    while words and (
        words[-1].group() in lex.openers
        or words[-1].group() in lex.modals
        or lex.auxiliaries.fullmatch(words[-1].group())
    ):
        words.pop()
    if not words or words[-1].group() not in lex.relatives:
        return -1
    return words[-1].start()


def _after_relative(doc: _Doc, sent: _Sentence, verb: int) -> bool:
    return _relative_at(doc, sent, verb) >= 0


def _relative_head(doc: _Doc, sent: _Sentence, verb: int) -> str | None:
    """The actor-type noun or name right before a relative word that opens the verb's clause
    ("pejabat yang ditangkap", "Ali Amri yang didakwa", "pelaku yang memukul")."""
    rel = _relative_at(doc, sent, verb)
    if rel < 0:
        return None
    for m in reversed(sent.ents):
        if m.end <= rel:
            # "Mansur (53) yang divonis": an age in brackets may stand between, and one plain
            # modifier ("warga lokal yang", "partai politik yang"), no verb
            gap = _AGE.sub("", doc.body[m.end : rel]).strip(" ,")
            words = _WORD.findall(gap)
            if m.type == "PRONOUN" or len(words) > 1 or _WORD.sub("", gap).strip():
                return None
            if words and (words[0][:1].isupper() or _is_verb(doc.lex, words[0].lower())):
                return None
            return _name(m)
    return None


_AGE = diskcache.compile(r"\(\s*\d+\s*\)")


def _happened_end(doc: _Doc, start: int, end: int) -> int:
    """The end of a "happened" verb right after a nominal event (past a demonstrative or a
    relative word): "Penahanan dilakukan", "Unjuk rasa itu digelar", "gugatan yang diajukan
    Jovi"; -1 where none follows."""
    lex = doc.lex
    for w in _WORD.finditer(doc.low, start, end):
        if w.group() in lex.demonstratives or w.group() in lex.relatives:
            continue
        return w.end() if w.group() in lex.happened else -1
    return -1


def _light_verb(doc: _Doc, sent: _Sentence, mt: _Match) -> _Match | None:
    """The light verb right before a nominal event ("melakukan penyitaan", "menggelar unjuk
    rasa"), as a match spanning both: its subject is the nominal event's actor."""
    lex = doc.lex
    words = list(_WORD.finditer(doc.low, sent.a, mt.start))
    if len(words) > 1 and words[-1].group() in lex.light_nouns:
        words.pop()  # "melakukan tindakan penahanan"
    if not words or words[-1].group() not in lex.light_verbs:
        return None
    if _WORD.sub("", doc.low[words[-1].end() : mt.start]).strip():
        return None
    return _Match(words[-1].start(), mt.end, mt.category, mt.gap, mt.key, mt.phrase)


def _actor_allowed(doc: _Doc, sent: _Sentence, mt: _Match, actor: str | None) -> bool:
    """The trigger's argument constraints (``actor_types``) and its category's vetoed actors
    (``actor_vetoes``) allow this actor."""
    lex = doc.lex
    if actor is not None and " ".join(actor.lower().split()) in lex.actor_vetoes.get(
        mt.category, ()
    ):
        return False
    vetoed = lex.actor_type_vetoes.get(mt.category)
    allowed = lex.actor_types.get(mt.key)
    if actor is None or (vetoed is None and allowed is None):
        return allowed is None
    kind = _coding(doc, sent, actor)[1]  # only where a constraint asks for it (it costs)
    if vetoed is not None and kind in vetoed:
        return False
    return allowed is None or kind in allowed


def _object_next(doc: _Doc, sent: _Sentence, mt: _Match, target: str | None) -> bool:
    """Whether ``target`` is named right after the verb (determiners aside): its object, not a
    name further on in the clause."""
    for m in sent.ents:
        if m.start >= mt.end and _name(m) == target:
            between = _WORD.findall(doc.low, mt.end, m.start)
            return all(w in doc.lex.determiners for w in between) and not re.search(
                r"[,;:.]", doc.body[mt.end : m.start]
            )
    return False


def _target_allowed(doc: _Doc, sent: _Sentence, mt: _Match, patient: str | None) -> bool:
    """The trigger's ``target_types`` constraint allows the one it acts on (a passive's
    subject, a nominal's object, an active verb's object)."""
    allowed = doc.lex.target_types.get(mt.key)
    if allowed is None:
        return True
    return patient is not None and _coding(doc, sent, patient)[1] in allowed


# name-word types more precise than the gazetteer's kind of entity (agency, ministry)
_SPECIFIC_TYPES = frozenset({"police", "military", "judiciary", "rebel", "sport"})
_BPS_COUNTRY = "IDN"  # a BPS code is the Indonesian statistics office's code of a region
_TITLE_BREAK = diskcache.compile(r"[,.;:()\"“”]")


def _named(doc: _Doc, sent: _Sentence, name: str) -> Mention | None:
    """The mention an event's actor or target name comes from: in the sentence, else the
    first one of the body with that name (an actor carried over from an earlier sentence); a
    pronoun standing for it ("saya", "kami": the quote's speaker) only where no name is there,
    since the name carries the title ("kata Kapolres AKBP Budi")."""
    for m in sent.ents:
        if _name(m) == name and m.type != "PRONOUN":
            return m
    for m in doc.mentions:
        if m.type in _ACTOR_TYPES and _name(m) == name:
            return m
    for m in sent.ents:
        if _name(m) == name:
            return m
    return None


def _title_type(doc: _Doc, sent: _Sentence, m: Mention) -> str | None:
    """The actor type a title or common noun right before a name gives it ("Kapolda Irjen X",
    "Presiden AS Donald Trump", "polisi Malaysia"): the nearest of the four words before it,
    within its clause, past capitalised words only."""
    floor = sent.a
    for b in _TITLE_BREAK.finditer(doc.body, sent.a, m.start):
        floor = b.end()
    span = doc.body[floor : m.start]
    # "Menteri Kesehatan Kanada saat itu Rona Ambrose": the title's asides are left out
    for aside in reversed(list(doc.lex.title_asides.finditer(doc.low, floor, m.start))):
        span = span[: aside.start() - floor] + span[aside.end() - floor :]
    words = _WORD.findall(span)[-4:]
    low = [w.lower() for w in words]
    titles = doc.lex.actors.titles
    for j in range(len(words), 0, -1):
        for size in (3, 2, 1):
            if j - size >= 0:
                kind = titles.get(" ".join(low[j - size : j]))
                if kind is not None:
                    return kind
        if not words[j - 1][:1].isupper():
            return None  # a plain word that is no title ends the name's title
    return None


def _name_type(doc: _Doc, text: str) -> tuple[str | None, bool]:
    """(actor type, home institution) from the words of an organisation's name ("Polda Metro
    Jaya": police, Indonesian)."""
    words = _WORD.findall(text.lower())
    table = doc.lex.actors.name_words
    for size in (3, 2, 1):
        for i in range(len(words) - size + 1):
            key = " ".join(words[i : i + size])
            if key in table:
                return table[key], key in doc.lex.actors.home
    return None, False


def _title_country(doc: _Doc, sent: _Sentence, m: Mention) -> str | None:
    """A country named in a name's title ("Presiden AS Donald Trump", "Menlu Rusia X")."""
    floor = sent.a
    for b in _TITLE_BREAK.finditer(doc.body, sent.a, m.start):
        floor = b.end()
    for x in reversed(sent.ents):
        between = _WORD.findall(doc.body, x.end, m.start)
        # only capitalised title words between ("AS Donald Trump"), not a verb ("AS
        # menginginkan Assad mundur")
        if x.end > m.start or x.start < floor or any(not w[:1].isupper() for w in between):
            continue
        ent = doc.linker.get(x.entity_id) if x.entity_id else None
        if ent is not None and ent.qid in doc.lex.actors.countries:
            return doc.lex.actors.countries[ent.qid]
    return None


def _coding(
    doc: _Doc, sent: _Sentence, name: str | None
) -> tuple[str | None, str | None, str | None]:
    """(entity id, actor type, country) of an event's actor or target (see ``Event``)."""
    if name is None:
        return None, None, None
    m = _named(doc, sent, name)
    actors = doc.lex.actors
    if m is None:  # a common noun carried over from an earlier sentence ("Polisi ..."), or
        # an institution named by no mention ("di Propam Polda Sumut"): its name's words
        noun = actors.types.get(" ".join(name.lower().split()))
        if noun is not None:
            return None, noun, None
        by_name, home = _name_type(doc, name)
        return None, by_name, actors.home_country if home else None
    if m.type == "PRONOUN":
        return None, None, None
    if m.type == "GROUP":
        return None, actors.types.get(" ".join(m.text.lower().split())), None
    ent: Entity | None = doc.linker.get(m.entity_id) if m.entity_id else None
    # "Polda Jambi" read as a place is a police unit by its name
    by_name, home = (
        _name_type(doc, m.text) if m.type in ("ORGANIZATION", "PLACE") else (None, False)
    )
    if by_name is None and ent is not None and m.type == "ORGANIZATION":
        # "Arsenal" is a company to the gazetteer, a football club by its canonical name
        canon = _name_type(doc, ent.name)[0]
        by_name = canon if canon in _SPECIFIC_TYPES else None
    kind = (
        # a title says what a person is ("Kapolda X"), a noun what a country's actor is
        # ("polisi Malaysia"); before an organisation it names its members ("saksi Partai X")
        (_title_type(doc, sent, m) if m.type != "ORGANIZATION" else None)
        # "Polda Metro Jaya" is an agency to the gazetteer, police by its name
        or (by_name if by_name in _SPECIFIC_TYPES else None)
        or (actors.kinds.get(ent.kind) if ent is not None and ent.kind else None)
        or by_name
        or ("government" if m.type == "PLACE" else None)
    )
    country: str | None = None
    if ent is not None and ent.qid in actors.countries:
        country = actors.countries[ent.qid]
    elif ent is not None and ent.bps:
        country = _BPS_COUNTRY
    country = country or _title_country(doc, sent, m) or (actors.home_country if home else None)
    return m.entity_id, kind, country


def _agent_after(doc: _Doc, sent: _Sentence, start: int, end: int) -> str | None:
    """The named agent of a nominal event: the name after the first agent word ("oleh")
    between ``start`` and ``end``."""
    for w in _WORD.finditer(doc.low, start, end):
        if w.group() in doc.lex.agent_words and w.group() not in doc.lex.title_words:
            return _passive_agent(doc.lex, doc.body, w.end(), sent.ents)
    return None


def _candidates(
    doc: _Doc, sent: _Sentence, win: int, mt: _Match, targets_so_far: set[str]
) -> list[Mention]:
    """The mentions of the clause before the verb that can be its subject (not after a
    preposition or a passive verb, whose agent it is: "ditanya wartawan tentang mendukung";
    not an earlier event's target)."""
    out = []
    for m in sent.ents:
        if not _in(m, win, mt.start) or _name(m) in targets_so_far:
            continue
        before = _prev_plain_word(doc.body, m.start, win)
        if before in doc.lex.determiners:  # "menurut para pengungsi": past the determiner
            at = doc.low.rfind(before, win, m.start)
            before = _prev_plain_word(doc.body, at, win) if at >= 0 else before
        if before in doc.lex.partitive_prepositions and _partitive(doc, m.start, win):
            before = None  # "tak satu pun dari mereka diajak": the group is the subject
        if before is None:
            # "Menurut Presiden Prabowo keberadaan ...": the capitalised run opening the clause
            # starts with a preposition (capitalised only because it opens the sentence)
            words = _WORD.findall(doc.body, win, m.start)
            before = (
                words[0].lower() if words and words[0].lower() in doc.lex.prepositions else None
            )
        if before is None and not _WORD.search(doc.body, win, m.start):
            # "traveled to Florida to meet with X": the window opens at the end of an earlier
            # trigger whose last word is a preposition; the name is that trigger's object
            tail = doc.body[sent.a : win].rstrip()
            if tail and tail[-1].isalnum():
                before = _word_before(doc.low, sent.a + len(tail), sent.a)
        if before in doc.lex.prepositions or _is_passive_verb(doc.lex, before):
            continue
        out.append(m)
    return out


def _partitive(doc: _Doc, start: int, floor: int) -> bool:
    """Whether the preposition before ``start`` follows a quantifier ("satu pun dari",
    "salah satu dari", "one of"): the mention after it names the group the subject is from."""
    words = [w.group() for w in _WORD.finditer(doc.low, floor, start)][-2:]
    return len(words) == 2 and words[0] in doc.lex.partitives


def _is_passive_verb(lex: Lexicon, word: str | None) -> bool:
    """A di- passive verb ("ditanya", "dikutip"), not a word that merely starts so ("diri")."""
    return bool(
        word
        and lex.passive_prefix
        and word.startswith(lex.passive_prefix)
        and len(word) >= lex.min_verb_length - 1
        and word not in lex.not_passives
    )


def _actor(
    doc: _Doc,
    sent: _Sentence,
    win: int,
    mt: _Match,
    earlier: list[Event],
    targets_so_far: set[str],
    speaker: str | None,
    cue_end: int,
) -> tuple[str | None, bool]:
    """(actor, inherited): the last actor-type mention of the clause before the verb (a
    "(...)" or ", Rabu (18/11/2015)," aside between subject and verb is no boundary); else the
    sentence's previous event's actor; else the speaker of a cue right before the verb ("X
    said he had attacked")."""
    cands = _candidates(doc, sent, win, mt, targets_so_far)
    if cands:
        return _name(cands[-1]), False
    if _after_relative(doc, sent, mt.start):
        # "pelaku yang memukul korban": the relative's head acts, or no one named does (not
        # an earlier verb's actor: "police detained the owner, where travellers who visited")
        # (an earlier verb's target may be it: "menangkap pelaku yang mengeroyok korban")
        return _relative_head(doc, sent, mt.start), False
    appositive = _appositive(doc, sent, mt, targets_so_far)
    if appositive is not None:
        return appositive, False
    titled = _titled_opener(doc, sent, mt.start, targets_so_far)
    if titled is not None:
        return titled, False
    bare = _bare_actor(doc, sent, win, mt.start)
    if bare is not None and bare not in targets_so_far:
        return bare, False
    if earlier and earlier[-1].actor:
        return earlier[-1].actor, True
    shared = _shared_subject(doc, sent, win, targets_so_far)
    if shared is not None:
        return shared, True
    if (
        speaker
        and cue_end >= 0
        and all(
            w.group() in doc.lex.subject_skips  # "X menyatakan siap melanjutkan ..."
            for w in _WORD.finditer(doc.lex.auxiliaries.sub("", doc.low[cue_end : mt.start]))
        )
    ):
        return speaker, True
    return None, False


_APPOSITION = diskcache.compile(r"\s*,\s*")


def _appositive(doc: _Doc, sent: _Sentence, mt: _Match, targets_so_far: set[str]) -> str | None:
    """The name in apposition right before the verb ("one of his victims, Virginia Giuffre,
    filed ..."; "Kapolres, AKBP Budi, menangkap"): a comma, the name, a comma, the verb."""
    for m in reversed(sent.ents):
        if m.end > mt.start:
            continue
        gap = _APPOSITION.match(doc.body, m.end, mt.start)
        # "X, sempat berkonsultasi": adverbs may stand between the aside and the verb
        if gap is None or not _only_adverbs(doc, gap.end(), mt.start):
            return None
        if m.type == "PRONOUN" or _name(m) in targets_so_far:
            return None
        open_at = doc.body.rfind(",", sent.a, m.start)
        titled = all(w[:1].isupper() for w in _WORD.findall(doc.body, open_at, m.start))
        if open_at < 0 or not titled:
            return None  # the name (or its title) opens its aside: ", Brigjen JO Sembiring,"
        if _prev_plain_word(doc.body, m.start, open_at) in doc.lex.prepositions:
            return None
        if m.type == "PLACE":  # "Polres Metro Bekasi Kota, Jawa Barat, menyiagakan": its place
            return _before_comma(doc, sent, open_at) or _name(m)
        return _name(m)
    return None


_COMMA_BEFORE = diskcache.compile(r"\s*,\s*")


def _titled_opener(doc: _Doc, sent: _Sentence, verb: int, targets_so_far: set[str]) -> str | None:
    """The name that opens the sentence behind its capitalised title and ends at a comma
    before the verb, adverbs and words like "mengaku" aside ("Kapolres Bogor AKBP Budi
    Santoso, menangkap ..."; "Menteri Pertanian (Mentan) Andi Amran Sulaiman, mengaku sempat
    mengancam ..."): Indonesian news sets a long subject off by a comma."""
    lex = doc.lex
    comma = doc.body.rfind(",", sent.a, verb)
    if comma < 0:
        return None
    skip = lex.openers | lex.subject_skips | lex.modals
    rest = lex.auxiliaries.sub("", doc.low[comma + 1 : verb])
    if not all(w.group() in skip for w in _WORD.finditer(rest)):
        return None
    before = [m for m in sent.ents if m.end <= comma and m.start >= sent.a]
    if not before:
        return None
    m = before[-1]
    if m.type not in _ACTOR_TYPES or _name(m) in targets_so_far:
        return None
    if doc.body[m.end : comma].strip(" )"):
        return None
    if doc.body.find(",", sent.a, m.start) >= 0:
        return None  # a comma before the name: it does not open the sentence
    # the words before the name are its title: all capitalised (parentheses aside)
    if not all(w[:1].isupper() for w in _WORD.findall(doc.body, sent.a, m.start)):
        return None
    return _name(m)


def _opening_subject(doc: _Doc, sent: _Sentence, win: int, verb: int) -> str | None:
    """The name that opens the sentence and ends at the comma that opens the verb's clause,
    with only adverbs after the comma ("Nikita Mirzani, tetap dituntut ...")."""
    comma = doc.body.rfind(",", sent.a, win)
    if comma < 0 or doc.body[comma + 1 : win].strip() or not _only_adverbs(doc, win, verb):
        return None
    name = _before_comma(doc, sent, comma) or _relative_opener(doc, sent, comma)
    m = _named(doc, sent, name) if name else None
    if m is None or len(_WORD.findall(doc.body, sent.a, m.start)) > 1:
        return None
    return name


def _relative_opener(doc: _Doc, sent: _Sentence, comma: int) -> str | None:
    """The sentence's first name when a relative clause stands between it and ``comma``
    ("Nyono yang mengenakan kemeja biru itu, digelandang ..."): the subject it qualifies."""
    first = next((m for m in sent.ents if m.start < comma), None)
    if first is None or first.type == "PRONOUN" or "," in doc.body[first.end : comma]:
        return None
    rest = _WORD.findall(doc.low, first.end, comma)
    return _name(first) if rest and rest[0] in doc.lex.relatives else None


def _before_comma(doc: _Doc, sent: _Sentence, comma: int) -> str | None:
    """The name that ends right before ``comma`` (the one a place in apposition qualifies)."""
    for m in reversed(sent.ents):
        if m.end <= comma:
            if doc.body[m.end : comma].strip() or m.type == "PRONOUN":
                return None
            return _name(m)
    return None


def _bare_subject(doc: _Doc, win: int, verb: int) -> str | None:
    """The capitalised words that open the clause of a passive verb with nothing but adverbs
    and auxiliaries after them ("Atut juga didakwa"): its subject, a name the entity stage
    missed. Not a word the lexicon knows as an opener, a coordinator or a clause word."""
    words = list(_WORD.finditer(doc.body, win, verb))
    names: list[str] = []
    names_end = win
    for w in words:
        if not w.group()[:1].isupper() or names and w.start() - names_end > 1:
            break
        names.append(w.group())
        names_end = w.end()
    if not names or len(names) > 3:
        return None
    rest = doc.lex.auxiliaries.sub("", doc.low[names_end:verb])
    if not all(w.group() in doc.lex.openers for w in _WORD.finditer(rest)):
        return None
    first = names[0].lower()
    if first in doc.lex.openers or first in doc.lex.coordinators or first in doc.lex.not_subjects:
        return None
    return " ".join(names)


def _quoted_subjectless(doc: _Doc, sent: _Sentence, win: int, mt: _Match) -> str | None:
    """The speaker of a quote whose first clause opens with the verb, no subject before it
    ('"Pertama, menyita uang ...," kata Kombes X'; '"Langsung kami ..."' is a pronoun's case):
    an official telling what their side did. Only in a quote: a sentence of the article's own
    voice that opens with a verb is a headline-like fragment, not the speaker's act."""
    if doc.body[mt.start : mt.start + 1].isupper() and mt.start == sent.a:
        return None  # no quote mark before the verb
    opening = doc.body[sent.a : win]
    if not re.search(r"[\"“]", opening) and not re.search(r"[\"”]\s*,?\s*\Z", opening):
        # the quote may have opened in an earlier sentence: its closing mark and cue follow
        if not any(q.start <= mt.start < q.end for q in doc.quotes):
            if not re.search(r",?[\"”]\s*\w", doc.body[mt.end : sent.b]):
                return None
    words = [w.group().lower() for w in _WORD.finditer(doc.body, sent.a, mt.start)]
    lex = doc.lex
    skip = lex.openers | lex.subject_skips | lex.modals | lex.ordinals
    if any(w not in skip and not lex.auxiliaries.fullmatch(w) for w in words):
        return None
    return _quote_speaker(doc, mt.start, sent.b)


def _bare_actor(doc: _Doc, sent: _Sentence, win: int, verb: int) -> str | None:
    """The capitalised words (at most three) right before an active verb (one the language's
    verb prefixes mark), adverbs, modals and auxiliaries aside, that open its clause or follow a comma ("Namun, Puigdemont meminta",
    "Sahara berniat melaporkan"): its subject, a name the entity stage missed. Not where a
    mention overlaps them (the entity stage read them as something else), nor a word the
    lexicon knows as an opener, a clause word, a preposition or no subject."""
    lex = doc.lex
    if doc.body[verb : verb + 1].isupper():
        return None  # "Direktur Kerja Sama": the trigger is part of a name or a title
    head = _WORD.match(doc.low, verb)
    titled = not lex.active_prefixes  # "Ms Ley accused": only after a title
    if titled and not lex.name_titles:
        return None
    if not titled and (
        head is None
        or not head.group().startswith(lex.active_prefixes)
        or len(head.group()) < lex.min_verb_length
    ):
        # only before a verb by its form ("meminta"): "Forum kerja sama", "Tertarik berkunjung",
        # and in a language without verb prefixes "Photos released", are no subject and verb
        return None
    words = list(_WORD.finditer(doc.body, win, verb))
    skip = lex.openers | lex.modals | lex.subject_skips
    i = len(words)
    while i and (
        words[i - 1].group().lower() in skip
        or lex.auxiliaries.fullmatch(words[i - 1].group().lower())
    ):
        i -= 1
    end = words[i].start() if i < len(words) else verb
    if re.search(r"[^\w\s]", doc.body[words[i - 1].end() if i else win : end]):
        return None  # punctuation between the name and the verb
    run: list[re.Match[str]] = []
    while i and len(run) <= 3:
        w = words[i - 1]
        if not w.group()[:1].isupper() or doc.body[w.end() : end].strip():
            break
        run.insert(0, w)
        end = w.start()
        i -= 1
    if not run or len(run) > 3:
        return None
    first, last = run[0].start(), run[-1].end()
    if any(m.start < last and first < m.end for m in sent.ents):
        return None
    before = doc.body[win:first].strip()
    if before and not before.endswith(","):
        return None  # the name does not open its clause
    if titled:
        # "MEC Mamabolo urged", "Premier Minns urged": a title, then the name
        if len(run) < 2 or run[0].group().lower().rstrip(".") not in lex.name_titles:
            return None
        run = run[1:]
        if any(w.group().lower() in lex.name_titles for w in run):
            return None
    stop = lex.openers | lex.coordinators | lex.not_subjects | lex.common_words | lex.first_words
    for w in run:
        low = w.group().lower()
        if low in stop or _derived_noun(lex, low):
            return None
        # a word the page also writes in lower case ("Dunia ... dunia") is a common word
        if re.search(r"(?<!\w)" + re.escape(low) + r"(?!\w)", doc.body):
            return None
    return " ".join(w.group() for w in run)


def _derived_noun(lex: Lexicon, word: str) -> bool:
    """Whether ``word`` has the shape of a derived common noun ("penandatanganan", "perjanjian",
    "kesepakatan"): capitalised only because it opens the sentence, no name."""
    prefixes, suffixes = lex.noun_affixes
    return (
        len(word) >= 7
        and any(word.startswith(p) for p in prefixes)
        and any(word.endswith(x) for x in suffixes)
    )


def _shared_subject(doc: _Doc, sent: _Sentence, win: int, targets_so_far: set[str]) -> str | None:
    """The subject of a clause whose own is left out. After a coordinator ("Polisi datang ke
    lokasi dan menangkap ...", "peserta aksi kemudian ... menggelar audiensi"): the first
    possible actor of the sentence, after any speech cue, when it opens the sentence. After a
    subordinator ("pelaku saat melakukan penyerangan"): the name right before it."""
    opener = _word_before(doc.low, win, sent.a)
    if opener is None:
        return None
    if opener in doc.lex.subordinators:
        at = win - len(opener)
        before = [m for m in sent.ents if m.end <= at and not _WORD.search(doc.body, m.end, at)]
        if before and (before[-1].type != "PRONOUN" or before[-1].canonical):
            return _name(before[-1]) if _name(before[-1]) not in targets_so_far else None
        # "massa membawa sejumlah tuntutan saat berdemo": the subject that opens the sentence
    elif opener not in doc.lex.coordinators:
        return None
    floor = sent.a
    for c in doc.lex.reporting_before.finditer(doc.low, sent.a, win):
        floor = c.end()
    for m in sent.ents:
        if not _in(m, floor, win) or (m.type == "PRONOUN" and not m.canonical):
            continue
        if _prev_plain_word(doc.body, m.start, floor) in doc.lex.prepositions:
            continue
        if _name(m) in targets_so_far:
            continue
        if m.type != "PERSON" and _titles_a_person(doc, m.end, win, sent.ents, direct=True):
            continue  # "Menteri Kesehatan Kanada Rona Ambrose": Kanada titles the minister
        # the subject opens its clause: "Sejumlah peserta aksi kemudian ...", not a name deep
        # inside it ("The look he gives me ... and asked him")
        if len(_WORD.findall(doc.body, floor, m.start)) <= 2:
            return _name(m)
        break
    at = win - len(opener)
    return _first_verb_subject(doc, sent, floor, at, targets_so_far) or _adverb_subject(
        doc, sent, floor, at, targets_so_far
    )


def _adverb_subject(
    doc: _Doc, sent: _Sentence, floor: int, at: int, targets_so_far: set[str]
) -> str | None:
    """The name that opens its clause right before a coordinator used as an adverb ("...,
    pemerintah setempat lalu meminta masyarakat"): at most two words after it and no verb
    (by its prefix) before the coordinator, at most one word before it in its clause."""
    lex = doc.lex
    if not lex.verb_starts:
        return None  # a language without verb prefixes: no way to tell a verb by its form
    start = max(floor, doc.body.rfind(",", floor, at) + 1)
    before = [m for m in sent.ents if start <= m.start and m.end <= at]
    if not before:
        return None
    m = before[-1]
    if m.type == "PRONOUN" and not m.canonical or _name(m) in targets_so_far:
        return None
    after = _WORD.findall(doc.low, m.end, at)
    if len(after) > 2 or any(w.startswith(lex.verb_starts) for w in after):
        return None
    if len(_WORD.findall(doc.body, start, m.start)) > 1:
        return None
    if _prev_plain_word(doc.body, m.start, start) in lex.prepositions:
        return None
    return _name(m)


def _first_verb_subject(
    doc: _Doc, sent: _Sentence, floor: int, at: int, targets_so_far: set[str]
) -> str | None:
    """The subject of the first active verb before the coordinator at ``at``, which the verb
    after it shares ("Menteri X menghapuskan zat itu dan melarang dokter ..."): the last
    mention right before that verb (adverbs and auxiliaries aside), not after a preposition."""
    lex = doc.lex
    if not lex.active_prefixes:
        return None  # a language without verb prefixes: no verb to find by its form
    verb = next(
        (
            w
            for w in _WORD.finditer(doc.low, floor, at)
            # written in lower case: "Menteri" is a title, not a verb
            if doc.body[w.start()].islower()
            and w.group().startswith(lex.active_prefixes)
            and _is_verb(lex, w.group())
        ),
        None,
    )
    if verb is None or any(c.group() != "," for c in lex.clause.finditer(doc.low, verb.end(), at)):
        return None  # another clause (a relative, a quote, "jika ...") stands between them
    before = [m for m in sent.ents if floor <= m.start and m.end <= verb.start()]
    if not before:
        return None
    m = before[-1]
    if m.type == "PRONOUN" and not m.canonical or _name(m) in targets_so_far:
        return None
    if _prev_plain_word(doc.body, m.start, floor) in lex.prepositions:
        return None
    if not _only_adverbs(doc, m.end, verb.start()):
        return None
    return _name(m)


def _comma_end(doc: _Doc, start: int, end: int) -> int:
    """The first comma or semicolon in ``body[start:end]``, else ``end``."""
    for i in range(start, end):
        if doc.body[i] in ",;":
            return i
    return end


_STRONG_BREAK = diskcache.compile(r";|,\s*(?=\w)")


def _segment_end(doc: _Doc, verb_end: int, next_start: int) -> int:
    """Where the verb's segment ends: at a ";" or at a comma that opens a new clause."""
    for s in _STRONG_BREAK.finditer(doc.low, verb_end, next_start):
        if doc.lex.clause.match(doc.low, s.end()) or doc.low[s.start()] == ";":
            return s.start()
    return next_start


def _target(doc: _Doc, sent: _Sentence, mt: _Match, actor: str | None, seg_end: int) -> str | None:
    """The first mention inside the verb's gap ("menyerang * di"), else the first one of its
    object that is neither a place after a preposition nor the actor."""
    if mt.gap:
        inside = [m for m in sent.ents if _in(m, *mt.gap)]
        return _name(inside[0]) if inside else None
    obj_end = _object_end(doc.lex, doc.body, doc.low, mt.end, seg_end)
    for m in sent.ents:
        if not _in(m, mt.end, obj_end):
            continue
        if _prev_plain_word(doc.body, m.start, mt.end) in doc.lex.place_prepositions:
            continue
        if _name(m) == actor:
            continue
        if m.type == "GROUP" and mt.category in _GROUP_NOT_TARGET:
            continue  # "menyiagakan ribuan prajurit": the forces sent, not a target
        if m.type != "PERSON" and _titles_a_person(doc, m.end, obj_end, sent.ents, direct=True):
            continue  # "bertemu dengan Presiden PEA Mohammed bin Zayed": PEA is the title's
        return _name(m)
    return _object_pronoun(doc, mt, obj_end)


def _possessive_actor(doc: _Doc, sent: _Sentence, win: int, mt: _Match) -> str | None:
    """The name whose possessive mark stands before a nominal event, past at most two lower-case
    words ("Israel's subsequent assault on Gaza", "Beijing's crackdown on"): its actor."""
    marks = doc.lex.possessive_marks
    if not marks:
        return None
    for m in reversed(sent.ents):
        if m.end > mt.start or m.start < win:
            continue
        mark = next((k for k in marks if doc.body.startswith(k, m.end)), None)
        if mark is None:
            return None
        between = doc.body[m.end + len(mark) : mt.start].split()
        if len(between) > 2 or any(not w.isalpha() or not w.islower() for w in between):
            return None
        if m.type == "PRONOUN" and not m.canonical:
            return None
        return _name(m)
    return None


def _joint_subjects(
    doc: _Doc, sent: _Sentence, win: int, mt: _Match, actor: str
) -> tuple[str, str] | None:
    """(first, second) of a subject of two parties joined by a pair word right before the
    verb's actor mention ("Jokowi dan Prabowo bertemu", "Presiden X dan Perdana Menteri Y
    sepakat"): only capitalised title words may stand between the word and the second name."""
    named = [m for m in sent.ents if _in(m, win, mt.start) and _name(m) == actor]
    if not named:
        return None
    second = named[-1]
    # the pair word may have opened the verb's clause ("dan"): the first name stands before it
    for first in reversed([m for m in sent.ents if _in(m, sent.a, second.start)]):
        between = _WORD.findall(doc.body, first.end, second.start)
        if re.search(r"[^\w\s&-]", doc.body[first.end : second.start]):
            return None
        if not between or between[0].lower() not in doc.lex.pair_words:
            return None
        if not all(w[:1].isupper() for w in between[1:]):
            return None  # "X dan kawan-kawan Y": no pair of parties
        if first.type == "PRONOUN" and not first.canonical or _name(first) == actor:
            return None
        if _prev_plain_word(doc.body, first.start, sent.a) in doc.lex.prepositions:
            return None  # "berkoordinasi dengan X serta Y": the pair is the object
        return _name(first), actor
    return None


def _object_pronoun(doc: _Doc, mt: _Match, obj_end: int) -> str | None:
    """An object pronoun right after the verb ("they raped us", "police arrested him"): the
    person it refers to where the entity stage resolves it, else the pronoun as written."""
    nxt = _WORD.match(doc.low, mt.end + 1, obj_end) if doc.low[mt.end : mt.end + 1] == " " else None
    if nxt is None or nxt.group() not in doc.lex.actors.objects:
        return None
    person = resolve_pronoun(doc.body, nxt.start(), doc.mentions, doc.lang)
    return _name(person) if person is not None else doc.body[nxt.start() : nxt.end()]


def _relative_agent(doc: _Doc, sent: _Sentence, mt: _Match, seg_end: int) -> str | None:
    """The agent of the relative passive that qualifies the verb's object ("mendukung proses
    hukum yang dilakukan oleh kejaksaan", "kebijakan yang dibuat oleh para menterinya"): whom
    backing that thing backs."""
    lex = doc.lex
    obj_end = _object_end(lex, doc.body, doc.low, mt.end, seg_end)
    words = list(_WORD.finditer(doc.low, obj_end, seg_end))[:2]
    if len(words) < 2 or words[0].group() not in lex.relatives:
        return None
    if not _is_passive_verb(lex, words[1].group()):
        return None
    return _passive_agent(lex, doc.body, words[1].end(), sent.ents)


def _place(doc: _Doc, sent: _Sentence, win: int, mt: _Match, seg_end: int) -> str | None:
    """A place after a "where" preposition in the clause ("di Bandung"); of "di X, Y" before
    the verb the first one named."""
    place: str | None = None
    for m in sent.ents:
        if m.type != "PLACE" or not _in(m, win, seg_end):
            continue
        if _prev_word(doc.body, m.start, win) in doc.lex.where_prepositions:
            prep = list(_WORD.finditer(doc.body, win, m.start))[-1]
            before = [
                x
                for x in sent.ents
                if x.type == "PLACE"
                and _in(x, win, prep.start())
                and not _WORD.search(doc.body, x.end, prep.start())
            ]
            chosen = before[-1] if before and m.start > mt.end else m
            if chosen.start >= mt.end or place is None:
                place = _name(chosen)
            if chosen.start >= mt.end:
                break
    return place


_CAPITALISED_RUN = diskcache.compile(r"(?:[A-Z][\w-]*\s+){0,5}[A-Z][\w-]*")


def _venue_agent(doc: _Doc, sent: _Sentence, win: int, seg_end: int) -> str | None:
    """The institution where an act with no agent named was done ("diperiksa di Propam Polda
    Sumut", "diamankan di Polres Biak Numfor"): the capitalised run right after a venue
    preposition of the clause whose name words give one of the lexicon's venue types (police,
    prosecutors, courts: they detain and examine where they sit). Its mention's name where one
    starts there, else the run as written."""
    lex = doc.lex
    for w in _WORD.finditer(doc.low, win, seg_end):
        if w.group() not in lex.venue_prepositions:
            continue
        run = _CAPITALISED_RUN.match(doc.body, w.end() + 1, seg_end)
        if run is None or doc.body[w.end()] != " ":
            continue
        kind, _ = _name_type(doc, run.group())
        if kind not in lex.venue_types:
            continue
        for m in sent.ents:
            if m.start == run.start() and m.end >= run.end() and m.type != "PLACE":
                return _name(m)
            if m.start == run.start() and m.end >= run.end():
                return m.text  # a unit read as a place ("Polda Jambi"): as written
        return run.group()
    return None


def _when(times: list[TimeExpression], win: int, seg_end: int, sent: _Sentence) -> str | None:
    """The value of the first time expression in the verb's segment, else in its sentence."""
    for t in times:
        if t.value and win <= t.start and t.end <= seg_end:
            return t.value
    for t in times:
        if t.value and sent.a <= t.start and t.end <= sent.b:
            return t.value
    return None


def _reported_by(doc: _Doc, sent: _Sentence, mt: _Match, speaker: str | None) -> str | None:
    """Whose statement the event comes from: the speaker of a quote around the verb, else of
    a cue before it, else of a cue after it."""
    for q in doc.quotes:
        if q.start <= mt.start and mt.end <= q.end and (q.speaker or q.speaker_id):
            return doc.names_by_id.get(q.speaker_id or "", q.speaker)
    return speaker or _speaker_after(doc.body, doc.low, doc.lex, mt.end, sent.b, sent.ents)


def _evidence(body: str, start: int, end: int) -> tuple[int, int]:
    """``body[start:end]`` trimmed to its first letter or digit and its last one (or a closing
    bracket or quote)."""
    while start < end and not body[start].isalnum():
        start += 1
    while end > start and not (body[end - 1].isalnum() or body[end - 1] in ')"”'):
        end -= 1
    return start, end


class EventStage(Stage):
    name = "nlp.events.v1"
    requires = frozenset({"body", "entities"})
    provides = frozenset({"events"})

    def setup(self) -> None:
        """Nothing read ahead: each language's lexicon is read (once per process, by
        :func:`load_lexicon`) on that language's first page; a single-page run needs one of
        them, and reading all three was ≈40 % of this stage's start-up."""

    def process(self, article: Article) -> Article:
        if not article.body or for_page(article, self.name, _NEEDS) is None:
            return article
        article.events = code_events(
            article.body,
            article.entities,
            article.times or None,
            article.quotes or None,
            lang=article.language,
        )
        return article
