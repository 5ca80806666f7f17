"""Dates and times in news text: "18/11/2015, 13:16 WIB", "Senin, 28 Sep 2018 14:05 WIB", ...

The vocabulary (month and weekday names, time zones, "updated"/"published" markers, 12-hour
clock words) is data: ``warta/lang/<code>/dates.toml`` of every language is merged, because
Indonesian pages print English dates and the other way round. The code only knows the shapes:

* numeric day-first ``D/M/YYYY``, ``D-M-YYYY``, ``D.M.YYYY`` and ``D/M/YY``, ``D-M-YY``;
* ISO year-first ``YYYY-MM-DD`` (and ``YYYY/MM/DD``), optionally ``T`` + time + offset;
* ``D Month YYYY`` and ``Month D, YYYY`` with full or abbreviated month names;
* an optional weekday before the date (``Senin, ...``), or a weekday with the date in
  parentheses (``Rabu (18/11/2015)``, the Indonesian news idiom);
* an optional time after the date (``13:16``, ``14.05``, ``1:16 PM``), separated by a space,
  ``,``, ``|``, ``-``, ``/`` or a word like "pukul", then an optional zone (``WIB``,
  ``GMT+7``, ``UTC+07:00``, ``+0700``); or a time before the date, ending in a separator
  (``13:16 WIB, 18 November 2015``).

Numeric dates need a 2- or 4-digit year (``3/4`` is a fraction as often as a date), years
lie in 1900-2100, and impossible dates (``31/02/2015``) are rejected. Two-digit years are
20YY below 70 and 19YY otherwise. A date never spans a line break.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from importlib.resources import files

from warta.core import diskcache
from warta.lang import load_toml

__all__ = ["ZONE_OFFSETS", "DateMatch", "find_datetimes"]

YEAR_MIN = 1900
YEAR_MAX = 2100
#: How far (in characters, same line) a marker like "Diperbarui" may precede its date.
MARKER_REACH = 80

_KINDS = ("published", "modified")


def _longest_first(word: str) -> tuple[int, str]:
    """Longest first, then alphabetical: an alternation built from a set is the same text in
    every process (so its compiled program is found in the disk cache)."""
    return (-len(word), word)


@dataclass(frozen=True, slots=True)
class DateMatch:
    """One date (with optional time) found in a string.

    ``raw == text[start:end]``; ``value`` is timezone-aware when a zone was written, naive
    otherwise; ``zone`` is the zone's canonical name (``"WIB"``, ``"GMT"``) or, for an
    explicit offset (``GMT+7``, ``+0700``, ``Z``), the offset as ``"+07:00"``.
    ``kind`` is ``"published"``, ``"modified"`` or ``"unmarked"`` according to a marker
    word earlier on the same line ("Diperbarui 18 Nov 2015 14:00 WIB" is ``"modified"``).
    """

    start: int
    end: int
    raw: str
    value: datetime
    has_time: bool
    zone: str | None
    kind: str


# --------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    months: dict[str, int]
    weekdays: dict[str, int]
    zones: dict[str, timedelta]
    offset_prefixes: tuple[str, ...]
    time_prefixes: tuple[str, ...]
    am: tuple[str, ...]
    pm: tuple[str, ...]
    markers: dict[str, str]


def _date_languages() -> tuple[str, ...]:
    root = files("warta.lang")
    return tuple(
        sorted(
            entry.name
            for entry in root.iterdir()
            if entry.is_dir() and entry.joinpath("dates.toml").is_file()
        )
    )


def _parse_offset(text: str) -> timedelta:
    m = re.fullmatch(r"([+-])(\d{1,2})(?::?(\d{2}))?", text.strip())
    if m is None:
        raise ValueError(f"bad UTC offset {text!r} in dates.toml")
    delta = timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0))
    return -delta if m.group(1) == "-" else delta


def _merge_numbered(target: dict[str, int], table: object, what: str, lang: str) -> None:
    if not isinstance(table, dict):
        return
    for key, names in table.items():
        number = int(key)
        for name in names:
            low = str(name).lower()
            if target.setdefault(low, number) != number:
                raise ValueError(f"{lang}/dates.toml: {what} {name!r} means two numbers")


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    months: dict[str, int] = {}
    weekdays: dict[str, int] = {}
    zones: dict[str, timedelta] = {}
    offset_prefixes: list[str] = []
    time_prefixes: list[str] = []
    am: list[str] = []
    pm: list[str] = []
    markers: dict[str, str] = {}
    for lang in _date_languages():
        data = load_toml(lang, "dates")
        _merge_numbered(months, data.get("months"), "month", lang)
        _merge_numbered(weekdays, data.get("weekdays"), "weekday", lang)
        for name, offset in data.get("zones", {}).items():
            zones[str(name).upper()] = _parse_offset(str(offset))
        offset_prefixes += [str(p) for p in data.get("offset_prefixes", [])]
        time_prefixes += [str(p) for p in data.get("time_prefixes", [])]
        clock = data.get("clock", {})
        am += [str(w) for w in clock.get("am", [])]
        pm += [str(w) for w in clock.get("pm", [])]
        for kind, words in data.get("markers", {}).items():
            if kind not in _KINDS:
                raise ValueError(f"{lang}/dates.toml: unknown marker kind {kind!r}")
            for word in words:
                markers[" ".join(str(word).lower().split())] = kind
    return _Vocabulary(
        months=months,
        weekdays=weekdays,
        zones=zones,
        offset_prefixes=tuple(dict.fromkeys(offset_prefixes)),
        time_prefixes=tuple(dict.fromkeys(time_prefixes)),
        am=tuple(dict.fromkeys(w.lower() for w in am)),
        pm=tuple(dict.fromkeys(w.lower() for w in pm)),
        markers=markers,
    )


class _ZoneOffsets(Mapping[str, timedelta]):
    """Named zones (upper-case) to UTC offsets, read from the data on first use."""

    def __getitem__(self, key: str) -> timedelta:
        return _vocabulary().zones[key.upper()]

    def __iter__(self) -> Iterator[str]:
        return iter(_vocabulary().zones)

    def __len__(self) -> int:
        return len(_vocabulary().zones)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.upper() in _vocabulary().zones

    def __repr__(self) -> str:
        return f"ZONE_OFFSETS({dict(self)!r})"


#: Time-zone names to UTC offsets (``ZONE_OFFSETS["WIB"] == timedelta(hours=7)``).
ZONE_OFFSETS: Mapping[str, timedelta] = _ZoneOffsets()


# --------------------------------------------------------------------------- patterns

# Horizontal white space, spelled out because the pattern is compiled with re.ASCII (faster);
# a date never crosses a line break.
_S = "[ \t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]"
# White space inside a date expression: at most four characters, which bounds how far an
# expression reaches around its year (see _BEFORE and _AFTER).
_W = rf"{_S}{{0,4}}"
_W1 = rf"{_S}{{1,4}}"


def _atoms(name: str, apostrophes: bool) -> tuple[str, ...]:
    out: list[str] = []
    for ch in name.lower():
        if ch.isspace():
            if out and out[-1] != _W1:
                out.append(_W1)
        elif ch == "'" and apostrophes:
            out.append("['’‘`]?")
        else:
            out.append(re.escape(ch))
    if name[-1:].isalnum():
        out.append(r"\b")
    return tuple(out)


def _trie(branches: list[tuple[str, ...]]) -> str:
    """One regex for many literal words, as a prefix tree, so each position costs one test."""
    groups: dict[str, list[tuple[str, ...]]] = {}
    ends = False
    for atoms in branches:
        if atoms:
            groups.setdefault(atoms[0], []).append(atoms[1:])
        else:
            ends = True
    alts = [head + _trie(rest) for head, rest in sorted(groups.items())]
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 and not ends else "(?:" + "|".join(alts) + ")"
    return body + "?" if ends else body


def _words(names: Iterable[str], *, apostrophes: bool = False) -> str:
    """A regex matching any of the literal words (case-insensitively), ending at a word edge."""
    branches = sorted({_atoms(n, apostrophes) for n in names if n})
    return "(?:" + _trie(branches) + ")" if branches else "(?!)"


def _time(p: str, vocab: _Vocabulary) -> str:
    """Clock time with optional am/pm and zone; group names carry the prefix ``p``."""
    ampm = _words(vocab.am + vocab.pm)
    offset_prefix = _words(vocab.offset_prefixes)
    named = _words(vocab.zones)
    zone = (
        rf"(?P<{p}zone>{offset_prefix}{_W}[+-]{_W}\d{{1,2}}(?::?\d{{2}})?(?!\d)"
        rf"|[+-]\d{{2}}:?\d{{2}}(?!\d)|{named}|(?-i:Z)\b)"
    )
    return (
        rf"(?P<{p}time>(?<![\d.:,])(?P<{p}h>\d{{1,2}})[:.](?P<{p}mi>\d{{2}})"
        rf"(?:[:.](?P<{p}s>\d{{2}})(?:[.,]\d{{1,6}})?)?(?!\d)(?![.,:]\d)"
        rf"(?:{_W}(?P<{p}ap>{ampm}))?)"
        rf"(?:{_W}{zone})?"
    )


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    vocab = _vocabulary()
    month = _words(vocab.months)
    weekday = _words(vocab.weekdays, apostrophes=True)
    prefixes = _words(vocab.time_prefixes)
    ordinal = r"(?:st|nd|rd|th)?"
    iso = (
        r"(?<!\d)(?<!\d[.,])(?P<i_y>\d{4})(?P<i_sep>[-/])(?P<i_m>\d{1,2})(?P=i_sep)"
        r"(?P<i_d>\d{1,2})(?!\d)"
    )
    numeric = (
        r"(?<![\d/])(?<!\d[.,-])(?P<n_d>\d{1,2})(?P<n_sep>[/.-])(?P<n_m>\d{1,2})(?P=n_sep)"
        r"(?P<n_y>\d{4}|\d{2})(?![\d/])(?!\.\d)"
    )
    dmy = (
        rf"(?<![\d.,:])(?P<t_d>\d{{1,2}}){ordinal}(?:{_W1}|{_W}[-/]{_W})"
        rf"(?P<t_mon>{month})\.?(?:,?{_W1}|{_W}[-/]{_W})(?P<t_y>\d{{4}})(?!\d)"
    )
    mdy = (
        rf"(?<![^\W\d_])(?P<m_mon>{month})\.?{_W}(?P<m_d>\d{{1,2}}){ordinal}\b,?{_W}"
        rf"(?P<m_y>\d{{4}})(?!\d)"
    )
    head = (
        rf"(?P<head>(?:(?<![^\W\d_])(?P<wd>{weekday})\.?{_W},?{_W}(?P<open>\({_W})?)?"
        rf"(?:{iso}|{numeric}|{dmy}|{mdy})(?(open){_W}\)))"
    )
    lead = rf"(?P<lead>{_time('p_', vocab)}{_W}[,|–—-]{_W})"
    tail = (
        rf"(?P<tail>(?:T|{_W}(?:[,|/–—-]{_W})?(?:{prefixes}\.?{_W})?)"
        rf"{_time('', vocab)})"
    )
    # A match starts a digit run or a word whose first letter starts some weekday or month:
    # testing that first makes the scan several times faster than trying every branch.
    firsts = "".join(sorted({re.escape(n[0]) for n in (*vocab.weekdays, *vocab.months) if n}))
    start = rf"(?=[\d{firsts}])(?:(?<!\d)(?=\d)|\b)"
    # re.ASCII makes the scan about 1.5 times faster; it would stop "Ç" matching "ç", so it is
    # only used while every name in the data is ASCII.
    words = (
        *vocab.months,
        *vocab.weekdays,
        *vocab.zones,
        *vocab.markers,
        *vocab.time_prefixes,
        *vocab.am,
        *vocab.pm,
    )
    flags = re.IGNORECASE | (re.ASCII if all(w.isascii() for w in words) else 0)
    return diskcache.compile(rf"{start}{lead}?{head}{tail}?", flags)


@lru_cache(maxsize=1)
def _marker_pattern() -> re.Pattern[str]:
    return diskcache.compile(rf"(?<!\w){_words(_vocabulary().markers)}", re.IGNORECASE)


_PRECHECK = diskcache.compile(r"\d\d")
#: Every date contains one of these (a year 19xx-21xx, or the tail of D/M/YY); the big pattern
#: only runs in a window around them. It may over-match: the pattern decides.
_ANCHOR = diskcache.compile(r"(?:19|20|21)\d\d|\d[/-]\d{1,2}[/-]\d\d")
#: Window around an anchor, in characters: more than any date expression reaches before its
#: year ("13:16:00.000 p.m. UTC + 07:00 - Wednesday, (18th September ", with up to four
#: spaces at each white-space place: about 115) and after it ("-11-18) | pukul 13:16:00.000
#: a.m. UTC + 07:00": about 80).
_BEFORE = 128
_AFTER = 96


def _windows(text: str) -> Iterator[tuple[int, int]]:
    """Disjoint spans of ``text`` that contain every possible match, merged and in order."""
    lo = hi = -1
    for a in _ANCHOR.finditer(text):
        start, end = a.start(), a.end()
        ws = max(text.rfind("\n", 0, start) + 1, start - _BEFORE)
        line_end = text.find("\n", end)
        we = min(len(text) if line_end < 0 else line_end, end + _AFTER)
        if ws <= hi:
            hi = max(hi, we)
            continue
        if hi >= 0:
            yield lo, hi
        lo, hi = ws, we
    if hi >= 0:
        yield lo, hi


# --------------------------------------------------------------------------- matching


def _year(text: str) -> int:
    y = int(text)
    if len(text) == 2:
        y += 2000 if y < 70 else 1900
    return y


def _date(m: re.Match[str], months: Mapping[str, int]) -> tuple[int, int, int] | None:
    g = m.group
    if g("i_y") is not None:
        y, mo, d = int(g("i_y")), int(g("i_m")), int(g("i_d"))
    elif g("n_y") is not None:
        if g("n_sep") == "." and len(g("n_y")) == 2:
            return None  # 1.5.20 is a version number more often than a date
        y, mo, d = _year(g("n_y")), int(g("n_m")), int(g("n_d"))
    elif g("t_y") is not None:
        y, mo, d = int(g("t_y")), months[g("t_mon").lower()], int(g("t_d"))
    else:
        y, mo, d = int(g("m_y")), months[g("m_mon").lower()], int(g("m_d"))
    if not YEAR_MIN <= y <= YEAR_MAX:
        return None
    return y, mo, d


def _clock(m: re.Match[str], p: str, vocab: _Vocabulary) -> tuple[int, int, int] | None:
    h, mi = int(m.group(p + "h")), int(m.group(p + "mi"))
    s = int(m.group(p + "s") or 0)
    ap = m.group(p + "ap")
    if ap is not None:
        word = " ".join(ap.lower().split())
        if not 1 <= h <= 12:
            return None
        if word in vocab.pm and h != 12:
            h += 12
        elif word in vocab.am and h == 12:
            h = 0
    if h > 23 or mi > 59 or s > 59:
        return None
    return h, mi, s


def _zone(m: re.Match[str], p: str, vocab: _Vocabulary) -> tuple[str, timezone] | None:
    text = m.group(p + "zone")
    if text is None:
        return None
    if text == "Z":
        return "+00:00", UTC
    upper = text.upper()
    if upper in vocab.zones:
        return upper, timezone(vocab.zones[upper], upper)
    sign = -1 if "-" in text else 1
    digits = re.sub(r"[^\d:]", "", text)
    hours, _, minutes = digits.partition(":")
    if not minutes and len(hours) > 2:
        hours, minutes = hours[:-2], hours[-2:]
    h, mi = int(hours), int(minutes or 0)
    if h > 14 or mi > 59:
        return None
    delta = sign * timedelta(hours=h, minutes=mi)
    name = f"{'-' if sign < 0 else '+'}{h:02d}:{mi:02d}"
    return name, timezone(delta)


def _kind(text: str, start: int, floor: int) -> str:
    line_start = text.rfind("\n", 0, start) + 1
    lo = max(line_start, floor, start - MARKER_REACH)
    if lo >= start:
        return "unmarked"
    found = None
    for found in _marker_pattern().finditer(text, lo, start):  # noqa: B007 - keep the last
        pass
    if found is None:
        return "unmarked"
    return _vocabulary().markers[" ".join(found.group().lower().split())]


def find_datetimes(text: str) -> list[DateMatch]:
    """Every date expression in ``text`` (with its time and zone when written), in order.

    Matches do not overlap; at each position the longest expression wins.
    """
    return list(_find_datetimes_cached(text)) if len(text) <= 300 else _find_datetimes(text)


@lru_cache(maxsize=256)
def _find_datetimes_cached(text: str) -> tuple[DateMatch, ...]:
    # The labeller and the metadata stage both read each timestamp line: parse it once.
    return tuple(_find_datetimes(text))


def _find_datetimes(text: str) -> list[DateMatch]:
    if not _PRECHECK.search(text):
        return []
    return _collect(text, _windows(text))


def _collect(text: str, spans: Iterable[tuple[int, int]]) -> list[DateMatch]:
    """The matches of the date pattern inside ``spans`` (disjoint, in order), validated."""
    vocab = _vocabulary()
    pattern = _pattern()
    out: list[DateMatch] = []
    floor = 0
    for m in (m for lo, hi in spans for m in pattern.finditer(text, lo, hi)):
        ymd = _date(m, vocab.months)
        if ymd is None:
            continue
        start, end = m.start(), m.end()
        clock: tuple[int, int, int] | None = None
        zone: tuple[str, timezone] | None = None
        if m.group("tail") is not None:
            clock = _clock(m, "", vocab)
            if clock is None:
                end = m.end("head")
            else:
                zone = _zone(m, "", vocab)
                if zone is None and m.group("zone") is not None:
                    end = m.end("tail")
        if m.group("lead") is not None:
            lead_clock = _clock(m, "p_", vocab)
            if lead_clock is None:
                start = m.start("head")
            elif clock is None:
                lead_zone = _zone(m, "p_", vocab)
                if lead_zone is None and m.group("p_zone") is not None:
                    start = m.start("head")
                else:
                    clock, zone = lead_clock, lead_zone
        try:
            h, mi, s = clock or (0, 0, 0)
            value = datetime(*ymd, h, mi, s, tzinfo=zone[1] if zone else None)
        except ValueError:
            continue
        out.append(
            DateMatch(
                start=start,
                end=end,
                raw=text[start:end],
                value=value,
                has_time=clock is not None,
                zone=zone[0] if zone else None,
                kind=_kind(text, start, floor),
            )
        )
        floor = end
    return out


# --------------------------------------------------------------------------- time only


@dataclass(frozen=True, slots=True)
class MarkedTime:
    """A clock time after a marker word, with no date: "Terakhir diperbarui 09:50 WITA"."""

    raw: str
    hour: int
    minute: int
    zone: str | None
    kind: str


@lru_cache(maxsize=1)
def _marked_time_pattern() -> re.Pattern[str]:
    vocab = _vocabulary()
    markers = "|".join(re.escape(m) for m in sorted(vocab.markers, key=_longest_first))
    zones = "|".join(re.escape(z) for z in sorted(vocab.zones, key=_longest_first))
    prefixes = "|".join(re.escape(p) for p in vocab.time_prefixes) or "pukul"
    return diskcache.compile(
        rf"\b(?P<marker>{markers})\s*:?\s*(?:(?:{prefixes})\s+)?"
        rf"(?P<h>\d{{1,2}})[:.](?P<mi>\d{{2}})(?!\d)(?:\s*(?P<zone>{zones})\b)?",
        re.IGNORECASE,
    )


def find_marked_time(text: str) -> MarkedTime | None:
    """A dateless time after a published/updated marker, or None (dates are
    :func:`find_datetimes`' job; call this only where it found none)."""
    if not any(c.isdigit() for c in text):
        return None
    m = _marked_time_pattern().search(text)
    if m is None:
        return None
    hour, minute = int(m.group("h")), int(m.group("mi"))
    if hour > 23 or minute > 59:
        return None
    kind = _vocabulary().markers.get(" ".join(m.group("marker").lower().split()), "unmarked")
    zone = m.group("zone").upper() if m.group("zone") else None
    return MarkedTime(raw=m.group(0), hour=hour, minute=minute, zone=zone, kind=kind)
