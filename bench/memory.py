"""Peak memory of ``warta ingest`` as the number of articles grows: flat, or growing with them?

    python bench/memory.py [--small 1000] [--large 100000] [--jobs 1] [--pipeline full]

Two runs of ``warta ingest -j JOBS`` into a fresh SQLite store, one of ``--small`` articles and
one of ``--large``, each a fresh process; the peak resident set size of each (``wait4``'s
``ru_maxrss``: the process and any workers it waited for) is printed with their ratio — the
target is within 1.10 (memory bounded by configuration, not by corpus size).

The articles are the 1,000 detik bodies (``../shared/data/detik_summ_entity_1000``) cycled,
each given one more sentence of invented names and places (syllables drawn by a seeded random
generator, so about three words no earlier article used): a corpus whose vocabulary grows with
its size, as news does (new names every day), so per-word caches meet new words all the way.
Each article has its own URL (its own report id), so every one is stored.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "detik_summ_entity_1000" / "data_berita.csv.gz"
SYLLABLES = "ba bu ki ko ra ru sa si ta tu ma mi na no ja jo wa wi ha he la lu da di ga gu".split()
TARGET = 1.10


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 4))).capitalize()


def articles(n: int, seed: int = 7) -> Iterator[dict[str, str]]:
    """``n`` JSON Lines records: a detik body plus a sentence of new names."""
    with gzip.open(DATA, "rt", encoding="utf-8", newline="") as f:
        bodies = [row["isi_berita"] for row in csv.DictReader(f)]
    rng = random.Random(seed)
    for k in range(n):
        who, org, place = _name(rng), _name(rng), _name(rng)
        extra = f"\n\n{who} {_name(rng)} dari Partai {org} mengatakan hal itu di {place}."
        yield {"text": bodies[k % len(bodies)] + extra, "url": f"https://bench.example/a/{k}"}


def peak_rss(n: int, jobs: int, pipeline: str, folder: Path) -> tuple[float, float]:
    """(peak RSS in MiB, wall s) of ``warta ingest`` of ``n`` articles."""
    source = folder / f"articles-{n}.jsonl"
    with source.open("w", encoding="utf-8") as fh:
        for record in articles(n):
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    db = folder / f"store-{n}.db"
    cmd = [
        str(Path(sys.executable).parent / "warta"),
        "ingest",
        str(source),
        "--db",
        str(db),
        "-j",
        str(jobs),
        "--pipeline",
        pipeline,
        "-q",
    ]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    _, status, usage = os.wait4(proc.pid, 0)
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"warta ingest of {n} articles failed ({proc.returncode}): {err[-800:]}")
    return usage.ru_maxrss / 1024, wall  # ru_maxrss is in KiB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--pipeline", default="full")
    args = parser.parse_args()
    if not 1 <= args.small < args.large:
        parser.error("need 1 <= --small < --large")
    if not DATA.exists():
        print(f"{DATA} not present: ../shared is needed for this benchmark")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        small, small_wall = peak_rss(args.small, args.jobs, args.pipeline, Path(tmp))
        large, large_wall = peak_rss(args.large, args.jobs, args.pipeline, Path(tmp))
    load = os.getloadavg()
    print(
        f"# bench/memory.py  {date.today()}  warta ingest -j {args.jobs} --pipeline "
        f"{args.pipeline}; load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    print(f"{args.small:>9,} articles: peak RSS {small:7.1f} MiB  ({small_wall:.0f} s)")
    print(f"{args.large:>9,} articles: peak RSS {large:7.1f} MiB  ({large_wall:.0f} s)")
    ratio = large / small
    verdict = "flat" if ratio <= TARGET else "grows"
    print(f"ratio {ratio:.3f} (target <= {TARGET:.2f}): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
