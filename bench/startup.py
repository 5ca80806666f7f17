"""Start-up of a single-file run: ``warta extract page.html`` against trafilatura's CLI.

    python bench/startup.py [--runs 7] [--page PATH] [--baseline REF]

Each run is a fresh process on one page (default: the first detik page of
``../shared/data/news_html_anpandu``, unpacked to a temporary file), as a user runs a CLI in a
shell loop: ``warta extract PAGE`` (the default full pipeline), ``warta extract --pipeline clean
PAGE``, and ``trafilatura < PAGE`` (its CLI reads a page on stdin). The three alternate, run
after run, so they see the same load; the script prints the median wall clock and CPU time
(user + system of the child) of each and the ratios to trafilatura — the targets are full
within 1.2x of trafilatura's wall time and clean below it.

warta's disk cache (``warta.core.diskcache``) lives in a temporary folder for the run: the first
warta run builds it (printed apart, "first run"), the timed runs read it, as every run after a
user's first does. ``--baseline REF`` adds that commit's ``warta extract`` (its ``src``
exported with ``git archive`` and put first on ``PYTHONPATH``) to the alternation. ``PYTHONDONTWRITEBYTECODE`` is dropped for the children, so warta's
bytecode is written by that first run as pip writes it at install time (trafilatura's is in
site-packages already): without it every run would compile warta's source anew.
"""

from __future__ import annotations

import argparse
import gzip
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import date
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
PAGE = DATA / "news_html_anpandu" / "detik" / "detik-singlepage.html.gz"


def _timed(cmd: list[str], page: Path, env: dict[str, str], stdin: bool) -> tuple[float, float]:
    """(wall s, child CPU s) of one run; fails loudly if the command fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    with page.open("rb") as fh:
        proc = subprocess.run(
            cmd,
            stdin=fh if stdin else subprocess.DEVNULL,
            capture_output=True,
            env=env,
        )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0 or not proc.stdout.strip():
        raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.decode(errors='replace')[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _export(ref: str, into: Path) -> Path:
    """``src`` of commit ``ref``, unpacked under ``into`` (run through ``PYTHONPATH``)."""
    data = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", ref, "src"],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--page", type=Path, default=None, help="an HTML page (default: detik)")
    parser.add_argument(
        "--baseline", metavar="REF", help="also time this commit's warta (full) in the same run"
    )
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    bindir = Path(sys.executable).parent
    warta, trafilatura = bindir / "warta", shutil.which("trafilatura", path=str(bindir))
    if not warta.exists() or trafilatura is None:
        print(
            "warta and trafilatura must be installed beside this Python (pip install -e '.[bench]')"
        )
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        page = args.page
        if page is None:
            if not PAGE.exists():
                print(f"{PAGE} not present: ../shared is needed (or give --page)")
                return 1
            page = Path(tmp) / "page.html"
            page.write_bytes(gzip.decompress(PAGE.read_bytes()))
        label = f"{page.name} ({page.stat().st_size:,} bytes)"
        if args.baseline:
            old_src = _export(args.baseline, Path(tmp) / "baseline")
            old_env = dict(os.environ, PYTHONPATH=str(old_src))
            old_env.pop("PYTHONDONTWRITEBYTECODE", None)
        env = dict(os.environ, WARTA_CACHE_DIR=str(Path(tmp) / "cache"))
        # as installed: pip writes both packages' bytecode, so neither compiles its source
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        commands = {
            "warta full": ([str(warta), "extract", str(page)], False),
            "warta clean": ([str(warta), "extract", "--pipeline", "clean", str(page)], False),
            "trafilatura": ([trafilatura], True),
        }
        envs = {name: env for name in commands}
        if args.baseline:
            commands[f"{args.baseline} full"] = commands["warta full"]
            envs[f"{args.baseline} full"] = old_env
            _timed(commands["warta full"][0], page, old_env, False)  # its bytecode, written once
        first = _timed(commands["warta full"][0], page, env, False)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, (cmd, stdin) in commands.items():
                times[name].append(_timed(cmd, page, envs[name], stdin))
    load = os.getloadavg()
    print(
        f"# bench/startup.py  {date.today()}  {label}, "
        f"{args.runs} runs each, alternating; load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    print(f"first warta run (builds the disk cache): wall {first[0]:.3f} s, CPU {first[1]:.3f} s")
    med = {
        name: (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs))
        for name, runs in times.items()
    }
    base_wall, base_cpu = med["trafilatura"]
    for name, (wall, cpu) in med.items():
        print(
            f"{name:12} median wall {wall:6.3f} s ({wall / base_wall:4.2f}x trafilatura)   "
            f"CPU {cpu:6.3f} s ({cpu / base_cpu:4.2f}x)"
        )
    ratios = [
        w / t for (w, _), (t, _) in zip(times["warta full"], times["trafilatura"], strict=True)
    ]
    print(
        f"warta full / trafilatura, run by run (wall): median {statistics.median(ratios):.2f}x "
        f"(target 1.2x); clean / trafilatura median "
        f"{statistics.median(w / t for (w, _), (t, _) in zip(times['warta clean'], times['trafilatura'], strict=True)):.2f}x (target < 1)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
