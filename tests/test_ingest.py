"""The ingest driver against real stores (SQLite and PostgreSQL): idempotent, resumable,
updates kept as revisions, failures kept with their reason, every kind of input.

Pages are built from real detik.com articles in ../shared (read at test time, never copied)."""

from __future__ import annotations

import csv
import gzip
import json
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from warta.api import extract_paths
from warta.core.serialize import article_to_json
from warta.run.ingest import IngestReport, ingest, page_key
from warta.run.pipeline import CLEAN_PIPELINE
from warta.store import open_store
from warta.store.base import Store

from conftest import ROOT, require_shared

_DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
CITIES = ["Jakarta", "Bandung", "Surabaya", "Medan", "Makassar", "Semarang", "Denpasar"]


def detik_rows() -> list[dict[str, str]]:
    """The detik.com articles of ../shared (title, URL, date, body), one per URL (909 of the
    1,000 rows; the others repeat a URL)."""
    path = require_shared("data", "detik_summ_entity_1000", "data_berita.csv.gz")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        by_url: dict[str, dict[str, str]] = {}
        for row in csv.DictReader(handle):
            by_url.setdefault(row["tautan"], row)
    return list(by_url.values())


def page_text(row: dict[str, str], *, city: str = "Jakarta", extra: str = "") -> str:
    """A detik text scrape as a scraper saves it: title, channel, date line, dateline + body,
    then the site's furniture. ``extra`` is a line added after the lead."""
    when = datetime.strptime(row["tanggal"], "%m/%d/%Y %H:%M")
    date_line = (
        f"{_DAYS[when.weekday()]}, {when.day:02d} {_MONTHS[when.month - 1]} {when.year} "
        f"{when:%H:%M} WIB"
    )
    first, _, rest = row["isi_berita"].strip().partition("\n")
    lines = [row["judul"], "detikNews", date_line, "", f"{city} - {first}"]
    if extra:  # a line an updated version adds after the lead
        lines.append(extra)
    lines += [rest, "", "Baca juga: Simak berita terkini lainnya", "(rdp/imk)"]
    return "\n".join(lines)


def variant_url(row: dict[str, str], k: int) -> str:
    """The k-th distinct URL made from an article's URL (k = 0 is the URL itself)."""
    url = row["tautan"]
    return url if k == 0 else f"{url}-{k}"


def write_jsonl(path: Path, records: list[dict[str, Any] | str]) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            line = record if isinstance(record, str) else json.dumps(record, ensure_ascii=False)
            handle.write(line + "\n")
    return path


def article_ids(store: Store) -> dict[str, str | None]:
    """id -> fingerprint of every stored article."""
    return {row["id"]: row["fingerprint"] for row in store.rows("articles")}


def run(store: Store, sources: list[str], **kwargs: Any) -> IngestReport:
    kwargs.setdefault("spec", CLEAN_PIPELINE)
    return ingest(sources, store, **kwargs)


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return detik_rows()


def test_reingest_adds_nothing_and_skips_without_extracting(
    store_location: str, tmp_path: Path, rows: list[dict[str, str]]
) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    for i, row in enumerate(rows[:12]):
        (folder / f"{i:03d}.txt").write_text(page_text(row), encoding="utf-8")
    feed = write_jsonl(
        tmp_path / "crawl.jsonl", [{"url": r["tautan"], "text": page_text(r)} for r in rows[12:20]]
    )
    with open_store(store_location) as store:
        first = run(store, [str(folder), str(feed)])
        assert (first.new, first.updated, first.unchanged, first.failed_total) == (20, 0, 0, 0)
        assert first.pages == 20 and first.skipped == 0
        before = article_ids(store)
        assert len(before) == 20

        second = run(store, [str(folder), str(feed)])
        assert (second.new, second.updated, second.unchanged) == (0, 0, 0)
        assert second.skipped == 20 and second.pages == 20
        assert article_ids(store) == before
        assert store.stats()["articles"] == 20

        runs = store.runs()
        assert len(runs) == 2 and all(r.finished_at is not None for r in runs)
        assert sorted(r.counts["new"] for r in runs) == [0, 20]


def test_same_article_from_another_container_is_unchanged(
    store_location: str, tmp_path: Path, rows: list[dict[str, str]]
) -> None:
    """Pages new to the store's page keys but with a known URL and body add no row."""
    records = [{"url": r["tautan"], "text": page_text(r)} for r in rows[:5]]
    one = write_jsonl(tmp_path / "one.jsonl", list(records))
    two = write_jsonl(tmp_path / "two.jsonl", list(reversed(records)))
    with open_store(store_location) as store:
        assert run(store, [str(one)]).new == 5
        again = run(store, [str(two)])
        assert (again.new, again.unchanged, again.skipped) == (0, 5, 0)
        assert store.stats()["articles"] == 5


def test_updated_version_replaces_and_keeps_a_revision(
    store_location: str, tmp_path: Path, rows: list[dict[str, str]]
) -> None:
    row = rows[30]
    old = write_jsonl(tmp_path / "old.jsonl", [{"url": row["tautan"], "text": page_text(row)}])
    addendum = "Artikel ini telah diperbarui dengan keterangan dari kepolisian setempat."
    new = write_jsonl(
        tmp_path / "new.jsonl",
        [{"url": row["tautan"], "text": page_text(row, extra=addendum)}],
    )
    with open_store(store_location) as store:
        assert run(store, [str(old)]).new == 1
        ((old_id, old_fp),) = article_ids(store).items()
        report = run(store, [str(new)])
        assert (report.new, report.updated) == (0, 1)
        ((new_id, new_fp),) = article_ids(store).items()
        assert new_id == old_id and new_fp != old_fp
        stored = store.get(new_id)
        assert stored is not None and addendum in stored.body
        counts = store.stats()
        assert counts["articles"] == 1 and counts["revisions"] == 1


def test_failures_are_kept_with_their_reason_and_not_retried(
    store_location: str, tmp_path: Path, rows: list[dict[str, str]]
) -> None:
    good = tmp_path / "good.txt"
    good.write_text(page_text(rows[40]), encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    lines = write_jsonl(
        tmp_path / "lines.jsonl",
        [{"url": rows[41]["tautan"], "text": page_text(rows[41])}, "{not json", {"url": "x"}],
    )
    missing = str(tmp_path / "no-such-file.txt")
    sources = [str(good), str(empty), str(lines), missing]
    with open_store(store_location) as store:
        report = run(store, sources)
        assert (report.new, report.failed_total) == (2, 4)
        assert report.failed == {"empty": 1, "malformed_record": 2, "not_found": 1}
        kept = store.failures()
        assert sorted(f.reason for f in kept) == [
            "empty",
            "malformed_record",
            "malformed_record",
            "not_found",
        ]
        assert {f.run_id for f in kept} == {report.run_id}
        by_source = {f.source: f for f in kept}
        assert by_source[missing].message == "no such file or directory"
        assert f"{lines}:2" in by_source and "invalid JSON" in by_source[f"{lines}:2"].message

        again = run(store, sources)
        assert again.skipped == 6 and again.failed_total == 0
        assert len(store.failures()) == 4
        assert store.stats()["failures"] == 4


def test_feed_given_as_a_page_says_to_crawl_it(store_location: str, tmp_path: Path) -> None:
    feed = tmp_path / "rss.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Berita</title>'
        "<item><title>Satu</title><link>https://contoh.example/a</link></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    with open_store(store_location) as store:
        report = run(store, [str(feed)])
        assert report.failed == {"unreadable": 1}
        (failure,) = store.failures()
        assert "warta crawl --feed" in failure.message and failure.source == str(feed)


def test_warta_records_are_stored_without_extracting_again(
    store_location: str, tmp_path: Path, rows: list[dict[str, str]]
) -> None:
    pages = write_jsonl(
        tmp_path / "pages.jsonl", [{"url": r["tautan"], "text": page_text(r)} for r in rows[50:56]]
    )
    extracted = list(extract_paths([str(pages)], spec=CLEAN_PIPELINE))
    records = tmp_path / "records.jsonl"
    records.write_text("".join(article_to_json(a) + "\n" for a in extracted), encoding="utf-8")
    with open_store(store_location) as store:
        report = run(store, [str(records)])
        assert report.new == 6 and report.failed_total == 0
        assert article_ids(store) == {a.id: a.fingerprint for a in extracted}
        stored = store.get(extracted[0].id)
        assert stored is not None and stored.body == extracted[0].body
        # the same pages through the pipeline are the same reports
        assert run(store, [str(pages)]).unchanged == 6
        assert run(store, [str(records)]).skipped == 6
        assert store.stats()["articles"] == 6


def test_multipage_chain_is_one_article_and_resumes_as_a_whole(
    store_location: str, tmp_path: Path, rows: list[dict[str, str]]
) -> None:
    row = rows[60]
    base = row["tautan"]
    first = {"url": base, "text": page_text(row)}
    second = {"url": f"{base}?page=2", "text": page_text(rows[61], city="Bogor")}
    path = tmp_path / "multi.jsonl"
    with open_store(store_location) as store:
        # a run that stored page 1 alone, then the crawl output grew a page 2
        write_jsonl(path, [first])
        assert run(store, [str(path)]).new == 1
        write_jsonl(path, [first, second])
        report = run(store, [str(path)])
        assert (report.updated, report.skipped, report.pages) == (1, 0, 2)
        (article_id,) = article_ids(store)
        stored = store.get(article_id)
        assert stored is not None and stored.extras.get("warta.pages") == 2
        assert run(store, [str(path)]).skipped == 2
        assert store.stats()["articles"] == 1


def test_warc_input(store_location: str, tmp_path: Path) -> None:
    import warcgen

    path = tmp_path / "crawl.warc.gz"
    generated, _ = warcgen.write_crawl(path, 30, seed=5)
    expected = list(extract_paths([str(path)], spec=CLEAN_PIPELINE))
    ok = [a for a in expected if a.body and a.id]
    with open_store(store_location) as store:
        report = run(store, [str(path)])
        assert report.pages == len(expected) == generated.taken
        assert report.new + report.unchanged + report.updated == len(ok)
        assert report.failed_total == len(expected) - len(ok)
        assert set(article_ids(store)) == {a.id for a in ok}
        assert run(store, [str(path)]).skipped == report.pages


def test_progress_and_jobs(tmp_path: Path, rows: list[dict[str, str]]) -> None:
    """Two workers give the same store as one; progress sees every page."""
    source = write_jsonl(
        tmp_path / "p.jsonl", [{"url": r["tautan"], "text": page_text(r)} for r in rows[70:110]]
    )
    seen: list[int] = []
    with open_store(str(tmp_path / "one.db")) as one, open_store(str(tmp_path / "two.db")) as two:
        run(one, [str(source)], progress=lambda r: seen.append(r.pages))
        run(two, [str(source)], jobs=2)
        assert article_ids(one) == article_ids(two)
        assert len(article_ids(one)) == 40
    assert seen[-1] == 40 and seen == sorted(seen)


def test_page_key_depends_on_source_and_content() -> None:
    assert page_key("a.txt", b"x") == page_key("a.txt", "x")
    assert page_key("a.txt", b"x") != page_key("b.txt", b"x")
    assert page_key("a.txt", b"x") != page_key("a.txt", b"y")


def test_the_same_folder_named_another_way_adds_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages without a URL are keyed by their source name: 'pages', './pages/' and the absolute
    path are one input, so a rerun spelled differently (or from another folder) adds nothing."""
    from warta.store import open_store

    pages = tmp_path / "pages"
    pages.mkdir()
    for name in ("kompas_seed_000_e34af48cd88e996e.txt", "tempo_sample_banjir_makassar.txt"):
        shutil.copy(ROOT / "src" / "warta" / "samples" / name, pages / name)
    monkeypatch.chdir(tmp_path)
    with open_store(str(tmp_path / "warta.db")) as store:
        first = ingest(["pages"], store)
        assert first.new == 2
        again = [ingest(["./pages/"], store), ingest([str(pages)], store)]
        monkeypatch.chdir(pages)
        again.append(ingest(["."], store))
        assert [r.new for r in again] == [0, 0, 0]
        assert store.stats()["articles"] == 2


def _store_contents(store: Store) -> dict[str, Any]:
    """What an ingest leaves, the same on either backend: each record as ``get`` returns it,
    the rows of the child tables, and the failures by source and reason."""
    ids = sorted(article_ids(store))
    tables = {
        table: sum(1 for _ in store.rows(table))
        for table in ("entities", "mentions", "quotes", "events")
    }
    return {
        "records": {i: article_to_json(store.get(i)) for i in ids},  # type: ignore[arg-type]
        "tables": tables,
        "failures": sorted((f.source, f.reason) for f in store.failures()),
    }


def test_workers_prepare_for_the_store_and_leave_what_one_process_leaves(
    store_location: str, tmp_path: Path, rows: list[dict[str, str]]
) -> None:
    """-j 2 (workers prepare each record, one writer thread writes) stores what -j 1 stores:
    a multi-page chain joined, a page without article text failed, a page repeated in the
    input stored once (unchanged), and every page heard by the listener. Learned templates are
    on (the default): the outlet templates kept are equal, and so is every record but for
    which label a removed line carries on the pages one run had learned it on and the other
    not yet (a worker learns from its own first pages until a snapshot brings it the others':
    here the "detikNews" line, removed by the rules there, as ``template`` here)."""
    from warta.readers.base import Page
    from warta.run.ingest import PageResult, ingest_pages
    from warta.run.pipeline import DEFAULT_TEXT_PIPELINE

    chain = rows[60]["tautan"]
    records: list[dict[str, Any] | str] = [
        {"url": r["tautan"], "text": page_text(r)} for r in rows[200:230]
    ]
    records[5:5] = [
        {"url": chain, "text": page_text(rows[60])},
        {"url": f"{chain}?page=2", "text": page_text(rows[61], city="Bogor")},
    ]
    records.append({"url": "https://contoh.example/kosong", "text": "   "})
    records.append(records[3])  # the same page again
    path = write_jsonl(tmp_path / "pages.jsonl", records)
    contents = []
    for jobs in (1, 2):
        location = store_location if jobs == 2 else str(tmp_path / "one.db")
        with open_store(location) as store:
            # templates on (the default): the workers' evidence is merged into the store
            report = run(store, [str(path)], jobs=jobs, spec=DEFAULT_TEXT_PIPELINE, corpus=False)
            assert (report.pages, report.new, report.unchanged) == (34, 31, 1)
            assert report.failed_total == 1
            contents.append(_store_contents(store))
            contents[-1]["templates"] = store.outlet_templates()
            assert run(store, [str(path)], jobs=jobs).skipped == 34
    assert contents[0]["templates"] == contents[1]["templates"]
    # 33 pages: the repeated page read twice in this run, the empty page names no outlet
    assert contents[0]["templates"]["detikcom"]["pages"] == 33
    relabelled = 0
    for aid, one in contents[0]["records"].items():
        two = contents[1]["records"][aid]
        if one != two:
            relabelled += 1
            a, b = json.loads(one), json.loads(two)
            assert {f for f in a if a[f] != b.get(f)} == {"removed"}, aid
            learned = {r["start"] for r in a["removed"] + b["removed"] if r["label"] == "template"}
            assert learned
            a["removed"], b["removed"] = (
                [r for r in x["removed"] if r["start"] not in learned] for x in (a, b)
            )
            assert a == b, aid
    # at most the pages one worker read before it had seen the line on five of its own
    assert relabelled <= 16
    assert contents[0]["records"].keys() == contents[1]["records"].keys()
    for key in ("tables", "failures"):
        assert contents[0][key] == contents[1][key]
    assert len(contents[0]["records"]) == 31 and contents[0]["tables"]["mentions"]

    heard: dict[int, list[tuple[int, str, str | None]]] = {}
    pages = [
        Page(source=f"p{i}", url=r["tautan"], text=page_text(r))
        for i, r in enumerate(rows[300:320])
    ]
    for jobs in (1, 2):
        listened: list[PageResult] = []
        with open_store(str(tmp_path / f"heard{jobs}.db")) as store:
            report = ingest_pages(
                pages + pages[:2], store, jobs=jobs, spec=CLEAN_PIPELINE, on_page=listened.append
            )
            assert (report.pages, report.new) == (22, 20)
        heard[jobs] = sorted((p.index, p.outcome, p.article_id) for p in listened)
    assert [index for index, _, _ in heard[2]] == list(range(22))
    assert heard[1][:20] == heard[2][:20]
    # a repeat is "skipped" when its first copy was stored before it was read, else
    # "unchanged": workers read ahead, so -j 2 may say either; the article is the same
    for (_, _, one), (_, outcome, two) in zip(heard[1][20:], heard[2][20:], strict=True):
        assert one == two and outcome in {"skipped", "unchanged"}
