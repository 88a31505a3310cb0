"""``/console/users``: the console's user administration page, for the ``users.manage`` permission.

Server-rendered with plain forms (no script): each form carries the session's CSRF token, runs the same
command as the API (so each act is a logbook entry) and comes back to the page.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field

from tocsin.api.deps import NodeDep, principal_of, source_of
from tocsin.api.routes.users import manage_scope
from tocsin.domain import errors
from tocsin.domain import user_admin as a
from tocsin.domain.commands import Command
from tocsin.domain.users import BUILTIN_ROLES, Forbidden, Principal, SessionExpired
from tocsin.i18n.ui import ui_strings
from tocsin.services import queries
from tocsin.services.unit_of_work import UnitOfWork

WEB = Path(__file__).resolve().parents[2] / "web"
templates = Jinja2Templates(directory=WEB / "templates")
router = APIRouter(prefix="/console/users", include_in_schema=False)
MANAGE = "users.manage"
PAGE = "/console/users"
STATUS: list[tuple[type[Exception], int]] = [
    (Forbidden, 403),
    (errors.NotFound, 404),
    (errors.Conflict, 409),
    (errors.InvalidInput, 422),
]
Csrf = Annotated[str, Form(max_length=200)]


def _page(request: Request, principal: Principal, error: str | None = None, status: int = 200) -> Response:
    t = ui_strings(principal.language)
    context: dict[str, Any] = {"lang": principal.language, "t": t, "csrf_token": principal.csrf_token}
    context |= {"error": error, "done": request.query_params.get("done") == "1", "users": None}
    if principal.can(MANAGE) and principal.scope_for(MANAGE).whole_tenant:

        def read(uow: UnitOfWork) -> tuple[list[dict[str, Any]], dict[UUID, Any]]:
            found = queries.users(uow)
            return found, {u["id"]: queries.tokens(uow, u["id"]) for u in found}

        users, tokens = request.app.state.node.store.read(read, manage_scope(principal))
        context |= {"users": users, "tokens": tokens, "roles": list(BUILTIN_ROLES)}
    else:
        context["error"], status = t["users.forbidden"], 403
    return templates.TemplateResponse(request, "users.html", context, status_code=status)


def _who(request: Request) -> Principal | None:
    try:
        return principal_of(request)
    except SessionExpired:
        return None


@router.get("")
def users_page(request: Request) -> Response:
    """The tenant's users, their roles, state and tokens, with the forms to change them."""
    principal = _who(request)
    if principal is None:
        return RedirectResponse("/login", status_code=303)
    return _page(request, principal)


def _act(
    request: Request, node: NodeDep, csrf_token: str, command: Callable[[Principal], Command]
) -> Response:
    principal = _who(request)
    if principal is None:
        return RedirectResponse("/login", status_code=303)
    node.auth.check_csrf(principal, csrf_token, source_of(request), f"POST {request.url.path}")
    try:
        node.messagebus.handle(command(principal), scope=manage_scope(principal), actor=principal.actor)
    except errors.TocsinError as exc:
        status = next((code for cls, code in STATUS if isinstance(exc, cls)), 400)
        return _page(request, principal, str(exc), status)
    return RedirectResponse(f"{PAGE}?done=1", status_code=303)


class NewUser(BaseModel):
    """The page's create form: a user with one role over the whole tenant."""

    csrf_token: str = Field(default="", max_length=200)
    username: str = Field(default="", max_length=64)
    display_name: str = Field(default="", max_length=200)
    password: str = Field(default="", max_length=1000)
    role: str = Field(default="operator", max_length=64)


@router.post("")
def create(request: Request, node: NodeDep, form: Annotated[NewUser, Form()]) -> Response:
    """Create a user with one role over the whole tenant."""
    return _act(
        request,
        node,
        form.csrf_token,
        lambda p: a.CreateUser(
            p.tenant_id, form.username, form.display_name or form.username, form.password, form.role
        ),
    )


@router.post("/{user_id}/disable")
def disable(user_id: UUID, request: Request, node: NodeDep, csrf_token: Csrf = "") -> Response:
    """Stop a user from logging in."""
    return _act(request, node, csrf_token, lambda p: a.DisableUser(user_id, by=p.user_id))


@router.post("/{user_id}/enable")
def enable(user_id: UUID, request: Request, node: NodeDep, csrf_token: Csrf = "") -> Response:
    """Let a disabled user log in again."""
    return _act(request, node, csrf_token, lambda _p: a.EnableUser(user_id))


@router.post("/{user_id}/password")
def password(
    user_id: UUID,
    request: Request,
    node: NodeDep,
    csrf_token: Csrf = "",
    password: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """Set a user's password."""
    return _act(request, node, csrf_token, lambda _p: a.ResetPassword(user_id, password))


@router.post("/{user_id}/tokens/{token_id}/revoke")
def revoke_token(
    user_id: UUID, token_id: UUID, request: Request, node: NodeDep, csrf_token: Csrf = ""
) -> Response:
    """Revoke one of a user's API tokens."""
    return _act(request, node, csrf_token, lambda _p: a.RevokeToken(user_id, token_id))
