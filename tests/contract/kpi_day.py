"""A generated day of alarms and signals (fixed seed), and the KPIs computed from it independently of
:mod:`tocsin.domain.kpis`: loops and sorting by hand, percentiles found by counting, so a shared mistake
is unlikely."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from tests.contract.support import Backend, World
from tocsin.domain import alarms as a
from tocsin.domain.signals import Signal
from tocsin.domain.sites import Site
from tocsin.domain.tenancy import Client
from tocsin.services.unit_of_work import UnitOfWork

DAY = datetime(2026, 11, 30, tzinfo=UTC)
CLASSES = ("intrusion", "fire", "panic", "technical", "tamper")
FALSE_CAUSES = [x.code for x in a.DEFAULT_CLOSURE_CODES if x.outcome == "false"]
REAL_CAUSES = [x.code for x in a.DEFAULT_CLOSURE_CODES if x.outcome == "real"]


@dataclass
class Day:
    """What was generated: the tenant's alarms and signals (and the other tenant's, never counted)."""

    alarms: list[a.Alarm] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)
    others: int = 0


def _alarm(rng: random.Random, tenant: UUID, site: Site | None, opened: datetime) -> a.Alarm:
    alarm_class = rng.choice(CLASSES) if site is not None else "unknown_account"
    values: dict[str, Any] = {}
    if rng.random() < 0.93:  # most are taken, after a long-tailed wait
        taken = opened + timedelta(seconds=round(rng.lognormvariate(2.8, 0.9), 3))
        values.update(first_taken_at=taken, taken_at=taken, state="taken")
        if rng.random() < 0.9:
            settled = taken + timedelta(seconds=round(rng.uniform(20, 900), 3))
            outcome = "false" if rng.random() < 0.85 else "real"
            cause = rng.choice(FALSE_CAUSES if outcome == "false" else REAL_CAUSES)
            values.update(settled_at=settled, outcome=outcome, cause=cause, state="settled")
    return a.Alarm(
        id=uuid4(),
        tenant_id=tenant,
        alarm_class=alarm_class,
        priority=a.ALARM_CLASS_PRIORITY[alarm_class],
        opened_at=opened,
        last_signal_at=opened,
        site_id=None if site is None else site.id,
        client_id=None if site is None else site.client_id,
        site_ref="" if site is None else site.ref,
        site_name="" if site is None else site.name,
        group_key=alarm_class,
        **values,
    )


def generate(world: World, seed: int = 50518, count: int = 400) -> Day:
    """A day of alarms on tenant one's three sites (and a few site-less ones), signals all day long,
    and some of both in tenant two and just outside the day, which the figures must not count."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible test day, not a secret
    day = Day()
    sites: list[Site | None] = [world.a1, world.a2, world.b1, None]
    for _ in range(count):
        opened = DAY + timedelta(seconds=rng.uniform(0, 86_399))
        day.alarms.append(_alarm(rng, world.t1.id, rng.choices(sites, weights=(5, 3, 4, 1))[0], opened))
    for at in (DAY - timedelta(seconds=1), DAY + timedelta(days=1)):  # outside the period
        day.alarms.append(_alarm(rng, world.t1.id, world.a1, at))
    for _ in range(25):
        day.alarms.append(_alarm(rng, world.t2.id, world.c1, DAY + timedelta(seconds=rng.uniform(0, 86_399))))
        day.others += 1
    for hour in range(24):
        for _ in range(rng.randint(0, 60) if hour != 4 else 0):  # 04:00 to 05:00 is silent
            at = DAY + timedelta(hours=hour, seconds=rng.uniform(0, 3599.999))
            site = rng.choice([world.a1, world.a2, world.b1, world.c1])
            day.signals.append(_signal(at, site))
    day.signals.append(_signal(DAY + timedelta(days=1), world.a1))  # the next day: not counted
    return day


def _signal(at: datetime, site: Site) -> Signal:
    return Signal(uuid4(), at, "node-1", "tcp", "raw", "ACK", tenant_id=site.tenant_id, site_id=site.id)


def store(backend: Backend, day: Day) -> None:
    """Write the day into the store, as the rules and the receiver would have."""

    def write(uow: UnitOfWork) -> None:
        uow.alarms.add(day.alarms)
        uow.signals.insert_many(day.signals)

    backend.write(write)


# ------------------------------------------------------------------ the independent computation


def rank_percentile(values: list[float], p: int) -> float | None:
    """The smallest value v such that at least p % of the values are ≤ v (found by counting)."""
    best = None
    for v in values:
        at_most = sum(1 for w in values if w <= v)
        if at_most * 100 >= p * len(values) and (best is None or v < best):
            best = v
    return best


def expected(day: Day, tenant: UUID, clients: dict[UUID, Client]) -> dict[str, Any]:
    """The figures of tenant one's day, computed without the domain module."""
    start, end = DAY, DAY + timedelta(days=1)
    mine = [x for x in day.alarms if x.tenant_id == tenant and start <= x.opened_at < end]
    take: dict[str, list[float]] = defaultdict(list)
    settle: dict[str, list[float]] = defaultdict(list)
    for x in mine:
        for key in ("*", x.alarm_class):
            take[key] += (
                [] if x.first_taken_at is None else [(x.first_taken_at - x.opened_at).total_seconds()]
            )
            settle[key] += [] if x.settled_at is None else [(x.settled_at - x.opened_at).total_seconds()]
    per_site: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    per_client: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    causes: dict[str, int] = defaultdict(int)
    for x in mine:
        if x.outcome is None:
            continue
        for table, key in ((per_site, x.site_id), (per_client, x.client_id)):
            table["" if key is None else str(key)][0] += 1
            table["" if key is None else str(key)][1] += x.outcome == "false"
        causes[x.cause or ""] += 1
    hours = [0] * 24
    for s in day.signals:
        if s.tenant_id == tenant and start <= s.received_at < end:
            hours[int((s.received_at - start).total_seconds() // 3600)] += 1
    return {
        "alarms": len(mine),
        "take": {k: (len(v), rank_percentile(v, 50), rank_percentile(v, 90)) for k, v in take.items()},
        "settle": {k: (len(v), rank_percentile(v, 50), rank_percentile(v, 90)) for k, v in settle.items()},
        "within_30": sum(1 for v in take["*"] if v <= 30) / len(take["*"]),
        "within_60": sum(1 for v in take["*"] if v <= 60) / len(take["*"]),
        "per_site": {k: (n, f) for k, (n, f) in per_site.items()},
        "per_client": {k: (n, f) for k, (n, f) in per_client.items()},
        "client_names": {str(c.id): f"{c.ref} {c.name}" for c in clients.values()},
        "causes": dict(causes),
        "hours": hours,
    }
