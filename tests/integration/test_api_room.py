"""The room over HTTP on SQLite: the handover round trip between two operators' browsers, the second
acknowledgment refused, the supervisor's view of who is on shift, tenants kept apart; the dead-man asked
and answered through the API, and unanswered across a restart of the node."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.alarm_support import open_alarms, send
from tests.integration.api_support import PASSWORD, Stack, console_csrf, make_stack
from tests.integration.helpers import make_room
from tocsin.bootstrap import bootstrap
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope
from tocsin.testing import FakeHasher


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Operators Bruno and Chloé and a supervisor in one room, an operator in another tenant."""
    for built in make_stack(tmp_path_factory.mktemp("room"), deadman_idle=120, deadman_confirm=30):
        built.add_user("bruno", "operator")
        built.add_user("chloe", "operator")
        built.add_user("boss", "supervisor")
        other = make_room(built.node.store)
        scope = Scope.tenant(other.tenant_id)
        user = built.node.messagebus.handle(
            c.AddUser(other.tenant_id, "faraway", "Far Away", PASSWORD), scope=scope, actor="t"
        )
        built.node.messagebus.handle(c.GrantRole(user.id, "operator"), scope=scope, actor="t")
        yield built


def post(browser: object, url: str, body: object | None = None) -> object:
    token = console_csrf(browser)  # type: ignore[arg-type]
    return browser.post(url, json=body, headers={"X-CSRF-Token": token})  # type: ignore[attr-defined]


def test_a_handover_round_trip_between_two_browsers(stack: Stack) -> None:
    """Bruno goes on shift, reads the prepared summary, hands over with his notes (his shift ends);
    Chloé sees it waiting and acknowledges it (her shift starts); a second acknowledgment is refused with
    the reason; the supervisor sees Chloé on shift; every step is in the logbook."""
    bruno, chloe, boss = stack.session("bruno"), stack.session("chloe"), stack.session("boss")
    assert post(bruno, "/api/v1/shifts/start").status_code == 201  # type: ignore[attr-defined]
    assert bruno.get("/api/v1/shifts/me").json()["shift"]["username"] == "bruno"
    draft = bruno.get("/api/v1/handovers/draft").json()
    assert draft["text"].startswith("Handover")
    assert set(draft["counts"]) == {"alarms", "events", "follow_ups", "instructions"}
    empty = post(bruno, "/api/v1/handovers", {"text": ""})
    assert empty.status_code == 422  # type: ignore[attr-defined]
    submitted = post(bruno, "/api/v1/handovers", {"text": draft["text"] + "Gate 3 sensor is flaky."})
    assert submitted.status_code == 201, submitted.text  # type: ignore[attr-defined]
    handover = submitted.json()  # type: ignore[attr-defined]
    assert bruno.get("/api/v1/shifts/me").json()["shift"] is None
    assert bruno.get("/api/v1/handovers").json() == []  # not waiting for its own author
    waiting = chloe.get("/api/v1/handovers").json()
    assert [h["id"] for h in waiting] == [handover["id"]]
    assert "Gate 3 sensor is flaky." in waiting[0]["text"]
    ack = post(chloe, f"/api/v1/handovers/{handover['id']}/acknowledge")
    assert ack.status_code == 200, ack.text  # type: ignore[attr-defined]
    assert ack.json()["acknowledged_by"] == "Chloe"  # type: ignore[attr-defined]
    again = post(chloe, f"/api/v1/handovers/{handover['id']}/acknowledge")
    assert again.status_code == 409  # type: ignore[attr-defined]
    assert "already acknowledged by Chloe" in again.json()["detail"]  # type: ignore[attr-defined]
    assert chloe.get("/api/v1/handovers").json() == []
    room = boss.get("/api/v1/shifts").json()
    assert [s["username"] for s in room["on_shift"]] == ["chloe"]
    kinds = [k for k in ("shift.handover_submitted", "shift.handover_acknowledged") if stack.entries(k)]
    assert kinds == ["shift.handover_submitted", "shift.handover_acknowledged"]
    assert stack.entries("shift.handover_acknowledged")[-1]["from_name"] == "Bruno"


def test_another_tenant_and_other_roles_are_kept_out(stack: Stack) -> None:
    """Another tenant's operator lists no handover of ours and cannot acknowledge one (404); a client and
    an operator are refused the supervisor's view (403); nobody logged in gets 401."""
    bruno = stack.session("bruno")
    mine = post(bruno, "/api/v1/handovers", {"text": "Nothing special."}).json()  # type: ignore[attr-defined]
    far = stack.session("faraway")
    assert far.get("/api/v1/handovers").json() == []
    refused = post(far, f"/api/v1/handovers/{mine['id']}/acknowledge")
    assert refused.status_code == 404  # type: ignore[attr-defined]
    assert stack.session("client-a").get("/api/v1/handovers").status_code == 403
    assert stack.session("operator").get("/api/v1/shifts").status_code == 403
    assert stack.browser().get("/api/v1/shifts/me").status_code == 401
    assert stack.session("chloe").get("/console/room").status_code == 200
    assert stack.session("client-a").get("/console/room").status_code == 403


def test_the_deadman_is_asked_answered_and_survives_a_restart(stack: Stack) -> None:
    """Holding an alarm, Bruno is watched; idle past 120 s he is asked (the API says so) and his answer
    starts the wait again; asked a second time, the node restarts, and the new node's scheduler returns
    his alarm to the queue and alerts the supervisors with an alarm in their queue."""
    node, clock, room = stack.node, stack.clock, stack.room
    account = node.messagebus.handle(
        c.AddAccount(room.site_a, "7A7A", "1", "1"), scope=Scope.tenant(room.tenant_id), actor="t"
    )
    send(node.store, clock, account, "1130 01 001")
    alarm = open_alarms(node.store, room.site_a)[0]
    bruno = stack.session("bruno")
    assert post(bruno, f"/api/v1/alarms/{alarm.id}/take").status_code == 200  # type: ignore[attr-defined]
    assert bruno.get("/api/v1/deadman").json()["stage"] == "idle"
    clock.advance(120)
    node.scheduler.fire_due()
    asked = bruno.get("/api/v1/deadman").json()
    assert (asked["stage"], asked["held"], asked["answer_within"]) == ("asked", 1, 30)
    beat = post(bruno, "/api/v1/deadman/heartbeat").json()  # type: ignore[attr-defined]
    assert beat["stage"] == "asked"  # a mouse move is no answer
    assert post(bruno, "/api/v1/deadman/confirm").json()["stage"] == "idle"  # type: ignore[attr-defined]
    assert stack.entries("deadman.confirmed")[-1]["how"] == "console"
    clock.advance(120)
    node.scheduler.fire_due()
    assert bruno.get("/api/v1/deadman").json()["stage"] == "asked"

    restarted = bootstrap(node.settings, hasher=FakeHasher(), clock=clock)  # the node comes back
    try:
        clock.advance(30)
        assert restarted.scheduler.fire_due() >= 1
    finally:
        restarted.close()
    back = next(x for x in open_alarms(node.store, room.site_a) if x.id == alarm.id)
    assert (back.state, back.holder_name) == ("new", "")
    released = stack.entries("alarm.released_by_deadman")
    assert [(e["operator"], e["alarm_id"]) for e in released] == [("Bruno", str(alarm.id))]
    queue = stack.session("boss").get("/api/v1/alarms").json()
    alert = [x for x in queue if x["alarm_class"] == "operator_unresponsive"]
    assert len(alert) == 1
    assert "Bruno did not answer the dead-man" in alert[0]["title_en"]
    assert bruno.get("/api/v1/deadman").json()["stage"] == "none"
