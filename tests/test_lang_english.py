"""English pages read English data (lang/en/): their own NER model, say-verbs and quote cues.
The pitfalls of English pages of Indonesian outlets: a possessive, a trailing word and a
sentence-initial adverb are not names."""

from __future__ import annotations

from pathlib import Path

import pytest

from warta.core.record import Article
from warta.lang import reading
from warta.nlp.entities import EntityStage
from warta.nlp.quotes import QuoteStage

MODELS = Path(__file__).resolve().parents[1] / "src" / "warta" / "models"


@pytest.fixture(scope="module")
def entities() -> EntityStage:
    stage = EntityStage()
    stage.setup()
    return stage


def _mentions(stage: EntityStage, text: str) -> list[tuple[str, str]]:
    article = stage.run_one(Article(source="<en>", body=text, language="en"))
    assert article.errors == []
    return [(m.text, m.type) for m in article.entities]


def test_english_pages_read_english_data() -> None:
    for needs in ("entities", "quote_cues.toml", "times.toml", "event_verbs.toml", "keywords"):
        assert reading("en", needs).code == "en", needs
    assert reading("en", "gazetteer.toml").code == "id"  # one gazetteer for every language


def test_possessives_are_not_part_of_names(entities: EntityStage) -> None:
    got = _mentions(
        entities,
        "Malaysian Prime Minister Anwar Ibrahim’s visit to Jakarta was welcomed by "
        "Indonesia’s President Joko Widodo.",
    )
    texts = [t for t, _ in got]
    assert not any(t.endswith(("’s", "'s")) for t in texts), got
    assert ("Indonesia", "PLACE") in got
    assert any(t.endswith("Anwar Ibrahim") for t in texts), got


def test_a_trailing_word_is_not_part_of_a_name(entities: EntityStage) -> None:
    got = _mentions(entities, "Former chancellor Kwasi Kwarteng as well as Rishi Sunak attended.")
    assert got == [("Kwasi Kwarteng", "PERSON"), ("Rishi Sunak", "PERSON")]
    got = _mentions(entities, "Chris Bowen will meet Indonesian officials in Bali.")
    assert ("Chris Bowen", "PERSON") in got


def test_a_sentence_initial_adverb_is_not_a_name(entities: EntityStage) -> None:
    got = _mentions(entities, "Luckily, nobody was hurt in the blast in Bandung, police said.")
    assert got == [("Bandung", "PLACE")]


def _quotes(text: str) -> list[tuple[str, str | None, str | None, str | None]]:
    article = Article(source="<en>", body=text, language="en")
    article = QuoteStage().run_one(EntityStage().run_one(article))
    return [(q.kind, q.speaker, q.cue, q.role) for q in article.quotes]


def test_english_quote_cues() -> None:
    said = '"This is a historic day for Indonesia," said President Joko Widodo at the State Palace.'
    assert _quotes(said) == [("direct", "Joko Widodo", "said President Joko Widodo", "President")]
    according = "According to the police, the suspect was arrested in Bandung."
    assert _quotes(according) == [("indirect", "the police", "According to the police", None)]


def test_the_english_model_ships_with_its_card() -> None:
    card = (MODELS / "NER_EN_MODEL_CARD.md").read_text(encoding="utf-8")
    assert (MODELS / reading("en", "entities").settings()["model"]).is_file()
    for licence in ("CC BY 4.0", "CC BY 2.5", "CC BY-SA 3.0"):
        assert licence in card


def test_a_tagger_span_is_cut_at_its_last_capitalised_word() -> None:
    from warta.core.record import Mention
    from warta.nlp.entities import _without_lower_tail

    def cut(text: str, source: str = "ner") -> str:
        return _without_lower_tail(Mention(0, len(text), text, "PLACE", source=source)).text

    assert cut("Kwasi Kwarteng as") == "Kwasi Kwarteng"
    assert cut("Malaysia Airlines plane") == "Malaysia Airlines"
    assert cut("Jhongye Island, 中業島") == "Jhongye Island"
    assert cut("Launch Pad 39A") == "Launch Pad 39A"  # a number is part of a name
    assert cut("town") == "town"  # one word is left as it is
    assert cut("Lindi town", source="gazetteer") == "Lindi town"  # only tagger spans
