"""English NER: what English pages get from each model, scored on GUM's news test split.

    .venv/bin/python bench/ner_english.py [--model PATH ...] [--data ../shared/data]

Scores every model given (default: the shipped Indonesian model, which English pages were
tagged with before lang/en/ named its own, and the shipped English model) on the GUM test
splits (entity-level micro F1, exact span and type, PERSON/ORGANIZATION/PLACE; GUM's OTHER
entities are left out). The English model is trained on GUM train+dev and UNER English PUD
(``warta train ner --sets gum,pud --language en --cluster-text training``), never on a GUM
test sentence. Each model tags the gold tokens through NerTagger, as the entity stage does.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from warta.nlp import ner_data  # noqa: E402
from warta.nlp.ner import NerTagger, default_model_path, model_path  # noqa: E402
from warta.nlp.train import span_scores  # noqa: E402

TYPES = ("PERSON", "ORGANIZATION", "PLACE")


def score(model: Path, name: str, data_dir: Path | None) -> str:
    gold = ner_data.keep_types(ner_data.load(name, "test", None, data_dir), TYPES)
    tagger = NerTagger.load(model)
    pred = [tagger.tag(list(s.tokens)) for s in gold]
    sc = span_scores([s.tags for s in gold], pred)
    per_type = "  ".join(f"{k[:3]} {100 * sc.type_f1(k):5.1f}" for k in TYPES)
    return (
        f"{model.name:22} {name + '/test':15} P {100 * sc.precision:5.1f}  "
        f"R {100 * sc.recall:5.1f}  F1 {100 * sc.f1:5.1f}   {per_type}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, action="append", default=None)
    parser.add_argument("--data", type=Path, default=None)
    args = parser.parse_args(argv)
    models = args.model or [default_model_path(), model_path("ner_en_crf.zip")]
    for model in models:
        if not model.is_file():
            print(f"{model}: no such model file", file=sys.stderr)
            continue
        for name in ("gum_news", "gum"):
            print(score(model, name, args.data))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
