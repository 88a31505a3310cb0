"""KPI benchmark: how long a report takes to read and compute from a busy room's store.

1. A scratch SQLite database (or ``--database-url``, migrated) gets one tenant with S sites, D days of
   alarms (A a day, most taken and settled), signals (N a day) and events (E a day, each with 0-3 of
   20 units' assignments: the NFPA 1225 dispatch section), written in batches.
2. The KPIs of the last day, the last 7 days and the whole span are read as the API reads them
   (``services.kpis.read_kpis``: one read transaction, alarms' columns fetched, signals counted per hour by
   the database), R times each; p50 and max printed; the dispatch read alone (``dispatched``: the events
   and their units' times) too. Then the CSV and the PDF of the last day, timed.

Figures are printed, never asserted.

    python benchmarks/kpis.py [--days D] [--alarms A] [--signals N] [--events E] [--sites S]
                              [--runs R] [--database-url URL]
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
from tocsin.domain import incidents as inc
from tocsin.domain.kpis import Period, Targets
from tocsin.domain.scope import Scope
from tocsin.domain.signals import Signal
from tocsin.domain.units import Assignment
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


def _event(rng: random.Random, tenant: UUID, site: tuple[UUID, UUID], opened: datetime) -> inc.Incident:
    return inc.Incident(
        id=uuid4(),
        tenant_id=tenant,
        type_code="FIRE",
        type_label_en="Fire",
        type_label_fr="Feu",
        apco="FIRE",
        priority=rng.randint(1, 4),
        reflex=False,
        state="closed",
        origin="call",
        opened_at=opened,
        updated_at=opened,
        created_by="bench",
        site_id=site[0],
        client_id=site[1],
    )


def _assignments(rng: random.Random, event: inc.Incident, units: list[UUID]) -> list[Assignment]:
    found = []
    for unit in rng.sample(units, rng.choice((0, 1, 1, 1, 2, 3))):
        alerted = event.opened_at + timedelta(seconds=rng.lognormvariate(3.5, 0.7))
        en_route = alerted + timedelta(seconds=rng.lognormvariate(4.0, 0.5))
        on_scene = en_route + timedelta(seconds=rng.lognormvariate(5.2, 0.5))
        found.append(
            Assignment(
                id=uuid4(),
                tenant_id=event.tenant_id,
                incident_id=event.id,
                unit_id=unit,
                callsign="U",
                alerted_at=alerted,
                en_route_at=en_route,
                on_scene_at=on_scene,
                released_at=on_scene + timedelta(minutes=30),
            )
        )
    return found


def fill(store: SqlStore, args: argparse.Namespace) -> UUID:
    """Write the days of alarms, signals and events; the tenant's id."""
    rng = random.Random(50518)
    tenant, sites = _room(store, args.sites)
    bus = MessageBus(store, Deps(hasher=FakeHasher()))
    units = [
        bus.handle(c.AddUnit(tenant, f"U{n}", "fire"), scope=Scope.system(), actor="bench").id
        for n in range(20)
    ]
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

        events = [
            _event(rng, tenant, rng.choice(sites), start + timedelta(seconds=rng.uniform(0, 86_399)))
            for _ in range(args.events)
        ]
        engaged = [x for e in events for x in _assignments(rng, e, units)]

        def write(
            uow: UnitOfWork,
            alarms: list[a.Alarm] = alarms,
            signals: list[Signal] = signals,
            events: list[inc.Incident] = events,
            engaged: list[Assignment] = engaged,
        ) -> None:
            uow.alarms.add(alarms)
            uow.signals.insert_many(signals)
            for event in events:
                uow.incidents.add(event)
            for assignment in engaged:
                uow.assignments.add(assignment)

        store.write(write, Scope.system())
    took = time.perf_counter() - started
    total_a, total_s = args.days * args.alarms, args.days * args.signals
    print(
        f"filled {args.days} day(s): {total_a:,} alarms, {total_s:,} signals, {args.sites} sites"
        f", {args.days * args.events:,} events in {took:.1f} s"
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
    parser.add_argument("--events", type=int, default=300, help="events a day")
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
            print(
                f"{'':<44} {kpis.alarms:,} alarms, {kpis.signals:,} signals, {kpis.dispatch.events:,} events"
            )
            timed(
                f"dispatch read alone, {label}",
                args.runs,
                lambda p=period: store.read(lambda uow: uow.kpis.dispatched(p.start, p.end, 200_001), scope),
            )
        report = read_kpis(store, scope, day, targets)
        timed("CSV of the last day", args.runs, lambda: to_csv(report))
        timed("PDF of the last day", args.runs, lambda: render_kpis(report, "en"))
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
