"""Safety headers on every response: reader pages, REST answers, problems, API docs, static files.

The reader shows text scraped from strangers' pages. It is escaped everywhere, and the
Content-Security-Policy is the second wall: even if some markup slipped through, the browser
would run no inline script, load nothing from another origin, and refuse to be framed.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: The policy of every page: scripts, styles, images and connections from this origin only;
#: no plugins, no <base> rewriting, forms post only here, no framing by anyone.
STRICT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)

#: The API documentation pages (Swagger UI, ReDoc) build their look with style elements written
#: at run time, which a nonce cannot reach inside their bundles. There, and only there, inline
#: *styles* are allowed and ReDoc's search runs in a worker made from a blob; scripts stay
#: same-origin files, and these pages show no scraped text.
DOCS_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self' blob:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
DOCS_PATHS = frozenset({"/docs", "/redoc"})

_COMMON: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
)


def policy_for(path: str) -> str:
    """The Content-Security-Policy a response to ``path`` carries."""
    return DOCS_POLICY if path in DOCS_PATHS else STRICT_POLICY


class SafetyHeaders:
    """Pure ASGI middleware: adds the headers to each response start, replacing none that a
    route set itself (no route does today)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = policy_for(str(scope.get("path", ""))).encode("ascii")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                extra = [(b"content-security-policy", policy), *_COMMON]
                headers += [(name, value) for name, value in extra if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
