"""docs/examples/seed.json (shown in the README) is what warta prints today for the seed."""

from __future__ import annotations

import json

from warta.api import extract_text
from warta.core.serialize import article_to_dict

from conftest import ROOT, require_shared

VOLATILE = ("source", "id", "retrieved_at", "retrieved_at_kind")


def test_readme_example_is_current() -> None:
    page = require_shared("seed", "000_e34af48cd88e996e.txt")
    documented = json.loads((ROOT / "docs" / "examples" / "seed.json").read_text(encoding="utf-8"))
    current = article_to_dict(extract_text(page.read_bytes(), source=str(page)))
    for key in VOLATILE:
        documented.pop(key)
        current.pop(key)
    assert current == documented, (
        "regenerate: warta extract --pretty <seed> > docs/examples/seed.json"
    )
