"""Exports of a real store (SQLite and PostgreSQL) filled with real extracted pages: every table
in every format reads back in DuckDB and pandas with the store's rows and values; the GDELT
layout carries the store's events; ``warta export`` writes them and sums them up."""

from __future__ import annotations

import json
import math
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from test_store import ROLES, with_roles, without_roles
from test_store_corpus import base_articles, revised

from warta.api import extract_text
from warta.core.record import Article, Event, Mention, Quote
from warta.corpus.update import update_corpus
from warta.export.gdelt import GDELT_COLUMNS, GDELT_EVENT_COLUMNS, WARTA_COLUMNS
from warta.export.tables import DECLARED_TYPES, export
from warta.store import Store, open_store
from warta.store.base import EXPORT_TABLES

from conftest import ROOT, SEED_DIR

FORMATS = ("jsonl", "csv", "parquet")
PAGES = [SEED_DIR / "000_e34af48cd88e996e.txt", *sorted((ROOT / "src" / "warta" / "samples").glob("*.txt"))]
DUCKDB_READER = {"jsonl": "read_json_auto", "csv": "read_csv_auto", "parquet": "read_parquet"}


def _fill(store: Store) -> list[Article]:
    articles = []
    for page in PAGES:
        if not page.exists():
            pytest.skip(f"{page} not present: ../shared is only beside the repository in CI and dev")
        article = extract_text(page.read_bytes(), source=str(page))
        store.put(article)
        articles.append(article)
    update_corpus(store)  # stories and duplicate columns are part of the export
    return articles


@pytest.fixture
def filled(store_location: str) -> Iterator[tuple[Store, list[Article]]]:
    with open_store(store_location) as store:
        yield store, _fill(store)


# -- comparing what came back with what the store holds ----------------------------------------


def _utc(value: Any) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    assert isinstance(value, datetime), value
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def _norm(value: Any, kind: str | None) -> Any:
    """One comparable form for a value from the store or from any reader."""
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        value = value.tolist()
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return None
    if type(value).__name__ == "NaTType":
        return None
    if kind == "timestamp":
        return _utc(value)
    if kind == "strings" or isinstance(value, list):
        items = json.loads(value) if isinstance(value, str) else value
        return [str(x) for x in items]
    if kind == "bool" and isinstance(value, str):  # CSV writes booleans as text
        return {"true": True, "false": False}[value.lower()]
    if kind == "int" or isinstance(value, bool):
        return int(value) if not isinstance(value, bool) else value
    if kind == "float" or isinstance(value, float):
        return round(float(value), 9)
    return str(value)


def _frame(path: Path, fmt: str) -> Any:
    import pandas as pd

    if fmt == "jsonl":
        return pd.read_json(path, lines=True, dtype=False)
    if fmt == "csv":
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    return pd.read_parquet(path)


def _assert_same(table: str, store_rows: list[dict[str, Any]], frame: Any) -> None:
    kinds = DECLARED_TYPES.get(table, {})
    assert len(frame) == len(store_rows)
    got = frame.to_dict("records")
    for want, have in zip(store_rows, got):
        produced = want.pop("produced_by", None)
        if table == "articles":  # the export flattens the store's produced_by object
            assert produced, want.get("id")
            want.update(
                warta_version=produced["warta"], stages=produced["stages"], models=produced["models"]
            )
        for column, value in want.items():
            kind = kinds.get(column)
            assert _norm(have[column], kind) == _norm(value, kind), (table, column, want.get("id"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_table_reads_back_with_the_stores_rows(
    filled: tuple[Store, list[Article]], tmp_path: Path, fmt: str
) -> None:
    import duckdb

    store, articles = filled
    paths = export(store, tmp_path, format=fmt)  # type: ignore[arg-type]
    assert list(paths) == list(EXPORT_TABLES)
    stats = store.stats()
    for table in EXPORT_TABLES:
        rows = list(store.rows(table))
        assert len(rows) == stats[table] > 0, table
        # pandas: every value of every row, in the store's order
        frame = _frame(paths[table], fmt)
        _assert_same(table, rows, frame)
        # DuckDB: the same count, and the same keys
        reader = DUCKDB_READER[fmt]
        key = "id" if table in ("articles", "entities", "stories") else "article_id"
        got = duckdb.sql(f"SELECT count(*), count(DISTINCT {key}) FROM {reader}('{paths[table]}')").fetchall()
        assert got == [(len(rows), len({r[key] for r in rows}))], table
    # the reports' provenance: when each was retrieved and what produced it
    frame = _frame(paths["articles"], fmt)
    by_id = {a.id: a for a in articles}
    for record in frame.to_dict("records"):
        article = by_id[record["id"]]
        assert _norm(record["retrieved_at"], "timestamp") == _utc(article.retrieved_at)
        assert record["retrieved_at_kind"] == article.retrieved_at_kind
        assert record["warta_version"] == article.produced_by["warta"]
        assert record["models"] == article.produced_by["models"]
        assert "nlp.events.v1" in record["stages"]


def test_parquet_columns_are_typed_for_duckdb(filled: tuple[Store, list[Article]], tmp_path: Path) -> None:
    import duckdb

    store, articles = filled
    paths = export(store, tmp_path, format="parquet", tables=("articles", "events"))
    described = duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{paths['articles']}')").fetchall()
    types = {row[0]: row[1] for row in described}
    assert types["published"] == "TIMESTAMP WITH TIME ZONE"
    assert types["retrieved_at"] == "TIMESTAMP WITH TIME ZONE"
    assert types["authors"] == "VARCHAR[]"
    events = dict(
        (row[0], row[1]) for row in duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{paths['events']}')").fetchall()
    )
    assert (events["start"], events["confidence"]) == ("BIGINT", "DOUBLE")
    # a question asked of the export as DuckDB users would ask it
    per_category = duckdb.sql(
        f"SELECT category, count(*) FROM read_parquet('{paths['events']}') GROUP BY 1 ORDER BY 1"
    ).fetchall()
    want: dict[str, int] = {}
    for article in articles:
        for event in article.events:
            want[event.category.upper()] = want.get(event.category.upper(), 0) + 1
    assert per_category == sorted(want.items())


@pytest.mark.parametrize("fmt", FORMATS)
def test_quote_speakers_role_and_affiliation_are_exported(store_location: str, tmp_path: Path, fmt: str) -> None:
    """The quotes file has role and affiliation as the records have them (null where the
    article states neither), and typed as text in Parquet even when no quote has one."""
    import duckdb

    seed, tempo, _ = base_articles()
    roled, plain = with_roles(seed), without_roles(tempo)
    with open_store(store_location) as store:
        store.put_many([roled, plain])
        paths = export(store, tmp_path / "both", format=fmt, tables=("quotes",))  # type: ignore[arg-type]
        store.put(without_roles(revised(seed, "Paragraf tambahan.")))  # an update: no role now
        bare = export(store, tmp_path / "bare", format=fmt, tables=("quotes",))  # type: ignore[arg-type]
    reader = DUCKDB_READER[fmt]
    sql = "SELECT article_id, start, role, affiliation FROM {}('{}')"
    got = {(i, s): (r, a) for i, s, r, a in duckdb.sql(sql.format(reader, paths["quotes"])).fetchall()}
    want = {(a.id, q.start): (q.role, q.affiliation) for a in (roled, plain) for q in a.quotes}
    assert got == want and set(ROLES) <= set(got.values())
    frame = _frame(paths["quotes"], fmt)
    assert list(frame.columns)[3:5] == ["role", "affiliation"]
    assert {_norm(v, "string") for v in frame["role"]} == {r for r, _ in ROLES}
    none = duckdb.sql(sql.format(reader, bare["quotes"])).fetchall()
    assert len(none) == len(seed.quotes) + len(tempo.quotes)
    assert {(r, a) for _, _, r, a in none} == {(None, None)}
    if fmt == "parquet":
        described = duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{bare['quotes']}')").fetchall()
        types = {row[0]: row[1] for row in described}
        assert (types["role"], types["affiliation"]) == ("VARCHAR", "VARCHAR")


def test_gdelt_layout_carries_the_stores_events(filled: tuple[Store, list[Article]], tmp_path: Path) -> None:
    import duckdb
    import pandas as pd

    store, articles = filled
    paths = export(store, tmp_path, format="gdelt")
    assert list(paths) == ["events_gdelt", "events_gdelt_warta"]
    assert paths["events_gdelt"].name == "events_gdelt.gdelt.tsv"
    # positional, as GDELT's own files: 61 columns, no header line; warta's columns in a sidecar
    lines = paths["events_gdelt"].read_text(encoding="utf-8").splitlines()
    assert all(len(line.split("\t")) == 61 for line in lines)
    assert not lines[0].startswith("GLOBALEVENTID")
    positional = pd.read_csv(
        paths["events_gdelt"],
        sep="\t",
        dtype=str,
        keep_default_na=False,
        header=None,
        names=list(GDELT_EVENT_COLUMNS),
    )
    sidecar = pd.read_csv(paths["events_gdelt_warta"], sep="\t", dtype=str, keep_default_na=False)
    assert list(sidecar.columns) == ["GLOBALEVENTID", *WARTA_COLUMNS]
    frame = positional.merge(sidecar, on="GLOBALEVENTID", how="left", validate="one_to_one")
    assert list(frame.columns) == list(GDELT_COLUMNS)
    events = list(store.rows("events"))
    assert len(frame) == len(events) > 0
    assert list(frame["PLOVERCategory"]) == [e["category"] for e in events]
    assert list(frame["PLOVERMode"]) == [e["mode"] for e in events]
    assert list(frame["Actor1Name"]) == [e["actor"] or "" for e in events]
    by_id = {a.id: a for a in articles}
    for row, event in zip(frame.to_dict("records"), events):
        article = by_id[event["article_id"]]
        assert article.published is not None
        when = event["when"] or ""
        day = when[:10] if len(when) >= 10 and when[4] == "-" and when[7] == "-" else None
        want = day.replace("-", "") if day else article.published.strftime("%Y%m%d")
        assert row["SQLDATE"] == want and len(row["SQLDATE"]) == 8
        assert row["Year"] == want[:4] and row["MonthYear"] == want[:6]
        assert row["SOURCEURL"] == (article.canonical_url or article.url or article.source)
        assert row["WartaArticleID"] == article.id
    assert len(set(frame["GLOBALEVENTID"])) == len(frame)
    headed = export(store, tmp_path / "headed", format="gdelt", gdelt_header=True)
    described = duckdb.sql(f"DESCRIBE SELECT * FROM read_csv('{headed['events_gdelt']}', delim='\t')").fetchall()
    assert [row[0] for row in described] == list(GDELT_EVENT_COLUMNS)


def test_gdelt_beside_the_tables_in_parquet(filled: tuple[Store, list[Article]], tmp_path: Path) -> None:
    import duckdb

    store, _ = filled
    paths = export(store, tmp_path, format="parquet", tables=("events",), gdelt=True)
    assert set(paths) == {"events", "events_gdelt"}
    sql = f"SELECT SQLDATE, EventRootCode, QuadClass, PLOVERCategory FROM read_parquet('{paths['events_gdelt']}')"
    rows = duckdb.sql(sql).fetchall()
    assert len(rows) == store.stats()["events"]
    assert all(isinstance(r[0], int) and 19_000_000 < r[0] < 21_000_000 for r in rows)
    consult = [r for r in rows if r[3] == "CONSULT"]
    assert consult and all(r[1:3] == ("04", 1) for r in consult)


def test_an_empty_store_exports_empty_tables(store_location: str, tmp_path: Path) -> None:
    import duckdb

    with open_store(store_location) as store:
        paths = export(store, tmp_path, format="parquet", gdelt=True)
    for table, path in paths.items():
        got = duckdb.sql(f"SELECT * FROM read_parquet('{path}')")
        assert got.fetchall() == [], table
    assert duckdb.sql(f"SELECT * FROM read_parquet('{paths['events_gdelt']}')").columns == list(GDELT_COLUMNS)


def _generated(n: int, body_chars: int) -> Iterator[Article]:
    for i in range(n):
        body = (f"Presiden Joko Widodo bertemu menteri ke-{i} di Jakarta pagi ini. " * (body_chars // 60 + 1))[:body_chars]
        yield Article(
            source=f"gen/{i}.txt",
            url=f"https://example.id/berita/{i}",
            title=f"Berita {i}",
            published=datetime(2020, 1, 1 + i % 28, 9, tzinfo=UTC),
            body=body,
            entities=[Mention(9, 20, "Joko Widodo", "PERSON", "Q6631", "Joko Widodo", "gazetteer")],
            quotes=[Quote(0, 40, body[:40], "indirect", "Joko Widodo")],
            events=[Event(0, 60, "CONSULT", "asserted", actor="Joko Widodo", place="Jakarta")],
        )


def test_a_large_store_exports_in_bounded_memory(tmp_path: Path) -> None:
    n, body = 1500, 12_000  # 18 MB of bodies in the store
    with open_store(str(tmp_path / "big.db")) as store:
        for article in _generated(n, body):
            store.put(article)
        export(store, tmp_path / "warm", format="parquet", tables=("events",))  # imports
        tracemalloc.start()
        try:
            paths = export(store, tmp_path / "out", format="parquet", gdelt=True, batch_size=100)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    import duckdb

    got = duckdb.sql(f"SELECT count(*), sum(length(body)) FROM read_parquet('{paths['articles']}')").fetchall()
    assert got == [(n, n * body)]
    assert peak < n * body / 3, f"peak {peak / 1e6:.1f} MB exporting {n * body / 1e6:.0f} MB of bodies"


def test_the_cli_exports_and_sums_up(tmp_path: Path) -> None:
    from warta.cli import main

    db = tmp_path / "warta.db"
    with open_store(str(db)) as store:
        _fill(store)
        counts = store.stats()
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["export", "--db", str(db), "--format", "csv", "--out", str(out), "--table", "events", "--table", "quotes"]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["events.csv", "quotes.csv"]
    lines = {line.split()[0]: line for line in result.output.splitlines()}
    assert f"{counts['events']:,} rows" in lines["events"] and str(out / "events.csv") in lines["events"]
    assert f"{counts['quotes']:,} rows" in lines["quotes"]
    result = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "gdelt", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "events_gdelt.gdelt.tsv").exists() and "events_gdelt" in result.output


def test_the_cli_names_a_missing_store(tmp_path: Path) -> None:
    from warta.cli import main

    missing = tmp_path / "nowhere.db"
    result = CliRunner().invoke(main, ["export", "--db", str(missing), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.output.strip() == f"warta: error: {missing}: store_unavailable: no store here (ingest pages first, or give --db)"
    assert not missing.exists() and not (tmp_path / "o").exists()


def test_the_cli_refuses_an_unknown_table(tmp_path: Path) -> None:
    from warta.cli import main

    result = CliRunner().invoke(main, ["export", "--out", str(tmp_path), "--table", "people"])
    assert result.exit_code == 2 and "people" in result.output


def test_every_article_export_says_how_the_publish_time_was_stated(
    filled: tuple[Store, list[Article]], tmp_path: Path
) -> None:
    store, articles = filled
    paths = export(store, tmp_path, format="jsonl", tables=("articles",))
    rows = [json.loads(line) for line in paths["articles"].read_text(encoding="utf-8").splitlines()]
    by_id = {a.id: a for a in articles}
    assert rows and all(
        {"published_raw", "published_precision", "published_utc_offset", "published_zone_note"} <= set(r)
        for r in rows
    )
    for row in rows:
        article = by_id[row["id"]]
        assert row["published_raw"] == article.published_raw
        assert row["published_precision"] == article.published_precision
        if article.published is not None:
            offset = article.published.utcoffset()
            assert offset is not None
            hours, rest = divmod(int(offset.total_seconds()) // 60, 60)
            assert row["published_utc_offset"] == f"{'+' if offset.total_seconds() >= 0 else '-'}{abs(hours):02d}:{rest:02d}"
    csv_paths = export(store, tmp_path / "csv", format="csv", tables=("articles",))
    header = csv_paths["articles"].read_text(encoding="utf-8").splitlines()[0].split(",")
    assert {"published_raw", "published_precision", "published_utc_offset"} <= set(header)
