"""The units to send, in the event's file: Chromium against a real `tocsin serve` whose roads are the demo
town's. R on the board opens the ranked units with the proposed ones checked, in the API's order; Space
unchecks, G sends the checked ones to POST /events/{id}/engage (the engagement route comes with the units'
work: whatever it answers, the panel says it)."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import Server, _free_port, _prepare, log_in, shoot
from tocsin.adapters.store import geo_store
from tocsin.bootstrap import bootstrap
from tocsin.demo.plan import DEFAULT_SEED, plan_demo
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope

UNITS = '[data-testid="recommend-row"]'
TOWN = plan_demo(DEFAULT_SEED).town


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The e2e room with the demo town's roads and four patrols on its junctions."""
    tmp = tmp_path_factory.mktemp("recommend")
    settings, room = _prepare(tmp)
    node = bootstrap(settings)

    def load(uow: Any) -> None:
        connection = uow.session.connection()
        geo_store.insert_geo_reference(connection, TOWN.nodes, TOWN.segments, ())
        geo_store.bump_address_revision(connection, node.clock.now())

    try:
        node.store.write(load, Scope.system())
        scope = Scope.tenant(room.tenant_id)
        for n, junction in enumerate((TOWN.nodes[30], TOWN.nodes[150], TOWN.nodes[260], TOWN.nodes[390])):
            command = c.AddUnit(
                room.tenant_id,
                f"PM {n + 1}",
                "police",
                ("intervention",),
                latitude=junction.latitude,
                longitude=junction.longitude,
            )
            node.messagebus.handle(command, scope=scope, actor="e2e")
    finally:
        node.close()
    port = _free_port()
    running = Server(f"http://127.0.0.1:{port}", room, settings, port, _free_port(), tmp)
    running.start()
    yield running
    running.stop()


def _call(server: Server, page: Any, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    request = urllib.request.Request(  # noqa: S310 - loopback server of this test
        f"{server.url}/api/v1{path}",
        data=None if body is None else json.dumps(body).encode(),
        headers={
            "Content-Type": "application/json",
            "X-CSRF-Token": token,
            "Cookie": f"tocsin_session={cookies['tocsin_session']}",
        },
        method=method,
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
        return json.load(response)


def test_r_shows_the_ranked_units_and_g_engages_the_checked_ones(browser: Any, server: Server) -> None:
    """A fight (2 patrols): R lists the four patrols in the API's order, the two proposed checked;
    Space on the first unchecks it; G posts the one left to the engagement route, and the panel says
    what came of it; the live entries that follow (the engage's, a note) redraw the file around the
    panel, whose status line and focus stay."""
    alice = log_in(browser, server, "alice")
    target = TOWN.nodes[200]
    place = {"latitude": target.latitude, "longitude": target.longitude, "address": "Junction 200"}
    event = _call(server, alice, "POST", "/events", {"type_code": "FIGHT", **place})["event"]
    expected = _call(server, alice, "GET", f"/events/{event['id']}/recommendation")
    assert expected["method"] == "road"
    alice.locator('[data-testid="event-rows"] tr', has_text="Fight").wait_for(timeout=20000)
    alice.keyboard.press("b")
    alice.keyboard.press("r")
    alice.locator(UNITS).nth(3).wait_for(timeout=20000)
    rows = alice.locator(UNITS)
    assert [rows.nth(k).get_attribute("data-unit-id") for k in range(4)] == [
        u["unit_id"] for u in expected["units"]
    ]
    checked = [rows.nth(k).locator("input").is_checked() for k in range(4)]
    assert checked == [u["unit_id"] in expected["proposed"] for u in expected["units"]]
    assert sum(checked) == 2
    assert expected["units"][0]["reason"] in (rows.nth(0).text_content() or "")
    shoot(alice, "recommendation-1920x1080")
    alice.keyboard.press(" ")  # the first (fastest) unchecked: the operator keeps the second
    assert not rows.nth(0).locator("input").is_checked()
    with alice.expect_request(lambda r: r.url.endswith(f"/events/{event['id']}/engage")) as sent:
        alice.keyboard.press("g")
    assert json.loads(sent.value.post_data or "{}") == {"unit_ids": [expected["proposed"][1]]}
    alice.locator('[data-testid="recommendation"] .recommend-status', has_text="ngaged").wait_for(
        timeout=10000
    )
    engaged = next(u["callsign"] for u in expected["units"] if u["unit_id"] == expected["proposed"][1])
    alice.locator('[data-testid="event-units-panel"]', has_text=engaged).wait_for(timeout=20000)
    # another live entry about the event, after the engage's: the file follows it, the panel keeps its word
    _call(server, alice, "POST", f"/events/{event['id']}/notes", {"text": "Crowd of ten, one injured"})
    alice.locator('[data-testid="event-timeline"] li', has_text="Crowd of ten").wait_for(timeout=20000)
    status = alice.locator('[data-testid="recommendation"] .recommend-status')
    assert "ngaged" in (status.text_content() or "")
    assert alice.evaluate("!!document.activeElement.closest('[data-testid=\"recommendation\"]')")
