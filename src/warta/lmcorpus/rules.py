"""The keep/drop rules: thresholds read from a TOML file (``rules.toml`` beside this module
holds the defaults and says why each is what it is), and the decision for one document."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from importlib.resources import files
from pathlib import Path
from typing import Any

from warta.core.errors import InputError
from warta.lmcorpus.signals import Signals

__all__ = ["Rules", "decide", "load_rules"]


@dataclass(frozen=True, slots=True)
class Rules:
    """Every threshold, flat (names as in ``rules.toml``)."""

    keep_languages: tuple[str, ...] = ("id",)
    min_confidence: float = 0.3
    max_dup_para_share: float = 0.30
    max_dup_para_char_share: float = 0.20
    max_dup_line_share: float = 0.30
    max_dup_line_char_share: float = 0.20
    max_top_ngram_char_share: dict[int, float] = field(default_factory=dict)
    max_dup_ngram_char_share: dict[int, float] = field(default_factory=dict)
    min_words: int = 50
    max_words: int = 100000
    min_mean_word_length: float = 3.0
    max_mean_word_length: float = 10.0
    max_hash_word_ratio: float = 0.10
    max_ellipsis_word_ratio: float = 0.10
    max_bullet_line_share: float = 0.90
    max_ellipsis_line_share: float = 0.30
    min_alpha_word_share: float = 0.80
    min_stopwords: int = 2
    min_punct_line_share: float = 0.12
    exact: bool = True
    near: bool = True
    near_threshold: float = 0.8
    num_perm: int = 128
    shingle: int = 5

    def to_dict(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["keep_languages"] = list(self.keep_languages)
        for key in ("max_top_ngram_char_share", "max_dup_ngram_char_share"):
            out[key] = {str(k): v for k, v in out[key].items()}
        return out


_TABLES = ("language", "repetition", "quality", "lines", "dedup")


def _flat(data: dict[str, Any], source: str) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for table, values in data.items():
        if table not in _TABLES or not isinstance(values, dict):
            raise InputError(f"unknown rules table [{table}]: one of {', '.join(_TABLES)}", source=source)
        for key, value in values.items():
            flat["keep_languages" if key == "keep" else key] = value
    return flat


def _typed(flat: dict[str, Any], source: str) -> dict[str, Any]:
    known = {f.name: f for f in fields(Rules)}
    out: dict[str, Any] = {}
    for key, value in flat.items():
        if key not in known:
            raise InputError(f"unknown rule {key!r}", source=source)
        try:
            if key == "keep_languages":
                out[key] = tuple(str(v) for v in value)
            elif key.endswith("ngram_char_share"):
                out[key] = {int(k): float(v) for k, v in dict(value).items()}
            elif isinstance(known[key].default, bool):
                out[key] = bool(value)
            elif isinstance(known[key].default, int):
                out[key] = int(value)
            else:
                out[key] = float(value)
        except (TypeError, ValueError) as exc:
            raise InputError(f"rule {key!r} has a value of the wrong kind: {value!r}", source=source) from exc
    return out


def load_rules(path: Path | None = None) -> Rules:
    """The default rules, with the values of ``path`` (a TOML file like ``rules.toml``) over
    them."""
    default = tomllib.loads(files("warta.lmcorpus").joinpath("rules.toml").read_text("utf-8"))
    values = _typed(_flat(default, "rules.toml"), "rules.toml")
    if path is not None:
        try:
            given = tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise InputError(f"cannot read the rules file: {exc.strerror or exc}", source=str(path)) from exc
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"the rules file is not valid TOML: {exc}", source=str(path)) from exc
        values.update(_typed(_flat(given, str(path)), str(path)))
    return Rules(**values)


def decide(s: Signals, r: Rules) -> str | None:
    """The name of the first rule ``s`` fails, or None (kept)."""
    if s.language not in r.keep_languages:
        return "language"
    if s.language_confidence < r.min_confidence:
        return "language_confidence"
    checks: list[tuple[bool, str]] = [
        (s.dup_para_share > r.max_dup_para_share, "dup_para_share"),
        (s.dup_para_char_share > r.max_dup_para_char_share, "dup_para_char_share"),
        (s.dup_line_share > r.max_dup_line_share, "dup_line_share"),
        (s.dup_line_char_share > r.max_dup_line_char_share, "dup_line_char_share"),
    ]
    for rule, failed in checks:
        if rule:
            return failed
    for n, limit in sorted(r.max_top_ngram_char_share.items()):
        if s.top_ngram_char_share.get(n, 0.0) > limit:
            return f"top_{n}_gram"
    for n, limit in sorted(r.max_dup_ngram_char_share.items()):
        if s.dup_ngram_char_share.get(n, 0.0) > limit:
            return f"dup_{n}_gram"
    quality: list[tuple[bool, str]] = [
        (s.words < r.min_words, "too_few_words"),
        (s.words > r.max_words, "too_many_words"),
        (s.mean_word_length < r.min_mean_word_length, "short_words"),
        (s.mean_word_length > r.max_mean_word_length, "long_words"),
        (s.hash_word_ratio > r.max_hash_word_ratio, "hashes"),
        (s.ellipsis_word_ratio > r.max_ellipsis_word_ratio, "ellipses"),
        (s.bullet_line_share > r.max_bullet_line_share, "bullet_lines"),
        (s.ellipsis_line_share > r.max_ellipsis_line_share, "ellipsis_lines"),
        (s.alpha_word_share < r.min_alpha_word_share, "few_alpha_words"),
        (s.stopwords < r.min_stopwords, "few_stopwords"),
        (s.punct_line_share < r.min_punct_line_share, "few_punct_lines"),
    ]
    for rule, failed in quality:
        if rule:
            return failed
    return None
