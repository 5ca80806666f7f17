"""The corpus quality signals against datatrove's Gopher implementation, on 1,000 documents:
800 detik.com bodies from ../shared/data (read at run time) and 200 made from them to trip the
rules (40 each: the article tripled, hashtag lines appended, turned into a bullet list, cut
into teaser lines ending in "…", and a table of figures). Prints, per signal, how many
documents agree within the tolerance, then the keep/drop decisions side by side.

datatrove runs in its own venv (bench only, never a warta dependency):
    python3 -m venv .venv-bench && .venv-bench/bin/pip install datatrove spacy
    .venv/bin/python bench/lm_signals.py [--datatrove-python .venv-bench/bin/python]

Both sides use the same thresholds (Gopher's) and the same Indonesian stop-word list
(warta/lang/id/corpus_stopwords.txt); the words differ: datatrove splits Indonesian with
spaCy's blank "id" tokenizer, warta with its own word pattern (warta/lmcorpus/words.py).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

from warta.lmcorpus.rules import decide, load_rules
from warta.lmcorpus.signals import compute_signals, stopwords_for

ROOT = Path(__file__).resolve().parents[1]
DETIK = ROOT.parent / "shared" / "data" / "detik_summ_entity_1000" / "data_berita.csv.gz"

#: absolute tolerance per signal (shares and ratios); words: relative; word length: absolute
TOLERANCE = {"words": 0.05, "mean_word_length": 0.3, "stopwords": 2}
SHARE_TOL = 0.02

#: warta's rule names -> datatrove's
SAME_RULE = {
    "dup_para_share": "dup_para_frac", "dup_para_char_share": "dup_para_char_frac",
    "dup_line_share": "dup_line_frac", "dup_line_char_share": "dup_line_char_frac",
    "too_few_words": "gopher_short_doc", "too_many_words": "gopher_long_doc",
    "short_words": "gopher_below_avg_threshold", "long_words": "gopher_above_avg_threshold",
    "hashes": "gopher_too_many_hashes", "ellipses": "gopher_too_many_ellipsis",
    "bullet_lines": "gopher_too_many_bullets", "ellipsis_lines": "gopher_too_many_end_ellipsis",
    "few_alpha_words": "gopher_below_alpha_threshold", "few_stopwords": "gopher_enough_stop_words",
    **{f"top_{n}_gram": f"top_{n}_gram" for n in (2, 3, 4)},
    **{f"dup_{n}_gram": f"duplicated_{n}_n_grams" for n in range(5, 11)},
}


def documents(n_real: int = 800, n_each: int = 40) -> list[tuple[str, str]]:
    with gzip.open(DETIK, "rt", encoding="utf-8", newline="") as fh:
        bodies = [r["isi_berita"] for r in csv.DictReader(fh)]
    r = random.Random(16)
    docs = [("real", b) for b in bodies[:n_real]]
    pool = bodies[n_real:]
    for i in range(n_each):
        b = pool[i % len(pool)]
        paras = b.split("\n")
        words = b.split()
        docs.append(("tripled", "\n\n".join([b] * 3)))
        docs.append(("hashtags", b + "\n" + " ".join("#" + w.strip(".,\"") for w in r.sample(words, min(len(words), 60)))))
        docs.append(("bullets", "\n".join("• " + " ".join(words[j : j + 6]) for j in range(0, len(words), 6))))
        docs.append(("teasers", "\n".join(" ".join(p.split()[:12]) + " …" for p in paras if p.strip())))
        docs.append(("figures", "\n".join(" ".join(f"{r.randint(1, 99999):,}".replace(",", ".") for _ in range(8)) + f" {w}" for w in words[:40])))
    return docs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--datatrove-python", default=str(ROOT / ".venv-bench" / "bin" / "python"))
    args = ap.parse_args()
    docs = documents()
    stop = sorted(stopwords_for("id"))
    gopher_only = replace(load_rules(), keep_languages=("id",), min_confidence=0.0, min_punct_line_share=0.0)
    t0 = time.perf_counter()
    mine = [compute_signals(text, "id", 1.0) for _, text in docs]
    mine_s = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "docs.jsonl", Path(tmp) / "dt.jsonl"
        src.write_text("".join(json.dumps({"text": t}) + "\n" for _, t in docs), encoding="utf-8")
        t0 = time.perf_counter()
        done = subprocess.run([args.datatrove_python, str(ROOT / "bench" / "lm_signals_datatrove.py"), str(src), str(dst), *stop],
                              capture_output=True, text=True)
        theirs_s = time.perf_counter() - t0
        if done.returncode != 0:
            sys.exit(f"datatrove run failed: {done.stderr[-2000:]}")
        theirs = [json.loads(line) for line in dst.open(encoding="utf-8")]
    print(f"{len(docs)} documents ({Counter(k for k, _ in docs)})")
    print(f"signals: warta {mine_s:.2f} s, datatrove (with its process start and spaCy load) {theirs_s:.2f} s")
    print(f"\n{'signal':<26}{'within tolerance':>18}  tolerance   max |diff|")
    for name in theirs[0]["signals"]:
        ok, worst = 0, 0.0
        for m, t in zip(mine, theirs):
            a, b = getattr(m, name.removesuffix("_without_punctuation")), t["signals"][name]
            if isinstance(b, dict):
                diffs = [abs(a[int(k)] - v) for k, v in b.items()]
                d, tol = max(diffs), SHARE_TOL
            elif name == "words":
                d, tol = abs(a - b) / max(1, b), TOLERANCE["words"]
            else:
                d, tol = abs(a - b), TOLERANCE.get(name, SHARE_TOL)
            worst = max(worst, d)
            ok += d <= tol
        print(f"{name:<26}{ok:>12}/{len(docs)}  {tol:>9}   {worst:.4f}")
    print("\nkeep/drop side by side (warta rule | datatrove rule), by kind of document:")
    agree = 0
    table: Counter[tuple[str, str, str]] = Counter()
    for (kind, _), m, t in zip(docs, mine, theirs):
        rule = decide(m, gopher_only)
        theirs_rule = t["rule"]
        agree += (rule is None) == (theirs_rule is None)
        table[(kind, rule or "keep", theirs_rule or "keep")] += 1
    for (kind, a, b), n in sorted(table.items()):
        same = "same rule" if SAME_RULE.get(a, a) == b else ("both drop" if a != "keep" and b != "keep" else "DIFFERENT")
        print(f"  {kind:<9} {n:>4}  {a:<20} | {b:<30} {same}")
    print(f"\nkeep/drop decisions agree on {agree}/{len(docs)} documents")
    no_alpha = sum((decide(m, gopher_only) is None) == (t["rule_without_alpha"] is None) for m, t in zip(mine, theirs))
    print(f"...and on {no_alpha}/{len(docs)} with datatrove's alpha-word rule off (it counts spaCy's "
          "punctuation tokens as non-alphabetic words); where they still differ:")
    differ: Counter[tuple[str, str, str]] = Counter()
    for (kind, _), m, t in zip(docs, mine, theirs):
        rule, other = decide(m, gopher_only), t["rule_without_alpha"]
        if (rule is None) != (other is None):
            differ[(kind, rule or "keep", other or "keep")] += 1
    for (kind, a, b), n in sorted(differ.items()):
        print(f"  {kind:<9} {n:>4}  {a:<20} | {b}")


if __name__ == "__main__":
    main()
