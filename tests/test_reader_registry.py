"""The reader registry: adding a format is one module and one registration, with real files.

A toy format (tab-separated ``url<TAB>text`` lines, one page each) is added the two documented
ways: :func:`warta.readers.registry.register` in this process, and an entry point in a
throwaway installed distribution that a fresh interpreter discovers.
"""

from __future__ import annotations

import ast
import io
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from warta.core.errors import MalformedRecord
from warta.readers import registry
from warta.readers.base import Item, Page, Reader, ReadFailure, os_failure
from warta.readers.walk import iter_pages

SRC = Path(__file__).resolve().parents[1] / "src" / "warta"


class ToyReader(Reader):
    """``*.toy`` files, or any input starting with ``#toy``: one page per ``url<TAB>text`` line."""

    name = "toy"
    suffixes = (".toy",)

    def sniff(self, name: str, head: bytes) -> float:
        return 1.0 if head.startswith(b"#toy\n") else 0.0

    def read(self, path: str, info: os.stat_result, max_bytes: int) -> Iterator[Item]:
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            yield os_failure(path, exc)
            return
        yield from self._pages(data, path)

    def read_bytes(self, page: Page, max_bytes: int) -> Iterator[Item]:
        yield from self._pages(page.data or b"", page.source)

    def _pages(self, data: bytes, source: str) -> Iterator[Item]:
        for number, line in enumerate(data.decode("utf-8").splitlines(), start=1):
            if not line or line.startswith("#"):
                continue
            url, sep, text = line.partition("\t")
            if not sep:
                error = MalformedRecord(f"line {number}: no tab", source=source)
                yield ReadFailure(f"{source}:{number}", error)
                continue
            yield Page(source=f"{source}:{number}", text=text, url=url)


def _chosen(name: str) -> str | None:
    """The name of the reader that takes a file called ``name`` unread."""
    reader = registry.for_name(name)
    return reader.name if reader is not None else None


@pytest.fixture
def toy() -> Iterator[ToyReader]:
    reader = ToyReader()
    registry.register(reader)
    try:
        yield reader
    finally:
        registry.unregister(reader.name)


TOY = b"#toy\nhttps://a.example/1\tSatu dua tiga.\nno tab here\nhttps://a.example/2\tEmpat lima.\n"


def test_builtin_formats_are_registered_through_entry_points() -> None:
    assert {"csv", "feed", "jsonl", "page", "warc"} <= set(registry.reader_names())
    assert _chosen("x.WARC.GZ") == "warc"
    assert _chosen("x.ndjson") == "jsonl"
    assert _chosen("x.html") is None  # content decides


def test_a_registered_reader_reads_its_files_in_a_folder_walk(
    tmp_path: Path, toy: ToyReader
) -> None:
    (tmp_path / "a.toy").write_bytes(TOY)
    (tmp_path / "b.txt").write_text("Sebuah halaman biasa.\n", encoding="utf-8")
    items = list(iter_pages([str(tmp_path)]))
    assert [item.source for item in items] == [
        f"{tmp_path}/a.toy:2",
        f"{tmp_path}/a.toy:3",
        f"{tmp_path}/a.toy:4",
        f"{tmp_path}/b.txt",
    ]
    first, bad, second, plain = items
    assert isinstance(first, Page) and first.text == "Satu dua tiga."
    assert first.url == "https://a.example/1"
    assert isinstance(bad, ReadFailure) and bad.error.message == "line 3: no tab"
    assert isinstance(second, Page) and second.url == "https://a.example/2"
    assert isinstance(plain, Page) and plain.data == b"Sebuah halaman biasa.\n"


def test_without_the_reader_the_same_file_is_one_page(tmp_path: Path) -> None:
    path = tmp_path / "a.toy"
    path.write_bytes(TOY)
    items = list(iter_pages([str(path)]))
    assert len(items) == 1 and isinstance(items[0], Page) and items[0].data == TOY


def test_content_sniffing_picks_the_reader_for_any_name_and_stdin(
    tmp_path: Path, toy: ToyReader
) -> None:
    path = tmp_path / "export.dat"
    path.write_bytes(TOY)
    assert [item.source for item in iter_pages([str(path)])] == [
        f"{path}:2",
        f"{path}:3",
        f"{path}:4",
    ]
    items = list(iter_pages(["-"], stdin=io.BytesIO(TOY)))
    assert [item.source for item in items] == ["<stdin>:2", "<stdin>:3", "<stdin>:4"]


def test_the_longest_suffix_wins(tmp_path: Path) -> None:
    class GzipToy(ToyReader):
        name = "gztoy"
        suffixes = (".gz",)

    registry.register(GzipToy())
    try:
        assert _chosen("a.gz") == "gztoy"
        assert _chosen("a.jsonl.gz") == "jsonl"
        assert _chosen("a.warc.gz") == "warc"
    finally:
        registry.unregister("gztoy")
    assert _chosen("a.gz") is None


def test_register_refuses_what_is_not_a_reader() -> None:
    with pytest.raises(registry.ReaderError, match="not a warta Reader"):
        registry.register(object())  # type: ignore[arg-type]


def _distribution(root: Path, entry_point: str, module: str) -> dict[str, str]:
    """A throwaway installed distribution under ``root``: a module and its entry point."""
    (root / "toy_plugin.py").write_text(textwrap.dedent(module), encoding="utf-8")
    info = root / "toy_plugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: toy-plugin\nVersion: 0.1\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(f"[warta.readers]\n{entry_point}\n", encoding="utf-8")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    return env


PLUGIN = """
    from warta.readers.base import Page, Reader

    class ToyReader(Reader):
        name = "toy"
        suffixes = (".toy",)

        def read(self, path, info, max_bytes):
            with open(path, encoding="utf-8") as handle:
                for number, line in enumerate(handle, start=1):
                    url, _, text = line.rstrip("\\n").partition("\\t")
                    yield Page(source=f"{path}:{number}", text=text, url=url)

    class NotAReader:
        name = "toy"
"""


def test_an_installed_plugin_is_found_through_its_entry_point(tmp_path: Path) -> None:
    plugin = tmp_path / "site"
    plugin.mkdir()
    env = _distribution(plugin, "toy = toy_plugin:ToyReader", PLUGIN)
    page = tmp_path / "pages.toy"
    page.write_text("https://b.example/x\tTeks halaman.\n", encoding="utf-8")
    code = (
        "import sys\n"
        "from warta.readers.registry import reader_names\n"
        "from warta.readers.walk import iter_pages\n"
        "print(reader_names())\n"
        "for item in iter_pages([sys.argv[1]]):\n"
        "    print(item.source, item.url, item.text)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(page)], env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "['csv', 'feed', 'jsonl', 'page', 'toy', 'warc']",
        f"{page}:1 https://b.example/x Teks halaman.",
    ]


@pytest.mark.parametrize(
    ("entry_point", "message"),
    [
        ("toy = toy_plugin:Missing", "reader 'toy' (toy_plugin:Missing) does not load"),
        ("toy = toy_plugin:NotAReader", "entry point 'toy' (toy_plugin:NotAReader) is not a"),
        ("other = toy_plugin:ToyReader", "entry point 'other' names a reader called 'toy'"),
    ],
)
def test_a_broken_plugin_is_named(tmp_path: Path, entry_point: str, message: str) -> None:
    env = _distribution(tmp_path, entry_point, PLUGIN)
    code = (
        "from warta.readers.registry import ReaderError, readers\n"
        "from warta.readers.walk import iter_pages\n"
        "try:\n"
        "    readers()\n"
        "except ReaderError as exc:\n"
        "    print(exc.one_line())\n"
        "for item in iter_pages(['page.html', '-']):\n"  # each input fails, named
        "    print(item.error.one_line())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == 3 and message in lines[0]
    assert lines[1] == f"page.html: {lines[0]}" and lines[2] == f"<stdin>: {lines[0]}"


def test_choosing_a_reader_loads_no_heavy_library() -> None:
    """Every reader is loaded to be asked; the WARC library still waits for a WARC file."""
    code = (
        "import sys; from warta.readers.registry import readers; readers(); "
        "print('warta.readers.warc' in sys.modules, 'fastwarc' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# -- imports --------------------------------------------------------------------------------


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every warta module ``path`` imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("warta.")}


def _reader_graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in (SRC / "readers").rglob("*.py")}
    return {name: _imports(path) & modules.keys() - {name} for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each import cycle found by a depth-first walk, as the path that closes it."""
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    return cycles


def test_no_import_cycle_among_readers() -> None:
    graph = _reader_graph()
    assert "warta.readers.base" in graph and len(graph) >= 10
    assert _cycles(graph) == []


def test_the_cycle_check_sees_the_old_cycle() -> None:
    """The old layout: text imported warc inside a function, warc imported text back."""
    graph = {
        "warta.readers.text": {"warta.readers.warc"},
        "warta.readers.warc": {"warta.readers.text"},
        "warta.readers.feeds": set(),
    }
    assert _cycles(graph) == [["warta.readers.text", "warta.readers.warc", "warta.readers.text"]]


def test_readers_import_only_what_lies_below_them() -> None:
    banned = (
        "warta.run.pipeline",
        "warta.run.executors",
        "warta.api",
        "warta.cli",
        "warta.run.ingest",
        "warta.server",
        "warta.store",
        "warta.crawl",
        "warta.core.registry",
    )
    problems = [
        f"{_module_name(path)} imports {name}"
        for path in sorted((SRC / "readers").rglob("*.py"))
        for name in _imports(path)
        if any(name == b or name.startswith(b + ".") for b in banned)
    ]
    assert problems == []


def test_base_imports_no_other_reader() -> None:
    assert _reader_graph()["warta.readers.base"] == set()
