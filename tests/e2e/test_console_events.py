"""The event board as operators live with it: Chromium against a real `tocsin serve`. An event opened by
one operator appears on another's board without reload, most urgent first, its age ticking; a change
moves it, a closed one leaves; the keyboard opens its file and timeline; French words in French."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from tests.e2e.conftest import Server, log_in, shoot

PLACE = {"latitude": 48.8566, "longitude": 2.3522, "address": "12 quai de la Gare"}
ROWS = '[data-testid="event-rows"] tr'


def _api(server: Server, page: Any, method: str, path: str, body: dict[str, Any]) -> Any:
    """A change through the API with the page's session and CSRF token, as another console would."""
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    request = urllib.request.Request(  # noqa: S310 - loopback server of this test
        f"{server.url}/api/v1{path}",
        data=json.dumps(body).encode(),
        headers={
            "Content-Type": "application/json",
            "X-CSRF-Token": token,
            "Cookie": f"tocsin_session={cookies['tocsin_session']}",
        },
        method=method,
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
        return json.load(response)


def test_events_reach_another_operators_board_live_and_open_with_the_keyboard(
    browser: Any, server: Server
) -> None:
    """Bob's new events appear on Alice's board without reload, P1 first; E, ↓ and Enter open a file
    with its timeline; closing one removes it from the board."""
    alice = log_in(browser, server, "alice")
    bob = log_in(browser, server, "bob")
    noise = _api(server, bob, "POST", "/events", {"type_code": "NOISE", **PLACE})["event"]
    alice.locator(ROWS, has_text="Noise nuisance").wait_for(timeout=20000)
    fire = _api(
        server,
        bob,
        "POST",
        "/events",
        {"type_code": "FIRE_BUILDING", **PLACE, "answers": {"people_inside": True}},
    )["event"]
    alice.locator(ROWS, has_text="Building fire").wait_for(timeout=20000)
    rows = alice.locator(ROWS)
    assert "P1" in (rows.nth(0).text_content() or "")
    assert "IMMEDIATE DISPATCH" in (rows.nth(0).text_content() or "")
    assert alice.locator('[data-testid="event-count"]').text_content() == "2"
    age = rows.nth(1).locator(".age")
    first = age.text_content()
    alice.wait_for_function(
        "([el, before]) => el.textContent !== before", arg=[age.element_handle(), first], timeout=5000
    )
    alice.keyboard.press("b")
    alice.keyboard.press("ArrowDown")
    alice.keyboard.press("Enter")
    timeline = alice.locator('[data-testid="event-timeline"]')
    timeline.wait_for(timeout=20000)
    assert "Noise nuisance" in (alice.locator('[data-testid="event-file"]').text_content() or "")
    _api(server, bob, "POST", f"/events/{noise['id']}/notes", {"text": "Music turned down"})
    alice.locator('[data-testid="event-timeline"] li', has_text="Music turned down").wait_for(timeout=20000)
    shoot(alice, "event-board-1920x1080")
    _api(server, bob, "POST", f"/events/{fire['id']}/close", {"outcomes": ["handled"], "text": "Fire out."})
    alice.locator(ROWS, has_text="Building fire").wait_for(state="detached", timeout=20000)
    assert alice.locator('[data-testid="event-count"]').text_content() == "1"
    assert alice.url.endswith("/console")  # never reloaded


def test_the_board_speaks_french_and_is_hidden_from_clients(browser: Any, server: Server) -> None:
    """A French supervisor reads « Évènements » and the French labels; a client has no board."""
    dominique = log_in(browser, server, "dominique")
    _api(server, dominique, "PUT", "/me/language", {"language": "fr"})
    _api(server, dominique, "POST", "/events", {"type_code": "GAS_LEAK", **PLACE})
    dominique.reload()
    dominique.wait_for_selector('[data-testid="connection"][data-state="connected"]')
    assert dominique.locator("#events-title").text_content() == "Évènements"
    dominique.locator(ROWS, has_text="Fuite de gaz").wait_for(timeout=20000)
    _api(server, dominique, "PUT", "/me/language", {"language": "en"})
    carol = log_in(browser, server, "carol")
    assert carol.locator('[data-testid="event-board"]').count() == 0
