"""An event's partners and closure over HTTP: the administrator's matrix, the suggestions an event
shows, a request refused for an empty template field then sent, the partner's acknowledgment, the radio
channel, the EMSI export valid against the shipped schema, the sheet's first page rendered as an image,
closing refused without a report, corrections for the administrators, who may do what, and the logbook
verified at the end."""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib import resources
from typing import Any

import jsonschema_rs
import pypdfium2 as pdfium
import pytest

from tests.contract.test_signal_store import NoKeys
from tests.integration.api_support import PASSWORD, Stack, make_stack
from tests.integration.helpers import make_room
from tests.integration.test_api_alarms import Actor, actor
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope
from tocsin.i18n import LANGUAGES
from tocsin.i18n.catalogue import MESSAGES
from tocsin.services.logbook import verify_all

PLACE = {"latitude": 48.8566, "longitude": 2.3522, "address": "12 rue des Lilas, Valmont"}
TEMPLATES = [
    {
        "code": "samu",
        "name": "SAMU",
        "text": "{type_code} {priority} at {address}; caller {caller_phone}. {summary?} Radio {radio?}",
    },
    {"code": "fire", "name": "Fire", "text": "{type_label_en} at {address}"},
]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """One app: an admin, an operator, a client, a unit, an operator of another tenant; a SAMU and a
    fire service with their lines."""
    for built in make_stack(tmp_path_factory.mktemp("partners")):
        built.add_user("crew", "unit")
        scope = Scope.tenant(built.room.tenant_id)
        bus = built.node.messagebus
        bus.handle(c.AddPartner(built.room.tenant_id, "SAMU 41", "samu", ("15",)), scope=scope, actor="t")
        bus.handle(
            c.AddPartner(built.room.tenant_id, "SDIS 41", "fire", ("18",), radio="ANTARES CTA"),
            scope=scope,
            actor="t",
        )
        other = make_room(built.node.store)
        other_scope = Scope.tenant(other.tenant_id)
        user = bus.handle(
            c.AddUser(other.tenant_id, "elsewhere", "Elsewhere", PASSWORD), scope=other_scope, actor="t"
        )
        bus.handle(c.GrantRole(user.id, "operator"), scope=other_scope, actor="t")
        yield built


@pytest.fixture(scope="module")
def operator(stack: Stack) -> Actor:
    return actor(stack, "operator")


@pytest.fixture(scope="module")
def admin(stack: Stack) -> Actor:
    return actor(stack, "admin")


def put(who: Actor, url: str, body: dict[str, Any]) -> Any:
    return who.browser.put(url, json=body, headers={"X-CSRF-Token": who.csrf})


def partners(who: Actor) -> dict[str, str]:
    return {p["kind"]: p["id"] for p in who.get("/api/v1/partners").json()}


@pytest.fixture(scope="module")
def matrix(admin: Actor) -> dict[str, Any]:
    """Medical events of any priority go to the SAMU by phone; P1 and P2 fires to the fire service by
    radio."""
    ids = partners(admin)
    body = {
        "rules": [
            {"category": "medical", "partner_id": ids["samu"], "channel": "phone", "template_code": "samu"},
            {
                "type_code": "FIRE_BUILDING",
                "max_priority": 2,
                "partner_id": ids["fire"],
                "channel": "radio",
                "template_code": "fire",
            },
        ],
        "templates": TEMPLATES,
    }
    saved = put(admin, "/api/v1/notification-matrix", body)
    assert saved.status_code == 200, saved.text
    return dict(saved.json())


def test_only_an_administrator_sets_the_matrix_and_a_bad_one_is_refused(
    stack: Stack, operator: Actor, admin: Actor, matrix: dict[str, Any]
) -> None:
    """An operator reads it but may not change it; a template naming an unknown field and a rule naming
    a missing template are refused with the reason, and the matrix stays as it was."""
    assert [r["template_code"] for r in operator.get("/api/v1/notification-matrix").json()["rules"]] == [
        "samu",
        "fire",
    ]
    assert put(operator, "/api/v1/notification-matrix", {"rules": [], "templates": []}).status_code == 403
    bad = {"rules": [], "templates": [{"code": "x", "name": "X", "text": "{colour} at {address}"}]}
    refused = put(admin, "/api/v1/notification-matrix", bad)
    assert refused.status_code == 422
    assert "colour" in refused.json()["detail"]
    ids = partners(admin)
    orphan = {"rules": [{"partner_id": ids["samu"], "channel": "phone", "template_code": "none"}]}
    assert "none" in put(admin, "/api/v1/notification-matrix", orphan).json()["detail"]
    assert admin.get("/api/v1/notification-matrix").json() == matrix


def check_emsi(operator: Actor, url: str, event_id: str) -> None:
    """The EMSI export validates against the shipped schema and says what the event is."""
    emsi = operator.get(f"{url}/emsi").json()
    schema = json.loads(resources.files("tocsin").joinpath("reference/emsi.schema.json").read_text("utf-8"))
    jsonschema_rs.validator_for(schema).validate(emsi)
    assert emsi["EVENT"]["ID"] == event_id
    assert emsi["EVENT"]["ETYPE"]["CATEGORY"] == ["HLT"]
    assert emsi["EVENT"]["EGEO"][0]["POSITION"]["COORD"] == [{"LAT": 48.8566, "LONG": 2.3522}]
    assert [(m["TYPE"], m["STATUS"]) for m in emsi["MISSION"]] == [("SAV/AR/FR_MED", "IPR")]


def check_sheet(operator: Actor, url: str, event_id: str) -> None:
    """The sheet is a PDF whose A4 first page has ink and whose text names what was recorded."""
    sheet = operator.get(f"{url}/sheet.pdf")
    assert sheet.headers["content-type"] == "application/pdf"
    pdf = pdfium.PdfDocument(sheet.content)
    try:
        image = pdf[0].render(scale=1).to_pil().convert("L")
        text = "\n".join(pdf[n].get_textpage().get_text_range() for n in range(len(pdf)))
    finally:
        pdf.close()
    assert (abs(image.size[0] - 595), abs(image.size[1] - 842)) <= (1, 1)
    assert sum(image.histogram()[:128]) > 2000, "the first page is (almost) blank"
    squashed = text.replace("\r", "").replace("\n", " ")
    for expected in (event_id, "SAMU-41-0099", "TRANSPORTED", "TKG 12", "Event sheet"):
        assert expected in squashed, expected


def test_an_event_is_told_to_its_partners_acknowledged_exported_printed_and_closed(
    stack: Stack, operator: Actor, matrix: dict[str, Any]
) -> None:
    """The whole path: suggestions, refusal then request, ack, radio, EMSI, sheet, close with report."""
    created = operator.post("/api/v1/events", {"type_code": "CARDIAC_ARREST", **PLACE})
    event = created.json()["event"]
    url = f"/api/v1/events/{event['id']}"
    view = operator.get(f"{url}/partners").json()
    assert [(s["partner_kind"], s["channel"], s["sent"]) for s in view["suggestions"]] == [
        ("samu", "phone", False)
    ]
    assert view["chain_of_command"] == ["chef_de_salle", "samu"]  # the nomenclature's notify roles
    samu = view["suggestions"][0]["partner_id"]
    ask = {"partner_id": samu, "channel": "phone", "template_code": "samu"}
    refused = operator.post(f"{url}/partner-requests", ask)
    assert refused.status_code == 422
    assert "caller_phone" in refused.json()["detail"]
    assert operator.get(f"{url}/partners").json()["requests"] == []

    radio = put(operator, f"{url}/radio", {"channel": "TKG 12", "talkgroup": "Secours 3"})
    assert radio.json()["channel"] == "TKG 12"
    sent = operator.post(f"{url}/partner-requests", {**ask, "fields": {"caller_phone": "06 12 34 56 78"}})
    assert sent.status_code == 201, sent.text
    request = sent.json()
    assert request["message"].startswith("CARDIAC_ARREST P1 at 12 rue des Lilas, Valmont; caller 06 12")
    assert request["message"].endswith("Radio TKG 12 / Secours 3")
    assert (request["address"], request["acknowledged"]) == ("15", False)
    ack_url = f"{url}/partner-requests/{request['id']}/ack"
    acked = operator.post(ack_url, {"reference": "SAMU-41-0099", "note": "SMUR leaving"}).json()
    assert (acked["acknowledged"], acked["reference"]) == (True, "SAMU-41-0099")
    assert operator.post(ack_url, {"reference": "again"}).status_code == 409
    view = operator.get(f"{url}/partners").json()
    assert view["suggestions"][0]["sent"]
    assert view["radio"]["talkgroup"] == "Secours 3"

    check_emsi(operator, url, event["id"])

    closing = operator.browser.patch(url, json={"state": "closed"}, headers={"X-CSRF-Token": operator.csrf})
    assert closing.status_code == 409
    assert "report" in closing.json()["detail"]
    assert operator.get(url).json()["state"] == "open"
    report = {"outcomes": ["transported"], "text": "Resuscitated by the SMUR, taken to Valmont hospital."}
    closed = operator.post(f"{url}/close", report).json()
    assert closed["state"] == "closed"
    kinds = [t["kind"] for t in closed["timeline"]]
    for kind in (
        "incident.radio_assigned",
        "incident.partner_requested",
        "incident.partner_acknowledged",
        "incident.reported",
    ):
        assert kind in kinds
    assert operator.get(f"{url}/partners").json()["report"]["dispositions"] == ["TRANSPORTED"]

    check_sheet(operator, url, event["id"])


def test_a_closed_event_takes_no_more_requests_and_bad_bodies_are_refused(
    stack: Stack, operator: Actor, matrix: dict[str, Any]
) -> None:
    """An unknown template, a partner without that channel, an unknown outcome: 4xx, nothing written."""
    event = operator.post("/api/v1/events", {"type_code": "FIRE_BUILDING", **PLACE}).json()["event"]
    url = f"/api/v1/events/{event['id']}"
    ids = partners(operator)
    no_template = operator.post(
        f"{url}/partner-requests", {"partner_id": ids["fire"], "channel": "radio", "template_code": "nope"}
    )
    assert no_template.status_code == 422
    assert "nope" in no_template.json()["detail"]
    no_email = operator.post(
        f"{url}/partner-requests", {"partner_id": ids["fire"], "channel": "email", "template_code": "fire"}
    )
    assert no_email.status_code == 422
    assert "email" in no_email.json()["detail"]
    assert put(operator, f"{url}/report", {"outcomes": ["magic"], "text": "x"}).status_code == 422
    assert operator.get(f"{url}/partners").json()["requests"] == []
    assert operator.get(f"{url}/partners").json()["report"] is None


def test_corrections_go_to_the_administrators_list(
    stack: Stack, operator: Actor, admin: Actor, matrix: dict[str, Any]
) -> None:
    """An operator files a correction from an event; only an administrator lists and resolves it; the
    other tenant neither sees the event nor the correction."""
    event = operator.post("/api/v1/events", {"type_code": "NOISE", **PLACE}).json()["event"]
    filed = operator.post(
        f"/api/v1/events/{event['id']}/corrections",
        {"subject": "address", "ref": "12 rue des Lilas", "text": "The entrance is on rue des Roses"},
    )
    assert filed.status_code == 201, filed.text
    assert operator.get("/api/v1/corrections").status_code == 403
    listed = admin.get("/api/v1/corrections").json()
    assert filed.json()["id"] in [x["id"] for x in listed]
    done = admin.post(
        f"/api/v1/corrections/{filed.json()['id']}/resolve", {"resolution": "Access note added"}
    )
    assert done.json()["state"] == "resolved"
    assert filed.json()["id"] not in [x["id"] for x in admin.get("/api/v1/corrections").json()]
    resolved = admin.get("/api/v1/corrections?state=resolved").json()
    assert [x["resolution"] for x in resolved if x["id"] == filed.json()["id"]] == ["Access note added"]
    elsewhere = actor(stack, "elsewhere")
    assert elsewhere.get(f"/api/v1/events/{event['id']}/partners").status_code == 404
    assert elsewhere.get(f"/api/v1/events/{event['id']}/emsi").status_code == 404
    crew = actor(stack, "crew")
    assert crew.get(f"/api/v1/events/{event['id']}/sheet.pdf").status_code == 403


def test_every_new_logbook_message_exists_in_both_languages_and_the_logbook_verifies(stack: Stack) -> None:
    """The entries written above read in English and French, and the chains verify."""
    for key in (
        "incident.partner_requested",
        "incident.partner_acknowledged",
        "incident.radio_assigned",
        "incident.reported",
        "incident.correction_filed",
        "correction.resolved",
        "partners.matrix_changed",
    ):
        assert set(MESSAGES[key]) == set(LANGUAGES), key
    verifier = NoKeys()
    reports = stack.node.store.read(lambda uow: verify_all(uow.logbook, verifier), Scope.system())
    assert reports
    assert [r for r in reports if r.breach is not None] == []
