"""What a start-up derives from the package's data, kept on disk so the next run reads it.

A single-page run (``warta extract page.html``) would otherwise spend most of its time building
the same things every time: the compiled rule sets (a few hundred regular expressions), the
gazetteer's linker index, the NER model's attribute list, the Public Suffix List. Two kinds of
entry live in the user cache directory (``platformdirs.user_cache_dir("warta")`` when
platformdirs is installed, else ``$XDG_CACHE_HOME/warta`` or ``~/.cache/warta``;
``WARTA_CACHE_DIR`` overrides it, and ``WARTA_CACHE_DIR=off`` turns the cache off):

* :func:`cached` — a pickled object, its file named by what it is, warta's version and a hash
  of the data it was built from (:func:`data_hash` of the source files' bytes): a change to the
  package data names another file, so a stale entry is never read; it is rebuilt and the stale
  files of that name are removed.
* :func:`compile` — a regular expression whose compiled program (the code ``re`` would build)
  is kept in one table per Python version and warta version, keyed by the pattern text itself,
  so it cannot go stale; ``re`` then only wraps the stored program.

Every write goes to a temporary file in the same folder, then ``os.replace``: a reader sees the
old file or the new one, never half of one, so processes starting at once are safe (each may
build; the last rename wins; every file is whole). Any failure to read or write the cache falls
back to building in memory: the cache can make a run faster, never make it fail. Pickles are
read only from this user's own cache folder.
"""

from __future__ import annotations

import atexit
import hashlib
import importlib
import marshal
import os
import pickle
import re
import sys
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["cache_dir", "cached", "compile", "data_hash", "replacing"]

T = TypeVar("T")

#: The environment variable naming the cache folder ("off": no disk cache).
ENV = "WARTA_CACHE_DIR"
#: At most this many compiled programs are kept in the regex table (the package compiles ≈300).
MAX_PATTERNS = 4096


def _version() -> str:
    from warta import __version__

    return __version__


def cache_dir() -> Path | None:
    """The folder of the cache, or None when it is turned off."""
    value = os.environ.get(ENV)
    if value is not None:
        return None if value.strip().lower() in ("", "off", "0", "none") else Path(value)
    try:
        platformdirs: Any = importlib.import_module("platformdirs")
        return Path(platformdirs.user_cache_dir("warta"))
    except ImportError:
        base = os.environ.get("XDG_CACHE_HOME")
        if not base:
            try:
                base = str(Path.home() / ".cache")
            except RuntimeError:  # no home directory to be found: no disk cache
                return None
        return Path(base) / "warta"


def data_hash(sources: Iterable[bytes | str | Path]) -> str:
    """A SHA-256 over the bytes of ``sources`` (file paths are read; bytes and text are
    taken as they are), each prefixed by its length so no two lists hash alike."""
    h = hashlib.sha256()
    for source in sources:
        if isinstance(source, Path):
            data = source.read_bytes()
        elif isinstance(source, str):
            data = source.encode("utf-8")
        else:
            data = source
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


@contextmanager
def replacing(path: Path) -> Iterator[str]:
    """A temporary file beside ``path`` for the block to write; it becomes ``path`` in one
    rename when the block ends, and is removed if the block fails: a reader never sees half a
    file, and two processes writing the same entry leave one whole one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _write_atomic(path: Path, data: bytes) -> None:
    with replacing(path) as tmp, open(tmp, "wb") as fh:
        fh.write(data)


def entry_path(name: str, key: str) -> Path | None:
    """Where :func:`cached` keeps ``name`` built from data of hash ``key``."""
    folder = cache_dir()
    if folder is None:
        return None
    return folder / f"{name}-{_version()}-{key[:24]}.pickle"


def cached(name: str, key: str, build: Callable[[], T]) -> T:
    """``build()``, or what an earlier run stored for the same ``name``, warta version and data
    hash ``key``. A new entry replaces the stale ones of that name."""
    path = entry_path(name, key)
    if path is None:
        return build()
    try:
        with path.open("rb") as fh:
            value: T = pickle.load(fh)
        return value
    except FileNotFoundError:
        pass
    except Exception:  # noqa: BLE001 - a damaged or foreign entry is rebuilt
        pass
    value = build()
    try:
        _write_atomic(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        for old in path.parent.glob(f"{name}-*.pickle"):
            if old != path:
                try:
                    old.unlink()
                except OSError:
                    pass
    except Exception:  # noqa: BLE001 - an unwritable cache only costs the next run time
        pass
    return value


# -- compiled regular expressions ------------------------------------------------------------

#: pattern, flags, the code as machine words (``array("I")`` bytes: marshal reads one bytes
#: object, not one int object per word; ≈500,000 words in all made the table ≈15 ms to read),
#: groups, group index, index group
_Program = tuple[str, int, bytes, int, dict[str, int], tuple[str | None, ...]]


class _Programs:
    """The table of compiled programs: pattern text and flags -> what ``_sre.compile`` takes."""

    def __init__(self) -> None:
        self.table: dict[tuple[str, int], _Program] | None = None
        self.added = False
        self.path: Path | None = None

    def load(self) -> dict[tuple[str, int], _Program]:
        if self.table is None:
            self.table = {}
            folder = cache_dir()
            if folder is not None:
                py = "".join(map(str, sys.version_info[:3]))
                name = f"regex-py{py}-{_sre_magic()}-{_CODE.itemsize}-{_version()}.marshal2"
                self.path = folder / name
                try:
                    loaded = marshal.loads(self.path.read_bytes())
                    if isinstance(loaded, dict):
                        self.table = loaded
                except Exception:  # noqa: BLE001 - missing or damaged: start empty
                    pass
        return self.table

    def save(self) -> None:
        if not self.added or self.path is None or self.table is None:
            return
        self.added = False
        try:
            _write_atomic(self.path, marshal.dumps(self.table))
        except Exception:  # noqa: BLE001 - an unwritable cache only costs the next run time
            pass


def _sre() -> Any:
    """The regex engine's C module, which ``re`` itself hands compiled programs to."""
    return importlib.import_module("re._compiler")._sre


def _sre_magic() -> int:
    return int(_sre().MAGIC)


#: The machine word of a regex program (``_sre.CODESIZE`` bytes: 4 on every CPython 3.11+).
_CODE = array("I")

_programs = _Programs()
atexit.register(_programs.save)


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:  # noqa: A001 - re's own name
    """``re.compile(pattern, flags)``, its program read from the disk cache when a run of this
    Python and warta version compiled it before (the pattern is the same object to ``re``:
    same text, flags and program)."""
    flags = int(flags)  # a RegexFlag is stored as the plain number
    table = _programs.load()
    program = table.get((pattern, flags))
    if program is not None:
        try:
            return _from_program(program)
        except Exception:  # noqa: BLE001 - a program this Python cannot take: compile anew
            pass
    try:
        program = _program(pattern, flags)
        compiled = _from_program(program)
    except Exception:  # noqa: BLE001 - re's internals differ here: plain re.compile
        return re.compile(pattern, flags)
    if len(table) < MAX_PATTERNS:
        table[(pattern, flags)] = program
        _programs.added = True
    return compiled


def save_compiled() -> None:
    """Write the regex table now if this process added to it (also done at exit)."""
    _programs.save()


def _program(pattern: str, flags: int) -> _Program:
    """What ``re._compiler.compile`` hands ``_sre.compile`` for ``pattern``."""
    _compiler: Any = importlib.import_module("re._compiler")
    _parser: Any = importlib.import_module("re._parser")
    if flags & re.DEBUG:
        raise ValueError("re.DEBUG is not cached")
    if int(_sre().CODESIZE) != _CODE.itemsize:
        raise ValueError("this Python's regex words are not 4 bytes")
    parsed: Any = _parser.parse(pattern, flags)
    code = array(_CODE.typecode, [int(c) for c in _compiler._code(parsed, flags)]).tobytes()
    groupindex: dict[str, int] = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for k, i in groupindex.items():
        indexgroup[i] = k
    return (
        pattern,
        int(flags | parsed.state.flags),
        code,
        parsed.state.groups - 1,
        groupindex,
        tuple(indexgroup),
    )


def _from_program(program: _Program) -> re.Pattern[str]:
    pattern, flags, raw, groups, groupindex, indexgroup = program
    code = array(_CODE.typecode, raw).tolist()
    compiled: re.Pattern[str] = _sre().compile(pattern, flags, code, groups, groupindex, indexgroup)
    return compiled
