"""Validate the golden pages in this folder: every NNN_slug.txt has a NNN_slug.json that agrees with it.

Run from the repository root:  python tests/golden/pages/check_golden.py
Exits 1 and prints every problem found, 0 when all pages pass.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import date, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent

KEYS = [
    "outlet",
    "published",
    "published_raw",
    "modified",
    "title",
    "authors",
    "editors",
    "dateline",
    "credit",
    "wire_sources",
    "language",
    "paragraphs",
    "crossheads",
    "lines",
]
LABELS = {
    "body",
    "crosshead",
    "title",
    "dateline",
    "timestamp",
    "byline",
    "wire",
    "promo",
    "related",
    "media",
    "social",
    "nav",
    "ad",
    "pagination",
    "footer",
    "boilerplate",
}
OUTLETS = {
    "Kompas.com",
    "detikcom",
    "Tempo.co",
    "CNN Indonesia",
    "Antara",
    "Tribunnews.com",
    "Liputan6.com",
    "Republika",
    "kumparan",
    "Okezone",
    "Suara.com",
    "IDN Times",
    "Merdeka.com",
    "The Jakarta Post",
    "Jakarta Globe",
    "Antara News (English)",
    "Kontan",
    "Bisnis.com",
    "VIVA",
    "Sindonews",
    "Tirto.id",
    "Katadata",
    "Kapanlagi",
    "JPNN.com",
}
# canonical wire name -> spellings that may credit it on a page
WIRES = {
    "AFP": ["AFP"],
    "Reuters": ["Reuters"],
    "AP": ["AP", "Associated Press"],
    "Antara": ["Antara", "ANTARA", "Ant"],
    "Xinhua": ["Xinhua"],
    "Bernama": ["Bernama"],
    "WSJ": ["WSJ"],
    "BBC": ["BBC"],
    "Kyodo": ["Kyodo"],
    "Anadolu": ["Anadolu"],
    "dpa": ["dpa"],
}
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:00[+-]\d\d:\d\d$")
MONTHS = {
    "jan": 1,
    "feb": 2,
    "peb": 2,
    "mar": 3,
    "apr": 4,
    "mei": 5,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "agu": 8,
    "agt": 8,
    "ags": 8,
    "aug": 8,
    "sep": 9,
    "okt": 10,
    "oct": 10,
    "nov": 11,
    "nop": 11,
    "des": 12,
    "dec": 12,
}
WEEKDAYS = {
    "senin": 0,
    "selasa": 1,
    "rabu": 2,
    "kamis": 3,
    "jumat": 4,
    "sabtu": 5,
    "minggu": 6,
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
ZONES = {"WIB": "+07:00", "WITA": "+08:00", "WIT": "+09:00"}
NAME = re.compile(r"^(\d{3})_([a-z0-9]+(?:-[a-z0-9]+)*)$")


def parse_raw(raw: str) -> tuple[tuple[int, int, int, int, int], str | None, int | None]:
    """(year, month, day, hour, minute), zone offset or None, weekday or None from a raw date."""
    s = raw
    zone = None
    mz = re.search(r"\b(WITA|WIB|WIT)\b", s)
    if mz:
        zone = ZONES[mz.group(1)]
    mt = re.search(r"\b(\d{1,2})[:.](\d{2})(?:\s*([ap]\.?m\.?))?(?![\d/])", s, re.IGNORECASE)
    if not mt:
        raise ValueError(f"no time in {raw!r}")
    hour, minute = int(mt.group(1)), int(mt.group(2))
    if mt.group(3):
        pm = mt.group(3).lower().startswith("p")
        hour = hour % 12 + (12 if pm else 0)
    s = s[: mt.start()] + " " + s[mt.end() :]
    md = re.search(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b", s)
    if md:
        day, month, year = int(md.group(1)), int(md.group(2)), int(md.group(3))
    else:
        my = re.search(r"\b(\d{4})\b", s)
        if not my:
            raise ValueError(f"no year in {raw!r}")
        year = int(my.group(1))
        s = s[: my.start()] + " " + s[my.end() :]
        month = None
        for word in re.findall(r"[A-Za-z]+", s):
            key = word[:3].lower()
            if key in MONTHS and word.lower() not in WEEKDAYS and word.upper() not in ZONES:
                month = MONTHS[key]
                break
        mdd = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\b", s)
        if month is None or not mdd:
            raise ValueError(f"no day/month in {raw!r}")
        day = int(mdd.group(1))
    weekday = None
    for word in re.findall(r"[A-Za-z]+", raw):
        if word.lower() in WEEKDAYS:
            weekday = WEEKDAYS[word.lower()]
    return (year, month, day, hour, minute), zone, weekday


def check_page(txt: Path, js: Path) -> list[str]:
    probs: list[str] = []
    p = probs.append
    text = txt.read_text(encoding="utf-8")
    raw_lines = text.replace("\r\n", "\n").split("\n")
    nonblank = [ln for ln in raw_lines if ln.strip()]
    all_lines = set(raw_lines)
    try:
        doc = json.loads(js.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        return [f"invalid JSON: {exc}"]
    if not isinstance(doc, dict) or set(doc) != set(KEYS):
        return [f"keys must be exactly {KEYS}, got {list(doc) if isinstance(doc, dict) else doc!r}"]
    # --- lines
    lines = doc["lines"]
    if not isinstance(lines, list):
        return ["'lines' must be a list"]
    if len(lines) != len(nonblank):
        p(f"'lines' has {len(lines)} entries, the page has {len(nonblank)} non-blank lines")
    for i, entry in enumerate(lines):
        if not (
            isinstance(entry, list) and len(entry) == 2 and all(isinstance(x, str) for x in entry)
        ):
            p(f"lines[{i}] must be [label, text], got {entry!r}")
            continue
        label, ltext = entry
        if label not in LABELS:
            p(f"lines[{i}] has unknown label {label!r}")
        if ltext not in all_lines:
            p(f"lines[{i}] text is not a full line of the page: {ltext!r}")
        elif i < len(nonblank) and nonblank[i] != ltext:
            p(f"lines[{i}] is out of order: {ltext!r} but line is {nonblank[i]!r}")
    ok_lines = [e for e in lines if isinstance(e, list) and len(e) == 2]

    def by_label(lab: str) -> list[str]:
        return [t for label, t in ok_lines if label == lab]

    body = by_label("body")
    # --- paragraphs and credit
    paras, credit = doc["paragraphs"], doc["credit"]
    if not isinstance(paras, list) or not all(isinstance(x, str) and x for x in paras):
        p("'paragraphs' must be a list of non-empty strings")
        paras = []
    if not 4 <= len(paras) <= 12:
        p(f"{len(paras)} paragraphs; pages should have 4-12")
    if len(paras) != len(body):
        p(f"{len(paras)} paragraphs but {len(body)} body lines")
    for i, (para, line) in enumerate(zip(paras, body)):
        want = (credit or "") + para if i == 0 else para
        if want != line:
            p(
                f"paragraph {i} does not match its body line:\n    para: {want!r}\n    line: {line!r}"
            )
    if credit is not None:
        if not isinstance(credit, str) or not credit.strip():
            p("'credit' must be a non-empty string or null")
        elif body and not body[0].startswith(credit):
            p(f"credit {credit!r} does not start the lead")
    # --- crossheads
    if doc["crossheads"] != by_label("crosshead"):
        p(f"crossheads {doc['crossheads']!r} != crosshead lines {by_label('crosshead')!r}")
    # --- title
    titles = by_label("title")
    if doc["title"] is None:
        if titles:
            p("title is null but the page has a title line")
    elif doc["title"] not in titles:
        p(f"title {doc['title']!r} is not a line labelled title")
    # --- outlet, language
    # An outlet warta does not know is named as the page names itself (credit line, domain):
    # it must then occur in the page text.
    if doc["outlet"] is not None and doc["outlet"] not in OUTLETS and doc["outlet"] not in text:
        p(f"outlet {doc['outlet']!r} is neither a canonical outlet name nor written on the page")
    if doc["language"] not in ("id", "en"):
        p(f"language {doc['language']!r} must be 'id' or 'en'")
    # --- dates
    pub, raw, mod = doc["published"], doc["published_raw"], doc["modified"]
    for key in ("published", "modified"):
        v = doc[key]
        if v is not None and not (isinstance(v, str) and ISO.match(v)):
            p(f"{key} {v!r} is not ISO 8601 to the minute with an offset")
    if (pub is None) != (raw is None):
        p("published and published_raw must both be set or both be null")
    if raw is not None:
        stamp_lines = by_label("timestamp")
        if not any(raw in t for t in stamp_lines):
            p(f"published_raw {raw!r} is not inside a line labelled timestamp")
        try:
            fields, zone, weekday = parse_raw(raw)
            y, mo, d, h, mi = fields
            if pub and ISO.match(pub):
                if pub[:16] != f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}":
                    p(f"published {pub} disagrees with published_raw {raw!r}")
                if pub[-6:] != (zone or "+07:00"):
                    p(f"published offset {pub[-6:]} disagrees with zone {zone!r} (default +07:00)")
            if weekday is not None and date(y, mo, d).weekday() != weekday:
                p(f"weekday in published_raw {raw!r} is wrong")
        except ValueError as exc:
            p(f"cannot read published_raw: {exc}")
    if (
        pub
        and mod
        and ISO.match(pub)
        and ISO.match(mod)
        and datetime.fromisoformat(mod) < datetime.fromisoformat(pub)
    ):
        p("modified is earlier than published")
    # --- people
    bylines = by_label("byline")
    for key in ("authors", "editors"):
        v = doc[key]
        if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
            p(f"{key} must be a list of names")
            continue
        for name in v:
            if not any(name in b for b in bylines):
                p(f"{key[:-1]} {name!r} is not in any byline line")
    # --- dateline
    dl = doc["dateline"]
    if dl is not None:
        holders = ([credit] if credit else []) + by_label("dateline")
        if not any(dl.lower() in h.lower() for h in holders):
            p(f"dateline {dl!r} is not in the credit {credit!r} nor in a dateline line")
        elif dl != dl.title():
            p(f"dateline {dl!r} should be title case")
    # --- wires
    wires = doc["wire_sources"]
    places = by_label("wire") + ([credit] if credit else [])
    if not isinstance(wires, list):
        p("wire_sources must be a list")
        wires = []
    for w in wires:
        if w not in WIRES:
            p(f"wire source {w!r} is not a known short name")
        elif not any(re.search(r"\b" + re.escape(a) + r"\b", t) for a in WIRES[w] for t in places):
            p(f"wire source {w!r} is not credited in a wire line or the credit")
    for t in by_label("wire"):
        if not any(
            re.search(r"\b" + re.escape(a) + r"\b", t) for w in wires for a in WIRES.get(w, [])
        ):
            p(f"wire line {t!r} names no source listed in wire_sources")
    # --- weekday names written next to dates anywhere on the page: "Senin (12/3/2018)", "Rabu (19/7)"
    year = int(pub[:4]) if pub and ISO.match(pub) else None
    for m in re.finditer(r"\b([A-Z][a-z]+)\s*,?\s*\((\d{1,2})/(\d{1,2})(?:/(\d{4}))?\)", text):
        wd = WEEKDAYS.get(m.group(1).lower())
        yy = int(m.group(4)) if m.group(4) else year
        if wd is None or yy is None:
            continue
        try:
            if date(yy, int(m.group(3)), int(m.group(2))).weekday() != wd:
                p(f"weekday does not fit the date in {m.group(0)!r}")
        except ValueError:
            p(f"impossible date in {m.group(0)!r}")
    return probs


def main() -> int:
    problems = 0
    txts = sorted(HERE.glob("*.txt"))
    if not txts:
        print("no pages found", file=sys.stderr)
        return 1
    stems = {t.stem for t in txts}
    for js in sorted(HERE.glob("*.json")):
        if js.stem not in stems:
            print(f"{js.name}: no matching .txt")
            problems += 1
    for txt in txts:
        if not NAME.match(txt.stem):
            print(f"{txt.name}: name must be NNN_<outlet-slug>.txt")
            problems += 1
        js = txt.with_suffix(".json")
        if not js.exists():
            print(f"{txt.name}: no matching .json")
            problems += 1
            continue
        for prob in check_page(txt, js):
            print(f"{txt.stem}: {prob}")
            problems += 1
    print(f"{len(txts)} pages checked, {problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
