"""Every error the API answers is an RFC 9457 problem document (``application/problem+json``).

The handlers here turn HTTP errors, validation errors and warta's own errors into problems; none
of them echoes the offending input back (it may be megabytes, or a script) — the ``detail`` names
the parameter and says what is wrong with it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException

from warta.core.errors import InputError, QueryError, StoreError, WartaError
from warta.store.base import UnknownName
from warta.store.names import UnknownValue

PROBLEM_MEDIA_TYPE = "application/problem+json"
_TYPE_PREFIX = "urn:warta:problem:"
_MAX_MESSAGE = 300  # characters of any one message: a problem is read by people


class Problem(BaseModel):
    """The problem document (RFC 9457), with warta's ``reason`` code and validation ``errors``."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    instance: str
    reason: str | None = None
    errors: list[dict[str, Any]] | None = None


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_MEDIA_TYPE


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 1] + "…"


def problem_body(
    status: int, detail: str, *, instance: str, reason: str | None = None, **extra: Any
) -> dict[str, Any]:
    """The JSON of one problem; ``reason`` (a short code) also names its ``type``."""
    title = HTTPStatus(status).phrase
    slug = reason or title.lower().replace(" ", "_").replace("-", "_")
    body: dict[str, Any] = {
        "type": _TYPE_PREFIX + slug,
        "title": title,
        "status": status,
        "detail": _short(detail),
        "instance": instance,
    }
    if reason:
        body["reason"] = reason
    body.update({k: v for k, v in extra.items() if v is not None})
    return body


def problem(
    status: int,
    detail: str,
    *,
    instance: str,
    reason: str | None = None,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> ProblemResponse:
    return ProblemResponse(
        problem_body(status, detail, instance=instance, reason=reason, **extra),
        status_code=status,
        headers=dict(headers) if headers else None,
    )


def _where(loc: Sequence[Any]) -> str:
    """('query', 'limit') -> "query parameter 'limit'"; ('body', 'pages', 0, 'url') -> "body field 'pages[0].url'"."""
    if not loc:
        return "request"
    kind, *rest = loc
    path = ""
    for part in rest:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    names = {
        "query": "query parameter",
        "path": "path parameter",
        "header": "header",
        "body": "body field",
    }
    label = names.get(str(kind), str(kind))
    if not path:
        return "request body" if kind == "body" else label
    return f"{label} '{path}'"


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    found = []
    for error in exc.errors()[:20]:
        loc = tuple(error.get("loc", ()))
        found.append(
            {
                "where": _where(loc),
                "type": str(error.get("type", "")),
                "message": _short(str(error.get("msg", ""))),
            }
        )
    return found


async def _http_error(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, HTTPException)
    status = exc.status_code
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(status).phrase
    if status == 404 and detail == HTTPStatus.NOT_FOUND.phrase:
        detail = f"no resource at {request.url.path}"
    elif status == 405:
        allowed = (exc.headers or {}).get("Allow", "")
        detail = (
            f"{request.method} is not allowed on {request.url.path} (allowed: {allowed or 'none'})"
        )
    return problem(status, detail, instance=request.url.path, headers=exc.headers)


async def _validation_error(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, RequestValidationError)
    errors = _validation_errors(exc)
    first = errors[0] if errors else {"where": "request", "message": "invalid"}
    detail = f"{first['where']}: {first['message']}"
    if len(errors) > 1:
        detail += f" (and {len(errors) - 1} more)"
    return problem(422, detail, instance=request.url.path, reason="invalid_request", errors=errors)


class UnknownNameProblem(HTTPException):
    """404 for a name (entity, speaker, outlet) the store does not hold; the problem carries
    the names probably meant as ``suggestions``."""

    def __init__(self, found: UnknownName) -> None:
        super().__init__(404, found.message())
        self.found = found


async def _unknown_name(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, UnknownNameProblem)
    found = exc.found
    return problem(
        404,
        found.message(),
        instance=request.url.path,
        reason="unknown_name",
        field=found.field,
        suggestions=list(found.suggestions),
    )


async def _warta_error(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, WartaError)
    status = 400 if isinstance(exc, QueryError) else 422 if isinstance(exc, InputError) else 503
    if isinstance(exc, UnknownValue):  # a value outside a fixed set: a usage error, listed
        status = 422
    return problem(status, exc.one_line(), instance=request.url.path, reason=exc.reason)


def install_handlers(app: FastAPI) -> None:
    """Answer HTTP, validation and warta errors as problems; anything else is the guard's."""
    app.add_exception_handler(UnknownNameProblem, _unknown_name)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    for kind in (QueryError, InputError, StoreError):
        app.add_exception_handler(kind, _warta_error)


def _documented(description: str) -> dict[str, Any]:
    return {"model": Problem, "description": description, "content": {PROBLEM_MEDIA_TYPE: {}}}


#: The problem responses every route may give, for the OpenAPI document.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _documented("A query the store cannot run (syntax, complexity)."),
    401: _documented("The X-API-Key header is needed and missing."),
    403: _documented("The X-API-Key header holds a wrong key, or ingest is off."),
    404: _documented(
        "No such resource, or a name (entity, speaker, outlet) the store does not hold: then "
        "`suggestions` lists the names probably meant."
    ),
    413: _documented("The request body is larger than the server allows."),
    414: _documented("The query string is longer than the server allows."),
    422: _documented("A parameter or body field is invalid, or unknown."),
    503: _documented("The store cannot be reached."),
}


async def no_query_params(request: Request) -> None:
    """Dependency of routes without parameters: an unknown parameter is an error, not ignored."""
    names = sorted(set(request.query_params.keys()))
    if names:
        raise RequestValidationError(
            [
                {
                    "loc": ("query", name),
                    "type": "extra_forbidden",
                    "msg": "Extra inputs are not permitted",
                }
                for name in names
            ]
        )
