"""An alarm's action plan in the console, with the keyboard alone: the site's temporary instruction on
top of the alarm view, the checklist copied when the alarm is taken, settling refused with the reason
while a mandatory step is pending, a step completed with its result (O) and another skipped with a
reason (X) after moving to it (Shift+↓), then the alarm settled."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.e2e.conftest import Server, _free_port, _prepare, log_in, shoot
from tocsin.bootstrap import bootstrap
from tocsin.domain import commands as c
from tocsin.domain.instructions import GiveInstruction
from tocsin.domain.plans import PlanStep, SetActionPlan
from tocsin.domain.scope import Scope

ROW = '[data-testid="alarm-row"]'
STEP = '[data-testid="plan-step"]'
PLAN = (
    PlanStep("call_site", "Call the shop and ask for the password."),
    PlanStep("view_clip", "Look at camera 2.", mandatory=False),
    PlanStep("inform_client", "Tell the owner, Mrs Martin."),
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The e2e room with Site A's own intrusion plan, a contact, and a keyholder instruction this week."""
    tmp = tmp_path_factory.mktemp("e2e-plan")
    settings, room = _prepare(tmp)
    node = bootstrap(settings)
    try:
        scope = Scope.tenant(room.tenant_id)
        bus = node.messagebus
        bus.handle(SetActionPlan("intrusion", PLAN, "e2e", site_id=room.site_a), scope=scope, actor="e2e")
        bus.handle(
            c.AddContact(room.site_a, 1, "Jeanne Martin", ("+33 6 12 34 56 78",)), scope=scope, actor="e2e"
        )
        ends = datetime.now(UTC) + timedelta(days=3)
        instruction = GiveInstruction(
            room.site_a, "keyholder", "Mr Roux has the keys this week", None, ends, "e2e"
        )
        bus.handle(instruction, scope=scope, actor="e2e")
    finally:
        node.close()
    port = _free_port()
    running = Server(f"http://127.0.0.1:{port}", room, settings, port, _free_port(), tmp)
    running.start()
    yield running
    running.stop()


def _step(page: Any, index: int) -> Any:
    return page.locator(STEP).nth(index)


def test_an_operator_runs_the_plan_with_the_keyboard_and_settles_once_it_is_done(  # noqa: PLR0915 - one story
    browser: Any, server: Server
) -> None:
    """Take (T); settle refused naming the pending steps; O completes step 1 with its result and who
    answered; Shift+↓ moves past the optional step; X skips step 3 with a reason; the settle passes."""
    page = log_in(browser, server, "alice")
    page.locator('[data-testid="queue-empty"]').wait_for()
    server.send_frame("1130 01 001")  # burglary, zone 001 of Site A
    page.locator(ROW).wait_for(timeout=20000)
    page.keyboard.press(" ")  # open the most urgent alarm
    banner = page.locator('[data-testid="instructions-banner"]')
    banner.wait_for(timeout=20000)
    assert "Mr Roux has the keys" in (banner.text_content() or "")
    page.locator(STEP).first.wait_for(timeout=20000)  # before the take: the plan in force, as a preview

    page.keyboard.press("t")
    page.locator(f'{ROW}[data-state="taken"]').wait_for(timeout=20000)
    page.locator(f"{STEP}.is-current").wait_for(timeout=20000)
    assert page.locator(STEP).count() == 3
    assert _step(page, 0).get_attribute("data-mandatory") == "yes"
    assert "is-current" in (_step(page, 0).get_attribute("class") or "")

    page.keyboard.press("s")  # settle now: refused, with the reason
    settle = page.locator('[data-testid="settle-dialog"]')
    settle.wait_for(state="visible")
    page.keyboard.press("f")
    page.locator('#settle-codes input[name="cause"]').first.wait_for(state="attached")
    page.keyboard.press("1")
    page.keyboard.press("Enter")
    error = page.locator('[data-testid="settle-error"]')
    error.wait_for(state="visible", timeout=20000)
    assert "call_site" in (error.text_content() or "")
    assert "inform_client" in (error.text_content() or "")
    page.keyboard.press("Escape")
    settle.wait_for(state="hidden")

    page.keyboard.press("o")  # step 1 done, with its result
    dialog = page.locator('[data-testid="step-dialog"]')
    dialog.wait_for(state="visible")
    page.keyboard.type("Shop answered, password right: cleaner's mistake")
    page.keyboard.press("Tab")
    page.keyboard.type("Mrs Martin")
    page.keyboard.press("Enter")
    dialog.wait_for(state="hidden", timeout=20000)
    page.locator(f'{STEP}[data-state="done"]').wait_for(timeout=20000)
    assert "Mrs Martin" in (_step(page, 0).text_content() or "")
    assert "is-current" in (_step(page, 1).get_attribute("class") or "")  # the next pending step

    page.keyboard.press("Shift+ArrowDown")
    assert "is-current" in (_step(page, 2).get_attribute("class") or "")
    page.keyboard.press("x")  # step 3 skipped, with a reason
    dialog.wait_for(state="visible")
    page.keyboard.type("Mrs Martin was on the phone herself")
    page.keyboard.press("Enter")
    dialog.wait_for(state="hidden", timeout=20000)
    page.locator(f'{STEP}[data-state="skipped"]').wait_for(timeout=20000)
    assert (page.locator('[data-testid="plan-status"]').get_attribute("class") or "").endswith("is-ready")
    assert _step(page, 1).get_attribute("data-state") == "pending"  # optional: may stay undone
    shoot(page, "alarm-plan-1920x1080")

    page.keyboard.press("s")
    settle.wait_for(state="visible")
    page.keyboard.press("f")
    page.locator('#settle-codes input[name="cause"]').first.wait_for(state="attached")
    page.keyboard.press("1")
    page.keyboard.press("Enter")
    settle.wait_for(state="hidden", timeout=20000)
    page.locator(f'{ROW}[data-state="settled"]').wait_for(timeout=20000)
    page.locator('[data-testid="alarm-logbook"] tr[data-kind="alarm.step_skipped"]').wait_for(timeout=20000)
    assert page.locator('[data-testid="alarm-logbook"] tr[data-kind="alarm.step_done"]').count() == 1
