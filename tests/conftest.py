"""Shared test helpers: where ../shared is, and a skip that says why when it is absent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

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
