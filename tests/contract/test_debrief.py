"""An event's debrief replayed from the logbook, on the in-memory twin, SQLite and PostgreSQL: two units
engaged, one released early, statuses and positions at given times as they were recorded; another
event's and another tenant's entries left out; the read bounded and said so."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from tests.contract.support import Backend, World
from tocsin.domain import incidents as i
from tocsin.domain import partner_commands as pc
from tocsin.domain import units as u
from tocsin.domain.debrief import Replay, Step
from tocsin.domain.debrief import replay as build
from tocsin.domain.errors import NotFound
from tocsin.domain.logbook import NewEntry, SubjectRef
from tocsin.domain.resources import Unit
from tocsin.domain.scope import Scope
from tocsin.services import debrief as db
from tocsin.services import logbook
from tocsin.services.handlers.registry import Deps
from tocsin.services.messagebus import HANDLERS
from tocsin.testing import FakeHasher

DEPS = Deps(hasher=FakeHasher())
HOME_1, HOME_2 = (48.8500, 2.3400), (48.8600, 2.3600)
P1, P2, P3 = (48.8510, 2.3450), (48.8520, 2.3490), (48.8700, 2.3700)


def run(backend: Backend, command: Any, scope: Scope) -> Any:
    return backend.write(lambda uow: HANDLERS.run(command, uow, "ann", DEPS), scope)


@dataclass
class Story:
    event: i.Incident
    other: i.Incident
    stranger: i.Incident
    first: Unit
    second: Unit
    third: Unit
    scope: Scope


def tell(backend: Backend, world: World) -> Story:
    """Tenant 1: event E (call at t=0) gets A1 and A2 at t=30; A2 acknowledges, then is released at 150
    and reports a position after; A1 goes en route, reports P1 then P2, arrives at 210 and clears at 300;
    E closes at 330. Meanwhile event F (tenant 1) has unit A3 moving, and tenant 2 an event of its own."""
    scope, clock = Scope.tenant(world.t1.id), backend.clock
    place = i.Place(48.8525, 2.3500, "3 rue de la Paix")
    event = run(backend, i.CreateIncident(world.t1.id, "FIGHT", place, by="Ann"), scope).incident
    other = run(
        backend, i.CreateIncident(world.t1.id, "NOISE", i.Place(48.8, 2.3, "x"), by="Ann"), scope
    ).incident
    first = run(
        backend, u.CreateUnit(world.t1.id, "A1", "police", latitude=HOME_1[0], longitude=HOME_1[1]), scope
    )
    second = run(
        backend, u.CreateUnit(world.t1.id, "A2", "police", latitude=HOME_2[0], longitude=HOME_2[1]), scope
    )
    third = run(backend, u.CreateUnit(world.t1.id, "A3", "police"), scope)
    t2 = Scope.tenant(world.t2.id)
    stranger = run(backend, i.CreateIncident(world.t2.id, "FIGHT", place, by="Bob"), t2).incident

    def at(seconds: float, *commands: Any, where: Scope = scope) -> None:
        clock.set(event.opened_at + _seconds(seconds))
        for command in commands:
            run(backend, command, where)

    at(30, u.EngageUnits(event.id, (first.id, second.id), "Ann"), u.EngageUnits(other.id, (third.id,), "Ann"))
    at(31, u.EngageUnits(stranger.id, (world.unit2.id,), "Bob"), where=t2)
    at(
        60,
        u.ChangeUnitStatus(first.id, "acknowledged", "A1"),
        u.ChangeUnitStatus(second.id, "acknowledged", "A2"),
    )
    at(90, u.ChangeUnitStatus(first.id, "en_route", "A1"), u.MoveUnit(third.id, 48.81, 2.31, "A3"))
    at(91, u.MoveUnit(world.unit2.id, 48.8511, 2.3451, "B"), where=t2)
    at(120, u.MoveUnit(first.id, *P1, "A1"))
    at(150, u.ReleaseUnit(event.id, second.id, "Ann"))
    at(180, u.MoveUnit(first.id, *P2, "A1"), u.MoveUnit(second.id, *P3, "A2"))
    at(210, u.ChangeUnitStatus(first.id, "on_scene", "A1"))
    at(240, i.NoteIncident(event.id, "Ann", "Two people held"))
    at(300, u.ChangeUnitStatus(first.id, "available", "A1"))
    at(330, pc.CloseWithReport(event.id, ("arrest",), "One held.", "Ann"))
    return Story(event, other, stranger, first, second, third, scope)


def _seconds(seconds: float) -> timedelta:
    return timedelta(seconds=seconds)


def unit_at(replay: Replay, offset: float, unit: Unit) -> tuple[str, bool, float | None, float | None]:
    step = replay.at(offset)
    assert step is not None
    found = [x for x in step.units if x.unit_id == str(unit.id)]
    assert found, f"{unit.callsign} unknown at {offset} s"
    x = found[0]
    return x.status, x.engaged, x.latitude, x.longitude


def test_the_replay_gives_each_units_status_and_position_at_each_time(backend: Backend, world: World) -> None:
    """At 45 s both units are alerted where they were; at 125 s A1 is en route at P1; at 160 s A2 is
    released (available, no longer engaged); at 185 s A1 is at P2 and A2 not at P3 (reported after its
    release); at 215 s A1 is on scene and the event too; the last step is the close."""
    story = tell(backend, world)
    replay = backend.read(lambda uow: db.gather(uow, story.event.id), story.scope).replay
    a1, a2 = story.first, story.second
    assert replay.at(10) is not None
    assert replay.at(10).units == ()
    assert unit_at(replay, 45, a1) == ("alerted", True, *HOME_1)
    assert unit_at(replay, 45, a2) == ("alerted", True, *HOME_2)
    assert unit_at(replay, 125, a1) == ("en_route", True, *P1)
    assert unit_at(replay, 125, a2) == ("acknowledged", True, *HOME_2)
    assert unit_at(replay, 160, a2) == ("available", False, *HOME_2)
    assert unit_at(replay, 185, a1) == ("en_route", True, *P2)
    assert unit_at(replay, 185, a2) == ("available", False, *HOME_2)
    assert unit_at(replay, 215, a1) == ("on_scene", True, *P2)
    assert replay.at(215).event.state == "on_scene"  # type: ignore[union-attr]
    assert unit_at(replay, 301, a1) == ("available", False, *P2)
    last = replay.steps[-1]
    assert (last.event.state, last.offset_s) == ("closed", 330)
    assert (last.event.latitude, last.event.longitude) == (48.8525, 2.35)
    assert [(x.callsign, x.kind) for x in replay.units] == [("A1", "police"), ("A2", "police")]
    assert replay.units[1].released_at == story.event.opened_at + _seconds(150)
    assert replay.units[0].released_at == story.event.opened_at + _seconds(300)


def _about(step: Step) -> set[str]:
    return {str(step.item.params.get(k)) for k in ("incident_id", "unit_id") if step.item.params.get(k)}


def test_another_events_and_another_tenants_entries_are_left_out(backend: Backend, world: World) -> None:
    """Every step names event E or one of its two units, in order, each once; A3's and tenant 2's unit's
    positions are not there, nor A2's position reported after its release."""
    story = tell(backend, world)
    replay = backend.read(lambda uow: db.gather(uow, story.event.id), story.scope).replay
    allowed = {str(story.event.id), str(story.first.id), str(story.second.id)}
    assert all(_about(s) <= allowed and str(story.event.id) in _about(s) for s in replay.steps)
    seqs = [s.item.seq for s in replay.steps]
    assert seqs == sorted(set(seqs))
    positions = [s.item.params["latitude"] for s in replay.steps if s.item.kind == "unit.position"]
    assert positions == [P1[0], P2[0]]
    kinds = [s.item.kind for s in replay.steps]
    assert kinds[0] == "incident.opened"
    assert "incident.note" in kinds
    assert "incident.reported" in kinds
    assert [s.offset_s for s in replay.steps] == sorted(s.offset_s for s in replay.steps)


def test_the_debrief_is_scoped_like_the_event(backend: Backend, world: World) -> None:
    """Tenant 2 does not find tenant 1's event (NotFound); its own debrief holds only its unit."""
    story = tell(backend, world)
    t2 = Scope.tenant(world.t2.id)
    with pytest.raises(NotFound):
        backend.read(lambda uow: db.gather(uow, story.event.id), t2)
    theirs = backend.read(lambda uow: db.gather(uow, story.stranger.id), t2).replay
    assert [x.unit_id for x in theirs.units] == [str(world.unit2.id)]
    assert unit_at(theirs, 100, world.unit2) == ("alerted", True, 48.8511, 2.3451)


def test_a_read_past_its_limit_says_it_is_truncated(backend: Backend, world: World) -> None:
    """With room for five entries the debrief says truncated and read five; the event's own entries
    still come from its timeline."""
    story = tell(backend, world)
    found = backend.read(lambda uow: db.gather(uow, story.event.id, limit=5), story.scope)
    assert (found.truncated, found.entries_read, found.limit) == (True, 5, 5)
    assert found.replay.steps[-1].event.state == "closed"
    whole = backend.read(lambda uow: db.gather(uow, story.event.id), story.scope)
    assert not whole.truncated
    view = db.debrief_view(whole, "fr")
    assert view["event"]["id"] == str(story.event.id)
    assert view["duration_s"] == 330
    assert [x["callsign"] for x in view["units"]] == ["A1", "A2"]
    assert (view["steps"][0]["kind"], view["steps"][0]["offset_s"]) == ("incident.opened", 0)
    released = next(s for s in view["steps"] if s["kind"] == "unit.released")
    assert released["text"] == "Moyen A2 désengagé de son événement\u00a0: acquitté → disponible"
    assert {x["unit_id"]: x["status"] for x in released["units"]} == {
        str(story.first.id): "en_route",
        str(story.second.id): "available",
    }


def test_a_unit_engaged_before_positions_were_named_is_placed_at_its_last_report(
    backend: Backend, world: World
) -> None:
    """An engagement entry without a position (as written before it named one): the unit is placed at its
    last position report before the engagement, read back from the logbook."""
    story = tell(backend, world)
    items = backend.read(lambda uow: db.gather(uow, story.event.id), story.scope).replay.steps
    stripped = [
        i.TimelineItem(
            s.item.seq,
            s.item.at,
            s.item.kind,
            s.item.message,
            {
                k: v
                for k, v in s.item.params.items()
                if s.item.kind != "unit.engaged" or k not in ("latitude", "longitude")
            },
            s.item.actor,
        )
        for s in items
    ]
    seen = i.TimelineItem(
        1,
        story.event.opened_at,
        "unit.position",
        "unit.position",
        {"unit_id": str(story.first.id), "latitude": 1.5, "longitude": 2.5},
        "x",
    )
    found = build(str(story.event.id), stripped, {str(story.first.id): seen})
    assert unit_at(found, 45, story.first) == ("alerted", True, 1.5, 2.5)
    assert unit_at(found, 45, story.second)[2:] == (None, None)


def test_the_store_reads_only_the_kinds_asked(backend: Backend, world: World) -> None:
    """``kind_prefixes`` keeps the entries whose kind starts with one of them, in the same order as the
    whole read filtered by hand (a kind is matched from its start: ``unit.`` is not ``incident.unit_…``)."""
    story = tell(backend, world)

    def both(uow: Any) -> tuple[list[int], list[int]]:
        whole = [e for e in uow.logbook.read(story.scope) if e.kind.startswith(("unit.", "tenant."))]
        asked = list(uow.logbook.read(story.scope, kind_prefixes=("unit.", "tenant.")))
        return [e.seq for e in whole], [e.seq for e in asked]

    whole, asked = backend.read(both, story.scope)
    assert asked == whole
    assert len(asked) > 10


def test_an_engagement_that_names_no_position_takes_the_units_last_report_from_the_logbook(
    backend: Backend, world: World
) -> None:
    """Entries written before engagements named a position: the unit is placed at its last position
    report before the engagement, read back from the logbook; a report after it is not taken for it."""
    scope, clock = Scope.tenant(world.t1.id), backend.clock
    event = run(backend, i.CreateIncident(world.t1.id, "FIGHT", i.Place(48.85, 2.35, "x"), by="Ann"), scope)
    ident, unit = str(event.incident.id), "0192d7a0-0000-7000-8000-0000000000aa"
    board = {"unit_id": unit, "callsign": "L1", "unit_kind": "guard", "flag": "", "by": "t"}

    def entry(kind: str, subjects: tuple[SubjectRef, ...], **params: Any) -> None:
        clock.advance(seconds=10)
        new = NewEntry(kind, kind, "t", world.t1.id, board | params, subjects)
        backend.write(lambda uow: logbook.append(uow.logbook, uow.clock, new), scope)

    mine = (SubjectRef("unit", unit),)
    entry("unit.position", mine, status="available", incident_id=None, latitude=1.5, longitude=2.5)
    entry("unit.position", mine, status="available", incident_id=None, latitude=3.5, longitude=4.5)
    entry("unit.engaged", (*mine, SubjectRef("incident", ident)), status="alerted", incident_id=ident)
    entry("unit.position", mine, status="available", incident_id=None, latitude=9.5, longitude=9.5)
    found = backend.read(lambda uow: db.gather(uow, event.incident.id), scope).replay
    assert [(x.callsign, x.kind) for x in found.units] == [("L1", "guard")]
    step = found.steps[-1]
    assert (step.item.kind, step.units[0].latitude, step.units[0].longitude) == ("unit.engaged", 3.5, 4.5)
