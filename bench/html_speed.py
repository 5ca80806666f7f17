"""HTML extraction speed and memory on generated pages, with trafilatura in the same run.

    python bench/html_speed.py [--pages 10000] [--peer-pages 500]

Pages: bench/pagegen.py text wrapped in a news-site template of our own (menu, breadcrumb,
article with paragraphs and a crosshead, share buttons, a related-stories box, footer): about
9 KB each. Prints pages/s per core for warta's whole HTML pipeline and for trafilatura's
``extract`` on the same pages (fastest of 3 alternating runs each), and warta's peak traced
memory at N/10 and N pages (flat = ratio near 1; trafilatura users report ~+1 MB RSS per page,
adbar/trafilatura #216).
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

from pagegen import make_page  # noqa: E402

REPEATS = 3


def html_page(i: int) -> str:
    lines = [ln for ln in make_page(i).split("\n") if ln.strip()]
    title = html.escape(lines[4])
    body = "".join(f"<p>{html.escape(ln)}</p>" for ln in lines[6:-6])
    related = "".join(
        f'<li><a href="/r/{i}/{k}">{html.escape(lines[4])} ({k})</a></li>' for k in range(6)
    )
    return (
        f"<!DOCTYPE html><html lang='id'><head><meta charset='utf-8'><title>{title} - Warta"
        f" Contoh</title><meta property='og:title' content='{title}'>"
        f"<meta property='article:published_time' content='2020-01-{1 + i % 28:02d}T10:00:00+07:00'>"
        "<style>.a{color:red}</style><script>var x=1;</script></head><body>"
        "<header class='site-header'><nav class='menu'><a href='/'>Beranda</a><a href='/n'>Nasional"
        "</a><a href='/e'>Ekonomi</a><a href='/o'>Olahraga</a></nav></header>"
        "<div class='breadcrumb'><a href='/'>Home</a> &raquo; <a href='/n'>Nasional</a></div>"
        f"<main><article><h1>{title}</h1><div class='byline'>Penulis: Rina Aditya</div>"
        f"<div class='content'>{body}<h2>Langkah berikutnya</h2>{body[:400]}</div>"
        "<div class='share'><a>Facebook</a><a>Twitter</a><a>WhatsApp</a></div></article>"
        f"<aside class='related'><h3>Berita Terkait</h3><ul>{related}</ul></aside></main>"
        "<footer><p>Copyright &copy; 2020 Warta Contoh. All rights reserved.</p></footer>"
        "</body></html>"
    )


def time_warta(pages: list[str]) -> float:
    from warta.api import extract_text
    from warta.run.pipeline import CLEAN_PIPELINE

    extract_text(pages[0], content_type="text/html", spec=CLEAN_PIPELINE)
    t0 = time.perf_counter()
    for page in pages:
        article = extract_text(page, content_type="text/html", spec=CLEAN_PIPELINE)
        assert article.body, article.errors
    return time.perf_counter() - t0


def time_trafilatura(pages: list[str]) -> float:
    import trafilatura

    t0 = time.perf_counter()
    for page in pages:
        trafilatura.extract(page)
    return time.perf_counter() - t0


def peak_memory(n: int) -> float:
    """Peak traced memory (MiB) while streaming ``n`` generated pages through warta."""
    return traced_peak_mib(
        "from html_speed import html_page as page\nfrom warta.run.pipeline import CLEAN_PIPELINE",
        "extract_text(page(i), content_type='text/html', spec=CLEAN_PIPELINE)",
        n,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--peer-pages", type=int, default=500)
    args = parser.parse_args()
    pages = [html_page(i) for i in range(args.pages)]
    kb = sum(len(p) for p in pages) / len(pages) / 1024
    print(f"# bench/html_speed.py  {date.today()}  pages={args.pages} (~{kb:.1f} KB each)")
    runs_w, runs_t = [], []
    for _ in range(REPEATS):
        runs_w.append(time_warta(pages[: args.peer_pages]))
        runs_t.append(time_trafilatura(pages[: args.peer_pages]))
    w = args.peer_pages / min(runs_w)
    t = args.peer_pages / min(runs_t)
    print(f"warta HTML pipeline : {w:7.0f} pages/s/core  (first {args.peer_pages} pages)")
    print(f"trafilatura.extract : {t:7.0f} pages/s/core  (same pages)")
    print(f"ratio warta/trafilatura: {w / t:5.1f}x  (target >= 3x)")
    full = time_warta(pages)
    print(f"warta over all {args.pages} pages: {args.pages / full:.0f} pages/s/core")
    small, large = args.pages // 10, args.pages
    m1, m2 = peak_memory(small), peak_memory(large)
    print(
        f"peak traced memory: {m1:.2f} MiB at {small} pages, {m2:.2f} MiB at {large} pages "
        f"(x{m2 / m1:.2f} for 10x pages)"
    )


if __name__ == "__main__":
    main()
