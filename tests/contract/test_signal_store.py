"""The signal store and the signal processor behave the same in memory, on SQLite and on PostgreSQL:
signals are stored once, wait as pending oldest first, and are processed (their entries written) once."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import pytest

from tests.contract.support import Backend, World
from tocsin.domain.events import NoteWritten, SignalReceived
from tocsin.domain.scope import Scope
from tocsin.domain.signals import Signal
from tocsin.services import signal_processing
from tocsin.services.logbook import verify_all
from tocsin.services.signal_processing import (
    Raced,
    SignalProcessor,
    SiteClients,
    commit_prepared,
    prepare_pending,
    process_pending,
)

EVENT = {
    "protocol": "contact-id",
    "code": "130",
    "qualifier": "1",
    "partition": "01",
    "zone": "007",
    "class": "intrusion",
    "label_en": "Burglary",
    "label_fr": "Intrusion",
    "restore": False,
}


class NoKeys:
    """No checkpoint is signed in these tests."""

    def verify(self, key_id: str, data: bytes, signature: bytes) -> bool:
        return False


def make_signal(backend: Backend, world: World, n: int, *, minutes_ago: int = 0) -> Signal:
    account = world.accounts["a1"]
    return Signal(
        id=backend.clock.new_id(),
        received_at=backend.clock.now() - timedelta(minutes=minutes_ago),
        node="n1",
        listener="tcp:9000",
        raw=f"frame {n}",
        answer="ACK",
        tenant_id=world.t1.id,
        account_id=account.id,
        site_id=world.a1.id,
        occurred_at=backend.clock.now(),
        receiver="1",
        line="1",
        account_number=account.number,
        sequence=f"{n:04d}",
        id_token="ADM-CID",
        payload_hash=f"{n:064x}",
        data="1130 01 007",
        events=(EVENT,),
    )


def insert(backend: Backend, signals: list[Signal]) -> int:
    return backend.write(lambda uow: uow.signals.insert_many(signals))


def pending(backend: Backend, limit: int = 100) -> list[Signal]:
    return backend.read(lambda uow: uow.signals.pending(limit))


def received_entries(backend: Backend) -> list[str]:
    entries = backend.read(lambda uow: list(uow.logbook.read(Scope.system())))
    return [str(e.data["signal_id"]) for e in entries if e.kind == "signal.received"]


def test_a_signal_is_stored_once_and_reads_back_the_same(backend: Backend, world: World) -> None:
    """Insert counts what was new; inserting the same ids again (a journal replay) adds nothing."""
    signals = [make_signal(backend, world, n) for n in range(3)]
    assert insert(backend, signals) == 3
    assert insert(backend, [*signals, make_signal(backend, world, 3)]) == 1
    found = backend.read(lambda uow: uow.signals.find(Scope.system(), limit=10))
    assert sorted(s.raw for s in found) == ["frame 0", "frame 1", "frame 2", "frame 3"]
    by_id = {s.id: s for s in found}
    assert by_id[signals[0].id] == signals[0]


def test_copies_of_one_message_are_stored_once_whoever_received_them(backend: Backend, world: World) -> None:
    """Two copies of one message with their own ids (two receivers, or a retry) store one signal; the
    same message in a later retransmission window (a panel that wrapped its sequence) is stored again;
    frames without a message identity (undecryptable) are each stored, and their replay adds nothing."""
    first = make_signal(backend, world, 1)
    copy = dataclasses.replace(first, id=backend.clock.new_id(), listener="udp:9000")
    assert insert(backend, [first]) == 1
    assert insert(backend, [copy]) == 0
    assert insert(backend, [make_signal(backend, world, 2), dataclasses.replace(copy, raw="again")]) == 1
    later = dataclasses.replace(
        first, id=backend.clock.new_id(), received_at=first.received_at + timedelta(minutes=11)
    )
    assert insert(backend, [later]) == 1
    unreadable = [
        Signal(
            backend.clock.new_id(), backend.clock.now(), "n1", "tcp:9000", "?", "DUH", problem="undecryptable"
        )
        for _ in range(2)
    ]
    assert insert(backend, unreadable) == 2
    assert insert(backend, unreadable) == 0


def test_pending_signals_come_oldest_first_until_marked_processed(backend: Backend, world: World) -> None:
    """The processor's queue: oldest received first, bounded by the limit; processed ones leave it."""
    old = make_signal(backend, world, 1, minutes_ago=5)
    new = make_signal(backend, world, 2)
    older = make_signal(backend, world, 3, minutes_ago=9)
    insert(backend, [old, new, older])
    assert [s.raw for s in pending(backend)] == ["frame 3", "frame 1", "frame 2"]
    assert [s.raw for s in pending(backend, 1)] == ["frame 3"]
    backend.write(lambda uow: uow.signals.mark_processed([older.id, old.id], backend.clock.now()))
    assert [s.raw for s in pending(backend)] == ["frame 2"]


def test_the_processors_read_holds_what_the_whole_signal_says(backend: Backend, world: World) -> None:
    """The processor's lean read of the queue gives the same signals in the same order as the whole read,
    with the fields its entries are made of, and so the same events (a problem signal's too)."""
    older = make_signal(backend, world, 1, minutes_ago=5)
    problem = Signal(
        backend.clock.new_id(), backend.clock.now(), "n1", "udp:9000", "?", "NAK", problem="unknown account"
    )
    insert(backend, [make_signal(backend, world, 2), older, problem])
    whole = pending(backend)
    lean = backend.read(lambda uow: uow.signals.pending_work(100))
    assert [s.id for s in lean] == [s.id for s in whole]
    for read, signal in zip(lean, whole, strict=True):
        assert (read.tenant_id, read.site_id, read.occurred_at, read.listener) == (
            signal.tenant_id,
            signal.site_id,
            signal.occurred_at,
            signal.listener,
        )
        assert (read.account_number, read.problem) == (signal.account_number, signal.problem)
        assert [dict(e) for e in read.events] == [e.to_json() for e in signal.events]
    clients = SiteClients(backend.clock)
    events = backend.read(lambda uow: signal_processing.signal_events(uow, lean, clients))
    assert events == backend.read(lambda uow: signal_processing.signal_events(uow, whole, clients))


def test_processing_writes_each_signal_entry_once(backend: Backend, world: World) -> None:
    """Pending signals become chained logbook entries, in batches, and processing again adds none."""
    signals = [make_signal(backend, world, n) for n in range(7)]
    insert(backend, signals)
    clients = SiteClients(backend.clock)
    assert backend.write(lambda uow: process_pending(uow, clients, limit=5)) == 5
    assert backend.write(lambda uow: process_pending(uow, clients, limit=5)) == 2
    assert backend.write(lambda uow: process_pending(uow, clients, limit=5)) == 0
    assert sorted(received_entries(backend)) == sorted(str(s.id) for s in signals)
    entries = backend.read(lambda uow: list(uow.logbook.read(Scope.system())))
    assert {e.client_id for e in entries if e.kind == "signal.received"} == {world.a.id}
    reports = backend.read(lambda uow: verify_all(uow.logbook, NoKeys()))
    assert reports
    assert all(r.breach is None for r in reports)


def test_the_processor_drains_what_was_stored_while_it_was_away(backend: Backend, world: World) -> None:
    """Signals stored while no processor ran (another process, a crash, a cut) are processed later."""
    signals = [make_signal(backend, world, n) for n in range(12)]
    insert(backend, signals)
    processor = SignalProcessor(backend.store, backend.clock, batch=5)
    assert processor.drain() == 12
    assert processor.drain() == 0
    assert processor.stats.processed == 12
    assert sorted(received_entries(backend)) == sorted(str(s.id) for s in signals)
    assert pending(backend) == []


def test_entries_prepared_before_their_transaction_are_chained_again_if_the_chain_moved(
    backend: Backend, world: World
) -> None:
    """An entry written between preparing and committing (an operator's note) is not forked over:
    the prepared entries go after it and the chain verifies."""
    signals = [make_signal(backend, world, n) for n in range(3)]
    insert(backend, signals)
    clients = SiteClients(backend.clock)
    work = backend.read(lambda uow: prepare_pending(uow, clients, 10))
    note = NoteWritten(tenant_id=world.t1.id, site_id=world.a1.id, client_id=world.a.id, text="checked")
    backend.write(lambda uow: uow.record(note, "operator"))
    assert backend.write(lambda uow: commit_prepared(uow, work)) == 3
    entries = backend.read(lambda uow: list(uow.logbook.read(Scope.tenant(world.t1.id))))
    signal_kinds = [e.kind for e in entries if not e.kind.startswith("alarm.")]
    assert signal_kinds[-4:] == ["logbook.note", *["signal.received"] * 3]
    reports = backend.read(lambda uow: verify_all(uow.logbook, NoKeys()))
    assert all(r.breach is None for r in reports)


def test_signals_taken_by_another_processor_meanwhile_are_not_processed_twice(
    backend: Backend, world: World
) -> None:
    """Two processors prepared the same signals; the second to commit is refused and writes nothing."""
    insert(backend, [make_signal(backend, world, n) for n in range(4)])
    clients = SiteClients(backend.clock)
    work = backend.read(lambda uow: prepare_pending(uow, clients, 10))
    other = SignalProcessor(backend.store, backend.clock)
    assert other.drain() == 4
    with pytest.raises(Raced):
        backend.write(lambda uow: commit_prepared(uow, work))
    assert len(received_entries(backend)) == 4


def test_a_signal_that_cannot_be_processed_is_set_aside_and_the_others_go_on(
    backend: Backend, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A signal whose processing fails (a bug, bad data) must not hold back the signals after it: it
    gets a technical-alarm entry saying why, stays stored, and the others get their entries."""
    signals = [make_signal(backend, world, n) for n in range(6)]
    insert(backend, signals)
    poison = signals[2].id
    real = signal_processing._received

    def fragile(
        signal: Signal, event: Mapping[str, Any], client_id: Any, alarm_id: Any = None
    ) -> SignalReceived:
        if signal.id == poison:
            raise ValueError("cannot read this one")
        return real(signal, event, client_id, alarm_id)

    monkeypatch.setattr(signal_processing, "_received", fragile)
    processor = SignalProcessor(backend.store, backend.clock, batch=4)
    assert processor.drain() == 6
    assert pending(backend) == []
    assert sorted(received_entries(backend)) == sorted(str(s.id) for s in signals if s.id != poison)
    entries = backend.read(lambda uow: list(uow.logbook.read(Scope.system())))
    (problem,) = [e.data for e in entries if e.kind == "signal.problem"]
    assert problem["signal_id"] == str(poison)
    assert problem["problem"] == "not processed: ValueError: cannot read this one"
    reports = backend.read(lambda uow: verify_all(uow.logbook, NoKeys()))
    assert all(r.breach is None for r in reports)
