"""An event's debrief in Chromium against a real `tocsin serve`: from the closed event's file, D opens the
replay; → steps through it and the unit's marker moves to each reported position with its status shown;
a click on a step jumps there; Space plays and pauses; Esc goes back; axe-core finds nothing serious; at
1280x720 and 1920x1080 the map, the controls and the steps all show."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.e2e.conftest import Server, log_in, shoot
from tests.e2e.test_console import _axe
from tocsin.bootstrap import bootstrap
from tocsin.domain import incidents as i
from tocsin.domain import partner_commands as pc
from tocsin.domain import units as u
from tocsin.domain.scope import Scope
from tocsin.testing import FakeClock

PLACE = i.Place(48.8566, 2.3522, "4 rue de la Debrief")
HOME, HALFWAY, SCENE = (48.8600, 2.3450), (48.8580, 2.3490), (48.8568, 2.3518)
MARKER = '[data-testid="debrief-unit-marker"]'
CURRENT = '[data-testid="debrief-step"][aria-current="step"]'


@pytest.fixture(scope="module")
def event(server: Server) -> str:
    """The story below, written once for the module's tests."""
    return _story(server)


def _story(server: Server) -> str:
    """An hour ago: an accident; Echo 1 engaged at 20 s, acknowledged, en route at 60 s, reports its
    position at 120 s and 180 s, on scene at 200 s, available at 400 s; closed with its report at 420 s."""
    clock = FakeClock(datetime.now(UTC) - timedelta(hours=1))
    node = bootstrap(server.settings, clock=clock)
    try:
        tenant = server.room.tenant_id
        scope = Scope.tenant(tenant)

        def do(command: Any) -> Any:
            return node.messagebus.handle(command, scope=scope, actor="e2e")

        event = do(i.CreateIncident(tenant, "ROAD_ACCIDENT", PLACE, by="Alice")).incident
        unit = do(u.CreateUnit(tenant, "Echo 1", "ambulance", latitude=HOME[0], longitude=HOME[1]))
        start = clock.now()
        for seconds, command in (
            (20, u.EngageUnits(event.id, (unit.id,), "Alice")),
            (40, u.ChangeUnitStatus(unit.id, "acknowledged", "Echo 1")),
            (60, u.ChangeUnitStatus(unit.id, "en_route", "Echo 1")),
            (120, u.MoveUnit(unit.id, *HALFWAY, "Echo 1")),
            (180, u.MoveUnit(unit.id, *SCENE, "Echo 1")),
            (200, u.ChangeUnitStatus(unit.id, "on_scene", "Echo 1")),
            (400, u.ChangeUnitStatus(unit.id, "available", "Echo 1")),
            (420, pc.CloseWithReport(event.id, ("handled",), "Patient taken in charge.", "Alice")),
        ):
            clock.set(start + timedelta(seconds=seconds))
            do(command)
    finally:
        node.close()
    return str(event.id)


def _marker(page: Any) -> dict[str, Any]:
    element = page.locator(MARKER)
    box = element.bounding_box()
    assert box is not None
    return {
        "status": element.get_attribute("data-status"),
        "latitude": float(element.get_attribute("data-latitude") or "nan"),
        "x": box["x"],
        "y": box["y"],
    }


def _moved_from(page: Any, before: dict[str, Any]) -> dict[str, Any]:
    """The marker once it has left where it was (a short CSS transition: the box follows within 0.4 s)."""
    for _ in range(30):
        now = _marker(page)
        if (now["x"], now["y"]) != (before["x"], before["y"]):
            return now
        page.wait_for_timeout(100)
    raise AssertionError("the unit's marker did not move on the map")


def _all_in_view(page: Any, height: int) -> None:
    """The map, the controls, the units, the steps' list and the key hints all show, none cut off."""
    for testid in ("debrief-map", "debrief-slider", "debrief-play", "debrief-steps", "debrief-units"):
        box = page.locator(f'[data-testid="{testid}"]').bounding_box()
        assert box is not None, testid
        assert box["height"] > 10, testid
        assert box["y"] + box["height"] <= height + 1, testid
    hints = page.locator(".debrief-keys").bounding_box()
    assert hints is not None
    assert hints["y"] + hints["height"] <= height + 1


def _step_until(page: Any, kind: str, nth: int = 1) -> None:
    """Press → until the current step is the ``nth`` of this kind."""
    for _ in range(40):
        current = page.locator(CURRENT)
        index = int(current.get_attribute("data-index") or "0")
        kinds = page.locator('[data-testid="debrief-step"]').evaluate_all(
            "(xs) => xs.map((x) => x.dataset.kind)"
        )
        if kinds[index] == kind and kinds[: index + 1].count(kind) == nth:
            return
        page.keyboard.press("ArrowRight")
        page.locator(f'{CURRENT}[data-index="{index + 1}"]').wait_for(timeout=10000)
    raise AssertionError(f"no step {kind} #{nth}")


def test_the_debrief_replays_the_unit_moving_and_its_statuses(
    browser: Any, server: Server, event: str
) -> None:
    """D on the closed event's file opens the debrief; stepping with → shows Echo 1 alerted at home, then
    en route halfway (the marker moved), then on scene; a click on a step jumps; Space plays then
    pauses; axe-core is clean; Esc returns to the console."""
    page = log_in(browser, server, "alice", size=(1280, 720))
    page.evaluate(f"window.TocsinEventBoard.open('{event}')")
    page.locator('[data-testid="event-debrief"]').wait_for(timeout=20000)
    page.evaluate("document.activeElement?.blur()")
    page.keyboard.press("d")
    page.wait_for_url(f"{server.url}/console/events/{event}/debrief")
    page.wait_for_selector('main.debrief[data-ready="yes"]', timeout=20000)
    assert "4 rue de la Debrief" in page.inner_text('[data-testid="debrief-event"]')
    assert page.locator(CURRENT).get_attribute("data-kind") == "incident.opened"
    assert page.locator(MARKER).count() == 0  # no unit engaged at the call
    assert page.locator('[data-testid="debrief-event-marker"]').count() == 1

    _step_until(page, "unit.engaged")
    alerted = _marker(page)
    assert (alerted["status"], alerted["latitude"]) == ("alerted", HOME[0])
    row = page.locator('[data-testid="debrief-unit-row"]')
    assert "Alerted" in row.inner_text()
    assert page.inner_text('[data-testid="debrief-clock"]') == "+0:00:20"

    _step_until(page, "unit.position")
    halfway = _moved_from(page, alerted)
    assert (halfway["status"], halfway["latitude"]) == ("en_route", HALFWAY[0])
    assert "En route" in row.inner_text()
    assert f"{HALFWAY[0]:.5f}" in row.inner_text()
    shoot(page, "debrief-1280x720")
    _all_in_view(page, 720)

    page.locator('[data-testid="debrief-step"][data-kind="unit.status"]').last.click()  # available
    page.locator(f'{MARKER}[data-status="available"]').wait_for(timeout=10000)
    assert (_marker(page)["latitude"]) == SCENE[0]
    assert "released" in row.inner_text()
    page.locator('[data-testid="debrief-step"][data-kind="unit.status"]').nth(2).click()  # on scene
    page.locator(f'{MARKER}[data-status="on_scene"]').wait_for(timeout=10000)
    assert page.locator(CURRENT).inner_text().startswith("+0:03:20")

    page.locator('[data-testid="debrief-speed-60"]').check()
    page.evaluate("document.activeElement?.blur()")
    page.keyboard.press(" ")
    assert page.locator('[data-testid="debrief-play"]').get_attribute("aria-pressed") == "true"
    page.locator(f'{MARKER}[data-status="available"]').wait_for(timeout=15000)
    page.locator('[data-testid="debrief-play"][aria-pressed="false"]').wait_for(timeout=15000)
    assert page.inner_text('[data-testid="debrief-clock"]') == "+0:07:00"  # played to the close, stopped
    assert page.locator(CURRENT).get_attribute("data-kind").startswith("incident.")

    serious = [v["id"] for v in _axe(page) if v["impact"] in ("serious", "critical")]
    assert serious == []
    page.set_viewport_size({"width": 1920, "height": 1080})
    shoot(page, "debrief-1920x1080")
    _all_in_view(page, 1080)
    page.keyboard.press("Escape")
    page.wait_for_url(f"{server.url}/console")


def test_the_debrief_speaks_french(browser: Any, server: Server, event: str) -> None:
    """A French-speaking supervisor reads the same debrief in French: title, controls, units, steps."""
    page = log_in(browser, server, "dominique", size=(1280, 720))
    page.goto(f"{server.url}/console/events/{event}/debrief")
    page.wait_for_selector('main.debrief[data-ready="yes"]', timeout=20000)
    assert page.inner_text("h1") == "Débriefing"
    assert page.inner_text('[data-testid="debrief-play"]').startswith("Lecture")
    page.keyboard.press("ArrowRight")
    page.locator(f'{CURRENT}[data-index="1"]').wait_for(timeout=10000)
    assert "Moyen Echo 1 engagé" in page.inner_text(CURRENT)
    assert "Alerté" in page.inner_text('[data-testid="debrief-unit-row"]')
    shoot(page, "debrief-fr-1280x720")
