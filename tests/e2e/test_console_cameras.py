"""The alarm view's site map shows the site's cameras: a marker for each placed camera and a wedge for
its field of view, drawn by site-cameras.js from GET /api/v1/sites/{id}/cameras. And `tocsin serve`,
listening to Frigate, puts a person Frigate publishes on the local broker in the queue."""

from __future__ import annotations

import json
import os
import socket
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from paho.mqtt import publish
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.conftest import Server, _free_port, _prepare, log_in
from tocsin.bootstrap import bootstrap
from tocsin.domain import camera_commands as cc
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope

ACCOUNT_M = "1290"  # the transmitter of the mapped site
FRIGATE_CAMERA = "e2e_entrance"
PREFIX = f"frigate-e2e-{uuid.uuid4().hex[:8]}"  # this run's own topics on the shared broker


def _broker_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 1883), timeout=1):
            return True
    except OSError:
        return False


def _appears(locator: Any, timeout_ms: int) -> bool:
    try:
        locator.wait_for(timeout=timeout_ms)
    except PlaywrightTimeout:
        return False
    return True


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The e2e room plus a site with coordinates, its transmitter and two cameras (one with a view)."""
    tmp = tmp_path_factory.mktemp("e2e-cameras")
    settings, room = _prepare(tmp)
    node = bootstrap(settings)
    try:
        scope = Scope.tenant(room.tenant_id)
        bus = node.messagebus
        site = bus.handle(
            c.CreateSite(room.tenant_id, room.client_a, "SM", "Mapped site", latitude=45.75, longitude=4.85),
            scope=scope,
            actor="e2e",
        )
        bus.handle(c.AddAccount(site.id, ACCOUNT_M), scope=scope, actor="e2e")
        gate = {"name": "Gate <b>", "latitude": 45.7501, "longitude": 4.8501, "bearing": 45.0}
        gate |= {"view_angle": 60.0, "view_range": 40.0}
        bus.handle(cc.AddCamera(site.id, gate), scope=scope, actor="e2e")
        bus.handle(
            cc.AddCamera(site.id, {"name": "Yard", "latitude": 45.7499, "longitude": 4.8499}),
            scope=scope,
            actor="e2e",
        )
        bus.handle(cc.AddCamera(site.id, {"name": "Unplaced"}), scope=scope, actor="e2e")
        entrance = {"name": "Entrance", "frigate_name": FRIGATE_CAMERA}
        bus.handle(cc.AddCamera(room.site_a, entrance), scope=scope, actor="e2e")
    finally:
        node.close()
    port = _free_port()
    running = Server(f"http://127.0.0.1:{port}", room, settings, port, _free_port(), tmp)
    with pytest.MonkeyPatch.context() as env:
        if _broker_up():  # `tocsin serve` listens to Frigate beside the console
            env.setenv("TOCSIN_FRIGATE_MQTT_URL", "mqtt://127.0.0.1:1883")
            env.setenv("TOCSIN_FRIGATE_PREFIX", PREFIX)
            env.setenv("TOCSIN_FRIGATE_URL", "http://frigate.e2e:5000")
        running.start()
    yield running
    running.stop()


def test_the_alarm_map_shows_the_sites_cameras_and_their_fields_of_view(browser: Any, server: Server) -> None:
    """Two placed cameras are two markers, the one with a view has a wedge; names are text, not HTML."""
    page = log_in(browser, server, "alice")
    page.keyboard.press("q")
    server.send_frame("1130 01 001", account=ACCOUNT_M)
    page.locator('[data-testid="alarm-row"]').first.wait_for(timeout=20000)
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    page.locator("path.site-camera").nth(1).wait_for(timeout=20000)
    assert page.locator("path.site-camera").count() == 2
    assert page.locator("path.site-camera-view").count() == 1
    page.locator("path.site-camera").first.hover(force=True)
    page.get_by_role("tooltip", name="Camera Gate <b>").wait_for(timeout=10000)  # the name, as text
    assert page.locator(".leaflet-tooltip b").count() == 0


def test_a_frigate_person_on_the_broker_becomes_an_alarm_in_the_console(browser: Any, server: Server) -> None:
    """`tocsin serve` with TOCSIN_FRIGATE_MQTT_URL: a person Frigate publishes on a linked camera comes
    through the rules into the queue, and the alarm's history names Frigate's detection."""
    if not _broker_up():
        if os.environ.get("CI"):
            pytest.fail("No MQTT broker on 127.0.0.1:1883: the Frigate test cannot be skipped in CI.")
        pytest.skip("the Frigate test needs an MQTT broker on 127.0.0.1:1883")
    page = log_in(browser, server, "bob")
    row = page.locator('[data-testid="alarm-row"]', has=page.locator(".ref", has_text="SA"))
    after = {"id": "1.0-e2e", "camera": FRIGATE_CAMERA, "label": "person", "score": 0.9, "start_time": 1.0}
    event = json.dumps({"type": "new", "before": after, "after": after}).encode()
    for _ in range(20):  # the listener subscribes soon after the server answers: publish until heard
        publish.single(f"{PREFIX}/events", event, hostname="127.0.0.1", port=1883)  # copies join one alarm
        if _appears(row, 1500):
            break
    row.wait_for(timeout=10000)
    assert "Intrusion" in (row.text_content() or "")
