"""The room itself in Chromium against a real `tocsin serve`: the room's own alarm panel tops the queue,
the operator dead-man's question in a modal (Enter confirms; unanswered, the alarm goes back and the
supervisor's queue shows it), and the handover round trip between two operators' browsers while the
supervisor watches who is on shift.

The dead-man's delays are short here (``TOCSIN_DEADMAN_IDLE=3``, ``TOCSIN_DEADMAN_CONFIRM=6``): the
test waits for what the screen shows, never for a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import Server, _free_port, _prepare, log_in, shoot
from tests.integration.plan_support import no_mandatory_steps
from tocsin.bootstrap import bootstrap
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope

ROOM_PANEL = "5150"  # the room's own alarm panel, on Site A's premises
ROW = '[data-testid="alarm-row"]'
WAIT = 60000  # ms: the longest any screen update may take here (the dead-man polls every 5 s; a busy CI)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The e2e room with the room's own panel and short dead-man delays."""
    tmp = tmp_path_factory.mktemp("e2e-room")
    settings, room = _prepare(tmp)
    node = bootstrap(settings)
    try:
        scope = Scope.tenant(room.tenant_id)
        node.messagebus.handle(c.AddAccount(room.site_a, ROOM_PANEL, station=True), scope=scope, actor="e2e")
        no_mandatory_steps(node.store, room.tenant_id, (room.client_a, room.client_b))
    finally:
        node.close()
    port = _free_port()
    running = Server(f"http://127.0.0.1:{port}", room, settings, port, _free_port(), tmp)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TOCSIN_DEADMAN_IDLE", "3")
        patch.setenv("TOCSIN_DEADMAN_CONFIRM", "6")
        running.start()
    yield running
    running.stop()


def test_the_rooms_panel_tops_the_queue_and_the_deadman_asks_then_gives_the_alarm_back(
    browser: Any, server: Server
) -> None:
    """An ordinary intrusion, then the room's own: the room's is first, marked ROOM. Alice takes it and
    does nothing: the console asks in a modal, Enter confirms and the alarm stays hers. Asked again and
    silent, her alarm goes back to the queue, the modal says so, and the supervisor's queue (in French)
    shows the operator unresponsive alarm."""
    alice = log_in(browser, server, "alice")
    boss = log_in(browser, server, "dominique")
    alice.locator('[data-testid="queue-empty"]').wait_for()
    server.send_frame("1130 01 001")  # Site A's own transmitter: an intrusion, priority 4
    alice.locator(ROW).first.wait_for(timeout=WAIT)
    server.send_frame("1130 01 009", account=ROOM_PANEL)  # the room's own panel: an intrusion
    alice.locator(f'{ROW}[data-priority="0"]').wait_for(timeout=WAIT)
    first = alice.locator(ROW).first
    assert first.get_attribute("data-priority") == "0"
    assert (first.locator('[data-testid="alarm-priority"]').text_content() or "") == "ROOM"
    assert "prio-row-0" in (first.get_attribute("class") or "")
    shoot(alice, "room-panel-first")

    alice.keyboard.press(" ")  # next: the most urgent alarm nobody holds, the room's
    alice.locator('[data-testid="alarm-view"]').wait_for(timeout=WAIT)
    alice.keyboard.press("t")
    alice.locator(f'{ROW}[data-priority="0"][data-state="taken"]').wait_for(timeout=WAIT)

    modal = alice.locator('[data-testid="deadman-dialog"][data-state="asked"]')
    modal.wait_for(state="visible", timeout=WAIT)  # nothing done for 3 s: asked
    assert "1" in (alice.locator('[data-testid="deadman-text"]').text_content() or "")
    shoot(alice, "deadman-asked")
    alice.keyboard.press("Enter")
    modal.wait_for(state="hidden", timeout=WAIT)
    assert alice.locator(f'{ROW}[data-priority="0"]').get_attribute("data-state") == "taken"

    modal.wait_for(state="visible", timeout=WAIT)  # idle again: asked again; this time, silence
    alice.locator('[data-testid="deadman-dialog"][data-state="released"]').wait_for(timeout=WAIT)
    alice.locator(f'{ROW}[data-priority="0"][data-state="new"]').wait_for(timeout=WAIT)
    boss.locator(ROW, has_text="Opérateur sans réponse").wait_for(timeout=WAIT)
    boss.locator(ROW, has_text="Opérateur sans réponse").click()  # its file names the operator
    boss.locator('[data-testid="alarm-view"]', has_text="Alice n\u2019a pas répondu").wait_for(timeout=WAIT)
    alice.keyboard.press("Enter")  # the notice is read
    alice.locator('[data-testid="deadman-dialog"]').wait_for(state="hidden", timeout=WAIT)
    shoot(boss, "deadman-supervisor")


def _room_page(page: Any, server: Server) -> None:
    page.locator('[data-testid="room-link"]').click()
    page.wait_for_url(f"{server.url}/console/room")
    page.wait_for_selector('body[data-room-loaded="yes"]', timeout=WAIT)


def test_a_handover_round_trip_in_two_browsers(browser: Any, server: Server) -> None:
    """Bob goes on shift, edits the summary Tocsin prepared and hands over; Alice, in her own browser,
    reads his notes and acknowledges them; the supervisor sees Alice on shift; acknowledging twice is
    refused with the reason."""
    bob = log_in(browser, server, "bob")
    alice = log_in(browser, server, "alice")
    boss = log_in(browser, server, "dominique")
    _room_page(bob, server)
    bob.locator('[data-testid="shift-start"]').click()
    bob.locator('[data-testid="my-shift"][data-state="on"]').wait_for(timeout=WAIT)
    text = bob.locator('[data-testid="handover-text"]')
    bob.wait_for_function(
        "document.getElementById('handover-text').value.includes('Open alarms')", timeout=WAIT
    )
    assert "Temporary instructions in force" in text.input_value()
    text.focus()
    bob.keyboard.press("Control+End")
    bob.keyboard.type("The room's panel was tested at 02:00; gate 3 sensor is flaky.")
    bob.locator('[data-testid="handover-submit"]').click()
    bob.locator('[data-testid="room-done"]').wait_for(state="visible", timeout=WAIT)
    bob.locator('[data-testid="my-shift"][data-state="off"]').wait_for(timeout=WAIT)
    shoot(bob, "handover-written")

    _room_page(alice, server)
    waiting = alice.locator('[data-testid="pending-handover"]', has_text="gate 3 sensor is flaky")
    waiting.wait_for(timeout=WAIT)
    assert "From Bob" in (waiting.text_content() or "")
    handover_id = alice.evaluate("fetch('/api/v1/handovers').then((r) => r.json()).then((l) => l[0].id)")
    waiting.locator('[data-testid="handover-acknowledge"]').click()
    alice.locator('[data-testid="room-done"]').wait_for(state="visible", timeout=WAIT)
    alice.locator('[data-testid="my-shift"][data-state="on"]').wait_for(timeout=WAIT)
    alice.locator('[data-testid="pending-none"]').wait_for(timeout=WAIT)
    shoot(alice, "handover-acknowledged")

    _room_page(boss, server)
    boss.locator('[data-testid="on-shift-row"][data-username="alice"]').wait_for(timeout=WAIT)
    assert boss.locator('[data-testid="on-shift-row"][data-username="bob"]').count() == 0
    assert "En poste" in (boss.locator('[data-testid="on-shift"]').text_content() or "")
    shoot(boss, "handover-supervisor")

    # a second acknowledgment (as a stale page would send it) is refused with the reason
    answer = alice.evaluate(
        """async (id) => {
          const csrf = document.querySelector('meta[name="csrf-token"]').content;
          const list = await (await fetch('/api/v1/handovers')).json();
          const r = await fetch('/api/v1/handovers/' + id + '/acknowledge',
            {method: 'POST', headers: {'X-CSRF-Token': csrf}});
          return {status: r.status, body: await r.json(), waiting: list.length};
        }""",
        handover_id,
    )
    assert answer["waiting"] == 0
    assert answer["status"] == 409
    assert "already acknowledged by Alice" in answer["body"]["detail"]
