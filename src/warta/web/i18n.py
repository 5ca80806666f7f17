"""The reader's interface text in Indonesian and English.

The language is chosen, first to last, by ``?lang=`` (which also sets a cookie, so the choice
holds on the next pages), by that cookie, by the browser's ``Accept-Language`` (its q-values
honoured), and else Indonesian, the language of the news warta reads. Only the interface is
translated: articles, names and quotes are shown as the store holds them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

LANGUAGES: tuple[str, ...] = ("id", "en")
DEFAULT = "id"
COOKIE = "warta_lang"
NAMES = {"id": "Bahasa Indonesia", "en": "English"}

EN: dict[str, str] = {
    "search": "Search",
    "search_label": "search the news",
    "nav_stories": "Stories",
    "nav_outlets": "Outlets",
    "nav_trends": "Trends",
    "nav_api": "API",
    "footer": "warta · read the news without the ads · times in WIB",
    "language": "Language",
    "stats": "{articles} articles from {outlets} outlets · {entities} entities · {quotes} quotes · {events} events",
    "stats_stories": " · {stories} stories",
    "latest": "Latest",
    "empty_store": "The store is empty: run `warta ingest pages/` first.",
    "stories": "Stories",
    "none_yet": "none yet",
    "most_named_day": "Most named today",
    "most_named_week": "Most named this week",
    "most_named": "Most named",
    "rising": "Rising",
    "rising_none": "nothing stands out today",
    "rising_note": "reports today against the last weeks",
    "ingest": "Ingest",
    "ingest_last": "last run {when}: {stored} stored, {failed} failed",
    "ingest_running": "a run started {when} has not finished",
    "ingest_never": "nothing ingested yet",
    "ingest_failures": "Latest failures",
    "no_title": "(no title)",
    "unknown_outlet": "unknown outlet",
    "wire": "wire",
    "person": "person",
    "organisation": "organisation",
    "place": "place",
    "time": "time",
    "original": "Original",
    "not_web": "(not a web address)",
    "removed": "What was removed ({n} lines)",
    "part_of": "Part of",
    "a_story": "a story",
    "copies": "Copies",
    "the_original": "(original)",
    "carries": "carries {percent}%",
    "quotes": "Quotes",
    "unattributed": "unattributed",
    "none": "none",
    "events": "Events",
    "at": "at",
    "on": "on",
    "evidence": "evidence",
    "named": "Named",
    "undated": "undated",
    "query": "query",
    "outlet": "outlet",
    "entity": "entity",
    "speaker": "speaker",
    "event": "event (PLOVER)",
    "since": "since YYYY-MM-DD",
    "until": "until YYYY-MM-DD",
    "relevance": "relevance",
    "date": "date",
    "search_failed": "Search failed: {error}",
    "n_articles": "{n} articles",
    "nothing_matches": "Nothing matches",
    "with_filters": "with these filters",
    "did_you_mean": "Did you mean:",
    "more": "More results →",
    "facet_outlet": "outlet",
    "facet_year": "year",
    "facet_language": "language",
    "facet_entity": "entity",
    "facet_speaker": "speaker",
    "facet_event": "event",
    "facet_place": "place",
    "facet_story": "story",
    "mentions_in": "{mentions} mentions in {articles} articles",
    "articles": "articles",
    "trend": "trend",
    "wikidata": "Wikidata",
    "by_month": "Mentions by month",
    "per_month": "mentions per month",
    "as_table": "as a table",
    "article": "article",
    "written_as": "Written as",
    "named_with": "Named with",
    "in_newest": "in its newest {n} articles",
    "facets_over": "counted over the newest {n} matches",
    "as_actor": "As actor or target (latest articles)",
    "not_found": "Not found",
    "back_home": "Back to the front page",
    "no_article": "no article {key}",
    "no_entity": "no entity named {key}",
    "no_story": "no story {key}",
    "no_outlet": "no articles from {key}",
    "outlets": "Outlets",
    "stories_empty": "No stories yet: `warta group` groups what is stored.",
    "merged_into": "{asked} was merged into this story.",
    "timeline": "Timeline",
    "copy_group": "copy group {group}",
    "quoted": "Quoted",
    "nobody": "nobody",
    "trends": "Trends",
    "draw": "Draw",
    "trends_caption": "Reports per day (WIB); the copies of one report count once.",
    "series": "series",
    "reports": "reports",
    "trends_hint": "Name one or two things to follow:",
    "bad_dates": "since/until: write dates as YYYY-MM-DD",
    "bad_what": "{item}: write KIND:KEY, KIND one of {kinds}",
    "volume": "Articles per day",
    "per_day": "articles per day",
    "sections": "Sections",
    "top_entities": "Most named",
    "latest_from": "Latest from {outlet}",
    "all_articles": "all its articles",
}

ID: dict[str, str] = {
    "search": "Cari",
    "search_label": "cari berita",
    "nav_stories": "Rangkaian",
    "nav_outlets": "Media",
    "nav_trends": "Tren",
    "nav_api": "API",
    "footer": "warta · baca berita tanpa iklan · waktu dalam WIB",
    "language": "Bahasa",
    "stats": "{articles} artikel dari {outlets} media · {entities} entitas · {quotes} kutipan · {events} peristiwa",
    "stats_stories": " · {stories} rangkaian berita",
    "latest": "Terbaru",
    "empty_store": "Penyimpanan masih kosong: jalankan `warta ingest pages/` dulu.",
    "stories": "Rangkaian berita",
    "none_yet": "belum ada",
    "most_named_day": "Paling banyak disebut hari ini",
    "most_named_week": "Paling banyak disebut pekan ini",
    "most_named": "Paling banyak disebut",
    "rising": "Sedang naik",
    "rising_none": "tidak ada yang menonjol hari ini",
    "rising_note": "berita hari ini dibanding pekan-pekan sebelumnya",
    "ingest": "Pemasukan data",
    "ingest_last": "terakhir {when}: {stored} disimpan, {failed} gagal",
    "ingest_running": "proses sejak {when} belum selesai",
    "ingest_never": "belum ada data yang dimasukkan",
    "ingest_failures": "Kegagalan terakhir",
    "no_title": "(tanpa judul)",
    "unknown_outlet": "media tak dikenal",
    "wire": "kantor berita",
    "person": "orang",
    "organisation": "organisasi",
    "place": "tempat",
    "time": "waktu",
    "original": "Sumber asli",
    "not_web": "(bukan alamat web)",
    "removed": "Yang dibuang ({n} baris)",
    "part_of": "Bagian dari",
    "a_story": "sebuah rangkaian berita",
    "copies": "Salinan",
    "the_original": "(asli)",
    "carries": "memuat {percent}%",
    "quotes": "Kutipan",
    "unattributed": "tanpa sumber",
    "none": "tidak ada",
    "events": "Peristiwa",
    "at": "di",
    "on": "pada",
    "evidence": "bukti",
    "named": "Disebut",
    "undated": "tanpa tanggal",
    "query": "kata kunci",
    "outlet": "media",
    "entity": "entitas",
    "speaker": "narasumber",
    "event": "peristiwa (PLOVER)",
    "since": "sejak YYYY-MM-DD",
    "until": "sampai YYYY-MM-DD",
    "relevance": "relevansi",
    "date": "tanggal",
    "search_failed": "Pencarian gagal: {error}",
    "n_articles": "{n} artikel",
    "nothing_matches": "Tidak ada yang cocok",
    "with_filters": "dengan filter ini",
    "did_you_mean": "Maksud Anda:",
    "more": "Hasil berikutnya →",
    "facet_outlet": "media",
    "facet_year": "tahun",
    "facet_language": "bahasa",
    "facet_entity": "entitas",
    "facet_speaker": "narasumber",
    "facet_event": "peristiwa",
    "facet_place": "tempat",
    "facet_story": "cerita",
    "mentions_in": "{mentions} sebutan dalam {articles} artikel",
    "articles": "artikel",
    "trend": "tren",
    "wikidata": "Wikidata",
    "by_month": "Sebutan per bulan",
    "per_month": "sebutan per bulan",
    "as_table": "sebagai tabel",
    "article": "artikel",
    "written_as": "Ditulis sebagai",
    "named_with": "Disebut bersama",
    "in_newest": "dalam {n} artikel terbarunya",
    "facets_over": "dihitung dari {n} hasil terbaru",
    "as_actor": "Sebagai pelaku atau sasaran (artikel terbaru)",
    "not_found": "Tidak ditemukan",
    "back_home": "Kembali ke halaman depan",
    "no_article": "tidak ada artikel {key}",
    "no_entity": "tidak ada entitas bernama {key}",
    "no_story": "tidak ada rangkaian berita {key}",
    "no_outlet": "tidak ada artikel dari {key}",
    "outlets": "Media",
    "stories_empty": "Belum ada rangkaian berita: `warta group` mengelompokkan yang tersimpan.",
    "merged_into": "{asked} sudah digabung ke rangkaian ini.",
    "timeline": "Lini masa",
    "copy_group": "kelompok salinan {group}",
    "quoted": "Dikutip",
    "nobody": "tidak ada",
    "trends": "Tren",
    "draw": "Gambar",
    "trends_caption": "Berita per hari (WIB); salinan satu berita dihitung sekali.",
    "series": "deret",
    "reports": "berita",
    "trends_hint": "Sebut satu atau dua hal untuk diikuti:",
    "bad_dates": "since/until: tulis tanggal sebagai YYYY-MM-DD",
    "bad_what": "{item}: tulis KIND:KEY, KIND salah satu dari {kinds}",
    "volume": "Artikel per hari",
    "per_day": "artikel per hari",
    "sections": "Rubrik",
    "top_entities": "Paling banyak disebut",
    "latest_from": "Terbaru dari {outlet}",
    "all_articles": "semua artikelnya",
}

CATALOGS: Mapping[str, Mapping[str, str]] = {"en": EN, "id": ID}

_MONTHS = {
    "id": ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def accepted(header: str | None) -> list[str]:
    """The primary language codes an ``Accept-Language`` header asks for, most wanted first
    (``q=0`` means not wanted; a malformed q counts as 1)."""
    ranked: list[tuple[float, int, str]] = []
    for n, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        code = tag.strip().split("-")[0].lower()
        if not code:
            continue
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 1.0
        if q > 0:
            ranked.append((-q, n, code))
    return [code for _, _, code in sorted(ranked)]


def choose(asked: str | None, cookie: str | None, accept_language: str | None) -> str:
    """The interface language: ``?lang=``, the cookie, the browser's languages, Indonesian."""
    for code in (asked, cookie):
        if code in LANGUAGES:
            return str(code)
    for code in accepted(accept_language):
        if code in LANGUAGES:
            return code
        if code == "ms":  # Malay readers read Indonesian more easily than English
            return "id"
    return DEFAULT


class Translator:
    """``t(key, **values)``: the interface text ``key`` in one language, with values filled in.
    A key missing from the catalog is a bug (tests/test_web_i18n.py checks both catalogs)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in CATALOGS else DEFAULT
        self.catalog = CATALOGS[self.lang]

    def __call__(self, key: str, /, **values: object) -> str:
        text = self.catalog[key]
        return text.format(**values) if values else text


def month_name(month: int, lang: str) -> str:
    """Month ``month`` (1-12) abbreviated in ``lang``."""
    return _MONTHS.get(lang, _MONTHS[DEFAULT])[month - 1]


def date_text(value: datetime, lang: str) -> str:
    """``17 Nov 2015, 09:30`` with the month abbreviated in ``lang``."""
    return f"{value.day:02d} {month_name(value.month, lang)} {value.year}, {value:%H:%M}"
