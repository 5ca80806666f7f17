"""The ``X-API-Key`` check: always on ingest, on reads only when the server is told so.

No key → 401; a key that does not match → 403; ingest on a server started without a key → 403
(writing is off, not merely unauthenticated). The comparison is constant-time on bytes, so
neither the key's content nor its length leaks through timing.

The dependencies here and the other request checks (``single_valued``, ``no_query_params``) are
coroutines although they wait for nothing: FastAPI runs a plain function dependency in its thread
pool, a hand-off to a worker thread and back on every request.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader
from starlette.exceptions import HTTPException

from warta.server.settings import ServerSettings

API_KEY_HEADER = "X-API-Key"

_header = APIKeyHeader(name=API_KEY_HEADER, auto_error=False, description="The server's API key.")


def settings_of(request: Request) -> ServerSettings:
    settings: ServerSettings = request.app.state.settings
    return settings


def _check(provided: str | None, expected: str) -> None:
    if not provided:
        raise HTTPException(
            401,
            f"this endpoint needs the {API_KEY_HEADER} header",
            headers={"WWW-Authenticate": API_KEY_HEADER},
        )
    # header values arrive as latin-1 text: back to the bytes the client sent
    given = provided.encode("latin-1", "replace")
    if not hmac.compare_digest(given, expected.encode("utf-8")):
        raise HTTPException(403, f"the {API_KEY_HEADER} header does not hold this server's key")


async def require_write_key(request: Request, key: Annotated[str | None, Depends(_header)]) -> None:
    """Dependency of every ingest route."""
    settings = settings_of(request)
    if settings.api_key is None:
        raise HTTPException(403, "ingest is disabled: the server was started without an API key")
    _check(key, settings.api_key)


async def require_read_key(request: Request, key: Annotated[str | None, Depends(_header)]) -> None:
    """Dependency of every read route: open unless the server requires a key for reads."""
    settings = settings_of(request)
    if settings.read_key_required and settings.api_key is not None:
        _check(key, settings.api_key)
