"""Requisitions and signed exports through the CLI in-process, over a real database, a real clip cut from
a real stream and the node's real key: the requisition entered, an export refused without a requisition
or a known user, then made (watermarked clip, custody sheet, manifest signed), verified by `tocsin video
verify-export`, caught when a byte of the clip or of the custody sheet changes; the register lists the
export, the requisition is delivered and the clip kept under its hold."""

from __future__ import annotations

import json
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import av
import pypdfium2 as pdfium
import pytest

from tests.integration.cli_support import tocsin
from tests.integration.helpers import Room, make_room
from tests.integration.test_evidence_pdf import pdf_text
from tocsin.adapters.clock import SystemClock
from tocsin.adapters.store.database import SqlStore
from tocsin.bootstrap import create_signing_key
from tocsin.config import Settings
from tocsin.domain import alarms as a
from tocsin.domain import camera_commands as cc
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope
from tocsin.services import video_clips
from tocsin.services.alarm_rules import raise_technical
from tocsin.simulators.mjpeg import MjpegServer
from tocsin.workers.video import clip, ring
from tocsin.workers.video.recorder import Job, Recorder


def _cut_clip(folder: Path, out: Path) -> clip.CutClip:
    """Three seconds of the test pattern recorded, then cut as H.264."""
    server = MjpegServer().start()
    threading.Thread(
        target=lambda: (time.sleep(3), server.cameras.set_mode("x", "down")), daemon=True
    ).start()
    try:
        Recorder(Job("x", server.url("x"), folder)).run_once()
    finally:
        server.stop()
    first = ring.segments(folder)[0].start_ms
    return clip.cut(folder, first, first + 2000, out)


def check_custody_sheet(folder: Path, manifest: dict[str, Any], reference: str) -> None:
    """The custody sheet's first page is an A4 page with ink, and its text holds the requisition, the
    footage's SHA-256 (as the manifest lists it), the original clip's, the key and the command to verify."""
    pdf = pdfium.PdfDocument((folder / "custody.pdf").read_bytes())
    try:
        image = pdf[0].render(scale=1).to_pil().convert("L")
        text = pdf_text(pdf)
    finally:
        pdf.close()
    assert (abs(image.size[0] - 595), abs(image.size[1] - 842)) <= (1, 1)  # A4 at 72 dpi
    assert sum(image.histogram()[:128]) > 2000, "the first page is (almost) blank"
    squashed = text.replace("\r", "").replace("\n", "")
    (footage,) = [f for f in manifest["files"] if f["name"] == "clip.mp4"]
    assert footage["sha256"] in squashed
    assert manifest["clip"]["original_sha256"] in squashed
    assert reference in text
    assert "tocsin video verify-export" in squashed
    signature = json.loads((folder / "manifest.sig.json").read_text())
    assert signature["key_id"] in squashed
    assert "Delivered by" in text
    assert "Received by" in text


def _a_changed_byte_is_caught(env: dict[str, str], out: Path) -> None:
    """A byte flipped in the footage, then one in the custody sheet: each named by verify-export."""
    data = bytearray((out / "clip.mp4").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (out / "clip.mp4").write_bytes(bytes(data))
    caught = tocsin(env, "video", "verify-export", str(out))
    assert caught.returncode == 1
    assert "clip.mp4: its SHA-256 differs" in caught.stderr
    sheet = bytearray((out / "custody.pdf").read_bytes())
    sheet[len(sheet) // 2] ^= 0x01
    (out / "custody.pdf").write_bytes(bytes(sheet))
    caught = tocsin(env, "video", "verify-export", str(out))
    assert caught.returncode == 1
    assert "custody.pdf: its SHA-256 differs" in caught.stderr


@pytest.fixture
def world(tmp_path: Path, db_url: str) -> tuple[dict[str, str], SqlStore, Room, str]:
    """A room with a user, a camera, an alarm and its clip (file and record), and the node's key."""
    settings = Settings(database_url=db_url, var_dir=tmp_path / "var")
    create_signing_key(settings)
    store = SqlStore(db_url, SystemClock())
    room = make_room(store, ref=f"exp{uuid.uuid4().hex[:8]}")
    scope = Scope.tenant(room.tenant_id)
    username = f"eve{uuid.uuid4().hex[:6]}"
    room.bus.handle(
        c.AddUser(room.tenant_id, username, "Eve Martin", "correct horse battery"), scope=scope, actor="t"
    )
    room.bus.handle(cc.AddCamera(room.site_a, {"name": "Gate"}), scope=scope, actor="t")
    happening = a.Happening(store.clock.now(), "intrusion", "", "1", "Burglary", "Cambriolage")
    store.write(lambda uow: raise_technical(uow, room.tenant_id, room.site_a, happening), Scope.system())
    job = store.read(lambda uow: video_clips.pending(uow, 3600), Scope.system())[0]
    name = f"{job.alarm_id}/{job.camera_id}.mp4"
    done = _cut_clip(tmp_path / "ring", tmp_path / "var" / "video" / "clips" / name)
    store.write(
        lambda uow: video_clips.attach(
            uow,
            job,
            file=name,
            first=video_clips.at_ms(done.first_ms),
            last=video_clips.at_ms(done.last_ms),
            frames=done.frames,
            size=done.size,
            sha256=done.sha256,
        ),
        Scope.system(),
    )
    env = {"TOCSIN_DATABASE_URL": db_url, "TOCSIN_VAR_DIR": str(tmp_path / "var")}
    yield env, store, room, username
    store.close()


def test_a_clip_is_exported_for_a_requisition_signed_and_verified(
    world: tuple[dict[str, str], SqlStore, Room, str], tmp_path: Path
) -> None:
    """The whole story of an export, and a changed byte caught by the verification."""
    env, store, room, username = world
    ref = store.read(lambda uow: uow.tenants.get(room.tenant_id).ref, Scope.system())
    reference = f"PN-{uuid.uuid4().hex[:6]}"
    tenant = ("--tenant", ref)
    added = tocsin(
        env,
        "video",
        "requisition",
        "add",
        "--authority",
        "Police nationale, Valmont",
        "--reference",
        reference,
        "--received",
        "2026-12-01T08:00:00Z",
        "--request",
        "Gate camera",
        *tenant,
        "--json",
    )
    assert added.returncode == 0, added.stderr
    clip_row = store.read(lambda uow: uow.clips.find(site_id=room.site_a)[0], Scope.system())
    out = tmp_path / "export"
    args = ("video", "export", str(clip_row.id), "--out", str(out), *tenant)
    unknown = tocsin(env, *args, "--requisition", "NOPE-1", "--user", username)
    assert unknown.returncode == 2
    assert "No requisition 'NOPE-1'" in unknown.stderr
    nobody = tocsin(env, *args, "--requisition", reference, "--user", "nobody-here")
    assert "No active user" in nobody.stderr
    assert not out.exists() or not any(out.iterdir())
    done = tocsin(env, *args, "--requisition", reference, "--user", username)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "clip.mp4",
        "custody.pdf",
        "manifest.json",
        "manifest.sig.json",
    ]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["exported_by"]["username"] == username
    assert manifest["clip"]["original_sha256"] == clip_row.sha256
    assert [f["name"] for f in manifest["files"]] == ["clip.mp4", "custody.pdf"]
    check_custody_sheet(out, manifest, reference)
    with av.open(str(out / "clip.mp4")) as container:
        frame = next(iter(container.decode(video=0)))
        band = frame.to_image().convert("L").crop((0, frame.height - 26, 200, frame.height))  # type: ignore[no-untyped-call]
        darkest, brightest = band.getextrema()
        assert darkest < 20  # the watermark: white text on its black box
        assert brightest > 230
    verified = tocsin(env, "video", "verify-export", str(out))
    assert verified.returncode == 0, verified.stderr
    assert "Export verified" in verified.stdout
    _a_changed_byte_is_caught(env, out)
    since, until = (store.clock.now() + timedelta(days=d) for d in (-1, 1))
    register = tocsin(
        env, "video", "register", "--from", since.isoformat(), "--to", until.isoformat(), *tenant, "--json"
    )
    exports = [line for line in json.loads(register.stdout) if line["mode"] == "export"]
    assert [(x["user"], x["camera"]) for x in exports] == [(username, "Gate")]
    assert reference in exports[0]["reason"]
    listed = json.loads(tocsin(env, "video", "requisition", "list", *tenant, "--json").stdout)
    assert [r["delivered_at"] is not None for r in listed if r["reference"] == reference] == [True]
    held = store.read(lambda uow: uow.clips.get(clip_row.id), Scope.system())
    assert held is not None
    assert held.hold == reference
    twice = tocsin(
        env,
        "video",
        "requisition",
        "add",
        "--authority",
        "X",
        "--reference",
        reference,
        "--received",
        "2026-12-01",
        *tenant,
    )
    assert twice.returncode != 0
    assert "already in the register" in twice.stderr


def test_an_export_into_a_folder_that_is_not_empty_is_refused(
    world: tuple[dict[str, str], SqlStore, Room, str], tmp_path: Path
) -> None:
    """Nothing is overwritten: a folder with files in it is refused in one line."""
    env, store, _room, username = world
    out = tmp_path / "busy"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    clip_row = store.read(lambda uow: uow.clips.find()[0], Scope.system())
    refused = tocsin(
        env, "video", "export", str(clip_row.id), "--out", str(out), "--requisition", "X", "--user", username
    )
    assert refused.returncode == 2
    assert "is not empty" in refused.stderr
    assert (out / "keep.txt").read_text() == "mine"
