"""Run under the bench-only venv that has datatrove (.venv-bench): datatrove's Gopher signals
and decisions for the documents of a JSON Lines file, one JSON line out per document.

    .venv-bench/bin/python bench/lm_signals_datatrove.py DOCS.jsonl OUT.jsonl STOPWORDS...
"""

from __future__ import annotations

import json
import sys

import numpy as np
from datatrove.data import Document
from datatrove.pipeline.filters.gopher_quality_filter import GopherQualityFilter
from datatrove.pipeline.filters.gopher_repetition_filter import (
    GopherRepetitionFilter,
    find_all_duplicate,
    find_duplicates,
    find_top_duplicate,
    get_n_grams,
)
from datatrove.utils.text import PUNCTUATION_SET, split_into_words


def main() -> None:
    src, dst, *stop = sys.argv[1:]
    quality = GopherQualityFilter(language="id", stop_words=stop)
    no_alpha = GopherQualityFilter(language="id", stop_words=stop, max_non_alpha_words_ratio=None)
    repetition = GopherRepetitionFilter(language="id")
    with open(src, encoding="utf-8") as fh, open(dst, "w", encoding="utf-8") as out:
        for i, line in enumerate(fh):
            text = json.loads(line)["text"]
            words = split_into_words(text, "id")
            n = len(words)
            real = [w for w in words if any(ch not in PUNCTUATION_SET for ch in w)]
            lines = text.splitlines()
            paras = repetition.paragraph_exp.split(text.strip())
            rlines = repetition._line_splitter.split(text)
            signals = {
                "words": len(real),
                "mean_word_length": float(np.mean([len(w) for w in real])) if real else 0.0,
                "hash_word_ratio": text.count("#") / max(1, n),
                "ellipsis_word_ratio": (text.count("...") + text.count("…")) / max(1, n),
                "bullet_line_share": sum(s.lstrip().startswith(("•", "-")) for s in lines) / max(1, len(lines)),
                "ellipsis_line_share": sum(s.rstrip().endswith(("...", "…")) for s in lines) / max(1, len(lines)),
                "alpha_word_share": sum(any(c.isalpha() for c in w) for w in words) / max(1, n),
                # the same share over the words that are not punctuation (spaCy makes each comma and
                # full stop a token, which the filter counts as a non-alphabetic word)
                "alpha_word_share_without_punctuation": sum(any(c.isalpha() for c in w) for w in real) / max(1, len(real)),
                "stopwords": len(set(stop).intersection(words)),
                "dup_para_share": find_duplicates(paras)[0] / len(paras),
                "dup_para_char_share": find_duplicates(paras)[1] / len(text),
                "dup_line_share": find_duplicates(rlines)[0] / len(rlines),
                "dup_line_char_share": find_duplicates(rlines)[1] / len(text),
                "top_ngram_char_share": {
                    str(k): (find_top_duplicate(get_n_grams(words, k)) if len(words) >= k else 0) / len(text)
                    for k in (2, 3, 4)
                },
                "dup_ngram_char_share": {str(k): find_all_duplicate(words, k) / len(text) for k in range(5, 11)},
            }
            doc = Document(text=text, id=str(i))
            verdicts = []
            for filters in ((repetition, quality), (repetition, no_alpha)):
                verdict = None
                for f in filters:
                    got = f.filter(doc)
                    if got is not True:
                        verdict = got[1] if isinstance(got, tuple) else "dropped"
                        break
                verdicts.append(verdict)
            out.write(json.dumps({"signals": signals, "rule": verdicts[0], "rule_without_alpha": verdicts[1]}) + "\n")


if __name__ == "__main__":
    main()
