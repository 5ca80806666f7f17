"""A Parquet dataset of the ingested articles, partitioned by outlet and month
(``outlet=<outlet>/month=<YYYY-MM>/part-*.parquet``, Hive layout: DuckDB, pyarrow, Spark and
``warta corpus`` read it as one table).

Idempotent by itself, whatever happened to the run that wrote it: the dataset knows the
(article id, fingerprint) pairs its files hold — read back from the files when it is opened —
and writes only the pairs it lacks, so a rerun, a re-run shard or a resumed ingest writes
nothing twice. Each file is written under a temporary name and renamed into place, so a kill
leaves a file whole or absent; the ingest driver writes a batch here before it commits the
batch to the store, so a batch the store never got is extracted again on resume and written
here only where it is missing: nothing lost, nothing twice.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from warta.core.errors import StoreError
from warta.core.record import Article
from warta.core.serialize import article_to_json

__all__ = ["ParquetDataset"]

#: the columns of each file; ``outlet`` and ``month`` are the partition folders' (percent-encoded
#: in the folder name, decoded by Hive-partitioning readers)
_COLUMNS = (
    "id",
    "url",
    "canonical_url",
    "source",
    "language",
    "title",
    "published",
    "section",
    "fingerprint",
    "body",
    "record",
)


def _partition(article: Article) -> tuple[str, str]:
    outlet = quote(article.outlet or "unknown", safe="")
    month = article.published.strftime("%Y-%m") if article.published else "unknown"
    return outlet, month


def _row(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "url": article.url,
        "canonical_url": article.canonical_url,
        "source": article.source,
        "language": article.language,
        "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "section": article.section,
        "fingerprint": article.fingerprint,
        "body": article.body,
        "record": article_to_json(article),
    }


class ParquetDataset:
    """The dataset folder at ``root`` (created when missing)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        if self.root.exists() and not self.root.is_dir():
            raise StoreError(
                "the Parquet dataset path exists and is not a folder", source=str(root)
            )
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the Parquet dataset folder: {exc.strerror or exc}", source=str(root)
            ) from exc
        self.known: set[tuple[str, str]] = self._read_known()
        self.rows_written = 0

    def _files(self) -> list[Path]:
        return sorted(self.root.glob("outlet=*/month=*/*.parquet"))

    def _read_known(self) -> set[tuple[str, str]]:
        import pyarrow.parquet as pq  # type: ignore[import-untyped, unused-ignore]

        known: set[tuple[str, str]] = set()
        for path in self._files():
            try:
                table = pq.read_table(path, columns=["id", "fingerprint"])
            except Exception as exc:  # noqa: BLE001 - any unreadable file: say which
                raise StoreError(
                    f"a file of the Parquet dataset cannot be read: {exc}", source=str(path)
                ) from exc
            known.update(
                zip(table.column("id").to_pylist(), table.column("fingerprint").to_pylist())
            )
        return known

    def write(self, articles: Iterable[Article]) -> int:
        """Write the articles the dataset does not hold yet (one file per partition touched);
        how many rows were written."""
        import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
        import pyarrow.parquet as pq  # type: ignore[import-untyped, unused-ignore]

        parts: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        fresh: set[tuple[str, str]] = set()
        for article in articles:
            if not article.id or not article.body:
                continue
            key = (article.id, article.fingerprint or "")
            if key in self.known or key in fresh:
                continue
            fresh.add(key)
            parts[_partition(article)].append(_row(article))
        written = 0
        for (outlet, month), rows in sorted(parts.items()):
            folder = self.root / f"outlet={outlet}" / f"month={month}"
            folder.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha1(
                json.dumps(sorted((r["id"], r["fingerprint"]) for r in rows)).encode()
            ).hexdigest()[:20]
            final = folder / f"part-{digest}.parquet"
            temp = folder / f".part-{digest}.{os.getpid()}.tmp"
            table = pa.Table.from_pylist(rows, schema=_SCHEMA())
            pq.write_table(table, temp)
            os.replace(temp, final)
            written += len(rows)
        self.known |= fresh
        self.rows_written += written
        return written


def _SCHEMA() -> Any:  # noqa: N802 - a constant built on first use (pyarrow loads lazily)
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

    return pa.schema([(name, pa.string()) for name in _COLUMNS])
