"""Compiled page knowledge: furniture rules, outlets and wire services, read from ``warta/lang``.

Rules from every language are merged, because pages mix them ("Share" and "Bagikan" on the
same Indonesian page). Compiled once per process (``lru_cache``), in the worker that needs them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from warta.lang import LANGUAGES, load_toml
from warta.record import LINE_LABELS


@dataclass(frozen=True, slots=True)
class FurnitureRule:
    label: str
    name: str
    max_words: int


@dataclass(frozen=True, slots=True)
class Outlet:
    name: str
    aliases: tuple[str, ...]
    domains: tuple[str, ...]
    zone: str | None
    editions: dict[str, str]  # language -> the outlet's name in that language's edition


class Knowledge:
    """Everything the plain-text cleaner knows about pages, as compiled regexes and lookups."""

    def __init__(self) -> None:
        rules: list[tuple[FurnitureRule, str]] = []
        for lang in LANGUAGES:
            for entry in load_toml(lang, "furniture").get("rule", []):
                label = entry["label"]
                if label not in LINE_LABELS:
                    raise ValueError(f"lang/{lang}/furniture.toml: unknown label {label!r}")
                rule = FurnitureRule(label, f"{lang}:{entry['name']}", int(entry.get("max_words", 10_000)))
                rules.append((rule, entry["pattern"]))
        self.rules = [r for r, _ in rules]
        # One alternation per word-count threshold: a line is tested against the rules that may
        # fire at its length in a single regex search (about 15x faster than rule-by-rule).
        self._thresholds = sorted({r.max_words for r in self.rules})
        self._by_threshold: list[re.Pattern[str]] = []
        for t in self._thresholds:
            parts = [
                f"(?P<r{i}>{pattern})" for i, (rule, pattern) in enumerate(rules) if rule.max_words >= t
            ]
            self._by_threshold.append(re.compile("|".join(parts), re.IGNORECASE))

        self.outlets: list[Outlet] = []
        for lang in LANGUAGES:
            for entry in load_toml(lang, "outlets").get("outlet", []):
                self.outlets.append(
                    Outlet(
                        name=entry["name"],
                        aliases=tuple(entry.get("aliases", [])),
                        domains=tuple(entry.get("domains", [])),
                        zone=entry.get("zone"),
                        editions=dict(entry.get("editions", {})),
                    )
                )
        self.outlet_by_alias: dict[str, Outlet] = {}
        for outlet in self.outlets:
            for alias in (outlet.name, *outlet.aliases):
                self.outlet_by_alias.setdefault(alias.casefold(), outlet)
        aliases = sorted(self.outlet_by_alias, key=len, reverse=True)
        self.outlet_pattern = re.compile(
            r"(?<![\w.])(" + "|".join(re.escape(a) for a in aliases) + r")(?![\w])", re.IGNORECASE
        )

        self.wire_by_alias: dict[str, str] = {}
        for lang in LANGUAGES:
            for canonical, names in load_toml(lang, "wires").get("wires", {}).items():
                for name in (canonical, *names):
                    self.wire_by_alias.setdefault(name.casefold(), canonical)

    def match_furniture(self, line: str, n_words: int) -> tuple[FurnitureRule, str] | None:
        """The first furniture rule that fires on ``line`` and the text it matched."""
        for t, pattern in zip(self._thresholds, self._by_threshold):
            if t >= n_words:
                m = pattern.search(line)
                if m is None or m.lastgroup is None:
                    return None
                return self.rules[int(m.lastgroup[1:])], m.group(0)
        return None

    def outlet(self, alias: str) -> Outlet | None:
        return self.outlet_by_alias.get(alias.strip().casefold())

    def wire(self, alias: str) -> str | None:
        return self.wire_by_alias.get(alias.strip().strip(".").casefold())


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    return Knowledge()
