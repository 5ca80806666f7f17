"""The entity stage on bad input: empty, huge, foreign script, a damaged model file."""

from __future__ import annotations

from pathlib import Path

import pytest

from warta.api import extract_text
from warta.nlp.entities import EntityStage, _gazetteer_index
from warta.nlp.tokens import tokenize
from warta.pipeline import CLEAN_PIPELINE
from warta.record import Article


def test_empty_and_foreign_script_give_empty_results() -> None:
    for text in ("", "สวัสดีครับ นี่คือข่าว " * 50, "مرحبا بكم في الأخبار " * 50):
        stage = EntityStage()
        article = stage.run_one(Article(source="<t>", body=text))
        assert article.errors == [] and article.entities == []


def test_a_200000_token_paragraph_is_tagged_within_the_time_limit() -> None:
    paragraph = (
        "Presiden Joko Widodo meninjau banjir di Bandung bersama Gubernur Jawa Barat . " * 14_000
    )
    spec = (*CLEAN_PIPELINE, "nlp.entities.v1")
    article = extract_text(paragraph, time_limit_s=120, spec=spec)
    assert not article.errors, article.errors
    assert any(m.canonical == "Joko Widodo" for m in article.entities)


def test_a_damaged_model_is_a_clear_error_on_every_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "ner.zip"
    broken.write_bytes(b"this is not a model")
    import warta.nlp.ner as ner

    monkeypatch.setattr(ner, "default_model_path", lambda: broken)
    stage = EntityStage()
    for _ in range(2):
        article = stage.run_one(Article(source="<t>", body="Presiden Joko Widodo ke Bandung."))
        assert article.errors and article.errors[0].stage == "nlp.entities.v1"
        assert "model" in article.errors[0].message.lower()


def test_the_whole_pipeline_stops_a_huge_paragraph_at_its_time_limit() -> None:
    import time

    paragraph = "Presiden Joko Widodo meninjau banjir di Bandung kemarin . " * 14_000
    t0 = time.monotonic()
    article = extract_text(paragraph, time_limit_s=5)
    assert time.monotonic() - t0 < 15  # stopped near its limit, not after the whole page
    assert not article.errors or article.errors[0].reason == "time_limit"


def _known_every_length(stage: EntityStage, body: str) -> list[tuple[int, int, str]]:
    """The gazetteer pass without its shortcuts: every length tried at every capital."""
    index, longest = _gazetteer_index(stage.linker)
    words = [t for t in tokenize(body) if t.kind in ("word", "abbrev") or t.text == "-"]
    found = []
    i = 0
    while i < len(words):
        hit = None
        if words[i].text[:1].isupper():
            for n in range(min(longest, len(words) - i), 0, -1):
                start, end = words[i].start, words[i + n - 1].end
                known = index.get(" ".join(body[start:end].casefold().split()))
                if known is not None and not (known[1] and not body[start:end].isupper()):
                    hit = (start, end, known[0])
                    i += n
                    break
        if hit is None:
            i += 1
        else:
            found.append(hit)
    return found


def test_gazetteer_shortcuts_find_what_every_length_finds() -> None:
    stage = EntityStage()
    stage.setup()
    pages = sorted((Path(__file__).parent / "golden" / "pages").glob("*.txt"))
    assert pages
    bodies = [page.read_text(encoding="utf-8") for page in pages]
    # names glued to punctuation, split by a line break, followed by a hyphen or at the end
    bodies.append(
        "Kemarin Presiden Joko Widodo, Bank Indonesia-nya dan Kota\nBandung bertemu "
        "Amerika Serikat (AS). Jawa Barat"
    )
    for body in bodies:
        got = [(m.start, m.end, m.type) for m in stage._known(body, tokenize(body))]
        assert got == _known_every_length(stage, body)
