"""Errors as JSON ``{error, detail}`` with the right status; never a stack trace to a user.

Every 401 names the scheme to use (``WWW-Authenticate: Bearer``); every 403 for a missing permission
is counted in the logbook as a refusal (per source and minute, see :mod:`tocsin.services.refusals`).
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from tocsin.domain import errors
from tocsin.domain import users as u

log = logging.getLogger(__name__)

STATUS: list[tuple[type[errors.TocsinError], int, str]] = [
    (u.AuthenticationFailed, 401, "authentication_failed"),
    (u.AuthenticationRequired, 401, "authentication_required"),
    (u.TokenRejected, 401, "invalid_token"),
    (u.SessionExpired, 401, "session_expired"),
    (u.Throttled, 429, "throttled"),
    (u.Forbidden, 403, "forbidden"),
    (u.CsrfRejected, 403, "csrf_rejected"),
    (errors.OutOfScope, 403, "out_of_scope"),
    (errors.NotFound, 404, "not_found"),
    (errors.Conflict, 409, "conflict"),
    (errors.InvalidInput, 422, "invalid_input"),
    (errors.StoreUnavailable, 503, "store_unavailable"),
    (errors.LogbookError, 503, "logbook_unavailable"),
    (errors.TocsinError, 400, "bad_request"),
]


def error_response(status: int, error: str, detail: str) -> JSONResponse:
    """The one shape of every error the API returns."""
    return JSONResponse({"error": error, "detail": detail}, status_code=status)


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def _challenge(exc: Exception) -> str:
    """The ``WWW-Authenticate`` value of a 401 (RFC 6750): the console's cookie or a bearer token."""
    if isinstance(exc, u.TokenRejected):
        return 'Bearer realm="tocsin", error="invalid_token"'
    return 'Bearer realm="tocsin"'


async def _record_role_refusal(request: Request) -> None:
    principal = getattr(request.state, "principal", None)
    if principal is None:  # pragma: no cover - a permission is asked of a known principal
        return
    node = request.app.state.node
    source = request.client.host if request.client else "unknown"
    target = f"{request.method} {request.url.path}"
    try:
        await run_in_threadpool(
            node.auth.refuse,
            principal.tenant_id,
            principal.username,
            source,
            "role lacks the permission",
            target,
        )
    except Exception:  # the store away: the 403 still answers
        log.warning("could not record a role refusal", exc_info=True)


async def on_tocsin_error(request: Request, exc: Exception) -> Response:
    guard = getattr(request.app.state, "guard", None)
    if guard is not None and isinstance(exc, errors.StoreUnavailable):
        guard.mark_down(str(exc))  # degraded mode: answered at once until a probe answers
    for cls, status, code in STATUS:
        if isinstance(exc, cls):
            if status == 401 and _wants_html(request):
                return RedirectResponse("/login", status_code=303)
            if isinstance(exc, u.Forbidden):
                await _record_role_refusal(request)
            response = error_response(status, code, str(exc))
            if status == 401:
                response.headers["WWW-Authenticate"] = _challenge(exc)
            if isinstance(exc, u.Throttled):
                response.headers["Retry-After"] = str(exc.retry_after)
            return response
    raise exc  # pragma: no cover - the last row catches every TocsinError


async def on_validation_error(_request: Request, exc: Exception) -> Response:
    if not isinstance(exc, RequestValidationError):  # pragma: no cover - registered for this type
        raise exc
    problems = "; ".join(
        f"{'.'.join(str(p) for p in err['loc'] if p != 'body')}: {err['msg']}" for err in exc.errors()
    )
    return error_response(422, "invalid_input", f"The request is not valid: {problems}.")


async def on_http_error(_request: Request, exc: Exception) -> Response:
    if not isinstance(exc, HTTPException):  # pragma: no cover - registered for this type
        raise exc
    return error_response(exc.status_code, "http_error", str(exc.detail))


async def on_unexpected(_request: Request, exc: Exception) -> Response:
    log.exception("unexpected error", exc_info=exc)
    return error_response(500, "internal_error", "Something went wrong on the server; it was logged.")


def install(app: FastAPI) -> None:
    """Register the handlers on the app."""
    app.add_exception_handler(errors.TocsinError, on_tocsin_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(HTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected)
