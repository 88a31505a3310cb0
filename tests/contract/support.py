"""What the contract tests share: the store under test and a small two-tenant world."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import create_engine, text

from tocsin.adapters.store.database import SqlStore, normalize_url
from tocsin.domain import commands as c
from tocsin.domain.deadlines import Deadline
from tocsin.domain.resources import Partner, Unit
from tocsin.domain.scope import Scope
from tocsin.domain.sites import Account, Contact, Schedule, Site, Zone
from tocsin.domain.tenancy import Client, Tenant
from tocsin.services.handlers.registry import Deps
from tocsin.services.messagebus import MessageBus
from tocsin.services.unit_of_work import UnitOfWork
from tocsin.testing import FakeClock, FakeHasher, InMemoryStore
from tocsin.testing.store import MemoryState

R = TypeVar("R")
SYSTEM = Scope.system()
SPOKEN_WORD = "open sesame"  # a contact's spoken password in the test world


@dataclass
class Backend:
    """A store under test, its clock, and a way to corrupt it behind the store's back."""

    kind: str
    store: InMemoryStore | SqlStore
    clock: FakeClock
    path: Path | None = None
    url: str | None = None

    def write(self, fn: Callable[[UnitOfWork], R], scope: Scope = SYSTEM) -> R:
        """Run ``fn`` in a write transaction (the system scope unless told)."""
        return self.store.write(fn, scope)

    def read(self, fn: Callable[[UnitOfWork], R], scope: Scope = SYSTEM) -> R:
        """Run ``fn`` in a read transaction (the system scope unless told)."""
        return self.store.read(fn, scope)

    def drop_chain_head(self, chain: str) -> None:
        """Delete a chain's head row, leaving its entries, as someone with database access could."""
        if isinstance(self.store, InMemoryStore):

            def drop(state: MemoryState) -> None:
                del state.heads[chain]

            self.store.tamper(drop)
            return
        if self.url is not None:
            engine = create_engine(normalize_url(self.url))
            with engine.begin() as connection:
                connection.execute(text("DELETE FROM logbook_chain WHERE chain = :c"), {"c": chain})
            engine.dispose()
            return
        assert self.path is not None
        with contextlib.closing(sqlite3.connect(self.path)) as connection, connection:
            connection.execute("DELETE FROM logbook_chain WHERE chain = ?", (chain,))


@dataclass
class World:
    """Two tenants. Tenant 1 has clients A and B; A owns sites A1 and A2, B owns site B1. Every site
    has an account, a zone and a contact; tenant 1 has a shared schedule, one per client, a unit and
    a partner. Tenant 2 has one client with one site and the same kinds of things."""

    t1: Tenant
    t2: Tenant
    a: Client
    b: Client
    c: Client
    a1: Site
    a2: Site
    b1: Site
    c1: Site
    accounts: dict[str, Account]
    zones: dict[str, Zone]
    contacts: dict[str, Contact]
    shared_schedule: Schedule
    schedule_a: Schedule
    schedule_b: Schedule
    unit: Unit
    partner: Partner
    unit2: Unit
    partner2: Partner

    def children(self, site: str) -> dict[str, Any]:
        """The account, zone and contact of a site, by repository name."""
        return {
            "accounts": self.accounts[site],
            "zones": self.zones[site],
            "contacts": self.contacts[site],
        }


def build_world(backend: Backend) -> World:
    """Set up the world through the command handlers, with the system scope."""
    bus = MessageBus(backend.store, Deps(hasher=FakeHasher()))

    def do(command: c.Command) -> Any:
        return bus.handle(command, scope=SYSTEM, actor="test")

    t1, t2 = do(c.CreateTenant("T1", "Tenant one")), do(c.CreateTenant("T2", "Tenant two"))
    a = do(c.CreateClient(t1.id, "A", "Client A"))
    b = do(c.CreateClient(t1.id, "B", "Client B"))
    cc = do(c.CreateClient(t2.id, "C", "Client C"))
    sites = {
        "a1": do(c.CreateSite(t1.id, a.id, "A1", "Site A1")),
        "a2": do(c.CreateSite(t1.id, a.id, "A2", "Site A2")),
        "b1": do(c.CreateSite(t1.id, b.id, "B1", "Site B1")),
        "c1": do(c.CreateSite(t2.id, cc.id, "C1", "Site C1")),
    }
    accounts, zones, contacts = {}, {}, {}
    for number, (name, site) in enumerate(sites.items(), start=1001):
        accounts[name] = do(c.AddAccount(site.id, str(number)))
        zones[name] = do(c.AddZone(site.id, "1", "Front door"))
        contacts[name] = do(
            c.AddContact(site.id, 1, f"Keyholder {name}", ("+33100000000",), password=SPOKEN_WORD)
        )
    return World(
        t1=t1,
        t2=t2,
        a=a,
        b=b,
        c=cc,
        a1=sites["a1"],
        a2=sites["a2"],
        b1=sites["b1"],
        c1=sites["c1"],
        accounts=accounts,
        zones=zones,
        contacts=contacts,
        shared_schedule=do(c.CreateSchedule(t1.id, "Shared hours")),
        schedule_a=do(c.CreateSchedule(t1.id, "A hours", client_id=a.id)),
        schedule_b=do(c.CreateSchedule(t1.id, "B hours", client_id=b.id)),
        unit=do(c.AddUnit(t1.id, "Patrol 1", "patrol")),
        partner=do(c.AddPartner(t1.id, "Police", "police")),
        unit2=do(c.AddUnit(t2.id, "Patrol 1", "patrol")),
        partner2=do(c.AddPartner(t2.id, "Police", "police")),
    )


def ids(items: list[Any]) -> list[UUID]:
    """The ids of records, in order."""
    return [item.id for item in items]


def deadline(
    clock: FakeClock,
    kind: str,
    key: str,
    due_in_seconds: float,
    payload: dict[str, Any] | None = None,
) -> Deadline:
    """A deadline due ``due_in_seconds`` after the clock's now."""
    return Deadline(
        id=clock.new_id(),
        kind=kind,
        key=key,
        due_at=clock.now() + timedelta(seconds=due_in_seconds),
        payload=payload or {},
    )


def repo(uow: UnitOfWork, name: str) -> Any:
    """The unit of work's repository called ``name``."""
    return getattr(uow, name)


def add(backend: Backend, name: str, item: Any, scope: Scope = SYSTEM) -> None:
    """Add ``item`` to repository ``name`` in its own transaction."""
    backend.write(lambda uow: repo(uow, name).add(item), scope)


def update(backend: Backend, name: str, item: Any, scope: Scope = SYSTEM) -> None:
    """Write back ``item`` to repository ``name`` in its own transaction."""
    backend.write(lambda uow: repo(uow, name).update(item), scope)


def get(backend: Backend, name: str, item_id: UUID, scope: Scope = SYSTEM) -> Any:
    """Read one record of repository ``name``."""
    return backend.read(lambda uow: repo(uow, name).get(item_id), scope)


def find(backend: Backend, name: str, scope: Scope = SYSTEM, /, **equal: Any) -> list[Any]:
    """Find records of repository ``name`` (positional arguments, so ``name=`` can be a field)."""
    return backend.read(lambda uow: repo(uow, name).find(**equal), scope)
