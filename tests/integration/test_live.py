"""Live updates over the console WebSocket: arrive after commit, catch up on reconnect, no duplicates."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.integration.api_support import Stack, console_csrf, make_stack
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    """The app on SQLite with a room and users."""
    yield from make_stack(tmp_path)


def note(stack: Stack, text: str, site: Any = None) -> None:
    """Another session (here: the service layer) writes a note."""
    stack.node.messagebus.handle(
        c.WriteNote(stack.room.tenant_id, text, site), scope=Scope.tenant(stack.room.tenant_id), actor="other"
    )


def receive_until(ws: Any, text: str) -> list[dict[str, Any]]:
    """Entries received until one with ``text`` arrives."""
    seen: list[dict[str, Any]] = []
    while True:
        message = ws.receive_json()
        if message["type"] in ("entries", "snapshot"):
            seen.extend(message["entries"])
            if any(e["text"].endswith(text) for e in message["entries"]):
                return seen


def test_a_committed_entry_reaches_the_console(stack: Stack) -> None:
    """The console says hello with the chain head, then receives a note written elsewhere."""
    browser = stack.session("operator")
    with browser.websocket_connect("/api/v1/live?after=0") as ws:
        hello = ws.receive_json()
        assert hello["type"] == "hello"
        catch_up = ws.receive_json()
        assert catch_up["type"] == "entries"
        assert [e["seq"] for e in catch_up["entries"]] == list(range(1, hello["seq"] + 1))
        note(stack, "door forced at SA")
        live = receive_until(ws, "door forced at SA")
        assert live[-1]["seq"] == hello["seq"] + 1


def test_reconnecting_catches_up_without_loss_or_duplicates(stack: Stack) -> None:
    """A console that was away gets exactly what it missed, from the last sequence it saw."""
    browser = stack.session("operator")
    with browser.websocket_connect("/api/v1/live?after=0") as ws:
        head = ws.receive_json()["seq"]
    for n in range(5):
        note(stack, f"missed {n}")
    note(stack, "nothing else")
    with browser.websocket_connect(f"/api/v1/live?after={head}") as ws:
        assert ws.receive_json()["type"] == "hello"
        got = receive_until(ws, "nothing else")
    assert [e["seq"] for e in got] == list(range(head + 1, head + 7))
    assert [e["text"] for e in got][:2] == ["Note: missed 0", "Note: missed 1"]


def test_a_scoped_console_gets_only_its_entries(stack: Stack) -> None:
    """The site-B operator's console receives notes about site B, not about site A."""
    browser = stack.session("site-b")
    with browser.websocket_connect("/api/v1/live?after=0") as ws:
        ws.receive_json()
        note(stack, "about A", stack.room.site_a)
        note(stack, "about B", stack.room.site_b)
        got = receive_until(ws, "about B")
    texts = [e["text"] for e in got]
    assert "Note: about A" not in texts
    assert all(
        e["site_id"] in (str(stack.room.site_b), None) or e["client_id"] == str(stack.room.client_b)
        for e in got
    )


def test_an_anonymous_websocket_is_refused(stack: Stack) -> None:
    """Without a session the socket closes before any entry is sent."""
    from starlette.websockets import WebSocketDisconnect  # noqa: PLC0415

    with pytest.raises(WebSocketDisconnect), stack.browser().websocket_connect("/api/v1/live") as ws:
        ws.receive_json()


def test_a_note_from_the_console_arrives_once(stack: Stack) -> None:
    """A note posted through the API comes back over the socket exactly once."""
    browser = stack.session("operator")
    with browser.websocket_connect("/api/v1/live?after=0") as ws:
        ws.receive_json()
        browser.post(
            "/api/v1/logbook/notes", json={"text": "posted"}, headers={"X-CSRF-Token": console_csrf(browser)}
        )
        got = receive_until(ws, "posted")
    assert [e["text"] for e in got].count("Note: posted") == 1


def test_a_console_far_behind_gets_a_snapshot(stack: Stack) -> None:
    """A console that missed more than the catch-up limit is sent the newest entries as a snapshot."""
    from tocsin.api.live import CATCH_UP_LIMIT, SNAPSHOT_SIZE  # noqa: PLC0415

    scope = Scope.tenant(stack.room.tenant_id)
    stack.node.store.write(
        lambda uow: [
            uow.record(_note_event(stack, f"bulk {n}"), "other") for n in range(CATCH_UP_LIMIT + 10)
        ],
        scope,
    )
    browser = stack.session("operator")
    with browser.websocket_connect("/api/v1/live?after=1") as ws:
        hello = ws.receive_json()
        snapshot = ws.receive_json()
    assert snapshot["type"] == "snapshot"
    assert snapshot["seq"] == hello["seq"]
    assert len(snapshot["entries"]) == SNAPSHOT_SIZE
    assert snapshot["entries"][-1]["seq"] == hello["seq"]


def _note_event(stack: Stack, text: str):  # type: ignore[no-untyped-def]
    from tocsin.domain.events import NoteWritten  # noqa: PLC0415

    return NoteWritten(tenant_id=stack.room.tenant_id, text=text)


def _note_from_another_node(
    stack: Stack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, *, hub_forgets: bool = False
) -> tuple[int, list[dict[str, Any]]]:
    """Open a console, let it catch up, then have another node on the same database (which never passes
    through this app's outbox) write a note; return the console's head at hello and what arrived live
    within 5 s. ``hub_forgets``: first make the hub forget what it published, as after a restart."""
    from tocsin.api import live  # noqa: PLC0415
    from tocsin.bootstrap import bootstrap  # noqa: PLC0415
    from tocsin.config import Settings  # noqa: PLC0415

    monkeypatch.setattr(live, "HEARTBEAT_SECONDS", 0.2)  # so that waiting for the entry can time out
    other = bootstrap(Settings(database_url=stack.node.settings.database_url, var_dir=tmp_path / "other"))
    browser = stack.session("operator")
    live_entries: list[dict[str, Any]] = []
    try:
        with browser.websocket_connect("/api/v1/live?after=0") as ws:
            hello = ws.receive_json()
            ws.receive_json()  # the catch-up; the note is written right after it, before the hub's first look
            if hub_forgets:
                stack.app.state.hub._published.clear()
            other.messagebus.handle(
                c.WriteNote(stack.room.tenant_id, text, None),
                scope=Scope.tenant(stack.room.tenant_id),
                actor="other",
            )
            deadline = time.monotonic() + 5
            while not live_entries and time.monotonic() < deadline:
                message = ws.receive_json()
                if message["type"] == "entries":
                    live_entries.extend(message["entries"])
    finally:
        other.close()
    return hello["seq"], live_entries


def test_an_entry_written_by_another_process_reaches_the_console(
    stack: Stack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entry committed by another node on the same database (a receiver's worker, say), which never
    passes through this app's outbox, reaches the console by the hub following the logbook."""
    head, live_entries = _note_from_another_node(stack, tmp_path, monkeypatch, "from the worker")
    assert [(e["seq"], e["text"]) for e in live_entries] == [(head + 1, "Note: from the worker")]


def test_a_hub_that_never_saw_the_chain_misses_nothing_written_elsewhere(
    stack: Stack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a restart a console may reconnect (no login, so nothing published here yet on its chain):
    the hub's first look at that chain starts where the console's catch-up ended, not at the head, so an
    entry another process wrote in between still reaches it."""
    head, live_entries = _note_from_another_node(
        stack, tmp_path, monkeypatch, "written in between", hub_forgets=True
    )
    assert [e["seq"] for e in live_entries] == [head + 1]
