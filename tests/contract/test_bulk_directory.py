"""Adding records together (an import) keeps the same rules as one by one, in memory and in SQL:
scope checked for every record, all or nothing; transmitter identities looked up many at once."""

from __future__ import annotations

import pytest

from tests.contract.support import Backend, World, find
from tocsin.domain.errors import OutOfScope
from tocsin.domain.scope import Scope
from tocsin.domain.sites import Site, Zone


def test_add_many_stores_new_sites_and_their_children_in_one_transaction(
    backend: Backend, world: World
) -> None:
    """Sites added together, then zones of those sites (found for the scope check in the same
    transaction), are all stored."""
    clock, t1 = backend.clock, world.t1.id
    sites = [Site(clock.new_id(), t1, world.a.id, f"BULK{n}", f"Bulk {n}") for n in range(3)]
    zones = [Zone(clock.new_id(), t1, s.id, "1", "Door") for s in sites]

    def write(uow):  # type: ignore[no-untyped-def]
        uow.sites.add_many(sites)
        uow.zones.add_many(zones)
        uow.zones.add_many([])

    backend.write(write, Scope.tenant(t1))
    assert {s.ref for s in find(backend, "sites", Scope.tenant(t1))} >= {"BULK0", "BULK1", "BULK2"}
    assert {z.site_id for z in find(backend, "zones")} >= {s.id for s in sites}


def test_add_many_refuses_a_record_outside_the_scope_and_stores_none(backend: Backend, world: World) -> None:
    """A client-A grant adding a zone of site B1 among zones of A1: refused, no zone stored."""
    clock, t1 = backend.clock, world.t1.id
    zones = [
        Zone(clock.new_id(), t1, world.a1.id, "77", "Mine"),
        Zone(clock.new_id(), t1, world.b1.id, "78", "Not"),
    ]
    scope = Scope.restricted(t1, client_ids=frozenset({world.a.id}))
    with pytest.raises(OutOfScope):
        backend.write(lambda uow: uow.zones.add_many(zones), scope)
    assert not [z for z in find(backend, "zones") if z.number in ("77", "78")]


def test_holders_names_the_tenant_of_each_identity_held(backend: Backend, world: World) -> None:
    """Known identities map to their tenant (any case), unknown ones are absent."""
    held = world.accounts["a1"]
    other = world.accounts["c1"]
    wanted = [
        (held.receiver, held.line, held.number.lower()),
        (other.receiver, other.line, other.number),
        ("9", "9", "FFF"),
    ]
    found = backend.read(lambda uow: uow.account_identities.holders(wanted), Scope.tenant(world.t1.id))
    assert found == {
        (held.receiver, held.line, held.number): world.t1.id,
        (other.receiver, other.line, other.number): world.t2.id,
    }
