"""docs/ARCHITECTURE.md, "Where do I add a stage": a plugin distribution with one module and an
entry point in the ``warta.stages`` group is all it takes; the stage then runs by name in
``--pipeline`` and its contract is checked. (The reader and language paths are exercised by
tests/test_reader_registry.py and tests/test_lang_data.py.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from warta.run.pipeline import DEFAULT_TEXT_PIPELINE

ROOT = Path(__file__).resolve().parents[1]

_MODULE = '''
from warta.core.stage import Stage


class WordCount(Stage):
    """Counts the words of the clean body (a toy stage for the architecture guide)."""

    name = "toy.wordcount.v1"
    requires = frozenset({"body"})
    provides = frozenset({"extras.toy.words"})

    def process(self, article):
        article.extras["toy.words"] = len(article.body.split())
        return article
'''


def test_a_toy_stage_added_through_an_entry_point_runs_by_name(tmp_path: Path) -> None:
    plugin = tmp_path / "plugin"
    plugin.mkdir()
    (plugin / "warta_wordcount.py").write_text(_MODULE, encoding="utf-8")
    info = plugin / "warta_wordcount-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: warta-wordcount\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(
        "[warta.stages]\ntoy.wordcount.v1 = warta_wordcount:WordCount\n"
    )
    page = tmp_path / "page.txt"
    page.write_text(
        "Jakarta - Hujan deras mengguyur kota sejak pagi sehingga beberapa jalan tergenang air.\n",
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(plugin), str(ROOT / "src")]),
        "WARTA_CHECK_CONTRACTS": "1",
    }
    listed = subprocess.run(
        [sys.executable, "-m", "warta.cli", "stages"], capture_output=True, text=True, env=env
    )
    assert "toy.wordcount.v1" in listed.stdout
    spec = ",".join((*DEFAULT_TEXT_PIPELINE, "toy.wordcount.v1"))
    run = subprocess.run(
        [sys.executable, "-m", "warta.cli", "extract", "--pipeline", spec, str(page)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert run.returncode == 0, run.stderr
    record = json.loads(run.stdout)
    assert record["extras"]["toy.words"] == len(record["body"].split()) > 5
    assert "toy.wordcount.v1" in record["produced_by"]["stages"]
