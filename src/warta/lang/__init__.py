"""Language knowledge is data: loaders for the files under ``warta/lang/<code>/``.

A language is a folder with a ``language.toml``: its place in the order in which rules are
tried (``order``), the language whose data a stage reads where this one has none
(``fallback``), and the languages whose word lists are added to its own (``also``: Indonesian
pages quote English). ``und`` (ISO 639 "undetermined") is the folder for pages whose language is
unknown or has no folder; it has no ``order``, so it is not one of :data:`LANGUAGES`.

Which data a stage reads for a page is :func:`reading`: the first language along
page language -> fallback -> ... that has the file (or ``language.toml`` table) the stage
needs. Each file is parsed once per process on first use.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, overload

__all__ = [
    "LANGUAGES",
    "UNDETERMINED",
    "Reading",
    "has_data",
    "language_info",
    "languages",
    "load_toml",
    "load_words",
    "folder_bytes",
    "reading",
]

#: Bound of the caches keyed by a page's language tag (pages name any tag they like; the data
#: files themselves are few, and their caches hold each once).
_PAGE_LANGUAGES = 1024

#: The folder of the settings for pages of no known language (ISO 639-2 "und").
UNDETERMINED = "und"


#: Folders of more languages (or of more files for a shipped one), separated like PATH: a
#: language can be added without touching the package.
PATH_VARIABLE = "WARTA_LANG_PATH"


@cache
def _roots() -> tuple[Traversable, ...]:
    extra = [Path(p) for p in os.environ.get(PATH_VARIABLE, "").split(os.pathsep) if p]
    return (files("warta.lang"), *extra)


def _find(lang: str, name: str) -> Traversable | None:
    """``<root>/<lang>/<name>`` in the first root that has it."""
    for root in _roots():
        path = root.joinpath(lang, name)
        if path.is_file():
            return path
    return None


@cache
def load_toml(lang: str, name: str) -> dict[str, Any]:
    """Parse ``lang/<lang>/<name>.toml``; an absent file is an empty table. The parsed table is
    kept in the disk cache under a hash of the file's text (parsing the package's TOML files
    in pure Python was a tenth of a single-page run's start-up)."""
    path = _find(lang, f"{name}.toml")
    if path is None:
        return {}
    from warta.core.diskcache import cached, data_hash

    text = path.read_text(encoding="utf-8")

    def parse() -> dict[str, Any]:
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"language data {path}: not valid TOML ({exc})") from exc

    return cached(f"toml-{lang}-{name}", data_hash([text]), parse)


def load_text(lang: str, name: str) -> str | None:
    """The text of ``lang/<lang>/<name>`` (a data table such as ``regions.tsv``); None when
    absent."""
    path = _find(lang, name)
    return None if path is None else path.read_text(encoding="utf-8")


@cache
def load_words(lang: str, name: str) -> frozenset[str]:
    """A word list ``lang/<lang>/<name>.txt``: one lower-cased entry per line, ``#`` comments."""
    path = _find(lang, f"{name}.txt")
    if path is None:
        return frozenset()
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = line.split("#", 1)[0].strip().lower()
        if entry:
            words.add(entry)
    return frozenset(words)


def folder_bytes(codes: Sequence[str]) -> list[bytes]:
    """Every file of the folders of ``codes``, in every root, as (name, bytes) pieces in a
    fixed order: what a cache of something derived from those languages' data is keyed by
    (:func:`warta.core.diskcache.data_hash`). A root is named by its place in the search
    order, not its path: two checkouts (or environments) holding the same data share one cache
    entry, where naming the path made each rebuild the entry the other had just replaced (for
    the place index ≈1.2 s, in every worker of a ``-j N`` run that started with it stale)."""
    out: list[bytes] = []
    for code in codes:
        for rank, root in enumerate(_roots()):
            folder = root.joinpath(code)
            if not folder.is_dir():
                continue
            for entry in sorted(folder.iterdir(), key=lambda e: e.name):
                if entry.is_file():
                    out += [f"{rank}/{code}/{entry.name}".encode(), entry.read_bytes()]
    return out


def language_info(code: str) -> dict[str, Any]:
    """``lang/<code>/language.toml`` (empty for a code without a folder)."""
    return load_toml(code, "language") if _is_code(code) else {}


def _is_code(code: str) -> bool:
    """A plain folder name: a page's language tag never reaches outside ``lang/``."""
    return bool(code) and code.replace("-", "").isalnum() and code.isascii()


@cache
def languages() -> tuple[str, ...]:
    """Language folders with an ``order`` in their ``language.toml``, in that order."""
    ordered = set()
    for root in _roots():
        if not root.is_dir():
            continue
        for entry in root.iterdir():
            if entry.is_dir() and entry.joinpath("language.toml").is_file():
                order = language_info(entry.name).get("order")
                if isinstance(order, int):
                    ordered.add((order, entry.name))
    return tuple(code for _, code in sorted(ordered))


class _Languages(Sequence[str]):
    """:func:`languages`, read on first use (nothing is read when ``warta.lang`` is imported)."""

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        return languages()[index]

    def __len__(self) -> int:
        return len(languages())

    def __repr__(self) -> str:
        return repr(languages())


#: Languages with data folders, in the order their rules are tried (from the folders).
LANGUAGES: Sequence[str] = _Languages()


@lru_cache(maxsize=_PAGE_LANGUAGES)
def has_data(code: str, name: str) -> bool:
    """Whether ``lang/<code>/`` holds ``name``: a file when it has a suffix (``times.toml``),
    else a table of its ``language.toml`` (``entities``)."""
    if not _is_code(code):
        return False
    if "." in name:
        return _find(code, name) is not None
    return isinstance(language_info(code).get(name), dict)


@dataclass(frozen=True, slots=True)
class Reading:
    """Which data a stage reads for a page: ``code``'s (None: no language along the fallbacks
    has it, the stage skips the page), with the word lists of ``also`` added where the stage
    adds them."""

    page: str  # the page's language as the stage was given it (UNDETERMINED when none)
    needs: str
    code: str | None
    also: tuple[str, ...] = ()

    def words(self, name: str) -> frozenset[str]:
        """The word list ``name`` of ``code`` and of each ``also`` language, together."""
        out = load_words(self.code, name) if self.code else frozenset()
        for extra in self.also:
            out |= load_words(extra, name)
        return out

    def own_words(self, name: str) -> frozenset[str]:
        """The word list ``name`` of ``code`` alone."""
        return load_words(self.code, name) if self.code else frozenset()

    def table(self, name: str) -> dict[str, Any]:
        """The TOML file ``name`` of ``code`` (empty when there is none)."""
        return load_toml(self.code, name) if self.code else {}

    def settings(self) -> dict[str, Any]:
        """The ``language.toml`` table named by ``needs`` (for needs such as ``entities``)."""
        table = language_info(self.code).get(self.needs) if self.code else None
        return table if isinstance(table, dict) else {}

    @property
    def reason(self) -> str:
        """Why a stage skipped the page (for the record)."""
        return f"no language data {self.needs!r} for language {self.page!r}"


@lru_cache(maxsize=_PAGE_LANGUAGES)
def reading(page: str | None, needs: str) -> Reading:
    """The data a stage that needs ``needs`` reads for a page in language ``page``: the first
    language along page -> fallback -> ... that has it. A page of no known language starts at
    :data:`UNDETERMINED`."""
    label = page or UNDETERMINED
    code: str | None = label if language_info(label) else UNDETERMINED
    seen: set[str] = set()
    while code is not None and code not in seen:
        seen.add(code)
        info = language_info(code)
        if has_data(code, needs):
            also = tuple(str(c) for c in info.get("also", []) if str(c) != code)
            return Reading(page=label, needs=needs, code=code, also=also)
        nxt = info.get("fallback")
        code = str(nxt) if nxt else None
    return Reading(page=label, needs=needs, code=None)
