"""Time expressions in news text, resolved to TIMEX3-style values against the publish time.

``find_times(text, anchor)`` returns :class:`~warta.core.record.TimeExpression` spans (offsets into
``text``), in order, without overlap; where candidates start at the same place the longest
wins. The vocabulary is data: ``warta/lang/<code>/times.toml`` (relative words, units, parts
of day, number words) plus the month and weekday names of ``dates.toml``. Explicit dates come
from :func:`warta.meta.dates.find_datetimes`.

Values (``anchor`` is the article's publish time, read in its own zone):

* explicit dates ``2015-11-18``; with a time ``2015-11-18T14:05``, plus the offset when a
  zone was written (``2015-11-18T14:05+07:00``); months ``2015-11``; years ``2015``;
* weeks are ISO weeks, Monday first: "pekan ini" on Wed 18 Nov 2015 is ``2015-W47``, a
  weekend ``2015-W47-WE``;
* parts of day append a TIMEX3 code: ``2015-11-17TNI`` (MO morning, AF afternoon, EV evening,
  NI night; "dini hari" counts as NI);
* a bare weekday ("Selasa malam") is the anchor's own day when it is that weekday, else the
  most recent such day before it (Indonesian news uses a bare weekday for the current week,
  mostly past); "Senin depan"/"next Monday" is the next one after the anchor, "Senin
  lalu"/"last Monday" the one before it; a date in parentheses wins ("Rabu (18/11/2015)");
  a day and month without a year ("Jumat (6/11)", "19 Agustus") take the year that puts the
  date nearest the anchor;
* *vague positions* ("akhir 2019", "awal bulan depan", "late 2019", "earlier this month")
  take the value of the whole period (``2019``, ``2015-12``): TIMEX3 puts the position in its
  ``mod`` attribute (END, START, MID), which this record does not carry;
* counts: "dua hari lalu"/"two days ago" shift the anchor (``2015-11-16``); "dua hari" alone
  is a DURATION (``P2D``, ``PT3H``); "dua hari kemudian"/"two days later" are relative to the
  story, not the publish time, so their value is None;
* without an anchor, explicit dates and years keep their values, dates without a year get
  ``XXXX`` for it (``XXXX-11-06``), durations keep theirs, and relative expressions get None.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from re import _constants as re_constants  # type: ignore[attr-defined]
from re import _parser as re_parser  # type: ignore[attr-defined]
from typing import Any, ClassVar

from warta.core import diskcache
from warta.core.record import Article, TimeExpression
from warta.core.stage import Stage, check_deadline
from warta.lang import has_data, load_toml, reading
from warta.meta.dates import ZONE_OFFSETS, find_datetimes
from warta.nlp.langdata import for_page

__all__ = ["TimeStage", "find_times"]

_B = r"(?<!\w)"
_E = r"(?!\w)"
_DURATION_CODES = {"day": "D", "week": "W", "month": "M", "year": "Y"}
_CLOCK_CODES = {"hour": "H", "minute": "M"}
_NEEDS = "times.toml"  # what a language must have for its pages' times to be sought


def _longest_first(word: str) -> tuple[int, str]:
    """Longest first, then alphabetical: an alternation built from a set is the same text in
    every process (so its compiled program is found in the disk cache)."""
    return (-len(word), word)


def _alt(words: Iterable[str]) -> str:
    """A regex alternation of literal phrases, longest first, spaces matching any blanks."""
    uniq = sorted({w.lower() for w in words if w}, key=_longest_first)
    if not uniq:
        return r"(?!x)x"
    return "(?:" + "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in uniq) + ")"


def _norm(s: str) -> str:
    return " ".join(s.lower().split())


@dataclass(frozen=True, slots=True)
class _Lang:
    code: str
    months: dict[str, int]
    weekdays: dict[str, int]
    units: dict[str, str]
    duration_units: dict[str, str]
    single_units: dict[str, str]
    deictic: dict[str, int]
    count_direction: dict[str, int]
    modifiers: tuple[str, ...]
    days: dict[str, int]
    parts: dict[str, str]
    fixed: dict[str, tuple[int, str]]
    today_before: tuple[str, ...]
    today_after: tuple[str, ...]
    last_night: tuple[str, ...]
    weekday_after: dict[str, int]
    weekday_before: dict[str, int]
    numbers: dict[str, int]
    adders: dict[str, int]
    multipliers: dict[str, int]
    year_cues: frozenset[str]
    bare_month_exclude: frozenset[str]
    bare_month_capital: bool
    time_prefixes: tuple[str, ...]
    deictic_after_unit: bool


def _names(table: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    for key, names in (table or {}).items():
        for name in names:
            out[_norm(str(name))] = int(key)
    return out


def _inverse(table: Any) -> dict[str, str]:
    return {_norm(str(w)): str(k) for k, ws in (table or {}).items() for w in ws}


@cache
def _language(code: str) -> _Lang:
    """The time words of ``lang/<code>/times.toml`` and ``dates.toml``."""
    t = load_toml(code, "times")
    d = load_toml(code, "dates")
    return _Lang(
        code=code,
        months=_names(d.get("months")),
        weekdays=_names(d.get("weekdays")),
        units=_inverse(t.get("units")),
        duration_units=_inverse(t.get("duration_units")),
        single_units={_norm(k): str(v) for k, v in t.get("single_units", {}).items()},
        deictic={_norm(k): int(v) for k, v in t.get("deictic", {}).items()},
        count_direction={_norm(k): int(v) for k, v in t.get("count_direction", {}).items()},
        modifiers=tuple(_norm(m) for m in t.get("modifiers", [])),
        days={_norm(k): int(v) for k, v in t.get("days", {}).items()},
        parts={_norm(k): str(v) for k, v in t.get("parts", {}).items()},
        fixed={_norm(k): (int(v[0]), str(v[1])) for k, v in t.get("fixed", {}).items()},
        today_before=tuple(_norm(w) for w in t.get("today_part_before", [])),
        today_after=tuple(_norm(w) for w in t.get("today_part_after", [])),
        last_night=tuple(_norm(w) for w in t.get("last_night_words", [])),
        weekday_after={_norm(k): int(v) for k, v in t.get("weekday_after", {}).items()},
        weekday_before={_norm(k): int(v) for k, v in t.get("weekday_before", {}).items()},
        numbers={_norm(k): int(v) for k, v in t.get("numbers", {}).items()},
        adders={_norm(k): int(v) for k, v in t.get("number_adders", {}).items()},
        multipliers={_norm(k): int(v) for k, v in t.get("number_multipliers", {}).items()},
        year_cues=frozenset(_norm(w) for w in t.get("year_cues", [])),
        bare_month_exclude=frozenset(_norm(w) for w in t.get("bare_month_exclude", [])),
        bare_month_capital=bool(t.get("bare_month_capital", False)),
        time_prefixes=tuple(str(w) for w in t.get("time_prefixes", [])),
        deictic_after_unit=bool(t.get("deictic_after_unit", True)),
    )


def rule_languages(language: str | None) -> tuple[str, ...]:
    """The languages whose time words are sought in a page in ``language``: the one whose
    data it reads and its ``also`` languages that have time words, in code order (the order
    the rules have always been tried in); none when no language along its fallbacks has any."""
    found = reading(language, _NEEDS)
    if found.code is None:
        return ()
    return tuple(sorted(c for c in {found.code, *found.also} if has_data(c, _NEEDS)))


# --------------------------------------------------------------------------- resolution


@dataclass(frozen=True, slots=True)
class _Cand:
    start: int
    end: int
    value: str | None
    type: str
    priority: int


def _day(anchor: datetime | None, shift: int) -> date | None:
    return None if anchor is None else anchor.date() + timedelta(days=shift)


def _period(anchor: datetime | None, unit: str, shift: int) -> str | None:
    if anchor is None:
        return None
    base = anchor.date()
    if unit == "day":
        return (base + timedelta(days=shift)).isoformat()
    if unit in ("week", "weekend"):
        y, w, _ = (base + timedelta(days=7 * shift)).isocalendar()
        return f"{y}-W{w:02d}" + ("-WE" if unit == "weekend" else "")
    if unit == "month":
        n = base.year * 12 + base.month - 1 + shift
        return f"{n // 12:04d}-{n % 12 + 1:02d}"
    if unit == "year":
        return f"{base.year + shift:04d}"
    return None


def _weekday(anchor: datetime | None, iso: int, shift: int | None) -> date | None:
    if anchor is None:
        return None
    base = anchor.date()
    back = (base.isoweekday() - iso) % 7
    if shift is None:
        return base - timedelta(days=back)
    if shift < 0:
        return base - timedelta(days=back or 7)
    if shift > 0:
        return base + timedelta(days=(iso - base.isoweekday()) % 7 or 7)
    return base + timedelta(days=iso - base.isoweekday())


def _nearest_year(anchor: datetime | None, month: int, day: int) -> str | None:
    """``YYYY-MM-DD`` with the year putting the date nearest the anchor (``XXXX`` without)."""
    if anchor is None:
        try:
            date(2000, month, day)  # a leap year: 29/2 is possible
        except ValueError:
            return None
        return f"XXXX-{month:02d}-{day:02d}"
    best: date | None = None
    base = anchor.date()
    for year in (base.year - 1, base.year, base.year + 1):
        try:
            d = date(year, month, day)
        except ValueError:
            continue
        if best is None or abs((d - base).days) < abs((best - base).days):
            best = d
    return None if best is None else best.isoformat()


def _offset(delta: timedelta | None) -> str:
    if delta is None:
        return ""
    minutes = int(delta.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _parse_number(words: str, lang: _Lang) -> float | None:
    words = words.strip()
    if re.fullmatch(r"\d+(?:[.,]\d+)?", words):
        return float(words.replace(",", "."))
    total = 0
    current = 0
    for word in re.split(r"[\s-]+", words.lower()):
        if word in lang.numbers:
            current += lang.numbers[word]
        elif word in lang.adders:
            current = (current or 1) + lang.adders[word]
        elif word in lang.multipliers:
            current = (current or 1) * lang.multipliers[word]
            if lang.multipliers[word] >= 100:
                total += current
                current = 0
        else:
            return None
    total += current
    return float(total) if total > 0 else None


def _num_str(n: float) -> str:
    return str(int(n)) if n == int(n) else f"{n:g}"


# --------------------------------------------------------------------------- patterns


@dataclass(frozen=True, slots=True)
class _Rule:
    pattern: re.Pattern[str]
    resolve: Callable[[re.Match[str], str, datetime | None], _Cand | None]


_Resolver = Callable[[re.Match[str], str, datetime | None], _Cand | None]


@dataclass(frozen=True, slots=True)
class _Parts:
    """The alternations of one language's words that the rules' patterns are built from."""

    mod: str  # an optional position modifier ("akhir", "late") in group ``mod``
    mods: str
    units: str
    deictic: str
    parts: str
    weekdays: str
    months: str
    full_months: str
    days: str
    number: str
    dur_units: str
    singles: str
    direction: str
    zones: str
    prefixes: str


_YEAR = r"(?:19|20)\d\d"


def _parts(lang: _Lang) -> _Parts:
    mods = _alt(lang.modifiers)
    num_words = _alt([*lang.numbers, *lang.adders, *lang.multipliers])
    return _Parts(
        mod=rf"(?:(?P<mod>{mods})(?:\s+|-))?",
        mods=mods,
        units=_alt(lang.units),
        deictic=_alt(lang.deictic),
        parts=_alt(lang.parts),
        weekdays=_alt(lang.weekdays),
        months=_alt(lang.months),
        full_months=_alt(
            m for m in lang.months if len(m) >= 4 and m not in lang.bare_month_exclude
        ),
        days=_alt(lang.days),
        number=rf"(?:\d{{1,3}}(?:[.,]\d+)?|{num_words}(?:[\s-]+{num_words}){{0,3}})",
        dur_units=_alt(lang.duration_units),
        singles=_alt(lang.single_units),
        direction=_alt(lang.count_direction),
        zones=_alt(ZONE_OFFSETS),
        prefixes=_alt(lang.time_prefixes),
    )


def _rule(regex: str, fn: _Resolver) -> _Rule:
    return _Rule(diskcache.compile(_B + regex + _E, re.IGNORECASE), fn)


def _rules(lang: _Lang) -> list[_Rule]:
    """Every rule of one language, in the order they are tried."""
    p = _parts(lang)
    return [
        *_period_rules(lang, p),
        *_day_rules(lang, p),
        _weekday_rule(lang, p),
        _count_rule(lang, p),
        *_clock_rules(p),
        *_month_year_rules(lang, p),
    ]


def _period_rules(lang: _Lang, p: _Parts) -> list[_Rule]:
    """Relative periods ("pekan ini", "awal bulan depan", "last week", "earlier this month"),
    a modifier with a bare unit ("akhir tahun": this year) and a bare weekend unit."""
    if lang.deictic_after_unit:
        rel = rf"{p.mod}(?P<unit>{p.units})\s+(?P<dei>{p.deictic})"
    else:
        rel = rf"{p.mod}(?P<dei>{p.deictic})\s+(?P<unit>{p.units})"

    def relative(m: re.Match[str], text: str, anchor: datetime | None) -> _Cand:
        unit = lang.units[_norm(m["unit"])]
        if m["mod"]:  # "akhir pekan lalu" is last weekend
            unit = lang.units.get(_norm(f"{m['mod']} {m['unit']}"), unit)
        value = _period(anchor, unit, lang.deictic[_norm(m["dei"])])
        return _Cand(m.start(), m.end(), value, "DATE", 0)

    def bare_unit(m: re.Match[str], text: str, anchor: datetime | None) -> _Cand:
        unit = lang.units[_norm(m["unit"])]
        return _Cand(m.start(), m.end(), _period(anchor, unit, 0), "DATE", 2)

    weekend = _alt(w for w, u in lang.units.items() if u == "weekend" and " " in w)
    return [
        _rule(rel, relative),
        _rule(rf"(?P<mod>{p.mods})(?:\s+|-)(?P<unit>{p.units})", bare_unit),
        _rule(rf"(?P<unit>{weekend})", bare_unit),
    ]


def _day_rules(lang: _Lang, p: _Parts) -> list[_Rule]:
    """Day words with an optional part of day ("kemarin", "besok pagi", "yesterday
    morning"), today's parts of day ("tadi pagi", "malam ini", "this morning") and fixed
    phrases ("tonight")."""

    def day_word(m: re.Match[str], text: str, anchor: datetime | None) -> _Cand:
        d = _day(anchor, lang.days[_norm(m["day"])])
        part = lang.parts[_norm(m["part"])] if m["part"] else None
        value = None if d is None else d.isoformat() + (f"T{part}" if part else "")
        return _Cand(m.start(), m.end(), value, "DATE", 0)

    def today_part(m: re.Match[str], text: str, anchor: datetime | None) -> _Cand:
        part = lang.parts[_norm(m["part"])]
        shift = 0
        phrase = _norm(m.group(0))
        if phrase in lang.last_night and anchor is not None and anchor.hour < 12:
            shift = -1
        d = _day(anchor, shift)
        return _Cand(m.start(), m.end(), None if d is None else f"{d}T{part}", "DATE", 0)

    def fixed(m: re.Match[str], text: str, anchor: datetime | None) -> _Cand:
        shift, part = lang.fixed[_norm(m.group(0))]
        d = _day(anchor, shift)
        return _Cand(m.start(), m.end(), None if d is None else f"{d}T{part}", "DATE", 0)

    rules = [_rule(rf"(?P<day>{p.days})(?:\s+(?P<part>{p.parts}))?", day_word)]
    if lang.today_before:
        rules.append(_rule(rf"{_alt(lang.today_before)}\s+(?P<part>{p.parts})", today_part))
    if lang.today_after:
        rules.append(_rule(rf"(?P<part>{p.parts})\s+{_alt(lang.today_after)}", today_part))
    if lang.fixed:
        rules.append(_rule(_alt(lang.fixed), fixed))
    return rules


def _weekday_rule(lang: _Lang, p: _Parts) -> _Rule:
    """Weekdays: "Selasa malam", "Senin depan", "next Monday", "Jumat (6/11)"."""
    wd_before = _alt(lang.weekday_before)
    wd_after = _alt(lang.weekday_after)

    def weekday(m: re.Match[str], text: str, anchor: datetime | None) -> _Cand | None:
        name = m["wd"]
        if not name[0].isupper():
            return None
        iso = lang.weekdays[_norm(name)]
        if m["dd"]:
            value = _nearest_year(anchor, int(m["mm"]), int(m["dd"]))
            if value is None:
                return None
            return _Cand(m.start(), m.end(), value, "DATE", 1)
        shift: int | None = None
        if m["pre"]:
            shift = lang.weekday_before[_norm(m["pre"])]
        elif m["post"]:
            shift = lang.weekday_after[_norm(m["post"])]
        d = _weekday(anchor, iso, shift)
        part = lang.parts[_norm(m["part"])] if m["part"] else None
        value = None if d is None else d.isoformat() + (f"T{part}" if part else "")
        return _Cand(m.start(), m.end(), value, "DATE", 1)

    return _rule(
        rf"(?:(?P<pre>{wd_before})\s+)?(?P<wd>{p.weekdays})"
        rf"(?:\s*\(\s*(?P<dd>\d{{1,2}})\s*/\s*(?P<mm>\d{{1,2}})\s*\)"
        rf"|(?:\s+(?P<part>{p.parts}))?(?:\s+(?P<post>{wd_after}))?)",
        weekday,
    )


def _count_rule(lang: _Lang, p: _Parts) -> _Rule:
    """Counts: "dua hari lalu", "3 tahun", "sepekan", "two days ago"."""

    def count(m: re.Match[str], text: str, anchor: datetime | None) -> _Cand | None:
        if m["single"]:
            n: float | None = 1.0
            unit = lang.single_units[_norm(m["single"])]
        else:
            n = _parse_number(m["num"], lang)
            unit = lang.duration_units[_norm(m["unit"])]
        if n is None:
            return None
        if m["dir"]:
            return _shifted(m, anchor, n, unit, lang.count_direction[_norm(m["dir"])])
        if unit in _CLOCK_CODES:
            value = f"PT{_num_str(n)}{_CLOCK_CODES[unit]}"
        else:
            value = f"P{_num_str(n)}{_DURATION_CODES[unit]}"
        return _Cand(m.start(), m.end(), value, "DURATION", 3)

    return _rule(
        rf"(?:(?P<num>{p.number})\s+(?P<unit>{p.dur_units})|(?P<single>{p.singles}))"
        rf"(?:\s+(?P<dir>{p.direction}))?",
        count,
    )


def _shifted(m: re.Match[str], anchor: datetime | None, n: float, unit: str, sign: int) -> _Cand:
    """A count with a direction: "dua hari lalu" shifts the anchor; "two days later" (sign 0,
    relative to the story) has no value."""
    if sign == 0 or anchor is None or n != int(n) or n > 5000:
        return _Cand(m.start(), m.end(), None, "DATE", 0)
    k = sign * int(n)
    if unit in ("hour", "minute"):
        delta = timedelta(hours=k) if unit == "hour" else timedelta(minutes=k)
        return _Cand(m.start(), m.end(), (anchor + delta).strftime("%Y-%m-%dT%H:%M"), "TIME", 0)
    return _Cand(m.start(), m.end(), _period(anchor, unit, k), "DATE", 0)


def _clock_rules(p: _Parts) -> list[_Rule]:
    """Clock times: "pukul 14.05 WIB", "10.00 WIB", "pukul 9"."""

    def clock(m: re.Match[str], text: str, anchor: datetime | None) -> _Cand | None:
        hh, mm = int(m["hh"]), int(m["mi"] or 0)
        if hh > 24 or mm > 59:
            return None
        zone = m["zone"]
        off = _offset(ZONE_OFFSETS[zone.upper()]) if zone else ""
        value = None if anchor is None else f"{anchor.date()}T{hh:02d}:{mm:02d}{off}"
        return _Cand(m.start(), m.end(), value, "TIME", 0)

    clock_tail = rf"(?P<hh>\d{{1,2}})(?:[.:](?P<mi>\d{{2}}))?(?:\s*(?P<zone>{p.zones}))?"
    return [
        _rule(rf"{p.prefixes}\s+{clock_tail}", clock),
        _rule(rf"(?P<hh>\d{{1,2}})[.:](?P<mi>\d{{2}})\s*(?P<zone>{p.zones})", clock),
    ]


def _month_year_rules(lang: _Lang, p: _Parts) -> list[_Rule]:
    """Months and years: "Oktober 2009", "19 Agustus", "Desember", "akhir 2019", "90-an"."""

    def month_year(m: re.Match[str], text: str, anchor: datetime | None) -> _Cand:
        month = lang.months[_norm(m["mon"])]
        return _Cand(m.start(), m.end(), f"{m['yr']}-{month:02d}", "DATE", 1)

    def day_month(m: re.Match[str], text: str, anchor: datetime | None) -> _Cand | None:
        value = _nearest_year(anchor, lang.months[_norm(m["mon"])], int(m["dd"]))
        return None if value is None else _Cand(m.start(), m.end(), value, "DATE", 1)

    def bare_month(m: re.Match[str], text: str, anchor: datetime | None) -> _Cand | None:
        name = m["mon"]
        if lang.bare_month_capital and not name[0].isupper():
            return None
        month = lang.months[_norm(name)]
        yr = "XXXX" if anchor is None else f"{anchor.year:04d}"
        return _Cand(m.start(), m.end(), f"{yr}-{month:02d}", "DATE", 2)

    def bare_year(m: re.Match[str], text: str, anchor: datetime | None) -> _Cand | None:
        before = re.search(r"(\w+)\W*$", text[max(0, m.start() - 30) : m.start()])
        after = text[m.end() : m.end() + 2]
        cue = m["mod"] or (before is not None and before.group(1).lower() in lang.year_cues)
        if not cue and not re.match(r"\s*(?:[.,;:)!?\"'\n]|$)", after):
            return None
        return _Cand(m.start(), m.end(), m["yr"], "DATE", 4)

    def decade(m: re.Match[str], text: str, anchor: datetime | None) -> _Cand:
        digits = m["dec"]
        if len(digits) == 2:
            digits = ("19" if int(digits) >= 30 else "20") + digits
        return _Cand(m.start(), m.end(), digits[:3], "DATE", 1)

    return [
        _rule(rf"{p.mod}(?P<mon>{p.months})\.?\s+(?P<yr>{_YEAR})(?![\d.,/:]\d)", month_year),
        _rule(rf"(?P<dd>\d{{1,2}})\s+(?P<mon>{p.months})(?!\.?\s*\d)", day_month),
        _rule(rf"{p.mod}(?P<mon>{p.full_months})", bare_month),
        _rule(rf"{p.mod}(?<![\d.,/:-])(?P<yr>{_YEAR})(?![\d]|[.,/:-]\d)", bare_year),
        _rule(r"(?P<dec>(?:19|20)?\d0)-?an", decade),
    ]


@cache
def _all_rules(codes: tuple[str, ...]) -> tuple[_Rule, ...]:
    return tuple(rule for code in codes for rule in _rules(_language(code)))


# --------------------------------------------------------------------------- scanning
#
# Thirty-odd rules each scanned over the whole body cost more than everything they find: the
# engine tries every rule at every character. A *gate* -- every rule's pattern in one
# alternation, without case folding, over the lower-cased body -- finds in one scan the places
# where some rule matches; only there are the rules themselves tried, on the body as written.
# The gate only picks places: what is found, and where it ends, is what the rules say.

_NON_ASCII = diskcache.compile(r"[^\x00-\x7f]")
_NAMED_GROUP = diskcache.compile(r"\(\?P<\w+>")


@dataclass(frozen=True, slots=True)
class _Gate:
    after_non_word: re.Pattern[str]  # one non-word character, then some rule's pattern
    at_start: re.Pattern[str]  # some rule's pattern, at the start of the text


@cache
def _gate(codes: tuple[str, ...]) -> _Gate | None:
    """The gate, or None where the rules do not allow one (then each rule scans the body)."""
    bodies = []
    for rule in _all_rules(codes):
        pattern = rule.pattern.pattern
        if (
            not pattern.startswith(_B)
            or rule.pattern.flags != re.IGNORECASE | re.UNICODE
            or not pattern.isascii()  # lower-casing the text folds case only for ASCII rules
            or "(?P=" in pattern
        ):
            return None
        bodies.append("(?:" + _NAMED_GROUP.sub("(?:", pattern[len(_B) :]) + ")")
    # the grouping parses every rule's pattern (≈7 ms a process): kept in the disk cache,
    # keyed by the patterns and this module's code
    key = diskcache.data_hash([Path(__file__), *bodies])
    groups = diskcache.cached("times-gate", key, lambda: _by_first_character(bodies))
    alternation = "(?=" + "|".join(groups) + ")"
    return _Gate(diskcache.compile(r"\W" + alternation), diskcache.compile(alternation))


def _by_first_character(bodies: list[str]) -> list[str]:
    """The rules' patterns grouped by the character they can start with, each group behind
    that character: at each place the engine compares one character per group, and enters the
    patterns of the one group that fits, instead of entering every pattern. ``bodies`` as
    they are where a pattern's first characters cannot be worked out."""
    firsts = []
    for body in bodies:
        parsed = re_parser.parse(body)
        found = None if parsed.state.flags & re.IGNORECASE else _firsts(parsed.data)
        if found is None or found[2]:
            return bodies  # a rule that starts anywhere or matches nothing
        firsts.append((body, found[0], found[1]))
    # Each group opens with its character as a plain literal (or a digit class), which the
    # engine compares before entering the branch at all; the look-behind steps back over it
    # and looks ahead for the group's patterns from the same place.
    groups = [
        f"{c}(?<=(?:(?={'|'.join(b for b, chars, _ in firsts if char in chars)})){c})"
        for char in sorted(set().union(*(chars for _, chars, _ in firsts)))
        for c in (re.escape(char),)
    ]
    digits = [body for body, _, digit in firsts if digit]
    if digits:
        groups.append(r"[\d](?<=(?:(?=" + "|".join(digits) + r"))[\d])")
    return groups


_REPEATS = (re_constants.MAX_REPEAT, re_constants.MIN_REPEAT, re_constants.POSSESSIVE_REPEAT)
_ZERO_WIDTH = (re_constants.AT, re_constants.ASSERT, re_constants.ASSERT_NOT)


def _firsts(items: Any) -> tuple[set[str], bool, bool] | None:
    """The characters a parsed pattern can start with, whether ``\\d`` can start it, and
    whether it can match nothing; None: not worked out (a class other than ``\\d``, ``.``,
    a back-reference). Zero-width parts are passed over, so the set is never too small."""
    chars: set[str] = set()
    digit = False
    for op, av in items:
        if op is re_constants.LITERAL:
            chars.add(chr(av))
            return chars, digit, False
        if op is re_constants.IN:
            for sop, sav in av:
                if sop is re_constants.LITERAL:
                    chars.add(chr(sav))
                elif sop is re_constants.RANGE and sav[1] - sav[0] < 256:
                    chars.update(map(chr, range(sav[0], sav[1] + 1)))
                elif sop is re_constants.CATEGORY and sav is re_constants.CATEGORY_DIGIT:
                    digit = True
                else:
                    return None
            return chars, digit, False
        if op is re_constants.SUBPATTERN or op is re_constants.BRANCH or op in _REPEATS:
            if op is re_constants.SUBPATTERN:
                if av[1] & re.IGNORECASE:
                    return None  # a letter could start it in either case
                subs, least = [av[3]], 1
            elif op is re_constants.BRANCH:
                subs, least = list(av[1]), 1
            else:
                subs, least = [av[2]], av[0]
            nullable = False
            for sub in subs:
                found = _firsts(sub.data)
                if found is None:
                    return None
                chars |= found[0]
                digit |= found[1]
                nullable |= found[2]
            if least and not nullable:
                return chars, digit, False
            continue
        if op in _ZERO_WIDTH:
            continue
        return None
    return chars, digit, True


def _case_simple(text: str) -> bool:
    """Whether ``text.lower()`` folds case exactly as the IGNORECASE rules do, character by
    character: true when every letter outside ASCII is caseless (quotes, dashes, spaces
    outside ASCII are)."""
    if text.isascii():
        return True
    return all(c.lower() == c == c.upper() for c in set(_NON_ASCII.findall(text)))


def _rule_matches(text: str, codes: tuple[str, ...]) -> Iterator[tuple[_Rule, re.Match[str]]]:
    """What ``rule.pattern.finditer(text)`` gives for each rule, rule by rule."""
    rules = _all_rules(codes)
    gate = _gate(codes)
    if gate is None or not _case_simple(text):
        for rule in rules:
            check_deadline()
            for m in rule.pattern.finditer(text):
                yield rule, m
        return
    low = text.lower()
    places = [0] if gate.at_start.match(low) else []
    places += [m.end() for m in gate.after_non_word.finditer(low)]
    check_deadline()
    for rule in rules:
        floor = 0  # finditer goes on where its last match ended
        for place in places:
            if place < floor:
                continue
            hit = rule.pattern.match(text, place)
            if hit is None:
                continue
            if hit.end() == hit.start():  # finditer goes on from an empty match its own way
                yield from ((rule, m) for m in rule.pattern.finditer(text, place))
                break
            yield rule, hit
            floor = hit.end()


def _explicit(text: str) -> list[_Cand]:
    out = []
    for d in find_datetimes(text):
        v = d.value
        if d.has_time:
            value = f"{v:%Y-%m-%dT%H:%M}{_offset(v.utcoffset())}"
            out.append(_Cand(d.start, d.end, value, "TIME", 0))
        else:
            out.append(_Cand(d.start, d.end, f"{v:%Y-%m-%d}", "DATE", 0))
    return out


def find_times(
    text: str, anchor: datetime | None, language: str | None = None
) -> list[TimeExpression]:
    """Every time expression in ``text`` (a page in ``language``, None: not known):
    non-overlapping, in order, longest match first."""
    cands = _explicit(text)
    for rule, m in _rule_matches(text, rule_languages(language)):
        if m.end() == m.start():
            continue
        try:
            cand = rule.resolve(m, text, anchor)
        except (ValueError, OverflowError, KeyError):
            continue
        if cand is not None:
            cands.append(cand)
    cands.sort(key=lambda c: (c.start, -(c.end - c.start), c.priority))
    out: list[TimeExpression] = []
    floor = 0
    for c in cands:
        if c.start < floor:
            continue
        out.append(TimeExpression(c.start, c.end, text[c.start : c.end], c.value, c.type))
        floor = c.end
    return out


class TimeStage(Stage):
    """Finds and resolves the time expressions of the body against the publish time."""

    name: ClassVar[str] = "nlp.times.v1"
    requires: ClassVar[frozenset[str]] = frozenset({"body", "published"})
    provides: ClassVar[frozenset[str]] = frozenset({"times"})

    def setup(self) -> None:
        _gate(rule_languages(None))

    def preload(self) -> None:
        self.setup()

    def process(self, article: Article) -> Article:
        if for_page(article, self.name, _NEEDS) is None:
            return article
        article.times = find_times(article.body, article.published, article.language)
        self.counters["times"] += len(article.times)
        return article
