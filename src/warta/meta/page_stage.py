"""Stage ``meta.page.v1``: what a page says about itself, read the way its content type allows.

Every page gets the plain-text variant (``meta.plaintext.v1``: outlet, times, people and wires
from the lines the cleaner removed); an HTML page then gets the markup variant (``meta.html.v1``:
JSON-LD, OpenGraph, <time>, visible bylines), whose findings win where it has any. The variants
keep their names, as in ``clean.page.v1``; a saved spec naming either old name loads this stage.
"""

from __future__ import annotations

from warta.core.record import Article
from warta.core.stage import Stage, run_variant
from warta.meta.html_stage import HtmlMetadataStage
from warta.meta.plaintext import PlainTextMetadata


class MetadataStage(Stage):
    name = "meta.page.v1"
    # the markup variant's requirements that the line variant meets are met within this stage
    requires = PlainTextMetadata.requires | (
        HtmlMetadataStage.requires - PlainTextMetadata.provides
    )
    provides = PlainTextMetadata.provides | HtmlMetadataStage.provides

    def __init__(self) -> None:
        super().__init__()
        self.plaintext = PlainTextMetadata()
        self.html = HtmlMetadataStage()

    def variants(self) -> tuple[Stage, ...]:
        return (self.plaintext, self.html)

    def process(self, article: Article) -> Article:
        article = run_variant(self.plaintext, article)
        if article.content_type == "text/html":
            article = run_variant(self.html, article)
        return article
