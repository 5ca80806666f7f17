"""The layers of docs/ARCHITECTURE.md, checked on the source: every part of warta imports only
the parts its layer may use, no two parts import each other (directly or round a loop), and no
module-level import cycle exists anywhere.

A part is a package under src/warta (readers, clean, meta, nlp, store, server, ...) or, inside
the packages that gather small parts (core, run, export), one of their modules (core.record,
run.pipeline, ...). A new part must be given its place in ``ALLOWED`` — the test
fails on a part it does not know — so the layering is decided, not drifted into.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "warta"

#: packages whose modules are parts of their own (core.record, run.ingest, export.gdelt, ...)
SPLIT = {"core", "run", "export"}

CORE = {
    "core",
    "warta",
    "core.errors",
    "core.record",
    "core.stage",
    "core.registry",
    "core.serialize",
    "core.extras",
    "core.diskcache",
    "core.disktable",
    "core.plugins",
    "lang",
}
PAGE = CORE | {"readers", "clean", "meta", "nlp", "run.finalize"}
RUN = PAGE | {
    "run.pipeline",
    "run.executors",
    "run.multipage",
    "run.ingest_sources",
    "run.ingest_templates",
    "run.ingest",
    "store",
    "corpus",
}
SURFACE_BASE = RUN | {"api", "export.tables", "export.gdelt", "crawl", "alerts"}

#: part -> the parts it may import (besides itself)
ALLOWED: dict[str, set[str]] = {
    # the record and stage core: nothing above it
    "core": set(),
    "core.errors": set(),
    "core.record": {"core.errors"},
    "core.serialize": {"core.errors", "core.record"},
    "core.stage": {"core.errors", "core.record"},
    "core.registry": {"core.errors", "core.stage", "core.plugins"},
    "core.extras": {"core.errors"},  # which optional dependency brings what
    "core.diskcache": {"warta"},  # compiled rules and indexes cached on disk
    "core.disktable": {"core.diskcache"},  # big lookup tables on disk, read a key at a time
    "core.plugins": {"core.diskcache"},  # the entry-point groups, cached per installation
    "lang": {"core.diskcache"},
    "warta": set(),
    # derived data kept between runs (compiled rules, parsed data files); needs the version
    # turning one page into a record (readers, clean/meta, nlp)
    "readers": CORE | {"clean", "meta"},
    "clean": CORE,
    "meta": CORE | {"clean"},
    "nlp": CORE | {"clean", "meta"},
    # running stages over pages
    "run": set(),
    "run.finalize": CORE,
    "run.pipeline": CORE | {"readers"},
    "run.executors": CORE | {"readers", "run.pipeline"},
    "run.multipage": CORE,
    "run.ingest_sources": CORE | {"readers", "run.multipage"},
    "run.ingest_templates": CORE | {"clean", "store"},  # the templates stage's learner <-> store
    "run.ingest": CORE
    | {
        "readers",
        "run.pipeline",
        "run.executors",
        "run.multipage",
        "run.ingest_sources",
        "run.ingest_templates",
        "store",
        "corpus",
        "alerts",
    },
    # keeping records, and the passes over them
    "store": CORE | {"nlp"},  # names are resolved through the gazetteer
    "corpus": CORE | {"store"},
    "alerts": CORE | {"store"},  # watches: saved searches, their feeds and webhooks
    "export": set(),
    "export.tables": CORE | {"store", "export.gdelt"},
    "export.gdelt": CORE | {"store"},
    "crawl": CORE | {"readers"},
    # language-model training text: read from a store, a Parquet dataset or pages through a pipeline
    "lmcorpus": CORE
    | {"readers", "meta", "run.pipeline", "run.executors", "run.ingest_sources", "store"},
    # surfaces
    "api": SURFACE_BASE,
    "cli": SURFACE_BASE | {"server", "lmcorpus"},  # one package, one module per command group
    "server": SURFACE_BASE | {"web"},
    "web": SURFACE_BASE,
}


def _module(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _part(module: str) -> str:
    bits = module.split(".")
    if len(bits) > 2 and bits[1] in SPLIT:
        return f"{bits[1]}.{bits[2]}"
    return bits[1] if len(bits) > 1 else "warta"


_FILES = {
    ".".join(
        p.relative_to(SRC.parent).with_suffix("").parts[:-1]
        if p.name == "__init__.py"
        else p.relative_to(SRC.parent).with_suffix("").parts
    )
    for p in SRC.rglob("*.py")
}


def _imports(path: Path, *, top_level_only: bool) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            # "from warta.store import names" imports the module warta.store.names
            found.update(
                f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in _FILES
            )
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return {m for m in found if m == "warta" or m.startswith("warta.")}


MODULES = {_module(p): p for p in sorted(SRC.rglob("*.py"))}


def test_every_part_has_a_place_in_the_layers() -> None:
    unknown = sorted({_part(m) for m in MODULES} - set(ALLOWED))
    assert unknown == [], f"give these parts a place in ALLOWED: {unknown}"


def test_every_part_imports_only_what_its_layer_may() -> None:
    problems = []
    for module, path in MODULES.items():
        mine = _part(module)
        for imported in _imports(path, top_level_only=False):
            theirs = _part(imported)
            if theirs != mine and theirs not in ALLOWED.get(mine, set()):
                problems.append(f"{module} imports {imported} ({mine} may not use {theirs})")
    assert problems == []


def test_the_allowed_directions_have_no_loop() -> None:
    """Two parts never may use each other, directly or round a loop."""
    seen: dict[str, int] = {}

    def visit(part: str, trail: list[str]) -> None:
        if seen.get(part) == 2:
            return
        assert seen.get(part) != 1, f"a loop among parts: {' -> '.join([*trail, part])}"
        seen[part] = 1
        for other in sorted(ALLOWED.get(part, set()) - {part}):
            visit(other, [*trail, part])
        seen[part] = 2

    for part in sorted(ALLOWED):
        visit(part, [])


def test_no_module_level_import_cycle() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for module, path in MODULES.items():
        for imported in _imports(path, top_level_only=True):
            while imported not in MODULES and "." in imported:
                imported = imported.rsplit(".", 1)[0]  # "warta.x.Name" -> the module warta.x
            if imported in MODULES and imported != module:
                graph[module].add(imported)
    state: dict[str, int] = {}
    cycles: list[str] = []

    def visit(module: str, trail: list[str]) -> None:
        if state.get(module) == 2:
            return
        if state.get(module) == 1:
            cycles.append(" -> ".join([*trail[trail.index(module) :], module]))
            return
        state[module] = 1
        for other in sorted(graph[module]):
            visit(other, [*trail, module])
        state[module] = 2

    for module in sorted(MODULES):
        visit(module, [])
    assert cycles == [], cycles
