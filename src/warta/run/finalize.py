"""Stage ``finalize.identity.v1``: the body fingerprint and the report id."""

from __future__ import annotations

from warta.core.record import Article, fingerprint, report_id
from warta.core.stage import Stage


class IdentityStage(Stage):
    name = "finalize.identity.v1"
    requires = frozenset({"body"})
    provides = frozenset({"fingerprint", "id"})

    def process(self, article: Article) -> Article:
        article.fingerprint = fingerprint(article.body)
        article.id = report_id(
            url=article.url, source=article.source, body_fingerprint=article.fingerprint
        )
        return article
