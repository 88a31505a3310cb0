"""A generated day of events with their units' assignments (fixed seed), and the NFPA 1225 intervals
computed from it independently of :mod:`tocsin.domain.dispatch_intervals`: the first unit is found by a
plain loop, each interval is a subtraction, percentiles are found by counting (``rank_percentile``)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from tests.contract.kpi_day import DAY, rank_percentile
from tests.contract.support import Backend, World
from tocsin.domain import incidents as i
from tocsin.domain.sites import Site
from tocsin.domain.units import Assignment
from tocsin.services.unit_of_work import UnitOfWork

TARGETS = {"processing": 60.0, "turnout": 80.0, "travel": 240.0}


@dataclass
class Events:
    """The generated events and every unit engaged on them (released: one unit serves them all)."""

    incidents: list[i.Incident] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)


def _seconds(rng: random.Random, mu: float, sigma: float) -> timedelta:
    return timedelta(seconds=round(rng.lognormvariate(mu, sigma), 3))


def _incident(tenant: UUID, site: Site | None, opened: datetime) -> i.Incident:
    return i.Incident(
        id=uuid4(),
        tenant_id=tenant,
        type_code="FIRE",
        type_label_en="Fire",
        type_label_fr="Feu",
        apco="FIRE",
        priority=2,
        reflex=False,
        state="closed",
        origin="call",
        opened_at=opened,
        updated_at=opened,
        created_by="test",
        site_id=None if site is None else site.id,
        client_id=None if site is None else site.client_id,
    )


def _units(rng: random.Random, event: i.Incident, unit: UUID) -> list[Assignment]:
    """Zero to three units; the first alerted is not always the first written; some steps are missing
    and a few are out of order (en route before alerted), which the figures leave out."""
    found = []
    for _ in range(rng.choices((0, 1, 2, 3), weights=(2, 6, 3, 1))[0]):
        alerted = event.opened_at + _seconds(rng, 3.5, 0.7)
        en_route = alerted + _seconds(rng, 4.0, 0.5) if rng.random() < 0.9 else None
        if en_route is not None and rng.random() < 0.04:
            en_route = alerted - timedelta(seconds=5)  # a data-entry fault
        on_scene = en_route + _seconds(rng, 5.2, 0.5) if en_route and rng.random() < 0.85 else None
        last = on_scene or en_route or alerted
        found.append(
            Assignment(
                id=uuid4(),
                tenant_id=event.tenant_id,
                incident_id=event.id,
                unit_id=unit,
                callsign="Patrol 1",
                alerted_at=alerted,
                en_route_at=en_route,
                on_scene_at=on_scene,
                released_at=max(last, alerted) + timedelta(minutes=20),
            )
        )
    return found


def generate(world: World, seed: int = 1225, count: int = 160) -> Events:
    """Tenant one's events over the day on its three sites and without a site; a few just outside the
    day and some in tenant two, which the figures must not count."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible test day, not a secret
    made = Events()
    sites: list[Site | None] = [world.a1, world.a2, world.b1, None]
    opened = [DAY + timedelta(seconds=round(rng.uniform(0, 86_000), 3)) for _ in range(count)]
    for at in opened:
        made.incidents.append(_incident(world.t1.id, rng.choice(sites), at))
    for at in (DAY - timedelta(seconds=1), DAY + timedelta(days=1)):
        made.incidents.append(_incident(world.t1.id, world.a1, at))
    for _ in range(20):
        at = DAY + timedelta(seconds=round(rng.uniform(0, 86_000), 3))
        made.incidents.append(_incident(world.t2.id, world.c1, at))
    for event in made.incidents:
        unit = world.unit.id if event.tenant_id == world.t1.id else world.unit2.id
        made.assignments.extend(_units(rng, event, unit))
    return made


def store(backend: Backend, made: Events) -> None:
    def write(uow: UnitOfWork) -> None:
        for event in made.incidents:
            uow.incidents.add(event)
        for assignment in made.assignments:
            uow.assignments.add(assignment)

    backend.write(write)


def expected(made: Events, tenant: UUID, sites: set[UUID | None] | None = None) -> dict[str, Any]:
    """Tenant one's figures over the day (only ``sites``' events when given)."""
    start, end = DAY, DAY + timedelta(days=1)
    events = [
        e
        for e in made.incidents
        if e.tenant_id == tenant and start <= e.opened_at < end and (sites is None or e.site_id in sites)
    ]
    values: dict[str, list[float]] = {"processing": [], "turnout": [], "travel": []}
    no_unit = 0
    bad = 0
    for event in events:
        first = None
        for x in made.assignments:
            if x.incident_id == event.id and (first is None or x.alerted_at < first.alerted_at):
                first = x
        if first is None:
            no_unit += 1
            continue
        steps = (
            ("processing", event.opened_at, first.alerted_at),
            ("turnout", first.alerted_at, first.en_route_at),
            ("travel", first.en_route_at, first.on_scene_at),
        )
        for name, since, until in steps:
            if since is None or until is None:
                continue
            if until < since:
                bad += 1
            else:
                values[name].append((until - since).total_seconds())
    figures = {}
    for name, found in values.items():
        within = len([v for v in found if v <= TARGETS[name]])
        figures[name] = {
            "samples": len(found),
            "p50": rank_percentile(found, 50),
            "p90": rank_percentile(found, 90),
            "within": within,
            "share": within / len(found) if found else 0.0,
        }
    return {"events": len(events), "no_unit": no_unit, "inconsistent": bad, "figures": figures}
