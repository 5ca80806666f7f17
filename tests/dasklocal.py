"""A Dask cluster as separate local processes for the tests (a scheduler and two workers on
127.0.0.1, each worker under its nanny), and toy stage plugins the workers can import."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DASK = shutil.which("dask", path=str(Path(sys.executable).parent)) or shutil.which("dask")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def write_plugin(folder: Path, module: str, source: str, stages: Mapping[str, str]) -> Path:
    """A distribution in ``folder`` whose module ``module`` (``source``) registers ``stages``
    (stage name -> class name) under the ``warta.stages`` entry points."""
    (folder / f"{module}.py").write_text(source, encoding="utf-8")
    dist = module.replace("_", "-")
    info = folder / f"{module}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 0.1\n")
    points = "".join(f"{name} = {module}:{cls}\n" for name, cls in stages.items())
    (info / "entry_points.txt").write_text("[warta.stages]\n" + points)
    return folder


def cluster_env(plugin: Path, allowed_failures: int) -> dict[str, str]:
    """The environment of the cluster's processes: the plugin and warta importable, and how
    many worker deaths under one task the scheduler allows before it gives the task up."""
    paths = [str(plugin), str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(p for p in paths if p),
        "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": str(allowed_failures),
    }


@contextmanager
def local_cluster(plugin: Path, *, allowed_failures: int, names: tuple[str, str]) -> Iterator[str]:
    """A scheduler and two workers as processes; yields the scheduler's address."""
    if DASK is None:
        pytest.fail("dask's command line is not installed (dask[distributed] is a test dependency)")
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = cluster_env(plugin, allowed_failures)
    quiet = {"env": env, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    procs = [
        subprocess.Popen(
            [DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            **quiet,  # type: ignore[call-overload]
        )
    ]
    try:
        for name in names:
            procs.append(
                subprocess.Popen(
                    [DASK, "worker", address, "--nthreads", "1", "--name", name, "--no-dashboard"],
                    **quiet,  # type: ignore[call-overload]
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
