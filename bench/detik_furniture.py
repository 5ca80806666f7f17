"""Furniture benchmark on real detik.com bodies: warta's line labeller vs jusText.

Reads the detik CSV (../shared/data/detik_summ_entity_1000/data_berita.csv.gz) and the
hand-checked line gold (bench/data/detik_line_gold.jsonl, made by bench/make_detik_gold.py),
verifies every gold row's sha1 against the CSV (and stops if one does not match), then scores

* warta: ``warta.clean.lines.label_lines(text)`` on each gold article's ``isi_berita``
  (labels ``body``/``crosshead`` are kept, everything else removed);
* jusText: every non-blank line wrapped in ``<p>`` (html-escaped), classified with the
  Indonesian stoplist; paragraphs jusText calls boilerplate are removed.

It prints furniture lines remaining after cleaning (by gold label), real lines lost (by warta's
label and rule), exact-label accuracy (warta only) and kept/removed accuracy for both, side by
side; then a coarse, gold-free check over all 1,000 articles: how many "SCROLL TO CONTINUE WITH
CONTENT" / "ADVERTISEMENT" / "Simak..." / "Baca juga..." lines each system leaves in.

    .venv/bin/python bench/detik_furniture.py [--show-errors] [--no-justext] [--no-all]

``--show-errors`` prints each wrong line with its text to the terminal; nothing is written.
"""

from __future__ import annotations

import argparse
import collections
import csv
import gzip
import hashlib
import html
import json
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CSV = ROOT.parent / "shared" / "data" / "detik_summ_entity_1000" / "data_berita.csv.gz"
DEFAULT_GOLD = ROOT / "bench" / "data" / "detik_line_gold.jsonl"

LABELS = frozenset(
    (
        "body", "crosshead", "title", "dateline", "timestamp", "byline", "wire", "promo",
        "related", "media", "social", "nav", "ad", "pagination", "footer", "boilerplate",
    )
)  # fmt: skip
KEPT = frozenset({"body", "crosshead"})
MISSING = "<missing>"  # a non-blank line the system returned no decision for (counts as removed)

#: (label, rule, text or None) for every line index the system decided on.
Decisions = dict[int, tuple[str, str, str | None]]
Decider = Callable[[str], Decisions]


class GoldError(Exception):
    """The gold file does not match the CSV (or is malformed)."""


# --------------------------------------------------------------------------- data


def read_articles(path: Path) -> dict[str, dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        return {row["id"]: row for row in csv.DictReader(fh)}


def split_lines(body: str) -> list[str]:
    return body.replace("\r\n", "\n").split("\n")


def line_sha1(stripped: str) -> str:
    return hashlib.sha1(stripped.encode("utf-8")).hexdigest()[:12]


@dataclass
class GoldLine:
    line: int
    sha1: str
    label: str
    checked: bool


def load_gold(path: Path) -> dict[str, list[GoldLine]]:
    """Gold rows grouped by article id (in file order)."""
    gold: dict[str, list[GoldLine]] = collections.defaultdict(list)
    with path.open(encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                row = json.loads(raw)
                gl = GoldLine(
                    int(row["line"]), str(row["sha1"]), str(row["label"]), bool(row["checked"])
                )
                aid = str(row["id"])
            except (ValueError, KeyError, TypeError) as exc:
                raise GoldError(f"{path}:{n}: malformed gold row ({exc})") from exc
            if gl.label not in LABELS:
                raise GoldError(f"{path}:{n}: unknown label {gl.label!r}")
            gold[aid].append(gl)
    return dict(gold)


def verify_gold(gold: dict[str, list[GoldLine]], articles: dict[str, dict[str, str]]) -> None:
    """Every row must name an existing non-blank line with a matching sha1, and every
    non-blank line of a gold article must have exactly one row. Raises GoldError."""
    problems: list[str] = []
    for aid, rows in gold.items():
        if aid not in articles:
            problems.append(f"article {aid}: not in the CSV")
            continue
        lines = split_lines(articles[aid]["isi_berita"])
        seen: collections.Counter[int] = collections.Counter(r.line for r in rows)
        for r in rows:
            if not 0 <= r.line < len(lines):
                problems.append(f"{aid}:{r.line}: line index out of range ({len(lines)} lines)")
                continue
            s = lines[r.line].strip()
            if not s:
                problems.append(f"{aid}:{r.line}: gold row for a blank line")
            elif line_sha1(s) != r.sha1:
                problems.append(f"{aid}:{r.line}: sha1 {r.sha1} != CSV line sha1 {line_sha1(s)}")
        for i, raw in enumerate(lines):
            if raw.strip() and seen[i] != 1:
                problems.append(f"{aid}:{i}: {seen[i]} gold rows for a non-blank line (want 1)")
    if problems:
        head = "\n  ".join(problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise GoldError(f"gold does not match the CSV ({len(problems)} problems):\n  {head}{more}")


# --------------------------------------------------------------------------- systems


def import_warta() -> tuple[Decider | None, str]:
    """warta's labeller as a Decider, or (None, reason) when it cannot be imported."""
    src = str(ROOT / "src")
    if src not in sys.path:
        sys.path.insert(0, src)
    try:
        from warta.clean.lines import label_lines
    except Exception as exc:  # noqa: BLE001 - ImportError, or a half-written module failing
        return None, f"{type(exc).__name__}: {exc}"

    def decide(text: str) -> Decisions:
        out: Decisions = {}
        for d in label_lines(text):
            t = getattr(d, "text", None)
            out[int(d.line)] = (
                str(d.label),
                str(getattr(d, "rule", "") or ""),
                t if isinstance(t, str) else None,
            )
        return out

    return decide, ""


def justext_decider() -> tuple[Decider | None, str]:
    try:
        import justext
    except ImportError as exc:
        return None, f"{type(exc).__name__}: {exc}"
    stoplist = justext.get_stoplist("Indonesian")

    def norm(s: str) -> str:
        return " ".join(s.split())

    def decide(text: str) -> Decisions:
        lines = [(i, raw.strip()) for i, raw in enumerate(split_lines(text)) if raw.strip()]
        if not lines:
            return {}
        doc = (
            "<html><body>"
            + "".join(f"<p>{html.escape(s)}</p>" for _, s in lines)
            + "</body></html>"
        )
        paras = justext.justext(doc, stoplist)
        out: Decisions = {}
        if len(paras) == len(lines):
            pairs: Iterable[tuple[int, object]] = (
                (i, p) for (i, _), p in zip(lines, paras, strict=True)
            )
        else:  # jusText dropped or merged something: align by normalised text, in order
            matched: list[tuple[int, object]] = []
            k = 0
            for i, s in lines:
                if k < len(paras) and norm(paras[k].text) == norm(s):
                    matched.append((i, paras[k]))
                    k += 1
            pairs = matched
        for i, p in pairs:
            bad = bool(p.is_boilerplate)  # type: ignore[attr-defined]
            cls = str(p.class_type)  # type: ignore[attr-defined]
            out[i] = ("boilerplate" if bad else "body", f"justext:{cls}", None)
        return out

    return decide, ""


# --------------------------------------------------------------------------- scoring


@dataclass
class ErrorLine:
    aid: str
    line: int
    gold: str
    pred: str
    rule: str


@dataclass
class Score:
    name: str
    articles: int = 0
    lines: int = 0
    furniture: int = 0
    exact: int = 0
    keep_ok: int = 0
    missing: int = 0  # gold lines without a decision
    extra: int = 0  # decisions on lines the gold does not have (blank lines)
    drift: int = 0  # decisions whose .text does not hash to the gold line (index drift)
    remaining: collections.Counter[str] = field(default_factory=collections.Counter)
    lost: collections.Counter[tuple[str, str]] = field(default_factory=collections.Counter)
    removed_furniture: int = 0
    errors: list[ErrorLine] = field(default_factory=list)
    seconds: float = 0.0
    exact_labels: bool = True
    crashed: int = 0  # articles on which the system raised (their lines count as missing)
    first_crash: str = ""

    @property
    def real(self) -> int:
        return self.lines - self.furniture


def score(
    name: str,
    decide: Decider,
    gold: dict[str, list[GoldLine]],
    articles: dict[str, dict[str, str]],
    *,
    exact_labels: bool = True,
) -> Score:
    """Score one system on the gold (``exact_labels``: the system gives warta's label set)."""
    sc = Score(name)
    t0 = time.perf_counter()
    for aid, rows in gold.items():
        try:
            dec = decide(articles[aid]["isi_berita"])
        except Exception as exc:  # noqa: BLE001 - a crashing labeller is reported, not fatal
            sc.crashed += 1
            if not sc.first_crash:
                sc.first_crash = f"article {aid}: {type(exc).__name__}: {exc}"
            dec = {}
        sc.articles += 1
        gold_idx = {r.line for r in rows}
        sc.extra += sum(1 for i in dec if i not in gold_idx)
        for r in rows:
            sc.lines += 1
            pred, rule, text = dec.get(r.line, (MISSING, "", None))
            if pred == MISSING:
                sc.missing += 1
            if text is not None and line_sha1(text.strip()) != r.sha1:
                sc.drift += 1
            g_kept = r.label in KEPT
            p_kept = pred in KEPT
            if not g_kept:
                sc.furniture += 1
            if pred == r.label:
                sc.exact += 1
            if g_kept == p_kept:
                sc.keep_ok += 1
                if not g_kept:
                    sc.removed_furniture += 1
            elif not g_kept:
                sc.remaining[r.label] += 1
            else:
                sc.lost[(pred, rule)] += 1
            if g_kept != p_kept or (exact_labels and pred != r.label):
                sc.errors.append(ErrorLine(aid, r.line, r.label, pred, rule))
    sc.seconds = time.perf_counter() - t0
    sc.exact_labels = exact_labels
    return sc


def coarse_counts(decide: Decider | None, articles: dict[str, dict[str, str]]) -> dict[str, int]:
    """Lines of the four coarse kinds left in (kept) over all articles; raw counts if decide is None."""
    c = {"SCROLL TO CONTINUE WITH CONTENT": 0, "ADVERTISEMENT": 0, "Simak...": 0, "Baca juga...": 0}
    for a in articles.values():
        text = a["isi_berita"]
        try:
            dec = decide(text) if decide is not None else None
        except Exception:  # noqa: BLE001 - counted as "crashed", its lines as removed
            c["crashed"] = c.get("crashed", 0) + 1
            dec = {}
        for i, raw in enumerate(split_lines(text)):
            s = raw.strip()
            if not s:
                continue
            if dec is not None and dec.get(i, (MISSING, "", None))[0] not in KEPT:
                continue
            if s == "SCROLL TO CONTINUE WITH CONTENT":
                c["SCROLL TO CONTINUE WITH CONTENT"] += 1
            elif s == "ADVERTISEMENT":
                c["ADVERTISEMENT"] += 1
            elif s.startswith("Simak"):
                c["Simak..."] += 1
            elif s.lower().startswith("baca juga"):
                c["Baca juga..."] += 1
    return c


# --------------------------------------------------------------------------- report


def _pct(n: int, d: int) -> str:
    return f"{100.0 * n / d:5.1f}%" if d else "   n/a"


def report(scores: list[Score], gold: dict[str, list[GoldLine]]) -> None:
    s0 = scores[0]
    labels = collections.Counter(r.label for rows in gold.values() for r in rows)
    checked = sum(r.checked for rows in gold.values() for r in rows)
    print(f"gold: {s0.articles} articles, {s0.lines} non-blank lines ({checked} hand-checked)")
    print(f"      real lines (body/crosshead): {s0.real}; furniture lines: {s0.furniture}")
    print("      by label: " + ", ".join(f"{k} {v}" for k, v in labels.most_common()))
    print()
    w = 12
    head = f"{'':34}" + "".join(f"{s.name:>{w}}" for s in scores)
    print(head)
    print("-" * len(head))

    def row(title: str, vals: list[str]) -> None:
        print(f"{title:34}" + "".join(f"{v:>{w}}" for v in vals))

    row("kept/removed accuracy", [_pct(s.keep_ok, s.lines) for s in scores])
    row(
        "exact label accuracy",
        [_pct(s.exact, s.lines) if s.exact_labels else "n/a" for s in scores],
    )
    row("furniture removed", [f"{s.removed_furniture}/{s.furniture}" for s in scores])
    row("furniture REMAINING", [str(sum(s.remaining.values())) for s in scores])
    row("real lines LOST", [f"{sum(s.lost.values())}/{s.real}" for s in scores])
    row("articles where it raised", [str(s.crashed) for s in scores])
    row("lines with no decision", [str(s.missing) for s in scores])
    row("decisions on non-gold lines", [str(s.extra) for s in scores])
    row("decision text != gold line", [str(s.drift) for s in scores])
    row("seconds", [f"{s.seconds:.2f}" for s in scores])
    for s in scores:
        print()
        if s.crashed:
            print(f"[{s.name}] RAISED on {s.crashed}/{s.articles} articles; first: {s.first_crash}")
            print(f"[{s.name}] (lines of those articles count as 'no decision', i.e. removed)")
        print(f"[{s.name}] furniture REMAINING by gold label:", end="")
        print(" none" if not s.remaining else "")
        for lab, n in s.remaining.most_common():
            print(f"    {lab:<12} {n}")
        print(f"[{s.name}] real lines LOST by {s.name} label / rule:", end="")
        print(" none" if not s.lost else "")
        for (lab, rule), n in s.lost.most_common():
            print(f"    {lab:<12} {rule or '-':<40} {n}")


def show_errors(s: Score, articles: dict[str, dict[str, str]]) -> None:
    print()
    print(f"[{s.name}] errors ({len(s.errors)}):")
    for e in s.errors:
        text = split_lines(articles[e.aid]["isi_berita"])[e.line].strip()
        if len(text) > 110:
            text = text[:80] + " ... " + text[-25:]
        g_kept, p_kept = e.gold in KEPT, e.pred in KEPT
        kind = "label" if g_kept == p_kept else "LOST" if g_kept else "REMAINS"
        print(
            f"  {e.aid:>4}:{e.line:<3} {kind:<8} gold={e.gold:<11} {s.name}={e.pred:<11} {e.rule:<28} {text}"
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="warta vs jusText on the detik line gold")
    ap.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument(
        "--show-errors", action="store_true", help="list each wrong line (terminal only)"
    )
    ap.add_argument("--no-justext", action="store_true", help="skip the jusText peer")
    ap.add_argument("--no-all", action="store_true", help="skip the coarse check over all articles")
    args = ap.parse_args(argv)

    if not args.csv.exists():
        print(f"detik CSV not found: {args.csv} (it lives in ../shared/data)", file=sys.stderr)
        return 2
    articles = read_articles(args.csv)
    try:
        gold = load_gold(args.gold)
        verify_gold(gold, articles)
    except (GoldError, OSError) as exc:
        print(f"GOLD CHECK FAILED: {exc}", file=sys.stderr)
        return 3

    systems: list[tuple[str, Decider, bool]] = []
    warta_decide, why = import_warta()
    if warta_decide is None:
        print(
            "NOTE: warta's line labeller is not available: "
            f"`from warta.clean.lines import label_lines` failed ({why}).\n"
            "Only the jusText peer is scored below; the exit status is 1.\n"
        )
    else:
        systems.append(("warta", warta_decide, True))
    if not args.no_justext:
        jt, jwhy = justext_decider()
        if jt is None:
            print(f"jusText is not available ({jwhy}); install warta[bench].", file=sys.stderr)
        else:
            systems.append(("jusText", jt, False))
    if not systems:
        print("nothing to score.", file=sys.stderr)
        return 2

    scores = [score(n, d, gold, articles, exact_labels=x) for n, d, x in systems]
    report(scores, gold)
    if args.show_errors:
        for sc in scores:
            show_errors(sc, articles)

    if not args.no_all:
        print()
        print(
            f"coarse check over all {len(articles)} articles (lines left in; 'raw' = before cleaning):"
        )
        cols = [("raw", coarse_counts(None, articles))]
        for name, decide, _ in systems:
            t0 = time.perf_counter()
            cols.append((name, coarse_counts(decide, articles)))
            cols[-1][1]["seconds"] = round(time.perf_counter() - t0, 1)  # type: ignore[assignment]
        keys = [
            "SCROLL TO CONTINUE WITH CONTENT",
            "ADVERTISEMENT",
            "Simak...",
            "Baca juga...",
            "seconds",
        ]
        print(f"{'':34}" + "".join(f"{n:>12}" for n, _ in cols))
        for k in keys:
            print(f"{k:34}" + "".join(f"{c.get(k, ''):>12}" for _, c in cols))
        print(
            "  ('Simak...' also counts real sentences such as 'Simak informasinya!'; coarse only)"
        )
    warta_ok = warta_decide is not None and not any(s.crashed for s in scores if s.name == "warta")
    return 0 if warta_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
