"""After signals are committed: the signal processor writes each event's logbook entry (and, once rules
exist, its alarm), off the hot path.

The stored signals are the queue. A signal is stored with ``processed_at`` empty; the processor takes the
oldest pending signals, writes their entries and marks them processed in one transaction, so a signal is
processed once, and a signal stored just before a crash or a database cut is processed when the
processor next runs, wherever it runs: in the receiver's process (woken by each commit) or in its own
process (``tocsin worker``, which looks for pending signals a few times a second).

The receiver's commits must not wait behind ours (on SQLite one writer holds the database at a time), so
the work is done before the write transaction: the pending signals are read, their entries chained and
hashed on the chain heads as read; the write transaction then only checks that nobody took those signals
or moved those chains meanwhile, inserts and marks. If someone did, that batch is done again inside the
transaction, the slow but always right way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, TypeVar
from uuid import UUID

import stamina

from tocsin.domain.alarms import AlarmChanged, nature_of
from tocsin.domain.errors import StoreUnavailable
from tocsin.domain.events import Event, SignalProblem, SignalReceived
from tocsin.domain.scope import Scope
from tocsin.domain.signals import PendingSignal, Signal
from tocsin.services.alarm_rules import Directory, Plan, decide_signals
from tocsin.services.logbook import Prepared
from tocsin.services.ports import Clock
from tocsin.services.unit_of_work import Store, UnitOfWork

log = logging.getLogger(__name__)
R = TypeVar("R")
ACTOR = "receiver"
BATCH = 200  # signals per processing transaction
POLL_EVERY = 0.1  # seconds between looks for signals stored by another process
GATHER = 0.02  # seconds a wake-up waits, so that several commits' signals go in one batch
MAX_BACKOFF = 5.0  # seconds between attempts while the store keeps failing
RETRY_ATTEMPTS = 4  # tries of one transaction while the store fails transiently, before giving up
RETRY_TIMEOUT = 5.0  # seconds those tries may take in all
RETRY_WAIT, RETRY_WAIT_MAX = 0.01, 1.0  # seconds before the first retry, and at most between two


class SiteClients:
    """Which client a site belongs to, cached: every signal's entry names it for scoped readers."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self.directory = Directory(clock)  # the alarm rules' cache of sites and transmitters

    def client_of(self, uow: UnitOfWork, site_id: UUID) -> UUID | None:
        site = self.directory.site(uow, site_id)  # one cache of sites for the entries and the rules
        return None if site is None else site.client_id


Stored = Signal | PendingSignal  # a whole stored signal, or what the processor reads of one


def signal_events(
    uow: UnitOfWork,
    signals: Sequence[Stored],
    clients: SiteClients,
    alarm_of: Mapping[tuple[UUID, int], UUID] | None = None,
) -> list[tuple[Event, str, datetime | None]]:
    """The domain events stored signals stand for: one per decoded event, or one problem."""
    events: list[tuple[Event, str, datetime | None]] = []
    alarms = alarm_of or {}
    clients.directory.prefetch(uow, (s.site_id for s in signals if s.site_id is not None))
    for signal in signals:
        if signal.problem is not None and (signal.tenant_id is None or not signal.events):
            events.append((_problem(signal, signal.problem), ACTOR, signal.occurred_at))
            continue
        client_id = None if signal.site_id is None else clients.client_of(uow, signal.site_id)  # prefetched
        events.extend(
            (_received(signal, event, client_id, alarms.get((signal.id, i))), ACTOR, signal.occurred_at)
            for i, event in enumerate(signal.events)
        )
    return events


def _problem(signal: Stored, problem: str) -> SignalProblem:
    return SignalProblem(
        tenant_id=signal.tenant_id,
        signal_id=signal.id,
        listener=signal.listener,
        account=signal.account_number or "?",
        problem=problem,
    )


def _received(
    signal: Stored, event: Mapping[str, Any], client_id: UUID | None, alarm_id: UUID | None = None
) -> SignalReceived:
    qualifier = None if event.get("qualifier") is None else str(event["qualifier"])
    return SignalReceived(
        tenant_id=signal.tenant_id,
        signal_id=signal.id,
        site_id=signal.site_id,
        client_id=client_id,
        account=signal.account_number or "?",
        code=str(event.get("code", "")),
        event_class=str(event.get("class", "other")),
        label_en=str(event.get("label_en", "")),
        label_fr=str(event.get("label_fr", "")),
        zone=str(event.get("zone", "")),
        restore=bool(event.get("restore", False)),
        nature=nature_of(bool(event.get("restore", False)), qualifier),
        qualifier=qualifier,
        alarm_id=alarm_id,
    )


def process_pending(uow: UnitOfWork, clients: SiteClients, limit: int = BATCH) -> int:
    """Process the oldest pending signals in this transaction; return how many were taken."""
    signals = uow.signals.pending_work(limit)
    if signals:
        _process(uow, signals, clients)
        uow.signals.mark_processed([s.id for s in signals], uow.clock.now())
    return len(signals)


def _process(uow: UnitOfWork, signals: Sequence[Stored], clients: SiteClients) -> None:
    """The rules, then every entry, in this transaction (each signal's entry names its alarm)."""
    plan = decide_signals(uow, signals, clients.directory)
    uow.record_many(signal_events(uow, signals, clients, plan.alarm_of))
    plan.write(uow)
    uow.record_many(plan.events)


def _why(exc: Exception) -> str:
    return f"not processed: {type(exc).__name__}: {exc}"[:500]


def process_signal(uow: UnitOfWork, clients: SiteClients, signal_id: UUID) -> int:
    """Process this one signal if it is still pending; return 1 if it was taken, else 0."""
    signals = uow.signals.pending_by_id([signal_id])
    if signals:
        _process(uow, signals, clients)
        uow.signals.mark_processed([signal_id], uow.clock.now())
    return len(signals)


def set_aside(uow: UnitOfWork, signal_id: UUID, reason: str) -> int:
    """Mark this signal processed with a problem entry instead of its events (0 if no longer pending).

    If even its stored fields cannot be read, the entry names its id alone, on the system chain."""
    try:
        found = uow.signals.pending_by_id([signal_id])
    except StoreUnavailable:
        raise
    except Exception:  # the row itself is unreadable: set it aside all the same
        found = None
    if uow.signals.mark_processed([signal_id], uow.clock.now()) != 1:
        return 0
    if found:
        uow.record(_problem(found[0], reason), ACTOR, found[0].occurred_at)
    else:
        unread = SignalProblem(tenant_id=None, signal_id=signal_id, listener="?", account="?", problem=reason)
        uow.record(unread, ACTOR)
    return 1


def _pending_ids(uow: UnitOfWork, limit: int) -> list[UUID]:
    return uow.signals.pending_ids(limit)


class Raced(Exception):
    """Another processor took some of the signals prepared outside the transaction."""


@dataclass(frozen=True, slots=True)
class Work:
    """A batch of signals made ready in a read transaction: their entries chained, and what the alarm
    rules decided for them (with the entries of that too)."""

    signals: list[PendingSignal]
    plan: Plan
    prepared: Prepared


def prepare_pending(uow: UnitOfWork, clients: SiteClients, limit: int) -> Work:
    """Read the oldest pending signals, apply the alarm rules to them and chain every entry, in a read
    transaction: the write transaction then only writes."""
    signals = uow.signals.pending_work(limit)
    plan = decide_signals(uow, signals, clients.directory, lock=False)
    entries = [*signal_events(uow, signals, clients, plan.alarm_of), *plan.events]
    return Work(signals, plan, uow.prepare(entries))


def commit_prepared(uow: UnitOfWork, work: Work) -> int:
    """Mark the prepared signals processed, write the rules' plan and append the entries;
    :class:`Raced` if a signal was taken, or what the plan was decided on changed, meanwhile."""
    ids = [s.id for s in work.signals]
    if uow.signals.mark_processed(ids, uow.clock.now()) != len(ids):
        raise Raced
    try:
        work.plan.write(uow)
    except AlarmChanged as exc:
        raise Raced from exc
    uow.record_prepared(work.prepared)
    return len(ids)


@dataclass
class ProcessorStats:
    """Counters for the health page and the benchmark."""

    processed: int = 0
    transactions: int = 0
    failures: int = 0
    raced: int = 0


class SignalProcessor:
    """Takes pending signals until there are none, whenever woken or every :data:`POLL_EVERY` seconds."""

    def __init__(self, store: Store, clock: Clock, *, batch: int = BATCH, poll_every: float = POLL_EVERY):
        self._store = store
        self._batch = batch
        self._poll_every = poll_every
        self._clients = SiteClients(clock)
        self._woken = False
        self._wake: asyncio.Event | None = None
        self.stats = ProcessorStats()

    def wake(self) -> None:
        """Something was stored: look now rather than at the next poll (call on the event loop)."""
        self._woken = True
        if self._wake is not None:
            self._wake.set()

    def drain(self) -> int:
        """Process until nothing is pending; return how many signals were processed."""
        done = 0
        while True:
            try:
                taken = self._retried(self._take)
            except StoreUnavailable:
                raise  # retried already: the signals stay pending and :meth:`run` tries again later
            except Exception:  # one bad signal must not hold back every signal after it
                log.warning(
                    "a batch of signals could not be processed; taking them one by one", exc_info=True
                )
                taken = self._one_by_one()
            done += taken
            self.stats.processed += taken
            self.stats.transactions += 1
            if taken < self._batch:
                return done

    def _retried(self, work: Callable[[], R]) -> R:
        """Run ``work`` again while the store fails transiently (locked, a serialization failure, a
        dropped connection: :class:`StoreUnavailable`), a bounded number of times."""
        for attempt in stamina.retry_context(
            on=StoreUnavailable,
            attempts=RETRY_ATTEMPTS,
            timeout=RETRY_TIMEOUT,
            wait_initial=RETRY_WAIT,
            wait_max=RETRY_WAIT_MAX,
            wait_jitter=RETRY_WAIT,
        ):
            with attempt:
                return work()
        raise AssertionError("unreachable: stamina raises once its attempts are spent")  # pragma: no cover

    def _write(self, fn: Callable[[UnitOfWork], int]) -> int:
        return self._retried(partial(self._store.write, fn, Scope.system()))

    def _take(self) -> int:
        system = Scope.system()
        work = self._store.read(lambda uow: prepare_pending(uow, self._clients, self._batch), system)
        if not work.signals:
            return 0
        directory = self._clients.directory
        try:
            done = self._store.write(lambda uow: commit_prepared(uow, work), system)
        except Raced:
            self.stats.raced += 1
            directory.forget_alarms()
            return self._store.write(lambda uow: process_pending(uow, self._clients, self._batch), system)
        except BaseException:
            directory.forget_alarms()  # committed or not, nobody knows: read them again
            raise
        directory.remember(work.plan)
        return done

    def _one_by_one(self) -> int:
        """Process a batch's worth of signals singly, each by its id; one that fails alone (after the
        store's transient failures were retried) is set aside: marked processed with a technical-alarm
        entry that says why, so the signal stays stored and the room is told."""
        read = partial(self._store.read, partial(_pending_ids, limit=self._batch), Scope.system())
        ids = self._retried(read)
        for signal_id in ids:
            try:
                self._write(partial(process_signal, clients=self._clients, signal_id=signal_id))
            except StoreUnavailable:
                raise
            except Exception as exc:
                log.exception("a signal could not be processed; it is set aside with a technical alarm")
                self._write(partial(set_aside, signal_id=signal_id, reason=_why(exc)))
        return len(ids)

    async def run(self, stop: asyncio.Event) -> None:
        """Process until ``stop``, then once more so nothing committed before the stop waits.

        A wake-up waits :data:`GATHER` seconds first, so the signals of several group commits go in one
        batch. After a failure (the store is away) the next attempt waits longer each time, up to
        :data:`MAX_BACKOFF` seconds, and the failure is logged once until processing works again."""
        self._wake = asyncio.Event()
        if self._woken:
            self._wake.set()
        failures = 0
        while not stop.is_set():
            wait = self._poll_every if not failures else min(self._poll_every * 2**failures, MAX_BACKOFF)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait() if not failures else stop.wait(), wait)
            if self._wake.is_set() and not stop.is_set():
                await asyncio.sleep(GATHER)
            self._wake.clear()
            self._woken = False
            failures = 0 if await self._drain_safely(quiet=failures > 0) else failures + 1
        await self._drain_safely(quiet=failures > 0)

    async def _drain_safely(self, *, quiet: bool) -> bool:
        try:
            await asyncio.to_thread(self.drain)
        except Exception:
            self.stats.failures += 1
            if not quiet:
                log.warning(
                    "signal processing failed; the signals stay pending and are retried", exc_info=True
                )
            return False
        return True
