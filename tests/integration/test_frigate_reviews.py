"""Frigate's reviews and availability over the real local Mosquitto: an alert review with a person that no
event announced becomes one signal and one intrusion alarm; a review of objects already signalled from
``<prefix>/events`` adds no signal (whether the listener remembers them or reads them from the store);
Frigate going offline raises one "Frigate offline" camera_down alarm for the tenant, online restores it.
On PostgreSQL when TOCSIN_TEST_POSTGRES_URL is set, else SQLite; skipped without a broker outside CI."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import aiomqtt
import pytest

from tests.conftest import POSTGRES_ENV, migrated_sqlite
from tests.integration.alarm_support import open_alarms
from tests.integration.helpers import Room, make_room
from tocsin.adapters.store.database import SqlStore
from tocsin.domain import alarms as a
from tocsin.domain import camera_commands as cc
from tocsin.domain.scope import Scope
from tocsin.domain.signals import Signal
from tocsin.receivers.frigate import FrigateListener
from tocsin.services.signal_processing import SiteClients, process_pending
from tocsin.services.unit_of_work import Store
from tocsin.testing import FakeClock, InMemoryStore

BROKER = os.environ.get("TOCSIN_TEST_MQTT_HOST", "127.0.0.1")
WAIT = 20.0


@pytest.fixture
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlStore]:
    """A migrated store, PostgreSQL when asked, else SQLite (skips without a broker, fails in CI)."""
    try:
        socket.create_connection((BROKER, 1883), timeout=1).close()
    except OSError:
        if os.environ.get("CI"):
            pytest.fail(f"No MQTT broker on {BROKER}:1883: Frigate tests cannot be skipped in CI.")
        pytest.skip(f"Frigate tests need an MQTT broker on {BROKER}:1883")
    if os.environ.get(POSTGRES_ENV):
        url = request.getfixturevalue("postgres_url")
    else:
        url = migrated_sqlite(tmp_path / "tocsin.db")
    found = SqlStore(url, FakeClock())
    yield found
    found.close()


def _camera(room: Room) -> str:
    """A camera of site A that Frigate calls by a name of its own (the module's tests share a database)."""
    name = f"gate-{uuid.uuid4().hex[:6]}"
    command = cc.AddCamera(room.site_a, {"name": "Gate", "frigate_name": name, "retention_days": 7})
    room.bus.handle(command, scope=Scope.tenant(room.tenant_id), actor="test")
    return name


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


def _event(camera: str, event_id: str) -> bytes:
    after = {"id": event_id, "camera": camera, "label": "person", "score": 0.9, "false_positive": False}
    after |= {"start_time": 1607123955.47, "end_time": None, "entered_zones": ["yard"]}
    return json.dumps({"type": "new", "before": after, "after": after}).encode()


def _review(  # noqa: PLR0917 - the fields of one review
    camera: str,
    review_id: str,
    detections: list[str],
    kind: str = "new",
    severity: str = "alert",
    objects: tuple[str, ...] = ("person",),
) -> bytes:
    after = {
        "id": review_id,
        "camera": camera,
        "start_time": 1607123955.1,
        "end_time": 1607123990.2 if kind == "end" else None,
        "severity": severity,
        "thumb_path": f"/media/frigate/clips/review/thumb-{camera}-{review_id}.webp",
        "data": {"detections": detections, "objects": list(objects), "zones": ["yard"], "audio": []},
    }
    return json.dumps({"type": kind, "before": after, "after": after}).encode()


def _signals(store: Store, site_id: UUID) -> list[Signal]:
    found = store.read(lambda uow: uow.signals.find(Scope.system(), limit=1000), Scope.system())
    return [s for s in found if s.site_id == site_id]


def _raise_alarms(store: SqlStore) -> None:
    while store.write(lambda uow: process_pending(uow, SiteClients(store.clock)), Scope.system()):
        pass


def _ids() -> tuple[str, str, str]:
    tail = uuid.uuid4().hex[:6]
    return f"1607123955.4-rv{tail}", f"1607123955.5-e1{tail}", f"1607123955.6-e2{tail}"


def test_an_alert_review_nobody_announced_becomes_one_intrusion_alarm(store: SqlStore) -> None:
    """An alert with a person and no event before it: one signal (its updates and end add none) and one
    intrusion alarm; a ``detection`` review, an alert of a dog and an unknown camera store nothing."""
    room = make_room(store)
    camera = _camera(room)
    prefix = f"frigate-{uuid.uuid4().hex[:8]}"
    review_id, first, second = _ids()
    listener = FrigateListener(store, f"mqtt://{BROKER}:1883", prefix, base_url="http://frigate.local:5000")
    topic = f"{prefix}/reviews"
    messages = [
        (topic, _review(camera, f"{review_id}-d", [first], severity="detection")),
        (topic, _review(camera, f"{review_id}-dog", [f"{first}-dog"], objects=("dog",))),
        (topic, _review("elsewhere", f"{review_id}-x", [f"{first}-x"])),
        (topic, _review(camera, review_id, [first])),
        (topic, _review(camera, review_id, [first, second], kind="update")),
        (topic, _review(camera, review_id, [first, second], kind="end")),
        (topic, b"{not json"),
    ]
    asyncio.run(_exchange(listener, prefix, messages))
    signals = _signals(store, room.site_a)
    assert len(signals) == 1
    data = json.loads(signals[0].data or "{}")
    assert data["frigate_review"] == review_id
    assert data["frigate_detections"] == [first]
    assert data["snapshot"] == f"http://frigate.local:5000/api/events/{first}/snapshot.jpg"
    assert "Frigate alert: person on camera Gate" in signals[0].events[0].label_en
    _raise_alarms(store)
    assert [x.alarm_class for x in open_alarms(store, room.site_a)] == ["intrusion"]


def test_a_review_of_objects_already_signalled_adds_no_signal(store: SqlStore) -> None:
    """An event, then a review holding its tracked object: one signal. A later listener (nothing in its
    memory) reading another review of that object finds it in the store: still one signal."""
    room = make_room(store)
    camera = _camera(room)
    prefix = f"frigate-{uuid.uuid4().hex[:8]}"
    review_id, first, second = _ids()
    listener = FrigateListener(store, f"mqtt://{BROKER}:1883", prefix)
    messages = [
        (f"{prefix}/events", _event(camera, first)),
        (f"{prefix}/reviews", _review(camera, review_id, [first])),
    ]
    asyncio.run(_exchange(listener, prefix, messages))
    assert len(_signals(store, room.site_a)) == 1
    fresh = FrigateListener(store, f"mqtt://{BROKER}:1883", prefix)
    later = [(f"{prefix}/reviews", _review(camera, f"{review_id}-2", [second, first], kind="update"))]
    asyncio.run(_exchange(fresh, prefix, later))
    signals = _signals(store, room.site_a)
    assert len(signals) == 1
    assert json.loads(signals[0].data or "{}")["frigate_event"] == first
    _raise_alarms(store)
    assert [x.alarm_class for x in open_alarms(store, room.site_a)] == ["intrusion"]


def _frigate_alarms(store: SqlStore, tenant_id: UUID) -> list[a.Alarm]:
    found = store.read(lambda uow: uow.alarms.find(states=a.OPEN_STATES), Scope.tenant(tenant_id))
    return [x for x in found if x.alarm_class == "camera_down" and x.site_id is None]


def test_frigate_offline_raises_one_technical_alarm_and_online_restores_it(store: SqlStore) -> None:
    """``available`` offline: one camera_down alarm "Frigate offline" for the tenant, with no site (a
    repeat adds nothing); online: that alarm is back to normal, still in the queue."""
    room = make_room(store)
    _camera(room)
    prefix = f"frigate-{uuid.uuid4().hex[:8]}"
    listener = FrigateListener(store, f"mqtt://{BROKER}:1883", prefix)
    topic = f"{prefix}/available"
    asyncio.run(_exchange(listener, prefix, [(topic, b"offline"), (topic, b"offline")]))
    alarms = _frigate_alarms(store, room.tenant_id)
    assert len(alarms) == 1
    assert not alarms[0].back_to_normal
    history = store.read(lambda uow: uow.alarms.history(alarms[0].id), Scope.system())
    assert sum("Frigate offline" in line.label_en for line in history) == 1
    again = FrigateListener(store, f"mqtt://{BROKER}:1883", prefix)  # subscribed again before it publishes
    asyncio.run(_exchange(again, prefix, [(topic, b"online")]))
    alarms = _frigate_alarms(store, room.tenant_id)
    assert len(alarms) == 1
    assert alarms[0].back_to_normal
    assert alarms[0].state == "new"


def test_a_review_of_objects_the_listener_just_stored_skips_the_store() -> None:
    """The listener's memory: a review of an event it stored moments ago is dropped without opening a
    transaction; one it does not know is checked in the store (one write, no signal)."""
    memory = InMemoryStore(FakeClock())
    room = make_room(memory)
    camera = _camera(room)
    review_id, first, second = _ids()
    listener = FrigateListener(memory, "mqtt://127.0.0.1:1883", "frigate")
    assert listener.handle("frigate/events", _event(camera, first)) is not None
    writes: list[object] = []
    original = memory.write

    def counted(work: Any, scope: Scope) -> Any:
        writes.append(work)
        return original(work, scope)

    memory.write = counted  # type: ignore[method-assign]
    assert listener.handle("frigate/reviews", _review(camera, review_id, [first])) is None
    assert writes == []
    fresh = FrigateListener(memory, "mqtt://127.0.0.1:1883", "frigate")
    assert fresh.handle("frigate/reviews", _review(camera, review_id, [second, first])) is None
    assert len(writes) == 1
    assert len(_signals(memory, room.site_a)) == 1
