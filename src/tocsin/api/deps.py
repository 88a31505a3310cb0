"""Request dependencies: the node, who is asking, what they may do, and the CSRF check."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request
from starlette.requests import HTTPConnection

from tocsin.bootstrap import Node
from tocsin.domain.scope import Scope
from tocsin.domain.users import Principal, SessionExpired

SESSION_COOKIE = "tocsin_session"
LOGIN_CSRF_COOKIE = "tocsin_login_csrf"


def get_node(conn: HTTPConnection) -> Node:
    """The node this app serves."""
    node: Node = conn.app.state.node
    return node


def source_of(conn: HTTPConnection) -> str:
    """The caller's address, as the logbook records it."""
    return conn.client.host if conn.client else "unknown"


def principal_of(conn: HTTPConnection) -> Principal:
    """Who is asking: a bearer token, else the session cookie."""
    node = get_node(conn)
    authorization = conn.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        return node.auth.from_token(authorization[7:].strip())
    token = conn.cookies.get(SESSION_COOKIE)
    if not token:
        raise SessionExpired("You are not logged in: log in first.")
    return node.auth.from_session(token, source_of(conn))


NodeDep = Annotated[Node, Depends(get_node)]
PrincipalDep = Annotated[Principal, Depends(principal_of)]


def csrf_checked(
    request: Request,
    principal: PrincipalDep,
    x_csrf_token: Annotated[str | None, Header()] = None,
) -> Principal:
    """The principal, after checking a cookie-authenticated change carries the session's token."""
    get_node(request).auth.check_csrf(
        principal, x_csrf_token, source_of(request), f"{request.method} {request.url.path}"
    )
    return principal


CheckedPrincipalDep = Annotated[Principal, Depends(csrf_checked)]


def scope_for(principal: Principal, permission: str) -> Scope:
    """The scope a permission gives the principal (raises Forbidden without it)."""
    return principal.scope_for(permission)
