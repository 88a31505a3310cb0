"""The live logbook as an operator lives with it: Chromium against a real `tocsin serve` that it can restart.

This module's last test stops and restarts the server: keep it last.
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from tests.e2e.conftest import Server, log_in, post_note_as, shoot
from tocsin.bootstrap import bootstrap
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope

# the receiver's rows (an alarm the signal opens has its own "alarm.opened" row, naming the event too)
SIGNAL_ROWS = '[data-testid="logbook"] tr[data-kind="signal.received"]'

ROW_IN_SIGHT = """(row) => {
  const area = row.closest('.logbook-scroll').getBoundingClientRect();
  const box = row.getBoundingClientRect();
  const x = box.left + 40, y = (box.top + box.bottom) / 2;
  const hit = document.elementFromPoint(x, y);
  return y > area.top && y < area.bottom && hit !== null && row.contains(hit);
}"""


def _in_sight(page: Any, text: str) -> bool:
    """Whether the logbook row with this text can be seen (not scrolled away, not under the headers)."""
    row = page.locator('[data-testid="logbook"] tr', has_text=text)
    return bool(row.evaluate(ROW_IN_SIGHT))


def _head(server: Server, page: Any) -> int:
    """The logbook chain's last sequence, read through the API with the page's session."""
    cookie = {c["name"]: c["value"] for c in page.context.cookies()}["tocsin_session"]
    request = urllib.request.Request(  # noqa: S310 - loopback server of this test
        f"{server.url}/api/v1/logbook?limit=1", headers={"Cookie": f"tocsin_session={cookie}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
        return int(json.load(response)["seq"])


def test_new_entries_never_arrive_out_of_sight(browser: Any, server: Server) -> None:
    """After L, End, Home the newest row shows; scrolled away, an 'n new' marker and L bring new ones back."""
    alice = log_in(browser, server, "alice", size=(1280, 720))
    bob = log_in(browser, server, "bob")
    for n in range(30):
        post_note_as(server, bob, f"Round {n:02d} done")
    alice.locator('[data-testid="logbook"] tr', has_text="Round 29 done").wait_for(timeout=20000)
    alice.keyboard.press("l")
    alice.keyboard.press("End")
    alice.keyboard.press("Home")
    assert _in_sight(alice, "Round 29 done"), "the newest row hides under the column headers"
    alice.keyboard.press("End")
    focused = alice.evaluate("document.activeElement.dataset.seq")
    post_note_as(server, bob, "Gate 3 found open")
    marker = alice.locator('[data-testid="logbook-new"]')
    marker.wait_for(state="visible", timeout=20000)
    assert (marker.text_content() or "").startswith("1 new entry")
    assert alice.evaluate("document.activeElement.dataset.seq") == focused  # the focus stayed put
    post_note_as(server, bob, "Gate 3 closed")
    alice.locator('[data-testid="logbook-new"]', has_text="2 new entries").wait_for(timeout=20000)
    shoot(alice, "new-marker-1280x720")
    alice.keyboard.press("l")
    assert _in_sight(alice, "Gate 3 closed")
    assert alice.evaluate("document.activeElement.textContent").find("Gate 3 closed") >= 0
    assert marker.is_hidden()


def test_alarm_rows_stand_out_and_name_their_site(browser: Any, server: Server) -> None:
    """A fire row is red with the word FIRE and names site and client; a test and a restore stay calm."""
    page = log_in(browser, server, "alice")
    server.send_frame("1110 01 003")  # fire alarm, zone 3
    server.send_frame("1602 00 000")  # periodic test
    server.send_frame("3131 01 005")  # perimeter intrusion restore, zone 5
    fire = page.locator(SIGNAL_ROWS, has_text="Fire alarm")
    test = page.locator(SIGNAL_ROWS, has_text="Periodic test")
    fire.wait_for(timeout=20000)
    test.wait_for(timeout=20000)
    assert fire.get_attribute("data-level") == "alarm"
    assert fire.locator('[data-testid="log-class"]').text_content() == "Fire"
    assert "Site A · Client A" in (fire.text_content() or "")
    assert test.get_attribute("data-level") == "routine"
    restore = page.locator(SIGNAL_ROWS, has_text="Perimeter intrusion")
    restore.wait_for(timeout=20000)
    assert restore.get_attribute("data-level") == "routine"
    assert restore.locator('[data-testid="log-class"]').text_content() == "Restore"
    colour = "(row) => getComputedStyle(row.cells[2]).color + getComputedStyle(row.cells[0]).backgroundColor"
    assert fire.evaluate(colour) != test.evaluate(colour)
    shoot(page, "alarm-rows-1920x1080")


def test_switching_language_keeps_the_note_and_writes_nothing(browser: Any, server: Server) -> None:
    """Alt+L mid-note keeps the text and its focus, translates the 'By' actors, and adds no logbook entry."""
    page = log_in(browser, server, "bob")
    page.locator('[data-testid="logbook"] tr', has_text="Receiver").first.wait_for(timeout=20000)
    head = _head(server, page)
    page.keyboard.press("n")
    page.keyboard.type("Keyholder on the way, ETA 10")
    page.keyboard.press("Alt+l")
    page.wait_for_selector('html[lang="fr"]')
    page.wait_for_selector('[data-testid="connection"][data-state="connected"]')
    assert page.locator("#note").input_value() == "Keyholder on the way, ETA 10"
    assert page.evaluate("document.activeElement.id") == "note"
    actors = page.locator('[data-testid="logbook"] td.log-actor').all_text_contents()
    assert "Récepteur" in actors
    assert "Receiver" not in actors
    assert page.locator('[data-testid="log-class"]', has_text="Incendie").count() >= 1
    assert _head(server, page) == head  # a preference, not an act: no entry
    page.keyboard.press("Escape")
    page.keyboard.press("Alt+l")
    page.wait_for_selector('html[lang="en"]')


def test_reconnects_after_a_restart_and_catches_up_without_duplicates(browser: Any, server: Server) -> None:
    """Server down: 'connection lost', the degraded banner and a note kept in the browser; back up: the
    missed entry and the kept note show once each, and the banner goes."""
    page = log_in(browser, server, "alice")
    narrow = log_in(browser, server, "dominique", size=(1280, 720))  # French: the widest "lost" banner
    server.stop()
    page.wait_for_selector('[data-testid="connection"][data-state="lost"]', timeout=15000)
    narrow.wait_for_selector('[data-testid="connection"][data-state="lost"]', timeout=15000)
    assert narrow.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
    logout = narrow.locator("form.logout button").bounding_box()
    assert logout is not None
    assert logout["x"] + logout["width"] <= 1280
    page.keyboard.press("n")
    page.keyboard.type("Written while the server is away")
    page.keyboard.press("Enter")
    # degraded mode (docs/degraded.md): the note is kept in the browser, the field freed, the banner says so
    page.wait_for_function("() => document.getElementById('note').value === ''", timeout=15000)
    banner = page.locator('[data-testid="degraded-banner"]')
    banner.wait_for(state="visible", timeout=15000)
    assert "1" in (banner.text_content() or "")
    node = bootstrap(server.settings)  # another writer adds an entry the console has not seen
    try:
        node.messagebus.handle(
            c.WriteNote(server.room.tenant_id, "Missed while offline"),
            scope=Scope.tenant(server.room.tenant_id),
            actor="cli",
        )
    finally:
        node.close()
    server.start()
    page.wait_for_selector('[data-testid="connection"][data-state="connected"]', timeout=30000)
    missed = page.locator('[data-testid="logbook"] tr', has_text="Missed while offline")
    missed.wait_for(timeout=20000)
    kept = page.locator('[data-testid="logbook"] tr', has_text="Written while the server is away")
    kept.wait_for(timeout=30000)  # the kept note, sent by itself now that the server is back
    banner.wait_for(state="hidden", timeout=30000)
    page.wait_for_timeout(1000)  # the socket brings both entries too: neither may double
    assert missed.count() == 1
    assert kept.count() == 1
    assert page.locator('[data-testid="logbook"] td.log-actor', has_text="Command line").count() >= 1
