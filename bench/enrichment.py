"""Speed of the whole default pipeline on real article lengths, with each stage's share.

    python bench/enrichment.py [--articles 500] [--passes 3] [--baseline REF] [--rounds 2]

The 1,000 detik bodies (``../shared/data/detik_summ_entity_1000``, ~360 words each) go through
every stage of ``warta.run.pipeline.DEFAULT_TEXT_PIPELINE`` in one process, ``--passes`` times; the
script prints articles/s per core for each pass and the time each stage took (per article, and
its share) in the median pass — the enrichment target is 120 articles/s/core.

``--baseline REF`` (a git commit, e.g. ``HEAD~1``) times that commit's pipeline in the same run:
its ``src`` is exported with ``git archive`` into a temporary folder, and the two pipelines run
in fresh child processes (``PYTHONPATH`` pointing at one ``src`` or the other), alternating,
``--rounds`` times each, so both see the same machine load. The ratio of their medians is
printed with the per-stage shares of each.

"Per core" is CPU time of the process (``time.process_time``): the pipeline is one thread, and
on a machine shared with other work the wall clock counts their time too (it is printed beside
it). The first pass starts with cold caches (stems, NER features per word), as a fresh worker
does; later passes show a warm worker.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
TARGET = 120.0


def _bodies(n: int) -> list[str]:
    path = DATA / "detik_summ_entity_1000" / "data_berita.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        return [row["isi_berita"] for row in csv.DictReader(f)][:n]


def measure(articles: int, passes: int) -> dict[str, Any]:
    """Time ``passes`` passes of the default pipeline in this process."""
    bodies = _bodies(articles)
    from warta.run.pipeline import DEFAULT_TEXT_PIPELINE, Pipeline, article_from_text

    pipeline = Pipeline.from_spec(DEFAULT_TEXT_PIPELINE)
    pipeline.process(article_from_text(bodies[0]))  # load models once, as a worker does
    words = 0  # of the cleaned bodies, as the stages see them
    runs: list[dict[str, Any]] = []
    for _ in range(passes):
        spent = dict.fromkeys((stage.name for stage in pipeline.stages), 0.0)
        c0, w0 = time.process_time(), time.perf_counter()
        for body in bodies:
            article = article_from_text(body)
            for stage in pipeline.stages:
                s0 = time.process_time()
                article = stage.run_one(article)
                spent[stage.name] += time.process_time() - s0
            if not runs:
                words += len(article.body.split())
        runs.append(
            {"cpu": time.process_time() - c0, "wall": time.perf_counter() - w0, "stages": spent}
        )
    return {"articles": len(bodies), "words": words, "passes": runs}


def _report(label: str, result: dict[str, Any]) -> float:
    n, words, passes = result["articles"], result["words"], result["passes"]
    for k, p in enumerate(passes, 1):
        print(
            f"{label} pass {k}: {n / p['cpu']:6.1f} articles/s/core  ({words / p['cpu']:,.0f} "
            f"words/s; wall clock {n / p['wall']:.1f} articles/s)"
        )
    rates = [n / p["cpu"] for p in passes]
    median = statistics.median(rates)
    print(
        f"{label} whole pipeline: median {median:.1f}, best {max(rates):.1f}, "
        f"worst {min(rates):.1f} articles/s/core (target {TARGET:.0f})"
    )
    mid = sorted(passes, key=lambda p: p["cpu"])[(len(passes) - 1) // 2]
    print(f"{label} stages in the median pass:")
    for name, seconds in sorted(mid["stages"].items(), key=lambda item: -item[1]):
        print(f"  {name:24} {seconds / n * 1000:7.2f} ms/article  {seconds / mid['cpu']:6.1%}")
    return median


def _export(ref: str, into: Path) -> Path:
    """``src`` of commit ``ref``, unpacked under ``into``."""
    data = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", ref, "src"],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def _child(src: Path, articles: int, passes: int) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(src))
    out = subprocess.run(
        [sys.executable, __file__, "--child", "--articles", str(articles), "--passes", str(passes)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout
    result: dict[str, Any] = json.loads(out.splitlines()[-1])
    return result


def _merge(results: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "articles": results[0]["articles"],
        "words": results[0]["words"],
        "passes": [p for r in results for p in r["passes"]],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--baseline", metavar="REF", help="also time this commit's pipeline")
    parser.add_argument("--rounds", type=int, default=2, help="child runs per side (--baseline)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.articles < 1 or args.passes < 1 or args.rounds < 1:
        parser.error("--articles, --passes and --rounds must be at least 1")
    if not (DATA / "detik_summ_entity_1000" / "data_berita.csv.gz").exists():
        print(f"{DATA} not present: ../shared is needed for this benchmark")
        return 1
    if args.child:
        print(json.dumps(measure(args.articles, args.passes)))
        return 0
    load = os.getloadavg()
    print(
        f"# bench/enrichment.py  {date.today()}  {args.articles} detik articles, "
        f"{args.passes} passes a process; load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    if args.baseline is None:
        result = measure(args.articles, args.passes)
        print(f"{result['words'] / result['articles']:.0f} words an article on average")
        _report("now", result)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        old_src = _export(args.baseline, Path(tmp))
        new_src = ROOT / "src"
        old: list[dict[str, Any]] = []
        new: list[dict[str, Any]] = []
        for _ in range(args.rounds):
            old.append(_child(old_src, args.articles, args.passes))
            new.append(_child(new_src, args.articles, args.passes))
    print(f"baseline: {args.baseline}; {args.rounds} child processes each, alternating")
    before = _report("baseline", _merge(old))
    after = _report("now", _merge(new))
    print(f"ratio now / baseline (medians): {after / before:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
