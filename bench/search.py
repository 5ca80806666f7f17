"""Search latency over a large store, store size, and what Indonesian stemming adds to recall.

    python bench/search.py [--articles 200000] [--queries 1000] [--db bench/out/search.db]
                           [--pg URL --pg-articles 20000]

Corpus: the 1,000 detik articles (``../shared/data/detik_summ_entity_1000``) and the 750 IndoSum
dev articles go through warta's whole pipeline once (real bodies with real entities, quotes and
events); those records are the templates. ``--articles`` stored reports are generated from them:
each copy gets its own URL, outlet, publish time (2015–2026, WIB) and one paragraph of another
template appended, so bodies differ and term statistics look like a real archive.

Queries (seeded, drawn from the corpus vocabulary): single words from common, middle and rare
frequency bands, AND of 2–3 words, phrases cut from bodies, OR, NOT, prefixes, and the same with
filters (outlet, date window, entity, speaker, event category) and date sorting. The first 50
queries warm the caches and are not timed. Figures: p50/p95/p99 per query kind (target p95 under
50 ms on SQLite), store bytes per 1,000 articles, and recall of FTS5 without stemming against
warta's stemmed index for Indonesian word families ("pembangunan" should find "membangun").
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import gzip
import json
import os
import random
import re
import sqlite3
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

BENCH = Path(__file__).resolve().parent
DATA = BENCH.parents[1] / "shared" / "data"
OUT = BENCH / "out"
WIB = timezone(timedelta(hours=7))
OUTLETS = [
    ("Kompas.com", "kompas.com"),
    ("Tempo.co", "tempo.co"),
    ("detikNews", "detik.com"),
    ("Antara", "antaranews.com"),
    ("CNN Indonesia", "cnnindonesia.com"),
    ("Republika", "republika.co.id"),
    ("Liputan6", "liputan6.com"),
    ("Okezone", "okezone.com"),
    ("Tribunnews", "tribunnews.com"),
    ("Jakarta Post", "thejakartapost.com"),
    ("Suara", "suara.com"),
    ("Merdeka", "merdeka.com"),
]
# Word families written for this benchmark: a root and inflected forms seen in news text.
FAMILIES: dict[str, list[str]] = {
    "bangun": ["membangun", "dibangun", "pembangunan", "bangunan", "membangunkan", "terbangun"],
    "periksa": ["memeriksa", "diperiksa", "pemeriksaan", "pemeriksa", "periksa"],
    "tangkap": ["menangkap", "ditangkap", "penangkapan", "tertangkap", "tangkap"],
    "jelas": ["menjelaskan", "dijelaskan", "penjelasan", "jelas", "kejelasan"],
    "kembang": ["berkembang", "perkembangan", "mengembangkan", "dikembangkan", "pengembangan"],
    "laku": ["melakukan", "dilakukan", "pelaku", "berlaku", "perlakuan", "kelakuan"],
    "putus": ["memutuskan", "diputuskan", "keputusan", "putusan", "terputus"],
    "sidang": ["persidangan", "disidangkan", "sidang", "menyidangkan"],
    "usul": ["mengusulkan", "diusulkan", "usulan", "pengusul", "usul"],
    "kerja": ["bekerja", "pekerja", "pekerjaan", "dikerjakan", "mengerjakan", "kerja"],
    "tingkat": ["meningkat", "peningkatan", "meningkatkan", "ditingkatkan", "tingkat"],
    "selidik": ["menyelidiki", "diselidiki", "penyelidikan", "penyelidik"],
}


def _load_templates_text() -> list[tuple[str, str | None]]:
    """(page text, url) of every real article: detik (title line + body) and IndoSum dev."""
    pages: list[tuple[str, str | None]] = []
    with gzip.open(DATA / "detik_summ_entity_1000" / "data_berita.csv.gz", "rt", newline="") as f:
        for row in csv.DictReader(f):
            pages.append((f"{row['judul']}\n\n{row['isi_berita']}", None))
    with gzip.open(DATA / "indosum_dev01" / "dev.01.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            body = "\n\n".join(" ".join(" ".join(s) for s in para) for para in doc["paragraphs"])
            pages.append((body, None))
    return pages


def templates(cache: Path) -> list:  # list[Article]
    from warta.core.serialize import article_from_json, article_to_json

    if cache.exists():
        return [article_from_json(line) for line in cache.read_text(encoding="utf-8").split("\n") if line]
    from rich.progress import track

    from warta.api import extract_text

    found = []
    pages = _load_templates_text()
    for i, (text, url) in enumerate(track(pages, description="extracting templates")):
        article = extract_text(text, source=f"template-{i}", url=url)
        if article.body and not article.errors:
            found.append(article)
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text("".join(article_to_json(a) + "\n" for a in found), encoding="utf-8")
    return found


def generate(base: list, n: int, seed: int = 7) -> Iterator:  # Iterator[Article]
    """``n`` reports made from the templates (see the module docstring)."""
    from warta.core.record import Block, fingerprint, report_id

    rng = random.Random(seed)
    start = datetime(2015, 1, 1, tzinfo=WIB)
    span_s = int((datetime(2026, 11, 1, tzinfo=WIB) - start).total_seconds())
    for i in range(n):
        a = base[i % len(base)]
        donor = base[rng.randrange(len(base))]
        extra = donor.body.split("\n\n")[0]
        body = f"{a.body}\n\n{extra}"
        outlet, domain = OUTLETS[rng.randrange(len(OUTLETS))]
        url = f"https://{domain}/read/{i}/{i % len(base)}"
        fp = fingerprint(body)
        published = start + timedelta(seconds=rng.randrange(span_s))
        yield dataclasses.replace(
            a,
            id=report_id(url=url, source=url, body_fingerprint=fp),
            url=url,
            canonical_url=url,
            source=url,
            outlet=outlet,
            published=published,
            body=body,
            blocks=[*a.blocks, Block("paragraph", len(a.body) + 2, len(body))],
            fingerprint=fp,
        )


def _prepared(article):  # type: ignore[no-untyped-def]
    from warta.store.rows import prepare

    return prepare(article)


def fill(store, base: list, n: int, start: int = 0, jobs: int | None = None) -> float:  # type: ignore[no-untyped-def]
    """Put generated reports ``start`` to ``n`` (the first ``start`` are stored already);
    returns articles/s. Each is prepared for the store (record packed, rows, index text) in
    ``jobs`` worker processes, as ``warta ingest -j`` does, and written here in batches."""
    from concurrent.futures import ProcessPoolExecutor
    from itertools import islice

    from rich.progress import Progress

    jobs = jobs or os.cpu_count() or 1
    t0 = time.perf_counter()
    made = islice(generate(base, n), start, None)
    batch: list = []
    with Progress() as progress, ProcessPoolExecutor(jobs) as pool:
        task = progress.add_task("storing", total=n - start)
        for ready in pool.map(_prepared, made, chunksize=50):
            batch.append(ready)
            if len(batch) == 500:
                store.put_many(batch)
                progress.advance(task, len(batch))
                batch = []
        if batch:
            store.put_many(batch)
            progress.advance(task, len(batch))
    return (n - start) / (time.perf_counter() - t0)


def make_queries(base: list, count: int, seed: int = 11) -> list[tuple[str, object]]:
    """(kind, SearchRequest) pairs drawn from the corpus (see the module docstring)."""
    from warta.store.base import SearchRequest

    rng = random.Random(seed)
    words: Counter[str] = Counter()
    for a in base:
        words.update(w for w in re.findall(r"[a-z]{4,}", a.body.lower()))
    ranked = [w for w, _ in words.most_common()]
    common, middle, rare = ranked[:300], ranked[300:3000], ranked[3000:20000]
    entities = Counter(m.canonical for a in base for m in a.entities if m.canonical)
    speakers = Counter(q.speaker for a in base for q in a.quotes if q.speaker)
    categories = sorted({e.category for a in base for e in a.events})
    top_entities = [e for e, _ in entities.most_common(200)]
    top_speakers = [s for s, _ in speakers.most_common(100)]

    def word() -> str:
        band = rng.choice((common, middle, middle, rare))
        return rng.choice(band)

    def phrase() -> str:
        body = rng.choice(base).body
        tokens = re.findall(r"\w+", body)
        k = rng.randrange(max(1, len(tokens) - 3))
        return '"' + " ".join(tokens[k : k + rng.choice((2, 3))]) + '"'

    makers = {
        "word": lambda: word(),
        "and": lambda: " ".join(word() for _ in range(rng.choice((2, 3)))),
        "phrase": phrase,
        "or": lambda: f"{word()} OR {word()}",
        "not": lambda: f"{rng.choice(common)} -{word()}",
        "prefix": lambda: rng.choice(middle)[:4] + "*",
    }
    kinds = ["word"] * 25 + ["and"] * 20 + ["phrase"] * 15 + ["or"] * 10 + ["not"] * 5
    kinds += ["prefix"] * 5 + ["filtered"] * 20
    queries: list[tuple[str, object]] = []
    for _ in range(count):
        kind = rng.choice(kinds)
        sort = "date" if rng.random() < 0.2 else "relevance"
        if kind != "filtered":
            queries.append((kind, SearchRequest(query=makers[kind](), sort=sort)))
            continue
        which = rng.choice(("outlet", "window", "entity", "speaker", "event", "only"))
        text = "" if which != "only" and rng.random() < 0.3 else word()
        since = datetime(rng.randrange(2015, 2026), rng.randrange(1, 13), 1, tzinfo=UTC)
        fields: dict[str, object] = {
            "outlet": {"outlets": (rng.choice(OUTLETS)[0],)},
            "window": {"since": since, "until": since + timedelta(days=rng.choice((7, 30, 365)))},
            "entity": {"entity": rng.choice(top_entities)} if top_entities else {},
            "speaker": {"speaker": rng.choice(top_speakers)} if top_speakers else {},
            "event": {"event": rng.choice(categories)} if categories else {},
            "only": {"outlets": (rng.choice(OUTLETS)[0],), "since": since},
        }[which]
        request = SearchRequest(query=text, sort=sort, **fields)  # type: ignore[arg-type]
        queries.append((f"filter:{which}", request))
    return queries


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def time_queries(store, queries: list[tuple[str, object]]) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    from warta.core.errors import QueryError

    timings: dict[str, list[float]] = {}
    for _, request in queries[:50]:
        try:
            store.search(request)
        except QueryError:
            pass
    for kind, request in queries:
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            store.search(request)
        except QueryError:
            kind = "rejected"
        elapsed = (time.perf_counter() - t0) * 1000
        cpu = (time.process_time() - c0) * 1000
        timings.setdefault(kind.split(":")[0], []).append(elapsed)
        timings.setdefault("all", []).append(elapsed)
        # CPU time of this process (SQLite runs in it): what the query costs, without the time
        # spent waiting for a core on a loaded machine
        timings.setdefault("cpu:" + kind.split(":")[0], []).append(cpu)
        timings.setdefault("cpu:all", []).append(cpu)
    return timings


def slowest(store, queries: list[tuple[str, object]], count: int) -> None:  # type: ignore[no-untyped-def]
    """The ``count`` dearest queries (CPU time) again, each SQL statement they run timed alone
    with its query plan (SQLite): where the time of a slow search goes."""
    from warta.core.errors import QueryError

    conn = store.db._conn
    timed_queries = []
    for kind, request in queries:
        t0 = time.process_time()
        try:
            store.search(request)
        except QueryError:
            continue
        timed_queries.append(((time.process_time() - t0) * 1000, kind, request))
    timed_queries.sort(key=lambda x: x[0], reverse=True)
    for ms, kind, request in timed_queries[:count]:
        statements: list[str] = []
        conn.set_trace_callback(statements.append)
        try:
            store.search(request)
        finally:
            conn.set_trace_callback(None)
        fields = {k: v for k, v in dataclasses.asdict(request).items() if v not in (None, (), "", False)}
        print(f"\n{ms:7.1f} ms CPU  {kind}  {fields}")
        for sql in statements:
            t0 = time.process_time()
            conn.execute(sql).fetchall()
            took = (time.process_time() - t0) * 1000
            if took < 1:
                continue
            plan = " | ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql))
            print(f"  {took:7.1f} ms  {sql[:300]}")
            print(f"             plan: {plan[:400]}")


def print_latency(label: str, timings: dict[str, list[float]]) -> None:
    print(f"\n{label}: search latency (ms; cpu: CPU time of the searching process)")
    print(f"  {'kind':10} {'n':>5} {'p50':>8} {'p95':>8} {'p99':>8}")
    for kind in sorted(timings, key=lambda k: (k.startswith("cpu:"), k not in ("all", "cpu:all"), k)):
        values = timings[kind]
        print(
            f"  {kind:10} {len(values):5d} {percentile(values, 50):8.2f} "
            f"{percentile(values, 95):8.2f} {percentile(values, 99):8.2f}"
        )


def stemming_recall(base: list) -> None:
    """Recall of each inflected form as a query, FTS5 unstemmed vs warta's stemmed index."""
    from warta.store.analyzer import index_text, stem

    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE plain USING fts5(t, tokenize='unicode61 remove_diacritics 2')")
    db.execute("CREATE VIRTUAL TABLE stemmed USING fts5(t, tokenize='unicode61')")
    words_of: list[set[str]] = []
    for i, a in enumerate(base):
        text = f"{a.title or ''}\n{a.body}"
        db.execute("INSERT INTO plain(rowid, t) VALUES (?, ?)", (i, text))
        db.execute("INSERT INTO stemmed(rowid, t) VALUES (?, ?)", (i, index_text(text)))
        words_of.append(set(re.findall(r"\w+", text.lower())))
    print("\nstemming: recall of one inflected form as the query (docs holding any form of the family)")
    print(f"  {'family':8} {'docs':>5} {'FTS5 plain':>11} {'warta':>7} {'warta precision':>16}")
    total_rel = total_plain = total_stem = total_stem_hits = 0
    for root, forms in FAMILIES.items():
        relevant = {i for i, ws in enumerate(words_of) if ws & set(forms)}
        if not relevant:
            continue
        plain_r, stem_r, stem_p = [], [], []
        for form in forms:
            plain = {r for (r,) in db.execute("SELECT rowid FROM plain WHERE plain MATCH ?", (f'"{form}"',))}
            stemmed = {
                r for (r,) in db.execute("SELECT rowid FROM stemmed WHERE stemmed MATCH ?", (f'"{stem(form)}"',))
            }
            plain_r.append(len(plain & relevant) / len(relevant))
            stem_r.append(len(stemmed & relevant) / len(relevant))
            stem_p.append(len(stemmed & relevant) / len(stemmed) if stemmed else 1.0)
            total_rel += len(relevant)
            total_plain += len(plain & relevant)
            total_stem += len(stemmed & relevant)
            total_stem_hits += len(stemmed)
        print(
            f"  {root:8} {len(relevant):5d} {statistics.mean(plain_r):11.1%} "
            f"{statistics.mean(stem_r):7.1%} {statistics.mean(stem_p):16.1%}"
        )
    print(
        f"  {'all':8} {'':5} {total_plain / total_rel:11.1%} {total_stem / total_rel:7.1%} "
        f"{total_stem / max(1, total_stem_hits):16.1%}   (micro-averaged over forms)"
    )


def store_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--db", type=Path, default=OUT / "search.db")
    parser.add_argument("--pg", default=os.environ.get("WARTA_BENCH_POSTGRES"))
    parser.add_argument("--pg-articles", type=int, default=20_000)
    parser.add_argument("--slowest", type=int, default=0, help="explain the N slowest queries")
    parser.add_argument("--no-recall", action="store_true", help="skip the stemming recall figures")
    args = parser.parse_args()
    if not (DATA / "detik_summ_entity_1000").exists():
        print(f"{DATA} not present: ../shared is needed for this benchmark")
        return 1
    from warta.store import open_store

    base = templates(OUT / "search_templates.jsonl")
    print(f"# bench/search.py  {date.today()}  {len(base)} real templates")
    if not args.no_recall:
        stemming_recall(base)
    queries = make_queries(base, args.queries)
    args.db.parent.mkdir(parents=True, exist_ok=True)
    with open_store(str(args.db)) as store:
        have = store.stats()["articles"]
        if have > args.articles:
            store.close()
            for p in args.db.parent.glob(args.db.name + "*"):
                p.unlink()
            store = open_store(str(args.db))
            have = 0
        if have < args.articles:  # a store this script filled part of: go on where it stopped
            rate = fill(store, base, args.articles, start=have)
            print(f"\nSQLite: stored {args.articles - have:,} articles at {rate:,.0f} articles/s (batches of 500)")
        size = store_bytes(args.db)
        print(
            f"SQLite: {args.articles:,} articles, {size / 2**20:,.0f} MiB, "
            f"{size / args.articles * 1000 / 2**20:.2f} MiB per 1,000 articles"
        )
        timings = time_queries(store, queries)
        print_latency(f"SQLite, {args.articles:,} articles", timings)
        for clock in ("", "cpu:"):
            p95, p99 = percentile(timings[clock + "all"], 95), percentile(timings[clock + "all"], 99)
            filtered = percentile(timings.get(clock + "filter", [0.0]), 95)
            print(
                f"  {clock or 'wall:'} p95 {p95:.1f} ms, p99 {p99:.1f} ms, filtered p95 {filtered:.1f} ms "
                f"(targets < 50 ms: {'met' if max(p95, p99, filtered) < 50 else 'NOT met'})"
            )
        print(f"  load average: {'/'.join(f'{v:.2f}' for v in os.getloadavg())}")
        if args.slowest:
            slowest(store, queries, args.slowest)
    if args.pg:
        with open_store(args.pg) as store:
            have = store.stats()["articles"]
            if have < args.pg_articles:
                fill(store, base, args.pg_articles)
            timings = time_queries(store, queries)
            print_latency(f"PostgreSQL, {store.stats()['articles']:,} articles", timings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
