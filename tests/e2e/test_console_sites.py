"""The console's sites page in Debian's Chromium: an administrator finds a site by part of its name with
the keyboard, edits a zone's label, sets a contact's password (never shown, never returned, and an
alarm's call-back then verifies it), adds a temporary instruction, overrides the site's intrusion plan,
and creates a client, a site and a transmitter; the French page speaks French; an operator without
``directory.write`` sees no edit controls and the API answers 403."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import ACCOUNT, PASSWORD, Server, _free_port, _prepare, log_in, shoot
from tocsin.bootstrap import bootstrap
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope

PHONE = "+33 6 12 34 56 78"
SECRET = "mimosa tardif"
WAIT = 15000  # ms: how long the page may take to show a change (a bound, not a measure)
AXE_URL = "/static/vendor/axe-core/axe.min.js"  # vendored by scripts/vendor_assets.py


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The e2e room with an administrator, a zone and a contact (no password yet) on Site A."""
    tmp = tmp_path_factory.mktemp("e2e-sites")
    settings, room = _prepare(tmp)
    node = bootstrap(settings)
    try:
        scope = Scope.tenant(room.tenant_id)
        bus = node.messagebus
        root = bus.handle(c.AddUser(room.tenant_id, "root", "Root", PASSWORD), scope=scope, actor="e2e")
        bus.handle(c.GrantRole(root.id, "admin"), scope=scope, actor="e2e")
        bus.handle(c.AddZone(room.site_a, "3", "Back door"), scope=scope, actor="e2e")
        bus.handle(c.AddContact(room.site_a, 1, "Marc Keyholder", (PHONE,)), scope=scope, actor="e2e")
        bus.handle(c.AddContact(room.site_b, 1, "Anna First", ("+33 6 01",)), scope=scope, actor="e2e")
        bus.handle(c.AddContact(room.site_b, 2, "Bruno Second", ("+33 6 02",)), scope=scope, actor="e2e")
        bus.handle(c.CreateSchedule(room.tenant_id, "Shop hours"), scope=scope, actor="e2e")
    finally:
        node.close()
    port = _free_port()
    running = Server(f"http://127.0.0.1:{port}", room, settings, port, _free_port(), tmp)
    running.start()
    yield running
    running.stop()


def _csrf(page: Any) -> dict[str, str]:
    return {"X-CSRF-Token": page.locator('meta[name="csrf-token"]').get_attribute("content")}


def _message(page: Any) -> str:
    text: str = page.locator('[data-testid="sites-message"]').inner_text()
    return text


def _saved(page: Any, before: int) -> None:
    """Wait until the page has reloaded the site's file after a change (the server answered)."""
    page.wait_for_function("n => Number(document.body.dataset.loads || 0) > n", arg=before, timeout=WAIT)


def _loads(page: Any) -> int:
    return int(page.evaluate("Number(document.body.dataset.loads || 0)"))


def _alarm_of(page: Any, server: Server, site_id: str) -> dict[str, Any]:
    """The site's alarm once the node has processed its signal (polled: the worker runs apart)."""
    for _ in range(150):
        listed: list[dict[str, Any]] = page.request.get(f"{server.url}/api/v1/alarms").json()
        found = [a for a in listed if a["site_id"] == site_id]
        if found:
            return found[0]
        page.wait_for_timeout(100)
    raise AssertionError("the alarm never reached the queue")


def _call_back_verifies(page: Any, server: Server, contact_id: str) -> None:
    """An intrusion arrives over DC-09; taken, the contact's call-back with the new password verifies."""
    site_id = str(server.room.site_a)
    server.send_frame("1130 01 003", ACCOUNT)
    alarm = _alarm_of(page, server, site_id)
    taken = page.request.post(f"{server.url}/api/v1/alarms/{alarm['id']}/take", headers=_csrf(page))
    assert taken.ok, taken.text()
    call = {"contact_id": contact_id, "number": PHONE, "outcome": "answered", "word": "Mimosa  Tardif"}
    url = f"{server.url}/api/v1/alarms/{alarm['id']}/calls"
    checked = page.request.post(url, data=call, headers=_csrf(page))
    assert checked.ok, checked.text()
    assert checked.json()["result"] == "password"
    assert SECRET not in checked.text()


def _create_client_site_and_account(page: Any, server: Server) -> None:
    """A client, then its site (opened at once), then the site's transmitter, from the page."""
    client_form = page.locator('[data-testid="client-create"]')
    client_form.locator('[name="ref"]').fill("C-E2E")
    client_form.locator('[name="name"]').fill("Client E2E")
    client_form.locator('[name="name"]').press("Enter")
    page.locator('[data-testid="sites-message"]', has_text="Client E2E").wait_for(timeout=WAIT)
    site_form = page.locator('[data-testid="site-create"]')
    assert "Client E2E" in site_form.locator('[name="client_id"] option:checked').inner_text()
    site_form.locator('[name="ref"]').fill("S-E2E")
    site_form.locator('[name="name"]').fill("Warehouse E2E")
    site_form.locator('[name="city"]').fill("Lyon")
    site_form.locator('[name="name"]').press("Enter")
    page.wait_for_selector('[data-testid="site-file"][data-ref="S-E2E"]', timeout=WAIT)
    account_form = page.locator('[data-testid="account-add"]')
    account_form.locator('[name="number"]').fill("4E2E")
    before = _loads(page)
    account_form.locator('[name="number"]').press("Enter")
    _saved(page, before)
    assert "#4E2E" in page.locator('[data-testid="accounts-table"]').inner_text()
    sites = page.request.get(f"{server.url}/api/v1/sites?q=warehouse").json()
    assert [s["ref"] for s in sites] == ["S-E2E"]


def _override_the_intrusion_plan(page: Any, server: Server) -> None:
    """The site's own intrusion plan, from the default one with a step added."""
    site_id = str(server.room.site_a)
    block = page.locator('[data-testid="plan-intrusion"]')
    assert block.locator('[data-testid="plan-source"]').get_attribute("data-source") == "default"
    block.get_by_role("button", name="Write a site plan").click()
    editor = block.locator('[data-testid="plan-editor"]')
    editor.get_by_role("button", name="Add a step").click()
    page.keyboard.type("Ask the guard to check the yard gate")  # the new step's text has the focus
    before = _loads(page)
    editor.get_by_role("button", name="Save the site plan").click()
    _saved(page, before)
    block = page.locator('[data-testid="plan-intrusion"]')
    assert block.locator('[data-testid="plan-source"]').get_attribute("data-source") == "site"
    assert "Ask the guard to check the yard gate" in block.inner_text()
    plan = page.request.get(f"{server.url}/api/v1/sites/{site_id}/action-plans/intrusion").json()
    assert plan["source"] == "site"
    assert plan["steps"][-1]["instruction"] == "Ask the guard to check the yard gate"


def _add_an_instruction(page: Any) -> None:
    """A temporary instruction, from now for two hours (the form's defaults), added with Enter."""
    form = page.locator('[data-testid="instruction-add"]')
    form.locator('[name="text"]').fill("Technician on site until 17:00")
    form.locator('[name="caller"]').fill("Mr Martin")
    before = _loads(page)
    form.locator('[name="text"]').press("Enter")
    _saved(page, before)
    table = page.locator('[data-testid="instructions-table"]')
    assert "Technician on site until 17:00" in table.inner_text()
    assert "in force" in table.inner_text()


def _open_sites(page: Any, server: Server) -> None:
    page.locator('[data-testid="sites-link"]').click()
    page.wait_for_url(f"{server.url}/console/sites")
    page.wait_for_selector('body[data-sites-ready="yes"]')


def test_an_admin_edits_a_site_file_and_creates_a_client_a_site_and_a_transmitter(
    browser: Any, server: Server
) -> None:
    page = log_in(browser, server, "root")
    _open_sites(page, server)
    site_id = str(server.room.site_a)

    # find Site A by part of its name, with the keyboard alone (the search has the focus)
    assert page.evaluate("document.activeElement.id") == "site-search"
    page.keyboard.type("ite a")
    hit = page.locator('[data-testid="site-hit"]').first
    hit.wait_for(timeout=WAIT)
    assert hit.get_attribute("data-site-id") == site_id
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_selector(f'[data-testid="site-file"][data-site-id="{site_id}"]:not([hidden])', timeout=WAIT)
    assert page.evaluate("document.activeElement.id") == "site-file-title"
    page.keyboard.press("/")  # back to the search from anywhere outside a field
    assert page.evaluate("document.activeElement.id") == "site-search"

    # the zone's label, edited in place and saved with Enter
    label = page.locator('[data-testid="zones-table"] tr[data-zone="3"] input[name="name"]')
    label.fill("Back door (yard)")
    before = _loads(page)
    label.press("Enter")
    _saved(page, before)
    assert "logbook" in _message(page)
    assert page.locator('tr[data-zone="3"] input[name="name"]').input_value() == "Back door (yard)"

    # the contact's password: typed, saved, then shown only as "set"
    row = page.locator('[data-testid="contacts-table"] tr[data-contact="Marc Keyholder"]')
    assert row.locator('[data-testid="password-state"]').inner_text() == "not set"
    row.locator('[data-testid="contact-password"]').fill(SECRET)
    before = _loads(page)
    row.locator('[data-testid="contact-password"]').press("Enter")
    _saved(page, before)
    row = page.locator('tr[data-contact="Marc Keyholder"]')
    assert row.locator('[data-testid="password-state"]').inner_text() == "set"
    assert row.locator('[data-testid="contact-password"]').input_value() == ""
    assert SECRET not in page.content()
    file = page.request.get(f"{server.url}/api/v1/sites/{site_id}")
    assert file.ok
    contact = file.json()["contacts"][0]
    assert contact["password_set"] is True
    logbook = page.request.get(f"{server.url}/api/v1/logbook").text()
    for text in (file.text(), logbook):
        assert SECRET not in text
        assert "hash" not in text
    assert "password set" in logbook

    _call_back_verifies(page, server, contact["id"])

    _add_an_instruction(page)
    _override_the_intrusion_plan(page, server)
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, "console-sites")

    _create_client_site_and_account(page, server)
    page.context.close()


def test_an_admin_assigns_a_schedule_adds_and_removes_a_zone_and_reorders_contacts(
    browser: Any, server: Server
) -> None:
    """On Site B: the address and coordinates saved, the schedule chosen and assigned, a zone added
    then removed (the browser's confirm accepted), the second contact moved first; each change as the
    API then reads it."""
    page = log_in(browser, server, "root")
    site_id = str(server.room.site_b)
    page.goto(f"{server.url}/console/sites?site={site_id}")
    page.wait_for_selector(f'[data-testid="site-file"][data-site-id="{site_id}"]:not([hidden])', timeout=WAIT)
    page.on("dialog", lambda dialog: dialog.accept())

    fields = page.locator('[data-testid="site-fields-form"]')
    fields.locator('[name="address"]').fill("8 quai Perrache")
    fields.locator('[name="latitude"]').fill("45,7485")  # a French decimal comma is read too
    fields.locator('[name="longitude"]').fill("4.8261")
    before = _loads(page)
    fields.locator('[name="address"]').press("Enter")
    _saved(page, before)
    assert (
        page.locator('[data-testid="site-fields-form"] [name="address"]').input_value() == "8 quai Perrache"
    )

    schedule = page.locator('[data-testid="site-schedule"]')
    schedule.locator("select").select_option(label="Shop hours")
    before = _loads(page)
    schedule.get_by_role("button", name="Assign").click()
    _saved(page, before)
    assert page.locator('[data-testid="site-schedule-name"]').inner_text() == "Shop hours"

    form = page.locator('[data-testid="zone-add"]')
    form.locator('[name="number"]').fill("12")
    form.locator('[name="name"]').fill("Smoke, kitchen")
    form.locator("select").select_option("fire")
    before = _loads(page)
    form.locator('[name="name"]').press("Enter")
    _saved(page, before)
    row = page.locator('[data-testid="zones-table"] tr[data-zone="12"]')
    assert row.locator("select").input_value() == "fire"
    before = _loads(page)
    row.get_by_role("button", name="Remove").click()
    _saved(page, before)
    assert page.locator('tr[data-zone="12"]').count() == 0

    before = _loads(page)
    page.get_by_role("button", name="Call earlier: Bruno Second").click()
    _saved(page, before)
    names = page.locator('[data-testid="contacts-table"] tbody tr').evaluate_all(
        "rows => rows.map(r => r.dataset.contact)"
    )
    assert names == ["Bruno Second", "Anna First"]
    file = page.request.get(f"{server.url}/api/v1/sites/{site_id}").json()
    assert (file["address"], file["latitude"], file["longitude"]) == ("8 quai Perrache", 45.7485, 4.8261)
    assert file["schedule_id"] is not None
    assert file["zones"] == []
    assert [(x["name"], x["call_order"]) for x in file["contacts"]] == [
        ("Bruno Second", 1),
        ("Anna First", 2),
    ]
    page.context.close()


def test_the_french_page_speaks_french(browser: Any, server: Server) -> None:
    """Dominique reads the page in French: labels, key hints, the file's parts and the secrets' state."""
    page = log_in(browser, server, "dominique")
    page.goto(f"{server.url}/console/sites?site={server.room.site_a}")
    page.wait_for_selector('[data-testid="site-file"]:not([hidden])', timeout=WAIT)
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "Nom, référence, adresse" in page.locator("label[for=site-search]").inner_text()
    assert "Échap" in page.locator('[data-testid="sites-keys"]').inner_text()
    assert page.locator('[data-testid="sites-readonly"]').text_content() == "lecture seule"
    body = page.locator('[data-testid="site-file"]').text_content()
    for words in ("Contacts (ordre d\u2019appel)", "Consignes temporaires", "Transmetteurs", "Mot de passe"):
        assert words in body
    assert page.locator('[data-testid="password-state"]').first.inner_text() in {"défini", "non défini"}
    page.context.close()


def test_an_operator_reads_the_file_without_edit_controls_and_the_api_refuses(
    browser: Any, server: Server
) -> None:
    """Alice (operator) reads the site's file: no create forms, no zone, contact, account, site or plan
    controls, no password field; her change sent to the API answers 403."""
    page = log_in(browser, server, "alice")
    page.locator('[data-testid="sites-link"]').focus()
    page.keyboard.press("Tab")  # off the link: "/" is the console's key to the sites page
    page.keyboard.press("/")
    page.wait_for_url(f"{server.url}/console/sites")
    page.wait_for_selector('body[data-sites-ready="yes"]')
    page.keyboard.type("site a")
    page.locator('[data-testid="site-hit"]').first.wait_for(timeout=WAIT)
    page.keyboard.press("Enter")  # Enter in the search moves to the first result, Enter again opens it
    page.wait_for_function("document.activeElement.dataset.testid === 'site-hit'")
    page.keyboard.press("Enter")
    page.wait_for_selector('[data-testid="site-file"]:not([hidden])', timeout=WAIT)
    for testid in (
        "client-create",
        "site-create",
        "site-fields-form",
        "zone-add",
        "contact-add",
        "account-add",
        "plan-editor",
        "contact-password",
    ):
        assert page.locator(f'[data-testid="{testid}"]').count() == 0, testid
    zones = page.locator('[data-testid="site-zones"]')
    assert zones.locator("input, select, button").count() == 0
    contacts = page.locator('[data-testid="site-contacts"]')
    assert contacts.locator("input, select, button").count() == 0
    assert page.locator('[data-testid="site-plans"] button').count() == 0
    refused = page.request.patch(
        f"{server.url}/api/v1/sites/{server.room.site_a}",
        data={"name": "Not mine to change"},
        headers=_csrf(page),
    )
    assert refused.status == 403
    assert page.request.get(f"{server.url}/api/v1/sites/{server.room.site_a}").json()["name"] != "Not mine"
    page.context.close()


def test_no_serious_accessibility_violation_on_the_sites_page(browser: Any, server: Server) -> None:
    """axe-core finds no serious or critical violation on an administrator's site file, plan editor open,
    nor on an operator's read-only one."""
    found = {}
    for username in ("root", "alice"):
        page = log_in(browser, server, username)
        page.goto(f"{server.url}/console/sites?site={server.room.site_a}")
        page.wait_for_selector('[data-testid="site-file"]:not([hidden])', timeout=WAIT)
        if username == "root":
            page.locator('[data-testid="plan-fire"]').get_by_role("button", name="Write a site plan").click()
            page.wait_for_selector('[data-testid="plan-editor"]', timeout=WAIT)
        page.add_script_tag(url=AXE_URL)  # a file the node serves: the CSP refuses inline scripts
        result: dict[str, Any] = page.evaluate("axe.run()")
        found[username] = [
            (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        page.context.close()
    assert found == {"root": [], "alice": []}
