"""An administrator disables a user from the console's user page, in Debian's Chromium."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import PASSWORD, Server, log_in
from tocsin.bootstrap import bootstrap
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope


def test_an_admin_disables_and_enables_a_user_in_the_browser(browser: Any, server: Server) -> None:
    """The top bar's Users link opens the page; Disable turns bob's state to disabled, Enable brings him
    back; no script needed."""
    node = bootstrap(server.settings)
    try:
        scope = Scope.tenant(server.room.tenant_id)
        root = node.messagebus.handle(
            c.AddUser(server.room.tenant_id, "root", "Root", PASSWORD), scope=scope, actor="e2e"
        )
        node.messagebus.handle(c.GrantRole(root.id, "admin"), scope=scope, actor="e2e")
    finally:
        node.close()
    page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    page.goto(f"{server.url}/login")
    page.fill("#username", "root")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server.url}/console")
    link = page.locator('[data-testid="users-link"]')
    box = link.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= 1280  # within the top bar at 1280x720
    link.click()
    page.wait_for_url(f"{server.url}/console/users")
    row = page.locator('tr[data-username="bob"]')
    assert row.locator(".state").inner_text() == "active"
    row.get_by_role("button", name="Disable").click()
    page.wait_for_selector('[data-testid="users-done"]')
    assert page.locator('tr[data-username="bob"] .state').inner_text() == "disabled"
    page.locator('tr[data-username="bob"]').get_by_role("button", name="Enable").click()
    page.wait_for_selector('[data-testid="users-done"]')
    assert page.locator('tr[data-username="bob"] .state').inner_text() == "active"
    page.context.close()


def test_an_operator_has_no_link_to_user_administration(browser: Any, server: Server) -> None:
    """The top bar offers the Users page only to those who may manage users."""
    page = log_in(browser, server, "alice")
    assert page.locator('[data-testid="users-link"]').count() == 0
    page.context.close()
