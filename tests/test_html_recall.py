"""Recall signals of the HTML cleaner that hold in any language: a standfirst set under the
headline outside the article's wrapper, an article split into two sibling wrappers by a
related-stories box, and caption credits, player notices and account prompts as furniture
(synthetic pages written for these tests)."""

from __future__ import annotations

from warta.api import extract_text
from warta.run.pipeline import CLEAN_PIPELINE

_PARAGRAPHS = [
    f"Paragraph {i} of the report says that the council met on Tuesday and agreed to "
    f"spend more on the harbour, the schools and the roads of the district number {i}."
    for i in range(10)
]
_DECK = "The council will spend twice as much on the harbour as last year, its budget shows."


def _body(html: str) -> str:
    art = extract_text(html, source="t.html", content_type="text/html", spec=CLEAN_PIPELINE)
    return art.body


def _related() -> str:
    return (
        '<div class="box">'
        + "".join(
            f'<div><a href="/r{i}">Another story number {i} about something else</a></div>'
            for i in range(5)
        )
        + "</div>"
    )


def test_a_standfirst_under_the_headline_is_body() -> None:
    paras = "".join(f"<p>{p}</p>" for p in _PARAGRAPHS)
    html = (
        "<html><body><div class='head'><h1>Council doubles harbour budget</h1>"
        f"<p>{_DECK}</p><div class='meta'>By A Writer</div></div>"
        f"<div class='story'><div class='text'>{paras}</div></div></body></html>"
    )
    body = _body(html)
    assert body.startswith(_DECK)
    assert all(p in body for p in _PARAGRAPHS)


def test_a_caption_first_under_the_headline_is_no_standfirst() -> None:
    paras = "".join(f"<p>{p}</p>" for p in _PARAGRAPHS)
    html = (
        "<html><body><h1>Council doubles harbour budget</h1>"
        "<figure><figcaption>The harbour seen from the hill on a sunny day last week in "
        "the town.</figcaption></figure>"
        f"<div class='story'><div class='text'>{paras}</div></div></body></html>"
    )
    assert "sunny day" not in _body(html)


def test_an_article_split_by_a_related_box_keeps_both_halves() -> None:
    first = "".join(f"<p>{p}</p>" for p in _PARAGRAPHS[:4])
    second = "".join(f"<p>{p}</p>" for p in _PARAGRAPHS[4:])
    html = (
        "<html><body><h1>Council doubles harbour budget</h1><div class='wrap'>"
        f"<div class='a'><div class='t'>{first}</div></div>{_related()}"
        f"<div class='b'><div class='t'>{second}</div></div></div></body></html>"
    )
    body = _body(html)
    assert all(p in body for p in _PARAGRAPHS)
    assert "Another story" not in body


def test_caption_credits_player_notices_and_account_prompts_are_furniture() -> None:
    head = "".join(f"<p>{p}</p>" for p in _PARAGRAPHS[:5])
    tail = "".join(f"<p>{p}</p>" for p in _PARAGRAPHS[5:])
    furniture = [
        "The mayor at the harbour on Tuesday afternoon with the council (Image: Getty)",
        "We apologize, but this video has failed to load.",
        "Access articles from across the country with one account",
    ]
    extra = "".join(f"<p>{f}</p>" for f in furniture)
    html = (
        "<html><body><h1>Council doubles harbour budget</h1>"
        f"<article>{head}{extra}{tail}</article></body></html>"
    )
    body = _body(html)
    assert all(p in body for p in _PARAGRAPHS)
    for line in furniture:
        assert line not in body
