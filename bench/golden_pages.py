"""Line labels, body and publish time over every golden page (tests/golden/pages and the seed).

    python bench/golden_pages.py [--show-errors]

Prints line-label accuracy (exact label, and kept/removed), body precision/recall/F1 over
word tokens (multiset overlap of the extracted body and the expected paragraphs + crossheads),
and publish-time accuracy to the minute with the offset. The golden pages are written by us in
the outlets' house styles: a development aid; real-data figures are in bench/detik_furniture.py.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOKEN = re.compile(r"\w+")


def cases() -> list[tuple[Path, dict]]:
    out = []
    for txt in sorted((ROOT / "tests" / "golden" / "pages").glob("*.txt")):
        out.append((txt, json.loads(txt.with_suffix(".json").read_text(encoding="utf-8"))))
    return out


def prf(got: str, want: str) -> tuple[int, int, int]:
    g, w = Counter(TOKEN.findall(got.lower())), Counter(TOKEN.findall(want.lower()))
    return sum((g & w).values()), sum(g.values()), sum(w.values())


def same_minute(got: datetime | None, want: str | None) -> bool:
    if want is None:
        return got is None
    if got is None:
        return False
    w = datetime.fromisoformat(want)
    return got.replace(second=0, microsecond=0) == w and got.utcoffset() == w.utcoffset()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    from warta.api import extract_text
    from warta.clean.lines import label_lines

    labels_ok = kept_ok = n_lines = 0
    overlap = got_n = want_n = 0
    time_ok = 0
    confusion: Counter[tuple[str, str]] = Counter()
    rows = cases()
    for path, exp in rows:
        text = path.read_text(encoding="utf-8")
        article = extract_text(text.encode(), source=str(path))
        decisions = label_lines(text)
        for d, (want_label, want_text) in zip(decisions, exp["lines"]):
            assert d.text == want_text.strip(), (path.name, d.text, want_text)
            n_lines += 1
            labels_ok += d.label == want_label
            kept_ok += (d.label in ("body", "crosshead")) == (want_label in ("body", "crosshead"))
            if d.label != want_label:
                confusion[(want_label, d.label)] += 1
                if args.show_errors:
                    print(
                        f"{path.name}:{d.line + 1}: want {want_label}, got {d.label} ({d.rule}) | {d.text[:80]}"
                    )
        want_body = "\n".join(exp["paragraphs"] + exp["crossheads"])
        o, g, w = prf(article.body, want_body)
        overlap, got_n, want_n = overlap + o, got_n + g, want_n + w
        ok = same_minute(article.published, exp["published"])
        time_ok += ok
        if args.show_errors and not ok:
            print(f"{path.name}: published want {exp['published']}, got {article.published}")
    p, r = overlap / got_n, overlap / want_n
    print(f"# bench/golden_pages.py  {date.today()}  pages={len(rows)} lines={n_lines}")
    print(f"line label accuracy (exact)   : {labels_ok / n_lines:.3f}")
    print(f"line kept/removed accuracy    : {kept_ok / n_lines:.3f}")
    print(f"body token P/R/F1             : {p:.3f} / {r:.3f} / {2 * p * r / (p + r):.3f}")
    print(f"publish time accuracy (minute): {time_ok / len(rows):.3f} ({time_ok}/{len(rows)})")
    if confusion:
        print(
            "most common label errors (gold -> warta):",
            ", ".join(f"{a}->{b} {n}" for (a, b), n in confusion.most_common(8)),
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
