"""Extraction on unseen outlets: warta vs trafilatura, readability-lxml, jusText and resiliparse
over ``../shared/data/fundus_news_pages`` (82 pages, 61 publishers, 18 countries).

    .venv/bin/python bench/fundus.py [--repeat N] [--per-page] [--json OUT] [--data DIR]

Pages and gold (the set's README): one folder per country; ``<Publisher>.json`` holds one gold
per page, keyed by layout version; the n-th key in sorted order is the gold of the publisher's
n-th page in date order (``<Publisher>_<YYYY_MM_DD>.html.gz``); ``meta.info`` gives each page's
URL. The gold body (CLARIFICATIONS, "Second wave") is the summary, then each section's
headlines and paragraphs, joined by newlines.

Held-out split, fixed before any result was looked at: the 61 publishers sorted by name
(case-folded, then country), every third one (index % 3 == 2) is held out. Figures are printed
for ``dev`` (the other two thirds, the only pages looked at while working on the extractor),
``held-out`` and ``all``. Never tune on held-out pages.

Systems: the wrappers of ``bench/html_extraction.py`` (warta's ``CLEAN_PIPELINE``, trafilatura
default, readability-lxml, resiliparse with ``main_content=True``), fed the same bytes; jusText
with the stoplist of the page's language: the ``<html lang>`` primary subtag where the page has
one, else the publisher country's language (table ``_COUNTRY_LANGUAGE``); for Chinese and
Japanese, which jusText has no stoplist for, its language-independent mode (empty stoplist,
``stopwords_low = stopwords_high = 0``).

Scoring: body P/R/F1 with the scorer of ``bench/html_extraction.py`` (imported, not copied):
4-token shingles of ``\\w+`` tokens after NFC and the removal of a leading dateline credit,
micro-averaged (pooled shingle counts). Chinese and Japanese have no spaces, so a "token" there
is a run between punctuation marks (a clause): the score is coarser on those pages, but the same
for every system. Title: equal to the gold title after whitespace is collapsed. Authors: the
set of names, case-folded and whitespace-collapsed, equals the gold set (pages whose gold lists
authors; trafilatura's "A; B" string is split at ";"). Date: the calendar day the system gives,
as written in its own offset, equals the gold's day as written in the gold's offset, or in UTC
(pages whose gold has a publishing date). Pages/s: as in ``html_extraction.py`` (warm-up on the
first page, every pass timed, one process); "x traf" = rate / trafilatura's rate in this run.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from html_data import HtmlPage, sniff_charset  # noqa: E402
from html_extraction import (  # noqa: E402
    Output,
    System,
    norm_title,
    overlap,
    parse_when,
    prf,
    readability_system,
    resiliparse_system,
)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "fundus_news_pages"
#: A page's language when its <html> names none (the publishers' publishing language).
_COUNTRY_LANGUAGE = {"cn": "zh", "il": "de", "jp": "ja", "tr": "tr", "kr": "ko", "vn": "vi"}
_JUSTEXT_LANGUAGES = {
    "en": "English", "de": "German", "id": "Indonesian", "tr": "Turkish", "ko": "Korean",
    "vi": "Vietnamese", "ar": "Arabic", "hi": "Hindi", "ms": "Malay", "fr": "French",
}  # fmt: skip
_HTML_LANG = re.compile(rb"<html[^>]*?\slang\s*=\s*[\"']?([A-Za-z]{2,3})", re.I)
_PAGE_DATE = re.compile(r"^(?P<publisher>.+)_(?P<date>\d{4}_\d{2}_\d{2})\.html\.gz$")


@dataclass(frozen=True, slots=True)
class FundusPage:
    country: str
    publisher: str
    split: str  # "dev" | "held-out"
    page: HtmlPage
    gold_authors: tuple[str, ...]
    gold_date: str | None  # ISO 8601 as the gold gives it (offset or naive)


def held_out_publishers(publishers: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
    """The fixed held-out third: (publisher, country) sorted by case-folded name, then country;
    every third one, index % 3 == 2."""
    ordered = sorted(set(publishers), key=lambda pc: (pc[0].casefold(), pc[1]))
    return {pc for i, pc in enumerate(ordered) if i % 3 == 2}


def gold_body(body: dict[str, Any] | None) -> str:
    """Summary, then each section's headlines and paragraphs, one per line."""
    if not body:
        return ""
    parts: list[str] = list(body.get("summary") or [])
    for section in body.get("sections") or []:
        parts.extend(section.get("headline") or [])
        parts.extend(section.get("paragraphs") or [])
    return "\n".join(p for p in parts if p.strip())


def _language(html: bytes, country: str) -> str:
    m = _HTML_LANG.search(html[:4096])
    return m.group(1).decode("ascii").lower() if m else _COUNTRY_LANGUAGE.get(country, "en")


def load_fundus(data: Path = DATA) -> list[FundusPage]:
    """Every page with its gold (raises FileNotFoundError when the set is not there)."""
    if not (data / "README.md").is_file():
        raise FileNotFoundError(f"{data} not found")
    rows: list[tuple[str, str, Path, dict[str, Any], str]] = []
    for folder in sorted(p for p in data.iterdir() if p.is_dir()):
        info = json.loads((folder / "meta.info").read_text(encoding="utf-8"))
        files: dict[str, list[Path]] = {}
        for path in folder.glob("*.html.gz"):
            m = _PAGE_DATE.match(path.name)
            if m is None:
                raise ValueError(f"{path}: not <Publisher>_<YYYY_MM_DD>.html.gz")
            files.setdefault(m.group("publisher"), []).append(path)
        for publisher, paths in sorted(files.items()):
            gold = json.loads((folder / f"{publisher}.json").read_text(encoding="utf-8"))
            versions = sorted(gold)
            paths.sort(key=lambda p: str(_PAGE_DATE.match(p.name).group("date")))  # type: ignore[union-attr]
            if len(versions) != len(paths):
                raise ValueError(f"{folder / publisher}: {len(paths)} pages, {len(versions)} golds")
            for path, version in zip(paths, versions):
                rows.append((folder.name, publisher, path, gold[version], info[path.name]["url"]))
    held = held_out_publishers([(pub, country) for country, pub, *_ in rows])
    pages = []
    for country, publisher, path, gold, url in rows:
        with gzip.open(path, "rb") as fh:
            html = fh.read()
        page = HtmlPage(
            dataset=f"fundus_{country}",
            file=path.name,
            outlet=publisher,
            language=_language(html, country),
            url=url,
            html=html,
            charset=sniff_charset(html),
            gold_title=gold.get("title") or "",
            gold_body=gold_body(gold.get("body")),
            body_concatenated=False,
            gold_published=None,
        )
        split = "held-out" if (publisher, country) in held else "dev"
        authors = tuple(gold.get("authors") or ())
        pages.append(
            FundusPage(country, publisher, split, page, authors, gold.get("publishing_date"))
        )
    return pages


# ----------------------------------------------------------------------------- systems


def justext_system() -> System:
    import justext

    def run(page: HtmlPage) -> Output:
        name = _JUSTEXT_LANGUAGES.get(page.language)
        if name is None:  # no stoplist (zh, ja): jusText's language-independent mode
            paras = justext.justext(page.html, frozenset(), stopwords_low=0, stopwords_high=0)
        else:
            paras = justext.justext(page.html, justext.get_stoplist(name))
        return Output("\n".join(p.text for p in paras if not p.is_boilerplate))

    return System("justext", run, False, False)


@dataclass
class Named(Output):
    """An output with the authors the system names (None: it names none by design)."""

    authors: list[str] | None = None


def warta_named() -> System:
    """warta as ``html_extraction.warta_system`` runs it, keeping the record's authors."""
    from warta.api import extract_text
    from warta.run.pipeline import CLEAN_PIPELINE

    def run(page: HtmlPage) -> Output:
        art = extract_text(
            page.html, source=page.name, url=page.url, content_type="text/html",
            spec=CLEAN_PIPELINE,
        )  # fmt: skip
        if art.errors and not art.body:
            err = art.errors[0]
            raise RuntimeError(f"{err.stage}: {err.reason}: {err.message}")
        return Named(art.body, art.title, art.published, list(art.authors))

    return System("warta", run, True, True)


def trafilatura_named() -> System:
    """trafilatura default as ``html_extraction`` runs it; its "A; B" author string split."""
    import trafilatura

    def run(page: HtmlPage) -> Output:
        doc = trafilatura.bare_extraction(page.html, url=page.url, with_metadata=True)
        if doc is None:
            return Named(authors=[])
        body = "\n".join(p for p in (doc.text or "", doc.comments or "") if p)  # type: ignore[union-attr]
        author = doc.author or ""  # type: ignore[union-attr]
        names = [a.strip() for a in author.split(";") if a.strip()]
        return Named(body, doc.title, doc.date, names)  # type: ignore[union-attr]

    return System("trafilatura", run, True, True)


_NAMES_AUTHORS = frozenset({"warta", "trafilatura"})


def systems() -> list[System]:
    return [warta_named(), trafilatura_named(), readability_system(), justext_system(),
            resiliparse_system()]  # fmt: skip


# ----------------------------------------------------------------------------- scoring


@dataclass(slots=True)
class Score:
    page: FundusPage
    inter: int
    n_ext: int
    n_gold: int
    title_ok: bool
    authors_ok: bool | None  # None: no gold authors, or the system gives none by design
    date_ok: bool | None
    empty: bool
    error: str | None


def _names(names: Sequence[str]) -> set[str]:
    return {" ".join(n.split()).casefold() for n in names if n.strip()}


def date_correct(value: object, gold: str) -> bool:
    try:
        want = datetime.fromisoformat(gold)
    except ValueError:
        return False
    _, day = parse_when(value)
    days = {want.date()}
    if want.tzinfo is not None:
        days.add(want.astimezone(UTC).date())
    return day is not None and day in days


def score(system: System, fp: FundusPage, out: Output, error: str | None) -> Score:
    inter, n_ext, n_gold = overlap(out.body, fp.page.gold_body)
    want, got = norm_title(fp.page.gold_title), norm_title(out.title)
    authors_ok = None
    authors = out.authors if isinstance(out, Named) else None
    if authors is None and system.name in _NAMES_AUTHORS:
        authors = []  # the call failed: no names
    if fp.gold_authors and authors is not None:
        authors_ok = _names(authors) == _names(fp.gold_authors)
    date_ok = None
    if fp.gold_date and system.gives_date:
        date_ok = date_correct(out.published, fp.gold_date)
    return Score(fp, inter, n_ext, n_gold, bool(got) and got == want, authors_ok, date_ok,
                 not out.body.strip(), error)  # fmt: skip


@dataclass(slots=True)
class Run:
    system: System
    scores: list[Score]
    seconds: float


def run(system: System, pages: list[FundusPage], repeat: int) -> Run:
    import time

    try:
        system.run(pages[0].page)  # warm-up, untimed
    except Exception:
        pass
    scores: list[Score] = []
    seconds = 0.0
    for rep in range(repeat):
        for fp in pages:
            error = None
            t0 = time.perf_counter()
            try:
                out = system.run(fp.page)
            except Exception as exc:
                out, error = Output(), f"{type(exc).__name__}: {exc}"[:120]
            seconds += time.perf_counter() - t0
            if rep == 0:
                scores.append(score(system, fp, out, error))
    return Run(system, scores, seconds / repeat)


def _acc(values: Sequence[bool | None]) -> str:
    known = [v for v in values if v is not None]
    return "   n/a" if not known else f"{100 * sum(known) / len(known):6.1f}"


def _row(name: str, scores: list[Score], gives_title: bool, pps: str) -> str:
    inter = sum(s.inter for s in scores)
    p, r, f = prf(inter, sum(s.n_ext for s in scores), sum(s.n_gold for s in scores))
    title = _acc([s.title_ok for s in scores]) if gives_title else "   n/a"
    empty = sum(s.empty and bool(s.page.page.gold_body) for s in scores)
    return (
        f"{name:<14} {100 * p:6.1f} {100 * r:6.1f} {100 * f:6.1f} {title} "
        f"{_acc([s.authors_ok for s in scores])} {_acc([s.date_ok for s in scores])} "
        f"{empty:>5} {pps}"
    )


_HEAD = (
    f"{'system':<14} {'P':>6} {'R':>6} {'F1':>6} {'title':>6} {'auth':>6} {'date':>6} {'empty':>5}"
)


def print_report(runs: list[Run], per_page: bool) -> None:
    n = len(runs[0].scores)
    base = next((len(r.scores) / r.seconds for r in runs if r.system.name == "trafilatura"), None)
    for split in ("dev", "held-out", "all"):
        print(f"\n== {split} ==")
        print(_HEAD + f" {'pages/s':>8} {'x traf':>6}")
        for r in runs:
            scores = [s for s in r.scores if split == "all" or s.page.split == split]
            rate = n / r.seconds if r.seconds else 0.0
            pps = f"{rate:8.1f} {rate / base:6.2f}" if split == "all" and base else ""
            print(_row(r.system.name, scores, r.system.gives_title, pps).rstrip())
        counts = [s for s in runs[0].scores if split == "all" or s.page.split == split]
        pubs = {(s.page.publisher, s.page.country) for s in counts}
        print(f"({len(counts)} pages, {len(pubs)} publishers)")
    print("\n== per country (all pages) ==")
    countries = sorted({s.page.country for s in runs[0].scores})
    for country in countries:
        some = [s for s in runs[0].scores if s.page.country == country]
        pubs = sorted({s.page.publisher for s in some})
        print(f"\n{country}: {len(some)} pages ({', '.join(pubs)})")
        print(_HEAD)
        for r in runs:
            scores = [s for s in r.scores if s.page.country == country]
            print(_row(r.system.name, scores, r.system.gives_title, "").rstrip())
    for r in runs:
        for s in r.scores:
            if s.error and s.page.split == "dev":
                print(f"error: {r.system.name} on {s.page.page.name}: {s.error} (scored 0)")
    if per_page:
        print(
            "\nper-page body F1 (%), dev pages only: held-out pages are never looked at one by one"
        )
        print(f"{'page':<44}" + "".join(f" {r.system.name[:8]:>8}" for r in runs))
        for i, s0 in enumerate(runs[0].scores):
            if s0.page.split != "dev":
                continue
            cells = []
            for r in runs:
                s = r.scores[i]
                f = prf(s.inter, s.n_ext, s.n_gold)[2]
                cells.append(f" {'ERR' if s.error else f'{100 * f:.1f}':>8}")
            print(f"{s0.page.page.name:<44}" + "".join(cells))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the fundus_news_pages folder")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes (default 3)")
    parser.add_argument(
        "--per-page", action="store_true", help="print each dev page's body F1 (never held-out)"
    )
    parser.add_argument("--only", help="run only these systems (comma-separated names)")
    parser.add_argument("--json", metavar="OUT", type=Path, help="write per-page figures as JSON")
    args = parser.parse_args(argv)
    try:
        pages = load_fundus(args.data)
    except (FileNotFoundError, ValueError) as exc:
        print(f"fundus: {exc}", file=sys.stderr)
        return 2
    held = sum(p.split == "held-out" for p in pages)
    print(
        f"{len(pages)} pages, {len({(p.publisher, p.country) for p in pages})} publishers, "
        f"{len({p.country for p in pages})} countries; held-out: every third publisher in sorted "
        f"order ({held} pages); body: 4-token shingles (bench/html_extraction.py scorer)"
    )
    chosen = systems()
    if args.only:
        wanted = set(args.only.split(","))
        chosen = [s for s in chosen if s.name in wanted]
    runs: list[Run] = []
    for system in chosen:
        try:
            runs.append(run(system, pages, max(1, args.repeat)))
        except Exception:  # a harness bug for one system must not hide the others
            traceback.print_exc()
    print_report(runs, args.per_page)
    if args.json:
        payload = {
            r.system.name: [
                {"page": s.page.page.name, "split": s.page.split, "inter": s.inter,
                 "n_ext": s.n_ext, "n_gold": s.n_gold, "title_ok": s.title_ok,
                 "authors_ok": s.authors_ok, "date_ok": s.date_ok, "error": s.error}
                for s in r.scores
            ]
            for r in runs
        }  # fmt: skip
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
