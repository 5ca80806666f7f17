"""Event coding on the self-written golden sentences: precision and recall per PLOVER category.

An event is right when its category, mode, actor and target all equal the golden ones
(development aid only: the sentences are ours). Run: ``python bench/events.py``.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from warta.core.record import Mention
from warta.nlp.events import code_events

GOLD = Path(__file__).resolve().parent.parent / "tests" / "golden" / "events" / "events_id.jsonl"
KEYS = ("category", "mode", "actor", "target")


def mentions(text: str, ents: list[list[str]]) -> list[Mention]:
    out = []
    for surface, typ, canonical in ents:
        i = text.index(surface)
        out.append(Mention(i, i + len(surface), surface, typ, canonical=canonical))
    return out


def score(lang: str) -> tuple[Counter[str], Counter[str], Counter[str]]:
    tp: Counter[str] = Counter()
    npred: Counter[str] = Counter()
    ngold: Counter[str] = Counter()
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["lang"] != lang:
            continue
        got = code_events(row["text"], mentions(row["text"], row["entities"]), lang=lang)
        pred = [tuple(getattr(e, k) for k in KEYS) for e in got]
        gold = [tuple(g.get(k) for k in KEYS) for g in row["events"]]
        for p in pred:
            npred[p[0]] += 1
            if p in gold:
                tp[p[0]] += 1
                gold.remove(p)
        for g in row["events"]:
            ngold[g["category"]] += 1
    return tp, npred, ngold


def _pr(t: int, p: int, g: int) -> str:
    prec = t / p if p else 1.0
    rec = t / g if g else 1.0
    return f"P={prec:.2f} R={rec:.2f} (tp={t} pred={p} gold={g})"


def main() -> None:
    for lang in ("id", "en"):
        tp, npred, ngold = score(lang)
        print(f"[{lang}] overall {_pr(sum(tp.values()), sum(npred.values()), sum(ngold.values()))}")
        for cat in sorted(set(npred) | set(ngold)):
            print(f"  {cat:10s} {_pr(tp[cat], npred[cat], ngold[cat])}")


if __name__ == "__main__":
    main()
