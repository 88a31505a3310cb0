"""An administrator builds the directory through the API: clients, sites, transmitters and contacts,
each inside their grant, each act in the logbook, a contact's secrets never sent back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.integration.api_support import PASSWORD, Stack, console_csrf, make_stack
from tests.integration.helpers import make_room
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    """The app on SQLite with a room and users."""
    yield from make_stack(tmp_path)


def as_user(stack: Stack, username: str) -> tuple[TestClient, dict[str, str]]:
    browser = stack.session(username)
    return browser, {"X-CSRF-Token": console_csrf(browser)}


def site_body(client_id: object, ref: str = "S9") -> dict[str, object]:
    return {
        "client_id": str(client_id),
        "ref": ref,
        "name": "Warehouse",
        "address": "3 rue du Port",
        "postcode": "69007",
        "city": "Lyon",
        "latitude": 45.74,
        "longitude": 4.84,
        "time_zone": "Europe/Paris",
    }


def test_an_admin_builds_a_client_a_site_a_transmitter_and_a_contact(stack: Stack) -> None:
    """Each POST answers 201 with the record, and the site's file then lists its children."""
    browser, csrf = as_user(stack, "admin")
    client = browser.post("/api/v1/clients", json={"ref": "C9", "name": "Client Nine"}, headers=csrf)
    assert client.status_code == 201, client.text
    assert client.json()["tenant_id"] == str(stack.room.tenant_id)
    site = browser.post("/api/v1/sites", json=site_body(client.json()["id"]), headers=csrf)
    assert site.status_code == 201, site.text
    site_id = site.json()["id"]
    account = browser.post(f"/api/v1/sites/{site_id}/accounts", json={"number": "9A9A"}, headers=csrf)
    assert account.status_code == 201, account.text
    assert account.json()["number"] == "9A9A"
    contact = browser.post(
        f"/api/v1/sites/{site_id}/contacts",
        json={"call_order": 1, "name": "Ms Keyholder", "phones": ["+33 6 11 22 33 44"]},
        headers=csrf,
    )
    assert contact.status_code == 201, contact.text
    assert contact.json()["password_set"] is False
    file = browser.get(f"/api/v1/sites/{site_id}").json()
    assert file["client_id"] == client.json()["id"]
    assert [a["number"] for a in file["accounts"]] == ["9A9A"]
    assert [x["name"] for x in file["contacts"]] == ["Ms Keyholder"]
    assert [e["ref"] for e in stack.entries("client.created")][-1] == "C9"
    assert [e["ref"] for e in stack.entries("site.created")][-1] == "S9"


def test_a_contacts_password_and_duress_word_never_come_back(stack: Stack) -> None:
    """The secrets are hashed on arrival: the answer, the site's file and the logbook hold only flags."""
    browser, csrf = as_user(stack, "admin")
    secrets = {"password": "blue heron", "duress_word": "red lantern"}
    body = {"call_order": 2, "name": "Mr Guard", "phones": ["+33 6 00 00 00 09"], **secrets}
    response = browser.post(f"/api/v1/sites/{stack.room.site_a}/contacts", json=body, headers=csrf)
    assert response.status_code == 201, response.text
    assert response.json()["password_set"] is True
    assert response.json()["duress_set"] is True
    file = browser.get(f"/api/v1/sites/{stack.room.site_a}").text
    entries = browser.get("/api/v1/logbook").text
    for secret in secrets.values():
        assert secret not in response.text
        assert secret not in file
        assert secret not in entries
    assert "hash" not in response.text


def test_a_client_scoped_admin_creates_sites_for_their_client_only(stack: Stack) -> None:
    """An admin over client A creates a site for A; for B (same tenant) 404, a new client 403."""
    stack.add_user("admin-a", "admin", client_ids=(stack.room.client_a,))
    browser, csrf = as_user(stack, "admin-a")
    assert browser.post("/api/v1/sites", json=site_body(stack.room.client_a), headers=csrf).status_code == 201
    refused = browser.post("/api/v1/sites", json=site_body(stack.room.client_b, "S10"), headers=csrf)
    assert refused.status_code == 404
    new_client = browser.post("/api/v1/clients", json={"ref": "C10", "name": "Ten"}, headers=csrf)
    assert new_client.status_code == 403
    account = browser.post(
        f"/api/v1/sites/{stack.room.site_b}/accounts", json={"number": "B1B1"}, headers=csrf
    )
    assert account.status_code == 404
    admin, _ = as_user(stack, "admin")
    refs = {s["ref"] for s in admin.get("/api/v1/sites").json()}
    assert "S9" in refs
    assert "S10" not in refs
    assert not stack.entries("site.child_added")


def test_another_tenants_admin_reaches_none_of_our_records(stack: Stack) -> None:
    """A second tenant's admin gets 404 for our client and our site, and the probe is recorded."""
    other = make_room(stack.node.store)
    scope = Scope.tenant(other.tenant_id)
    bus = stack.node.messagebus
    admin2 = bus.handle(
        c.AddUser(other.tenant_id, "admin-two", "Admin Two", PASSWORD), scope=scope, actor="t"
    )
    bus.handle(c.GrantRole(admin2.id, "admin"), scope=scope, actor="t")
    browser, csrf = as_user(stack, "admin-two")
    before = len(stack.entries("security.refused"))
    assert browser.post("/api/v1/sites", json=site_body(stack.room.client_a), headers=csrf).status_code == 404
    stack.clock.advance(seconds=60)  # refusals are counted per minute: the next is the first of its minute
    contact = {"call_order": 1, "name": "Intruder", "password": "x"}
    assert (
        browser.post(f"/api/v1/sites/{stack.room.site_a}/contacts", json=contact, headers=csrf).status_code
        == 404
    )
    assert len(stack.entries("security.refused")) == before + 2
    created = browser.post("/api/v1/clients", json={"ref": "C", "name": "Their own C"}, headers=csrf)
    assert created.status_code == 201  # created, in their own tenant
    assert created.json()["tenant_id"] == str(other.tenant_id)
    assert not stack.entries("site.child_added")


@pytest.mark.parametrize(
    ("path", "body", "status", "words"),
    [
        ("/api/v1/clients", {"ref": "A", "name": "Again"}, 409, "exists already"),
        ("/api/v1/sites", "dup-site", 409, "exists already"),
        ("/api/v1/sites", "bad-zone", 422, "time zone"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(
    stack: Stack, path: str, body: object, status: int, words: str
) -> None:
    """A taken reference is 409, an unknown time zone 422, each with a sentence, and nothing is stored."""
    browser, csrf = as_user(stack, "admin")
    if body == "dup-site":
        body = site_body(stack.room.client_a, "SA")
    elif body == "bad-zone":
        body = site_body(stack.room.client_a) | {"time_zone": "Mars/Olympus"}
    before = (len(browser.get("/api/v1/clients").json()), len(browser.get("/api/v1/sites").json()))
    response = browser.post(path, json=body, headers=csrf)
    assert response.status_code == status, response.text
    assert words in response.json()["detail"]
    after = (len(browser.get("/api/v1/clients").json()), len(browser.get("/api/v1/sites").json()))
    assert after == before


def test_an_operator_may_not_change_the_directory(stack: Stack) -> None:
    """The operator role lacks directory.write: 403, nothing stored."""
    browser, csrf = as_user(stack, "operator")
    response = browser.post("/api/v1/clients", json={"ref": "C11", "name": "Eleven"}, headers=csrf)
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"
