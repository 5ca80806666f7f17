"""Precision of the places found without a PLACE mention, on articles the geocoding gold does
not hold.

Three rules of the places stage find places the NER did not tag as such: the region an
organisation's name ends in after an office or level word ("Pemprov Jabar" -> Jawa Barat,
"Polres Serang" -> Kabupaten Serang, "Polrestabes Medan" -> Kota Medan), the country phrases
the NER never tags ("Tanah Air" -> Indonesia), and a region's name after an office or level
word in text no mention covers ("Bupati Dompu"). All were written while reading the misses of
``bench/geocoding.py``, so its gold is not held out for them. This check is: it runs
the default pipeline on 150 detik.com and 200 IndoSum dev articles that are *not* in
``places_gold.jsonl`` (drawn with ``random.Random(12)``), lists every place whose span is not a
PLACE mention (its organisation, or "-" for a phrase), and scores them against the judgements
in ``bench/data/geocoding/organisation_regions_judged.tsv`` (each read by a person: is the
region the one the organisation belongs to, is the phrase that country in its sentence?). A
place not judged yet is listed so it can be read and added.

    python bench/geocoding_organisations.py
"""

from __future__ import annotations

import csv
import gzip
import json
import random
from collections import Counter
from pathlib import Path

from geocoding import GOLD, SHARED

JUDGED = Path(__file__).resolve().parent / "data" / "geocoding" / "organisation_regions_judged.tsv"
DETIK, INDOSUM = 150, 200


def _held_out() -> list[tuple[str, str]]:
    """(source, text) of the articles drawn, none of them in the geocoding gold."""
    gold = {json.loads(line)["source"] for line in GOLD.read_text(encoding="utf-8").splitlines()}
    detik: list[tuple[str, str]] = []
    with gzip.open(SHARED / "detik_summ_entity_1000" / "data_berita.csv.gz", "rt") as handle:
        for row in csv.DictReader(handle):
            if f"detik:{row['id']}" not in gold:
                detik.append((f"detik:{row['id']}", row["isi_berita"]))
    indosum: list[tuple[str, str]] = []
    with gzip.open(SHARED / "indosum_dev01" / "dev.01.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            if f"indosum:{doc['id']}" not in gold:
                text = "\n".join(" ".join(" ".join(s) for s in p) for p in doc["paragraphs"])
                indosum.append((f"indosum:{doc['id']}", text))
    random.Random(12).shuffle(detik)
    random.Random(12).shuffle(indosum)
    return detik[:DETIK] + indosum[:INDOSUM]


def main() -> None:
    from warta.api import extract_text

    judged: dict[tuple[str, str, str, str], str] = {}
    with JUDGED.open(encoding="utf-8") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        for row in rows:
            key = (row["source"], row["organisation"], row["region_text"], row["code"])
            judged[key] = row["judgement"]
    tally: Counter[object] = Counter()
    unjudged: list[str] = []
    for source, text in _held_out():
        article = extract_text(text)
        organisations = [m for m in article.entities if m.type == "ORGANIZATION"]
        mentioned = {(m.start, m.end) for m in article.entities if m.type == "PLACE"}
        for place in article.extras.get("warta.places", []):
            if (place["start"], place["end"]) in mentioned:
                continue
            host = next(
                (m for m in organisations if m.start < place["start"] and place["end"] <= m.end),
                None,
            )
            name = host.text if host is not None else "-"
            code = place["region"] or "ambiguous:" + "|".join(place.get("candidates", []))
            verdict = judged.get((source, name, place["text"], code)) or judged.get(
                ("*", name, place["text"], code)
            )
            tally["places", name != "-"] += 1
            if verdict is None:
                unjudged.append(f"{source}\t{name}\t{place['text']}\t{code}\t{place['name']}")
            else:
                tally[verdict] += 1
    n = tally["right"] + tally["wrong"]
    print(
        f"{tally['places', True]} places read from organisations' names and "
        f"{tally['places', False]} from text no mention covers (country phrases, names after an "
        f"office or level word) in {DETIK + INDOSUM} articles"
    )
    if n:
        print(f"precision {tally['right'] / n:.3f} ({tally['right']}/{n} judged right)")
    if unjudged:
        print(f"{len(unjudged)} not judged yet:", *unjudged, sep="\n")


if __name__ == "__main__":
    main()
