"""The receiver's account directory: every account in memory, the store read only when it must be."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from tocsin.domain import commands as c
from tocsin.domain.scope import Scope
from tocsin.services.handlers.registry import Deps
from tocsin.services.intake import MISS_TTL, AccountDirectory
from tocsin.services.messagebus import MessageBus
from tocsin.services.unit_of_work import UnitOfWork
from tocsin.testing import FakeClock, FakeHasher, InMemoryStore

R = TypeVar("R")


class CountingStore(InMemoryStore):
    """Counts read transactions."""

    reads = 0

    def read(self, fn: Callable[[UnitOfWork], R], scope: Scope) -> R:
        self.reads += 1
        return super().read(fn, scope)


def setup() -> tuple[CountingStore, FakeClock, MessageBus, Any]:
    clock = FakeClock()
    store = CountingStore(clock)
    bus = MessageBus(store, Deps(hasher=FakeHasher()))
    system = Scope.system()
    tenant = bus.handle(c.CreateTenant("arc", "ARC"), scope=system, actor="t")
    client = bus.handle(c.CreateClient(tenant.id, "c", "Client"), scope=system, actor="t")
    site = bus.handle(
        c.CreateSite(tenant.id, client.id, "s", "Site", time_zone="Europe/Paris"), scope=system, actor="t"
    )
    for number in ("1234", "ab12"):
        bus.handle(c.AddAccount(site.id, number, "1", "2"), scope=system, actor="t")
    return store, clock, bus, site


def test_loaded_accounts_are_answered_from_memory() -> None:
    """One read loads every account with its site's time zone; lookups then never read the store."""
    store, clock, _, _ = setup()
    directory = AccountDirectory(store, clock)
    assert directory.load() == 2
    reads = store.reads
    for _ in range(1000):
        found = directory.lookup("1", "2", "AB12")  # numbers and prefixes match whatever their case
        assert found is not None
        assert found.time_zone == "Europe/Paris"
    assert directory.is_cached("1", "2", "1234")
    assert store.reads == reads


def test_an_account_added_after_the_load_is_read_on_first_sight() -> None:
    store, clock, bus, site = setup()
    directory = AccountDirectory(store, clock)
    directory.load()
    bus.handle(c.AddAccount(site.id, "9999", "1", "2"), scope=Scope.system(), actor="t")
    assert not directory.is_cached("1", "2", "9999")
    reads = store.reads
    assert directory.lookup("1", "2", "9999") is not None
    assert directory.lookup("1", "2", "9999") is not None
    assert store.reads == reads + 1


def test_an_unknown_number_is_asked_again_only_after_a_while() -> None:
    store, clock, _, _ = setup()
    directory = AccountDirectory(store, clock)
    directory.load()
    reads = store.reads
    assert directory.lookup("1", "2", "7777") is None
    assert directory.lookup("1", "2", "7777") is None
    assert directory.is_cached("1", "2", "7777")
    assert store.reads == reads + 1
    clock.advance(MISS_TTL + 1)
    assert not directory.is_cached("1", "2", "7777")
    assert directory.lookup("1", "2", "7777") is None
    assert store.reads == reads + 2


def test_a_reload_picks_up_changes() -> None:
    """A profile set after the load applies once the directory reloads."""
    store, clock, _, _ = setup()
    directory = AccountDirectory(store, clock)
    directory.load()
    (account,) = store.read(lambda uow: uow.accounts.find(number="1234"), Scope.system())
    account.profile = "local-time"
    store.write(lambda uow: uow.accounts.update(account), Scope.system())
    before = directory.lookup("1", "2", "1234")
    assert before is not None
    assert before.profile is None
    directory.load()
    after = directory.lookup("1", "2", "1234")
    assert after is not None
    assert after.profile == "local-time"


def test_a_sender_cycling_account_numbers_cannot_grow_the_memory_of_unknown_ones() -> None:
    """50,000 made-up numbers leave at most the bound of unknown numbers remembered; known accounts are
    still answered from memory, and the newest unknown number is still remembered."""
    store, clock, _, _ = setup()
    directory = AccountDirectory(store, clock, miss_memory=1000)
    directory.load()
    for n in range(50_000):
        assert directory.lookup("1", "2", f"{0x100000 + n:X}") is None
    assert len(directory._misses) <= 1000  # the bounded cache itself: the behaviour under test
    assert directory.remembered_misses <= 1000
    assert directory.is_cached("1", "2", f"{0x100000 + 49_999:X}")
    assert directory.lookup("1", "2", "1234") is not None
