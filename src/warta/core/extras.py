"""Optional dependencies: which extra brings what, and a clear error where one is missing.

``pip install warta`` gives extraction, the NLP stages, the SQLite store, search and the corpus
layer. The rest come with extras: ``[server]`` (the REST API and the web reader), ``[postgres]``,
``[parquet]`` (Parquet exports), ``[plot]`` (trend pictures), ``[dask]`` (the cluster executor),
and ``[all]`` for every one of them.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from warta.core.errors import MissingExtra

#: extra -> the modules it brings that warta imports
EXTRAS: dict[str, tuple[str, ...]] = {
    "server": ("fastapi", "uvicorn", "jinja2", "fastapi_offline"),
    "postgres": ("psycopg",),
    "parquet": ("pyarrow",),
    "plot": ("matplotlib",),
    "dask": ("distributed",),
}


def require(extra: str, feature: str) -> list[ModuleType]:
    """Import the modules of ``extra``, or raise :class:`MissingExtra` saying that ``feature``
    needs them and how to install them."""
    modules = []
    for name in EXTRAS[extra]:
        try:
            modules.append(importlib.import_module(name))
        except ImportError as exc:
            raise MissingExtra(
                f"{feature} needs the optional dependency {name.replace('_', '-')}: "
                f"pip install 'warta[{extra}]'",
                source=feature,
            ) from exc
    return modules
