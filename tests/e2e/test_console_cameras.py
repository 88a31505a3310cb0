"""The alarm view's site map shows the site's cameras: a marker for each placed camera and a wedge for
its field of view, drawn by site-cameras.js from GET /api/v1/sites/{id}/cameras."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import Server, _free_port, _prepare, log_in
from tocsin.bootstrap import bootstrap
from tocsin.domain import camera_commands as cc
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope

ACCOUNT_M = "1290"  # the transmitter of the mapped site


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
    finally:
        node.close()
    port = _free_port()
    running = Server(f"http://127.0.0.1:{port}", room, settings, port, _free_port(), tmp)
    running.start()
    yield running
    running.stop()


def test_the_alarm_map_shows_the_sites_cameras_and_their_fields_of_view(browser: Any, server: Server) -> None:
    """Two placed cameras are two markers, the one with a view has a wedge; names are text, not HTML."""
    page = log_in(browser, server, "alice")
    page.keyboard.press("q")
    server.send_frame("1130 01 001", account=ACCOUNT_M)
    page.locator('[data-testid="alarm-row"]').first.wait_for(timeout=10000)
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    page.locator("path.site-camera").nth(1).wait_for(timeout=10000)
    assert page.locator("path.site-camera").count() == 2
    assert page.locator("path.site-camera-view").count() == 1
    page.locator("path.site-camera").first.hover(force=True)
    page.get_by_role("tooltip", name="Camera Gate <b>").wait_for(timeout=5000)  # the name, as text
    assert page.locator(".leaflet-tooltip b").count() == 0
