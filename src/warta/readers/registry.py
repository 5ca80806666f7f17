"""Which reader reads an input: readers registered under the ``warta.readers`` entry points.

Built-in formats are registered in warta's own ``pyproject.toml`` exactly as a plugin's would
be, so adding a format is one module with a :class:`~warta.readers.base.Reader` subclass and
one line::

    [project.entry-points."warta.readers"]
    toy = "my_package.toy:ToyReader"

Where no entry point can be installed (a notebook, a test), :func:`register` adds a reader for
the running process. Nothing is loaded at import time: the readers are loaded (their modules
imported, each class made once) the first time an input needs one, so importing warta stays
cheap, and a reader's heavy library should be imported inside its ``read``.

Choice, per input: a reader whose :attr:`~warta.readers.base.Reader.suffixes` end the file
name takes it unread (the longest suffix wins); otherwise the reader whose
:meth:`~warta.readers.base.Reader.sniff` is most confident about the content does. Ties go to
the reader whose name sorts first.
"""

from __future__ import annotations

from collections.abc import Iterator

from warta.core.errors import PipelineError
from warta.core.plugins import entry_point_values, load_entry_point
from warta.readers.base import SNIFF_BYTES, Item, Page, Reader

__all__ = [
    "GROUP",
    "ReaderError",
    "for_content",
    "for_name",
    "pages_in",
    "reader_names",
    "readers",
    "register",
    "unregister",
]

GROUP = "warta.readers"

_loaded: dict[str, Reader] | None = None  # entry points, once loaded
_registered: dict[str, Reader] = {}  # register(), these win over entry points of the same name
_ordered: tuple[Reader, ...] = ()  # both, by name; emptied whenever the set changes


class ReaderError(PipelineError):
    """The readers themselves are broken (a plugin that does not load, none installed)."""

    reason = "reader_error"


def register(reader: Reader) -> None:
    """Add ``reader`` for this process, replacing any reader of the same name.

    For plugins that cannot ship an entry point, and for tests; an installed package should
    register through the ``warta.readers`` entry-point group instead.
    """
    if not isinstance(reader, Reader):
        raise ReaderError(f"{reader!r} is not a warta Reader")
    global _ordered
    _registered[reader.name] = reader
    _ordered = ()


def unregister(name: str) -> None:
    """Remove a reader added with :func:`register` (entry points stay)."""
    global _ordered
    _registered.pop(name, None)
    _ordered = ()


def readers() -> list[Reader]:
    """Every reader, in the order ties are broken: by name."""
    return list(_readers())


def _readers() -> tuple[Reader, ...]:
    global _ordered
    if not _ordered:  # built whole, then swapped in: threads never see half a list
        found = {**_entry_point_readers(), **_registered}
        if not found:
            raise ReaderError(f"no readers registered under {GROUP!r}: reinstall warta")
        _ordered = tuple(found[name] for name in sorted(found))
    return _ordered


def reader_names() -> list[str]:
    return [reader.name for reader in readers()]


def for_name(name: str) -> Reader | None:
    """The reader that claims a file by its name alone, or None."""
    low = name.lower()
    best: Reader | None = None
    best_length = 0
    for reader in _readers():
        for suffix in reader.suffixes:
            if len(suffix) > best_length and low.endswith(suffix):
                best, best_length = reader, len(suffix)
    return best


def for_content(name: str, head: bytes) -> Reader | None:
    """The reader most confident that content starting with ``head`` is its format, or None
    when no reader claims it at all."""
    head = head[:SNIFF_BYTES]
    best: Reader | None = None
    best_score = 0.0
    for reader in _readers():
        score = reader.sniff(name, head)
        if score > best_score:
            best, best_score = reader, score
    return best


def pages_in(page: Page, max_bytes: int) -> Iterator[Item]:
    """The pages in content already read (a file's bytes, stdin): handed to the reader its
    content calls for, or the page itself when none claims it."""
    reader = for_content(page.source, page.data) if page.data is not None else None
    if reader is None:
        yield page
    else:
        yield from reader.read_bytes(page, max_bytes)


def _entry_point_readers() -> dict[str, Reader]:
    global _loaded
    if _loaded is None:
        loaded: dict[str, Reader] = {}
        for name, value in entry_point_values(GROUP).items():
            try:
                cls = load_entry_point(value)
            except Exception as exc:  # a broken plugin is named, never a bare traceback
                raise ReaderError(f"reader {name!r} ({value}) does not load: {exc}") from exc
            if not (isinstance(cls, type) and issubclass(cls, Reader)):
                raise ReaderError(f"entry point {name!r} ({value}) is not a warta Reader")
            if cls.name != name:
                raise ReaderError(f"entry point {name!r} names a reader called {cls.name!r}")
            loaded[name] = cls()
        _loaded = loaded
    return _loaded
