"""Learned outlet templates through ``warta ingest``: the 1,000 detik bodies read into a fresh
store with templates (the default) and without, in the same process.

The bodies go in CSV order as JSON Lines pages of one outlet (URL ``https://news.detik.com/…``),
through :func:`warta.run.ingest.ingest` with the cleaning pipeline (``CLEAN_PIPELINE``; ingest adds
``clean.templates.v1`` after the metadata stages, seeded from the store and saving to it). On the
65 hand-checked gold articles of bench/data/detik_line_gold.jsonl it prints the gold furniture
lines still in the stored body and the gold body lines missing from it, for both runs; over all
1,000, the lines removed as ``template`` and the first page that lost one; then what the store
kept (templates per outlet) and the time of each run as a ratio to the first. With ``--jobs 1 2``
each run is made with each number of worker processes (``ingest -j N``: the workers' evidence is
merged and kept by the ingest) and it says whether the templates kept equal those of the first.

    .venv/bin/python bench/templates_ingest.py [--csv PATH] [--jobs 1 2]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from detik_furniture import DEFAULT_GOLD, KEPT, load_gold, split_lines, verify_gold  # noqa: E402
from templates import DEFAULT_CSV  # noqa: E402

from warta.clean.templates import TemplateLearner  # noqa: E402
from warta.run.ingest import ingest  # noqa: E402
from warta.run.pipeline import CLEAN_PIPELINE  # noqa: E402
from warta.store import open_store  # noqa: E402


def _url(aid: str) -> str:
    return f"https://news.detik.com/berita/d-{aid}/x"


def run(
    pages: Path, db: Path, templates: bool, jobs: int = 1
) -> tuple[float, dict[str, object], dict[str, object]]:
    """Ingest ``pages`` into a fresh store at ``db``; (seconds, articles by URL, templates kept)."""
    with open_store(str(db)) as store:
        t0 = time.perf_counter()
        ingest(
            [str(pages)], store, spec=CLEAN_PIPELINE, templates=templates, corpus=False, jobs=jobs
        )
        seconds = time.perf_counter() - t0
        ids = {str(r["url"]): str(r["id"]) for r in store.rows("articles")}
        kept = dict(store.outlet_templates())
        return seconds, {url: store.get(aid) for url, aid in ids.items()}, kept


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1], help="worker processes per run")
    args = ap.parse_args()
    import csv
    import gzip

    with gzip.open(args.csv, "rt", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    gold = load_gold(args.gold)
    verify_gold(gold, {r["id"]: r for r in rows})
    with tempfile.TemporaryDirectory() as tmp:
        pages = Path(tmp) / "detik.jsonl"
        with pages.open("w", encoding="utf-8") as out:
            for r in rows:
                out.write(json.dumps({"text": r["isi_berita"], "url": _url(r["id"])}) + "\n")
        results = {}
        for jobs in args.jobs:
            for name, on in (("rules", False), ("rules + stored templates", True)):
                label = f"{name} -j {jobs}" if args.jobs != [1] else name
                results[label] = run(pages, Path(tmp) / f"{on}-{jobs}.db", on, jobs)
    kept = next(k for _, _, k in results.values() if k)
    order = {_url(r["id"]): i for i, r in enumerate(rows)}
    base = next(iter(results.values()))[0]
    print(f"{len(rows)} detik bodies, one outlet; gold: {len(gold)} articles\n")
    print(
        f"{'':28} {'furniture left':>15} {'body lost':>10} {'template':>9} {'first':>6} {'time':>6}"
    )
    for name, (seconds, arts, _) in results.items():
        left = lost = furniture = real = template = 0
        first = None
        for url, art in arts.items():
            n = sum(r.label == "template" for r in art.removed)  # type: ignore[attr-defined]
            template += n
            if n and (first is None or order[url] < first):
                first = order[url]
        for aid, lines in gold.items():
            art = arts.get(_url(aid))
            body = art.body if art is not None else ""  # type: ignore[attr-defined]
            text = split_lines(next(r["isi_berita"] for r in rows if r["id"] == aid))
            for g in lines:
                line = text[g.line].strip()
                there = line in body or line.split(" - ", 1)[-1] in body
                if g.label in KEPT:
                    real += 1
                    lost += not there
                else:
                    furniture += 1
                    left += there
        print(
            f"{name:28} {left:>6} / {furniture:<6} {lost:>4} / {real:<4} {template:>9} "
            f"{'-' if first is None else first:>6} {seconds / base:>5.2f}x"
        )
    learner = TemplateLearner()
    for outlet, state in kept.items():
        learner.load_outlet_state(outlet, state)
    found = learner.templates()
    print(f"\nkept in the store: {len(kept)} outlet(s), {len(found)} templates")
    for name, (_, _, other) in results.items():
        if other and other is not kept:
            print(
                f"  {name}: the templates kept {'equal' if other == kept else 'DIFFER from'} the first's"
            )
    for t in found[:15]:
        print(f"  {t.outlet}\t{t.kind}\t{t.pages}/{t.outlet_pages}\t{t.example[:70]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
