"""What a user sees does not change by accident: every page and text in ../shared/data gives the
record it gave when tests/golden/outputs.json was written (see tests/golden_outputs.py)."""

from __future__ import annotations

import json

import pytest

from golden_outputs import DATA, HASHES, alone, compute, differences


@pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data is absent (a user's machine)")
def test_every_record_is_unchanged() -> None:
    expected = json.loads(HASHES.read_text())
    actual = compute()
    changed = [k for k in expected if k in actual and expected[k] != actual[k]]
    if 0 < len(changed) <= 5:  # computed again alone: what one page gives (see golden_outputs)
        actual.update(alone(changed))
    diff = differences(expected, actual)
    assert not diff, (
        f"{len(diff)} records differ from tests/golden/outputs.json (first 20 below). If the "
        "change is deliberate, run `python tests/golden_outputs.py --write` and say why in the "
        "commit:\n" + "\n".join(diff[:20])
    )
