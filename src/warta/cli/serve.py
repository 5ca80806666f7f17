"""``warta serve``: the REST API on uvicorn (registered on ``warta`` by warta.cli).

FastAPI and uvicorn load only when the command runs, so ``warta --help`` stays fast."""

from __future__ import annotations

import click

KEY_ENV = "WARTA_API_KEY"


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
    default=4,
    show_default=True,
    help="Open store connections kept between requests (0: connect per request).",
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
    allow_private_fetch: bool,
) -> None:
    """Serve the REST API of a store (OpenAPI at /openapi.json, docs at /docs)."""
    import uvicorn

    from warta.server.app import create_app

    try:
        app = create_app(
            db,
            api_key=api_key or None,
            read_key_required=read_key_required,
            fetch_allow_private=allow_private_fetch,
            pool_size=pool_size,
        )
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    from warta.store import redact

    location = redact(app.state.settings.store_location)
    click.echo(f"warta: serving {location} on http://{host}:{port}", err=True)
    click.echo(
        f"warta: the reader is at http://{host}:{port}/  (API docs at /docs and /redoc, OpenAPI at /openapi.json)",
        err=True,
    )
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)
