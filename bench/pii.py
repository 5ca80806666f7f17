"""PII masking on a generated set (bench/pii_eval.py): real detik.com paragraphs with planted
personal data of each kind and planted look-alikes; recall and precision per kind, look-alikes
masked, the masker's speed, and what it finds in the untouched article bodies.

    .venv/bin/python bench/pii.py [--docs 3000] [--seed 16]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pii_eval import DETIK, KINDS, generate, score  # noqa: E402

from warta.lmcorpus.pii import find_pii, mask_pii  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=16)
    args = ap.parse_args()
    docs = generate(args.docs, seed=args.seed)
    s = score(docs)
    print(f"{args.docs} documents (seed {args.seed}), {sum(len(d.planted) for d in docs)} planted, "
          f"{sum(len(d.decoys) for d in docs)} look-alikes")
    print(f"{'kind':<14}{'planted':>8}{'found':>7}{'false+':>7}{'recall':>8}{'precision':>10}")
    for k in KINDS:
        print(f"{k:<14}{s.tp[k] + s.fn[k]:>8}{s.tp[k]:>7}{s.fp[k]:>7}{s.recall(k):>8.4f}{s.precision(k):>10.4f}")
    print(f"look-alikes masked: {len(s.decoys_masked)}")
    for line in s.misses[:10]:
        print("  missed", line)
    for line in s.false_hits[:10]:
        print("  false hit", line)
    texts = [d.text for d in docs]
    t0 = time.perf_counter()
    for t in texts:
        mask_pii(t)
    dt = time.perf_counter() - t0
    chars = sum(map(len, texts))
    print(f"speed: {len(texts) / dt:.0f} docs/s, {chars / dt / 1e6:.2f} M chars/s")
    with gzip.open(DETIK, "rt", encoding="utf-8", newline="") as fh:
        bodies = [r["isi_berita"] for r in csv.DictReader(fh)]
    print(f"in the {len(bodies)} untouched detik bodies:")
    for body in bodies:
        for p in find_pii(body):
            print(f"  {p.kind:<12} {body[max(0, p.start - 40):p.end + 3]!r}")


if __name__ == "__main__":
    main()
