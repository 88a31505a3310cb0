"""Frigate over the real local Mosquitto: a person seen on a camera linked to a site becomes a stored
signal and, through the alarm rules, an intrusion alarm with Frigate's snapshot and clip addresses;
a camera's stream reported offline becomes a camera-down alarm. Skipped without a broker outside CI."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import aiomqtt
import pytest
import structlog

from tests.integration.alarm_support import open_alarms
from tests.integration.helpers import Room, make_room
from tocsin.adapters.store import migrate
from tocsin.adapters.store.database import SqlStore
from tocsin.domain import camera_commands as cc
from tocsin.domain.scope import Scope
from tocsin.receivers.frigate import FrigateListener
from tocsin.services.signal_processing import SiteClients, process_pending
from tocsin.testing import FakeClock, InMemoryStore

BROKER = os.environ.get("TOCSIN_TEST_MQTT_HOST", "127.0.0.1")
WAIT = 20.0


def _broker_up() -> bool:
    try:
        with socket.create_connection((BROKER, 1883), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqlStore]:
    """A migrated SQLite store (skips without a broker, fails in CI)."""
    if not _broker_up():
        if os.environ.get("CI"):
            pytest.fail(f"No MQTT broker on {BROKER}:1883: Frigate tests cannot be skipped in CI.")
        pytest.skip(f"Frigate tests need an MQTT broker on {BROKER}:1883")
    url = f"sqlite:///{tmp_path / 'tocsin.db'}"
    migrate.upgrade(url)
    found = SqlStore(url, FakeClock())
    yield found
    found.close()


def _camera(store: SqlStore, room: Room) -> None:
    command = cc.AddCamera(room.site_a, {"name": "Gate", "frigate_name": "gate", "retention_days": 7})
    room.bus.handle(command, scope=Scope.tenant(room.tenant_id), actor="test")


async def _exchange(listener: FrigateListener, prefix: str, messages: list[tuple[str, bytes]]) -> None:
    """Run the listener, wait until it hears the broker, publish ``messages``, wait until each is handled."""
    task = asyncio.create_task(listener.run())
    try:
        async with aiomqtt.Client(BROKER, 1883) as client:
            async with asyncio.timeout(WAIT):
                while listener.handled == 0:  # subscribed once a harmless status comes back
                    await client.publish(f"{prefix}/probe/status/detect", b"online")
                    await asyncio.sleep(0.1)
                start = listener.handled
                for topic, payload in messages:
                    await client.publish(topic, payload)
                while listener.handled < start + len(messages):  # noqa: ASYNC110 - the listener's count is polled, it has no event to wait on
                    await asyncio.sleep(0.05)
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


def _event(camera: str, label: str, kind: str = "new") -> bytes:
    after = {
        "id": f"1607123955.475377-{uuid.uuid4().hex[:6]}",
        "camera": camera,
        "label": label,
        "score": 0.88,
        "top_score": 0.96,
        "false_positive": False,
        "start_time": 1607123955.47,
        "end_time": None,
        "entered_zones": ["yard"],
        "has_snapshot": True,
        "has_clip": True,
    }
    return json.dumps({"type": kind, "before": after, "after": after}).encode()


def test_a_person_on_frigate_becomes_an_intrusion_alarm_with_its_links(store: SqlStore) -> None:
    """A new person on a linked camera is one stored signal and one intrusion alarm; a dog, an update
    and an unknown camera store nothing."""
    room = make_room(store)
    _camera(store, room)
    prefix = f"frigate-{uuid.uuid4().hex[:8]}"
    listener = FrigateListener(store, f"mqtt://{BROKER}:1883", prefix, base_url="http://frigate.local:5000")
    messages = [
        (f"{prefix}/events", _event("gate", "person")),
        (f"{prefix}/events", _event("gate", "dog")),
        (f"{prefix}/events", _event("gate", "person", "update")),
        (f"{prefix}/events", _event("elsewhere", "car")),
        (f"{prefix}/events", b"not json"),
    ]
    asyncio.run(_exchange(listener, prefix, messages))
    found = store.read(lambda uow: uow.signals.find(Scope.system()), Scope.system())
    signals = [x for x in found if x.site_id == room.site_a]
    assert len(signals) == 1
    data = json.loads(signals[0].data or "{}")
    assert data["snapshot"].startswith("http://frigate.local:5000/api/events/")
    assert data["clip"].endswith("/clip.mp4")
    assert signals[0].events[0].protocol == "frigate"
    while store.write(lambda uow: process_pending(uow, SiteClients(store.clock)), Scope.system()):
        pass
    alarms = open_alarms(store, room.site_a)
    assert [a.alarm_class for a in alarms] == ["intrusion"]


def test_a_camera_stream_offline_raises_camera_down(store: SqlStore) -> None:
    """Frigate's detect stream going offline on a linked camera opens a camera_down alarm on its site;
    online again restores it."""
    room = make_room(store)
    _camera(store, room)
    prefix = f"frigate-{uuid.uuid4().hex[:8]}"
    listener = FrigateListener(store, f"mqtt://{BROKER}:1883", prefix)
    asyncio.run(_exchange(listener, prefix, [(f"{prefix}/gate/status/detect", b"offline")]))
    alarms = open_alarms(store, room.site_a)
    assert [a.alarm_class for a in alarms] == ["camera_down"]
    assert not alarms[0].back_to_normal
    again = FrigateListener(store, f"mqtt://{BROKER}:1883", prefix)
    asyncio.run(_exchange(again, prefix, [(f"{prefix}/gate/status/detect", b"online")]))
    alarms = open_alarms(store, room.site_a)
    assert alarms[0].back_to_normal  # online again: restored, still in the queue for the operator
    assert alarms[0].state == "new"


def test_a_broker_that_is_not_there_is_logged_once_and_retried(tmp_path: Path) -> None:
    """No broker on the port: the listener keeps retrying without crashing and logs the loss once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # free, and nothing listens on it once closed
    listener = FrigateListener(InMemoryStore(FakeClock()), f"mqtt://127.0.0.1:{port}")

    async def run_a_while() -> None:
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(2.5):  # long enough for several attempts (0.5 s, 1 s, …)
                await listener.run()

    with structlog.testing.capture_logs() as logs:
        asyncio.run(run_a_while())
    assert [e["event"] for e in logs if e["event"].startswith("frigate.")] == ["frigate.broker_lost"]
