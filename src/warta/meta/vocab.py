"""The words the HTML metadata readers need, merged from every language's data.

Byline labels, desk and company words, role labels in keyword lists, name particles and
function words live in ``warta/lang/<code>/html_meta.toml`` and ``function_words.txt``;
this module only compiles them, once per process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from warta.lang import LANGUAGES, load_toml, load_words


@dataclass(frozen=True, slots=True)
class HtmlWords:
    byline: re.Pattern[str]  # a byline label at the start of a text ("Penulis:", "By")
    not_person: frozenset[str]  # a token that makes a name a desk or a company
    tag_roles: frozenset[str]  # "Editor" in "Editor: Andi" inside a keywords list
    particles: frozenset[str]  # lower-case words allowed inside a name ("bin", "van")
    function_words: frozenset[str]


@lru_cache(maxsize=1)
def html_words() -> HtmlWords:
    labels: list[str] = []
    not_person: set[str] = set()
    roles: set[str] = set()
    particles: set[str] = set()
    function_words: set[str] = set()
    for lang in LANGUAGES:
        function_words |= load_words(lang, "function_words")
        data = load_toml(lang, "html_meta")
        labels += [str(w).lower() for w in data.get("byline_labels", [])]
        not_person |= {str(w).lower() for w in data.get("not_person_words", [])}
        roles |= {str(w).lower() for w in data.get("tag_role_labels", [])}
        particles |= {str(w).lower() for w in data.get("name_particles", [])}
    alternatives = "|".join(
        r"\s+".join(re.escape(part) for part in w.split())
        for w in sorted(set(labels), key=len, reverse=True)
    )
    byline = re.compile(rf"^(?:{alternatives or '(?!)'})\b\s*[:|]?", re.IGNORECASE)
    return HtmlWords(
        byline=byline,
        not_person=frozenset(not_person),
        tag_roles=frozenset(roles),
        particles=frozenset(particles),
        function_words=frozenset(function_words),
    )
