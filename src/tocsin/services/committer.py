"""Group commit: signals wait together for one durable write, then all are acknowledged.

The receiver awaits :meth:`GroupCommitter.submit`; it returns once the signal is in the database or,
when the database is unreachable or slow, in the local journal (fsync). Batches form by themselves:
while one write runs, the next frames queue up and go in the following write. The journal is replayed
into the store when it answers again; signal ids make the replay idempotent. Listeners hear that
signals were stored (the signal processor wakes up); what to do with them is read back from the store.

Nothing waits forever:

- a store write gets ``commit_timeout`` seconds, its transient failures (:class:`StoreUnavailable`)
  retried a few times within them; past that the batch goes to the journal. A database that stops
  answering without closing its sockets strands the threads that talk to it, so store calls and journal
  writes run on separate thread pools: stranded store threads never hold up a journal fsync.
- if the committer itself fails, every signal waiting for it gets :class:`CommitterStopped` (the
  receiver sends no ACK, the panel retries) and :meth:`GroupCommitter.run` raises, so the task group
  running it takes the process down. A signal submitted after the committer stopped fails at once.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Generator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar, TypeVarTuple, Unpack

import stamina
import structlog

from tocsin.domain.errors import StoreUnavailable
from tocsin.domain.scope import Scope
from tocsin.domain.signals import Signal
from tocsin.services.ports import Journal
from tocsin.services.unit_of_work import Store, UnitOfWork

log = structlog.get_logger()
StoredListener = Callable[[], None]
Pending = tuple[Signal, "asyncio.Future[None]"]
R = TypeVar("R")
Ts = TypeVarTuple("Ts")
STORE_THREADS = 4  # store calls at once; more wait their turn (a hung database strands at most these)


class CommitterStopped(StoreUnavailable):
    """The group committer is not running: the signal was not stored and must not be acknowledged."""


@dataclass
class CommitStats:
    """Counters for the health page and the benchmark."""

    stored: int = 0
    journaled: int = 0
    replayed: int = 0
    batches: int = 0
    largest_batch: int = 0
    degraded: bool = False


@dataclass
class GroupCommitter:
    """Batches signals into durable writes."""

    store: Store
    journal: Journal
    max_batch: int = 1000
    commit_timeout: float = 2.0
    retry_every: float = 1.0
    store_attempts: int = 3
    on_stored: list[StoredListener] = field(default_factory=list)
    stats: CommitStats = field(default_factory=CommitStats)

    def __post_init__(self) -> None:
        self._queue: asyncio.Queue[Pending] = asyncio.Queue()
        self._in_flight: list[Pending] = []
        self._stopped: tuple[str, BaseException | None] | None = None  # why, and what caused it
        self._store_threads: ThreadPoolExecutor | None = None
        self._journal_thread: ThreadPoolExecutor | None = None
        self._retrying = stamina.AsyncRetryingCaller(
            attempts=self.store_attempts, timeout=self.commit_timeout, wait_initial=0.02, wait_max=0.25
        )

    async def submit(self, signal: Signal) -> None:
        """Return once the signal is durable (store or journal); raise if neither could take it or the
        committer has stopped (:class:`CommitterStopped`)."""
        if self._stopped is not None:
            raise self._stopped_error()
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait((signal, future))  # unbounded: never waits (the receiver bounds input)
        await future

    async def run(self, stop: asyncio.Event) -> None:
        """Write batches until ``stop``; replay the journal first and whenever the store returns.

        Raises whatever stopped it before ``stop`` (after failing every pending submission), so a task
        group running it ends the process."""
        self._store_threads = ThreadPoolExecutor(STORE_THREADS, thread_name_prefix="committer-store")
        self._journal_thread = ThreadPoolExecutor(1, thread_name_prefix="committer-journal")
        try:
            await self._replay()
            await self._loops(stop)
        except BaseException as exc:
            log.critical("committer.failed", error=repr(exc))
            self._close(f"failed ({exc!r})", exc)
            raise
        else:
            self._close("has stopped", None)
        finally:
            self._store_threads.shutdown(wait=False, cancel_futures=True)
            self._journal_thread.shutdown(wait=False, cancel_futures=True)

    async def _loops(self, stop: asyncio.Event) -> None:
        """The commit loop and the replay loop, together: when one fails, both end, and its error is
        raised as itself."""
        try:
            async with asyncio.TaskGroup() as group:
                group.create_task(self._replay_loop(stop))
                await self._commit_loop(stop)
        except BaseExceptionGroup as group:
            if len(group.exceptions) == 1:
                raise group.exceptions[0] from None
            raise

    def _close(self, why: str, cause: BaseException | None) -> None:
        """Fail every submission still waiting, and those to come."""
        self._stopped = (why, cause)
        waiting = self._in_flight
        while not self._queue.empty():
            waiting.append(self._queue.get_nowait())
        for _, future in waiting:
            if not future.done():
                future.set_exception(self._stopped_error())
        self._in_flight = []

    def _stopped_error(self) -> CommitterStopped:
        """A fresh error for one submission (a shared one would pile up every raiser's traceback)."""
        why, cause = self._stopped or ("has stopped", None)
        error = CommitterStopped(
            f"The signal was not stored because the group committer {why}; it was not acknowledged,"
            " so the panel will send it again once the receiver is restarted."
        )
        error.__cause__ = cause
        return error

    async def _commit_loop(self, stop: asyncio.Event) -> None:
        while (batch := await self._next_batch(stop)) is not None:
            await self._commit(batch)
        while not self._queue.empty():  # frames read before the stop get their write
            await self._commit(self._take_queued([]))

    async def _next_batch(self, stop: asyncio.Event) -> list[Pending] | None:
        getter = asyncio.ensure_future(self._queue.get())
        stopper = asyncio.ensure_future(stop.wait())
        done, _ = await asyncio.wait({getter, stopper}, return_when=asyncio.FIRST_COMPLETED)
        stopper.cancel()
        if getter not in done:
            getter.cancel()
            return None
        return self._take_queued([getter.result()])

    def _take_queued(self, batch: list[Pending]) -> list[Pending]:
        while len(batch) < self.max_batch and not self._queue.empty():
            batch.append(self._queue.get_nowait())
        return batch

    async def _commit(self, batch: list[Pending]) -> None:
        self._in_flight = batch
        signals = [s for s, _ in batch]
        error: BaseException | None = None
        new = None if self.stats.degraded else await self._write(signals)
        if new is None:
            try:
                await self._in_journal_thread(self.journal.append, signals)
                self.stats.journaled += len(signals)
            except OSError as exc:  # neither store nor disk: answer nothing, the panel will retry
                log.exception("committer.journal_write_failed", signals=len(signals))
                error = exc
        for _, future in batch:
            if future.done():
                continue
            if error is None:
                future.set_result(None)
            else:
                future.set_exception(error)
        self._in_flight = []
        if new:
            self._stored()

    async def _write(self, signals: list[Signal]) -> int | None:
        """How many signals were new to the store, or None when it failed (and is now marked degraded)."""

        def insert(uow: UnitOfWork) -> int:
            return uow.signals.insert_many(signals)

        try:
            new = await asyncio.wait_for(
                self._retrying(StoreUnavailable, self._in_store_thread, insert), self.commit_timeout
            )
        except Exception as exc:  # a timeout, retries spent, or anything else the store raised
            log.warning("committer.store_write_failed", signals=len(signals), error=str(exc) or repr(exc))
            self.stats.degraded = True
            return None
        self.stats.stored += new
        self.stats.batches += 1
        self.stats.largest_batch = max(self.stats.largest_batch, len(signals))
        return new

    async def _in_store_thread(self, fn: Callable[[UnitOfWork], R]) -> R:
        assert self._store_threads is not None, "run() makes the thread pools"  # noqa: S101 - a bug guard
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._store_threads, self.store.write, fn, Scope.system())

    async def _in_journal_thread(self, fn: Callable[[Unpack[Ts]], R], *args: *Ts) -> R:
        assert self._journal_thread is not None, "run() makes the thread pools"  # noqa: S101 - a bug guard
        return await asyncio.get_running_loop().run_in_executor(self._journal_thread, fn, *args)

    def _stored(self) -> None:
        for listener in self.on_stored:
            try:
                listener()
            except Exception:
                log.exception("committer.listener_failed")

    async def _replay_loop(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.retry_every)
            if not stop.is_set():
                await self._replay()

    async def _replay(self) -> None:
        """Replay the journal if it holds anything; otherwise check whether a degraded store is back."""
        try:
            if not await self._in_journal_thread(self.journal.pending):
                if self.stats.degraded:
                    self.stats.degraded = await self._write([]) is None
                return
            batches = await self._in_journal_thread(self.journal.take, self.max_batch)
            try:
                if not await self._replay_batches(batches):
                    return  # still down: the file stays for the next try
            finally:
                await self._in_journal_thread(batches.close)
            await self._in_journal_thread(self.journal.done)
        except OSError:  # the journal cannot be read now: tried again on the next round
            log.exception("committer.replay_failed")
            return
        self.stats.degraded = False

    async def _replay_batches(self, batches: Generator[list[Signal]]) -> bool:
        """Write each batch; False as soon as the store fails."""
        read = new_total = 0
        while (chunk := await self._in_journal_thread(next, batches, None)) is not None:
            new = await self._write(chunk)
            if new is None:
                return False
            read += len(chunk)
            new_total += new
            self.stats.stored -= new  # counted as replayed, not as fresh
            self.stats.replayed += new
            if new:
                self._stored()
        log.warning("committer.journal_replayed", signals=read, new=new_total)
        return True
