"""Former home of the page types and the folder walk, kept so old imports still work.

New code imports :class:`Page` and :class:`ReadFailure` from :mod:`warta.readers.base` and
:func:`iter_pages` from :mod:`warta.readers.walk`; plain files are read by
:mod:`warta.readers.page`.
"""

from __future__ import annotations

from warta.readers.base import DEFAULT_MAX_BYTES, Page, ReadFailure
from warta.readers.walk import iter_pages

__all__ = ["DEFAULT_MAX_BYTES", "Page", "ReadFailure", "iter_pages"]
