"""Main-container candidates: an article split across one-paragraph wrappers, an article whose
wrapper carries a widget-like class, unspaced and danda-ended scripts, and a teaser list that
must not be mistaken for the article (synthetic pages written for these tests)."""

from __future__ import annotations

import gzip

from warta.api import extract_text
from warta.clean.script_shape import units
from warta.run.pipeline import CLEAN_PIPELINE

from conftest import require_shared

_PARAGRAPHS = [
    f"Paragraph {i} of the report says that the council met on Tuesday and agreed to "
    f"spend more on the harbour, the schools and the roads of the district number {i}."
    for i in range(12)
]


def _extract(html: str) -> str:
    art = extract_text(html, source="t.html", content_type="text/html", spec=CLEAN_PIPELINE)
    assert not [e for e in art.errors if e.reason == "no_article_text"], art.errors
    return art.body


def _page(article: str, n_teasers: int = 8) -> str:
    teasers = "".join(
        f'<div class="item"><h3><a href="/n{i}">Other story number {i} about the weather'
        f"</a></h3><p>A short summary of another story that is not this one, about rain "
        f"and wind in the hills number {i}.</p></div>"
        for i in range(n_teasers)
    )
    return (
        "<html><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav>"
        f"<h1>Council agrees to spend more on the harbour</h1>{article}"
        f'<section class="more">{teasers}</section></body></html>'
    )


def test_paragraphs_in_separate_wrappers_are_all_kept() -> None:
    # one paragraph per wrapper, ad slots between them (the Postmedia layout)
    wrapped = "".join(
        f'<section class="c"><p>{p}</p></section><div class="slot">Advertisement</div>'
        for p in _PARAGRAPHS
    )
    body = _extract(_page(f'<div class="story">{wrapped}</div>', n_teasers=0))
    for p in _PARAGRAPHS:
        assert p in body
    assert "Other story number" not in body


def test_a_widget_class_on_the_article_wrapper_does_not_drop_it() -> None:
    paras = "".join(f"<p>{p}</p>" for p in _PARAGRAPHS)
    body = _extract(_page(f'<article class="post noloaddisqus share-enabled">{paras}</article>'))
    assert all(p in body for p in _PARAGRAPHS)


def test_teaser_list_is_not_the_article() -> None:
    body = _extract(
        _page("<div class='story'>" + "".join(f"<p>{p}</p>" for p in _PARAGRAPHS[:3]) + "</div>")
    )
    assert _PARAGRAPHS[0] in body
    assert "summary of another story" not in body


def test_japanese_paragraphs_are_sentences() -> None:
    sentence = (
        "市議会は火曜日に会合を開き、港と学校と道路への支出を増やすことで合意したと発表した。"
    )
    paras = "".join(f"<p>{sentence}{i}回目の会合である。</p>" for i in range(6))
    body = _extract(_page(f"<div class='story'>{paras}</div>"))
    assert body.count(sentence) == 6


def test_danda_ended_paragraphs_are_sentences() -> None:
    sentence = (
        "पुलिस ने बताया कि गांव में चोरी की घटना के बाद दो लोगों को गिरफ्तार किया गया है और जांच जारी है।"
    )
    paras = "".join(
        f"<p>{sentence}</p><p>{i} और लोग भी पूछताछ के लिए बुलाए गए हैं और जल्द ही जानकारी दी जाएगी।</p>"
        for i in range(4)
    )
    body = _extract(_page(f"<div class='story'>{paras}</div>"))
    assert sentence in body


def test_units_count_unspaced_characters_as_half_words() -> None:
    assert units("two words") == (2, 0)
    assert units("東京都") == (2, 3)


def test_a_credit_lead_full_of_names_is_body() -> None:
    # the real page (issue 11): the lead's names made it look less like a sentence than the
    # paragraphs after it, and it was labelled text-before-body
    path = require_shared("data", "news_html_anpandu", "kompas", "kompas-singlepage.html.gz")
    html = gzip.decompress(path.read_bytes())
    art = extract_text(html, source=str(path), content_type="text/html", spec=CLEAN_PIPELINE)
    assert art.body.startswith("Penyidik Polres Lhokseumawe melimpahkan Faisal")
    assert art.credit is not None and art.credit.startswith("LHOKSEUMAWE, KOMPAS.com")


def test_paragraphs_after_a_long_widget_run_stay_in_the_body() -> None:
    box = "".join(f"<div>Sign up line {i}</div>" for i in range(12))
    first = "".join(f"<p>{p}</p>" for p in _PARAGRAPHS[:4])
    second = "".join(f"<p>{p}</p>" for p in _PARAGRAPHS[4:7])
    body = _extract(_page(f"<div class='story'>{first}{box}{second}</div>", n_teasers=0))
    assert all(p in body for p in _PARAGRAPHS[:7])
    assert "Sign up line" not in body


def test_a_line_opening_a_list_is_kept() -> None:
    paras = "".join(f"<p>{p}</p>" for p in _PARAGRAPHS[:3])
    items = "".join(f"<li>{p}</li>" for p in _PARAGRAPHS[3:5])
    body = _extract(
        _page(f"<div class='story'>{paras}<p>Here's what to look for:</p><ul>{items}</ul></div>")
    )
    assert "Here's what to look for:" in body
