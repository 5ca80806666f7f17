"""warta.nlp.resolve: in-document resolution of names and pronouns.

Every paragraph here is SELF-WRITTEN (invented people, in the style of Indonesian news),
except the seed page test, which reads ../shared/seed.
"""

from __future__ import annotations

import re

import pytest

from warta.core.record import Mention
from warta.lang import load_words
from warta.nlp.linking import Linker
from warta.nlp.resolve import resolve_mentions, resolve_pronoun, sentence_bounds

from conftest import SEED_DIR, load_json, require_shared


@pytest.fixture(scope="module")
def linker() -> Linker:
    return Linker.load()


@pytest.fixture(scope="module")
def bare() -> Linker:
    """Titles but no gazetteer: everything must come from the document itself."""
    return Linker([], load_words("id", "honorifics") | load_words("en", "honorifics"))


def at(body: str, text: str, type_: str, occurrence: int = 1) -> Mention:
    """A Mention of the ``occurrence``-th ``text`` in ``body`` (as a whole word)."""
    found = [m.start() for m in re.finditer(r"\b" + re.escape(text) + r"\b", body)]
    start = found[occurrence - 1]
    return Mention(start, start + len(text), text, type_)


def test_gazetteer_links_and_keeps_the_source(linker: Linker) -> None:
    body = "Presiden Barack Obama bertemu Presiden Jokowi di Jakarta. Obama memuji Indonesia."
    mentions = [
        at(body, "Presiden Barack Obama", "PERSON"),
        at(body, "Presiden Jokowi", "PERSON"),
        at(body, "Jakarta", "PLACE"),
        at(body, "Obama", "PERSON", 2),
        at(body, "Indonesia", "PLACE"),
    ]
    out = resolve_mentions(mentions, body, linker)
    assert [(m.entity_id, m.canonical) for m in out] == [
        ("Q76", "Barack Obama"),
        ("warta:person:joko-widodo", "Joko Widodo"),
        ("Q3630", "Jakarta"),
        ("Q76", "Barack Obama"),
        ("Q252", "Indonesia"),
    ]
    # the bare "Obama" resolves to the full name earlier in the text before the gazetteer
    assert [m.source for m in out] == ["ner", "ner", "ner", "resolved", "ner"]


def test_short_name_resolves_to_the_earlier_full_name(bare: Linker) -> None:
    body = "Barack Obama tiba di Bali. Obama disambut warga."
    mentions = [at(body, "Barack Obama", "PERSON"), at(body, "Obama", "PERSON", 2)]
    out = resolve_mentions(mentions, body, bare)
    assert out[0].entity_id == out[1].entity_id == "warta:person:barack-obama"
    assert out[1].canonical == "Barack Obama"
    assert (out[0].source, out[1].source) == ("ner", "resolved")


def test_unknown_person_titled_and_short_forms(linker: Linker) -> None:
    body = (
        "Kepala Desa Ahmad Suryadi menyerahkan bantuan kepada warga. "
        "Menurut Pak Suryadi, bantuan itu berasal dari kas desa. "
        "Suryadi berharap warga bersabar."
    )
    mentions = [
        at(body, "Kepala Desa Ahmad Suryadi", "PERSON"),
        at(body, "Pak Suryadi", "PERSON"),
        at(body, "Suryadi", "PERSON", 3),
    ]
    out = resolve_mentions(mentions, body, linker)
    assert {m.entity_id for m in out} == {"warta:person:ahmad-suryadi"}
    assert {m.canonical for m in out} == {"Ahmad Suryadi"}
    assert [m.source for m in out] == ["ner", "resolved", "resolved"]


def test_a_short_first_mention_resolves_to_a_later_full_name(bare: Linker) -> None:
    body = "Suryadi menolak tuduhan itu. Kuasa hukum Ahmad Suryadi akan mengajukan banding."
    mentions = [at(body, "Suryadi", "PERSON"), at(body, "Ahmad Suryadi", "PERSON")]
    out = resolve_mentions(mentions, body, bare)
    assert out[0].entity_id == out[1].entity_id == "warta:person:ahmad-suryadi"
    assert out[0].source == "resolved"


def test_the_longest_earlier_name_wins(bare: Linker) -> None:
    body = "Budi Santoso Wijaya dan Budi Santoso hadir. Budi lalu berpidato."
    mentions = [
        at(body, "Budi Santoso Wijaya", "PERSON"),
        at(body, "Budi Santoso", "PERSON", 2),
        at(body, "Budi", "PERSON", 3),
    ]
    out = resolve_mentions(mentions, body, bare)
    assert {m.entity_id for m in out} == {"warta:person:budi-santoso-wijaya"}


def test_the_documents_own_name_beats_a_gazetteer_guess(linker: Linker) -> None:
    # alone, "Marsudi" is the last name of one gazetteer person (Retno Marsudi) ...
    alone = linker.link("Marsudi", "PERSON")
    assert alone is not None and alone.canonical == "Retno Marsudi"
    # ... but this document names another Marsudi first
    body = "Petani Bambang Marsudi memanen padi. Marsudi mengatakan panen tahun ini baik."
    mentions = [at(body, "Bambang Marsudi", "PERSON"), at(body, "Marsudi", "PERSON", 2)]
    out = resolve_mentions(mentions, body, linker)
    assert out[1].entity_id == "warta:person:bambang-marsudi"
    assert out[1].source == "resolved"


def test_one_name_one_entity_whatever_the_tags(bare: Linker) -> None:
    body = "Wisatawan memadati Labuan Kecil. Pemerintah membangun dermaga di Labuan Kecil."
    mentions = [at(body, "Labuan Kecil", "PLACE"), at(body, "Labuan Kecil", "PERSON", 2)]
    out = resolve_mentions(mentions, body, bare)
    assert out[0].entity_id == out[1].entity_id
    assert out[1].type == "PERSON"  # the mention keeps its own tag


def test_order_existing_ids_and_bare_titles(bare: Linker) -> None:
    body = "Presiden menerima Siti Rahma. Rahma lalu pamit."
    rahma = at(body, "Rahma", "PERSON", 2)
    siti = at(body, "Siti Rahma", "PERSON")
    presiden = at(body, "Presiden", "PERSON")
    fixed = Mention(0, 8, "Presiden", "PERSON", entity_id="Q1", canonical="X", source="manual")
    out = resolve_mentions([rahma, siti, presiden], body, bare)
    assert [m.text for m in out] == ["Rahma", "Siti Rahma", "Presiden"]
    assert out[0].entity_id == "warta:person:siti-rahma"
    assert out[2].entity_id is None  # a title alone names no one
    assert resolve_mentions([fixed], body, bare) == [fixed]
    assert resolve_mentions([], body, bare) == []


# -- pronouns -----------------------------------------------------------------------------------

PARAGRAPH = (
    "Menteri Keuangan Sri Mulyani Indrawati mengatakan ekonomi tumbuh 5 persen. "
    "Dia optimistis target tahun ini tercapai. "
    "Sementara itu, Gubernur BI Perry Warjiyo bertemu Sri Mulyani di Jakarta. "
    "Ia mengatakan inflasi masih terkendali. "
    "Menurutnya, suku bunga tidak akan naik."
)


@pytest.fixture(scope="module")
def paragraph(linker: Linker) -> list[Mention]:
    mentions = [
        at(PARAGRAPH, "Menteri Keuangan Sri Mulyani Indrawati", "PERSON"),
        at(PARAGRAPH, "Gubernur BI Perry Warjiyo", "PERSON"),
        at(PARAGRAPH, "Sri Mulyani", "PERSON", 2),
        at(PARAGRAPH, "Jakarta", "PLACE"),
    ]
    return resolve_mentions(mentions, PARAGRAPH, linker)


def test_pronoun_refers_to_the_subject_of_the_previous_sentence(
    paragraph: list[Mention],
) -> None:
    dia = resolve_pronoun(PARAGRAPH, PARAGRAPH.index("Dia"), paragraph)
    assert dia is not None
    assert (dia.text, dia.canonical, dia.source) == ("Dia", "Sri Mulyani Indrawati", "pronoun")
    assert dia.entity_id == "warta:person:sri-mulyani-indrawati"
    start = PARAGRAPH.index("Dia")
    assert (dia.start, dia.end, dia.type) == (start, start + 3, "PERSON")
    ia = resolve_pronoun(PARAGRAPH, PARAGRAPH.index("Ia "), paragraph)
    assert ia is not None and ia.canonical == "Perry Warjiyo"  # the subject, not the object


def test_enclitic_nya(paragraph: list[Mention]) -> None:
    position = PARAGRAPH.index("Menurutnya") + len("Menurut")
    nya = resolve_pronoun(PARAGRAPH, position, paragraph)
    assert nya is not None and nya.text == "nya" and nya.canonical == "Perry Warjiyo"


def test_pronoun_in_the_same_sentence_and_in_english(bare: Linker) -> None:
    body = "Ahmad Suryadi mengatakan dia akan mencalonkan diri."
    mentions = resolve_mentions([at(body, "Ahmad Suryadi", "PERSON")], body, bare)
    dia = resolve_pronoun(body, body.index("dia"), mentions)
    assert dia is not None and dia.entity_id == "warta:person:ahmad-suryadi"
    english = "Maria Lopez met John Park in Manila. She said the talks went well."
    people = [at(english, "Maria Lopez", "PERSON"), at(english, "John Park", "PERSON")]
    she = resolve_pronoun(english, english.index("She"), resolve_mentions(people, english, bare))
    assert she is not None and she.canonical == "Maria Lopez"


def test_no_pronoun_or_no_person_gives_none(paragraph: list[Mention]) -> None:
    assert resolve_pronoun(PARAGRAPH, PARAGRAPH.index("ekonomi"), paragraph) is None
    assert resolve_pronoun(PARAGRAPH, len(PARAGRAPH), paragraph) is None
    body = "Dia datang terlambat."
    assert resolve_pronoun(body, 0, []) is None


def test_sentence_bounds_come_from_the_splitter() -> None:
    body = 'Satu dua. "Tiga?" kata Dr. Budi.\n\nEmpat'
    assert [body[s:e] for s, e in sentence_bounds(body)] == [
        "Satu dua.",
        '"Tiga?" kata Dr. Budi.',
        "Empat",
    ]
    assert sentence_bounds("") == ()


def test_seed_dia_is_barack_obama(linker: Linker) -> None:
    expected = load_json(require_shared("seed", "expected.json"))
    body = (SEED_DIR / "000_e34af48cd88e996e.txt").read_text(encoding="utf-8")
    mentions: list[Mention] = []
    for type_, groups in expected["entities"].items():
        for forms in groups.values():
            for form in forms:
                if form != "dia":
                    for hit in re.finditer(r"\b" + re.escape(form) + r"\b", body):
                        mentions.append(Mention(hit.start(), hit.end(), form, type_))
    resolved = resolve_mentions(mentions, body, linker)
    ids = expected["entity_ids"]
    assert all(m.entity_id is not None for m in resolved)
    by_text = {m.text: m.entity_id for m in resolved}
    assert by_text["Obama"] == by_text["Barack Obama"] == ids["Barack Obama"]
    assert by_text["putin"] == by_text["Putin"] == ids["Vladimir Putin"]
    dia = resolve_pronoun(body, body.index("dia mengatakan"), resolved)
    assert dia is not None and dia.entity_id == ids["Barack Obama"]
