"""Video in the console, end to end: a camera of Site A served locally (the MJPEG test pattern), recorded
by `tocsin serve`'s video supervisor; a burglary over DC-09 opens an alarm whose clip (3 s before to 3 s
after) is cut from the ring, attached and played by Chromium's own <video> player (its duration read by
the page), the camera's live picture shown; each viewing is declared first and the supervisor's register
lists both. The camera's stream then stopped raises camera_down within its delay (5 s here)."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import Server, _free_port, _prepare, log_in, shoot
from tests.integration.cli_support import tocsin
from tocsin.bootstrap import bootstrap
from tocsin.domain import camera_commands as cc
from tocsin.domain.scope import Scope
from tocsin.services import video_clips
from tocsin.simulators.mjpeg import MjpegServer
from tocsin.workers.video import ring

ROW = '[data-testid="alarm-row"]'
DOWN_AFTER = 5


@pytest.fixture(scope="module")
def camera_server() -> Iterator[MjpegServer]:
    """The test-pattern camera, served on a free local port."""
    served = MjpegServer().start()
    yield served
    served.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, camera_server: MjpegServer) -> Iterator[Server]:
    """The e2e room with a camera on Site A (the local stream) and a clip window of 3 s and 3 s."""
    tmp = tmp_path_factory.mktemp("e2e-video")
    settings, room = _prepare(tmp)
    node = bootstrap(settings)
    try:
        scope = Scope.tenant(room.tenant_id)
        values = {"name": "Yard", "mjpeg_url": camera_server.url("yard"), "retention_days": 7}
        node.messagebus.handle(cc.AddCamera(room.site_a, values), scope=scope, actor="e2e")
        node.store.write(lambda uow: video_clips.set_window(uow, room.site_a, 3, 3, "e2e"), scope)
    finally:
        node.close()
    os.environ["TOCSIN_VIDEO_DOWN_AFTER"] = str(DOWN_AFTER)  # read by the server process at start
    port = _free_port()
    running = Server(f"http://127.0.0.1:{port}", room, settings, port, _free_port(), tmp)
    try:
        running.start()
    finally:
        del os.environ["TOCSIN_VIDEO_DOWN_AFTER"]
    yield running
    running.stop()


def _camera_ring(server: Server) -> Path:
    folders = list((server.tmp / "video" / "ring").glob("*"))
    return folders[0] if folders else server.tmp / "video" / "ring" / "none"


def _wait(server: Server, check: Any, what: str, timeout: float = 60) -> None:
    """Poll ``check`` (a bounded wait); the server's log is shown when it never comes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    pytest.fail(f"gave up waiting for {what}: {(server.tmp / 'serve.log').read_text()[-3000:]}")


def _api(page: Any, path: str) -> Any:
    return page.evaluate(
        "async (path) => { const r = await fetch(path, {credentials: 'same-origin'}); return r.json(); }",
        path,
    )


def test_a_burglary_gets_its_clip_played_in_the_alarm_view_and_the_register_lists_the_views(
    browser: Any, server: Server
) -> None:
    """The clip arrives in the open alarm view by itself, plays in Chromium for the window's length;
    the live picture shows; the register lists the playback and the live view with their reason."""
    _wait(server, lambda: len(ring.segments(_camera_ring(server))) >= 5, "5 s of footage in the ring")
    page = log_in(browser, server, "alice")
    page.keyboard.press("q")
    server.send_frame("1130 01 001")  # burglary, zone 001 of Site A
    page.locator(ROW, has=page.locator(".ref", has_text="SA")).wait_for(timeout=20000)
    page.keyboard.press(" ")  # open the most urgent alarm
    section = page.locator('[data-testid="alarm-video"]')
    section.wait_for(timeout=20000)
    clip = section.locator('[data-testid="alarm-clip"]')
    clip.wait_for(timeout=30000)  # cut once the 3 s after the alarm are recorded, then pushed live
    assert "Yard" in (clip.text_content() or "")
    clip.locator('[data-testid="alarm-clip-play"]').click()
    reason = page.locator('[data-testid="video-reason-dialog"]')  # asked before the first viewing
    reason.locator('[data-testid="video-reason-alarm_verification"]:checked').wait_for(timeout=10000)
    page.keyboard.press("Enter")  # the preselected reason; the live view below reuses it, unasked
    player = clip.locator('[data-testid="alarm-clip-video"]')
    page.wait_for_function(
        "() => { const v = document.querySelector('[data-testid=\"alarm-clip-video\"]');"
        " return v && v.readyState >= 1 && v.duration > 0 && v.currentTime > 0; }",
        timeout=20000,
    )
    duration = player.evaluate("(v) => v.duration")
    assert 5.0 <= duration <= 6.3, duration
    assert player.evaluate("(v) => v.videoWidth") == 320
    side = page.locator('[data-testid="cameras"]')  # the console's side pane shows the site's cameras
    side.locator('[data-testid="alarm-camera"]', has_text="Yard").wait_for(timeout=20000)
    side.locator('[data-testid="alarm-camera-live-button"]').click()
    page.wait_for_function(
        "() => { const i = document.querySelector('[data-testid=\"alarm-camera-live\"]');"
        " return i && !i.hidden && i.complete && i.naturalWidth > 0; }",
        timeout=20000,
    )
    shoot(page, "video-alarm-view")

    chief = log_in(browser, server, "dominique")
    lines = _api(chief, "/api/v1/video-register")
    mine = [line for line in lines if line["user"] == "alice" and line["camera"] == "Yard"]
    assert sorted(line["mode"] for line in mine) == ["live", "playback"]
    assert {line["reason"] for line in mine} == {"alarm_verification"}
    playback = next(line for line in mine if line["mode"] == "playback")
    alarm_id = page.locator('[data-testid="alarm-view"]').get_attribute("data-alarm-id")
    clips = _api(page, f"/api/v1/alarms/{alarm_id}/clips")
    assert datetime.fromisoformat(playback["start"]) == datetime.fromisoformat(clips[0]["start"])
    env = {"TOCSIN_DATABASE_URL": server.settings.database_url, "TOCSIN_VAR_DIR": str(server.tmp)}
    since, until = (datetime.now(UTC) + timedelta(days=d) for d in (-1, 1))
    period = ("--from", since.isoformat(), "--to", until.isoformat())
    out = tocsin(env, "video", "register", *period, "--json")
    assert out.returncode == 0, out.stderr
    assert [x["mode"] for x in json.loads(out.stdout) if x["user"] == "alice"].count("playback") == 1


def test_the_stream_stopped_raises_camera_down_within_its_delay(
    browser: Any, server: Server, camera_server: MjpegServer
) -> None:
    """The camera goes off the network: a camera_down alarm on Site A reaches the console's queue, not
    before its delay."""
    page = log_in(browser, server, "bob")
    stopped = time.time()
    camera_server.cameras.set_mode("yard", "down")
    page.locator(ROW, has_text="Camera down").wait_for(timeout=60000)
    alarms = _api(page, "/api/v1/alarms")
    down = next(a for a in alarms if a["alarm_class"] == "camera_down")
    opened = datetime.fromisoformat(down["opened_at"]).timestamp()
    assert opened - stopped >= DOWN_AFTER - 0.5
