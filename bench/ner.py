"""NER benchmark: a plain CRF baseline against warta's features, and the shipped model.

    .venv/bin/python bench/ner.py [--quick] [--jobs 2] [--ablation] [--data ../shared/data]

1. Per benchmark, train on the benchmark's OWN train split and score on its OWN test split
   (entity-level micro F1, exact span and type, seqeval/conlleval style): NERGrit, NERP,
   NER-UI and NER-UGM (mean over the five folds 01..05, as IndoLEM reports), idner-news-2k.
   Every type the set annotates is scored (NERP: PERSON, PLACE, PRODUCT, EVENT, FOOD; NER-UGM
   adds TIME and QUANTITY). Hyper-parameters were fixed on dev splits beforehand
   (warta.nlp.train.C1/C2/MAX_ITERATIONS); test splits are only read here. Both models of a
   row use the same CRF settings; the word clusters are learnt once from unlabelled text.
2. The SHIPPED model (src/warta/models/ner_id_crf.zip, trained on the union of sets) scored on
   the test splits that were held out of its training sentence by sentence; the overlap is
   recomputed and printed (it must be 0). These are cross-set numbers, not comparable with
   the published per-benchmark figures: conventions differ between the sets.
3. Speed of the shipped model in a fresh process: load time, tagging tokens/s on one core
   with feature extraction (detik bodies, tokenised on whitespace and punctuation), peak RSS.

``--quick`` runs NERGrit and NER-UI fold 1 with 50 CRF iterations and a smaller speed text.
Data: ../shared/data (SOURCES.md section 1); nothing is copied into the repository.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import multiprocessing as mp
import os
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from warta.nlp import ner_data as nd  # noqa: E402
from warta.nlp import train as tr  # noqa: E402
from warta.nlp.ner_features import FeatureExtractor, Gazetteer  # noqa: E402

PUBLISHED: dict[str, str] = {
    "nergrit": "79.09 XLM-R (IndoNLU); plain CRF measured here before: 69.2",
    "nerp": "plain CRF measured here before: 73.5",
    "nerui": "90.1 IndoBERT / 82.2 Bi-LSTM (IndoLEM)",
    "nerugm": "74.9 IndoBERT / 70.9 Bi-LSTM (IndoLEM)",
    "idner": "-",
}
TITLES = {
    "nergrit": "NERGrit test",
    "nerp": "NERP test",
    "nerui": "NER-UI 5-fold mean",
    "nerugm": "NER-UGM 5-fold mean",
    "idner": "idner-news-2k test",
}

# set in the parent before the pool forks; read by the workers
_STATE: dict[str, Any] = {}


def _extractor(kind: str) -> FeatureExtractor:
    if kind == "plain":
        return FeatureExtractor("plain")
    if kind == "warta-nogaz":
        return FeatureExtractor("warta", _STATE["clusters"], Gazetteer.build({}))
    if kind == "warta-noclusters":
        return FeatureExtractor("warta", {}, _STATE["gazetteer"])
    return FeatureExtractor("warta", _STATE["clusters"], _STATE["gazetteer"])


def run_job(job: tuple[str, int | None, str]) -> dict[str, Any]:
    name, fold, kind = job
    data_dir: Path = _STATE["data_dir"]
    train = nd.load(name, "train", fold, data_dir)
    test = nd.load(name, "test", fold, data_dir)
    ex = _extractor(kind)
    t0 = time.perf_counter()
    crf = tr.train_crf(train, ex, _STATE["params"])
    train_s = time.perf_counter() - t0
    pred = tr.predict(crf, ex, [s.tokens for s in test])
    sc = tr.span_scores([s.tags for s in test], pred)
    return {
        "set": name,
        "fold": fold,
        "kind": kind,
        "f1": sc.f1,
        "p": sc.precision,
        "r": sc.recall,
        "by_type": {k: round(sc.type_f1(k), 4) for k in sorted(sc.by_type)},
        "train_s": train_s,
        "train_tokens": sum(len(s.tokens) for s in train),
        "model_bytes": len(crf),
    }


def benchmarks(args: argparse.Namespace, kinds: Sequence[str]) -> list[dict[str, Any]]:
    names = ["nergrit", "nerui"] if args.quick else ["nergrit", "nerp", "nerui", "nerugm", "idner"]
    jobs: list[tuple[str, int | None, str]] = []
    for name in names:
        folds: list[int | None] = [None]
        if name in nd.FOLDED:
            folds = [1] if args.quick else [1, 2, 3, 4, 5]
        # the largest set first, so the two workers finish together
        for fold in folds:
            for kind in kinds:
                jobs.append((name, fold, kind))
    jobs.sort(key=lambda j: j[0] != "nerp")
    with mp.get_context("fork").Pool(args.jobs) as pool:
        return list(pool.imap_unordered(run_job, jobs))


def _mean(xs: Sequence[float]) -> float:
    return sum(xs) / len(xs) if xs else 0.0


def print_benchmarks(results: list[dict[str, Any]], kinds: Sequence[str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    print("\n## 1. Own train split -> own test split (entity-level micro F1, %)\n")
    head = " | ".join(f"{k} F1" for k in kinds)
    print(f"| benchmark | {head} | published | train s ({' / '.join(kinds)}) |")
    print("|---|" + "---:|" * len(kinds) + "---|---|")
    for name in ["nergrit", "nerp", "nerui", "nerugm", "idner"]:
        mine = [r for r in results if r["set"] == name]
        if not mine:
            continue
        f1s = {k: _mean([r["f1"] for r in mine if r["kind"] == k]) for k in kinds}
        secs = {k: sum(r["train_s"] for r in mine if r["kind"] == k) for k in kinds}
        folds = sorted({r["fold"] for r in mine if r["fold"]})
        title = TITLES[name] if len(folds) != 1 else f"{TITLES[name].split()[0]} fold {folds[0]}"
        cells = " | ".join(f"{100 * f1s[k]:.1f}" for k in kinds)
        print(
            f"| {title} | {cells} | {PUBLISHED[name]} | "
            + " / ".join(f"{secs[k]:.0f}" for k in kinds)
            + " |"
        )
        rows.append({"set": name, "f1": f1s, "train_s": secs, "folds": folds})
    print("\nper type (warta features; fold 1 for the cross-validated sets):")
    for name in ["nergrit", "nerp", "nerui", "nerugm", "idner"]:
        for r in results:
            if r["set"] == name and r["kind"] == "warta" and r["fold"] in (None, 1):
                types = ", ".join(f"{k} {100 * v:.1f}" for k, v in r["by_type"].items())
                print(f"  {name}: {types}")
    return rows


def shipped(model: Path, data_dir: Path) -> list[dict[str, Any]]:
    from warta.nlp.ner import NerTagger

    tagger = NerTagger.load(model)
    meta = tagger.meta
    sets = meta["train"]["sets"]
    types = meta["types"]
    data = tr.build_training_data(sets, types, data_dir)  # the trainer's own selection
    if data.sentences_sha256 != meta["train"]["sentences_sha256"]:
        print("WARNING: the training sentences rebuilt here differ from the model's record")
    train_keys = {k for s in data.sentences if (k := tr._key(s))}
    print(f"\n## 2. The shipped model ({model.name}) on held-out test splits\n")
    print(f"trained on: {', '.join(meta['train']['splits'])}")
    print(f"training sentences sha256: {meta['train']['sentences_sha256']}")
    print("| test split | types scored | sentences | overlap with training | F1 | P | R |")
    print("|---|---|---:|---:|---:|---:|---:|")
    rows = []
    for name, split, fold in tr.HELDOUT:
        test = nd.load(name, split, fold, data_dir)
        keep = [t for t in types if t in nd.SET_TYPES[name]]
        gold = nd.keep_types(test, keep)
        overlap = sum(1 for s in test if (k := tr._key(s)) and k in train_keys)
        pred = [tagger.tag(list(s.tokens)) for s in test]
        pred = [[t if t == "O" or t[2:] in keep else "O" for t in p] for p in pred]
        sc = tr.span_scores([s.tags for s in gold], pred)
        label = f"{name}/{split}" + (f".0{fold}" if fold else "")
        print(
            f"| {label} | {','.join(keep)} | {len(test)} | {overlap} | {100 * sc.f1:.1f} | "
            f"{100 * sc.precision:.1f} | {100 * sc.recall:.1f} |"
        )
        rows.append({"split": label, "f1": sc.f1, "overlap": overlap, "types": keep})
    return rows


def speed_text(data_dir: Path, articles: int) -> list[list[str]]:
    path = data_dir / "detik_summ_entity_1000" / "data_berita.csv.gz"
    out: list[list[str]] = []
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        for i, row in enumerate(csv.DictReader(f)):
            if i >= articles:
                break
            for line in row["isi_berita"].replace("\r\n", "\n").split("\n"):
                toks = [t for _, _, t in nd.simple_tokenize(line)]
                if toks:
                    out.append(toks)
    return out


def peak_rss_mb() -> float:
    """Peak resident memory of this process image (VmHWM; ru_maxrss survives fork+exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def speed_child(model: Path, data_dir: Path, articles: int) -> None:
    """Runs in a fresh process: prints one JSON line."""
    text = speed_text(data_dir, articles)
    n = sum(map(len, text))
    base_rss = peak_rss_mb()
    t0 = time.perf_counter()
    from warta.nlp.ner import NerTagger

    tagger = NerTagger.load(model)
    load_s = time.perf_counter() - t0
    rss_loaded = peak_rss_mb()
    t0 = time.perf_counter()
    for toks in text:
        tagger.tag(toks)
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    for toks in text:
        tagger.tag(toks)
    second = time.perf_counter() - t0
    peak = peak_rss_mb()
    cpu = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else set()
    print(
        json.dumps(
            {
                "tokens": n,
                "lines": len(text),
                "load_s": load_s,
                "tok_s_first": n / first,
                "tok_s_warm": n / second,
                "rss_base_mb": base_rss,
                "rss_loaded_mb": rss_loaded,
                "rss_peak_mb": peak,
                "cpus": len(cpu),
            }
        )
    )


def speed(model: Path, data_dir: Path, articles: int) -> dict[str, Any]:
    proc = subprocess.run(
        [
            sys.executable,
            __file__,
            "--speed-child",
            "--model",
            str(model),
            "--data",
            str(data_dir),
            "--articles",
            str(articles),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    res: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    print("\n## 3. Speed of the shipped model (one process, one core)\n")
    print(
        f"model file {model.stat().st_size / 1e6:.1f} MB; load {1000 * res['load_s']:.0f} ms "
        f"(import of crfsuite included); detik bodies: {res['tokens']:,} tokens in "
        f"{res['lines']:,} lines"
    )
    print(
        f"tagging with feature extraction: {res['tok_s_first']:,.0f} tokens/s (cold word cache), "
        f"{res['tok_s_warm']:,.0f} tokens/s (warm)"
    )
    print(
        f"peak RSS {res['rss_peak_mb']:.0f} MB (interpreter + text {res['rss_base_mb']:.0f} MB "
        f"before load, {res['rss_loaded_mb']:.0f} MB after load)"
    )
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="NERGrit + NER-UI fold 1, 50 iterations")
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--data", type=Path, default=nd.default_data_dir())
    ap.add_argument("--model", type=Path, default=None, help="shipped model to score")
    ap.add_argument("--ablation", action="store_true", help="also warta minus gazetteer/clusters")
    ap.add_argument("--skip-benchmarks", action="store_true")
    ap.add_argument("--articles", type=int, default=None, help="detik articles for the speed text")
    ap.add_argument("--speed-child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    from warta.nlp.ner import default_model_path

    model = args.model or default_model_path()
    articles = args.articles or (100 if args.quick else 1000)
    if args.speed_child:
        speed_child(model, args.data, articles)
        return 0
    if not (args.data / "indonlu_nergrit").is_dir():
        print(f"bench/ner.py: {args.data} has no NER data (../shared/data)", file=sys.stderr)
        return 2

    report: dict[str, Any] = {"quick": args.quick}
    if not args.skip_benchmarks:
        params = tr.CrfParams(max_iterations=50) if args.quick else tr.CrfParams()
        t0 = time.perf_counter()
        _STATE.update(
            data_dir=args.data,
            params=params,
            clusters=tr.learn_clusters(tr.unlabelled_sentences(args.data), log=lambda m: None),
            gazetteer=Gazetteer.from_lang("id"),
        )
        print(
            f"CRF: L-BFGS c1={params.c1} c2={params.c2} {params.max_iterations} iterations; "
            f"word clusters learnt in {time.perf_counter() - t0:.0f} s; {args.jobs} worker(s)"
        )
        kinds = ["plain", "warta"]
        if args.ablation:
            kinds += ["warta-nogaz", "warta-noclusters"]
        t0 = time.perf_counter()
        results = benchmarks(args, kinds)
        report["benchmarks"] = print_benchmarks(results, kinds)
        report["jobs"] = results
        print(f"\n(all trainings: {time.perf_counter() - t0:.0f} s wall, {args.jobs} workers)")
    if model.is_file():
        report["shipped"] = shipped(model, args.data)
        report["speed"] = speed(model, args.data, articles)
    else:
        print(f"\n(no shipped model at {model}: run `warta train ner`)")
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / ("ner_quick.json" if args.quick else "ner.json")).write_text(
        json.dumps(report, indent=1), encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
