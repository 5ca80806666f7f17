"""``warta ingest``, ``warta stats``, ``warta failures`` and ``warta search`` end to end, on
SQLite and on PostgreSQL, with real detik.com articles through the full pipeline: the search
filters are checked against what the pipeline extracted, not against fixed answers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from test_ingest import detik_rows, page_text, write_jsonl

from warta.cli import main
from warta.core.record import Article
from warta.store import open_store

PAGES = 14


def cli(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def search_ids(db: str, *args: str) -> list[str]:
    """Every hit of a search, following the cursor page by page."""
    ids: list[str] = []
    cursor: list[str] = []
    while True:
        result = cli("search", *args, "--db", db, "--json", "--limit", "5", *cursor)
        assert result.exit_code == 0, result.output
        page = json.loads(result.stdout)
        ids += [hit["id"] for hit in page["hits"]]
        if not page["next_cursor"]:
            return ids
        cursor = ["--cursor", page["next_cursor"]]


@pytest.fixture
def ingested(store_location: str, tmp_path: Path) -> Iterator[tuple[str, list[Article]]]:
    """A store with PAGES real articles (full pipeline) and one broken line."""
    rows = detik_rows()[:PAGES]
    source = write_jsonl(
        tmp_path / "crawl.jsonl",
        [*({"url": r["tautan"], "text": page_text(r)} for r in rows), "{broken"],
    )
    result = cli("ingest", str(source), "--db", store_location, "--json")
    assert result.exit_code == 1, result.output  # the broken line failed
    report = json.loads(result.stdout)
    assert (report["new"], report["failed"], report["pages"]) == (PAGES, 1, PAGES + 1)
    assert report["failed_by_reason"] == {"malformed_record": 1}
    assert "see the failed pages with: warta failures" in result.stderr
    with open_store(store_location) as store:
        articles = [store.get(row["id"]) for row in store.rows("articles")]
    yield store_location, [a for a in articles if a is not None]


def test_ingest_again_adds_nothing(ingested: tuple[str, list[Article]], tmp_path: Path) -> None:
    db, _ = ingested
    source = tmp_path / "crawl.jsonl"
    result = cli("ingest", str(source), "--db", db, "--json")
    report = json.loads(result.stdout)
    assert (report["new"], report["skipped"], report["failed"]) == (0, PAGES + 1, 0)
    assert result.exit_code == 0


def test_stats_and_failures(ingested: tuple[str, list[Article]]) -> None:
    db, articles = ingested
    result = cli("stats", "--db", db, "--json")
    assert result.exit_code == 0, result.output
    counts = json.loads(result.stdout)
    assert counts["articles"] == PAGES == len(articles)
    assert counts["failures"] == 1 and counts["runs"] == 1
    assert counts["quotes"] == sum(len(a.quotes) for a in articles)
    assert counts["events"] == sum(len(a.events) for a in articles)
    text = cli("stats", "--db", db)
    assert text.exit_code == 0 and f"articles: {PAGES}" in text.stdout

    failed = cli("failures", "--db", db, "--json")
    (failure,) = json.loads(failed.stdout)
    assert failure["reason"] == "malformed_record" and failure["source"].endswith(":15")
    plain = cli("failures", "--db", db)
    assert "malformed_record" in plain.stdout and plain.stdout.count("\n") == 1


def test_search_words_and_pages(ingested: tuple[str, list[Article]]) -> None:
    db, articles = ingested
    target = articles[0]
    assert target.title
    word = max(target.title.split(), key=len).strip(",.:;!?\"'()")
    result = cli("search", word, "--db", db, "--json")
    assert result.exit_code == 0, result.output
    page = json.loads(result.stdout)
    assert target.id in [hit["id"] for hit in page["hits"]]
    assert all("[[" in hit["snippet"] for hit in page["hits"])
    text = cli("search", word, "--db", db)
    assert target.title in text.stdout and "articles" in text.stderr

    everything = search_ids(db)
    assert sorted(everything) == sorted(a.id for a in articles)  # cursor pages are disjoint


def _expect(articles: list[Article], keep: Any) -> list[str]:
    return sorted(a.id for a in articles if keep(a))


def test_search_filters_match_the_extracted_records(ingested: tuple[str, list[Article]]) -> None:
    db, articles = ingested
    named = [m.canonical for a in articles for m in a.entities if m.canonical]
    assert named, "the pipeline found no entity in real articles"
    entity = max(set(named), key=named.count)
    assert sorted(search_ids(db, "--entity", entity)) == _expect(
        articles, lambda a: any(m.canonical == entity for m in a.entities)
    )

    places = [
        m.canonical for a in articles for m in a.entities if m.canonical and m.type == "PLACE"
    ]
    assert places, "the pipeline found no place in real articles"
    place = max(set(places), key=places.count)
    assert sorted(search_ids(db, "--place", place)) == _expect(
        articles, lambda a: any(m.canonical == place and m.type == "PLACE" for m in a.entities)
    )

    speakers = [q.speaker for a in articles for q in a.quotes if q.speaker]
    assert speakers, "the pipeline found no quoted speaker in real articles"
    speaker = max(set(speakers), key=speakers.count)
    assert sorted(search_ids(db, "--speaker", speaker)) == _expect(
        articles, lambda a: any(q.speaker == speaker for q in a.quotes)
    )

    categories = [e.category for a in articles for e in a.events]
    assert categories, "the pipeline found no event in real articles"
    category = max(set(categories), key=categories.count)
    assert sorted(search_ids(db, "--event", category)) == _expect(
        articles, lambda a: any(e.category == category for e in a.events)
    )

    outlet = articles[0].outlet
    assert outlet
    assert sorted(search_ids(db, "--outlet", outlet)) == _expect(
        articles, lambda a: a.outlet == outlet
    )
    # a name the store does not hold is an error line (exit 2), no longer an empty list
    unknown = cli("search", "--db", db, "--outlet", "no such outlet")
    assert unknown.exit_code == 2 and "no outlet named 'no such outlet'" in unknown.stderr

    days = sorted(a.published for a in articles if a.published)
    middle = days[len(days) // 2]
    since = middle.isoformat()
    assert sorted(search_ids(db, "--since", since)) == _expect(
        articles, lambda a: a.published is not None and a.published >= middle
    )
    assert sorted(search_ids(db, "--until", since)) == _expect(
        articles, lambda a: a.published is not None and a.published < middle
    )
    day = middle.date()
    assert sorted(search_ids(db, "--until", day.isoformat())) == _expect(
        articles, lambda a: a.published is not None and a.published.astimezone(UTC).date() <= day
    )

    by_date = json.loads(
        cli("search", "--db", db, "--sort", "date", "--json", "--limit", "50").stdout
    )
    published = [hit["published"] for hit in by_date["hits"]]
    assert published == sorted(published, reverse=True)


def test_bad_query_is_one_line_exit_2(ingested: tuple[str, list[Article]]) -> None:
    db, _ = ingested
    result = cli("search", "x" * 5000, "--db", db)
    assert result.exit_code == 2
    assert result.stderr.startswith("warta: error: ") and result.stderr.count("\n") == 1
    bad_date = cli("search", "banjir", "--db", db, "--since", "kemarin")
    assert bad_date.exit_code == 2 and "'kemarin' is not a date" in bad_date.stderr


def test_reading_a_store_that_does_not_exist(tmp_path: Path) -> None:
    db = str(tmp_path / "none.db")
    for command in ("stats", "failures", "search"):
        result = cli(command, "--db", db)
        assert result.exit_code == 1
        assert (
            result.stderr
            == f"warta: error: {db}: not_found: no store here yet (run 'warta ingest' first, or give --db)\n"
        )
    assert not Path(db).exists()


def test_warta_db_names_the_store(tmp_path: Path) -> None:
    rows = detik_rows()[:2]
    source = write_jsonl(
        tmp_path / "p.jsonl", [{"url": r["tautan"], "text": page_text(r)} for r in rows]
    )
    db = str(tmp_path / "env.db")
    env = {"WARTA_DB": db}
    result = cli("ingest", str(source), "--pipeline", "clean", "-q", env=env)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert json.loads(cli("stats", "--json", env=env).stdout)["articles"] == 2


def test_unreachable_postgres_is_one_line(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "p.jsonl", [{"text": "Jakarta - Hujan turun."}])
    url = "postgresql://warta:wrong@127.0.0.1:9/nothing"
    result = cli("ingest", str(source), "--db", url)
    assert result.exit_code == 1
    assert result.stderr.startswith("warta: error: ") and result.stderr.count("\n") == 1
    assert "wrong" not in result.stderr  # the password is never printed


# -- a read-only store file --------------------------------------------------------------------


def _as_reader(args: list[str]) -> Any:
    """Run ``warta`` as a user who cannot write the store (root writes any file: run as
    nobody then, where nobody can run this Python); the store file itself is read-only too."""
    import os
    import subprocess
    import sys

    from conftest import ROOT

    user = 65534 if os.geteuid() == 0 else None
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "HOME": "/tmp"}
    command = [sys.executable, "-m", "warta.cli", *args]
    try:
        return subprocess.run(
            command, capture_output=True, text=True, timeout=300, env=env, user=user, cwd="/tmp"
        )
    except PermissionError:  # this Python is not readable by nobody: run as ourselves
        return subprocess.run(
            command, capture_output=True, text=True, timeout=300, env=env, cwd="/tmp"
        )


def test_search_and_stats_open_a_read_only_store_read_only() -> None:
    import os
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="warta-ro-"))
    try:
        db = folder / "w.db"
        rows = detik_rows()[:3]
        source = write_jsonl(
            folder / "p.jsonl", [{"url": r["tautan"], "text": page_text(r)} for r in rows]
        )
        assert (
            cli("ingest", str(source), "--db", str(db), "--pipeline", "clean", "-q").exit_code == 0
        )
        word = page_text(rows[0]).split()[0]
        db.chmod(0o444)
        folder.chmod(0o555)  # no journal or shared-memory file can be made beside it either
        before = db.read_bytes()
        for args in (["stats", "--json"], ["search", word, "--json"], ["failures", "--json"]):
            done = _as_reader([*args, "--db", str(db)])
            assert done.returncode == 0, (args, done.stderr)
            assert "Traceback" not in done.stderr
        assert json.loads(_as_reader(["stats", "--json", "--db", str(db)]).stdout)["articles"] == 3
        assert db.read_bytes() == before  # not a byte written (root may leave WAL side files)
        assert set(os.listdir(folder)) <= {"p.jsonl", "w.db", "w.db-shm", "w.db-wal"}
        # opened read-only, the store refuses writes (even for root)
        with open_store(str(db), read_only=True) as store:
            with pytest.raises(Exception, match="readonly|read-only"):
                store.begin_run(["x"])
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)
