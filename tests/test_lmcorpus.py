"""``warta corpus``: training text from pages, a store and a Parquet dataset, with quality
signals, keep/drop rules (thresholds from a data file), exact and near-duplicate removal, PII
masking and a manifest. Real detik.com bodies from ../shared/data, read at run time."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from warta.cli import main
from warta.lmcorpus.rules import Rules, decide, load_rules
from warta.lmcorpus.signals import compute_signals

from conftest import require_shared


def _bodies(n: int) -> list[dict[str, str]]:
    path = require_shared("data", "detik_summ_entity_1000", "data_berita.csv.gz")
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    seen, out = set(), []
    for row in rows:
        if row["tautan"] in seen or len(row["isi_berita"]) < 1500:
            continue
        seen.add(row["tautan"])
        out.append({"url": row["tautan"], "text": row["isi_berita"]})
        if len(out) == n:
            break
    return out


def _pages(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """Twelve real articles, and beside them: an exact copy, a near copy (a few words changed
    under another URL), an English page, and PII planted in one."""
    docs = _bodies(12)
    base = docs[3]["text"]
    parts = base.split(" ")
    near = " ".join(w + "x" if i % 150 == 75 and "\n" not in w else w for i, w in enumerate(parts))
    docs[5]["text"] += "\n\nInfo lebih lanjut hubungi 0812-3456-7890 atau budi.santoso@gmail.com."
    extra = [
        {"url": "https://copy.example/1", "text": docs[0]["text"]},
        {"url": "https://copy.example/2", "text": near},
        {
            "url": "https://en.example/1",
            "text": " ".join(
                ["The government said on Monday that the new policy would take effect next year, "
                 "and that it would have a broad impact on the economy of the region."] * 1
                + [f"Officials of the ministry met with the press in the capital for the {i}th time to explain the plan." for i in range(12)]
            ),
        },
    ]
    path = tmp_path / "pages.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for d in docs + extra:
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    return path, {"exact": extra[0]["url"], "near": extra[1]["url"], "english": extra[2]["url"]}


def _read(out: Path) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    kept = [json.loads(line) for s in manifest["shards"] for line in (out / s["file"]).open(encoding="utf-8")]
    dropped = [json.loads(line) for line in (out / "dropped.jsonl").open(encoding="utf-8")]
    return manifest, kept, dropped


def test_pages_become_training_text_with_reasons_for_every_drop(tmp_path: Path) -> None:
    pages, urls = _pages(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["corpus", str(pages), "--out", str(out), "--shard-docs", "5", "--json"])
    assert result.exit_code == 0, result.output
    manifest, kept, dropped = _read(out)
    by_url = {d["url"]: d for d in dropped}
    assert by_url[urls["exact"]]["rule"] == "exact_duplicate"
    assert by_url[urls["near"]]["rule"] == "near_duplicate"
    assert by_url[urls["english"]]["rule"] == "language"
    assert manifest["documents"] == 15 and manifest["kept"] == len(kept) == 12
    assert manifest["dropped_by_rule"] == {
        rule: sum(1 for d in dropped if d["rule"] == rule) for rule in {d["rule"] for d in dropped}
    }
    assert [s["documents"] for s in manifest["shards"]] == [5, 5, 2]
    assert manifest["pii_masked"]["phone"] >= 1 and manifest["pii_masked"]["email"] == 1
    masked = next(d for d in kept if "[EMAIL]" in d["text"])
    assert "0812-3456-7890" not in masked["text"] and "[PHONE]" in masked["text"]
    signals = kept[0]["signals"]
    for name in ("language", "language_confidence", "words", "mean_word_length", "punct_line_share",
                 "stopword_share", "dup_line_share", "dup_ngram_char_share", "symbol_word_ratio"):
        assert name in signals
    assert manifest["rules"]["min_words"] == 50


def test_a_store_and_a_parquet_export_give_the_same_corpus(tmp_path: Path) -> None:
    pages, _ = _pages(tmp_path)
    db = str(tmp_path / "s.db")
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", "-q", "--pipeline", "clean", "--db", db, str(pages)]).exit_code == 0
    assert runner.invoke(main, ["export", "--db", db, "--out", str(tmp_path / "x"), "--table", "articles", "-q"]).exit_code == 0
    a, b = tmp_path / "a", tmp_path / "b"
    ra = runner.invoke(main, ["corpus", "--db", db, "--out", str(a), "--format", "parquet"])
    assert ra.exit_code == 0, ra.output
    rb = runner.invoke(main, ["corpus", str(tmp_path / "x" / "articles.parquet"), "--out", str(b)])
    assert rb.exit_code == 0, rb.output
    import pyarrow.parquet as pq

    ma = json.loads((a / "manifest.json").read_text())
    table = pq.read_table(a / ma["shards"][0]["file"]).to_pylist()
    _, kept_b, _ = _read(b)
    assert sorted(r["id"] for r in table) == sorted(r["id"] for r in kept_b)
    assert ma["kept"] == len(table) and ma["dropped_by_rule"].get("near_duplicate") == 1


def test_a_parquet_file_with_text_goes_through_the_repetition_rules(tmp_path: Path) -> None:
    """Text that did not pass warta's cleaner (which drops repeated paragraphs itself): an
    article repeated three times on one page is dropped by the Gopher repetition rules."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    docs = _bodies(3)
    rows = [{"id": f"d{i}", "text": d["text"]} for i, d in enumerate(docs)]
    rows.append({"id": "tripled", "text": "\n\n".join([docs[1]["text"] + "\n\nTambahan."] * 3)})
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "docs.parquet")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["corpus", str(tmp_path / "docs.parquet"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    manifest, kept, dropped = _read(out)
    assert [d["id"] for d in kept] == ["d0", "d1", "d2"]
    assert dropped[0]["id"] == "tripled"
    assert dropped[0]["rule"] in {"dup_para_share", "dup_para_char_share", "dup_line_share", "dup_line_char_share"}


def test_the_thresholds_are_data(tmp_path: Path) -> None:
    pages, _ = _pages(tmp_path)
    rules = tmp_path / "rules.toml"
    rules.write_text('[quality]\nmin_words = 100000\n[dedup]\nnear = false\n', encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["corpus", str(pages), "--out", str(out), "--rules", str(rules)])
    assert result.exit_code == 0, result.output
    manifest, kept, _ = _read(out)
    assert kept == [] and manifest["rules"]["near"] is False
    assert "too_few_words" in manifest["dropped_by_rule"]
    assert load_rules().min_words == 50 and Rules().min_words == 50


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        (lambda p: (p / "out").mkdir() or (p / "out" / "x").write_text("x"), ["--out", "{p}/out", "{pages}"], "not empty"),
        (lambda p: (p / "r.toml").write_text("[quality]\nmin_words = 'many'\n"), ["--out", "{p}/o", "--rules", "{p}/r.toml", "{pages}"], "wrong kind"),
        (lambda p: (p / "r.toml").write_text("[nonsense]\n"), ["--out", "{p}/o", "--rules", "{p}/r.toml", "{pages}"], "unknown rules table"),
        (lambda p: None, ["--out", "{p}/o", "{p}/missing.warc.gz"], "no such file"),
    ],
)
def test_bad_input_is_one_clear_line(tmp_path: Path, setup: Any, args: list[str], message: str) -> None:
    pages = tmp_path / "pages.jsonl"
    pages.write_text(json.dumps({"url": "https://a.example/", "text": "Kata " * 80}) + "\n")
    setup(tmp_path)
    argv = ["corpus", *(a.format(p=tmp_path, pages=pages) for a in args)]
    result = CliRunner().invoke(main, argv)
    assert result.exit_code in (1, 2)
    assert message in result.output
    assert "Traceback" not in result.output


def test_repetition_signals_follow_the_gopher_definitions() -> None:
    text = "a b c d e\na b c d e\nf g h"
    s = compute_signals(text, "id", 1.0)
    assert s.dup_line_share == pytest.approx(1 / 3)
    assert s.dup_line_char_share == pytest.approx(len("a b c d e") / len(text))
    # "a b" appears twice: 3 characters x 2 over the text's length
    assert s.top_ngram_char_share[2] == pytest.approx(6 / len(text))
    assert s.dup_ngram_char_share[5] == pytest.approx(5 / len(text))
    assert decide(s, Rules()) == "dup_line_share"


def test_on_dask_the_corpus_is_the_same(tmp_path: Path) -> None:
    """The assessment on a Dask LocalCluster of two worker processes; dedup on the driver keeps
    the first-kept order, so the output is the local run's, shard for shard."""
    pytest.importorskip("distributed")
    import pyarrow as pa
    import pyarrow.parquet as pq

    docs = _bodies(12)
    rows = [{"id": f"d{i}", "text": d["text"]} for i, d in enumerate(docs)]
    rows += [{"id": "copy", "text": docs[2]["text"]}, {"id": "short", "text": "Berita singkat."}]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "docs.parquet")
    outputs = []
    for extra in ([], ["--executor", "dask", "-j", "2"]):
        out = tmp_path / ("dask" if extra else "local")
        result = CliRunner().invoke(main, ["corpus", str(tmp_path / "docs.parquet"), "--out", str(out), *extra])
        assert result.exit_code == 0, result.output
        manifest, kept, dropped = _read(out)
        outputs.append(([d["id"] for d in kept], [(d["id"], d["rule"]) for d in dropped], [s["sha256"] for s in manifest["shards"]]))
    assert outputs[0] == outputs[1]
    assert ("copy", "exact_duplicate") in outputs[0][1] and "short" in dict(outputs[0][1])
