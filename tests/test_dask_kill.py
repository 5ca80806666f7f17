"""kill -9 on a Dask cluster during an ingest into a real store: a scheduler and two workers
(each under its nanny, which restarts it) as separate local processes on 127.0.0.1. While
1,000 real pages (one of them a poison page that kills any worker that runs it) are ingested,
a worker is killed with SIGKILL at random moments, 10 times. The store then holds exactly what
an uninterrupted local run stores, less the poison page: 999 articles, none lost, none stored
twice (every article at its first revision, the Parquet dataset with each article once), and
the poison page quarantined as ``worker_died``.

Bounded: the pipeline is the clean one (plus a toy stage that sleeps 30 ms a page, so the run
outlasts ten kills on any machine); about a minute or two on a loaded 2-core machine."""

from __future__ import annotations

import csv
import gzip
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from dasklocal import cluster_env, local_cluster, write_plugin

from conftest import require_shared

pytest.importorskip("distributed")

PAGES = 1000
POISON = 613
KILLS = 10

_PLUGIN = '''
import os
import signal
import time

from warta.core.stage import Stage


class Slow(Stage):
    """30 ms a page: the run lasts long enough to be killed ten times."""

    name = "toy.slow.v1"

    def process(self, article):
        time.sleep(0.03)
        return article


class Die(Stage):
    """Kills the process that runs it on a page that asks for it (as an out-of-memory kill)."""

    name = "toy.die.v1"

    def process(self, article):
        if "TOYDIE" in article.raw_text:
            os.kill(os.getpid(), signal.SIGKILL)
        return article
'''


def _env(plugin: Path) -> dict[str, str]:
    # a shard is given up (then redone page by page) after its worker died under it 3 times
    return cluster_env(plugin, allowed_failures=3)


@pytest.fixture(scope="module")
def plugin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dask_kill_plugin")
    return write_plugin(
        folder, "warta_kill_toy", _PLUGIN, {"toy.slow.v1": "Slow", "toy.die.v1": "Die"}
    )


@pytest.fixture(scope="module")
def cluster(plugin: Path) -> Iterator[str]:
    with local_cluster(plugin, allowed_failures=3, names=("k1", "k2")) as address:
        yield address


def _pages(tmp_path: Path) -> Path:
    path = require_shared("data", "detik_summ_entity_1000", "data_berita.csv.gz")
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        rows = [r for _, r in zip(range(PAGES), csv.DictReader(fh))]
    assert len(rows) == PAGES
    out = tmp_path / "pages.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for i, row in enumerate(rows):
            text = row["isi_berita"] + ("\n\nTOYDIE" if i == POISON else "")
            fh.write(json.dumps({"url": f"https://contoh.example/{i}", "text": text}) + "\n")
    return out


def _stored(db: Path) -> tuple[dict[str, str], list[int]]:
    from warta.store import open_store

    with open_store(str(db)) as store:
        rows = list(store.rows("articles"))
    return {r["id"]: r["fingerprint"] for r in rows}, [int(r["revision"]) for r in rows]


class _Killer(threading.Thread):
    """SIGKILL to a random live worker at random moments, ``KILLS`` times."""

    def __init__(self, address: str, seed: int) -> None:
        super().__init__(daemon=True)
        self.address = address
        self.random = random.Random(seed)
        self.kills: list[int] = []
        self.stop = threading.Event()

    def run(self) -> None:
        from distributed import Client

        with Client(self.address, timeout="60s") as client:
            self.stop.wait(self.random.uniform(1.0, 3.0))
            while len(self.kills) < KILLS and not self.stop.is_set():
                try:
                    pids = list(client.run(os.getpid, on_error="ignore").values())
                except Exception:  # noqa: BLE001 - the cluster between deaths: try again
                    pids = []
                pids = [p for p in pids if isinstance(p, int)]
                if not pids:
                    self.stop.wait(0.3)
                    continue
                pid = self.random.choice(pids)
                try:
                    os.kill(pid, signal.SIGKILL)
                    self.kills.append(pid)
                except ProcessLookupError:
                    continue
                self.stop.wait(self.random.uniform(0.5, 2.0))


def test_ten_kills_lose_nothing_and_store_nothing_twice(cluster: str, plugin: Path, tmp_path: Path) -> None:
    from warta.run.pipeline import CLEAN_PIPELINE

    started = time.monotonic()
    pages = _pages(tmp_path)
    reference = tmp_path / "reference.db"
    done = subprocess.run(
        [sys.executable, "-m", "warta.cli", "ingest", "-q", "--no-corpus", "--pipeline", "clean",
         "--db", str(reference), str(pages)],
        capture_output=True, text=True, env=_env(plugin), timeout=600,
    )
    assert done.returncode == 0, done.stderr
    expected, _ = _stored(reference)
    assert len(expected) == PAGES

    db, dataset = tmp_path / "killed.db", tmp_path / "ds"
    spec = ",".join((*CLEAN_PIPELINE, "toy.slow.v1", "toy.die.v1"))
    killer = _Killer(cluster, seed=int(os.environ.get("WARTA_KILL_SEED", "16")))
    killer.start()
    run = subprocess.run(
        [sys.executable, "-m", "warta.cli", "ingest", "-q", "--json", "--no-corpus", "--pipeline", spec,
         "--db", str(db), "--parquet", str(dataset), "--executor", "dask", "--scheduler", cluster, str(pages)],
        capture_output=True, text=True, env=_env(plugin), timeout=600,
    )
    killer.stop.set()
    killer.join(timeout=30)
    assert len(killer.kills) == KILLS, f"only {len(killer.kills)} kills before the run ended"
    assert run.returncode == 1, run.stderr  # the poison page failed
    report = json.loads(run.stdout)
    assert report["failed_by_reason"] == {"worker_died": 1}

    stored, revisions = _stored(db)
    poison_id = next(i for i in expected if i not in stored)
    assert {k: v for k, v in expected.items() if k != poison_id} == stored  # 0 lost
    assert len(stored) == PAGES - 1 and set(revisions) == {1}  # 0 stored twice
    assert report["new"] == PAGES - 1 and report["updated"] == 0

    failures = subprocess.run(
        [sys.executable, "-m", "warta.cli", "failures", "--json", "--db", str(db)],
        capture_output=True, text=True, env=_env(plugin), timeout=120,
    )
    rows = json.loads(failures.stdout)
    assert [(r["reason"], r["url"]) for r in rows] == [("worker_died", f"https://contoh.example/{POISON}")]

    import pyarrow.dataset as ds

    table = ds.dataset(dataset, format="parquet", partitioning="hive").to_table(columns=["id"])
    ids = table.column("id").to_pylist()
    assert len(ids) == len(set(ids)) == PAGES - 1
    assert time.monotonic() - started < 420
