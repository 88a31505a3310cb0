"""A running app on a real SQLite database with a room, users of each kind, and a client per user."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.conftest import migrated_sqlite
from tests.integration.helpers import Room, make_room
from tocsin.api.app import create_app
from tocsin.bootstrap import Node, bootstrap
from tocsin.config import Settings
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope
from tocsin.testing import FakeClock, FakeHasher

PASSWORD = "correct horse battery"


@dataclass
class Stack:
    """The node, its app, the room and helpers to log in as someone."""

    node: Node
    client: TestClient
    room: Room
    clock: FakeClock
    app: FastAPI
    clients: list[TestClient] = field(default_factory=list)

    def add_user(
        self,
        username: str,
        role: str,
        *,
        client_ids: tuple[object, ...] = (),
        site_ids: tuple[object, ...] = (),
    ) -> None:
        scope = Scope.tenant(self.room.tenant_id)
        user = self.node.messagebus.handle(
            c.AddUser(self.room.tenant_id, username, username.title(), PASSWORD), scope=scope, actor="test"
        )
        self.node.messagebus.handle(
            c.GrantRole(user.id, role, tuple(client_ids), tuple(site_ids)),  # type: ignore[arg-type]
            scope=scope,
            actor="test",
        )

    def session(self, username: str, address: str = "10.1.0.1") -> TestClient:
        """A new browser, logged in as ``username`` from ``address``."""
        browser = self.browser(address)
        response = login(browser, username, PASSWORD)
        assert response.status_code == 303, response.text
        return browser

    def browser(self, address: str = "10.1.0.1") -> TestClient:
        """A new browser with no session."""
        browser = TestClient(self.app, client=(address, 50000), follow_redirects=False)
        browser.__enter__()
        self.clients.append(browser)
        return browser

    def entries(self, kind: str) -> list[dict[str, object]]:
        found = self.node.store.read(lambda uow: list(uow.logbook.read(Scope.system())), Scope.system())
        return [dict(e.data) | {"_chain": e.chain} for e in found if e.kind == kind]


def csrf_of(response_text: str) -> str:
    """The CSRF token in a rendered form."""
    marker = 'name="csrf_token" value="'
    start = response_text.index(marker) + len(marker)
    return response_text[start : response_text.index('"', start)]


def login(browser: TestClient, username: str, password: str):  # type: ignore[no-untyped-def]
    """Fill and send the login form as a browser would."""
    form = browser.get("/login")
    return browser.post(
        "/login", data={"username": username, "password": password, "csrf_token": csrf_of(form.text)}
    )


def console_csrf(browser: TestClient) -> str:
    """The CSRF token the console page gives its scripts."""
    page = browser.get("/console")
    marker = '<meta name="csrf-token" content="'
    start = page.text.index(marker) + len(marker)
    return page.text[start : page.text.index('"', start)]


def make_stack(tmp_path: Path, url: str | None = None, **settings: object) -> Iterator[Stack]:
    """Build the stack (on SQLite unless ``url`` names a migrated database, with any other settings);
    the caller's fixture yields from this."""
    if url is None:
        url = migrated_sqlite(tmp_path / "tocsin.db")
    clock = FakeClock()
    config = Settings(database_url=url, var_dir=tmp_path, **settings)  # type: ignore[arg-type]
    node = bootstrap(config, hasher=FakeHasher(), clock=clock)
    app = create_app(node)
    with TestClient(app, follow_redirects=False) as client:
        stack = Stack(node, client, make_room(node.store), clock, app)
        stack.add_user("admin", "admin")
        stack.add_user("operator", "operator")
        stack.add_user("client-a", "client", client_ids=(stack.room.client_a,))
        stack.add_user("site-b", "operator", site_ids=(stack.room.site_b,))
        yield stack
        for browser in stack.clients:
            browser.__exit__(None, None, None)
    node.close()
