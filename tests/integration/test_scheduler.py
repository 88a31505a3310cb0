"""Deadlines fire once each: under the fake clock, after a restart, and with two nodes racing."""

from __future__ import annotations

import threading

from tocsin.adapters.store.database import SqlStore
from tocsin.domain.deadlines import Deadline
from tocsin.domain.scope import Scope
from tocsin.services.scheduler import Scheduler, arm
from tocsin.services.unit_of_work import UnitOfWork
from tocsin.testing import FakeClock


def _arm(store: SqlStore, kind: str, key: str, seconds: float) -> None:
    clock = store.clock
    store.write(lambda uow: arm(uow, kind, key, clock.now() + _s(seconds)), Scope.system())


def _s(seconds: float):  # type: ignore[no-untyped-def]
    from datetime import timedelta  # noqa: PLC0415

    return timedelta(seconds=seconds)


def _fired(store: SqlStore) -> list[str]:
    entries = store.read(lambda uow: list(uow.logbook.read(Scope.system())), Scope.system())
    return [e.data["key"] for e in entries if e.kind == "deadline.fired"]


def test_a_deadline_fires_when_due_and_only_once(sql_store: SqlStore, clock: FakeClock) -> None:
    """Nothing fires early; at the due time the handler runs once; later passes fire nothing."""
    seen: list[str] = []
    scheduler = Scheduler(sql_store, clock)
    scheduler.register("test", lambda uow, d: seen.append(d.key))
    _arm(sql_store, "test", "k1", 60)
    assert scheduler.fire_due() == 0
    clock.advance(59)
    assert scheduler.fire_due() == 0
    clock.advance(1)
    assert scheduler.fire_due() == 1
    assert scheduler.fire_due() == 0
    clock.advance(3600)
    assert scheduler.fire_due() == 0
    assert seen == ["k1"]
    assert _fired(sql_store) == ["k1"]


def test_arming_the_same_key_moves_the_deadline(sql_store: SqlStore, clock: FakeClock) -> None:
    """Re-arming (a supervision message came in) pushes the deadline back instead of adding one."""
    scheduler = Scheduler(sql_store, clock)
    _arm(sql_store, "supervision", "acct-1", 60)
    clock.advance(50)
    _arm(sql_store, "supervision", "acct-1", 60)
    clock.advance(50)
    assert scheduler.fire_due() == 0
    clock.advance(10)
    assert scheduler.fire_due() == 1


def test_a_cancelled_deadline_never_fires(sql_store: SqlStore, clock: FakeClock) -> None:
    """Cancelling removes a pending deadline."""
    scheduler = Scheduler(sql_store, clock)
    _arm(sql_store, "test", "gone", 10)
    assert sql_store.write(lambda uow: uow.deadlines.cancel("test", "gone"), Scope.system())
    clock.advance(20)
    assert scheduler.fire_due() == 0


def test_deadlines_survive_a_restart_and_fire_once(db_url: str, clock: FakeClock) -> None:
    """Deadlines armed before a restart fire after it, each once, in due order."""
    first = SqlStore(db_url, clock)
    key_prefix = f"restart-{clock.new_id()}"
    for n, seconds in enumerate((30, 10, 20)):
        _arm(first, "test", f"{key_prefix}-{n}", seconds)
    first.close()

    clock.advance(3600)
    second = SqlStore(db_url, clock)
    seen: list[str] = []
    scheduler = Scheduler(second, clock)
    scheduler.register("test", lambda uow, d: seen.append(d.key))
    scheduler.fire_due()
    second.close()

    third = SqlStore(db_url, clock)
    again = Scheduler(third, clock)
    again.register("test", lambda uow, d: seen.append(d.key))
    again.fire_due()
    third.close()
    mine = [k for k in seen if k.startswith(key_prefix)]
    assert mine == [f"{key_prefix}-1", f"{key_prefix}-2", f"{key_prefix}-0"]


def test_a_failing_handler_leaves_the_deadline_to_retry(sql_store: SqlStore, clock: FakeClock) -> None:
    """When a handler fails, its claim rolls back with it; the next pass fires it."""
    attempts: list[int] = []

    def flaky(uow: UnitOfWork, deadline: Deadline) -> None:
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("first try fails")

    scheduler = Scheduler(sql_store, clock)
    scheduler.register("flaky", flaky)
    _arm(sql_store, "flaky", "f1", 1)
    clock.advance(2)
    assert scheduler.fire_due() == 0
    assert scheduler.fire_due() == 1
    assert len(attempts) == 2
    assert _fired(sql_store).count("f1") == 1


def test_two_nodes_racing_fire_each_deadline_once(db_url: str, clock: FakeClock) -> None:
    """Two schedulers on one database share the due deadlines without doubling any."""
    store_a, store_b = SqlStore(db_url, clock), SqlStore(db_url, clock)
    prefix = f"race-{clock.new_id()}"
    for n in range(40):
        _arm(store_a, "race", f"{prefix}-{n}", 1)
    clock.advance(5)
    seen: list[str] = []
    lock = threading.Lock()

    def record(uow: UnitOfWork, d: Deadline) -> None:
        with lock:
            seen.append(d.key)

    schedulers = [Scheduler(s, clock) for s in (store_a, store_b)]
    for s in schedulers:
        s.register("race", record)
    threads = [threading.Thread(target=s.fire_due) for s in schedulers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    store_a.close()
    store_b.close()
    mine = [k for k in seen if k.startswith(prefix)]
    assert sorted(mine) == sorted(f"{prefix}-{n}" for n in range(40))
