"""`pip install warta` without extras: extraction, NLP, the SQLite store, search and exports to
JSON Lines/CSV work; what needs an extra says which one to install, never a traceback.

The optional packages are made unimportable in a child process (``sys.modules[name] = None``
makes ``import name`` fail as if it were not installed), so the real commands run as they would
on a minimal install."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from warta.core.extras import EXTRAS

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "src" / "warta" / "samples" / "kompas_seed_000_e34af48cd88e996e.txt"
OPTIONAL = sorted(
    {m for mods in EXTRAS.values() for m in mods}
    | {"starlette", "dask", "psycopg_binary", "pyarrow.parquet", "matplotlib.pyplot"}
)

_RUN = """
import sys
for name in {optional!r}:
    sys.modules[name] = None
sys.argv = ["warta", *{args!r}]
from warta.cli import main
main()
"""


def _minimal(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    code = _RUN.format(optional=OPTIONAL, args=list(args))
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=cwd
    )


def test_the_core_works_without_any_extra(tmp_path: Path) -> None:
    extracted = _minimal("extract", str(SAMPLE), cwd=tmp_path)
    assert extracted.returncode == 0, extracted.stderr
    record = json.loads(extracted.stdout)
    assert record["outlet"] and record["entities"], "the full pipeline ran"
    db = str(tmp_path / "w.db")
    ingested = _minimal("ingest", str(SAMPLE.parent), "--db", db, cwd=tmp_path)
    assert ingested.returncode == 0, ingested.stderr
    found = _minimal("search", "banjir", "--db", db, "--json", cwd=tmp_path)
    assert found.returncode == 0 and json.loads(found.stdout)["total"] >= 1, found.stderr
    exported = _minimal("export", "--db", db, "--format", "csv", "-o", str(tmp_path / "x"), cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert (tmp_path / "x" / "articles.csv").exists()


@pytest.mark.parametrize(
    ("args", "extra"),
    [
        (("serve",), "server"),
        (("ingest", "{sample}", "--db", "postgresql://nobody@127.0.0.1:9/none"), "postgres"),
        (("export", "--db", "{db}", "--format", "parquet", "-o", "{out}"), "parquet"),
        (("trends", "keyword:banjir", "--db", "{db}", "--plot", "{out}.svg"), "plot"),
        (("ingest", "{sample}", "--db", "{db}", "--executor", "dask"), "dask"),
    ],
)
def test_a_feature_of_an_extra_names_the_extra(
    args: tuple[str, ...], extra: str, tmp_path: Path
) -> None:
    db = str(tmp_path / "w.db")
    assert _minimal("ingest", str(SAMPLE), "--db", db, cwd=tmp_path).returncode == 0
    filled = [a.format(sample=SAMPLE, db=db, out=tmp_path / "out") for a in args]
    proc = _minimal(*filled, cwd=tmp_path)
    assert proc.returncode in (1, 2), proc.stdout + proc.stderr
    assert f"pip install 'warta[{extra}]'" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr


def test_every_extra_is_declared_and_all_holds_them() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    for name in EXTRAS:
        assert name in extras, f"extra {name} used in warta.core.extras but not declared"
    assert set(EXTRAS) <= set(extras["all"][0].split("[")[1].rstrip("]").split(","))
    core = " ".join(project["dependencies"]).lower()
    for mods in EXTRAS.values():
        for module in mods:
            assert module.replace("_", "-") not in core, f"{module} is an extra, not a core dependency"
