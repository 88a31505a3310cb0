"""The API in degraded mode (docs/degraded.md): when the database stops answering (SQLite locked by
another process; PostgreSQL behind a proxy that forwards nothing), a request is answered 503 with a
sentence instead of hanging, later ones at once without touching the store, /health says degraded, the
console page still opens for a session checked before the cut (saying the store is down), and all comes
back by itself once the database answers."""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from tests.conftest import clone_postgres
from tests.integration.api_support import Stack, console_csrf, make_stack
from tests.integration.degraded_support import SqliteLock
from tests.integration.test_receiver_blackhole import BlackholeProxy
from tocsin.api.degraded import DOWN_DETAIL, DOWN_DETAIL_FR


@dataclass
class Outage:
    stack: Stack
    cut: Callable[[], None]
    restore: Callable[[], None]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def outage(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Outage]:
    """A stack whose database the test can cut and give back."""
    tmp = tmp_path_factory.mktemp("degraded")
    if request.param == "sqlite":
        for stack in make_stack(tmp, api_store_deadline=3.0):
            lock = SqliteLock(make_url(stack.node.settings.database_url).database or "")
            yield Outage(stack, lock.cut, lock.restore)
            lock.restore()
        return
    url, drop = clone_postgres(request.getfixturevalue("postgres_template"))
    proxy = BlackholeProxy(make_url(url).port or 5432)
    proxy.start()
    via = make_url(url).set(port=proxy.port).render_as_string(hide_password=False)
    try:
        for stack in make_stack(tmp, via, api_store_deadline=3.0):
            yield Outage(stack, proxy.blackhole, proxy.resume)
            proxy.resume()
    finally:
        proxy.stop()
        drop()  # type: ignore[operator]


def wait_for_health(client: TestClient, status: int) -> None:
    """Until /health answers ``status`` (or a minute went by)."""
    deadline = time.monotonic() + 60
    while client.get("/health").status_code != status and time.monotonic() < deadline:
        time.sleep(0.2)


def test_a_silent_database_is_answered_503_then_everything_comes_back(outage: Outage) -> None:
    """Cut: a note is answered 503 with the degraded-mode sentence (English and French) instead of
    hanging, later calls at once, /health degraded, the page still opens for a known session. Back: all
    answers again, and the note sent again with its key is written once in all."""
    stack = outage.stack
    operator = stack.session("operator")
    csrf = {"X-CSRF-Token": console_csrf(operator)}  # opens the console page: the session is remembered
    guard = stack.app.state.guard
    assert operator.get("/api/v1/alarms").status_code == 200
    before = len(stack.entries("logbook.note"))
    note = {"text": "Phones down, working on paper", "client_key": str(uuid.uuid4())}

    outage.cut()
    first = operator.post("/api/v1/logbook/notes", json=note, headers=csrf)
    assert first.status_code == 503
    assert first.json()["error"] == "store_unavailable"
    assert guard.down
    again = operator.get("/api/v1/alarms")  # answered by the guard: the store is not asked
    assert (again.status_code, again.json()["detail"]) == (503, DOWN_DETAIL)
    french = operator.get("/api/v1/alarms", headers={"Accept-Language": "fr-FR"})
    assert french.json()["detail"] == DOWN_DETAIL_FR
    assert stack.client.get("/health").json() == {"status": "degraded"}
    page = operator.get("/console")
    assert page.status_code == 200
    assert 'data-store-down="yes"' in page.text
    assert stack.browser().get("/console").status_code == 303  # no session known: to the login page

    outage.restore()
    wait_for_health(stack.client, 200)
    assert not guard.down
    assert operator.get("/api/v1/alarms").status_code == 200
    assert 'data-store-down="no"' in operator.get("/console").text
    replay = operator.post("/api/v1/logbook/notes", json=note, headers=csrf)
    assert replay.status_code == 201, replay.text
    twice = operator.post("/api/v1/logbook/notes", json=note, headers=csrf)
    assert twice.json() == {"entry": None, "replayed": True}
    # the first try's write, left waiting on the database, may have gone through meanwhile: once in all
    assert len(stack.entries("logbook.note")) == before + 1


def test_a_write_waiting_on_a_database_that_answers_is_not_cut(outage: Outage) -> None:
    """Another process holds SQLite's write lock for 3 s: a note waits for it past the guard's first look
    (2 s), the probe gets the lock within its deadline (3 s), so the note is written (201) and the store
    never goes down."""
    stack = outage.stack
    path = make_url(stack.node.settings.database_url).database
    if stack.node.settings.database_url.startswith("postgresql"):
        pytest.skip("the write lock held by another process is SQLite's case")
    operator = stack.session("operator")
    token = console_csrf(operator)
    writer = sqlite3.connect(path or "", isolation_level=None, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")  # readers go on (WAL), writers wait
    release = threading.Timer(3.0, lambda: writer.execute("COMMIT"))  # within the guard's probe
    release.start()
    try:
        note = operator.post("/api/v1/logbook/notes", json={"text": "slow"}, headers={"X-CSRF-Token": token})
    finally:
        release.join()
        writer.close()
    assert note.status_code == 201, note.text
    assert not stack.app.state.guard.down
