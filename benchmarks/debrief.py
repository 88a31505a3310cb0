"""Debrief benchmark: building an event's replay from the logbook, in process.

A scratch SQLite database (``--url`` for a migrated PostgreSQL) with one tenant: an event with U engaged
units, each reporting its position every 5 s for P reports and changing status along the way, while the
tenant's logbook fills with N other entries in the same hours (another event's units moving, notes).
Then :func:`tocsin.services.debrief.gather` and :func:`~tocsin.services.debrief.debrief_view` are timed
R times (wall and CPU time of this process: the read, the filtering, the replay and the JSON view).
Figures are printed, never asserted.

    python benchmarks/debrief.py [--units 3] [--reports 600] [--noise 6000] [--rounds 5] [--url …]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from tocsin.adapters.store import migrate
from tocsin.adapters.store.database import SqlStore
from tocsin.domain import commands as c
from tocsin.domain import incidents as i
from tocsin.domain import partner_commands as pc
from tocsin.domain import units as u
from tocsin.domain.logbook import NewEntry
from tocsin.domain.scope import Scope
from tocsin.services import debrief as db
from tocsin.services import logbook
from tocsin.services.handlers.registry import Deps
from tocsin.services.messagebus import HANDLERS
from tocsin.testing import FakeClock, FakeHasher

DEPS = Deps(hasher=FakeHasher())
CHUNK = 200  # commands per transaction while filling


def fill(store: SqlStore, clock: FakeClock, units: int, reports: int, noise: int) -> Any:
    scope = Scope.system()

    def run(*commands: Any) -> Any:
        def fn(uow: Any) -> Any:
            return [HANDLERS.run(x, uow, "bench", DEPS) for x in commands]

        return store.write(fn, scope)[-1]

    tenant = run(c.CreateTenant("bench", "Bench")).id
    event = run(i.CreateIncident(tenant, "FIGHT", i.Place(48.85, 2.35, "Bench street"), by="B")).incident
    other = run(i.CreateIncident(tenant, "NOISE", i.Place(48.86, 2.36, "Other street"), by="B")).incident
    ours = [
        run(u.CreateUnit(tenant, f"U{n}", "police", latitude=48.84, longitude=2.34)) for n in range(units)
    ]
    theirs = run(u.CreateUnit(tenant, "X1", "police", latitude=48.87, longitude=2.37))
    run(u.EngageUnits(event.id, tuple(x.id for x in ours), "B"), u.EngageUnits(other.id, (theirs.id,), "B"))
    for unit in ours:
        run(u.ChangeUnitStatus(unit.id, "acknowledged", "B"), u.ChangeUnitStatus(unit.id, "en_route", "B"))
    per_report = max(1, noise // max(1, reports))
    for start in range(0, reports, CHUNK // (units + 1)):

        def batch(uow: Any, start: int = start) -> None:
            for k in range(start, min(reports, start + CHUNK // (units + 1))):
                clock.advance(seconds=5)
                for n, unit in enumerate(ours):
                    where = u.MoveUnit(unit.id, 48.84 + k * 1e-5, 2.34 + n * 1e-3, "B")
                    HANDLERS.run(where, uow, "bench", DEPS)
                notes = [NewEntry("test", "logbook.note", "bench", tenant, {"text": f"{k}"})] * per_report
                logbook.append_batch(uow.logbook, clock, notes)

        store.write(batch, scope)
    for unit in ours:
        run(u.ChangeUnitStatus(unit.id, "on_scene", "B"), u.ChangeUnitStatus(unit.id, "available", "B"))
    run(pc.CloseWithReport(event.id, ("handled",), "Done.", "B"))
    return event


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=3)
    parser.add_argument("--reports", type=int, default=600, help="position reports per unit")
    parser.add_argument("--noise", type=int, default=6000, help="other entries of the tenant meanwhile")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--url", help="a migrated PostgreSQL database (default: a scratch SQLite)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        if args.url is None:
            migrate.upgrade(url)
        clock = FakeClock()
        store = SqlStore(url, clock)
        try:
            event = fill(store, clock, args.units, args.reports, args.noise)
            walls, cpus, view = [], [], {}
            for _ in range(args.rounds):
                wall, cpu = time.perf_counter(), time.process_time()
                found = store.read(lambda uow: db.gather(uow, event.id), Scope.system())
                view = db.debrief_view(found, "en")
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
        finally:
            store.close()
    print(
        f"entries read {view['entries_read']} (truncated: {view['truncated']}), steps {len(view['steps'])},"
        f" units {len(view['units'])}: wall p50 {statistics.median(walls) * 1000:.0f} ms"
        f" (min {min(walls) * 1000:.0f}), CPU p50 {statistics.median(cpus) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
