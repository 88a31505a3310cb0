"""Group commit never waits forever: a dead committer, a hung or flaky store each end in an answer."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import pytest
from structlog.testing import capture_logs

from tests.unit.test_committer import FlakyStore, signal, stored
from tocsin.adapters.journal import FileJournal
from tocsin.domain.errors import StoreUnavailable
from tocsin.domain.scope import Scope
from tocsin.domain.signals import Signal
from tocsin.services.committer import CommitterStopped, GroupCommitter
from tocsin.services.unit_of_work import UnitOfWork
from tocsin.testing import FakeClock

R = TypeVar("R")
ENOUGH = 10.0  # seconds: far beyond what any step needs, only there so a regression fails instead of hanging


class BrokenJournal(FileJournal):
    """A journal whose appends fail with a bug, not a disk error: the committer itself dies."""

    def append(self, signals: Sequence[Signal]) -> None:
        raise RuntimeError("a bug in the journal")


class HungStore(FlakyStore):
    """A store whose writes never return until released: a database that stopped answering."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self.calls = 0

    def write(self, fn: Callable[[UnitOfWork], R], scope: Scope) -> R:
        self.calls += 1
        self.release.wait()
        return super().write(fn, scope)


class TransientStore(FlakyStore):
    """A store whose first ``failures`` writes fail the way a dropped connection does."""

    def __init__(self, failures: int) -> None:
        super().__init__()
        self.failures = failures

    def write(self, fn: Callable[[UnitOfWork], R], scope: Scope) -> R:
        if self.failures > 0:
            self.failures -= 1
            raise StoreUnavailable("the database at test cannot be used: server closed the connection")
        return super().write(fn, scope)


def test_pending_submissions_fail_when_the_committer_dies(tmp_path: Path) -> None:
    """When the commit loop dies, every waiting submit raises (no ACK, the panel retries), later ones
    raise at once, and ``run`` raises the error that killed it, for the task group above it."""
    clock, store = FakeClock(), FlakyStore()
    store.down = True

    async def scenario() -> tuple[list[BaseException | None], BaseException | None]:
        committer = GroupCommitter(store, BrokenJournal(tmp_path), commit_timeout=0.1)  # type: ignore[arg-type]
        running = asyncio.create_task(committer.run(asyncio.Event()))
        submits = [committer.submit(signal(clock, n)) for n in range(5)]
        answers = await asyncio.wait_for(asyncio.gather(*submits, return_exceptions=True), ENOUGH)
        with pytest.raises(CommitterStopped):
            await asyncio.wait_for(committer.submit(signal(clock, 9)), ENOUGH)
        done, _ = await asyncio.wait({running}, timeout=ENOUGH)
        return list(answers), running.exception() if done else None

    with capture_logs() as logs:
        answers, died_of = asyncio.run(scenario())
    assert all(isinstance(a, CommitterStopped) for a in answers)
    assert isinstance(died_of, RuntimeError)
    assert "committer.failed" in [e["event"] for e in logs]


def test_a_submit_after_the_committer_stopped_fails_at_once(tmp_path: Path) -> None:
    """A signal submitted once the committer has stopped raises instead of waiting for a write that
    will never come."""
    clock, store = FakeClock(), FlakyStore()

    async def scenario() -> None:
        committer = GroupCommitter(store, FileJournal(tmp_path))  # type: ignore[arg-type]
        stop = asyncio.Event()
        stop.set()
        await committer.run(stop)
        with pytest.raises(CommitterStopped):
            await asyncio.wait_for(committer.submit(signal(clock, 1)), ENOUGH)

    asyncio.run(scenario())


def test_a_hung_store_never_holds_up_the_journal(tmp_path: Path) -> None:
    """With every store call stuck (threads stranded on a silent database), submits keep being
    journaled and answered: journal writes do not queue behind store calls."""
    clock, store = FakeClock(), HungStore()

    async def scenario() -> GroupCommitter:
        committer = GroupCommitter(store, FileJournal(tmp_path), commit_timeout=0.02, retry_every=0.005)  # type: ignore[arg-type]
        stop = asyncio.Event()
        running = asyncio.create_task(committer.run(stop))
        try:
            for n in range(60):  # enough stranded store calls to fill any default thread pool
                await asyncio.wait_for(committer.submit(signal(clock, n)), ENOUGH)
                await asyncio.sleep(0.01)
            stop.set()
            await asyncio.wait_for(running, ENOUGH)
        finally:
            store.release.set()  # the stranded threads may end now
        return committer

    with capture_logs() as logs:
        committer = asyncio.run(scenario())
    assert committer.stats.journaled == 60
    assert "committer.store_write_failed" in [e["event"] for e in logs]


def test_transient_store_errors_are_retried_before_the_journal(tmp_path: Path) -> None:
    """Two dropped connections in a row are retried; the signal reaches the store, not the journal."""
    clock, store = FakeClock(), TransientStore(failures=2)

    async def scenario() -> GroupCommitter:
        committer = GroupCommitter(store, FileJournal(tmp_path))  # type: ignore[arg-type]
        stop = asyncio.Event()
        running = asyncio.create_task(committer.run(stop))
        await asyncio.wait_for(committer.submit(signal(clock, 1)), ENOUGH)
        stop.set()
        await running
        return committer

    committer = asyncio.run(scenario())
    assert [s.raw for s in stored(store)] == ["frame 1"]
    assert committer.stats.journaled == 0
    assert not committer.stats.degraded


def test_a_store_failing_past_its_retries_sends_the_batch_to_the_journal(tmp_path: Path) -> None:
    """A store that keeps failing is retried a bounded number of times, then the journal answers."""
    clock, store = FakeClock(), TransientStore(failures=1000)

    async def scenario() -> GroupCommitter:
        committer = GroupCommitter(store, FileJournal(tmp_path), store_attempts=3)  # type: ignore[arg-type]
        stop = asyncio.Event()
        running = asyncio.create_task(committer.run(stop))
        await asyncio.wait_for(committer.submit(signal(clock, 1)), ENOUGH)
        stop.set()
        await running
        return committer

    committer = asyncio.run(scenario())
    assert committer.stats.journaled == 1
    assert 1000 - store.failures >= 3  # each of the attempts was made
    assert stored(store) == []
