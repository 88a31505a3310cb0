"""Clips through the API: an operator over the alarm's site lists its clips and plays one with range
requests (a real MP4 cut from a real ring), sees the camera's live snapshot; an operator over another
site gets 404, a client's role 403."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import av
import pytest

from tests.integration.alarm_support import open_alarms
from tests.integration.api_support import Stack, make_stack
from tocsin.domain import alarms as a
from tocsin.domain import camera_commands as cc
from tocsin.domain.scope import Scope
from tocsin.services import video_clips
from tocsin.services.alarm_rules import raise_technical
from tocsin.simulators.mjpeg import MjpegServer
from tocsin.workers.video import clip
from tocsin.workers.video.recorder import Job, Recorder


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    """The app on SQLite with a room and users."""
    yield from make_stack(tmp_path)


def _record(folder: Path, seconds: float) -> None:
    """Record ``seconds`` of the test pattern into a ring (the recorder's own loop, in this process)."""
    server = MjpegServer().start()
    try:
        recorder = Recorder(Job("cam", server.url("cam"), folder, segment_seconds=0.5))
        deadline = time.monotonic() + seconds

        def stop_when_done() -> None:
            while time.monotonic() < deadline:
                time.sleep(0.1)
            server.cameras.set_mode("cam", "down")

        threading.Thread(target=stop_when_done, daemon=True).start()
        recorder.run_once()
    finally:
        server.stop()


def _alarm_with_clip(stack: Stack) -> tuple[Any, Any]:
    room, store = stack.room, stack.node.store
    scope = Scope.tenant(room.tenant_id)
    camera = stack.node.messagebus.handle(
        cc.AddCamera(room.site_b, {"name": "Gate", "mjpeg_url": "http://127.0.0.1:1/cam/x.mjpg"}),
        scope=scope,
        actor="test",
    )
    happening = a.Happening(stack.clock.now(), "intrusion", "", "1", "Burglary", "Cambriolage")
    store.write(lambda uow: raise_technical(uow, room.tenant_id, room.site_b, happening), Scope.system())
    alarm = open_alarms(store, room.site_b)[0]
    video = Path(stack.node.settings.var_dir) / "video"
    ring = video / "ring" / str(camera.id)
    _record(ring, 3.0)
    job = store.read(lambda uow: video_clips.pending(uow, 3600), Scope.system())[0]
    segments = sorted(ring.glob("*.mkv"))
    first = int(segments[0].name.split("_")[0])
    done = clip.cut(ring, first, first + 2000, video / "clips" / "x.mp4", job.masks)
    stored = store.write(
        lambda uow: video_clips.attach(
            uow,
            job,
            file="x.mp4",
            first=video_clips.at_ms(done.first_ms),
            last=video_clips.at_ms(done.last_ms),
            frames=done.frames,
            size=done.size,
            sha256=done.sha256,
        ),
        Scope.system(),
    )
    return alarm, stored


def test_an_operator_lists_and_plays_an_alarms_clip_with_ranges(stack: Stack) -> None:
    """The clip is listed with its camera and times; the video answers whole, and in part for a range."""
    alarm, stored = _alarm_with_clip(stack)
    browser = stack.session("site-b")
    listed = browser.get(f"/api/v1/alarms/{alarm.id}/clips")
    assert listed.status_code == 200, listed.text
    [found] = listed.json()
    assert found["camera_name"] == "Gate"
    assert found["sha256"] == stored.sha256
    whole = browser.get(found["url"])
    assert whole.status_code == 200
    assert whole.headers["content-type"] == "video/mp4"
    assert whole.headers["accept-ranges"] == "bytes"
    with av.open(io.BytesIO(whole.content)) as container:
        assert container.streams.video[0].codec_context.name == "h264"
    part = browser.get(found["url"], headers={"Range": "bytes=0-99"})
    assert part.status_code == 206
    assert len(part.content) == 100
    assert part.headers["content-range"].startswith("bytes 0-99/")
    snapshot = browser.get(f"/api/v1/cameras/{stored.camera_id}/snapshot")
    assert snapshot.status_code == 200
    assert snapshot.headers["content-type"] == "image/jpeg"


def test_a_clip_outside_the_callers_scope_is_not_found_and_a_client_is_refused(stack: Stack) -> None:
    """An operator over site A only: 404 for B's alarm clips and clip; a client's role: 403."""
    alarm, stored = _alarm_with_clip(stack)
    stack.add_user("site-a", "operator", site_ids=(stack.room.site_a,))
    other = stack.session("site-a")
    assert other.get(f"/api/v1/alarms/{alarm.id}/clips").status_code == 404
    assert other.get(f"/api/v1/clips/{stored.id}/video").status_code == 404
    assert other.get(f"/api/v1/cameras/{stored.camera_id}/snapshot").status_code == 404
    client = stack.session("client-a")
    assert client.get(f"/api/v1/clips/{stored.id}/video").status_code == 403
    assert stack.clock.now() - alarm.opened_at < timedelta(days=1)
