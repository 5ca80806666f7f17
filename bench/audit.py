"""Precision audit on real articles: entity mentions, quote speakers and events judged by hand.

    .venv/bin/python bench/audit.py                # precision per type and category
    .venv/bin/python bench/audit.py --worksheet    # the sampled items with context, to judge

The sample is drawn by a fixed rule, written before looking at any output: the detik bodies
(``detik_summ_entity_1000``, one row per URL, sorted by id) every 20th from the first, and the
IndoSum dev articles (``indosum_dev01``, sorted by id) every 15th from the first; each runs
through warta's full pipeline; from all PERSON/ORGANIZATION/PLACE mentions (pronouns left out),
all quotes with a speaker and all events, ``random.Random(2026)`` draws 200 mentions, 100
speakers and 100 events.

Judgements live in ``bench/data/audit/judgements.jsonl``, one per item: its key (the article,
the kind, the span and what warta said of it — no article text, which stays in ../shared) and
``ok`` with a short reason. How they were made: each item was read with its sentence (and the
article where the sentence was not enough) and judged by the rule for its kind:

* a mention is right when its span is exactly one name and its type is that name's type
  (a span that swallows a title, a time word or half of another name is wrong: "boundary");
* a speaker is right when the text says the quote came from that person or body;
* an event is right when its sentence reports a happening of that PLOVER category and its
  actor (when warta gives one) took part in it; the mode is not judged here.

Items whose key no longer matches the current output (the output changed since the judging)
are counted as "unjudged", and precision is over the judged ones: the coverage is printed.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
JUDGEMENTS = ROOT / "bench" / "data" / "audit" / "judgements.jsonl"
SIZES = {"mention": 200, "speaker": 100, "event": 100}


def articles() -> list[tuple[str, str]]:
    """(doc key, text) of the sample's articles, by the fixed rule of the module docstring."""
    out: list[tuple[str, str]] = []
    rows: dict[str, dict[str, str]] = {}
    with gzip.open(DATA / "detik_summ_entity_1000" / "data_berita.csv.gz", "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            rows.setdefault(row["tautan"], row)
    detik = sorted(rows.values(), key=lambda r: int(r["id"]))
    out += [(f"detik:{r['id']}", r["isi_berita"]) for r in detik[::20]]
    docs = []
    with gzip.open(DATA / "indosum_dev01" / "dev.01.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            body = "\n\n".join(" ".join(" ".join(s) for s in p) for p in doc["paragraphs"])
            docs.append((f"indosum:{doc['id']}", body))
    out += sorted(docs)[::15]
    return out


def _h(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def candidates() -> dict[str, list[dict[str, Any]]]:
    """Every item of each kind in the sample's articles, with its key and context."""
    from warta.api import extract_text

    pools: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for doc, text in articles():
        article = extract_text(text, source=doc)
        body = article.body or ""

        def context(start: int, end: int, body: str = body) -> str:
            return body[max(0, start - 120) : start] + "[[" + body[start:end] + "]]" + body[end : end + 120]

        for m in article.entities:
            if m.type in ("PERSON", "ORGANIZATION", "PLACE") and m.source != "pronoun":
                key = f"{doc}|mention|{m.start}|{m.end}|{m.type}|{_h(m.text)}"
                pools["mention"].append({"key": key, "label": f"{m.type}: {m.text}", "context": context(m.start, m.end)})
        for q in article.quotes:
            if q.speaker:
                key = f"{doc}|speaker|{q.start}|{q.end}|{_h(q.speaker)}"
                pools["speaker"].append({"key": key, "label": f"speaker: {q.speaker}", "context": context(q.start, q.end)})
        for e in article.events:
            key = f"{doc}|event|{e.start}|{e.end}|{e.category}|{_h(e.actor or '')}"
            label = f"{e.category} actor={e.actor} target={e.target}"
            pools["event"].append({"key": key, "label": label, "context": context(e.start, e.end), "category": e.category})
    return pools


def sample(pools: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    rng = random.Random(2026)
    return {kind: rng.sample(pools[kind], min(n, len(pools[kind]))) for kind, n in SIZES.items()}


def load_judgements() -> dict[str, dict[str, Any]]:
    if not JUDGEMENTS.exists():
        return {}
    rows = [json.loads(line) for line in JUDGEMENTS.read_text(encoding="utf-8").splitlines() if line]
    return {r["key"]: r for r in rows}


def _group(kind: str, item: dict[str, Any]) -> str:
    if kind == "mention":
        return item["label"].split(":", 1)[0]
    if kind == "event":
        return str(item["category"])
    return "speaker"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--worksheet", action="store_true", help="print the items to judge")
    args = parser.parse_args()
    drawn = sample(candidates())
    if args.worksheet:
        for items in drawn.values():
            for item in items:
                print(json.dumps({"key": item["key"], "label": item["label"], "context": item["context"]}, ensure_ascii=False))
        return
    judged = load_judgements()
    print(f"precision audit: {sum(len(v) for v in drawn.values())} items drawn, judgements from {JUDGEMENTS.relative_to(ROOT)}")
    for kind, items in drawn.items():
        by_group: dict[str, Counter[str]] = defaultdict(Counter)
        whys: Counter[str] = Counter()
        for item in items:
            verdict = judged.get(item["key"])
            group = _group(kind, item)
            if verdict is None:
                by_group[group]["unjudged"] += 1
                continue
            by_group[group]["ok" if verdict["ok"] else "wrong"] += 1
            if not verdict["ok"]:
                whys[verdict.get("why", "?")] += 1
        total = Counter[str]()
        for c in by_group.values():
            total.update(c)
        n = total["ok"] + total["wrong"]
        print(f"\n{kind}: precision {total['ok'] / n:.3f} ({total['ok']}/{n} judged, {total['unjudged']} unjudged)" if n else f"\n{kind}: nothing judged")
        for group, c in sorted(by_group.items(), key=lambda kv: -sum(kv[1].values())):
            m = c["ok"] + c["wrong"]
            p = f"{c['ok'] / m:.3f}" if m else "  -  "
            print(f"  {group:<16} P {p}  ({c['ok']}/{m}, {c['unjudged']} unjudged)")
        if whys:
            print("  errors: " + ", ".join(f"{w} {k}" for w, k in ((v, k) for k, v in whys.most_common())))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
