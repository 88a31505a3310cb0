"""Request dependencies: the node, who is asking, what they may do, and the CSRF check."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import Depends, Header, Request
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection
from starlette.responses import Response

from tocsin.api.security import reached_over_tls
from tocsin.bootstrap import Node
from tocsin.domain.errors import NotFound
from tocsin.domain.scope import Scope
from tocsin.domain.users import AuthenticationRequired, Principal
from tocsin.services.auth import SESSION_MAX, Credential
from tocsin.services.unit_of_work import UnitOfWork

T = TypeVar("T")

SESSION_COOKIE = "tocsin_session"
LOGIN_CSRF_COOKIE = "tocsin_login_csrf"
SESSION_COOKIE_MAX_AGE = int(SESSION_MAX.total_seconds())  # the browser forgets it when the session ends


def get_node(conn: HTTPConnection) -> Node:
    """The node this app serves."""
    node: Node = conn.app.state.node
    return node


def source_of(conn: HTTPConnection) -> str:
    """The caller's address, as the logbook records it."""
    return conn.client.host if conn.client else "unknown"


def over_tls(conn: HTTPConnection) -> bool:
    """Whether this caller reached the node over TLS (or a setting says a TLS proxy fronts it)."""
    return reached_over_tls(conn.scope, get_node(conn).settings.behind_tls_proxy)


def set_session_cookie(response: Response, conn: HTTPConnection, token: str) -> None:
    """The session cookie: HttpOnly, SameSite=Lax, Secure over TLS, and gone when the session is."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=SESSION_COOKIE_MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=over_tls(conn),
    )


def credential_of(conn: HTTPConnection) -> Credential | None:
    """What the caller showed: a bearer token, else the session cookie, else nothing."""
    authorization = conn.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        return Credential.of("token", authorization[7:].strip())
    token = conn.cookies.get(SESSION_COOKIE)
    return Credential.of("session", token) if token else None


def principal_of(conn: HTTPConnection) -> Principal:
    """Who is asking: a bearer token, else the session cookie. Kept on the connection's state, so an
    error handler can say whose request it refused."""
    node = get_node(conn)
    authorization = conn.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        principal = node.auth.from_token(authorization[7:].strip())
    else:
        token = conn.cookies.get(SESSION_COOKIE)
        if not token:
            raise AuthenticationRequired(
                "You are not logged in: log in, or send an API token (Authorization: Bearer …)."
            )
        principal = node.auth.from_session(token, source_of(conn))
        guard = getattr(conn.app.state, "guard", None)
        if guard is not None:
            guard.remember(token, principal)  # the console page opens during an outage
    conn.state.principal = principal
    return principal


async def _node(conn: HTTPConnection) -> Node:
    """The node, as a dependency that runs on the event loop (a plain function would cost every request
    a trip to the thread pool for one attribute read)."""
    return get_node(conn)


NodeDep = Annotated[Node, Depends(_node)]
PrincipalDep = Annotated[Principal, Depends(principal_of)]


async def csrf_checked(
    request: Request,
    principal: PrincipalDep,
    x_csrf_token: Annotated[str | None, Header()] = None,
) -> Principal:
    """The principal, after checking a cookie-authenticated change carries the session's token. The
    check runs on the event loop; only a refusal, which is written down, goes to the thread pool."""
    auth = get_node(request).auth
    if not auth.csrf_ok(principal, x_csrf_token):
        target = f"{request.method} {request.url.path}"
        await run_in_threadpool(auth.check_csrf, principal, x_csrf_token, source_of(request), target)
    return principal


CheckedPrincipalDep = Annotated[Principal, Depends(csrf_checked)]


def scope_for(principal: Principal, permission: str) -> Scope:
    """The scope a permission gives the principal (raises Forbidden without it)."""
    return principal.scope_for(permission)


def in_scope_or_probe(
    request: Request,
    principal: Principal,
    scope: Scope,
    read: Callable[[UnitOfWork], T | None],
    not_found: str,
) -> T:
    """The record ``read`` finds in the caller's scope. Not found there, the same read over the whole
    node tells whether it exists elsewhere: if so the probe is recorded as a refusal; the caller gets
    404 with ``not_found`` either way, so nothing tells another tenant's record from a missing one."""
    node = get_node(request)
    found = node.store.read(read, scope)
    if found is not None:
        return found
    if node.store.read(read, Scope.system()) is not None:
        node.auth.refuse(
            principal.tenant_id,
            principal.username,
            source_of(request),
            "outside the user's scope",
            f"{request.method} {request.url.path}",
        )
    raise NotFound(not_found)
