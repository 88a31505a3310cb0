"""KPI benchmark: how long a report takes to read and compute from a busy room's store.

1. A scratch SQLite database (or ``--database-url``, migrated) gets one tenant with S sites, D days of
   alarms (A a day, most taken and settled) and signals (N a day), written in batches.
2. The KPIs of the last day, the last 7 days and the whole span are read as the API reads them
   (``services.kpis.read_kpis``: one read transaction, alarms' columns fetched, signals counted per hour by
   the database), R times each; p50 and max printed. Then the CSV and the PDF of the last day, timed.

Figures are printed, never asserted.

    python benchmarks/kpis.py [--days D] [--alarms A] [--signals N] [--sites S] [--runs R]
                              [--database-url URL]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar
from uuid import UUID, uuid4

from tocsin.adapters.clock import SystemClock
from tocsin.adapters.kpi_pdf import render_kpis
from tocsin.adapters.store import migrate
from tocsin.adapters.store.database import SqlStore
from tocsin.domain import alarms as a
from tocsin.domain import commands as c
from tocsin.domain.kpis import Period, Targets
from tocsin.domain.scope import Scope
from tocsin.domain.signals import Signal
from tocsin.services.handlers.registry import Deps
from tocsin.services.kpis import read_kpis, to_csv
from tocsin.services.messagebus import MessageBus
from tocsin.services.unit_of_work import UnitOfWork
from tocsin.testing import FakeHasher

R = TypeVar("R")
END = datetime(2026, 12, 1, tzinfo=UTC)
CLASSES = ("intrusion", "fire", "panic", "technical", "tamper", "ac_loss")
CAUSES = list(a.DEFAULT_CLOSURE_CODES)


def _room(store: SqlStore, sites: int) -> tuple[UUID, list[tuple[UUID, UUID]]]:
    bus = MessageBus(store, Deps(hasher=FakeHasher()))
    system = Scope.system()
    tenant = bus.handle(c.CreateTenant(f"B{uuid4().hex[:6]}", "Bench"), scope=system, actor="bench")
    client = bus.handle(c.CreateClient(tenant.id, "C", "Client"), scope=system, actor="bench")
    made = []
    for i in range(sites):
        site = bus.handle(
            c.CreateSite(tenant.id, client.id, f"S{i:05}", f"Site {i}"), scope=system, actor="bench"
        )
        made.append((site.id, client.id))
    return tenant.id, made


def _alarm(rng: random.Random, tenant: UUID, site: tuple[UUID, UUID], opened: datetime) -> a.Alarm:
    values: dict[str, object] = {}
    taken = opened + timedelta(seconds=rng.lognormvariate(2.8, 0.9))
    values.update(first_taken_at=taken, taken_at=taken, state="taken")
    if rng.random() < 0.9:
        code = rng.choice(CAUSES)
        settled = taken + timedelta(seconds=rng.uniform(20, 900))
        values.update(
            settled_at=settled, outcome=code.outcome, cause=code.code, state="closed", closed_at=settled
        )
    alarm_class = rng.choice(CLASSES)
    return a.Alarm(
        id=uuid4(),
        tenant_id=tenant,
        alarm_class=alarm_class,
        priority=a.ALARM_CLASS_PRIORITY[alarm_class],
        opened_at=opened,
        last_signal_at=opened,
        site_id=site[0],
        client_id=site[1],
        site_ref="S",
        site_name="Site",
        group_key=alarm_class,
        **values,  # type: ignore[arg-type]
    )


def fill(store: SqlStore, args: argparse.Namespace) -> UUID:
    """Write the days of alarms and signals; the tenant's id."""
    rng = random.Random(50518)
    tenant, sites = _room(store, args.sites)
    started = time.perf_counter()
    for day in range(args.days):
        start = END - timedelta(days=day + 1)
        alarms = [
            _alarm(rng, tenant, rng.choice(sites), start + timedelta(seconds=rng.uniform(0, 86_399)))
            for _ in range(args.alarms)
        ]
        signals = [
            Signal(
                uuid4(),
                start + timedelta(seconds=rng.uniform(0, 86_399)),
                "n",
                "tcp",
                "r",
                "ACK",
                tenant,
                None,
                s[0],
            )
            for s in (rng.choice(sites) for _ in range(args.signals))
        ]

        def write(uow: UnitOfWork, alarms: list[a.Alarm] = alarms, signals: list[Signal] = signals) -> None:
            uow.alarms.add(alarms)
            uow.signals.insert_many(signals)

        store.write(write, Scope.system())
    took = time.perf_counter() - started
    total_a, total_s = args.days * args.alarms, args.days * args.signals
    print(
        f"filled {args.days} day(s): {total_a:,} alarms, {total_s:,} signals, {args.sites} sites"
        f" in {took:.1f} s"
    )
    return tenant


def timed(label: str, runs: int, fn: Callable[[], R]) -> R:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    times.sort()
    print(f"{label:<44} p50 {times[len(times) // 2] * 1000:8.1f} ms   max {times[-1] * 1000:8.1f} ms")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--alarms", type=int, default=2_000, help="alarms a day")
    parser.add_argument("--signals", type=int, default=50_000, help="signals a day")
    parser.add_argument("--sites", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="tocsin-kpis-bench-"))
    url = args.database_url or f"sqlite:///{folder / 'kpis.db'}"
    migrate.upgrade(url)
    store = SqlStore(url, SystemClock())
    try:
        tenant = fill(store, args)
        scope, targets = Scope.tenant(tenant), Targets()
        day = Period(END - timedelta(days=1), END)
        for label, period in (
            ("last day", day),
            ("last 7 days", Period(END - timedelta(days=min(7, args.days)), END)),
            (f"whole span ({args.days} days)", Period(END - timedelta(days=args.days), END)),
        ):
            kpis = timed(
                f"read_kpis, {label}", args.runs, lambda p=period: read_kpis(store, scope, p, targets)
            )
            print(f"{'':<44} {kpis.alarms:,} alarms, {kpis.signals:,} signals")
        report = read_kpis(store, scope, day, targets)
        timed("CSV of the last day", args.runs, lambda: to_csv(report))
        timed("PDF of the last day", args.runs, lambda: render_kpis(report, "en"))
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
