"""Helpers that build a small directory of records through the real command handlers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from tocsin.domain import commands as c
from tocsin.domain.scope import Scope
from tocsin.services.handlers.registry import Deps
from tocsin.services.messagebus import MessageBus
from tocsin.services.unit_of_work import Store
from tocsin.testing import FakeHasher


@dataclass
class Room:
    """One tenant with two clients, a site each, and a few entries in its logbook."""

    bus: MessageBus
    tenant_id: uuid.UUID
    client_a: uuid.UUID
    client_b: uuid.UUID
    site_a: uuid.UUID
    site_b: uuid.UUID


def make_room(store: Store, ref: str | None = None) -> Room:
    """Create a tenant (unique reference) with clients A and B and one site each."""
    bus = MessageBus(store, Deps(hasher=FakeHasher()))
    ref = ref or f"t{uuid.uuid4().hex[:8]}"
    tenant = bus.handle(c.CreateTenant(ref=ref, name=f"Tenant {ref}"), scope=Scope.system(), actor="test")
    scope = Scope.tenant(tenant.id)
    client_a = bus.handle(
        c.CreateClient(tenant_id=tenant.id, ref="A", name="Client A"), scope=scope, actor="test"
    )
    client_b = bus.handle(
        c.CreateClient(tenant_id=tenant.id, ref="B", name="Client B"), scope=scope, actor="test"
    )
    site_a = bus.handle(
        c.CreateSite(tenant_id=tenant.id, client_id=client_a.id, ref="SA", name="Site A"),
        scope=scope,
        actor="test",
    )
    site_b = bus.handle(
        c.CreateSite(tenant_id=tenant.id, client_id=client_b.id, ref="SB", name="Site B"),
        scope=scope,
        actor="test",
    )
    return Room(bus, tenant.id, client_a.id, client_b.id, site_a.id, site_b.id)
