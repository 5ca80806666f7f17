"""Stage ``meta.plaintext.v1``: outlet, publish and update time, people and wires of a page.

Everything here is read from the lines the cleaner removed (timestamps, bylines, wire credits,
furniture) and from the credit prefix, never from the body: a weekday-date in a body sentence
("Selasa (17/11/2015)") is when something happened, not when the page was published.
"""

from __future__ import annotations

from datetime import datetime, timezone

from warta.clean.credit import parse_credit, parse_credit_line
from warta.clean.knowledge import knowledge
from warta.meta.dates import ZONE_OFFSETS, DateMatch, find_datetimes, find_marked_time
from warta.meta.people import is_initials, parse_byline
from warta.meta.sources import outlet_from_furniture, outlet_from_url, wires_in_line
from warta.record import Article
from warta.stage import Stage


def _aware(m: DateMatch, zone: str | None) -> tuple[datetime, bool]:
    """The match as an aware datetime; a naive one takes ``zone`` and is flagged as assumed."""
    if m.value.tzinfo is not None:
        return m.value, False
    offset = ZONE_OFFSETS.get(zone or "", None)
    if offset is None:
        return m.value, False
    return m.value.replace(tzinfo=timezone(offset)), True


def _time_only_update(article: Article, zone: str | None) -> datetime | None:
    """ "Terakhir diperbarui 09:50 WITA": the update time on the publish day."""
    assert article.published is not None
    for r in article.removed:
        if r.label != "timestamp":
            continue
        marked = find_marked_time(r.text)
        if marked is None or marked.kind != "modified":
            continue
        offset = ZONE_OFFSETS.get(marked.zone or zone or "", None)
        tz = timezone(offset) if offset is not None else article.published.tzinfo
        published = article.published.astimezone(tz) if tz else article.published
        return published.replace(hour=marked.hour, minute=marked.minute, second=0, tzinfo=tz)
    return None


class PlainTextMetadata(Stage):
    name = "meta.plaintext.v1"
    requires = frozenset({"removed", "credit", "language"})
    provides = frozenset(
        {
            "outlet",
            "published",
            "published_raw",
            "modified",
            "authors",
            "editors",
            "wire_sources",
            "extras.warta.published_zone",
        }
    )

    def process(self, article: Article) -> Article:
        kb = knowledge()
        credit = parse_credit(article.credit, kb) if article.credit else None
        wires: list[str] = []

        if credit is None:  # a credit standing on its own line: "SAMARINDA, wartaborneo.id -"
            credit = next(
                (
                    c
                    for r in article.removed
                    if r.label == "dateline"
                    if (c := parse_credit_line(r.text, kb)) is not None
                ),
                None,
            )
        outlet = credit.outlet if credit and credit.outlet else None
        outlet = (
            outlet or outlet_from_url(article.url, kb) or outlet_from_furniture(article.removed, kb)
        )
        known = kb.outlet(outlet) if outlet else None
        if known is not None and article.language in known.editions:
            outlet = known.editions[article.language]  # Antara's English service, ...
        article.outlet = outlet
        zone = known.zone if known and known.zone else ("WIB" if article.language == "id" else None)

        stamps: list[DateMatch] = []
        for r in article.removed:
            if r.label == "timestamp":
                stamps.extend(find_datetimes(r.text))
        if not stamps:  # a time printed on a byline line ("Penulis: X | 18/11/2015 13:16")
            for r in article.removed:
                if r.label in ("byline", "dateline"):
                    stamps.extend(m for m in find_datetimes(r.text) if m.has_time)
        published = next((m for m in stamps if m.kind != "modified"), None)
        modified = next((m for m in stamps if m.kind == "modified"), None)
        if published is not None:
            article.published, assumed = _aware(published, zone)
            article.published_raw = published.raw
            if assumed:
                article.extras["warta.published_zone"] = f"assumed {zone}"
        if modified is not None and modified is not published:
            article.modified, _ = _aware(modified, zone)
        elif modified is None and article.published is not None:
            article.modified = _time_only_update(article, zone)

        for r in article.removed:
            if r.label == "byline":
                if is_initials(r.text) and (article.authors or article.editors):
                    continue  # names already given in full
                authors, editors, byline_wires = parse_byline(r.text, kb)
                article.authors.extend(a for a in authors if a not in article.authors)
                article.editors.extend(e for e in editors if e not in article.editors)
                wires.extend(byline_wires)
            elif r.label == "wire":
                wires.extend(wires_in_line(r.text, kb))
        if credit and credit.wire:
            wires.insert(0, credit.wire)
        article.wire_sources = list(dict.fromkeys(w for w in wires if w != article.outlet))
        return article
