"""The worker processes of ``warta ingest -j 2`` never outlive their ingest: not after a kill -9
of the parent (nothing else tells them; each watches its parent), and not after a SIGTERM (the
parent stops them; a worker itself dies on SIGTERM instead of ignoring it)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from test_ingest import detik_rows, page_text, write_jsonl

from conftest import ROOT

#: how long a worker may outlive its parent (it checks every 0.5 s)
GRACE_S = 3.0


def _state(pid: int) -> str | None:
    """The process state letter, or None when there is no such process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return None
    return stat.rpartition(b")")[2].split()[0].decode()


def _gone(pid: int) -> bool:
    return _state(pid) in (None, "Z", "X")  # a zombie runs no code: it only waits to be reaped


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_bytes()
            except OSError:
                continue
            if int(stat.rpartition(b")")[2].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def _wait(check: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


def _start(tmp_path: Path) -> tuple[subprocess.Popen[bytes], list[int]]:
    """``warta ingest -j 2`` on enough pages to keep it busy, once its workers are running."""
    rows = detik_rows()[:400]
    source = write_jsonl(
        tmp_path / "pages.jsonl", [{"url": r["tautan"], "text": page_text(r)} for r in rows]
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "warta.cli",
            "ingest",
            "-q",
            "-j",
            "2",
            "--db",
            str(tmp_path / "w.db"),
            str(source),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    workers: list[int] = []

    def started() -> bool:
        workers[:] = [pid for pid in _children(proc.pid) if not _gone(pid)]
        return len(workers) >= 2

    assert _wait(started, 120), "the workers did not start"
    time.sleep(1.0)  # let them take work
    return proc, workers


def test_workers_do_not_outlive_a_parent_killed_with_kill_9(tmp_path: Path) -> None:
    proc, workers = _start(tmp_path)
    proc.kill()  # SIGKILL: the parent runs no code at all
    proc.wait(timeout=10)
    killed_at = time.monotonic()
    try:
        assert _wait(lambda: all(_gone(pid) for pid in workers), GRACE_S), [
            (pid, _state(pid)) for pid in workers
        ]
    finally:
        for pid in workers:  # never leave a worker behind, even when the test fails
            if not _gone(pid):
                os.kill(pid, signal.SIGKILL)
    assert time.monotonic() - killed_at < GRACE_S + 0.5


def test_sigterm_stops_the_ingest_and_its_workers(tmp_path: Path) -> None:
    proc, workers = _start(tmp_path)
    proc.terminate()
    try:
        proc.wait(timeout=15)
        assert _wait(lambda: all(_gone(pid) for pid in workers), GRACE_S)
    finally:
        for pid in [proc.pid, *workers]:
            if not _gone(pid):
                os.kill(pid, signal.SIGKILL)
    assert proc.returncode == 130
    assert proc.stderr is not None and b"Traceback" not in proc.stderr.read()


def test_a_worker_dies_on_sigterm(tmp_path: Path) -> None:
    proc, workers = _start(tmp_path)
    try:
        os.kill(workers[0], signal.SIGTERM)
        assert _wait(lambda: _gone(workers[0]), GRACE_S), _state(workers[0])
    finally:
        proc.kill()
        proc.wait(timeout=10)
        for pid in workers:
            if not _gone(pid):
                os.kill(pid, signal.SIGKILL)
