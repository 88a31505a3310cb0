"""End-to-end fixtures: a real `tocsin serve` process on a free port, and Debian's Chromium."""

from __future__ import annotations

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
from pathlib import Path

import pytest

from tests.integration.helpers import Room, make_room
from tocsin.adapters.store import migrate
from tocsin.bootstrap import bootstrap, create_signing_key
from tocsin.config import Settings
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "e2e password 123"


@dataclass
class Server:
    """A running node and what the tests need to reach it."""

    url: str
    room: Room
    settings: Settings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _prepare(tmp: Path) -> tuple[Settings, Room]:
    url = f"sqlite:///{tmp / 'tocsin.db'}"
    migrate.upgrade(url)
    settings = Settings(database_url=url, var_dir=tmp)
    create_signing_key(settings)
    node = bootstrap(settings)
    try:
        room = make_room(node.store, ref="e2e")
        scope = Scope.tenant(room.tenant_id)
        for username, role in (("alice", "operator"), ("bob", "operator")):
            user = node.messagebus.handle(
                c.AddUser(room.tenant_id, username, username.title(), PASSWORD), scope=scope, actor="e2e"
            )
            node.messagebus.handle(c.GrantRole(user.id, role), scope=scope, actor="e2e")
    finally:
        node.close()
    return settings, room


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`tocsin serve` in its own process, with a room and two operators."""
    tmp = tmp_path_factory.mktemp("e2e")
    settings, room = _prepare(tmp)
    port = _free_port()
    env = {**os.environ, "TOCSIN_DATABASE_URL": settings.database_url, "TOCSIN_VAR_DIR": str(tmp)}
    log = (tmp / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "tocsin.cli", "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=1) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    else:
        process.kill()
        process.wait()
        log.close()
        pytest.fail(f"tocsin serve did not start: {(tmp / 'serve.log').read_text()[-2000:]}")
    yield Server(base, room, settings)
    process.terminate()
    process.wait(timeout=20)
    log.close()


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
