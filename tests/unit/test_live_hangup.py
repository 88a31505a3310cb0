"""A console that closes its socket leaves the hub at once, not at its next heartbeat: the wait for its
queue also watches the socket. (It waited up to HEARTBEAT_SECONDS, which held a stopping `tocsin serve`,
whose shutdown closes every socket, for 15 s.)"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from starlette.websockets import WebSocketDisconnect

from tests.unit.test_live_hub import entry, principal
from tocsin.api import live
from tocsin.api.live import LiveHub
from tocsin.testing import FakeClock, InMemoryStore

ENOUGH = 30.0  # seconds: a deadline for what needs none, far below the patched heartbeat


class Socket:
    """A console's WebSocket: records what is sent; receiving waits until the console hangs up."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.gone = asyncio.Event()

    async def send_json(self, message: dict[str, Any]) -> None:
        self.sent.append(message)

    async def receive_text(self) -> str:
        await self.gone.wait()
        raise WebSocketDisconnect(1001)


async def _until(condition: Any) -> None:
    async with asyncio.timeout(ENOUGH):
        while not condition():  # noqa: ASYNC110 - the hub has no event to wait on
            await asyncio.sleep(0.001)


def test_a_console_that_hangs_up_leaves_at_once_and_gets_nothing_else(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Heartbeats an hour apart: the connection still ends as soon as the socket closes."""
    monkeypatch.setattr(live, "HEARTBEAT_SECONDS", 3600.0)

    async def run() -> tuple[LiveHub, Socket]:
        hub = LiveHub(InMemoryStore(FakeClock()), FakeClock())
        socket = Socket()
        serving = asyncio.create_task(hub.serve(socket, principal(), 0))  # type: ignore[arg-type]
        await _until(lambda: any(c.caught_up for c in hub._consoles))
        hub.publish(entry(1))
        await _until(lambda: len(socket.sent) == 2)  # hello, then the entry
        socket.gone.set()
        done, _ = await asyncio.wait({serving}, timeout=ENOUGH)
        assert serving in done, "the connection waited for its heartbeat"
        hub.publish(entry(2))
        return hub, socket

    hub, socket = asyncio.run(run())
    assert [m["type"] for m in socket.sent] == ["hello", "entries"]
    assert [e["seq"] for e in socket.sent[1]["entries"]] == [1]
    assert hub.consoles == 0


def test_a_quiet_console_still_gets_heartbeats_then_its_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing to send: a heartbeat; an entry after it is still delivered, the queue intact."""
    monkeypatch.setattr(live, "HEARTBEAT_SECONDS", 0.01)

    async def run() -> list[dict[str, Any]]:
        hub = LiveHub(InMemoryStore(FakeClock()), FakeClock())
        socket = Socket()
        serving = asyncio.create_task(hub.serve(socket, principal(), 0))  # type: ignore[arg-type]
        await _until(lambda: sum(m["type"] == "heartbeat" for m in socket.sent) >= 2)
        hub.publish(entry(1))
        hub.publish(entry(2))
        await _until(lambda: any(m["type"] == "entries" for m in socket.sent))
        socket.gone.set()
        await serving
        return socket.sent

    sent = asyncio.run(run())
    entries = [e["seq"] for m in sent if m["type"] == "entries" for e in m["entries"]]
    assert entries == [1, 2]
