"""Stage ``meta.given.v1``: metadata the user gave with a page, taken as given.

The readers leave what a record gives in the article's extras as ``given.<field>`` (see
:mod:`warta.readers.given`). This stage, after warta's own metadata stages, sets the record's
fields from them and keeps what warta had found, where it differs, as ``found.<field>``; so a
record says both what it was told and what the page itself said. An article with no given
metadata passes unchanged.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from warta.core.record import Article
from warta.core.stage import Stage

#: given field -> the Article attribute it sets
_FIELDS: tuple[str, ...] = ("title", "outlet", "section", "authors", "language", "published")


class GivenMetadataStage(Stage):
    name = "meta.given.v1"
    requires = frozenset({"body"})
    provides = frozenset(
        {
            "title",
            "outlet",
            "section",
            "authors",
            "language",
            "language_confidence",
            "published",
            "published_raw",
            "published_local",
            "published_precision",
            "extras",  # given.<field> and found.<field>
        }
    )

    def process(self, article: Article) -> Article:
        extras = article.extras
        if not any(k.startswith("given.") for k in extras):
            return article
        for name in _FIELDS:
            given = extras.get(f"given.{name}")
            if given is None:
                continue
            value: Any = datetime.fromisoformat(given) if name == "published" else given
            found = getattr(article, name)
            if found not in (None, "", []) and found != value:
                extras[f"found.{name}"] = found.isoformat() if name == "published" else found
            setattr(article, name, value)
            if name == "published":
                if article.published_raw and article.published_raw != extras.get(
                    "given.published_raw"
                ):
                    extras["found.published_raw"] = article.published_raw
                article.published_raw = extras.get("given.published_raw")
                # the given time is an instant: its local clock and its precision go with it
                if article.published_local is not None:
                    extras["found.published_local"] = article.published_local
                spec = "seconds" if value.second else "minutes"
                article.published_local = value.replace(tzinfo=None).isoformat(timespec=spec)
                article.published_precision = "second" if value.second else "minute"
            elif name == "language":
                article.language_confidence = 1.0
        return article
