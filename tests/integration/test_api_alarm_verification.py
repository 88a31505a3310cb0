"""The levée de doute over HTTP: a guard dispatched, on site with findings, the police request refused
before and accepted after, the AVS-01 score in the queue, duress passing with a note, the evidence PDF,
bad input changing nothing, and callers of another tenant, client or role refused."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.api_support import Stack
from tests.integration.test_api_alarms import accounts, actor, raise_alarm, stack
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope
from tocsin.domain.sites import Account

__all__ = ["accounts", "stack"]  # the module's fixtures, shared with the alarms API tests


@pytest.fixture(scope="module")
def means(stack: Stack) -> dict[str, Any]:
    """A guard unit, a keyholder of site A, the police and the fire service of the room's tenant."""
    bus, scope = stack.node.messagebus, Scope.tenant(stack.room.tenant_id)
    return {
        "unit": bus.handle(c.AddUnit(stack.room.tenant_id, "Ronde 11", "guard"), scope=scope, actor="t"),
        "keyholder": bus.handle(
            c.AddContact(stack.room.site_a, 1, "Kim Keys", ("+33 6 55 44 33 22",)), scope=scope, actor="t"
        ),
        "police": bus.handle(
            c.AddPartner(stack.room.tenant_id, "Police nationale", "police"), scope=scope, actor="t"
        ),
        "fire": bus.handle(c.AddPartner(stack.room.tenant_id, "Pompiers", "fire"), scope=scope, actor="t"),
    }


def taken(stack: Stack, account: Account, frame: str) -> tuple[str, Any]:
    """A new alarm from the frame, taken by the operator (the site's earlier ones settled and out of
    the grouping window, so the frame opens an alarm of its own)."""
    operator = actor(stack, "operator")
    for earlier in operator.get(f"/api/v1/alarms?site_id={account.site_id}&state=new&state=taken").json():
        settle = {"outcome": "false", "cause": "user-error"}
        assert operator.post(f"/api/v1/alarms/{earlier['id']}/settle", settle).status_code == 200
    stack.clock.advance(3600)
    alarm_id = raise_alarm(stack, account, frame)["id"]
    assert operator.post(f"/api/v1/alarms/{alarm_id}/take").status_code == 200
    return alarm_id, operator


def patch(who: Any, url: str, body: dict[str, Any]) -> Any:
    return who.browser.patch(url, json=body, headers={"X-CSRF-Token": who.csrf})


def police_body(means: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {"partner_id": str(means["police"].id), "message": "Intrusion, rear door, site A", **more}


def test_a_guard_confirms_on_site_and_only_then_the_police_request_passes(
    stack: Stack, accounts: dict[str, Account], means: dict[str, Any]
) -> None:
    """409 before any verification (nothing written); a guard sent, on site, finds an intrusion; the
    request passes with its basis and score; the queue shows the score; the evidence is a PDF."""
    alarm_id, operator = taken(stack, accounts["a"], "1130 01 201")
    base = f"/api/v1/alarms/{alarm_id}"
    refused = operator.post(f"{base}/requests", police_body(means))
    assert refused.status_code == 409, refused.text
    assert "L613-6" in refused.json()["detail"]
    assert operator.get(f"{base}/verification").json()["requests"] == []
    assert not [e for e in stack.entries("alarm.authority_requested") if e["alarm_id"] == alarm_id]
    choices = operator.get(f"{base}/responders").json()
    assert {"Ronde 11", "Kim Keys"} <= {r["name"] for r in choices["responders"]}
    assert {p["service"] for p in choices["partners"]} >= {"police", "fire"}
    sent = operator.post(f"{base}/dispatches", {"unit_id": str(means["unit"].id), "eta_minutes": 8})
    assert sent.status_code == 200, sent.text
    dispatch = sent.json()["dispatch"]
    assert (dispatch["name"], dispatch["kind"], dispatch["arrived_at"]) == ("Ronde 11", "guard", None)
    url = f"{base}/dispatches/{dispatch['id']}"
    arrived = patch(operator, url, {"arrived": True})
    assert arrived.status_code == 200, arrived.text
    assert arrived.json()["dispatch"]["arrived_at"] is not None
    assert patch(operator, url, {"findings": "aliens"}).status_code == 422
    found = patch(operator, url, {"findings": "confirmed_intrusion", "note": "Rear door forced"})
    assert found.status_code == 200, found.text
    assert found.json()["verification"]["method"] == "guard"
    assert found.json()["alarm"]["avs_score"] == 3
    asked = operator.post(f"{base}/requests", police_body(means, reference="PN-118"))
    assert asked.status_code == 200, asked.text
    made = asked.json()["request"]
    assert (made["basis"], made["avs_score"], made["reference"], made["service"]) == (
        "verified: guard",
        3,
        "PN-118",
        "police",
    )
    listed = {x["id"]: x for x in operator.get("/api/v1/alarms").json()}
    assert listed[alarm_id]["avs_score"] == 3
    file = operator.get(f"{base}/verification").json()
    assert (file["avs_score"], file["verified_by"], len(file["requests"])) == (3, ["guard"], 1)
    pdf = operator.get(f"{base}/evidence")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf.headers["content-disposition"]


def test_video_audio_and_a_keyholder_and_bad_input_changes_nothing(
    stack: Stack, accounts: dict[str, Account], means: dict[str, Any]
) -> None:
    """Video recorded by hand; a keyholder sent; unknown methods, a foreign partner, a unit and a
    contact together, or a guard's method by hand: 422 and nothing written."""
    alarm_id, operator = taken(stack, accounts["a"], "1130 01 211")
    base = f"/api/v1/alarms/{alarm_id}"
    seen = operator.post(f"{base}/verifications", {"method": "video", "outcome": "not_confirmed"})
    assert seen.status_code == 200, seen.text
    assert seen.json()["alarm"]["avs_score"] == 0
    keyholder = operator.post(f"{base}/dispatches", {"contact_id": str(means["keyholder"].id)})
    assert keyholder.json()["dispatch"]["kind"] == "keyholder"
    before = operator.get(f"{base}/verification").json()
    bad = [
        ("verifications", {"method": "guard", "outcome": "confirmed"}),
        ("verifications", {"method": "video", "outcome": "maybe"}),
        ("verifications", {"method": "video", "outcome": "not_confirmed", "threat": "life"}),
        ("dispatches", {"unit_id": str(means["unit"].id), "contact_id": str(means["keyholder"].id)}),
        ("dispatches", {"unit_id": str(means["unit"].id), "eta_minutes": -3}),
        ("requests", {"partner_id": str(stack.room.site_a), "message": "x"}),
        ("requests", {"partner_id": str(means["police"].id), "message": ""}),
    ]
    for path, body in bad:
        answer = operator.post(f"{base}/{path}", body)
        assert answer.status_code == 422, (path, body, answer.text)
        assert set(answer.json()) == {"error", "detail"}
    assert operator.get(f"{base}/verification").json() == before
    fire = operator.post(f"{base}/requests", {"partner_id": str(means["fire"].id), "message": "Smoke seen"})
    assert fire.status_code == 200, fire.text  # only police and gendarmerie need a levée de doute
    assert fire.json()["request"]["basis"] == "fire request"


def test_duress_passes_with_a_note(stack: Stack, accounts: dict[str, Account], means: dict[str, Any]) -> None:
    """A duress alarm's police request needs no verification but a note (422 without one)."""
    alarm_id, operator = taken(stack, accounts["a"], "1121 01 221")
    url = f"/api/v1/alarms/{alarm_id}/requests"
    assert operator.post(url, police_body(means)).status_code == 422
    passed = operator.post(url, police_body(means, note="Duress code at the keypad"))
    assert passed.status_code == 200, passed.text
    assert (passed.json()["request"]["avs_score"], passed.json()["alarm"]["avs_score"]) == (4, 4)


def test_another_operator_is_refused_and_nothing_is_written(
    stack: Stack, accounts: dict[str, Account], means: dict[str, Any]
) -> None:
    """Only the holder verifies, dispatches and requests (409 naming the holder)."""
    alarm_id, _operator = taken(stack, accounts["a"], "1130 01 231")
    other = actor(stack, "operator2")
    answer = other.post(
        f"/api/v1/alarms/{alarm_id}/verifications", {"method": "video", "outcome": "confirmed"}
    )
    assert answer.status_code == 409
    assert "Operator holds this alarm" in answer.json()["detail"]
    assert other.get(f"/api/v1/alarms/{alarm_id}/verification").json()["verifications"] == []


@pytest.mark.parametrize(
    ("who", "status"), [("elsewhere", 404), ("client-b", 404), ("site-b", 404), ("client-a", 403)]
)
def test_other_tenants_clients_and_the_client_role_are_refused(
    stack: Stack, accounts: dict[str, Account], means: dict[str, Any], who: str, status: int
) -> None:
    """Another tenant's operator, a client of B and an operator of site B get 404 on site A's alarm;
    site A's own client reads it but may not act (403). Nothing is written."""
    alarm_id, _operator = taken(stack, accounts["a"], "1130 01 241")
    caller = actor(stack, who)
    base = f"/api/v1/alarms/{alarm_id}"
    for path, body in [
        ("verifications", {"method": "video", "outcome": "confirmed"}),
        ("dispatches", {"unit_id": str(means["unit"].id)}),
        ("requests", police_body(means)),
    ]:
        assert caller.post(f"{base}/{path}", body).status_code == status, path
    assert caller.get(f"{base}/responders").status_code == status
    reads = 200 if who == "client-a" else 404
    assert caller.get(f"{base}/verification").status_code == reads
    assert caller.get(f"{base}/evidence").status_code == reads
    file = actor(stack, "admin").get(f"{base}/verification").json()
    assert (file["verifications"], file["dispatches"], file["requests"]) == ([], [], [])
