"""Each role lands on a screen made for it, which fits a 1280x720 screen: Chromium against `tocsin serve`."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import Server, log_in, shoot

# the receiver's rows (an alarm the signal opens has its own "alarm.opened" row, naming the event too)
SIGNAL_ROWS = '[data-testid="logbook"] tr[data-kind="signal.received"]'

# user -> whether their screen is live; Dominique has a long name and works in French (the widest top bar)
ROLES = {"alice": True, "carol": True, "victor": False, "dominique": True}


def test_a_unit_lands_on_its_own_screen_without_a_false_alarm(browser: Any, server: Server) -> None:
    """A unit sees its unit card and dispatches panel: no logbook, no queue, no 'connection lost'."""
    page = log_in(browser, server, "victor", live=False)
    card = page.locator('[data-testid="unit-card"]')
    assert "Victor 7" in (card.text_content() or "")
    assert "North" in (card.text_content() or "")
    assert page.locator('[data-testid="dispatches"]').is_visible()
    dispatches = page.locator('[data-testid="dispatches"]').text_content() or ""
    assert "Your dispatches will appear here" in dispatches
    assert page.locator('[data-testid="logbook"]').count() == 0
    assert page.locator('[data-testid="queue"]').count() == 0
    page.wait_for_timeout(2500)  # time enough for a refused socket to have shown an alarm
    assert page.locator('[data-testid="connection"]').get_attribute("data-state") == "off"
    page.keyboard.press("n")  # the unit may write to the room: the note box works
    page.keyboard.type("Victor 7 leaving the station")
    page.keyboard.press("Enter")
    page.locator('[data-testid="notice"]', has_text="Recorded in the logbook").wait_for(timeout=10000)
    assert page.locator("#note").input_value() == ""


def test_a_client_sees_their_sites_and_a_read_only_logbook(browser: Any, server: Server) -> None:
    """A client sees only their sites, their sites' alarms and logbook, live, read only: no note box, no
    action keys."""
    page = log_in(browser, server, "carol")
    sites = page.locator('[data-testid="sites-list"]').text_content() or ""
    assert "Site A" in sites
    assert "Site B" not in sites
    names = page.locator("#names").text_content() or ""  # the names the page carries for its rows
    assert "Site A" in names
    assert "Site B" not in names
    assert "Client B" not in names
    assert page.locator("#note").count() == 0
    assert "read only" in (page.locator('[data-testid="queue"]').text_content() or "")
    assert page.locator('[data-testid="settle-dialog"]').count() == 0
    server.send_frame("1130 01 004")  # a burglary at Site A: the client's own site
    row = page.locator(SIGNAL_ROWS, has_text="Burglary")
    row.wait_for(timeout=20000)
    assert "Site A · Client A" in (row.text_content() or "")
    page.keyboard.press("n")  # no note box: the key does nothing, nothing is focused for typing
    assert page.evaluate("document.activeElement.tagName") != "INPUT"


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_every_screen_fits_from_1280x720(browser: Any, server: Server, size: tuple[int, int]) -> None:
    """At 1280x720 and up, each role's screen has no horizontal overflow and Log out is fully visible."""
    for username, live in ROLES.items():
        page = log_in(browser, server, username, live=live, size=size)
        logout = page.locator("form.logout button").bounding_box()
        assert logout is not None
        assert logout["x"] >= 0
        assert logout["x"] + logout["width"] <= size[0]
        assert logout["y"] + logout["height"] <= size[1]
        overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
        assert overflow <= 0, f"{username} at {size}: {overflow}px of horizontal overflow"
        shoot(page, f"{username}-{size[0]}x{size[1]}")
        page.context.close()
