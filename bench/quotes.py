"""Quote bench on PFSA-ID (CC BY-NC-SA, evaluation only): ../shared/data/pfsa_id_quotes.

    .venv/bin/python bench/quotes.py [test|dev] [--errors N]

``dev`` is dev-20 (for development and tuning); ``test`` is test-data (report this one; never
tune on it). An article is the sentences from one "…, KOMPAS —" dateline to the next, its
text the tokens joined with spaces; warta's entity stage gives the mentions, then
:func:`warta.nlp.quotes.find_quotes`.

What PFSA-ID annotates: a gold STATEMENT is a quoted passage (quote marks included) followed
by its CUE ("kata", "ujar") or CUECOREF ("katanya"): all but 3 of 535 (test) and 2 of 828 (dev),
as the first line of the report counts. Reported speech ("Roland menuturkan, RCD ...", "Menurut dia, ...") is not
annotated, so warta's *indirect* quotes are listed but scored only in the "all kinds" line;
the headline figures compare warta's *quoted* statements (kinds direct and partial) with the
gold ones.

Statements. Each gold statement is matched to at most one predicted statement and vice
versa: pairs sharing word tokens (punctuation and quote marks ignored), the largest overlap
first. P = matched predictions / predictions, R = matched gold / gold. "exact" counts a pair
whose word tokens are equal. "token" is word-token P/R over the union of spans.

Cues. A predicted cue (located after the statement, else before it) is right when it overlaps
a gold CUE/CUECOREF span; recall over gold cue spans overlapped by some predicted cue.

Speakers. The gold speaker of a statement is read from the annotation, not guessed from
distance: its cue is the first CUE/CUECOREF starting at most 4 tokens after the statement; a
CUE's speaker is the first PERSON/PERSONCOREF starting within 12 tokens after the cue ("kata
Kepala Unit ... Roland Manurung"); a CUECOREF ("katanya") — or a CUE with no person after it —
takes the last PERSON/PERSONCOREF before the statement (PFSA tags only speakers). A
PERSONCOREF is followed back to the latest earlier PERSON sharing a name word with it
("Roland" -> "Ajun Komisaris Roland Manurung"), a pronoun ("dia") to the previous speaker
span. A title alone ("Presiden") also stands for the name that follows that title in the
article ("Presiden Joko Widodo"). For each matched pair whose gold speaker is known, warta's
speaker is right when (a) its ``speaker_id`` is the entity id warta's own mentions give the
gold speaker span or its antecedent, or (b) its speaker text shares a name word (3+ letters,
case-folded, titles such as "Presiden"/"Kombes" not counted) with them, or equals the gold
title. Accuracy = right / matched pairs with a gold speaker.

Role and affiliation. For each matched pair whose speaker is right, the gold role and
affiliation are the ROLE / AFFILIATION spans chained to the gold speaker span in its sentence
(before it, or after it past a comma), at most one per label. P = right / quotes with a
predicted role, R = right / gold roles; "exact" = the same words (case and punctuation
ignored), "word overlap" = a word shared. The same for affiliations.
"""

from __future__ import annotations

import gzip
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from warta.core.record import Article, Mention, Quote
from warta.lang import load_words
from warta.nlp.entities import EntityStage
from warta.nlp.quotes import find_quotes

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "pfsa_id_quotes"
_W = re.compile(r"\w")
_PRONOUNS = frozenset({"dia", "ia", "beliau", "he", "she"})
_QUOTED_KINDS = frozenset({"direct", "partial"})
_QUOTE_MARKS = '"“”„«»'

Tok = tuple[str, str]
Span = tuple[int, int, str]


def articles(path: Path) -> list[list[list[Tok]]]:
    """Articles of a PFSA file: sentence lists, split at the "KOMPAS" datelines."""
    arts: list[list[list[Tok]]] = []
    sent: list[Tok] = []
    sents: list[list[Tok]] = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        lines = [*fh.read().splitlines(), ""]
    for line in lines:
        if not line.strip():
            if sent:
                if any(t == "KOMPAS" for t, _ in sent[:6]) and sents:
                    arts.append(sents)
                    sents = []
                sents.append(sent)
                sent = []
            continue
        tok, _, tag = line.partition("\t")
        sent.append((tok, tag.strip() or "O"))
    if sents:
        arts.append(sents)
    return arts


def spans(tags: list[str], labels: set[str]) -> list[Span]:
    """(start, end, label) token spans of a BILOU tag sequence, for the given labels."""
    out: list[Span] = []
    start: int | None = None
    for i, tag in enumerate(tags):
        pre, _, lab = tag.partition("-")
        if lab not in labels:
            start = None
            continue
        if pre in ("B", "U") or start is None:
            start = i
        if pre in ("L", "U"):
            out.append((start, i + 1, lab))
            start = None
    return out


def _titles() -> frozenset[str]:
    """Title and rank words, not counted as name words when speakers are compared."""
    words = load_words("id", "ner_person_titles") | load_words("id", "honorifics")
    return frozenset(w for entry in words for w in entry.split())


@dataclass
class Gold:
    """One article's gold spans (token indices) and its words."""

    words: list[str]
    statements: list[Span]
    cues: list[Span]
    persons: list[Span]
    speakers: list[tuple[int, int] | None]  # per statement: its speaker span, or None
    quoted: int  # statements holding a quote mark
    cued: int  # statements followed by their CUE/CUECOREF
    antecedents: list[tuple[int, int] | None]  # per statement: the speaker's named antecedent
    roles: list[Span]  # ROLE and AFFILIATION spans
    sentence: list[int]  # per token: its sentence's index


def read_gold(sents: list[list[Tok]]) -> Gold:
    """The article's statements with the speaker span each one's annotation gives it."""
    toks = [t for s in sents for t in s]
    sentence = [i for i, s in enumerate(sents) for _ in s]
    words = [w for w, _ in toks]
    tags = [g for _, g in toks]
    statements = spans(tags, {"STATEMENT"})
    cues = spans(tags, {"CUE", "CUECOREF"})
    persons = spans(tags, {"PERSON", "PERSONCOREF"})
    titles = _titles()

    def names(a: int, b: int) -> set[str]:
        return {w.casefold() for w in words[a:b] if len(w) >= 3} - titles

    def antecedent(p: Span) -> tuple[int, int]:
        a, b, lab = p
        if lab == "PERSON":
            return a, b
        low = " ".join(words[a:b]).casefold()
        earlier = [q for q in persons if q[1] <= a]
        if low in _PRONOUNS:
            return antecedent(earlier[-1]) if earlier else (a, b)
        mine = names(a, b)
        for q in reversed(earlier):
            if q[2] == "PERSON" and mine & names(q[0], q[1]):
                return q[0], q[1]
        return a, b

    speakers: list[tuple[int, int] | None] = []
    antecedents: list[tuple[int, int] | None] = []
    for a, b, _ in statements:
        cue = next((c for c in cues if b <= c[0] <= b + 4), None)
        who: Span | None = None
        if cue is not None and cue[2] == "CUE":
            who = next((p for p in persons if cue[1] <= p[0] < cue[1] + 12), None)
        if who is None and cue is not None:
            before = [p for p in persons if p[1] <= a]
            who = before[-1] if before else None
        speakers.append((who[0], who[1]) if who else None)
        antecedents.append(antecedent(who) if who else None)
    quoted = sum(1 for a, b, _ in statements if set("".join(words[a:b])) & set(_QUOTE_MARKS))
    cued = sum(1 for _, b, _ in statements if any(b <= c[0] <= b + 4 for c in cues))
    roles = spans(tags, {"ROLE", "AFFILIATION"})
    return Gold(
        words, statements, cues, persons, speakers, quoted, cued, antecedents, roles, sentence
    )


def gold_role(g: Gold, who: tuple[int, int]) -> tuple[str | None, str | None]:
    """The ROLE and AFFILIATION spans attached to the speaker span ``who``: those chained to it
    in its sentence, before it ("Kepala Bidang Humas [ROLE] Polda Metro Jaya [AFF] Yusri") or
    after it (", anggota tim kuasa hukum [ROLE]"), at most two tokens apart (a comma)."""
    found: dict[str, str] = {}
    here = [r for r in g.roles if g.sentence[r[0]] == g.sentence[who[0]]]
    pos = who[0]
    for a, b, lab in sorted(here, key=lambda r: -r[0]):
        if b <= pos and pos - b <= 2 and all(not _W.search(w) for w in g.words[b:pos]):
            found.setdefault(lab, " ".join(g.words[a:b]))
            pos = a
    pos = who[1]
    for a, b, lab in sorted(here):
        if a >= pos and a - pos <= 2 and all(not _W.search(w) for w in g.words[pos:a]):
            found.setdefault(lab, " ".join(g.words[a:b]))
            pos = b
    return found.get("ROLE"), found.get("AFFILIATION")


@dataclass
class Tally:
    """Counts summed over the articles of one view (all kinds, or quoted only)."""

    n_pred: int = 0
    n_gold: int = 0
    matched: int = 0
    exact: int = 0
    tok_tp: int = 0
    tok_pred: int = 0
    tok_gold: int = 0
    cue_pred: int = 0
    cue_tp_p: int = 0
    cue_gold: int = 0
    cue_tp_g: int = 0
    spk_n: int = 0
    spk_ok: int = 0
    spk_none: int = 0
    # role/affiliation on statements whose speaker is right: [pred, gold, exact tp, overlap tp]
    role: list[int] = field(default_factory=lambda: [0, 0, 0, 0])
    aff: list[int] = field(default_factory=lambda: [0, 0, 0, 0])


def _match(pred: list[set[int]], gold: list[set[int]]) -> dict[int, int]:
    """One-to-one pairs (prediction -> gold) sharing word tokens, the largest overlap first."""
    pairs = sorted(
        ((len(p & g), i, k) for i, p in enumerate(pred) for k, g in enumerate(gold) if p & g),
        reverse=True,
    )
    used_p: set[int] = set()
    used_g: set[int] = set()
    out: dict[int, int] = {}
    for _, i, k in pairs:
        if i not in used_p and k not in used_g:
            out[i] = k
            used_p.add(i)
            used_g.add(k)
    return out


def _cue_span(body: str, q: Quote) -> tuple[int, int]:
    """Where a quote's cue text is: just after the statement, else before it."""
    if not q.cue:
        return (0, 0)
    i = body.find(q.cue, q.end, q.end + 60 + len(q.cue))
    if i < 0:
        i = body.rfind(q.cue, max(0, q.start - 300), q.start)
    return (i, i + len(q.cue)) if i >= 0 else (0, 0)


class Scorer:
    """Scores one article's predictions against its gold, into a :class:`Tally`."""

    def __init__(self, gold: Gold, body: str, mentions: list[Mention]) -> None:
        self.g = gold
        self.body = body
        self.mentions = mentions
        self.offs: list[tuple[int, int]] = []
        pos = 0
        for w in gold.words:
            self.offs.append((pos, pos + len(w)))
            pos += len(w) + 1
        self.titles = _titles()

    def tokens(self, s: int, e: int) -> set[int]:
        """Word-token indices inside the character span ``[s, e)``."""
        words = self.g.words
        return {i for i, (a, b) in enumerate(self.offs) if a < e and b > s and _W.search(words[i])}

    def names(self, a: int, b: int) -> set[str]:
        return {w.casefold() for w in self.g.words[a:b] if len(w) >= 3} - self.titles

    def ids(self, a: int, b: int) -> set[str]:
        s, e = self.offs[a][0], self.offs[b - 1][1]
        return {m.entity_id for m in self.mentions if m.entity_id and m.start < e and m.end > s}

    def speaker_ok(self, q: Quote, k: int) -> bool | None:
        """Whether ``q``'s speaker is gold statement ``k``'s (None: no gold speaker)."""
        who, ante = self.g.speakers[k], self.g.antecedents[k]
        if who is None or ante is None:
            return None
        if q.speaker_id and q.speaker_id in self.ids(*who) | self.ids(*ante):
            return True
        gold_names = self.names(*who) | self.names(*ante)
        words = self.g.words
        if not gold_names:  # a title alone: the name after that title anywhere in the article
            title = [w.casefold() for w in words[ante[0] : ante[1]]]
            if " ".join(title) == (q.speaker or "").casefold():
                return True
            n = len(title)
            for i in range(len(words) - n):
                if [w.casefold() for w in words[i : i + n]] == title:
                    nxt = words[i + n : i + n + 4]
                    for w in nxt:
                        if not w[:1].isupper():
                            break
                        gold_names |= {w.casefold()} - self.titles
        ours = {w.casefold() for w in re.findall(r"\w+", q.speaker or "") if len(w) >= 3}
        return bool(gold_names & ours)

    def score(self, quotes: list[Quote], t: Tally, errors: list[str] | None) -> None:
        g = self.g
        gold_sets = [{i for i in range(a, b) if _W.search(g.words[i])} for a, b, _ in g.statements]
        pred_sets = [self.tokens(q.start, q.end) for q in quotes]
        gold_all = set().union(*gold_sets) if gold_sets else set()
        pred_all = set().union(*pred_sets) if pred_sets else set()
        t.tok_tp += len(gold_all & pred_all)
        t.tok_pred += len(pred_all)
        t.tok_gold += len(gold_all)
        t.n_pred += len(quotes)
        t.n_gold += len(gold_sets)
        pairs = _match(pred_sets, gold_sets)
        t.matched += len(pairs)
        t.exact += sum(1 for i, k in pairs.items() if pred_sets[i] == gold_sets[k])
        cue_sets = [self.tokens(*_cue_span(self.body, q)) for q in quotes if q.cue]
        gold_cue_sets = [set(range(a, b)) for a, b, _ in g.cues]
        t.cue_pred += len(cue_sets)
        t.cue_tp_p += sum(1 for c in cue_sets if any(c & x for x in gold_cue_sets))
        t.cue_gold += len(gold_cue_sets)
        t.cue_tp_g += sum(1 for x in gold_cue_sets if any(c & x for c in cue_sets))
        for i, k in pairs.items():
            ok = self.speaker_ok(quotes[i], k)
            if ok is None:
                continue
            t.spk_n += 1
            t.spk_ok += ok
            t.spk_none += quotes[i].speaker is None
            who = g.speakers[k]
            if ok and who is not None:
                gold_r, gold_a = gold_role(g, who)
                _tally_text(t.role, quotes[i].role, gold_r)
                _tally_text(t.aff, quotes[i].affiliation, gold_a)
            if not ok and errors is not None:
                who = g.speakers[k]
                ante = g.antecedents[k]
                assert who is not None and ante is not None
                a, b, _ = g.statements[k]
                errors.append(
                    f"gold {' '.join(g.words[who[0] : who[1]])!r}"
                    f" (= {' '.join(g.words[ante[0] : ante[1]])!r}); ours {quotes[i].speaker!r}"
                    f" cue {quotes[i].cue!r} | ...{' '.join(g.words[max(0, a - 25) : a])}"
                    f" [[{' '.join(g.words[a : a + 6])} ...]] {' '.join(g.words[b : b + 8])}"
                )


def _norm(text: str) -> list[str]:
    return [w.casefold() for w in re.findall(r"\w+", text)]


def _tally_text(counts: list[int], pred: str | None, gold: str | None) -> None:
    """Count one role (or affiliation): exact = the same words; overlap = a word shared."""
    counts[0] += pred is not None
    counts[1] += gold is not None
    if pred is not None and gold is not None:
        p, q = _norm(pred), _norm(gold)
        counts[2] += p == q
        counts[3] += bool(set(p) & set(q))


def _f1(tp_p: int, n_p: int, tp_g: int, n_g: int) -> str:
    p = tp_p / n_p if n_p else 0.0
    r = tp_g / n_g if n_g else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"P {100 * p:5.1f}  R {100 * r:5.1f}  F1 {100 * f:5.1f}"


def _report(name: str, t: Tally) -> None:
    print(f"[{name}] {t.n_pred} predicted, {t.n_gold} gold")
    print("  statement (one-to-one):", _f1(t.matched, t.n_pred, t.matched, t.n_gold))
    print("  statement, exact:      ", _f1(t.exact, t.n_pred, t.exact, t.n_gold))
    print("  statement, word tokens:", _f1(t.tok_tp, t.tok_pred, t.tok_tp, t.tok_gold))
    print("  cue (span overlap):    ", _f1(t.cue_tp_p, t.cue_pred, t.cue_tp_g, t.cue_gold))
    acc = 100 * t.spk_ok / t.spk_n if t.spk_n else 0.0
    print(
        f"  speaker attribution on statements found: {acc:.1f} % ({t.spk_ok}/{t.spk_n};"
        f" {t.spk_none} with no speaker)"
    )
    for label, c in (("role", t.role), ("affiliation", t.aff)):
        print(
            f"  {label + ' (right speakers)':28s} exact:  {_f1(c[2], c[0], c[2], c[1])}"
            f"   word overlap: {_f1(c[3], c[0], c[3], c[1])}  ({c[0]} predicted, {c[1]} gold)"
        )


def main() -> None:
    args = sys.argv[1:]
    split = next((a for a in args if not a.startswith("-") and not a.isdigit()), "test")
    n_errors = int(args[args.index("--errors") + 1]) if "--errors" in args else 0
    path = DATA / ("test-data.txt.gz" if split == "test" else "dev-20.txt.gz")
    stage = EntityStage()
    stage.setup()
    quoted, every = Tally(), Tally()
    kinds: dict[str, int] = {}
    errors: list[str] = []
    gold_quoted = gold_cued = 0
    arts = articles(path)
    for sents in arts:
        gold = read_gold(sents)
        gold_quoted += gold.quoted
        gold_cued += gold.cued
        body = " ".join(gold.words)
        art = stage.process(Article(source="pfsa", body=body))
        quotes = find_quotes(body, art.entities)
        for q in quotes:
            kinds[q.kind] = kinds.get(q.kind, 0) + 1
        scorer = Scorer(gold, body, art.entities)
        scorer.score([q for q in quotes if q.kind in _QUOTED_KINDS], quoted, errors)
        scorer.score(quotes, every, None)
    print(f"PFSA-ID {split}: {len(arts)} articles; predicted kinds {dict(sorted(kinds.items()))}")
    print(
        f"gold: {quoted.n_gold} statements, {gold_quoted} with quote marks,"
        f" {gold_cued} followed by their cue"
    )
    _report("quoted statements (direct + partial) vs gold  <- headline", quoted)
    _report("all kinds (indirect too, which PFSA does not annotate)", every)
    for line in errors[:n_errors]:
        print("  x", line)


if __name__ == "__main__":
    main()
