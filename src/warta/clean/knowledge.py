"""Compiled page knowledge: furniture rules, outlets and wire services, read from ``warta/lang``.

Rules from every language are merged, because pages mix them ("Share" and "Bagikan" on the
same Indonesian page). Compiled once per process (``lru_cache``), in the worker that needs them.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from warta.core import diskcache
from warta.core.record import LINE_LABELS
from warta.lang import LANGUAGES, load_toml


@dataclass(frozen=True, slots=True)
class FurnitureRule:
    label: str
    name: str
    max_words: int
    order: int  # position across all furniture files: the first rule that fires decides
    triggers: tuple[str, ...] = ()  # guarded rule: tried only if one of these is in the line
    pattern: re.Pattern[str] | None = None
    trigger_words: frozenset[str] = frozenset()  # a trigger's first word, matched as a word
    trigger_marks: tuple[str, ...] = ()  # triggers that are not words ("©", "("): substrings
    ends_with: tuple[str, ...] = ()  # guarded rule: tried only on lines ending so


def _is_word(trigger: str) -> bool:
    return trigger.replace(" ", "").isalnum()


def top_level_branches(pattern: str) -> list[str]:
    """Split a regex at its top-level ``|`` (outside groups, classes and escapes)."""
    branches, depth, in_class, escaped, start = [], 0, False, False, 0
    for i, ch in enumerate(pattern):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            branches.append(pattern[start:i])
            start = i + 1
    branches.append(pattern[start:])
    return branches


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
                triggers = tuple(t.lower() for t in entry.get("triggers", []))
                ends_with = tuple(entry.get("ends_with", []))
                rule = FurnitureRule(
                    label=label,
                    name=f"{lang}:{entry['name']}",
                    max_words=int(entry.get("max_words", 10_000)),
                    order=len(rules),
                    triggers=triggers,
                    ends_with=ends_with,
                    pattern=(
                        diskcache.compile(entry["pattern"], re.IGNORECASE)
                        if triggers or ends_with
                        else None
                    ),
                    # a phrase is guarded by its longest (rarest) word
                    trigger_words=frozenset(
                        max(t.split(), key=len) for t in triggers if _is_word(t)
                    ),
                    trigger_marks=tuple(t for t in triggers if not _is_word(t)),
                )
                unguarded = not (triggers or ends_with)
                if unguarded and not all(
                    b.startswith("^") for b in top_level_branches(entry["pattern"])
                ):
                    raise ValueError(
                        f"lang/{lang}/furniture.toml rule {entry['name']!r}: a pattern that can "
                        "match anywhere in a line needs `triggers`"
                    )
                if unguarded and ("A-Z" in entry["pattern"] or "(?-i" in entry["pattern"]):
                    raise ValueError(
                        f"lang/{lang}/furniture.toml rule {entry['name']!r}: a case-sensitive "
                        "pattern needs `triggers` (unguarded rules see the lower-cased line)"
                    )
                rules.append((rule, entry["pattern"]))
        self.rules = [r for r, _ in rules]
        self.guarded = [r for r in self.rules if r.pattern is not None]
        self._guard_words = frozenset().union(*(r.trigger_words for r in self.guarded))
        self._guard_marks = tuple({m for r in self.guarded for m in r.trigger_marks})
        self._guard_ends = "".join({e for r in self.guarded for e in r.ends_with})
        # Unguarded rules are anchored: one alternation per word-count threshold tests a line
        # against every rule that may fire at its length in a single regex call.
        plain = [(r, p) for r, p in rules if r.pattern is None]
        self._thresholds = sorted({r.max_words for r, _ in plain})
        self._by_threshold: list[re.Pattern[str]] = []
        for t in self._thresholds:
            parts = [f"(?P<r{r.order}>{p})" for r, p in plain if r.max_words >= t]
            self._by_threshold.append(diskcache.compile("|".join(parts)))
        # the first threshold at or above each word count (a binary search per count: the
        # largest threshold is 10,000 words)
        self._threshold_index = [
            bisect_left(self._thresholds, n) for n in range(self._thresholds[-1] + 1)
        ]

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
        self.outlet_pattern = diskcache.compile(
            r"(?<![\w.])(" + "|".join(re.escape(a) for a in aliases) + r")(?![\w])", re.IGNORECASE
        )

        self.wire_by_alias: dict[str, str] = {}
        for lang in LANGUAGES:
            for canonical, names in load_toml(lang, "wires").get("wires", {}).items():
                for name in (canonical, *names):
                    self.wire_by_alias.setdefault(name.casefold(), canonical)

    def match_furniture(
        self, line: str, n_words: int, words: list[str], lowered: str
    ) -> tuple[FurnitureRule, str] | None:
        """The first rule (in file order) that fires on ``line``, and the text it matched.
        ``words`` are the line's lower-cased words (the guard of guarded rules)."""
        best: tuple[FurnitureRule, str] | None = None
        if n_words <= self._thresholds[-1]:
            # lower-casing once is ~2x cheaper than an IGNORECASE alternation of 35 rules
            m = self._by_threshold[self._threshold_index[n_words]].match(lowered)
            if m is not None and m.lastgroup is not None:
                best = (self.rules[int(m.lastgroup[1:])], m.group(0))
        if (
            self._guard_words.isdisjoint(words)
            and not any(mark in line for mark in self._guard_marks)
            and not (line and line[-1] in self._guard_ends)
        ):
            return best
        word_set = set(words)
        for rule in self.guarded:
            if best is not None and rule.order > best[0].order:
                break
            if n_words > rule.max_words:
                continue
            if rule.ends_with:
                if not line.endswith(rule.ends_with):
                    continue
            elif rule.trigger_words.isdisjoint(word_set) and not any(
                mark in line for mark in rule.trigger_marks
            ):
                continue
            assert rule.pattern is not None
            m = rule.pattern.search(line)
            if m is not None:
                return rule, m.group(0)
        return best

    def outlet(self, alias: str) -> Outlet | None:
        return self.outlet_by_alias.get(alias.strip().casefold())

    def wire(self, alias: str) -> str | None:
        return self.wire_by_alias.get(alias.strip().strip(".").casefold())


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    return Knowledge()
