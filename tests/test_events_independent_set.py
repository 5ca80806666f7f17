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
