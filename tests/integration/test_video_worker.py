"""The video supervisor over real processes, a real local MJPEG stream and a real SQLite store: clips cut
around an alarm from the ring buffer, camera health raised as alarms (stream down past its delay, frozen
image, covered lens) and restored when the camera is back, a recorder killed and restarted while the
others record on."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar
from uuid import UUID

import pytest

from tests.conftest import migrated_sqlite
from tests.integration.alarm_support import open_alarms
from tests.integration.helpers import Room, make_room
from tocsin.adapters.clock import SystemClock
from tocsin.adapters.keystore import FileKeyStore
from tocsin.adapters.store.database import SqlStore
from tocsin.domain import alarms as a
from tocsin.domain import camera_commands as cc
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope
from tocsin.services import video_clips
from tocsin.services.alarm_rules import raise_technical
from tocsin.simulators.mjpeg import MjpegServer
from tocsin.workers.video import clip, ring
from tocsin.workers.video.supervisor import VideoSettings, VideoSupervisor

T = TypeVar("T")
WAIT = 60.0
DOWN_AFTER = 4.0


def wait_for(check: Callable[[], T | None], what: str, timeout: float = WAIT) -> T:
    """Poll ``check`` until it returns something (a bounded wait, not a timing assertion)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what}")


@dataclass
class Video:
    store: SqlStore
    room: Room
    server: MjpegServer
    supervisor: VideoSupervisor
    cameras: dict[str, UUID]
    site_d: UUID

    def mode(self, name: str, mode: str) -> None:
        urllib.request.urlopen(f"http://127.0.0.1:{self.server.port}/control/{name}/{mode}").read()

    def alarms(self, alarm_class: str, site: UUID | None = None) -> list[a.Alarm]:
        found = open_alarms(self.store, site or self.room.site_b)
        return [x for x in found if x.alarm_class == alarm_class]


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Video]:
    """A store with a site of one camera (clips) and a site of five (health), a simulator serving them
    and a supervisor recording them in a thread of its own."""
    folder = tmp_path_factory.mktemp("video")
    store = SqlStore(migrated_sqlite(folder / "tocsin.db"), SystemClock())
    room = make_room(store)
    server = MjpegServer().start()
    server.cameras.fps = 8
    cameras: dict[str, UUID] = {}
    scope = Scope.tenant(room.tenant_id)
    own = c.CreateSite(tenant_id=room.tenant_id, client_id=room.client_b, ref="SD", name="Site D")
    site_d = room.bus.handle(own, scope=scope, actor="test").id
    for name, site in [
        ("clip", room.site_a),
        ("down", site_d),
        ("frozen", room.site_b),
        ("covered", room.site_b),
        ("crash", room.site_b),
        ("steady", room.site_b),
    ]:
        command = cc.AddCamera(site, {"name": name, "mjpeg_url": server.url(name), "retention_days": 7})
        cameras[name] = room.bus.handle(command, scope=scope, actor="test").id
    settings = VideoSettings(
        folder=folder / "var",
        down_after=DOWN_AFTER,
        frozen_after=2,
        tamper_after=2,
        ring_seconds=60,
        segment_seconds=1,
        min_free_mb=0,
        refresh_every=0.5,
    )
    supervisor = VideoSupervisor(store, FileKeyStore(folder / "keys"), SystemClock(), settings)
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    thread = threading.Thread(target=loop.run_until_complete, args=(supervisor.run(stop),), daemon=True)
    thread.start()
    found = Video(store, room, server, supervisor, cameras, site_d)
    try:
        yield found
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=30)
        loop.close()
        server.stop()
        store.close()


def _recording(video: Video, name: str) -> Any:
    def check() -> Any:
        found = video.supervisor.recordings.get(video.cameras[name])
        return found if found and found.down_since is None else None

    return wait_for(check, f"camera {name} recording")


def test_a_clip_around_an_alarm_is_cut_from_the_ring_and_attached(video: Video) -> None:
    """An alarm on a site with a camera gets that camera's clip, from its window's start to its end,
    once the post-roll is recorded: an H.264 MP4 whose duration PyAV reads as the window's."""
    _recording(video, "clip")
    room, store = video.room, video.store
    store.write(lambda uow: video_clips.set_window(uow, room.site_a, 3, 3, "test"), Scope.system())
    rings = video.supervisor.settings.rings / str(video.cameras["clip"])
    wait_for(lambda: len(ring.segments(rings)) >= 4, "3 s of ring")
    happening = a.Happening(store.clock.now(), "intrusion", "", "1", "Burglary", "Cambriolage")
    store.write(lambda uow: raise_technical(uow, room.tenant_id, room.site_a, happening), Scope.system())
    clips = wait_for(
        lambda: store.read(lambda uow: uow.clips.find(site_id=room.site_a), Scope.system()), "the clip"
    )
    assert len(clips) == 1
    found = clips[0]
    assert found.camera_id == video.cameras["clip"]
    path = video.supervisor.settings.clips / found.file
    seconds = clip.duration(path)
    assert 5.0 <= seconds <= 6.2, seconds
    assert found.start >= happening.at - timedelta(seconds=3.2)
    assert found.end <= happening.at + timedelta(seconds=3.2)
    kinds = store.read(
        lambda uow: [e.kind for h in uow.logbook.chains() for e in uow.logbook.entries(h.chain)],
        Scope.system(),
    )
    assert "clip.attached" in kinds


def test_a_stream_lost_raises_camera_down_after_its_delay(video: Video) -> None:
    """The camera's server refusing it: camera_down opens on its site, not before the delay has passed."""
    _recording(video, "down")

    def in_alarm() -> list[a.Alarm]:
        return [x for x in video.alarms("camera_down", video.site_d) if not x.back_to_normal]

    # a recorder slow to start on a loaded machine may have raised "not connected yet": restored by now
    wait_for(lambda: not in_alarm(), "no camera_down in alarm before the stream stops")
    stopped = video.store.clock.now()
    video.mode("down", "down")
    alarms = wait_for(in_alarm, "camera_down")
    assert alarms[0].zones == {"down": "alarm"}
    history = video.store.read(lambda uow: uow.alarms.history(alarms[0].id), Scope.system())
    raised = [e for e in history if e.nature == "new" and e.at > stopped]
    assert raised[0].at - stopped >= timedelta(seconds=DOWN_AFTER)


def test_a_stream_back_restores_its_camera_down_alarm(video: Video) -> None:
    """The stopped stream served again: once frames have flowed for the restore delay, the camera's zone
    of the camera_down alarm is restored (a restore line in its history) and the alarm is back to normal,
    still in the queue for the operator (unsettled alarms never close by themselves)."""
    wait_for(lambda: [x for x in video.alarms("camera_down", video.site_d) if not x.back_to_normal], "down")
    back = video.store.clock.now()
    video.mode("down", "live")

    def restored() -> a.Alarm | None:
        found = video.alarms("camera_down", video.site_d)
        return found[0] if found and found[0].back_to_normal else None

    alarm = wait_for(restored, "camera_down restored")
    assert alarm.zones == {"down": "restored"}
    assert alarm.state == "new"
    history = video.store.read(lambda uow: uow.alarms.history(alarm.id), Scope.system())
    assert history[-1].nature == "restore"
    assert history[-1].label_en == "Camera down: stream back"
    assert history[-1].at - back >= timedelta(seconds=video.supervisor.settings.restore_after)


def test_a_frozen_image_raises_camera_frozen(video: Video) -> None:
    """Identical frames for the frozen delay: a camera_frozen alarm."""
    _recording(video, "frozen")
    video.mode("frozen", "frozen")
    alarm = wait_for(lambda: video.alarms("camera_frozen"), "camera_frozen")[0]
    assert not alarm.back_to_normal
    video.mode("frozen", "live")  # moving again: the frozen alarm is restored
    wait_for(lambda: [x for x in video.alarms("camera_frozen") if x.back_to_normal], "camera_frozen restored")


def test_a_covered_lens_raises_camera_tamper(video: Video) -> None:
    """A black picture for the tamper delay: a camera_tamper alarm naming the cover; uncovered, it is
    restored."""
    _recording(video, "covered")
    video.mode("covered", "covered")
    alarms = wait_for(lambda: video.alarms("camera_tamper"), "camera_tamper")
    history = video.store.read(lambda uow: uow.alarms.history(alarms[0].id), Scope.system())
    assert any("covered" in event.label_en for event in history)
    video.mode("covered", "live")  # uncovered: like its reference again, the tamper alarm is restored
    restored = wait_for(
        lambda: [x for x in video.alarms("camera_tamper") if x.back_to_normal], "camera_tamper restored"
    )
    history = video.store.read(lambda uow: uow.alarms.history(restored[0].id), Scope.system())
    assert history[-1].label_en == "Camera covered: image like its reference again"


def test_a_killed_recorder_is_restarted_and_the_others_record_on(video: Video) -> None:
    """Killing one camera's recorder: the supervisor starts a new one, which records again; the other
    camera's recorder is the same process throughout and its ring kept growing."""
    crash, steady = _recording(video, "crash"), _recording(video, "steady")
    steady_pid = steady.process.pid
    steady_ring = video.supervisor.settings.rings / str(video.cameras["steady"])
    before = ring.segments(steady_ring)[-1].end_ms
    os.kill(crash.process.pid, signal.SIGKILL)
    wait_for(lambda: crash.restarts >= 1, "the restart")
    wait_for(lambda: crash.process.returncode is None and crash.down_since is None, "the new recorder")
    crash_ring = video.supervisor.settings.rings / str(video.cameras["crash"])
    restarted = time.time() * 1000
    wait_for(lambda: ring.segments(crash_ring)[-1].start_ms > restarted, "a new segment after the restart")
    assert steady.process.pid == steady_pid
    assert steady.restarts == 0
    assert ring.segments(steady_ring)[-1].end_ms > before
