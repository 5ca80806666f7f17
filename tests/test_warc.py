"""iter_warc_pages: CC-NEWS-style WARC files, and what damage to them does (generated files)."""

from __future__ import annotations

import gzip
import os
import tracemalloc
import zlib
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
import warcgen
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warta.core.errors import EmptyInput, InputTooLarge, MalformedRecord, SourceNotFound
from warta.readers.base import DEFAULT_MAX_BYTES, Page, ReadFailure
from warta.readers.walk import iter_pages
from warta.readers.warc import WarcStats, iter_warc_pages

Items = list[Page | ReadFailure]


def read(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[Items, WarcStats]:
    stats = WarcStats()
    items = list(iter_warc_pages(str(path), max_bytes=max_bytes, stats=stats))
    return items, stats


def text_of(page: Page) -> str:
    assert page.data is not None
    return page.data.decode("cp1252" if page.charset == "windows-1252" else "utf-8")


def pages(items: Items) -> list[Page]:
    return [item for item in items if isinstance(item, Page)]


def failures(items: Items) -> list[ReadFailure]:
    return [item for item in items if isinstance(item, ReadFailure)]


def members(records: list[bytes]) -> list[bytes]:
    return [warcgen.gzip_member(record) for record in records]


def page_response(url: str, body: bytes, *extra: tuple[str, str]) -> bytes:
    headers = [("Content-Type", "text/html; charset=utf-8"), *extra]
    return warcgen.response_record(url, 200, headers, body)


HTML = b"<html><head><title>Uji</title></head><body><p>Warga kampung membersihkan sungai.</p></body></html>"


@pytest.fixture(scope="module")
def small_crawl() -> warcgen.Crawl:
    return warcgen.crawl(120, seed=11)


# -- a clean CC-NEWS-style file --------------------------------------------------------------


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_counts_by_reason_match_the_generated_crawl(
    tmp_path: Path, small_crawl: warcgen.Crawl, name: str
) -> None:
    path = tmp_path / name
    warcgen.write_records(path, small_crawl.records)
    items, stats = read(path)
    assert failures(items) == []
    assert len(pages(items)) == small_crawl.taken
    assert stats.taken.total() == small_crawl.taken
    assert stats.skipped == small_crawl.skipped
    assert stats.errors == Counter()
    # the mix the generator promises is really there
    for reason in ("warcinfo", "request", "metadata", "revisit", "non-html", "status-404", "empty"):
        assert stats.skipped[reason] > 0, reason
    expected_types = Counter(page.content_type for page in small_crawl.pages)
    assert stats.taken == expected_types
    assert set(expected_types) == {"text/html", "text/plain"}


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_pages_carry_url_charset_dates_type_and_decoded_payload(
    tmp_path: Path, small_crawl: warcgen.Crawl, name: str
) -> None:
    path = tmp_path / name
    offsets = warcgen.write_records(path, small_crawl.records)
    got = pages(read(path)[0])
    assert len(got) == len(small_crawl.pages)
    for page, want in zip(got, small_crawl.pages):
        assert page.source == f"{path}#{offsets[want.index]}"
        assert page.url == want.url
        assert page.content_type == want.content_type
        assert page.charset == want.charset
        assert page.last_modified == want.last_modified
        assert page.retrieved_at == want.fetched
        assert page.retrieved_at_kind == "fetched"
        assert page.text is None and page.data is not None
        # gzip and deflate Content-Encoding are undone; bytes are the server's own
        assert text_of(page) == want.text
    assert {page.charset for page in got} >= {"utf-8", "windows-1252", None}
    assert any(page.last_modified is None for page in got)
    aware = [page.last_modified for page in got if page.last_modified is not None]
    assert aware and all(when.utcoffset() == UTC.utcoffset(None) for when in aware)


def test_generator_really_encodes_some_payloads(small_crawl: warcgen.Crawl) -> None:
    joined = b"".join(small_crawl.records)
    assert b"Content-Encoding: gzip" in joined and b"Content-Encoding: deflate" in joined
    assert b"WARC-Type: revisit" in joined and b"image/jpeg" in joined


def test_resource_records_use_their_own_content_type(tmp_path: Path) -> None:
    path = tmp_path / "resources.warc.gz"
    records = [
        warcgen.warc_record(
            "resource", HTML, url="file:///a.html", content_type="text/html; charset=ISO-8859-1"
        ),
        warcgen.warc_record(
            "resource", b"Teks biasa.\n", url="file:///b.txt", content_type="text/plain"
        ),
        warcgen.warc_record(
            "resource", b"\x89PNG....", url="file:///c.png", content_type="image/png"
        ),
        warcgen.warc_record(
            "resource", b"<html/>", url="<http://d.example/>", content_type="application/xhtml+xml"
        ),
    ]
    warcgen.write_records(path, records)
    items, stats = read(path)
    got = pages(items)
    assert [(p.url, p.content_type, p.charset) for p in got] == [
        ("file:///a.html", "text/html", "iso-8859-1"),
        ("file:///b.txt", "text/plain", None),
        ("http://d.example/", "text/html", None),  # WARC/1.0 angle brackets dropped
    ]
    assert got[0].data == HTML and got[0].last_modified is None
    assert stats.skipped == Counter({"non-html": 1})


def test_http_details(tmp_path: Path) -> None:
    """Status classes, odd headers, chunked bodies, missing Content-Type."""
    url = "https://kabarnusantara.example/x"
    chunked = b"10\r\n" + HTML[:16] + b"\r\n" + format(len(HTML) - 16, "x").encode() + b"\r\n"
    chunked += HTML[16:] + b"\r\n0\r\n\r\n"
    records = [
        warcgen.response_record(url, 204, [("Content-Type", "text/html")], b""),
        warcgen.response_record(url, 206, [("content-type", 'TEXT/HTML; Charset="UTF-8"')], HTML),
        warcgen.response_record(url, 500, [("Content-Type", "text/html")], HTML),
        warcgen.response_record(url, 200, [("Content-Type", "application/json")], b"{}"),
        warcgen.response_record(url, 200, [("Server", "x")], HTML),  # no Content-Type: sniffed
        warcgen.response_record(url, 200, [("Server", "x")], b"\x00\x01binary"),
        warcgen.response_record(
            url, 200, [("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")], chunked
        ),
        warcgen.response_record(
            url, 200, [("Content-Type", "text/html"), ("Last-Modified", "not a date")], HTML
        ),
        warcgen.response_record(
            url, 200, [("Content-Type", "text/html"), ("Content-Encoding", "zstd")], HTML
        ),
        warcgen.warc_record("response", HTML, url="dns:x", content_type="text/dns"),
    ]
    path = tmp_path / "http.warc"
    warcgen.write_records(path, records)
    items, stats = read(path)
    assert failures(items) == []
    got = pages(items)
    assert [p.charset for p in got] == ["utf-8", None, None, None]
    assert all(p.data == HTML for p in got)  # the chunked one too
    assert all(p.last_modified is None for p in got)
    assert stats.skipped == Counter(
        {
            "empty": 1,
            "status-500": 1,
            "non-html": 1,
            "no-content-type": 1,
            "unsupported-encoding": 1,
            "non-http": 1,
        }
    )


def test_brotli_content_encoding(tmp_path: Path) -> None:
    brotli = pytest.importorskip("brotli")
    path = tmp_path / "br.warc.gz"
    bomb = brotli.compress(b"\x00" * (3 * 1024 * 1024))
    records = [
        page_response("https://a.example/1", brotli.compress(HTML), ("Content-Encoding", "br")),
        page_response("https://a.example/2", bomb, ("Content-Encoding", "br")),
        page_response("https://a.example/3", b"\x0bnot brotli", ("Content-Encoding", "br")),
    ]
    offsets = warcgen.write_records(path, records)
    items, stats = read(path, max_bytes=1024 * 1024)
    assert isinstance(items[0], Page) and items[0].data == HTML
    assert isinstance(items[1], ReadFailure) and isinstance(items[1].error, InputTooLarge)
    assert items[1].source == f"{path}#{offsets[1]}"
    assert isinstance(items[2], ReadFailure) and isinstance(items[2].error, MalformedRecord)
    assert stats.errors == Counter({"too-large": 1, "bad-encoding": 1})


# -- size limits ---------------------------------------------------------------------------


def test_gzip_bomb_payload_is_capped(tmp_path: Path) -> None:
    bomb = warcgen.gzip_member(b"\x00" * (32 * 1024 * 1024), level=9)  # ~32 KB on disk
    assert len(bomb) < 100_000
    path = tmp_path / "bomb.warc.gz"
    records = [
        page_response("https://a.example/1", HTML),
        page_response("https://a.example/bomb", bomb, ("Content-Encoding", "gzip")),
        page_response(
            "https://a.example/deflate",
            zlib.compress(b" " * 3_000_000),
            ("Content-Encoding", "deflate"),
        ),
        page_response(
            "https://a.example/2", warcgen.gzip_member(HTML), ("Content-Encoding", "gzip")
        ),
    ]
    offsets = warcgen.write_records(path, records)
    tracemalloc.start()
    try:
        items, stats = read(path, max_bytes=2 * 1024 * 1024)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024  # never the whole 32 MiB
    assert [type(item) for item in items] == [Page, ReadFailure, ReadFailure, Page]
    for failure, offset in zip(failures(items), offsets[1:3]):
        assert isinstance(failure.error, InputTooLarge)
        assert failure.source == f"{path}#{offset}"
        assert "page limit" in failure.error.one_line()
    assert stats.errors == Counter({"too-large": 2})


def test_large_payload_is_refused_but_the_file_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "big.warc"
    big = b"<html><body>" + b"kata " * 60_000 + b"</body></html>"
    records = [
        page_response("https://a.example/big", big),
        page_response("https://a.example/ok", HTML),
    ]
    warcgen.write_records(path, records)
    items, stats = read(path, max_bytes=100_000)
    assert isinstance(items[0], ReadFailure) and isinstance(items[0].error, InputTooLarge)
    assert isinstance(items[1], Page) and items[1].data == HTML
    assert stats.errors == Counter({"too-large": 1})


# -- damage --------------------------------------------------------------------------------


def test_truncated_final_member_is_reported_and_earlier_records_kept(
    tmp_path: Path, small_crawl: warcgen.Crawl
) -> None:
    gz = members(small_crawl.records)
    whole = b"".join(gz)
    # cut the member of the last page: in its block, in its WARC header, in its gzip trailer
    last = small_crawl.pages[-1].index
    start = sum(map(len, gz[:last]))
    for cut, lost in ((len(gz[last]) // 2, 1), (20, 1), (len(gz[last]) - 4, 0)):
        path = tmp_path / f"cut{cut}.warc.gz"
        path.write_bytes(whole[: start + cut])
        items, stats = read(path)
        bad = failures(items)
        assert len(bad) == 1, [f.error.one_line() for f in bad]
        assert isinstance(bad[0].error, MalformedRecord)
        assert f"offset {start}" in bad[0].error.one_line()
        assert bad[0].source == f"{path}#{start}"
        assert items[-1] is bad[0]  # reported last, then a clean stop
        # all earlier pages; the cut one too when only its gzip trailer is missing
        assert len(pages(items)) == small_crawl.taken - lost
        assert stats.errors.total() == 1


def test_truncated_member_in_the_middle_is_skipped(
    tmp_path: Path, small_crawl: warcgen.Crawl
) -> None:
    gz = members(small_crawl.records)
    victim = small_crawl.pages[3].index
    gz[victim] = gz[victim][: len(gz[victim]) // 2]
    path = tmp_path / "middle.warc.gz"
    path.write_bytes(b"".join(gz))
    items, stats = read(path)
    assert len(failures(items)) == 1
    assert len(pages(items)) == small_crawl.taken - 1
    urls = [page.url for page in pages(items)]
    assert small_crawl.pages[3].url not in urls and small_crawl.pages[4].url in urls
    assert stats.errors == Counter({"corrupt": 1})


@pytest.mark.parametrize("kind", ["bytes", "member", "plain"])
def test_garbage_between_good_records(
    tmp_path: Path, small_crawl: warcgen.Crawl, kind: str
) -> None:
    at = small_crawl.pages[5].index
    junk = b"bukan rekaman WARC\r\n" * 20
    if kind == "plain":
        path = tmp_path / "junk.warc"
        parts = [*small_crawl.records[:at], junk, *small_crawl.records[at:]]
    else:
        path = tmp_path / "junk.warc.gz"
        gz = members(small_crawl.records)
        parts = [*gz[:at], junk if kind == "bytes" else warcgen.gzip_member(junk), *gz[at:]]
    path.write_bytes(b"".join(parts))
    garbage_at = sum(map(len, parts[:at]))
    items, stats = read(path)
    bad = failures(items)
    assert len(bad) == 1
    assert isinstance(bad[0].error, MalformedRecord)
    message = bad[0].error.one_line()
    assert f"offset {garbage_at}:" in message
    assert f"skipped {len(parts[at])} bytes" in message
    assert len(pages(items)) == small_crawl.taken  # nothing good lost
    assert stats.errors == Counter({"corrupt": 1})


def test_bad_http_header_blocks(tmp_path: Path) -> None:
    url = "https://a.example/"
    kind = "application/http; msgtype=response"
    records = [
        page_response(url + "1", HTML),
        warcgen.warc_record(
            "response", b"NOT HTTP\r\nX: y\r\n\r\n" + HTML, url=url, content_type=kind
        ),
        warcgen.warc_record(
            "response",
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n",
            url=url,
            content_type=kind,
        ),
        warcgen.warc_record(
            "response", b"HTTP/1.1 200 OK\r\nX: \x00\r\n\r\n" + HTML, url=url, content_type=kind
        ),
        page_response(url + "2", HTML),
    ]
    path = tmp_path / "http.warc.gz"
    offsets = warcgen.write_records(path, records)
    items, stats = read(path)
    assert [type(item) for item in items] == [Page, ReadFailure, ReadFailure, ReadFailure, Page]
    for failure, offset in zip(failures(items), offsets[1:4]):
        assert isinstance(failure.error, MalformedRecord)
        assert failure.error.one_line().startswith(f"{path}: malformed_record: offset {offset}: ")
    assert stats.errors == Counter({"bad-http": 3})


def test_record_cut_short_in_a_plain_file(tmp_path: Path, small_crawl: warcgen.Crawl) -> None:
    last = small_crawl.pages[-1].index
    path = tmp_path / "short.warc"
    data = b"".join(small_crawl.records[:last]) + small_crawl.records[last][:-300]
    path.write_bytes(data)
    items, stats = read(path)
    bad = failures(items)
    assert len(bad) == 1 and "record truncated" in bad[0].error.one_line()
    assert len(pages(items)) == small_crawl.taken - 1
    assert stats.errors == Counter({"truncated": 1})


def test_odd_but_valid_layouts(tmp_path: Path, small_crawl: warcgen.Crawl) -> None:
    """Zero padding at the end, an empty gzip member, a file gzipped as one stream."""
    gz = members(small_crawl.records)
    padded = tmp_path / "padded.warc.gz"
    padded.write_bytes(
        b"".join(gz[:10]) + warcgen.gzip_member(b"") + b"".join(gz[10:]) + b"\0" * 512
    )
    items, stats = read(padded)
    assert failures(items) == [] and len(items) == small_crawl.taken
    single = tmp_path / "single.warc.gz"
    single.write_bytes(gzip.compress(b"".join(small_crawl.records)))
    items, stats = read(single)
    assert failures(items) == [] and len(items) == small_crawl.taken
    assert all("#record-" in page.source or page.source.endswith("#0") for page in pages(items))


def test_not_a_warc_file_at_all(tmp_path: Path) -> None:
    for name, data in [("noise.warc.gz", os.urandom(5000)), ("noise.warc", b"hello\n" * 100)]:
        path = tmp_path / name
        path.write_bytes(data)
        items, stats = read(path)
        assert len(items) == 1 and isinstance(items[0].error, MalformedRecord)
        assert "offset 0:" in items[0].error.one_line()
    empty = tmp_path / "empty.warc.gz"
    empty.write_bytes(b"")
    items, _ = read(empty)
    assert len(items) == 1 and isinstance(items[0].error, EmptyInput)
    items, stats = read(tmp_path / "missing.warc")
    assert len(items) == 1 and isinstance(items[0].error, SourceNotFound)
    assert stats.errors == Counter({"unreadable": 1})


FUZZ_CRAWL = warcgen.crawl(8, seed=5)
FUZZ_GZ = members(FUZZ_CRAWL.records)
FUZZ_TEXTS = {page.url: page for page in FUZZ_CRAWL.pages}


@settings(
    max_examples=int(os.environ.get("WARTA_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    compressed=st.booleans(),
    cut=st.floats(min_value=0, max_value=1),
    junk=st.binary(max_size=300),
    mode=st.sampled_from(["truncate", "insert", "append", "overwrite"]),
)
def test_fuzz_damaged_files_never_raise(
    tmp_path: Path, compressed: bool, cut: float, junk: bytes, mode: str
) -> None:
    parts = FUZZ_GZ if compressed else FUZZ_CRAWL.records
    data = b"".join(parts)
    at = int(cut * len(data))
    if mode == "truncate":
        damaged = data[:at]
    elif mode == "insert":
        damaged = data[:at] + junk + data[at:]
    elif mode == "append":
        damaged, at = data + junk, len(data)
    else:
        damaged = data[:at] + junk + data[at + len(junk) :]
    path = tmp_path / ("fuzz.warc.gz" if compressed else "fuzz.warc")
    path.write_bytes(damaged)
    items, stats = read(path)
    assert all(isinstance(item, Page | ReadFailure) for item in items)
    assert len(failures(items)) == stats.errors.total()
    # every record that lies wholly before the damage is still read, unchanged
    ends = [sum(map(len, parts[: i + 1])) for i in range(len(parts))]
    intact = {page.url for page in FUZZ_CRAWL.pages if ends[page.index] <= at}
    got = {page.url: page for page in pages(items)}
    assert intact <= set(got)
    for url in intact:
        assert text_of(got[url]) == FUZZ_TEXTS[url].text
        assert got[url].last_modified == FUZZ_TEXTS[url].last_modified
    if compressed and mode in ("insert", "overwrite"):
        # gzip members wholly after the damage are found again
        starts = [end - len(part) for end, part in zip(ends, parts)]
        first_intact = at if mode == "insert" else at + len(junk)
        after = {p.url for p in FUZZ_CRAWL.pages if starts[p.index] >= first_intact}
        assert after <= set(got)


# -- routing and memory --------------------------------------------------------------------


def test_iter_pages_routes_warc_files_without_the_file_size_limit(
    tmp_path: Path, small_crawl: warcgen.Crawl
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    warcgen.write_records(folder / "a.warc.gz", small_crawl.records)
    warcgen.write_records(folder / "B.WARC", small_crawl.records[:40])
    warcgen.write_records(folder / "c.WARC.GZ", small_crawl.records[:40])
    (folder / "d.html").write_bytes(HTML)
    size = (folder / "a.warc.gz").stat().st_size
    limit = max(len(page.text.encode("utf-8")) for page in small_crawl.pages)
    assert size > 20 * limit  # a file far above the page limit, every page in it below
    items = list(iter_pages([str(folder)], max_bytes=limit))
    assert failures(items) == []
    first40 = sum(1 for page in small_crawl.pages if page.index < 40)
    assert len(items) == small_crawl.taken + 2 * first40 + 1
    sources = [item.source for item in items]
    assert all(
        source.split("#")[0].endswith(("a.warc.gz", "B.WARC", "c.WARC.GZ", "d.html"))
        for source in sources
    )
    assert all(item.retrieved_at_kind == "fetched" for item in pages(items)[:-1])
    # an explicit path too
    direct = list(iter_pages([str(folder / "a.warc.gz")], max_bytes=limit))
    assert len(direct) == small_crawl.taken


def test_iter_pages_does_not_import_the_warc_reader_for_plain_files() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from warta.readers.walk import iter_pages; "
        "print('warta.readers.warc' in sys.modules, 'fastwarc' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_stats_add_up_over_files(tmp_path: Path, small_crawl: warcgen.Crawl) -> None:
    path = tmp_path / "a.warc.gz"
    warcgen.write_records(path, small_crawl.records)
    stats = WarcStats()
    for _ in range(2):
        list(iter_warc_pages(str(path), stats=stats))
    assert stats.taken.total() == 2 * small_crawl.taken
    assert stats.skipped["request"] == 2 * small_crawl.skipped["request"]


def test_memory_stays_small_on_a_5000_record_file(tmp_path: Path) -> None:
    """The file streams: traced Python memory stays far below the file's size.

    (FastWARC's own buffers live outside the Python heap; they are fixed-size.)
    """
    generated = warcgen.crawl(2400, seed=7)
    assert len(generated.records) >= 5000
    raw_size = sum(map(len, generated.records))
    path = tmp_path / "many.warc.gz"
    warcgen.write_records(path, generated.records)
    taken = generated.taken
    del generated
    tracemalloc.start()
    try:
        count = sum(1 for item in iter_warc_pages(str(path)) if isinstance(item, Page))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == taken
    assert raw_size > 5 * 1024 * 1024
    assert peak < 1024 * 1024, f"peak {peak} bytes"


def test_dates_are_aware(tmp_path: Path) -> None:
    path = tmp_path / "d.warc"
    when = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    record = warcgen.response_record(
        "https://a.example/",
        200,
        [("Content-Type", "text/html"), ("Last-Modified", "Wed, 01 Jan 2025 10:00:00 +0700")],
        HTML,
        when=when,
    )
    warcgen.write_records(path, [record])
    (page,) = pages(read(path)[0])
    assert page.retrieved_at == when
    assert page.last_modified == datetime(2025, 1, 1, 3, 0, 0, tzinfo=UTC)
    assert page.last_modified.tzinfo is not None
