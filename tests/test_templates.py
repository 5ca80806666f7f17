"""Learned outlet templates (issue 11, item 2): a new outlet's repeated furniture goes after it
has been seen on N = 5 pages; a wire paragraph that every page repeats stays body.

The pages are invented for this test: a made-up outlet ("kabarpesisir.id") whose scrapes carry
a mid-body promo line and a "Sorotan Redaksi: <headline>" teaser that no rule in lang/ knows.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from warta.clean.templates import MIN_PAGES, TemplateLearner, TemplateStage
from warta.cli import main
from warta.core.record import Article
from warta.run.pipeline import CLEAN_PIPELINE, Pipeline, article_from_text

PLACES = ["Pekalongan", "Batang", "Kendal", "Tegal", "Brebes", "Pemalang", "Rembang", "Demak"]
WIRE = (
    "Menurut BMKG, gelombang setinggi empat meter diperkirakan terjadi di perairan utara Jawa "
    "hingga akhir pekan, sehingga nelayan diminta tidak melaut dengan perahu kecil."
)
PROMO = "Dukung Jurnalisme Warga Pesisir"


def page(i: int) -> str:
    place = PLACES[i]
    return (
        f"Nelayan {place} Tambatkan Perahu Selama Cuaca Buruk\n"
        f"{place.upper()}, kabarpesisir.id - Ratusan nelayan di {place} menambatkan perahu "
        f"mereka di dermaga sejak Senin karena angin kencang terus bertiup dari arah barat.\n\n"
        f"{PROMO}\n\n"
        f"{WIRE}\n\n"
        f"Ketua kelompok nelayan {place} mengatakan sebagian anggotanya kini memperbaiki jaring "
        f"sambil menunggu cuaca membaik, meski pendapatan keluarga mereka ikut berhenti.\n\n"
        f"Sorotan Redaksi: Harga Ikan Asin di {place} Naik Dua Kali Lipat\n\n"
        f"Dinas perikanan setempat menyiapkan bantuan beras untuk keluarga nelayan yang tidak "
        f"melaut lebih dari sepekan, kata kepala dinas kepada wartawan.\n"
    )


def run_batch(n: int, learner: TemplateLearner) -> list[Article]:
    pipeline = Pipeline.from_spec(CLEAN_PIPELINE)
    stage = TemplateStage(learner)
    out = []
    for i in range(n):
        article = pipeline.process(article_from_text(page(i), source=f"page{i}.txt"))
        out.append(stage.run_one(article))
    return out


def test_furniture_is_learned_after_n_pages_and_the_wire_paragraph_stays() -> None:
    assert MIN_PAGES == 5
    articles = run_batch(7, TemplateLearner())
    assert all(a.outlet == "kabarpesisir.id" and not a.errors for a in articles)
    for a in articles[:MIN_PAGES]:  # the rules alone read the promo line as a crosshead
        assert PROMO in a.crossheads
        assert not [r for r in a.removed if r.label == "template"]
    for a in articles[MIN_PAGES:]:
        assert PROMO not in a.body and "Sorotan Redaksi" not in a.body
        learned = {r.text: r.rule for r in a.removed if r.label == "template"}
        assert learned[PROMO] == "learned-line:'dukung jurnalisme warga pesisir'"
        assert any(
            rule.startswith("learned-opening:'sorotan redaksi:'") for rule in learned.values()
        )
    for a in articles:  # the repeated wire paragraph is body on every page
        assert WIRE in a.paragraphs
        assert a.credit is not None and a.paragraphs[0].startswith("Ratusan nelayan")


def test_a_first_page_is_cleaned_by_the_rules_alone() -> None:
    learner = TemplateLearner()
    (article,) = run_batch(1, learner)
    assert PROMO in article.crossheads
    assert learner.templates() == []


def test_templates_are_listed_and_exported(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    for i in range(6):
        (folder / f"{i:02}.txt").write_text(page(i), encoding="utf-8")
    out = tmp_path / "templates.json"
    result = CliRunner().invoke(main, ["templates", str(folder), "--export", str(out)])
    assert result.exit_code == 0, result.output
    assert "kabarpesisir.id\tline\t6/6\tdukung jurnalisme warga pesisir" in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {t["key"] for t in data["templates"]} >= {"dukung jurnalisme warga pesisir"}
    assert all(t["key"] != WIRE.casefold() for t in data["templates"])
    reloaded = TemplateLearner.load(out)
    assert [t.key for t in reloaded.templates()] == [t["key"] for t in data["templates"]]
    listed = CliRunner().invoke(main, ["templates", "--load", str(out)])
    assert listed.exit_code == 0 and "sorotan redaksi:" in listed.output


def test_a_damaged_templates_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "t.json"
    bad.write_text('{"format": "something else"}', encoding="utf-8")
    result = CliRunner().invoke(main, ["templates", "--load", str(bad)])
    assert result.exit_code != 0
    assert "not a warta templates file" in result.output and "Traceback" not in result.output


def test_templates_are_learned_from_the_store(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    for i in range(6):
        (folder / f"{i:02}.txt").write_text(page(i), encoding="utf-8")
    db = str(tmp_path / "warta.db")
    ingested = CliRunner().invoke(main, ["ingest", str(folder), "--db", db, "-q"])
    assert ingested.exit_code == 0, ingested.output
    result = CliRunner().invoke(main, ["templates", "--db", db])
    assert result.exit_code == 0, result.output
    # the promo line the rules kept as a crosshead in every stored body is learned from there
    assert "kabarpesisir.id\tline\t6/6\tdukung jurnalisme warga pesisir" in result.output
    assert WIRE.casefold() not in result.output.casefold()
