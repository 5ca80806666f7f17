"""Stories: reports of the same happening, grouped across outlets and days, incrementally.

An article is described by weighted terms in two views: its linked entities
(``e:<entity id>``), keywords (``k:<keyword>``), event categories (``v:<CATEGORY>``, weak; with
actor or target), and the days it names (``d:<day>``); and its words (``w:<word>``: the body's
most frequent content words and the headline's). Rare terms count more (inverse document
frequency from the store's kept counts). Two articles are as similar as their closer view
(:func:`similarity`): reports of one happening by outlets that linked different names still
share its words, and reports that share one name but not the words stay apart. A new article
is compared with the stored articles that share its rarest terms and were published within
:data:`WINDOW` of it; it joins the story of the most similar one when the similarity reaches
:data:`JOIN` and its similarity to the story's centroid reaches :data:`CENTROID` (so one
shared name does not chain a new happening onto a long-running story); when it is
:data:`MERGE` close to two stories, the stories merge: the smaller
one forwards to the larger, so an id a user saw still resolves. A copy in a duplicate group
always shares its original's story.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

from warta.core.record import Article
from warta.corpus.shingles import words
from warta.lang import load_words
from warta.store.base import Store
from warta.store.corpus_tables import CorpusTables, StoredDoc, StoryRow

# chosen on the dev half of bench/data/stories (bench/corpus.py --tune; docs/BENCHMARKS.md)
JOIN = 0.5
MERGE = 0.9
WINDOW = timedelta(days=4)
#: terms used to find candidates: the article's rarest ones
PROBE_TERMS = 12
#: a story is joined only when the article is this close to its centroid as well
CENTROID = 0.55
CENTROID_MEMBERS = 30
#: a story's title is its most central headline, re-chosen until it has this many articles
TITLE_MEMBERS = 40
#: two articles of a story stay linked while this similar (below JOIN: a near-thing join is
#: not cut apart later)
SPLIT = 0.35
#: story sizes at which it is checked for parts that fell apart (and when an article leaves)
SPLIT_CHECKS = frozenset({8, 16, 32, 64, 128})
SPLIT_MAX = 256
#: weight of a resolved day the article names (``d:YYYY-MM-DD``) and of an event's category
#: with its actor or target (``v:CATEGORY:who``); chosen on the dev half like the thresholds
DAY_WEIGHT = 0.5
EVENT_WEIGHT = 0.6
#: the article's words (``w:<word>``), a second view of it: its :data:`WORDS` most frequent
#: content words of the body (weight 1 + log count) and every content word of its headline
#: (:data:`TITLE_WEIGHT` more). Outlets name one happening with its own words (a sum, a
#: school, "mengendap") where their linked entities differ. Two articles are as similar as
#: their closer view: the entity view's cosine, or the word view's scaled so that
#: :data:`WORD_JOIN` counts as :data:`JOIN` (0: no word view)
WORDS = 60
TITLE_WEIGHT = 1.0
WORD_JOIN = 0.5
#: word terms used to find candidates, beside the :data:`PROBE_TERMS` rarest other terms
WORD_PROBE = 8
_ENTITY_TYPES = frozenset({"PERSON", "ORGANIZATION", "PLACE", "EVENT", "PRODUCT"})


def article_terms(article: Article) -> dict[str, float]:
    """The article's weighted terms (before inverse document frequency)."""
    terms: dict[str, float] = {}
    counts: dict[str, int] = {}
    for m in article.entities:
        if m.entity_id and m.type in _ENTITY_TYPES:
            counts[m.entity_id] = counts.get(m.entity_id, 0) + 1
    for entity_id, n in counts.items():
        terms[f"e:{entity_id}"] = 1.0 + math.log(n)
    total = len(article.keywords)
    for i, keyword in enumerate(article.keywords):
        key = f"k:{keyword.casefold()}"
        terms[key] = max(terms.get(key, 0.0), 1.0 - 0.5 * i / max(total, 1))
    for event in article.events:
        terms.setdefault(f"v:{event.category}", 0.3)
        if EVENT_WEIGHT > 0.0:  # who did what: the same actor doing the same kind of thing
            for who in (event.actor, event.target):
                if who:
                    terms.setdefault(
                        f"v:{event.category}:{' '.join(who.casefold().split())}", EVENT_WEIGHT
                    )
    if DAY_WEIGHT > 0.0:
        for day in _days_named(article):
            terms.setdefault(f"d:{day}", DAY_WEIGHT)
    terms.update(_word_terms(article))
    return terms


def _content_words(text: str, stop: frozenset[str]) -> list[str]:
    return [w for w in words(text) if len(w) >= 3 and not w.isdigit() and w not in stop]


def _word_terms(article: Article) -> dict[str, float]:
    """``w:<word>`` terms: the body's most frequent content words and the headline's."""
    if WORDS <= 0:
        return {}
    stop = _stopwords(article.language or "id")
    counts = Counter(_content_words(article.body, stop))
    out = {
        f"w:{word}": 1.0 + math.log(n)
        for word, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:WORDS]
    }
    if TITLE_WEIGHT > 0.0 and article.title:
        for word in dict.fromkeys(_content_words(article.title, stop)):
            key = f"w:{word}"
            out[key] = out.get(key, 0.0) + TITLE_WEIGHT
    return out


@cache
def _stopwords(language: str) -> frozenset[str]:
    """The language's stopwords (Indonesian's for a language without a list)."""
    return load_words(language, "stopwords") or load_words("id", "stopwords")


_DAY = re.compile(r"(\d{4}|XXXX)-(\d{2})-(\d{2})")


def _days_named(article: Article) -> set[str]:
    """The calendar days the article's time expressions resolve to (``XXXX-MM-DD``, a day
    without its year, takes the year that puts it nearest the publish time), except the
    publish day itself, which every report of that day names."""
    out: set[str] = set()
    published = article.published
    for t in article.times:
        m = _DAY.match(t.value or "")
        if m is None:
            continue
        year, month, day = m.groups()
        try:
            if year != "XXXX":
                out.add(date(int(year), int(month), int(day)).isoformat())
            elif published is not None:
                anchor = published.date()
                near = [
                    date(y, int(month), int(day))
                    for y in (anchor.year - 1, anchor.year, anchor.year + 1)
                ]
                out.add(min(near, key=lambda d: abs(d - anchor)).isoformat())
        except ValueError:  # 31 February: not a day
            continue
    if published is not None:
        out.discard(published.date().isoformat())
    return out


def _idf(df: int, n: int) -> float:
    return math.log((n + 1) / (df + 1)) + 1.0


def _weighted(terms: Mapping[str, float], idf: Mapping[str, float]) -> dict[str, float]:
    return {t: w * idf.get(t, 1.0) for t, w in terms.items()}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    dot = sum(w * large.get(t, 0.0) for t, w in small.items())
    if dot == 0.0:
        return 0.0
    na = math.sqrt(sum(w * w for w in a.values()))
    nb = math.sqrt(sum(w * w for w in b.values()))
    return dot / (na * nb)


Views = tuple[dict[str, float], dict[str, float]]


def views(weighted: Mapping[str, float]) -> Views:
    """An article's weighted terms as its two views: entities, keywords, events and days; and
    its words."""
    other: dict[str, float] = {}
    word: dict[str, float] = {}
    for t, w in weighted.items():
        (word if t.startswith("w:") else other)[t] = w
    return other, word


def similarity(a: Views, b: Views) -> float:
    """The closer of the two views' cosines, the word view's scaled to the entity view's
    threshold (:data:`WORD_JOIN` counts as :data:`JOIN`)."""
    score = cosine(a[0], b[0])
    if WORD_JOIN > 0.0:
        score = max(score, cosine(a[1], b[1]) * JOIN / WORD_JOIN)
    return score


def story_id_for(article_id: str) -> str:
    return "story-" + hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:12]


def _within(doc: StoredDoc, anchor: StoredDoc) -> bool:
    if doc.when is None or anchor.when is None:
        return True
    return abs(doc.when - anchor.when) <= WINDOW


def place_story(
    tables: CorpusTables, doc: StoredDoc, terms: Mapping[str, float], copy_of: int | None
) -> tuple[str, bool]:
    """The story the article belongs to (joined, opened or the result of a merge), and
    whether it was opened for this article."""
    resolved: dict[str, str | None] = {}

    def live(story_id: str) -> str | None:
        if story_id not in resolved:
            resolved[story_id] = tables.resolve_story(story_id)
        return resolved[story_id]

    if copy_of is not None:
        for member in tables.docs(tables.group_members(copy_of)):
            if member.seq != doc.seq and member.story is not None:
                story = live(member.story)
                if story is not None:
                    return _join(tables, story, doc), False
    n = max(tables.doc_count(), 1)
    df = tables.term_frequencies(terms)
    idf = {t: _idf(df[t], n) for t in terms}
    mine = views(_weighted(terms, idf))
    probe = sorted(mine[0], key=lambda t: (-mine[0][t], t))[:PROBE_TERMS]
    if WORD_JOIN > 0.0:
        probe += sorted(mine[1], key=lambda t: (-mine[1][t], t))[:WORD_PROBE]
    window = (doc.when - WINDOW, doc.when + WINDOW) if doc.when is not None else (None, None)
    found = tables.sharing_terms(probe, doc.seq, since=window[0], until=window[1])
    candidates = [d for d in tables.docs(found) if _within(d, doc)]
    their_terms = tables.terms_of(d.seq for d in candidates)
    best: dict[str, float] = {}
    for cand in candidates:
        story = cand.story  # a member's story is always live: merges and splits move members
        if story is None:
            continue
        score = similarity(mine, views(_weighted(their_terms[cand.seq], idf)))
        if score > best.get(story, 0.0):
            best[story] = score
    ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
    ranked = [(s, v) for s, v in ranked if v < JOIN or _close_to_story(tables, s, mine, idf)]
    if not ranked or ranked[0][1] < JOIN:
        story = story_id_for(doc.article_id)
        tables.save_story(StoryRow(story, doc.title, doc.when, doc.when, 0, None))
        return _join(tables, story, doc), True
    target = ranked[0][0]
    merging = [s for s, score in ranked[1:] if score >= MERGE]
    if merging:
        target = _merge(tables, [target, *merging])
    return _join(tables, target, doc), False


def _close_to_story(
    tables: CorpusTables, story: str, mine: Views, idf: Mapping[str, float]
) -> bool:
    """Whether the article is close to the story as a whole, not only to one member: cosine
    with the centroid of its latest :data:`CENTROID_MEMBERS` members reaches :data:`CENTROID`
    (one shared name must not chain a new happening onto a long-running story)."""
    if CENTROID <= 0.0:
        return True
    members = tables.latest_members(story, CENTROID_MEMBERS)
    vectors = tables.terms_of(members)
    centroid: dict[str, float] = {}
    word_centroid: dict[str, float] = {}
    for terms in vectors.values():
        for view, sums in zip(views(_weighted(terms, idf)), (centroid, word_centroid), strict=True):
            norm = math.sqrt(sum(w * w for w in view.values())) or 1.0
            for t, w in view.items():
                sums[t] = sums.get(t, 0.0) + w / norm
    return similarity(mine, (centroid, word_centroid)) >= CENTROID


def _merge(tables: CorpusTables, stories: list[str]) -> str:
    """Merge stories into the largest (ties: the lowest id); the others forward to it."""
    rows = [r for r in (tables.story(s) for s in stories) if r is not None]
    keep = sorted(rows, key=lambda r: (-r.articles, r.id))[0]
    for row in rows:
        if row.id != keep.id:
            tables.move_story(row.id, keep.id)
            tables.save_story(StoryRow(row.id, row.title, row.first_at, row.last_at, 0, keep.id))
    refresh_story(tables, keep.id)
    return keep.id


def _join(tables: CorpusTables, story: str, doc: StoredDoc) -> str:
    """Add the article to the story and keep its row current without reading every member:
    size and first/last time from the row; the title re-chosen while the story is small. At
    a few sizes (:data:`SPLIT_CHECKS`) the story is checked for parts that fell apart. Returns
    the story the article is in afterwards."""
    tables.set_story(doc.seq, story)
    row = tables.story(story)
    if row is None:
        return story
    times = [t for t in (row.first_at, row.last_at, doc.when) if t is not None]
    if row.articles == 0:
        times = [doc.when] if doc.when is not None else []
    size = row.articles + 1
    title = row.title or doc.title
    if size <= TITLE_MEMBERS:
        title = _central_title(tables, tables.docs(tables.story_members(story))) or title
    tables.save_story(
        StoryRow(story, title, min(times, default=None), max(times, default=None), size, None)
    )
    if size in SPLIT_CHECKS:
        split_story(tables, story)
        now = tables.docs([doc.seq])
        return now[0].story or story if now else story
    return story


def split_story(tables: CorpusTables, story: str) -> list[str]:
    """Split a story whose articles no longer hang together: two articles stay linked while
    they are :data:`SPLIT` similar (within the time window) or copies of one report, and each
    connected part becomes a story. The part holding the article that opened the story keeps
    its id (else the largest part), so an id a user saw resolves to the part that kept it;
    every other part takes the id its first article would have opened — an id that was merged
    in before comes back to life instead of forwarding. Returns the ids, the kept one first.
    Stories above :data:`SPLIT_MAX` articles are not checked (the cost stays bounded)."""
    members = tables.docs(tables.story_members(story))
    if len(members) < 2 or len(members) > SPLIT_MAX:
        return [story]
    vectors = tables.terms_of(m.seq for m in members)
    every = {t for v in vectors.values() for t in v}
    n = max(tables.doc_count(), 1)
    df = tables.term_frequencies(every)
    idf = {t: _idf(df[t], n) for t in every}
    weighted = {seq: views(_weighted(v, idf)) for seq, v in vectors.items()}
    parent = {m.seq: m.seq for m in members}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            ra, rb = find(a.seq), find(b.seq)
            if ra == rb:
                continue
            copies = a.dup_group is not None and a.dup_group == b.dup_group
            if copies or (_within(a, b) and similarity(weighted[a.seq], weighted[b.seq]) >= SPLIT):
                parent[max(ra, rb)] = min(ra, rb)
    parts: dict[int, list[StoredDoc]] = {}
    for m in members:
        parts.setdefault(find(m.seq), []).append(m)
    if len(parts) == 1:
        return [story]
    opener = next((m for m in members if story_id_for(m.article_id) == story), None)
    ordered = sorted(parts.values(), key=lambda p: (-len(p), p[0].seq))
    kept = next((p for p in ordered if opener in p), ordered[0])
    ids = [story]
    for part in sorted((p for p in ordered if p is not kept), key=lambda p: p[0].seq):
        first = part[0]
        new_id = story_id_for(first.article_id)
        if tables.story(new_id) is not None and tables.resolve_story(new_id) != story:
            new_id = story_id_for(f"{first.article_id}/{story}")
        tables.set_stories((m.seq for m in part), new_id)
        tables.save_story(StoryRow(new_id, first.title, first.when, first.when, 0, None))
        refresh_story(tables, new_id)
        ids.append(new_id)
    refresh_story(tables, story)
    return ids


def refresh_story(tables: CorpusTables, story: str) -> None:
    """Recount the story from its members: size, first and last time, and its title — the
    headline of the member most similar to the others (re-chosen while the story is small).
    Reads every member: for merges, splits and articles leaving, not for each join."""
    row = tables.story(story)
    members = tables.docs(tables.story_members(story))
    if row is None or not members:
        return
    times = [m.when for m in members if m.when is not None]
    title = row.title
    if len(members) <= TITLE_MEMBERS:
        title = _central_title(tables, members) or title
    tables.save_story(
        StoryRow(
            story, title, min(times, default=None), max(times, default=None), len(members), None
        )
    )


def _central_title(tables: CorpusTables, members: Iterable[StoredDoc]) -> str | None:
    docs = [m for m in members if m.title]
    if len(docs) <= 2:
        return docs[0].title if docs else None
    vectors = tables.terms_of(d.seq for d in docs)
    scores = {
        d.seq: sum(cosine(vectors[d.seq], vectors[o.seq]) for o in docs if o.seq != d.seq)
        for d in docs
    }
    best = max(docs, key=lambda d: (scores[d.seq], -d.seq))
    return best.title


def story_detail(store: Store, story_id: str, *, max_articles: int = 200) -> dict[str, Any] | None:
    """Everything a reader wants about one story: its id (after forwarding), title, first and
    last time, outlets, top entities and speakers, events and the timeline of its articles."""
    tables = store.corpus_tables()
    live = tables.resolve_story(story_id)
    row = tables.story(live) if live is not None else None
    if row is None:
        return None
    docs = tables.docs(tables.story_members(row.id))
    docs.sort(key=lambda d: (d.when is None, d.when or datetime.min.replace(tzinfo=UTC), d.seq))
    entities: Counter[tuple[str, str, str]] = Counter()
    speakers: Counter[str] = Counter()
    outlets: Counter[str] = Counter()
    events: list[dict[str, Any]] = []
    timeline: list[dict[str, Any]] = []
    for doc in docs[:max_articles]:
        article = store.get(doc.article_id)
        if doc.outlet:
            outlets[doc.outlet] += 1
        timeline.append(
            {
                "article_id": doc.article_id,
                "outlet": doc.outlet,
                "title": doc.title,
                "published": doc.published,
                "duplicate_group": doc.dup_group,
            }
        )
        if article is None:
            continue
        # dict.fromkeys, not a set: ties in most_common keep the order of first mention, so
        # the top 15 are the same in every process (a set's order follows the hash seed)
        for key in dict.fromkeys(
            (m.entity_id, m.canonical or m.text, m.type) for m in article.entities if m.entity_id
        ):
            entities[(str(key[0]), str(key[1]), str(key[2]))] += 1
        for speaker in dict.fromkeys(q.speaker for q in article.quotes if q.speaker):
            speakers[str(speaker)] += 1
        for e in article.events:
            events.append(
                {
                    "article_id": doc.article_id,
                    "category": e.category,
                    "mode": e.mode,
                    "actor": e.actor,
                    "target": e.target,
                    "place": e.place,
                    "when": e.when,
                    "evidence": e.evidence,
                }
            )
    return {
        "id": row.id,
        "asked": story_id,
        "title": row.title,
        "first_at": row.first_at,
        "last_at": row.last_at,
        "articles": row.articles,
        "outlets": outlets.most_common(),
        "entities": [
            {"id": k[0], "name": k[1], "type": k[2], "articles": n}
            for k, n in entities.most_common(15)
        ],
        "speakers": [{"name": k, "articles": n} for k, n in speakers.most_common(10)],
        "events": events[:100],
        "timeline": timeline,
    }
