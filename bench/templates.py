"""Learned outlet templates on the 1,000 detik bodies, beside the hand-written rules.

Reads ../shared/data/detik_summ_entity_1000/data_berita.csv.gz in its CSV order and the
hand-checked line gold of bench/data/detik_line_gold.jsonl (checked against the CSV as
bench/detik_furniture.py does), and labels every body four ways:

* rules          - warta's labeller as shipped (lang/*/furniture.toml rules, shape, position);
* no rules       - the same labeller with every furniture.toml rule switched off (timestamps,
                   credit lines and the shape/position signals stay);
* no rules + tpl - "no rules", plus templates learned online: page i is cleaned with what was
                   learned from pages 0..i-1 (outlet "detik.com"), then learned from;
* rules + tpl    - the shipped rules plus learned templates.

For the 65 gold articles it prints furniture removed and body lines lost (by label), and for
all 1,000 how many lines the templates removed; then the templates learned. Learning needs
``MIN_PAGES`` pages (warta.clean.templates) and never takes a sentence-shaped line.

    .venv/bin/python bench/templates.py [--csv PATH] [--show N] [--min-pages N]
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from detik_furniture import (  # noqa: E402
    DEFAULT_GOLD,
    KEPT,
    load_gold,
    read_articles,
    verify_gold,
)

from warta.clean.knowledge import Knowledge  # noqa: E402
from warta.clean.lines import LineDecision, LineLabeller  # noqa: E402
from warta.clean.templates import MIN_PAGES, TemplateLearner  # noqa: E402

DEFAULT_CSV = Path("/work/shared/data/detik_summ_entity_1000/data_berita.csv.gz")
if not DEFAULT_CSV.exists():
    DEFAULT_CSV = ROOT.parent / "shared" / "data" / "detik_summ_entity_1000" / "data_berita.csv.gz"
OUTLET = "detik.com"


@dataclass
class Result:
    name: str
    furniture: int = 0
    removed: int = 0
    real: int = 0
    lost: int = 0
    lost_by: collections.Counter[str] = field(default_factory=collections.Counter)
    left_by: collections.Counter[str] = field(default_factory=collections.Counter)
    template_lines_all: int = 0
    template_right: int = 0
    template_wrong: int = 0
    seconds: float = 0.0
    left_text: list[str] = field(default_factory=list)


def no_rules_labeller() -> LineLabeller:
    kb = Knowledge()
    kb.match_furniture = lambda *args, **kwargs: None  # type: ignore[method-assign]
    return LineLabeller(kb)


def run(
    name: str,
    labeller: LineLabeller,
    learner: TemplateLearner | None,
    rows: list[dict[str, str]],
    gold: dict[str, dict[int, str]],
) -> Result:
    res = Result(name)
    t0 = time.perf_counter()
    for row in rows:
        text = (row["isi_berita"] or "").replace("\r\n", "\n")
        lines: list[LineDecision] = labeller.first_pass(text)
        preset = learner.preset(OUTLET, lines) if learner is not None else None
        decisions = labeller.label(text, preset=preset or None, lines=lines)
        if learner is not None:
            learner.observe(OUTLET, decisions)
        res.template_lines_all += sum(d.label == "template" for d in decisions)
        want = gold.get(row["id"])
        if want is None:
            continue
        for d in decisions:
            g = want[d.line]
            kept = d.label in KEPT
            if g in KEPT:
                res.real += 1
                if not kept:
                    res.lost += 1
                    res.lost_by[f"{d.label} {d.rule[:40]}"] += 1
            else:
                res.furniture += 1
                if kept:
                    res.left_by[g] += 1
                    res.left_text.append(f"{g:8} {d.shape:14} {d.text[:90]}")
                else:
                    res.removed += 1
            if d.label == "template":
                if g in KEPT:
                    res.template_wrong += 1
                else:
                    res.template_right += 1
    res.seconds = time.perf_counter() - t0
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--show", type=int, default=25, help="templates to list (0: none)")
    ap.add_argument("--min-pages", type=int, default=MIN_PAGES)
    ap.add_argument("--show-left", action="store_true", help="print the furniture left in")
    args = ap.parse_args()
    if not args.csv.exists():
        print(f"detik CSV not found: {args.csv}", file=sys.stderr)
        return 2
    articles = read_articles(args.csv)
    gold_rows = load_gold(args.gold)
    verify_gold(gold_rows, articles)
    gold = {aid: {g.line: g.label for g in rows} for aid, rows in gold_rows.items()}
    rows = list(articles.values())  # CSV order: learning goes forward through the file

    learned = TemplateLearner(min_pages=args.min_pages)
    results = [
        run("rules", LineLabeller(), None, rows, gold),
        run("no rules", no_rules_labeller(), None, rows, gold),
        run("no rules + tpl", no_rules_labeller(), learned, rows, gold),
        run("rules + tpl", LineLabeller(), TemplateLearner(min_pages=args.min_pages), rows, gold),
    ]
    n_gold = len(gold)
    print(
        f"# bench/templates.py  detik bodies={len(rows)}  gold articles={n_gold}  "
        f"min_pages={args.min_pages}"
    )
    print(f"{'':34}" + "".join(f"{r.name:>16}" for r in results))
    cells: list[tuple[str, Callable[[Result], str]]] = [
        ("furniture removed (gold)", lambda r: f"{r.removed}/{r.furniture}"),
        ("furniture REMAINING (gold)", lambda r: str(r.furniture - r.removed)),
        ("body lines LOST (gold)", lambda r: f"{r.lost}/{r.real}"),
        ("template lines, gold furniture", lambda r: str(r.template_right)),
        ("template lines, gold body", lambda r: str(r.template_wrong)),
        ("template lines, all 1000 pages", lambda r: str(r.template_lines_all)),
        ("seconds", lambda r: f"{r.seconds:.2f}"),
    ]
    for label, cell in cells:
        print(f"{label:34}" + "".join(f"{cell(r):>16}" for r in results))
    for r in results:
        if r.left_by or r.lost_by:
            left = ", ".join(f"{k} {v}" for k, v in r.left_by.most_common())
            lost = ", ".join(f"{k} ({v})" for k, v in r.lost_by.most_common(4))
            print(f"\n[{r.name}] remaining by gold label: {left or '-'}")
            print(f"[{r.name}] lost by label/rule: {lost or '-'}")
            if args.show_left:
                for line in r.left_text:
                    print(f"    left: {line}")
    if args.show:
        templates = learned.templates(OUTLET)
        print(f"\ntemplates learned with the rules off ({len(templates)}; first {args.show}):")
        for t in templates[: args.show]:
            print(f"  {t.pages:4}/{t.outlet_pages} {t.kind:7} {t.key[:60]!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
