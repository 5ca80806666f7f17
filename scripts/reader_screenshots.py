"""Pictures of the web reader for the README: serve a store, open pages in Debian's Chromium.

python scripts/reader_screenshots.py warta.db docs/images

The pictures in docs/images were taken from a store of the seed page and the bundled samples
(``warta ingest`` of ``../shared/seed/000_e34af48cd88e996e.txt`` and ``src/warta/samples``,
then the corpus pass).
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from warta.server.app import create_app


def main(db: str, out: Path) -> None:
    server = uvicorn.Server(
        uvicorn.Config(create_app(db), host="127.0.0.1", port=8765, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = "http://127.0.0.1:8765"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(base + "/search?q=Putin")
        page.locator("article.hit a.title").first.click()
        page.wait_for_url("**/read/**")
        page.locator("details.removed summary").click()
        page.screenshot(path=str(out / "reader-article.png"))
        page.goto(base + "/search?q=Rusia")
        page.screenshot(path=str(out / "reader-search.png"))
        page.goto(base + "/entity/Rusia")
        page.screenshot(path=str(out / "reader-entity.png"))
        browser.close()
    server.should_exit = True


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
