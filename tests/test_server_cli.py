"""``warta serve`` runs the API on uvicorn: started for real on a free port and asked over HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from test_server_data import KEY, RawPage, fill_store, real_pages


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _warta(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", "from warta.cli import main; main()", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
    )


def test_serve_answers_over_http(tmp_path: Path) -> None:
    db = str(tmp_path / "warta.db")
    fill_store(db, real_pages()[:1])
    port = _free_port()
    process = _warta("serve", "--db", db, "--port", str(port), env={"WARTA_API_KEY": KEY})
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                stats = httpx.get(f"{base}/v1/stats", timeout=2)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.communicate()
                assert time.monotonic() < deadline, "warta serve did not start in 30 s"
                time.sleep(0.2)
        assert stats.status_code == 200 and stats.json()["articles"] == 1
        assert "server" not in stats.headers
        missing = httpx.get(f"{base}/v1/nothing", timeout=5)
        assert missing.status_code == 404
        assert missing.headers["content-type"] == "application/problem+json"
        huge = httpx.get(f"{base}/v1/search", params={"q": "x" * 10_000}, timeout=5)
        assert huge.status_code == 414
        unauth = httpx.post(f"{base}/v1/ingest/pages", json={"pages": [{"text": "x"}]}, timeout=5)
        assert unauth.status_code == 401
        ok = httpx.post(
            f"{base}/v1/ingest/pages",
            json={"pages": [{"text": real_pages()[3].text}]},
            headers={"X-API-Key": KEY},
            timeout=60,
        )
        assert ok.status_code == 200 and ok.json()["counts"]["new"] == 1
        _concurrent_requests(base, real_pages()[4:8])
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout and process.stdout.close()
        process.stderr and process.stderr.close()


def _concurrent_requests(base: str, pages: list[RawPage]) -> None:
    """Reads and writes at once: each request has its own store connection, in its own thread."""
    from concurrent.futures import ThreadPoolExecutor

    def read(n: int) -> int:
        path = ("/v1/search?q=ISIS", "/v1/stats", "/v1/entities", "/v1/quotes")[n % 4]
        return httpx.get(base + path, timeout=60).status_code

    def write(page: RawPage) -> int:
        body = {"pages": [{"text": page.text, "url": page.url}]}
        return httpx.post(
            f"{base}/v1/ingest/pages", json=body, headers={"X-API-Key": KEY}, timeout=120
        ).status_code

    with ThreadPoolExecutor(16) as pool:
        pending_writes = [pool.submit(write, page) for page in pages]
        pending_reads = [pool.submit(read, n) for n in range(64)]
        writes = [f.result() for f in pending_writes]
        reads = [f.result() for f in pending_reads]
    assert set(reads) == {200} and set(writes) == {200}
    assert httpx.get(f"{base}/v1/stats", timeout=10).json()["articles"] == 2 + len(pages)


def test_serve_refuses_a_bad_configuration() -> None:
    process = _warta("serve", "--read-key-required", env={"WARTA_API_KEY": ""})
    _, err = process.communicate(timeout=30)
    assert process.returncode == 2
    assert b"read_key_required needs an api_key" in err
