"""Which HTML parser: parse time of the 36 real pages with selectolax (lexbor), lxml.html and
resiliparse, plus a full walk over every node (what warta's renderer does).

    python bench/html_parsers.py
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from html_data import load_pages  # noqa: E402


def _best(fn, pages: list[str], repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for page in pages:
            fn(page)
        best = min(best, time.perf_counter() - t0)
    return best / len(pages) * 1000


def main() -> None:
    import lxml.html
    from resiliparse.parse.html import HTMLTree
    from selectolax.lexbor import LexborHTMLParser

    pages = [p.html.decode("utf-8", "replace") for p in load_pages()]

    def walk_lexbor(page: str) -> int:
        return sum(1 for _ in LexborHTMLParser(page).root.traverse(include_text=True))

    def walk_lxml(page: str) -> int:
        return sum(1 for _ in lxml.html.fromstring(page).iter())

    def walk_resiliparse(page: str) -> int:
        tree = HTMLTree.parse(page)
        stack, n = [tree.document], 0
        while stack:
            node = stack.pop()
            n += 1
            stack.extend(node.child_nodes)
        return n

    rows = [
        ("selectolax lexbor", LexborHTMLParser, walk_lexbor),
        ("lxml.html", lxml.html.fromstring, walk_lxml),
        ("resiliparse", HTMLTree.parse, walk_resiliparse),
    ]
    print(f"# bench/html_parsers.py  {date.today()}  {len(pages)} pages, ms per page (best of 5)")
    print(f"{'parser':20} {'parse':>8} {'parse+walk':>11}")
    for name, parse, walk in rows:
        p = _best(parse, pages)
        w = _best(walk, pages) if walk else float("nan")
        print(f"{name:20} {p:8.2f} {w:11.2f}")


if __name__ == "__main__":
    main()
