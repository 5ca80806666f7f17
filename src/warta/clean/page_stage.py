"""Stage ``clean.page.v1``: one cleaner per page, chosen by the page's content type.

An HTML page goes to the HTML variant (``clean.html.v1``: the markup's blocks and signals), any
other page to the plain-text variant (``clean.plaintext.v1``: labelled lines). The variants keep
their names, so a page's errors and the record's ``produced_by`` read as they did when each ran as
a stage of its own; a saved spec naming either old name loads this stage (registered aliases).
"""

from __future__ import annotations

from warta.clean.html import HtmlCleaner
from warta.clean.plaintext import PlainTextCleaner
from warta.core.record import Article
from warta.core.stage import Stage, run_variant


class CleanStage(Stage):
    name = "clean.page.v1"
    requires = PlainTextCleaner.requires | HtmlCleaner.requires
    provides = PlainTextCleaner.provides | HtmlCleaner.provides

    def __init__(self) -> None:
        super().__init__()
        self.plaintext = PlainTextCleaner()
        self.html = HtmlCleaner()

    def variants(self) -> tuple[Stage, ...]:
        return (self.plaintext, self.html)

    def process(self, article: Article) -> Article:
        variant = self.html if article.content_type == "text/html" else self.plaintext
        return run_variant(variant, article)
