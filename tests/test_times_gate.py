"""The time-expression gate grouped by first character finds the places the plain alternation
of the rules finds (nlp.times scans the body once with it)."""

from __future__ import annotations

import re

import pytest

from warta.lang import LANGUAGES
from warta.nlp import times as T

TEXTS = [
    "Jakarta - Presiden tiba pukul 14.30 WIB, Senin (12/3/2018), dua pekan lalu; tahun 1990-an.",
    "Last Friday at 10:30 GMT, three weeks ago, in mid-March 2019, early next year.",
    "٣ hari lalu, ١٢ Maret — kemarin sore; besok pagi! awal bulan depan",
    "2019 tahun ini; pertengahan tahun depan. 5 menit kemudian 'kemarin' \"besok\"",
    "",
    "x",
]


def _plain(codes: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    bodies = [
        "(?:" + T._NAMED_GROUP.sub("(?:", rule.pattern.pattern[len(T._B) :]) + ")"
        for rule in T._all_rules(codes)
    ]
    alternation = "(?=" + "|".join(bodies) + ")"
    return re.compile(r"\W" + alternation), re.compile(alternation)


@pytest.mark.parametrize("language", [None, *LANGUAGES])
def test_grouped_gate_finds_the_same_places(language: str | None) -> None:
    codes = T.rule_languages(language)
    gate = T._gate(codes)
    if gate is None:
        pytest.skip(f"no gate for {codes}")
    after, start = _plain(codes)
    assert gate.after_non_word.pattern != after.pattern  # grouped, not the plain alternation
    found = 0
    for text in TEXTS:
        low = text.lower()
        want = ([0] if start.match(low) else []) + [m.end() for m in after.finditer(low)]
        got = ([0] if gate.at_start.match(low) else []) + [
            m.end() for m in gate.after_non_word.finditer(low)
        ]
        assert got == want, text
        found += len(got)
    assert found > 10


def test_first_characters_of_patterns() -> None:
    parse = T.re_parser.parse
    assert T._firsts(parse("(?:abc|d[ef])").data) == ({"a", "d"}, False, False)
    assert T._firsts(parse(r"(?:x\s+)?\d{2}").data) == ({"x"}, True, False)
    assert T._firsts(parse("(?:ab)?").data) == ({"a"}, False, True)  # can match nothing
    assert T._firsts(parse(r"\w+").data) is None  # not worked out: left whole
    assert T._firsts(parse("(?i:abc)").data) is None  # either case could start it
