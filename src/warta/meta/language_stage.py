"""Stage ``meta.language.v1``: the body's language and the detector's confidence."""

from __future__ import annotations

from warta.core.record import Article
from warta.core.stage import Stage
from warta.meta.language import detect_language


class LanguageStage(Stage):
    name = "meta.language.v1"
    requires = frozenset({"body"})
    provides = frozenset({"language", "language_confidence"})

    def process(self, article: Article) -> Article:
        article.language, article.language_confidence = detect_language(article.body)
        return article
