"""The dead-man's cost on an operator's writes: notes on a held alarm through the message bus, on a
scratch SQLite database, with the dead-man off (``deadman_idle=0``) and on (each note then reads the
pending dead-man deadlines, the operator's taken alarms, and moves the deadline), with W other operators
watched at the same time (their deadlines are read too). Figures are printed, never asserted.

    python benchmarks/deadman.py [--notes N] [--watched W]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from uuid import UUID

from tocsin.adapters.clock import SystemClock
from tocsin.adapters.store import migrate
from tocsin.adapters.store.database import SqlStore
from tocsin.domain import alarms as a
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope
from tocsin.services import deadman
from tocsin.services.alarm_rules import raise_technical
from tocsin.services.handlers.registry import Deps
from tocsin.services.messagebus import MessageBus
from tocsin.services.scheduler import arm
from tocsin.services.unit_of_work import UnitOfWork
from tocsin.testing import FakeHasher


def _setup(store: SqlStore, clock: SystemClock, watched: int) -> tuple[UUID, UUID]:
    bus = MessageBus(store, Deps(hasher=FakeHasher()))
    tenant = bus.handle(c.CreateTenant("bench", "Bench"), scope=Scope.system(), actor="bench")

    def write(uow: object) -> UUID:
        happening = a.Happening(clock.now(), "technical", "bench", "", "Bench", "Banc")
        raised = raise_technical(uow, tenant.id, None, happening)  # type: ignore[arg-type]
        for n in range(watched):  # other operators watched meanwhile
            due = clock.now().replace(year=clock.now().year + 1)
            payload = {"stage": "idle", "user_id": str(UUID(int=n + 10)), "name": f"op{n}"}
            arm(uow, deadman.KIND, f"{tenant.id}:user:op{n}", due, tenant_id=tenant.id, payload=payload)  # type: ignore[arg-type]
        return raised[0].alarm_id

    alarm_id = store.write(write, Scope.system())
    return tenant.id, alarm_id


def _run(idle: int, notes: int, watched: int) -> list[float]:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        migrate.upgrade(url)
        clock = SystemClock()
        store = SqlStore(url, clock)
        try:
            tenant_id, alarm_id = _setup(store, clock, watched)
            bus = MessageBus(store, Deps(hasher=FakeHasher(), deadman_idle=idle))
            scope, user = Scope.tenant(tenant_id), UUID(int=1)
            bus.handle(a.TakeAlarm(alarm_id, user, "Op", supervisor=True), scope=scope, actor="user:op")
            took = []
            for n in range(notes):
                start = time.perf_counter()
                bus.handle(a.NoteAlarm(alarm_id, user, "Op", text=f"note {n}"), scope=scope, actor="user:op")
                took.append(time.perf_counter() - start)
            return took
        finally:
            store.close()


def _parts(watched: int, rounds: int = 100) -> dict[str, float]:
    """The dead-man's own reads and write inside one transaction, timed alone (median ms): steadier
    than whole commands on a shared machine."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        migrate.upgrade(url)
        clock = SystemClock()
        store = SqlStore(url, clock)
        try:
            tenant_id, _alarm = _setup(store, clock, watched)
            times: dict[str, list[float]] = {"pending": [], "held": [], "move": []}

            def write(uow: UnitOfWork) -> None:
                start = time.perf_counter()
                deadman.pending(uow, tenant_id, "user:op0")
                times["pending"].append(time.perf_counter() - start)
                start = time.perf_counter()
                deadman.held_by(uow, tenant_id, UUID(int=1))
                times["held"].append(time.perf_counter() - start)
                start = time.perf_counter()
                deadman.watch(uow, tenant_id, "user:op0", UUID(int=1), "Op", Deps(hasher=FakeHasher()))
                times["move"].append(time.perf_counter() - start)

            for _ in range(rounds):
                store.write(write, Scope.tenant(tenant_id))
            return {name: statistics.median(found) * 1000 for name, found in times.items()}
        finally:
            store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--notes", type=int, default=500)
    parser.add_argument("--watched", type=int, default=50)
    args = parser.parse_args()
    for label, idle in (("dead-man off", 0), ("dead-man on", 120)):
        took = _run(idle, args.notes, args.watched)
        p50 = statistics.median(took) * 1000
        p99 = sorted(took)[int(len(took) * 0.99) - 1] * 1000
        # whole commands, through the writer thread: noisy on a shared machine
        print(f"{label:13} {args.notes} notes, {args.watched} watched: p50 {p50:.2f} ms, p99 {p99:.2f} ms")

    parts = _parts(args.watched)
    print(
        "dead-man's own work per write (median): "
        + ", ".join(f"{name} {ms:.2f} ms" for name, ms in parts.items())
    )


if __name__ == "__main__":
    main()
