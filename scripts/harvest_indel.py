"""Harvest Wikidata ids and names for the gazetteer from IndEL's TRAIN split.

IndEL (../shared/data/indel_entity_linking) links mentions of IndoLEM NER-UI sentences to
Wikidata. Its test split (``bench/linking.py``'s ``indel_split``: a fifth of the sentences by a
hash of their text) is never read here; it is what the linking figures are measured on.

From the train split:

1. A gazetteer entity without an id whose name or alias is written, in at least two train
   mentions, for one Wikidata id (four in five of them or more) gets that id as ``wikidata``:
   its links then carry the QID while its id stays the stable id it always had.
2. A Wikidata id the gazetteer lacks, linked from at least two train mentions, becomes a new
   entity: its longest form is the name (the most frequent among equals), the other forms
   aliases (forms the gazetteer already has, lower-case forms, a person's single names, one-word
   forms also written as a lower-case word in the train sentences, and forms that also name
   another id in a fifth of their mentions are left out, and the few one-word forms in
   LEFT_OUT after reading the proposals), its type the NER-UI tag of its mentions (PERSON, ORGANIZATION,
   LOCATION as PLACE; four in five of them or more).

    python scripts/harvest_indel.py [--write]     (prints what it would change without --write)
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

from linking import indel_split, read_indel  # noqa: E402

from warta.nlp.linking import Linker, normalise  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
GAZETTEER = ROOT / "src" / "warta" / "lang" / "id" / "gazetteer.toml"
MIN_MENTIONS = 2
SHARE = 0.8
TYPES = {"PERSON": "PERSON", "ORGANIZATION": "ORGANIZATION", "LOCATION": "PLACE"}
#: forms left out after reading the proposals: one word that names many things in news text
#: (a club by its city or nickname, a company by a common noun, a team by a word)
LEFT_OUT = frozenset(
    {"Express", "Thunder", "Timah", "Torino", "Atletico", "Sociedad", "Spurs", "Verona", "Danny"}
)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


def _nerui() -> dict[str, list[tuple[str, str]]]:
    """NER-UI sentences (all folds) by their text without spaces: (token, tag) each."""
    out: dict[str, list[tuple[str, str]]] = {}
    for path in sorted((DATA / "indolem_nerui").glob("*.tsv.gz")):
        tokens: list[tuple[str, str]] = []
        for line in gzip.open(path, "rt", encoding="utf-8").read().splitlines() + [""]:
            if not line.strip():
                if tokens:
                    out.setdefault(_squash("".join(t for t, _ in tokens)), tokens)
                tokens = []
                continue
            token, _, tag = line.partition("\t")
            tokens.append((token, tag.strip()))
    return out


def _type(sentence: list[tuple[str, str]], anchor: str) -> str | None:
    """The NER-UI type of the tokens spelling ``anchor`` in the sentence."""
    want = _squash(anchor)
    for i in range(len(sentence)):
        got = ""
        for j in range(i, len(sentence)):
            got += _squash(sentence[j][0])
            if got == want:
                tag = sentence[i][1]
                return TYPES.get(tag.split("-", 1)[-1]) if tag != "O" else None
            if not want.startswith(got):
                break
    return None


def harvest() -> tuple[dict[str, str], list[dict[str, object]]]:
    """(gazetteer name -> wikidata id for entities without one, new entity records)."""
    mentions = [
        m
        for m in read_indel(DATA / "indel_entity_linking" / "IndEL_General_Domain.ttl.gz")
        if m.qid and indel_split(m) == "train"
    ]
    sentences = _nerui()
    # words written in lower case somewhere in the train sentences: a one-word name that is
    # also such a word ("Timah", "Express") would turn every capitalised use into a mention
    lower = {w for m in mentions for w in re.findall(r"\b[a-z]+\b", m.context)}
    by_form: dict[str, Counter[str]] = defaultdict(Counter)
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    types: dict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        assert m.qid is not None
        by_form[normalise(m.anchor)][m.qid] += 1
        forms[m.qid][m.anchor] += 1
        sentence = sentences.get(_squash(m.context))
        kind = _type(sentence, m.anchor) if sentence else None
        types[m.qid][kind or "?"] += 1

    def dominant(counts: Counter[str]) -> str | None:
        total = sum(counts.values())
        qid, n = counts.most_common(1)[0]
        return qid if total >= MIN_MENTIONS and n / total >= SHARE else None

    linker = Linker.load()
    known_qids = {e.qid for e in linker.entities if e.qid}
    known_forms = {normalise(f) for e in linker.entities for f in e.forms}
    ids: dict[str, str] = {}
    for entity in linker.entities:
        if entity.qid:
            continue
        found = {dominant(by_form[normalise(f)]) for f in entity.forms if normalise(f) in by_form}
        found.discard(None)
        if len(found) == 1:
            (qid,) = found
            if qid and qid not in known_qids and qid not in ids.values():
                ids[entity.name] = qid
    records: list[dict[str, object]] = []
    taken: set[str] = set(known_forms)
    for qid, written in sorted(forms.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])):
        if qid in known_qids or qid in ids.values() or sum(written.values()) < MIN_MENTIONS:
            continue
        kind = dominant(types[qid])
        if kind is None or kind == "?":
            continue
        usable = [
            f
            for f, _ in written.most_common()
            if len(normalise(f)) >= 3
            and (kind != "PERSON" or len(normalise(f).split()) >= 2)
            and (len(f.split()) >= 2 or f.isupper() or f.casefold() not in lower)
            and not f.islower()
            and normalise(f) not in taken
            and by_form[normalise(f)][qid] / sum(by_form[normalise(f)].values()) >= SHARE
        ]
        if not usable:
            continue
        keys = list(dict.fromkeys(normalise(f) for f in usable))
        taken.update(keys)
        first = {normalise(f): f for f in reversed(usable)}
        names = [first[k] for k in keys]
        names = [n for n in names if n not in LEFT_OUT]
        if not names:
            continue
        names.sort(key=lambda n: -len(n.split()))  # the full name first: "Liliyana Natsir"
        records.append({"id": qid, "name": names[0], "type": kind, "aliases": names[1:]})
    return ids, records


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write(ids: dict[str, str], records: list[dict[str, object]]) -> None:
    text = GAZETTEER.read_text(encoding="utf-8")
    for name, qid in ids.items():
        pattern = re.compile(r"^(  \{ name = " + re.escape(_toml_string(name)) + r", )", re.M)
        text, n = pattern.subn(lambda m, q=qid: f'{m.group(1)}wikidata = "{q}", ', text, count=1)
        assert n == 1, name
    lines = [
        "  # --- harvested from IndEL's train split by scripts/harvest_indel.py (names and ids of",
        "  #     its gold links; types from the NER-UI tags of the same sentences) ---",
    ]
    for r in records:
        aliases = ", ".join(_toml_string(str(a)) for a in r["aliases"])  # type: ignore[attr-defined]
        lines.append(
            f'  {{ id = "{r["id"]}", name = {_toml_string(str(r["name"]))}, '
            f'type = "{r["type"]}", aliases = [{aliases}] }},'
        )
    end = text.rstrip().rfind("]")
    text = text[:end].rstrip() + "\n" + "\n".join(lines) + "\n]\n"
    GAZETTEER.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write them into the gazetteer")
    args = parser.parse_args()
    ids, records = harvest()
    for name, qid in ids.items():
        print(f"id  {name} -> {qid}")
    for r in records:
        print(f"new {r['id']} {r['type']:12} {r['name']!r} {r['aliases']}")
    print(f"{len(ids)} ids for entities without one, {len(records)} new entities")
    if args.write:
        write(ids, records)


if __name__ == "__main__":
    main()
