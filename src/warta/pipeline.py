"""A pipeline is plain data (a list of stage names); building it checks every contract.

Workers build their own stages from the same spec, so a process pool or a cluster needs only
the spec, never pickled stage objects.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime

from warta import __version__
from warta.errors import PipelineError
from warta.readers.base import Page
from warta.record import Article, ProcessingError
from warta.registry import load_stage_class
from warta.stage import PAGE_DEADLINE, PAGE_FIELDS, Stage

#: Reading a page into a clean article with its metadata (text scrapes and HTML).
CLEAN_PIPELINE: tuple[str, ...] = (
    "read.decode.v1",
    "clean.plaintext.v1",
    "clean.html.v1",
    "meta.language.v1",
    "meta.plaintext.v1",
    "meta.html.v1",
    "meta.given.v1",
    "finalize.identity.v1",
)
#: The default: cleaning, then the language work (entities, times, quotes, events, keywords
#: and summary).
DEFAULT_TEXT_PIPELINE: tuple[str, ...] = (
    *CLEAN_PIPELINE,
    "nlp.entities.v1",
    "nlp.times.v1",
    "nlp.quotes.v1",
    "nlp.events.v1",
    "nlp.summary.v1",
)


def check_contracts(stages: Sequence[Stage]) -> None:
    """Raise PipelineError naming the first stage whose requirements no earlier stage provides."""
    available = set(PAGE_FIELDS)
    for stage in stages:
        missing = stage.requires - available
        if missing:
            raise PipelineError(
                f"stage {stage.name!r} requires {sorted(missing)}, which no earlier stage provides"
            )
        available |= stage.provides


#: Per-page time limit (seconds) unless a pipeline or call sets another.
DEFAULT_TIME_LIMIT_S = 30.0


class Pipeline:
    def __init__(
        self, stages: Sequence[Stage], *, time_limit_s: float = DEFAULT_TIME_LIMIT_S
    ) -> None:
        check_contracts(stages)
        self.stages = list(stages)
        self.time_limit_s = time_limit_s

    @classmethod
    def from_spec(cls, spec: Sequence[str] = DEFAULT_TEXT_PIPELINE) -> Pipeline:
        return cls([load_stage_class(name)() for name in spec])

    @property
    def versions(self) -> dict[str, str]:
        """warta's version, the stages, and the models they loaded (so exports reproduce)."""
        out = {"warta": __version__, "stages": ",".join(s.name for s in self.stages)}
        models = [s.model_version for s in self.stages if s.model_version]
        if models:
            out["models"] = ",".join(models)
        return out

    def process(self, article: Article, *, time_limit_s: float | None = None) -> Article:
        """Run every stage on one article within its time limit: a page past the limit gets a
        ``time_limit`` error (stages check the deadline in their loops; it is checked again
        between stages) and the batch goes on."""
        limit = self.time_limit_s if time_limit_s is None else time_limit_s
        token = PAGE_DEADLINE.set(time.monotonic() + limit)
        try:
            for stage in self.stages:
                article = stage.run_one(article)
                if not article.errors and time.monotonic() > (PAGE_DEADLINE.get() or 0.0):
                    article.errors.append(
                        ProcessingError(
                            stage=stage.name,
                            reason="time_limit",
                            message=f"the page took longer than its {limit:g} s time limit",
                        )
                    )
        finally:
            PAGE_DEADLINE.reset(token)
            article.produced_by = self.versions  # after the stages: their models are loaded
            article.markup = None  # the page source is not part of the record
            article.raw_bytes = None
        return article

    def run(self, articles: Iterable[Article]) -> Iterator[Article]:
        for article in articles:
            yield self.process(article)

    def counters(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for stage in self.stages:
            for key, value in stage.counters.items():
                total[f"{stage.name}:{key}"] += value
        return total


_HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz")


def article_from_page(page: Page) -> Article:
    """The empty record a page starts as; the decode stage fills ``raw_text`` and, when the
    container did not say, sniffs ``content_type`` (an empty string means "not known yet")."""
    content_type = page.content_type or (
        "text/html" if page.source.lower().endswith(_HTML_SUFFIXES) else ""
    )
    article = Article(
        source=page.source,
        url=page.url,
        retrieved_at=page.retrieved_at,
        retrieved_at_kind=page.retrieved_at_kind,
        raw_text=page.text or "",
        raw_bytes=page.data,
        content_type=content_type,
    )
    if page.given:  # applied by meta.given.v1, after warta's own metadata
        article.extras.update((f"given.{name}", value) for name, value in page.given.items())
    return article


def article_from_text(
    text: str | bytes,
    *,
    source: str = "<text>",
    url: str | None = None,
    content_type: str | None = None,
) -> Article:
    data = text if isinstance(text, bytes) else None
    return Article(
        source=source,
        url=url,
        retrieved_at=datetime.now(UTC).replace(microsecond=0),
        retrieved_at_kind="read_at",
        raw_text="" if data is not None else str(text),
        raw_bytes=data,
        content_type=content_type or "",
    )
