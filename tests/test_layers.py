"""Imports run one way (DESIGN.md): record/errors <- stage <- readers, clean, meta <- pipeline
<- executors <- api <- cli. A module importing against the flow fails here."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "warta"

# module prefix -> warta modules it must never import
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "warta.core.record": (
        "warta.core.stage",
        "warta.run.pipeline",
        "warta.clean",
        "warta.meta",
        "warta.readers",
        "warta.run.executors",
        "warta.api",
        "warta.cli",
    ),
    "warta.core.errors": ("warta.core.record", "warta.core.stage", "warta.run.pipeline", "warta.api", "warta.cli"),
    "warta.core.stage": (
        "warta.run.pipeline",
        "warta.clean",
        "warta.meta",
        "warta.readers",
        "warta.run.executors",
        "warta.api",
        "warta.cli",
    ),
    "warta.clean": (
        "warta.meta",  # meta reads what clean made; dates live in clean.dates for both
        "warta.run.pipeline",
        "warta.run.executors",
        "warta.api",
        "warta.cli",
        "warta.core.registry",
    ),
    "warta.meta": ("warta.run.pipeline", "warta.run.executors", "warta.api", "warta.cli", "warta.core.registry"),
    "warta.readers": ("warta.run.pipeline", "warta.run.executors", "warta.api", "warta.cli"),
    "warta.lang": ("warta.clean", "warta.meta", "warta.run.pipeline", "warta.api", "warta.cli"),
    "warta.run.finalize": ("warta.run.pipeline", "warta.run.executors", "warta.api", "warta.cli"),
    "warta.run.pipeline": ("warta.run.executors", "warta.api", "warta.cli"),
    "warta.run.executors": ("warta.api", "warta.cli"),
    "warta.api": ("warta.cli", "warta.server"),
    # the store sits beside the pipeline: it keeps records, it never makes them
    "warta.store": (
        "warta.run.pipeline",
        "warta.run.executors",
        "warta.api",
        "warta.cli",
        "warta.run.ingest",
        "warta.server",
        "warta.clean",
        "warta.readers",
    ),
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m for m in found if m.startswith("warta")}


def test_imports_run_one_way() -> None:
    problems = []
    for path in sorted(SRC.rglob("*.py")):
        module = _module_name(path)
        for prefix, banned in FORBIDDEN.items():
            if module == prefix or module.startswith(prefix + "."):
                for imported in _imports(path):
                    if any(imported == b or imported.startswith(b + ".") for b in banned):
                        problems.append(f"{module} imports {imported}")
    assert problems == []


def test_nothing_heavy_happens_at_import_time() -> None:
    """Importing the API and CLI loads no language data (workers load it in setup)."""
    import subprocess
    import sys

    code = (
        "import warta.api, warta.cli\n"
        "from warta.clean.knowledge import knowledge\n"
        "from warta.lang import load_toml\n"
        "assert knowledge.cache_info().currsize == 0\n"
        "assert load_toml.cache_info().currsize == 0\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
