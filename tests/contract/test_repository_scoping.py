"""Every repository applies the scope policy of tocsin.services.scoping, in memory and in SQL."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from tests.contract.support import Backend, World, add, find, get, ids, update
from tocsin.domain.errors import NotFound, OutOfScope
from tocsin.domain.resources import Unit
from tocsin.domain.scope import Scope
from tocsin.domain.sites import Account, Contact, Schedule, Site, Zone
from tocsin.domain.tenancy import Client, Tenant

SITE_CHILDREN = ["accounts", "zones", "contacts"]
TENANT_ONE_REPOSITORIES = [
    "clients",
    "sites",
    "accounts",
    "zones",
    "contacts",
    "schedules",
    "units",
    "partners",
]


def client_a(w: World) -> Scope:
    """A grant on client A of tenant 1 (with all its sites)."""
    return Scope.restricted(w.t1.id, client_ids=frozenset({w.a.id}))


def site_a2(w: World) -> Scope:
    """A grant on site A2 of tenant 1 only."""
    return Scope.restricted(w.t1.id, site_ids=frozenset({w.a2.id}))


def new_child(name: str, backend: Backend, w: World, site: Site) -> Any:
    """A new account, zone or contact on ``site`` that clashes with nothing."""
    new_id = backend.clock.new_id()
    if name == "accounts":
        return Account(new_id, site.tenant_id, site.id, "FFF1")
    if name == "zones":
        return Zone(new_id, site.tenant_id, site.id, "99", "Garage")
    return Contact(new_id, site.tenant_id, site.id, 5, "Night guard")


# ---------------------------------------------------------------- a client grant


def test_client_scope_sees_its_clients_sites_and_children(backend: Backend, world: World) -> None:
    """A grant on client A gets and finds A's client, sites and site children, and nothing of B's."""
    scope = client_a(world)
    assert find(backend, "clients", scope) == [world.a]
    assert get(backend, "clients", world.b.id, scope) is None
    assert find(backend, "sites", scope) == [world.a1, world.a2]
    assert get(backend, "sites", world.a1.id, scope) == world.a1
    assert get(backend, "sites", world.b1.id, scope) is None
    for name in SITE_CHILDREN:
        mine = [world.children("a1")[name], world.children("a2")[name]]
        assert find(backend, name, scope) == mine
        assert get(backend, name, world.children("a1")[name].id, scope) == mine[0]
        assert get(backend, name, world.children("b1")[name].id, scope) is None
        assert find(backend, name, scope, site_id=world.b1.id) == []


@pytest.mark.parametrize("name", SITE_CHILDREN)
def test_client_scope_adds_children_only_to_its_sites(backend: Backend, world: World, name: str) -> None:
    """A grant on client A may add an account, zone or contact to A's site but not to B's."""
    scope = client_a(world)
    with pytest.raises(OutOfScope, match="ask an administrator"):
        add(backend, name, new_child(name, backend, world, world.b1), scope)
    assert find(backend, name, Scope.system(), site_id=world.b1.id) == [world.children("b1")[name]]
    mine = new_child(name, backend, world, world.a1)
    add(backend, name, mine, scope)
    assert get(backend, name, mine.id, scope) == mine


def test_client_scope_adds_sites_only_to_its_client(backend: Backend, world: World) -> None:
    """A grant on client A may create a site for A, not for B, and may not create clients."""
    scope = client_a(world)
    with pytest.raises(OutOfScope):
        add(
            backend,
            "sites",
            Site(backend.clock.new_id(), world.t1.id, world.b.id, "B9", "B9"),
            scope,
        )
    with pytest.raises(OutOfScope):
        add(backend, "clients", Client(backend.clock.new_id(), world.t1.id, "E", "E"), scope)
    site = Site(backend.clock.new_id(), world.t1.id, world.a.id, "A9", "A9")
    add(backend, "sites", site, scope)
    assert get(backend, "sites", site.id, scope) == site


@pytest.mark.parametrize("name", ["sites", *SITE_CHILDREN])
def test_client_scope_cannot_update_another_clients_records(
    backend: Backend, world: World, name: str
) -> None:
    """A grant on client A cannot write back B's site or its children, and they stay unchanged."""
    theirs = world.b1 if name == "sites" else world.children("b1")[name]
    field = "key_ref" if name == "accounts" else "name"
    renamed = dataclasses.replace(theirs, **{field: "Taken over"})
    with pytest.raises(OutOfScope):
        update(backend, name, renamed, client_a(world))
    assert get(backend, name, theirs.id) == theirs


def test_update_of_an_invisible_record_is_not_found(backend: Backend, world: World) -> None:
    """Moving B's site or zone into A's reach through a grant on A fails as NotFound."""
    scope = client_a(world)
    with pytest.raises(NotFound):
        update(backend, "sites", dataclasses.replace(world.b1, client_id=world.a.id), scope)
    with pytest.raises(NotFound):
        update(backend, "zones", dataclasses.replace(world.zones["b1"], site_id=world.a1.id), scope)
    assert get(backend, "sites", world.b1.id) == world.b1
    assert get(backend, "zones", world.zones["b1"].id) == world.zones["b1"]


def test_client_scope_updates_its_own_records(backend: Backend, world: World) -> None:
    """A grant on client A writes back A's sites and their children."""
    scope = client_a(world)
    site = dataclasses.replace(world.a1, notes="Dog on site")
    zone = dataclasses.replace(world.zones["a2"], name="Loading bay")
    update(backend, "sites", site, scope)
    update(backend, "zones", zone, scope)
    assert get(backend, "sites", site.id) == site
    assert get(backend, "zones", zone.id) == zone


# ---------------------------------------------------------------- a site grant


def test_site_scope_sees_its_site_children_and_owner(backend: Backend, world: World) -> None:
    """A grant on site A2 sees A2, its children and its owner client A, nothing else of A or B."""
    scope = site_a2(world)
    assert find(backend, "sites", scope) == [world.a2]
    assert get(backend, "sites", world.a1.id, scope) is None
    assert find(backend, "clients", scope) == [world.a]
    assert get(backend, "clients", world.b.id, scope) is None
    for name in SITE_CHILDREN:
        assert find(backend, name, scope) == [world.children("a2")[name]]
        assert get(backend, name, world.children("a1")[name].id, scope) is None


def test_site_scope_writes_only_inside_its_site(backend: Backend, world: World) -> None:
    """A grant on site A2 adds a zone to A2 but not to A1, and changes neither client nor sites."""
    scope = site_a2(world)
    zone = new_child("zones", backend, world, world.a2)
    add(backend, "zones", zone, scope)
    assert get(backend, "zones", zone.id, scope) == zone
    with pytest.raises(OutOfScope):
        add(backend, "zones", new_child("zones", backend, world, world.a1), scope)
    with pytest.raises(OutOfScope):
        add(
            backend,
            "sites",
            Site(backend.clock.new_id(), world.t1.id, world.a.id, "A8", "A8"),
            scope,
        )
    with pytest.raises(OutOfScope):
        update(backend, "clients", dataclasses.replace(world.a, name="Renamed"), scope)
    update(backend, "sites", dataclasses.replace(world.a2, notes="Alarm code changed"), scope)


def test_site_scope_sees_its_owners_schedules(backend: Backend, world: World) -> None:
    """A grant on site A2 sees the shared schedule and client A's, not client B's."""
    found = find(backend, "schedules", site_a2(world))
    assert found == [world.shared_schedule, world.schedule_a]


# ---------------------------------------------------------------- another tenant


@pytest.mark.parametrize("name", TENANT_ONE_REPOSITORIES)
def test_other_tenant_sees_nothing_of_tenant_one(backend: Backend, world: World, name: str) -> None:
    """Tenant 2's whole-tenant scope finds and gets nothing that belongs to tenant 1."""
    scope = Scope.tenant(world.t2.id)
    assert all(item.tenant_id == world.t2.id for item in find(backend, name, scope))
    for item in find(backend, name, Scope.system(), tenant_id=world.t1.id):
        assert get(backend, name, item.id, scope) is None
    assert find(backend, name, scope, tenant_id=world.t1.id) == []


def test_tenant_scope_sees_only_its_own_tenant(backend: Backend, world: World) -> None:
    """A tenant's scope gets its own tenant only, and no tenant scope may add or change tenants."""
    scope = Scope.tenant(world.t2.id)
    assert find(backend, "tenants", scope) == [world.t2]
    assert get(backend, "tenants", world.t1.id, scope) is None
    with pytest.raises(OutOfScope):
        add(backend, "tenants", Tenant(backend.clock.new_id(), "T7", "Seven"), scope)
    with pytest.raises(OutOfScope):
        update(backend, "tenants", dataclasses.replace(world.t2, name="Renamed"), scope)


def test_other_tenant_cannot_write_into_tenant_one(backend: Backend, world: World) -> None:
    """Tenant 2's scope cannot add a client, a unit or a zone under tenant 1."""
    scope = Scope.tenant(world.t2.id)
    with pytest.raises(OutOfScope):
        add(backend, "clients", Client(backend.clock.new_id(), world.t1.id, "X", "X"), scope)
    with pytest.raises(OutOfScope):
        add(backend, "units", Unit(backend.clock.new_id(), world.t1.id, "Intruder", "patrol"), scope)
    with pytest.raises(OutOfScope):
        add(backend, "zones", new_child("zones", backend, world, world.a1), scope)


# ---------------------------------------------------------------- tenant-level records


@pytest.mark.parametrize("name", ["units", "partners"])
def test_tenant_resources_are_readable_but_not_writable_when_restricted(
    backend: Backend, world: World, name: str
) -> None:
    """A client grant reads the tenant's units and partners but cannot add or change them."""
    scope = client_a(world)
    resource = world.unit if name == "units" else world.partner
    assert find(backend, name, scope) == [resource]
    assert get(backend, name, resource.id, scope) == resource
    with pytest.raises(OutOfScope):
        update(backend, name, resource, scope)
    with pytest.raises(OutOfScope):
        add(backend, name, dataclasses.replace(resource, id=backend.clock.new_id()), scope)
    update(backend, name, resource, Scope.tenant(world.t1.id))


def test_shared_schedules_are_visible_to_restricted_scopes(backend: Backend, world: World) -> None:
    """A client grant sees the tenant's shared schedules and its client's, not another client's."""
    scope = client_a(world)
    assert find(backend, "schedules", scope) == [world.shared_schedule, world.schedule_a]
    assert get(backend, "schedules", world.schedule_b.id, scope) is None
    assert get(backend, "schedules", world.shared_schedule.id, scope) == world.shared_schedule


def test_restricted_scope_adds_schedules_only_for_its_client(backend: Backend, world: World) -> None:
    """A client grant may add a schedule for its client, not a shared one nor another client's."""
    scope = client_a(world)
    mine = Schedule(backend.clock.new_id(), world.t1.id, "A weekends", client_id=world.a.id)
    add(backend, "schedules", mine, scope)
    assert get(backend, "schedules", mine.id, scope) == mine
    for client_id in (None, world.b.id):
        with pytest.raises(OutOfScope):
            add(
                backend,
                "schedules",
                Schedule(backend.clock.new_id(), world.t1.id, "Not mine", client_id=client_id),
                scope,
            )
    assert ids(find(backend, "schedules", Scope.tenant(world.t1.id))) == [
        world.shared_schedule.id,
        world.schedule_a.id,
        world.schedule_b.id,
        mine.id,
    ]


@pytest.mark.parametrize(
    ("scope_of", "expected"),
    [
        (lambda w: Scope.tenant(w.t1.id), {"a1", "a2", "b1"}),
        (client_a, {"a1", "a2"}),
        (site_a2, {"a2"}),
        (lambda w: Scope.tenant(w.t2.id), {"c1"}),
    ],
)
def test_site_search_texts_keep_to_the_scope(
    backend: Backend, world: World, scope_of: Any, expected: set[str]
) -> None:
    """The site search's texts (a few columns read as plain rows) cover exactly the sites the scope
    sees, each with its own transmitters' numbers and contacts' names."""
    w = world
    sites = {"a1": w.a1, "a2": w.a2, "b1": w.b1, "c1": w.c1}
    texts = backend.store.read(lambda uow: uow.site_texts.texts(), scope_of(w))
    by_site = {str(sites[name].id).replace("-", ""): name for name in sites}
    found = {by_site[t.site_id.replace("-", "")]: t for t in texts}
    assert set(found) == expected
    for name, text in found.items():
        site = sites[name]
        assert (text.name, text.ref) == (site.name, site.ref)
        assert text.accounts == [w.accounts[name].number]
        assert text.contacts == [w.contacts[name].name]
