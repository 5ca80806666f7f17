"""The raw news HTML pages with a gold body, title and publish time (../shared/data, SOURCES.md §6).

Two sets, read in place (their text is never copied into this repository):

* ``news_html_anpandu``: 26 ``*.html.gz`` pages in outlet folders; ``gold.jsonl`` gives ``file``,
  ``outlet``, ``language``, ``url``, ``title``, ``date_epoch_ms``, ``date_utc``,
  ``declared_charset`` and ``content`` (the expected body; paragraphs joined by newlines or
  spaces; some keep the dateline credit "JAKARTA, KOMPAS.com - ").
* ``news_html_slasher``: 10 ``*.html.gz`` pages; ``gold.jsonl`` gives ``file``, ``outlet``,
  ``language``, ``url``, ``html_title`` (the page's ``<title>``, outlet suffix included) and
  ``expected_body_concat`` (the expected paragraphs concatenated **without** a separator).

``load_pages()`` returns one :class:`HtmlPage` per gold row with the raw (gunzipped) bytes in
memory. ``gold_title`` is the anpandu ``title``, or the slasher ``html_title`` without its outlet
suffix (see :func:`strip_title_suffix`). ``charset`` is the charset the page declares (the gold's
``declared_charset`` where it has one, else sniffed from the first ``<meta>`` that names one);
:func:`decode_html` decodes with it, falling back to UTF-8.
"""

from __future__ import annotations

import codecs
import gzip
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
DATASETS = ("news_html_anpandu", "news_html_slasher")
EXPECTED_PAGES = {"news_html_anpandu": 26, "news_html_slasher": 10}

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
# WHATWG: a page labelled latin-1 / ascii is decoded as windows-1252 by every browser.
_WHATWG_ALIASES = {"iso8859-1": "cp1252", "ascii": "cp1252"}
_TITLE_SEPARATORS = re.compile(r"\s+(?:-|–|—|\||::|»)\s+")


@dataclass(frozen=True, slots=True)
class HtmlPage:
    dataset: str  # "news_html_anpandu" | "news_html_slasher"
    file: str  # relative to the dataset folder
    outlet: str
    language: str  # "id" | "en"
    url: str
    html: bytes  # the raw page, gunzipped, undecoded
    charset: str | None  # declared charset (gold field or <meta>), None when the page names none
    gold_title: str
    gold_body: str
    body_concatenated: bool  # True for slasher: paragraphs glued without a separator
    gold_published: datetime | None  # aware UTC (anpandu only)

    @property
    def name(self) -> str:
        return f"{self.dataset.removeprefix('news_html_')}/{self.file.removesuffix('.html.gz')}"


def sniff_charset(data: bytes) -> str | None:
    """The charset named by the first ``<meta charset>`` / ``http-equiv`` in the first 4 KiB."""
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii").lower() if m else None


def python_codec(charset: str | None) -> str:
    """The Python codec for a declared charset (WHATWG aliases applied); UTF-8 when unknown."""
    if not charset:
        return "utf-8"
    try:
        name = codecs.lookup(charset).name
    except LookupError:
        return "utf-8"
    return _WHATWG_ALIASES.get(name, name)


def decode_html(data: bytes, charset: str | None) -> str:
    """Decode with the declared charset; UTF-8 (replacing bad bytes) when none or it fails."""
    codec = python_codec(charset)
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace")


def _outlet_key(outlet: str) -> str:
    """The domain word of an outlet: thejakartaglobe.beritasatu.com -> thejakartaglobe."""
    return re.sub(r"[^a-z0-9]", "", outlet.lower().removeprefix("www.").split(".")[0])


def strip_title_suffix(title: str, outlet: str) -> str:
    """Drop a trailing " - Outlet ..." segment from a ``<title>``.

    The title is cut at its last separator (" - ", " – ", " — ", " | ", " :: ", " » ", spaces
    around it required); the tail is dropped when, lower-cased with everything but letters and
    digits removed, it contains the outlet's key (the outlet's domain name before the first dot:
    "liputan6", "thejakartapost"). Repeated while it applies. "... Rp 200 Juta - Kompas.com Bola"
    -> "... Rp 200 Juta"; "... Udara - News Liputan6.com" -> "... Udara"; a title without such a
    tail is returned unchanged.
    """
    key = _outlet_key(outlet)
    out = title.strip()
    while key:
        parts = list(_TITLE_SEPARATORS.finditer(out))
        if not parts:
            break
        last = parts[-1]
        tail = re.sub(r"[^a-z0-9]", "", out[last.end() :].lower())
        if key not in tail:
            break
        out = out[: last.start()].strip()
    return out


def _read_gold(folder: Path) -> list[dict[str, object]]:
    with (folder / "gold.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_pages(data_dir: Path = DATA) -> list[HtmlPage]:
    """Every gold page of both sets, anpandu first, in gold-file order.

    Raises FileNotFoundError when a dataset folder, its gold file or a page it names is missing.
    """
    pages: list[HtmlPage] = []
    for dataset in DATASETS:
        folder = data_dir / dataset
        if not (folder / "gold.jsonl").is_file():
            raise FileNotFoundError(f"{folder / 'gold.jsonl'} not found")
        for row in _read_gold(folder):
            file = str(row["file"])
            with gzip.open(folder / file, "rb") as fh:
                html = fh.read()
            outlet, url = str(row["outlet"]), str(row["url"])
            declared = row.get("declared_charset")
            charset = str(declared).lower() if declared else sniff_charset(html)
            if dataset == "news_html_anpandu":
                title, body = str(row["title"]), str(row["content"])
                published = datetime.fromtimestamp(int(str(row["date_epoch_ms"])) / 1000, tz=UTC)
                concatenated = False
            else:
                title = strip_title_suffix(str(row["html_title"]), outlet)
                body, published, concatenated = str(row["expected_body_concat"]), None, True
            pages.append(
                HtmlPage(
                    dataset=dataset,
                    file=file,
                    outlet=outlet,
                    language=str(row["language"]),
                    url=url,
                    html=html,
                    charset=charset,
                    gold_title=title,
                    gold_body=body,
                    body_concatenated=concatenated,
                    gold_published=published,
                )
            )
    return pages
