"""kill -9 at random points: the crawl resumes, writes every page exactly once, ends done."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from sites import Site, serve

PAGES = 200
KILLS = 4


def _lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def test_kill_9_and_resume_writes_every_page_exactly_once(tmp_path: Path) -> None:
    rng = random.Random(20240506)
    site = Site()
    for i in range(PAGES):
        site.page(f"/n/{i}", f"Berita nomor {i}")
    out = tmp_path / "pages.jsonl"
    seeds = tmp_path / "seeds.txt"
    with serve(site):
        seeds.write_text("".join(f"{site.url(f'/n/{i}')}\n" for i in range(PAGES)))
        command = [
            sys.executable, "-m", "warta.cli.crawl", "-o", str(out), "--urls", str(seeds),
            "--delay", "0.005", "--allow-private", "--quiet",
        ]  # fmt: skip
        killed = 0
        for _ in range(KILLS):
            before = _lines(out)
            proc = subprocess.Popen(command, stderr=subprocess.PIPE)
            deadline = time.monotonic() + 20
            # Wait until this run has written something, then kill it at a random moment.
            while proc.poll() is None and _lines(out) <= before and time.monotonic() < deadline:
                time.sleep(0.005)
            time.sleep(rng.uniform(0.0, 0.3))
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
                killed += 1
            proc.wait(timeout=10)
            assert proc.stderr is not None
            proc.stderr.close()
        assert killed >= 2, "the crawl finished before it could be killed"
        final = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert final.returncode == 0, final.stderr
        assert "frontier empty" in final.stderr
        counts = Counter(site.paths())

    urls = [json.loads(line)["url"] for line in out.read_text(encoding="utf-8").splitlines()]
    expected = {site.url(f"/n/{i}") for i in range(PAGES)}
    assert len(urls) == PAGES and set(urls) == expected  # every page, each exactly once
    db = sqlite3.connect(tmp_path / "pages.jsonl.frontier.sqlite")
    states = dict(db.execute("SELECT url, state FROM urls").fetchall())
    db.close()
    assert states == {url: "done" for url in expected}
    # Only a request in flight at a kill may have been repeated.
    repeated = [path for path, n in counts.items() if path.startswith("/n/") and n > 1]
    assert len(repeated) <= killed and all(counts[p] == 2 for p in repeated)
    assert counts["/robots.txt"] == 1
