"""The shapes the API answers with, so the OpenAPI document describes them.

Row models (quotes, events, entities) name the documented columns and allow extra ones, so a
store that adds a column does not break the API; search and profile models are closed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from warta.store.base import EntityProfile, SearchResult


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class SearchHitOut(BaseModel):
    id: str
    url: str | None
    title: str | None
    outlet: str | None
    published: datetime | None
    language: str | None
    score: float
    snippet: str


class FacetValue(BaseModel):
    value: str
    count: int


class SearchOut(BaseModel):
    hits: list[SearchHitOut]
    total: int
    total_exact: bool = True  # False: at least ``total`` matches, counting stopped there
    next_cursor: str | None
    facets: dict[str, list[FacetValue]]
    #: False: the facets counted only the newest stored ``facets_over`` matches, not every one
    facets_exact: bool = True
    facets_over: int = 0

    @classmethod
    def of(cls, result: SearchResult) -> SearchOut:
        return cls(
            hits=[SearchHitOut.model_validate(hit, from_attributes=True) for hit in result.hits],
            total=result.total,
            total_exact=result.total_exact,
            next_cursor=result.next_cursor,
            facets={
                name: [FacetValue(value=str(v), count=c) for v, c in values]
                for name, values in result.facets.items()
            },
            facets_exact=result.facets_exact,
            facets_over=result.facets_over,
        )


class EntityRow(_Open):
    id: str
    canonical: str | None = None
    type: str | None = None
    mentions: int | None = None
    articles: int | None = None


class QuoteRow(_Open):
    article_id: str
    published: datetime | str | None = None
    outlet: str | None = None
    speaker: str | None = None
    speaker_id: str | None = None
    role: str | None = None  # the speaker's role as the article writes it ("Kepala Unit Reskrim")
    affiliation: str | None = None  # and where ("Polres Metro Jakarta Barat")
    kind: str | None = None
    cue: str | None = None
    text: str
    start: int | None = None
    end: int | None = None


class EventRow(_Open):
    article_id: str
    published: datetime | str | None = None
    outlet: str | None = None
    category: str
    mode: str | None = None
    actor: str | None = None
    target: str | None = None
    place: str | None = None
    when: str | None = None
    confidence: float | None = None
    reported_by: str | None = None
    evidence: str | None = None
    start: int | None = None
    end: int | None = None
    actor_id: str | None = None
    actor_type: str | None = None
    actor_country: str | None = None
    target_id: str | None = None
    target_type: str | None = None
    target_country: str | None = None


class Alias(BaseModel):
    text: str
    mentions: int


class MonthCount(BaseModel):
    month: str
    mentions: int


class CoOccurring(BaseModel):
    id: str
    canonical: str
    articles: int


class EntityProfileOut(BaseModel):
    id: str
    canonical: str
    type: str
    aliases: list[Alias]
    mentions: int
    articles: int
    by_month: list[MonthCount]
    co_occurring: list[CoOccurring]
    quotes: list[QuoteRow]
    alternate: str | None = None  # the other label: "Russia" beside the canonical "Rusia"
    #: aliases and co_occurring were counted over (and quotes drawn from) this many of the
    #: newest articles
    window: int = 0
    #: the ids of its newest stored articles (up to 10), newest first
    latest: list[str] = []

    @classmethod
    def of(cls, profile: EntityProfile) -> EntityProfileOut:
        return cls(
            id=profile.id,
            canonical=profile.canonical,
            alternate=profile.alternate,
            type=profile.type,
            aliases=[Alias(text=t, mentions=n) for t, n in profile.aliases],
            mentions=profile.mentions,
            articles=profile.articles,
            by_month=[MonthCount(month=m, mentions=n) for m, n in profile.by_month],
            co_occurring=[
                CoOccurring(id=i, canonical=c, articles=n) for i, c, n in profile.co_occurring
            ],
            quotes=[QuoteRow.model_validate(q) for q in profile.quotes],
            window=profile.window,
            latest=profile.latest,
        )


class Page(BaseModel):
    """A page of rows: ``next_offset`` is where the next page starts, null after the last."""

    limit: int
    offset: int
    next_offset: int | None


class EntitiesOut(BaseModel):
    items: list[EntityRow]


class QuotesOut(Page):
    items: list[QuoteRow]


class EventsOut(Page):
    items: list[EventRow]


class OutletOut(BaseModel):
    outlet: str
    articles: int


class OutletsOut(BaseModel):
    items: list[OutletOut]


class StatsOut(_Open):
    """The store's counts (articles, entities, quotes, events, ...) and top lists."""


def stats_out(stats: dict[str, Any]) -> StatsOut:
    return StatsOut.model_validate(stats)
