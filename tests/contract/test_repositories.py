"""The repositories keep records and apply the scope policy the same way in memory and in SQL."""

from __future__ import annotations

import dataclasses
from typing import Any
from uuid import UUID

import pytest

from tests.contract.support import Backend, World, add, deadline, find, get, ids, update
from tocsin.domain.errors import Conflict, NotFound
from tocsin.domain.logbook import LogbookEntry, NewEntry
from tocsin.domain.resources import Partner, Unit
from tocsin.domain.sites import Account, Contact, Schedule, ScheduleWindow, Site, Zone
from tocsin.domain.tenancy import Client, Tenant
from tocsin.services.unit_of_work import UnitOfWork
from tocsin.testing import FakeClock, FakeHasher

REPOSITORIES = [
    "tenants",
    "clients",
    "sites",
    "accounts",
    "zones",
    "contacts",
    "schedules",
    "units",
    "partners",
]


def new_record(name: str, w: World, clock: FakeClock) -> Any:
    """A record for repository ``name`` that clashes with nothing in the world."""
    new_id, t1 = clock.new_id(), w.t1.id
    records: dict[str, Any] = {
        "tenants": lambda: Tenant(new_id, "T3", "Tenant three"),
        "clients": lambda: Client(new_id, t1, "D", "Client D"),
        "sites": lambda: Site(
            new_id,
            t1,
            w.a.id,
            "A3",
            "Site A3",
            address="1 rue de la Paix",
            latitude=48.87,
            longitude=2.33,
            schedule_id=w.schedule_a.id,
        ),
        "accounts": lambda: Account(
            new_id,
            t1,
            w.a1.id,
            "abcd",
            receiver="12",
            line="3",
            protocol_options={"encrypted": True, "profile": ["sia"]},
        ),
        "zones": lambda: Zone(new_id, t1, w.a1.id, "7", "Smoke detector", kind="fire"),
        "contacts": lambda: Contact(
            new_id, t1, w.a1.id, 2, "Second", ("+33122334455",), password_hash=FakeHasher().hash("swordfish")
        ),
        "schedules": lambda: Schedule(
            new_id,
            t1,
            "Night",
            client_id=w.a.id,
            windows=(ScheduleWindow((1, 2, 3), "08:00", "18:30"),),
            holidays=("2026-05-01",),
        ),
        "units": lambda: Unit(
            new_id,
            t1,
            "Patrol 2",
            "patrol",
            capabilities=("dog", "first_aid"),
            latitude=45.0,
            longitude=5.0,
        ),
        "partners": lambda: Partner(new_id, t1, "Gendarmerie", "police", phones=("17",)),
    }
    return records[name]()


FIND_BY = {
    "tenants": "ref",
    "clients": "ref",
    "sites": "ref",
    "accounts": "number",
    "zones": "number",
    "contacts": "name",
    "schedules": "name",
    "units": "callsign",
    "partners": "name",
}
CHANGE = {
    "tenants": {"name": "Renamed"},
    "clients": {"name": "Renamed"},
    "sites": {"notes": "Gate code 1234", "latitude": None, "longitude": None},
    "accounts": {"supervision_seconds": 3600, "key_ref": "keys/a1"},
    "zones": {"name": "Back door"},
    "contacts": {"phones": ("+33999",), "call_order": 3},
    "schedules": {"holidays": ("2026-07-14",)},
    "units": {"status": "on_scene"},
    "partners": {"email": "ops@example.org"},
}


# ---------------------------------------------------------------- storing


@pytest.mark.parametrize("name", REPOSITORIES)
def test_add_get_find_update(backend: Backend, world: World, name: str) -> None:
    """Each repository stores a record, returns it by id and by field, and writes back a change."""
    item = new_record(name, world, backend.clock)
    add(backend, name, item)
    assert get(backend, name, item.id) == item
    field = FIND_BY[name]
    assert find(backend, name, **{field: getattr(item, field)}) == [item]
    changed = dataclasses.replace(item, **CHANGE[name])
    update(backend, name, changed)
    assert get(backend, name, item.id) == changed
    assert get(backend, name, item.id) != item


def test_get_unknown_id_is_none(backend: Backend, world: World) -> None:
    """Getting an id nobody stored returns None, not an error."""
    assert get(backend, "sites", backend.clock.new_id()) is None
    assert find(backend, "sites", ref="nowhere") == []


def test_find_orders_by_id_not_by_insertion(backend: Backend, world: World) -> None:
    """find returns matches ordered by id, whatever order they were added in."""
    zones = [
        Zone(backend.clock.new_id(), world.t1.id, world.a2.id, str(n), f"Zone {n}") for n in range(10, 14)
    ]
    for zone in reversed(zones):
        add(backend, "zones", zone)
    found = find(backend, "zones", site_id=world.a2.id)
    assert ids(found) == sorted(ids(found))
    assert ids(found) == sorted([world.zones["a2"].id, *ids(zones)])


def test_find_matches_several_fields_and_none(backend: Backend, world: World) -> None:
    """find ANDs its fields, and a None value matches records where the field is unset."""
    assert find(backend, "schedules", tenant_id=world.t1.id, client_id=None) == [world.shared_schedule]
    assert find(backend, "zones", site_id=world.a1.id, number="1") == [world.zones["a1"]]
    assert find(backend, "zones", site_id=world.a1.id, number="2") == []


def test_returned_records_are_copies(backend: Backend, world: World) -> None:
    """Changing a record read from a repository changes nothing stored until update is called."""
    site = get(backend, "sites", world.a1.id)
    site.name = "Changed in memory only"
    site.notes = "not saved"
    assert get(backend, "sites", world.a1.id) == world.a1


def test_update_of_unknown_record_is_not_found(backend: Backend, world: World) -> None:
    """Updating a record that was never added raises NotFound."""
    ghost = dataclasses.replace(world.zones["a1"], id=backend.clock.new_id())
    with pytest.raises(NotFound, match="in your scope"):
        update(backend, "zones", ghost)


def test_contact_secrets_are_stored_hashed(backend: Backend, world: World) -> None:
    """A contact added through its command keeps a hash of the spoken password, never the word."""
    contact = get(backend, "contacts", world.contacts["a1"].id)
    assert contact.password_hash is not None
    assert "sesame" not in contact.password_hash
    assert contact.duress_hash is None


# ---------------------------------------------------------------- uniqueness and references


def test_tenant_ref_is_unique(backend: Backend, world: World) -> None:
    """A second tenant with a taken reference is a Conflict."""
    with pytest.raises(Conflict):
        add(backend, "tenants", Tenant(backend.clock.new_id(), "T1", "Another"))


def test_client_ref_is_unique_within_its_tenant(backend: Backend, world: World) -> None:
    """A client reference is unique in a tenant but free in another."""
    with pytest.raises(Conflict):
        add(backend, "clients", Client(backend.clock.new_id(), world.t1.id, "A", "Other A"))
    add(backend, "clients", Client(backend.clock.new_id(), world.t2.id, "A", "A of tenant 2"))


def test_site_ref_is_unique_within_its_tenant(backend: Backend, world: World) -> None:
    """A site reference is unique in a tenant, across its clients, but free in another tenant."""
    with pytest.raises(Conflict):
        add(backend, "sites", Site(backend.clock.new_id(), world.t1.id, world.b.id, "A1", "Dup"))
    add(backend, "sites", Site(backend.clock.new_id(), world.t2.id, world.c.id, "A1", "Free"))


def test_account_identity_is_unique_on_the_node_across_tenants(backend: Backend, world: World) -> None:
    """Receiver, line and number together name one transmitter on the node: not again in its tenant, on
    another site, nor in another tenant; another receiver prefix is another transmitter."""
    taken = world.accounts["a1"]

    def account(tenant_id: UUID, site_id: UUID, receiver: str) -> Account:
        return Account(
            backend.clock.new_id(), tenant_id, site_id, taken.number, receiver=receiver, line=taken.line
        )

    with pytest.raises(Conflict):
        add(backend, "accounts", account(world.t1.id, world.b1.id, taken.receiver))
    with pytest.raises(Conflict):
        add(backend, "accounts", account(world.t2.id, world.c1.id, taken.receiver))
    add(backend, "accounts", account(world.t1.id, world.b1.id, "2"))
    add(backend, "accounts", account(world.t2.id, world.c1.id, "3"))


def test_zone_number_is_unique_within_its_site(backend: Backend, world: World) -> None:
    """A zone number is unique on a site (every site of the world already has a zone 1)."""
    with pytest.raises(Conflict):
        add(backend, "zones", Zone(backend.clock.new_id(), world.t1.id, world.a1.id, "1", "Dup"))


def test_unit_callsign_is_unique_within_its_tenant(backend: Backend, world: World) -> None:
    """A callsign is unique in a tenant (tenant 2 has its own Patrol 1)."""
    with pytest.raises(Conflict):
        add(backend, "units", Unit(backend.clock.new_id(), world.t1.id, "Patrol 1", "patrol"))


def test_update_that_takes_a_used_value_conflicts(backend: Backend, world: World) -> None:
    """Renaming a site's reference to one already used in its tenant is a Conflict."""
    with pytest.raises(Conflict):
        update(backend, "sites", dataclasses.replace(world.a2, ref="A1"))
    assert get(backend, "sites", world.a2.id) == world.a2


def test_duplicate_id_conflicts(backend: Backend, world: World) -> None:
    """Adding a record under an id already stored is a Conflict."""
    with pytest.raises(Conflict):
        add(backend, "partners", dataclasses.replace(world.partner, name="Same id"))


def test_reference_to_missing_parent_conflicts(backend: Backend, world: World) -> None:
    """A record that names a tenant or client that is not stored is a Conflict."""
    with pytest.raises(Conflict):
        add(backend, "clients", Client(backend.clock.new_id(), backend.clock.new_id(), "X", "X"))
    with pytest.raises(Conflict):
        add(
            backend,
            "schedules",
            Schedule(backend.clock.new_id(), world.t1.id, "Orphan", client_id=backend.clock.new_id()),
        )


# ---------------------------------------------------------------- transactions


def test_write_that_raises_leaves_nothing(backend: Backend) -> None:
    """A write whose function raises after adding rows, entries and deadlines stores none of them."""

    def half_done(uow: UnitOfWork) -> None:
        tenant = Tenant(uow.clock.new_id(), "T9", "Doomed")
        uow.tenants.add(tenant)
        client = Client(uow.clock.new_id(), tenant.id, "D", "Doomed client")
        uow.clients.add(client)
        uow.sites.add(Site(uow.clock.new_id(), tenant.id, client.id, "D1", "Doomed site"))
        uow.note(NewEntry("test.note", "test.note", "test", tenant.id))
        uow.deadlines.arm(deadline(backend.clock, "doom", "k", 60))
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        backend.write(half_done)
    assert find(backend, "tenants") == []
    assert find(backend, "sites") == []
    assert backend.read(lambda uow: uow.logbook.chains()) == []
    assert backend.read(lambda uow: uow.deadlines.pending()) == []


def test_read_transaction_keeps_no_change(backend: Backend) -> None:
    """Whatever the function of a read transaction adds is not kept."""
    backend.read(lambda uow: uow.tenants.add(Tenant(uow.clock.new_id(), "T9", "Read-only")))
    assert find(backend, "tenants") == []


def test_commit_listeners_get_the_written_entries(backend: Backend) -> None:
    """After a commit that wrote logbook entries, each listener gets them; otherwise it is not called."""
    calls: list[list[LogbookEntry]] = []
    backend.store.on_commit(calls.append)
    tenant = backend.clock.new_id()

    def two_notes(uow: UnitOfWork) -> list[LogbookEntry]:
        return [uow.note(NewEntry("test.note", "test.note", "test", tenant)) for _ in range(2)]

    written = backend.write(two_notes)
    assert calls == [written]
    backend.write(lambda uow: uow.tenants.find())
    with pytest.raises(RuntimeError, match="no"):
        backend.write(lambda uow: [two_notes(uow), _fail()])
    assert calls == [written]


def _fail() -> None:
    raise RuntimeError("no")


def test_system_scope_sees_every_tenant(backend: Backend, world: World) -> None:
    """The system scope finds the records of every tenant, oldest id first."""
    assert find(backend, "tenants") == [world.t1, world.t2]
    assert find(backend, "units", callsign="Patrol 1") == [world.unit, world.unit2]
