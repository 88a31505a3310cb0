"""What every ``/api/v1`` router declares: how a caller proves who they are, and the errors it may get.

The security schemes here only document the two ways in (the console's session cookie, an API bearer
token) in the OpenAPI document; :func:`tocsin.api.deps.principal_of` does the checking.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Security
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer

from tocsin.api.deps import SESSION_COOKIE
from tocsin.api.schemas import ErrorOut

session_cookie = APIKeyCookie(
    name=SESSION_COOKIE,
    scheme_name="session",
    description="The console's session cookie (changes also need the X-CSRF-Token header).",
    auto_error=False,
)
bearer_token = HTTPBearer(
    scheme_name="bearer",
    description="An API token made with `tocsin user token` (no CSRF token needed).",
    auto_error=False,
)


async def declare_security(
    _cookie: Annotated[str | None, Security(session_cookie)],
    _bearer: Annotated[HTTPAuthorizationCredentials | None, Security(bearer_token)],
) -> None:
    """Declares both schemes on every operation (principal_of checks them)."""


_ERRORS = {
    401: "Not logged in: no session or token, or it is over.",
    403: "The role does not allow this, or a change came without the session's CSRF token.",
    404: "No such record in the caller's scope (a record outside it is answered the same way).",
    409: "The change conflicts with what is stored.",
    422: "The request is not valid: the detail names the field and the problem.",
    503: "The database cannot be reached: try again shortly.",
}
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": text} for status, text in _ERRORS.items()
}


def api_router(prefix: str, tag: str) -> APIRouter:
    """A router under ``/api/v1`` that documents its security schemes and its error answers."""
    return APIRouter(
        prefix=prefix,
        tags=[tag],
        dependencies=[Depends(declare_security)],
        responses=ERROR_RESPONSES,
    )
