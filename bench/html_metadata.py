"""HTML metadata (warta.meta.html) on real news pages, against their gold.

    .venv/bin/python bench/html_metadata.py [--all]

anpandu (26 Indonesian/English outlet pages, 2015-2017): title accuracy (exact after white
space is collapsed, and case-insensitive) against the scraper's asserted title, and publish-time
accuracy to the minute comparing instants (offset-aware; a naive time counts as a miss).
slasher (10 pages, 2015): its gold is only the raw <title>, so the figure is how often our title
is that <title> or a part of it (the site's affix removed), and the pairs are listed to read.
Misses are listed; ``--all`` lists every page. Data: ../shared/data (see SOURCES.md section 6).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"


def load(folder: str) -> list[dict[str, Any]]:
    lines = (DATA / folder / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def read_page(folder: str, name: str) -> str:
    from warta.clean.charset import decode_page

    with gzip.open(DATA / folder / name) as fh:
        return decode_page(fh.read(), source=name).text


def norm(text: str | None) -> str:
    return " ".join((text or "").split())


def same_minute(got: datetime | None, want_utc: str) -> bool:
    if got is None or got.tzinfo is None:
        return False
    want = datetime.fromisoformat(want_utc.replace("Z", "+00:00"))
    return got.astimezone(UTC).replace(second=0, microsecond=0) == want.replace(
        second=0, microsecond=0
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--all", action="store_true", help="list every page, not only misses")
    args = parser.parse_args()
    if not (DATA / "news_html_anpandu" / "gold.jsonl").exists():
        print(f"{DATA} not present: nothing to measure", file=sys.stderr)
        return 1
    from selectolax.lexbor import LexborHTMLParser

    from warta.meta.html import html_metadata

    html_metadata(LexborHTMLParser("<h1>warm</h1>"), "https://example.org/")  # load data
    rows = load("news_html_anpandu")
    exact = folded = timed = 0
    sources: dict[str, int] = {}
    spent = 0.0
    print("anpandu")
    for row in rows:
        text = read_page("news_html_anpandu", row["file"])
        start = time.perf_counter()
        meta = html_metadata(LexborHTMLParser(text), row["url"])
        spent += time.perf_counter() - start
        title_ok = norm(meta.title) == norm(row["title"])
        title_ci = norm(meta.title).casefold() == norm(row["title"]).casefold()
        time_ok = same_minute(meta.published, row["date_utc"])
        exact += title_ok
        folded += title_ci
        timed += time_ok
        src = meta.published_source or "none"
        sources[src] = sources.get(src, 0) + 1
        if args.all or not (title_ok and time_ok):
            print(f"  {row['file']}")
            if args.all or not title_ok:
                mark = "ok" if title_ok else ("case" if title_ci else "MISS")
                print(f"    title {mark}: got {meta.title!r}")
                if not title_ok:
                    print(f"               want {row['title']!r}")
            if args.all or not time_ok:
                got = meta.published.isoformat() if meta.published else None
                print(
                    f"    published {'ok' if time_ok else 'MISS'}: got {got} "
                    f"[{src}: {meta.published_raw!r}] want {row['date_utc']}"
                )
    n = len(rows)
    print(
        f"anpandu ({n} pages): title exact {exact}/{n} = {exact / n:.1%}, "
        f"case-insensitive {folded}/{n} = {folded / n:.1%}; "
        f"published to the minute (instant) {timed}/{n} = {timed / n:.1%}"
    )
    print(f"  published from: {dict(sorted(sources.items()))}")

    rows = load("news_html_slasher")
    inside = 0
    print("slasher (gold: the raw <title> only)")
    for row in rows:
        text = read_page("news_html_slasher", row["file"])
        start = time.perf_counter()
        meta = html_metadata(LexborHTMLParser(text), row["url"])
        spent += time.perf_counter() - start
        part = (
            bool(meta.title) and norm(meta.title).casefold() in norm(row["html_title"]).casefold()
        )
        inside += part
        got = meta.published.isoformat() if meta.published else None
        print(f"  {row['file']}: {'part' if part else 'NOT PART'} of <title>")
        print(f"    got   {meta.title!r}\n    title {row['html_title']!r}")
        print(f"    published {got} [{meta.published_source}]  authors {meta.authors}")
    m = len(rows)
    print(f"slasher ({m} pages): title is the <title> or a part of it {inside}/{m}")
    print(f"time in html_metadata: {spent * 1000 / (n + m):.1f} ms per page (warm; parse excluded)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
