"""Where corpus documents come from: a store, a Parquet dataset (``warta export`` or the
ingest's partitioned dataset), or pages read and cleaned by the pipeline (WARC, JSON Lines,
files: anything ``warta extract`` reads)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from warta.core.errors import InputError

__all__ = ["Doc", "is_parquet", "page_docs", "parquet_docs", "store_docs"]


@dataclass(slots=True)
class Doc:
    """One document: the article's clean body and where it came from."""

    id: str
    text: str
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    title: str | None = None


def store_docs(location: str | None) -> Iterator[Doc]:
    """The stored articles, in storage order."""
    from warta.store import open_store

    with open_store(location) as store:
        for row in store.rows("articles"):
            if row.get("body"):
                yield Doc(
                    str(row["id"]),
                    str(row["body"]),
                    row.get("url"),
                    row.get("outlet"),
                    str(row["published"]) if row.get("published") else None,
                    row.get("title"),
                )


def is_parquet(path: str) -> bool:
    """A Parquet file, or a folder holding Parquet files (a dataset)."""
    p = Path(path)
    return p.suffix == ".parquet" or (p.is_dir() and next(p.rglob("*.parquet"), None) is not None)


def parquet_docs(path: str) -> Iterator[Doc]:
    """Rows of a Parquet file or dataset folder with ``id`` and ``body`` (or ``text``) columns."""
    import pyarrow.dataset as ds  # type: ignore[import-untyped, unused-ignore]

    try:
        data = ds.dataset(path, format="parquet", partitioning="hive")
    except (OSError, ValueError) as exc:
        raise InputError(f"not a readable Parquet dataset: {exc}", source=path) from exc
    names = set(data.schema.names)
    text = "body" if "body" in names else "text" if "text" in names else None
    if "id" not in names or text is None:
        raise InputError("a Parquet corpus source needs columns id and body (or text)", source=path)
    extra = [c for c in ("url", "outlet", "published", "title") if c in names]
    for batch in data.to_batches(columns=["id", text, *extra]):
        for row in batch.to_pylist():
            if row.get(text):
                yield Doc(
                    str(row["id"]),
                    str(row[text]),
                    row.get("url"),
                    row.get("outlet"),
                    str(row["published"]) if row.get("published") else None,
                    row.get("title"),
                )


def page_docs(
    inputs: Sequence[str],
    *,
    jobs: int = 1,
    executor: str = "local",
    scheduler: str | None = None,
    failed: list[str] | None = None,
) -> Iterator[Doc]:
    """Pages read and cleaned (the clean pipeline: no NLP) into documents; a page that fails
    is named in ``failed``."""
    from warta.readers.base import DEFAULT_MAX_BYTES
    from warta.run.executors import make_executor
    from warta.run.ingest_sources import read_inputs
    from warta.run.pipeline import CLEAN_PIPELINE

    stages = make_executor(CLEAN_PIPELINE, jobs=jobs, kind=executor, scheduler=scheduler)
    pages = read_inputs(list(inputs), pattern=None, max_bytes=DEFAULT_MAX_BYTES)
    for article in stages.run(pages):
        if article.errors or not article.body or not article.id:
            if failed is not None:
                failed.append(article.source)
            continue
        yield Doc(
            article.id,
            article.body,
            article.url,
            article.outlet,
            article.published.isoformat() if article.published else None,
            article.title,
        )
