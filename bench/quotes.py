"""Quote bench on PFSA-ID (CC BY-NC-SA, evaluation only): ../shared/data/pfsa_id_quotes.

Article text is the tokens joined with spaces (sentences too); warta's entity stage gives the
mentions, then :func:`warta.nlp.quotes.find_quotes`. Figures:

* statement F1, token overlap: word tokens (punctuation and quote marks ignored) inside any
  predicted statement vs inside any gold STATEMENT;
* statement F1, exact: a predicted statement whose word tokens equal a gold STATEMENT's;
* cue F1: a predicted cue counts when it overlaps a gold CUE/CUECOREF span; recall over gold
  CUE+CUECOREF spans that some predicted cue overlaps;
* speaker accuracy, on predicted statements overlapping a gold statement that has a gold
  speaker: the gold speaker is the PERSON/PERSONCOREF span nearest the gold cue nearest the
  statement (a PERSONCOREF taken back to the latest PERSON before it in the article — an
  approximation of the chain); ours matches when our speaker (canonical name or text) shares a
  word (case-folded, 3+ letters) with that PERSON's text.

Usage: python bench/quotes.py [test|dev]   (dev-20 for development; report test)
"""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

from warta.nlp.entities import EntityStage
from warta.nlp.quotes import find_quotes
from warta.record import Article

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "pfsa_id_quotes"
_W = re.compile(r"\w")

Tok = tuple[str, str]


def articles(path: Path) -> list[list[list[Tok]]]:
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


def spans(tags: list[str], labels: set[str]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
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


def main() -> None:
    split = sys.argv[1] if len(sys.argv) > 1 else "test"
    path = DATA / ("test-data.txt.gz" if split == "test" else "dev-20.txt.gz")
    stage = EntityStage()
    stage.setup()
    tp_tok = pred_tok = gold_tok = 0
    exact = exact_g = n_pred = n_gold = 0
    cue_tp_p = cue_pred = cue_tp_g = cue_gold = 0
    spk_ok = spk_n = 0
    arts = articles(path)
    for sents in arts:
        toks = [t for s in sents for t in s]
        words = [w for w, _ in toks]
        tags = [g for _, g in toks]
        offs: list[tuple[int, int]] = []
        pos = 0
        for w in words:
            offs.append((pos, pos + len(w)))
            pos += len(w) + 1
        body = " ".join(words)
        art = stage.process(Article(source="pfsa", body=body))
        quotes = find_quotes(body, art.entities)

        def tok_range(s: int, e: int) -> set[int]:
            return {i for i, (a, b) in enumerate(offs) if a < e and b > s and _W.search(words[i])}  # noqa: B023

        gold_st = spans(tags, {"STATEMENT"})
        gold_cue = spans(tags, {"CUE", "CUECOREF"})
        gold_per = spans(tags, {"PERSON", "PERSONCOREF"})
        gold_sets = [{i for i in range(a, b) if _W.search(words[i])} for a, b, _ in gold_st]
        gold_all = set().union(*gold_sets) if gold_sets else set()
        pred_sets = [tok_range(q.start, q.end) for q in quotes]
        pred_all = set().union(*pred_sets) if pred_sets else set()
        tp_tok += len(gold_all & pred_all)
        pred_tok += len(pred_all)
        gold_tok += len(gold_all)
        n_pred += len(pred_sets)
        n_gold += len(gold_sets)
        exact += sum(1 for p in pred_sets if p and p in gold_sets)
        exact_g += sum(1 for g in gold_sets if g in pred_sets)
        # cues
        cue_sets = [tok_range(*_cue_span(body, q)) for q in quotes if q.cue]
        gold_cue_sets = [set(range(a, b)) for a, b, _ in gold_cue]
        cue_pred += len(cue_sets)
        cue_tp_p += sum(1 for c in cue_sets if any(c & g for g in gold_cue_sets))
        cue_gold += len(gold_cue_sets)
        cue_tp_g += sum(1 for g in gold_cue_sets if any(c & g for c in cue_sets))
        # speakers
        for q, p in zip(quotes, pred_sets, strict=True):
            hit = [k for k, g in enumerate(gold_sets) if g & p]
            if not hit:
                continue
            a, b, _ = gold_st[hit[0]]
            if not gold_cue:
                continue
            ca, cb, _ = min(gold_cue, key=lambda c: min(abs(c[0] - b), abs(a - c[1])))
            if not gold_per or min(abs(ca - b), abs(a - cb)) > 60:
                continue
            pa, pb, plab = min(gold_per, key=lambda x: min(abs(x[0] - cb), abs(ca - x[1])))
            if plab == "PERSONCOREF":
                before = [x for x in gold_per if x[2] == "PERSON" and x[1] <= pa]
                if before:
                    pa, pb, _ = before[-1]
            gold_words = {w.casefold() for w in words[pa:pb] if len(w) >= 3}
            ours = {w.casefold() for w in re.findall(r"\w+", q.speaker or "") if len(w) >= 3}
            spk_n += 1
            spk_ok += bool(gold_words & ours)

    def f1(tp_p: int, np_: int, tp_g: int, ng: int) -> str:
        p = tp_p / np_ if np_ else 0.0
        r = tp_g / ng if ng else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return f"P {100 * p:.1f}  R {100 * r:.1f}  F1 {100 * f:.1f}"

    print(f"PFSA-ID {split}: {len(arts)} articles, {n_gold} gold statements, {n_pred} predicted")
    print("statement, token overlap:", f1(tp_tok, pred_tok, tp_tok, gold_tok))
    print("statement, exact match:  ", f1(exact, n_pred, exact_g, n_gold))
    print("cue (span overlap):      ", f1(cue_tp_p, cue_pred, cue_tp_g, cue_gold))
    acc = 100 * spk_ok / spk_n if spk_n else 0.0
    print(f"speaker accuracy on statements found: {acc:.1f} % ({spk_ok}/{spk_n})")


def _cue_span(body: str, q: object) -> tuple[int, int]:
    cue = getattr(q, "cue", "") or ""
    start = getattr(q, "start", 0)
    lo = max(0, start - 400)
    i = body.rfind(cue, lo, getattr(q, "end", 0) + 400)
    return (i, i + len(cue)) if i >= 0 else (0, 0)


if __name__ == "__main__":
    main()
