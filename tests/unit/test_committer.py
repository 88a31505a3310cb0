"""Group commit: durable before answered, journaled while the store is down, replayed once after."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from tocsin.adapters.journal import FileJournal
from tocsin.domain.errors import StoreUnavailable
from tocsin.domain.scope import Scope
from tocsin.domain.signals import Signal
from tocsin.services.committer import GroupCommitter
from tocsin.services.unit_of_work import UnitOfWork
from tocsin.testing import FakeClock, InMemoryStore

R = TypeVar("R")


class FlakyStore:
    """The in-memory store, with a switch that makes every write fail as an unreachable database would."""

    def __init__(self) -> None:
        self.inner = InMemoryStore(FakeClock())
        self.down = False

    def write(self, fn: Callable[[UnitOfWork], R], scope: Scope) -> R:
        if self.down:
            raise StoreUnavailable("the database at test cannot be used: connection refused")
        return self.inner.write(fn, scope)

    def read(self, fn: Callable[[UnitOfWork], R], scope: Scope) -> R:
        return self.inner.read(fn, scope)

    def on_commit(self, listener: Any) -> None:
        self.inner.on_commit(listener)

    def close(self) -> None:
        self.inner.close()


def signal(clock: FakeClock, n: int) -> Signal:
    return Signal(
        id=clock.new_id(),
        received_at=clock.now(),
        node="n1",
        listener="tcp:9000",
        raw=f"frame {n}",
        answer="ACK",
        account_number="1234",
        sequence=f"{n:04d}",
    )


def stored(store: FlakyStore) -> list[Signal]:
    return store.read(lambda uow: uow.signals.find(Scope.system(), limit=10_000), Scope.system())


def test_signals_are_answered_from_the_journal_while_the_store_is_down(tmp_path: Path) -> None:
    """With the store down every submit still returns (journaled, fsync'd); when it returns, each
    journaled signal reaches the store once, pending for the processor, and the listeners are woken."""
    clock, store = FakeClock(), FlakyStore()
    heard: list[int] = []

    async def scenario() -> None:
        committer = GroupCommitter(store, FileJournal(tmp_path), retry_every=0.05)  # type: ignore[arg-type]
        committer.on_stored.append(lambda: heard.append(1))
        stop = asyncio.Event()
        running = asyncio.create_task(committer.run(stop))
        await asyncio.gather(*(committer.submit(signal(clock, n)) for n in range(5)))
        store.down = True
        await asyncio.gather(*(committer.submit(signal(clock, n)) for n in range(5, 50)))
        assert committer.stats.journaled == 45
        assert len(stored(store)) == 5
        store.down = False
        for _ in range(100):
            await asyncio.sleep(0.05)
            if not committer.stats.degraded and len(stored(store)) == 50:
                break
        stop.set()
        await running

    asyncio.run(scenario())
    assert sorted(s.raw for s in stored(store)) == sorted(f"frame {n}" for n in range(50))
    assert heard, "the processor was never woken"
    pending = store.read(lambda uow: uow.signals.pending(1000), Scope.system())
    assert sorted(s.raw for s in pending) == sorted(f"frame {n}" for n in range(50))
    assert not (tmp_path / "signals.jsonl").exists()
    assert not (tmp_path / "signals.replaying.jsonl").exists()


def test_a_replay_of_signals_already_stored_adds_nothing(tmp_path: Path) -> None:
    """A journal holding signals the store already has (a timed-out write that landed) adds nothing twice."""
    clock, store = FakeClock(), FlakyStore()
    already = [signal(clock, n) for n in range(3)]
    store.write(lambda uow: uow.signals.insert_many(already), Scope.system())
    journal = FileJournal(tmp_path)
    journal.append([*already, signal(clock, 3)])

    async def scenario() -> GroupCommitter:
        committer = GroupCommitter(store, journal)  # type: ignore[arg-type]
        stop = asyncio.Event()
        stop.set()
        await committer.run(stop)
        return committer

    committer = asyncio.run(scenario())
    assert len(stored(store)) == 4
    assert committer.stats.replayed == 1


def test_a_torn_last_line_of_the_journal_is_skipped(tmp_path: Path) -> None:
    """A crash in the middle of a journal write leaves a torn line that was never acknowledged."""
    clock = FakeClock()
    journal = FileJournal(tmp_path)
    journal.append([signal(clock, 1)])
    with (tmp_path / "signals.jsonl").open("a") as handle:
        handle.write('{"id": "broken')
    assert [s.raw for batch in journal.take(100) for s in batch] == ["frame 1"]
