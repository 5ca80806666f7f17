"""Integrity of the detik line gold (bench/data/detik_line_gold.jsonl) and of the bench's scoring.

The gold rows hold no article text: id, line index, 12-hex sha1 of the stripped line, label,
checked flag (and, on a few rows, a short note). The checks against the CSV need
../shared/data and are skipped without it; the scoring checks use synthetic text.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import importlib.util
import json
import re
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "bench" / "data" / "detik_line_gold.jsonl"
CSV_PATH = ROOT.parent / "shared" / "data" / "detik_summ_entity_1000" / "data_berita.csv.gz"

LABELS = {
    "body", "crosshead", "title", "dateline", "timestamp", "byline", "wire", "promo",
    "related", "media", "social", "nav", "ad", "pagination", "footer", "boilerplate",
}  # fmt: skip
KEYS = {"id", "line", "sha1", "label", "checked"}


def _load_bench(name: str) -> ModuleType:
    path = ROOT / "bench" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"_bench_{name}", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses need the module registered
    spec.loader.exec_module(mod)
    return mod


def _sha(s: str) -> str:
    return hashlib.sha1(s.encode("utf-8")).hexdigest()[:12]


def _gold_rows() -> list[dict[str, object]]:
    with GOLD.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture(scope="module")
def articles() -> dict[str, dict[str, str]]:
    if not CSV_PATH.exists():
        pytest.skip(f"../shared/data not present: {CSV_PATH} is missing")
    with gzip.open(CSV_PATH, "rt", encoding="utf-8", newline="") as fh:
        return {row["id"]: row for row in csv.DictReader(fh)}


# --------------------------------------------------------------------------- gold file alone


def test_gold_rows_are_well_formed_and_hold_no_text() -> None:
    rows = _gold_rows()
    assert rows
    for r in rows:
        assert KEYS <= set(r) <= KEYS | {"note"}, r
        assert isinstance(r["id"], str) and r["id"]
        assert isinstance(r["line"], int) and r["line"] >= 0
        assert isinstance(r["sha1"], str) and re.fullmatch(r"[0-9a-f]{12}", r["sha1"])
        assert r["label"] in LABELS
        assert isinstance(r["checked"], bool)
        if "note" in r:  # a short description of the decision, never article text
            assert isinstance(r["note"], str) and 0 < len(r["note"]) <= 100
    keys = [(r["id"], r["line"]) for r in rows]
    assert len(keys) == len(set(keys)), "duplicate (id, line) rows"
    ids = {r["id"] for r in rows}
    assert len(ids) >= 60
    labels = Counter(r["label"] for r in rows)
    assert labels["body"] > 0 and labels["ad"] > 0 and labels["media"] > 0


# --------------------------------------------------------------------------- gold vs CSV


def test_gold_matches_csv(articles: dict[str, dict[str, str]]) -> None:
    rows = _gold_rows()
    by_id: dict[str, set[int]] = {}
    for r in rows:
        aid, i = str(r["id"]), int(r["line"])  # type: ignore[call-overload]
        assert aid in articles, f"article {aid} not in the CSV"
        lines = articles[aid]["isi_berita"].replace("\r\n", "\n").split("\n")
        assert i < len(lines), f"{aid}:{i} out of range"
        text = lines[i].strip()
        assert text, f"{aid}:{i} is blank"
        assert _sha(text) == r["sha1"], f"{aid}:{i} sha1 mismatch"
        by_id.setdefault(aid, set()).add(i)
    assert len(by_id) >= 60
    for aid, got in by_id.items():
        lines = articles[aid]["isi_berita"].replace("\r\n", "\n").split("\n")
        want = {i for i, raw in enumerate(lines) if raw.strip()}
        assert got == want, f"article {aid}: rows for {sorted(got ^ want)} missing or extra"


def test_gold_is_reproducible_from_the_script(articles: dict[str, dict[str, str]]) -> None:
    make = _load_bench("make_detik_gold")
    rows = make.gold_rows(list(articles.values()))
    assert rows == _gold_rows(), "bench/make_detik_gold.py --write would change the gold"
    assert all(r["checked"] for r in rows)


def test_bench_verifier_accepts_gold_and_rejects_tampering(
    articles: dict[str, dict[str, str]],
) -> None:
    bench = _load_bench("detik_furniture")
    gold = bench.load_gold(GOLD)
    bench.verify_gold(gold, articles)
    aid = next(iter(gold))
    gold[aid][0].sha1 = "000000000000"
    with pytest.raises(bench.GoldError, match="sha1"):
        bench.verify_gold(gold, articles)


def test_bench_scores_a_stand_in_labeller_on_the_gold(
    articles: dict[str, dict[str, str]],
) -> None:
    """A trivial stand-in (not warta) that removes only the two banner lines."""
    bench = _load_bench("detik_furniture")
    gold = bench.load_gold(GOLD)

    def stand_in(text: str) -> dict[int, tuple[str, str, str | None]]:
        out = {}
        for i, raw in enumerate(text.replace("\r\n", "\n").split("\n")):
            s = raw.strip()
            if s:
                banner = s in {"SCROLL TO CONTINUE WITH CONTENT", "ADVERTISEMENT"}
                out[i] = ("ad" if banner else "body", "stand-in", raw)
        return out

    sc = bench.score("stand-in", stand_in, gold, articles)
    n_rows = sum(len(v) for v in gold.values())
    assert sc.lines == n_rows and sc.articles == len(gold)
    assert sum(sc.lost.values()) == 0  # it never removes a real line
    assert sc.drift == 0 and sc.missing == 0 and sc.extra == 0
    assert "ad" not in sc.remaining or sc.remaining["ad"] < 5  # banners gone
    assert sc.remaining["media"] > 0  # video teasers left in
    assert sc.keep_ok == sc.lines - sum(sc.remaining.values())


# --------------------------------------------------------------------------- scoring logic, no data


def test_scoring_on_synthetic_text() -> None:
    bench = _load_bench("detik_furniture")
    text = "Kalimat pertama berita.\r\n\r\nSCROLL TO CONTINUE WITH CONTENT\nSubjudul\nSimak Video 'x':\n"
    articles = {"a": {"isi_berita": text}}
    lines = text.replace("\r\n", "\n").split("\n")
    gold_rows = [(0, "body"), (2, "ad"), (3, "crosshead"), (4, "media")]
    gold = {"a": [bench.GoldLine(i, _sha(lines[i].strip()), lab, True) for i, lab in gold_rows]}
    bench.verify_gold(gold, articles)

    def system(t: str) -> dict[int, tuple[str, str, str | None]]:
        # keeps the video teaser, removes the crosshead, labels the banner "boilerplate"
        return {
            0: ("body", "r0", lines[0]),
            2: ("boilerplate", "r2", lines[2]),
            3: ("nav", "r3", lines[3]),
            4: ("body", "r4", "wrong text"),
        }

    sc = bench.score("x", system, gold, articles)
    assert (sc.lines, sc.furniture, sc.real) == (4, 2, 2)
    assert sc.exact == 1  # only line 0
    assert sc.keep_ok == 2  # lines 0 and 2
    assert sc.remaining == Counter({"media": 1})
    assert sc.lost == Counter({("nav", "r3"): 1})
    assert sc.drift == 1  # decision text for line 4 does not hash to the gold line
    assert {(e.line, e.gold, e.pred) for e in sc.errors} == {
        (2, "ad", "boilerplate"),
        (3, "crosshead", "nav"),
        (4, "media", "body"),
    }

    # a blank line in the gold, or a line without a row, is rejected
    bad = {"a": [*gold["a"], bench.GoldLine(1, _sha(""), "body", True)]}
    with pytest.raises(bench.GoldError):
        bench.verify_gold(bad, articles)
    with pytest.raises(bench.GoldError, match="gold rows"):
        bench.verify_gold({"a": gold["a"][:-1]}, articles)


def test_bench_reports_a_missing_labeller(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if not CSV_PATH.exists():
        pytest.skip(f"../shared/data not present: {CSV_PATH} is missing")
    bench = _load_bench("detik_furniture")
    monkeypatch.setattr(bench, "import_warta", lambda: (None, "ModuleNotFoundError: stand-in"))
    rc = bench.main(["--no-justext", "--no-all"])
    out = capsys.readouterr()
    assert rc == 2
    assert "label_lines" in out.out and "ModuleNotFoundError: stand-in" in out.out
