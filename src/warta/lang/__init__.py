"""Language knowledge is data: loaders for the files under ``warta/lang/<code>/``.

Nothing is read at import time; each file is parsed once per process on first use.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files
from typing import Any

#: Languages with data folders, in the order their rules are tried.
LANGUAGES: tuple[str, ...] = ("id", "en", "ms", "jv")


@cache
def load_toml(lang: str, name: str) -> dict[str, Any]:
    """Parse ``lang/<lang>/<name>.toml``; an absent file is an empty table."""
    path = files("warta.lang").joinpath(lang, f"{name}.toml")
    if not path.is_file():
        return {}
    return tomllib.loads(path.read_text(encoding="utf-8"))


@cache
def load_words(lang: str, name: str) -> frozenset[str]:
    """A word list ``lang/<lang>/<name>.txt``: one lower-cased entry per line, ``#`` comments."""
    path = files("warta.lang").joinpath(lang, f"{name}.txt")
    if not path.is_file():
        return frozenset()
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = line.split("#", 1)[0].strip().lower()
        if entry:
            words.add(entry)
    return frozenset(words)
