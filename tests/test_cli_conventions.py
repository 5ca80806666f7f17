"""One CLI convention (issue 12): every command has --quiet/-q and --verbose/-v with the same
meaning, --json wherever it prints a listing, -o/--output wherever it writes a file, exit status
2 for a usage error; and the store's entities, quotes and events as commands."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from warta.cli import load_all_commands, main
from warta.cli.options import JSON_HELP, QUIET_HELP, VERBOSE_HELP, leaf_commands

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = leaf_commands(load_all_commands())

#: commands that write files, and their output option
WRITERS = {("crawl",), ("export",), ("train", "ner"), ("templates",), ("corpus",)}
#: commands that print no listing, so have no --json (why)
NO_LISTING = {
    ("extract",): "prints records (JSON Lines by default, --format text)",
    ("demo",): "a guided tour of the samples",
    ("serve",): "serves the REST API and the reader",
    ("crawl",): "writes pages to a file",
    ("export",): "writes tables to files",
    ("train", "ner"): "writes a model",
    ("watch", "remove"): "one confirmation line",
    ("templates",): "prints learned templates, tab-separated",
}


def _option(command: click.Command, flag: str) -> click.Option | None:
    for p in command.params:
        if isinstance(p, click.Option) and flag in p.opts + p.secondary_opts:
            return p
    return None


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_has_the_shared_options_with_one_meaning(
    path: tuple[str, ...], command: click.Command
) -> None:
    quiet, verbose = _option(command, "--quiet"), _option(command, "--verbose")
    assert quiet is not None and "-q" in quiet.opts and quiet.help == QUIET_HELP
    assert verbose is not None and "-v" in verbose.opts and verbose.help == VERBOSE_HELP
    as_json = _option(command, "--json")
    if path in NO_LISTING:
        pass
    else:
        assert as_json is not None, f"warta {' '.join(path)} prints a listing: give it --json"
    if as_json is not None:
        assert as_json.help == JSON_HELP
    if path in WRITERS:
        out = _option(command, "--output")
        assert out is not None and "-o" in out.opts, f"warta {' '.join(path)} writes: -o/--output"
    help_text = CliRunner().invoke(main, [*path, "--help"])
    assert help_text.exit_code == 0 and "--quiet" in help_text.output


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_a_usage_error_exits_2_everywhere(path: tuple[str, ...], command: click.Command) -> None:
    result = CliRunner().invoke(main, [*path, "--no-such-option"])
    assert result.exit_code == 2, result.output


def _warta(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "warta.cli", *args], capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("conv") / "w.db")
    proc = _warta("ingest", str(ROOT / "src" / "warta" / "samples"), "--db", db, "-q")
    assert proc.returncode == 0, proc.stderr
    return db


def test_entities_quotes_and_events_commands_match_the_store(sample_store: str) -> None:
    from warta.store import open_store

    with open_store(sample_store, read_only=True) as store:
        expected_entities = store.entities(limit=5)
        expected_quotes = store.quotes(limit=5)
        expected_events = store.events(limit=5)
    ents = _warta("entities", "--db", sample_store, "--limit", "5", "--json")
    assert ents.returncode == 0, ents.stderr
    assert [e["id"] for e in json.loads(ents.stdout)] == [e["id"] for e in expected_entities]
    quotes = _warta("quotes", "--db", sample_store, "--limit", "5", "--json")
    assert [q["text"] for q in json.loads(quotes.stdout)] == [q["text"] for q in expected_quotes]
    events = _warta("events", "--db", sample_store, "--limit", "5", "--json")
    assert [e["category"] for e in json.loads(events.stdout)] == [
        e["category"] for e in expected_events
    ]
    first = expected_entities[0]
    one = _warta("entity", first["id"], "--db", sample_store, "--json")
    assert one.returncode == 0 and json.loads(one.stdout)["id"] == first["id"]


def test_unknown_names_and_categories_are_usage_errors(sample_store: str) -> None:
    bad_category = _warta("events", "--db", sample_store, "--category", "NO_SUCH_THING")
    assert bad_category.returncode == 2 and "Traceback" not in bad_category.stderr
    bad_type = _warta("entities", "--db", sample_store, "--type", "ANIMAL")
    assert bad_type.returncode == 2
    nobody = _warta("quotes", "--db", sample_store, "--speaker", "Nobody Atall Here")
    assert nobody.returncode == 2 and "no speaker named" in nobody.stderr
    unknown = _warta("entity", "Nobody Atall Here", "--db", sample_store)
    assert unknown.returncode == 2 and "no entity named" in unknown.stderr


def test_verbose_logs_the_steps_and_quiet_prints_nothing(tmp_path: Path) -> None:
    sample = str(ROOT / "src" / "warta" / "samples" / "tempo_sample_banjir_makassar.txt")
    loud = _warta("ingest", sample, "--db", str(tmp_path / "a.db"), "-v")
    assert loud.returncode == 0, loud.stderr
    assert "warta: warta.store.sql:" in loud.stderr and "schema level 1" in loud.stderr
    assert "warta: warta.run.ingest: page 0" in loud.stderr and ": new" in loud.stderr
    silent = _warta("ingest", sample, "--db", str(tmp_path / "b.db"), "-q")
    assert silent.returncode == 0 and silent.stderr == ""


def test_the_page_total_is_known_for_folders_of_pages_only(tmp_path: Path) -> None:
    from warta.readers.walk import count_pages

    pages = tmp_path / "pages"
    (pages / "sub").mkdir(parents=True)
    for name in ("a.txt", "b.html", "sub/c.txt", ".hidden.txt"):
        (pages / name).write_text("x", encoding="utf-8")
    assert count_pages([str(pages)]) == 3
    assert count_pages([str(pages)], pattern="*.txt") == 2
    assert count_pages(["-"]) is None
    (pages / "more.jsonl").write_text("{}\n", encoding="utf-8")
    assert count_pages([str(pages)]) is None  # a container: its pages are not known unread


def test_ingest_progress_shows_the_total_the_percentage_and_time_left(tmp_path: Path) -> None:
    import os
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "warta.cli",
            "ingest",
            str(ROOT / "src" / "warta" / "samples"),
            "--db",
            str(tmp_path / "p.db"),
            "--progress",
        ],
        stdout=subprocess.DEVNULL,
        stderr=follower,
    )
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    assert proc.wait(timeout=300) == 0
    text = seen.decode("utf-8", "replace")
    assert "/3 pages" in text and "%" in text
