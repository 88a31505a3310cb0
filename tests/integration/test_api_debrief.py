"""An event's debrief over HTTP and from the command line, on SQLite and PostgreSQL: the replay of an
event with a unit that moved, who may read it (the event's readers; not a client nor a crew), another
tenant's 404 with the probe logged, the console's page, and `tocsin events debrief` as a table and JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import clone_postgres
from tests.integration.api_support import PASSWORD, Stack, make_stack
from tests.integration.cli_support import tocsin
from tests.integration.helpers import make_room
from tests.integration.test_api_alarms import Actor, actor
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope

PLACE = {"latitude": 48.8566, "longitude": 2.3522, "address": "1 place de l'Hôtel de Ville, Paris"}
HOME, SCENE = (48.8600, 2.3400), (48.8570, 2.3520)


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def stack(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """One app on each database: an admin, an operator, a supervisor, a client, a crew, and another
    tenant's operator."""
    url, drop = None, None
    if request.param == "postgres":
        url, drop = clone_postgres(request.getfixturevalue("postgres_template"))
    for built in make_stack(tmp_path_factory.mktemp("debrief"), url):
        built.add_user("supervisor", "supervisor")
        built.add_user("crew", "unit")
        other = make_room(built.node.store)
        scope = Scope.tenant(other.tenant_id)
        bus = built.node.messagebus
        user = bus.handle(
            c.AddUser(other.tenant_id, "elsewhere", "Elsewhere", PASSWORD), scope=scope, actor="t"
        )
        bus.handle(c.GrantRole(user.id, "operator"), scope=scope, actor="t")
        yield built
    if drop is not None:
        drop()  # type: ignore[operator]


@pytest.fixture(scope="module")
def operator(stack: Stack) -> Actor:
    return actor(stack, "operator")


@pytest.fixture(scope="module")
def story(stack: Stack, operator: Actor) -> dict[str, Any]:
    """An event at t=0; unit V1 (at home) engaged at 20 s, acknowledged at 40, en route at 60, reports
    the scene's position at 120, on scene at 150, available at 300; the event closed with its report."""
    admin = actor(stack, "admin")
    unit = admin.post(
        "/api/v1/units", {"callsign": "V1", "kind": "police", "latitude": HOME[0], "longitude": HOME[1]}
    )
    assert unit.status_code == 201, unit.text
    unit_id = unit.json()["id"]
    opened = operator.post("/api/v1/events", {"type_code": "road_accident", **PLACE, "origin": "operator"})
    assert opened.status_code == 201, opened.text
    event = opened.json()["event"]["id"]

    def at(seconds: int) -> None:
        stack.clock.advance(seconds=seconds)

    at(20)
    assert operator.post(f"/api/v1/events/{event}/engage", {"unit_ids": [unit_id]}).status_code == 201
    for wait, status in ((20, "acknowledged"), (20, "en_route")):
        at(wait)
        assert operator.post(f"/api/v1/units/{unit_id}/status", {"status": status}).status_code == 200
    at(60)
    moved = operator.post(f"/api/v1/units/{unit_id}/position", {"latitude": SCENE[0], "longitude": SCENE[1]})
    assert moved.status_code == 200, moved.text
    at(30)
    assert operator.post(f"/api/v1/units/{unit_id}/status", {"status": "on_scene"}).status_code == 200
    at(150)
    assert operator.post(f"/api/v1/units/{unit_id}/status", {"status": "available"}).status_code == 200
    report = {"outcomes": ["handled"], "text": "Handled."}
    written = operator.browser.put(
        f"/api/v1/events/{event}/report", json=report, headers={"X-CSRF-Token": operator.csrf}
    )
    assert written.status_code == 200, written.text
    closed = operator.browser.patch(
        f"/api/v1/events/{event}", json={"state": "closed"}, headers={"X-CSRF-Token": operator.csrf}
    )
    assert closed.status_code == 200, closed.text
    return {"event": event, "unit": unit_id}


def unit_at(body: dict[str, Any], offset: float) -> dict[str, Any]:
    steps = [s for s in body["steps"] if s["offset_s"] <= offset]
    return dict(steps[-1]["units"][0])


def test_the_debrief_replays_the_units_moves_and_statuses(operator: Actor, story: dict[str, Any]) -> None:
    """The answer names the event and V1; V1 is alerted at home at 20 s, en route at 60 s, at the scene
    from 120 s, on scene from 150 s, released at 300 s; the last step is the close."""
    answer = operator.get(f"/api/v1/events/{story['event']}/debrief")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["event"]["id"] == story["event"]
    assert body["event"]["state"] == "closed"
    assert [(u["callsign"], u["unit_kind"]) for u in body["units"]] == [("V1", "police")]
    assert body["units"][0]["released_at"] is not None
    assert body["truncated"] is False
    assert body["steps"][0]["units"] == []
    at_home = unit_at(body, 30)
    assert (at_home["status"], at_home["latitude"], at_home["longitude"]) == ("alerted", *HOME)
    assert unit_at(body, 100)["status"] == "en_route"
    assert (unit_at(body, 100)["latitude"], unit_at(body, 130)["latitude"]) == (HOME[0], SCENE[0])
    assert unit_at(body, 200)["status"] == "on_scene"
    assert (unit_at(body, 301)["status"], unit_at(body, 301)["engaged"]) == ("available", False)
    last = body["steps"][-1]
    assert (last["event"]["state"], last["event"]["latitude"]) == ("closed", PLACE["latitude"])
    assert body["duration_s"] == last["offset_s"] >= 300
    assert set(last) == {"seq", "at", "offset_s", "kind", "actor", "text", "unit_id", "event", "units"}


def test_who_may_read_the_debrief(stack: Stack, story: dict[str, Any]) -> None:
    """The event's readers (operator, supervisor, admin) read it; a client and a crew are refused (403);
    another tenant's operator gets 404 and the probe is logged."""
    url = f"/api/v1/events/{story['event']}/debrief"
    for name in ("operator", "supervisor", "admin"):
        assert actor(stack, name).get(url).status_code == 200, name
    for name in ("client-a", "crew"):
        assert actor(stack, name).get(url).status_code == 403, name
    stack.clock.advance(seconds=60)  # refusals are counted per minute: this one is the first of its minute
    before = len(stack.entries("security.refused"))
    elsewhere = actor(stack, "elsewhere")
    answer = elsewhere.get(url)
    assert answer.status_code == 404
    assert answer.json()["error"] == "not_found"
    assert len(stack.entries("security.refused")) == before + 1
    assert elsewhere.get("/api/v1/events/00000000-0000-0000-0000-000000000000/debrief").status_code == 404


def test_the_console_page_opens_for_the_events_readers(stack: Stack, story: dict[str, Any]) -> None:
    """The page carries the event's id and its script; a crew gets the page's refusal (403); without a
    session, the login."""
    url = f"/console/events/{story['event']}/debrief"
    page = actor(stack, "operator").get(url)
    assert page.status_code == 200
    assert story["event"] in page.text
    assert "/static/debrief.js" in page.text
    assert actor(stack, "crew").get(url).status_code == 403
    assert stack.client.get(url).status_code == 303


def _env(stack: Stack, tmp_path: Path) -> dict[str, str]:
    return {"TOCSIN_DATABASE_URL": stack.node.settings.database_url, "TOCSIN_VAR_DIR": str(tmp_path / "var")}


def test_the_cli_prints_the_debrief_as_a_table_and_as_json(
    stack: Stack, story: dict[str, Any], tmp_path: Path
) -> None:
    """`tocsin events debrief ID` prints one line per step with the time since the call and V1's status
    and position; --json prints the API's answer; an unknown id is one error line, exit 2."""
    env = _env(stack, tmp_path)
    table = tocsin(env, "events", "debrief", story["event"])
    assert table.returncode == 0, table.stderr
    assert "V1 (police)" in table.stdout
    assert "+0:02:30" in table.stdout
    assert "V1 on_scene @48.85700,2.35200" in table.stdout
    as_json = tocsin(env, "events", "debrief", story["event"], "--json", "--language", "fr")
    assert as_json.returncode == 0, as_json.stderr
    body = json.loads(as_json.stdout)
    assert body["units"][0]["callsign"] == "V1"
    assert any("désengagé" in s["text"] or "V1" in s["text"] for s in body["steps"])
    missing = tocsin(env, "events", "debrief", "00000000-0000-0000-0000-000000000000")
    assert missing.returncode == 2
    assert "No event" in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1
