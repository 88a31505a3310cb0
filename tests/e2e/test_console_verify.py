"""The levée de doute in the console, with the keyboard alone: an intrusion over DC-09 is taken; a police
request is refused (no verification); a guard is sent (G), marked on site with an intrusion confirmed
(A); the AVS-01 score shows in the view and the queue; the police request then passes (D); the evidence
file is downloaded (E) and is a PDF naming the alarm."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import SHOTS, Server, _free_port, _prepare, log_in, shoot
from tocsin.bootstrap import bootstrap
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope

ROW = '[data-testid="alarm-row"]'
DIALOG = '[data-testid="verify-dialog"]'


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The e2e room with a guard unit and the police as a partner."""
    tmp = tmp_path_factory.mktemp("e2e-verify")
    settings, room = _prepare(tmp)
    node = bootstrap(settings)
    try:
        scope = Scope.tenant(room.tenant_id)
        node.messagebus.handle(c.AddUnit(room.tenant_id, "Ronde 11", "guard"), scope=scope, actor="e2e")
        node.messagebus.handle(
            c.AddPartner(room.tenant_id, "Police nationale", "police"), scope=scope, actor="e2e"
        )
    finally:
        node.close()
    port = _free_port()
    running = Server(f"http://127.0.0.1:{port}", room, settings, port, _free_port(), tmp)
    running.start()
    yield running
    running.stop()


def _dialog(page: Any, key: str, *choices: str) -> Any:
    """A key opens the act's dialog; keys pick in it; Enter records. Answers the dialog."""
    page.keyboard.press(key)
    dialog = page.locator(DIALOG)
    dialog.wait_for(state="visible", timeout=20000)
    for choice in choices:
        page.keyboard.press(choice)
    page.keyboard.press("Enter")
    return dialog


def test_guard_on_site_then_police_request_and_evidence_with_the_keyboard(
    browser: Any, server: Server
) -> None:
    page = log_in(browser, server, "alice", accept_downloads=True)
    page.locator('[data-testid="queue-empty"]').wait_for()
    page.keyboard.press("q")
    server.send_frame("1130 01 001")  # burglary at Site A
    page.locator(ROW).first.wait_for(timeout=20000)
    page.keyboard.press(" ")
    section = page.locator('[data-testid="alarm-verify"]')
    section.wait_for(timeout=20000)
    page.keyboard.press("t")
    page.locator(f'{ROW}[data-state="taken"]').wait_for(timeout=20000)
    assert page.locator('[data-testid="verify-by"]').text_content() in ("not verified", "non vérifiée")

    refused = _dialog(page, "d", "1")  # the police, before any verification
    error = refused.locator('[data-testid="verify-error"]')
    error.wait_for(state="visible", timeout=20000)
    assert "L613-6" in (error.text_content() or "")
    shoot(page, "console-verify-refused")
    page.keyboard.press("Escape")
    refused.wait_for(state="hidden")

    _dialog(page, "g", "1").wait_for(state="hidden", timeout=20000)  # Ronde 11 sent
    section.locator('[data-testid="verify-dispatches"]', has_text="Ronde 11").wait_for(timeout=20000)
    _dialog(page, "a", "1").wait_for(state="hidden", timeout=20000)  # on site: intrusion confirmed
    page.locator('[data-testid="verify-score"]', has_text="3").wait_for(timeout=20000)
    page.locator(f'{ROW} [data-testid="alarm-avs"]', has_text="3").wait_for(timeout=20000)
    assert "guard" in (page.locator('[data-testid="verify-by"]').text_content() or "")

    _dialog(page, "d", "1").wait_for(state="hidden", timeout=20000)  # now it passes
    requests = page.locator('[data-testid="verify-requests"]')
    requests.wait_for(timeout=20000)
    assert "verified: guard" in (requests.text_content() or "")
    log = page.locator('[data-testid="alarm-logbook"]')
    log.locator('tr[data-kind="alarm.authority_requested"]').wait_for(timeout=20000)
    if SHOTS:  # only for the screenshot; a live redraw of the view may detach it meanwhile
        section.scroll_into_view_if_needed()
    shoot(page, "console-verify")

    with page.expect_download(timeout=15000) as downloaded:
        page.keyboard.press("e")
    path = downloaded.value.path()
    data = Path(path).read_bytes()
    assert data.startswith(b"%PDF")
    alarm_id = page.locator('[data-testid="alarm-view"]').get_attribute("data-alarm-id")
    assert alarm_id
    assert downloaded.value.suggested_filename.endswith(f"{alarm_id}.pdf")
