"""Call-backs in the console, with the keyboard alone: an intrusion over DC-09 is taken, the site is
called (no answer), the first contact answers with the right password (✓ shown); on another alarm the
contact gives the duress word: the operator sees the duress banner and the alarm tops the queue as P1."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import Server, _free_port, _prepare, log_in
from tocsin.bootstrap import bootstrap
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope

ACCOUNT_B = "1281"
ROW = '[data-testid="alarm-row"]'
PASSWORD_A, DURESS_A = "tulipe", "mimosa"
PASSWORD_B, DURESS_B = "glycine", "bleuet rouge"
SECRETS = (PASSWORD_A, DURESS_A, PASSWORD_B, DURESS_B)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The e2e room with a contact on each site (a password and a duress word) and Site B's transmitter."""
    tmp = tmp_path_factory.mktemp("e2e-calls")
    settings, room = _prepare(tmp)
    node = bootstrap(settings)
    try:
        scope = Scope.tenant(room.tenant_id)
        bus = node.messagebus
        bus.handle(c.AddAccount(room.site_b, ACCOUNT_B), scope=scope, actor="e2e")
        for site, name, phone, password, duress in (
            (room.site_a, "Jeanne Martin", "+33 6 12 34 56 78", PASSWORD_A, DURESS_A),
            (room.site_b, "Louis Petit", "+33 6 55 44 33 22", PASSWORD_B, DURESS_B),
        ):
            command = c.AddContact(site, 1, name, (phone,), password=password, duress_word=duress)
            bus.handle(command, scope=scope, actor="e2e")
    finally:
        node.close()
    port = _free_port()
    running = Server(f"http://127.0.0.1:{port}", room, settings, port, _free_port(), tmp)
    running.start()
    yield running
    running.stop()


def _row(page: Any, site_ref: str) -> Any:
    return page.locator(ROW, has=page.locator(".ref", has_text=site_ref))


def _take_next(page: Any, site_ref: str, contact: str) -> None:
    """Space opens the most urgent untaken alarm; T takes it."""
    page.keyboard.press(" ")
    page.locator(f'[data-testid="alarm-view"] .site-name:has-text("{site_ref}")').wait_for(timeout=20000)
    page.locator('[data-testid="alarm-contacts"]', has_text=contact).wait_for(timeout=20000)
    page.keyboard.press("t")
    _row(page, site_ref).and_(page.locator('[data-state="taken"]')).wait_for(timeout=20000)


def _call(page: Any, *keys: str, word: str = "", number: str = "") -> None:
    """P opens the call form; the keys choose whom and the outcome; Enter records."""
    page.keyboard.press("p")
    dialog = page.locator('[data-testid="call-dialog"]')
    dialog.wait_for(state="visible")
    for key in keys:
        page.keyboard.press(key)
        if key == "0":
            page.keyboard.type(number)
            page.keyboard.press("Tab")
    if word:
        assert page.evaluate("document.activeElement.id") == "call-word"
        page.keyboard.type(word)
    page.keyboard.press("Enter")
    dialog.wait_for(state="hidden", timeout=20000)


def test_an_operator_calls_back_with_the_keyboard_and_a_duress_word_tops_the_queue(
    browser: Any, server: Server
) -> None:
    page = log_in(browser, server, "alice")
    page.locator('[data-testid="queue-empty"]').wait_for()
    page.keyboard.press("q")
    server.send_frame("1130 01 001")  # burglary at Site A
    _row(page, "SA").wait_for(timeout=20000)
    _take_next(page, "SA", "Jeanne Martin")

    _call(page, "0", "n", number="+33 1 45 00 00 00")  # the site itself: no answer
    calls = page.locator('[data-testid="alarm-calls"]')
    calls.locator('[data-testid="call-result"][data-outcome="no_answer"]').wait_for(timeout=20000)

    _call(page, "1", "a", word=PASSWORD_A)  # Jeanne answers with her password
    contacts = page.locator('[data-testid="alarm-contacts"]')
    contacts.locator('[data-testid="call-result"][data-result="password"]').wait_for(timeout=20000)
    assert "✓" in (contacts.text_content() or "")
    page.locator('[data-testid="alarm-ecv"]').wait_for(timeout=20000)  # two numbers called
    assert page.locator('[data-testid="call-word"]').input_value() == ""
    assert page.locator('[data-testid="duress-banner"]').count() == 0

    server.send_frame("1130 01 005", account=ACCOUNT_B)  # burglary at Site B
    _row(page, "SB").wait_for(timeout=20000)
    _take_next(page, "SB", "Louis Petit")
    _call(page, "1", "a", word=DURESS_B.upper())  # Louis is under threat
    banner = page.locator('[data-testid="duress-banner"]')
    banner.wait_for(timeout=20000)
    assert "DURESS" in (banner.text_content() or "")
    assert "police" in (banner.text_content() or "")
    first = page.locator(ROW).first
    page.wait_for_function(
        """() => {
          const row = document.querySelector('[data-testid="alarm-row"]');
          return row && row.querySelector('.ref').textContent === 'SB' && row.dataset.priority === '1';
        }""",
        timeout=10000,
    )
    assert "Duress" in (first.text_content() or "") or "duress" in (first.text_content() or "").lower()
    html = page.content().casefold()
    for secret in SECRETS:
        assert secret not in html
