"""kill -9 at 20 random moments of a 5,000-article ingest, resumed each time: the store ends
exactly as one clean ingest leaves it — the same articles with the same content hashes, no
duplicate rows, the same revisions and failures.

On SQLite the run has 5,000 articles. PostgreSQL commits each article several times slower on
the CI machine, so there the same test runs on 1,500 articles (still 20 kills) to keep CI short.

The input is a crawl-style JSON Lines file built from the real detik.com articles in ../shared:
each article under several URLs (a different dateline each), then exact repeats, updated
versions and broken lines. ``warta ingest`` runs as a subprocess with the cleaning pipeline
(the enrichment stages would only make each run longer, not the store's writes different).
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from test_ingest import CITIES, article_ids, detik_rows, page_text, variant_url, write_jsonl

from warta.store import open_store

ARTICLES = {"sqlite": 5000, "postgres": 1500}
# of the articles, one in 50 is repeated exactly (unchanged) and one in 50 comes again with a
# changed body (updated, the old version kept as a revision)
REPEAT_EVERY = 50
EMPTY = 20  # empty 'text': failed (empty)
BROKEN = 10  # not JSON: failed (malformed_record)
KILLS = 20
UPDATE_NOTE = "Artikel ini telah diperbarui dengan tanggapan dari pihak terkait."


@dataclass(frozen=True)
class Expected:
    articles: int
    revisions: int
    failures: int
    lines: int


def build_input(path: Path, rng: random.Random, articles: int) -> Expected:
    """Write the input: ``articles`` distinct reports, then repeats, updates and bad lines."""
    rows = detik_rows()
    variants = len(CITIES)
    assert len(rows) * variants >= articles, "not enough real articles for the test"
    made = [(row, k) for k in range(variants) for row in rows]
    rng.shuffle(made)
    made = made[:articles]
    repeats = updates = articles // REPEAT_EVERY
    pages = [
        {"url": variant_url(row, k), "text": page_text(row, city=CITIES[k])} for row, k in made
    ]
    picked = rng.sample(range(articles), repeats + updates)
    tail: list[dict[str, Any] | str] = [dict(pages[i]) for i in picked[:repeats]]
    for i in picked[repeats:]:
        row, k = made[i]
        text = page_text(row, city=CITIES[k], extra=UPDATE_NOTE)
        tail.append({"url": pages[i]["url"], "text": text})
    tail += [{"url": f"https://news.detik.com/kosong/{n}", "text": ""} for n in range(EMPTY)]
    tail += [
        '{"url": "https://news.detik.com/rusak", "text": "tanpa penutup' for _ in range(BROKEN)
    ]
    rng.shuffle(tail)
    records: list[dict[str, Any] | str] = [*pages, *tail]
    write_jsonl(path, records)
    return Expected(
        articles=articles, revisions=updates, failures=EMPTY + BROKEN, lines=len(records)
    )


def ingest_command(source: Path, db: str) -> list[str]:
    return [sys.executable, "-m", "warta.cli", "ingest", str(source), "--db", db]


def stored_count(db: str) -> int:
    """Articles committed so far, read the way any other reader would while ingest runs."""
    try:
        if db.startswith("postgresql://"):
            import psycopg

            with psycopg.connect(db, connect_timeout=5) as conn:
                row = conn.execute("SELECT count(*) FROM articles").fetchone()
        else:
            if not os.path.exists(db):
                return 0
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
                row = conn.execute("SELECT count(*) FROM articles").fetchone()
    except Exception:  # no schema yet, or the file is being created: nothing stored
        return 0
    return int(row[0]) if row else 0


def kill_at(
    command: list[str], db: str, *, target: int | None, delay: float, env: dict[str, str]
) -> int:
    """Start an ingest and SIGKILL it once ``target`` articles are stored (then ``delay``
    more seconds), or ``delay`` seconds after start when ``target`` is None."""
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        if target is not None:
            while proc.poll() is None and stored_count(db) < target:
                time.sleep(0.01)
        time.sleep(delay)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=120)
        assert proc.stderr is not None
        stderr = proc.stderr.read().decode("utf-8", "replace")
        proc.stderr.close()
    assert proc.returncode in (-signal.SIGKILL, 1), stderr  # 1: it finished (failed lines)
    return proc.returncode


def test_kill9_twenty_times_then_resume(store_location: str, tmp_path: Path) -> None:
    rng = random.Random(20240611)
    source = tmp_path / "crawl.jsonl"
    backend = "postgres" if store_location.startswith("postgresql://") else "sqlite"
    expected = build_input(source, rng, ARTICLES[backend])

    # what one clean ingest stores: the last version of every report the pipeline makes
    from warta.api import extract_paths
    from warta.run.pipeline import CLEAN_PIPELINE

    want: dict[str, str | None] = {}
    want_failures: list[str] = []
    for article in extract_paths([str(source)], spec=CLEAN_PIPELINE):
        if article.body and article.id:
            want[article.id] = article.fingerprint
        else:
            want_failures.append(article.errors[0].reason)
    assert len(want) == expected.articles
    assert len(want_failures) == expected.failures

    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    # --no-templates: learned outlet templates make a page's record depend on the pages read
    # before it (by design), so only the rules alone give "the same as a clean extract"; this
    # test is about the writes surviving kill -9
    command = [
        *ingest_command(source, store_location), "--pipeline", "clean", "--quiet", "--no-templates"
    ]  # fmt: skip
    # 17 kills at stored-article counts spread over the run, 3 at random moments of start-up
    targets: list[int | None] = sorted(rng.sample(range(1, expected.articles), KILLS - 3))
    for at in rng.sample(range(KILLS), 3):
        targets.insert(at, None)
    killed = 0
    for target in targets:
        delay = rng.uniform(0.0, 0.05) if target is not None else rng.uniform(0.0, 1.5)
        code = kill_at(command, store_location, target=target, delay=delay, env=env)
        killed += code == -signal.SIGKILL
    assert killed >= KILLS - 2, f"only {killed} of {KILLS} runs were killed before finishing"

    final = subprocess.run(
        command + ["--json"], env=env, capture_output=True, text=True, timeout=600
    )
    assert final.returncode == 1, final.stderr  # 1: the broken lines failed, as they should
    summary = json.loads(final.stdout)
    assert summary["pages"] == expected.lines

    with open_store(store_location) as store:
        got_rows = list(store.rows("articles"))
        got = article_ids(store)
        stats = store.stats()
        runs = store.runs(limit=100)
        kept_failures = store.failures(limit=1000)
    ids = [row["id"] for row in got_rows]
    assert len(ids) == len(set(ids)) == expected.articles, "duplicate or missing article rows"
    assert got == want, "content hashes differ from a clean ingest"
    assert stats["articles"] == expected.articles
    assert stats["revisions"] == expected.revisions
    assert stats["failures"] == expected.failures
    assert len(kept_failures) == expected.failures
    assert sorted(f.reason for f in kept_failures) == sorted(want_failures)
    assert runs and runs[0].finished_at is not None
    # every run that was not killed finished (one killed just after finishing may count too)
    assert sum(1 for r in runs if r.finished_at is not None) >= 1 + (KILLS - killed)


def test_build_input_is_deterministic(tmp_path: Path) -> None:
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert build_input(one, random.Random(7), 500) == build_input(two, random.Random(7), 500)
    assert one.read_bytes() == two.read_bytes()
