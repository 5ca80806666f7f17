"""One ingest driver behind every surface: the REST endpoint stores exactly what ``warta ingest``
stores for the same pages (real SQLite, the real pipeline), and posting them again adds nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from test_server_data import KEY, client_for, real_pages, unexpected

from warta.store import open_store

HEADERS = {"X-API-Key": KEY}
#: columns that say when or by which run a row was written, not what was stored; and those
#: that corpus passes after an ingest fill (the REST ingest does not run them)
_WHEN = {"stored_at", "run_id", "retrieved_at", "retrieved_at_kind", "revision"}
_CORPUS = {
    "story_id",
    "duplicate_group",
    "duplicate_original",
    "duplicate_carried",
    "duplicate_added",
}
#: what the ingest itself writes
_TABLES = ("articles", "entities", "mentions", "quotes", "events")


def _rows(location: str) -> dict[str, list[dict[str, Any]]]:
    with open_store(location) as store:
        return {
            table: [
                {k: v for k, v in row.items() if k not in _WHEN | _CORPUS}
                for row in store.rows(table)
            ]
            for table in _TABLES
        }


def _counts(location: str) -> tuple[int, int]:
    with open_store(location) as store:
        stats = store.stats()
    return int(stats["articles"]), int(stats["failures"])


def test_rest_ingest_stores_the_same_rows_as_the_cli(tmp_path: Path) -> None:
    pages = real_pages()[:8]
    # a page that fails, so failures are compared too
    records = [{"text": p.text, **({"url": p.url} if p.url else {})} for p in pages]
    records.append({"text": "   \n \n"})
    feed = tmp_path / "pages.jsonl"
    feed.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")

    cli_db = str(tmp_path / "cli.db")
    done = subprocess.run(
        [sys.executable, "-m", "warta.cli", "ingest", "--db", cli_db, "-q", str(feed)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 1, done.stderr  # the blank page failed

    api_db = str(tmp_path / "api.db")
    body = {
        "pages": [
            {
                "text": r["text"],
                "source": f"{feed}:{n}",
                **({"url": r["url"]} if "url" in r else {}),
            }
            for n, r in enumerate(records, start=1)
        ]
    }
    with client_for(api_db, api_key=KEY) as client:
        first = client.post("/v1/ingest/pages", json=body, headers=HEADERS)
        assert first.status_code == 200, first.text
        assert first.json()["counts"] == {"new": 8, "updated": 0, "unchanged": 0, "failed": 1}
        stored = _rows(api_db)
        assert _counts(api_db) == (8, 1)

        again = client.post("/v1/ingest/pages", json=body, headers=HEADERS).json()
        assert again["counts"] == {"new": 0, "updated": 0, "unchanged": 8, "failed": 1}
        assert [p["article_id"] for p in again["pages"]] == [
            p["article_id"] for p in first.json()["pages"]
        ]
        assert again["pages"][-1]["reason"] == "empty"
        assert unexpected(client) == []
    assert _rows(api_db) == stored and _counts(api_db) == (8, 1)  # re-posting added nothing

    assert stored == _rows(cli_db)
    assert _counts(cli_db) == (8, 1)


def test_the_same_page_twice_in_one_request_is_stored_once(tmp_path: Path) -> None:
    page = real_pages()[0]
    body = {"pages": [{"text": page.text, "source": "twice"}] * 2}
    with client_for(str(tmp_path / "w.db"), api_key=KEY) as client:
        answer = client.post("/v1/ingest/pages", json=body, headers=HEADERS)
        assert answer.status_code == 200, answer.text
        pages = answer.json()["pages"]
        assert [(p["index"], p["outcome"]) for p in pages] == [(0, "new"), (1, "unchanged")]
        assert pages[0]["article_id"] == pages[1]["article_id"]
        assert unexpected(client) == []
    assert _counts(str(tmp_path / "w.db")) == (1, 0)
