"""The units API over HTTP: create, engage on an event, the crew's status changes from its own login,
release, close only when every unit is released, positions snapped to the road or refused outside the
area, reports on the event, and who may do what (another tenant's units and events are not there)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

import pytest

from tests.conftest import clone_postgres
from tests.integration.api_support import PASSWORD, Stack, make_stack
from tests.integration.helpers import make_room
from tests.integration.test_api_alarms import Actor, actor
from tocsin.adapters.store.geo_store import insert_geo_reference
from tocsin.domain import commands as c
from tocsin.domain import units as u
from tocsin.domain.geo import RoadNode, RoadSegment
from tocsin.domain.scope import Scope
from tocsin.services.logbook import verify_all

# a street of three nodes, due east, in the middle of Paris
ROAD = [RoadNode(1, 48.8566, 2.3500), RoadNode(2, 48.8566, 2.3550), RoadNode(3, 48.8566, 2.3600)]
SEGMENTS = [
    RoadSegment(1, 1, 2, 366.0, 30, "rue de Rivoli"),
    RoadSegment(2, 2, 3, 366.0, 30, "rue de Rivoli"),
]
PLACE = {"latitude": 48.8566, "longitude": 2.3522, "address": "1 place de l'Hôtel de Ville, Paris"}


class NoKeys:
    """No checkpoint is signed here."""

    def verify(self, key_id: str, data: bytes, signature: bytes) -> bool:
        return False


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def stack(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """One app on each database: an admin, an operator, a crew linked to no unit yet, another crew, a
    supervisor, a street, and a second tenant with its admin and unit."""
    url, drop = None, None
    if request.param == "postgres":
        url, drop = clone_postgres(request.getfixturevalue("postgres_template"))
    for built in make_stack(tmp_path_factory.mktemp("units"), url):
        with built.node.store.write_engine.begin() as connection:  # type: ignore[attr-defined]
            insert_geo_reference(connection, ROAD, SEGMENTS, [])
        built.add_user("crew", "unit")
        built.add_user("crew2", "unit")
        built.add_user("supervisor", "supervisor")
        other = make_room(built.node.store)
        scope = Scope.tenant(other.tenant_id)
        bus = built.node.messagebus
        user = bus.handle(
            c.AddUser(other.tenant_id, "elsewhere", "Elsewhere", PASSWORD), scope=scope, actor="t"
        )
        bus.handle(c.GrantRole(user.id, "admin"), scope=scope, actor="t")
        bus.handle(u.CreateUnit(other.tenant_id, "Far 1", "guard"), scope=scope, actor="t")
        yield built
    if drop is not None:
        drop()  # type: ignore[operator]


@pytest.fixture(scope="module")
def admin(stack: Stack) -> Actor:
    return actor(stack, "admin")


@pytest.fixture(scope="module")
def operator(stack: Stack) -> Actor:
    return actor(stack, "operator")


@pytest.fixture(scope="module")
def crew(stack: Stack) -> Actor:
    return actor(stack, "crew")


def _user_id(stack: Stack, username: str) -> UUID:
    found = stack.node.store.read(lambda uow: uow.users.find(username=username), Scope.system())
    return found[0].id  # type: ignore[no-any-return]


def new_unit(admin: Actor, stack: Stack, callsign: str, **extra: Any) -> dict[str, Any]:
    body = {"callsign": callsign, "kind": "guard", "station": "Base", **extra}
    answer = admin.post("/api/v1/units", body)
    assert answer.status_code == 201, answer.text
    return answer.json()  # type: ignore[no-any-return]


def new_event(operator: Actor) -> str:
    answer = operator.post("/api/v1/events", {"type_code": "road_accident", **PLACE, "origin": "operator"})
    assert answer.status_code == 201, answer.text
    return answer.json()["event"]["id"]  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def r11(stack: Stack, admin: Actor) -> dict[str, Any]:
    """Unit R11, a crew of two with a defibrillator, linked to the ``crew`` login."""
    return new_unit(
        admin,
        stack,
        "R11",
        crew=2,
        equipment=["defibrillator"],
        capabilities=["first_aid"],
        user_id=str(_user_id(stack, "crew")),
    )


def test_a_unit_is_created_with_its_type_capabilities_and_crew(admin: Actor, r11: dict[str, Any]) -> None:
    """The new unit is available, lists its equipment and crew, and may only be alerted by engaging."""
    listed = {x["callsign"]: x for x in admin.get("/api/v1/units").json()}
    assert listed["R11"]["equipment"] == ["defibrillator"]
    assert listed["R11"]["crew"] == 2
    assert listed["R11"]["status"] == "available"
    assert listed["R11"]["legal_next"] == ["unavailable", "out_of_service"]
    assert "Far 1" not in listed  # another tenant's unit


def test_the_room_engages_the_crew_moves_the_event_closes_after_release(
    stack: Stack, operator: Actor, crew: Actor, r11: dict[str, Any]
) -> None:
    """Engage alerts the unit and dispatches the event; the crew acknowledges, goes en route, on scene;
    closing is refused while it is engaged; available releases it, and the event closes."""
    event = new_event(operator)
    answer = operator.post(f"/api/v1/events/{event}/engage", {"unit_ids": [r11["id"]]})
    assert answer.status_code == 201, answer.text
    assert operator.get(f"/api/v1/events/{event}").json()["state"] == "dispatched"
    for status in ("acknowledged", "en_route", "on_scene"):
        moved = crew.post(f"/api/v1/units/{r11['id']}/status", {"status": status})
        assert moved.status_code == 200, moved.text
        assert moved.json()["status"] == status
    assert operator.get(f"/api/v1/events/{event}").json()["state"] == "on_scene"
    refused = operator.browser.patch(
        f"/api/v1/events/{event}", json={"state": "closed"}, headers={"X-CSRF-Token": operator.csrf}
    )
    assert refused.status_code == 422
    assert "R11" in refused.json()["detail"]
    assert crew.post(f"/api/v1/units/{r11['id']}/status", {"status": "available"}).status_code == 200
    report = {"outcomes": ["handled"], "text": "Crew on scene, handled."}  # an event closes with its report
    written = operator.browser.put(
        f"/api/v1/events/{event}/report", json=report, headers={"X-CSRF-Token": operator.csrf}
    )
    assert written.status_code == 200, written.text
    times = operator.get(f"/api/v1/events/{event}/units").json()[0]
    assert all(times[f"{x}_at"] for x in ("acknowledged", "en_route", "on_scene", "released"))
    closed = operator.browser.patch(
        f"/api/v1/events/{event}", json={"state": "closed"}, headers={"X-CSRF-Token": operator.csrf}
    )
    assert closed.status_code == 200, closed.text
    kinds = [e["status"] for e in stack.entries("unit.status") if e["unit_id"] == r11["id"]]
    assert kinds[-4:] == ["acknowledged", "en_route", "on_scene", "available"]
    history = operator.get(f"/api/v1/units/{r11['id']}").json()["history"]
    assert [h["status"] for h in history[:5]] == [
        "available",
        "on_scene",
        "en_route",
        "acknowledged",
        "alerted",
    ]
    reports = stack.node.store.read(lambda uow: verify_all(uow.logbook, NoKeys()), Scope.system())
    assert all(r.breach is None for r in reports)


def test_engaging_twice_or_an_unavailable_unit_is_refused_and_changes_nothing(
    stack: Stack, admin: Actor, operator: Actor
) -> None:
    """A unit engaged already, or unavailable, refuses the whole engage with a message; the other units
    named in the same call stay available."""
    first, second = new_unit(admin, stack, "E1"), new_unit(admin, stack, "E2")
    event, other = new_event(operator), new_event(operator)
    assert operator.post(f"/api/v1/events/{event}/engage", {"unit_ids": [first["id"]]}).status_code == 201
    twice = operator.post(f"/api/v1/events/{other}/engage", {"unit_ids": [second["id"], first["id"]]})
    assert twice.status_code == 409
    assert "E1" in twice.json()["detail"]
    assert operator.get(f"/api/v1/units/{second['id']}").json()["status"] == "available"
    assert operator.post(f"/api/v1/units/{second['id']}/status", {"status": "unavailable"}).status_code == 200
    refused = operator.post(f"/api/v1/events/{other}/engage", {"unit_ids": [second["id"]]})
    assert refused.status_code == 422
    assert "unavailable" in refused.json()["detail"]
    assert operator.get(f"/api/v1/events/{other}/units").json() == []
    released = operator.post(f"/api/v1/events/{event}/units/{first['id']}/release")
    assert released.status_code == 200
    assert released.json()["status"] == "available"
    again = operator.post(f"/api/v1/events/{other}/engage", {"unit_ids": [first["id"]]})
    assert again.status_code == 201  # a reinforcement on the other event, now it is free


def test_an_illegal_status_is_refused_with_the_legal_ones_named(admin: Actor, stack: Stack) -> None:
    """available → on_scene is refused; the answer names what an available unit may become."""
    unit = new_unit(admin, stack, "I1")
    answer = admin.post(f"/api/v1/units/{unit['id']}/status", {"status": "on_scene"})
    assert answer.status_code == 422
    assert "unavailable, out_of_service" in answer.json()["detail"]
    unknown = admin.post(f"/api/v1/units/{unit['id']}/status", {"status": "asleep"})
    assert unknown.status_code == 422


def test_a_position_is_snapped_to_the_road_and_one_outside_the_area_refused(
    crew: Actor, r11: dict[str, Any], stack: Stack
) -> None:
    """20 m north of rue de Rivoli lands on it; a point in Lyon is refused and the unit does not move."""
    near = crew.post(f"/api/v1/units/{r11['id']}/position", {"latitude": 48.85678, "longitude": 2.3520})
    assert near.status_code == 200, near.text
    assert near.json()["latitude"] == pytest.approx(48.8566, abs=1e-6)
    assert near.json()["longitude"] == pytest.approx(2.3520, abs=1e-6)
    far = crew.post(f"/api/v1/units/{r11['id']}/position", {"latitude": 45.76, "longitude": 4.83})
    assert far.status_code == 422
    assert "outside the room's area" in far.json()["detail"]
    listed = {x["callsign"]: x for x in crew.get("/api/v1/units").json()}
    assert listed["R11"]["latitude"] == pytest.approx(48.8566, abs=1e-6)


def test_a_crew_changes_only_its_own_unit(stack: Stack, admin: Actor) -> None:
    """Another crew's login cannot move R11 (403), nor engage units (403)."""
    other = actor(stack, "crew2")
    unit = next(x for x in admin.get("/api/v1/units").json() if x["callsign"] == "R11")
    answer = other.post(f"/api/v1/units/{unit['id']}/status", {"status": "unavailable"})
    assert answer.status_code == 403
    assert other.get("/api/v1/units/me").json() == {"unit": None, "assignment": None}


def test_a_crew_reports_on_its_event_and_sees_the_room_s_notes(
    stack: Stack, operator: Actor, crew: Actor, r11: dict[str, Any]
) -> None:
    """The crew's page shows its assignment; a situation update and a reinforcement request are lines of
    the event's narrative by the unit; the room's note reaches the crew's page."""
    event = new_event(operator)
    assert operator.post(f"/api/v1/events/{event}/engage", {"unit_ids": [r11["id"]]}).status_code == 201
    mine = crew.get("/api/v1/units/me").json()
    assert mine["assignment"]["event_id"] == event
    assert mine["unit"]["legal_next"] == ["acknowledged", "available", "unavailable"]
    assert (
        crew.post(f"/api/v1/units/{r11['id']}/reports", {"kind": "situation", "text": "Two cars"}).status_code
        == 201
    )
    assert crew.post(f"/api/v1/units/{r11['id']}/reports", {"kind": "reinforcement"}).status_code == 201
    note = operator.post(f"/api/v1/events/{event}/notes", {"text": "Ambulance on its way"})
    assert note.status_code == 200
    notes = crew.get("/api/v1/units/me").json()["assignment"]["notes"]
    assert [(n["by"], n.get("kind")) for n in notes[-3:]] == [
        ("R11", "situation"),
        ("R11", "reinforcement"),
        ("Operator", None),
    ]
    street = crew.get("/api/v1/units/me/map").json()
    assert street["center"] == [PLACE["latitude"], PLACE["longitude"]]
    assert street["streets"][0]["name"] == "rue de Rivoli"
    bad = crew.post(f"/api/v1/units/{r11['id']}/reports", {"kind": "gossip", "text": "x"})
    assert bad.status_code == 422
    crew.post(f"/api/v1/units/{r11['id']}/status", {"status": "available"})


def test_another_tenant_sees_none_of_the_units_nor_engages_them(
    stack: Stack, operator: Actor, r11: dict[str, Any]
) -> None:
    """Another tenant's admin gets 404 on the unit, its status, the engage and the release; its own
    unit cannot be engaged on this tenant's event."""
    other = actor(stack, "elsewhere")
    event = new_event(operator)
    assert other.get(f"/api/v1/units/{r11['id']}").status_code == 404
    stack.clock.advance(seconds=60)  # refusals are counted per minute: this one is the first of its minute
    refused = len(stack.entries("security.refused"))
    assert other.post(f"/api/v1/units/{r11['id']}/status", {"status": "unavailable"}).status_code == 404
    assert len(stack.entries("security.refused")) == refused + 1  # the probe is logged
    assert other.post(f"/api/v1/units/{r11['id']}/position", PLACE | {"address": None}).status_code in (
        404,
        422,
    )
    assert other.post(f"/api/v1/events/{event}/engage", {"unit_ids": [r11["id"]]}).status_code == 404
    far = next(x for x in other.get("/api/v1/units").json() if x["callsign"] == "Far 1")
    mixed = operator.post(f"/api/v1/events/{event}/engage", {"unit_ids": [far["id"]]})
    assert mixed.status_code == 404
    assert operator.get(f"/api/v1/units/{r11['id']}").json()["status"] == "available"


def test_an_unacknowledged_alert_is_flagged_to_the_board_and_the_supervisors(
    stack: Stack, admin: Actor, operator: Actor
) -> None:
    """A guard alerted and silent past 60 s: the scheduler flags it; the units list (the board) shows
    the flag, and the supervisor's logbook has the entry; acknowledging clears it."""
    unit = new_unit(admin, stack, "T1")
    event = new_event(operator)
    assert operator.post(f"/api/v1/events/{event}/engage", {"unit_ids": [unit["id"]]}).status_code == 201
    stack.clock.advance(seconds=61)
    stack.node.scheduler.fire_due()
    listed = {x["callsign"]: x for x in operator.get("/api/v1/units").json()}
    assert listed["T1"]["flag"] == "ack_overdue"
    supervisor = actor(stack, "supervisor")
    entries = supervisor.get("/api/v1/logbook").json()["entries"]
    flagged = [e["text"] for e in entries if e["kind"] == "unit.flagged" and "T1" in e["text"]]
    assert flagged == ["Unit T1 (alerted): alert not acknowledged after 60 s"]
    assert operator.post(f"/api/v1/units/{unit['id']}/status", {"status": "acknowledged"}).status_code == 200
    assert operator.get(f"/api/v1/units/{unit['id']}").json()["flag"] == ""
