"""The live WebSocket over a real socket: same-origin pages only, and closed when the session ends."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from tests.integration.api_support import PASSWORD, Stack, make_stack
from tests.integration.http_support import serving
from tocsin.api.app import create_app
from tocsin.api.deps import SESSION_COOKIE
from tocsin.api.live import SESSION_OVER
from tocsin.domain.scope import Scope

CLOSED_WITHIN = 10.0  # seconds; the hub checks sessions every 2


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    """The app on SQLite with a room and users."""
    yield from make_stack(tmp_path)


@pytest.fixture
def base(stack: Stack) -> Iterator[str]:
    """The node's app served by uvicorn on a real port."""
    with serving(create_app(stack.node)) as url:
        yield url


def open_live(base: str, token: str, origin: str | None) -> ClientConnection:
    """A console's live socket with the session cookie, from a page of ``origin``."""
    headers = {"Cookie": f"{SESSION_COOKIE}={token}"}
    if origin is not None:
        headers["Origin"] = origin
    url = base.replace("http://", "ws://") + "/api/v1/live?after=0"
    return connect(url, additional_headers=headers, open_timeout=10)


def hello(ws: ClientConnection) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(ws.recv(timeout=10))
    return message


def close_code(ws: ClientConnection) -> int | None:
    """Read until the server closes the socket; its close code."""
    try:
        while True:
            ws.recv(timeout=CLOSED_WITHIN)
    except ConnectionClosed as closed:
        return None if closed.rcvd is None else closed.rcvd.code
    except TimeoutError:
        return None


def test_a_foreign_origin_is_refused_even_with_a_valid_cookie(stack: Stack, base: str) -> None:
    """A page of another site cannot open the live logbook with the console's cookie; our own can, and
    the refusal is recorded."""
    token = stack.node.auth.login("operator", PASSWORD, "10.1.0.1").token
    with pytest.raises(InvalidStatus) as refused:
        open_live(base, token, "https://evil.example")
    assert refused.value.response.status_code == 403
    with open_live(base, token, base) as ws:
        assert hello(ws)["type"] == "hello"
    assert any("another origin" in str(e["reason"]) for e in stack.entries("security.refused"))


def test_logout_closes_every_socket_of_the_session(stack: Stack, base: str) -> None:
    """Two tabs of one session: logging out in one closes both live sockets within seconds."""
    browser = stack.session("operator")
    token = browser.cookies[SESSION_COOKIE]
    first, second = open_live(base, token, base), open_live(base, token, base)
    with first, second:
        assert hello(first)["type"] == hello(second)["type"] == "hello"
        page = browser.get("/console").text
        marker = 'name="csrf_token" value="'
        csrf = page[page.index(marker) + len(marker) :].split('"', 1)[0]
        assert browser.post("/logout", data={"csrf_token": csrf}).status_code == 303
        assert close_code(first) == SESSION_OVER
        assert close_code(second) == SESSION_OVER


def test_a_disabled_users_socket_is_closed(stack: Stack, base: str) -> None:
    """Disabling a user closes their open live socket; another user's stays open."""
    operator = stack.node.auth.login("operator", PASSWORD, "10.1.0.1").token
    admin = stack.node.auth.login("admin", PASSWORD, "10.1.0.2").token
    with open_live(base, operator, base) as ws, open_live(base, admin, base) as other:
        assert hello(ws)["type"] == hello(other)["type"] == "hello"

        def disable(uow: Any) -> None:
            user = uow.users.find(username="operator")[0]
            user.active = False
            uow.users.update(user)

        stack.node.store.write(disable, Scope.system())
        assert close_code(ws) == SESSION_OVER
        other.ping().wait(5)  # still open


def test_an_expired_session_closes_its_socket(stack: Stack, base: str) -> None:
    """A session past its maximum lifetime loses its live socket, even with the tab left open."""
    token = stack.node.auth.login("operator", PASSWORD, "10.1.0.1").token
    with open_live(base, token, base) as ws:
        hello(ws)
        stack.clock.advance(hours=15)
        assert close_code(ws) == SESSION_OVER
