"""Nothing about one page stops a batch (issue 11): a failure injected into each phase for one
page — reading, every stage of the default pipeline, building the record, serialising it, the
store write — leaves every other page stored and the failed one listed with its reason, for
``warta extract``, ``warta ingest``, ``warta ingest -j 2``, the Python API and the REST API.

Every failure comes from a real component: a broken JSON Lines line (the reader), plugin stages
registered through the ``warta.stages`` entry-point group like any plugin (each wraps one
built-in stage and raises on the page that names it; one returns no record; one writes a time
without an offset, which no record may hold), and a SQLite trigger that refuses one row.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_ingest import detik_rows, page_text
from test_server_data import KEY, client_for, unexpected

from warta.api import ingest
from warta.run.pipeline import DEFAULT_TEXT_PIPELINE
from warta.store import open_store

from conftest import ROOT

_PLUGIN = '''
"""Toy stages that fail on purpose, for tests: each wraps a built-in stage."""
from datetime import datetime

from warta.core.registry import load_stage_class
from warta.core.stage import Stage

BUILTIN = {builtin!r}


def _failing(name):
    base = load_stage_class(name)

    def process(self, article):
        if "TOYFAIL " + name + " " in (article.raw_text or ""):
            raise RuntimeError("toy failure in " + name)
        return base.process(self, article)

    return type("Toy_" + name.replace(".", "_"), (base,), {{"process": process}})


for _name in BUILTIN:
    globals()["Toy_" + _name.replace(".", "_")] = _failing(_name)


class NoRecord(Stage):
    name = "toy.norecord.v1"

    def process(self, article):
        return None if "TOYNONE" in article.raw_text else article


class Die(Stage):
    name = "toy.die.v1"

    def process(self, article):
        if "TOYDIE" in article.raw_text:
            import os
            import signal

            os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's out-of-memory killer would
        return article


class NaiveTime(Stage):
    name = "toy.naive.v1"

    def process(self, article):
        if "TOYNAIVE" in article.raw_text:
            article.published = datetime(2020, 1, 2, 3, 4)
        return article
'''

SPEC = (*(f"toy.{name}" for name in DEFAULT_TEXT_PIPELINE), "toy.norecord.v1", "toy.naive.v1")
REFUSED = "refused-by-trigger"


@pytest.fixture(scope="module")
def plugin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A plugin distribution on a folder of its own: the module and its entry points."""
    folder = tmp_path_factory.mktemp("plugin")
    (folder / "warta_toy_stages.py").write_text(
        _PLUGIN.format(builtin=DEFAULT_TEXT_PIPELINE), encoding="utf-8"
    )
    info = folder / "warta_toy_stages-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: warta-toy-stages\nVersion: 0.1\n", encoding="utf-8"
    )
    points = [
        f"toy.{n} = warta_toy_stages:Toy_{n.replace('.', '_')}" for n in DEFAULT_TEXT_PIPELINE
    ]
    points += [
        "toy.norecord.v1 = warta_toy_stages:NoRecord",
        "toy.naive.v1 = warta_toy_stages:NaiveTime",
        "toy.die.v1 = warta_toy_stages:Die",
    ]
    (info / "entry_points.txt").write_text(
        "[warta.stages]\n" + "\n".join(points) + "\n", encoding="utf-8"
    )
    return folder


@pytest.fixture
def on_path(plugin: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    from warta.core.registry import _entry_points

    monkeypatch.syspath_prepend(str(plugin))
    _entry_points.cache_clear()  # the stage group is read once per process: read it again
    yield plugin
    _entry_points.cache_clear()


def _batch() -> tuple[list[dict[str, Any]], dict[int, tuple[str, str]]]:
    """The records of one batch and, by line number (from 1), the pages that must fail with
    (reason, a word of the message). A few untouched pages lie between them."""
    rows = iter(detik_rows())
    records: list[dict[str, Any]] = []
    failing: dict[int, tuple[str, str]] = {}

    def add(extra: str = "", url_suffix: str = "") -> int:
        row = next(rows)
        text = page_text(row, extra=extra)
        records.append({"text": text, "url": row["tautan"] + url_suffix})
        return len(records)

    add()
    for name in DEFAULT_TEXT_PIPELINE:
        failing[add(f"TOYFAIL {name} ada di sini.")] = ("stage_failed", name)
        add()
    failing[add("TOYNONE ada di sini.")] = ("record_failed", "NoneType")
    failing[add("TOYNAIVE ada di sini.")] = ("malformed_record", "published")
    failing[add(url_suffix="-" + REFUSED)] = ("store_error", REFUSED)
    records.append({"text": 5})  # the reader refuses this line
    failing[len(records)] = ("malformed_record", "'text' is a number")
    add()
    return records, failing


def _write(tmp_path: Path) -> tuple[Path, dict[int, tuple[str, str]], int]:
    records, failing = _batch()
    path = tmp_path / "batch.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path, failing, len(records)


def _refusing_store(location: str) -> None:
    """A store whose database refuses one row: a trigger, as a constraint would."""
    with open_store(location):
        pass
    with sqlite3.connect(location) as conn:
        conn.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON articles WHEN NEW.url LIKE "
            f"'%{REFUSED}' BEGIN SELECT RAISE(ABORT, 'row {REFUSED}'); END"
        )


def _env(plugin: Path) -> dict[str, str]:
    paths = [str(plugin), str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}


def _warta(plugin: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "warta.cli", *args],
        capture_output=True,
        text=True,
        timeout=900,
        env=_env(plugin),
    )


def _check_store(
    location: str, path: Path, failing: dict[int, tuple[str, str]], total: int
) -> None:
    """Every page not made to fail is stored; every one made to fail is listed with its reason
    (a page that failed after cleaning is stored too, without the failed stage's work)."""
    with open_store(location) as store:
        sources = {row["source"] for row in store.rows("articles")}
        failures = store.failures(limit=1000)
    listed = {(f.source, f.reason): f.message for f in failures}
    for line in range(1, total + 1):
        source = f"{path}:{line}"
        if line not in failing:
            assert source in sources, f"page {line} was not stored"
            continue
        reason, word = failing[line]
        assert (source, reason) in listed, f"page {line} not listed as {reason}: {failures}"
        assert word in listed[(source, reason)]
    stored_failed = {line for line in failing if f"{path}:{line}" in sources}
    # the pages that failed in or before cleaning, or could not be written, are not stored
    assert not stored_failed & {line for line, (r, _) in failing.items() if r != "stage_failed"}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_cli_ingest_contains_every_failure(plugin: Path, tmp_path: Path, jobs: str) -> None:
    path, failing, total = _write(tmp_path)
    db = str(tmp_path / "w.db")
    _refusing_store(db)
    done = _warta(
        plugin, "ingest", "-q", "-j", jobs, "--db", db, "--pipeline", ",".join(SPEC), str(path)
    )
    assert done.returncode == 1, done.stderr  # some pages failed: exit 1, no traceback
    assert "Traceback" not in done.stderr
    _check_store(db, path, failing, total)
    listed = _warta(plugin, "failures", "--db", db, "--json")
    assert {f["reason"] for f in json.loads(listed.stdout)} >= {r for r, _ in failing.values()}

    again = _warta(
        plugin,
        "ingest",
        "-q",
        "-j",
        jobs,
        "--db",
        db,
        "--pipeline",
        ",".join(SPEC),
        "--json",
        str(path),
    )
    assert json.loads(again.stdout)["skipped"] == total  # nothing redone, nothing lost


def test_cli_extract_contains_every_failure(plugin: Path, tmp_path: Path) -> None:
    path, failing, total = _write(tmp_path)
    done = _warta(plugin, "extract", "-j", "2", "--pipeline", ",".join(SPEC), str(path))
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    printed = {json.loads(line)["source"] for line in done.stdout.splitlines()}
    for line in range(1, total + 1):
        source = f"{path}:{line}"
        if line not in failing:
            assert source in printed
            continue
        reason, _ = failing[line]
        if reason == "store_error":  # extract has no store: that page is fine here
            assert source in printed
            continue
        assert f"warta: error: {source}: {reason}: " in done.stderr, (line, done.stderr)


def test_python_api_contains_every_failure(on_path: Path, tmp_path: Path) -> None:
    path, failing, total = _write(tmp_path)
    db = str(tmp_path / "w.db")
    _refusing_store(db)
    with open_store(db) as store:
        report = ingest([str(path)], store, spec=SPEC)
    assert report.pages == total and report.failed_total + report.partial >= len(failing)
    _check_store(db, path, failing, total)


def test_rest_api_contains_every_failure(on_path: Path, tmp_path: Path) -> None:
    records, failing = _batch()
    db = str(tmp_path / "w.db")
    _refusing_store(db)
    body = {
        "pages": [
            {"text": r["text"], "source": f"p:{n}", "url": r["url"]}
            if "url" in r
            else {"text": "x" * 70_000, "source": f"p:{n}"}
            for n, r in enumerate(records, start=1)
        ]
    }
    reader_line = next(n for n, r in enumerate(records, start=1) if "url" not in r)
    failing[reader_line] = ("too_large", "limit")  # the size check is the API's reader
    with client_for(
        db, api_key=KEY, ingest_pipeline=SPEC, max_page_bytes=60_000, max_ingest_items=100
    ) as client:
        answer = client.post("/v1/ingest/pages", json=body, headers={"X-API-Key": KEY})
        assert answer.status_code == 200, answer.text
        assert unexpected(client) == []
    pages = answer.json()["pages"]
    assert [p["index"] for p in pages] == list(range(len(records)))
    for n, page in enumerate(pages, start=1):
        if n not in failing:
            assert page["outcome"] == "new" and not page["reason"], page
            continue
        reason, word = failing[n]
        assert page["reason"] == reason and word in page["message"], page
        assert page["outcome"] == (
            "new" if reason == "stage_failed" and page["article_id"] else "failed"
        )
    with open_store(db) as store:
        listed = {(f.source, f.reason) for f in store.failures(limit=1000)}
    assert {(f"p:{n}", r) for n, (r, _) in failing.items()} <= listed


def test_a_worker_killed_on_one_page_costs_only_that_page(plugin: Path, tmp_path: Path) -> None:
    rows = detik_rows()[:40]
    records = [
        {"text": page_text(r, extra="TOYDIE" if n == 21 else ""), "url": r["tautan"]}
        for n, r in enumerate(rows, start=1)
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    db = str(tmp_path / "w.db")
    spec = "read.decode.v1,clean.plaintext.v1,toy.die.v1,finalize.identity.v1"
    done = _warta(plugin, "ingest", "-q", "-j", "2", "--db", db, "--pipeline", spec, str(path))
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    _check_store(db, path, {21: ("worker_died", "died")}, len(records))


def test_a_10_mb_single_line_page_is_refused_fast(tmp_path: Path) -> None:
    """Before: 33 s and 525 MB, then ``time_limit``. Now: ``too_complex`` before any stage."""
    import gzip
    import time

    from warta.readers.text import Page
    from warta.run.executors.local import LocalExecutor

    rows = detik_rows()[:400]
    line = " ".join(" ".join(r["isi_berita"].split()) for r in rows)
    line = (line * (10_000_000 // len(line) + 1))[:10_000_000]
    plain = tmp_path / "dump.txt"
    plain.write_text(line, encoding="utf-8")
    zipped = tmp_path / "dump.txt.gz"
    zipped.write_bytes(gzip.compress(line.encode("utf-8"), compresslevel=1))
    fine = tmp_path / "page.txt"
    fine.write_text(page_text(rows[0]), encoding="utf-8")
    minified = Page(
        source="min.html", data=b"<html><body><p>" + b"kata " * 60_000 + b"</p></body></html>"
    )

    executor = LocalExecutor(("read.decode.v1", "clean.plaintext.v1", "finalize.identity.v1"))
    pages = [
        Page(source=str(plain), data=plain.read_bytes()),
        Page(source=str(zipped), data=zipped.read_bytes()),
        Page(source="json:1", text=line),
    ]
    started = time.monotonic()
    out = list(executor.run(pages))
    elapsed = time.monotonic() - started
    assert [a.errors[0].reason for a in out] == ["too_complex"] * 3
    assert "without a line break" in out[0].errors[0].message
    assert elapsed < 2.0, elapsed  # three 10 MB pages: milliseconds each on a quiet machine
    # an ordinary page and one-line minified HTML are not refused
    (ok, html) = executor.run([Page(source=str(fine), data=fine.read_bytes()), minified])
    assert not ok.errors and ok.body
    assert not any(e.reason == "too_complex" for e in html.errors)

    done = _warta(tmp_path, "extract", str(plain), str(fine))
    assert done.returncode == 1 and "too_complex" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stdout.splitlines()) == 1  # the ordinary page
