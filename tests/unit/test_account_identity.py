"""A receiver, line and account number name one transmitter on the node, whatever the tenant."""

from __future__ import annotations

import pytest

from tocsin.domain import commands as c
from tocsin.domain.errors import Conflict
from tocsin.domain.scope import Scope
from tocsin.services.handlers.registry import Deps
from tocsin.services.messagebus import MessageBus
from tocsin.testing import FakeClock, FakeHasher, InMemoryStore


def test_a_second_tenant_cannot_declare_a_transmitter_another_tenant_holds() -> None:
    """The refusal is one sentence saying "another tenant", never which; nothing is stored; another
    line prefix is accepted; the same identity twice in one tenant is refused as such."""
    store = InMemoryStore(FakeClock())
    bus = MessageBus(store, Deps(hasher=FakeHasher()))
    sites = []
    for ref in ("securitas-nord", "garde-sud"):
        tenant = bus.handle(c.CreateTenant(ref, f"Tenant {ref}"), scope=Scope.system(), actor="t")
        client = bus.handle(
            c.CreateClient(tenant.id, "c", "Client"), scope=Scope.tenant(tenant.id), actor="t"
        )
        site = bus.handle(
            c.CreateSite(tenant.id, client.id, "s", "Site"), scope=Scope.tenant(tenant.id), actor="t"
        )
        sites.append((tenant.id, site.id))
    (first_tenant, first_site), (second_tenant, second_site) = sites
    bus.handle(c.AddAccount(first_site, "1234", "1", "1"), scope=Scope.tenant(first_tenant), actor="t")

    with pytest.raises(Conflict) as refused:
        bus.handle(c.AddAccount(second_site, "1234", "1", "1"), scope=Scope.tenant(second_tenant), actor="t")
    message = str(refused.value)
    assert "R1 L1 #1234 is already declared by another tenant" in message
    assert "securitas" not in message.lower()
    assert str(first_tenant) not in message
    assert "\n" not in message
    assert store.read(lambda uow: uow.accounts.find(), Scope.tenant(second_tenant)) == []

    with pytest.raises(Conflict, match="already declared in this tenant"):
        bus.handle(c.AddAccount(first_site, "1234", "1", "1"), scope=Scope.tenant(first_tenant), actor="t")
    bus.handle(c.AddAccount(second_site, "1234", "1", "2"), scope=Scope.tenant(second_tenant), actor="t")
