"""Speed and memory of plain-text cleaning plus metadata, with jusText timed on the same pages.

    python bench/speed.py [--pages 10000]

Prints pages per second per core for warta's cleaning pipeline (``CLEAN_PIPELINE``: decode,
clean, language, metadata, identity; the entity stage is benchmarked in bench/ner.py) and for
jusText (Indonesian stoplist, each line wrapped as a paragraph), their ratio, and warta's peak
traced memory at N and 10N pages (flat = the ratio stays near 1). Single process, pages in
memory, one core.
"""

from __future__ import annotations

import argparse
import html
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from benchutil import traced_peak_mib  # noqa: E402

from pagegen import pages  # noqa: E402

#: Each tool is timed this many times, alternating, and its fastest run is kept: on a shared
#: machine the fastest run is the one least disturbed by other work (timeit's convention).
REPEATS = 3


def time_warta(texts: list[str]) -> float:
    from warta.api import extract_text
    from warta.run.pipeline import CLEAN_PIPELINE

    extract_text(texts[0], spec=CLEAN_PIPELINE)  # load knowledge once, as a worker would
    t0 = time.perf_counter()
    for i, text in enumerate(texts):
        article = extract_text(text, source=f"page{i}", spec=CLEAN_PIPELINE)
        assert article.body, article.errors
    return time.perf_counter() - t0


def time_justext(texts: list[str]) -> float:
    import justext

    stoplist = justext.get_stoplist("Indonesian")
    t0 = time.perf_counter()
    for text in texts:
        markup = "".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n") if line.strip())
        justext.justext(f"<html><body>{markup}</body></html>", stoplist)
    return time.perf_counter() - t0


def peak_memory(n: int) -> float:
    """Peak traced memory (MiB) while streaming ``n`` generated pages through warta."""
    return traced_peak_mib(
        "from pagegen import make_page as page\nfrom warta.run.pipeline import CLEAN_PIPELINE",
        "extract_text(page(i), spec=CLEAN_PIPELINE)",
        n,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument(
        "--justext-pages",
        type=int,
        default=1_000,
        help="jusText is timed on the first N of the same pages (it is slow)",
    )
    args = parser.parse_args()
    texts = pages(args.pages)
    mb = sum(len(t.encode()) for t in texts) / 2**20
    print(f"# bench/speed.py  {date.today()}  pages={args.pages} ({mb:.1f} MiB), one process")
    runs_w, runs_j = [], []
    for _ in range(REPEATS):
        runs_w.append(time_warta(texts))
        runs_j.append(time_justext(texts[: args.justext_pages]))
    w, j = min(runs_w), min(runs_j)
    warta_rate = args.pages / w
    justext_rate = args.justext_pages / j
    print(f"warta   clean+metadata: {warta_rate:8.0f} pages/s/core  ({w:.2f} s for {args.pages})")
    print(
        f"jusText (id stoplist) : {justext_rate:8.0f} pages/s/core  ({j:.2f} s for {args.justext_pages})"
    )
    print(
        f"ratio warta/jusText   : {warta_rate / justext_rate:8.1f}x  (fastest of {REPEATS} runs each;"
        f" warta runs {', '.join(f'{args.pages / t:.0f}' for t in runs_w)} pages/s)"
    )
    print(f"target 2,000 pages/s/core: {'met' if warta_rate >= 2000 else 'NOT met'}")
    small, large = args.pages // 10, args.pages
    m1, m2 = peak_memory(small), peak_memory(large)
    print(
        f"peak traced memory: {m1:.2f} MiB at {small} pages, {m2:.2f} MiB at {large} pages "
        f"(x{m2 / m1:.2f} for 10x pages)"
    )


if __name__ == "__main__":
    main()
