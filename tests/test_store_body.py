"""The body read alone from a stored record (what a search page's snippets need) is exactly the
body the whole record holds, whatever the other fields contain."""

from __future__ import annotations

import json

import pytest

from warta.core.record import Article, Mention, Syndication
from warta.store.rows import pack, unpack, unpack_body


@pytest.mark.parametrize(
    "body",
    [
        "Jakarta - Presiden berkata: \"kita lanjutkan\", katanya.",
        'Satu , "body": "bukan ini" dua \\ tiga \u2028 empat',
        "",
        "ÿ\u00e9\U0001f600 emoji dan \\\" garis miring",
    ],
)
def test_the_body_alone_is_the_records_body(body: str) -> None:
    article = Article(
        source='file , "body": "x".txt',
        url="https://contoh.example/a?x=1",
        title='Judul , "body": "palsu"',
        raw_text='mentah , "body": "juga palsu"\n' + body,
        body=body,
        produced_by={"body": "bukan body"},
        syndicated_from=Syndication(outlet='Antara , "body": "x"'),
        entities=[Mention(0, min(4, len(body)), body[:4], "PERSON")] if body else [],
        extras={"test.nested": {"body": "lagi"}},
    )
    blob = pack(article)
    assert unpack_body(blob) == unpack(blob).body == body


def test_a_record_written_without_the_usual_spacing_is_read_whole() -> None:
    import zlib

    blob = zlib.compress(json.dumps({"body": "isi", "title": "t"}, separators=(",", ":")).encode())
    assert unpack_body(blob) == "isi"
