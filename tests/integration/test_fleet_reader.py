"""The recommendation's read of a tenant's units on SQLite and PostgreSQL: the same units as the
repository (ids, callsigns, kinds, capabilities, equipment, statuses, positions) in the same order, each
change of a row seen on the next read, a removed unit gone, another tenant's units never read."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

from tocsin.adapters.store import migrate
from tocsin.adapters.store.database import SqlStore
from tocsin.adapters.store.fleet_store import FleetReader
from tocsin.domain.resources import Unit
from tocsin.domain.scope import Scope
from tocsin.domain.tenancy import Tenant
from tocsin.testing import FakeClock

RECOMMENDED = (
    "id",
    "tenant_id",
    "callsign",
    "kind",
    "capabilities",
    "status",
    "latitude",
    "longitude",
    "equipment",
)


def _seen(unit: Unit) -> tuple[Any, ...]:
    return tuple(getattr(unit, name) for name in RECOMMENDED)


def test_the_reader_sees_every_change_and_only_the_tenant(fresh_db_url: str) -> None:
    migrate.upgrade(fresh_db_url)
    store = SqlStore(fresh_db_url, FakeClock())
    try:
        tenants = [Tenant(uuid.uuid4(), f"t{n}", f"Tenant {n}") for n in range(2)]
        store.write(lambda uow: [uow.tenants.add(t) for t in tenants], Scope.system())
        mine, theirs = tenants[0].id, tenants[1].id
        units = [
            Unit(uuid.uuid4(), mine, f"PM {n}", "police", ("intervention", "dog")[: 1 + (n % 3 == 0)],
                 latitude=47.0 + n / 1000, longitude=2.0, equipment=("ladder",) if n % 4 == 0 else ())
            for n in range(40)
        ]  # fmt: skip
        units.append(Unit(uuid.uuid4(), mine, "Sans position", "guard", ()))
        other = Unit(uuid.uuid4(), theirs, "PM 1", "police", ("intervention",), latitude=47.0, longitude=2.0)
        store.write(lambda uow: uow.units.add_many(units), Scope.tenant(mine))
        store.write(lambda uow: uow.units.add(other), Scope.tenant(theirs))
        reader = FleetReader()

        def read() -> list[Unit]:
            return store.read(lambda uow: reader(uow.session.connection(), mine), Scope.tenant(mine))

        def stored() -> list[Unit]:
            return store.read(
                lambda uow: [u for u in uow.units.find() if u.tenant_id == mine], Scope.tenant(mine)
            )

        first = read()
        assert sorted(map(_seen, first), key=str) == sorted(map(_seen, stored()), key=str)
        assert [u.id for u in first] == sorted(u.id for u in units)  # in the order of their ids
        assert other.id not in {u.id for u in first}
        again = read()
        assert all(a is b for a, b in zip(first, again, strict=True))  # unchanged rows: the units kept

        moved, engaged, gone = units[3], units[7], units[11]

        def change(uow: Any) -> None:
            uow.units.update(dataclasses.replace(moved, latitude=47.5, longitude=2.5))
            uow.units.update(dataclasses.replace(engaged, status="en_route"))
            uow.units.remove(gone)

        store.write(change, Scope.tenant(mine))
        after = {u.id: u for u in read()}
        assert gone.id not in after
        assert (after[moved.id].latitude, after[moved.id].longitude) == (47.5, 2.5)
        assert after[engaged.id].status == "en_route"
        assert sorted(map(_seen, after.values()), key=str) == sorted(map(_seen, stored()), key=str)
        kept = {u.id: u for u in again}
        assert after[units[0].id] is kept[units[0].id]
    finally:
        store.close()
