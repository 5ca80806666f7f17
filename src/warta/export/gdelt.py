"""warta's events in the GDELT Event 2.0 column layout, for people who already have GDELT tooling.

One output row is one coded event of one report. The 61 columns of the GDELT 2.0 event table
come first, in GDELT's order and with GDELT's names, so a reader that addresses GDELT columns by
position or by name finds them; warta's own columns follow them (:data:`WARTA_COLUMNS`).

What warta fills, and from what:

* ``GLOBALEVENTID``: a stable 60-bit integer hashed from the article id, the event's offsets and
  its category, so re-exporting the same store gives the same ids;
* ``SQLDATE``, ``MonthYear``, ``Year``, ``FractionDate``: the day the event took place when its
  time expression resolves to a calendar day (``2015-11-18``), else the report's publication day
  (in the outlet's own timezone) -- the date GDELT itself falls back to; FractionDate is GDELT's
  ``YEAR + (MONTH * 30 + DAY) / 365`` rounded to four places;
* ``Actor1Name``: the actor; ``Actor2Name``: the target (warta's canonical names);
* ``Actor1CountryCode``, ``Actor1Type1Code`` (and Actor2's): the actor's country (ISO 3166-1
  alpha-3, as CAMEO writes countries) and its CAMEO type code (GOV, MIL, COP, JUD, REB, PTY,
  BUS, CVL, CRM, IGO, MED) from warta's actor coding (see :data:`CAMEO_ACTOR_TYPES`);
  ``Actor1Code``: the two together as CAMEO writes an actor code ("IDNCOP": Indonesian police),
  or the one that is known;
* ``IsRootEvent``: 1 when the event lies in the report's first paragraph, else 0;
* ``EventRootCode`` and ``QuadClass``: from the PLOVER category (see :data:`PLOVER_CAMEO_ROOTS`);
* ``NumMentions``, ``NumSources``, ``NumArticles``: 1 -- each row is one event in one report;
  GDELT's counts over many reports need the duplicates work, which is not done here;
* ``ActionGeo_FullName``: the place where the event happened; when warta resolved that place
  to a region (``nlp.places.v1``), the other ``ActionGeo_*`` columns too: ``Type`` 1 for a
  country, 4 for an Indonesian regency, city or district, 5 for a province (GDELT's COUNTRY,
  WORLDCITY and WORLDSTATE); ``CountryCode`` the country's FIPS 10-4 code, as GDELT writes
  it (:func:`fips_code`: Indonesia "ID", Malaysia "MY", but Germany "GM", Singapore "SN",
  Australia "AS", Japan "JA"; empty for the three ISO countries FIPS has no code for);
  ``ADM1Code`` the country code and the Kemendagri province code ("ID32"; GDELT's are FIPS
  ADM1 codes), and for a country the country code alone, as GDELT's country rows have it;
  ``ADM2Code`` the Kemendagri regency or city code ("32.73"); ``Lat``/``Long`` the region's
  centroid, and for a country its point in ``lang/id/country_geo.tsv`` (its centre of
  population from GeoNames, or its capital); ``FeatureID`` the Kemendagri code (GDELT's are
  GNS feature ids), and for a country its FIPS code, as in GDELT's country rows. A place left
  ambiguous ("Bandung": city or regency) fills only what all its candidates share;
* ``DATEADDED``: when warta retrieved the page (UTC, ``YYYYMMDDHHMMSS``);
* ``SOURCEURL``: the report's URL (canonical URL, else the URL it was read from, else its source);
* after GDELT's columns, warta's own (:data:`WARTA_COLUMNS`), the entity ids of actor and target
  among them.

Left empty, because warta does not code them: the actors' known group, ethnic, religion and
second and third type codes, ``EventCode`` and ``EventBaseCode`` (warta
codes PLOVER categories, not CAMEO's three- and four-digit codes), ``GoldsteinScale`` (defined
per CAMEO event code), ``AvgTone``, and ``Actor1Geo_*`` and ``Actor2Geo_*`` except where the
actor (target) is itself a place warta resolved ("Israel" attacking, "Singapura" arresting):
then its columns are that place's, filled as ``ActionGeo_*`` are (GDELT places an actor at the
location the text ties it to; warta does so only when the actor is the place).
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from warta.lang import load_text, reading

__all__ = [
    "CAMEO_ACTOR_TYPES",
    "GDELT_COLUMNS",
    "GDELT_EVENT_COLUMNS",
    "PLOVER_CAMEO_ROOTS",
    "WARTA_COLUMNS",
    "cameo_root",
    "fips_code",
    "gdelt_row",
    "quad_class",
]


def _actor(n: int) -> tuple[str, ...]:
    return tuple(
        f"Actor{n}{part}"
        for part in (
            "Code",
            "Name",
            "CountryCode",
            "KnownGroupCode",
            "EthnicCode",
            "Religion1Code",
            "Religion2Code",
            "Type1Code",
            "Type2Code",
            "Type3Code",
        )
    )


def _geo(prefix: str) -> tuple[str, ...]:
    parts = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
    return tuple(f"{prefix}_{part}" for part in parts)


#: The GDELT 2.0 event table, in order (GDELT Event Codebook V2.0).
GDELT_EVENT_COLUMNS: tuple[str, ...] = (
    ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate")
    + _actor(1)
    + _actor(2)
    + ("IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass")
    + ("GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone")
    + _geo("Actor1Geo")
    + _geo("Actor2Geo")
    + _geo("ActionGeo")
    + ("DATEADDED", "SOURCEURL")
)

#: warta's columns after GDELT's: what GDELT has no column for.
WARTA_COLUMNS: tuple[str, ...] = (
    "PLOVERCategory",  # AGREE, CONSULT, ... ASSAULT
    "PLOVERMode",  # asserted, negated, conditional, hypothetical, planned
    "Confidence",  # warta's confidence in the coding, 0..1
    "ReportedBy",  # the speaker whose statement the event comes from
    "WartaArticleID",  # the report's id in the store (``warta show`` / the API take it)
    "Actor1EntityID",  # the actor's entity id (a Wikidata QID or warta's stable id)
    "Actor2EntityID",  # the target's
)

GDELT_COLUMNS: tuple[str, ...] = GDELT_EVENT_COLUMNS + WARTA_COLUMNS

#: The type of each column: "int", "float" or "string" (the Parquet writer reads this).
GDELT_TYPES: dict[str, str] = {
    **{c: "string" for c in GDELT_COLUMNS},
    **{c: "int" for c in ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "IsRootEvent")},
    **{c: "int" for c in ("QuadClass", "NumMentions", "NumSources", "NumArticles", "DATEADDED")},
    **{f"{g}_Type": "int" for g in ("Actor1Geo", "Actor2Geo", "ActionGeo")},
    **{
        f"{g}_{x}": "float"
        for g in ("Actor1Geo", "Actor2Geo", "ActionGeo")
        for x in ("Lat", "Long")
    },
    **{c: "float" for c in ("FractionDate", "GoldsteinScale", "AvgTone", "Confidence")},
}

# PLOVER category -> the CAMEO root codes its events come from.
#
# Origin: the Open Event Data Alliance's own CAMEO-to-PLOVER translation table
# (openeventdata/PLOVER, CAMEO2PLOVER-2021.txt, and the category table of its README), read
# backwards. A category gets an ``EventRootCode`` only when it comes from exactly one CAMEO root;
# CONCEDE and RETREAT are the verbal and material halves of CAMEO 08 YIELD, so both get 08.
# COERCE also takes a few sub-codes of 16 and 19 (163 embargo, 191 blockade, 192 occupation),
# but its root is 17. REQUEST is PLOVER's later name for DEMAND (CAMEO 10); CAMEO 02 APPEAL was
# dropped by PLOVER. ACCUSE merges 09 INVESTIGATE and 11 DISAPPROVE, and ASSAULT merges 18, 19
# and 20: no single root code, so those rows leave EventRootCode empty.
PLOVER_CAMEO_ROOTS: dict[str, tuple[str, ...]] = {
    "AGREE": ("03",),
    "CONSULT": ("04",),
    "SUPPORT": ("05",),
    "COOPERATE": ("06",),
    "AID": ("07",),
    "CONCEDE": ("08",),
    "RETREAT": ("08",),
    "ACCUSE": ("09", "11"),
    "REQUEST": ("10",),
    "REJECT": ("12",),
    "THREATEN": ("13",),
    "PROTEST": ("14",),
    "MOBILIZE": ("15",),
    "SANCTION": ("16",),
    "COERCE": ("17",),
    "ASSAULT": ("18", "19", "20"),
}

_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def cameo_root(category: str) -> str | None:
    """The CAMEO root code of a PLOVER category, or None where PLOVER merged several roots."""
    roots = PLOVER_CAMEO_ROOTS.get(category.upper(), ())
    return roots[0] if len(roots) == 1 else None


def _root_quad(root: str) -> int:
    # GDELT's QuadClass from the root code: 01-05 verbal cooperation, 06-08 material
    # cooperation, 09-13 verbal conflict, 14-20 material conflict (GDELT codebook)
    n = int(root)
    return 1 if n <= 5 else 2 if n <= 8 else 3 if n <= 13 else 4


def quad_class(category: str) -> int | None:
    """GDELT's QuadClass of a PLOVER category: set whenever all its CAMEO roots share one class
    (ACCUSE and ASSAULT do, though they have no single root), else None."""
    classes = {_root_quad(r) for r in PLOVER_CAMEO_ROOTS.get(category.upper(), ())}
    return classes.pop() if len(classes) == 1 else None


def event_id(article_id: str, start: Any, end: Any, category: str) -> int:
    """A stable GLOBALEVENTID: the same event of the same report always gets the same number."""
    key = f"{article_id}|{start}|{end}|{category}".encode()
    return int(hashlib.sha256(key).hexdigest()[:15], 16)


def _as_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def _event_day(when: Any, published: datetime | None) -> date | None:
    match = _DAY.match(when) if isinstance(when, str) else None
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:  # "2015-02-30": not a day; fall back to publication
            pass
    return published.date() if published else None


#: warta's actor types -> CAMEO actor type codes (CAMEO codebook, actor type codes).
CAMEO_ACTOR_TYPES: dict[str, str] = {
    "government": "GOV",
    "military": "MIL",
    "police": "COP",
    "judiciary": "JUD",
    "rebel": "REB",
    "party": "PTY",
    "business": "BUS",
    "civilian": "CVL",
    "criminal": "CRM",
    "igo": "IGO",
    "media": "MED",
}


def _actor_codes(row: dict[str, Any], n: int, country: Any, kind: Any) -> None:
    """Fill Actor<n>'s country, type and combined CAMEO code from the event's actor coding."""
    country = country if isinstance(country, str) and country else None
    type_code = CAMEO_ACTOR_TYPES.get(kind) if isinstance(kind, str) else None
    row[f"Actor{n}CountryCode"] = country
    row[f"Actor{n}Type1Code"] = type_code
    row[f"Actor{n}Code"] = ((country or "") + (type_code or "")) or None


def gdelt_row(event: Mapping[str, Any], article: Mapping[str, Any]) -> dict[str, Any]:
    """One GDELT-layout row from an events-table row and its report's context.

    ``article`` gives what an event row may lack: ``url``, ``published``, ``retrieved_at``
    (datetimes or ISO strings) and ``lead_end`` (end offset of the first paragraph)."""
    row: dict[str, Any] = dict.fromkeys(GDELT_COLUMNS)
    category = str(event.get("category") or "").upper()
    article_id = str(event.get("article_id") or article.get("id") or "")
    start, end = event.get("start"), event.get("end")
    published = _as_datetime(event.get("published") or article.get("published"))
    day = _event_day(event.get("when"), published)
    row["GLOBALEVENTID"] = event_id(article_id, start, end, category)
    if day is not None:
        row["SQLDATE"] = int(day.strftime("%Y%m%d"))
        row["MonthYear"] = day.year * 100 + day.month
        row["Year"] = day.year
        row["FractionDate"] = round(day.year + (day.month * 30 + day.day) / 365, 4)
    row["Actor1Name"] = event.get("actor") or None
    row["Actor2Name"] = event.get("target") or None
    _actor_codes(row, 1, event.get("actor_country"), event.get("actor_type"))
    _actor_codes(row, 2, event.get("target_country"), event.get("target_type"))
    lead_end = article.get("lead_end")
    if isinstance(lead_end, int) and isinstance(start, int):
        row["IsRootEvent"] = 1 if start < lead_end else 0
    row["EventRootCode"] = cameo_root(category)
    row["QuadClass"] = quad_class(category)
    row["NumMentions"] = row["NumSources"] = row["NumArticles"] = 1
    row["ActionGeo_FullName"] = event.get("place") or None
    places = article.get("places")
    place = _event_place(event, places, event.get("place"))
    if place is not None:
        row.update(geo_columns("ActionGeo", place))
    for n, role in ((1, "actor"), (2, "target")):  # an actor that is itself a place
        found = _event_place(event, places, event.get(role), event.get(f"{role}_id"))
        if found is not None and (found.get("region") or found.get("within")):
            row[f"Actor{n}Geo_FullName"] = found.get("text") or None
            row.update(geo_columns(f"Actor{n}Geo", found))
    retrieved = _as_datetime(article.get("retrieved_at") or event.get("retrieved_at"))
    if retrieved is not None:
        utc = retrieved.astimezone(UTC) if retrieved.tzinfo else retrieved
        row["DATEADDED"] = int(utc.strftime("%Y%m%d%H%M%S"))
    row["SOURCEURL"] = (
        article.get("canonical_url")
        or article.get("url")
        or event.get("url")
        or article.get("source")
    )
    row["PLOVERCategory"] = category or None
    row["PLOVERMode"] = event.get("mode") or None
    confidence = event.get("confidence")
    row["Confidence"] = float(confidence) if isinstance(confidence, (int, float)) else None
    row["ReportedBy"] = event.get("reported_by") or None
    row["WartaArticleID"] = article_id or None
    row["Actor1EntityID"] = event.get("actor_id") or None
    row["Actor2EntityID"] = event.get("target_id") or None
    return row


#: GDELT's geographic types: 1 COUNTRY, 4 WORLDCITY, 5 WORLDSTATE (a first-order division).
_GEO_TYPES = {"country": 1, "province": 5, "regency": 4, "city": 4, "district": 4}


def _event_place(
    event: Mapping[str, Any], places: Any, name: Any, qid: Any = None
) -> Mapping[str, Any] | None:
    """The resolved place (an entry of ``extras["warta.places"]``, with the ``names`` it was
    written as) that ``name`` (or the Wikidata id ``qid``) names: the one inside the event's
    clause first."""
    if not name or not isinstance(places, list):
        return None
    wanted = str(name).casefold()
    named = [
        p
        for p in places
        if isinstance(p, Mapping)
        and (wanted in p.get("names", ()) or (qid and p.get("region") and p.get("qid") == qid))
    ]
    start, end = event.get("start"), event.get("end")
    if isinstance(start, int) and isinstance(end, int):
        inside = [p for p in named if start <= p.get("start", -1) and p.get("end", -1) <= end]
        named = inside or named
    return named[0] if named else None


#: The table of FIPS codes (and country points) the export reads: language-neutral, found
#: the way pages of no known language find their data.
_COUNTRY_TABLE = "country_geo.tsv"


@cache
def _fips_codes() -> dict[str, str]:
    found = reading(None, _COUNTRY_TABLE)
    text = load_text(found.code, _COUNTRY_TABLE) if found.code else None
    if text is None:
        return {}
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    rows = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return {row["alpha2"]: row["fips"] for row in rows if row["fips"]}


def fips_code(alpha2: str | None) -> str | None:
    """The FIPS 10-4 country code GDELT writes for an ISO 3166-1 alpha-2 code ("DE" -> "GM");
    None for none, or for a country FIPS has no code for (Åland, the Caribbean Netherlands,
    the US Minor Outlying Islands)."""
    return _fips_codes().get(alpha2.upper()) if alpha2 else None


def geo_columns(prefix: str, place: Mapping[str, Any]) -> dict[str, Any]:
    """The ``<prefix>_*`` GDELT columns of a resolved place (see the module doc)."""
    code = place.get("region") or place.get("within")
    iso = place.get("country")
    out: dict[str, Any] = {}
    if not code and not iso:
        return out
    country = fips_code(str(iso)) if iso else None
    level = place.get("level")
    if place.get("region") is None:  # ambiguous: only what every candidate shares
        level = "country" if code is None else ("province" if "." not in str(code) else "regency")
    out[f"{prefix}_Type"] = _GEO_TYPES.get(str(level)) if code or level == "country" else None
    out[f"{prefix}_CountryCode"] = country
    if code and not str(code).isalpha():
        parts = str(code).split(".")
        out[f"{prefix}_ADM1Code"] = f"{country or ''}{parts[0]}"
        if len(parts) >= 2:
            out[f"{prefix}_ADM2Code"] = ".".join(parts[:2])
        out[f"{prefix}_FeatureID"] = str(code)
    elif level == "country" and country:  # GDELT's country rows: the country code in both
        out[f"{prefix}_ADM1Code"] = country
        out[f"{prefix}_FeatureID"] = country
    if place.get("region") is not None:
        out[f"{prefix}_FullName"] = place.get("name") or None
        lat, lng = place.get("lat"), place.get("lng")
        out[f"{prefix}_Lat"] = float(lat) if isinstance(lat, (int, float)) else None
        out[f"{prefix}_Long"] = float(lng) if isinstance(lng, (int, float)) else None
    return out
