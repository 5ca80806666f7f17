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
    for empty in ("Actor1Code", "EventCode", "EventBaseCode", "GoldsteinScale", "AvgTone", "ActionGeo_Lat"):
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
