"""The pipeline on a Dask cluster: a scheduler and two workers as separate local processes (TCP
on 127.0.0.1), and a LocalCluster when no scheduler is given. Same records as the local run;
a poison page (one that kills every worker that runs it) is quarantined as ``worker_died``
while every other page of its shard is stored once; a rerun adds nothing."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import require_shared

pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[1]
DASK = shutil.which("dask", path=str(Path(sys.executable).parent)) or shutil.which("dask")

_PLUGIN = '''
import os
import signal

from warta.core.stage import Stage


class Die(Stage):
    """Kills the process that runs it on a page that asks for it (as an out-of-memory kill)."""

    name = "toy.die.v1"

    def process(self, article):
        if "TOYDIE" in article.raw_text:
            os.kill(os.getpid(), signal.SIGKILL)
        return article
'''


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def plugin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dask_plugin")
    (folder / "warta_dask_toy.py").write_text(_PLUGIN, encoding="utf-8")
    info = folder / "warta_dask_toy-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: warta-dask-toy\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[warta.stages]\ntoy.die.v1 = warta_dask_toy:Die\n")
    return folder


def _env(plugin: Path) -> dict[str, str]:
    paths = [str(plugin), str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(p for p in paths if p),
        # a worker killed once on a task is enough: the scheduler gives up on it sooner
        "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1",
    }


@pytest.fixture(scope="module")
def cluster(plugin: Path) -> Iterator[str]:
    """A scheduler and two workers (with nannies that restart a killed worker)."""
    if DASK is None:
        pytest.fail("dask's command line is not installed (dask[distributed] is a test dependency)")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = _env(plugin)
    procs = [
        subprocess.Popen(
            [DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    try:
        for name in ("w1", "w2"):
            procs.append(
                subprocess.Popen(
                    [DASK, "worker", address, "--nthreads", "1", "--name", name, "--no-dashboard"],
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        from distributed import Client

        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def _pages(tmp_path: Path, n: int, poison: int | None = None) -> Path:
    import csv
    import gzip

    path = require_shared("data", "detik_summ_entity_1000", "data_berita.csv.gz")
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        rows = [r for _, r in zip(range(n), csv.DictReader(fh))]
    out = tmp_path / "pages.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for i, row in enumerate(rows):
            text = row["isi_berita"] + ("\n\nTOYDIE" if i == poison else "")
            fh.write(json.dumps({"url": f"https://contoh.example/{i}", "text": text}) + "\n")
    return out


def _warta(plugin: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "warta.cli", *args],
        capture_output=True,
        text=True,
        env=_env(plugin),
        timeout=600,
    )


def _stored(db: Path) -> dict[str, str]:
    from warta.store import open_store

    with open_store(str(db)) as store:
        return {row["id"]: row["fingerprint"] for row in store.rows("articles")}


def test_a_cluster_stores_what_the_local_run_stores_and_reruns_add_nothing(
    cluster: str, plugin: Path, tmp_path: Path
) -> None:
    pages = _pages(tmp_path, 24)
    local, remote = tmp_path / "local.db", tmp_path / "dask.db"
    done = _warta(plugin, "ingest", "-q", "--db", str(local), str(pages))
    assert done.returncode == 0, done.stderr
    started = time.monotonic()
    run = _warta(
        plugin,
        "ingest",
        "--db",
        str(remote),
        "--executor",
        "dask",
        "--scheduler",
        cluster,
        str(pages),
    )
    assert run.returncode == 0, run.stderr
    assert "dashboard" in run.stderr and "pages" in run.stderr  # progress on stderr
    assert _stored(remote) == _stored(local)
    assert len(_stored(remote)) == 24
    again = _warta(
        plugin,
        "ingest",
        "--json",
        "-q",
        "--db",
        str(remote),
        "--executor",
        "dask",
        "--scheduler",
        cluster,
        str(pages),
    )
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["new"] == 0
    assert time.monotonic() - started < 300


def test_a_poison_page_is_quarantined_and_the_job_completes(
    cluster: str, plugin: Path, tmp_path: Path
) -> None:
    from warta.run.pipeline import DEFAULT_TEXT_PIPELINE

    pages = _pages(tmp_path, 20, poison=7)
    db = tmp_path / "poison.db"
    spec = ",".join((*DEFAULT_TEXT_PIPELINE, "toy.die.v1"))
    run = _warta(
        plugin,
        "ingest",
        "-q",
        "--db",
        str(db),
        "--pipeline",
        spec,
        "--executor",
        "dask",
        "--scheduler",
        cluster,
        str(pages),
    )
    assert run.returncode == 1, run.stderr  # one page failed
    stored = _stored(db)
    assert len(stored) == 19  # every other page of the poison page's shard too, each once
    failures = _warta(plugin, "failures", "--json", "--db", str(db))
    rows: list[dict[str, Any]] = json.loads(failures.stdout)
    assert [r["reason"] for r in rows] == ["worker_died"]
    assert rows[0]["url"] == "https://contoh.example/7"
    rerun = _warta(
        plugin,
        "ingest",
        "--json",
        "-q",
        "--db",
        str(db),
        "--pipeline",
        spec,
        "--executor",
        "dask",
        "--scheduler",
        cluster,
        str(pages),
    )
    assert json.loads(rerun.stdout)["new"] == 0


def test_without_a_scheduler_a_local_cluster_gives_the_same_records(tmp_path: Path) -> None:
    from warta.api import extract_paths
    from warta.core.serialize import article_to_dict
    from warta.run.executors.dask_cluster import DaskExecutor
    from warta.run.pipeline import DEFAULT_TEXT_PIPELINE

    pages = _pages(tmp_path, 6)

    def records(**kwargs: Any) -> list[dict[str, Any]]:
        out = []
        for article in extract_paths([str(pages)], **kwargs):
            record = article_to_dict(article)
            record.pop("produced_by", None)
            record.pop("retrieved_at", None)
            out.append(record)
        return out

    dask = DaskExecutor(DEFAULT_TEXT_PIPELINE, workers=2)
    assert records(executor=dask) == records()
    assert dask.dashboard is not None
