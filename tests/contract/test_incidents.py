"""Incidents on the in-memory twin, SQLite and PostgreSQL: opened with their entries, found through the
caller's scope, light rows and the duplicate search's box, a stale write refused, the nomenclature loaded
into the tenant on first use and edited per tenant."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from tests.contract.support import Backend, World
from tests.contract.test_alarms import DEPS
from tocsin.domain import incidents as i
from tocsin.domain.errors import InvalidInput
from tocsin.domain.nomenclature import type_data
from tocsin.domain.scope import Scope
from tocsin.services.handlers.incidents import Opened
from tocsin.services.messagebus import HANDLERS
from tocsin.services.nomenclature import shipped_types

PARIS = (48.8566, 2.3522)


def run(backend: Backend, command: Any, scope: Scope | None = None) -> Any:
    return backend.write(lambda uow: HANDLERS.run(command, uow, "ann", DEPS), scope or Scope.system())


def open_one(backend: Backend, world: World, code: str = "FIGHT", **fields: Any) -> i.Incident:
    place = fields.pop("place", i.Place(*PARIS, "Quai"))
    opened: Opened = run(backend, i.CreateIncident(world.t1.id, code, place, by="Ann", **fields))
    return opened.incident


def test_an_opened_incident_is_stored_with_its_entries_and_timeline(backend: Backend, world: World) -> None:
    """The row and the two entries (opened, note) are written together; the timeline copies them."""
    made = open_one(backend, world, note="Two men", caller_phone="0600000000")
    stored = backend.read(lambda uow: uow.incidents.get(made.id))
    assert stored == made
    assert [t.kind for t in stored.timeline] == ["incident.opened", "incident.note"]
    entries = backend.read(lambda uow: list(uow.logbook.read(Scope.tenant(world.t1.id))))
    assert [e.kind for e in entries[-2:]] == ["incident.opened", "incident.note"]
    assert stored.timeline[-1].seq == entries[-1].seq


def test_incidents_are_seen_only_through_the_callers_scope(backend: Backend, world: World) -> None:
    """Another tenant sees none; a client's scope sees only those on its sites."""
    on_a1 = open_one(backend, world, place=i.Place(site_id=world.a1.id))
    nowhere = open_one(backend, world)
    assert backend.read(lambda uow: uow.incidents.get(on_a1.id), Scope.tenant(world.t2.id)) is None
    assert backend.read(lambda uow: uow.incidents.find(), Scope.tenant(world.t2.id)) == []
    client_a = Scope.restricted(world.t1.id, client_ids=frozenset({world.a.id}))
    assert [x.id for x in backend.read(lambda uow: uow.incidents.find(), client_a)] == [on_a1.id]
    assert backend.read(lambda uow: uow.incidents.get(nowhere.id), client_a) is None


def test_light_rows_and_the_duplicate_search_box(backend: Backend, world: World) -> None:
    """A light row has no narrative; the box keeps the nearby and the same site, not the far."""
    near = open_one(backend, world, note="x")
    far = open_one(backend, world, place=i.Place(PARIS[0] + 0.05, PARIS[1], "far"))
    on_site = open_one(backend, world, place=i.Place(site_id=world.a1.id))
    light = backend.read(lambda uow: uow.incidents.find(light=True))
    assert all(x.notes == () and x.timeline == () for x in light)
    box = i.Near(PARIS[0] + 0.001, PARIS[1], 300, world.a1.id)
    found = {x.id for x in backend.read(lambda uow: uow.incidents.find(near=box, light=True))}
    assert near.id in found
    assert on_site.id in found
    assert far.id not in found


def test_a_write_on_a_stale_read_is_refused(backend: Backend, world: World) -> None:
    """Saving an incident at a version another write moved on changes nothing and raises."""
    made = open_one(backend, world)
    run(backend, i.NoteIncident(made.id, "Bob", "first"))
    with pytest.raises(i.IncidentChanged):
        backend.write(lambda uow: uow.incidents.save(replace(made, summary="stale")))
    stored = backend.read(lambda uow: uow.incidents.get(made.id))
    assert stored is not None
    assert stored.summary == ""
    assert stored.notes[-1]["text"] == "first"


def test_the_nomenclature_is_loaded_on_first_use_and_edited_per_tenant(
    backend: Backend, world: World
) -> None:
    """The first event loads the shipped types into the tenant; an edit stays that tenant's own."""
    assert backend.read(lambda uow: uow.incidents.types(world.t1.id)) == []
    open_one(backend, world)
    assert len(backend.read(lambda uow: uow.incidents.types(world.t1.id))) == len(shipped_types())
    noise = type_data(next(t for t in shipped_types() if t.code == "NOISE"))
    run(backend, i.PutIncidentType(world.t2.id, {**noise, "default_priority": 2}))
    t2 = {t.code: t for t in backend.read(lambda uow: uow.incidents.types(world.t2.id))}
    t1 = {t.code: t for t in backend.read(lambda uow: uow.incidents.types(world.t1.id))}
    assert (t2["NOISE"].default_priority, t1["NOISE"].default_priority) == (2, 5)
    run(backend, i.PutIncidentType(world.t2.id, {**noise, "default_priority": 3}))
    again = {t.code: t for t in backend.read(lambda uow: uow.incidents.types(world.t2.id))}
    assert again["NOISE"].default_priority == 3
    with pytest.raises(InvalidInput, match="APCO"):
        run(backend, i.PutIncidentType(world.t2.id, {**noise, "apco": "??"}))
