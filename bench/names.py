"""Alias queries on a store of real detik.com articles: how many articles each name finds.

Builds (or reuses, with ``--db``) a SQLite store of the first ``--articles`` detik bodies of
../shared (URL and ``isi_berita`` as JSON Lines, the full pipeline), then asks each name of
:data:`QUERIES` as an entity, outlet or speaker filter and prints the hit counts. Run it with
an older warta on the path (``PYTHONPATH=<old checkout>/src``) against the same ``--db`` to get
the "before" column of docs/BENCHMARKS.md.

    python bench/names.py [--articles 200] [--db store.db]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "detik_summ_entity_1000" / "data_berita.csv.gz"

#: (filter, name as a user types it)
QUERIES: tuple[tuple[str, str], ...] = (
    ("entity", "Komisi Pemberantasan Korupsi"),
    ("entity", "KPK"),
    ("entity", "kpk"),
    ("entity", "Joko Widodo"),
    ("entity", "Jokowi"),
    ("entity", "Prabowo"),
    ("entity", "Russia"),
    ("entity", "Rusia"),
    ("entity", "United States"),
    ("entity", "Amerika Serikat"),
    ("entity", "AS"),
    ("entity", "Sri Mulyani"),
    ("entity", "Jokwi"),
    ("outlet", "detikcom"),
    ("outlet", "detik"),
    ("outlet", "detik.com"),
    ("speaker", "Sri Mulyani"),
    ("speaker", "Prabowo"),
    ("speaker", "Purbaya"),
)


def build(db: Path, articles: int) -> None:
    by_url: dict[str, dict[str, str]] = {}
    with gzip.open(DATA, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            by_url.setdefault(row["tautan"], row)
    rows = list(by_url.values())[:articles]
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "detik.jsonl"
        with source.open("w", encoding="utf-8") as out:
            for r in rows:
                out.write(json.dumps({"url": r["tautan"], "text": r["isi_berita"]}) + "\n")
        subprocess.run(
            [str(Path(sys.executable).parent / "warta"), "ingest", str(source), "--db", str(db)],
            check=True,
            capture_output=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    from warta.store import open_store
    from warta.store.base import SearchRequest

    db = args.db or Path(tempfile.mkdtemp()) / "names.db"
    if not db.exists():
        build(db, args.articles)
    print(f"{'filter':8} {'name':32} {'articles':>8}  note")
    with open_store(str(db)) as store:
        for kind, name in QUERIES:
            if kind == "outlet":
                request = SearchRequest(outlets=(name,), limit=1)
            else:
                request = SearchRequest(limit=1, **{kind: name})
            result = store.search(request)
            unknown = getattr(result, "unknown", ())
            note = "; ".join(u.message() for u in unknown)
            print(f"{kind:8} {name:32} {result.total:>8}  {note}")


if __name__ == "__main__":
    main()
