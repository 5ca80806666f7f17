"""Speed and memory of WARC reading: warta's reader (FastWARC) against warcio as a peer.

Generates a CC-NEWS-style ``.warc.gz`` (tests/warcgen.py: one gzip member per record, a
request and a response per fetch, some gzip-encoded payloads, 404s, images, metadata) in a
temporary folder, then times, best of ``--repeat`` runs each:

- ``warta iter_warc_pages``: the reader itself (FastWARC, HTTP parsing, checks, pages);
- ``warcio, same work``: warcio 1.8 reading the same pages (status, Content-Type, payload with
  its content encoding undone, the WARC date), as a peer implementation would;
- ``fastwarc bare`` / ``warcio bare``: each library iterating and reading response payloads only.

MB/s is compressed file bytes per second. Peak memory is tracemalloc's peak of a separate run
(Python heap only; FastWARC's buffers are outside it). Usage::

    .venv/bin/python bench/warc_read.py [--pages 5000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from warcgen import write_crawl  # noqa: E402

from warta.readers.base import DEFAULT_MAX_BYTES  # noqa: E402
from warta.readers.warc import WarcStats, iter_warc_pages  # noqa: E402

PAGE_TYPES = {"text/html", "application/xhtml+xml", "text/plain"}


def warta_reader(path: str) -> tuple[int, int]:
    stats = WarcStats()
    pages = sum(1 for _ in iter_warc_pages(path, stats=stats))
    records = stats.taken.total() + stats.skipped.total() + stats.errors.total()
    return records, pages


def warcio_same_work(path: str) -> tuple[int, int]:
    from warcio.archiveiterator import ArchiveIterator

    records = pages = 0
    with open(path, "rb") as handle:
        for record in ArchiveIterator(handle):
            records += 1
            if record.rec_type not in ("response", "resource"):
                continue
            if record.rec_type == "response":
                status = record.http_headers.get_statuscode() if record.http_headers else None
                if not status or not status.startswith("2"):
                    continue
                declared = record.http_headers.get_header("Content-Type", "")
            else:
                declared = record.rec_headers.get_header("Content-Type", "")
            if declared.split(";")[0].strip().lower() not in PAGE_TYPES:
                continue
            data = record.content_stream().read(DEFAULT_MAX_BYTES + 1)  # decodes gzip/br too
            record.rec_headers.get_header("WARC-Date")
            record.rec_headers.get_header("WARC-Target-URI")
            if data.strip() and len(data) <= DEFAULT_MAX_BYTES:
                pages += 1
    return records, pages


def fastwarc_bare(path: str) -> tuple[int, int]:
    from fastwarc import ArchiveIterator, WarcRecordType

    records = responses = 0
    with open(path, "rb") as handle:
        for record in ArchiveIterator(handle, parse_http=False):
            records += 1
            if record.record_type == WarcRecordType.response:
                record.reader.read()
                responses += 1
    return records, responses


def warcio_bare(path: str) -> tuple[int, int]:
    from warcio.archiveiterator import ArchiveIterator

    records = responses = 0
    with open(path, "rb") as handle:
        for record in ArchiveIterator(handle):
            records += 1
            if record.rec_type == "response":
                record.content_stream().read()
                responses += 1
    return records, responses


def best_time(
    run: Callable[[str], tuple[int, int]], path: str, repeat: int
) -> tuple[float, int, int]:
    best = float("inf")
    counts = (0, 0)
    for _ in range(repeat):
        start = time.perf_counter()
        counts = run(path)
        best = min(best, time.perf_counter() - start)
    return best, *counts


def peak_memory(run: Callable[[str], tuple[int, int]], path: str) -> int:
    tracemalloc.start()
    try:
        run(path)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=5000, help="fetches to generate")
    parser.add_argument("--repeat", type=int, default=3, help="runs per reader; the best counts")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "bench.warc.gz")
        crawl, _ = write_crawl(path, args.pages, seed=args.seed)
        size = os.path.getsize(path)
        raw = sum(map(len, crawl.records))
        print(
            f"file: {len(crawl.records):,} records ({crawl.taken:,} pages), "
            f"{size / 1e6:.1f} MB gzipped, {raw / 1e6:.1f} MB raw"
        )
        del crawl
        rows: list[tuple[str, Callable[[str], tuple[int, int]]]] = [
            ("warta iter_warc_pages (FastWARC)", warta_reader),
            ("warcio, same work", warcio_same_work),
            ("fastwarc bare", fastwarc_bare),
            ("warcio bare", warcio_bare),
        ]
        print(f"{'reader':34} {'records/s':>10} {'MB/s':>7} {'pages':>7} {'peak MiB':>9}")
        for name, run in rows:
            seconds, records, pages = best_time(run, path, args.repeat)
            peak = peak_memory(run, path) / 2**20
            print(
                f"{name:34} {records / seconds:>10,.0f} {size / seconds / 1e6:>7.1f} "
                f"{pages:>7,} {peak:>9.2f}"
            )


if __name__ == "__main__":
    main()
