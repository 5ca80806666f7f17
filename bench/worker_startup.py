"""What one more ``-j N`` worker costs before it reaches its steady rate.

    python bench/worker_startup.py [--pages 200] [--runs 3] [--baseline-src DIR]

A fresh process imports warta and does what the ``-j N`` parent does before it forks its
workers (builds the ingest's pipeline, and where the executor has it preloads the stages'
shared data), then builds the pipeline again (as a forked worker does) and runs the first
``--pages`` detik text pages through it, each prepared for the store. Printed per run:
the CPU of the first 10 and the first 100 pages above the steady rate (the mean of the pages
after the hundredth) — the start-up every worker pays again — and the steady ms a page.
``--baseline-src`` (a ``src`` folder of another commit) runs that code too, alternating; each
code gets its own disk cache, built by an untimed run first.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def child(pages: int) -> None:
    """One measurement, in this (fresh) process: prints its figures as JSON."""
    sys.path.insert(0, str(BENCH))
    from ingest import detik_pages

    from warta.readers.base import Page
    from warta.run.executors.local import process_page
    from warta.run.executors.process import ProcessExecutor
    from warta.run.ingest import _ready
    from warta.run.ingest_templates import with_templates
    from warta.run.pipeline import PIPELINES, Pipeline

    spec = with_templates(PIPELINES["full"])
    parent = ProcessExecutor(spec, jobs=2)  # the parent's build, before the fork
    getattr(parent, "_preload", lambda: None)()  # and what it loads for its workers, if any
    pipeline = Pipeline.from_spec(spec)  # the worker's own
    times = []
    for url, text in detik_pages()[:pages]:
        start = time.process_time()
        _ready(process_page(pipeline, Page(source=url, url=url, text=text)))
        times.append(time.process_time() - start)
    steady = statistics.mean(times[100:])
    print(
        json.dumps(
            {
                "excess_first10_s": sum(times[:10]) - 10 * steady,
                "excess_first100_s": sum(times[:100]) - 100 * steady,
                "steady_ms": steady * 1000,
            }
        )
    )


def measure(pages: int, src: Path | None, cache: Path) -> dict[str, float]:
    env = {**os.environ, "WARTA_CACHE_DIR": str(cache)}
    if src is not None:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(src), env.get("PYTHONPATH", "")) if p)
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(pages)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(int(sys.argv[2]))
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=200, help="at least 110")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline-src", type=Path, default=None)
    args = parser.parse_args()
    codes: dict[str, Path | None] = {"base": args.baseline_src} if args.baseline_src else {}
    codes["this"] = None
    with tempfile.TemporaryDirectory(prefix="warta-bench-startup-") as tmp:
        caches = {code: Path(tmp) / code for code in codes}
        for code, src in codes.items():
            measure(args.pages, src, caches[code])  # builds the disk caches
        print(f"load average before: {'/'.join(f'{v:.2f}' for v in os.getloadavg())}")
        print(f"{'':6}{'first 10 s':>12}{'first 100 s':>13}{'steady ms':>11}")
        for _ in range(args.runs):
            for code, src in codes.items():
                r = measure(args.pages, src, caches[code])
                print(
                    f"{code:6}{r['excess_first10_s']:12.3f}{r['excess_first100_s']:13.3f}"
                    f"{r['steady_ms']:11.2f}"
                )
        print(f"load average after: {'/'.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
