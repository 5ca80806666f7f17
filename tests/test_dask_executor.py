"""The pipeline on a Dask cluster: a scheduler and two workers as separate local processes (TCP
on 127.0.0.1), and a LocalCluster when no scheduler is given. Same records as the local run;
a poison page (one that kills every worker that runs it) is quarantined as ``worker_died``
while every other page of its shard is stored once; a rerun adds nothing."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dasklocal import cluster_env, local_cluster, write_plugin

from conftest import require_shared

pytest.importorskip("distributed")


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


@pytest.fixture(scope="module")
def plugin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dask_plugin")
    return write_plugin(folder, "warta_dask_toy", _PLUGIN, {"toy.die.v1": "Die"})


def _env(plugin: Path) -> dict[str, str]:
    # a worker killed once on a task is enough: the scheduler gives up on it sooner
    return cluster_env(plugin, allowed_failures=1)


@pytest.fixture(scope="module")
def cluster(plugin: Path) -> Iterator[str]:
    """A scheduler and two workers (with nannies that restart a killed worker)."""
    with local_cluster(plugin, allowed_failures=1, names=("w1", "w2")) as address:
        yield address


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
