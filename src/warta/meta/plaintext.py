"""Stage ``meta.plaintext.v1``: outlet, publish and update time, people and wires of a page.

Everything here is read from the lines the cleaner removed (timestamps, bylines, wire credits,
furniture) and from the credit prefix, never from the body: a weekday-date in a body sentence
("Selasa (17/11/2015)") is when something happened, not when the page was published.
"""

from __future__ import annotations

from datetime import datetime

from warta.clean.credit import Credit, parse_credit, parse_credit_line
from warta.clean.knowledge import Knowledge, knowledge
from warta.core import diskcache
from warta.core.record import Article
from warta.core.stage import Stage
from warta.meta.dates import DateMatch, find_datetimes, find_marked_time
from warta.meta.kind import check_text
from warta.meta.people import is_initials, parse_byline
from warta.meta.published import in_zone, set_published, zone_named
from warta.meta.sites import registered_domain
from warta.meta.sources import outlet_from_furniture, outlet_from_url, wires_in_line
from warta.meta.when import from_match


def page_credit(article: Article, kb: Knowledge) -> Credit | None:
    """The page's own credit: the prefix of its lead, else a credit standing on its own line
    ("SAMARINDA, wartaborneo.id -")."""
    credit = parse_credit(article.credit, kb) if article.credit else None
    if credit is not None:
        return credit
    for r in article.removed:
        if r.label == "dateline":
            found = parse_credit_line(r.text, kb)
            if found is not None:
                return found
    return None


def outlet_name(outlet: str | None, language: str | None, kb: Knowledge) -> str | None:
    """The outlet's canonical name, in the edition of the page's language when it has one
    (Antara's English service)."""
    known = kb.outlet(outlet) if outlet else None
    if known is not None and language in known.editions:
        return known.editions[language or ""]
    if known is None and outlet is not None:
        return _domain_case(outlet)
    return outlet


_DOMAIN_NAME = diskcache.compile(r"([^\s.]+)\.((?:[A-Za-z]{2,6})(?:\.[A-Za-z]{2})?)")


def _domain_case(outlet: str) -> str:
    """An unknown outlet written as a domain has its suffix in lower case, so one outlet is
    one name however a credit capitalises it ("JUARA.NET" and "JUARA.net" are "JUARA.net")."""
    m = _DOMAIN_NAME.fullmatch(outlet)
    return f"{m.group(1)}.{m.group(2).lower()}" if m else outlet


def _time_only_update(article: Article, zone: str | None) -> datetime | None:
    """ "Terakhir diperbarui 09:50 WITA": the update time on the publish day."""
    assert article.published is not None
    for r in article.removed:
        if r.label != "timestamp":
            continue
        marked = find_marked_time(r.text)
        if marked is None or marked.kind != "modified":
            continue
        tz = zone_named(marked.zone or zone) or article.published.tzinfo
        published = article.published.astimezone(tz) if tz else article.published
        return published.replace(hour=marked.hour, minute=marked.minute, second=0, tzinfo=tz)
    return None


def _stamps(article: Article) -> tuple[DateMatch | None, DateMatch | None]:
    """(published, modified) from the timestamp lines, else from a time printed on a byline
    or dateline line ("Penulis: X | 18/11/2015 13:16")."""
    stamps: list[DateMatch] = []
    for r in article.removed:
        if r.label == "timestamp":
            stamps.extend(find_datetimes(r.text))
    if not stamps:
        for r in article.removed:
            if r.label in ("byline", "dateline"):
                stamps.extend(m for m in find_datetimes(r.text) if m.has_time)
    published = next((m for m in stamps if m.kind != "modified"), None)
    modified = next((m for m in stamps if m.kind == "modified"), None)
    return published, modified


class PlainTextMetadata(Stage):
    name = "meta.plaintext.v1"
    requires = frozenset({"removed", "credit", "language"})
    provides = frozenset(
        {
            "outlet",
            "published",
            "published_raw",
            "published_local",
            "published_precision",
            "modified",
            "authors",
            "editors",
            "wire_sources",
            "extras.warta.published_zone",
            # a licence, JSON or a text without prose: its body is emptied (meta/kind.py)
            "body",
            "blocks",
        }
    )

    def process(self, article: Article) -> Article:
        check_text(article)  # a licence, JSON or a text without prose is no report
        kb = knowledge()
        credit = page_credit(article, kb)
        wires: list[str] = []
        outlet = credit.outlet if credit and credit.outlet else None
        outlet = outlet or outlet_from_url(article.url, kb)
        if outlet is None and article.content_type != "text/html":
            # a text scrape's own timestamps and footers; an HTML page's removed lines are
            # its links, to other outlets as often as not (meta.html.v1 names its outlet)
            outlet = outlet_from_furniture(article.removed, kb)
        article.outlet = outlet_name(outlet or registered_domain(article.url), article.language, kb)
        known = kb.outlet(outlet) if outlet else None
        # a naive time takes the known outlet's zone, and no other: never one guessed from
        # the language (Indonesia has three)
        zone = known.zone if known and known.zone else None

        published, modified = _stamps(article)
        if published is not None:
            when = from_match(published, "text")
            set_published(article, published.value, when.precision, published.raw, zone)
        if modified is not None and modified is not published and modified.has_time:
            article.modified = in_zone(modified.value, zone)
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
