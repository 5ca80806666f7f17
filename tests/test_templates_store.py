"""Learned outlet templates kept in the store (issue 11, item 2): ``warta ingest`` learns a new
outlet's furniture as it reads, removes it from the outlet's later pages once it was seen on
N = 5 pages, keeps what it learned per outlet (SQLite and PostgreSQL), and starts the next run
from it; a wire paragraph every page repeats stays body. The pages are the made-up outlet of
``test_templates.py`` ("kabarpesisir.id": a promo line no rule in lang/ knows)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from test_templates import PLACES, PROMO, WIRE, page

from warta.clean.templates import MIN_PAGES
from warta.cli import main
from warta.store import open_store


def _write(folder: Path, first: int, n: int, tag: str) -> Path:
    """``n`` pages as JSON Lines, page ``first`` on (a ``tag`` makes each run's pages new)."""
    folder.mkdir(exist_ok=True)
    path = folder / f"{tag}.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for i in range(first, first + n):
            text = page(i % len(PLACES)).replace("sejak Senin", f"sejak Senin ({tag} {i})")
            out.write(json.dumps({"text": text, "url": f"https://kabarpesisir.id/{tag}/{i}"}))
            out.write("\n")
    return path


def _bodies(location: str) -> dict[str, str]:
    with open_store(location) as store:
        return {str(r["url"]): str(r["body"]) for r in store.rows("articles")}


def test_a_new_outlets_furniture_goes_after_n_pages_and_the_wire_lead_stays(
    store_location: str, tmp_path: Path
) -> None:
    assert MIN_PAGES == 5
    first = _write(tmp_path / "in", 0, 8, "a")
    result = CliRunner().invoke(main, ["ingest", str(first), "--db", store_location, "-q"])
    assert result.exit_code == 0, result.output
    bodies = _bodies(store_location)
    assert len(bodies) == 8
    for i in range(8):
        body = bodies[f"https://kabarpesisir.id/a/{i}"]
        assert WIRE in body  # repeated on every page, and body: never learned
        # pages 0..4 are cleaned by the rules alone (the promo stays); from page 5 on the promo
        # was seen on 5 pages before and is removed as the outlet's template
        assert (PROMO in body) == (i < MIN_PAGES), i
    with open_store(store_location) as store:
        kept = store.outlet_templates()
    assert kept["kabarpesisir.id"]["pages"] == 8

    # the next run starts from what the store kept: its first page is cleaned already
    second = _write(tmp_path / "in", 100, 2, "b")
    result = CliRunner().invoke(main, ["ingest", str(second), "--db", store_location, "-q"])
    assert result.exit_code == 0, result.output
    bodies = _bodies(store_location)
    for i in (100, 101):
        body = bodies[f"https://kabarpesisir.id/b/{i}"]
        assert PROMO not in body and WIRE in body

    listed = CliRunner().invoke(main, ["templates", "--db", store_location])
    assert listed.exit_code == 0, listed.output
    assert "kabarpesisir.id\tline\t10/10\tdukung jurnalisme warga pesisir" in listed.output
    assert WIRE.casefold() not in listed.output.casefold()


def test_ingest_without_templates_keeps_the_rules_alone(tmp_path: Path) -> None:
    from warta.run.ingest import ingest

    path = _write(tmp_path / "in", 0, 7, "c")
    location = str(tmp_path / "warta.db")
    with open_store(location) as store:
        report = ingest([str(path)], store, templates=False, corpus=False)
        assert report.new == 7
        assert store.outlet_templates() == {}
    assert all(PROMO in body for body in _bodies(location).values())


def test_an_html_outlets_repeated_furniture_block_goes_too(tmp_path: Path) -> None:
    folder = tmp_path / "html"
    folder.mkdir()
    for i in range(7):
        place = PLACES[i]
        paras = "".join(
            f"<p>{p}</p>"
            for p in (
                f"Ratusan nelayan di {place} menambatkan perahu mereka di dermaga sejak Senin "
                "karena angin kencang terus bertiup dari arah barat.",
                PROMO,
                WIRE,
                f"Ketua kelompok nelayan {place} mengatakan sebagian anggotanya kini memperbaiki "
                "jaring sambil menunggu cuaca membaik.",
            )
        )
        (folder / f"{i:02}.html").write_text(
            "<html><head><meta property='og:site_name' content='Kabar Pesisir'>"
            f"<link rel='canonical' href='https://kabarpesisir.id/berita/{i}'></head><body>"
            f"<h1>Nelayan {place} Tambatkan Perahu</h1><article>{paras}</article></body></html>",
            encoding="utf-8",
        )
    location = str(tmp_path / "warta.db")
    result = CliRunner().invoke(main, ["ingest", str(folder), "--db", location, "-q"])
    assert result.exit_code == 0, result.output
    with open_store(location) as store:
        rows = sorted(store.rows("articles"), key=lambda r: str(r["url"]))
    assert len(rows) == 7
    for i, row in enumerate(rows):
        assert WIRE in str(row["body"])
        assert (PROMO in str(row["body"])) == (i < MIN_PAGES), i


def test_ingest_no_templates_flag(tmp_path: Path) -> None:
    path = _write(tmp_path / "in", 0, 7, "d")
    location = str(tmp_path / "warta.db")
    result = CliRunner().invoke(
        main, ["ingest", str(path), "--db", location, "-q", "--no-templates"]
    )
    assert result.exit_code == 0, result.output
    assert all(PROMO in body for body in _bodies(location).values())
    with open_store(location) as store:
        assert store.outlet_templates() == {}
