"""The alarms API over HTTP: the queue, an alarm's file, the operators' actions and their errors, and
each caller kept to the alarms of their own tenant, clients and sites."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from tests.integration.alarm_support import send
from tests.integration.api_support import PASSWORD, Stack, console_csrf, login, make_stack
from tests.integration.helpers import make_room
from tests.integration.plan_support import no_mandatory_steps
from tocsin.domain import alarms as a
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope
from tocsin.domain.sites import Account

ALARM_FIELDS = {
    "id", "state", "priority", "alarm_class", "site_id", "client_id", "site_ref", "site_name", "title_en",
    "title_fr", "opened_at", "last_signal_at", "signal_count", "accounts", "zones", "holder_id",
    "holder_name", "taken_at", "settled_at", "outcome", "cause", "follow_up_until", "closed_at",
    "close_reason", "closed_by", "escalated_at", "back_to_normal", "needs_rearm", "reopened",
    "seconds_to_take", "seconds_to_settle", "avs_score",
}  # fmt: skip


@dataclass
class Actor:
    """A logged-in browser and the CSRF token its changes carry."""

    browser: TestClient
    csrf: str

    def get(self, url: str) -> Any:
        return self.browser.get(url)

    def post(self, url: str, body: dict[str, Any] | None = None) -> Any:
        return self.browser.post(url, json=body or {}, headers={"X-CSRF-Token": self.csrf})


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """One app for the module, with two operators, a supervisor, a client of B and another tenant."""
    for built in make_stack(tmp_path_factory.mktemp("alarms")):
        built.add_user("operator2", "operator")
        built.add_user("supervisor", "supervisor")
        built.add_user("client-b", "client", client_ids=(built.room.client_b,))
        other = make_room(built.node.store)
        scope = Scope.tenant(other.tenant_id)
        bus = built.node.messagebus
        user = bus.handle(
            c.AddUser(other.tenant_id, "elsewhere", "Elsewhere", PASSWORD), scope=scope, actor="t"
        )
        bus.handle(c.GrantRole(user.id, "operator"), scope=scope, actor="t")
        # these tests are about the queue, not action plans (tests/integration/test_api_plans.py)
        room = built.room
        no_mandatory_steps(built.node.store, room.tenant_id, (room.client_a, room.client_b))
        yield built


def actor(stack: Stack, username: str) -> Actor:
    browser = stack.browser()
    assert login(browser, username, PASSWORD).status_code == 303
    return Actor(browser, console_csrf(browser))


def add_account(stack: Stack, site_id: UUID, number: str) -> Account:
    scope = Scope.tenant(stack.room.tenant_id)
    account: Account = stack.node.messagebus.handle(c.AddAccount(site_id, number), scope=scope, actor="t")
    return account


@pytest.fixture(scope="module")
def accounts(stack: Stack) -> dict[str, Account]:
    """A transmitter on site A and one on site B."""
    return {
        "a": add_account(stack, stack.room.site_a, "1A1A"),
        "b": add_account(stack, stack.room.site_b, "2B2B"),
    }


def raise_alarm(stack: Stack, account: Account, *frames: str) -> dict[str, Any]:
    """Send the frames and answer the newest alarm of the account's site, as the admin reads it."""
    send(stack.node.store, stack.clock, account, *frames)
    found = stack.node.store.read(
        lambda uow: uow.alarms.find(states=a.ALARM_STATES, site_id=account.site_id), Scope.system()
    )
    newest = max(found, key=lambda x: (x.last_signal_at, x.opened_at))
    body: dict[str, Any] = actor(stack, "admin").get(f"/api/v1/alarms/{newest.id}").json()
    return body


def test_the_queue_lists_the_most_urgent_first_with_the_contract_fields(
    stack: Stack, accounts: dict[str, Account]
) -> None:
    """Unsettled before settled, priority 1 first, the oldest first; each alarm with the agreed fields."""
    send(stack.node.store, stack.clock, accounts["a"], "1130 01 011", "1110 01 012")
    send(stack.node.store, stack.clock, accounts["b"], "1121 01 000")
    listed = actor(stack, "admin").get("/api/v1/alarms").json()
    assert set(listed[0]) == ALARM_FIELDS
    keys = [(x["state"] not in ("new", "taken"), x["priority"], x["opened_at"]) for x in listed]
    assert keys == sorted(keys)
    classes = [x["alarm_class"] for x in listed]
    assert classes.index("duress") < classes.index("fire") < classes.index("intrusion")
    closed = actor(stack, "admin").get("/api/v1/alarms?state=closed").json()
    assert all(x["state"] == "closed" for x in closed)


def test_an_alarms_file_has_its_history_its_sites_status_and_the_sites_recent_alarms(
    stack: Stack, accounts: dict[str, Account]
) -> None:
    """The file lists the alarm's events in order, the zones the site reports and its other alarms."""
    alarm = raise_alarm(stack, accounts["a"], "1130 01 021", "1130 01 022", "3130 01 021")
    assert [(e["zone"], e["nature"]) for e in alarm["history"]][-3:] == [
        ("021", "new"),
        ("022", "new"),
        ("021", "restore"),
    ]
    assert alarm["zones"]["021"] == "restored"
    assert alarm["zones"]["022"] == "alarm"
    status = alarm["site_status"]
    assert status["zones"]["022"]["state"] == "alarm"
    assert status["zones"]["021"]["state"] == "normal"
    assert alarm["id"] in {r["id"] for r in alarm["recent"]}
    codes = actor(stack, "operator").get("/api/v1/alarms/closure-codes").json()
    assert {"code", "outcome", "label_en", "label_fr", "text_en", "text_fr"} == set(codes[0])
    assert "animal" in {x["code"] for x in codes}


def test_an_alarms_life_over_http_and_its_errors(stack: Stack, accounts: dict[str, Account]) -> None:
    """Take, a second operator refused with the holder named, note, release, bad settles, settle, and a
    close refused to an operator but granted to a supervisor with a reason."""
    alarm_id = raise_alarm(stack, accounts["a"], "1130 01 031")["id"]
    one, two, boss = actor(stack, "operator"), actor(stack, "operator2"), actor(stack, "supervisor")
    base = f"/api/v1/alarms/{alarm_id}"
    taken = one.post(f"{base}/take")
    assert taken.status_code == 200
    assert taken.json()["state"] == "taken"
    assert taken.json()["holder_name"] == "Operator"
    refused = two.post(f"{base}/take")
    assert refused.status_code == 409
    assert "Operator holds this alarm" in refused.json()["detail"]
    assert two.post(f"{base}/release").status_code == 409
    assert one.post(f"{base}/notes", {"text": "Called the keyholder"}).status_code == 200
    assert any(e["text"] == "Called the keyholder" for e in stack.entries("alarm.note"))
    assert one.post(f"{base}/release").json()["state"] == "new"
    no_outcome = one.post(f"{base}/settle", {"cause": "animal"})
    assert no_outcome.status_code == 422
    assert "outcome" in no_outcome.json()["detail"]
    unknown = one.post(f"{base}/settle", {"outcome": "false", "cause": "martians"})
    assert unknown.status_code == 422
    assert "martians" in unknown.json()["detail"]
    assert one.get(base).json()["state"] == "new"  # the refused settles changed nothing
    settled = one.post(f"{base}/settle", {"outcome": "false", "cause": "animal", "note": "A cat"})
    assert settled.status_code == 200, settled.text
    assert settled.json()["state"] == "settled"
    assert settled.json()["cause"] == "animal"
    not_normal = one.post(f"{base}/close", {})
    assert not_normal.status_code == 409
    assert "supervisor" in not_normal.json()["detail"]
    assert boss.post(f"{base}/close", {}).status_code == 422  # a supervisor still needs a reason
    closed = boss.post(f"{base}/close", {"reason": "Detector replaced"})
    assert closed.status_code == 200
    assert closed.json()["state"] == "closed"
    assert closed.json()["close_reason"] == "Detector replaced"
    assert alarm_id not in {x["id"] for x in one.get("/api/v1/alarms").json()}


def test_two_operators_taking_at_once_over_http_leave_one_holder(
    stack: Stack, accounts: dict[str, Account]
) -> None:
    """Two takes at the same moment: one wins, the other is told who holds the alarm."""
    alarm_id = raise_alarm(stack, accounts["a"], "1130 01 041")["id"]
    operators = {"Operator": actor(stack, "operator"), "Operator2": actor(stack, "operator2")}
    start = threading.Barrier(2)
    answers: dict[str, Any] = {}

    def take(name: str) -> None:
        start.wait()
        answers[name] = operators[name].post(f"/api/v1/alarms/{alarm_id}/take")

    threads = [threading.Thread(target=take, args=(name,)) for name in operators]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    codes = sorted(r.status_code for r in answers.values())
    assert codes == [200, 409]
    winner = next(n for n, r in answers.items() if r.status_code == 200)
    loser = next(r for r in answers.values() if r.status_code == 409)
    assert f"{winner} holds this alarm" in loser.json()["detail"]
    assert actor(stack, "admin").get(f"/api/v1/alarms/{alarm_id}").json()["holder_name"] == winner


@pytest.mark.parametrize("who", ["client-a", "site-b", "elsewhere"])
def test_callers_outside_an_alarms_site_neither_see_nor_touch_it(
    stack: Stack, accounts: dict[str, Account], who: str
) -> None:
    """Another tenant's operator, an operator over site B and client A's user get 404 on get, take,
    settle and close of an alarm outside their grant, change nothing, and never list it."""
    target = {"client-a": "b", "site-b": "a", "elsewhere": "a"}[who]
    alarm = raise_alarm(stack, accounts[target], "1130 01 051")
    caller = actor(stack, who)
    base = f"/api/v1/alarms/{alarm['id']}"
    assert caller.get(base).status_code == 404
    for action, body in (("take", {}), ("settle", {"outcome": "false", "cause": "animal"}), ("close", {})):
        answer = caller.post(f"{base}/{action}", body)
        assert answer.status_code == 404, (action, answer.text)
    assert alarm["id"] not in {x["id"] for x in caller.get("/api/v1/alarms").json()}
    after = actor(stack, "admin").get(base).json()
    assert (after["state"], after["holder_id"]) == (alarm["state"], alarm["holder_id"])


def test_a_client_of_another_client_gets_404_and_a_client_reads_its_own_alarm_but_cannot_take_it(
    stack: Stack, accounts: dict[str, Account]
) -> None:
    """Client B's user gets 404 on site A's alarm (the probe is logged); client A's user reads it, and
    is refused the take."""
    alarm = raise_alarm(stack, accounts["a"], "1130 01 061")
    base = f"/api/v1/alarms/{alarm['id']}"
    other = actor(stack, "client-b")
    stack.clock.advance(seconds=60)  # refusals are counted per minute: this one is the first of its minute
    before = len(stack.entries("security.refused"))
    assert other.get(base).status_code == 404
    refused = stack.entries("security.refused")
    assert len(refused) == before + 1
    assert refused[-1]["reason"] == "outside the user's scope"
    assert other.post(f"{base}/take").status_code == 404
    assert other.post(f"{base}/settle", {"outcome": "false", "cause": "animal"}).status_code == 404
    assert alarm["id"] not in {x["id"] for x in other.get("/api/v1/alarms").json()}
    own = actor(stack, "client-a")
    assert own.get(base).status_code == 200
    assert alarm["id"] in {x["id"] for x in own.get("/api/v1/alarms").json()}
    refused = own.post(f"{base}/take")
    assert refused.status_code == 403
    assert refused.json()["error"] == "forbidden"
    assert actor(stack, "admin").get(base).json()["holder_id"] == alarm["holder_id"]


def test_test_mode_and_rules_over_http(stack: Stack, accounts: dict[str, Account]) -> None:
    """An operator puts a site in test mode and ends it; rules need the directory.write permission."""
    operator, admin = actor(stack, "operator"), actor(stack, "admin")
    until = (stack.clock.now().replace(microsecond=0) + timedelta(hours=1)).isoformat()
    url = f"/api/v1/sites/{stack.room.site_a}/test-mode"
    started = operator.post(url, {"until": until, "account": "1a1a"})
    assert started.status_code == 200, started.text
    assert started.json()["test_account"] == "1A1A"
    assert started.json()["test_until"] is not None
    assert operator.post(url, {"until": None}).json()["test_until"] is None
    assert actor(stack, "client-a").post(url, {"until": None}).status_code == 403
    rule = {"alarm_class": "intrusion", "site_id": str(stack.room.site_a), "priority": 2}
    assert (
        operator.browser.put(
            "/api/v1/alarm-rules", json=rule, headers={"X-CSRF-Token": operator.csrf}
        ).status_code
        == 403
    )
    saved = admin.browser.put("/api/v1/alarm-rules", json=rule, headers={"X-CSRF-Token": admin.csrf})
    assert saved.status_code == 200
    assert saved.json()["priority"] == 2
    assert saved.json()["id"] in {r["id"] for r in admin.get("/api/v1/alarm-rules").json()}
    bad = admin.browser.put(
        "/api/v1/alarm-rules", json={"alarm_class": "ufo"}, headers={"X-CSRF-Token": admin.csrf}
    )
    assert bad.status_code == 422
