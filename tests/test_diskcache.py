"""The disk cache of what start-up derives from the package data (warta.core.diskcache): entries are
rebuilt when the data they came from changes, processes building them at once all succeed
and leave a whole entry, a cached regex is the regex ``re`` compiles, and the lazily loaded
commands of the CLI are the commands their modules register."""

from __future__ import annotations

import importlib
import json
import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from warta.core import diskcache, disktable

ROOT = Path(__file__).resolve().parents[1]

_GAZETTEER = """
[[entity]]
name = "Zorbania"
type = "PLACE"
aliases = ["Zorbania"]
"""

# Loads the toy language's linker in a fresh interpreter and says which names it knows and
# which cache files exist (WARTA_CACHE_DIR and WARTA_LANG_PATH come from the environment).
_LINKER_SCRIPT = """
import json, os, sys
from pathlib import Path
from warta.nlp.linking import Linker
linker = Linker.load("zz")
names = sorted(e.name for e in linker.entities)
files = sorted(p.name for p in Path(os.environ["WARTA_CACHE_DIR"]).glob("linker-zz-*.pickle"))
print(json.dumps({"names": names, "files": files}))
"""


def _toy_language(root: Path, gazetteer: str) -> None:
    toy = root / "zz"
    toy.mkdir(parents=True, exist_ok=True)
    (toy / "language.toml").write_text('name = "Toy"\norder = 99\n', encoding="utf-8")
    (toy / "gazetteer.toml").write_text(gazetteer, encoding="utf-8")


def _run(script: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _result(proc: subprocess.Popen[str]) -> dict[str, list[str]]:
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    result: dict[str, list[str]] = json.loads(out.splitlines()[-1])
    return result


def test_the_linker_cache_is_rebuilt_when_the_language_data_changes(tmp_path: Path) -> None:
    langs, cache = tmp_path / "lang", tmp_path / "cache"
    _toy_language(langs, _GAZETTEER)
    env = {**os.environ, "WARTA_LANG_PATH": str(langs), "WARTA_CACHE_DIR": str(cache)}

    first = _result(_run(_LINKER_SCRIPT, env))
    assert first["names"] == ["Zorbania"]
    assert len(first["files"]) == 1
    again = _result(_run(_LINKER_SCRIPT, env))  # read from the cache: the same entry
    assert again == first

    more = (
        _GAZETTEER + '\n[[entity]]\nname = "Quellport"\ntype = "PLACE"\naliases = ["Quellport"]\n'
    )
    _toy_language(langs, more)
    changed = _result(_run(_LINKER_SCRIPT, env))
    assert changed["names"] == ["Quellport", "Zorbania"]  # the new data, not the stale entry
    assert len(changed["files"]) == 1 and changed["files"] != first["files"]  # stale removed


def test_the_same_data_in_another_folder_keeps_the_cache_entry(tmp_path: Path) -> None:
    """Two checkouts of the same data (in different folders) share one entry: keyed by the
    folder's path, each run of one rebuilt what a run of the other had just replaced."""
    cache = tmp_path / "cache"
    here, there = tmp_path / "here" / "lang", tmp_path / "there" / "lang"
    _toy_language(here, _GAZETTEER)
    _toy_language(there, _GAZETTEER)
    env = {**os.environ, "WARTA_CACHE_DIR": str(cache)}
    first = _result(_run(_LINKER_SCRIPT, {**env, "WARTA_LANG_PATH": str(here)}))
    entry = cache / first["files"][0]
    built = entry.stat().st_mtime_ns
    other = _result(_run(_LINKER_SCRIPT, {**env, "WARTA_LANG_PATH": str(there)}))
    assert other == first
    assert entry.stat().st_mtime_ns == built  # read, not written again
    _toy_language(there, _GAZETTEER + "\n# a change\n")
    changed = _result(_run(_LINKER_SCRIPT, {**env, "WARTA_LANG_PATH": str(there)}))
    assert changed["files"] != first["files"]  # other bytes: another entry


def test_processes_building_the_cache_at_once_all_succeed(tmp_path: Path) -> None:
    langs, cache = tmp_path / "lang", tmp_path / "cache"
    _toy_language(langs, _GAZETTEER)
    env = {**os.environ, "WARTA_LANG_PATH": str(langs), "WARTA_CACHE_DIR": str(cache)}
    procs = [_run(_LINKER_SCRIPT, env) for _ in range(4)]
    results = [_result(p) for p in procs]
    assert all(r["names"] == ["Zorbania"] for r in results)
    entries = list(cache.glob("linker-zz-*.pickle"))
    assert len(entries) == 1
    with entries[0].open("rb") as fh:
        linker = pickle.load(fh)  # a whole, readable entry: no half-written file
    assert [e.name for e in linker.entities] == ["Zorbania"]
    assert not list(cache.glob("*.tmp"))  # no temporary file left behind


def test_cached_rebuilds_on_a_new_key_and_removes_the_stale_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(diskcache.ENV, str(tmp_path))
    data = tmp_path / "data.txt"
    data.write_text("one", encoding="utf-8")
    built: list[str] = []

    def build() -> str:
        built.append(data.read_text(encoding="utf-8"))
        return built[-1]

    key = diskcache.data_hash([data])
    assert diskcache.cached("toy", key, build) == "one"
    assert diskcache.cached("toy", key, build) == "one"
    assert built == ["one"]  # the second call read the entry

    data.write_text("two", encoding="utf-8")
    new_key = diskcache.data_hash([data])
    assert new_key != key
    assert diskcache.cached("toy", new_key, build) == "two"
    assert built == ["one", "two"]
    assert [p.name for p in tmp_path.glob("toy-*.pickle")] == [
        diskcache.entry_path("toy", new_key).name  # type: ignore[union-attr]
    ]


def test_a_damaged_entry_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(diskcache.ENV, str(tmp_path))
    path = diskcache.entry_path("toy", "k" * 24)
    assert path is not None
    path.write_bytes(b"not a pickle")
    assert diskcache.cached("toy", "k" * 24, lambda: 42) == 42
    assert diskcache.cached("toy", "k" * 24, lambda: 0) == 42


def test_the_cache_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(diskcache.ENV, "off")
    assert diskcache.cache_dir() is None
    assert diskcache.cached("toy", "k", lambda: 7) == 7


@pytest.mark.parametrize(
    ("pattern", "flags"),
    [
        (r"(?P<day>\d{1,2})\s+(?P<month>jan|feb)(?!\w)", re.IGNORECASE),
        (r"(?<!\w)(?:kata|ujar)\b|(?P<q>[\"“])", 0),
        (r"(?i:wib)|\W(?=(?:pagi|siang))", re.ASCII),
    ],
)
def test_a_cached_regex_is_the_regex_re_compiles(
    pattern: str, flags: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(diskcache.ENV, str(tmp_path))
    monkeypatch.setattr(diskcache, "_programs", diskcache._Programs())
    fresh = diskcache.compile(pattern, flags)
    diskcache.save_compiled()
    monkeypatch.setattr(diskcache, "_programs", diskcache._Programs())  # as a new process
    stored = diskcache.compile(pattern, flags)
    expected = re.compile(pattern, flags)
    for compiled in (fresh, stored):
        assert compiled == expected  # same text, flags and program
        assert compiled.groupindex == expected.groupindex
        text = "Senin, 12 Jan pukul 10 WIB pagi, “kata” dia"
        assert [m.span() for m in compiled.finditer(text)] == [
            m.span() for m in expected.finditer(text)
        ]
    assert diskcache._programs.added is False  # the second one came from the disk


def test_the_lazy_commands_are_the_ones_their_modules_register() -> None:
    from warta.cli import LAZY_COMMANDS

    by_module: dict[str, set[str]] = {}
    for module in sorted(set(LAZY_COMMANDS.values())):
        group = click.Group("probe")
        importlib.import_module(f"warta.cli.{module}").register(group)
        by_module[module] = set(group.commands)
    expected = {name: module for module, names in by_module.items() for name in names}
    assert expected == LAZY_COMMANDS


def test_extracting_a_page_does_not_load_the_store() -> None:
    script = (
        "import sys\n"
        "from warta.cli import main\n"
        "sys.argv = ['warta', 'extract', '--pipeline', 'clean', '-']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m == 'warta.run.ingest' or m.startswith('warta.store')))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        input="KOMPAS.com - Harga beras naik di pasar.\n",
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "[]"


def test_the_place_index_from_the_disk_cache_is_the_one_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from warta.nlp import places

    monkeypatch.setenv(diskcache.ENV, str(tmp_path))
    built = places._build_places("id")
    places._places.cache_clear()
    try:
        first = places._places("id")  # builds and writes; this process keeps what it built
        assert len(list(tmp_path.glob("places-id-*.sqlite"))) == 1
        places._places.cache_clear()
        again = places._places("id")  # read back: tables read a row at a time
    finally:
        places._places.cache_clear()
    assert isinstance(again._names, disktable.DiskTable)
    # asked before anything is read in full: the lazy lookups give what the built index gives
    for name in ("Bandung", "Kota Bandung", "Jabar", "Rusia", "Sulteng", "Nowhere At All"):
        assert again.lookup(name) == built.lookup(name)
    assert [r.code for r in again.find("Sulteng")] == [r.code for r in built.find("Sulteng")]
    for index in (first, again):
        assert dict(index._names) == dict(built._names)
        assert dict(index._by_code) == dict(built._by_code)
        assert list(index._by_code) == list(built._by_code)  # the same order
        assert (index._cues, index._level_words, index._max_cue) == (
            built._cues,
            built._level_words,
            built._max_cue,
        )
    assert len(again._names) > 10_000
    assert again.lookup("Bandung") != []


# Builds (or reads) a table file from the toy language's gazetteer text and says what it holds
# and which files exist (WARTA_CACHE_DIR and WARTA_LANG_PATH come from the environment).
_TABLE_SCRIPT = """
import json, os
from pathlib import Path
from warta.core import diskcache, disktable
source = Path(os.environ["WARTA_LANG_PATH"]) / "zz" / "gazetteer.toml"
text = source.read_text(encoding="utf-8")
def build():
    lines = [line for line in text.splitlines() if line]
    return {"lines": [(str(i), line) for i, line in enumerate(lines)]}
tables = disktable.cached_tables("lines-zz", diskcache.data_hash([source]), build, {"lines": str})
files = sorted(p.name for p in Path(os.environ["WARTA_CACHE_DIR"]).glob("lines-zz-*.sqlite"))
print(json.dumps({"lines": list(tables["lines"].values()), "files": files}))
"""


def test_a_table_file_is_rebuilt_when_its_data_changes_and_survives_concurrent_builders(
    tmp_path: Path,
) -> None:
    langs, cache = tmp_path / "lang", tmp_path / "cache"
    _toy_language(langs, _GAZETTEER)
    env = {**os.environ, "WARTA_LANG_PATH": str(langs), "WARTA_CACHE_DIR": str(cache)}
    expected = [line for line in _GAZETTEER.splitlines() if line]

    procs = [_run(_TABLE_SCRIPT, env) for _ in range(4)]  # four processes build at once
    results = [_result(p) for p in procs]
    assert all(r["lines"] == expected for r in results)
    assert all(len(r["files"]) == 1 for r in results)  # one file (others may be mid-build)
    assert not list(cache.glob("*.tmp"))
    again = _result(_run(_TABLE_SCRIPT, env))  # read from the file
    assert again == results[0]

    _toy_language(langs, _GAZETTEER + 'aliases = ["Quellport"]\n')
    changed = _result(_run(_TABLE_SCRIPT, env))
    assert changed["lines"] == [*expected, 'aliases = ["Quellport"]']  # the new data
    assert len(changed["files"]) == 1 and changed["files"] != again["files"]  # stale removed


def test_a_damaged_table_file_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(diskcache.ENV, str(tmp_path))
    calls: list[int] = []

    def build() -> dict[str, list[tuple[str, int]]]:
        calls.append(1)
        return {"t": [("a", 1), ("b", 2)]}

    tables = disktable.cached_tables("toy", "k" * 64, build, {"t": int})
    assert tables is not None and dict(tables["t"]) == {"a": 1, "b": 2}
    (entry,) = tmp_path.glob("toy-*.sqlite")
    entry.write_bytes(b"not a database")
    tables = disktable.cached_tables("toy", "k" * 64, build, {"t": int})
    assert tables is not None and tables["t"]["b"] == 2 and "c" not in tables["t"]
    assert len(calls) == 2
    monkeypatch.setenv(diskcache.ENV, "off")
    assert disktable.cached_tables("toy", "k" * 64, build, {"t": int}) is None


_TOML_SCRIPT = """
import json, os, tomllib
from pathlib import Path
from warta.lang import load_toml
table = load_toml("zz", "gazetteer")
text = (Path(os.environ["WARTA_LANG_PATH"]) / "zz" / "gazetteer.toml").read_text(encoding="utf-8")
files = sorted(p.name for p in Path(os.environ["WARTA_CACHE_DIR"]).glob("toml-zz-gazetteer-*"))
print(json.dumps({"same": table == tomllib.loads(text), "table": table, "files": files}))
"""


def test_language_tables_are_read_from_the_cache_and_follow_their_file(tmp_path: Path) -> None:
    """A parsed TOML table is kept in the disk cache: a second process reads the entry (the
    table parsing gives), and a changed file gives its new table and replaces the entry."""
    langs, cache = tmp_path / "lang", tmp_path / "cache"
    _toy_language(langs, _GAZETTEER)
    env = {**os.environ, "WARTA_LANG_PATH": str(langs), "WARTA_CACHE_DIR": str(cache)}
    first = _result(_run(_TOML_SCRIPT, env))
    assert first["same"] and len(first["files"]) == 1
    again = _result(_run(_TOML_SCRIPT, env))
    assert again == first
    _toy_language(langs, _GAZETTEER + '\n[[entity]]\nname = "Quellport"\ntype = "PLACE"\n')
    changed = _result(_run(_TOML_SCRIPT, env))
    assert changed["same"] and changed["table"] != first["table"]
    assert len(changed["files"]) == 1 and changed["files"] != first["files"]


_READERS_SCRIPT = """
import json
from warta.readers.registry import reader_names
print(json.dumps({"names": reader_names()}))
"""

_TOY_READER = """
from warta.readers.base import Reader

class ToyReader(Reader):
    name = "toy"
    suffixes = (".toy",)

    def read(self, path, info, max_bytes):
        return iter(())
"""


def test_entry_points_are_read_again_when_a_package_is_installed(tmp_path: Path) -> None:
    """The entry-point groups come from the disk cache while the installation is unchanged; a
    distribution added to a folder already on the path is found by the next process."""
    site, cache = tmp_path / "site", tmp_path / "cache"
    site.mkdir()
    env = {
        **os.environ,
        "WARTA_CACHE_DIR": str(cache),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")])),
    }
    before = _result(_run(_READERS_SCRIPT, env))
    assert "toy" not in before["names"] and "page" in before["names"]
    assert len(list(cache.glob("entry-points-*.pickle"))) == 1
    assert _result(_run(_READERS_SCRIPT, env)) == before  # read from the cache

    (site / "toy_reader_plugin.py").write_text(_TOY_READER, encoding="utf-8")
    info = site / "toy_reader_plugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: toy-reader-plugin\nVersion: 0.1\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        "[warta.readers]\ntoy = toy_reader_plugin:ToyReader\n", encoding="utf-8"
    )
    after = _result(_run(_READERS_SCRIPT, env))
    assert after["names"] == sorted([*before["names"], "toy"])
    assert len(list(cache.glob("entry-points-*.pickle"))) == 1  # the stale table replaced
