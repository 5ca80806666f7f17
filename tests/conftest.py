"""Shared test helpers: where ../shared is, and a skip that says why when it is absent; stage
contracts checked in every test."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

# Every pipeline the tests build (and every warta the CLI tests start) runs in checking mode: a
# stage that writes a field it does not declare fails its page, so the suite catches it.
os.environ.setdefault("WARTA_CHECK_CONTRACTS", "1")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED_DIR = SHARED / "seed"
GOLDEN_PAGES = ROOT / "tests" / "golden" / "pages"


def require_shared(*parts: str) -> Path:
    """The path under ../shared, or skip: only on a user's machine without ../shared."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not present: ../shared is only beside the repository in CI and dev")
    return path


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


# -- stores: every store test runs on SQLite and on a real PostgreSQL ---------------------------

POSTGRES_ENV = "WARTA_TEST_POSTGRES"  # e.g. postgresql://warta:warta@localhost:5432/warta_test
REQUIRE_POSTGRES_ENV = "WARTA_REQUIRE_POSTGRES"  # set by .ci/run: unreachable is a failure there


def postgres_admin_url() -> str:
    """The PostgreSQL the tests may create databases on, or skip (fail under .ci/run)."""
    import os

    url = os.environ.get(POSTGRES_ENV)
    required = bool(os.environ.get(REQUIRE_POSTGRES_ENV))
    if not url:
        message = (
            f"{POSTGRES_ENV} is not set: no PostgreSQL to test against "
            "(run scripts/postgres-for-tests.sh as root, then export the line it prints)"
        )
        if required:
            pytest.fail(message)
        pytest.skip(message)
    try:
        import psycopg

        psycopg.connect(url, connect_timeout=5).close()
    except Exception as exc:  # any failure to reach it is the same answer: no server
        message = f"PostgreSQL at {POSTGRES_ENV} is unreachable: {exc}"
        if required:
            pytest.fail(message)
        pytest.skip(message)
    return url


@pytest.fixture
def postgres_url() -> Any:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    import uuid

    import psycopg

    admin = postgres_admin_url()
    name = f"warta_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = admin.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        _drop_database(admin, name)


def _drop_database(admin: str, name: str) -> None:
    """Drop a test database; a session the role may not end (another role's worker that just
    connected) gets a few retries, then the database is left for the next cleanup."""
    import time
    import warnings

    import psycopg

    for attempt in range(5):
        try:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except psycopg.Error as exc:
            if attempt == 4:
                warnings.warn(f"test database {name} left behind: {exc}", stacklevel=2)
            time.sleep(0.2 * (attempt + 1))


@pytest.fixture(params=["sqlite", "postgres"])
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a fresh store lives: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "warta.db")
    url: str = request.getfixturevalue("postgres_url")
    return url
