"""Write CC-NEWS-style WARC files for tests and benchmarks.

The layout follows Common Crawl's news crawl: a ``warcinfo`` record, then for every fetched
page a ``request`` record and a ``response`` record (HTTP status line and headers, then the
payload), each record in its own gzip member for ``.warc.gz``. The mix is deterministic for a
seed: HTML pages in UTF-8 or windows-1252 (charset in the Content-Type or not), Last-Modified on
most pages, some payloads gzip- or deflate-encoded, some 404s and redirects, some images and
JSON, a few empty bodies, a ``metadata`` record now and then and one ``revisit`` record.

The pages are built from a small template and word pools written for warta (no third-party
text). Only the standard library is used, so the files do not depend on the reader under test.
"""

from __future__ import annotations

import base64
import hashlib
import random
import uuid
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

SITES = [
    "kabarnusantara.example",
    "warta-harian.example",
    "suarapelosok.example",
    "beritakita.example",
]
SECTIONS = ["nasional", "ekonomi", "daerah", "olahraga", "teknologi"]
SUBJECTS = [
    "Pemerintah kota",
    "Dinas perhubungan",
    "Warga setempat",
    "Kepolisian daerah",
    "Sejumlah pedagang",
    "Panitia festival",
    "Badan meteorologi",
    "Para petani",
    "Pengurus koperasi",
    "Dewan kesenian",
]
VERBS = [
    "meresmikan",
    "membahas",
    "menunda",
    "meninjau",
    "menyiapkan",
    "mengumumkan",
    "memperbaiki",
    "mengusulkan",
]
OBJECTS = [
    "jembatan penyeberangan",
    "jadwal kereta komuter",
    "harga beras medium",
    "program beasiswa daerah",
    "pasar tradisional",
    "saluran irigasi",
    "anggaran tahun depan",
    "layanan puskesmas keliling",
    "perpustakaan desa",
    "terminal bus antarkota",
]
PLACES = ["Bandung", "Makassar", "Pontianak", "Kupang", "Medan", "Ambon", "Jayapura", "Semarang"]
TIMES = ["pada Senin pagi", "pekan lalu", "hari ini", "sejak awal bulan", "pada Kamis malam"]
NAMES = [
    "Agus Pratama",
    "Rina Wulandari",
    "Hendra Saputra",
    "Maya Kusuma",
    "Yusuf Hidayat",
    "Lina Marlina",
]
QUOTES = [
    "Kami berharap semuanya berjalan lancar",
    "Masyarakat diminta tetap tenang",
    "Pekerjaan ini ditargetkan selesai bulan depan",
    "Kami masih menunggu hasil pemeriksaan",
]

START = datetime(2024, 3, 4, 6, 0, 0, tzinfo=UTC)


# -- pages ---------------------------------------------------------------------------------


def sentence(rng: random.Random) -> str:
    """One generated sentence; some carry curly quotes or an en dash (non-ASCII)."""
    kind = rng.random()
    if kind < 0.15:
        return f"\u201c{rng.choice(QUOTES)},\u201d kata {rng.choice(NAMES)}."
    if kind < 0.25:
        low = rng.randint(5, 20) * 1000
        return f"Biayanya diperkirakan Rp {low:,}\u2013Rp {low * 2:,}.".replace(",", ".")
    return (
        f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
        f"di {rng.choice(PLACES)} {rng.choice(TIMES)}."
    )


def make_html(rng: random.Random, title: str, site: str, when: datetime, charset: str) -> str:
    """A small news page: navigation, headline, byline, paragraphs and a footer."""
    paragraphs = "\n".join(
        "<p>" + " ".join(sentence(rng) for _ in range(rng.randint(2, 4))) + "</p>"
        for _ in range(rng.randint(4, 9))
    )
    return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="{charset}">
<title>{title} - {site}</title>
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="{when.isoformat()}">
</head>
<body>
<header><nav><a href="/">Beranda</a> | <a href="/nasional">Nasional</a> | <a href="/ekonomi">Ekonomi</a></nav></header>
<article>
<h1>{title}</h1>
<p class="byline">Oleh {rng.choice(NAMES)} | {when:%d/%m/%Y %H:%M} WIB</p>
{paragraphs}
</article>
<footer>Hak cipta &copy; {when.year} {site}. Dilarang mengutip tanpa izin.</footer>
</body>
</html>
"""


# -- records -------------------------------------------------------------------------------


def warc_date(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def http_date(when: datetime) -> str:
    return format_datetime(when.astimezone(UTC), usegmt=True)


def _digest(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def warc_record(
    warc_type: str,
    block: bytes,
    *,
    url: str | None = None,
    when: datetime = START,
    content_type: str | None = None,
    extra: Sequence[tuple[str, str]] = (),
    rng: random.Random | None = None,
) -> bytes:
    """One uncompressed WARC/1.0 record (headers, block, the two closing CRLFs)."""
    rng = rng or random.Random(len(block))
    record_id = uuid.UUID(int=rng.getrandbits(128), version=4)
    headers: list[tuple[str, str]] = [
        ("WARC-Type", warc_type),
        ("WARC-Date", warc_date(when)),
        ("WARC-Record-ID", f"<urn:uuid:{record_id}>"),
    ]
    if url is not None:
        headers.append(("WARC-Target-URI", url))
    headers.extend(extra)
    if content_type is not None:
        headers.append(("Content-Type", content_type))
    headers.append(("WARC-Block-Digest", _digest(block)))
    headers.append(("Content-Length", str(len(block))))
    head = "WARC/1.0\r\n" + "".join(f"{name}: {value}\r\n" for name, value in headers) + "\r\n"
    return head.encode("utf-8") + block + b"\r\n\r\n"


def http_response(status: int, headers: Sequence[tuple[str, str]], body: bytes) -> bytes:
    """An HTTP/1.1 response block: status line, headers, blank line, payload."""
    reasons = {200: "OK", 301: "Moved Permanently", 404: "Not Found", 500: "Server Error"}
    lines = [f"HTTP/1.1 {status} {reasons.get(status, 'Status')}"]
    lines += [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def http_request(url: str) -> bytes:
    host = url.split("/")[2]
    path = "/" + url.split("/", 3)[3] if url.count("/") >= 3 else "/"
    return (
        f"GET {path} HTTP/1.1\r\nHost: {host}\r\n"
        "User-Agent: wartabot/0.1 (+https://warta.example/bot)\r\n"
        "Accept: text/html,application/xhtml+xml;q=0.9,*/*;q=0.8\r\n"
        "Accept-Encoding: gzip, deflate\r\nAccept-Language: id,en;q=0.5\r\n\r\n"
    ).encode("ascii")


def response_record(
    url: str,
    status: int,
    headers: Sequence[tuple[str, str]],
    body: bytes,
    *,
    when: datetime = START,
    rng: random.Random | None = None,
) -> bytes:
    """A ``response`` record holding an HTTP response."""
    block = http_response(status, headers, body)
    extra = [("WARC-IP-Address", "192.0.2.10"), ("WARC-Payload-Digest", _digest(body))]
    return warc_record(
        "response",
        block,
        url=url,
        when=when,
        content_type="application/http; msgtype=response",
        extra=extra,
        rng=rng,
    )


def gzip_member(data: bytes, level: int = 6) -> bytes:
    """``data`` as one complete gzip member."""
    packer = zlib.compressobj(level, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


def deflate(data: bytes) -> bytes:
    """HTTP ``deflate``: a zlib stream."""
    return zlib.compress(data, 6)


def write_records(
    path: str | Path, records: Iterable[bytes], *, compress: bool | None = None
) -> list[int]:
    """Write records (one gzip member each when compressed); return their file offsets.

    ``compress`` defaults to whether ``path`` ends in ``.gz``.
    """
    path = Path(path)
    if compress is None:
        compress = path.name.lower().endswith(".gz")
    offsets: list[int] = []
    with open(path, "wb") as out:
        for record in records:
            offsets.append(out.tell())
            out.write(gzip_member(record) if compress else record)
    return offsets


# -- a whole crawl -------------------------------------------------------------------------


@dataclass
class ExpectedPage:
    """What the reader should yield for one taken response record."""

    index: int  # position of the record in the file (0 = warcinfo)
    url: str
    content_type: str
    charset: str | None
    last_modified: datetime | None
    fetched: datetime
    text: str  # the page as text (data decodes to this with the declared charset)


@dataclass
class Crawl:
    """The records of a generated crawl and what reading them should give."""

    records: list[bytes] = field(default_factory=list)
    pages: list[ExpectedPage] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)

    @property
    def taken(self) -> int:
        return len(self.pages)


def crawl(n_pages: int, *, seed: int = 1, revisit: bool = True) -> Crawl:
    """Generate the records of a crawl of ``n_pages`` fetches (plus warcinfo and a revisit)."""
    rng = random.Random(seed)
    out = Crawl()
    info = (
        "software: wartagen/1.0 (synthetic CC-NEWS-style test data)\r\n"
        "isPartOf: WARTA-NEWS-TEST\r\n"
        "operator: warta tests\r\n"
        "description: generated pages, no third-party text\r\n"
        "format: WARC File Format 1.0\r\n"
    ).encode("ascii")
    out.records.append(
        warc_record(
            "warcinfo",
            info,
            content_type="application/warc-fields",
            extra=[("WARC-Filename", "test.warc.gz")],
            rng=rng,
        )
    )
    out.skipped["warcinfo"] += 1
    urls: list[str] = []
    for i in range(n_pages):
        site = rng.choice(SITES)
        section = rng.choice(SECTIONS)
        url = f"https://{site}/{section}/2024/03/{i:06d}/berita-{i}"
        when = START + timedelta(seconds=37 * i)
        published = when - timedelta(hours=rng.randint(1, 48))
        out.records.append(
            warc_record(
                "request",
                http_request(url),
                url=url,
                when=when,
                content_type="application/http; msgtype=request",
                rng=rng,
            )
        )
        out.skipped["request"] += 1
        roll = rng.random()
        base = [("Date", http_date(when)), ("Server", "nginx"), ("Connection", "close")]
        if roll < 0.07:
            body = b"<html><body><h1>Halaman tidak ditemukan</h1></body></html>"
            headers = [*base, ("Content-Type", "text/html; charset=utf-8")]
            out.records.append(response_record(url, 404, headers, body, when=when, rng=rng))
            out.skipped["status-404"] += 1
            continue
        if roll < 0.10:
            headers = [*base, ("Location", url + "/"), ("Content-Type", "text/html")]
            out.records.append(response_record(url, 301, headers, b"", when=when, rng=rng))
            out.skipped["status-301"] += 1
            continue
        if roll < 0.14:
            body = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(
                rng.getrandbits(8) for _ in range(300)
            )
            headers = [*base, ("Content-Type", "image/jpeg")]
            out.records.append(
                response_record(url + ".jpg", 200, headers, body, when=when, rng=rng)
            )
            out.skipped["non-html"] += 1
            continue
        if roll < 0.17:
            body = b'{"status": "ok", "komentar": []}'
            headers = [*base, ("Content-Type", "application/json; charset=utf-8")]
            out.records.append(
                response_record(url + ".json", 200, headers, body, when=when, rng=rng)
            )
            out.skipped["non-html"] += 1
            continue
        if roll < 0.19:
            headers = [*base, ("Content-Type", "text/html; charset=utf-8")]
            out.records.append(response_record(url, 200, headers, b"", when=when, rng=rng))
            out.skipped["empty"] += 1
            continue
        # A real page.
        title = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
        charset_roll = rng.random()
        if charset_roll < 0.6:
            declared: str | None = "utf-8"
            encoding = "utf-8"
        elif charset_roll < 0.7:
            declared, encoding = "UTF-8", "utf-8"
        elif charset_roll < 0.85:
            declared, encoding = "windows-1252", "cp1252"
        else:
            declared, encoding = None, "utf-8"
        if rng.random() < 0.1:
            mime = "text/plain"
            text = f"{title}\n\n" + "\n\n".join(sentence(rng) for _ in range(6)) + "\n"
        else:
            mime = "text/html" if rng.random() < 0.95 else "application/xhtml+xml"
            text = make_html(rng, title, site, published, declared or "utf-8")
        body = text.encode(encoding)
        content_type = mime if declared is None else f"{mime}; charset={declared}"
        headers = [*base, ("Content-Type", content_type)]
        last_modified: datetime | None = None
        if rng.random() < 0.7:
            last_modified = published
            headers.append(("Last-Modified", http_date(published)))
        enc_roll = rng.random()
        if enc_roll < 0.2:
            body = gzip_member(body)
            headers.append(("Content-Encoding", "gzip"))
            headers.append(("Vary", "Accept-Encoding"))
        elif enc_roll < 0.25:
            body = deflate(body)
            headers.append(("Content-Encoding", "deflate"))
        headers.append(("Content-Length", str(len(body))))
        out.records.append(response_record(url, 200, headers, body, when=when, rng=rng))
        out.pages.append(
            ExpectedPage(
                index=len(out.records) - 1,
                url=url,
                content_type="text/plain" if mime == "text/plain" else "text/html",
                charset=declared.lower() if declared else None,
                last_modified=last_modified,
                fetched=when,
                text=text,
            )
        )
        urls.append(url)
        if i % 10 == 3:
            fields = f"fetchTimeMs: {rng.randint(80, 900)}\r\ncharset-detected: UTF-8\r\n".encode(
                "ascii"
            )
            out.records.append(
                warc_record(
                    "metadata",
                    fields,
                    url=url,
                    when=when,
                    content_type="application/warc-fields",
                    rng=rng,
                )
            )
            out.skipped["metadata"] += 1
    if revisit and urls:
        url = urls[0]
        when = START + timedelta(days=1)
        block = http_response(304, [("Date", http_date(when))], b"")
        extra = [
            ("WARC-Profile", "http://netpreserve.org/warc/1.0/revisit/identical-payload-digest"),
            ("WARC-Refers-To-Target-URI", url),
            ("WARC-Refers-To-Date", warc_date(START)),
        ]
        out.records.append(
            warc_record(
                "revisit",
                block,
                url=url,
                when=when,
                content_type="application/http; msgtype=response",
                extra=extra,
                rng=rng,
            )
        )
        out.skipped["revisit"] += 1
    return out


def write_crawl(
    path: str | Path, n_pages: int, *, seed: int = 1, compress: bool | None = None
) -> tuple[Crawl, list[int]]:
    """Generate a crawl and write it to ``path``; return it and the record offsets."""
    generated = crawl(n_pages, seed=seed)
    offsets = write_records(path, generated.records, compress=compress)
    return generated, offsets
