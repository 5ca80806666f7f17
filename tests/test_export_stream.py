"""The export writers stream: they pull rows batch by batch and never hold a table in memory;
their files read back in DuckDB and pandas; bad rows and bad requests give clear errors."""

from __future__ import annotations

import json
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from warta.core.errors import StoreError, WartaError
from warta.export.tables import ExportError, export, write_rows

FORMATS = ("jsonl", "csv", "parquet")


def _article_rows(n: int, body_chars: int = 0) -> Iterator[dict[str, Any]]:
    """Generated article rows (the shape a store yields), with a long body when asked."""
    for i in range(n):
        yield {
            "id": f"a{i:06d}",
            "url": f"https://example.id/berita/{i}",
            "title": f"Judul berita nomor {i}",
            "authors": ["Siti Rahma", f"Penulis {i % 7}"],
            "published": f"2020-01-{1 + i % 28:02d}T10:00:00+07:00",
            "language_confidence": 0.5 + (i % 50) / 100,
            "body": (f"Kalimat {i}. " * (body_chars // 10 + 1))[:body_chars],
        }


def _read(path: Path, fmt: str) -> Any:
    import pandas as pd

    if fmt == "jsonl":
        return pd.read_json(path, lines=True, dtype=False)
    if fmt == "csv":
        return pd.read_csv(path, keep_default_na=False, dtype=str)
    return pd.read_parquet(path)


@pytest.mark.parametrize("fmt", FORMATS)
def test_rows_are_pulled_one_batch_at_a_time(tmp_path: Path, fmt: str) -> None:
    pulled = 0
    lead: list[int] = []

    def rows() -> Iterator[dict[str, Any]]:
        nonlocal pulled
        for row in _article_rows(1050):
            pulled += 1
            yield row

    def progress(table: str, written: int) -> None:
        lead.append(pulled - written)

    n = write_rows(rows(), tmp_path / f"a.{fmt}", format=fmt, table="articles", batch_size=100, progress=progress)
    assert n == 1050
    # the writer never ran more than one batch ahead of what it had written
    assert lead and max(lead) <= 100
    assert len(lead) == 11 + 1  # one call per batch, one when the table is done


@pytest.mark.parametrize("fmt", FORMATS)
def test_memory_stays_bounded_on_a_large_table(tmp_path: Path, fmt: str) -> None:
    n, body = 3000, 20_000  # 60 MB of text passes through
    write_rows(_article_rows(3), tmp_path / f"warm.{fmt}", format=fmt, table="articles")  # imports
    tracemalloc.start()
    try:
        written = write_rows(
            _article_rows(n, body), tmp_path / f"big.{fmt}", format=fmt, table="articles", batch_size=200
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert written == n
    assert peak < 20_000_000, f"peak {peak / 1e6:.1f} MB while writing {n * body / 1e6:.0f} MB"
    import duckdb

    source = {"jsonl": "read_json_auto", "csv": "read_csv_auto", "parquet": "read_parquet"}[fmt]
    got = duckdb.sql(f"SELECT count(*), sum(length(body)) FROM {source}('{tmp_path / f'big.{fmt}'}')").fetchall()
    assert got == [(n, n * body)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_values_survive_the_round_trip(tmp_path: Path, fmt: str) -> None:
    rows = list(_article_rows(5, 40))
    path = tmp_path / f"a.{fmt}"
    write_rows(iter(rows), path, format=fmt, table="articles")
    frame = _read(path, fmt)
    assert list(frame["id"]) == [r["id"] for r in rows]
    assert list(frame["body"]) == [r["body"] for r in rows]
    authors = [json.loads(a) if isinstance(a, str) else list(a) for a in frame["authors"]]
    assert authors == [r["authors"] for r in rows]
    if fmt == "parquet":  # typed: a UTC timestamp and a float
        assert str(frame["published"].dtype) == "datetime64[us, UTC]"
        assert frame["published"][0].isoformat() == "2020-01-01T03:00:00+00:00"
        assert frame["language_confidence"].tolist() == [r["language_confidence"] for r in rows]


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_empty_table_still_gives_a_readable_file(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"quotes.{fmt}"
    assert write_rows(iter([]), path, format=fmt, table="quotes") == 0
    import duckdb

    if fmt == "jsonl":
        assert path.read_text() == ""
    else:
        source = "read_csv_auto" if fmt == "csv" else "read_parquet"
        got = duckdb.sql(f"SELECT * FROM {source}('{path}')")
        assert "article_id" in got.columns and got.fetchall() == []


def test_a_row_with_a_new_column_is_a_store_error_and_leaves_no_file(tmp_path: Path) -> None:
    rows = [{"id": "a", "title": "x"}] * 3 + [{"id": "b", "title": "y", "surprise": 1}]
    path = tmp_path / "articles.parquet"
    with pytest.raises(StoreError) as err:
        write_rows(iter(rows), path, format="parquet", table="articles", batch_size=2)
    assert "surprise" in err.value.one_line() and err.value.source == "articles"
    assert list(tmp_path.iterdir()) == []  # neither the file nor its partial remains


def test_a_value_of_the_wrong_type_names_the_column(tmp_path: Path) -> None:
    rows = [{"id": "a", "published": "yesterday"}]
    with pytest.raises(StoreError, match="published"):
        write_rows(iter(rows), tmp_path / "a.parquet", format="parquet", table="articles")


def test_rows_without_their_key_are_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="article_id"):
        write_rows(iter([{"text": "x"}]), tmp_path / "q.csv", format="csv", table="quotes")


def test_undeclared_columns_get_types_from_their_values(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    rows = [{"id": "a", "n": 1, "x": 1.5, "ok": True, "meta": {"k": 1}, "none": None}]
    path = tmp_path / "a.parquet"
    write_rows(iter(rows), path, format="parquet", table="articles")
    schema = pq.read_schema(path)
    assert [str(schema.field(c).type) for c in ("n", "x", "ok", "meta", "none")] == [
        "int64",
        "double",
        "bool",
        "string",
        "string",
    ]
    assert pq.read_table(path).column("meta").to_pylist() == ['{"k": 1}']


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"format": "xml"}, "unknown format 'xml'"),
        ({"tables": ("articles", "people")}, "unknown table(s) 'people'"),
        ({"batch_size": 0}, "batch size"),
    ],
)
def test_bad_requests_are_clear_errors(tmp_path: Path, kwargs: dict[str, Any], needle: str) -> None:
    with pytest.raises(ExportError) as err:
        export(None, tmp_path, **kwargs)  # type: ignore[arg-type]  # refused before the store is read
    assert isinstance(err.value, WartaError) and needle in err.value.one_line()


def test_an_output_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.write_text("not a folder")
    with pytest.raises(ExportError, match="not a folder"):
        export(None, target)  # type: ignore[arg-type]
