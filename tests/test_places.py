"""Places on the map (issue 12, item 2): the region index, resolution of place mentions with
their ambiguity, region filters that take in every region inside (SQLite and PostgreSQL, CLI,
Python API and REST), and region codes with coordinates in the exports and the GDELT layout.

Store tests run the real pipeline on real detik.com bodies and check each filter against what
the pipeline resolved (the records' places), never against fixed counts."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from test_ingest import detik_rows, write_jsonl
from test_server_data import assert_problem, client_for

from warta.cli import main
from warta.core.record import Mention
from warta.export.gdelt import GDELT_COLUMNS, gdelt_row
from warta.export.tables import export
from warta.nlp.places import EXTRAS_KEY, Places
from warta.store import open_store
from warta.store.base import SearchRequest
from warta.store.rows import place_rows

from conftest import require_shared

ARTICLES = 40


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def index() -> Places:
    found = Places.load("id")
    assert found is not None
    return found


# -- the index ---------------------------------------------------------------------------------


def test_every_region_and_country_of_the_reference_tables_is_in_the_index(index: Places) -> None:
    path = require_shared("data", "id_regions", "regions_2025.csv.gz")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        wanted = {
            line.split(",")[0]: line.split(",")[3].strip()
            for line in handle.read().splitlines()[1:]
            if line.split(",")[1] in ("1", "2", "3")
        }
    assert len(wanted) == 38 + 514 + 7285
    for code, name in wanted.items():
        region = index.get(code)
        assert region is not None, code
        assert region.name == " ".join(name.split())
        assert region.lat is not None and region.lng is not None, code
    countries = require_shared("data", "country_names_id", "countries_id_names.csv")
    codes = [line.split(",")[0] for line in countries.read_text(encoding="utf-8").splitlines()[1:]]
    assert len(codes) == 249
    assert all(index.get(code) is not None for code in codes)


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Jabar", "32"),
        ("Jawa Barat", "32"),
        ("West Java", "32"),
        ("Sulteng", "72"),
        ("Sulawesi Tengah", "72"),
        ("Provinsi Sulawesi Tengah", "72"),
        ("Kab. Bandung", "32.04"),
        ("Kabupaten Bandung", "32.04"),
        ("Bandung Regency", "32.04"),
        ("Kota Bandung", "32.73"),
        ("DKI Jakarta", "31"),
        ("Jakarta", "31"),
        ("Jaksel", "31.74"),
        ("Kota Palu", "72.71"),
        ("Palu", "72.71"),
        ("Kecamatan Baleendah", "32.04.32"),
        ("Rusia", "RU"),
        ("Russia", "RU"),
        ("Amerika Serikat", "US"),
        ("Belanda", "NL"),
    ],
)
def test_a_region_is_found_as_people_write_it(index: Places, written: str, code: str) -> None:
    assert [r.code for r in index.find(written)] == [code]


@pytest.mark.parametrize(
    ("written", "codes"),
    [("Bandung", {"32.04", "32.73"}), ("Kupang", {"53.01", "53.71"}), ("Jambi", {"15", "15.71"})],
)
def test_a_bare_name_of_a_city_and_a_regency_names_both(
    index: Places, written: str, codes: set[str]
) -> None:
    assert {r.code for r in index.find(written)} == codes


def test_codes_name_regions_and_children_lie_inside(index: Places) -> None:
    central = index.find("72")
    assert [r.name for r in central] == ["Sulawesi Tengah"]
    inside = index.children("72")
    assert inside and all(r.code.startswith("72.") for r in inside)
    assert {r.level for r in inside} == {"regency", "city", "district"}
    assert index.find("ID")[0].level == "country"


# -- one article's places ----------------------------------------------------------------------


def _mentions(body: str, *names: str) -> list[Mention]:
    """PLACE mentions of every occurrence of ``names`` in ``body`` not inside an earlier
    name's occurrence ("Bandung" inside "Kota Bandung" is not a second mention)."""
    out: list[Mention] = []
    for name in names:
        start = body.find(name)
        while start >= 0:
            end = start + len(name)
            if not any(m.start < end and start < m.end for m in out):
                out.append(Mention(start, end, name, "PLACE"))
            start = body.find(name, start + 1)
    return sorted(out, key=lambda m: m.start)


def _resolved(
    index: Places, body: str, *names: str
) -> list[tuple[str, str | None, tuple[str, ...]]]:
    return [
        (p.text, p.region, p.candidates)
        for p in index.resolve_article(body, _mentions(body, *names))
    ]


def test_an_ambiguous_name_is_left_as_its_set_with_the_region_both_lie_in(index: Places) -> None:
    body = "Hujan deras mengguyur Bandung sejak pagi."
    (place,) = index.resolve_article(body, _mentions(body, "Bandung"))
    assert place.region is None
    assert set(place.candidates) == {"32.04", "32.73"}
    assert place.within == "32"
    assert place.as_dict(index)["lat"] is None


def test_the_office_written_before_a_name_decides_its_level(index: Places) -> None:
    body = "Bupati Bandung meninjau lokasi. Wali Kota Kupang hadir. Gubernur Jambi juga."
    assert _resolved(index, body, "Bandung", "Kupang", "Jambi") == [
        ("Bandung", "32.04", ()),
        ("Kupang", "53.71", ()),
        ("Jambi", "15", ()),
    ]


def test_the_article_decides_a_bare_name_it_names_elsewhere_with_its_level(index: Places) -> None:
    body = "Banjir di Kota Bandung. Warga Bandung mengungsi."
    assert [r for _, r, _ in _resolved(index, body, "Kota Bandung", "Bandung")] == [
        "32.73",
        "32.73",
    ]


def test_a_district_named_in_the_article_decides_which_region_holds_it(index: Places) -> None:
    body = "Longsor di Baleendah. Pemerintah di Bandung bergerak."
    assert _resolved(index, body, "Baleendah", "Bandung")[1] == ("Bandung", "32.04", ())
    # a district of two cities' names, in an article about one of them
    body = "Pasar di Pekanbaru terbakar. Warga Kecamatan Sukajadi membantu."
    assert _resolved(index, body, "Pekanbaru", "Kecamatan Sukajadi")[1][1] == "14.71.01"


@pytest.mark.parametrize(
    ("organisation", "region", "code"),
    [
        ("Pemprov Jabar", "Jabar", "32"),
        ("Polda Kalimantan Selatan", "Kalimantan Selatan", "63"),
        ("Dinas Pariwisata Provinsi NTT", "NTT", "53"),
        ("Wali Kota Bogor", "Bogor", "32.71"),  # the city, not the regency of that name
        ("Pemkab Bogor", "Bogor", "32.01"),
        ("Polres Serang", "Serang", "36.04"),  # a regency's police
        ("Polrestabes Medan", "Medan", "12.71"),  # a city's
    ],
)
def test_the_region_an_organisations_name_ends_in_is_a_place(
    index: Places, organisation: str, region: str, code: str
) -> None:
    body = f"Kemarin {organisation} menggelar rapat bersama warga."
    start = body.index(organisation)
    mention = Mention(start, start + len(organisation), organisation, "ORGANIZATION")
    (place,) = index.resolve_article(body, [mention])
    assert (place.region, place.text) == (code, region)
    assert body[place.start : place.end] == region and place.end == mention.end


def test_a_rank_the_organisations_span_ran_into_is_left_out(index: Places) -> None:
    body = "Kasat Lantas Polres Serang AKP Fery Oktaviari menjelaskan."
    mention = Mention(13, 30, "Polres Serang AKP", "ORGANIZATION")
    (place,) = index.resolve_article(body, [mention])
    assert (place.text, place.region) == ("Serang", "36.04")


def test_a_region_after_an_office_word_in_untagged_text_is_a_place(index: Places) -> None:
    body = "Rapat yang dihadiri Bupati Dompu itu ricuh, kata Gubernur Bank Indonesia."
    places = index.resolve_article(body, [])
    assert [(p.text, p.region) for p in places] == [("Dompu", "52.05")]
    # a mention over the words leaves them to the mention
    tagged = [Mention(20, 32, "Bupati Dompu", "PERSON")]
    assert index.resolve_article(body, tagged) == []


@pytest.mark.parametrize(
    "organisation", ["Bank Indonesia", "Polres Metro Bekasi", "Gubernur Bank Indonesia", "KPK"]
)
def test_an_organisation_without_a_region_of_its_level_names_no_place(
    index: Places, organisation: str
) -> None:
    body = f"Kemarin {organisation} menggelar rapat."
    start = body.index(organisation)
    mention = Mention(start, start + len(organisation), organisation, "ORGANIZATION")
    assert index.resolve_article(body, [mention]) == []


def test_an_organisations_region_tagged_as_a_place_too_is_one_place(index: Places) -> None:
    body = "Pemkot Bogor menutup jalan."
    mentions = [Mention(0, 12, "Pemkot Bogor", "ORGANIZATION"), Mention(7, 12, "Bogor", "PLACE")]
    assert [(p.start, p.region) for p in index.resolve_article(body, mentions)] == [(7, "32.71")]


def test_an_organisations_region_decides_a_bare_name_of_the_article(index: Places) -> None:
    body = "Wali Kota Bogor meninjau banjir. Warga Bogor mengungsi ke masjid."
    mentions = [
        Mention(0, 15, "Wali Kota Bogor", "ORGANIZATION"),
        Mention(39, 44, "Bogor", "PLACE"),
    ]
    assert body[39:44] == "Bogor"
    assert [p.region for p in index.resolve_article(body, mentions)] == ["32.71", "32.71"]


def test_a_country_phrase_the_ner_leaves_untagged_is_a_place(index: Places) -> None:
    body = "Di Tanah Air, produksi film naik. Banyak film Tanah Air diputar di seluruh Ibu Pertiwi."
    places = index.resolve_article(body, [])
    assert [(p.text, p.region) for p in places] == [
        ("Tanah Air", "ID"),
        ("Tanah Air", "ID"),
        ("Ibu Pertiwi", "ID"),
    ]
    assert all(body[p.start : p.end] == p.text for p in places)
    indonesia = index.get("ID")
    assert indonesia is not None and indonesia.lat is not None
    assert places[0].as_dict(index)["lat"] == indonesia.lat


@pytest.mark.parametrize(
    ("body", "mentions"),
    [
        ("Poster bertuliskan Pembela Tanah Air dibentangkan.", []),  # the end of a longer name
        ("Laskar Tanah Air Merdeka berdemo.", [(0, 24, "ORGANIZATION")]),  # inside a mention
        ("Warga membela tanah air mereka.", []),  # written as common words
        ("Ibu kota Nusantara dibangun.", []),  # Nusantara is also the new capital
    ],
)
def test_a_country_phrase_inside_a_name_or_as_common_words_is_no_place(
    index: Places, body: str, mentions: list[tuple[int, int, str]]
) -> None:
    given = [Mention(a, b, body[a:b], kind) for a, b, kind in mentions]
    assert index.resolve_article(body, given) == []


def test_a_resolved_place_carries_its_code_level_and_centroid(index: Places) -> None:
    body = "Gempa mengguncang Kabupaten Sigi, Sulawesi Tengah."
    places = [
        p.as_dict(index)
        for p in index.resolve_article(body, _mentions(body, "Kabupaten Sigi", "Sulawesi Tengah"))
    ]
    sigi, central = places
    assert (sigi["region"], sigi["level"], sigi["country"]) == ("72.10", "regency", "ID")
    assert -2 < sigi["lat"] < 0 and 119 < sigi["lng"] < 121
    assert (central["region"], central["level"]) == ("72", "province")


#: Boxes around countries (lat, lat, lng, lng) their point must lie in: a country's point is
#: its centre of population (or capital), never somewhere else on the globe.
BOXES = {
    "DE": (47, 55, 6, 15),  # Jerman
    "JP": (30, 46, 129, 146),  # Jepang
    "AU": (-44, -10, 113, 154),  # Australia
    "ID": (-11, 6, 95, 141),  # Indonesia
    "US": (24, 50, -125, -66),  # Amerika Serikat
    "RU": (41, 82, 19, 180),  # Rusia
    "FJ": (-21, -12, 176, 181),  # Fiji, across the 180th meridian
    "HR": (42, 47, 13, 20),  # Kroasia: its capital (the mean of its places lies in Bosnia)
}


def test_a_country_mention_gets_its_point_on_the_map() -> None:
    from warta.api import extract_text

    article = extract_text(
        "Menteri Luar Negeri bertemu mitranya dari Jerman dan Jepang di Jakarta pada Senin. "
        "Keduanya membahas kerja sama perdagangan dengan Australia."
    )
    places = {p["text"]: p for p in article.extras[EXTRAS_KEY]}
    for text, code in (("Jerman", "DE"), ("Jepang", "JP"), ("Australia", "AU")):
        place = places[text]
        assert (place["region"], place["level"], place["country"]) == (code, "country", code)
        south, north, west, east = BOXES[code]
        assert south < place["lat"] < north and west < place["lng"] < east, text


def test_every_country_has_a_point_but_the_uninhabited(index: Places) -> None:
    from warta.lang import load_text

    text = load_text("id", "country_geo.tsv")
    assert text is not None
    rows = [line.split("\t") for line in text.splitlines() if line and line[0] != "#"][1:]
    countries = [r for r in index.regions if r.level == "country"]
    assert {r[0] for r in rows} == {c.code for c in countries}
    assert {r[4] for r in rows} == {"population", "capital", ""}
    without = {c.code for c in countries if c.lat is None or c.lng is None}
    assert without == {"AQ", "BV", "HM", "UM"}  # Antarctica and islands GeoNames has no town of
    for c in countries:
        if c.lat is not None and c.lng is not None:
            assert -90 <= c.lat <= 90 and -180 <= c.lng <= 180, c.code
    for code, (south, north, west, east) in BOXES.items():
        found = index.get(code)
        assert found is not None and found.lat is not None and found.lng is not None
        lng = found.lng + 360 if found.lng < 0 and east > 180 else found.lng
        assert south < found.lat < north and west < lng < east, code


def test_the_pipeline_resolves_the_places_of_a_real_article(index: Places) -> None:
    from warta.api import extract_text

    row = next(r for r in detik_rows() if "Pekanbaru" in r["isi_berita"])
    article = extract_text(row["isi_berita"])
    places = article.extras[EXTRAS_KEY]
    mentioned = {(m.start, m.end) for m in article.entities if m.type == "PLACE"}
    organisations = [m for m in article.entities if m.type == "ORGANIZATION"]
    for p in places:  # a PLACE mention, an organisation's region, or a country phrase
        inside = [m for m in organisations if m.start < p["start"] and p["end"] <= m.end]
        phrase = p["text"] in ("Tanah Air", "Ibu Pertiwi")
        cued = index.cue_before(article.body, p["start"]) is not None  # "Bupati Dompu" untagged
        assert (p["start"], p["end"]) in mentioned or inside or phrase or cued, p
    pekanbaru = [p for p in places if p["text"] == "Pekanbaru"]
    assert pekanbaru and all(p["region"] == "14.71" for p in pekanbaru)
    assert all(p["lat"] is not None for p in pekanbaru)


# -- the store: region filters on both backends ------------------------------------------------


@pytest.fixture
def store_with_places(store_location: str, tmp_path: Path) -> str:
    rows = [r for r in detik_rows() if "Sulawesi" in r["isi_berita"] or "Riau" in r["isi_berita"]]
    source = write_jsonl(
        tmp_path / "detik.jsonl",
        [{"url": r["tautan"], "text": r["isi_berita"]} for r in rows[:ARTICLES]],
    )
    result = cli("ingest", str(source), "--db", store_location, "--json")
    assert result.exit_code == 0, result.output
    return store_location


def _inside(store_location: str, code: str) -> set[str]:
    """The articles whose records name a place inside ``code`` (from the records themselves)."""
    out = set()
    with open_store(store_location) as store:
        ids = {row["id"] for row in store.rows("articles")}
        for article_id in ids:
            article = store.get(article_id)
            assert article is not None
            for row in place_rows(article):
                region, country = row[4], row[5]
                if code.isalpha():
                    hit = country == code
                else:
                    hit = region is not None and (region == code or region.startswith(code + "."))
                if hit:
                    out.add(article_id)
    return out


def _hits(store_location: str, *args: str) -> set[str]:
    result = cli(
        "search", *args, "--db", store_location, "--json", "--limit", "100", "--sort", "date"
    )
    assert result.exit_code == 0, result.output
    return {hit["id"] for hit in json.loads(result.stdout)["hits"]}


def test_a_region_filter_takes_in_every_region_inside(store_with_places: str) -> None:
    location = store_with_places
    for code in ("72", "14", "14.71", "ID"):
        expected = _inside(location, code)
        assert _hits(location, "--region", code) == expected, code
    assert _inside(location, "14") and _inside(location, "72")
    assert _inside(location, "14.71") <= _inside(location, "14")
    # names as people write them name the same regions
    assert _hits(location, "--region", "Sulteng") == _inside(location, "72")
    assert _hits(location, "--region", "Riau") == _inside(location, "14")
    with open_store(location) as store:
        result = store.search(SearchRequest(region="72", limit=100))
    assert {h.id for h in result.hits} == _inside(location, "72")
    client = client_for(location)
    body = client.get("/v1/search", params={"region": "Sulawesi Tengah", "limit": 100}).json()
    assert {h["id"] for h in body["hits"]} == _inside(location, "72")
    assert_problem(client.get("/v1/search", params={"region": "Atlantis"}), 404)


def test_an_unknown_region_is_a_usage_error_with_suggestions(store_with_places: str) -> None:
    result = CliRunner().invoke(
        main, ["search", "--db", store_with_places, "--region", "Sulawesi Tenga"]
    )
    assert result.exit_code == 2
    assert "Sulawesi Tengah" in result.output


def test_exports_carry_regions_and_coordinates(
    store_with_places: str, tmp_path: Path, index: Places
) -> None:
    with open_store(store_with_places) as store:
        paths = export(store, tmp_path, format="jsonl", tables=("mentions", "places"))
        bodies = {row["id"]: row["body"] for row in store.rows("articles")}
    places = [json.loads(line) for line in paths["places"].read_text().splitlines()]
    assert places and all(p["region"] or p["country"] for p in places)
    assert any(p["lat"] is not None and not p["ambiguous"] for p in places)
    mentions = [json.loads(line) for line in paths["mentions"].read_text().splitlines()]
    located = {(m["article_id"], m["start"]): m for m in mentions if m["region"]}
    organisations = [m for m in mentions if m["type"] == "ORGANIZATION"]
    for p in places:
        m = located.get((p["article_id"], p["start"]))
        if m is None:  # no mention of its own: an organisation's region, a country phrase,
            # or a region named after an office or level word in untagged text
            assert (
                p["text"] in ("Tanah Air", "Ibu Pertiwi")
                or any(
                    o["article_id"] == p["article_id"] and o["start"] < p["start"] < o["end"]
                    for o in organisations
                )
                or index.cue_before(bodies[p["article_id"]], p["start"]) is not None
            ), p
            continue
        assert (m["region"], m["lat"]) == (p["region"], p["lat"])


def test_the_gdelt_layout_fills_the_action_geo_columns_of_a_resolved_place() -> None:
    place = {
        "start": 10,
        "end": 17,
        "text": "Bandung",
        "region": "32.73",
        "name": "Kota Bandung",
        "level": "city",
        "country": "ID",
        "lat": -6.9,
        "lng": 107.6,
        "within": "32.73",
        "names": {"bandung"},
    }
    event = {"article_id": "a1", "category": "PROTEST", "place": "Bandung", "start": 0, "end": 40}
    row = gdelt_row(event, {"places": [place]})
    assert list(row) == list(GDELT_COLUMNS)
    assert row["ActionGeo_Type"] == 4
    assert (row["ActionGeo_CountryCode"], row["ActionGeo_ADM1Code"]) == ("ID", "ID32")
    assert (row["ActionGeo_ADM2Code"], row["ActionGeo_FeatureID"]) == ("32.73", "32.73")
    assert (row["ActionGeo_Lat"], row["ActionGeo_Long"]) == (-6.9, 107.6)
    ambiguous = {**place, "region": None, "within": "32", "candidates": ["32.04", "32.73"]}
    row = gdelt_row(event, {"places": [ambiguous]})
    assert (row["ActionGeo_Type"], row["ActionGeo_ADM1Code"]) == (5, "ID32")
    assert row["ActionGeo_Lat"] is None and row["ActionGeo_ADM2Code"] is None


def test_a_datelines_place_is_resolved_beside_the_body() -> None:
    from warta.api import extract_text
    from warta.nlp.places import DATELINE_KEY

    article = extract_text(
        "SOLO , JUARA.net - Tim voli putri menang di GOR Sritex Arena .\n"
        "Pelatih mengatakan timnya siap tampil di Tanah Air pekan depan ."
    )
    assert article.dateline == "Solo"
    assert article.extras[DATELINE_KEY]["region"] == "33.72"  # Solo is Kota Surakarta


def test_a_report_filed_from_a_region_is_found_by_its_filter(tmp_path: Path) -> None:
    """The dateline's place is a places row of its own (span -1, -1), so --region finds a
    report filed from the region that names no place of it in its body."""
    from warta.store.rows import DATELINE_SPAN

    source = write_jsonl(
        tmp_path / "filed.jsonl",
        [
            {
                "url": "https://contoh.example/berita/1",
                "text": "SOLO , JUARA.net - Tim voli putri menang di GOR Sritex Arena .\n"
                "Pelatih mengatakan timnya siap tampil di Tanah Air pekan depan .",
            }
        ],
    )
    db = str(tmp_path / "filed.db")
    assert cli("ingest", str(source), "--db", db, "--json").exit_code == 0
    with open_store(db) as store:
        (article_id,) = [row["id"] for row in store.rows("articles")]
        article = store.get(article_id)
        assert article is not None
        rows = place_rows(article)
    assert [(r[1], r[2], r[4]) for r in rows if r[4] != "ID"] == [(*DATELINE_SPAN, "33.72")]
    assert _hits(db, "--region", "33") == {article_id}  # Jawa Tengah holds Kota Surakarta
    assert _hits(db, "--region", "72") == set()
