"""The outermost checks of every request, before any routing or parsing.

* a query string above the limit is refused (414) before it is parsed;
* a body whose declared ``Content-Length`` is above the limit is refused (413) before a byte of
  it is read, and a body sent without a length is cut off at the limit;
* an exception nobody handled becomes a 500 problem without a traceback, is logged, and is
  counted in ``app.state.unexpected_errors`` so tests can assert that no bad input reaches it.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from warta.server.problems import PROBLEM_MEDIA_TYPE, problem_body

log = logging.getLogger("warta.server")


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when a body without a declared length runs past the limit; an
    ``HTTPException`` so that FastAPI's body parsing passes it on unchanged."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body is larger than {limit} bytes")


class Guard:
    """Pure ASGI middleware (no body buffering of its own)."""

    def __init__(
        self, app: ASGIApp, *, max_query_string_bytes: int, max_body_bytes: int, errors: list[str]
    ) -> None:
        self.app = app
        self.max_query = max_query_string_bytes
        self.max_body = max_body_bytes
        self.errors = errors

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        refusal = self._refusal(scope)
        if refusal is not None:
            status, detail, reason = refusal
            await _send_problem(send, status, detail, path, reason)
            return
        started = False
        seen = 0

        async def counted_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise BodyTooLarge(self.max_body)
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except Exception as exc:  # the last line of defence: no traceback reaches a client
            self.errors.append(f"{type(exc).__name__} on {scope.get('method')} {path}")
            log.exception("unexpected error on %s %s", scope.get("method"), path)
            if started:
                raise
            await _send_problem(
                send,
                500,
                "the server failed to answer this request; it has been logged",
                path,
                "internal",
            )

    def _refusal(self, scope: Scope) -> tuple[int, str, str] | None:
        query = scope.get("query_string", b"")
        if len(query) > self.max_query:
            return (
                414,
                f"query string of {len(query)} bytes; the limit is {self.max_query}",
                "query_too_long",
            )
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                text = value.decode("latin-1").strip()
                if not text.isdigit():
                    return (
                        400,
                        f"Content-Length {text[:40]!r} is not a number",
                        "bad_content_length",
                    )
                if int(text) > self.max_body:
                    return (
                        413,
                        f"request body of {int(text)} bytes; the limit is {self.max_body}",
                        "body_too_large",
                    )
        return None


async def _send_problem(send: Send, status: int, detail: str, path: str, reason: str) -> None:
    body: dict[str, Any] = problem_body(status, detail, instance=path, reason=reason)
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", PROBLEM_MEDIA_TYPE.encode("ascii")),
                (b"content-length", str(len(data)).encode("ascii")),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})
