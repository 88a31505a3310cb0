"""A unit's day on an event, in two Chromium browsers against a real `tocsin serve`: the room engages
the unit from the event's file, the crew acknowledges on its mobile page, goes en route, on scene,
shares its position, reads the room's note, sends a situation update, becomes available; the room's
board shows each status live; the event then closes; the logbook verifies."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import Server, log_in, shoot
from tests.e2e.test_console_events import _api
from tests.integration.cli_support import tocsin
from tocsin.bootstrap import bootstrap
from tocsin.domain import units as u
from tocsin.domain.scope import Scope

PLACE = {"latitude": 48.8566, "longitude": 2.3522, "address": "12 quai de la Gare"}
ROWS = '[data-testid="event-rows"] tr'
CHIP = '[data-testid="unit-chip"]'


def _crew_unit(server: Server) -> str:
    """Unit "Ambulance 9", linked to victor's login (the crew's page reports for it)."""
    node = bootstrap(server.settings)
    try:
        scope = Scope.tenant(server.room.tenant_id)
        victor = node.store.read(lambda uow: uow.users.find(username="victor")[0], scope)
        command = u.CreateUnit(
            server.room.tenant_id,
            "Ambulance 9",
            "ambulance",
            crew=3,
            equipment=("defibrillator",),
            user_id=victor.id,
        )
        unit = node.messagebus.handle(command, scope=scope, actor="e2e")
    finally:
        node.close()
    return str(unit.id)


def _chip_status(page: Any, status: str) -> None:
    page.locator(f'{ROWS} {CHIP}[data-status="{status}"]', has_text="Ambulance 9").wait_for(timeout=20000)


def test_the_room_engages_a_unit_and_follows_its_statuses_from_the_crew_s_phone(
    browser: Any, server: Server
) -> None:
    """Engage from the event's file: the crew's page shows the assignment and offers acknowledge; each
    status it sends appears on the room's board live; available releases it and the event closes."""
    _crew_unit(server)
    alice = log_in(browser, server, "alice")
    event = _api(server, alice, "POST", "/events", {"type_code": "UNWELL_PERSON", **PLACE})["event"]
    alice.locator(ROWS, has_text="12 quai de la Gare").click()
    alice.locator('[data-testid="engage-unit"]').select_option(label="Ambulance 9 (ambulance, Available)")
    alice.locator('[data-testid="engage-button"]').click()
    _chip_status(alice, "alerted")

    here = {"latitude": 48.8571, "longitude": 2.3526}
    crew = log_in(
        browser,
        server,
        "victor",
        live=False,
        size=(412, 915),
        has_touch=True,
        is_mobile=True,
        geolocation=here,
        permissions=["geolocation"],
    )
    crew.goto(f"{server.url}/unit")
    crew.locator('[data-testid="unit-live"][data-state="on"]').wait_for(timeout=20000)  # its own feed
    crew.locator('[data-testid="assignment-address"]', has_text="12 quai de la Gare").wait_for(timeout=20000)
    assert crew.locator('[data-testid="unit-callsign"]').text_content() == "Ambulance 9"
    assert crew.locator('[data-testid="status-on_scene"]').is_disabled()  # not legal from alerted
    box = crew.locator('[data-testid="status-acknowledged"]').bounding_box()
    assert box is not None
    assert box["height"] >= 56  # large enough for a gloved thumb
    for status in ("acknowledged", "en_route", "on_scene"):
        crew.locator(f'[data-testid="status-{status}"]').click()
        crew.locator(f'[data-testid="unit-status"][data-status="{status}"]').wait_for(timeout=20000)
        _chip_status(alice, status)
    shoot(crew, "unit-mobile-on-scene")
    shoot(alice, "event-board-units")
    crew.locator('[data-testid="share-position"]').click()
    crew.locator('[data-testid="unit-note"]', has_text="Position shared").wait_for(timeout=20000)
    units = alice.evaluate("fetch('/api/v1/units').then((r) => r.json())")
    mine = next(x for x in units if x["callsign"] == "Ambulance 9")
    assert (mine["latitude"], mine["longitude"]) == (here["latitude"], here["longitude"])  # no roads here
    _api(server, alice, "POST", f"/events/{event['id']}/notes", {"text": "Second floor, door code 4512"})
    crew.locator('[data-testid="unit-notes"] li', has_text="door code 4512").wait_for(timeout=20000)
    crew.locator('[data-testid="report-text"]').fill("Patient conscious, we stay")
    crew.locator('[data-testid="send-situation"]').click()
    crew.locator('[data-testid="unit-notes"] li', has_text="Patient conscious").wait_for(timeout=20000)
    crew.locator('[data-testid="status-available"]').click()
    crew.locator('[data-testid="unit-status"][data-status="available"]').wait_for(timeout=20000)
    alice.locator(f"{ROWS} {CHIP}", has_text="Ambulance 9").wait_for(state="detached", timeout=20000)
    assert crew.locator('[data-testid="assignment-empty"]').is_visible()

    report = {"outcomes": ["handled"], "text": "Patient left with the ambulance crew."}
    _api(server, alice, "PUT", f"/events/{event['id']}/report", report)  # an event closes with its report
    closed = _api(server, alice, "PATCH", f"/events/{event['id']}", {"state": "closed"})
    assert closed["state"] == "closed"
    env = {"TOCSIN_DATABASE_URL": server.settings.database_url, "TOCSIN_VAR_DIR": str(server.tmp)}
    verified = tocsin(env, "logbook", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
