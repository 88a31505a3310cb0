"""The events API over HTTP: a call's questioning and creation, duplicates, the board, an event's life,
an alarm's event, CAP 1.2 and EIDO exchange, the nomenclature's edits, bad input and who may do what."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.integration.alarm_support import send
from tests.integration.api_support import PASSWORD, Stack, make_stack
from tests.integration.eido_schema import eido_validator
from tests.integration.helpers import make_room
from tests.integration.test_api_alarms import Actor, actor, add_account
from tocsin.domain import alarms as a
from tocsin.domain import commands as c
from tocsin.domain.incident_events import IncidentEvent
from tocsin.domain.scope import Scope
from tocsin.i18n import LANGUAGES
from tocsin.i18n.catalogue import MESSAGES
from tocsin.protocols import cap

PLACE = {"latitude": 48.8566, "longitude": 2.3522, "address": "1 place de l'Hôtel de Ville, Paris"}
NEAR = {"latitude": 48.8575, "longitude": 2.3522, "address": "rue de Rivoli"}


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """One app: an admin, operators, a client, a field unit, and an operator of another tenant."""
    for built in make_stack(tmp_path_factory.mktemp("events")):
        built.add_user("crew", "unit")
        other = make_room(built.node.store)
        scope = Scope.tenant(other.tenant_id)
        bus = built.node.messagebus
        user = bus.handle(
            c.AddUser(other.tenant_id, "elsewhere", "Elsewhere", PASSWORD), scope=scope, actor="t"
        )
        bus.handle(c.GrantRole(user.id, "operator"), scope=scope, actor="t")
        yield built


@pytest.fixture(scope="module")
def operator(stack: Stack) -> Actor:
    return actor(stack, "operator")


def patch(who: Actor, url: str, body: dict[str, Any]) -> Any:
    return who.browser.patch(url, json=body, headers={"X-CSRF-Token": who.csrf})


def test_a_call_is_questioned_created_and_a_second_call_nearby_is_offered_as_the_same(
    stack: Stack, operator: Actor
) -> None:
    """The questions' evaluation raises the priority as answers come; the created event carries them,
    its caller and note; a second call 100 m away lists it as a candidate and may be attached to it."""
    base = {"type_code": "road_accident", **PLACE}
    first = operator.post("/api/v1/events/assess", base).json()
    assert first["priority"] == 3
    assert "victims" in first["missing"]
    assert first["next_question"] == "victims"
    raised = operator.post("/api/v1/events/assess", {**base, "answers": {"victims": 2}}).json()
    assert raised["priority"] == 2
    assert raised["reasons"] == ["victims"]
    reflex = operator.post("/api/v1/events/assess", {**base, "answers": {"trapped": True}}).json()
    assert reflex["reflex"]
    assert reflex["priority"] == 1
    assert reflex["response_plan"]
    body = {**base, "answers": {"victims": 2}, "caller_name": "Mme Durand", "caller_phone": "0612345678"}
    created = operator.post("/api/v1/events", {**body, "note": "Two cars, one on its roof"})
    assert created.status_code == 201, created.text
    event = created.json()["event"]
    assert (event["type_code"], event["priority"], event["state"]) == ("ROAD_ACCIDENT", 2, "open")
    assert event["caller_phone"] == "0612345678"
    assert event["notes"][0]["text"] == "Two cars, one on its roof"
    assert [t["kind"] for t in event["timeline"]] == ["incident.opened", "incident.note"]
    again = operator.post("/api/v1/events/assess", {"type_code": "INJURED_PERSON", **NEAR}).json()
    assert [x["id"] for x in again["candidates"]] == [event["id"]]
    assert 90 < again["candidates"][0]["distance_m"] < 110
    second = operator.post("/api/v1/events", {"type_code": "ROAD_ACCIDENT", **NEAR}).json()
    assert event["id"] in [x["id"] for x in second["candidates"]]
    attached = operator.post(
        "/api/v1/events", {"type_code": "ROAD_ACCIDENT", **NEAR, "duplicate_of": event["id"], "note": "Smoke"}
    )
    assert attached.status_code == 201
    assert attached.json()["attached"]
    assert "Further call" in attached.json()["event"]["notes"][-1]["text"]


def test_an_events_life_on_the_board_its_timeline_and_its_refusals(stack: Stack, operator: Actor) -> None:
    """Dispatched, on scene, noted, linked, closed; the board lists the open ones most urgent first; a note
    on a closed event, an unknown type, a wrong answer and a bad state step are refused, nothing changed."""
    made = operator.post("/api/v1/events", {"type_code": "NOISE", **PLACE, "answers": {"repeated": False}})
    event = made.json()["event"]
    url = f"/api/v1/events/{event['id']}"
    urgent = operator.post("/api/v1/events", {"type_code": "CARDIAC_ARREST", **PLACE}).json()["event"]
    board = operator.get("/api/v1/events").json()
    keys = [(x["priority"], x["opened_at"]) for x in board]
    assert keys == sorted(keys)
    assert board[0]["id"] == urgent["id"]
    assert patch(operator, url, {"state": "dispatched"}).json()["state"] == "dispatched"
    assert patch(operator, url, {"state": "open"}).status_code == 200  # back one step
    assert patch(operator, url, {"state": "on_scene"}).json()["state"] == "on_scene"
    assert patch(operator, url, {"priority": 2}).json()["priority"] == 2
    noted = operator.post(f"{url}/notes", {"text": "Music stopped"}).json()
    assert noted["notes"][-1]["text"] == "Music stopped"
    linked = operator.post(f"{url}/links", {"kind": "site", "id": str(stack.room.site_a)}).json()
    assert {"kind": "site", "id": str(stack.room.site_a)} in linked["links"]
    without = patch(operator, url, {"state": "closed"})
    assert without.status_code == 409  # no report yet: an event closes only with its report
    assert "report" in without.json()["detail"]
    report = {"outcomes": ["handled"], "text": "Music turned down, neighbours calm."}
    assert (
        operator.browser.put(
            f"{url}/report", json=report, headers={"X-CSRF-Token": operator.csrf}
        ).status_code
        == 200
    )
    closed = patch(operator, url, {"state": "closed"}).json()
    assert closed["state"] == "closed"
    assert closed["closed_at"]
    assert event["id"] not in {x["id"] for x in operator.get("/api/v1/events").json()}
    assert event["id"] in {x["id"] for x in operator.get("/api/v1/events?state=closed").json()}
    refused = operator.post(f"{url}/notes", {"text": "late"})
    assert refused.status_code == 422
    assert "closed" in refused.json()["detail"]
    assert patch(operator, url, {"state": "open"}).status_code == 422
    after = operator.get(url).json()
    assert after["notes"] == closed["notes"]
    assert after["version"] == closed["version"]
    kinds = [t["kind"] for t in after["timeline"]]
    assert kinds.count("incident.updated") == 5
    assert "incident.linked" in kinds
    unknown = operator.post("/api/v1/events", {"type_code": "UFO", **PLACE})
    assert unknown.status_code == 422
    assert "No event type 'UFO'" in unknown.json()["detail"]
    wrong = operator.post("/api/v1/events", {"type_code": "FIGHT", **PLACE, "answers": {"weapon": "knife"}})
    assert wrong.status_code == 422
    assert "yes or no" in wrong.json()["detail"]
    assert (
        operator.post("/api/v1/events", {"type_code": "FIGHT", "latitude": 91, "longitude": 0}).status_code
        == 422
    )


def test_an_alarm_opens_an_event_linked_to_it_and_its_site(stack: Stack, operator: Actor) -> None:
    """POST /alarms/{id}/event types it from the alarm's class and links the alarm and the site."""
    account = add_account(stack, stack.room.site_a, "4E4E")
    send(stack.node.store, stack.clock, account, "1110 01 001")
    alarm = stack.node.store.read(
        lambda uow: uow.alarms.find(states=a.ALARM_STATES, site_id=stack.room.site_a), Scope.system()
    )[0]
    made = operator.post(f"/api/v1/alarms/{alarm.id}/event", {"note": "Smoke seen on camera"})
    assert made.status_code == 201, made.text
    event = made.json()["event"]
    assert event["type_code"] == "ALARM_FIRE"
    assert event["origin"] == "alarm"
    assert {"kind": "alarm", "id": str(alarm.id)} in event["links"]
    assert {"kind": "site", "id": str(stack.room.site_a)} in event["links"]
    assert event["site_id"] == str(stack.room.site_a)
    assert "Site A" in event["address"]


def test_cap_export_validates_and_imports_back_as_the_same_event(stack: Stack, operator: Actor) -> None:
    """The CAP export is valid against the official XSD; imported, it opens an event of the same type,
    priority and place; a document that does not validate is refused with the reason, nothing created."""
    made = operator.post(
        "/api/v1/events", {"type_code": "GAS_LEAK", **PLACE, "answers": {"hissing": True}, "summary": "Smell"}
    ).json()["event"]
    exported = operator.get(f"/api/v1/events/{made['id']}/cap")
    assert exported.headers["content-type"].startswith("application/cap+xml")
    cap.validate(exported.content)
    alert = cap.read(exported.content)
    assert alert.infos[0].category == "Infra"
    assert alert.infos[1].language == "fr-FR"
    headers = {"X-CSRF-Token": operator.csrf, "Content-Type": "application/cap+xml"}
    imported = operator.browser.post("/api/v1/events/cap", content=exported.content, headers=headers)
    assert imported.status_code == 201, imported.text
    event = imported.json()["event"]
    assert (event["type_code"], event["priority"], event["origin"]) == ("GAS_LEAK", made["priority"], "cap")
    assert abs(event["latitude"] - PLACE["latitude"]) < 1e-6
    assert event["address"] == PLACE["address"]
    before = len(operator.get("/api/v1/events?limit=1000").json())
    broken = exported.content.replace(b"<status>Actual</status>", b"<status>Maybe</status>")
    refused = operator.browser.post("/api/v1/events/cap", content=broken, headers=headers)
    assert refused.status_code == 422
    assert "not a valid CAP 1.2 alert" in refused.json()["detail"]
    assert "/alert/status" in refused.json()["detail"]
    hostile = b'<!DOCTYPE a [<!ENTITY x "y">]><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">&x;</alert>'
    assert operator.browser.post("/api/v1/events/cap", content=hostile, headers=headers).status_code == 422
    assert len(operator.get("/api/v1/events?limit=1000").json()) == before


def test_eido_export_validates_against_the_published_schema(stack: Stack, operator: Actor) -> None:
    """The EIDO document of an event with notes is valid against NENA's EmergencyIncidentDataObjectType."""
    made = operator.post(
        "/api/v1/events", {"type_code": "ASSAULT", **PLACE, "note": "Victim conscious"}
    ).json()
    eido = operator.get(f"/api/v1/events/{made['event']['id']}/eido").json()
    validator = eido_validator()
    assert validator.is_valid(eido), [e.message for e in validator.iter_errors(eido)]
    assert eido["incidentComponent"]["incidentTypeCommonRegistryText"] == "ASSAULT"
    assert not validator.is_valid({k: v for k, v in eido.items() if k != "agencyComponent"})
    sample = json.loads((Path(__file__).parents[1] / "fixtures/eido/sample_call_transfer.json").read_text())
    assert validator.is_valid(sample)


def test_an_admin_edits_the_nomenclature_and_operators_use_it(stack: Stack, operator: Actor) -> None:
    """A type added for the tenant is offered and used; a retired one is refused; bad data is named;
    an existing code is not added twice, an unknown one not changed; an operator may not edit."""
    admin = actor(stack, "admin")
    headers = {"X-CSRF-Token": admin.csrf}
    types = admin.get("/api/v1/event-types").json()
    assert len(types) >= 25
    base = {k: v for k, v in next(t for t in types if t["code"] == "OTHER").items() if k != "tenant_id"}
    new = {
        **base,
        "code": "DRONE",
        "label_en": "Drone overflight",
        "label_fr": "Survol de drone",
        "apco": "AIR",
    }
    added = admin.post("/api/v1/event-types", new)
    assert added.status_code == 201, added.text
    assert added.json()["tenant_id"] == str(stack.room.tenant_id)
    assert admin.post("/api/v1/event-types", new).status_code == 409
    assert operator.post("/api/v1/events", {"type_code": "DRONE", **PLACE}).status_code == 201
    retired = {**new, "active": False}
    assert admin.browser.put("/api/v1/event-types/DRONE", json=retired, headers=headers).status_code == 200
    assert operator.post("/api/v1/events", {"type_code": "DRONE", **PLACE}).status_code == 422
    bad = admin.browser.put("/api/v1/event-types/DRONE", json={**new, "apco": "ZZZ"}, headers=headers)
    assert bad.status_code == 422
    assert "APCO" in bad.json()["detail"]
    unknown = admin.browser.put("/api/v1/event-types/NOPE", json={**new, "code": "NOPE"}, headers=headers)
    assert unknown.status_code == 404
    denied = operator.browser.put(
        "/api/v1/event-types/DRONE", json=new, headers={"X-CSRF-Token": operator.csrf}
    )
    assert denied.status_code == 403
    assert len(operator.get("/api/v1/event-types").json()) == len(types)


def test_other_tenants_clients_and_field_units_see_no_event(stack: Stack, operator: Actor) -> None:
    """Another tenant's operator gets 404 for our event and an empty board; a client and a unit get 403."""
    made = operator.post("/api/v1/events", {"type_code": "FIGHT", **PLACE}).json()["event"]
    url = f"/api/v1/events/{made['id']}"
    stranger = actor(stack, "elsewhere")
    assert stranger.get(url).status_code == 404
    assert stranger.post(f"{url}/notes", {"text": "hi"}).status_code == 404
    assert stranger.get(f"{url}/cap").status_code == 404
    assert made["id"] not in {x["id"] for x in stranger.get("/api/v1/events").json()}
    for username in ("client-a", "crew"):
        someone = actor(stack, username) if username != "crew" else _unit(stack)
        assert someone.get("/api/v1/events").status_code == 403
        assert someone.get(url).status_code == 403
        assert someone.post("/api/v1/events", {"type_code": "FIGHT", **PLACE}).status_code == 403
    assert operator.get(url).json()["notes"] == []


def _unit(stack: Stack) -> Actor:
    """A field unit has no console: it uses an API session (cookie) with no CSRF token needed for reads."""
    browser = stack.session("crew")
    return Actor(browser, "")


def test_every_incident_message_reads_in_both_languages() -> None:
    """Each incident event's message key is in the catalogue in English and French."""
    pending = list(IncidentEvent.__subclasses__())
    assert pending
    for cls in pending:
        assert set(MESSAGES[cls.MESSAGE]) == set(LANGUAGES)


def test_a_new_event_reaches_another_operators_console_with_what_the_board_needs(
    stack: Stack, operator: Actor
) -> None:
    """An event created by one operator arrives over the live socket of another, with its board data."""
    stack.add_user("operator3", "operator")
    browser = stack.session("operator3")
    with browser.websocket_connect("/api/v1/live?after=0") as ws:
        hello = ws.receive_json()
        assert hello["type"] == "hello"
        made = operator.post("/api/v1/events", {"type_code": "GAS_LEAK", **NEAR}).json()["event"]
        while True:
            message = ws.receive_json()
            found = [
                e
                for e in message.get("entries", [])
                if (e.get("data") or {}).get("incident_id") == made["id"]
            ]
            if found:
                break
    data = found[0]["data"]
    assert found[0]["kind"] == "incident.opened"
    assert (data["type_code"], data["priority"], data["state"]) == ("GAS_LEAK", made["priority"], "open")
    assert data["latitude"] == NEAR["latitude"]


def test_a_partner_system_opens_an_event_with_an_api_token(stack: Stack) -> None:
    """A webhook with a bearer token (no CSRF) opens an event of origin api with the partner's reference;
    the same call with a bad answer changes nothing."""
    token = stack.node.auth.create_token("operator", "partner-webhook", None)
    partner = stack.browser("10.7.0.1")
    headers = {"Authorization": f"Bearer {token}"}
    body = {
        "type_code": "FLOOD",
        **PLACE,
        "origin": "api",
        "source_ref": "SDIS-2026-000123",
        "summary": "Cellar",
    }
    made = partner.post("/api/v1/events", json=body, headers=headers)
    assert made.status_code == 201, made.text
    event = made.json()["event"]
    assert (event["origin"], event["source_ref"], event["created_by"]) == (
        "api",
        "SDIS-2026-000123",
        "Operator",
    )
    before = len(partner.get("/api/v1/events?limit=1000", headers=headers).json())
    refused = partner.post("/api/v1/events", json={**body, "answers": {"people_trapped": 3}}, headers=headers)
    assert refused.status_code == 422
    assert len(partner.get("/api/v1/events?limit=1000", headers=headers).json()) == before
