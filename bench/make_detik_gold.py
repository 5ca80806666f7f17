"""Build the line-level furniture gold for the detik.com bodies (bench/data/detik_line_gold.jsonl).

The detik CSV (../shared/data/detik_summ_entity_1000/data_berita.csv.gz, no licence stated,
text (c) detik.com) is never copied: every gold row names a line by article id, line index and a
12-hex sha1 of the stripped line text, and carries only the label.

How the gold is made:

1. ``select_ids`` picks the articles deterministically (see its docstring).
2. ``propose`` gives every non-blank line a first label from a handful of surface rules.
3. ``python bench/make_detik_gold.py --review`` prints every line of the selected articles,
   grouped so the uncertain ones come first (proposed furniture, short lines, possible
   crossheads, then the long body lines shown head ... tail). A person read that listing and
   wrote the corrections into ``OVERRIDES`` below (keyed by id, line index and sha1, so a changed
   CSV fails loudly instead of silently shifting labels).
4. ``python bench/make_detik_gold.py --write`` writes the JSONL (proposal + overrides).

Lines are ``isi_berita.replace("\\r\\n", "\\n").split("\\n")``; lines blank after ``strip()``
get no row.
"""

from __future__ import annotations

import argparse
import collections
import csv
import gzip
import hashlib
import json
import random
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CSV = ROOT.parent / "shared" / "data" / "detik_summ_entity_1000" / "data_berita.csv.gz"
GOLD_PATH = ROOT / "bench" / "data" / "detik_line_gold.jsonl"

SEED = 2026
N_FURNITURE = 35  # articles with furniture other than the scroll banner
N_OTHER = 30  # seeded sample of the remaining articles

LABELS = (
    "body", "crosshead", "title", "dateline", "timestamp", "byline", "wire", "promo",
    "related", "media", "social", "nav", "ad", "pagination", "footer", "boilerplate",
)  # fmt: skip
KEPT = frozenset({"body", "crosshead"})


# --------------------------------------------------------------------------- reading


def read_articles(path: Path = DEFAULT_CSV) -> list[dict[str, str]]:
    """All rows of the detik CSV, in file order."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def split_lines(body: str) -> list[str]:
    """The line list the gold indexes into (same convention as warta's ``label_lines``)."""
    return body.replace("\r\n", "\n").split("\n")


def nonblank(body: str) -> Iterator[tuple[int, str]]:
    """(index, stripped text) for every line that is not blank after ``strip()``."""
    for i, raw in enumerate(split_lines(body)):
        s = raw.strip()
        if s:
            yield i, s


def line_sha1(stripped: str) -> str:
    return hashlib.sha1(stripped.encode("utf-8")).hexdigest()[:12]


# --------------------------------------------------------------------------- selection

#: Kinds of furniture other than "SCROLL TO CONTINUE WITH CONTENT", used only for selection.
FURNITURE_KINDS: dict[str, re.Pattern[str]] = {
    "advertisement": re.compile(r"^ADVERTISEMENT$"),
    "simak": re.compile(r"^Simak\b"),
    "tonton_video": re.compile(r"^Tonton juga [Vv]ideo\b"),
    "lihat_video": re.compile(r"^Lihat juga [Vv]ideo\b"),
    "video_label": re.compile(r"^Video:"),
    "saksikan": re.compile(r"^Saksikan\b"),
    "gambas": re.compile(r"^\[Gambas:"),
    "baca_juga": re.compile(r"^Baca [Jj]uga\b"),
    "photo_credit": re.compile(r"^\(?Foto\s*:"),
    "source_note": re.compile(r"^Artikel ini (telah|sudah|pertama)"),
    "author_note": re.compile(r"^(Artikel|Tulisan) ini (ditulis|dibuat) oleh|^\*\)"),
    "disclaimer": re.compile(r"opini pribadi penulis"),
    "scroll_resume": re.compile(r"^SCROLL TO RESUME CONTENT$"),
    "program_promo": re.compile(r"^\"Detik (Pagi|Sore),|^Ikuti terus ulasan mendalam"),
}


def furniture_kinds(body: str) -> set[str]:
    kinds: set[str] = set()
    for _, s in nonblank(body):
        for kind, pat in FURNITURE_KINDS.items():
            if pat.search(s):
                kinds.add(kind)
    return kinds


def _id_key(article_id: str) -> tuple[int, str]:
    return (int(article_id), article_id) if article_id.isdigit() else (10**9, article_id)


def select_ids(articles: list[dict[str, str]]) -> list[str]:
    """Deterministic, representative selection of gold articles.

    * Sort by id and drop exact duplicate bodies (the CSV repeats 91 bodies under other ids;
      the lowest id is kept).
    * Pool A: articles with some furniture besides the scroll banner (``FURNITURE_KINDS``).
      First, for every kind in sorted order that the selection does not yet cover, one article
      of that kind is drawn with ``random.Random(2026)``, so rare kinds (ADVERTISEMENT,
      Saksikan Live, Gambas embed, photo credit, author notes...) are all in. Then the same
      generator fills pool A up to ``N_FURNITURE``, topic by topic (``aspek_target``, five
      topics of 200 articles each) so every topic gets about the same share.
    * Pool B: all other articles; the same generator samples ``N_OTHER`` of them, again an
      equal share per topic.
    * Returned in id order.
    """
    rng = random.Random(SEED)
    seen: set[str] = set()
    uniq: list[dict[str, str]] = []
    for a in sorted(articles, key=lambda r: _id_key(r["id"])):
        if a["isi_berita"] in seen:
            continue
        seen.add(a["isi_berita"])
        uniq.append(a)
    kinds = {a["id"]: furniture_kinds(a["isi_berita"]) for a in uniq}
    pool_a = [a["id"] for a in uniq if kinds[a["id"]]]
    pool_b = [a["id"] for a in uniq if not kinds[a["id"]]]
    chosen: list[str] = []
    for kind in sorted(FURNITURE_KINDS):
        have = [i for i in pool_a if kind in kinds[i]]
        if have and not any(kind in kinds[i] for i in chosen):
            chosen.append(rng.choice(have))
    topic = {a["id"]: a.get("aspek_target", "") for a in uniq}
    chosen = _fill(pool_a, chosen, N_FURNITURE, topic, rng)
    chosen += _fill(pool_b, [], N_OTHER, topic, rng)
    return sorted(chosen, key=_id_key)


def _fill(
    pool: list[str], chosen: list[str], n: int, topic: dict[str, str], rng: random.Random
) -> list[str]:
    """Extend ``chosen`` (drawn from ``pool``) to ``n`` ids, topic by topic, with ``rng``."""
    chosen = list(chosen)
    topics = sorted({topic[i] for i in pool})
    per = n // len(topics)
    for t in topics:
        have = sum(1 for i in chosen if topic[i] == t)
        cand = [i for i in pool if topic[i] == t and i not in chosen]
        chosen += rng.sample(cand, min(len(cand), max(0, per - have)))
    rest = [i for i in pool if i not in chosen]
    chosen += rng.sample(rest, min(len(rest), max(0, n - len(chosen))))
    return chosen


# --------------------------------------------------------------------------- proposal

_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("ad", re.compile(r"^(SCROLL TO (CONTINUE WITH|RESUME) CONTENT|ADVERTISEMENT)$")),
    ("related", re.compile(r"^(Baca [Jj]uga|Simak [Jj]uga)\s*:")),
    ("media", re.compile(r"^(Simak|Tonton|Lihat|Saksikan)( [Jj]uga)? [Vv]ideo\b")),
    ("media", re.compile(r"^Video\s*:")),
    ("media", re.compile(r"^\[Gambas:")),
    ("media", re.compile(r"^Saksikan Live ?Detik ?Pagi\b", re.IGNORECASE)),
    ("media", re.compile(r"^\(?Foto\s*:")),
    ("byline", re.compile(r"^\([a-z]{2,5}/[a-z]{2,5}\)$")),
    ("byline", re.compile(r"^(Artikel|Tulisan) ini (ditulis|dibuat) oleh|^\*\)")),
    ("wire", re.compile(r"^Artikel ini (telah|sudah) tayang")),
    ("footer", re.compile(r"opini pribadi penulis")),
    ("promo", re.compile(r"^\"Detik (Pagi|Sore),|^Ikuti terus ulasan mendalam")),
]
_SENTENCE_END = re.compile(r"[.!?\"'\u201d\u2019)]$")
_LIST_ITEM = re.compile(r"^(\d+[.)]|[-\u2022*]|[a-z][.)])\s")


def propose(text: str) -> tuple[str, str, bool]:
    """(label, reason, certain) for one stripped line."""
    for label, pat in _RULES:
        if pat.search(text):
            return label, f"rule:{pat.pattern[:30]}", True
    words = text.split()
    if (
        len(text) < 80
        and not _SENTENCE_END.search(text)
        and not text.startswith(('"', "'", "\u201c"))
        and not _LIST_ITEM.match(text)
        and (not text.endswith(":") or len(words) <= 4)
    ):
        return "crosshead", "short-unpunctuated", False
    certain = len(text) >= 60 and bool(_SENTENCE_END.search(text))
    return "body", "default", certain


# --------------------------------------------------------------------------- hand corrections

#: (article id, line index) -> (sha1, label, note). Written after reading the --review listing.
#: note is a short description of the decision, never article text.
OVERRIDES: dict[tuple[str, int], tuple[str, str, str]] = {
    # sponsor / series credits and program teasers: promo
    ("18", 5): ("f68f7fef919e", "promo", "event sponsor credit line"),
    ("314", 20): ("6c9426d1d885", "promo", "sponsored-series description"),
    ("314", 21): ("8a8958aa59f4", "promo", "sponsored-series description with a watch prompt"),
    ("559", 13): ("9ad63483e033", "promo", "teaser pointing to the broadcast, no news content"),
    ("896", 9): ("7c74472aabd2", "promo", "special-report sponsor credit line"),
    # lines that mix page text with a teaser tail: labelled by the dominant content
    ("516", 8): (
        "4d43f76a3cf1",
        "body",
        "mixed: paragraph ending in a program teaser; dominant body",
    ),
    ("516", 9): (
        "37f14cb2cdfd",
        "body",
        "mixed: segment summary ending in a teaser; dominant body",
    ),
    ("516", 10): ("df8424b22756", "body", "program-rundown guest preview; page text, kept"),
    ("559", 11): (
        "80d4dcc82c39",
        "body",
        "mixed: paragraph ending in a program teaser; dominant body",
    ),
    ("559", 15): (
        "e16a3703a462",
        "body",
        "mixed: paragraph ending in a program teaser; dominant body",
    ),
    ("575", 5): (
        "c76281846a96",
        "body",
        "crosshead run into the following paragraph; dominant body",
    ),
    ("575", 23): (
        "8aef541b0fac",
        "body",
        "crosshead run into the following paragraph; dominant body",
    ),
    ("817", 15): (
        "a56e6ae622f8",
        "byline",
        "mixed: author bio followed by opinion disclaimer; dominant byline",
    ),
    # author bio at the end of an opinion piece
    ("533", 16): ("4fbaa6874fa1", "byline", "opinion author bio"),
    # short unpunctuated lines that are list items, not crossheads
    ("739", 16): ("a3764f631b57", "body", "list item"),
    ("739", 17): ("469220d8972b", "body", "list item"),
    ("739", 18): ("d7ca6c22398e", "body", "list item"),
    ("739", 19): ("5bc2bece5518", "body", "list item"),
    ("739", 20): ("485c15e334dc", "body", "list item"),
    ("739", 28): (
        "543626e5caaa",
        "body",
        "advertorial contact link listed after a colon; article content",
    ),
    ("739", 29): (
        "3b8fc0940cbd",
        "body",
        "advertorial contact link listed after a colon; article content",
    ),
    ("739", 30): (
        "9dce57f123ab",
        "body",
        "advertorial contact link listed after a colon; article content",
    ),
    # other furniture the rules do not know
    ("797", 0): ("c6a595bc49cd", "nav", "link to the English version of the story"),
    ("843", 18): ("cbffba6f53de", "boilerplate", "separator rule"),
    # scrape artefact, not furniture
    ("850", 30): ("73e8b5d6f317", "body", "repeats an earlier paragraph of the same body"),
    ("850", 31): ("7b8966d4ad6a", "body", "repeats an earlier paragraph of the same body"),
    ("850", 32): ("b45212f2ba52", "body", "repeats an earlier paragraph of the same body"),
}

#: Articles whose every line was read in the --review listing (long lines shown head ... tail,
#: plus a scan of their full text for furniture phrases). All 65 selected articles.
REVIEWED: frozenset[str] = frozenset(
    {
        "4",
        "18",
        "26",
        "33",
        "37",
        "70",
        "91",
        "106",
        "153",
        "156",
        "174",
        "188",
        "189",
        "205",
        "235",
        "239",
        "264",
        "295",
        "296",
        "299",
        "314",
        "323",
        "351",
        "372",
        "374",
        "398",
        "424",
        "425",
        "445",
        "462",
        "499",
        "513",
        "516",
        "517",
        "533",
        "547",
        "559",
        "575",
        "588",
        "633",
        "661",
        "715",
        "717",
        "727",
        "732",
        "734",
        "738",
        "739",
        "749",
        "757",
        "761",
        "797",
        "817",
        "843",
        "850",
        "854",
        "882",
        "896",
        "908",
        "911",
        "912",
        "924",
        "933",
        "965",
        "998",
    }
)


def gold_rows(articles: list[dict[str, str]]) -> list[dict[str, object]]:
    by_id = {a["id"]: a for a in articles}
    rows: list[dict[str, object]] = []
    used: set[tuple[str, int]] = set()
    for aid in select_ids(articles):
        for i, s in nonblank(by_id[aid]["isi_berita"]):
            h = line_sha1(s)
            label, _, _ = propose(s)
            row: dict[str, object] = {"id": aid, "line": i, "sha1": h}
            ov = OVERRIDES.get((aid, i))
            if ov is not None:
                if ov[0] != h:
                    raise SystemExit(f"override ({aid}, {i}) sha1 {ov[0]} != line sha1 {h}")
                label = ov[1]
                used.add((aid, i))
            row["label"] = label
            row["checked"] = aid in REVIEWED
            if ov is not None and ov[2]:
                row["note"] = ov[2]
            rows.append(row)
    unused = set(OVERRIDES) - used
    if unused:
        raise SystemExit(f"overrides not matching any selected line: {sorted(unused)}")
    return rows


# --------------------------------------------------------------------------- review listing


def _show(s: str, width: int) -> str:
    return s if len(s) <= width else s[: width - 50] + " ... " + s[-45:]


def review(articles: list[dict[str, str]], ids: Iterable[str], width: int = 150) -> None:
    """Print lines grouped for hand review (terminal only; nothing is stored)."""
    by_id = {a["id"]: a for a in articles}
    groups: dict[str, list[str]] = collections.defaultdict(list)
    for aid in ids:
        lines = list(nonblank(by_id[aid]["isi_berita"]))
        for k, (i, s) in enumerate(lines):
            label, reason, certain = propose(s)
            ov = OVERRIDES.get((aid, i))
            final = ov[1] if ov else label
            pos = "first" if k == 0 else "last" if k == len(lines) - 1 else ""
            mark = "*" if ov else " "  # * = hand override
            row = f"{aid:>4}:{i:<3} {line_sha1(s)} {final:<11}{mark} {pos:<5} {_show(s, width)}"
            if label != final:
                row += f"   [proposed {label} by {reason}]"
            if label != "body" or final != "body":
                groups["1 furniture / non-body (proposed or overridden)"].append(row)
            elif len(s) < 60:
                groups["2 short body lines (< 60 chars)"].append(row)
            elif not certain:
                groups["3 uncertain body lines"].append(row)
            else:
                groups["4 long body lines"].append(row)
    for name in sorted(groups):
        print(f"==== {name}: {len(groups[name])}")
        for row in groups[name]:
            print(row)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    ap.add_argument("--review", action="store_true", help="print the grouped review listing")
    ap.add_argument(
        "--group", default="", help="with --review: only articles with these ids (comma list)"
    )
    ap.add_argument("--write", action="store_true", help=f"write {GOLD_PATH.relative_to(ROOT)}")
    args = ap.parse_args(argv)
    if not args.csv.exists():
        print(f"detik CSV not found: {args.csv}", file=sys.stderr)
        return 2
    articles = read_articles(args.csv)
    ids = select_ids(articles)
    if args.review:
        wanted = set(args.group.split(",")) if args.group else set(ids)
        review(articles, [i for i in ids if i in wanted])
    if args.write:
        rows = gold_rows(articles)
        GOLD_PATH.parent.mkdir(parents=True, exist_ok=True)
        with GOLD_PATH.open("w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=False, sort_keys=False) + "\n")
        counts = collections.Counter(str(r["label"]) for r in rows)
        print(f"wrote {len(rows)} rows for {len(ids)} articles to {GOLD_PATH}")
        print(dict(counts.most_common()))
    if not (args.review or args.write):
        print(f"{len(ids)} articles selected: {', '.join(ids)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
