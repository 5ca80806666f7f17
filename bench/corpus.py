"""Duplicates and stories on real articles, against a TF-IDF baseline in the same run, and
what placing one more article costs in a small and in a large store.

    python bench/corpus.py [--shared ../shared] [--copies 200] [--cost 1000,20000]
    python bench/corpus.py --tune --grid JOIN=0.45,0.5 --grid WORDS=0,30   # dev-half grid
    python bench/corpus.py --cost '' --errors     # the report, with the dev half's errors

Articles: the 750 IndoSum dev articles (``indosum_dev01``; ten outlets, 2016-2018; title from
the URL slug, publish time from the id's Unix time) and the detik articles
(``detik_summ_entity_1000``; title, WIB publish time; rows repeating a URL are one report).
Each goes through ``warta.api.extract_text`` (the whole default pipeline), then gets its title,
publish time and outlet from the data and is stored with ``put_many``; ``update_corpus`` places
them all. The enriched records are cached under ``bench/out/`` (``--fresh`` redoes them).

Stories: the hand-labelled groups and different-story pairs in ``bench/data/stories/`` (see its
README). B-cubed over the labelled articles: gold clusters are the groups; an article of a
different-story pair that is in no group is its own cluster, so a pair grouped together costs
precision. Dev and test halves are fixed in the files; thresholds were chosen on dev only.

Duplicates: ``--copies`` real articles (seeded) each get one or two syndicated copies with
another outlet's furniture ("Baca juga: ...", "Simak video ...", a "Jakarta (OUTLET) - " credit,
a republication notice, an editor line), a rewritten first sentence (connectives and verbs of
saying swapped, words dropped, a trailing clause moved to the front), a trimmed end and another
headline, at least two of these each. Furniture-only negatives: ``--negatives`` pairs of
unrelated real articles stored only dressed in identical furniture. Gold: a source with its
copies, joined with the real articles that share its text (exact 5-word shingle overlap at the
default thresholds, not MinHash: detik republishes its own reports under new headlines).
Pairwise precision and recall over every pair that involves a generated article; the pairs of
two real articles are scored apart (warta's MinHash LSH against the exact overlap).

Baseline (same run, same articles): TF-IDF cosine over body words (log tf, smooth idf, written
here), single-link above a fixed threshold; for stories the threshold is the dev-best one, with
and without warta's time window.

Cost: stores of the given sizes filled with articles made from the real enriched ones (each
keeps a random 60% of its source's sentences and takes 30% more from another article, entity
and event offsets carried over, a random publish time within one year); the time to place one
more article (median of 20) in each, and the time ``update_corpus`` took to place them all.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import gzip
import hashlib
import json
import math
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np

from warta.api import extract_text
from warta.core.record import Article, Event, Mention, fingerprint, report_id
from warta.core.serialize import article_from_json, article_to_json
from warta.corpus import duplicates, stories
from warta.corpus.shingles import shingles, words
from warta.corpus.update import update_corpus
from warta.store import open_store
from warta.store.base import Store

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
LABELS = BENCH / "data" / "stories"
OUT = BENCH / "out"
WIB = timezone(timedelta(hours=7))
SEED = 14

# --------------------------------------------------------------------------------------------
# The real articles


@dataclasses.dataclass(frozen=True, slots=True)
class Source:
    key: str  # "indosum:<line index>" or "detik:<id column>"
    outlet: str
    title: str
    published: datetime
    url: str
    body: str


def _slug_title(url: str) -> str:
    slug = url.split("?")[0].rstrip("/").rsplit("/", 1)[-1].removesuffix(".html")
    slug = re.sub(r"^\d+[-.]", "", slug)
    return re.sub(r"[-.]+", " ", slug).strip()


def load_sources(shared: Path) -> list[Source]:
    out: list[Source] = []
    path = shared / "data" / "indosum_dev01" / "dev.01.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            doc = json.loads(line)
            body = "\n".join(" ".join(" ".join(s) for s in p) for p in doc["paragraphs"])
            when = datetime.fromtimestamp(int(doc["id"].split("-")[0]), tz=UTC)
            url = doc["source_url"]
            out.append(Source(f"indosum:{i}", doc["source"], _slug_title(url), when, url, body))
    seen: set[str] = set()
    path = shared / "data" / "detik_summ_entity_1000" / "data_berita.csv.gz"
    csv.field_size_limit(1 << 30)
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["tautan"] in seen:  # the same report listed under two keywords
                continue
            seen.add(row["tautan"])
            when = datetime.strptime(row["tanggal"], "%m/%d/%Y %H:%M").replace(tzinfo=WIB)
            out.append(
                Source(
                    f"detik:{row['id']}",
                    "detik",
                    row["judul"],
                    when,
                    row["tautan"],
                    row["isi_berita"],
                )
            )
    return out


def body_hash(body: str) -> str:
    return hashlib.sha1(body.encode("utf-8")).hexdigest()[:12]


# --------------------------------------------------------------------------------------------
# Enrichment (cached)


class Enricher:
    """``extract_text`` with a cache keyed by the page text (the pipeline is the slow part)."""

    def __init__(self, path: Path, fresh: bool) -> None:
        self.path = path
        self.cache: dict[str, str] = {}
        if path.exists() and not fresh:
            with gzip.open(path, "rt", encoding="utf-8") as f:
                for line in f:
                    key, _, record = line.rstrip("\n").partition("\t")
                    self.cache[key] = record
        self.added = 0

    def __call__(self, text: str, url: str) -> Article:
        key = hashlib.sha1(f"{url}\n{text}".encode()).hexdigest()
        if key in self.cache:
            return article_from_json(self.cache[key])
        article = extract_text(text, url=url)
        self.cache[key] = article_to_json(article)
        self.added += 1
        return article

    def save(self) -> None:
        if not self.added:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with gzip.open(self.path, "wt", encoding="utf-8") as f:
            for key, record in self.cache.items():
                f.write(f"{key}\t{record}\n")


def as_article(
    enrich: Enricher, text: str, url: str, title: str, published: datetime, outlet: str
) -> Article:
    article = enrich(text, url)
    article.title = title
    article.published = published
    article.outlet = outlet
    article.id = ""
    article.fingerprint = fingerprint(article.body)
    article.id = report_id(url=url, source=url, body_fingerprint=article.fingerprint)
    return article


# --------------------------------------------------------------------------------------------
# Syndicated copies and furniture-only negatives

COPY_OUTLETS = [
    ("ANTARA", "antaranews.com"),
    ("Kompas.com", "kompas.com"),
    ("Tribunnews", "tribunnews.com"),
    ("Okezone", "okezone.com"),
    ("Liputan6", "liputan6.com"),
    ("Suara.com", "suara.com"),
    ("Republika", "republika.co.id"),
    ("iNews", "inews.id"),
]
# word swaps for a rewritten first sentence (a copy editor's hand, not a paraphraser)
SWAPS = {
    "mengatakan": "menyatakan",
    "menyatakan": "mengungkapkan",
    "mengungkapkan": "menyebutkan",
    "menyebut": "mengatakan",
    "pada": "di",
    "dalam": "di dalam",
    "telah": "sudah",
    "sudah": "telah",
    "akan": "bakal",
    "bakal": "akan",
    "hingga": "sampai",
    "namun": "tetapi",
    "karena": "sebab",
    "usai": "setelah",
    "setelah": "usai",
    "saat": "ketika",
    "juga": "pun",
    "tersebut": "itu",
    "ini": "tersebut",
    "sejumlah": "beberapa",
    "menggelar": "mengadakan",
}
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+[\"”']?|$)")


def sentences(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group().strip()]


def rewrite_sentence(sentence: str, rng: random.Random) -> str:
    """Swap connectives and verbs of saying, drop a word or two, move a trailing clause."""
    toks = sentence.split()
    toks = [SWAPS.get(t, t) if rng.random() < 0.8 else t for t in toks]
    for _ in range(min(2, len(toks) // 8)):
        toks.pop(rng.randrange(1, len(toks) - 1))
    text = " ".join(toks)
    if "," in text:
        head, _, tail = text.rpartition(",")
        tail = tail.strip().rstrip(".")
        if tail and head:
            text = f"{tail[0].upper()}{tail[1:]}, {head[0].lower()}{head[1:]}."
    return text


def furniture(rng: random.Random, titles: Sequence[str], outlet: str) -> dict[str, str]:
    pick = rng.sample(list(titles), 3)
    return {
        "baca1": f"Baca juga: {pick[0]}",
        "baca2": f"Baca Juga : {pick[1]}",
        "video": f'Simak video "{pick[2]}"',
        "notice": f'Artikel ini telah tayang di {outlet} dengan judul "{pick[0]}".',
        "share": "Dapatkan update berita pilihan dan breaking news setiap hari. Follow kami di Google News.",
    }


def make_copy(src: Source, n: int, rng: random.Random, titles: Sequence[str]) -> Source:
    """One syndicated copy of ``src`` with a random mix of realistic edits (at least two)."""
    outlet, host = COPY_OUTLETS[rng.randrange(len(COPY_OUTLETS))]
    paras = [p for p in src.body.split("\n") if p.strip()]
    edits = rng.sample(["credit", "rewrite", "trim", "furniture", "added"], k=rng.randint(2, 5))
    if "rewrite" in edits and paras:
        spans = sentences(paras[0])
        if spans:
            s, e = spans[0]
            paras[0] = rewrite_sentence(paras[0][s:e], rng) + " " + paras[0][e:].lstrip()
    if "trim" in edits:
        total = sum(len(p.split()) for p in paras)
        keep, count = [], 0
        for p in paras:  # keep 65-90% of the words, cut at a paragraph or sentence end
            if count >= total * rng.uniform(0.65, 0.9):
                break
            keep.append(p)
            count += len(p.split())
        paras = keep or paras[:1]
    if "credit" in edits and paras:
        city = rng.choice(["Jakarta", "Bandung", "Surabaya", "Medan"])
        paras[0] = f"{city} ({outlet}) - {paras[0]}"
    furn = furniture(rng, titles, outlet)
    if "furniture" in edits:
        if len(paras) > 2:
            paras.insert(2, furn["baca1"])
        if len(paras) > 5:
            paras.insert(5, furn["baca2"])
        paras.append(furn["video"])
        paras.append(furn["share"])
    if "added" in edits:
        paras.append(f'Artikel ini telah tayang di {src.outlet} dengan judul "{src.title}".')
        paras.append(f"(Editor: {rng.choice(['Agus', 'Rina', 'Dedi', 'Sari'])})")
    words_ = src.title.split()
    headline = " ".join(words_[len(words_) // 2 :] + words_[: len(words_) // 2]) if words_ else ""
    headline = rng.choice([headline, f"{outlet.split('.')[0]}: {src.title}", src.title.upper()])
    return Source(
        f"copy:{src.key}:{n}",
        outlet,
        headline,
        src.published + timedelta(minutes=rng.randint(20, 60 * 36)),
        f"https://www.{host}/read/{body_hash(src.key)}/{n}",
        "\n".join(paras),
    )


def furnished(src: Source, n: int, furn: dict[str, str], outlet: str, host: str) -> Source:
    """An unrelated real article dressed in the shared furniture (not a copy of anything)."""
    paras = [p for p in src.body.split("\n") if p.strip()]
    paras[0] = f"Jakarta ({outlet}) - {paras[0]}"
    if len(paras) > 2:
        paras.insert(2, furn["baca1"])
    paras += [furn["video"], furn["share"], furn["notice"]]
    return Source(
        f"furnished:{src.key}:{n}",
        outlet,
        src.title,
        src.published + timedelta(hours=1),
        f"https://www.{host}/berita/{body_hash(src.key)}/{n}",
        "\n".join(paras),
    )


# --------------------------------------------------------------------------------------------
# Labels and scores


def split_of(unit: str) -> str:
    """The fixed half of a group, pair or copy family (decided before anything was measured)."""
    h = int(hashlib.sha1(f"warta-stories-split:{unit}".encode()).hexdigest(), 16)
    return "dev" if h % 2 == 0 else "test"


@dataclasses.dataclass(slots=True)
class Labels:
    groups: dict[str, tuple[str, list[str]]]  # id -> (split, article keys)
    pairs: dict[str, tuple[str, str, str]]  # id -> (split, a, b)


def load_labels(folder: Path = LABELS) -> Labels:
    groups: dict[str, tuple[str, list[str]]] = {}
    with (folder / "groups.tsv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            groups[row["group"]] = (row["split"], row["articles"].split())
    pairs: dict[str, tuple[str, str, str]] = {}
    with (folder / "pairs.tsv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            pairs[row["pair"]] = (row["split"], row["a"], row["b"])
    return Labels(groups, pairs)


def bcubed(gold: dict[str, str], predicted: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of ``predicted`` (article -> cluster) over the
    articles of ``gold`` (article -> cluster)."""
    items = list(gold)
    by_gold: dict[str, set[str]] = {}
    by_pred: dict[str, set[str]] = {}
    for i in items:
        by_gold.setdefault(gold[i], set()).add(i)
        by_pred.setdefault(predicted[i], set()).add(i)
    p = r = 0.0
    for i in items:
        same_pred = by_pred[predicted[i]]
        same_gold = by_gold[gold[i]]
        both = len(same_pred & same_gold)
        p += both / len(same_pred)
        r += both / len(same_gold)
    p, r = p / len(items), r / len(items)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def story_scores(labels: Labels, split: str, predicted: dict[str, str]) -> dict[str, float]:
    gold: dict[str, str] = {}
    for gid, (s, keys) in labels.groups.items():
        if s == split:
            for k in keys:
                gold[k] = gid
    wrong = 0
    pairs = [(a, b) for s, a, b in labels.pairs.values() if s == split]
    for a, b in pairs:
        gold.setdefault(a, f"alone:{a}")
        gold.setdefault(b, f"alone:{b}")
        wrong += predicted[a] == predicted[b]
    p, r, f = bcubed(gold, predicted)
    return {"P": p, "R": r, "F1": f, "pairs_joined": wrong, "pairs": len(pairs)}


def pair_scores(
    units: dict[str, str],
    gold_groups: dict[str, str],
    predicted: dict[str, str | None],
    split: str,
    generated: set[str] | None,
) -> dict[str, Any]:
    """Pairwise precision/recall of duplicate groups over the pairs of one half (a pair is in
    the half of its smaller unit: a copy family, or an article on its own): the pairs with a
    generated article when ``generated`` is given, else the pairs of two real articles."""

    def pairs_of(groups: dict[str, str | None]) -> set[tuple[str, str]]:
        members: dict[str, list[str]] = {}
        for k, g in groups.items():
            if g is not None:
                members.setdefault(g, []).append(k)
        out = set()
        for ms in members.values():
            ms.sort()
            for i, a in enumerate(ms):
                for b in ms[i + 1 :]:
                    mine = (
                        (a in generated or b in generated)
                        if generated is not None
                        else (units[a] == a and units[b] == b and ":" not in a.split(":", 1)[1])
                    )
                    if mine and split_of(min(units[a], units[b])) == split:
                        out.add((a, b))
        return out

    gold = pairs_of(dict(gold_groups.items()))
    pred = pairs_of(predicted)
    tp = len(gold & pred)
    return {
        "P": tp / len(pred) if pred else 1.0,
        "R": tp / len(gold) if gold else 1.0,
        "gold": len(gold),
        "predicted": len(pred),
        "fp": sorted(pred - gold)[:10],
        "fn": sorted(gold - pred)[:10],
    }


def exact_copies(corpus: Corpus) -> list[tuple[str, str]]:
    """Pairs of real articles (a dressed one counts as its real text) that carry the same text
    (exact 5-word shingle sets, at the default thresholds: Jaccard >= 0.5, or >= 0.8 of the
    smaller one contained): detik republishes its own reports under new headlines, and those
    are copies too."""
    real = [
        (s.key, shingles(a.body))
        for s, a in zip(corpus.sources, corpus.articles, strict=True)
        if corpus.unit[s.key] == s.key or s.key in corpus.family
    ]
    real = [(k, sh) for k, sh in real if not k.startswith("copy:")]
    postings: dict[int, list[int]] = {}
    for i, (_, sh) in enumerate(real):
        for x in sh:
            postings.setdefault(x, []).append(i)
    candidates: set[tuple[int, int]] = set()
    for ids in postings.values():
        if 1 < len(ids) <= 20:  # boilerplate shingles are in many bodies: not evidence
            candidates.update((a, b) for n, a in enumerate(ids) for b in ids[n + 1 :])
    out = []
    for i, j in sorted(candidates):
        a, b = real[i][1], real[j][1]
        shared = len(a & b)
        contained = shared / min(len(a), len(b)) if min(len(a), len(b)) >= 20 else 0.0
        if shared / len(a | b) >= 0.5 or contained >= 0.8:
            out.append((real[i][0], real[j][0]))
    return out


def gold_duplicates(corpus: Corpus, real_copies: list[tuple[str, str]]) -> dict[str, str]:
    """Gold duplicate group of every article that has a copy: a source with its generated
    copies, joined with the real articles it shares its text with."""
    parent: dict[str, str] = {}

    def find(k: str) -> str:
        parent.setdefault(k, k)
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for key, fam in corpus.family.items():
        parent[find(key)] = find(fam)
    for a, b in real_copies:
        parent[find(a)] = find(b)
    return {k: find(k) for k in list(parent)}


# --------------------------------------------------------------------------------------------
# The TF-IDF baseline


class Tfidf:
    """Unit-length TF-IDF vectors of the bodies (1 + log tf, smooth idf) and their cosines."""

    def __init__(self, bodies: Sequence[str]) -> None:
        counts = [Counter(words(b)) for b in bodies]
        df: Counter[str] = Counter(t for c in counts for t in c)
        n = len(bodies)
        idf = {t: math.log((1 + n) / (1 + d)) + 1.0 for t, d in df.items()}
        shared = sorted(t for t, d in df.items() if d >= 2)  # a term in one body adds no overlap
        col = {t: i for i, t in enumerate(shared)}
        matrix = np.zeros((n, len(shared)), dtype=np.float32)
        for row, c in enumerate(counts):
            weights = {t: (1.0 + math.log(v)) * idf[t] for t, v in c.items()}
            norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
            for t, w in weights.items():
                if t in col:
                    matrix[row, col[t]] = w / norm
        self.cos = matrix @ matrix.T

    def single_link(
        self,
        threshold: float,
        when: Sequence[datetime] | None = None,
        window: timedelta | None = None,
    ) -> list[int]:
        n = self.cos.shape[0]
        parent = list(range(n))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        rows, cols = np.nonzero(np.triu(self.cos >= threshold, k=1))
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
            if when is not None and window is not None and abs(when[i] - when[j]) > window:
                continue
            parent[find(i)] = find(j)
        return [find(i) for i in range(n)]


# --------------------------------------------------------------------------------------------
# The evaluation corpus


@dataclasses.dataclass(slots=True)
class Corpus:
    sources: list[Source]
    articles: list[Article]
    unit: dict[str, str]  # key -> copy family or own key
    family: dict[str, str]  # key -> family id (sources with copies and the copies)


def build_corpus(shared: Path, copies: int, negatives: int, enrich: Enricher) -> Corpus:
    real = load_sources(shared)
    rng = random.Random(SEED)
    titles = [s.title for s in real]
    picked = rng.sample(real, copies)
    made: list[Source] = []
    family: dict[str, str] = {}
    for src in picked:
        family[src.key] = src.key
        for n in range(rng.choice([1, 1, 2])):
            copy = make_copy(src, n, rng, titles)
            made.append(copy)
            family[copy.key] = src.key
    labelled = {k for _, keys in load_labels().groups.values() for k in keys}
    labelled |= {k for _, a, b in load_labels().pairs.values() for k in (a, b)}
    rest = [s for s in real if s.key not in family and s.key not in labelled]
    dressed: dict[str, Source] = {}
    for n in range(negatives):
        # two unrelated articles in identical furniture, each stored only in that dress
        outlet, host = COPY_OUTLETS[rng.randrange(len(COPY_OUTLETS))]
        furn = furniture(rng, titles, outlet)
        for src in rng.sample(rest, 2):
            if src.key not in dressed:
                dressed[src.key] = furnished(src, n, furn, outlet, host)
    sources = [dressed.get(s.key, s) for s in real] + made
    unit = {s.key: family.get(s.key, s.key) for s in sources}
    t0 = time.perf_counter()
    articles = [as_article(enrich, s.body, s.url, s.title, s.published, s.outlet) for s in sources]
    if enrich.added:
        print(
            f"enriched {enrich.added} articles in {time.perf_counter() - t0:.0f} s", file=sys.stderr
        )
    enrich.save()
    return Corpus(sources, articles, unit, family)


def place(corpus: Corpus, path: Path) -> tuple[dict[str, str | None], dict[str, str], float]:
    """Store every article in a fresh SQLite store and place it: (duplicate group, story) per
    key, and the seconds update_corpus took."""
    if path.exists():
        path.unlink()
    with open_store(str(path)) as store:
        order = sorted(range(len(corpus.articles)), key=lambda i: corpus.articles[i].published)
        store.put_many([corpus.articles[i] for i in order])
        t0 = time.perf_counter()
        update_corpus(store)
        took = time.perf_counter() - t0
        tables = store.corpus_tables()
        dup: dict[str, str | None] = {}
        story: dict[str, str] = {}
        for src, article in zip(corpus.sources, corpus.articles, strict=True):
            doc = tables.doc_by_id(article.id)
            assert doc is not None and doc.story is not None, src.key
            dup[src.key] = None if doc.dup_group is None else str(doc.dup_group)
            story[src.key] = tables.resolve_story(doc.story) or doc.story
    return dup, story, took


def _fmt(s: dict[str, float]) -> str:
    return (
        f"P {s['P']:.3f}  R {s['R']:.3f}  F1 {s['F1']:.3f}  "
        f"different-story pairs joined {s['pairs_joined']}/{s['pairs']}"
    )


def evaluate(args: argparse.Namespace) -> None:
    enrich = Enricher(OUT / "corpus_enriched.tsv.gz", args.fresh)
    corpus = build_corpus(args.shared, args.copies, args.negatives, enrich)
    labels = load_labels()
    made = Counter(s.key.split(":")[0] for s in corpus.sources)
    print(
        f"articles: {len(corpus.sources)} ({made['indosum'] + made['detik'] + made['furnished']} "
        f"real, {made['furnished']} of them stored dressed in another outlet's shared furniture; "
        f"{made['copy']} syndicated copies of {args.copies} real articles)"
    )
    print(
        f"labels: {len(labels.groups)} same-story groups "
        f"({sum(len(k) for _, k in labels.groups.values())} articles), "
        f"{len(labels.pairs)} different-story pairs"
    )
    print(
        f"warta: JOIN {stories.JOIN}  MERGE {stories.MERGE}  WINDOW {stories.WINDOW.days} d  "
        f"CENTROID {stories.CENTROID}  DAY {stories.DAY_WEIGHT}  EVENT {stories.EVENT_WEIGHT}  "
        f"WORDS {stories.WORDS}  TITLE {stories.TITLE_WEIGHT}  WORD_JOIN {stories.WORD_JOIN}  "
        f"JACCARD {duplicates.JACCARD}  CONTAINED {duplicates.CONTAINED}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        dup, story, took = place(corpus, Path(tmp) / "eval.db")
    print(f"update_corpus placed {len(corpus.sources)} articles in {took:.1f} s")
    if args.errors:
        print("\nstory errors on the dev half")
        show_errors(corpus, labels, story, "dev")

    keys = [s.key for s in corpus.sources]
    tfidf = Tfidf([a.body for a in corpus.articles])
    when = [a.published or datetime.min.replace(tzinfo=UTC) for a in corpus.articles]

    def baseline(threshold: float, window: timedelta | None) -> dict[str, str]:
        roots = tfidf.single_link(threshold, when, window)
        return {k: str(r) for k, r in zip(keys, roots, strict=True)}

    grid = [round(0.05 * i, 2) for i in range(2, 19)]
    best: dict[str, float] = {}
    for name, window in (("plain", None), ("window", stories.WINDOW)):
        dev = {t: story_scores(labels, "dev", baseline(t, window))["F1"] for t in grid}
        best[name] = max(grid, key=lambda t: (dev[t], -t))
    for split in ("dev", "test"):
        print(f"\nstories, {split} half (B-cubed over the labelled articles)")
        print(f"  warta                           {_fmt(story_scores(labels, split, story))}")
        for name, window in (("plain", None), ("window", stories.WINDOW)):
            t = best[name]
            label = f"TF-IDF cos>={t:.2f}" + (f" {window.days}-day window" if window else "")
            s = story_scores(labels, split, baseline(t, window))
            print(f"  {label:<32}{_fmt(s)}")

    generated = {k for k in keys if k.startswith(("copy:", "furnished:"))}
    real_copies = exact_copies(corpus)
    gold_groups = gold_duplicates(corpus, real_copies)
    base_dup_roots = tfidf.single_link(args.dup_threshold)
    base_dup_members = Counter(base_dup_roots)
    base_dup = {
        k: (str(r) if base_dup_members[r] > 1 else None)
        for k, r in zip(keys, base_dup_roots, strict=True)
    }
    for split in ("dev", "test"):
        print(f"\nduplicates, {split} half (pairwise)")
        w = pair_scores(corpus.unit, gold_groups, dup, split, generated)
        b = pair_scores(corpus.unit, gold_groups, base_dup, split, generated)
        print(
            f"  warta             P {w['P']:.3f}  R {w['R']:.3f}  "
            f"(gold pairs {w['gold']}, predicted {w['predicted']})"
        )
        print(
            f"  TF-IDF cos>={args.dup_threshold:.2f}  P {b['P']:.3f}  R {b['R']:.3f}  "
            f"(predicted {b['predicted']})"
        )
        for a, bb in w["fp"]:
            print(f"    warta false pair: {a} ~ {bb}")
        for a, bb in w["fn"]:
            print(f"    warta missed pair: {a} ~ {bb}")
        r = pair_scores(corpus.unit, gold_groups, dup, split, None)
        print(
            f"  real republished text (exact overlap) vs warta's LSH groups: P {r['P']:.3f}  "
            f"R {r['R']:.3f}  ({r['gold']} pairs)"
        )
    if args.cost:
        cost(corpus, [int(x) for x in args.cost.split(",")])


# --------------------------------------------------------------------------------------------
# Tuning on the dev half


def _grid_value(name: str, text: str) -> Any:
    """A value for one of ``warta.corpus.stories``' settings, typed like its default."""
    current = getattr(stories, name)
    if isinstance(current, timedelta):
        return timedelta(days=float(text))
    return type(current)(float(text)) if isinstance(current, int) else float(text)


def tune(args: argparse.Namespace) -> None:
    """Stories on the dev half over a grid of ``warta.corpus.stories`` settings (dev only):
    ``--grid JOIN=0.45,0.5 --grid WORDS=0,30`` tries every combination."""
    enrich = Enricher(OUT / "corpus_enriched.tsv.gz", args.fresh)
    corpus = build_corpus(args.shared, args.copies, args.negatives, enrich)
    labels = load_labels()
    axes: list[tuple[str, list[Any]]] = []
    for spec in args.grid:
        name, _, values = spec.partition("=")
        if not hasattr(stories, name) or not values:
            sys.exit(
                f"--grid {spec!r}: expected NAME=v1,v2 with NAME a setting of warta.corpus.stories"
            )
        axes.append((name, [_grid_value(name, v) for v in values.split(",")]))
    combos: list[dict[str, Any]] = [{}]
    for name, values in axes:
        combos = [{**c, name: v} for c in combos for v in values]
    with tempfile.TemporaryDirectory() as tmp:
        for combo in combos:
            for name, value in combo.items():
                setattr(stories, name, value)
            _, story, took = place(corpus, Path(tmp) / "tune.db")
            s = story_scores(labels, "dev", story)
            shown = "  ".join(
                f"{k} {v.days if isinstance(v, timedelta) else v}" for k, v in combo.items()
            )
            print(f"{shown}  dev {_fmt(s)}  ({took:.0f} s)", flush=True)


def show_errors(corpus: Corpus, labels: Labels, story: dict[str, str], split: str) -> None:
    """The labelled groups of one half that warta split or joined to other labelled articles,
    and the different-story pairs it joined (for reading the errors on dev)."""
    by_story: dict[str, list[str]] = {}
    for k, s in story.items():
        by_story.setdefault(s, []).append(k)
    labelled = {k for _, keys in labels.groups.values() for k in keys}
    labelled |= {k for _, a, b in labels.pairs.values() for k in (a, b)}
    title = {s.key: s.title for s in corpus.sources}
    when = {s.key: s.published for s in corpus.sources}
    for gid, (s, keys) in labels.groups.items():
        if s != split:
            continue
        found = {story[k] for k in keys}
        others = sorted({k for f in found for k in by_story[f] if k in labelled} - set(keys))
        if len(found) == 1 and not others:
            continue
        print(f"  group {gid}: {len(keys)} articles in {len(found)} stories")
        for k in [*keys, *others]:
            mark = " " if k in keys else "+"
            print(f"   {mark}{k:<14} {story[k][-6:]} {when[k]:%Y-%m-%d %H:%M} {title[k][:70]}")
    for pid, (s, a, b) in labels.pairs.items():
        if s == split and story[a] == story[b]:
            print(f"  pair joined {pid}: {title[a][:50]} | {title[b][:50]}")


# --------------------------------------------------------------------------------------------
# Incremental cost


def synthetic(base: list[Article], n: int, seed: int, start: datetime) -> Iterator[Article]:
    """``n`` articles made from the real enriched ones (see the module docstring)."""
    rng = random.Random(seed)
    span = int(timedelta(days=365).total_seconds())
    for i in range(n):
        a = base[rng.randrange(len(base))]
        donor = base[rng.randrange(len(base))]
        own = [sp for sp in sentences(a.body) if rng.random() < 0.6] or sentences(a.body)[:1]
        other = [sp for sp in sentences(donor.body) if rng.random() < 0.3]
        pieces = [(a, s, e) for s, e in own] + [(donor, s, e) for s, e in other]
        body_parts: list[str] = []
        mentions: list[Mention] = []
        events: list[Event] = []
        offset = 0
        for src, s, e in pieces:
            text = src.body[s:e].strip()
            lead = len(src.body[s:e]) - len(src.body[s:e].lstrip())
            shift = offset - s - lead
            for m in src.entities:
                if s + lead <= m.start and m.end <= s + lead + len(text):
                    mentions.append(
                        dataclasses.replace(m, start=m.start + shift, end=m.end + shift)
                    )
            for ev in src.events:
                if s + lead <= ev.start and ev.end <= s + lead + len(text):
                    events.append(
                        dataclasses.replace(ev, start=ev.start + shift, end=ev.end + shift)
                    )
            body_parts.append(text)
            offset += len(text) + 1
        body = " ".join(body_parts)
        low = body.casefold()
        keywords = [k for k in [*a.keywords, *donor.keywords] if k.casefold() in low][:10]
        url = f"https://synthetic.example/{seed}/{i}"
        fp = fingerprint(body)
        yield dataclasses.replace(
            a,
            id=report_id(url=url, source=url, body_fingerprint=fp),
            url=url,
            canonical_url=url,
            source=url,
            outlet=COPY_OUTLETS[rng.randrange(len(COPY_OUTLETS))][0],
            published=start + timedelta(seconds=rng.randrange(span)),
            body=body,
            blocks=[],
            removed=[],
            entities=mentions,
            events=events,
            quotes=[],
            times=[],
            keywords=list(dict.fromkeys(keywords)),
            fingerprint=fp,
        )


def _place_one_more(store: Store, extra: list[Article]) -> list[float]:
    took = []
    for article in extra:
        store.put_many([article])
        t0 = time.perf_counter()
        report = update_corpus(store)
        took.append(time.perf_counter() - t0)
        assert report.placed == 1
    return took


def cost(corpus: Corpus, sizes: list[int]) -> None:
    base = [
        a
        for s, a in zip(corpus.sources, corpus.articles, strict=True)
        if not s.key.startswith(("copy:", "furnished:"))
    ]
    start = datetime(2024, 1, 1, tzinfo=WIB)
    print("\nincremental cost (SQLite, synthetic articles from the real enriched ones)")
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            path = Path(tmp) / f"cost-{size}.db"
            with open_store(str(path)) as store:
                t0 = time.perf_counter()
                for chunk in _chunks(synthetic(base, size, seed=size, start=start), 1000):
                    store.put_many(chunk)
                put_s = time.perf_counter() - t0
                t0 = time.perf_counter()
                update_corpus(store)
                full = time.perf_counter() - t0
                extra = list(synthetic(base, 20, seed=size + 1, start=start))
                took = _place_one_more(store, extra)
                print(
                    f"  store of {size:>7,} articles: placing article {size + 1:,} takes "
                    f"{statistics.median(took) * 1000:.0f} ms (median of 20, "
                    f"max {max(took) * 1000:.0f} ms); placing all {size:,} took {full:.0f} s "
                    f"({size / full:.0f}/s); storing them {put_s:.0f} s",
                    flush=True,
                )


def _chunks(items: Iterable[Article], n: int) -> Iterator[list[Article]]:
    chunk: list[Article] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == n:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--copies", type=int, default=200, help="real articles given syndicated copies")
    ap.add_argument("--negatives", type=int, default=50, help="pairs in identical furniture")
    ap.add_argument("--dup-threshold", type=float, default=0.8, help="baseline duplicate cosine")
    ap.add_argument(
        "--cost", default="1000,20000", help="store sizes for the cost figures ('' skips)"
    )
    ap.add_argument("--fresh", action="store_true", help="redo the enrichment cache")
    ap.add_argument("--tune", action="store_true", help="the dev-half grid instead of the report")
    ap.add_argument(
        "--grid",
        action="append",
        default=[],
        metavar="NAME=V1,V2",
        help="with --tune: values of a warta.corpus.stories setting to try (repeatable)",
    )
    ap.add_argument("--errors", action="store_true", help="list the dev half's story errors")
    args = ap.parse_args(argv)
    if not (args.shared / "data").is_dir():
        sys.exit(f"no shared data under {args.shared}: pass --shared PATH")
    print(
        f"python bench/corpus.py {' '.join(sys.argv[1:])}  ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)"
    )
    (tune if args.tune else evaluate)(args)


if __name__ == "__main__":
    main()
