"""Action plans, alarm checklists and temporary instructions over HTTP: who writes and reads them, the
bad inputs (a plan with no step, a step completed twice, a step on an alarm held by another, settling
with a mandatory step pending, an instruction ending before it starts), and every caller kept to their
own tenant, clients and sites."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from tests.integration.api_support import PASSWORD, Stack, make_stack
from tests.integration.helpers import make_room
from tests.integration.test_api_alarms import actor, add_account, raise_alarm
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope
from tocsin.domain.sites import Account

STEPS = [
    {"kind": "call_site", "instruction": "Call the bakery and ask for the password.", "mandatory": True},
    {"kind": "view_clip", "instruction": "Look at camera 2.", "mandatory": False},
]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """One app: an admin, two operators, a supervisor, a client of A, an operator of site B only, and
    an operator of another tenant."""
    for built in make_stack(tmp_path_factory.mktemp("plans")):
        built.add_user("operator2", "operator")
        built.add_user("supervisor", "supervisor")
        other = make_room(built.node.store)
        scope = Scope.tenant(other.tenant_id)
        bus = built.node.messagebus
        user = bus.handle(
            c.AddUser(other.tenant_id, "elsewhere", "Elsewhere", PASSWORD), scope=scope, actor="t"
        )
        bus.handle(c.GrantRole(user.id, "operator"), scope=scope, actor="t")
        yield built


@pytest.fixture(scope="module")
def account(stack: Stack) -> Account:
    return add_account(stack, stack.room.site_a, "3C3C")


def put(who: Any, url: str, body: dict[str, Any]) -> Any:
    return who.browser.put(url, json=body, headers={"X-CSRF-Token": who.csrf})


def delete(who: Any, url: str) -> Any:
    return who.browser.delete(url, headers={"X-CSRF-Token": who.csrf})


def test_plans_are_written_by_supervisors_and_read_in_scope(stack: Stack) -> None:
    """A client's plan is a template, a site's replaces it, removing it brings the client's back; an
    operator or a client may not write one; another tenant's caller gets 404; a plan with no step or an
    unknown class is refused and changes nothing."""
    room = stack.room
    sup, op, client = actor(stack, "supervisor"), actor(stack, "operator"), actor(stack, "client-a")
    client_url = f"/api/v1/clients/{room.client_a}/action-plans/intrusion"
    site_url = f"/api/v1/sites/{room.site_a}/action-plans/intrusion"
    assert op.get(site_url).json()["source"] == "default"
    written = put(sup, client_url, {"steps": STEPS})
    assert written.status_code == 200, written.text
    assert (written.json()["source"], len(written.json()["steps"])) == ("client", 2)
    assert op.get(site_url).json()["source"] == "client"
    own = put(sup, site_url, {"steps": STEPS[:1]})
    assert own.status_code == 200, own.text
    assert op.get(site_url).json()["steps"] == [{**STEPS[0]}]
    assert client.get(site_url).json()["source"] == "site"  # a client reads its own instructions
    assert delete(client, site_url).status_code == 403
    assert delete(actor(stack, "elsewhere"), site_url).status_code == 403  # an operator: no supervise
    assert delete(sup, site_url).json()["source"] == "client"
    assert put(op, client_url, {"steps": STEPS}).status_code == 403
    assert put(client, site_url, {"steps": STEPS}).status_code == 403
    assert client.get(f"/api/v1/clients/{room.client_b}/action-plans/intrusion").status_code == 404
    elsewhere = actor(stack, "elsewhere")
    assert elsewhere.get(client_url).status_code == 404
    assert elsewhere.get(site_url).status_code == 404
    before = len(stack.entries("plan.set"))
    empty = put(sup, client_url, {"steps": []})
    assert empty.status_code == 422
    assert "at least one step" in empty.json()["detail"]
    unknown = put(sup, f"/api/v1/clients/{room.client_a}/action-plans/burglary", {"steps": STEPS})
    assert unknown.status_code == 422
    assert "Unknown alarm class" in unknown.json()["detail"]
    assert len(stack.entries("plan.set")) == before
    admin = actor(stack, "admin")
    assert put(admin, f"/api/v1/sites/{room.site_b}/action-plans/fire", {"steps": STEPS}).status_code == 200


def test_an_alarms_checklist_over_http_and_its_refusals(stack: Stack, account: Account) -> None:
    """Before the take the steps are a preview; the holder completes and skips them; another operator,
    a second completion, a skip without reason, and a settle with a mandatory step pending are refused;
    then the alarm settles."""
    alarm_id = raise_alarm(stack, account, "1110 01 031")["id"]  # a fire: the default fire plan
    op, op2 = actor(stack, "operator"), actor(stack, "operator2")
    preview = op.get(f"/api/v1/alarms/{alarm_id}/steps").json()
    assert preview["started"] is False
    assert all(s["id"] is None for s in preview["steps"])
    assert op.post(f"/api/v1/alarms/{alarm_id}/take").status_code == 200
    checklist = op.get(f"/api/v1/alarms/{alarm_id}/steps").json()
    assert checklist["started"] is True
    assert checklist["settle_ready"] is False
    steps = checklist["steps"]
    assert [s["kind"] for s in steps] == ["call_site", "request_fire", "call_contacts", "inform_client"]
    first = f"/api/v1/alarms/{alarm_id}/steps/{steps[0]['id']}"
    held = op2.post(f"{first}/done", {"result": "x"})
    assert held.status_code == 409
    assert "holds this alarm" in held.json()["detail"]
    settle = op.post(f"/api/v1/alarms/{alarm_id}/settle", {"outcome": "false", "cause": "equipment"})
    assert settle.status_code == 409
    assert "mandatory step(s) 1. call_site; 2. request_fire" in settle.json()["detail"]
    done = op.post(f"{first}/done", {"result": "Detector fault", "answered_by": "Guard", "said": "No smoke"})
    assert done.status_code == 200, done.text
    assert done.json()["steps"][0]["state"] == "done"
    assert done.json()["steps"][0]["done_by"] == "Operator"
    again = op.post(f"{first}/done", {"result": "twice"})
    assert again.status_code == 409
    assert "already done" in again.json()["detail"]
    second = f"/api/v1/alarms/{alarm_id}/steps/{steps[1]['id']}"
    assert op.post(f"{second}/skip", {"reason": ""}).status_code == 422
    skipped = op.post(f"{second}/skip", {"reason": "Guard confirms no fire"})
    assert skipped.json()["settle_ready"] is True
    settled = op.post(f"/api/v1/alarms/{alarm_id}/settle", {"outcome": "false", "cause": "equipment"})
    assert settled.status_code == 200, settled.text
    assert [e["said"] for e in stack.entries("alarm.step_done")][-1] == "No smoke"
    assert stack.entries("alarm.step_skipped")[-1]["reason"] == "Guard confirms no fire"


def test_checklists_are_kept_to_their_alarms_callers(stack: Stack, account: Account) -> None:
    """A client reads its site's checklist but cannot act on it; an operator of another site or tenant
    gets 404 and the probe is logged."""
    alarm_id = raise_alarm(stack, account, "1130 01 041")["id"]
    op = actor(stack, "operator")
    assert op.post(f"/api/v1/alarms/{alarm_id}/take").status_code == 200
    step_id = op.get(f"/api/v1/alarms/{alarm_id}/steps").json()["steps"][0]["id"]
    client = actor(stack, "client-a")
    assert client.get(f"/api/v1/alarms/{alarm_id}/steps").status_code == 200
    assert client.post(f"/api/v1/alarms/{alarm_id}/steps/{step_id}/done", {"result": "x"}).status_code == 403
    stack.clock.advance(seconds=60)  # refusals are counted per minute: these are the first of theirs
    probes = len(stack.entries("security.refused"))
    for outsider in (actor(stack, "site-b"), actor(stack, "elsewhere")):
        assert outsider.get(f"/api/v1/alarms/{alarm_id}/steps").status_code == 404
        answer = outsider.post(f"/api/v1/alarms/{alarm_id}/steps/{step_id}/skip", {"reason": "x"})
        assert answer.status_code == 404
    assert len(stack.entries("security.refused")) > probes
    assert op.get(f"/api/v1/alarms/{alarm_id}/steps").json()["steps"][0]["state"] == "pending"


def test_temporary_instructions_over_http(stack: Stack, account: Account) -> None:
    """An operator gives one from a client's call, it is listed in force, an end before the start is
    refused, a client may read but not give one, outsiders get 404; cancelled, then another expires."""
    room = stack.room
    op, client = actor(stack, "operator"), actor(stack, "client-a")
    url = f"/api/v1/sites/{room.site_a}/instructions"
    now = stack.clock.now()
    body = {
        "kind": "keyholder",
        "text": "Mr X has the keys this week",
        "ends_at": (now + timedelta(days=7)).isoformat(),
        "caller": "Mrs Martin",
    }
    backwards = {**body, "starts_at": (now + timedelta(days=8)).isoformat()}
    refused = op.post(url, backwards)
    assert refused.status_code == 422
    assert "before it starts" in refused.json()["detail"]
    given = op.post(url, body)
    assert given.status_code == 200, given.text
    assert given.json()["in_force"] is True
    assert given.json()["caller"] == "Mrs Martin"
    assert [x["id"] for x in client.get(url).json()] == [given.json()["id"]]
    assert client.post(url, body).status_code == 403
    for outsider in (actor(stack, "site-b"), actor(stack, "elsewhere")):
        assert outsider.get(url).status_code == 404
        assert outsider.post(url, body).status_code == 404
    one = f"{url}/{given.json()['id']}"
    assert delete(client, one).status_code == 403
    assert delete(actor(stack, "elsewhere"), one).status_code == 404
    assert op.get(url).json()[0]["state"] == "open"
    cancelled = delete(op, one)
    assert cancelled.json()["state"] == "cancelled"
    assert op.get(url).json() == []
    short = op.post(url, {**body, "kind": "closed", "ends_at": (now + timedelta(hours=1)).isoformat()})
    assert short.status_code == 200
    stack.clock.advance(hours=1)
    stack.node.scheduler.fire_due()
    every = op.get(f"{url}?ended=true").json()
    assert [x["state"] for x in every] == ["cancelled", "expired"]
    assert [e["change"] for e in stack.entries("site.instruction")][-3:] == ["cancelled", "given", "expired"]
