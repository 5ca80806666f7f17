"""``warta serve``: the REST API on uvicorn (registered on ``warta`` by warta.cli).

FastAPI and uvicorn load only when the command runs, so ``warta --help`` stays fast."""

from __future__ import annotations

import json
import os
from typing import Any

import click

KEY_ENV = "WARTA_API_KEY"
#: how ``--workers`` hands the options to each worker process (uvicorn imports the app there)
_OPTIONS_ENV = "WARTA_SERVE_OPTIONS"


def register(main: click.Group) -> None:
    """Add this module's commands to ``main``."""
    main.add_command(serve)


@click.command()
@click.option(
    "--db",
    "db",
    default=None,
    help="The store: a SQLite path or a postgresql:// URL (default: $WARTA_DB, else warta.db).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option(
    "--api-key",
    envvar=KEY_ENV,
    default=None,
    help=f"Key for the X-API-Key header (or ${KEY_ENV}); without one, ingest is off.",
)
@click.option(
    "--read-key-required",
    is_flag=True,
    help="Reads need the API key too (default: reads are open).",
)
@click.option(
    "--pool-size",
    type=click.IntRange(0, 64),
    default=8,
    show_default=True,
    help="Open store connections kept between requests, per process and for reads and for "
    "writes each (0: connect per request).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Server processes sharing the port (each with its own stores and answer cache).",
)
@click.option(
    "--cache-entries",
    type=click.IntRange(0, 1_000_000),
    default=4096,
    show_default=True,
    help="API answers kept while the store is unchanged (0: none).",
)
@click.option(
    "--allow-private-fetch",
    is_flag=True,
    help="Let /v1/ingest/urls fetch private and loopback addresses.",
)
def serve(
    db: str | None,
    host: str,
    port: int,
    api_key: str | None,
    read_key_required: bool,
    pool_size: int,
    workers: int,
    cache_entries: int,
    allow_private_fetch: bool,
) -> None:
    """Serve the REST API of a store (OpenAPI at /openapi.json, docs at /docs)."""
    from warta.core.errors import MissingExtra
    from warta.core.extras import require

    try:
        require("server", "warta serve")
    except MissingExtra as exc:
        raise click.UsageError(exc.message) from None
    import uvicorn

    from warta.server.app import create_app

    options: dict[str, Any] = {
        "store_location": db,
        "api_key": api_key or None,
        "read_key_required": read_key_required,
        "fetch_allow_private": allow_private_fetch,
        "pool_size": pool_size,
        "cache_entries": cache_entries,
    }
    try:
        app = create_app(**options)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    from warta.store import redact

    location = redact(app.state.settings.store_location)
    click.echo(f"warta: serving {location} on http://{host}:{port}", err=True)
    click.echo(
        f"warta: the reader is at http://{host}:{port}/  (API docs at /docs and /redoc, OpenAPI at /openapi.json)",
        err=True,
    )
    if workers > 1:  # each process imports the app by name: the options go through the environment
        os.environ[_OPTIONS_ENV] = json.dumps(options)
        uvicorn.run(
            f"{__name__}:app_from_environment",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            log_level="info",
            server_header=False,
        )
        return
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)


def app_from_environment() -> Any:
    """The app of one ``--workers`` process, from the options ``serve`` checked and set."""
    from warta.server.app import create_app

    return create_app(**json.loads(os.environ[_OPTIONS_ENV]))
