"""The independent event set's dev extension keeps out of every article of the 400 sentences (the
test half's included) and labels each of its sentences: what makes it honest to tune on."""

from __future__ import annotations

import json
from pathlib import Path

SET = Path(__file__).resolve().parents[1] / "bench" / "data" / "events_independent"


def _refs(name: str) -> list[dict[str, str]]:
    lines = (SET / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _doc(ref: str) -> str:
    return ref.rsplit(":", 1)[0]


def _labelled(name: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in (SET / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            cols = line.split("\t")
            out.setdefault(cols[0], []).append(cols[1])
    return out


def test_extension_is_outside_every_article_of_the_set() -> None:
    base, ext = _refs("sentences.jsonl"), _refs("dev_extension.jsonl")
    assert ext and all(r["split"] == "devext" for r in ext)
    base_docs = {_doc(r["id"]) for r in base}
    assert not [r["id"] for r in ext if _doc(r["id"]) in base_docs]
    assert len({_doc(r["id"]) for r in ext}) == len(ext)  # one sentence per article


def test_extension_is_labelled_once_per_sentence() -> None:
    ext = {r["id"] for r in _refs("dev_extension.jsonl")}
    labels = _labelled("dev_extension_labels.tsv")
    assert set(labels) == ext
    assert not [ref for ref, cats in labels.items() if "none" in cats and len(cats) > 1]
    assert not set(labels) & set(_labelled("labels.tsv"))


def test_second_extension_is_outside_the_set_and_the_first_extension() -> None:
    taken = {_doc(r["id"]) for r in _refs("sentences.jsonl") + _refs("dev_extension.jsonl")}
    ext2 = _refs("dev_extension2.jsonl")
    assert ext2 and all(r["split"] == "devext2" for r in ext2)
    assert not [r["id"] for r in ext2 if _doc(r["id"]) in taken]
    # the English pages come from folders the set does not draw from (au, ca, my, uk)
    assert not [
        r["id"]
        for r in ext2
        if r["id"].startswith(("fundus:au/", "fundus:ca/", "fundus:my/", "fundus:uk/"))
    ]
    labels = _labelled("dev_extension2_labels.tsv")
    assert set(labels) == {r["id"] for r in ext2}
    assert not [ref for ref, cats in labels.items() if "none" in cats and len(cats) > 1]


def test_third_to_fifth_extensions_are_outside_every_earlier_article() -> None:
    """The later extensions (trigger-bearing, then a random one) share no article with the 400 (test half included) or with
    an earlier extension, hold one sentence per article (the English page aside), and each of
    their sentences is labelled once."""
    taken = {
        _doc(r["id"])
        for name in ("sentences.jsonl", "dev_extension.jsonl", "dev_extension2.jsonl")
        for r in _refs(name)
    }
    for name, split, labels in (
        ("dev_extension3.jsonl", "devext3", "dev_extension3_labels.tsv"),
        ("dev_extension4.jsonl", "devext4", "dev_extension4_labels.tsv"),
        ("dev_extension5.jsonl", "devext5", "dev_extension5_labels.tsv"),
    ):
        ext = _refs(name)
        assert ext and all(r["split"] == split for r in ext)
        assert not [r["id"] for r in ext if _doc(r["id"]) in taken]
        indonesian = [r for r in ext if not r["id"].startswith("fundus:")]
        assert len({_doc(r["id"]) for r in indonesian}) == len(indonesian)
        labelled = _labelled(labels)
        assert set(labelled) == {r["id"] for r in ext}
        assert not [ref for ref, cats in labelled.items() if "none" in cats and len(cats) > 1]
        taken |= {_doc(r["id"]) for r in ext}


def test_bench_refuses_to_print_the_test_half() -> None:
    """Per-sentence output (``--show``, ``--errors``) exists for the development halves only."""
    import subprocess
    import sys

    bench = Path(__file__).resolve().parents[1] / "bench" / "events_independent.py"
    for flag in ("--show", "--errors"):
        proc = subprocess.run(
            [sys.executable, str(bench), flag, "test"], capture_output=True, text=True, timeout=120
        )
        assert proc.returncode != 0 and "invalid choice" in proc.stderr


def test_bench_scores_the_held_out_extension_in_aggregate_only() -> None:
    """The fifth extension is held out like the test half: ``--errors`` refuses it."""
    import subprocess
    import sys

    bench = Path(__file__).resolve().parents[1] / "bench" / "events_independent.py"
    proc = subprocess.run(
        [sys.executable, str(bench), "--errors", "devext5"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode != 0 and "invalid choice" in proc.stderr
