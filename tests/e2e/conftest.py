"""End-to-end fixtures: a real `tocsin serve` process on a free port, and Debian's Chromium."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import migrated_sqlite
from tests.integration.helpers import Room, make_room
from tocsin.bootstrap import bootstrap, create_signing_key
from tocsin.config import Settings
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope
from tocsin.protocols import dc09

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "e2e password 123"
SHOTS = os.environ.get("TOCSIN_E2E_SHOTS")  # a folder: the tests' screenshots land there, to look at


ACCOUNT = "1280"  # the transmitter of Site A, as its frames name it
USERS = (  # user name, display name, role, scope (the client's grant covers client A only)
    ("alice", "Alice", "operator", "tenant"),
    ("bob", "Bob", "operator", "tenant"),
    ("carol", "Carol", "client", "client_a"),
    ("victor", "Victor 7", "unit", "tenant"),
    ("dominique", "Dominique Delacroix-Fontaine de Saint-Aubin", "supervisor", "tenant"),  # in French
)


@dataclass
class Server:
    """A running node and what the tests need to reach it (it can be stopped and started again)."""

    url: str
    room: Room
    settings: Settings
    port: int
    dc09_port: int
    tmp: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start `tocsin serve` and wait until /health answers."""
        env = {
            **os.environ,
            "TOCSIN_DATABASE_URL": self.settings.database_url,
            "TOCSIN_VAR_DIR": str(self.tmp),
        }
        log = (self.tmp / "serve.log").open("a")
        command = [sys.executable, "-m", "tocsin.cli", "serve", "--port", str(self.port)]
        command += ["--dc09-host", "127.0.0.1", "--dc09-port", str(self.dc09_port)]
        self.process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + 90  # a loaded machine (a parallel test worker) starts it slowly
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break  # it exited: no use waiting
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        self.stop()
        pytest.fail(f"tocsin serve did not start: {(self.tmp / 'serve.log').read_text()[-2000:]}")

    def stop(self) -> None:
        """Stop the server process (its consoles see the connection drop)."""
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None

    def send_frame(self, body: str, account: str = ACCOUNT) -> None:
        """A transmitter sends one Contact ID event to the node's DC-09 receiver and gets its ACK."""
        stamp = datetime.now(UTC).replace(microsecond=0)
        frame = dc09.encode("ADM-CID", "0001", account, body, receiver="0", line="0", timestamp=stamp)
        with socket.create_connection(("127.0.0.1", self.dc09_port), timeout=10) as link:
            link.sendall(frame)
            assert b"ACK" in link.recv(1024)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _prepare(tmp: Path) -> tuple[Settings, Room]:
    url = migrated_sqlite(tmp / "tocsin.db")
    settings = Settings(database_url=url, var_dir=tmp)
    create_signing_key(settings)
    node = bootstrap(settings)
    try:
        room = make_room(node.store, ref="e2e")
        scope = Scope.tenant(room.tenant_id)
        bus = node.messagebus
        for username, display, role, where in USERS:
            language = "fr" if username == "dominique" else "en"
            add = c.AddUser(room.tenant_id, username, display, PASSWORD, language)
            user = bus.handle(add, scope=scope, actor="e2e")
            clients = (room.client_a,) if where == "client_a" else ()
            bus.handle(c.GrantRole(user.id, role, client_ids=clients), scope=scope, actor="e2e")
        bus.handle(c.AddUnit(room.tenant_id, "Victor 7", "patrol", station="North"), scope=scope, actor="e2e")
        bus.handle(c.AddAccount(room.site_a, ACCOUNT), scope=scope, actor="e2e")
    finally:
        node.close()
    return settings, room


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`tocsin serve` in its own process, with a room, two operators, a client, a unit and a transmitter."""
    tmp = tmp_path_factory.mktemp("e2e")
    settings, room = _prepare(tmp)
    port = _free_port()
    running = Server(f"http://127.0.0.1:{port}", room, settings, port, _free_port(), tmp)
    running.start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright."""
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required in CI: apt-get install -y chromium")
        pytest.skip("browser tests need Debian's chromium (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def log_in(
    browser: Any,
    server: Server,
    username: str,
    *,
    live: bool = True,
    size: tuple[int, int] = (1920, 1080),
    **context: Any,
) -> Any:
    """A new browser context, logged in through the login form with the keyboard."""
    viewport = {"width": size[0], "height": size[1]}
    page = browser.new_context(viewport=viewport, **context).new_page()
    page.goto(f"{server.url}/login")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'username'")
    page.keyboard.type(username)  # the user name field has the focus
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server.url}/console")
    state = "connected" if live else "off"
    page.wait_for_selector(f'[data-testid="connection"][data-state="{state}"]')
    return page


def post_note_as(server: Server, page: Any, text: str) -> None:
    """Another session writes a note through the API, with its own cookie and CSRF token."""
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    request = urllib.request.Request(  # noqa: S310 - loopback server of this test
        f"{server.url}/api/v1/logbook/notes",
        data=json.dumps({"text": text}).encode(),
        headers={
            "Content-Type": "application/json",
            "X-CSRF-Token": token,
            "Cookie": f"tocsin_session={cookies['tocsin_session']}",
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
        assert response.status == 201


def shoot(page: Any, name: str) -> None:
    """A screenshot of the page into TOCSIN_E2E_SHOTS, when that is set."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"))
