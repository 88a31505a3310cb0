"""The operator's main screen with alarms: real DC-09 frames to the real receiver of `tocsin serve`, and an
operator who handles the alarm with the keyboard alone in Chromium.

The frames come from the real encoder (tocsin.protocols.dc09) through ``Server.send_frame``; the alarm
rules of the node open, group and close the alarms. Set ``TOCSIN_UPDATE_DOCS_SHOTS=1`` to write the
documentation's screenshots (docs/img/console-alarms-1280.png and -1920.png).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import Server, _free_port, _prepare, log_in, shoot
from tests.integration.plan_support import no_mandatory_steps
from tocsin.bootstrap import bootstrap
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope

ACCOUNT_B = "1281"  # Site B's transmitter (client B: out of the client user's grant)
DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"
ROW = '[data-testid="alarm-row"]'


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The e2e room, with a site file worth reading (address, zones, contacts) and Site B's transmitter."""
    tmp = tmp_path_factory.mktemp("e2e-alarms")
    settings, room = _prepare(tmp)
    node = bootstrap(settings)
    try:
        scope = Scope.tenant(room.tenant_id)
        bus = node.messagebus
        bus.handle(c.AddAccount(room.site_b, ACCOUNT_B), scope=scope, actor="e2e")
        for number, name in (("001", "Front door"), ("002", "Hall PIR"), ("003", "Kitchen smoke")):
            bus.handle(c.AddZone(room.site_a, number, name), scope=scope, actor="e2e")
        bus.handle(
            c.AddContact(room.site_a, 1, "Jeanne Martin", ("+33 6 12 34 56 78",), password="tulipe"),
            scope=scope,
            actor="e2e",
        )
        bus.handle(
            c.AddContact(room.site_a, 2, "Paul Durand", ("+33 6 98 76 54 32",)), scope=scope, actor="e2e"
        )
        # the queue's screens, not action plans (tests/e2e/test_console_plan.py): nothing mandatory
        no_mandatory_steps(node.store, room.tenant_id, (room.client_a, room.client_b))
    finally:
        node.close()
    port = _free_port()
    running = Server(f"http://127.0.0.1:{port}", room, settings, port, _free_port(), tmp)
    running.start()
    yield running
    running.stop()


def _api(server: Server, page: Any, path: str) -> Any:
    """GET an API path with the page's session cookie."""
    cookie = {k["name"]: k["value"] for k in page.context.cookies()}["tocsin_session"]
    request = urllib.request.Request(  # noqa: S310 - loopback server of this test
        f"{server.url}{path}", headers={"Cookie": f"tocsin_session={cookie}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
        return json.load(response)


def _row(page: Any, site_ref: str) -> Any:
    return page.locator(ROW, has=page.locator(".ref", has_text=site_ref))


def _cli(server: Server, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "TOCSIN_DATABASE_URL": server.settings.database_url,
        "TOCSIN_VAR_DIR": str(server.tmp),
    }
    command = [sys.executable, "-m", "tocsin.cli", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=False)


def test_an_operator_handles_an_intrusion_with_the_keyboard_alone(  # noqa: PLR0915 - one story, told whole
    browser: Any, server: Server
) -> None:
    """Intrusion in, taken (T), noted (N), settled false (S F 1 Enter); the restore closes it and the
    logbook holds the alarm's whole life, its chain intact."""
    page = log_in(browser, server, "alice")
    page.locator('[data-testid="queue-empty"]').wait_for()
    page.keyboard.press("q")  # a first key: the browser now lets the console make sounds
    server.send_frame("1130 01 001")  # burglary, zone 001 of Site A
    row = _row(page, "SA")
    row.wait_for(timeout=20000)  # no reload: it came over the live socket
    assert row.get_attribute("data-state") == "new"
    assert (row.locator('[data-testid="alarm-priority"]').text_content() or "").startswith("P")
    assert "Intrusion" in (row.text_content() or "")
    assert "Site A" in (row.text_content() or "")
    age = row.locator('[data-testid="alarm-age"]')
    page.locator('[data-testid="alarm-age"]:not(:text-is("00:00"))').wait_for(timeout=10000)  # it ticks
    assert (age.text_content() or "").startswith("00:0")
    focused = page.evaluate("document.activeElement.id")

    page.keyboard.press(" ")  # next: the most urgent alarm nobody holds, opened
    view = page.locator('[data-testid="alarm-view"]')
    view.wait_for(timeout=20000)
    page.locator('[data-testid="alarm-contacts"]', has_text="Jeanne Martin").wait_for(timeout=20000)
    assert "Front door" in (page.locator('[data-testid="alarm-zones"]').text_content() or "")
    assert "tulipe" not in (page.content())  # the spoken password never reaches the page
    assert focused == "queue-table"

    page.keyboard.press("t")
    page.locator(f'{ROW}[data-state="taken"]').wait_for(timeout=20000)
    assert "Alice" in (row.text_content() or "") or "alice" in (row.text_content() or "")
    page.keyboard.press("n")
    page.keyboard.type("Keyholder says the cat is inside")
    page.keyboard.press("Enter")
    page.locator('[data-testid="alarm-logbook"]', has_text="cat is inside").wait_for(timeout=20000)
    page.keyboard.press("Escape")

    page.keyboard.press("s")
    dialog = page.locator('[data-testid="settle-dialog"]')
    dialog.wait_for(state="visible")
    page.keyboard.press("f")
    page.locator('[data-testid="cause-animal"]').wait_for(state="attached")
    causes = page.locator('#settle-codes input[name="cause"]').evaluate_all(
        "(all) => all.map((i) => i.value)"
    )
    page.keyboard.press(str(causes.index("animal") + 1))
    page.keyboard.press("Tab")
    page.keyboard.type("Cat shut in the hall")
    page.keyboard.press("Enter")
    dialog.wait_for(state="hidden", timeout=20000)
    page.locator(f'{ROW}[data-state="settled"]').wait_for(timeout=20000)
    assert "is-settled" in (row.get_attribute("class") or "")
    shoot(page, "alarm-settled-1920x1080")

    server.send_frame("3130 01 001")  # the panel restores zone 001: back to normal, so it closes
    row.wait_for(state="detached", timeout=15000)
    page.locator('[data-testid="queue-empty"]').wait_for(state="visible")

    kinds = [e["kind"] for e in _api(server, page, "/api/v1/logbook?limit=200")["entries"]]
    for kind in ("alarm.opened", "alarm.taken", "alarm.note", "alarm.settled", "alarm.closed"):
        assert kind in kinds, kind
    assert _cli(server, "logbook", "checkpoint").returncode == 0
    verified = _cli(server, "logbook", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert verified.stdout.startswith("OK:")


def test_a_client_sees_its_own_sites_alarms_read_only(browser: Any, server: Server) -> None:
    """Carol (client A) sees Site A's alarm, never Site B's, and has no action key nor button."""
    carol = log_in(browser, server, "carol")
    alice = log_in(browser, server, "alice")
    alice.keyboard.press("q")
    server.send_frame("1130 01 002")  # Site A, client A
    server.send_frame("1110 01 004", account=ACCOUNT_B)  # fire at Site B, client B: P2, a tone for Alice
    _row(alice, "SB").wait_for(timeout=20000)
    _row(alice, "SA").wait_for(timeout=20000)
    alice.locator("body[data-last-tone]").wait_for(state="attached", timeout=20000)
    fire_id = _row(alice, "SB").get_attribute("data-alarm-id")
    assert alice.evaluate("document.body.dataset.lastTone") == fire_id
    first = alice.locator(ROW).first
    assert first.get_attribute("data-alarm-id") == fire_id  # the fire (P2) before the intrusion

    _row(carol, "SA").wait_for(timeout=20000)
    carol.wait_for_timeout(1000)  # the fire's entries reached the hub meanwhile: none may show here
    assert _row(carol, "SB").count() == 0
    assert carol.locator(ROW).count() == 1
    assert "read only" in (carol.locator('[data-testid="queue"]').text_content() or "")
    assert carol.locator('[data-testid="settle-dialog"], .alarm-actions').count() == 0
    assert carol.locator('.key-hints kbd:text-is("T")').count() == 0
    carol.keyboard.press("j")
    carol.keyboard.press("t")
    carol.keyboard.press("s")
    carol.wait_for_timeout(500)
    assert _row(carol, "SA").get_attribute("data-state") == "new"  # nothing was taken
    ids = {a["site_ref"] for a in _api(server, carol, "/api/v1/alarms")}
    assert ids == {"SA"}


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_the_alarm_screen_fits_and_shows_its_file(
    browser: Any, server: Server, size: tuple[int, int]
) -> None:
    """With alarms queued and one open, nothing overflows sideways; the screenshots for the docs."""
    page = log_in(browser, server, "alice", size=size)
    _row(page, "SA").wait_for(timeout=20000)
    page.keyboard.press("q")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    page.locator('[data-testid="alarm-contacts"]').wait_for(timeout=20000)
    assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
    logout = page.locator("form.logout button").bounding_box()
    assert logout is not None
    assert logout["x"] + logout["width"] <= size[0]
    queue = page.locator('[data-testid="queue"]').bounding_box()
    assert queue is not None
    assert queue["x"] == 0
    assert queue["width"] >= 340
    shoot(page, f"alarms-{size[0]}x{size[1]}")
    if os.environ.get("TOCSIN_UPDATE_DOCS_SHOTS"):
        page.mouse.move(0, 0)
        page.screenshot(path=str(DOCS_IMG / f"console-alarms-{size[0]}.png"))


def test_a_supervisor_takes_over_and_closes_with_a_reason(browser: Any, server: Server) -> None:
    """Dominique (supervisor, in French) takes over the fire Alice holds, and closes the intrusion that is
    not back to normal with a reason."""
    alice = log_in(browser, server, "alice")
    chief = log_in(browser, server, "dominique", size=(1280, 720))
    fire = _row(alice, "SB")
    fire.wait_for(timeout=20000)
    alice.keyboard.press("q")
    alice.keyboard.press("j")  # the fire (P2) comes first
    alice.keyboard.press("t")
    alice.locator(f'{ROW}[data-state="taken"]').wait_for(timeout=20000)
    taken = _row(chief, "SB")
    chief.locator(f'{ROW}[data-state="taken"]').wait_for(timeout=20000)
    assert "Incendie" in (taken.text_content() or "")
    assert chief.locator('.key-hints kbd:text-is("C")').count() == 1  # close: a supervisor's key
    chief.keyboard.press("q")
    chief.keyboard.press("j")
    chief.keyboard.press("t")  # take over
    chief.locator(ROW, has_text="dominique").or_(chief.locator(ROW, has_text="Dominique")).first.wait_for(
        timeout=10000
    )
    chief.keyboard.press("k")
    chief.keyboard.press("j")
    chief.keyboard.press("j")  # the intrusion at Site A
    intrusion = _row(chief, "SA")
    assert "is-selected" in (intrusion.get_attribute("class") or "")
    chief.keyboard.press("Enter")
    chief.locator('[data-testid="alarm-view"]').wait_for(timeout=20000)
    chief.keyboard.press("c")
    chief.locator('[data-testid="close-dialog"]').wait_for(state="visible")
    chief.keyboard.press("Enter")  # no reason: refused on the spot
    chief.locator('[data-testid="close-error"]').wait_for(state="visible")
    chief.keyboard.type("Doublon d\u2019un appel du gardien")
    chief.keyboard.press("Enter")
    intrusion.wait_for(state="detached", timeout=20000)
    _row(alice, "SA").wait_for(state="detached", timeout=20000)
    assert chief.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
