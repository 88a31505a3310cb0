"""A signal whose processing fails is set aside by its id, and only after the store's transient failures
were retried: in memory, on SQLite and on PostgreSQL."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import pytest

from tests.contract.support import Backend, World
from tests.contract.test_signal_store import NoKeys, insert, make_signal, pending
from tocsin.adapters.store import database
from tocsin.domain.errors import StoreUnavailable
from tocsin.domain.events import SignalReceived
from tocsin.domain.scope import Scope
from tocsin.domain.signals import Signal
from tocsin.services import signal_processing
from tocsin.services.logbook import verify_all
from tocsin.services.signal_processing import SignalProcessor
from tocsin.services.unit_of_work import UnitOfWork

R = TypeVar("R")


class Interposed:
    """The backend's store, with something done after a chosen failed transaction, as if another
    process (a receiver replaying its journal, a database restarting) acted at that moment."""

    def __init__(self, backend: Backend, after_failure: dict[int, Callable[[], None]]) -> None:
        self._backend = backend
        self._after_failure = after_failure
        self.failures = 0

    def _run(self, run: Callable[[], R]) -> R:
        try:
            return run()
        except Exception:
            self.failures += 1
            self._after_failure.pop(self.failures, lambda: None)()
            raise

    def write(self, fn: Callable[[UnitOfWork], R], scope: Scope) -> R:
        return self._run(lambda: self._backend.store.write(fn, scope))

    def read(self, fn: Callable[[UnitOfWork], R], scope: Scope) -> R:
        return self._run(lambda: self._backend.store.read(fn, scope))


def kinds_by_signal(backend: Backend) -> dict[str, list[str]]:
    entries = backend.read(lambda uow: list(uow.logbook.read(Scope.system())))
    found: dict[str, list[str]] = {}
    for e in entries:
        if e.kind.startswith("signal."):
            found.setdefault(str(e.data["signal_id"]), []).append(e.kind)
    return found


def poison(monkeypatch: pytest.MonkeyPatch, bad: Signal) -> None:
    real = signal_processing._received

    def fragile(
        signal: Signal, event: Mapping[str, Any], client_id: Any, alarm_id: Any = None
    ) -> SignalReceived:
        if signal.id == bad.id:
            raise ValueError("cannot read this one")
        return real(signal, event, client_id, alarm_id)

    monkeypatch.setattr(signal_processing, "_received", fragile)


def test_the_signal_set_aside_is_the_one_that_failed_not_the_oldest_pending(
    backend: Backend, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An older signal stored between the failure and the setting aside keeps its real entry."""
    signals = [make_signal(backend, world, n, minutes_ago=5) for n in range(6)]
    insert(backend, signals)
    bad = signals[0]
    poison(monkeypatch, bad)
    late = make_signal(backend, world, 99, minutes_ago=10)  # older than all: a journal replay, say
    store = Interposed(backend, {2: lambda: insert(backend, [late])})
    processor = SignalProcessor(store, backend.clock, batch=4)  # type: ignore[arg-type]
    processor.drain()
    processor.drain()
    assert pending(backend) == []
    kinds = kinds_by_signal(backend)
    assert kinds[str(bad.id)] == ["signal.problem"]
    assert kinds[str(late.id)] == ["signal.received"]
    assert all(kinds[str(s.id)] == ["signal.received"] for s in signals[1:])
    reports = backend.read(lambda uow: verify_all(uow.logbook, NoKeys()))
    assert all(r.breach is None for r in reports)


def test_transient_store_failures_are_retried_and_nothing_is_set_aside(
    backend: Backend, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store that fails twice in a row (locked, a serialization failure) is tried again at once."""
    signals = [make_signal(backend, world, n) for n in range(6)]
    insert(backend, signals)
    flaky = Flaky(backend, failures=2)
    processor = SignalProcessor(flaky, backend.clock, batch=4)  # type: ignore[arg-type]
    assert processor.drain() == 6
    assert flaky.failed == 2
    kinds = kinds_by_signal(backend)
    assert sorted(kinds) == sorted(str(s.id) for s in signals)
    assert all(k == ["signal.received"] for k in kinds.values())


class Flaky:
    """The backend's store, whose first writes fail as a busy or restarting database's do."""

    def __init__(self, backend: Backend, failures: int) -> None:
        self._backend = backend
        self._left = failures
        self.failed = 0

    def write(self, fn: Callable[[UnitOfWork], R], scope: Scope) -> R:
        if self._left:
            self._left -= 1
            self.failed += 1
            raise StoreUnavailable("The database at test cannot be used: database is locked.")
        return self._backend.store.write(fn, scope)

    def read(self, fn: Callable[[UnitOfWork], R], scope: Scope) -> R:
        return self._backend.store.read(fn, scope)


def test_a_sqlite_database_locked_by_another_process_is_waited_for(
    backend: Backend, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's "database is locked" (another writer held it past the busy timeout) is retried, and the
    batch is written once the lock is released."""
    if backend.path is None:
        pytest.skip("a lock held by another process is SQLite's")
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 20)
    monkeypatch.setattr(database, "SPIN_FOR", 0.01)
    signals = [make_signal(backend, world, n) for n in range(3)]
    insert(backend, signals)
    other = sqlite3.connect(backend.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    store = Interposed(backend, {1: other.commit})  # released after our first failed attempt
    processor = SignalProcessor(store, backend.clock)  # type: ignore[arg-type]
    try:
        assert processor.drain() == 3
    finally:
        other.close()
    assert store.failures == 1
    assert sorted(kinds_by_signal(backend)) == sorted(str(s.id) for s in signals)
