"""Golden test: the seed's people, organisations and places, with their surface forms, linked
to canonical entities (by Wikidata id where expected.json gives one, else by name)."""

from __future__ import annotations

from collections import defaultdict

import pytest

from warta.api import extract_text
from warta.core.record import Article

from conftest import load_json, require_shared


@pytest.fixture(scope="module")
def seed() -> tuple[Article, dict]:
    folder = require_shared("seed")
    page = folder / "000_e34af48cd88e996e.txt"
    return extract_text(page.read_bytes(), source=str(page)), load_json(folder / "expected.json")


def _groups(article: Article) -> dict[tuple[str, str], set[str]]:
    groups: dict[tuple[str, str], set[str]] = defaultdict(set)
    for m in article.entities:
        assert m.canonical and m.entity_id
        assert article.body[m.start : m.end] == m.text
        groups[(m.type, m.entity_id)].add(m.text)
    return groups


def test_every_expected_entity_group_is_found_and_linked(seed: tuple[Article, dict]) -> None:
    article, expected = seed
    groups = _groups(article)
    by_name = {m.canonical: m for m in article.entities}
    for kind, entities in expected["entities"].items():
        for name, forms in entities.items():
            qid = expected["entity_ids"].get(name)
            key = (
                (kind, qid) if qid else (kind, by_name[name].entity_id) if name in by_name else None
            )
            assert key is not None and key in groups, (kind, name)
            assert set(forms) <= groups[key], (name, forms, groups[key])


def test_no_entity_is_found_that_the_text_does_not_support(seed: tuple[Article, dict]) -> None:
    article, expected = seed
    expected_ids = set(expected["entity_ids"].values())
    expected_names = {n for group in expected["entities"].values() for n in group}
    for m in article.entities:
        assert m.entity_id in expected_ids or m.canonical in expected_names, m


def test_the_pronoun_is_the_speaker(seed: tuple[Article, dict]) -> None:
    article, _ = seed
    pronouns = [m for m in article.entities if m.source == "pronoun"]
    assert [(m.text, m.canonical) for m in pronouns] == [("dia", "Barack Obama")]
