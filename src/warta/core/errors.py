"""The one exception hierarchy of warta.

::

    WartaError                      every error warta raises on purpose
    ├── InputError                  a page or source that cannot be read as a page
    │   ├── SourceNotFound          the path does not exist
    │   ├── SourceUnreadable        permission denied, a directory where a file was expected, I/O error
    │   ├── EmptyInput              zero bytes, or only whitespace once decoded
    │   ├── NotText                 binary or undecodable content (no encoding gives plausible text)
    │   ├── InputTooLarge           a single page above the configured size limit
    │   ├── MalformedRecord         a container record (JSON Lines, ...) that cannot be parsed
    │   ├── NoArticleText           decoded fine, but no line reads as article text
    │   ├── NotAnArticle            text, but not a report: a licence, data, an index of links
    │   ├── PageTooComplex          markup no news page has (nesting depth, tag count)
    │   └── TimeLimitExceeded       the page took longer than its per-page time limit
    ├── PipelineError               a pipeline that cannot be built (missing requirement, unknown stage)
    │   └── UnknownStage
    ├── StageError                  a stage failed on one article (wrapped, with the stage name)
    ├── QueryError                  a search query or filter that cannot be run (syntax, size, complexity)
    ├── ExportError                 an export that cannot be run (format, table, output folder)
    ├── MissingExtra                a feature whose optional dependencies are not installed
    └── StoreError                  the store cannot be opened, migrated or written
        ├── StoreUnavailable        the database cannot be reached or opened (path, URL, server down)
        └── SchemaTooNew            the store was written by a newer warta than this one

Third-party exceptions are wrapped with ``raise ... from exc`` so callers only ever catch
``WartaError``. Every error carries the ``source`` it concerns, so a one-line message can name it.
"""

from __future__ import annotations


class WartaError(Exception):
    """Base class: ``source`` names the input concerned, ``reason`` is a short machine code."""

    reason: str = "error"

    def __init__(self, message: str, *, source: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source

    def one_line(self) -> str:
        """The message users see: ``source: reason: message`` on one line."""
        where = f"{self.source}: " if self.source else ""
        return f"{where}{self.reason}: {self.message}".replace("\n", " ")


class InputError(WartaError):
    reason = "input_error"


class SourceNotFound(InputError):
    reason = "not_found"


class SourceUnreadable(InputError):
    reason = "unreadable"


class EmptyInput(InputError):
    reason = "empty"


class NotText(InputError):
    reason = "not_text"


class InputTooLarge(InputError):
    reason = "too_large"


class MalformedRecord(InputError):
    reason = "malformed_record"


class NoArticleText(InputError):
    reason = "no_article_text"


class NotAnArticle(InputError):
    """A file that reads as text but is no report: a licence, JSON data, an index page."""

    reason = "not_an_article"


class PageTooComplex(InputError):
    reason = "too_complex"


class TimeLimitExceeded(InputError):
    reason = "time_limit"


class PipelineError(WartaError):
    reason = "pipeline_error"


class UnknownStage(PipelineError):
    reason = "unknown_stage"


class StageError(WartaError):
    reason = "stage_failed"

    def __init__(self, message: str, *, stage: str, source: str | None = None) -> None:
        super().__init__(message, source=source)
        self.stage = stage


class QueryError(WartaError):
    """A search request that cannot be run: bad syntax, too long, too complex, bad filter value.
    Surfaces as a 4xx problem response in the REST API and a one-line error in the CLI."""

    reason = "bad_query"


class ExportError(WartaError):
    """An export that cannot be run: unknown format or table, an unwritable output folder."""

    reason = "export_error"


class MissingExtra(WartaError):
    """A feature that needs an optional dependency not installed here: the message names the
    extra that brings it (``pip install 'warta[server]'``)."""

    reason = "missing_extra"


class StoreError(WartaError):
    reason = "store_error"


class StoreUnavailable(StoreError):
    reason = "store_unavailable"


class SchemaTooNew(StoreError):
    reason = "schema_too_new"
