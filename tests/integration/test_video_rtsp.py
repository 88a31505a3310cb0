"""RTSP for real: Debian's GStreamer RTSP server serves a generated test pattern as H.264
(``tests/support/rtsp_server.py``, run with the system Python), and the real video supervisor records a
camera with its ``rtsp://`` address through its recorder process into ring segments, cuts the clip
around an alarm (H.264 copied, its duration and codec read with PyAV), raises ``camera_down`` naming
the reason for a wrong address, and again when the server goes away.

Skipped, with the reason, only on a developer's machine without the packages (``.ci/run`` installs them,
and in CI a missing package fails the test)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from uuid import UUID

import av
import pytest

from tests.conftest import migrated_sqlite
from tests.integration.helpers import Room, make_room
from tests.integration.test_video_worker import wait_for
from tocsin.adapters.clock import SystemClock
from tocsin.adapters.keystore import FileKeyStore
from tocsin.adapters.store.database import SqlStore
from tocsin.domain import alarms as a
from tocsin.domain import camera_commands as cc
from tocsin.domain.scope import Scope
from tocsin.services import video_clips
from tocsin.services.alarm_rules import raise_technical
from tocsin.workers.video import clip, ring
from tocsin.workers.video.supervisor import VideoSettings, VideoSupervisor

SYSTEM_PYTHON = "/usr/bin/python3"
SERVER = Path(__file__).parents[1] / "support" / "rtsp_server.py"
PACKAGES = (
    "gir1.2-gst-rtsp-server-1.0 python3-gi gstreamer1.0-plugins-base gstreamer1.0-plugins-good "
    "gstreamer1.0-plugins-ugly gstreamer1.0-rtsp"
)
DOWN_AFTER = 8.0  # a recorder's start and the RTSP handshake take seconds on a loaded machine


def _missing() -> str:
    """Why Debian's RTSP server cannot run here ('' when it can)."""
    if not Path(SYSTEM_PYTHON).exists():
        return f"no {SYSTEM_PYTHON}"
    probe = subprocess.run(
        [SYSTEM_PYTHON, str(SERVER), "--probe"], capture_output=True, text=True, timeout=60, check=False
    )
    return "" if probe.returncode == 0 else probe.stderr.strip() or f"exit {probe.returncode}"


class RtspServer:
    """The test-only RTSP server in a process of its own."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [SYSTEM_PYTHON, str(SERVER), "--port", "0", "--path", "/cam"],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line.startswith("ready "):
            self.stop()
            raise AssertionError(f"the RTSP server did not start: {line!r}")
        self.port = int(line.split()[1])

    def url(self, path: str = "/cam") -> str:
        return f"rtsp://127.0.0.1:{self.port}{path}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


@dataclass
class Rtsp:
    store: SqlStore
    room: Room
    server: RtspServer
    supervisor: VideoSupervisor
    cameras: dict[str, UUID]

    def down_alarms(self, site_id: UUID) -> list[a.Alarm]:
        """The site's camera_down alarms in alarm (open, not back to normal)."""
        found = self.store.read(lambda uow: uow.alarms.find(site_id=site_id), Scope.system())
        return [x for x in found if x.alarm_class == "camera_down" and x.is_open and not x.back_to_normal]

    def history_text(self, alarm_id: UUID) -> str:
        history = self.store.read(lambda uow: uow.alarms.history(alarm_id), Scope.system())
        return "\n".join(event.label_en for event in history)


@pytest.fixture(scope="module")
def rtsp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rtsp]:
    """A store whose site A has a camera on the RTSP server and site B one on a path it does not serve,
    the server, and a supervisor recording them in a thread of its own."""
    missing = _missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"RTSP tests cannot be skipped in CI: {missing} (apt-get install {PACKAGES})")
        pytest.skip(f"RTSP tests need Debian's GStreamer RTSP server: {missing} (apt-get install {PACKAGES})")
    folder = tmp_path_factory.mktemp("rtsp")
    store = SqlStore(migrated_sqlite(folder / "tocsin.db"), SystemClock())
    room = make_room(store)
    server = RtspServer()
    scope = Scope.tenant(room.tenant_id)
    cameras = {}
    for name, site, url in [
        ("Gate", room.site_a, server.url()),
        ("Wrong", room.site_b, server.url("/no-such-stream")),
    ]:
        command = cc.AddCamera(site, {"name": name, "rtsp_url": url, "retention_days": 7})
        cameras[name] = room.bus.handle(command, scope=scope, actor="test").id
    settings = VideoSettings(
        folder=folder / "var",
        down_after=DOWN_AFTER,
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
    try:
        yield Rtsp(store, room, server, supervisor, cameras)
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=30)
        loop.close()
        server.stop()
        store.close()


def test_an_rtsp_camera_is_recorded_into_the_ring_and_its_clip_cut(rtsp: Rtsp) -> None:
    """The RTSP camera's recorder copies H.264 into ring segments; an alarm on its site gets the clip
    (2 s before, 2 s after), an H.264 MP4 whose every frame decodes and whose length is the window's."""
    store, room = rtsp.store, rtsp.room
    gate = rtsp.supervisor.settings.rings / str(rtsp.cameras["Gate"])
    wait_for(lambda: len(ring.segments(gate)) >= 5, "5 s of RTSP footage in the ring")
    with av.open(str(ring.segments(gate)[-1].path)) as segment:
        assert segment.streams.video[0].codec_context.name == "h264"
    store.write(lambda uow: video_clips.set_window(uow, room.site_a, 2, 2, "test"), Scope.system())
    happening = a.Happening(store.clock.now(), "intrusion", "", "1", "Burglary", "Cambriolage")
    store.write(lambda uow: raise_technical(uow, room.tenant_id, room.site_a, happening), Scope.system())
    clips = wait_for(
        lambda: store.read(lambda uow: uow.clips.find(site_id=room.site_a), Scope.system()), "the clip"
    )
    path = rtsp.supervisor.settings.clips / clips[0].file
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        assert (stream.codec_context.width, stream.codec_context.height) == (640, 360)
        frames = sum(1 for _ in container.decode(stream))
    seconds = clip.duration(path)
    # copied from the keyframe at or before the window's start (one a second): 4 s, up to 1 s more
    at_ms = round(happening.at.timestamp() * 1000)
    detail = (
        seconds,
        clips[0].start.timestamp() * 1000 - at_ms,
        clips[0].end.timestamp() * 1000 - at_ms,
        [(x.start_ms - at_ms, x.end_ms - at_ms) for x in ring.segments(gate)],
    )
    assert 3.5 <= seconds <= 5.3, detail
    assert frames >= 3.5 * 15 * 0.8, frames  # 15 frames a second, a few may be late on a loaded machine
    assert clips[0].start >= happening.at - timedelta(seconds=3.3)


def test_a_wrong_rtsp_address_raises_camera_down_with_the_reason(rtsp: Rtsp) -> None:
    """A path the server does not serve: camera_down on its site after the delay, naming the address
    and why (the server's answer), while the other camera records on."""
    alarms = wait_for(lambda: rtsp.down_alarms(rtsp.room.site_b), "camera_down for the wrong address")
    text = rtsp.history_text(alarms[0].id)
    assert "Camera Wrong: stream down: cannot open the stream" in text
    assert rtsp.server.url("/no-such-stream") in text
    assert rtsp.down_alarms(rtsp.room.site_a) == [], rtsp.history_text(
        rtsp.down_alarms(rtsp.room.site_a)[0].id
    )


def test_an_rtsp_server_that_goes_away_raises_camera_down(rtsp: Rtsp) -> None:
    """The server stopped: the recording camera turns to camera_down, with the reason, after its delay."""
    gate = rtsp.cameras["Gate"]
    recordings = rtsp.supervisor.recordings  # the supervisor adds the camera once it has started it
    wait_for(lambda: gate in recordings and recordings[gate].down_since is None, "the RTSP camera recording")
    rtsp.server.stop()
    alarms = wait_for(lambda: rtsp.down_alarms(rtsp.room.site_a), "camera_down once the server is gone")
    text = rtsp.history_text(alarms[0].id)
    assert "Camera Gate: stream down:" in text
    assert any(why in text for why in ("the stream failed", "the stream ended", "cannot open the stream"))
