"""A language is data: the NLP stages read ``lang/<code>/`` for the page's language, name no
language in code, and skip (saying why) a page whose language has no data for them."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

from warta.lang import LANGUAGES, load_toml, reading

ROOT = Path(__file__).resolve().parents[1]
NLP = ROOT / "src" / "warta" / "nlp"
LANG = ROOT / "src" / "warta" / "lang"
CODES = {"id", "en", "ms", "jv", "de", "fr", "es", "tr", "ja", "und"}


def _is_key(node: ast.Constant, parents: dict[ast.AST, ast.AST]) -> bool:
    """A literal used as a record key (``record["id"]``, ``record.get("id")``): a field name."""
    parent = parents.get(node)
    if isinstance(parent, ast.Subscript) and parent.slice is node:
        return True
    return (
        isinstance(parent, ast.Call)
        and isinstance(parent.func, ast.Attribute)
        and parent.func.attr == "get"
        and parent.args[:1] == [node]
    )


def test_no_nlp_module_names_a_language() -> None:
    found = []
    for path in sorted(NLP.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and node.value.lower() in CODES
                and not _is_key(node, parents)
            ):
                found.append(f"{path.name}:{node.lineno}: {node.value!r}")
    assert found == []


def test_languages_come_from_the_folders() -> None:
    folders = {p.parent.name for p in LANG.glob("*/language.toml")}
    assert set(LANGUAGES) == folders - {"und"}
    assert list(LANGUAGES) == sorted(LANGUAGES, key=lambda c: load_toml(c, "language")["order"])
    assert list(LANGUAGES)[:2] == ["id", "en"]  # Indonesian rules are tried first


def test_every_data_file_names_its_licence() -> None:
    for path in sorted(LANG.glob("*/*")):
        if path.suffix in (".toml", ".txt"):
            lines = path.read_text(encoding="utf-8").splitlines()
            head = lines[: next((i for i, ln in enumerate(lines) if not ln.startswith("#")), 0)]
            assert any("Apache-2.0" in line for line in head), path


def test_fallbacks_keep_what_each_stage_reads() -> None:
    # an unknown or missing language reads the Indonesian data, as it always has
    for page in (None, "und", "ko", "../etc", "id"):
        for needs in ("times.toml", "event_verbs.toml", "quote_cues.toml", "entities"):
            assert reading(page, needs).code == "id", (page, needs)
    assert reading("en", "event_verbs.toml").code == "en"
    assert reading("en", "keywords").code == "en"
    assert reading("id", "ner_pronouns.txt").words("ner_pronouns") >= {"dia", "he", "she"}


def test_trailing_wires_are_wires() -> None:
    for code in LANGUAGES:
        table = load_toml(code, "wires")
        aliases = {a for names in table.get("wires", {}).values() for a in names}
        assert set(table.get("trailing", [])) <= aliases, code


def test_a_trailing_wire_credit_is_split_off() -> None:
    from warta.api import extract_text

    body = "Pemerintah menaikkan harga BBM hari ini, kata menteri itu di Jakarta. (Reuters)"
    article = extract_text(body + "\n", source="<t>")
    assert article.body.endswith("Jakarta.")
    assert "Reuters" in article.wire_sources


def _run_with_toy_language(tmp_path: Path, script: str) -> dict[str, object]:
    """Run ``script`` in a fresh interpreter with a toy language ``zz`` on WARTA_LANG_PATH:
    times and say-verbs data of its own, nothing else, and no fallback."""
    toy = tmp_path / "zz"
    toy.mkdir()
    (toy / "language.toml").write_text('name = "Toy"\norder = 99\n', encoding="utf-8")
    (toy / "dates.toml").write_text(
        '[months]\n1 = ["zanvier"]\n\n[weekdays]\n1 = ["zundi"]\n', encoding="utf-8"
    )
    (toy / "times.toml").write_text('[days]\n"zier" = -1\n', encoding="utf-8")
    env = {**os.environ, "WARTA_LANG_PATH": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    result: dict[str, object] = json.loads(proc.stdout)
    return result


def test_a_toy_language_is_read_and_skipped_where_it_has_no_data(tmp_path: Path) -> None:
    script = """
import json
from datetime import datetime, timezone
from warta.lang import LANGUAGES
from warta.nlp.entities import EntityStage
from warta.nlp.events import EventStage
from warta.nlp.quotes import QuoteStage
from warta.nlp.summary import KeywordSummaryStage
from warta.nlp.times import TimeStage
from warta.core.record import Article

text = "Zier Budi Santoso Zundi Jakarta, zanvier 2020. 'Ini penting,' kata Budi."
a = Article(source="<toy>", body=text, language="zz",
            published=datetime(2020, 1, 15, tzinfo=timezone.utc))
for stage in (EntityStage(), TimeStage(), QuoteStage(), EventStage(), KeywordSummaryStage()):
    a = stage.run_one(a)
print(json.dumps({
    "languages": list(LANGUAGES),
    "times": [(t.text, t.value) for t in a.times],
    "entities": len(a.entities), "quotes": len(a.quotes), "keywords": a.keywords,
    "errors": [e.reason for e in a.errors],
    "skipped": a.extras.get("warta.skipped"),
}))
"""
    got = _run_with_toy_language(tmp_path, script)
    assert got["languages"] == ["id", "en", "ms", "jv", "de", "fr", "es", "tr", "ja", "zz"]
    assert got["errors"] == []
    # its own times data only: no Indonesian or English rules
    assert got["times"] == [
        ["Zier", "2020-01-14"],
        ["Zundi", "2020-01-13"],
        ["zanvier 2020", "2020-01"],
    ]
    assert got["entities"] == got["quotes"] == 0
    assert got["keywords"] == []
    skipped = got["skipped"]
    assert isinstance(skipped, dict)
    assert set(skipped) == {"nlp.entities.v1", "nlp.quotes.v1", "nlp.events.v1", "nlp.summary.v1"}
    assert skipped["nlp.quotes.v1"] == "no language data 'quote_cues.toml' for language 'zz'"
