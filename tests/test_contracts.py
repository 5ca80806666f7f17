"""Honest contracts: every stage declares every field it writes, checking mode fails one that
does not, and one cleaning (and one metadata) stage picks its HTML or plain-text variant."""

from __future__ import annotations

import copy
import gzip

import pytest

from warta.clean.page_stage import CleanStage
from warta.core.errors import PipelineError
from warta.core.record import Article
from warta.core.registry import load_stage_class, stage_names
from warta.core.serialize import article_to_dict
from warta.core.stage import Stage, run_checked
from warta.meta.html_stage import HtmlMetadataStage
from warta.meta.page_stage import MetadataStage
from warta.run.pipeline import CLEAN_PIPELINE, DEFAULT_TEXT_PIPELINE, Pipeline, article_from_text

from conftest import GOLDEN_PAGES, ROOT, SEED_DIR, SHARED

#: The stage names a saved spec from before clean.page.v1 and meta.page.v1 used.
OLD_CLEAN_PIPELINE = (
    "read.decode.v1",
    "clean.plaintext.v1",
    "clean.html.v1",
    "meta.language.v1",
    "meta.plaintext.v1",
    "meta.html.v1",
    "meta.given.v1",  # the user's own metadata (JSON Lines, CSV) since 0.1
    "finalize.identity.v1",
)
OLD_STAGES = (
    "read.decode.v1,clean.plaintext.v1,clean.html.v1,meta.language.v1,meta.plaintext.v1,"
    "meta.html.v1,meta.given.v1,finalize.identity.v1,nlp.entities.v1,nlp.places.v1,nlp.times.v1,"
    "nlp.quotes.v1,nlp.events.v1,nlp.summary.v1"
)
UNDECLARED = "which it does not declare"


def _pages() -> list[tuple[str, bytes]]:
    """The golden pages, the golden HTML page, the seed and a few real HTML pages (../shared)."""
    paths = sorted(GOLDEN_PAGES.glob("*.txt")) + sorted(
        (ROOT / "tests" / "golden" / "html").glob("*")
    )
    pages = [(str(p), p.read_bytes()) for p in paths]
    seed = SEED_DIR / "000_e34af48cd88e996e.txt"
    if seed.exists():
        pages.append((str(seed), seed.read_bytes()))
    html = SHARED / "data" / "news_html_anpandu"
    for path in sorted(html.rglob("*.html.gz"))[:6] if html.is_dir() else []:
        pages.append((str(path), gzip.decompress(path.read_bytes())))
    return pages


class _Sneaky(Stage):
    """A toy stage that writes the title while declaring only the summary."""

    name = "test.sneaky.v1"
    requires = frozenset({"body"})
    provides = frozenset({"summary"})

    def process(self, article: Article) -> Article:
        article.summary = "ringkas"
        article.title = "Judul yang tidak dijanjikan"
        return article


class _Tagger(Stage):
    """A toy stage that writes an extras key: declared as ``extras.<key>`` or as ``extras``."""

    name = "test.tagger.v1"
    provides = frozenset({"extras.test.flag"})

    def process(self, article: Article) -> Article:
        article.extras["test.flag"] = True
        article.extras["test.other"] = 1
        return article


def _text() -> Article:
    return article_from_text(
        "Jakarta - Harga beras di pasar induk turun untuk pekan ketiga berturut-turut kemarin."
    )


def test_a_stage_writing_an_undeclared_field_fails_in_checking_mode() -> None:
    stages = [load_stage_class(n)() for n in CLEAN_PIPELINE] + [_Sneaky()]
    article = Pipeline(stages, check_contracts=True).process(_text())
    (error,) = article.errors
    assert error.stage == "test.sneaky.v1" and error.reason == "stage_failed"
    # the declared summary is no violation; the message names the title and the declaration
    assert error.message == (
        "stage 'test.sneaky.v1' wrote 'title', which it does not declare in provides ['summary']"
    )


class _Outsider(Stage):
    """A toy stage that codes an event with an actor type the record does not know."""

    name = "test.outsider.v1"
    requires = frozenset({"body"})
    provides = frozenset({"events"})

    def process(self, article: Article) -> Article:
        from warta.core.record import Event

        article.events = [
            Event(
                start=0,
                end=7,
                category="REQUEST",
                mode="asserted",
                target="PSSI",
                target_type="sport",
            )
        ]
        return article


def test_a_stage_writing_a_value_the_record_refuses_fails_in_checking_mode() -> None:
    """The store reads every record back: a value outside the record's vocabulary (here an
    actor type) is caught on the page that has it, naming the stage and the field."""
    stages = [load_stage_class(n)() for n in CLEAN_PIPELINE] + [_Outsider()]
    article = Pipeline(stages, check_contracts=True).process(_text())
    (error,) = article.errors
    assert error.stage == "test.outsider.v1" and error.reason == "stage_failed"
    assert "wrote a value the record refuses" in error.message
    assert "target_type" in error.message and "'sport'" in error.message


def test_checking_mode_is_off_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    stages = [load_stage_class(n)() for n in CLEAN_PIPELINE] + [_Sneaky()]
    article = Pipeline(stages, check_contracts=False).process(_text())
    assert article.errors == [] and article.title == "Judul yang tidak dijanjikan"
    monkeypatch.setenv("WARTA_CHECK_CONTRACTS", "0")
    assert not Pipeline(stages).check_contracts
    monkeypatch.setenv("WARTA_CHECK_CONTRACTS", "1")
    assert Pipeline(stages).check_contracts


def test_extras_keys_are_fields_of_their_own() -> None:
    article = run_checked(_Tagger(), Article(source="<t>"))
    (error,) = article.errors
    assert "'extras.test.other'" in error.message and "extras.test.flag'," not in error.message

    class _Any(_Tagger):
        provides = frozenset({"extras"})  # any key

    assert run_checked(_Any(), Article(source="<t>")).errors == []


def test_every_registered_stage_keeps_its_contract_on_real_pages() -> None:
    """The default pipeline reaches every registered stage (aliases load the stage that now
    holds their variant); in checking mode no stage or variant writes an undeclared field."""
    pipeline = Pipeline.from_spec(DEFAULT_TEXT_PIPELINE, check_contracts=True)
    ran = {s.name for s in pipeline.stages} | {
        v.name for s in pipeline.stages for v in s.variants()
    }
    # stages a user adds to a pipeline themselves (not in the default one)
    opt_in = {"clean.templates.v1"}
    assert {load_stage_class(n).name for n in stage_names()} - opt_in <= ran
    learning = Pipeline.from_spec((*CLEAN_PIPELINE, *sorted(opt_in)), check_contracts=True)
    pages = _pages()
    for source, page in pages:
        article = learning.process(article_from_text(page, source=source))
        assert not [e for e in article.errors if UNDECLARED in e.message], source
    assert len(pages) >= 21
    content_types = set()
    for source, page in pages:
        article = pipeline.process(article_from_text(page, source=source))
        assert not [e for e in article.errors if UNDECLARED in e.message], source
        content_types.add(article.content_type)
    assert content_types == {"text/html", "text/plain"}
    counters = pipeline.counters()
    assert counters["meta.html.v1:processed"] >= 1 and counters["clean.plaintext.v1:processed"] >= 1
    assert not [k for k in counters if k.endswith("undeclared_field")]


def test_the_old_declaration_of_the_html_metadata_stage_is_caught() -> None:
    """meta.html.v1 used to declare only canonical_url, section and tags: checking mode finds
    what else it writes on an HTML page."""

    class _Old(HtmlMetadataStage):
        provides = frozenset({"canonical_url", "section", "tags"})

    class _OldMetadata(MetadataStage):
        def __init__(self) -> None:
            super().__init__()
            self.html = _Old()

    page = (ROOT / "tests" / "golden" / "html" / "kabar_palu.html").read_bytes()
    stages = [
        load_stage_class(n)() for n in ("read.decode.v1", "clean.page.v1", "meta.language.v1")
    ]
    pipeline = Pipeline([*stages, _OldMetadata()], check_contracts=True)
    article = pipeline.process(article_from_text(page, source="kabar_palu.html"))
    (error,) = article.errors
    assert error.stage == "meta.html.v1"  # the variant, checked against its own contract
    assert "'authors'" in error.message and "'published_raw'" in error.message


def test_the_cleaner_picks_its_variant_by_content_type() -> None:
    stage = CleanStage()
    html = article_from_text(
        "<html><body><nav><a href='/'>Beranda</a></nav><article><p>Gudang itu terbakar pada "
        "Senin pagi dan melukai tiga orang pekerja yang sedang berjaga di sana.</p></article>"
        "</body></html>",
        content_type="text/html",
    )
    html = stage.run_one(html)
    assert html.markup is not None and html.body.startswith("Gudang itu terbakar")
    plain = stage.run_one(_text())
    assert plain.markup is None and plain.body.startswith("Harga beras")
    assert stage.plaintext.counters["processed"] == 1 and stage.html.counters["processed"] == 1


def test_a_variant_failure_names_the_variant() -> None:
    article = Pipeline.from_spec(CLEAN_PIPELINE).process(
        article_from_text("<html><body><nav>Menu</nav></body></html>", content_type="text/html")
    )
    assert [(e.stage, e.reason) for e in article.errors] == [("clean.html.v1", "no_article_text")]


def test_a_saved_spec_with_the_old_names_gives_the_same_pipeline_and_records() -> None:
    old = Pipeline.from_spec(OLD_CLEAN_PIPELINE)
    new = Pipeline.from_spec(CLEAN_PIPELINE)
    assert [s.name for s in old.stages] == [s.name for s in new.stages]
    assert Pipeline.from_spec().versions["stages"] == OLD_STAGES  # produced_by reads as before
    for source, page in _pages()[:8]:
        given = article_from_text(page, source=source)  # one input: its read time is part of it
        a, b = (p.process(copy.deepcopy(given)) for p in (old, new))
        assert article_to_dict(a) == article_to_dict(b)


def test_an_alias_in_a_misordered_spec_is_named_as_written() -> None:
    with pytest.raises(PipelineError, match=r"'meta.page.v1' \(named 'meta.html.v1' in the spec\)"):
        Pipeline.from_spec(["read.decode.v1", "meta.html.v1"])


def test_seed_record_is_unchanged_by_checking_mode() -> None:
    seed = SEED_DIR / "000_e34af48cd88e996e.txt"
    if not seed.exists():
        pytest.skip(f"{seed} not present")
    records = [
        article_to_dict(
            Pipeline.from_spec(check_contracts=on).process(
                article_from_text(seed.read_bytes(), source=str(seed))
            )
        )
        for on in (False, True)
    ]
    for record in records:
        record.pop("retrieved_at")
    assert records[0] == records[1] and records[0]["errors"] == []


def test_nothing_is_snapshotted_when_checking_is_off() -> None:
    """Off, the pipeline calls each stage's run_one directly: a stage whose snapshot would fail
    (an extras value that cannot be copied) runs fine."""

    class _Uncopyable:
        def __deepcopy__(self, memo: object) -> object:
            raise AssertionError("snapshotted")

    class _Writer(Stage):
        name = "test.writer.v1"
        provides = frozenset({"extras"})

        def process(self, article: Article) -> Article:
            article.extras["test.obj"] = _Uncopyable()
            return article

    article = Pipeline([_Writer(), _Writer()], check_contracts=False).process(Article(source="<t>"))
    assert article.errors == []
