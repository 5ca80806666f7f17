"""Exact and near-duplicate reports: which articles carry the same text, which copy is the
original, how much of it each copy carries and what it added, and the syndication evidence.

Two reports are duplicates when their bodies share most of their 5-word shingles: estimated
Jaccard ≥ :data:`JACCARD` (a copy with other furniture or a rewritten lead), or one contains
≥ :data:`CONTAINED` of the other's shingles (a copy trimmed at the end, or one that added
paragraphs). Two reports of one happening written separately share far less (their quotes
and names at most), so they land in one *story*, not one duplicate group.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from warta.core.record import Article
from warta.corpus.minhash import Signature
from warta.store.corpus_tables import CorpusTables, StoredDoc

JACCARD = 0.5
CONTAINED = 0.8
#: below this many shingles a body is too short for containment to mean anything
MIN_SHINGLES_FOR_CONTAINMENT = 20


@dataclass(frozen=True, slots=True)
class Match:
    seq: int
    jaccard: float
    contained: float  # the larger share of either set that the two have in common


def compare(a: Signature, b: Signature) -> Match | None:
    """How two bodies overlap, or None when they are not duplicates."""
    j = a.jaccard(b)
    shared = a.shared(b)
    contained = 0.0
    if min(a.size, b.size) >= MIN_SHINGLES_FOR_CONTAINMENT:
        contained = max(shared / a.size, shared / b.size)
    if j >= JACCARD or contained >= CONTAINED:
        return Match(-1, j, contained)
    return None


def _when_key(doc: StoredDoc) -> tuple[int, datetime, int]:
    """Earliest first: dated copies by publish time, then undated ones in ingest order."""
    if doc.published is not None:
        return (0, doc.published, doc.seq)
    return (1, datetime.min.replace(tzinfo=UTC), doc.seq)


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def evidence(article: Article, original: Article | None) -> list[str]:
    """Why we believe the article is syndicated: wire credits, a republication notice, a
    canonical URL on another site. Kept with the group so a user can check it."""
    found: list[str] = [f"wire:{w}" for w in article.wire_sources]
    if article.syndicated_from is not None:  # "Artikel ini telah tayang di ..." (schema 1.5)
        found.append(f"notice:{article.syndicated_from.outlet}")
    canonical, own = _host(article.canonical_url), _host(article.url)
    if canonical and own and canonical != own:
        found.append(f"canonical:{canonical}")
    if original is not None and original.outlet and original.outlet != article.outlet:
        if any(w.casefold() == original.outlet.casefold() for w in article.wire_sources):
            found.append(f"credits-original:{original.outlet}")
    return found


def place_duplicate(
    tables: CorpusTables,
    seq: int,
    sig: Signature,
    fingerprint: str,
    candidates: list[int],
) -> tuple[int | None, bool]:
    """Put article ``seq`` into the duplicate group of the copies it matches (merging their
    groups when it bridges two); returns the group id, or None when it has no copy, and
    whether the article only joined one existing group (nothing else moved)."""
    matches: list[Match] = []
    exact = set(tables.same_fingerprint(fingerprint, seq))
    for doc in tables.docs(candidates):
        other = doc.seq
        if other in exact:
            matches.append(Match(other, 1.0, 1.0))
            continue
        found = compare(sig, Signature.from_bytes(doc.signature, doc.shingles))
        if found is not None:
            matches.append(Match(other, found.jaccard, found.contained))
    for other in exact - set(candidates):
        matches.append(Match(other, 1.0, 1.0))
    if not matches:
        return None, False
    docs = {d.seq: d for d in tables.docs(m.seq for m in matches)}
    groups = sorted({d.dup_group for d in docs.values() if d.dup_group is not None})
    group = groups[0] if groups else min(m.seq for m in matches)
    if len(groups) == 1 and all(d.dup_group == group for d in docs.values()):
        tables.db.execute("UPDATE corpus_docs SET dup_group = ? WHERE article = ?", (group, seq))
        return group, True
    members = {seq, *(m.seq for m in matches)}
    for other in groups[1:]:  # the article bridges two groups: they become one
        members.update(tables.group_members(other))
        tables.drop_group(other)
    members.update(tables.group_members(group))
    for member in members:
        tables.db.execute("UPDATE corpus_docs SET dup_group = ? WHERE article = ?", (group, member))
    return group, False


def join_group(
    tables: CorpusTables, group: int, seq: int, load: Callable[[str], Article | None]
) -> bool:
    """Settle a group that one article just joined without reading the others, when its
    original stays the earliest copy: the newcomer's share and evidence, the size plus one.
    False (nothing written) when the whole group must be settled again."""
    row = tables.group_row(group)
    if row is None:
        return False
    original_seq, size = row
    found = tables.docs([original_seq, seq])
    if len(found) != 2:
        return False
    original, doc = (found[0], found[1]) if found[0].seq == original_seq else (found[1], found[0])
    if _when_key(doc) < _when_key(original):
        return False
    orig_sig = Signature.from_bytes(original.signature, original.shingles)
    sig = Signature.from_bytes(doc.signature, doc.shingles)
    shared = sig.shared(orig_sig)
    carried = min(1.0, shared / orig_sig.size) if orig_sig.size else 0.0
    added = max(0.0, 1.0 - shared / sig.size) if sig.size else 0.0
    article, orig_article = load(doc.article_id), load(original.article_id)
    proof = evidence(article, orig_article) if article is not None else []
    tables.set_group(doc.seq, group, round(carried, 3), round(added, 3), proof)
    tables.save_group(group, original.seq, size + 1)
    return True


def settle_group(tables: CorpusTables, group: int, load: Callable[[str], Article | None]) -> None:
    """Name the group's original (its earliest copy) and say for every copy how much of the
    original it carries and what share of its own text it added."""
    members = tables.docs(tables.group_members(group))
    if not members:
        tables.drop_group(group)
        return
    original = min(members, key=_when_key)
    orig_sig = Signature.from_bytes(original.signature, original.shingles)
    orig_article = load(original.article_id)
    for doc in members:
        sig = Signature.from_bytes(doc.signature, doc.shingles)
        if doc.seq == original.seq:
            carried, added = 1.0, 0.0
        else:
            shared = sig.shared(orig_sig)
            carried = min(1.0, shared / orig_sig.size) if orig_sig.size else 0.0
            added = max(0.0, 1.0 - shared / sig.size) if sig.size else 0.0
        article = orig_article if doc.seq == original.seq else load(doc.article_id)
        proof = evidence(article, orig_article) if article is not None else []
        tables.set_group(doc.seq, group, round(carried, 3), round(added, 3), proof)
    tables.save_group(group, original.seq, len(members))
