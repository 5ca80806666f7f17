"""The incremental corpus pass: place every stored article not placed yet (or changed since)
among its duplicates and into a story. Run after ingest; articles are placed in transactions of
:data:`PLACE_TOGETHER`, so an interrupted pass resumes where it stopped and places nothing
twice."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from warta.core.errors import MalformedRecord
from warta.core.record import Article, fingerprint
from warta.corpus.duplicates import join_group, place_duplicate, settle_group
from warta.corpus.minhash import band_keys, signature
from warta.corpus.shingles import shingles
from warta.corpus.stories import article_terms, place_story, refresh_story, split_story
from warta.store.base import Store
from warta.store.corpus_tables import CorpusTables

_LOG = logging.getLogger(__name__)


@dataclass(slots=True)
class CorpusReport:
    placed: int = 0
    copies: int = 0  # articles placed into a duplicate group
    stories_opened: int = 0
    #: stored articles whose record could not be read back (id, why): left unplaced, the pass
    #: goes on; an older warta or a damaged file may have written them
    unreadable: list[tuple[str, str]] = field(default_factory=list)


def place_article(
    tables: CorpusTables, seq: int, article: Article, load: Callable[[str], Article | None]
) -> tuple[int | None, str, bool]:
    """Place one stored article; returns its duplicate group (or None), its story and
    whether that story was opened for it."""
    previous = tables.docs([seq])
    if previous:  # changed since it was placed: take it out first
        old = previous[0]
        tables.forget(seq)
        if old.dup_group is not None:
            settle_group(tables, old.dup_group, load)
        if old.story is not None:  # it may have held the story together: split what fell apart
            refresh_story(tables, old.story)
            split_story(tables, old.story)
    sig = signature(shingles(article.body))
    bands = band_keys(sig)
    print_ = article.fingerprint or fingerprint(article.body)
    tables.put_doc(
        seq,
        fingerprint=_stored_fingerprint(tables, seq, print_),
        shingles=sig.size,
        signature=sig.to_bytes(),
        bands=bands,
        terms=article_terms(article),
    )
    candidates = tables.band_matches(bands, exclude=seq)
    group, joined = place_duplicate(
        tables, seq, sig, _stored_fingerprint(tables, seq, print_), candidates
    )
    if group is not None and not (joined and join_group(tables, group, seq, load)):
        settle_group(tables, group, load)
    doc = tables.docs([seq])[0]
    story, opened = place_story(tables, doc, article_terms(article), group)
    return group, story, opened


def _stored_fingerprint(tables: CorpusTables, seq: int, fallback: str) -> str:
    """The fingerprint the articles table holds (what ``unplaced`` compares with)."""
    value = tables.db.scalar("SELECT fingerprint FROM articles WHERE seq = ?", (seq,))
    return str(value) if value is not None else fallback


def update_corpus(
    store: Store,
    *,
    batch: int = 500,
    progress: Callable[[int], None] | None = None,
    full: bool = False,
) -> CorpusReport:
    """Place everything not placed yet. Cheap when nothing is new (index lookups only; with
    ``full``, one comparison of every article, which also finds what the quick look missed)."""
    tables = store.corpus_tables()
    report = CorpusReport()
    after = 0
    while True:
        todo = tables.unplaced(batch, after=after, full=full)
        if not todo:
            return report
        after = max(after, max(seq for seq, _ in todo))
        for start in range(0, len(todo), PLACE_TOGETHER):
            chunk = todo[start : start + PLACE_TOGETHER]
            try:
                with tables.db.transaction():
                    found = [_place(store, tables, seq, article_id) for seq, article_id in chunk]
            except MalformedRecord:  # a record it needs is unreadable: one article at a time
                found = _one_by_one(store, tables, chunk, report)
            placed = [p for p in found if p is not None]
            for group, _story, opened in placed:
                report.placed += 1
                report.copies += group is not None
                report.stories_opened += opened
            if progress is not None and placed:
                progress(len(placed))


#: articles placed in one transaction: each placement rewrites the same hot pages (the term
#: counts, the band index), so committing them together writes those pages once, not once an
#: article (a 4,000-article store wrote 6 MB to disk an article placed one at a time). An
#: interrupted pass still resumes where it stopped: a batch is committed whole or not at all.
PLACE_TOGETHER = 64


def _place(
    store: Store, tables: CorpusTables, seq: int, article_id: str
) -> tuple[int | None, str, bool] | None:
    """Read one stored article and place it (None: it is gone). Read here, one at a time,
    so a batch never holds more than one record."""
    article = store.get(article_id)
    return None if article is None else place_article(tables, seq, article, store.get)


def _one_by_one(
    store: Store,
    tables: CorpusTables,
    chunk: list[tuple[int, str]],
    report: CorpusReport,
) -> list[tuple[int | None, str, bool] | None]:
    """Each article of a batch that failed as a whole in its own transaction, as one at a
    time would: an article whose record (or one it needs) does not read back is reported,
    left unplaced (None), and never stops the pass."""
    out: list[tuple[int | None, str, bool] | None] = []
    for seq, article_id in chunk:
        try:
            with tables.db.transaction():
                out.append(_place(store, tables, seq, article_id))
        except MalformedRecord as exc:
            _LOG.warning("corpus: article %s left unplaced: %s", article_id, exc.message)
            report.unreadable.append((article_id, exc.message))
            out.append(None)
    return out
