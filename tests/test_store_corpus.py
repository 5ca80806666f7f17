"""Real extracted articles for the store tests (the seed page, the bundled samples and detik
news from ../shared/data), extracted once per session; and a check that they carry what the
filters need, so no store test passes on empty tables."""

from __future__ import annotations

import csv
import dataclasses
import gzip
from datetime import datetime, timedelta, timezone
from functools import cache
from pathlib import Path

from warta.api import extract_text
from warta.core.record import Article, fingerprint, report_id

from conftest import ROOT, SEED_DIR, require_shared

SAMPLES = ROOT / "src" / "warta" / "samples"
SEED_PAGE = SEED_DIR / "000_e34af48cd88e996e.txt"
DETIK_ROWS = (*range(40), 122)  # 122 says "dibangun" and never "pembangunan"
WIB = timezone(timedelta(hours=7))


@cache
def _base() -> tuple[Article, ...]:
    pages = [
        (SEED_PAGE, "https://internasional.kompas.com/read/2015/11/18/obama-rusia"),
        (SAMPLES / "tempo_sample_banjir_makassar.txt", "https://tempo.co/read/banjir-makassar"),
        (SAMPLES / "jakartapost_sample_nickel.txt", None),
    ]
    return tuple(
        extract_text(Path(p).read_text(encoding="utf-8"), source=str(p), url=url)
        for p, url in pages
    )


def base_articles() -> list[Article]:
    """The seed page (Kompas), Tempo and The Jakarta Post samples: fresh copies."""
    return [dataclasses.replace(a) for a in _base()]


@cache
def _detik() -> tuple[Article, ...]:
    path = require_shared("data", "detik_summ_entity_1000", "data_berita.csv.gz")
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    out = []
    for i in DETIK_ROWS:
        row = rows[i]
        text = f"{row['judul']}\n\n{row['isi_berita']}"
        article = extract_text(text, source=f"detik-{i}", url=row["tautan"])
        if article.published is None and i % 10 != 9:  # the body has no date: the listing's (WIB)
            article.published = datetime.strptime(row["tanggal"], "%m/%d/%Y %H:%M").replace(
                tzinfo=WIB
            )
        out.append(article)
    return tuple(a for a in out if a.body and not a.errors)


def corpus() -> list[Article]:
    """The base articles and ~40 detik articles: real entities, quotes, events."""
    return base_articles() + [dataclasses.replace(a) for a in _detik()]


def revised(article: Article, extra: str) -> Article:
    """A later version of the same report: one more paragraph."""
    body = f"{article.body}\n\n{extra}"
    fp = fingerprint(body)
    return dataclasses.replace(
        article,
        body=body,
        fingerprint=fp,
        id=report_id(url=article.url, source=article.source, body_fingerprint=fp),
    )


def test_corpus_carries_what_filters_need() -> None:
    articles = corpus()
    assert len(articles) >= 35
    assert sum(len(a.entities) for a in articles) > 300
    assert sum(1 for a in articles for q in a.quotes if q.speaker_id) > 20
    assert {e.category for a in articles for e in a.events} >= {"ASSAULT", "CONSULT"}
    assert any("dibangun" in a.body and "pembangunan" not in a.body.lower() for a in articles)
