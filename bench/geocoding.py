"""Geocoding accuracy on hand-labelled place mentions of real articles.

Reads ``bench/data/geocoding/places_gold.jsonl`` (place mentions of detik.com and IndoSum
articles, each labelled by reading the article: the Kemendagri code or ISO country code it
names, "ambiguous" with the candidates when the article does not say which, or "none" for a
place outside the index; see the README beside it), runs the default pipeline on each article
(from ../shared, as the gold's offsets were taken) and scores two things per mention:

* end to end: what the record says about the mention (``extras["warta.places"]``, which needs
  the NER to have found a PLACE mention over it);
* resolution alone: the geocoder given the gold span as a PLACE mention beside the record's
  other mentions (what the place index and its rules decide, NER aside).

A dateline ("JAKARTA , JUARA.net -") leaves the body; it is scored on the record's dateline
place (``extras["warta.dateline_place"]``) in both columns. A gold mention the cleaned body
lost (a headline line removed as furniture) counts as wrong.

A mention is right when the code is the gold's; an "ambiguous" gold is right when warta left
the same candidate set undecided; a "none" gold is right when warta named no region. "on the
map" counts the mentions of a region or country that the record gets right end to end *and*
gives a point (``lat``/``lng``: a region's centroid, a country's point from ``country_geo.tsv``);
ambiguous and "none" golds have no point to give (shown as "-").

    python bench/geocoding.py [--show-errors]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
GOLD = ROOT / "bench" / "data" / "geocoding" / "places_gold.jsonl"


def _texts(sources: set[str]) -> dict[str, str]:
    """The raw text of each source, as the gold's offsets count it."""
    out: dict[str, str] = {}
    path = SHARED / "detik_summ_entity_1000" / "data_berita.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = f"detik:{row['id']}"
            if key in sources:
                out[key] = row["isi_berita"]
    path = SHARED / "indosum_dev01" / "dev.01.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            key = f"indosum:{doc['id']}"
            if key in sources:
                out[key] = "\n".join(
                    " ".join(" ".join(sentence) for sentence in paragraph)
                    for paragraph in doc["paragraphs"]
                )
    return out


def _locate(raw: str, body: str, gold: dict[str, Any]) -> int | None:
    """Where the gold mention lies in the cleaned body: after its left context when that
    survived cleaning, else the same occurrence of its text."""
    text, left = gold["text"], gold["left"]
    if left:
        at = body.find(left + text)
        if at >= 0 and body.count(left + text) == 1:
            return at + len(left)
    nth = raw.count(text, 0, gold["start"])
    at = -1
    for _ in range(nth + 1):
        at = body.find(text, at + 1)
        if at < 0:
            return None
    return at


def _category(gold: str) -> str:
    if gold in ("ambiguous", "none"):
        return gold
    if gold.isalpha():
        return "country"
    return ("province", "regency/city", "district")[gold.count(".")]


def _right(gold: dict[str, Any], found: dict[str, Any] | None) -> bool:
    label = gold["gold"]
    if label == "none":
        return found is None or (found.get("region") is None and not found.get("candidates"))
    if found is None:
        return False
    if label == "ambiguous":
        return found.get("region") is None and set(found.get("candidates", ())) == set(
            gold["candidates"]
        )
    return found.get("region") == label


def _on_map(gold: dict[str, Any], found: dict[str, Any] | None) -> bool:
    """Right end to end and placed: the record gives the gold's region a point."""
    if gold["gold"] in ("ambiguous", "none") or found is None or not _right(gold, found):
        return False
    return found.get("lat") is not None and found.get("lng") is not None


def _said(found: dict[str, Any] | None) -> str:
    if found is None:
        return "-"
    if found.get("region"):
        return str(found["region"])
    if found.get("candidates"):
        return "ambiguous " + "|".join(found["candidates"])
    return "no region"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    from warta.api import extract_text
    from warta.core.record import Mention
    from warta.nlp.places import DATELINE_KEY, EXTRAS_KEY, Places

    golds = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line]
    texts = _texts({g["source"] for g in golds})
    missing = {g["source"] for g in golds} - texts.keys()
    if missing:
        sys.exit(f"sources not found under {SHARED}: {sorted(missing)[:5]}")
    articles = {source: extract_text(text) for source, text in texts.items()}
    index = Places.load("id")
    assert index is not None
    tally: dict[str, Counter[str]] = {}
    errors: list[str] = []
    for gold in golds:
        article = articles[gold["source"]]
        counts = tally.setdefault(_category(gold["gold"]), Counter())
        counts["mentions"] += 1
        counts["unplaceable"] += gold["gold"] in ("ambiguous", "none")
        if gold["start"] == 0 and article.dateline == gold["text"].title():
            # a dateline ("JAKARTA , JUARA.net -") leaves the body: its place is the record's
            # dateline place, resolved with the body's places (both columns alike)
            filed = article.extras.get(DATELINE_KEY)
            counts["dateline"] += 1
            counts["found"] += filed is not None
            counts["end to end"] += _right(gold, filed)
            counts["on the map"] += _on_map(gold, filed)
            counts["resolution"] += _right(gold, filed)
            if not _right(gold, filed):
                errors.append(
                    f"{gold['source'][:30]:30} {gold['text']!r:24} dateline {_said(filed)}"
                )
            continue
        at = _locate(texts[gold["source"]], article.body, gold)
        if at is None:
            counts["not in body"] += 1
            continue
        end = at + len(gold["text"])
        places = article.extras.get(EXTRAS_KEY, [])
        found = next((p for p in places if p["start"] < end and at < p["end"]), None)
        counts["found"] += found is not None
        counts["end to end"] += _right(gold, found)
        counts["on the map"] += _on_map(gold, found)
        others = [m for m in article.entities if not (m.start < end and at < m.end)]
        mentions = sorted([*others, Mention(at, end, gold["text"], "PLACE")], key=lambda m: m.start)
        alone = next(
            p.as_dict(index) for p in index.resolve_article(article.body, mentions) if p.start == at
        )
        counts["resolution"] += _right(gold, alone)
        if not _right(gold, found) or not _right(gold, alone):
            errors.append(
                f"{gold['source'][:30]:30} {gold['text']!r:24} gold {gold['gold']:9} "
                f"record {_said(found):18} resolution {_said(alone)}"
            )
    total: Counter[str] = Counter()
    print(
        f"{'category':14} {'mentions':>8} {'found':>6} {'end to end':>11} {'resolution':>11}"
        f" {'on the map':>11}"
    )
    for name in ("country", "province", "regency/city", "district", "ambiguous", "none"):
        c = tally.get(name, Counter())
        total.update(c)
        if c["mentions"]:
            print(_row(name, c))
    print(_row("all", total))
    print(f"({total['dateline']} of the mentions are datelines, scored on the dateline place)")
    if total["not in body"]:
        print(f"({total['not in body']} gold mentions not found in the cleaned body: wrong)")
    if args.show_errors:
        print("\n".join(["", "errors:", *errors]))


def _row(name: str, c: Counter[str]) -> str:
    n = c["mentions"]
    placeable = n - c["unplaceable"]
    on_map = f"{c['on the map'] / placeable:11.3f}" if placeable else f"{'-':>11}"
    return (
        f"{name:14} {n:8d} {c['found']:6d} {c['end to end'] / n:11.3f}"
        f" {c['resolution'] / n:11.3f} {on_map}"
    )


if __name__ == "__main__":
    main()
