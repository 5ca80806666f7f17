"""Opening stores: where they live, what refuses to open (with a message that names the place
and never a password), migrations that upgrade an older store in place, and a newer store."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from test_store import ROLES, with_roles
from test_store_corpus import corpus, revised

from warta.core.errors import SchemaTooNew, StoreUnavailable
from warta.core.record import Article
from warta.core.serialize import article_to_dict
from warta.store import EXPORT_TABLES, SearchRequest, open_store, redact
from warta.store.analyzer import MAX_INDEX_TOKENS, index_text
from warta.store.migrations import LATEST, MIGRATIONS, QUOTE_ROLES
from warta.store.postgres import PostgresStore
from warta.store.rows import unpack
from warta.store.sql import SqlStore
from warta.store.sqlite import SQLiteStore


def test_default_location_is_env_then_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WARTA_DB", raising=False)
    with open_store() as store:
        assert store.location == "./warta.db"
    assert (tmp_path / "warta.db").exists()
    monkeypatch.setenv("WARTA_DB", str(tmp_path / "env.db"))
    with open_store() as store:
        assert store.location == str(tmp_path / "env.db")


def test_sqlite_pragmas(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "w.db")) as store:
        assert isinstance(store, SQLiteStore)
        assert store.db.scalar("PRAGMA journal_mode") == "wal"
        assert store.db.scalar("PRAGMA foreign_keys") == 1
        assert store.db.scalar("PRAGMA synchronous") == 1  # NORMAL
        assert store.db.scalar("PRAGMA busy_timeout") > 0


def test_sqlite_memory_is_bounded_by_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page cache and the mapped part of the file are bounded by default, by the
    environment, or by the caller, whatever the store's size; a bad bound names its source."""
    monkeypatch.delenv("WARTA_SQLITE_CACHE_MIB", raising=False)
    monkeypatch.delenv("WARTA_SQLITE_MMAP_MIB", raising=False)
    path = str(tmp_path / "w.db")
    with open_store(path) as store:
        assert store.db.scalar("PRAGMA cache_size") == -16 * 1024  # KiB
        assert store.db.scalar("PRAGMA mmap_size") == 0
    with open_store(path, read_only=True) as store:  # a reader keeps search's sizes
        assert store.db.scalar("PRAGMA cache_size") == -64 * 1024
        assert store.db.scalar("PRAGMA mmap_size") == 256 * 1024 * 1024
    monkeypatch.setenv("WARTA_SQLITE_CACHE_MIB", "8")
    with open_store(path, read_only=True) as store:  # the environment wins over both defaults
        assert store.db.scalar("PRAGMA cache_size") == -8 * 1024
    monkeypatch.setenv("WARTA_SQLITE_CACHE_MIB", "64")
    monkeypatch.setenv("WARTA_SQLITE_MMAP_MIB", "256")
    for read_only in (False, True):
        with open_store(path, read_only=read_only) as store:
            assert store.db.scalar("PRAGMA cache_size") == -64 * 1024
            assert store.db.scalar("PRAGMA mmap_size") == 256 * 1024 * 1024
    with SQLiteStore(path, cache_mib=0, mmap_mib=8) as store:  # the caller's word wins
        assert store.db.scalar("PRAGMA cache_size") == -256  # never below 64 pages
        assert store.db.scalar("PRAGMA mmap_size") == 8 * 1024 * 1024
    monkeypatch.setenv("WARTA_SQLITE_MMAP_MIB", "lots")
    with pytest.raises(StoreUnavailable, match="WARTA_SQLITE_MMAP_MIB") as err:
        open_store(path)
    assert "whole number" in str(err.value)
    monkeypatch.delenv("WARTA_SQLITE_MMAP_MIB")
    with pytest.raises(StoreUnavailable, match="cache_mib"):
        SQLiteStore(path, cache_mib=-1)


@pytest.mark.parametrize(
    "make, problem",
    [
        (lambda p: p.mkdir() or p, "is a directory"),
        (lambda p: p / "missing" / "w.db", "does not exist"),
        (lambda p: (p.write_text("hello, not a database\n" * 10), p)[1], "not a SQLite database"),
        (lambda p: Path("/proc/warta-store.db"), "cannot"),
    ],
    ids=["directory", "no-folder", "not-sqlite", "unwritable"],
)
def test_unusable_sqlite_locations(tmp_path: Path, make: Any, problem: str) -> None:
    where = make(tmp_path / "place")
    with pytest.raises(StoreUnavailable, match=problem) as caught:
        open_store(str(where))
    assert str(where) in caught.value.one_line()


def test_read_only_file_is_refused_for_non_root(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root may write any file: permissions cannot be tested as root")
    path = tmp_path / "ro.db"
    open_store(str(path)).close()
    path.chmod(0o444)
    with pytest.raises(StoreUnavailable, match="permissions"):
        open_store(str(path))


def test_postgres_unreachable_or_refused_never_shows_the_password(postgres_url: str) -> None:
    secret = "s3cr3t-Pa55"
    down = f"postgresql://warta:{secret}@127.0.0.1:1/warta"
    with pytest.raises(StoreUnavailable) as caught:
        open_store(down)
    assert secret not in caught.value.one_line() and "127.0.0.1" in caught.value.one_line()
    wrong = postgres_url.replace("warta:warta@", f"warta:{secret}@")
    with pytest.raises(StoreUnavailable) as caught:
        open_store(wrong)
    message = caught.value.one_line()
    assert secret not in message and "***" in message and "password" in message.lower()
    assert redact(wrong) == wrong.replace(secret, "***")
    with open_store(postgres_url) as store:
        assert "warta:***@" in store.location


def test_postgres_plans_every_statement_for_its_own_parameters(postgres_url: str) -> None:
    """psycopg prepares a statement after its fifth use; PostgreSQL's generic plan for a
    full-text match inside a key range reads every row of the range, so each connection asks
    for a plan made for the call's own parameters, read-only ones too."""
    with open_store(postgres_url) as store:
        assert isinstance(store, SqlStore)
        assert store.db.scalar("SHOW plan_cache_mode") == "force_custom_plan"
    with PostgresStore(postgres_url, read_only=True) as store:
        assert store.db.scalar("SHOW plan_cache_mode") == "force_custom_plan"


def _open_at(location: str, version: int) -> SqlStore:
    if location.startswith("postgresql://"):
        return PostgresStore(location, upgrade_to=version)
    return SQLiteStore(location, upgrade_to=version)


def _columns(store: SqlStore, table: str) -> list[str]:
    rows = store.db.all(f"SELECT * FROM {table} WHERE 1 = 0")  # noqa: S608
    del rows
    if isinstance(store, SQLiteStore):
        return [r[1] for r in store.db.all(f"PRAGMA table_info({table})")]
    return [
        r[0]
        for r in store.db.all(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
            (table,),
        )
    ]


_V1_TABLES = (
    "outlets",
    "runs",
    "articles",
    "revisions",
    "blocks",
    "removed",
    "entities",
    "mentions",
    "quotes",
    "times",
    "events",
    "keywords",
    "failures",
    "pages",
)


_V2_TABLES = (*_V1_TABLES, "article_entities")
_DROPPED_IN_V3 = ("blocks", "removed", "keywords")


def _dropped_rows(article: Article, table: str) -> list[tuple[Any, ...]]:
    """Rows of the tables migration 3 drops, as versions 1 and 2 wrote them."""
    if table == "blocks":
        return [(i, b.kind, b.start, b.end) for i, b in enumerate(article.blocks)]
    if table == "removed":
        return [
            (i, r.line, r.start, r.end, r.text, r.label, r.rule)
            for i, r in enumerate(article.removed)
        ]
    return [(i, k) for i, k in enumerate(article.keywords)]


def _build_old(
    store_location: str, version: int, source: SqlStore, articles: list[Article]
) -> None:
    """A store at ``version`` holding what ``source`` (a current store) holds, copied table by
    table, with the index and the tables of that version filled as that version filled them."""
    with _open_at(store_location, version) as old:
        assert old.schema_version() == version
        with old.db.transaction():
            for table in _V1_TABLES if version == 1 else _V2_TABLES:
                columns = _columns(old, table)
                if table in _DROPPED_IN_V3:
                    seqs = dict(source.db.all("SELECT id, seq FROM articles"))
                    rows = [
                        (seqs[a.id], *row)
                        for a in articles
                        if a.id in seqs
                        for row in _dropped_rows(a, table)
                    ]
                else:
                    rows = source.db.all(f"SELECT {', '.join(columns)} FROM {table}")
                marks = ", ".join("?" * len(columns))
                old.db.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows
                )
            for seq, title, doc in source.db.all("SELECT seq, title, doc FROM articles"):
                text = index_text(f"{title or ''}\n{unpack(doc).body}", max_tokens=MAX_INDEX_TOKENS)
                if isinstance(old, PostgresStore):
                    old.db.fts_put(seq, text)
                else:  # versions 1 and 2: external-content FTS5 over the plain text
                    old.db.execute(
                        "INSERT INTO article_text (article, text) VALUES (?, ?)", (seq, text)
                    )
                    old.db.execute(
                        "INSERT INTO article_fts (rowid, text) VALUES (?, ?)", (seq, text)
                    )
            if isinstance(old, PostgresStore):  # identity columns continue after the copied keys
                for table in ("outlets", "articles", "runs", "failures", "revisions"):
                    old.db.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', ?), "
                        f"(SELECT coalesce(max({'seq' if table == 'articles' else 'id'}), 0) + 1 FROM {table}), false)",
                        ("seq" if table == "articles" else "id",),
                    )


def test_older_store_is_upgraded_in_place(store_location: str, tmp_path: Path) -> None:
    """Version 1 tables filled with real data (copied from a current store, columns that
    version 1 has), then opened by the current code: upgraded, nothing lost, new tables filled."""
    articles = corpus()
    with open_store(str(tmp_path / "source.db")) as source:
        assert isinstance(source, SQLiteStore)
        source.put_many(articles)
        _build_old(store_location, 1, source, articles)
    with open_store(store_location) as store:
        assert store.schema_version() == LATEST
        for a in articles:
            got = store.get(a.id)
            assert got is not None and article_to_dict(got) == article_to_dict(a)
        obama = store.entity("Q76")
        assert obama is not None and obama.articles == 1
        assert obama.mentions == sum(1 for m in articles[0].entities if m.entity_id == "Q76")
        assert store.search(SearchRequest(entity="Barack Obama")).total == 1
        assert store.search(SearchRequest(query="obama", place="Raqqa")).total == 1
        applied = [
            v for (v,) in store.db.all("SELECT version FROM schema_migrations ORDER BY version")
        ]  # type: ignore[attr-defined]
    assert applied == [m.version for m in MIGRATIONS]


_REQUESTS = (
    SearchRequest(query="banjir", facets=True),
    SearchRequest(query='"presiden joko widodo"', sort="date"),
    SearchRequest(query="polisi OR tersangka", limit=7, facets=True),
    SearchRequest(entity="Barack Obama"),
    SearchRequest(query="obama", place="Raqqa"),
    SearchRequest(event="ASSAULT", facets=True),
    SearchRequest(outlets=("detikcom",), sort="date", limit=100),
)


def _every_read(store: SqlStore, articles: list[Article]) -> dict[str, Any]:
    """What every read API answers, in comparable form."""
    out: dict[str, Any] = {
        "get": [article_to_dict(got) if (got := store.get(a.id)) else None for a in articles],
        "revisions": [
            [{**r, "article": article_to_dict(r["article"])} for r in store.revisions(a.id)]
            for a in articles
        ],
        "search": [store.search(r) for r in _REQUESTS],
        # counts of the corpus tables (level 5) and places (level 8) exist only from then on
        "stats": {
            k: v
            for k, v in store.stats().items()
            if k not in ("schema_version", "stories", "duplicate_groups", "places")
        },
        "outlets": store.outlets(),
        "entities": store.entities(limit=500),
        "quotes": store.quotes(limit=1000),
        "events": store.events(limit=1000),
        "rows": {table: list(store.rows(table)) for table in EXPORT_TABLES},
        "failures": store.failures(),
        "runs": store.runs(),
    }
    out["profiles"] = [store.entity(e["id"]) for e in out["entities"][:40]]
    return out


def test_version_2_store_reads_the_same_after_migration_3(
    store_location: str, tmp_path: Path
) -> None:
    """A store at version 2 (real articles, a revision, runs and failures) answers every read
    exactly as before once opened at the latest level; it then takes updates and new articles."""
    articles = corpus()
    with open_store(str(tmp_path / "source.db")) as source:
        assert isinstance(source, SQLiteStore)
        run = source.begin_run(["test"])
        source.put_many(articles[:-1], run_id=run)
        source.put(revised(articles[3], "Paragraf tambahan tentang banjir."), run_id=run)
        source.record_failure(
            source="x.txt", url=None, reason="empty", message="no text", run_id=run
        )
        source.finish_run(run, {"new": len(articles)})
        _build_old(store_location, 2, source, articles)
    with _open_at(store_location, 2) as old:
        assert old.db.table_exists("blocks")
        before = _every_read(old, articles)
    assert sum(len(r) for r in before["revisions"]) == 1 and before["search"][0].total > 0
    with open_store(store_location) as store:
        assert isinstance(store, SqlStore) and store.schema_version() == LATEST
        assert not store.db.table_exists("blocks") and not store.db.table_exists("keywords")
        after = _every_read(store, articles)
        for name in before:
            assert after[name] == before[name], name
        # the index still takes changes: an update replaces the old text, a new article is found
        store.put(revised(articles[0], "Kalimat tentang gempa bumi di Palu."))
        store.put(articles[-1])
        found = store.search(SearchRequest(query="gempa palu"))
        assert [h.id for h in found.hits] == [articles[0].id]
        assert store.search(SearchRequest(query="obama")).total == before["search"][4].total
        assert store.get(articles[-1].id) is not None


def test_version_3_store_reads_the_same_after_migration_4(
    store_location: str, tmp_path: Path
) -> None:
    """A store at version 3 (real articles, a revision, runs and failures) gets the quotes'
    role and affiliation columns in place: every read answers as before, the stored quotes read
    None for both (migration 4 leaves them NULL), and new puts fill them."""
    articles = corpus()
    with open_store(str(tmp_path / "source.db")) as source:
        assert isinstance(source, SQLiteStore)
        run = source.begin_run(["test"])
        source.put_many(articles[:-1], run_id=run)
        source.put(revised(articles[3], "Paragraf tambahan tentang banjir."), run_id=run)
        source.record_failure(
            source="x.txt", url=None, reason="empty", message="no text", run_id=run
        )
        source.finish_run(run, {"new": len(articles)})
        _build_old(store_location, 2, source, articles)
    with _open_at(store_location, QUOTE_ROLES - 1) as old:
        assert old.schema_version() == QUOTE_ROLES - 1
        assert "role" not in _columns(old, "quotes")
        before = _every_read(old, articles)
    assert before["quotes"] and before["search"][0].total > 0
    with open_store(store_location) as store:
        assert isinstance(store, SqlStore) and store.schema_version() == LATEST
        assert _columns(store, "quotes")[-2:] == ["role", "affiliation"]
        after = _every_read(store, articles)
        for name in before:
            assert after[name] == before[name], name
        stored = [
            *after["quotes"],
            *after["rows"]["quotes"],
            *(q for p in after["profiles"] if p for q in p.quotes),
        ]
        assert len(after["rows"]["quotes"]) == sum(len(a.quotes) for a in articles[:-1])
        assert {(q["role"], q["affiliation"]) for q in stored} == {(None, None)}
        # new puts fill the columns: an update of a stored report and a new one
        store.put(with_roles(revised(articles[0], "Kalimat tentang gempa bumi di Palu.")))
        store.put(with_roles(articles[-1]))
        listed = store.quotes(limit=10_000)
        obama = store.entity("Q76")
    roles = {(q["article_id"], q["role"], q["affiliation"]) for q in listed}
    assert {(articles[0].id, *r) for r in ROLES} <= roles
    assert obama is not None
    assert ("Presiden", "Amerika Serikat") in {(q["role"], q["affiliation"]) for q in obama.quotes}
    assert not {(a.id, "Presiden", "Amerika Serikat") for a in articles[1:-1]} & roles


def test_store_newer_than_the_code_is_refused(store_location: str) -> None:
    with _open_at(store_location, LATEST) as store:
        with store.db.transaction():
            store.db.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (
                    LATEST + 1,
                    "from the future",
                    store.db.time_in(None) or "2099-01-01T00:00:00.000000Z",
                ),
            )
    with pytest.raises(SchemaTooNew, match=f"version {LATEST + 1}") as caught:
        open_store(store_location)
    assert "warta" in caught.value.one_line()


def test_kill_during_puts_leaves_whole_articles(tmp_path: Path) -> None:
    """kill -9 a process in the middle of putting articles: every stored article is whole."""
    path = tmp_path / "k.db"
    open_store(str(path)).close()
    script = textwrap.dedent(
        f"""
        import sys, dataclasses
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_store_corpus import corpus, revised
        from warta.store import open_store
        from warta.core.record import report_id
        base = corpus()
        store = open_store({str(path)!r})
        print("ready", flush=True)
        for i in range(100000):
            a = dataclasses.replace(base[i % len(base)], url=f"https://x.test/{{i}}")
            a.id = report_id(url=a.url, source=a.source, body_fingerprint=a.fingerprint)
            store.put(a)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    import time

    time.sleep(1.5)
    proc.kill()
    proc.wait()
    with open_store(str(path)) as store:
        assert isinstance(store, SQLiteStore)
        stored = store.stats()["articles"]
        assert stored > 0
        per_article = dict(
            store.db.all(
                "SELECT a.id, count(m.article) FROM articles a LEFT JOIN mentions m ON m.article = a.seq GROUP BY a.id"
            )
        )
        indexed = store.db.scalar("SELECT count(*) FROM article_text")
        for article_id, mentions in per_article.items():
            got = store.get(article_id)
            assert got is not None and len(got.entities) == mentions
    assert indexed == stored
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone() == ("ok",)
