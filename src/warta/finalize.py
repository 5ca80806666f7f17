"""Stage ``finalize.identity.v1``: the body fingerprint and the report id."""

from __future__ import annotations

from warta.pipeline import assign_identity
from warta.record import Article
from warta.stage import Stage


class IdentityStage(Stage):
    name = "finalize.identity.v1"
    requires = frozenset({"body"})
    provides = frozenset({"fingerprint", "id"})

    def process(self, article: Article) -> Article:
        assign_identity(article)
        return article
