"""``warta crawl``: fetch news pages politely into a JSON Lines file warta can read.

Register it on the main group with :func:`register`; ``python -m warta.cli.crawl`` runs it
on its own.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

import click

from warta.readers.base import DEFAULT_MAX_BYTES

if TYPE_CHECKING:
    from warta.crawl.crawler import CrawlStats

__all__ = ["crawl", "register"]


def register(group: click.Group) -> None:
    """Add the ``crawl`` command to ``group`` (the main ``warta`` group)."""
    group.add_command(crawl)


def _read_url_files(paths: tuple[str, ...]) -> list[str]:
    urls: list[str] = []
    for path in paths:
        if path == "-":
            lines = sys.stdin.read().splitlines()
        else:
            try:
                lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError as exc:
                raise click.BadParameter(
                    f"{path}: {exc.strerror or exc}", param_hint="--urls"
                ) from exc
        for line in lines:
            line = line.strip()
            if line and not line.startswith("#"):
                urls.append(line)
    return urls


@click.command("crawl")
@click.argument("urls", nargs=-1)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="JSON Lines file the pages are appended to (one record per page).",
)
@click.option(
    "--frontier",
    "frontier_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="SQLite frontier for state and resuming [default: OUTPUT.frontier.sqlite].",
)
@click.option(
    "--urls",
    "url_files",
    multiple=True,
    metavar="FILE",
    help="File of seed URLs, one per line ('-' for stdin; # starts a comment).",
)
@click.option("--feed", "feeds", multiple=True, metavar="URL", help="RSS/Atom feed to seed from.")
@click.option(
    "--sitemap", "sitemaps", multiple=True, metavar="URL", help="Sitemap or sitemap index."
)
@click.option(
    "--site",
    "sites",
    multiple=True,
    metavar="URL",
    help="Site whose robots.txt lists its sitemaps (else /sitemap.xml).",
)
@click.option(
    "--delay",
    type=click.FloatRange(0),
    default=1.0,
    show_default=True,
    help="Seconds between requests to one host (robots.txt Crawl-delay wins if longer).",
)
@click.option(
    "--max-pages", type=click.IntRange(1), default=None, help="Stop after this many pages."
)
@click.option(
    "--max-bytes",
    type=click.IntRange(1),
    default=DEFAULT_MAX_BYTES,
    show_default=True,
    help="Largest body accepted, as sent and decompressed.",
)
@click.option(
    "--connect-timeout", type=click.FloatRange(0, min_open=True), default=10.0, show_default=True
)
@click.option(
    "--read-timeout", type=click.FloatRange(0, min_open=True), default=30.0, show_default=True
)
@click.option(
    "--timeout",
    "total_timeout",
    type=click.FloatRange(0, min_open=True),
    default=60.0,
    show_default=True,
    help="Total seconds per page, redirects included.",
)
@click.option("--max-redirects", type=click.IntRange(0), default=5, show_default=True)
@click.option(
    "--retries",
    type=click.IntRange(0),
    default=1,
    show_default=True,
    help="Extra tries after a timeout, network error, 429 or 5xx.",
)
@click.option("--retry-wait", type=click.FloatRange(0), default=30.0, show_default=True)
@click.option("--follow-links", is_flag=True, help="Also crawl <a href> links of fetched pages.")
@click.option(
    "--depth", type=click.IntRange(0), default=1, show_default=True, help="Link depth limit."
)
@click.option(
    "--scope",
    type=click.Choice(["host", "domain", "any"]),
    default="host",
    show_default=True,
    help="host: links on the same host, feed/sitemap entries on the same domain; "
    "domain: links on the same domain too; any: no limit.",
)
@click.option(
    "--recrawl",
    is_flag=True,
    help="Fetch pages done before again (conditional GET: 304 counts as unchanged).",
)
@click.option("--retry-failed", is_flag=True, help="Queue URLs that failed before again.")
@click.option(
    "--allow-private",
    is_flag=True,
    help="Allow private, loopback and link-local addresses (local testing only).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress display.")
def crawl(
    urls: tuple[str, ...],
    output: Path,
    frontier_path: Path | None,
    url_files: tuple[str, ...],
    feeds: tuple[str, ...],
    sitemaps: tuple[str, ...],
    sites: tuple[str, ...],
    delay: float,
    max_pages: int | None,
    max_bytes: int,
    connect_timeout: float,
    read_timeout: float,
    total_timeout: float,
    max_redirects: int,
    retries: int,
    retry_wait: float,
    follow_links: bool,
    depth: int,
    scope: str,
    recrawl: bool,
    retry_failed: bool,
    allow_private: bool,
    quiet: bool,
) -> None:
    """Crawl news pages from URLS, URL lists, feeds, sitemaps or sites into OUTPUT.

    Polite by default: robots.txt is obeyed, one connection and --delay seconds per host,
    an identifying User-Agent. The frontier remembers every URL, so an interrupted crawl
    (even kill -9) resumes where it stopped when run again with the same OUTPUT, and no
    page is written twice. Exit status 0, also when some pages failed (the summary line
    on stderr counts them by reason).
    """
    from warta.crawl.crawler import CrawlConfig, Crawler, Seeds
    from warta.crawl.fetch import FetchLimits
    from warta.crawl.frontier import FrontierBusy

    frontier = frontier_path or output.with_name(output.name + ".frontier.sqlite")
    seeds = Seeds(
        urls=(*urls, *_read_url_files(url_files)),
        feeds=feeds,
        sitemaps=sitemaps,
        sites=sites,
    )
    if not seeds and not frontier.exists():
        raise click.UsageError("nothing to crawl: give URLs, --urls, --feed, --sitemap or --site")
    config = CrawlConfig(
        frontier=frontier,
        output=output,
        delay=delay,
        max_pages=max_pages,
        limits=FetchLimits(
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            total_timeout=total_timeout,
            max_bytes=max_bytes,
            max_redirects=max_redirects,
        ),
        allow_private=allow_private,
        follow_links=follow_links,
        max_depth=depth,
        scope=scope,
        recrawl=recrawl,
        retry_failed=retry_failed,
        retries=retries,
        retry_wait=retry_wait,
    )
    progress, callback = _live_progress(quiet)
    crawler = Crawler(config, progress=callback)
    previous = signal.getsignal(signal.SIGTERM)

    def on_term(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    try:
        if progress is not None:
            progress.start()
        stats = crawler.run(seeds)
    except FrontierBusy as exc:
        click.echo(f"warta: error: {exc.one_line()}", err=True)
        sys.exit(1)
    finally:
        if progress is not None:
            progress.stop()
        signal.signal(signal.SIGTERM, previous)
    _report(stats, recrawl=recrawl, retry_failed=retry_failed)
    if stats.interrupted:
        sys.exit(130)


def _live_progress(quiet: bool) -> tuple[Any, Any]:
    """A live status line on a terminal's stderr (fetched, unchanged, failed, robots, and the
    URL at hand) and the crawler callback that feeds it; nothing when quiet or piped."""
    if quiet or not sys.stderr.isatty():
        return None, None
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        TextColumn("{task.fields[url]}", style="dim"),
        console=Console(stderr=True),
        transient=True,
    )
    task = progress.add_task("crawling", total=None, url="")

    def callback(stats: CrawlStats, url: str) -> None:
        failed = sum(stats.failed.values())
        progress.update(
            task,
            description=f"{stats.fetched} fetched, {stats.unchanged} unchanged, "
            f"{failed} failed, {stats.robots} robots",
            url=url[:80],
        )

    return progress, callback


def _report(stats: CrawlStats, *, recrawl: bool, retry_failed: bool) -> None:
    """The end of a crawl on stderr: bad seeds, a resumed crawl, and the summary line."""
    for raw in stats.bad_seeds:
        click.echo(f"warta: warning: not a crawlable http(s) URL: {raw}", err=True)
    if stats.resumed or stats.recovered:
        click.echo(
            f"warta crawl: resumed an unfinished crawl ({stats.recovered} records recovered "
            "from the output)",
            err=True,
        )
        if stats.resumed and (recrawl or retry_failed):
            click.echo(
                "warta: warning: --recrawl and --retry-failed apply when a new crawl starts, "
                "not to the resumed one",
                err=True,
            )
    click.echo(stats.summary(), err=True)


if __name__ == "__main__":  # pragma: no cover
    crawl(prog_name="warta crawl")
