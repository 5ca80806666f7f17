"""Your own metadata in (issue 12, item 5): JSON Lines keys and CSV columns taken as given and
recorded beside what warta found; the real detik CSV ingested with its dates."""

from __future__ import annotations

import csv
import gzip
import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from click.testing import CliRunner, Result
from test_ingest import detik_rows, page_text, write_jsonl

from warta.cli import main
from warta.readers.csv_reader import parse_columns
from warta.readers.given import GivenError, Reading, read_given
from warta.store import open_store

from conftest import require_shared

JAKARTA = ZoneInfo("Asia/Jakarta")
DETIK_COLUMNS = "text=isi_berita,title=judul,published=tanggal,url=tautan"
DETIK_DATES = "%m/%d/%Y %H:%M"
BODY = (
    "Jakarta - Menteri Keuangan menyampaikan bahwa penerimaan pajak naik pada kuartal ketiga. "
    "Kenaikan itu didorong oleh konsumsi rumah tangga yang tetap kuat sepanjang tahun ini.\n\n"
    "Pemerintah berharap tren ini berlanjut hingga akhir tahun, kata pejabat itu kepada "
    "wartawan di Jakarta pada Senin."
)


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def records(result: Result) -> list[dict[str, object]]:
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_jsonl_given_metadata_taken_and_recorded(tmp_path: Path) -> None:
    row = detik_rows()[0]  # a detik text scrape: warta finds its title, date and outlet
    given = {
        "text": page_text(row),
        "url": row["tautan"],
        "title": "Penerimaan  Pajak Naik",
        "published": "2025-10-21T08:30:00",
        "outlet": "Contoh News",
        "section": "Ekonomi",
        "authors": "Ani Suryani, Budi Hartono",
        "language": "ID",
        "ignored": "not a field",
    }
    source = write_jsonl(tmp_path / "given.jsonl", [given, {"text": BODY}])
    result = cli("extract", str(source), "--timezone", "Asia/Jakarta")
    assert result.exit_code == 0, result.output
    first, plain = records(result)
    assert first["title"] == "Penerimaan Pajak Naik"
    assert first["published"] == "2025-10-21T08:30:00+07:00"
    assert first["published_raw"] == "2025-10-21T08:30:00"
    assert (first["outlet"], first["section"], first["language"]) == (
        "Contoh News",
        "Ekonomi",
        "id",
    )
    assert first["authors"] == ["Ani Suryani", "Budi Hartono"]
    extras = first["extras"]
    assert isinstance(extras, dict)
    assert extras["given.title"] == "Penerimaan Pajak Naik"
    assert extras["given.outlet"] == "Contoh News"
    # what warta found itself is kept beside: the title line, the date line, the outlet
    assert extras["found.title"] == row["judul"]
    assert extras["found.outlet"] == "detikcom"
    found = datetime.fromisoformat(str(extras["found.published"]))
    assert found == datetime.strptime(row["tanggal"], DETIK_DATES).replace(tzinfo=JAKARTA)
    assert not any(str(k).startswith(("given.", "found.")) for k in plain["extras"])  # type: ignore[union-attr]


def test_jsonl_bad_given_value_is_a_failed_line(tmp_path: Path) -> None:
    source = write_jsonl(
        tmp_path / "bad.jsonl",
        [{"text": BODY, "published": "kemarin sore"}, {"text": BODY, "authors": 7}],
    )
    result = cli("extract", str(source))
    assert result.exit_code == 1
    assert "line 1: 'published' 'kemarin sore' is not a date in ISO 8601" in result.stderr
    assert "line 2: 'authors' is neither a string nor a list of strings" in result.stderr
    assert "Traceback" not in result.stderr


def test_read_given_rules() -> None:
    reading = Reading(date_format=DETIK_DATES, timezone="Asia/Jakarta")
    out = read_given(
        {"published": "10/21/2025 20:43", "title": " ", "authors": ["A", " B "]}, reading
    )
    assert out == {
        "published": "2025-10-21T20:43:00+07:00",
        "published_raw": "10/21/2025 20:43",
        "authors": ["A", "B"],
    }
    assert (
        read_given({"published": "2025-10-21T13:43:00Z"})["published"]
        == "2025-10-21T13:43:00+00:00"
    )
    for bad in ({"language": "Bahasa Indonesia"}, {"title": 3}, {"published": "21/10/2025"}):
        try:
            read_given(bad)
        except GivenError:
            continue
        raise AssertionError(f"{bad} was accepted")
    assert parse_columns("text=isi_berita, title=judul") == {"text": "isi_berita", "title": "judul"}


def test_usage_errors_name_the_option(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "x.jsonl", [{"text": BODY}])
    for args, says in (
        (["--columns", "body=isi"], "unknown field 'body': one of text, title"),
        (["--columns", "text"], "'text' is not FIELD=COLUMN"),
        (["--timezone", "Mars/Olympus"], "unknown time zone 'Mars/Olympus'"),
        (["--date-format", "dd/mm/yyyy"], "has no % directive"),
    ):
        result = cli("extract", str(source), *args)
        assert result.exit_code == 2, (args, result.output)
        assert says in result.stderr, (args, result.stderr)


def test_csv_without_its_text_column_lists_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "pages.csv"
    path.write_text("judul,isi\nSatu,Badan teks pertama yang cukup panjang.\n", encoding="utf-8")
    result = cli("extract", str(path))
    assert result.exit_code == 1
    assert "no column 'text' for text (map it with --columns text=COLUMN)" in result.stderr
    assert "'judul', 'isi'" in result.stderr
    # with the mapping it reads; a quoted body may span lines, the source names its first line
    path.write_text('judul,isi\nSatu,"' + BODY + '"\nDua,\n', encoding="utf-8")
    result = cli("extract", str(path), "--columns", "text=isi,title=judul")
    assert result.exit_code == 1  # the row with an empty text failed
    (record,) = records(result)
    assert record["title"] == "Satu" and str(record["source"]).endswith("pages.csv:2")
    assert "line 5: empty text" in result.stderr


def _detik_dates() -> dict[str, datetime]:
    """URL -> publish time, read from the CSV here independently of warta, by the store's rule:
    a row repeating a URL with the same body is the report already stored (its first date
    stays); with another body it updates the report."""
    path = require_shared("data", "detik_summ_entity_1000", "data_berita.csv.gz")
    kept: dict[str, tuple[str, datetime]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            when = datetime.strptime(row["tanggal"], DETIK_DATES).replace(tzinfo=JAKARTA)
            body = row["isi_berita"].strip()
            if row["tautan"] not in kept or kept[row["tautan"]][0] != body:
                kept[row["tautan"]] = (body, when)
    return {url: when for url, (_, when) in kept.items()}


def test_detik_csv_ingests_with_its_dates(tmp_path: Path) -> None:
    path = require_shared("data", "detik_summ_entity_1000", "data_berita.csv.gz")
    db = str(tmp_path / "detik.db")
    result = cli(
        "ingest", str(path), "--db", db, "--pipeline", "clean", "--no-corpus", "--json",
        "--columns", DETIK_COLUMNS, "--date-format", DETIK_DATES, "--timezone", "Asia/Jakarta",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    dates = _detik_dates()
    with open_store(db) as store:
        stored = {row["url"]: row["published"] for row in store.rows("articles")}
    assert set(stored) == set(dates)
    assert all(datetime.fromisoformat(str(p)) == dates[u] for u, p in stored.items())
    # --since/--until now work on it: one Jakarta day, counted from the CSV itself
    day = sorted(dates.values())[len(dates) // 2].date()
    expected = sum(1 for d in dates.values() if d.date() == day)
    result = cli(
        "search", "--db", db, "--json", "--limit", "1",
        "--since", f"{day}T00:00:00+07:00", "--until", f"{day}T23:59:59.999999+07:00",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["total"] == expected > 0


def test_stdin_json_lines_read_given_dates_in_the_zone_given() -> None:
    line = json.dumps({"text": BODY, "published": "2025-10-21 08:00", "section": "Ekonomi"})
    result = CliRunner().invoke(main, ["extract", "-", "--timezone", "Asia/Jakarta"], input=line)
    assert result.exit_code == 0, result.output
    (record,) = records(result)
    assert (record["published"], record["section"]) == ("2025-10-21T08:00:00+07:00", "Ekonomi")
