"""HTML extraction benchmark: warta vs trafilatura, readability-lxml, jusText and resiliparse.

    .venv/bin/python bench/html_extraction.py [--per-page] [--json OUT] [--data DIR]

Pages: the 36 raw news pages with a gold body of ``../shared/data`` (SOURCES.md §6, loaded by
``bench/html_data.py``): 26 from ``news_html_anpandu`` (body, title, publish time) and 10 from
``news_html_slasher`` (body and ``<title>``). All pages are read (gunzipped) into memory first;
every system then runs over all of them in this one process.

Systems and how each is fed (bytes where the system accepts bytes):

* ``warta``: ``warta.api.extract_text(html_bytes, source=name, url=url,
  content_type="text/html")`` -> ``.body``, ``.title``, ``.published``. When the call is refused
  (no ``content_type`` yet) or the first page comes back with errors and no body, warta is listed
  as ``unavailable: <reason>`` and the peers still run.
* ``trafilatura`` (default), ``trafilatura-precision`` (``favor_precision=True``),
  ``trafilatura-fast`` (``fast=True``): one ``trafilatura.bare_extraction(html_bytes, url=url,
  with_metadata=True, ...)`` per page: body = ``.text`` plus ``.comments`` (what
  ``extract(output_format="txt", with_metadata=False)`` prints: the same tree serialised the
  same way), title = ``.title``, date = ``.date`` as trafilatura's metadata pass (htmldate) gives
  it (a day, "YYYY-MM-DD", so its publish-time-to-the-minute score is 0 by construction). One
  call instead of ``extract`` + ``extract_metadata`` avoids parsing each page twice.
* ``readability``: ``readability.Document(html_bytes)``; body = ``.summary()`` turned into text
  with lxml (a newline after every block element); title = ``.short_title()``; no date.
* ``justext``: ``justext.justext(html_bytes, stoplist)`` with the Indonesian stoplist for ``id``
  pages and the English one for ``en``; body = the good paragraphs joined by newlines; no title,
  no date.
* ``resiliparse``: ``HTMLTree.parse_from_bytes(html_bytes, encoding=<declared charset, else
  UTF-8>, errors="replace")``; body = ``extract_plain_text(tree, main_content=True)``; title =
  ``tree.title``; no date. (The three pages that declare iso-8859-1 are in fact UTF-8 whose only
  non-ASCII bytes are in a copyright line, so the declared charset costs no scored token.)

Each system is warmed up once on the first page (untimed); then every page is timed (the full
call: body, title and date) over ``--repeat`` passes (default 3; the first pass is scored, the
outputs are deterministic); pages/s = pages x passes / summed seconds, one process, one core;
"x traf" is that rate divided by trafilatura default's. An exception on a page is caught and counted, and the page scores 0 (empty
body, no title, no date) for that system; the errors are printed.

Scoring (every system and the gold go through the same functions):

1. ``normalise``: Unicode NFC.
2. ``strip_credit`` (CLARIFICATIONS, "Web input"): some anpandu gold bodies keep the dateline
   credit ("JAKARTA, KOMPAS.com - ", "Jakarta (ANTARA News) - ") and warta splits it off, so a
   credit prefix at the very start of the text is removed from the gold *and* from every system's
   output before scoring. The generic shape: up to three comma-separated name parts of at most
   four words each starting with a capital or a digit, or a domain ("VIVA.co.id",
   "TRIBUNNEWS.COM", "23 Februari 2016"), an optional parenthesised part ("(ANTARA News)"),
   optionally one more name part, then a dash (-, --, –, —), whitespace and a capital, digit,
   quote or bracket opening the lead; at most 90
   characters. Also removed: a one- or two-word capitalised place and a full stop opening the
   text ("Jakarta. A bill ...", Jakarta Globe style). Nothing else is removed.
3. Tokens: ``\\w+`` runs of the lower-cased text, after splitting letter runs at case boundaries
   (lower->Upper "landThe", Upper->Upper+lower "ASKisah", digit->Upper+lower). Why: the slasher
   gold concatenates paragraphs without a separator. Where a paragraph ends in punctuation
   ("Rp 200 juta.Pengalaman") ``\\w+`` already splits the words (so inserting a space after
   [.!?"] before a capital, the other option, would change nothing); the joins that glue two
   words are letter-letter joins, and a case boundary marks them. The split is applied to every
   text (gold and all systems, both sets), so a real camel-case word ("KLovers") becomes the
   same two tokens on both sides and costs nothing. A join where the next paragraph starts in
   lower case cannot be seen and stays glued (none was found in this gold).
4. Shingles: every run of 4 consecutive tokens, as a multiset. Per page, with E the extraction's
   shingles and G the gold's: overlap = |E ∩ G| (multiset), P = overlap / |E|, R = overlap / |G|,
   F1 = 2PR / (P + R) (0 when the extraction is empty).
5. Micro average: P = Σ overlap / Σ |E|, R = Σ overlap / Σ |G| over all 36 pages, F1 from those.
   Macro average: the mean of the per-page F1.

Title accuracy (36 pages): the system's title equals the gold title after whitespace is
collapsed and trimmed ("exact"), and the same compared case-folded ("ci"). Gold: anpandu
``title``; slasher ``html_title`` minus the trailing " - Outlet ..." segment
(``html_data.strip_title_suffix``: the part after the last " - ", " | ", " :: ", " – ", " — " or
" » " is dropped when it names the outlet's domain word, e.g. " - Kompas.com Bola",
" | The Jakarta Post", " :: Okezone News"). A system's title is taken as it gives it.

Publish time (the 26 anpandu pages; gold ``date_epoch_ms``, UTC): "time" = the system gives an
offset-aware time whose UTC instant equals the gold's to the minute (seconds dropped on both
sides); a date without a time, or a naive time, is wrong. "date" = the calendar day the system
gives (as written, in its own offset) equals the gold instant's day in UTC or in Jakarta time
(UTC+07:00, the outlets' local time): the column for systems that only give a day.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import traceback
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from html_data import DATA, HtmlPage, load_pages, python_codec  # noqa: E402

SHINGLE = 4
WIB = timezone(timedelta(hours=7))

# ----------------------------------------------------------------------------- scoring

_UP = "A-ZÀ-ÖØ-Þ"
_LO = "a-zß-öø-ÿ"
_CASE_BOUNDARY = re.compile(
    rf"(?<=[{_LO}])(?=[{_UP}])|(?<=[{_UP}])(?=[{_UP}][{_LO}])|(?<=[0-9])(?=[{_UP}][{_LO}])"
)
_TOKEN = re.compile(r"\w+")

_WORD = r"(?:[A-Z0-9][\w.&'’/]*|[a-z][\w-]*\.(?:com|co|id|net|org)\b[\w.]*)"
_PART = rf"{_WORD}(?:[ ]{_WORD}){{0,3}}"
_CREDIT = re.compile(
    rf"^\s*(?:{_PART}(?:[ \t]*,[ \t]*{_PART}){{0,2}})(?:[ \t]*\([^()\n]{{2,40}}\))?"
    rf"(?:[ \t]*,[ \t]*{_PART})?[ \t]*(?:--|-|–|—)\s+(?=[A-Z0-9\"“'‘(])"
)
_PERIOD_DATELINE = re.compile(r"^\s*[A-Z][a-z]+(?: [A-Z][a-z]+)?\.\s+(?=[A-Z\"“])")
_CREDIT_MAX = 90


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def strip_credit(text: str) -> str:
    """``text`` without a dateline credit prefix at its start (see the module docstring)."""
    m = _CREDIT.match(text)
    if m is not None and len(m.group(0).strip()) <= _CREDIT_MAX:
        return text[m.end() :]
    m = _PERIOD_DATELINE.match(text)
    if m is not None:
        return text[m.end() :]
    return text


def tokens(text: str) -> list[str]:
    """Lower-cased ``\\w+`` tokens, letter runs split at case boundaries first."""
    return _TOKEN.findall(_CASE_BOUNDARY.sub(" ", text).lower())


def shingles(text: str, n: int = SHINGLE) -> Counter[tuple[str, ...]]:
    toks = tokens(strip_credit(normalise(text)))
    return Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))


def overlap(extracted: str, gold: str) -> tuple[int, int, int]:
    """(|E ∩ G|, |E|, |G|) over 4-token shingle multisets."""
    e, g = shingles(extracted), shingles(gold)
    return sum((e & g).values()), sum(e.values()), sum(g.values())


def prf(inter: int, n_ext: int, n_gold: int) -> tuple[float, float, float]:
    p = inter / n_ext if n_ext else 0.0
    r = inter / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def norm_title(title: str | None) -> str:
    return " ".join((title or "").split())


def parse_when(value: object) -> tuple[datetime | None, date | None]:
    """(aware datetime or None, calendar day or None) from what a system gives."""
    if value is None or value == "":
        return None, None
    if isinstance(value, datetime):
        return (value if value.tzinfo is not None else None), value.date()
    if isinstance(value, date):
        return None, value
    text = str(value).strip()
    try:
        if len(text) == 10:
            return None, date.fromisoformat(text)
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None, None
    return (dt if dt.tzinfo is not None else None), dt.date()


def time_correct(value: object, gold: datetime) -> tuple[bool, bool]:
    """(same UTC instant to the minute, same calendar day in UTC or WIB)."""
    when, day = parse_when(value)
    minute = when is not None and when.astimezone(UTC).replace(
        second=0, microsecond=0
    ) == gold.astimezone(UTC).replace(second=0, microsecond=0)
    day_ok = day is not None and day in (gold.astimezone(UTC).date(), gold.astimezone(WIB).date())
    return minute, day_ok


# ----------------------------------------------------------------------------- systems


@dataclass
class Output:
    body: str = ""
    title: str | None = None
    published: object = None


@dataclass
class System:
    name: str
    run: Callable[[HtmlPage], Output]
    gives_title: bool
    gives_date: bool
    unavailable: str | None = None


_BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr td th table blockquote pre section article "
    "header footer aside figure figcaption dd dt".split()
)


def fragment_text(fragment: str) -> str:
    """Text of an HTML fragment with a newline after every block element (lxml)."""
    import lxml.html

    if not fragment.strip():
        return ""
    root = lxml.html.fromstring(fragment)
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCK_TAGS:
            el.tail = "\n" + (el.tail or "")
    return str(root.text_content())


def warta_system() -> System:
    try:
        from warta.api import extract_text
        from warta.run.pipeline import CLEAN_PIPELINE
    except Exception as exc:  # pragma: no cover - warta is installed in .venv
        return System("warta", lambda p: Output(), True, True, f"import failed: {exc}")

    def run(page: HtmlPage) -> Output:
        # extraction only (CLEAN_PIPELINE): the peers do not tag entities either
        art = extract_text(
            page.html,
            source=page.name,
            url=page.url,
            content_type="text/html",
            spec=CLEAN_PIPELINE,
        )
        if art.errors and not art.body:
            err = art.errors[0]
            raise RuntimeError(f"{err.stage}: {err.reason}: {err.message}")
        return Output(art.body, art.title, art.published)

    return System("warta", run, True, True)


def trafilatura_system(name: str, **mode: bool) -> System:
    import trafilatura

    def run(page: HtmlPage) -> Output:
        doc = trafilatura.bare_extraction(page.html, url=page.url, with_metadata=True, **mode)
        if doc is None:
            return Output()
        parts = [doc.text or "", doc.comments or ""]  # type: ignore[union-attr]
        body = "\n".join(p for p in parts if p)
        return Output(body, doc.title, doc.date)  # type: ignore[union-attr]

    return System(name, run, True, True)


def readability_system() -> System:
    from readability import Document

    def run(page: HtmlPage) -> Output:
        doc = Document(page.html)
        return Output(fragment_text(doc.summary()), doc.short_title(), None)

    return System("readability", run, True, False)


def justext_system() -> System:
    import justext

    stoplists = {"id": justext.get_stoplist("Indonesian"), "en": justext.get_stoplist("English")}

    def run(page: HtmlPage) -> Output:
        paras = justext.justext(page.html, stoplists[page.language])
        return Output("\n".join(p.text for p in paras if not p.is_boilerplate))

    return System("justext", run, False, False)


def resiliparse_system() -> System:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    def run(page: HtmlPage) -> Output:
        tree = HTMLTree.parse_from_bytes(
            page.html, encoding=python_codec(page.charset), errors="replace"
        )
        return Output(extract_plain_text(tree, main_content=True), tree.title or None)

    return System("resiliparse", run, True, False)


def all_systems() -> list[System]:
    return [
        warta_system(),
        trafilatura_system("trafilatura"),
        trafilatura_system("trafilatura-precision", favor_precision=True),
        trafilatura_system("trafilatura-fast", fast=True),
        readability_system(),
        justext_system(),
        resiliparse_system(),
    ]


# ----------------------------------------------------------------------------- running


@dataclass
class PageResult:
    page: str
    f1: float
    p: float
    r: float
    inter: int
    n_ext: int
    n_gold: int
    title_exact: bool
    title_ci: bool
    time_ok: bool | None
    date_ok: bool | None
    empty: bool = False  # the system returned no body text
    error: str | None = None


@dataclass
class SystemResult:
    name: str
    unavailable: str | None = None
    seconds: float = 0.0
    pages: list[PageResult] = field(default_factory=list)
    gives_title: bool = True
    gives_date: bool = True

    def summary(self) -> dict[str, Any]:
        if self.unavailable is not None:
            return {"system": self.name, "unavailable": self.unavailable}
        n = len(self.pages)
        inter = sum(r.inter for r in self.pages)
        p, r, f = prf(inter, sum(r.n_ext for r in self.pages), sum(r.n_gold for r in self.pages))
        dated = [x for x in self.pages if x.time_ok is not None]
        return {
            "system": self.name,
            "pages": n,
            "errors": sum(r.error is not None for r in self.pages),
            "empty_bodies": sum(r.empty for r in self.pages),
            "micro_p": p,
            "micro_r": r,
            "micro_f1": f,
            "macro_f1": sum(x.f1 for x in self.pages) / n if n else 0.0,
            "title_exact": (sum(x.title_exact for x in self.pages) / n)
            if self.gives_title
            else None,
            "title_ci": (sum(x.title_ci for x in self.pages) / n) if self.gives_title else None,
            "time_acc": (sum(bool(x.time_ok) for x in dated) / len(dated))
            if self.gives_date and dated
            else None,
            "date_acc": (sum(bool(x.date_ok) for x in dated) / len(dated))
            if self.gives_date and dated
            else None,
            "dated_pages": len(dated),
            "seconds": self.seconds,
            "pages_per_s": n / self.seconds if self.seconds else None,
        }


def score_page(page: HtmlPage, out: Output, error: str | None) -> PageResult:
    inter, n_ext, n_gold = overlap(out.body, page.gold_body)
    p, r, f = prf(inter, n_ext, n_gold)
    want = norm_title(page.gold_title)
    got = norm_title(out.title)
    time_ok = date_ok = None
    if page.gold_published is not None:
        time_ok, date_ok = time_correct(out.published, page.gold_published)
    return PageResult(
        page.name, f, p, r, inter, n_ext, n_gold,
        title_exact=bool(got) and got == want,
        title_ci=bool(got) and got.casefold() == want.casefold(),
        time_ok=time_ok, date_ok=date_ok, empty=not out.body.strip(), error=error,
    )  # fmt: skip


def _short(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}".strip()


def run_system(system: System, pages: list[HtmlPage], repeat: int = 1) -> SystemResult:
    res = SystemResult(
        system.name, system.unavailable, 0.0, [], system.gives_title, system.gives_date
    )
    if system.unavailable is not None or not pages:
        return res
    try:  # warm-up, untimed; a failure here on warta means the HTML path is not there
        system.run(pages[0])
    except Exception as exc:
        if system.name == "warta":
            res.unavailable = _short(exc)
            return res
    for rep in range(repeat):  # every pass is timed; the first one is scored
        for page in pages:
            error = None
            t0 = time.perf_counter()
            try:
                out = system.run(page)
            except Exception as exc:
                out, error = Output(), _short(exc)
            res.seconds += time.perf_counter() - t0
            if rep == 0:
                res.pages.append(score_page(page, out, error))
    res.seconds /= repeat
    if system.name == "warta" and all(x.empty and x.error is None for x in res.pages):
        res.unavailable = (
            f"HTML path not in place: content_type accepted, but all {len(res.pages)} pages "
            "came back with an empty body and no error"
        )
    return res


def _pct(x: float | None) -> str:
    return "   n/a" if x is None else f"{100 * x:6.1f}"


def print_table(results: Iterable[SystemResult]) -> None:
    rows = [r.summary() for r in results]
    base = next(
        (r.get("pages_per_s") for r in rows if r["system"] == "trafilatura" and "pages" in r), None
    )
    head = (
        f"{'system':<22} {'P':>6} {'R':>6} {'F1':>6} {'macF1':>6} {'title':>6} {'ti-ci':>6} "
        f"{'time':>6} {'date':>6} {'pages/s':>8} {'x traf':>7} {'errors':>6} {'empty':>5}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        if "unavailable" in r:
            print(f"{r['system']:<22} unavailable: {r['unavailable']}")
            continue
        pps = r["pages_per_s"]
        ratio = f"{pps / base:7.2f}" if pps and base else "    n/a"
        print(
            f"{r['system']:<22} {_pct(r['micro_p'])} {_pct(r['micro_r'])} {_pct(r['micro_f1'])} "
            f"{_pct(r['macro_f1'])} {_pct(r['title_exact'])} {_pct(r['title_ci'])} "
            f"{_pct(r['time_acc'])} {_pct(r['date_acc'])} "
            f"{(pps or 0):8.1f} {ratio} {r['errors']:>6} {r['empty_bodies']:>5}"
        )


def print_per_page(results: list[SystemResult]) -> None:
    ok = [r for r in results if r.unavailable is None]
    if not ok:
        return
    names = [r.name.replace("trafilatura", "traf") for r in ok]
    width = max(7, *(len(n) for n in names))
    print(
        f"\nper-page body F1 (4-token shingles, %)\n{'page':<42}"
        + "".join(f" {n:>{width}}" for n in names)
    )
    for i, pr in enumerate(ok[0].pages):
        cells = []
        for r in ok:
            x = r.pages[i]
            cells.append(f" {'ERR' if x.error else f'{100 * x.f1:.1f}':>{width}}")
        print(f"{pr.page:<42}" + "".join(cells))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-page", action="store_true", help="print per-page F1 of every system")
    parser.add_argument("--json", metavar="OUT", type=Path, help="write the figures as JSON")
    parser.add_argument("--data", type=Path, default=DATA, help="folder holding news_html_*")
    parser.add_argument(
        "--repeat", type=int, default=3, help="timed passes over the pages (default 3)"
    )
    args = parser.parse_args(argv)

    try:
        pages = load_pages(args.data)
    except FileNotFoundError as exc:
        print(f"html_extraction: {exc} (../shared/data is needed)", file=sys.stderr)
        return 2
    n_a = sum(p.dataset == "news_html_anpandu" for p in pages)
    print(
        f"{len(pages)} pages ({n_a} anpandu, {len(pages) - n_a} slasher), "
        f"{sum(len(p.html) for p in pages) / 1e6:.1f} MB of HTML, preloaded"
    )
    print(
        "body: 4-token shingle P/R/F1, micro (pooled) and macro (mean per-page F1); a leading "
        'dateline credit ("JAKARTA, KOMPAS.com - ") is removed from gold and output alike; '
        "slasher gold paragraphs are glued, so tokens are also split at case boundaries"
    )
    print(
        "title: exact after whitespace collapse (ti-ci: case-insensitive), 36 pages; "
        "time: same UTC minute, date: same day (UTC or WIB), 26 anpandu pages\n"
    )

    results: list[SystemResult] = []
    for system in all_systems():
        try:
            results.append(run_system(system, pages, max(1, args.repeat)))
        except Exception:  # a bug in the harness for one system must not hide the others
            traceback.print_exc()
            results.append(SystemResult(system.name, "crashed (see traceback)"))
    print_table(results)

    for r in results:
        errs = [x for x in r.pages if x.error]
        for x in errs:
            print(f"error: {r.name} on {x.page}: {x.error} (scored 0)")
    if args.per_page:
        print_per_page(results)
    if args.json:
        payload = {
            "pages": len(pages),
            "shingle": SHINGLE,
            "systems": [r.summary() for r in results],
            "per_page": {
                r.name: [asdict(x) for x in r.pages] for r in results if r.unavailable is None
            },
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
