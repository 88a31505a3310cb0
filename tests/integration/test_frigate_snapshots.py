"""A Frigate detection's snapshot kept with its alarm, over the real local Mosquitto and a stand-in for
Frigate's web address: the listener fetches the JPEG once, keeps it beside the alarm's clips and
attaches it (a clip of kind ``snapshot`` and a ``snapshot.attached`` entry); the picture route answers
the same bytes to an operator of the site, 404 to an operator of another site and to another tenant,
403 to a client. An answer that is not a JPEG, or too large, is refused: a ``snapshot.failed`` entry
and nothing attached. On PostgreSQL when TOCSIN_TEST_POSTGRES_URL is set; skipped without a broker
outside CI."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import os
import socket
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import aiomqtt
import pytest
from PIL import Image

from tests.conftest import POSTGRES_ENV
from tests.integration.api_support import PASSWORD, Stack, make_stack
from tests.integration.helpers import make_room
from tocsin.domain import camera_commands as cc
from tocsin.domain import commands as c
from tocsin.domain.clips import Clip
from tocsin.domain.scope import Scope
from tocsin.protocols.frigate import MAX_SNAPSHOT
from tocsin.receivers.frigate import FrigateListener
from tocsin.services import video_clips
from tocsin.services.signal_processing import SiteClients, process_pending

BROKER = os.environ.get("TOCSIN_TEST_MQTT_HOST", "127.0.0.1")
WAIT = 30.0


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(out, "JPEG")
    return out.getvalue()


JPEG = _jpeg()
ANSWERS: dict[str, tuple[str, bytes]] = {
    "ok": ("image/jpeg", JPEG),
    "html": ("text/html", b"<html>login</html>"),
    "big": ("image/jpeg", b"\xff\xd8\xff" + b"\0" * MAX_SNAPSHOT),
}


class _Frigate(BaseHTTPRequestHandler):
    """Frigate's snapshots: the event id's first word says what to answer (ok, html, big)."""

    def do_GET(self) -> None:
        parts = self.path.split("/")  # /api/events/<id>/snapshot.jpg
        wanted = len(parts) == 5 and parts[4] == "snapshot.jpg"
        answer = ANSWERS.get(parts[3].split("-")[0]) if wanted else None
        if answer is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", answer[0])
        self.send_header("Content-Length", str(len(answer[1])))
        self.end_headers()
        self.wfile.write(answer[1])

    def log_message(self, *_args: Any) -> None:
        return


@pytest.fixture(scope="module")
def frigate_web() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Frigate)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def stack(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The app (PostgreSQL when asked, else SQLite), a camera Frigate calls ``gate`` on site B, and an
    admin of another tenant; skipped without a broker (failed in CI)."""
    try:
        socket.create_connection((BROKER, 1883), timeout=1).close()
    except OSError:
        if os.environ.get("CI"):
            pytest.fail(f"No MQTT broker on {BROKER}:1883: Frigate tests cannot be skipped in CI.")
        pytest.skip(f"Frigate tests need an MQTT broker on {BROKER}:1883")
    url = request.getfixturevalue("postgres_url") if os.environ.get(POSTGRES_ENV) else None
    for built in make_stack(tmp_path_factory.mktemp("frigate-snapshots"), url):
        scope = Scope.tenant(built.room.tenant_id)
        command = cc.AddCamera(built.room.site_b, {"name": "Gate", "frigate_name": "gate"})
        built.node.messagebus.handle(command, scope=scope, actor="test")
        built.add_user("site-a", "operator", site_ids=(built.room.site_a,))
        other = make_room(built.node.store)
        bus, theirs = built.node.messagebus, Scope.tenant(other.tenant_id)
        user = bus.handle(c.AddUser(other.tenant_id, "admin-two", "Two", PASSWORD), scope=theirs, actor="t")
        bus.handle(c.GrantRole(user.id, "admin"), scope=theirs, actor="t")
        yield built


def _event(event_id: str) -> bytes:
    after = {"id": event_id, "camera": "gate", "label": "person", "score": 0.9, "false_positive": False}
    after |= {"start_time": 1607123955.47, "end_time": None, "entered_zones": [], "has_snapshot": True}
    return json.dumps({"type": "new", "before": after, "after": after}).encode()


def _detect(stack: Stack, frigate_web: str, event_id: str, done: str) -> None:
    """Publish a person on ``gate``, raise its alarm, and wait until the logbook holds a ``done`` entry."""
    store = stack.node.store
    prefix = f"frigate-{uuid.uuid4().hex[:8]}"
    folder = Path(stack.node.settings.var_dir) / "video" / "clips"
    listener = FrigateListener(store, f"mqtt://{BROKER}:1883", prefix, frigate_web, snapshots=folder)
    before = len(stack.entries(done))

    def raise_alarms(uow: Any) -> int:
        return process_pending(uow, SiteClients(store.clock))

    async def exchange() -> None:
        task = asyncio.create_task(listener.run())
        try:
            async with aiomqtt.Client(BROKER, 1883) as client, asyncio.timeout(WAIT):
                while listener.handled == 0:  # subscribed once a harmless status comes back
                    await client.publish(f"{prefix}/probe/status/detect", b"online")
                    await asyncio.sleep(0.1)
                await client.publish(f"{prefix}/events", _event(event_id))
                while len(await asyncio.to_thread(stack.entries, done)) == before:
                    await asyncio.to_thread(store.write, raise_alarms, Scope.system())
                    await asyncio.sleep(0.2)
        finally:
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task

    asyncio.run(exchange())


def _snapshots(stack: Stack) -> list[Clip]:
    found = stack.node.store.read(lambda uow: uow.clips.find(kind="snapshot"), Scope.system())
    return [clip for clip in found if clip.site_id == stack.room.site_b]


def test_a_detections_snapshot_is_kept_attached_and_served_in_scope(stack: Stack, frigate_web: str) -> None:
    """The JPEG is kept once, attached with its entry; the picture route answers its bytes in scope only."""
    _detect(stack, frigate_web, f"ok-{uuid.uuid4().hex[:6]}", "snapshot.attached")
    [kept] = _snapshots(stack)
    assert kept.sha256 == hashlib.sha256(JPEG).hexdigest()
    assert kept.size == len(JPEG)
    [entry] = stack.entries("snapshot.attached")
    assert entry["clip_id"] == str(kept.id)
    assert entry["source"] == "Frigate"
    operator = stack.session("site-b")
    listed = operator.get(f"/api/v1/alarms/{kept.alarm_id}/clips").json()
    [shown] = [x for x in listed if x["kind"] == "snapshot"]
    assert shown["url"] == f"/api/v1/clips/{kept.id}/picture"
    picture = operator.get(shown["url"])
    assert picture.status_code == 200
    assert picture.headers["content-type"] == "image/jpeg"
    assert picture.content == JPEG
    assert operator.get(f"/api/v1/clips/{kept.id}/video").status_code == 404  # a picture, not footage
    assert stack.session("site-a").get(shown["url"]).status_code == 404
    assert stack.session("admin-two").get(shown["url"]).status_code == 404
    assert stack.session("client-a").get(shown["url"]).status_code == 403
    jobs = stack.node.store.read(lambda uow: video_clips.pending(uow, 3600), Scope.system())
    assert (kept.alarm_id, kept.camera_id) in {(j.alarm_id, j.camera_id) for j in jobs}  # its clip still due


@pytest.mark.parametrize(("word", "problem"), [("html", "not image/jpeg"), ("big", "larger than")])
def test_an_answer_that_is_not_a_jpeg_or_too_large_is_refused_and_recorded(
    stack: Stack, frigate_web: str, word: str, problem: str
) -> None:
    """A refused snapshot is a snapshot.failed entry on the alarm, naming why; nothing is attached."""
    kept = _snapshots(stack)
    before = len(stack.entries("snapshot.failed"))
    _detect(stack, frigate_web, f"{word}-{uuid.uuid4().hex[:6]}", "snapshot.failed")
    entries = stack.entries("snapshot.failed")
    assert len(entries) == before + 1
    assert problem in str(entries[-1]["problem"])
    assert _snapshots(stack) == kept
