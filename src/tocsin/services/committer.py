"""Group commit: signals wait together for one durable write, then all are acknowledged.

The receiver awaits :meth:`GroupCommitter.submit`; it returns once the signal is in the database or,
when the database is unreachable or slow, in the local journal (fsync). Batches form by themselves:
while one write runs, the next frames queue up and go in the following write. The journal is replayed
into the store when it answers again; signal ids make the replay idempotent. Listeners hear that
signals were stored (the signal processor wakes up); what to do with them is read back from the store.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from tocsin.domain.scope import Scope
from tocsin.domain.signals import Signal
from tocsin.services.ports import Journal
from tocsin.services.unit_of_work import Store, UnitOfWork

log = logging.getLogger(__name__)
StoredListener = Callable[[], None]


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
    on_stored: list[StoredListener] = field(default_factory=list)
    stats: CommitStats = field(default_factory=CommitStats)

    def __post_init__(self) -> None:
        self._queue: asyncio.Queue[tuple[Signal, asyncio.Future[None]]] = asyncio.Queue()

    async def submit(self, signal: Signal) -> None:
        """Return once the signal is durable (store or journal); raise if neither could take it."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait((signal, future))  # unbounded: never waits
        await future

    async def run(self, stop: asyncio.Event) -> None:
        """Write batches until ``stop``; replay the journal first and whenever the store returns."""
        await self._replay()
        replayer = asyncio.create_task(self._replay_loop(stop))
        try:
            while not stop.is_set():
                getter = asyncio.ensure_future(self._queue.get())
                stopper = asyncio.ensure_future(stop.wait())
                done, _ = await asyncio.wait({getter, stopper}, return_when=asyncio.FIRST_COMPLETED)
                stopper.cancel()
                if getter not in done:
                    getter.cancel()
                    break
                batch = [getter.result()]
                while len(batch) < self.max_batch and not self._queue.empty():
                    batch.append(self._queue.get_nowait())
                await self._commit(batch)
        finally:
            replayer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await replayer

    async def _commit(self, batch: list[tuple[Signal, asyncio.Future[None]]]) -> None:
        signals = [s for s, _ in batch]
        error: BaseException | None = None
        new = None if self.stats.degraded else await self._write(signals)
        if new is None:
            try:
                await asyncio.to_thread(self.journal.append, signals)
                self.stats.journaled += len(signals)
            except OSError as exc:  # neither store nor disk: answer nothing, the panel will retry
                log.exception("journal write failed; %d signals not acknowledged", len(signals))
                error = exc
        for _, future in batch:
            if future.done():
                continue
            if error is None:
                future.set_result(None)
            else:
                future.set_exception(error)
        if new:
            self._stored()

    async def _write(self, signals: list[Signal]) -> int | None:
        """How many signals were new to the store, or None when it failed (and is now marked degraded)."""

        def insert(uow: UnitOfWork) -> int:
            return uow.signals.insert_many(signals)

        try:
            new: int = await asyncio.wait_for(
                asyncio.to_thread(self.store.write, insert, Scope.system()), self.commit_timeout
            )
        except Exception:
            log.warning("store write failed; journaling %d signals", len(signals), exc_info=True)
            self.stats.degraded = True
            return None
        self.stats.stored += new
        self.stats.batches += 1
        self.stats.largest_batch = max(self.stats.largest_batch, len(signals))
        return new

    def _stored(self) -> None:
        for listener in self.on_stored:
            try:
                listener()
            except Exception:
                log.exception("a stored-signals listener failed")

    async def _replay_loop(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await asyncio.sleep(self.retry_every)
            if self.stats.degraded or await asyncio.to_thread(self._journal_pending):
                await self._replay()

    def _journal_pending(self) -> bool:
        pending = getattr(self.journal, "pending", None)
        return bool(pending()) if callable(pending) else False

    async def _replay(self) -> None:
        signals = await asyncio.to_thread(self.journal.take)
        if not signals:
            self.stats.degraded = False if await self._probe() else self.stats.degraded
            return
        for start in range(0, len(signals), self.max_batch):
            chunk = signals[start : start + self.max_batch]
            new = await self._write(chunk)
            if new is None:
                return  # still down: the file stays for the next try
            self.stats.stored -= new  # counted as replayed, not as fresh
            self.stats.replayed += new
            if new:
                self._stored()
        await asyncio.to_thread(self.journal.done)
        self.stats.degraded = False
        log.warning("journal replayed: %d signals now in the store", len(signals))

    async def _probe(self) -> bool:
        if not self.stats.degraded:
            return True
        return await self._write([]) is not None
