"""Trends: how often something appears per day (or hour), and what is rising.

A series counts *reports* (not mentions) per bucket, in the reader's time zone (WIB by
default: an Indonesian news day); the copies of one duplicate group count once, so a wire
story republished by twenty outlets is one report, not twenty (GDELT's best-known failure). Kinds: ``entity`` (a linked entity, by id or canonical name),
``keyword``, ``event`` (a PLOVER category), ``outlet``, ``speaker`` and ``query`` (a search).

"Rising" compares each term's count in the chosen day or week with its own baseline, the
mean over the :data:`BASELINE_PERIODS` periods before it, as a Poisson-style score
``(count - mean) / sqrt(mean + 1)``: a term that goes from 0 to 3 scores 3.0, one that goes
from 50 to 60 scores 1.4. Only terms seen in at least ``min_count`` articles of the period
are considered, so one stray mention never tops the list, and only scores of at least
``min_score`` (2.0: about two standard deviations of a Poisson count) are "rising".
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from warta.core.errors import QueryError
from warta.store.base import SearchRequest, Store
from warta.store.corpus_tables import CorpusTables

KINDS = ("entity", "keyword", "event", "outlet", "speaker", "query")
BUCKETS = ("day", "hour")
BASELINE_PERIODS = 14
WIB = ZoneInfo("Asia/Jakarta")
_PREFIX = {"entity": "e:", "keyword": "k:", "event": "v:"}


@dataclass(frozen=True, slots=True)
class Point:
    bucket: str  # "2026-12-06" or "2026-12-06T14"
    count: int


@dataclass(frozen=True, slots=True)
class Series:
    kind: str
    key: str
    label: str
    points: list[Point]


@dataclass(frozen=True, slots=True)
class Rising:
    term: str  # "e:Q123", "k:banjir", "v:PROTEST"
    kind: str
    label: str
    count: int
    baseline: float
    score: float
    articles: list[str] = field(default_factory=list)


def _bucket_of(at: datetime, bucket: str, zone: tzinfo) -> str:
    local = at.astimezone(zone)
    return local.strftime("%Y-%m-%d") if bucket == "day" else local.strftime("%Y-%m-%dT%H")


def _all_buckets(since: datetime, until: datetime, bucket: str, zone: tzinfo) -> list[str]:
    step = timedelta(days=1) if bucket == "day" else timedelta(hours=1)
    out: list[str] = []
    at = since
    while at < until and len(out) < 100_000:
        label = _bucket_of(at, bucket, zone)
        if not out or out[-1] != label:
            out.append(label)
        at += step
    return out


def _term(tables: CorpusTables, store: Store, kind: str, key: str) -> tuple[str, str]:
    """(term, label) for a term kind; an entity is named by id or canonical name."""
    if kind == "entity":
        profile = store.entity(key)
        if profile is None:
            raise QueryError(f"no entity named {key!r} in the store")
        return f"e:{profile.id}", profile.canonical
    if kind == "keyword":
        return f"k:{key.casefold()}", key
    return f"v:{key.upper()}", key.upper()


def series(
    store: Store,
    kind: str,
    key: str,
    *,
    since: datetime,
    until: datetime,
    bucket: str = "day",
    zone: tzinfo = WIB,
) -> Series:
    """Articles per bucket for one thing, every bucket in [since, until) present (zeros too)."""
    if kind not in KINDS:
        raise QueryError(f"unknown trend kind {kind!r}: use one of {', '.join(KINDS)}")
    if bucket not in BUCKETS:
        raise QueryError(f"unknown bucket {bucket!r}: use day or hour")
    tables = store.corpus_tables()
    label = key
    if kind in _PREFIX:
        term, label = _term(tables, store, kind, key)
        times = [(at, unit) for _, at, _seq, unit in tables.term_times([term], since, until)]
    elif kind == "outlet":
        times = tables.outlet_times(key, since, until)
    elif kind == "speaker":
        times = tables.speaker_times(key, since, until)
    else:
        times = _query_times(store, key, since, until)
    counts = Counter(_bucket_of(at, bucket, zone) for at, _ in set(times))
    points = [Point(b, counts.get(b, 0)) for b in _all_buckets(since, until, bucket, zone)]
    return Series(kind, key, label, points)


def _query_times(
    store: Store, query: str, since: datetime, until: datetime
) -> list[tuple[datetime, int]]:
    """Publish times of the articles a search finds (at most 20,000, newest first)."""
    out: list[tuple[datetime, int]] = []
    cursor: str | None = None
    while len(out) < 20_000:
        result = store.search(
            SearchRequest(query=query, since=since, until=until, limit=100, cursor=cursor)
        )
        out += [
            (h.published, i) for i, h in enumerate(result.hits, len(out)) if h.published is not None
        ]
        cursor = result.next_cursor
        if cursor is None or not result.hits:
            return out
    return out


def _day_start(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone)


def rising(
    store: Store,
    day: date,
    *,
    period: str = "day",
    min_count: int = 3,
    min_score: float = 2.0,
    limit: int = 20,
    zone: tzinfo = WIB,
) -> list[Rising]:
    """Terms whose article count in the period starting at ``day`` stands out against the
    same term's mean over the :data:`BASELINE_PERIODS` periods before it."""
    if period not in ("day", "week"):
        raise QueryError(f"unknown period {period!r}: use day or week")
    length = timedelta(days=1 if period == "day" else 7)
    start = _day_start(day, zone)
    end = start + length
    base_start = start - BASELINE_PERIODS * length
    tables = store.corpus_tables()
    # the days articles name ("d:...") are story evidence, not something that rises
    terms = [t for t in tables.terms_in_window(start, end, min_count) if not t.startswith("d:")]
    if not terms:
        return []
    now: dict[str, dict[int, int]] = defaultdict(dict)  # term -> unit -> first seq
    before: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for term, at, seq, unit in tables.term_times(terms, base_start, end):
        if at >= start:
            now[term].setdefault(unit, seq)
        else:
            before[term].add((unit, (at - base_start) // length))
    found: list[Rising] = []
    for term in terms:
        count = len(now[term])
        if count < min_count:
            continue
        mean = len(before[term]) / BASELINE_PERIODS
        score = (count - mean) / math.sqrt(mean + 1.0)
        if score < min_score:
            continue
        found.append(Rising(term, _kind_of(term), term[2:], count, round(mean, 3), round(score, 3)))
    found.sort(key=lambda r: (-r.score, -r.count, r.term))
    top = found[:limit]
    ids = tables.article_ids(s for r in top for s in sorted(now[r.term].values())[:10])
    out = []
    for r in top:
        label = tables.entity_label(r.term[2:]) if r.kind == "entity" else None
        out.append(
            Rising(
                r.term,
                r.kind,
                label or r.label,
                r.count,
                r.baseline,
                r.score,
                [ids[s] for s in sorted(now[r.term].values())[:10] if s in ids],
            )
        )
    return out


def _kind_of(term: str) -> str:
    return {"e:": "entity", "k:": "keyword", "v:": "event"}.get(term[:2], "term")


def series_csv(all_series: Sequence[Series]) -> str:
    """The series side by side as CSV: bucket, then one column per series."""
    buckets = sorted({p.bucket for s in all_series for p in s.points})
    counts = [{p.bucket: p.count for p in s.points} for s in all_series]
    lines = ["bucket," + ",".join(_csv_cell(f"{s.kind}:{s.label}") for s in all_series)]
    for b in buckets:
        lines.append(b + "," + ",".join(str(c.get(b, 0)) for c in counts))
    return "\n".join(lines) + "\n"


def _csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n') else text
