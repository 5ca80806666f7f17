"""A watch as an Atom feed (RFC 4287): its newest matches, one entry each.

Built with ElementTree, so every title, outlet and URL taken from a scraped page is escaped as
XML text or attribute, never spliced into markup.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from warta.store.base import SearchHit
from warta.store.watch_tables import Watch

ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml"
_MARKS = re.compile(r"\[\[|\]\]")
# characters XML 1.0 cannot carry at all (a scraped title may hold them)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str | None) -> str:
    return _NOT_XML.sub("", value or "")


def _when(value: datetime | None, fallback: datetime) -> str:
    moment = value or fallback
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat()


def feed(watch: Watch, hits: Sequence[SearchHit], *, self_url: str, now: datetime) -> bytes:
    """The Atom document of ``watch`` with ``hits`` (newest first) as its entries."""
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(root, f"{{{ATOM}}}id").text = f"urn:warta:watch:{watch.name}"
    ET.SubElement(root, f"{{{ATOM}}}title").text = _text(f"warta watch {watch.name}: {watch.query}")
    newest = max((h.published for h in hits if h.published), default=None)
    ET.SubElement(root, f"{{{ATOM}}}updated").text = _when(newest, now)
    ET.SubElement(root, f"{{{ATOM}}}link", rel="self", href=_text(self_url))
    ET.SubElement(root, f"{{{ATOM}}}generator").text = "warta"
    for hit in hits:
        entry = ET.SubElement(root, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"urn:warta:article:{hit.id}"
        ET.SubElement(entry, f"{{{ATOM}}}title").text = _text(hit.title) or hit.id
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _when(hit.published, now)
        if hit.published is not None:
            ET.SubElement(entry, f"{{{ATOM}}}published").text = _when(hit.published, now)
        if hit.url:
            ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=_text(hit.url))
        author = ET.SubElement(entry, f"{{{ATOM}}}author")
        ET.SubElement(author, f"{{{ATOM}}}name").text = _text(hit.outlet) or "unknown outlet"
        summary = _text(_MARKS.sub("", hit.snippet)).strip()
        if summary:
            ET.SubElement(entry, f"{{{ATOM}}}summary", type="text").text = summary
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body
