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
from warta.core.errors import PipelineError
from warta.core.record import Article, ProcessingError
from warta.core.registry import load_stage_class
from warta.core.stage import (
    PAGE_DEADLINE,
    PAGE_FIELDS,
    Stage,
    checking_from_env,
    fail_contract,
    run_checked,
)
from warta.readers.base import Page

#: Reading a page into a clean article with its metadata (text scrapes and HTML).
#: ``clean.page.v1`` and ``meta.page.v1`` each choose their HTML or plain-text variant by the
#: page's content type (specs naming the variants' old stage names load them as aliases).
CLEAN_PIPELINE: tuple[str, ...] = (
    "read.decode.v1",
    "clean.page.v1",
    "meta.language.v1",
    "meta.page.v1",
    "meta.given.v1",
    "finalize.identity.v1",
)
#: The default: cleaning, then the language work (entities, places, times, quotes, events, keywords
#: and summary).
DEFAULT_TEXT_PIPELINE: tuple[str, ...] = (
    *CLEAN_PIPELINE,
    "nlp.entities.v1",
    "nlp.places.v1",
    "nlp.times.v1",
    "nlp.quotes.v1",
    "nlp.events.v1",
    "nlp.summary.v1",
)

#: The pipelines a command line names (``--pipeline full`` / ``clean``).
PIPELINES: dict[str, tuple[str, ...]] = {"full": DEFAULT_TEXT_PIPELINE, "clean": CLEAN_PIPELINE}


def pipeline_spec(value: str) -> tuple[str, ...]:
    """A named pipeline (:data:`PIPELINES`) or stage names separated by commas."""
    if value in PIPELINES:
        return PIPELINES[value]
    return tuple(name.strip() for name in value.split(",") if name.strip())


def check_requirements(stages: Sequence[Stage], spec: Sequence[str] | None = None) -> None:
    """Raise PipelineError naming the first stage whose requirements no earlier stage provides
    (and the name the spec gave it, when that was an alias)."""
    available = set(PAGE_FIELDS)
    for i, stage in enumerate(stages):
        missing = stage.requires - available
        if missing:
            named = spec[i] if spec is not None else stage.name
            alias = f" (named {named!r} in the spec)" if named != stage.name else ""
            raise PipelineError(
                f"stage {stage.name!r}{alias} requires {sorted(missing)}, which no earlier stage "
                "provides"
            )
        available |= stage.provides


def resolve_spec(spec: Sequence[str]) -> list[tuple[str, type[Stage]]]:
    """(name as given, stage class) for each stage of a spec. An old name that is now an alias
    (``clean.plaintext.v1`` and ``clean.html.v1`` both load ``clean.page.v1``) runs its stage
    once: a saved spec naming both variants gives the pipeline it always gave."""
    out: list[tuple[str, type[Stage]]] = []
    via_alias: set[str] = set()
    seen: set[str] = set()
    for name in spec:
        cls = load_stage_class(name)
        alias = name != cls.name
        if cls.name in seen and (alias or cls.name in via_alias):
            continue
        seen.add(cls.name)
        if alias:
            via_alias.add(cls.name)
        out.append((name, cls))
    return out


#: Per-page time limit (seconds) unless a pipeline or call sets another.
DEFAULT_TIME_LIMIT_S = 30.0


class Pipeline:
    """Stages run in order on each page. ``check_contracts`` (default: the
    ``WARTA_CHECK_CONTRACTS`` environment variable) turns on checking mode: a stage that writes a
    field it does not declare fails on that page (see :func:`warta.core.stage.run_checked`); off, the
    stages run with no snapshot at all."""

    def __init__(
        self,
        stages: Sequence[Stage],
        *,
        time_limit_s: float = DEFAULT_TIME_LIMIT_S,
        check_contracts: bool | None = None,
    ) -> None:
        check_requirements(stages)
        self.stages = list(stages)
        self.time_limit_s = time_limit_s
        self.check_contracts = checking_from_env() if check_contracts is None else check_contracts

    @classmethod
    def from_spec(
        cls, spec: Sequence[str] = DEFAULT_TEXT_PIPELINE, *, check_contracts: bool | None = None
    ) -> Pipeline:
        resolved = resolve_spec(spec)
        stages = [stage_cls() for _, stage_cls in resolved]
        check_requirements(stages, [name for name, _ in resolved])  # errors say the spec's names
        return cls(stages, check_contracts=check_contracts)

    @property
    def versions(self) -> dict[str, str]:
        """warta's version, the stages, and the models they loaded (so exports reproduce). A
        stage with variants is named by its variants (``clean.plaintext.v1,clean.html.v1``): they
        are the versioned code, and the names read as they did before the variants had a
        dispatching stage (a spec of these names loads the same pipeline)."""
        parts = [part for s in self.stages for part in (s.variants() or (s,))]
        out = {"warta": __version__, "stages": ",".join(p.name for p in parts)}
        models = [p.model_version for p in parts if p.model_version]
        if models:
            out["models"] = ",".join(models)
        return out

    def process(self, article: Article, *, time_limit_s: float | None = None) -> Article:
        """Run every stage on one article within its time limit: a page past the limit gets a
        ``time_limit`` error (stages check the deadline in their loops; it is checked again
        between stages) and the batch goes on."""
        limit = self.time_limit_s if time_limit_s is None else time_limit_s
        token = PAGE_DEADLINE.set(time.monotonic() + limit)
        checking = self.check_contracts
        try:
            for stage in self.stages:
                if checking:
                    article = _readable(stage, run_checked(stage, article))
                else:
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
            for part in (stage, *stage.variants()):
                for key, value in part.counters.items():
                    total[f"{part.name}:{key}"] += value
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


def _readable(stage: Stage, article: Article) -> Article:
    """Checking mode, after each stage: the article must read back as a record (the store reads
    every record back), so a value outside the record's vocabulary (an actor type, a mode) or of
    the wrong type fails the stage on that page, naming the field, as an undeclared field does."""
    from warta.core.errors import MalformedRecord
    from warta.core.serialize import article_from_dict, article_to_dict

    try:
        article_from_dict(article_to_dict(article))
    except MalformedRecord as exc:
        fail_contract(
            stage, article, f"wrote a value the record refuses: {exc.message}", "refused_value"
        )
    return article
