"""iter_pages: files, folder walks, JSON Lines containers and stdin, with real files."""

from __future__ import annotations

import gzip
import io
import json
import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

import pytest

from warta.core.errors import (
    EmptyInput,
    InputTooLarge,
    MalformedRecord,
    SourceNotFound,
    SourceUnreadable,
)
from warta.readers.base import DEFAULT_MAX_BYTES, Page, ReadFailure
from warta.readers.walk import iter_pages

RUNNING_AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def read(
    *inputs: str | Path,
    pattern: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
) -> list[Page | ReadFailure]:
    names = [str(item) for item in inputs]
    return list(iter_pages(names, pattern=pattern, max_bytes=max_bytes, stdin=stdin))


def pages(items: list[Page | ReadFailure]) -> list[Page]:
    return [item for item in items if isinstance(item, Page)]


def failures(items: list[Page | ReadFailure]) -> list[ReadFailure]:
    return [item for item in items if isinstance(item, ReadFailure)]


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def jsonl(*records: object) -> str:
    return "".join(json.dumps(record) + "\n" for record in records)


# -- single files ------------------------------------------------------------------------


def test_file_is_read_as_bytes_with_its_mtime(tmp_path: Path) -> None:
    path = write(tmp_path / "berita.txt", "Presiden – “kita”".encode("cp1252"))
    mtime = datetime(2024, 8, 12, 7, 30, tzinfo=UTC)
    os.utime(path, (mtime.timestamp(), mtime.timestamp()))
    [page] = read(path)
    assert isinstance(page, Page)
    assert page.source == str(path)
    assert page.data == "Presiden – “kita”".encode("cp1252")
    assert page.text is None
    assert page.url is None
    assert page.retrieved_at == mtime
    assert page.retrieved_at is not None and page.retrieved_at.tzinfo is not None
    assert page.retrieved_at_kind == "file_mtime"


def test_missing_path(tmp_path: Path) -> None:
    [failure] = read(tmp_path / "tidak-ada.txt")
    assert isinstance(failure, ReadFailure)
    assert isinstance(failure.error, SourceNotFound)
    assert failure.error.message == "no such file or directory"
    assert failure.source == str(tmp_path / "tidak-ada.txt")


def test_empty_file_is_reported(tmp_path: Path) -> None:
    [failure] = read(write(tmp_path / "kosong.txt", b""))
    assert isinstance(failure, ReadFailure)
    assert isinstance(failure.error, EmptyInput)
    assert failure.error.message == "empty file"


def test_sparse_huge_file_refused_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "besar.html"
    with open(path, "wb") as handle:
        handle.truncate(100 * 1024 * 1024)  # sparse: takes no disk space or time
    start = time.perf_counter()
    [failure] = read(path)
    assert time.perf_counter() - start < 1.0  # reading 100 MB would take longer
    assert isinstance(failure, ReadFailure)
    assert isinstance(failure.error, InputTooLarge)
    assert failure.error.message == (
        f"{100 * 1024 * 1024} bytes exceeds the page limit of {DEFAULT_MAX_BYTES} bytes"
    )


def test_page_limit_is_configurable(tmp_path: Path) -> None:
    small = write(tmp_path / "a.txt", b"x" * 10)
    big = write(tmp_path / "b.txt", b"x" * 11)
    items = read(small, big, max_bytes=10)
    assert isinstance(items[0], Page)
    assert isinstance(items[1], ReadFailure)
    assert isinstance(items[1].error, InputTooLarge)


@pytest.mark.skipif(RUNNING_AS_ROOT, reason="root reads files whatever their mode")
def test_permission_denied(tmp_path: Path) -> None:
    path = write(tmp_path / "rahasia.txt", b"isi")
    path.chmod(0)
    try:
        [failure] = read(path)
    finally:
        path.chmod(0o644)
    assert isinstance(failure, ReadFailure)
    assert isinstance(failure.error, SourceUnreadable)
    assert failure.error.message == "permission denied"


def test_failures_do_not_stop_the_batch(tmp_path: Path) -> None:
    good = write(tmp_path / "baik.txt", b"isi berita")
    items = read(tmp_path / "hilang.txt", good, tmp_path / "juga-hilang", good)
    assert [type(item).__name__ for item in items] == [
        "ReadFailure",
        "Page",
        "ReadFailure",
        "Page",
    ]


def test_single_string_input_is_one_path(tmp_path: Path) -> None:
    path = write(tmp_path / "satu.txt", b"isi")
    items = list(iter_pages(str(path)))
    assert [item.source for item in items] == [str(path)]


def test_page_needs_exactly_one_of_data_and_text() -> None:
    with pytest.raises(ValueError):
        Page(source="x")
    with pytest.raises(ValueError):
        Page(source="x", data=b"a", text="a")


# -- folder walks ------------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "arsip"
    write(root / "b.txt", b"b")
    write(root / "a.html", b"a")
    write(root / "sub" / "c.txt", b"c")
    write(root / "sub" / "deeper" / "d.txt", b"d")
    write(root / "sub" / "deeper" / "e.md", b"e")
    write(root / "a-z.txt", b"az")
    write(root / ".hidden.txt", b"hidden")
    write(root / ".git" / "config.txt", b"hidden folder")
    write(root / "sub" / ".cache" / "x.txt", b"hidden nested")
    return root


def rel(root: Path, items: list[Page | ReadFailure]) -> list[str]:
    return [os.path.relpath(item.source, root) for item in items]


def test_walk_is_sorted_recursive_and_skips_hidden(tree: Path) -> None:
    items = read(tree)
    assert all(isinstance(item, Page) for item in items)
    assert rel(tree, items) == [
        "a-z.txt",
        "a.html",
        "b.txt",
        "sub/c.txt",
        "sub/deeper/d.txt",
        "sub/deeper/e.md",
    ]


def test_walk_pattern_on_names_matches_at_any_depth(tree: Path) -> None:
    assert rel(tree, read(tree, pattern="*.txt")) == [
        "a-z.txt",
        "b.txt",
        "sub/c.txt",
        "sub/deeper/d.txt",
    ]


def test_walk_pattern_with_double_star(tree: Path) -> None:
    assert rel(tree, read(tree, pattern="**/*.txt")) == [
        "a-z.txt",
        "b.txt",
        "sub/c.txt",
        "sub/deeper/d.txt",
    ]
    assert rel(tree, read(tree, pattern="sub/**/*.txt")) == ["sub/c.txt", "sub/deeper/d.txt"]


def test_walk_pattern_with_folder_stays_in_that_folder(tree: Path) -> None:
    assert rel(tree, read(tree, pattern="sub/*.txt")) == ["sub/c.txt"]
    assert rel(tree, read(tree, pattern="sub/deeper/[de].*")) == [
        "sub/deeper/d.txt",
        "sub/deeper/e.md",
    ]


def test_pattern_does_not_filter_explicit_files(tree: Path) -> None:
    items = read(tree / "a.html", pattern="*.txt")
    assert rel(tree, items) == ["a.html"]


def test_explicit_hidden_folder_is_walked(tmp_path: Path) -> None:
    write(tmp_path / ".data" / "a.txt", b"a")
    assert rel(tmp_path, read(tmp_path / ".data")) == [".data/a.txt"]


def test_broken_symlink_in_walk(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", b"a")
    (tmp_path / "b.txt").symlink_to(tmp_path / "gone.txt")
    write(tmp_path / "c.txt", b"c")
    items = read(tmp_path)
    assert rel(tmp_path, items) == ["a.txt", "b.txt", "c.txt"]
    failure = items[1]
    assert isinstance(failure, ReadFailure)
    assert isinstance(failure.error, SourceNotFound)
    assert failure.error.message == "broken symbolic link"


def test_symlink_loops_do_not_crash_the_walk(tmp_path: Path) -> None:
    root = tmp_path / "root"
    write(root / "sub" / "a.txt", b"a")
    (root / "sub" / "back").symlink_to(root)  # a folder link to its own grandparent
    (root / "self").symlink_to(root / "self")  # a link to itself: ELOOP on stat
    write(root / "z.txt", b"z")
    items = read(root)
    assert rel(root, items) == ["self", "sub/a.txt", "sub/back", "z.txt"]
    by_name = {os.path.relpath(item.source, root): item for item in items}
    for name in ("self", "sub/back"):
        failure = by_name[name]
        assert isinstance(failure, ReadFailure)
        assert isinstance(failure.error, SourceUnreadable)
        assert "symbolic link loop" in failure.error.message


def test_symlinked_folder_is_followed(tmp_path: Path) -> None:
    write(tmp_path / "real" / "a.txt", b"a")
    (tmp_path / "root").mkdir()
    (tmp_path / "root" / "link").symlink_to(tmp_path / "real")
    assert rel(tmp_path / "root", read(tmp_path / "root")) == ["link/a.txt"]


def test_fifo_in_walk_is_reported_not_opened(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", b"a")
    os.mkfifo(tmp_path / "pipa")  # opening it would block forever
    items = read(tmp_path)
    assert rel(tmp_path, items) == ["a.txt", "pipa"]
    failure = items[1]
    assert isinstance(failure, ReadFailure)
    assert isinstance(failure.error, SourceUnreadable)
    assert failure.error.message == "not a regular file"


@pytest.mark.skipif(RUNNING_AS_ROOT, reason="root lists folders whatever their mode")
def test_unreadable_subfolder_does_not_stop_the_walk(tmp_path: Path) -> None:
    write(tmp_path / "a" / "x.txt", b"x")
    write(tmp_path / "b" / "y.txt", b"y")
    (tmp_path / "a").chmod(0)
    try:
        items = read(tmp_path)
    finally:
        (tmp_path / "a").chmod(0o755)
    assert rel(tmp_path, items) == ["a", "b/y.txt"]
    assert isinstance(items[0], ReadFailure)
    assert items[0].error.message == "permission denied"


def test_oversized_and_empty_files_in_walk(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", b"")
    with open(tmp_path / "b.txt", "wb") as handle:
        handle.truncate(50)
    write(tmp_path / "c.txt", b"ok")
    items = read(tmp_path, max_bytes=20)
    assert [type(item.error).__name__ for item in failures(items)] == [
        "EmptyInput",
        "InputTooLarge",
    ]
    assert [page.data for page in pages(items)] == [b"ok"]


# -- JSON Lines containers ---------------------------------------------------------------


def test_jsonl_good_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": "Berita pertama", "url": "https://contoh.id/1", "id": "a1"}),
        "",  # blank lines are skipped, but still counted
        "{not json",
        json.dumps(["an", "array"]),
        json.dumps({"url": "https://contoh.id/3"}),
        json.dumps({"text": 42}),
        json.dumps({"text": "ok", "url": 5}),
        json.dumps({"text": "   "}),
        json.dumps({"text": "Berita terakhir", "source": "kompas"}),
    ]
    path = write(tmp_path / "arsip.jsonl", "\n".join(lines) + "\n")
    mtime = datetime(2024, 1, 2, tzinfo=UTC)
    os.utime(path, (mtime.timestamp(), mtime.timestamp()))
    items = read(path)
    assert [item.source for item in items] == [f"{path}:{n}" for n in (1, 3, 4, 5, 6, 7, 8, 9)]

    first, last = items[0], items[-1]
    assert isinstance(first, Page) and isinstance(last, Page)
    assert first.text == "Berita pertama"
    assert first.data is None
    assert first.url == "https://contoh.id/1"
    assert first.retrieved_at == mtime
    assert first.retrieved_at_kind == "file_mtime"
    assert last.text == "Berita terakhir"
    assert last.url is None

    messages = [item.error.message for item in failures(items)]
    assert messages[0].startswith("line 3: invalid JSON")
    assert messages[1:] == [
        "line 4: expected a JSON object, got an array",
        "line 5: missing 'text'",
        "line 6: 'text' is a number, not a string",
        "line 7: 'url' is a number, not a string",
        "line 8: empty 'text'",
    ]
    kinds = [type(item.error) for item in failures(items)]
    assert kinds == [MalformedRecord] * 5 + [EmptyInput]
    one_line = failures(items)[2].error.one_line()
    assert one_line == f"{path}: malformed_record: line 5: missing 'text'"


def test_jsonl_in_walk_and_ndjson(tmp_path: Path) -> None:
    write(tmp_path / "a.ndjson", jsonl({"text": "satu"}, {"text": "dua"}))
    write(tmp_path / "b.txt", b"halaman")
    items = read(tmp_path)
    assert [item.source for item in items] == [
        f"{tmp_path / 'a.ndjson'}:1",
        f"{tmp_path / 'a.ndjson'}:2",
        str(tmp_path / "b.txt"),
    ]
    assert [page.text for page in pages(items)[:2]] == ["satu", "dua"]


def test_jsonl_with_bom_and_crlf(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + jsonl({"text": "satu"}, {"text": "dua"}).replace("\n", "\r\n").encode()
    items = read(write(tmp_path / "a.jsonl", data))
    assert [page.text for page in pages(items)] == ["satu", "dua"]


def test_jsonl_invalid_utf8_line(tmp_path: Path) -> None:
    data = b'{"text": "caf\xe9"}\n' + jsonl({"text": "baik"}).encode()
    items = read(write(tmp_path / "a.jsonl", data))
    assert isinstance(items[0], ReadFailure)
    assert items[0].error.message == "line 1: not valid UTF-8"
    assert isinstance(items[1], Page)


def test_jsonl_lone_surrogate_is_replaced(tmp_path: Path) -> None:
    items = read(write(tmp_path / "a.jsonl", '{"text": "a\\ud800b"}\n'))
    assert [page.text for page in pages(items)] == ["a\ufffdb"]


def test_jsonl_record_text_has_the_page_limit(tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl", jsonl({"text": "x" * 100}, {"text": "kecil"}))
    items = read(path, max_bytes=50)
    assert isinstance(items[0], ReadFailure)
    assert isinstance(items[0].error, InputTooLarge)
    assert items[0].error.message == (
        "line 1: text of 100 bytes exceeds the page limit of 50 bytes"
    )
    assert isinstance(items[1], Page)


def test_jsonl_overlong_line_is_skipped_unparsed(tmp_path: Path) -> None:
    # Far longer than any record whose text could fit the limit, even fully escaped.
    huge = json.dumps({"text": "x" * 200_000})
    path = write(tmp_path / "a.jsonl", huge + "\n" + jsonl({"text": "sesudahnya"}))
    items = read(path, max_bytes=10)
    assert isinstance(items[0], ReadFailure)
    assert isinstance(items[0].error, InputTooLarge)
    assert items[0].source == f"{path}:1"
    assert [(page.source, page.text) for page in pages(items)] == [(f"{path}:2", "sesudahnya")]


def test_container_has_no_size_limit(tmp_path: Path) -> None:
    records = [{"text": f"berita nomor {n}"} for n in range(50)]
    items = read(write(tmp_path / "a.jsonl", jsonl(*records)), max_bytes=20)
    assert len(pages(items)) == 50


def test_empty_jsonl(tmp_path: Path) -> None:
    [failure] = read(write(tmp_path / "a.jsonl", "\n\n"))
    assert isinstance(failure, ReadFailure)
    assert isinstance(failure.error, EmptyInput)
    assert failure.error.message == "no records"


def test_gzip_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "arsip.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(jsonl({"text": "satu", "url": "https://a.id"}, {"nope": 1}, {"text": "tiga"}))
    items = read(path)
    assert [item.source for item in items] == [f"{path}:{n}" for n in (1, 2, 3)]
    assert [page.text for page in pages(items)] == ["satu", "tiga"]
    assert pages(items)[0].url == "https://a.id"
    assert isinstance(items[1], ReadFailure)
    assert isinstance(items[1].error, MalformedRecord)


def test_gzip_that_is_not_gzip(tmp_path: Path) -> None:
    path = write(tmp_path / "palsu.jsonl.gz", jsonl({"text": "plain"}))
    [failure] = read(path)
    assert isinstance(failure, ReadFailure)
    assert isinstance(failure.error, SourceUnreadable)
    assert "not a gzipped file" in failure.error.message


def test_truncated_gzip_keeps_earlier_records(tmp_path: Path) -> None:
    records = [{"text": f"berita {n} " + os.urandom(40).hex()} for n in range(2000)]
    compressed = gzip.compress(jsonl(*records).encode())
    path = write(tmp_path / "potong.jsonl.gz", compressed[: len(compressed) // 2])
    items = read(path)
    assert len(pages(items)) > 100
    assert isinstance(items[-1], ReadFailure)
    assert isinstance(items[-1].error, SourceUnreadable)
    assert items[-1].source == str(path)


def test_folder_named_like_a_container_is_walked(tmp_path: Path) -> None:
    write(tmp_path / "x.jsonl" / "a.txt", b"a")
    assert rel(tmp_path, read(tmp_path / "x.jsonl")) == ["x.jsonl/a.txt"]


# -- stdin -------------------------------------------------------------------------------


def test_stdin_page() -> None:
    before = datetime.now(UTC)
    [page] = read("-", stdin=io.BytesIO("Presiden – “kita”".encode()))
    assert isinstance(page, Page)
    assert page.source == "<stdin>"
    assert page.data == "Presiden – “kita”".encode()
    assert page.retrieved_at_kind == "read_at"
    assert page.retrieved_at is not None
    assert before <= page.retrieved_at <= datetime.now(UTC) + timedelta(seconds=1)


def test_stdin_jsonl() -> None:
    data = b"\n  " + jsonl({"text": "satu"}, "bukan objek", {"text": "tiga"}).encode()
    items = read("-", stdin=io.BytesIO(data))
    assert [item.source for item in items] == ["<stdin>:2", "<stdin>:3", "<stdin>:4"]
    assert [page.text for page in pages(items)] == ["satu", "tiga"]
    assert all(page.retrieved_at_kind == "read_at" for page in pages(items))


def test_stdin_jsonl_longer_than_the_first_read() -> None:
    # More than one read chunk, so the buffered head ends in the middle of a line.
    records = [{"text": f"berita nomor {n} " + "isi " * 20} for n in range(20_000)]
    data = jsonl(*records).encode()
    assert len(data) > 2 * 1024 * 1024
    items = read("-", stdin=io.BufferedReader(io.BytesIO(data)))
    assert not failures(items)
    assert [page.text for page in pages(items)] == [record["text"] for record in records]


def test_stdin_empty_and_too_large() -> None:
    [empty] = read("-", stdin=io.BytesIO(b""))
    assert isinstance(empty, ReadFailure)
    assert isinstance(empty.error, EmptyInput)
    [large] = read("-", stdin=io.BytesIO(b"x" * 101), max_bytes=100)
    assert isinstance(large, ReadFailure)
    assert isinstance(large.error, InputTooLarge)
    [exact] = read("-", stdin=io.BytesIO(b"x" * 100), max_bytes=100)
    assert isinstance(exact, Page)


def test_stdin_among_files(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", b"file")
    items = read(path, "-", path, stdin=io.BytesIO(b"pipe"))
    assert [page.data for page in pages(items)] == [b"file", b"pipe", b"file"]


def test_feed_in_a_folder_walk_gives_its_items_in_place(tmp_path: Path) -> None:
    """A feed among pages: its items come where the file does, each its own page."""
    body = "".join(f"<p>Kalimat nomor {n} dari berita ini cukup panjang.</p>" for n in range(20))
    items = "".join(
        f"<item><title>Berita {n}</title><link>https://k.example.id/{n}</link>"
        f"<content:encoded><![CDATA[{body}]]></content:encoded></item>"
        for n in (1, 2)
    )
    (tmp_path / "a.html").write_text("<p>halaman</p>", encoding="utf-8")
    (tmp_path / "b.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>K</title>'
        f"{items}</channel></rss>",
        encoding="utf-8",
    )
    (tmp_path / "c.txt").write_text("teks", encoding="utf-8")
    found = pages(read(tmp_path))
    assert [Path(p.source).name for p in found] == ["a.html", "b.xml#1", "b.xml#2", "c.txt"]
    feed_page = found[1]
    assert feed_page.url == "https://k.example.id/1" and feed_page.content_type == "text/html"
    assert feed_page.data is None and feed_page.text is not None
    assert "<h1>Berita 1</h1>" in feed_page.text
    assert feed_page.retrieved_at_kind == "file_mtime" and feed_page.retrieved_at is not None
