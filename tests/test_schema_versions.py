"""Records written by an older warta still read: schema 1.0 lacks the HTML-era fields."""

from __future__ import annotations

import pytest

from warta.api import extract_text
from warta.core.errors import MalformedRecord
from warta.core.record import SCHEMA_VERSION
from warta.core.serialize import article_from_dict, article_to_dict

ADDED_IN_1_1 = ("content_type", "canonical_url", "section", "tags")


def test_a_1_0_record_reads_with_defaults_for_new_fields() -> None:
    record = article_to_dict(extract_text("Jakarta - Sebuah kalimat berita yang cukup panjang."))
    for name in ADDED_IN_1_1:
        record.pop(name)
    record["schema_version"] = "1.0"
    article = article_from_dict(record)
    assert article.content_type == "text/plain" and article.tags == []
    assert article_to_dict(article)["schema_version"] == SCHEMA_VERSION == "1.6"


def test_an_unknown_version_is_refused() -> None:
    record = article_to_dict(extract_text("Jakarta - Sebuah kalimat berita yang cukup panjang."))
    record["schema_version"] = "9.0"
    with pytest.raises(MalformedRecord, match="9.0"):
        article_from_dict(record)


def test_a_1_3_quote_without_role_and_affiliation_reads_with_none() -> None:
    record = article_to_dict(
        extract_text('Jakarta - "Kami siap menghadapi banjir tahun ini," kata Budi Santoso.')
    )
    assert record["quotes"], "the page should give a quote"
    for quote in record["quotes"]:
        del quote["role"], quote["affiliation"]
    record["schema_version"] = "1.3"
    article = article_from_dict(record)
    assert [(q.role, q.affiliation) for q in article.quotes] == [(None, None)] * len(article.quotes)
    assert article.quotes[0].speaker is not None


def test_a_1_4_record_without_syndicated_from_reads_with_none() -> None:
    record = article_to_dict(extract_text("Jakarta - Sebuah kalimat berita yang cukup panjang."))
    del record["syndicated_from"]
    record["schema_version"] = "1.4"
    assert article_from_dict(record).syndicated_from is None


def test_syndicated_from_round_trips_and_is_checked() -> None:
    page = (
        "Kota (XYZ) - Warga desa memperbaiki jembatan bambu yang putus diterjang arus sungai.\n\n"
        'Artikel ini telah tayang di Kompas.com dengan judul "Jembatan Bambu Putus", '
        "klik untuk baca: https://regional.kompas.com/read/2025/02/03/jembatan-bambu-putus"
    )
    record = article_to_dict(extract_text(page))
    assert record["syndicated_from"] == {
        "outlet": "Kompas.com",
        "title": "Jembatan Bambu Putus",
        "url": "https://regional.kompas.com/read/2025/02/03/jembatan-bambu-putus",
    }
    assert article_to_dict(article_from_dict(record)) == record
    record["syndicated_from"] = {"outlet": "Kompas.com"}
    with pytest.raises(MalformedRecord, match="syndicated_from"):
        article_from_dict(record)


def test_a_1_4_record_reads_without_published_local_and_precision() -> None:
    record = article_to_dict(
        extract_text(
            "JAKARTA, KOMPAS.com - 18/11/2015, 13:16 WIB\n\nSebuah kalimat berita yang cukup panjang untuk dibaca."
        )
    )
    del record["published_local"], record["published_precision"]
    record["schema_version"] = "1.4"
    article = article_from_dict(record)
    assert article.published_local is None and article.published_precision is None
    assert article_to_dict(article)["schema_version"] == SCHEMA_VERSION


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("published_precision", "week"),
        ("published_local", "2022-11-15T10:30+07:00"),
        ("published_local", "15 Nov 2022"),
    ],
)
def test_published_local_and_precision_are_checked(field: str, value: str) -> None:
    record = article_to_dict(extract_text("Jakarta - Sebuah kalimat berita yang cukup panjang."))
    record[field] = value
    with pytest.raises(MalformedRecord, match=field):
        article_from_dict(record)


def test_a_1_5_event_without_actor_coding_reads_with_none() -> None:
    record = article_to_dict(
        extract_text("Jakarta - Polisi menangkap Budi Santoso di Bekasi pada Selasa pagi.")
    )
    assert record["events"], "the page should give an event"
    for event in record["events"]:
        for role in ("actor", "target"):
            for part in ("id", "type", "country"):
                del event[f"{role}_{part}"]
    record["schema_version"] = "1.5"
    article = article_from_dict(record)
    assert [(e.actor_type, e.target_id) for e in article.events] == [(None, None)] * len(
        article.events
    )


def test_an_unknown_actor_type_is_refused() -> None:
    record = article_to_dict(
        extract_text("Jakarta - Polisi menangkap Budi Santoso di Bekasi pada Selasa pagi.")
    )
    record["events"][0]["actor_type"] = "wizard"
    with pytest.raises(MalformedRecord, match="actor_type"):
        article_from_dict(record)
