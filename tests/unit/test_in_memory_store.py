"""What the in-memory store does beyond the contract it shares with the SQL store."""

from __future__ import annotations

import threading

import pytest

from tocsin.domain.errors import StoreUnavailable
from tocsin.domain.logbook import GENESIS_HASH, LogbookEntry, NewEntry
from tocsin.domain.scope import Scope
from tocsin.domain.tenancy import Tenant
from tocsin.services.unit_of_work import UnitOfWork
from tocsin.testing import FakeClock, InMemoryStore
from tocsin.testing.store import MemoryState

SYSTEM = Scope.system()


def _note(uow: UnitOfWork) -> LogbookEntry:
    return uow.note(NewEntry("test.note", "test.note", "test", None))


def test_a_write_inside_a_write_is_refused() -> None:
    """A nested write on the same thread raises instead of losing the inner transaction."""
    store = InMemoryStore(FakeClock())
    with pytest.raises(RuntimeError, match="inside another write"):
        store.write(lambda _uow: store.write(_note, SYSTEM), SYSTEM)
    assert store.read(lambda uow: uow.logbook.chains(), SYSTEM) == []


def test_a_commit_listener_may_write() -> None:
    """A listener called after a commit may start its own write (as an outbox subscriber does)."""
    store = InMemoryStore(FakeClock())
    seen: list[int] = []

    def follow_up(entries: list[LogbookEntry]) -> None:
        seen.append(len(entries))
        if len(seen) == 1:
            store.write(_note, SYSTEM)

    store.on_commit(follow_up)
    store.write(_note, SYSTEM)
    assert seen == [1, 1]
    assert [h.seq for h in store.read(lambda uow: uow.logbook.chains(), SYSTEM)] == [2]


def test_concurrent_writers_never_fork_a_chain() -> None:
    """Writers on many threads queue on one lock: the chain gets every entry, without gaps."""
    store = InMemoryStore(FakeClock())
    threads = [threading.Thread(target=store.write, args=(_note, SYSTEM)) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    entries = store.read(lambda uow: list(uow.logbook.entries("system")), SYSTEM)
    assert [e.seq for e in entries] == list(range(1, 21))


def test_tamper_changes_state_behind_the_rules() -> None:
    """tamper() edits the committed state directly, for tests of tamper detection."""
    store = InMemoryStore(FakeClock())
    store.write(_note, SYSTEM)

    def drop_head(state: MemoryState) -> None:
        del state.heads["system"]

    store.tamper(drop_head)
    heads = store.read(lambda uow: uow.logbook.chains(), SYSTEM)
    assert [(h.seq, h.hash) for h in heads] == [(0, GENESIS_HASH)]


def test_a_closed_store_refuses_work() -> None:
    """After close(), reads and writes raise StoreUnavailable with a sentence."""
    clock = FakeClock()
    store = InMemoryStore(clock)
    store.close()
    with pytest.raises(StoreUnavailable, match="closed"):
        store.write(lambda uow: uow.tenants.add(Tenant(clock.new_id(), "T1", "One")), SYSTEM)
    with pytest.raises(StoreUnavailable, match="closed"):
        store.read(lambda uow: uow.tenants.find(), SYSTEM)
