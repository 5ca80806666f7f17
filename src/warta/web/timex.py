"""A resolved time expression's TIMEX3 value as a reader would say it: ``2015-11-17TNI`` is
"17 Nov 2015, malam" in Indonesian and "17 Nov 2015, night" in English.

The store keeps the TIMEX3 value (exact, sortable, what exports carry); only the reader turns it
into words. A value this module does not recognise is shown as it is, so nothing is hidden.
"""

from __future__ import annotations

import re

from warta.web.i18n import DEFAULT, month_name

_PART_OF_DAY = {
    "id": {"MO": "pagi", "AF": "siang", "EV": "sore", "NI": "malam"},
    "en": {"MO": "morning", "AF": "afternoon", "EV": "evening", "NI": "night"},
}
_WEEK = {
    "id": ("pekan {week}, {year}", "akhir pekan {week}, {year}"),
    "en": ("week {week} of {year}", "weekend of week {week}, {year}"),
}
_UNITS = {
    "id": {"Y": "tahun", "M": "bulan", "W": "minggu", "D": "hari", "H": "jam", "MIN": "menit"},
    "en": {"Y": "year", "M": "month", "W": "week", "D": "day", "H": "hour", "MIN": "minute"},
}

_DATE = re.compile(
    r"(?P<year>\d{4}|XXXX)-(?P<month>\d\d)-(?P<day>\d\d)"
    r"(?:T(?:(?P<part>MO|AF|EV|NI)|(?P<clock>\d\d:\d\d)(?P<zone>[+-]\d\d:\d\d|Z)?))?"
)
_MONTH = re.compile(r"(?P<year>\d{4})-(?P<month>\d\d)")
_ISO_WEEK = re.compile(r"(?P<year>\d{4})-W(?P<week>\d\d)(?P<weekend>-WE)?")
_DURATION = re.compile(
    r"P(?:(?P<n>\d+(?:\.\d+)?)(?P<unit>[YMWD])|T(?P<tn>\d+(?:\.\d+)?)(?P<tunit>[HM]))"
)


def timex_text(value: str | None, lang: str = DEFAULT) -> str:
    """``value`` (a TIMEX3 value as :mod:`warta.nlp.times` writes it) in words of ``lang``;
    an unrecognised value unchanged, None as the empty string."""
    if not value:
        return ""
    lang = lang if lang in _PART_OF_DAY else DEFAULT
    if m := _DATE.fullmatch(value):
        month = int(m["month"])
        if not 1 <= month <= 12:
            return value
        text = f"{int(m['day'])} {month_name(month, lang)}"
        if m["year"] != "XXXX":
            text += f" {m['year']}"
        if m["part"]:
            text += ", " + _PART_OF_DAY[lang][m["part"]]
        elif m["clock"]:
            text += ", " + m["clock"] + (f" ({m['zone']})" if m["zone"] else "")
        return text
    if (m := _MONTH.fullmatch(value)) and 1 <= int(m["month"]) <= 12:
        return f"{month_name(int(m['month']), lang)} {m['year']}"
    if re.fullmatch(r"\d{4}", value):
        return value
    if m := _ISO_WEEK.fullmatch(value):
        pattern = _WEEK[lang][1 if m["weekend"] else 0]
        return pattern.format(week=int(m["week"]), year=m["year"])
    if m := _DURATION.fullmatch(value):
        n = m["n"] or m["tn"]
        unit = m["unit"] or ("MIN" if m["tunit"] == "M" else m["tunit"])
        number = n if lang == "en" else n.replace(".", ",")  # Indonesian writes 1,5
        return f"{number} {_UNITS[lang][unit]}" + ("s" if lang == "en" and n != "1" else "")
    return value
