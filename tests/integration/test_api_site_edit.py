"""A site's file edited through the API: search, the site's fields, zones, contacts (secrets write-only)
and their call order; each change a logbook entry, each refusal a clear 4xx with nothing changed, and no
one reaching a site outside their grant or tenant."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from tests.conftest import POSTGRES_ENV
from tests.integration.alarm_support import send
from tests.integration.api_support import PASSWORD, Stack, console_csrf, make_stack
from tests.integration.helpers import make_room
from tests.integration.scope_walk import snapshot as every_table
from tocsin.domain import alarms as a
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope


@pytest.fixture(scope="module")
def stack(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """One app for the module (on PostgreSQL when TOCSIN_TEST_POSTGRES_URL is set, else SQLite)."""
    url = request.getfixturevalue("postgres_url") if os.environ.get(POSTGRES_ENV) else None
    for built in make_stack(tmp_path_factory.mktemp("site-edit"), url):
        built.add_user("supervisor", "supervisor")
        built.add_user("admin-a", "admin", client_ids=(built.room.client_a,))
        other = make_room(built.node.store)
        scope = Scope.tenant(other.tenant_id)
        user = built.node.messagebus.handle(
            c.AddUser(other.tenant_id, "admin-two", "Admin Two", PASSWORD), scope=scope, actor="t"
        )
        built.node.messagebus.handle(c.GrantRole(user.id, "admin"), scope=scope, actor="t")
        yield built


def snapshot(stack: Stack) -> dict[str, list[str]]:
    """Every table but the sessions' (each request notes when a session was last seen)."""
    return {name: rows for name, rows in every_table(stack).items() if name != "auth_session"}


class Api:
    """A logged-in browser that sends its CSRF token with every change."""

    def __init__(self, stack: Stack, username: str) -> None:
        self.browser: TestClient = stack.session(username)
        self.csrf = {"X-CSRF-Token": console_csrf(self.browser)}

    def get(self, url: str) -> Any:
        return self.browser.get(url)

    def send(self, method: str, url: str, body: Any = None) -> Any:
        return self.browser.request(method, url, json=body, headers=self.csrf)


def site_file(api: Api, site_id: object) -> dict[str, Any]:
    response = api.get(f"/api/v1/sites/{site_id}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_search_finds_sites_by_name_ref_address_account_and_contact(stack: Stack) -> None:
    """Words of the name (any case, no accents needed), the reference, the city, an account number and
    a contact's name each find the site; the answer is bounded and ranked; a client finds only its own."""
    admin = Api(stack, "admin")
    room, scope = stack.room, Scope.tenant(stack.room.tenant_id)
    bus = stack.node.messagebus
    site = admin.send(
        "POST",
        "/api/v1/sites",
        {"client_id": str(room.client_b), "ref": "BK-77", "name": "Boulangerie Épi d'Or", "city": "Lyon"},
    ).json()
    site_id = UUID(site["id"])
    bus.handle(c.AddAccount(site_id, "7E57"), scope=scope, actor="t")
    bus.handle(
        c.AddContact(site_id, 1, "Mme Roussel", ("+33 6 1",), password="never"), scope=scope, actor="t"
    )

    def refs(q: str, who: Api = admin, limit: int = 20) -> list[str]:
        response = who.get(f"/api/v1/sites?q={q}&limit={limit}")
        assert response.status_code == 200, response.text
        return [s["ref"] for s in response.json()]

    assert refs("boulangerie epi") == ["BK-77"]
    assert refs("bk-77") == ["BK-77"]
    assert refs("lyon") == ["BK-77"]
    assert refs("7e57") == ["BK-77"]
    assert refs("roussel") == ["BK-77"]
    assert refs("never") == []  # a password is no search word
    assert refs("zzz-nothing") == []
    assert len(refs("s", limit=1)) == 1
    assert refs("epi", Api(stack, "client-a")) == []  # site of client B: not the client's
    # the texts kept between searches follow a change at once (it moved the logbook's head)
    assert admin.send("PATCH", f"/api/v1/sites/{site_id}", {"name": "Pâtisserie Épi d'Or"}).status_code == 200
    assert refs("patisserie") == ["BK-77"]
    assert refs("boulangerie") == []
    bus.handle(c.AddContact(site_id, 2, "M. Delorme", ("+33 6 2",)), scope=scope, actor="t")
    assert refs("delorme") == ["BK-77"]
    assert admin.get("/api/v1/sites?q=x&limit=500").status_code == 422
    assert admin.get("/api/v1/sites?q=" + "x" * 101).status_code == 422


def test_an_admin_changes_a_sites_fields_and_the_logbook_says_what(stack: Stack) -> None:
    """PATCH changes only the fields sent; the entry names them with the old and new values."""
    admin = Api(stack, "admin")
    url = f"/api/v1/sites/{stack.room.site_a}"
    response = admin.send(
        "PATCH", url, {"name": "Site A renamed", "address": "1 quai Est", "latitude": 45.7, "longitude": 4.8}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["name"], body["address"], body["latitude"]) == ("Site A renamed", "1 quai Est", 45.7)
    entry = stack.entries("site.updated")[-1]
    assert entry["fields"] == "name, address, latitude, longitude"
    assert "Site A renamed" in str(entry["after"])
    cleared = admin.send("PATCH", url, {"latitude": None, "longitude": None})
    assert cleared.json()["latitude"] is None
    before = len(stack.entries("site.updated"))
    assert admin.send("PATCH", url, {"name": "Site A renamed"}).status_code == 200  # nothing changes
    assert len(stack.entries("site.updated")) == before


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"name": " "}, 422, "name"),
        ({"name": None}, 422, "cannot be removed"),
        ({"time_zone": "Mars/Olympus"}, 422, "time zone"),
        ({"latitude": 45.0}, 422, "both latitude and longitude"),
        ({"latitude": 95, "longitude": 0}, 422, "latitude"),
        ({"ref": "NEW-REF"}, 422, "ref"),
        ({"client_id": None}, 422, "cannot be removed"),
    ],
)
def test_bad_site_changes_are_refused_with_nothing_changed(
    stack: Stack, body: dict[str, Any], status: int, words: str
) -> None:
    admin = Api(stack, "admin")
    before = snapshot(stack)
    response = admin.send("PATCH", f"/api/v1/sites/{stack.room.site_b}", body)
    assert response.status_code == status, response.text
    assert words in response.json()["detail"].lower()
    assert snapshot(stack) == before


def test_a_site_moves_to_another_client_only_with_nothing_live(stack: Stack) -> None:
    """A site with no open alarm and no running instruction moves to another client (the entry names
    both); an open alarm or an instruction not ended refuses it (409); a client outside the mover's
    grant or tenant is 404; nothing changes on a refusal."""
    admin = Api(stack, "admin")
    room = stack.room
    site = admin.send(
        "POST", "/api/v1/sites", {"client_id": str(room.client_a), "ref": "MV-1", "name": "Mover"}
    )
    url = f"/api/v1/sites/{site.json()['id']}"
    moved = admin.send("PATCH", url, {"client_id": str(room.client_b)})
    assert moved.status_code == 200, moved.text
    assert moved.json()["client_id"] == str(room.client_b)
    entry = stack.entries("site.updated")[-1]
    assert (entry["fields"], entry["before"], entry["after"]) == ("client_id", "client_id=A", "client_id=B")
    assert entry["client_id"] == str(room.client_b)

    ends = (stack.clock.now() + timedelta(days=1)).isoformat()
    given = admin.send(
        "POST", f"{url}/instructions", {"kind": "note", "text": "Keys with Mr X", "ends_at": ends}
    )
    assert given.status_code == 200, given.text
    before = snapshot(stack)
    refused = admin.send("PATCH", url, {"client_id": str(room.client_a)})
    assert refused.status_code == 409
    assert "temporary instructions not ended" in refused.json()["detail"]
    assert snapshot(stack) == before
    admin.send("DELETE", f"{url}/instructions/{given.json()['id']}")

    scope = Scope.tenant(room.tenant_id)
    account = stack.node.messagebus.handle(
        c.AddAccount(UUID(site.json()["id"]), "40E1"), scope=scope, actor="t"
    )
    send(stack.node.store, stack.clock, account, "1130 01 004")
    refused = admin.send("PATCH", url, {"client_id": str(room.client_a)})
    assert refused.status_code == 409
    assert "alarms not closed" in refused.json()["detail"]

    other = Api(stack, "admin-two")
    theirs = other.get("/api/v1/clients").json()[0]["id"]
    assert admin.send("PATCH", url, {"client_id": theirs}).status_code == 404
    admin_a = Api(stack, "admin-a")
    own = admin_a.send(
        "POST", "/api/v1/sites", {"client_id": str(room.client_a), "ref": "MV-2", "name": "A's"}
    )
    assert own.status_code == 201, own.text
    before = snapshot(stack)
    outside = admin_a.send("PATCH", f"/api/v1/sites/{own.json()['id']}", {"client_id": str(room.client_b)})
    assert outside.status_code == 404
    assert snapshot(stack) == before


def test_zones_are_added_changed_and_removed_with_duplicates_refused(stack: Stack) -> None:
    admin = Api(stack, "admin")
    base = f"/api/v1/sites/{stack.room.site_b}/zones"
    door = admin.send("POST", base, {"number": "1", "name": "Front door"})
    assert door.status_code == 201, door.text
    smoke = admin.send("POST", base, {"number": "2", "name": "Smoke", "kind": "fire"}).json()
    duplicate = admin.send("POST", base, {"number": "1", "name": "Again"})
    assert duplicate.status_code == 409
    assert "Zone 1 already exists" in duplicate.json()["detail"]
    zone_id = door.json()["id"]
    renamed = admin.send("PATCH", f"{base}/{zone_id}", {"name": "Front door (shop)"})
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == "Front door (shop)"
    entry = stack.entries("site.child_changed")[-1]
    assert (entry["what"], entry["action"]) == ("zone", "changed")
    assert "Front door (shop)" in str(entry["fields"])
    clash = admin.send("PATCH", f"{base}/{zone_id}", {"number": "2"})
    assert clash.status_code == 409
    assert admin.send("PATCH", f"{base}/{zone_id}", {"name": ""}).status_code == 422
    removed = admin.send("DELETE", f"{base}/{smoke['id']}")
    assert removed.status_code == 200
    assert stack.entries("site.child_changed")[-1]["action"] == "removed"
    numbers = [z["number"] for z in site_file(admin, stack.room.site_b)["zones"]]
    assert numbers == ["1"]
    assert admin.send("DELETE", f"{base}/{smoke['id']}").status_code == 404
    # a zone of another site named under this one is not found
    elsewhere = admin.send(
        "POST", f"/api/v1/sites/{stack.room.site_a}/zones", {"number": "9", "name": "X"}
    ).json()
    assert admin.send("PATCH", f"{base}/{elsewhere['id']}", {"name": "Y"}).status_code == 404


def test_a_contacts_secrets_are_set_and_changed_but_never_returned(stack: Stack) -> None:
    """Set, change and clear the password and duress word: answers, file and logbook say only 'set';
    the call-back check then knows the new word."""
    admin = Api(stack, "admin")
    base = f"/api/v1/sites/{stack.room.site_a}/contacts"
    first = admin.send("POST", base, {"call_order": 1, "name": "Paul First", "phones": ["+33 6 01"]}).json()
    second = admin.send("POST", base, {"call_order": 2, "name": "Zoe Second", "phones": ["+33 6 02"]}).json()
    assert first["password_set"] is False
    secrets = ("amber falcon", "grey owl")
    changed = admin.send(
        "PATCH",
        f"{base}/{first['id']}",
        {
            "password": secrets[0],
            "duress_word": secrets[1],
            "phones": ["+33 6 01", "+33 1 02"],
            "role": "manager",
        },
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["password_set"], changed.json()["duress_set"]) == (True, True)
    assert changed.json()["phones"] == ["+33 6 01", "+33 1 02"]
    entry = stack.entries("site.child_changed")[-1]
    assert "password set" in str(entry["fields"])
    assert "duress_word set" in str(entry["fields"])
    texts = [
        changed.text,
        admin.get(f"/api/v1/sites/{stack.room.site_a}").text,
        admin.get("/api/v1/logbook").text,
    ]
    for text in texts:
        assert "hash" not in text
        for secret in secrets:
            assert secret not in text
    assert admin.send("PATCH", f"{base}/{first['id']}", {"password": "   "}).status_code == 422
    both = admin.send("PATCH", f"{base}/{first['id']}", {"password": "x", "clear_password": True})
    assert both.status_code == 422
    cleared = admin.send("PATCH", f"{base}/{first['id']}", {"clear_duress": True})
    assert (cleared.json()["password_set"], cleared.json()["duress_set"]) == (True, False)

    # the call-back check knows the new password
    scope = Scope.tenant(stack.room.tenant_id)
    account = stack.node.messagebus.handle(c.AddAccount(stack.room.site_a, "5E75"), scope=scope, actor="t")
    send(stack.node.store, stack.clock, account, "1130 01 005")
    alarm = stack.node.store.read(
        lambda uow: uow.alarms.find(states=a.ALARM_STATES, site_id=stack.room.site_a), Scope.system()
    )[0]
    operator = Api(stack, "operator")
    assert operator.send("POST", f"/api/v1/alarms/{alarm.id}/take").status_code == 200
    call = {"contact_id": first["id"], "number": "+33 6 01", "outcome": "answered", "word": "Amber  FALCON"}
    checked = operator.send("POST", f"/api/v1/alarms/{alarm.id}/calls", call)
    assert checked.status_code == 200, checked.text
    assert checked.json()["result"] == "password"

    # the call order: every contact once
    order = admin.send("PUT", f"{base}/order", {"contact_ids": [second["id"], first["id"]]})
    assert order.status_code == 200, order.text
    assert [(x["name"], x["call_order"]) for x in order.json()] == [("Zoe Second", 1), ("Paul First", 2)]
    assert stack.entries("site.child_changed")[-1]["action"] == "reordered"
    partial = admin.send("PUT", f"{base}/order", {"contact_ids": [second["id"]]})
    assert partial.status_code == 422
    assert "every contact" in partial.json()["detail"].lower()
    twice = admin.send("PUT", f"{base}/order", {"contact_ids": [second["id"], second["id"]]})
    assert twice.status_code == 422
    removed = admin.send("DELETE", f"{base}/{second['id']}")
    assert removed.status_code == 200
    assert "hash" not in removed.text
    assert [x["name"] for x in site_file(admin, stack.room.site_a)["contacts"]] == ["Paul First"]


def test_those_without_directory_write_are_refused_and_nothing_changes(stack: Stack) -> None:
    """An operator and a supervisor read the file but change nothing: 403 for each route."""
    site = stack.room.site_a
    zone = (
        Api(stack, "admin").send("POST", f"/api/v1/sites/{site}/zones", {"number": "40", "name": "Z"}).json()
    )
    for username in ("operator", "supervisor", "client-a"):
        who = Api(stack, username)
        assert who.get(f"/api/v1/sites/{site}").status_code == 200
        before = snapshot(stack)
        for method, url, body in (
            ("PATCH", f"/api/v1/sites/{site}", {"name": "No"}),
            ("POST", f"/api/v1/sites/{site}/zones", {"number": "41", "name": "No"}),
            ("PATCH", f"/api/v1/sites/{site}/zones/{zone['id']}", {"name": "No"}),
            ("DELETE", f"/api/v1/sites/{site}/zones/{zone['id']}", None),
            ("PUT", f"/api/v1/sites/{site}/contacts/order", {"contact_ids": [zone["id"]]}),
        ):
            response = who.send(method, url, body)
            assert response.status_code == 403, (username, method, url, response.text)
        assert snapshot(stack) == before


def test_a_client_scoped_admin_and_another_tenant_reach_only_their_own(stack: Stack) -> None:
    """An admin of client A edits A's site but gets 404 for B's (the probe recorded); another
    tenant's admin gets 404 for every site of ours."""
    admin_a, other = Api(stack, "admin-a"), Api(stack, "admin-two")
    own = admin_a.send("PATCH", f"/api/v1/sites/{stack.room.site_a}", {"notes": "seen by A"})
    assert own.status_code == 200, own.text
    for who in (admin_a, other):
        before = snapshot(stack)
        stack.clock.advance(seconds=60)
        refused = len(stack.entries("security.refused"))
        target = stack.room.site_b if who is admin_a else stack.room.site_a
        response = who.send("PATCH", f"/api/v1/sites/{target}", {"notes": "not yours"})
        assert response.status_code == 404, response.text
        assert (
            who.send("POST", f"/api/v1/sites/{target}/zones", {"number": "50", "name": "X"}).status_code
            == 404
        )
        assert snapshot(stack) == before
        assert len(stack.entries("security.refused")) > refused
    found = other.get("/api/v1/sites?q=site").json()
    assert found  # its own Site A and Site B
    assert {s["tenant_id"] for s in found} != {str(stack.room.tenant_id)}
    assert not {s["id"] for s in found} & {str(stack.room.site_a), str(stack.room.site_b)}
