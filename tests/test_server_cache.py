"""The store version and the API's response cache, on SQLite and PostgreSQL: every write
raises the version, whoever makes it, and a kept answer is never served once the store changed.

Articles are real detik.com reports from ../shared (read at test time), extracted by warta."""

from __future__ import annotations

import csv
import gzip
from typing import Any

import pytest
from test_server_data import client_for, unexpected

from warta.api import extract_text
from warta.core.record import Article
from warta.corpus.update import update_corpus
from warta.run.pipeline import CLEAN_PIPELINE
from warta.store import open_store

from conftest import require_shared


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    """Ten real reports, title and body, through warta's cleaning pipeline."""
    path = require_shared("data", "detik_summ_entity_1000", "data_berita.csv.gz")
    out: list[Article] = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if len(out) == 10:
                break
            text = f"{row['judul']}\n\n{row['isi_berita']}"
            article = extract_text(text, url=row["tautan"], source=row["tautan"], spec=CLEAN_PIPELINE)
            if article.body and all(a.url != article.url for a in out):
                out.append(article)
    return out


def _word_of(article: Article) -> str:
    """A word of the article's body that is long enough to be searched for."""
    return next(w for w in article.body.split() if w.isalpha() and len(w) >= 7)


def test_every_write_raises_the_version_and_nothing_else_does(
    store_location: str, articles: list[Article]
) -> None:
    with open_store(store_location) as store, open_store(store_location) as other:
        first = store.version()
        assert isinstance(first, int)
        store.put(articles[0])
        after_put = store.version()
        assert after_put is not None and after_put > first
        assert other.version() == after_put  # another connection sees the same counter
        store.put(articles[0])  # unchanged: nothing written
        store.stats()  # reads do not count
        assert store.version() == after_put
        run = other.begin_run(["test"])  # a write by another connection counts too
        after_run = store.version()
        assert after_run is not None and after_run > after_put
        other.record_failure(source="x", url=None, reason="empty", message="empty page", run_id=run)
        after_failure = store.version()
        assert after_failure is not None and after_failure > after_run
        store.put(articles[1])
        before_corpus = store.version()
        assert update_corpus(store).placed == 2  # the corpus pass writes its own tables
        last = store.version()
        assert last is not None and before_corpus is not None and last > before_corpus
    with open_store(store_location, read_only=True) as reader:
        assert reader.version() == last


def test_a_kept_answer_is_served_until_the_store_changes(
    store_location: str, articles: list[Article]
) -> None:
    """Repeated reads come from the cache; a write by another process (here another store
    connection, as ``warta ingest`` would be) makes the next read run again and see it."""
    with open_store(store_location) as store:
        store.put_many(articles[:5])
    word = _word_of(articles[5])
    with client_for(store_location) as client:
        cache = client.app.state.response_cache  # type: ignore[attr-defined]

        def search() -> dict[str, Any]:
            response = client.get("/v1/search", params={"q": word})
            assert response.status_code == 200, response.text
            body: dict[str, Any] = response.json()
            return body

        before = search()
        assert articles[5].id not in {hit["id"] for hit in before["hits"]}
        assert search() == before
        counts = cache.counts()
        assert counts.hits >= 1 and counts.entries >= 1

        with open_store(store_location) as writer:  # another writer, outside the server
            writer.put(articles[5])
        hits_before = cache.counts().hits
        after = search()
        assert articles[5].id in {hit["id"] for hit in after["hits"]}
        assert after["total"] == before["total"] + 1
        assert cache.counts().hits == hits_before  # ran again, not served from memory
        assert search() == after and cache.counts().hits == hits_before + 1

        stats = client.get("/v1/stats").json()
        with open_store(store_location) as writer:
            writer.put_many(articles[6:8])
        assert client.get("/v1/stats").json()["articles"] == stats["articles"] + 2
        assert unexpected(client) == []


def test_errors_and_other_keys_are_not_served_from_the_cache(
    tmp_path: Any, articles: list[Article]
) -> None:
    location = str(tmp_path / "keyed.db")
    with open_store(location) as store:
        store.put_many(articles[:3])
    key = "k" * 20
    with client_for(location, api_key=key, read_key_required=True) as client:
        cache = client.app.state.response_cache  # type: ignore[attr-defined]
        word = _word_of(articles[0])
        ok = client.get("/v1/search", params={"q": word}, headers={"X-API-Key": key})
        assert ok.status_code == 200
        refused = client.get("/v1/search", params={"q": word})
        assert refused.status_code == 401
        assert client.get("/v1/search", params={"q": word}).status_code == 401
        bad = client.get("/v1/search", params={"q": word, "limit": 1000}, headers={"X-API-Key": key})
        assert bad.status_code == 422
        assert cache.counts().entries == 1


def test_no_cache_when_told(tmp_path: Any, articles: list[Article]) -> None:
    location = str(tmp_path / "plain.db")
    with open_store(location) as store:
        store.put(articles[0])
    with client_for(location, cache_entries=0) as client:
        for _ in range(2):
            assert client.get("/v1/stats").status_code == 200
        assert client.app.state.response_cache.counts().entries == 0  # type: ignore[attr-defined]


@pytest.mark.parametrize("cache_entries", [4096, 0])
def test_a_read_borrows_one_store_and_gives_it_back(
    store_location: str, articles: list[Article], cache_entries: int
) -> None:
    """The cache's version check and the route share one store: a read that runs borrows (and
    probes) one store, not two; a read refused after the check, before its route used the
    store, gives it back too."""
    with open_store(store_location) as store:
        store.put_many(articles[:6])
    words = sorted({_word_of(a) for a in articles[:6]})
    with client_for(store_location, cache_entries=cache_entries) as client:
        pool = client.app.state.read_pool  # type: ignore[attr-defined]
        assert client.get("/v1/stats").status_code == 200
        before = pool.counts()
        for word in words:  # each asked once: none can come from the cache
            response = client.get("/v1/search", params={"q": word})
            assert response.status_code == 200 and response.json()["total"] >= 1
        after = pool.counts()
        assert after.lent - before.lent == len(words)
        assert after.in_use == 0 and after.opened == before.opened
        refused = client.get("/v1/search", params={"q": words[0], "limit": 1000})
        assert refused.status_code == 422
        counts = pool.counts()
        checked = 1 if cache_entries else 0  # without a cache nothing is borrowed before the route
        assert counts.lent == after.lent + checked and counts.in_use == 0 and counts.idle >= 1
        assert client.get("/v1/search", params={"q": words[0]}).status_code == 200
        assert unexpected(client) == []
