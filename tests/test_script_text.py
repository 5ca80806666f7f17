"""A page whose article lives only in a script (client-rendered: Next.js flight data, a
hydration state) or only in JSON-LD is read from there when its markup gives no article text;
a page whose markup holds the article never reads its scripts (synthetic pages written for
these tests)."""

from __future__ import annotations

import json

from warta.api import extract_text
from warta.run.pipeline import CLEAN_PIPELINE

_PARAGRAPHS = [
    f"Paragraph {i} of the report says that the council met on Tuesday and agreed to "
    f"spend more on the harbour, the schools and the roads of the district number {i}."
    for i in range(6)
]
_HEAD = "<head><title>Council agrees to spend more</title></head>"


def _extract(html: str) -> tuple[str, list[str]]:
    art = extract_text(html, source="t.html", content_type="text/html", spec=CLEAN_PIPELINE)
    return art.body, [e.reason for e in art.errors]


def test_an_article_in_a_flight_push_is_read() -> None:
    fragment = '<div class="img"><img src="a.jpg"></div>' + "".join(
        f'<p class="editor-p">{p}</p>' for p in _PARAGRAPHS
    )
    push = f"self.__next_f.push([1,{json.dumps(fragment)}])"
    html = f"<html>{_HEAD}<body><div id='root'></div><script>{push}</script></body></html>"
    body, errors = _extract(html)
    assert errors == []
    assert all(p in body for p in _PARAGRAPHS)
    assert "editor-p" not in body and "<p" not in body


def test_an_article_in_a_hydration_state_is_read() -> None:
    state = {"props": {"page": {"id": 7, "content": "<p>" + "</p><p>".join(_PARAGRAPHS) + "</p>"}}}
    html = (
        f"<html>{_HEAD}<body><div id='__next'></div><script id='__NEXT_DATA__' "
        f"type='application/json'>{json.dumps(state)}</script></body></html>"
    )
    body, errors = _extract(html)
    assert errors == []
    assert all(p in body for p in _PARAGRAPHS)


def test_an_article_only_in_json_ld_is_read() -> None:
    ld = {"@type": "NewsArticle", "headline": "Council", "articleBody": "\n".join(_PARAGRAPHS)}
    html = (
        f"<html>{_HEAD}<body><div id='app'></div><script type='application/ld+json'>"
        f"{json.dumps(ld)}</script></body></html>"
    )
    body, errors = _extract(html)
    assert errors == []
    assert all(p in body for p in _PARAGRAPHS)


def test_the_markup_wins_when_it_holds_the_article() -> None:
    other = ["A different story in a script about the weather and the wind on the hills."] * 8
    push = f"self.__next_f.push([1,{json.dumps('<p>' + '</p><p>'.join(other) + '</p>')}])"
    paras = "".join(f"<p>{p}</p>" for p in _PARAGRAPHS)
    html = f"<html>{_HEAD}<body><article>{paras}</article><script>{push}</script></body></html>"
    body, _ = _extract(html)
    assert all(p in body for p in _PARAGRAPHS)
    assert "weather" not in body


def test_a_script_without_paragraphs_gives_no_article() -> None:
    push = f"self.__next_f.push([1,{json.dumps('x' * 500)}])"
    html = f"<html>{_HEAD}<body><div></div><script>{push}</script></body></html>"
    body, errors = _extract(html)
    assert body == ""
    assert "no_article_text" in errors
