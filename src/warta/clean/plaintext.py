"""Stage ``clean.plaintext.v1``: labelled lines in, clean body with blocks and removals out."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from warta.clean.credit import parse_credit, parse_credit_line, parse_period_dateline
from warta.clean.knowledge import knowledge
from warta.clean.lines import LineDecision, function_words, label_lines
from warta.clean.syndication import provenance
from warta.core import diskcache
from warta.core.errors import NoArticleText
from warta.core.record import Article, Block, RemovedLine
from warta.core.stage import Stage
from warta.lang import LANGUAGES, load_toml

PARAGRAPH_SEPARATOR = "\n\n"
# Trailing credits glued to the last paragraph: "... kata dia. (rdp/imk)", "... (Ant)".
_TRAILING_INITIALS = diskcache.compile(r"\s+\(\s*[a-z0-9]{2,5}(?:\s*/\s*[a-z0-9]{2,5}){1,3}\s*\)$")


@cache
def _trailing_wire() -> re.Pattern[str]:
    """A wire credit in brackets glued to the last paragraph ("... (Reuters)"): the names
    that ``trailing`` lists in the languages' ``wires.toml``."""
    names = [
        str(name) for lang in LANGUAGES for name in load_toml(lang, "wires").get("trailing", [])
    ]
    alternation = "|".join(re.escape(n.lower()) for n in dict.fromkeys(names)) or r"(?!x)x"
    return re.compile(rf"\s+\(\s*(?:{alternation})\s*\)$", re.IGNORECASE)


def _removed(d: LineDecision) -> RemovedLine:
    return RemovedLine(
        line=d.line, start=d.start, end=d.end, text=d.text, label=d.label, rule=d.rule
    )


def assemble(article: Article, decisions: list[LineDecision]) -> Article:
    """Build ``body``, ``blocks`` and ``removed`` from labelled lines (shared by the plain-text
    and HTML cleaners): kept lines become blocks, the lead loses its credit prefix, trailing
    initials and wire credits are split off, every other line is recorded with its label."""
    kb = knowledge()
    parts: list[tuple[str, str]] = []  # (block kind, text)
    removed: list[RemovedLine] = []
    lead_done = False
    for d in decisions:
        if d.label not in ("body", "crosshead"):
            removed.append(_removed(d))
            if d.label == "title" and article.title is None:
                article.title = d.text
            elif d.label == "dateline" and article.dateline is None:
                standalone = parse_credit_line(d.text, kb)
                article.dateline = standalone.place if standalone else None
            continue
        text, start = d.text, d.start
        if d.label == "body" and not lead_done and d.rule != "standfirst-under-title":
            # the lead (where a dateline credit opens) is the first paragraph after a standfirst
            lead_done = True
            credit = parse_credit(text, kb) or parse_period_dateline(text, function_words())
            if credit is not None:
                cut = len(credit.text)
                removed.append(
                    RemovedLine(
                        d.line, start, start + cut, credit.text, "dateline", "credit-prefix"
                    )
                )
                article.credit = credit.text
                article.dateline = credit.place
                text, start = text[cut:], start + cut
        for pattern, label, rule in (
            (_TRAILING_INITIALS, "byline", "trailing-initials"),
            (_trailing_wire(), "wire", "trailing-wire"),
        ):
            if not text.endswith(")"):
                break  # both tails close with a bracket: skip the regex scan
            m = pattern.search(text)
            if m is not None and m.start() > 0:
                tail = m.group(0).strip()
                t0 = start + len(text) - len(tail)
                removed.append(RemovedLine(d.line, t0, t0 + len(tail), tail, label, rule))
                text = text[: m.start()]
        if text:
            kind = d.kind or ("heading" if d.label == "crosshead" else "paragraph")
            parts.append(("list_item" if d.rule == "list-item" else kind, text))
    body_pieces: list[str] = []
    blocks: list[Block] = []
    pos = 0
    for kind, text in parts:
        if body_pieces:
            body_pieces.append(PARAGRAPH_SEPARATOR)
            pos += len(PARAGRAPH_SEPARATOR)
        blocks.append(Block(kind, pos, pos + len(text)))
        body_pieces.append(text)
        pos += len(text)
    article.body = "".join(body_pieces)
    article.blocks = blocks
    article.removed = sorted(removed, key=lambda r: (r.start, r.end))
    if article.syndicated_from is None:
        article.syndicated_from = provenance((d.label, d.text) for d in decisions)
    if not article.body:
        labels = Counter(r.label for r in removed)
        summary = ", ".join(f"{k} {v}" for k, v in labels.most_common()) or "no text"
        raise NoArticleText(
            f"no line of {len(decisions)} reads as article text ({summary})",
            source=article.source,
        )
    return article


class PlainTextCleaner(Stage):
    name = "clean.plaintext.v1"
    requires = frozenset({"raw_text"})
    provides = frozenset(
        {"body", "blocks", "removed", "title", "credit", "dateline", "syndicated_from"}
    )

    def process(self, article: Article) -> Article:
        return assemble(article, label_lines(article.raw_text))
