"""Record metadata through the whole cleaning pipeline: title, authors, publish time, outlet.

    .venv/bin/python bench/record_metadata.py [--list]

Runs :func:`warta.api.extract_text` (the default pipeline, as ``warta extract`` does) on

* ``news_html_anpandu`` (26 pages, gold title, outlet and publish instant),
* ``news_html_slasher`` (10 pages, gold outlet only),
* ``fundus_news_pages`` (82 pages from 61 publishers; gold title, authors and publish time;
  the gold of a publisher's n-th page in date order is its n-th layout version),

each page given its URL, as a crawler would, and again without it, as ``warta extract FILE``
reads a saved page. It prints, per set:

* title: exact after white space is collapsed, case-insensitive;
* authors: the same set of names (case-insensitive), over pages whose gold names people;
* publish time (pages whose gold has one): ``instant`` when the record's instant equals the
  gold's to the minute; ``day`` when it has no instant but its stated local date is the gold's
  local date; ``invented`` when it is wrong by a whole number of hours (the wall clock right,
  the offset guessed wrongly); ``wrong``, ``missing``; pages that crash count as misses;
* precision: how many records state a second, minute, day, or nothing;
* outlet: anpandu's gold outlet name (its `outlet` field, compared case-insensitively), and for
  every set the records with no outlet and the outlets seen, to read.

Data: ../shared/data (SOURCES.md); nothing of it is copied here.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"


@dataclass(frozen=True)
class Gold:
    name: str
    path: Path
    url: str | None
    title: str | None
    authors: list[str] | None
    published: datetime | None  # aware
    outlet: str | None


def _anpandu() -> list[Gold]:
    out = []
    for line in (DATA / "news_html_anpandu" / "gold.jsonl").read_text().splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        when = datetime.fromisoformat(row["date_utc"].replace("Z", "+00:00"))
        out.append(
            Gold(
                f"anpandu/{row['file']}",
                DATA / "news_html_anpandu" / row["file"],
                row["url"],
                row["title"],
                None,
                when,
                row["outlet"],
            )
        )
    return out


def _slasher() -> list[Gold]:
    out = []
    for line in (DATA / "news_html_slasher" / "gold.jsonl").read_text().splitlines():
        if line.strip():
            row = json.loads(line)
            path = DATA / "news_html_slasher" / row["file"]
            out.append(Gold(f"slasher/{row['file']}", path, row["url"], None, None, None, None))
    return out


def _fundus() -> list[Gold]:
    out = []
    root = DATA / "fundus_news_pages"
    for country in sorted(p for p in root.iterdir() if p.is_dir()):
        info = json.loads((country / "meta.info").read_text())
        for gold_file in sorted(country.glob("*.json")):
            publisher = gold_file.stem
            versions = json.loads(gold_file.read_text())
            pages = sorted(country.glob(f"{publisher}_*.html.gz"), key=lambda p: p.name)
            for page, key in zip(pages, sorted(versions, key=lambda k: int(k[1:]))):
                gold = versions[key]
                raw = gold.get("publishing_date")
                when = datetime.fromisoformat(raw) if raw else None
                out.append(
                    Gold(
                        f"fundus/{country.name}/{page.name}",
                        page,
                        info.get(page.name, {}).get("url"),
                        gold.get("title"),
                        list(gold.get("authors") or []),
                        when if when is None or when.tzinfo else None,
                        None,
                    )
                )
    return out


def _norm(text: str | None) -> str:
    return " ".join((text or "").split())


def _time_verdict(article: Any, want: datetime | None) -> str:
    got = article.published
    if want is None:
        return "no gold"
    if got is not None:
        delta = abs(got.astimezone(UTC) - want.astimezone(UTC))
        if delta < timedelta(minutes=1):
            return "instant"
        hours = delta / timedelta(hours=1)
        if delta < timedelta(hours=15) and abs(hours - round(hours)) < 1 / 60:
            return "invented"  # the wall clock right, the offset guessed wrongly
        return "wrong"
    local = getattr(article, "published_local", None)
    if local and local[:10] == want.date().isoformat():
        return "day"
    return "missing" if not local else "wrong"


def run(rows: list[Gold], *, with_url: bool, listing: bool) -> dict[str, Any]:
    from warta.api import extract_text

    c: Counter[str] = Counter()
    outlets: Counter[str] = Counter()
    for g in rows:
        data = gzip.decompress(g.path.read_bytes())
        try:
            a = extract_text(data, source=str(g.path), url=g.url if with_url else None)
        except Exception as exc:  # noqa: BLE001 - a crash is a miss, counted
            c["crash"] += 1
            print(f"  CRASH {g.name}: {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        if a.errors:
            c[f"failed:{a.errors[0].reason}"] += 1
        c["pages"] += 1
        if g.title is not None:
            c["title_gold"] += 1
            c["title_exact"] += _norm(a.title) == _norm(g.title)
            c["title_ci"] += _norm(a.title).casefold() == _norm(g.title).casefold()
        if g.authors:
            c["authors_gold"] += 1
            c["authors_same"] += {n.casefold() for n in a.authors} == {
                n.casefold() for n in g.authors
            }
        verdict = _time_verdict(a, g.published)
        c[f"time:{verdict}"] += 1
        c[
            f"precision:{getattr(a, 'published_precision', None) or ('?' if a.published else 'none')}"
        ] += 1
        if g.outlet is not None:
            c["outlet_gold"] += 1
            c["outlet_same"] += (a.outlet or "").casefold() == g.outlet.casefold()
        outlets[a.outlet or "-"] += 1
        if listing:
            print(
                f"  {g.name}: outlet {a.outlet!r} published {a.published} "
                f"local {getattr(a, 'published_local', None)} [{verdict}] "
                f"gold {g.published} authors {a.authors} / {g.authors}"
            )
    return {"counts": c, "outlets": outlets}


def _report(label: str, result: dict[str, Any]) -> None:
    c = result["counts"]

    def frac(k: str, n: str) -> str:
        return f"{c[k]}/{c[n]}" if c[n] else "-"

    times = {k.split(":", 1)[1]: v for k, v in sorted(c.items()) if k.startswith("time:")}
    precision = {k.split(":", 1)[1]: v for k, v in sorted(c.items()) if k.startswith("precision:")}
    failed = {k: v for k, v in c.items() if k.startswith("failed:") or k == "crash"}
    print(
        f"{label}: {c['pages']} records; title exact {frac('title_exact', 'title_gold')}, "
        f"case-insensitive {frac('title_ci', 'title_gold')}; authors {frac('authors_same', 'authors_gold')}; "
        f"outlet {frac('outlet_same', 'outlet_gold')}; no outlet {result['outlets'].get('-', 0)}"
    )
    print(f"    publish time {times}; precision {precision}; failed {failed}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--list", action="store_true", help="list every page")
    parser.add_argument("--outlets", action="store_true", help="list the outlets seen")
    args = parser.parse_args()
    if not (DATA / "fundus_news_pages").exists():
        print(f"{DATA} not present: nothing to measure", file=sys.stderr)
        return 1
    sets = {"anpandu": _anpandu(), "slasher": _slasher(), "fundus": _fundus()}
    for with_url in (True, False):
        print(f"== pages read {'with their URL' if with_url else 'as saved files (no URL)'}")
        for label, rows in sets.items():
            result = run(rows, with_url=with_url, listing=args.list)
            _report(label, result)
            if args.outlets:
                print(f"    outlets: {dict(result['outlets'].most_common())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
