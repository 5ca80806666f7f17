"""``warta ingest --parquet DIR``: the stored articles also as a Parquet dataset partitioned by
outlet and month, written idempotently — a rerun, a rerun into another store, or a resume
after a lost file writes each (article id, fingerprint) exactly once."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

from click.testing import CliRunner

from warta.cli import main

from conftest import require_shared


def _pages(tmp_path: Path, n: int = 30) -> Path:
    path = require_shared("data", "detik_summ_entity_1000", "data_berita.csv.gz")
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        rows = [r for _, r in zip(range(n), csv.DictReader(fh))]
    out = tmp_path / "pages.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for i, row in enumerate(rows):
            outlet = ["detikcom", "Kompas", "Tempo/English"][i % 3]
            month = ["2025-09-14T08:00:00+07:00", "2025-10-02T10:00:00+07:00"][i % 2]
            fh.write(json.dumps({"url": f"https://contoh.example/{i}", "text": row["isi_berita"],
                                 "outlet": outlet, "published": month}) + "\n")
    return out


def _table(root: Path) -> list[dict[str, object]]:
    import pyarrow.dataset as ds

    data = ds.dataset(root, format="parquet", partitioning="hive")
    return data.to_table(columns=["id", "fingerprint", "outlet", "month"]).to_pylist()


def _ingest(db: Path, parquet: Path, pages: Path) -> None:
    result = CliRunner().invoke(
        main, ["ingest", "-q", "--pipeline", "clean", "--no-corpus", "--db", str(db), "--parquet", str(parquet), str(pages)]
    )
    assert result.exit_code == 0, result.output


def test_the_dataset_is_partitioned_and_never_written_twice(tmp_path: Path) -> None:
    pages, parquet = _pages(tmp_path), tmp_path / "ds"
    _ingest(tmp_path / "a.db", parquet, pages)
    rows = _table(parquet)
    from warta.store import open_store

    with open_store(str(tmp_path / "a.db")) as store:
        stored = {(r["id"], r["fingerprint"]) for r in store.rows("articles")}
    assert {(r["id"], r["fingerprint"]) for r in rows} == stored and len(rows) == len(stored)
    assert {r["outlet"] for r in rows} == {"detikcom", "Kompas", "Tempo/English"}  # decoded
    assert {r["month"] for r in rows} == {"2025-09", "2025-10"}
    assert all(p.name.startswith("part-") for p in parquet.rglob("*.parquet"))
    files = sorted(parquet.rglob("*.parquet"))

    _ingest(tmp_path / "a.db", parquet, pages)  # the same store: every page skipped
    _ingest(tmp_path / "b.db", parquet, pages)  # a new store: everything extracted again
    assert sorted(parquet.rglob("*.parquet")) == files
    assert len(_table(parquet)) == len(rows)

    lost = files[0]  # a file lost (or never renamed into place by a killed run)
    import pyarrow.parquet as pq

    lost_ids = set(pq.read_table(lost, columns=["id"]).column("id").to_pylist())
    lost.unlink()
    _ingest(tmp_path / "c.db", parquet, pages)
    again = _table(parquet)
    assert len(again) == len(rows) and {r["id"] for r in again} >= lost_ids
    assert not list(parquet.rglob("*.tmp"))


def test_warta_corpus_reads_the_dataset(tmp_path: Path) -> None:
    pages, parquet = _pages(tmp_path, 9), tmp_path / "ds"
    _ingest(tmp_path / "a.db", parquet, pages)
    out = tmp_path / "lm"
    result = CliRunner().invoke(main, ["corpus", str(parquet), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    manifest = json.loads(result.output)
    assert manifest["documents"] == len(_table(parquet))
    kept = [json.loads(x) for x in (out / "shard-00000.jsonl").open(encoding="utf-8")]
    assert {d["outlet"] for d in kept} <= {"detikcom", "Kompas", "Tempo/English"}
