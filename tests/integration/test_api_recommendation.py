"""`GET /api/v1/events/{id}/recommendation` and `tocsin events recommend` over the demo room: the units
proposed are the able ones with the shortest drive + turnout time (checked against an independent
shortest path on the same road tables), engaged units come after, the fallback says so, tenants stay apart."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from tests.integration.cli_support import tocsin
from tests.integration.helpers import make_room
from tests.unit.test_road_graph import Edge, reference_times
from tocsin.adapters.store import migrate
from tocsin.api.app import create_app
from tocsin.bootstrap import Node, bootstrap, demo_seeder
from tocsin.config import Settings
from tocsin.demo.plan import DEFAULT_SEED, DemoPlan, plan_demo
from tocsin.domain import commands as c
from tocsin.domain import incidents as i
from tocsin.domain import recommendation as r
from tocsin.domain.scope import Scope
from tocsin.services import recommendation as rec
from tocsin.testing import FakeClock, FakeHasher

PASSWORD = "correct horse battery"
CLI_FIELDS = {"unit_id", "callsign", "drive_seconds", "turnout_seconds", "eta", "rank", "reason", "method"}


@dataclass
class Room:
    node: Node
    http: TestClient
    plan: DemoPlan
    tenant_id: UUID
    other_tenant: UUID
    tokens: dict[str, str]
    env: dict[str, str]

    def get(self, who: str, url: str, **params: Any) -> Any:
        return self.http.get(url, params=params, headers={"Authorization": f"Bearer {self.tokens[who]}"})

    def event(
        self, code: str, latitude: float | None, longitude: float | None, tenant: UUID | None = None
    ) -> UUID:
        tenant = tenant or self.tenant_id
        command = i.CreateIncident(tenant, code, i.Place(latitude, longitude, "here"), by="t")
        opened = self.node.messagebus.handle(command, scope=Scope.tenant(tenant), actor="t")
        return opened.incident.id


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Room]:
    """The demo room once; a client-role user; a second tenant with a unit of its own and an admin."""
    folder = tmp_path_factory.mktemp("recommend")
    url = f"sqlite:///{folder / 'tocsin.db'}"
    migrate.upgrade(url)
    node = bootstrap(Settings(database_url=url, var_dir=folder), hasher=FakeHasher(), clock=FakeClock())
    summary = demo_seeder(node)(DEFAULT_SEED)
    bus, scope = node.messagebus, Scope.tenant(summary.tenant_id)
    client = bus.handle(
        c.AddUser(summary.tenant_id, "rec-client", "Client", PASSWORD), scope=scope, actor="t"
    )
    bus.handle(c.GrantRole(client.id, "client", (), ()), scope=scope, actor="t")
    other = make_room(node.store)
    other_scope = Scope.tenant(other.tenant_id)
    admin = bus.handle(
        c.AddUser(other.tenant_id, "rec-other", "Other", PASSWORD), scope=other_scope, actor="t"
    )
    bus.handle(c.GrantRole(admin.id, "admin"), scope=other_scope, actor="t")
    plan = plan_demo(DEFAULT_SEED)
    middle = plan.town.nodes[len(plan.town.nodes) // 2]
    bus.handle(
        c.AddUnit(
            other.tenant_id,
            "OTHER-PATROL",
            "police",
            ("intervention",),
            latitude=middle.latitude,
            longitude=middle.longitude,
        ),
        scope=other_scope,
        actor="t",
    )
    tokens = {
        who: node.auth.create_token(who, "rec", None) for who in ("operator", "rec-client", "rec-other")
    }
    env = {"TOCSIN_DATABASE_URL": url, "TOCSIN_VAR_DIR": str(folder)}
    with TestClient(create_app(node), follow_redirects=False) as http:
        yield Room(node, http, plan, summary.tenant_id, other.tenant_id, tokens, env)
    node.close()


def _edges(plan: DemoPlan) -> list[Edge]:
    edges: list[Edge] = []
    for s in plan.town.segments:
        edges.append((str(s.from_node), str(s.to_node), s.seconds))
        if not s.oneway:
            edges.append((str(s.to_node), str(s.from_node), s.seconds))
    return edges


def _node_at(plan: DemoPlan, latitude: float, longitude: float) -> str:
    return str(next(n.id for n in plan.town.nodes if (n.latitude, n.longitude) == (latitude, longitude)))


def test_the_proposed_patrols_are_those_with_the_shortest_drive_time(room: Room) -> None:
    """A fight (2 PATROUILLE) on a junction: every able unit's drive time equals an independent
    Dijkstra's, the ranks follow drive + turnout, and the two proposed are the two first."""
    target = room.plan.town.nodes[77]
    event = room.event("FIGHT", target.latitude, target.longitude)
    response = room.get("operator", f"/api/v1/events/{event}/recommendation")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["method"] == "road"
    assert body["graph"]["segments"] == len(room.plan.town.segments)
    expected = reference_times(_edges(room.plan), str(target.id))
    units = body["units"]
    assert units, body
    for unit in units:
        assert unit["method"] == "road"
        assert "PATROUILLE" in unit["can_fill"]
        reference = expected[_node_at(room.plan, *_position(room, unit["unit_id"]))]
        assert abs(unit["drive_seconds"] - reference) <= 1, unit
    truth = sorted(
        units,
        key=lambda u: (
            round(expected[_node_at(room.plan, *_position(room, u["unit_id"]))] + u["turnout_seconds"], 2),
            u["callsign"].casefold(),
        ),
    )
    assert [u["unit_id"] for u in units] == [u["unit_id"] for u in truth]
    assert body["proposed"] == [u["unit_id"] for u in truth[:2]]
    assert body["plan"] == [
        {"unit_type": "PATROUILLE", "count": 2, "unit_ids": body["proposed"], "missing": 0}
    ]
    first = units[0]
    assert first["reason"].startswith("Fastest able unit: ")
    assert first["reason_fr"].startswith("Unité apte la plus rapide")
    assert (
        first["eta_seconds"] == first["drive_seconds"] + first["turnout_seconds"]
        or abs(first["eta_seconds"] - first["drive_seconds"] - first["turnout_seconds"]) <= 1
    )


def _position(room: Room, unit_id: str) -> tuple[float, float]:
    unit = room.node.store.read(lambda uow: uow.units.get(UUID(unit_id)), Scope.system())
    assert unit is not None
    assert unit.latitude is not None
    assert unit.longitude is not None
    return unit.latitude, unit.longitude


def test_only_able_units_are_listed_and_each_line_gets_its_own(room: Room) -> None:
    """A burglary (2 patrols + a dog handler): the dog line takes a dog unit, no keyholder is listed;
    an intrusion alarm (AGENT_SECURITE) lists guards and intervening keyholders, no police."""
    target = room.plan.town.nodes[120]
    burglary = room.event("BURGLARY_IN_PROGRESS", target.latitude, target.longitude)
    body = room.get("operator", f"/api/v1/events/{burglary}/recommendation").json()
    kinds = {u["kind"] for u in body["units"]}
    assert "keyholder" not in kinds
    dog = next(line for line in body["plan"] if line["unit_type"] == "MAITRE_CHIEN")
    assert len(dog["unit_ids"]) == 1
    handler = next(u for u in body["units"] if u["unit_id"] == dog["unit_ids"][0])
    assert "dog" in handler["capabilities"]
    assert len(set(body["proposed"])) == 3
    alarm = room.event("ALARM_INTRUSION", target.latitude, target.longitude)
    listed = room.get("operator", f"/api/v1/events/{alarm}/recommendation").json()["units"]
    assert {u["kind"] for u in listed} == {"guard", "keyholder"}
    assert all("intervention" in u["capabilities"] for u in listed)


def test_an_engaged_unit_comes_after_with_what_freeing_it_would_cost(room: Room) -> None:
    """The fastest patrol set en route elsewhere: listed after every available one, with its status
    and its drive time, never proposed."""
    target = room.plan.town.nodes[77]
    event = room.event("FIGHT", target.latitude, target.longitude)
    fastest = room.get("operator", f"/api/v1/events/{event}/recommendation").json()["units"][0]

    def engage(uow: Any) -> None:
        unit = uow.units.get(UUID(fastest["unit_id"]))
        uow.units.update(replace(unit, status="en_route"))

    room.node.store.write(engage, Scope.tenant(room.tenant_id))
    try:
        body = room.get("operator", f"/api/v1/events/{event}/recommendation").json()
    finally:
        room.node.store.write(
            lambda uow: uow.units.update(
                replace(uow.units.get(UUID(fastest["unit_id"])), status="available")
            ),
            Scope.tenant(room.tenant_id),
        )
    busy = next(u for u in body["units"] if u["unit_id"] == fastest["unit_id"])
    assert busy["available"] is False
    assert busy["drive_seconds"] == fastest["drive_seconds"]
    assert busy["reason"].startswith("Now en route: freeing it would bring it in ")
    assert busy["unit_id"] not in body["proposed"]
    flags = [u["available"] for u in body["units"]]
    assert flags == sorted(flags, reverse=True)


def test_without_a_graph_or_outside_it_times_come_from_distance_and_say_so(room: Room) -> None:
    """No graph: method distance, time = straight line times 1.4 at 40 km/h. An event 50 km away: the
    graph's roads are not used and the note says how far the event is from them."""
    target = room.plan.town.nodes[10]
    event_id = room.event("FIGHT", target.latitude, target.longitude)
    incident = room.node.store.read(lambda uow: uow.incidents.get(event_id), Scope.system())
    assert incident is not None
    settings = rec.RecommendSettings()
    computed = room.node.store.read(
        lambda uow: rec.recommend(uow, incident, None, settings), Scope.tenant(room.tenant_id)
    )
    view = rec.recommendation_view(computed, room.node.clock.now())
    assert view["method"] == "distance"
    assert view["note"].startswith("No road graph is loaded")
    for unit in view["units"]:
        assert unit["method"] == "distance"
        assert abs(unit["drive_seconds"] - r.straight_drive_s(unit["distance_m"])) <= 1.5
    far = room.event("FIGHT", target.latitude + 0.45, target.longitude)
    body = room.get("operator", f"/api/v1/events/{far}/recommendation").json()
    assert body["method"] == "distance"
    assert "from the nearest road of the graph" in body["note"]


def test_the_cutoff_leaves_far_units_untimed(room: Room) -> None:
    """With a 60 s cutoff, units farther by road are listed last, untimed, with the reason."""
    target = room.plan.town.nodes[77]
    event_id = room.event("FIGHT", target.latitude, target.longitude)
    incident = room.node.store.read(lambda uow: uow.incidents.get(event_id), Scope.system())
    assert incident is not None
    settings = rec.RecommendSettings(cutoff_s=60)
    graph = room.node.router.graph()
    computed = room.node.store.read(
        lambda uow: rec.recommend(uow, incident, graph, settings), Scope.tenant(room.tenant_id)
    )
    units = rec.recommendation_view(computed, room.node.clock.now())["units"]
    untimed = [u for u in units if u["drive_seconds"] is None]
    assert untimed
    assert all(u["reason"].startswith("Not reachable by road within 1 min") for u in untimed)
    timed = [u for u in units if u["drive_seconds"] is not None]
    assert all(u["drive_seconds"] <= 60 for u in timed)
    assert units == timed + untimed


def test_tenants_stay_apart_and_bad_requests_are_refused(room: Room) -> None:
    """Another tenant's admin gets 404, a client 403; the other tenant's unit never appears in ours; an
    event with no place is a 422 with the way out."""
    target = room.plan.town.nodes[77]
    event = room.event("FIGHT", target.latitude, target.longitude)
    assert room.get("rec-other", f"/api/v1/events/{event}/recommendation").status_code == 404
    assert room.get("rec-client", f"/api/v1/events/{event}/recommendation").status_code == 403
    ours = room.get("operator", f"/api/v1/events/{event}/recommendation", limit=500).json()
    assert "OTHER-PATROL" not in {u["callsign"] for u in ours["units"]}
    theirs = room.event("FIGHT", target.latitude, target.longitude, tenant=room.other_tenant)
    answer = room.get("rec-other", f"/api/v1/events/{theirs}/recommendation").json()
    assert [u["callsign"] for u in answer["units"]] == ["OTHER-PATROL"]
    nowhere = room.event("FIGHT", None, None)
    refused = room.get("operator", f"/api/v1/events/{nowhere}/recommendation")
    assert refused.status_code == 422
    assert "has no place yet" in refused.text
    assert room.get("operator", f"/api/v1/events/{event}/recommendation", limit=0).status_code == 422


def test_the_cli_prints_the_ranked_units(room: Room) -> None:
    """`tocsin events recommend ID --json` gives the API's answer (every documented field per unit);
    the text form marks the proposed units; a bad id is one error line."""
    target = room.plan.town.nodes[77]
    event = room.event("FIGHT", target.latitude, target.longitude)
    done = tocsin(room.env, "events", "recommend", str(event), "--json")
    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)
    api = room.get("operator", f"/api/v1/events/{event}/recommendation").json()
    assert body["proposed"] == api["proposed"]
    for unit in body["units"]:
        assert set(unit) >= CLI_FIELDS
    assert [u["rank"] for u in body["units"]] == list(range(1, len(body["units"]) + 1))
    text = tocsin(room.env, "events", "recommend", str(event), "--language", "fr")
    assert text.returncode == 0
    assert "method: road" in text.stdout
    assert "Unité apte la plus rapide" in text.stdout
    bad = tocsin(room.env, "events", "recommend", "nope")
    assert bad.returncode == 2
    assert "not an event id" in bad.stderr
    assert math.isfinite(float(body["units"][0]["drive_seconds"]))
