"""Camera health alarms end as a panel's do, on SQLite and PostgreSQL: a camera back restores its zone of
its site's camera-health alarm (a history line, an ``alarm.updated`` entry naming the zone), the alarm is
back to normal once every camera of it is back, stays in the queue until an operator settles it, and a
settled one closes by itself when its camera comes back. Frigate's camera status online does the same."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from uuid import UUID

import pytest

from tests.integration.alarm_support import open_alarms
from tests.integration.helpers import Room, make_room
from tocsin.adapters.clock import SystemClock
from tocsin.adapters.store.database import SqlStore
from tocsin.domain import alarms as a
from tocsin.domain import camera_commands as cc
from tocsin.domain import plans as p
from tocsin.domain.scope import Scope
from tocsin.protocols.frigate import CameraStatus
from tocsin.services import frigate, video_clips

OPERATOR = UUID(int=7)
LONG_NAME = "Entrance gate, north car park, pole 3"


@pytest.fixture
def world(db_url: str) -> Iterator[tuple[SqlStore, Room, dict[str, UUID]]]:
    """A room whose site A has two cameras (one with a name longer than a zone), Frigate watching one."""
    store = SqlStore(db_url, SystemClock())
    room = make_room(store, ref=f"cam{uuid.uuid4().hex[:8]}")
    scope = Scope.tenant(room.tenant_id)
    cameras = {}
    for name, extra in [("Gate", {"frigate_name": f"gate{uuid.uuid4().hex[:6]}"}), (LONG_NAME, {})]:
        command = cc.AddCamera(room.site_a, {"name": name, "retention_days": 7, **extra})
        cameras[name] = room.bus.handle(command, scope=scope, actor="t").id
    yield store, room, cameras
    store.close()


def _write(store: SqlStore, work: object) -> object:
    return store.write(work, Scope.system())  # type: ignore[arg-type]


def _alarm(store: SqlStore, room: Room, alarm_class: str) -> a.Alarm:
    found = store.read(lambda uow: uow.alarms.find(site_id=room.site_a), Scope.system())
    return next(x for x in found if x.alarm_class == alarm_class)


def _settle(store: SqlStore, room: Room, alarm_id: UUID) -> None:
    """Take the alarm, skip its plan's steps with a reason, settle it (a real technical fault)."""
    scope = Scope.tenant(room.tenant_id)
    room.bus.handle(a.TakeAlarm(alarm_id, OPERATOR, "Op"), scope=scope, actor="op")
    for step in store.read(lambda uow: uow.plans.checklist(alarm_id), Scope.system()):
        if step.mandatory and step.open:
            skip = p.SkipStep(alarm_id, OPERATOR, "Op", step_id=step.id, reason="camera test")
            room.bus.handle(skip, scope=scope, actor="op")
    settle = a.SettleAlarm(alarm_id, OPERATOR, "Op", outcome="real", cause="technical")
    room.bus.handle(settle, scope=scope, actor="op")


def _entries(store: SqlStore, tenant_id: UUID) -> list[tuple[str, dict[str, object]]]:
    entries = store.read(lambda uow: list(uow.logbook.read(Scope.tenant(tenant_id))), Scope.system())
    return [(e.kind, dict(e.params)) for e in entries]


def test_each_camera_back_restores_its_zone_and_the_alarm_waits_for_the_operator(
    world: tuple[SqlStore, Room, dict[str, UUID]],
) -> None:
    """Two cameras down on one site: one alarm, a zone each. The first back restores only its zone; the
    second back brings the alarm back to normal, still in the queue (new) for the operator to settle:
    a camera that recovered unattended is restored, never silently closed. Settling it then closes it."""
    store, room, cameras = world
    gate, far = cameras["Gate"], cameras[LONG_NAME]
    for camera_id in (gate, far):
        _write(store, lambda uow, c=camera_id: video_clips.camera_health(uow, c, "down", "the stream ended"))
    alarm = _alarm(store, room, "camera_down")
    long_zone = next(z for z in alarm.zones if z != "Gate")
    assert len(long_zone) <= video_clips.ZONE_LENGTH
    assert long_zone.startswith("Entrance ga~")
    assert alarm.zones == {"Gate": "alarm", long_zone: "alarm"}
    assert not alarm.back_to_normal

    assert _write(store, lambda uow: video_clips.camera_restored(uow, gate, "down")) is True
    alarm = _alarm(store, room, "camera_down")
    assert alarm.zones == {"Gate": "restored", long_zone: "alarm"}
    assert not alarm.back_to_normal
    history = store.read(lambda uow: uow.alarms.history(alarm.id), Scope.system())
    assert [(e.nature, e.label_en) for e in history][-1] == ("restore", "Camera Gate: stream back")
    assert history[-1].label_fr == "Caméra Gate\u00a0: flux rétabli"
    updated = [p for k, p in _entries(store, room.tenant_id) if k == "alarm.updated"]
    assert list(updated[-1]["restored_zones"]) == ["Gate"]  # type: ignore[call-overload]

    assert _write(store, lambda uow: video_clips.camera_restored(uow, far, "down")) is True
    alarm = _alarm(store, room, "camera_down")
    assert alarm.back_to_normal
    assert alarm.state == "new"  # in the queue, restored, for the operator
    assert [x.id for x in open_alarms(store, room.site_a)] == [alarm.id]
    updated = [p for k, p in _entries(store, room.tenant_id) if k == "alarm.updated"]
    assert updated[-1]["back_to_normal"] is True

    assert _write(store, lambda uow: video_clips.camera_restored(uow, far, "down")) is False  # nothing left
    _settle(store, room, alarm.id)
    assert open_alarms(store, room.site_a) == []


def test_a_settled_camera_alarm_stays_open_until_the_camera_is_back_then_closes(
    world: tuple[SqlStore, Room, dict[str, UUID]],
) -> None:
    """Settled while the camera is still down: the alarm stays (settled, not back to normal); the camera
    back closes it by itself (``alarm.closed`` by the rules). Then the camera down again opens a new one."""
    store, room, cameras = world
    gate = cameras["Gate"]
    _write(store, lambda uow: video_clips.camera_health(uow, gate, "frozen", "identical frames"))
    alarm = _alarm(store, room, "camera_frozen")
    _settle(store, room, alarm.id)
    assert _alarm(store, room, "camera_frozen").state == "settled"
    assert _write(store, lambda uow: video_clips.camera_restored(uow, gate, "tamper")) is False  # other class
    assert _write(store, lambda uow: video_clips.camera_restored(uow, gate, "frozen")) is True
    closed = _alarm(store, room, "camera_frozen")
    assert closed.state == "closed"
    assert closed.closed_by == "rules"
    history = store.read(lambda uow: uow.alarms.history(closed.id), Scope.system())
    assert history[-1].label_en == "Camera Gate: image moving again"
    _write(store, lambda uow: video_clips.camera_health(uow, gate, "frozen", "identical frames"))
    assert [x.alarm_class for x in open_alarms(store, room.site_a)] == ["camera_frozen"]


def test_frigate_online_again_restores_the_stream_it_reported_offline(
    world: tuple[SqlStore, Room, dict[str, UUID]],
) -> None:
    """Frigate's detect and record streams offline: one camera_down alarm, a zone per stream; detect back
    restores only its zone, record back brings the alarm back to normal. An online camera with nothing
    open, or one no site declares, changes nothing."""
    store, room, cameras = world
    name = store.read(lambda uow: uow.cameras.get(cameras["Gate"]), Scope.system()).frigate_name  # type: ignore[union-attr]
    assert (
        _write(store, lambda uow: frigate.camera_status(uow, CameraStatus(name, "detect", "online"))) is False
    )
    for role in ("detect", "record"):
        _write(store, lambda uow, r=role: frigate.camera_status(uow, CameraStatus(name, r, "offline")))
    alarm = _alarm(store, room, "camera_down")
    assert alarm.zones == {"Gate/detect": "alarm", "Gate/record": "alarm"}
    assert (
        _write(store, lambda uow: frigate.camera_status(uow, CameraStatus(name, "detect", "online"))) is True
    )
    alarm = _alarm(store, room, "camera_down")
    assert alarm.zones == {"Gate/detect": "restored", "Gate/record": "alarm"}
    history = store.read(lambda uow: uow.alarms.history(alarm.id), Scope.system())
    assert history[-1].label_en == "Camera Gate: Frigate reports its detect stream online"
    _write(store, lambda uow: frigate.camera_status(uow, CameraStatus(name, "record", "online")))
    assert _alarm(store, room, "camera_down").back_to_normal
    stranger = CameraStatus("nobody", "detect", "online")
    assert _write(store, lambda uow: frigate.camera_status(uow, stranger)) is False
