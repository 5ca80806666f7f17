"""PLOVER event coding on an independent, hand-labelled set of real news sentences.

    python bench/events_independent.py                 # score warta (dev and test halves)
    python bench/events_independent.py --draw          # (re)draw the sentence references
    python bench/events_independent.py --show dev      # print a dev half's sentences, for labelling
    python bench/events_independent.py --splits dev,devext   # tune without the test half
    python bench/events_independent.py --draw-extension      # (re)draw the dev extension
    python bench/events_independent.py --draw-extension3     # (re)draw the third dev extension
    python bench/events_independent.py --errors devext3      # a dev half's misses and false events

The sentences come from ``../shared/data`` (detik, IndoSum, and the English-language fundus pages,
Malaysian ones included) by the fixed rule written in ``bench/data/events_independent/README.md``;
the repository keeps only references (dataset, row, sentence index, a short hash of the text) and
the labels written by reading each sentence. Each sentence goes through the default text pipeline
alone (its language given by the source), and the events coded on it are compared with the labels:
an event is found when a labelled event of the sentence has its category; mode, actor and target
are scored on found events where the label gives them. The same figures for a trigger-keyword
baseline (any lexicon trigger in the sentence is an event of its category) are printed beside.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SET = HERE / "data" / "events_independent"
DATA = HERE.parents[1] / "shared" / "data"
DETIK = DATA / "detik_summ_entity_1000" / "data_berita.csv.gz"
INDOSUM = DATA / "indosum_dev01" / "dev.01.jsonl.gz"
FUNDUS = DATA / "fundus_news_pages"
FUNDUS_FOLDERS = ("au", "ca", "my", "uk")  # English-language outlets (Malaysia: Malay Mail)
PER_SOURCE = {"detik": 140, "indosum": 140, "fundus": 120}
# The dev extension (fourth pass): sentences of detik and IndoSum articles that hold no sentence of the
# set above, drawn by their own hash order (see the README).
EXT_PER_SOURCE = {"detik": 90, "indosum": 90}
EXT_SALT = "events-independent:ext1:"
# The second dev extension (fifth pass): detik and IndoSum articles outside the 400 and the first extension,
# and English-language fundus pages of folders the set does not draw from (see the README).
EXT2_PER_SOURCE = {"detik": 140, "indosum": 140}
EXT2_SALT = "events-independent:ext2:"
EXT2_FUNDUS = (
    "ind/TimesOfIndia",
    "tw/TaipeiTimes",
    "ls/LesothoTimes",
    "na/TheNamibian",
    "za/DailyMaverick",
    "za/TheCitizen",
    "za/TimesLive",
    "za/DurbanLocal",
    "tz/DailyNewsTZ",
)
# The third dev extension (sixth pass): trigger-bearing sentences of detik and IndoSum articles outside
# every earlier draw, and of the one English page outside the set's folders (see the README).
EXT3_PER_SOURCE = {"detik": 70, "indosum": 70}
EXT3_SALT = "events-independent:ext3:"
EXT3_FUNDUS = ("jp/TheJapanNews",)
EXT3_PER_PAGE = 6
# The fourth dev extension (sixth pass): a held-out trigger-bearing check, outside the third's articles
# and the sixth pass's unlabelled pool (see the README).
EXT4_PER_SOURCE = {"detik": 50, "indosum": 50}
EXT4_SALT = "events-independent:ext4:"
POOL_SALT, POOL_BELOW = "pool17b:", "40"
# The fifth dev extension (seventh pass): a held-out random draw outside every earlier draw's articles
# and both read pools (see the README).
EXT5_PER_SOURCE = {"detik": 75, "indosum": 75}
EXT5_SALT = "events-independent:ext5:"
POOL5_SALT, POOL5_BELOW = "pool17:", "30"
FUNDUS_PER_PAGE = 4
MIN_WORDS, MAX_WORDS = 8, 60


def short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def _order(key: str) -> str:
    return hashlib.sha1(("events-independent:" + key).encode("utf-8")).hexdigest()


def _usable(text: str) -> bool:
    return MIN_WORDS <= len(text.split()) <= MAX_WORDS


def _split(text: str) -> list[str]:
    from warta.nlp.sentences import split_sentences

    return [text[s.start : s.end] for s in split_sentences(text)]


def detik_rows() -> Iterator[tuple[str, str]]:
    with gzip.open(DETIK, "rt", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            for i, s in enumerate(_split(row["isi_berita"])):
                yield f"detik:{row['id']}:{i}", s


def indosum_rows() -> Iterator[tuple[str, str]]:
    with gzip.open(INDOSUM, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f):
            doc = json.loads(line)
            for p, para in enumerate(doc["paragraphs"]):
                for i, toks in enumerate(para):
                    yield f"indosum:{n}:{p}.{i}", " ".join(toks)


def fundus_rows(pages: tuple[str, ...] | None = None) -> Iterator[tuple[str, str]]:
    """The set's fundus folders' sentences, or (``pages``) those of the named ``folder/Publisher`` pages."""
    golds = (
        [FUNDUS / f"{page}.json" for page in pages]
        if pages is not None
        else [g for folder in FUNDUS_FOLDERS for g in sorted((FUNDUS / folder).glob("*.json"))]
    )
    for gold in golds:
        folder = gold.parent.name
        versions = json.loads(gold.read_text(encoding="utf-8"))
        for key in sorted(versions):
            body = versions[key].get("body") or {}
            paras = list(body.get("summary") or [])
            for sec in body.get("sections") or []:
                paras.extend(sec.get("paragraphs") or [])
            for p, para in enumerate(paras):
                for i, s in enumerate(_split(para)):
                    yield f"fundus:{folder}/{gold.stem}/{key}:{p}.{i}", s


def _doc(ref: str) -> str:
    return ref.rsplit(":", 1)[0]


def draw() -> list[dict[str, str]]:
    """The fixed rule (see the README): per article/page, its usable sentences in hash order."""
    out: list[dict[str, str]] = []
    seen: set[str] = set()  # a sentence repeated (a re-published article) counts once
    for source, rows in (
        ("detik", detik_rows()),
        ("indosum", indosum_rows()),
        ("fundus", fundus_rows()),
    ):
        per_doc: dict[str, list[tuple[str, str, str]]] = {}
        for ref, text in rows:
            if _usable(text) and text not in seen:
                seen.add(text)
                per_doc.setdefault(_doc(ref), []).append((_order(text), ref, text))
        take = 1 if source != "fundus" else FUNDUS_PER_PAGE
        picked = []
        for doc in per_doc.values():
            picked.extend(sorted(doc)[:take])
        picked.sort()
        for _, ref, text in picked[: PER_SOURCE[source]]:
            split = "dev" if int(_order("split:" + ref)[:8], 16) % 2 == 0 else "test"
            out.append({"id": ref, "sha": short_hash(text), "split": split})
    return out


def draw_extension(refs: list[dict[str, str]]) -> list[dict[str, str]]:
    """The extension's fixed rule: per article outside the set, the usable sentence of lowest hash."""
    out: list[dict[str, str]] = []
    for source, best in _lowest_per_article(refs, EXT_SALT, set()):
        for _, ref, text in best[: EXT_PER_SOURCE[source]]:
            out.append({"id": ref, "sha": short_hash(text), "split": "devext"})
    return out


def _lowest_per_article(
    refs: list[dict[str, str]], salt: str, seen: set[str]
) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """Per source (detik, IndoSum), each article outside ``refs`` with its usable sentence of
    lowest salted hash, as (hash, ref, text) sorted by hash; a sentence in ``seen`` is skipped
    and every sentence read is added to it."""
    taken = {_doc(r["id"]) for r in refs}
    out = []
    for source, rows in (("detik", detik_rows()), ("indosum", indosum_rows())):
        best: dict[str, tuple[str, str, str]] = {}
        for ref, text in rows:
            doc = _doc(ref)
            if doc in taken or not _usable(text) or text in seen:
                continue
            seen.add(text)
            key = hashlib.sha1((salt + text).encode("utf-8")).hexdigest()
            if doc not in best or key < best[doc][0]:
                best[doc] = (key, ref, text)
        out.append((source, sorted(best.values())))
    return out


def draw_extension2(refs: list[dict[str, str]]) -> list[dict[str, str]]:
    """The second extension's fixed rule (see the README), on articles outside ``refs``."""
    out: list[dict[str, str]] = []
    seen: set[str] = set()

    def key(text: str) -> str:
        return hashlib.sha1((EXT2_SALT + text).encode("utf-8")).hexdigest()

    for source, best in _lowest_per_article(refs, EXT2_SALT, seen):
        for _, ref, text in best[: EXT2_PER_SOURCE[source]]:
            out.append({"id": ref, "sha": short_hash(text), "split": "devext2"})
    per_page: dict[str, list[tuple[str, str, str]]] = {}
    for ref, text in fundus_rows(EXT2_FUNDUS):
        if _usable(text) and text not in seen:
            seen.add(text)
            per_page.setdefault(_doc(ref), []).append((key(text), ref, text))
    for page in sorted(per_page):
        for _, ref, text in sorted(per_page[page])[:FUNDUS_PER_PAGE]:
            out.append({"id": ref, "sha": short_hash(text), "split": "devext2"})
    return out


def _bears_trigger(text: str, lang: str) -> bool:
    return bool(_baseline(text, lang))


def draw_extension3(refs: list[dict[str, str]]) -> list[dict[str, str]]:
    """The third extension's fixed rule (see the README): per article outside ``refs``, the
    trigger-bearing usable sentence of lowest salted hash; then the English page's six."""

    def key(text: str) -> str:
        return hashlib.sha1((EXT3_SALT + text).encode("utf-8")).hexdigest()

    taken = {_doc(r["id"]) for r in refs}
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for source, rows in (("detik", detik_rows()), ("indosum", indosum_rows())):
        best: dict[str, tuple[str, str, str]] = {}
        for ref, text in rows:
            doc = _doc(ref)
            if doc in taken or not _usable(text) or text in seen:
                continue
            seen.add(text)
            if not _bears_trigger(text, "id"):
                continue
            k = key(text)
            if doc not in best or k < best[doc][0]:
                best[doc] = (k, ref, text)
        for _, ref, text in sorted(best.values())[: EXT3_PER_SOURCE[source]]:
            out.append({"id": ref, "sha": short_hash(text), "split": "devext3"})
    page = sorted(
        (key(text), ref, text)
        for ref, text in fundus_rows(EXT3_FUNDUS)
        if _usable(text) and text not in seen and _bears_trigger(text, "en")
    )
    for _, ref, text in page[:EXT3_PER_PAGE]:
        out.append({"id": ref, "sha": short_hash(text), "split": "devext3"})
    return out


def draw_extension4(refs: list[dict[str, str]]) -> list[dict[str, str]]:
    """The fourth extension's fixed rule (see the README): per article outside ``refs``, the
    trigger-bearing usable sentence of lowest salted hash that is not in the pool."""

    def key(text: str, salt: str = EXT4_SALT) -> str:
        return hashlib.sha1((salt + text).encode("utf-8")).hexdigest()

    taken = {_doc(r["id"]) for r in refs}
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for source, rows in (("detik", detik_rows()), ("indosum", indosum_rows())):
        best: dict[str, tuple[str, str, str]] = {}
        for ref, text in rows:
            doc = _doc(ref)
            if doc in taken or not _usable(text) or text in seen:
                continue
            seen.add(text)
            if key(text, POOL_SALT) < POOL_BELOW or not _bears_trigger(text, "id"):
                continue
            k = key(text)
            if doc not in best or k < best[doc][0]:
                best[doc] = (k, ref, text)
        for _, ref, text in sorted(best.values())[: EXT4_PER_SOURCE[source]]:
            out.append({"id": ref, "sha": short_hash(text), "split": "devext4"})
    return out


def draw_extension5(refs: list[dict[str, str]]) -> list[dict[str, str]]:
    """The fifth extension's fixed rule (see the README): per article outside ``refs``, the usable
    sentence of lowest salted hash outside both read pools; no trigger filter."""

    def key(text: str, salt: str) -> str:
        return hashlib.sha1((salt + text).encode("utf-8")).hexdigest()

    taken = {_doc(r["id"]) for r in refs}
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for source, rows in (("detik", detik_rows()), ("indosum", indosum_rows())):
        best: dict[str, tuple[str, str, str]] = {}
        for ref, text in rows:
            doc = _doc(ref)
            if doc in taken or not _usable(text) or text in seen:
                continue
            seen.add(text)
            if key(text, POOL_SALT) < POOL_BELOW or key(text, POOL5_SALT) < POOL5_BELOW:
                continue
            k = key(text, EXT5_SALT)
            if doc not in best or k < best[doc][0]:
                best[doc] = (k, ref, text)
        for _, ref, text in sorted(best.values())[: EXT5_PER_SOURCE[source]]:
            out.append({"id": ref, "sha": short_hash(text), "split": "devext5"})
    return out


def texts() -> dict[str, str]:
    """Every sentence the references can name, by reference."""
    out: dict[str, str] = {}
    for rows in (
        detik_rows(),
        indosum_rows(),
        fundus_rows(),
        fundus_rows(EXT2_FUNDUS),
        fundus_rows(EXT3_FUNDUS),
    ):
        out.update(rows)
    return out


def articles() -> dict[str, str]:
    """Each source article's whole text, by document id (``detik:<id>``, ``indosum:<line>``, ...)."""
    out: dict[str, str] = {}
    with gzip.open(DETIK, "rt", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            out[f"detik:{row['id']}"] = row["isi_berita"]
    with gzip.open(INDOSUM, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f):
            paras = json.loads(line)["paragraphs"]
            out[f"indosum:{n}"] = "\n\n".join(
                " ".join(" ".join(toks) for toks in para) for para in paras
            )
    for ref, text in [*fundus_rows(), *fundus_rows(EXT2_FUNDUS), *fundus_rows(EXT3_FUNDUS)]:
        doc = _doc(ref)
        out[doc] = out[doc] + "\n\n" + text if doc in out else text
    return out


SPLITS = ("dev", "devext", "devext2", "devext3", "devext4", "devext5", "test")
DEV_SPLITS = tuple(s for s in SPLITS if s != "test")
# halves scored in aggregate only: their per-sentence output is never printed
HELD_OUT = ("test", "devext5")
EXTENSIONS = (
    "dev_extension.jsonl",
    "dev_extension2.jsonl",
    "dev_extension3.jsonl",
    "dev_extension4.jsonl",
    "dev_extension5.jsonl",
)


def load_refs(extension: bool = True) -> list[dict[str, str]]:
    """The set's references, then (``extension``) the dev extensions' (``devext``, ``devext2``)."""
    files = ["sentences.jsonl"] + (
        [f for f in EXTENSIONS if (SET / f).exists()] if extension else []
    )
    out: list[dict[str, str]] = []
    for name in files:
        lines = (SET / name).read_text(encoding="utf-8").splitlines()
        out.extend(json.loads(line) for line in lines if line.strip())
    return out


def _ext(name: str = "dev_extension.jsonl") -> list[dict[str, str]]:
    lines = (SET / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _write_refs(refs: list[dict[str, str]]) -> None:
    SET.mkdir(parents=True, exist_ok=True)
    with (SET / "sentences.jsonl").open("w", encoding="utf-8") as f:
        for r in refs:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def _show(split: str) -> None:
    """A development half's sentences (the test half's are never printed: it is scored in
    aggregate only)."""
    by_ref = texts()
    for r in load_refs():
        if r["split"] != "test" and split in ("dev-all", r["split"]):
            print(f"{r['id']}\t{by_ref.get(r['id'], '<missing>')}")


@dataclass
class Gold:
    category: str
    mode: str
    actor: str
    target: str


@dataclass
class Tally:
    tp: Counter[str] = field(default_factory=Counter)
    pred: Counter[str] = field(default_factory=Counter)
    gold: Counter[str] = field(default_factory=Counter)
    agree: Counter[str] = field(default_factory=Counter)  # mode/actor/target right on found events
    asked: Counter[str] = field(default_factory=Counter)  # ... where the label gives them
    none_sents: int = 0
    none_events: int = 0
    none_hit: int = 0
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)


def load_labels() -> dict[str, list[Gold]]:
    out: dict[str, list[Gold]] = {}
    for name in (
        "labels.tsv",
        "dev_extension_labels.tsv",
        "dev_extension2_labels.tsv",
        "dev_extension3_labels.tsv",
        "dev_extension4_labels.tsv",
        "dev_extension5_labels.tsv",
    ):
        if not (SET / name).exists():
            continue
        with (SET / name).open(encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip() or line.startswith("#"):
                    continue
                cols = (line.rstrip("\n").split("\t") + [""] * 6)[:6]
                ref, cat, mode, actor, target, _triggers = cols
                if ref in out and cat == "none":
                    raise SystemExit(f"{name} line {n}: {ref} labelled both none and an event")
                events = out.setdefault(ref, [])
                if cat != "none":
                    events.append(Gold(cat, mode or "asserted", actor, target))
    return out


def _same(pred: str | None, gold: str) -> bool:
    """Loose name match: one holds the other, or they share a word of 4+ letters."""
    if not pred:
        return False
    p, g = pred.lower(), gold.lower()
    if p in g or g in p:
        return True
    return bool({w for w in re.findall(r"\w{4,}", p)} & {w for w in re.findall(r"\w{4,}", g)})


def _tally(
    t: Tally,
    pred: list[tuple[str, str, str | None, str | None]],
    gold: list[Gold],
    forms: list[tuple[set[str], set[str]]] | None = None,
) -> None:
    """Count ``pred`` against ``gold``; ``forms`` gives, per predicted event, every name its
    actor's and target's entity goes by in the output ("KPK" for "Komisi Pemberantasan
    Korupsi"): the actor and target are also scored by entity ("actor~", "target~")."""
    left = list(gold)
    for g in gold:
        t.gold[g.category] += 1
    if not gold:
        t.none_sents += 1
        t.none_events += len(pred)
        t.none_hit += 1 if pred else 0
    for i, (cat, mode, actor, target) in enumerate(pred):
        t.pred[cat] += 1
        hit = next((g for g in left if g.category == cat), None)
        if hit is None:
            t.confusion[(left[0].category if left else "none", cat)] += 1
            continue
        left.remove(hit)
        t.tp[cat] += 1
        t.asked["mode"] += 1
        t.agree["mode"] += mode == hit.mode
        for key, got, want in (("actor", actor, hit.actor), ("target", target, hit.target)):
            if want:
                t.asked[key] += 1
                t.agree[key] += _same(got, want)
                if forms is not None:
                    alts = ({got} if got else set()) | forms[i][0 if key == "actor" else 1]
                    t.asked[key + "~"] += 1
                    t.agree[key + "~"] += any(_same(a, want) for a in alts)
    for g in left:
        t.confusion[(g.category, "missed")] += 1


def _prf(tp: int, pred: int, gold: int) -> str:
    p = tp / pred if pred else 1.0
    r = tp / gold if gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"P={p:.2f} R={r:.2f} F1={f:.2f} (tp={tp} pred={pred} gold={gold})"


def _report(name: str, t: Tally, detail: bool) -> None:
    tp, npred, ngold = sum(t.tp.values()), sum(t.pred.values()), sum(t.gold.values())
    print(f"  {name:9s} overall {_prf(tp, npred, ngold)}")
    rates = ", ".join(
        f"{k} {t.agree[k]}/{t.asked[k]}"
        + (f" ({t.agree[k + '~']} by entity)" if t.asked[k + "~"] else "")
        for k in ("mode", "actor", "target")
        if t.asked[k]
    )
    print(f"  {'':9s} on found events: {rates or '-'}")
    per100 = 100 * t.none_events / t.none_sents if t.none_sents else 0.0
    share = 100 * t.none_hit / t.none_sents if t.none_sents else 0.0
    print(
        f"  {'':9s} no-event sentences: {t.none_sents}, false events per 100: {per100:.1f}, "
        f"with any event: {share:.1f} %"
    )
    if not detail:
        return
    for cat in sorted(set(t.pred) | set(t.gold)):
        print(f"    {cat:10s} {_prf(t.tp[cat], t.pred[cat], t.gold[cat])}")
    print("    confusion (labelled -> coded), errors only:")
    for (g, p), n in sorted(t.confusion.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"      {g:10s} -> {p:10s} {n}")


def _lang(ref: str) -> str:
    return "en" if ref.startswith("fundus:") else "id"


def _baseline(text: str, lang: str) -> list[tuple[str, str, str | None, str | None]]:
    from warta.nlp.events import load_lexicon

    lex = load_lexicon(lang)
    out: list[tuple[str, str, str | None, str | None]] = []
    for m in lex.verbs.finditer(text.lower()):
        key = next(k for k, v in m.groupdict().items() if k.startswith("v") and v is not None)
        out.append((lex.categories[key], "asserted", None, None))
    return out


def run(
    errors: str | None = None, context: str = "sentence", splits: tuple[str, ...] = SPLITS
) -> int:
    from warta.run.pipeline import DEFAULT_TEXT_PIPELINE, Pipeline, article_from_text

    refs, labels, by_ref = load_refs(), load_labels(), texts()
    refs = [r for r in refs if r["split"] in splits]
    missing = [r["id"] for r in refs if r["id"] not in labels]
    if missing:
        print(f"{len(missing)} sentences have no label, e.g. {missing[:3]}")
        return 1
    pipeline = Pipeline.from_spec(DEFAULT_TEXT_PIPELINE)
    drift = alone = 0
    docs = articles() if context == "article" else {}
    done: dict[str, Any] = {}
    tallies = {(s, w): Tally() for s in SPLITS for w in ("warta", "baseline")}
    for r in refs:
        text = by_ref.get(r["id"])
        if text is None or short_hash(text) != r["sha"]:
            drift += 1
            continue
        events = None
        if context == "article":
            doc = _doc(r["id"])
            if doc not in done:
                whole = article_from_text(docs[doc])
                whole.language = _lang(r["id"])
                done[doc] = pipeline.process(whole)
            at = done[doc].body.find(text)
            if at >= 0:
                end = at + len(text)
                events = [e for e in done[doc].events if e.start < end and e.end > at]
            else:
                alone += 1
        mentions = done[doc].entities if context == "article" and events is not None else []
        if events is None:
            article = article_from_text(text)
            article.language = _lang(r["id"])
            out = pipeline.process(article)
            events, mentions = out.events, out.entities
        pred = [(e.category, e.mode, e.actor, e.target) for e in events]
        by_id: dict[str, set[str]] = {}
        for m in mentions:
            if m.entity_id:
                by_id.setdefault(m.entity_id, set()).add(m.text)
        forms = [
            (by_id.get(e.actor_id or "", set()), by_id.get(e.target_id or "", set()))
            for e in events
        ]
        gold = [(g.category, g.mode, g.actor, g.target) for g in labels[r["id"]]]
        if errors == r["split"] and sorted(p[0] for p in pred) != sorted(g[0] for g in gold):
            base = [p[0] for p in _baseline(text, _lang(r["id"]))]
            print(f"{r['id']}\t{text}\n  gold {gold}\n  warta {pred}\n  keyword {base}")
        _tally(tallies[(r["split"], "warta")], pred, labels[r["id"]], forms)
        _tally(tallies[(r["split"], "baseline")], _baseline(text, _lang(r["id"])), labels[r["id"]])
    print(
        f"events_independent {date.today().isoformat()}: {len(refs)} sentences, drifted {drift}, "
        f"context {context}"
        + (f" (not found in the article's body, run alone: {alone})" if alone else "")
    )
    for split in splits:
        n = sum(1 for r in refs if r["split"] == split)
        print(f"[{split}] {n} sentences")
        _report("warta", tallies[(split, "warta")], detail=True)
        _report("baseline", tallies[(split, "baseline")], detail=False)
    return 0 if drift == 0 else 2


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--draw", action="store_true", help="draw the sentence references again")
    parser.add_argument(
        "--show",
        choices=(*DEV_SPLITS, "dev-all"),
        help="print a development half's sentences (never the test half's)",
    )
    parser.add_argument(
        "--errors",
        choices=tuple(s for s in DEV_SPLITS if s not in HELD_OUT),
        help="print a development half's miscoded sentences (never a held-out half's: test, devext5)",
    )
    parser.add_argument(
        "--splits",
        default=",".join(SPLITS),
        help="comma-separated halves to run: dev (the set's dev half), devext, devext2, "
        "devext3, devext4, devext5 (the dev extensions), test (default: all)",
    )
    parser.add_argument(
        "--draw-extension",
        action="store_true",
        help="draw the dev extension's references again (the README's rule)",
    )
    parser.add_argument(
        "--context",
        choices=("sentence", "article"),
        default="sentence",
        help="run each sentence alone (default) or its whole article, keeping the events in it",
    )
    parser.add_argument(
        "--draw-extension2",
        action="store_true",
        help="draw the second dev extension's references again (the README's rule)",
    )
    parser.add_argument(
        "--draw-extension3",
        action="store_true",
        help="draw the third dev extension's references again (the README's rule)",
    )
    parser.add_argument(
        "--draw-extension4",
        action="store_true",
        help="draw the fourth dev extension's references again (the README's rule)",
    )
    parser.add_argument(
        "--draw-extension5",
        action="store_true",
        help="draw the fifth dev extension's references again (the README's rule)",
    )
    args = parser.parse_args()
    if not DETIK.exists() or not INDOSUM.exists() or not FUNDUS.exists():
        print(f"{DATA} is incomplete: ../shared/data is needed for this benchmark")
        return 1
    if args.draw:
        _write_refs(draw())
        return 0
    if args.draw_extension:
        with (SET / "dev_extension.jsonl").open("w", encoding="utf-8") as f:
            for r in draw_extension(load_refs(extension=False)):
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        return 0
    if args.draw_extension2:
        with (SET / "dev_extension2.jsonl").open("w", encoding="utf-8") as f:
            for r in draw_extension2(load_refs(extension=False) + _ext()):
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        return 0
    if args.draw_extension3:
        earlier = load_refs(extension=False) + _ext() + _ext("dev_extension2.jsonl")
        with (SET / "dev_extension3.jsonl").open("w", encoding="utf-8") as f:
            for r in draw_extension3(earlier):
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        return 0
    if args.draw_extension4:
        earlier = load_refs(extension=False) + [r for name in EXTENSIONS[:3] for r in _ext(name)]
        with (SET / "dev_extension4.jsonl").open("w", encoding="utf-8") as f:
            for r in draw_extension4(earlier):
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        return 0
    if args.draw_extension5:
        earlier = load_refs(extension=False) + [r for name in EXTENSIONS[:4] for r in _ext(name)]
        with (SET / "dev_extension5.jsonl").open("w", encoding="utf-8") as f:
            for r in draw_extension5(earlier):
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        return 0
    splits = tuple(s.strip() for s in args.splits.split(",") if s.strip())
    bad = [s for s in splits if s not in SPLITS]
    if bad:
        print(f"--splits: unknown half {bad[0]!r} (use {', '.join(SPLITS)})")
        return 1
    if args.show:
        _show(args.show)
        return 0
    return run(args.errors, args.context, splits)


if __name__ == "__main__":
    sys.exit(main())
