"""Pipelines are checked when built; executors give identical output; failures never stop a batch."""

from __future__ import annotations

from pathlib import Path

import pytest

from warta.api import extract_paths
from warta.core.errors import PipelineError, UnknownStage
from warta.core.record import Article
from warta.core.registry import load_stage_class, stage_names
from warta.core.serialize import article_to_dict
from warta.core.stage import Stage
from warta.run.pipeline import DEFAULT_TEXT_PIPELINE, Pipeline

from conftest import GOLDEN_PAGES, SEED_DIR


def test_every_default_stage_is_registered() -> None:
    assert set(DEFAULT_TEXT_PIPELINE) <= set(stage_names())


def test_misordered_pipeline_fails_before_reading_any_page() -> None:
    spec = list(DEFAULT_TEXT_PIPELINE)
    spec.remove("clean.page.v1")  # one cleaning stage now (its variants' old names are aliases)
    with pytest.raises(PipelineError, match="requires"):
        Pipeline.from_spec(spec)
    with pytest.raises(PipelineError, match="meta.plaintext.v1"):
        Pipeline.from_spec(["read.decode.v1", "meta.plaintext.v1"])


def test_unknown_stage_names_the_known_ones() -> None:
    with pytest.raises(UnknownStage, match="read.decode.v1"):
        load_stage_class("no.such.stage")


class _Boom(Stage):
    name = "test.boom.v1"
    requires = frozenset({"body"})

    def process(self, article: Article) -> Article:
        if "meledak" in article.body:
            raise RuntimeError("bug on this page")
        return article


def test_a_crashing_stage_is_recorded_and_the_batch_goes_on() -> None:
    stages = [load_stage_class(n)() for n in DEFAULT_TEXT_PIPELINE] + [_Boom()]
    pipeline = Pipeline(stages)
    from warta.run.pipeline import article_from_text

    texts = [
        "Jakarta - Gudang itu meledak pada Senin pagi dan melukai tiga orang pekerja di sana.",
        "Jakarta - Harga beras di pasar induk turun untuk pekan ketiga berturut-turut kemarin.",
    ]
    results = list(pipeline.run(article_from_text(t) for t in texts))
    assert results[0].errors and results[0].errors[0].stage == "test.boom.v1"
    assert "RuntimeError" in results[0].errors[0].message
    assert results[1].errors == []
    assert pipeline.counters()["test.boom.v1:failed:stage_failed"] == 1


def _batch(tmp_path: Path) -> list[str]:
    inputs = [str(p) for p in sorted(GOLDEN_PAGES.glob("*.txt"))]
    if (SEED_DIR / "000_e34af48cd88e996e.txt").exists():
        inputs.append(str(SEED_DIR / "000_e34af48cd88e996e.txt"))
    bad = tmp_path / "binary.txt"
    bad.write_bytes(bytes(range(256)) * 10)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    inputs[1:1] = [str(bad), str(tmp_path / "missing.txt"), str(empty)]
    return inputs


def _comparable(article: Article) -> dict:
    return article_to_dict(article)


def test_process_pool_gives_identical_output(tmp_path: Path) -> None:
    inputs = _batch(tmp_path)
    local = [_comparable(a) for a in extract_paths(inputs, jobs=1)]
    pooled = [_comparable(a) for a in extract_paths(inputs, jobs=2)]
    assert len(local) == len(inputs)
    assert local == pooled
    failed = [a for a in local if a["errors"]]
    assert {a["errors"][0]["reason"] for a in failed} >= {"not_text", "not_found", "empty"}
