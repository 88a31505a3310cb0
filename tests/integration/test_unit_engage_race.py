"""One open assignment per unit, held by the database: two engages that both read the unit free (two
PostgreSQL transactions at once) cannot both write; the second is a conflict and writes nothing."""

from __future__ import annotations

import pytest

from tests.integration.helpers import make_room
from tocsin.adapters.store.database import SqlStore
from tocsin.domain import incidents as i
from tocsin.domain import units as u
from tocsin.domain.errors import Conflict
from tocsin.domain.scope import Scope
from tocsin.testing import FakeClock


def test_a_second_open_assignment_of_a_unit_is_refused_by_the_store(db_url: str) -> None:
    """An open assignment written behind the unit's back (as a concurrent engage would) makes the
    engage fail whole: no second assignment, the unit unchanged, no entry."""
    clock = FakeClock()
    store = SqlStore(db_url, clock)
    try:
        room = make_room(store)
        scope = Scope.tenant(room.tenant_id)
        bus = room.bus
        unit = bus.handle(u.CreateUnit(room.tenant_id, "R1", "guard"), scope=scope, actor="t")
        place = i.Place(48.85, 2.35, "Quai")
        first, second = (
            bus.handle(
                i.CreateIncident(room.tenant_id, "FIGHT", place, by="t"), scope=scope, actor="t"
            ).incident
            for _ in range(2)
        )
        racing = u.Assignment(clock.new_id(), room.tenant_id, first.id, unit.id, "R1", clock.now())
        store.write(lambda uow: uow.assignments.add(racing), scope)
        entries = store.read(lambda uow: len(list(uow.logbook.read(Scope.system()))), Scope.system())
        with pytest.raises(Conflict):
            bus.handle(u.EngageUnits(second.id, (unit.id,), "t"), scope=scope, actor="t")
        assert store.read(lambda uow: uow.assignments.find(incident_id=second.id), scope) == []
        assert store.read(lambda uow: uow.units.get(unit.id), scope).status == "available"
        after = store.read(lambda uow: len(list(uow.logbook.read(Scope.system()))), Scope.system())
        assert after == entries
    finally:
        store.close()
