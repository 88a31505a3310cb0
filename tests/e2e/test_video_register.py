"""The video register screen in Debian's Chromium against a real `tocsin serve`: a supervisor (in French)
opens it from the top bar, enters a requisition, exports a camera's clip against it, downloads the zip
(whose files verify with the node's key), and the register lists an operator's viewing and the export;
the page is axe-clean at 1920x1080 and 1280x720. An operator has no link to it and no export control."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import pytest
from PIL import Image, ImageDraw

from tests.e2e.conftest import Server, log_in, shoot
from tests.e2e.test_console import _axe
from tocsin.bootstrap import bootstrap
from tocsin.domain import alarms as a
from tocsin.domain import camera_commands as cc
from tocsin.domain.clips import Clip
from tocsin.domain.scope import Scope
from tocsin.services.alarm_rules import raise_technical


def _mp4(path: Path, seconds: float = 2.0, fps: int = 25) -> int:
    """A small H.264 MP4 with moving shapes; its frame count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frames = round(seconds * fps)
    with av.open(str(path), "w", format="mp4") as out:
        stream = out.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 320, 240, "yuv420p"
        stream.time_base = Fraction(1, fps)
        for index in range(frames):
            image = Image.new("RGB", (320, 240), (40, 60, 90))
            ImageDraw.Draw(image).rectangle((index * 4, 80, index * 4 + 60, 160), fill=(230, 200, 40))
            frame = av.VideoFrame.from_image(image)  # type: ignore[no-untyped-call]
            frame.pts = index
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    return frames


@pytest.fixture(scope="module")
def clip(server: Server) -> Clip:
    """A camera "Gate" on Site A and a two-second clip of it (file and record), ten seconds old."""
    node = bootstrap(server.settings)
    try:
        scope = Scope.tenant(server.room.tenant_id)
        camera = node.messagebus.handle(
            cc.AddCamera(server.room.site_a, {"name": "Gate"}), scope=scope, actor="e2e"
        )
        happening = a.Happening(datetime.now(UTC), "camera_down", "", "1", "Camera down", "Caméra HS")
        node.store.write(
            lambda uow: raise_technical(uow, server.room.tenant_id, server.room.site_a, happening),
            Scope.system(),
        )
        alarm = node.store.read(lambda uow: uow.alarms.find(site_id=server.room.site_a)[-1], Scope.system())
        name = f"{alarm.id}/{camera.id}.mp4"
        path = server.tmp / "video" / "clips" / name
        frames = _mp4(path)
        end = datetime.now(UTC) - timedelta(seconds=10)
        stored = Clip(
            id=node.clock.new_id(),
            tenant_id=server.room.tenant_id,
            site_id=server.room.site_a,
            alarm_id=alarm.id,
            camera_id=camera.id,
            camera_name="Gate",
            start=end - timedelta(seconds=1.96),
            end=end,
            file=name,
            frames=frames,
            size=path.stat().st_size,
            sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
            created_at=end,
        )
        node.store.write(lambda uow: uow.clips.add(stored), Scope.system())
        return stored
    finally:
        node.close()


def _set_local(page: Any, selector: str, at: datetime) -> None:
    """Fill a datetime-local input with a UTC instant in the browser's own zone, to the second."""
    page.eval_on_selector(
        selector,
        """(input, iso) => {
            const d = new Date(iso);
            input.value = new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 19);
        }""",
        at.isoformat(),
    )


def _declare_view(page: Any, clip: Clip) -> None:
    """The operator's console declares a playback of the clip, for an incident investigation."""
    status = page.evaluate(
        """async ([camera, start, end]) => {
            const token = document.querySelector('meta[name="csrf-token"]').content;
            const r = await fetch(`/api/v1/cameras/${camera}/views`, {
                method: "POST", credentials: "same-origin",
                headers: {"Content-Type": "application/json", "X-CSRF-Token": token},
                body: JSON.stringify({mode: "playback", start, end, reason_kind: "incident_investigation"})});
            return r.status;
        }""",
        [str(clip.camera_id), clip.start.isoformat(), clip.end.isoformat()],
    )
    assert status == 201


def _operator_has_no_export_control(browser: Any, server: Server, clip: Clip) -> None:
    """Alice (operator) views the clip (declared), has no link to the screen, and the screen refuses her."""
    operator = log_in(browser, server, "alice")
    assert operator.locator('[data-testid="video-register-link"]').count() == 0
    _declare_view(operator, clip)
    operator.goto(f"{server.url}/console/video")
    assert operator.locator('[data-testid="vreg-forbidden"]').is_visible()
    assert operator.locator('[data-testid="vreg-exp-form"], [data-testid="vreg-exp-add"]').count() == 0
    operator.context.close()


def _download_and_verify(page: Any, server: Server, tmp_path: Path) -> None:
    """The export's zip holds its four files, which verify with the node's key."""
    with page.expect_download() as download:
        page.locator('[data-testid="vreg-download"]').first.click()
    saved = tmp_path / "export.zip"
    download.value.save_as(saved)
    with zipfile.ZipFile(io.BytesIO(saved.read_bytes())) as archive:
        names = sorted(Path(n).name for n in archive.namelist())
        archive.extractall(tmp_path / "out")
    assert names == ["clip.mp4", "custody.pdf", "manifest.json", "manifest.sig.json"]
    (folder,) = (tmp_path / "out").iterdir()
    node = bootstrap(server.settings)
    try:
        assert node.verify_export(folder) == []
    finally:
        node.close()


def test_a_supervisor_exports_against_a_requisition_and_the_register_lists_it(
    browser: Any, server: Server, clip: Clip, tmp_path: Path
) -> None:
    """Requisition entered, clip exported against it, zip downloaded and verified, register complete;
    an operator sees neither the link nor any export control."""
    _operator_has_no_export_control(browser, server, clip)
    page = log_in(browser, server, "dominique")
    broken: list[str] = []
    page.on("pageerror", lambda e: broken.append(str(e)))
    page.locator('[data-testid="video-register-link"]').click()
    page.wait_for_url(f"{server.url}/console/video")
    page.wait_for_selector("body[data-vreg-loaded]")
    page.fill('[data-testid="vreg-authority"]', "Police nationale, Valmont")
    page.fill('[data-testid="vreg-reference"]', "PN-2026-118")
    page.fill('[data-testid="vreg-request"]', "Caméra Gate, la nuit du cambriolage")
    page.locator('[data-testid="vreg-reference"]').press("Enter")  # the keyboard submits the form
    page.locator('[data-testid="vreg-requisition"]', has_text="PN-2026-118").wait_for(timeout=20000)
    assert page.locator('[data-testid="vreg-exp-req"] option:checked').inner_text().startswith("PN-2026-118")

    page.select_option('[data-testid="vreg-exp-camera"]', str(clip.camera_id))
    _set_local(page, '[data-testid="vreg-exp-from"]', clip.start - timedelta(seconds=2))
    _set_local(page, '[data-testid="vreg-exp-to"]', clip.end + timedelta(seconds=2))
    page.locator('[data-testid="vreg-exp-add"]').click()
    page.locator('[data-testid="vreg-export"]').wait_for(timeout=60000)
    assert "PN-2026-118" in page.locator('[data-testid="vreg-export"]').inner_text()
    _download_and_verify(page, server, tmp_path)

    page.locator('[data-testid="vreg-show"]').click()
    page.locator('[data-testid="vreg-line"][data-mode="export"]').wait_for(timeout=20000)
    lines = page.locator('[data-testid="vreg-line"]').all_inner_texts()
    assert any("alice" in x and "Enquête sur un incident" in x for x in lines), lines
    assert any("dominique" in x and "PN-2026-118" in x for x in lines), lines
    page.locator('[data-testid="vreg-deliver"]').first.click()
    page.locator('[data-testid="vreg-requisition"] [data-testid="vreg-deliver"]').wait_for(state="detached")
    assert broken == []
    shoot(page, "video-register-fr-1920")
    serious = [v["id"] for v in _axe(page) if v["impact"] in ("serious", "critical")]
    assert serious == []
    page.set_viewport_size({"width": 1280, "height": 720})
    shoot(page, "video-register-fr-1280")
    assert page.evaluate("document.documentElement.scrollWidth <= 1280")
    page.context.close()
