"""An event's partners and closure in the console, as an operator works it: Chromium against a real
`tocsin serve`. The file shows the partner the matrix suggests; one click sends the message from its
template; the partner's reference is recorded; closing without a report is refused on screen; with the
outcome ticked and the report written, the event closes and leaves the board."""

from __future__ import annotations

import urllib.request
from typing import Any

import pytest

from tests.e2e.conftest import Server, log_in, shoot
from tests.e2e.test_console_events import PLACE, ROWS, _api
from tocsin.bootstrap import bootstrap
from tocsin.domain import commands as c
from tocsin.domain import partner_commands as pc
from tocsin.domain.scope import Scope

TEMPLATE = {
    "code": "samu",
    "name": "SAMU",
    "text": "{type_code} {priority} at {address}, caller {caller_phone}",
}


@pytest.fixture(scope="module")
def with_matrix(server: Server) -> Server:
    """The room's SAMU, and a matrix telling it of every medical event by phone."""
    node = bootstrap(server.settings)
    try:
        scope = Scope.tenant(server.room.tenant_id)
        bus = node.messagebus
        samu = bus.handle(
            c.AddPartner(server.room.tenant_id, "SAMU 41", "samu", ("15",)), scope=scope, actor="e2e"
        )
        rule = {
            "category": "medical",
            "partner_id": str(samu.id),
            "channel": "phone",
            "template_code": "samu",
        }
        bus.handle(pc.SetMatrix(server.room.tenant_id, (rule,), (TEMPLATE,), "e2e"), scope=scope, actor="e2e")
    finally:
        node.close()
    return server


def test_a_partner_is_told_acknowledges_and_the_event_closes_with_its_report(
    browser: Any, with_matrix: Server
) -> None:
    """Suggested, sent in one click, acknowledged with a reference, refused without a report, closed."""
    server = with_matrix
    alice = log_in(browser, server, "alice")
    body = {"type_code": "CARDIAC_ARREST", **PLACE, "caller_phone": "0612345678"}
    event = _api(server, alice, "POST", "/events", body)["event"]
    alice.locator(ROWS, has_text="Cardiac arrest").click()
    panel = alice.locator('[data-testid="event-partners"]')
    suggestion = panel.locator('[data-testid="ep-suggestions"] li', has_text="SAMU 41")
    suggestion.wait_for(timeout=20000)
    suggestion.locator('[data-testid="ep-suggestion-send"]').click()
    sent = panel.locator('[data-testid="ep-requests"] li', has_text="CARDIAC_ARREST P1")
    sent.wait_for(timeout=20000)
    assert "caller 0612345678" in (sent.text_content() or "")
    sent.locator('[data-testid="ep-ack-reference"]').fill("SAMU-41-0042")
    sent.locator('[data-testid="ep-ack"]').click()
    panel.locator('[data-testid="ep-requests"] li', has_text="SAMU-41-0042").wait_for(timeout=20000)
    panel.locator('[data-testid="ep-suggestions"] li', has_text="✓").wait_for(timeout=20000)

    panel.locator('[data-testid="ep-close"]').click()
    panel.locator(".ep-status.is-bad").wait_for(timeout=20000)
    assert alice.locator(ROWS, has_text="Cardiac arrest").count() == 1
    panel.locator('[data-testid="ep-outcomes"] input[value="transported"]').check()
    panel.locator('[data-testid="ep-report-text"]').fill("Taken to Valmont hospital by the SMUR.")
    shoot(alice, "event-partners-1920x1080")
    panel.locator('[data-testid="ep-close"]').click()
    alice.locator(ROWS, has_text="Cardiac arrest").wait_for(state="detached", timeout=20000)
    href = panel.locator('[data-testid="ep-sheet"]').get_attribute("href")
    assert href == f"/api/v1/events/{event['id']}/sheet.pdf"
    cookies = {x["name"]: x["value"] for x in alice.context.cookies()}
    request = urllib.request.Request(  # noqa: S310 - loopback server of this test
        f"{server.url}{href}", headers={"Cookie": f"tocsin_session={cookies['tocsin_session']}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
        assert response.read(5) == b"%PDF-"


def test_the_panel_speaks_french(browser: Any, with_matrix: Server) -> None:
    """A French supervisor reads the panel's headings and outcome codes in French."""
    dominique = log_in(browser, with_matrix, "dominique")
    body = {"type_code": "UNWELL_PERSON", **PLACE, "caller_phone": "0600000001"}
    _api(with_matrix, dominique, "POST", "/events", body)
    dominique.locator(ROWS, has_text="Malaise").first.click()
    panel = dominique.locator('[data-testid="event-partners"]')
    panel.locator('[data-testid="ep-suggestions"] li', has_text="SAMU 41").wait_for(timeout=20000)
    text = panel.text_content() or ""
    for expected in (
        "À prévenir (matrice)",
        "Compte-rendu et clôture",
        "victime transportée",
        "Fiche évènement",
    ):
        assert expected in text, expected


def test_what_is_typed_in_a_partner_form_survives_a_live_unit_entry(
    browser: Any, with_matrix: Server
) -> None:
    """A reference half typed in a request's acknowledgment keeps its text and the focus while a unit is
    engaged on the event (a live unit.* entry redraws the file's units, not the partners' panel)."""
    server = with_matrix
    alice = log_in(browser, server, "alice")
    body = {"type_code": "CARDIAC_ARREST", **PLACE, "address": "7 rue des Typistes", "caller_phone": "0611"}
    event = _api(server, alice, "POST", "/events", body)["event"]
    alice.locator(ROWS, has_text="7 rue des Typistes").click()
    panel = alice.locator('[data-testid="event-partners"]')
    panel.locator('[data-testid="ep-suggestion-send"]').click()
    reference = panel.locator('[data-testid="ep-requests"] [data-testid="ep-ack-reference"]')
    reference.click()
    alice.keyboard.type("SAMU-41-77")
    units = alice.evaluate("fetch('/api/v1/units').then((r) => r.json())")
    victor = next(u for u in units if u["callsign"] == "Victor 7")
    _api(server, alice, "POST", f"/events/{event['id']}/engage", {"unit_ids": [victor["id"]]})
    alice.locator('[data-testid="event-units-panel"] li', has_text="Victor 7").wait_for(timeout=20000)
    assert reference.input_value() == "SAMU-41-77"
    assert alice.evaluate("document.activeElement.dataset.testid") == "ep-ack-reference"
    alice.keyboard.type("1")
    alice.keyboard.press("Enter")
    panel.locator('[data-testid="ep-requests"] li', has_text="SAMU-41-771").wait_for(timeout=20000)
