"""The console as an operator uses it: Debian's Chromium against a real `tocsin serve` process."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import Server, log_in, post_note_as

AXE_URL = "/static/vendor/axe-core/axe.min.js"  # vendored by scripts/vendor_assets.py


def test_an_entry_from_another_session_appears_live(browser: Any, server: Server) -> None:
    """Alice's console shows, without reload, the note Bob writes from his own session."""
    alice = log_in(browser, server, "alice")
    bob = log_in(browser, server, "bob")
    seq_before = int(alice.locator("body").get_attribute("data-live-seq") or 0)
    post_note_as(server, bob, "Patrol 2 on site SB, all quiet")
    row = alice.locator('[data-testid="logbook"] tr', has_text="Patrol 2 on site SB, all quiet")
    row.wait_for(timeout=10000)
    assert int(alice.locator("body").get_attribute("data-live-seq")) == seq_before + 1
    assert row.count() == 1


def test_the_keyboard_alone_writes_a_note(browser: Any, server: Server) -> None:
    """N focuses the note field, Enter records it, and it shows once in the logbook."""
    page = log_in(browser, server, "alice")
    page.keyboard.press("n")
    assert page.evaluate("document.activeElement.id") == "note"
    page.keyboard.type("Keyholder called back, code word correct")
    page.keyboard.press("Enter")
    row = page.locator('[data-testid="logbook"] tr', has_text="Keyholder called back, code word correct")
    row.wait_for(timeout=10000)
    page.wait_for_timeout(500)  # the same entry also arrives over the socket: it must not double
    assert row.count() == 1
    page.keyboard.press("Escape")
    page.keyboard.press("?")
    assert page.locator("#help").is_visible()


def test_the_console_speaks_french(browser: Any, server: Server) -> None:
    """A French browser gets the French login page and console."""
    page = log_in(browser, server, "bob", locale="fr-FR", extra_http_headers={"Accept-Language": "fr-FR"})
    page.locator("#note").wait_for()
    # Bob's own language is English until he switches: Alt+L switches and reloads.
    page.keyboard.press("Alt+l")
    page.wait_for_selector('html[lang="fr"]')
    assert (page.locator("#logbook-title").text_content() or "").startswith("Main courante")
    page.keyboard.press("Alt+l")
    page.wait_for_selector('html[lang="en"]')


def test_no_serious_accessibility_violation(browser: Any, server: Server) -> None:
    """axe-core finds no serious or critical violation on the login page and each role's screen."""
    page = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    page.goto(f"{server.url}/login")
    pages = {"login": _axe(page)}
    pages["console"] = _axe(log_in(browser, server, "alice"))
    pages["client"] = _axe(log_in(browser, server, "carol"))
    pages["unit"] = _axe(log_in(browser, server, "victor", live=False))
    serious = {
        name: [(v["id"], v["help"]) for v in violations if v["impact"] in ("serious", "critical")]
        for name, violations in pages.items()
    }
    assert serious == {"login": [], "console": [], "client": [], "unit": []}


def _axe(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(url=AXE_URL)  # a file the node serves: the CSP refuses inline scripts
    result: dict[str, Any] = page.evaluate("axe.run()")
    return list(result["violations"])
