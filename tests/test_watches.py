"""Watches: saved searches kept in the store (SQLite and PostgreSQL), their Atom feeds, and
webhooks posted after ingest to a real local HTTP receiver — signed, retried with backoff,
never holding up or undoing the ingest."""

from __future__ import annotations

import hashlib
import hmac
import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from fastapi.testclient import TestClient

from warta.alerts import webhook
from warta.alerts.watching import add_watch, make_watch, matches, queue_new_matches
from warta.core.errors import QueryError
from warta.run import ingest as ingest_module
from warta.run.ingest import ingest
from warta.run.pipeline import CLEAN_PIPELINE
from warta.server.app import create_app
from warta.store import open_store

SECRET = "s3cret-for-tests"

FLOOD = (
    "Banjir Rendam Ratusan Rumah di {town}\n\n"
    "{town} - Banjir setinggi satu meter merendam ratusan rumah warga di {town} sejak Senin "
    "pagi setelah hujan deras turun semalaman. Petugas penanggulangan bencana mengevakuasi "
    "warga lanjut usia dan anak-anak ke balai desa.\n\n"
    "Kepala pelaksana badan penanggulangan bencana daerah mengatakan air mulai surut pada "
    "sore hari, tetapi warga diminta tetap waspada karena hujan diperkirakan turun lagi.\n\n"
    "Dapur umum didirikan di halaman kantor kecamatan untuk para pengungsi banjir.\n"
)
MARKET = (
    "Harga Cabai di Pasar {town} Naik\n\n"
    "{town} - Harga cabai rawit di pasar tradisional {town} naik menjadi delapan puluh ribu "
    "rupiah per kilogram pekan ini. Pedagang menyebut pasokan dari petani berkurang.\n\n"
    "Dinas perdagangan setempat akan memantau harga dan menggelar operasi pasar bila "
    "kenaikan berlanjut hingga akhir bulan.\n"
)


def _write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def _ingest(location: str, folder: Path) -> ingest_module.IngestReport:
    with open_store(location) as store:
        return ingest([str(folder)], store, spec=CLEAN_PIPELINE)


class Receiver:
    """A real HTTP server on 127.0.0.1 that records posts and answers with the given statuses
    (then 200), optionally after a delay."""

    def __init__(self, statuses: list[int] | None = None, delay: float = 0.0) -> None:
        self.posts: list[tuple[dict[str, str], bytes]] = []
        self.statuses = list(statuses or [])
        self.delay = delay
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server name
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                outer.posts.append(({k.lower(): v for k, v in self.headers.items()}, body))
                if outer.delay:
                    time.sleep(outer.delay)
                status = outer.statuses.pop(0) if outer.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


def test_a_watch_is_kept_and_its_new_matches_are_queued_once(
    store_location: str, tmp_path: Path
) -> None:
    first = tmp_path / "first"
    _write(first, "flood_a.txt", FLOOD.format(town="Sampang"))
    _write(first, "market_a.txt", MARKET.format(town="Sampang"))
    _ingest(store_location, first)
    with open_store(store_location) as store:
        w = make_watch("banjir", "banjir", {}, webhook="http://127.0.0.1:9/x", secret=SECRET)
        assert add_watch(store, w) == 1  # the flood report matches already: counted as seen
        assert [x.name for x in store.watch_tables().all()] == ["banjir"]
        assert queue_new_matches(store) == {}  # nothing new since the watch was made
    second = tmp_path / "second"
    _write(second, "flood_b.txt", FLOOD.format(town="Bojonegoro"))
    _write(second, "market_b.txt", MARKET.format(town="Bojonegoro"))
    with open_store(store_location) as store:
        report = ingest([str(second)], store, spec=CLEAN_PIPELINE, alerts=False)
        assert report.new == 2
        assert queue_new_matches(store) == {"banjir": 1}
        assert queue_new_matches(store) == {}  # reported once
        (delivery,) = store.watch_tables().due(datetime.now(UTC) + timedelta(seconds=1))
        body = json.loads(delivery.body)
        assert [a["title"] for a in body["articles"]] == ["Banjir Rendam Ratusan Rumah di Bojonegoro"]
        assert store.watch_tables().remove("banjir") is True
        assert store.watch_tables().due(datetime.now(UTC) + timedelta(seconds=1)) == []
        assert store.watch_tables().remove("banjir") is False


def test_ingest_posts_new_matches_signed_to_the_webhook(
    tmp_path: Path, receiver: Receiver
) -> None:
    location = str(tmp_path / "w.db")
    _ingest(location, _folder(tmp_path / "a", "Sampang"))
    with open_store(location) as store:
        add_watch(store, make_watch("banjir", "banjir", {}, webhook=receiver.url, secret=SECRET))
    report = _ingest(location, _folder(tmp_path / "b", "Bojonegoro"))
    assert report.watch_matches == {"banjir": 1}
    assert (report.delivered, report.undelivered) == (1, 0)
    ((headers, body),) = receiver.posts
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert headers["x-warta-signature"] == expected
    assert headers["x-warta-watch"] == "banjir"
    payload = json.loads(body)
    assert [a["title"] for a in payload["articles"]] == ["Banjir Rendam Ratusan Rumah di Bojonegoro"]
    again = _ingest(location, _folder(tmp_path / "b", "Bojonegoro"))  # nothing new
    assert again.watch_matches == {} and len(receiver.posts) == 1


def _folder(folder: Path, town: str) -> Path:
    _write(folder, f"flood_{town}.txt", FLOOD.format(town=town))
    _write(folder, f"market_{town}.txt", MARKET.format(town=town))
    return folder


def test_a_failing_receiver_is_retried_at_once_then_later_with_a_growing_wait(
    tmp_path: Path,
) -> None:
    location = str(tmp_path / "w.db")
    flaky = Receiver(statuses=[500, 503])  # accepted at the third try
    down = Receiver(statuses=[500] * 100)
    try:
        _ingest(location, _folder(tmp_path / "a", "Sampang"))
        with open_store(location) as store:
            add_watch(store, make_watch("flaky", "banjir", {}, webhook=flaky.url, secret=SECRET))
            add_watch(store, make_watch("down", "banjir", {}, webhook=down.url, secret=SECRET))
        _write(tmp_path / "b", "flood.txt", FLOOD.format(town="Tuban"))
        with open_store(location) as store:
            ingest([str(tmp_path / "b")], store, spec=CLEAN_PIPELINE, alerts=False)
            queue_new_matches(store)
            now = datetime.now(UTC)
            outcomes = {o.watch: o for o in webhook.deliver_due(store, budget_s=20, now=now)}
            assert outcomes["flaky"].delivered and outcomes["flaky"].attempts == 3
            assert not outcomes["down"].delivered and outcomes["down"].error == "HTTP 500"
            # the same delivery id on every try of one delivery
            assert len({h["x-warta-delivery"] for h, _ in flaky.posts}) == 1
            (pending,) = store.watch_tables().due(now + timedelta(days=1))
            assert pending.watch == "down" and pending.attempts == 3
            assert pending.next_try is not None
            assert pending.next_try - now == webhook._next_wait(3) == timedelta(minutes=4)
            assert store.watch_tables().due(now + timedelta(minutes=3)) == []  # waits
            later = now
            while store.watch_tables().due(later + timedelta(days=1)):
                later += timedelta(days=1)
                webhook.deliver_due(store, budget_s=20, now=later)
            (gave_up,) = store.watch_tables().deliveries("down", limit=1)
            assert gave_up.state == "failed" and gave_up.attempts >= webhook.MAX_ATTEMPTS
    finally:
        flaky.close()
        down.close()


def test_a_hanging_receiver_does_not_hold_up_or_undo_the_ingest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = Receiver(delay=30.0)
    monkeypatch.setattr(ingest_module, "WEBHOOK_BUDGET_S", 1.0)
    location = str(tmp_path / "w.db")
    try:
        _ingest(location, _folder(tmp_path / "a", "Sampang"))
        with open_store(location) as store:
            add_watch(store, make_watch("slow", "banjir", {}, webhook=slow.url, secret=SECRET))
        started = time.monotonic()
        report = _ingest(location, _folder(tmp_path / "b", "Tuban"))
        assert time.monotonic() - started < 20
        assert report.new == 2 and report.undelivered == 1 and report.alert_error is None
        with open_store(location) as store:
            assert store.stats()["articles"] == 4
            (pending,) = store.watch_tables().deliveries("slow")
            assert pending.state == "pending" and pending.last_error is not None
    finally:
        slow.close()


def test_bad_watches_are_refused_with_the_reason() -> None:
    with pytest.raises(QueryError, match="watch name"):
        make_watch("no spaces", "banjir", {})
    with pytest.raises(QueryError, match="unknown watch filter 'colour'"):
        make_watch("w", "banjir", {"colour": "red"})
    with pytest.raises(QueryError, match="not an http"):
        make_watch("w", "banjir", {}, webhook="file:///etc/passwd", secret=SECRET)
    with pytest.raises(QueryError, match="needs --secret"):
        make_watch("w", "banjir", {}, webhook="https://example.org/hook")
    with pytest.raises(QueryError, match="query or at least one filter"):
        make_watch("w", "  ", {})


def test_the_atom_feed_lists_the_matches_with_scraped_text_escaped(
    store_location: str, tmp_path: Path
) -> None:
    folder = tmp_path / "pages"
    _write(folder, "flood.txt", FLOOD.format(town="Sampang <script>alert(1)</script> & Co"))
    _write(folder, "market.txt", MARKET.format(town="Sampang"))
    _ingest(store_location, folder)
    with open_store(store_location) as store:
        add_watch(store, make_watch("banjir", "banjir", {}))
        expected = [h.id for h in matches(store, store.watch_tables().get("banjir"))]  # type: ignore[arg-type]
    client = TestClient(create_app(store_location), raise_server_exceptions=False)
    response = client.get("/v1/watches/banjir.atom")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    ids = [e.findtext("a:id", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert ids == [f"urn:warta:article:{i}" for i in expected] and len(ids) == 1
    title = root.find("a:entry/a:title", ns)
    assert title is not None and "<script>alert(1)</script> & Co" in (title.text or "")
    assert b"<script>" not in response.content
    listed = client.get("/v1/watches").json()["items"]
    assert [w["name"] for w in listed] == ["banjir"] and "secret" not in listed[0]
    assert client.get("/v1/watches/nothing.atom").status_code == 404


def _warta(*args: str, db: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "warta.cli", *args, "--db", db],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_watch_commands(tmp_path: Path) -> None:
    db = str(tmp_path / "w.db")
    _ingest(db, _folder(tmp_path / "a", "Sampang"))
    added = _warta("watch", "add", "banjir", "banjir", "--json", db=db)
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout) == {"name": "banjir", "matching_now": 1}
    listed = _warta("watch", "list", "--json", db=db)
    assert [w["name"] for w in json.loads(listed.stdout)] == ["banjir"]
    shown = _warta("watch", "show", "banjir", "--json", db=db)
    assert len(json.loads(shown.stdout)["hits"]) == 1
    again = _warta("watch", "add", "banjir", "banjir", db=db)
    assert again.returncode == 2 and "exists" in again.stderr
    bad = _warta("watch", "add", "w", "banjir", "--webhook", "ftp://x", "--secret", "s", db=db)
    assert bad.returncode == 2 and "not an http(s) URL" in bad.stderr
    assert "Traceback" not in bad.stderr
    assert _warta("watch", "remove", "banjir", db=db).returncode == 0
    assert _warta("watch", "remove", "banjir", db=db).returncode == 2
