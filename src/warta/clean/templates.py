"""Learned outlet templates: lines that repeat across many pages of one outlet are its furniture.

A page's lines are first labelled by the rules alone; then the lines that *look like furniture*
(short, not prose: the labeller's "heading" or "junk" shape, or a line a rule already removed)
are counted per outlet, once per page. A line (or a line opening before a colon or a quote,
"Simak Video: ...") seen on ``min_pages`` pages of the outlet, and on at least ``min_share`` of
them, is learned as that outlet's template and from then on removed with the label
``template`` and a rule naming what was learned. Learning never needs a second pass: what
was read so far is what is known (CLARIFICATIONS.md), so an outlet's first page is cleaned by
the rules alone.

No body line goes because it repeats: a sentence-shaped line is never a candidate, so a wire
lead that twenty outlets print word for word stays body on every page.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from warta.clean.lines import LineDecision, LineLabeller
from warta.clean.plaintext import PARAGRAPH_SEPARATOR, assemble
from warta.core import diskcache
from warta.core.errors import WartaError
from warta.core.record import KEPT_LABELS, Article, Block, RemovedLine
from warta.core.stage import Stage

#: Pages of one outlet a line must be seen on before it is learned (the test states it).
MIN_PAGES = 5
#: ... and the share of that outlet's pages read so far it must be seen on.
MIN_SHARE = 0.01
#: Furniture is short: longer lines are never candidates, whatever their shape.
MAX_WORDS = 12
#: Keys remembered per outlet; when full, keys seen on one page only are forgotten.
MAX_KEYS = 20_000
LABEL = "template"
FORMAT = "warta.templates.v1"

_DIGITS = diskcache.compile(r"\d+")
_SPACE = diskcache.compile(r"\s+")
# a teaser: a few words and a quoted headline to the end of the line ("Simak Video 'Judul':")
_TEASER = diskcache.compile(r"^(?P<p>[^\"'“‘]{2,40})[\"'“‘][^\"”]{4,}[\"'”’]\s*:?$")
# a line opening: the words before a colon ("Simak juga Video:") or a quote ("Simak Video '...")
_OPENING = diskcache.compile(r"^(?P<p>[^:\"'“‘]{2,40}?)\s*(?P<sep>:|[\"'“‘])")


class TemplateFileError(WartaError):
    """A templates data file that cannot be read."""

    reason = "bad_templates_file"


@dataclass(frozen=True, slots=True)
class Template:
    """One learned piece of an outlet's furniture: ``kind`` "line" (the whole line, digits
    folded) or "opening" (how a line starts); ``pages`` it was seen on, of ``outlet_pages``."""

    outlet: str
    kind: str
    key: str
    example: str
    pages: int
    outlet_pages: int

    @property
    def rule(self) -> str:
        return f"learned-{self.kind}:{self.key[:40]!r}"


def normalise(text: str) -> str:
    """Case, digits and spacing folded: "Halaman 2" and "HALAMAN 3" are one line."""
    return _SPACE.sub(" ", _DIGITS.sub("0", text.casefold())).strip()


def opening(text: str) -> str | None:
    """The opening of a line with something after it ("simak juga video:"), or None."""
    m = _OPENING.match(text)
    if m is None or len(m.group("p").split()) > 5 or not text[m.end() :].strip():
        return None
    return normalise(m.group("p")) + m.group("sep").replace("“", '"').replace("‘", "'")


def is_candidate(ln: LineDecision) -> bool:
    """Furniture-like: short and not prose (the labeller's "heading" or "junk" shape, or a line
    a rule removed in the first pass), or a teaser: a few words and a quoted headline. A line
    the labeller reads as a sentence is never one, so body text is never learned."""
    if len(ln.text) > 200:
        return False
    if ln.shape in ("heading", "junk"):
        return len(ln.words) <= MAX_WORDS
    if not ln.shape:  # decided by a rule in the first pass
        return bool(ln.label) and ln.label not in KEPT_LABELS and len(ln.words) <= MAX_WORDS
    m = _TEASER.match(ln.text)
    return m is not None and len(m.group("p").split()) <= 5


@dataclass(frozen=True, slots=True)
class PageEvidence:
    """What one page teaches a learner: its candidate keys ((kind, key, example), each once)
    and, per opening, the line it opened. Small and picklable: workers send it back."""

    keys: tuple[tuple[str, str, str], ...]
    openings: tuple[tuple[str, str], ...]


def page_evidence(lines: Iterable[LineDecision]) -> PageEvidence:
    """The evidence of one page's labelled lines (each key once, with its smallest text)."""
    keys: dict[tuple[str, str], str] = {}
    openings: set[tuple[str, str]] = set()

    def note(key: tuple[str, str], text: str) -> None:
        known = keys.get(key)
        if known is None or text < known:
            keys[key] = text

    for ln in lines:
        if not is_candidate(ln):
            continue
        line_key = normalise(ln.text)
        note(("line", line_key), ln.text)
        head = opening(ln.text)
        if head is not None:
            note(("opening", head), ln.text)
            openings.add((head, line_key))
    return PageEvidence(
        tuple((kind, key, text) for (kind, key), text in sorted(keys.items())),
        tuple(sorted(openings)),
    )


class TemplateLearner:
    """Per-outlet counts of furniture-like lines, and the templates they amount to."""

    def __init__(
        self, *, min_pages: int = MIN_PAGES, min_share: float = MIN_SHARE, max_keys: int = MAX_KEYS
    ) -> None:
        self.min_pages, self.min_share, self.max_keys = min_pages, min_share, max_keys
        self.pages: Counter[str] = Counter()
        self.counts: dict[str, Counter[tuple[str, str]]] = {}
        self.examples: dict[str, dict[tuple[str, str], str]] = {}
        # openings seen with more than one distinct line: only those are learned as openings
        self._opening_lines: dict[str, dict[str, set[str]]] = {}
        #: outlets observed since :meth:`take_dirty` was last called (what a store must save)
        self.dirty: set[str] = set()

    # -- learning ---------------------------------------------------------------------------
    def observe(self, outlet: str, lines: Iterable[LineDecision]) -> PageEvidence:
        """Count one page of ``outlet``: each candidate line (and its opening) once. Returns
        what the page taught, so a worker process can send it to the learner that keeps it."""
        evidence = page_evidence(lines)
        self.add(outlet, evidence)
        return evidence

    def add(self, outlet: str, evidence: PageEvidence) -> None:
        """Count one page's evidence. Order-independent: counts add up, the example kept is
        the smallest text seen and an opening keeps its two smallest lines, so pages counted
        in any order (workers of ``-j N``) leave the state one process leaves (while no
        outlet exceeds ``max_keys``, whose forgetting depends on when it happens)."""
        counts = self.counts.setdefault(outlet, Counter())
        examples = self.examples.setdefault(outlet, {})
        variants = self._opening_lines.setdefault(outlet, {})
        for kind, key, text in evidence.keys:
            counts[(kind, key)] += 1
            known = examples.get((kind, key))
            if known is None or text < known:
                examples[(kind, key)] = text
        for head, line in evidence.openings:
            lines_seen = variants.setdefault(head, set())
            if line not in lines_seen:
                lines_seen.add(line)
                if len(lines_seen) > 2:  # the two smallest, whatever the order
                    lines_seen.remove(max(lines_seen))
        self.pages[outlet] += 1
        self.dirty.add(outlet)
        if len(counts) > self.max_keys:
            for once in [k for k, n in counts.items() if n <= 1]:
                del counts[once]
                examples.pop(once, None)

    def _learned(self, outlet: str, key: tuple[str, str]) -> Template | None:
        counts = self.counts.get(outlet)
        if counts is None:
            return None
        n = counts.get(key, 0)
        total = self.pages[outlet]
        if n < self.min_pages or n < self.min_share * total:
            return None
        if key[0] == "opening" and len(self._opening_lines[outlet].get(key[1], ())) < 2:
            return None  # one line always: the line template says it better
        return Template(outlet, key[0], key[1], self.examples[outlet].get(key, key[1]), n, total)

    # -- applying ---------------------------------------------------------------------------
    def match(self, outlet: str, ln: LineDecision) -> Template | None:
        """The template this line is an instance of, if any (never a sentence-shaped line)."""
        if outlet not in self.counts or not is_candidate(ln):
            return None
        found = self._learned(outlet, ("line", normalise(ln.text)))
        if found is None and (head := opening(ln.text)) is not None:
            found = self._learned(outlet, ("opening", head))
        return found

    def preset(self, outlet: str, lines: list[LineDecision]) -> dict[int, tuple[str, str]]:
        """Label presets for the labeller: learned furniture among the not-yet-labelled lines."""
        out: dict[int, tuple[str, str]] = {}
        for ln in lines:
            if ln.label:
                continue
            template = self.match(outlet, ln)
            if template is not None:
                out[ln.pos] = (LABEL, template.rule)
        return out

    # -- listing and the data file ----------------------------------------------------------
    def templates(self, outlet: str | None = None) -> list[Template]:
        """Every learned template (of one outlet, or all), most widespread first."""
        out = []
        for name in [outlet] if outlet is not None else sorted(self.counts):
            for key in self.counts.get(name, Counter()):
                template = self._learned(name, key)
                if template is not None:
                    out.append(template)
        return sorted(out, key=lambda t: (t.outlet, -t.pages, t.kind, t.key))

    def outlet_state(self, outlet: str) -> dict[str, Any]:
        """What was learned of one outlet (pages, counts, openings): the unit a store keeps.
        Keys seen on one page only are left out (they are most keys, and teach nothing yet)."""
        counts = self.counts.get(outlet, Counter())
        examples = self.examples.get(outlet, {})
        return {
            "pages": self.pages[outlet],
            "counts": [
                [kind, key, n, examples.get((kind, key), key)]
                for (kind, key), n in sorted(counts.items(), key=lambda kn: (-kn[1], kn[0]))
                if n > 1
            ],
            "openings": {
                k: sorted(v) for k, v in self._opening_lines.get(outlet, {}).items() if len(v) > 1
            },
        }

    def load_outlet_state(self, outlet: str, state: Mapping[str, Any]) -> None:
        """Take up an outlet's state from :meth:`outlet_state` (replacing what is known of it)."""
        self.pages[outlet] = int(state["pages"])
        counts = self.counts[outlet] = Counter()
        examples = self.examples[outlet] = {}
        for kind, key, n, example in state["counts"]:
            counts[(str(kind), str(key))] = int(n)
            examples[(str(kind), str(key))] = str(example)
        self._opening_lines[outlet] = {
            str(k): set(map(str, v)) for k, v in state.get("openings", {}).items()
        }

    def take_dirty(self) -> dict[str, dict[str, Any]]:
        """The states of the outlets observed since the last call (then forgotten as dirty)."""
        out = {outlet: self.outlet_state(outlet) for outlet in sorted(self.dirty)}
        self.dirty.clear()
        return out

    def to_dict(self) -> dict[str, Any]:
        """The data file: learned templates plus the counts that let learning go on."""
        return {
            "format": FORMAT,
            "min_pages": self.min_pages,
            "min_share": self.min_share,
            "templates": [asdict(t) for t in self.templates()],
            "outlets": {outlet: self.outlet_state(outlet) for outlet in sorted(self.counts)},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "<templates>") -> TemplateLearner:
        if not isinstance(data, Mapping) or data.get("format") != FORMAT:
            raise TemplateFileError(f"not a warta templates file ({FORMAT})", source=source)
        try:
            learner = cls(min_pages=int(data["min_pages"]), min_share=float(data["min_share"]))
            for outlet, entry in data["outlets"].items():
                learner.load_outlet_state(str(outlet), entry)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise TemplateFileError(f"malformed templates file: {exc!r}", source=source) from None
        return learner

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=1) + "\n")

    @classmethod
    def load(cls, path: Path) -> TemplateLearner:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise TemplateFileError(f"cannot read templates: {exc}", source=str(path)) from None
        return cls.from_dict(data, source=str(path))


def observe_body(learner: TemplateLearner, labeller: LineLabeller, outlet: str, body: str) -> None:
    """Learn from a stored article's body: its paragraphs and crossheads are what the cleaner
    kept, so furniture that slipped past the rules (and repeats) is exactly what shows here."""
    learner.observe(outlet, labeller.first_pass(body))


def outlet_key(article: Article) -> str | None:
    """Whose furniture a page carries: the outlet the metadata stages named."""
    return article.outlet or None


class TemplateStage(Stage):
    """``clean.templates.v1``: removes the furniture learned from the outlet's earlier pages
    (this run's, and those the store kept), then learns from this page. A plain-text page is
    labelled again with the learned lines preset; on an HTML page the body blocks that are a
    learned line are taken out (the HTML cleaner's own decisions stand). Stateful by design,
    so it is not in the default pipeline: ``warta ingest`` adds it, seeded from the store's
    templates and saving what it learns there. In a worker process (``-j N``, Dask) the stage
    starts from the state the ingest hands it (:meth:`adopt`) and gives back what each page
    taught (:meth:`take_evidence`), which the ingest merges and keeps."""

    name = "clean.templates.v1"
    requires = frozenset({"body", "blocks", "removed", "outlet"})
    provides = frozenset({"body", "blocks", "removed"})

    def __init__(self, learner: TemplateLearner | None = None) -> None:
        super().__init__()
        self.learner = learner or TemplateLearner()
        self.labeller = LineLabeller()
        self._taught: tuple[str, PageEvidence] | None = None

    def adopt(self, state: Mapping[str, Mapping[str, Any]]) -> None:
        """Start again from outlet states (:meth:`TemplateLearner.outlet_state`, as a store
        keeps them): a worker takes up what the ingest has learned so far."""
        learner = TemplateLearner(
            min_pages=self.learner.min_pages,
            min_share=self.learner.min_share,
            max_keys=self.learner.max_keys,
        )
        for outlet, entry in state.items():
            learner.load_outlet_state(outlet, entry)
        learner.dirty.clear()
        self.learner = learner

    def take_evidence(self) -> tuple[str, PageEvidence] | None:
        """The outlet and evidence of the last page this stage learned from (then forgotten)."""
        taught, self._taught = self._taught, None
        return taught

    def process(self, article: Article) -> Article:
        outlet = outlet_key(article)
        if outlet is None:
            return article
        if article.content_type == "text/html":
            return self._html(article, outlet)
        if article.content_type != "text/plain":
            return article
        text = article.raw_text.replace("\r\n", "\n")
        lines = self.labeller.first_pass(text)
        preset = self.learner.preset(outlet, lines)
        if preset:
            decisions = self.labeller.label(text, preset=preset, lines=lines)
            if any(d.label in KEPT_LABELS for d in decisions):
                article.body, article.blocks, article.removed = "", [], []
                article = assemble(article, decisions)
                self.counters["template_lines_removed"] += len(preset)
        self._taught = (outlet, self.learner.observe(outlet, lines))
        return article

    def _html(self, article: Article, outlet: str) -> Article:
        """Take the body blocks that are learned furniture out of an HTML page's body (the
        rendered page text, one line per block, is what is counted)."""
        lines = self.labeller.first_pass(article.raw_text)
        learned: dict[str, tuple[LineDecision, Template]] = {}
        for ln in lines:
            template = self.learner.match(outlet, ln)
            if template is not None:
                learned.setdefault(ln.text, (ln, template))
        if learned:
            drop_blocks(article, learned)
        self._taught = (outlet, self.learner.observe(outlet, lines))
        return article


def drop_blocks(article: Article, learned: Mapping[str, tuple[LineDecision, Template]]) -> None:
    """Remove the body blocks whose text is a learned line, keeping at least one block (in
    place): each goes to ``removed`` with the label ``template`` and the rule it matched."""
    body = article.body
    kept: list[tuple[str, str]] = []
    gone: list[RemovedLine] = []
    for block in article.blocks:
        text = body[block.start : block.end]
        hit = learned.get(text)
        if hit is None or block.kind not in ("paragraph", "heading", "list_item"):
            kept.append((block.kind, text))
            continue
        ln, template = hit
        gone.append(RemovedLine(ln.line, ln.start, ln.end, ln.text, LABEL, template.rule))
    if not gone or not kept:
        return
    pieces: list[str] = []
    blocks: list[Block] = []
    pos = 0
    for kind, text in kept:
        if pieces:
            pieces.append(PARAGRAPH_SEPARATOR)
            pos += len(PARAGRAPH_SEPARATOR)
        blocks.append(Block(kind, pos, pos + len(text)))
        pieces.append(text)
        pos += len(text)
    article.body, article.blocks = "".join(pieces), blocks
    article.removed = sorted([*article.removed, *gone], key=lambda r: (r.start, r.end))
