"""The same ingest with the process executor (``-j 2``) and on Dask (a scheduler and two
workers started as separate processes, reached through a TCP address as on separate machines),
over generated CC-NEWS-style ``.warc.gz`` files; plus the per-stage cost the paper model of
docs/SCALING.md is built from.

    .venv/bin/python bench/scale.py [--pages 50000] [--pipeline full|clean] [--per-file 1000]

Pages: HTML made from the detik.com articles of ../shared/data (read at run time, never kept
in the repo): each page takes one article's title and lead and two to five paragraphs drawn
from other articles, under its own outlet, URL and date, so no two pages are duplicates (their
fingerprints differ). Written with tests/warcgen.py (request + response records, one gzip
member each).

Prints: pages/s of each run, Dask's wall time as a ratio to the process executor's (its
overhead), peak resident memory of each worker process, whether the two stores hold the same
article ids and fingerprints, and each stage's cost per page (measured in one process on the
first 300 pages, store writes included).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import html
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from warcgen import gzip_member, http_request, response_record, warc_record  # noqa: E402

DETIK = ROOT.parent / "shared" / "data" / "detik_summ_entity_1000" / "data_berita.csv.gz"
OUTLETS = ["detik.com", "kompas.com", "tempo.co", "antaranews.com", "cnnindonesia.com", "liputan6.com"]


def _articles() -> list[tuple[str, list[str]]]:
    with gzip.open(DETIK, "rt", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for r in rows:
        paras = [p.strip() for p in r["isi_berita"].split("\n") if len(p.strip()) > 60]
        if r["judul"] and len(paras) >= 3:
            out.append((r["judul"], paras))
    return out


def _page(i: int, arts: list[tuple[str, list[str]]], rng: random.Random) -> tuple[str, str, datetime]:
    title, paras = arts[i % len(arts)]
    body = paras[:2]
    for _ in range(rng.randint(2, 5)):
        other = arts[rng.randrange(len(arts))][1]
        body.append(other[rng.randrange(len(other))])
    host = OUTLETS[i % len(OUTLETS)]
    when = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=37 * i)
    url = f"https://www.{host}/berita/{when:%Y/%m/%d}/{i}-{'-'.join(title.lower().split()[:5])}"
    paragraphs = "\n".join(f"<p>{html.escape(p)}</p>" for p in body)
    page = (
        f"<!doctype html><html lang=id><head><meta charset=utf-8><title>{html.escape(title)} - {host}</title>"
        f'<meta property="article:published_time" content="{when.isoformat()}">'
        f'<meta property="og:site_name" content="{host}"></head><body>'
        f'<nav><a href="/">Beranda</a> <a href="/berita">Berita</a> <a href="/olahraga">Olahraga</a></nav>'
        f"<article><h1>{html.escape(title)}</h1>{paragraphs}</article>"
        f"<footer>Copyright {when.year} {host}. All rights reserved.</footer></body></html>"
    )
    return url, page, when


def generate(folder: Path, n: int, per_file: int) -> list[str]:
    """``n`` pages in ``.warc.gz`` files of ``per_file`` pages."""
    arts = _articles()
    rng = random.Random(16)
    files = []
    for start in range(0, n, per_file):
        path = folder / f"ccnews-{start // per_file:05d}.warc.gz"
        with path.open("wb") as out:
            out.write(gzip_member(warc_record("warcinfo", b"software: warta bench/scale.py\r\n")))
            for i in range(start, min(n, start + per_file)):
                url, page, when = _page(i, arts, rng)
                out.write(gzip_member(warc_record("request", http_request(url), url=url, when=when,
                                                  content_type="application/http; msgtype=request")))
                body = page.encode("utf-8")
                headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))]
                out.write(gzip_member(response_record(url, 200, headers, body, when=when)))
        files.append(str(path))
    return files


class PeakRss(threading.Thread):
    """Peak resident memory of processes (found again every poll: workers restart)."""

    def __init__(self, find: object) -> None:
        super().__init__(daemon=True)
        self.find = find
        self.peak: dict[int, int] = {}
        self.done = threading.Event()

    def run(self) -> None:
        import psutil

        while not self.done.wait(0.25):
            for proc in self.find():  # type: ignore[operator]
                try:
                    rss = proc.memory_info().rss
                except psutil.Error:
                    continue
                self.peak[proc.pid] = max(self.peak.get(proc.pid, 0), rss)


def _children(pid: int, name_has: str) -> list[object]:
    import psutil

    try:
        return [c for c in psutil.Process(pid).children(recursive=True) if name_has in " ".join(c.cmdline())]
    except psutil.Error:
        return []


def _stored(db: str) -> dict[str, str]:
    from warta.store import open_store

    with open_store(db) as store:
        return {r["id"]: r["fingerprint"] for r in store.rows("articles")}


def _ingest(args: list[str], watch: object) -> tuple[float, dict[int, int], str]:
    cmd = [sys.executable, "-m", "warta.cli", "ingest", "-q", "--json", "--no-corpus", *args]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    rss = PeakRss(lambda: watch(proc.pid))  # type: ignore[operator]
    rss.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    rss.done.set()
    if proc.returncode not in (0, 1):
        sys.exit(f"ingest failed: {err[-2000:]}")
    return wall, rss.peak, out


def stage_costs(files: list[str], spec: tuple[str, ...], n: int = 300) -> None:
    """Each stage's mean cost per page, reading and the store's batched write included."""
    from itertools import islice

    from warta.readers.base import Page
    from warta.run.executors.local import article_from_page
    from warta.run.pipeline import Pipeline
    from warta.store import open_store

    t0 = time.perf_counter()
    pages = [p for p in islice((p for f in files for p in _read(f)), n) if isinstance(p, Page)]
    read_s = (time.perf_counter() - t0) / len(pages)
    pipeline = Pipeline.from_spec(spec)
    cost = {s.name: 0.0 for s in pipeline.stages}
    articles = []
    for page in pages:
        article = article_from_page(page)
        for stage in pipeline.stages:
            t = time.perf_counter()
            article = stage.process(article)
            cost[stage.name] += time.perf_counter() - t
        articles.append(article)
    with tempfile.TemporaryDirectory() as tmp, open_store(os.path.join(tmp, "s.db")) as store:
        t = time.perf_counter()
        for i in range(0, len(articles), 50):
            store.put_many(articles[i : i + 50])
        write_s = (time.perf_counter() - t) / len(articles)
    total = read_s + sum(cost.values()) / len(pages) + write_s
    print(f"\nper-stage cost, one process, {len(pages)} pages (ms/page, share):")
    print(f"  {'read (WARC, HTTP, decode)':<28}{read_s * 1e3:8.2f}  {read_s / total:6.1%}")
    for name, c in cost.items():
        print(f"  {name:<28}{c / len(pages) * 1e3:8.2f}  {c / len(pages) / total:6.1%}")
    print(f"  {'store write (SQLite, 50/txn)':<28}{write_s * 1e3:8.2f}  {write_s / total:6.1%}")
    print(f"  {'total':<28}{total * 1e3:8.2f}  -> {1 / total:.1f} pages/s per core")


def _warm(spec: tuple[str, ...]) -> None:
    """On a worker: import warta and build the pipeline (what its first shard would do)."""
    from warta.run.executors.dask_cluster import _run_shard

    _run_shard(tuple(spec), None, [])


def _read(path: str) -> object:
    from warta.readers.walk import iter_pages

    return iter_pages([path], pattern=None, max_bytes=10 * 2**20)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=50000)
    ap.add_argument("--per-file", type=int, default=1000)
    ap.add_argument("--pipeline", default="full", choices=["full", "clean"])
    ap.add_argument("--keep", type=Path, default=None, help="Keep the WARC files and stores here.")
    args = ap.parse_args()
    from warta.run.ingest import PIPELINES

    work = Path(tempfile.mkdtemp(prefix="warta-scale-")) if args.keep is None else args.keep
    work.mkdir(parents=True, exist_ok=True)
    try:
        t0 = time.perf_counter()
        files = generate(work, args.pages, args.per_file)
        size = sum(os.path.getsize(f) for f in files)
        print(f"{args.pages} pages in {len(files)} .warc.gz files ({size / 2**20:.1f} MiB), generated in "
              f"{time.perf_counter() - t0:.1f} s; pipeline {args.pipeline}; load {os.getloadavg()[0]:.1f}")
        stage_costs(files, PIPELINES[args.pipeline])
        a_db, b_db = str(work / "process.db"), str(work / "dask.db")
        wall_a, rss_a, _ = _ingest(["--pipeline", args.pipeline, "-j", "2", "--db", a_db, *files],
                                   lambda pid: _children(pid, ""))
        dask = shutil.which("dask", path=str(Path(sys.executable).parent)) or "dask"
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        address = f"tcp://127.0.0.1:{port}"
        procs = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
        for name in ("w1", "w2"):
            procs.append(subprocess.Popen([dask, "worker", address, "--nthreads", "1", "--name", name, "--no-dashboard"],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        try:
            from distributed import Client

            with Client(address, timeout="60s") as client:
                client.wait_for_workers(2, timeout=120)
                t = time.perf_counter()
                client.run(_warm, PIPELINES[args.pipeline])
                warm_s = time.perf_counter() - t
            nannies = [p.pid for p in procs[1:]]
            wall_b, rss_b, _ = _ingest(
                ["--pipeline", args.pipeline, "--executor", "dask", "--scheduler", address, "--db", b_db, *files],
                lambda pid: [c for n in nannies for c in _children(n, "multiprocessing.spawn")],
            )
        finally:
            for p in procs:
                p.terminate()
            for p in procs:
                p.wait(timeout=30)
        a, b = _stored(a_db), _stored(b_db)
        print(f"\n{'executor':<34}{'wall s':>8}{'pages/s':>9}  peak RSS per worker (MiB)")
        for name, wall, rss in (("process pool (-j 2)", wall_a, rss_a), ("Dask, TCP scheduler, 2 workers", wall_b, rss_b)):
            peaks = ", ".join(f"{v / 2**20:.0f}" for v in sorted(rss.values(), reverse=True)[:4]) or "-"
            print(f"{name:<34}{wall:>8.1f}{args.pages / wall:>9.1f}  {peaks}")
        print(f"Dask workers' start (imports, pipeline built once per worker, before the timed run): {warm_s:.1f} s")
        print(f"Dask overhead: wall time {wall_b / wall_a:.2f}x the process executor's (same run, same machine); "
              f"{(wall_b + warm_s) / wall_a:.2f}x with the workers' start")
        print(f"stored: process {len(a)}, dask {len(b)}; ids and fingerprints identical: {a == b}")
        print(f"load after: {os.getloadavg()[0]:.1f}")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
