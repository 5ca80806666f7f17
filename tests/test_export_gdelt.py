"""The GDELT-like events layout: GDELT 2.0's 61 columns in GDELT's order, then warta's PLOVER
columns; dates in SQLDATE form; CAMEO root codes only where PLOVER maps one root."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from warta.export.gdelt import (
    GDELT_COLUMNS,
    GDELT_EVENT_COLUMNS,
    GDELT_TYPES,
    PLOVER_CAMEO_ROOTS,
    WARTA_COLUMNS,
    cameo_root,
    fips_code,
    gdelt_row,
    quad_class,
)

ROOT = Path(__file__).resolve().parents[1]

# The GDELT Event 2.0 codebook's table, written out here on purpose (not derived like the module)
GDELT_2_0 = """
GLOBALEVENTID SQLDATE MonthYear Year FractionDate
Actor1Code Actor1Name Actor1CountryCode Actor1KnownGroupCode Actor1EthnicCode Actor1Religion1Code
Actor1Religion2Code Actor1Type1Code Actor1Type2Code Actor1Type3Code
Actor2Code Actor2Name Actor2CountryCode Actor2KnownGroupCode Actor2EthnicCode Actor2Religion1Code
Actor2Religion2Code Actor2Type1Code Actor2Type2Code Actor2Type3Code
IsRootEvent EventCode EventBaseCode EventRootCode QuadClass GoldsteinScale NumMentions NumSources
NumArticles AvgTone
Actor1Geo_Type Actor1Geo_FullName Actor1Geo_CountryCode Actor1Geo_ADM1Code Actor1Geo_ADM2Code
Actor1Geo_Lat Actor1Geo_Long Actor1Geo_FeatureID
Actor2Geo_Type Actor2Geo_FullName Actor2Geo_CountryCode Actor2Geo_ADM1Code Actor2Geo_ADM2Code
Actor2Geo_Lat Actor2Geo_Long Actor2Geo_FeatureID
ActionGeo_Type ActionGeo_FullName ActionGeo_CountryCode ActionGeo_ADM1Code ActionGeo_ADM2Code
ActionGeo_Lat ActionGeo_Long ActionGeo_FeatureID
DATEADDED SOURCEURL
""".split()

# the 16 categories warta's event lexicons code (lang/*/event_verbs.toml)
PLOVER = {
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
}  # fmt: skip


def test_columns_are_gdelt_2_0_in_order_then_plover() -> None:
    assert len(GDELT_2_0) == 61
    assert list(GDELT_EVENT_COLUMNS) == GDELT_2_0
    assert GDELT_COLUMNS[:61] == GDELT_EVENT_COLUMNS
    assert GDELT_COLUMNS[61:] == WARTA_COLUMNS
    assert WARTA_COLUMNS[:2] == ("PLOVERCategory", "PLOVERMode")
    assert list(GDELT_TYPES) == list(GDELT_COLUMNS)


def test_every_category_warta_codes_is_in_the_mapping() -> None:
    import tomllib

    for lang in ("id", "en"):
        path = ROOT / "src" / "warta" / "lang" / lang / "event_verbs.toml"
        coded = set(tomllib.loads(path.read_text(encoding="utf-8"))["verbs"].values())
        assert coded <= PLOVER == set(PLOVER_CAMEO_ROOTS), coded - set(PLOVER_CAMEO_ROOTS)


@pytest.mark.parametrize(
    ("category", "root", "quad"),
    [
        ("CONSULT", "04", 1),
        ("AGREE", "03", 1),
        ("AID", "07", 2),
        ("CONCEDE", "08", 2),
        ("RETREAT", "08", 2),
        ("REJECT", "12", 3),
        ("PROTEST", "14", 4),
        ("COERCE", "17", 4),
        ("ACCUSE", None, 3),  # 09 and 11: two roots, one quad class
        ("ASSAULT", None, 4),  # 18, 19 and 20
        ("consult", "04", 1),
        ("NOT_A_CATEGORY", None, None),
    ],
)
def test_cameo_root_and_quad_class(category: str, root: str | None, quad: int | None) -> None:
    assert cameo_root(category) == root
    assert quad_class(category) == quad


def _event(**kw: object) -> dict[str, object]:
    row: dict[str, object] = {
        "article_id": "abc",
        "start": 10,
        "end": 40,
        "category": "CONSULT",
        "mode": "asserted",
        "actor": "Barack Obama",
        "target": "Vladimir Putin",
        "place": "Turkey",
        "when": None,
        "confidence": 0.75,
        "reported_by": "Barack Obama",
    }
    row.update(kw)
    return row


WIB = timezone(timedelta(hours=7))
CONTEXT = {
    "id": "abc",
    "url": "https://example.id/a",
    "published": datetime(2015, 11, 18, 0, 30, tzinfo=WIB),  # 17 Nov in UTC: the local day counts
    "retrieved_at": datetime(2020, 5, 6, 7, 8, 9, tzinfo=UTC),
    "lead_end": 50,
}


def test_a_row_takes_the_days_of_the_event_or_the_report() -> None:
    row = gdelt_row(_event(), CONTEXT)
    assert list(row) == list(GDELT_COLUMNS)
    assert (row["SQLDATE"], row["MonthYear"], row["Year"]) == (20151118, 201511, 2015)
    assert row["FractionDate"] == round(2015 + (11 * 30 + 18) / 365, 4)
    dated = gdelt_row(_event(when="2015-11-13"), CONTEXT)
    assert dated["SQLDATE"] == 20151113
    # a week or a month is not a day: the publication day stands
    assert gdelt_row(_event(when="2015-W47"), CONTEXT)["SQLDATE"] == 20151118
    assert gdelt_row(_event(when="2015-02-30"), CONTEXT)["SQLDATE"] == 20151118
    assert row["DATEADDED"] == 20200506070809


def test_a_row_fills_what_warta_knows_and_leaves_the_rest_empty() -> None:
    row = gdelt_row(_event(), CONTEXT)
    assert row["Actor1Name"] == "Barack Obama" and row["Actor2Name"] == "Vladimir Putin"
    assert row["ActionGeo_FullName"] == "Turkey"
    assert (row["EventRootCode"], row["QuadClass"]) == ("04", 1)
    assert row["PLOVERCategory"] == "CONSULT" and row["PLOVERMode"] == "asserted"
    assert row["SOURCEURL"] == "https://example.id/a" and row["WartaArticleID"] == "abc"
    assert row["IsRootEvent"] == 1 and gdelt_row(_event(start=60), CONTEXT)["IsRootEvent"] == 0
    assert (row["NumMentions"], row["NumSources"], row["NumArticles"]) == (1, 1, 1)
    for empty in (
        "Actor1Code",
        "EventCode",
        "EventBaseCode",
        "GoldsteinScale",
        "AvgTone",
        "ActionGeo_Lat",
    ):
        assert row[empty] is None


def test_actor_coding_fills_the_cameo_actor_columns() -> None:
    row = gdelt_row(
        _event(
            actor_id="Q22686",
            actor_type="government",
            actor_country="USA",
            target_type="police",
            target_country=None,
        ),
        CONTEXT,
    )
    assert (row["Actor1Code"], row["Actor1CountryCode"], row["Actor1Type1Code"]) == (
        "USAGOV",
        "USA",
        "GOV",
    )
    assert (row["Actor2Code"], row["Actor2CountryCode"], row["Actor2Type1Code"]) == (
        "COP",
        None,
        "COP",
    )
    assert row["Actor1EntityID"] == "Q22686" and row["Actor2EntityID"] is None
    # an unknown type is no code
    assert gdelt_row(_event(actor_type="wizard"), CONTEXT)["Actor1Code"] is None


def test_event_ids_are_stable_and_distinct() -> None:
    a = gdelt_row(_event(), CONTEXT)["GLOBALEVENTID"]
    assert a == gdelt_row(_event(), CONTEXT)["GLOBALEVENTID"]
    assert a != gdelt_row(_event(start=11), CONTEXT)["GLOBALEVENTID"]
    assert isinstance(a, int) and 0 < a < 2**63


def test_a_report_without_a_date_leaves_the_dates_empty() -> None:
    row = gdelt_row(_event(), {"id": "abc", "source": "file.txt"})
    assert row["SQLDATE"] is None and row["Year"] is None and row["DATEADDED"] is None
    assert row["SOURCEURL"] == "file.txt"


# -- countries: FIPS 10-4 codes and points, by position in the file ------------------------------

#: ISO 3166-1 alpha-2 -> FIPS 10-4 where GDELT's Geo_CountryCode differs from ISO (and two where
#: it agrees), from the FIPS 10-4 standard itself, written out here on purpose.
FIPS_OF = {
    "ID": "ID",  # Indonesia: the same
    "MY": "MY",  # Malaysia: the same
    "DE": "GM",  # Germany
    "SG": "SN",  # Singapore
    "AU": "AS",  # Australia
    "AT": "AU",  # Austria (AU is Australia in ISO)
    "JP": "JA",  # Japan
    "GB": "UK",  # United Kingdom
    "CN": "CH",  # China
    "CH": "SZ",  # Switzerland (CH is China in FIPS)
    "PH": "RP",  # Philippines
    "RU": "RS",  # Russia
    "RS": "RI",  # Serbia (RS is Russia in FIPS)
    "KR": "KS",  # South Korea
    "TL": "TT",  # Timor-Leste
}


def test_geo_country_codes_are_fips_10_4_not_iso() -> None:
    for iso, fips in FIPS_OF.items():
        assert fips_code(iso) == fips, iso
        assert fips_code(iso.lower()) == fips, iso
    assert fips_code(None) is None and fips_code("") is None
    assert fips_code("AX") is None  # Åland: no FIPS code of its own
    assert fips_code("ZZ") is None


def test_no_two_countries_share_a_fips_code() -> None:
    from warta.lang import load_text

    text = load_text("id", "countries.tsv")
    assert text is not None
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    codes = [row[0] for row in rows[1:]]
    fips = [fips_code(code) for code in codes]
    assert sum(f is None for f in fips) <= 3  # AX, BQ, UM
    known = [f for f in fips if f is not None]
    assert len(known) == len(set(known)) > 240


def _country_place(text: str, start: int = 0) -> dict[str, object]:
    from warta.core.record import Mention
    from warta.nlp.places import Places

    index = Places.load("id")
    assert index is not None
    (place,) = index.resolve_article(text, [Mention(start, start + len(text), text, "PLACE")])
    return {**place.as_dict(index), "names": {text.casefold()}}


def test_an_event_in_a_country_gets_fips_type_1_and_the_countrys_point() -> None:
    germany = _country_place("Jerman")
    event = {"article_id": "a1", "category": "PROTEST", "place": "Jerman", "start": 0, "end": 40}
    row = gdelt_row(event, {"places": [germany]})
    assert row["ActionGeo_Type"] == 1  # GDELT's COUNTRY
    assert row["ActionGeo_CountryCode"] == "GM"  # not ISO's DE
    assert (row["ActionGeo_ADM1Code"], row["ActionGeo_FeatureID"]) == ("GM", "GM")
    assert row["ActionGeo_ADM2Code"] is None
    assert 47 < row["ActionGeo_Lat"] < 55 and 6 < row["ActionGeo_Long"] < 15  # in Germany
    singapore = _country_place("Singapura")
    row = gdelt_row({**event, "place": "Singapura"}, {"places": [singapore]})
    assert (row["ActionGeo_CountryCode"], row["ActionGeo_Type"]) == ("SN", 1)
    assert 1.1 < row["ActionGeo_Lat"] < 1.5 and 103.6 < row["ActionGeo_Long"] < 104.1


def test_an_actor_that_is_a_country_gets_its_geo_columns() -> None:
    israel = {**_country_place("Israel"), "qid": "Q801"}
    event = {
        "article_id": "a1",
        "category": "ASSAULT",
        "actor": "Israel",
        "actor_id": "Q801",
        "target": "Jalur Gaza",
        "start": 0,
        "end": 50,
    }
    row = gdelt_row(event, {"places": [israel]})
    assert (row["Actor1Geo_Type"], row["Actor1Geo_CountryCode"]) == (1, "IS")  # ISO: IL
    assert row["Actor1Geo_Lat"] is not None and 29 < row["Actor1Geo_Lat"] < 34
    assert row["Actor2Geo_Type"] is None and row["Actor2Geo_CountryCode"] is None
    assert row["ActionGeo_Type"] is None  # the event names no place of its own
    # found by its Wikidata id when written otherwise
    row = gdelt_row({**event, "actor": "Negara Israel"}, {"places": [israel]})
    assert row["Actor1Geo_CountryCode"] == "IS"


#: 0-based positions in a GDELT 2.0 event file (the codebook's order above)
POSITION = {
    "Actor1Geo_Type": 35,
    "Actor1Geo_CountryCode": 37,
    "ActionGeo_Type": 51,
    "ActionGeo_FullName": 52,
    "ActionGeo_CountryCode": 53,
    "ActionGeo_ADM1Code": 54,
    "ActionGeo_Lat": 56,
    "ActionGeo_Long": 57,
    "ActionGeo_FeatureID": 58,
}


def test_the_gdelt_file_of_real_reports_has_fips_and_points_in_gdelts_positions(
    store_location: str, tmp_path: Path
) -> None:
    from warta.api import extract_text
    from warta.export.tables import export
    from warta.store import open_store

    texts = [
        "Ribuan buruh berunjuk rasa di Jerman pada Senin (12/5/2025) menuntut kenaikan upah. "
        "Aksi itu berlangsung damai, kata polisi setempat kepada wartawan di lokasi.",
        "Polisi Singapura menangkap dua tersangka penyelundupan narkoba di Singapura, Selasa "
        "(13/5/2025). Kedua tersangka kini ditahan di markas polisi untuk diperiksa.",
    ]
    for name, value in POSITION.items():
        assert GDELT_EVENT_COLUMNS.index(name) == value, name
    with open_store(store_location) as store:
        for n, text in enumerate(texts):
            store.put(extract_text(text, source=f"report{n}.txt"))
        path = export(store, tmp_path, format="gdelt")["events_gdelt"]
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]
    assert rows and all(len(row) == 61 for row in rows)
    located = {row[POSITION["ActionGeo_FullName"]]: row for row in rows if row[51]}
    germany, singapore = located["Jerman"], located["Singapura"]
    assert germany[51:55] == ["1", "Jerman", "GM", "GM"] and germany[58] == "GM"
    assert 47 < float(germany[56]) < 55 and 6 < float(germany[57]) < 15
    assert singapore[51:55] == ["1", "Singapura", "SN", "SN"]
    assert 1.1 < float(singapore[56]) < 1.5 and 103.6 < float(singapore[57]) < 104.1
    # "Polisi Singapura" acts: the actor is the country, placed there too
    assert (singapore[35], singapore[37]) == ("1", "SN")
