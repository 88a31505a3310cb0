"""Units benchmark: engaging a unit on an event and changing a unit's status, over HTTP.

A scratch database (SQLite by default; ``--url`` for a migrated PostgreSQL) with an operator, U units and
E open events, ``tocsin serve`` in its own process, and one client (the operator's session, as the
console would call): for each round, one unit is engaged on one event (POST /api/v1/events/{id}/engage)
then moved acknowledged → en route → on scene → available (POST /api/v1/units/{id}/status), each request
timed from send to answer. The first WARMUP requests of each kind are not counted. Each engage and each
change writes the unit, its history line, the assignment's times, the logbook entry and the unit's
timers in one transaction (an engage also moves the event to dispatched; on scene moves it on scene).
The server's CPU per request (from /proc, its background loops included) and the load average are
printed too: on a shared machine they tell more than the latencies.

TicketsCAD, measured on this kind of machine over HTTP, assigns a unit in 23 to 29 ms (p50) and changes a
unit's status in 21 to 25 ms (p50); the issue's target is half of that or better. Figures are printed,
never asserted.

    python benchmarks/units.py [--rounds N] [--url postgresql://…]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import httpx2
from alarms import start_server, stop_server
from incidents import scratch_postgres

from tocsin.adapters.clock import SystemClock
from tocsin.adapters.store import migrate
from tocsin.api.deps import SESSION_COOKIE
from tocsin.bootstrap import bootstrap
from tocsin.config import Settings
from tocsin.domain import commands as c
from tocsin.domain import incidents as i
from tocsin.domain import units as u
from tocsin.domain.scope import Scope
from tocsin.testing import FakeHasher

WARMUP = 20
STATUSES = ("acknowledged", "en_route", "on_scene", "available")


def prepare(url: str, var: Path, rounds: int, units: int) -> tuple[str, str, list[str], list[str]]:
    """The operator's session and CSRF token, the units' ids and one open event per round."""
    migrate.upgrade(url)
    node = bootstrap(Settings(database_url=url, var_dir=var), hasher=FakeHasher(), clock=SystemClock())
    try:
        bus = node.messagebus
        ref = f"bench{int(time.time())}"
        tenant = bus.handle(c.CreateTenant(ref, "Bench"), scope=Scope.system(), actor="b")
        scope = Scope.tenant(tenant.id)
        user = bus.handle(
            c.AddUser(tenant.id, f"op-{ref}", "Operator", "op-password"), scope=scope, actor="b"
        )
        bus.handle(c.GrantRole(user.id, "operator"), scope=scope, actor="b")
        made = [
            bus.handle(u.CreateUnit(tenant.id, f"Unit {n:04d}", "guard"), scope=scope, actor="b")
            for n in range(units)
        ]
        events = [
            bus.handle(
                i.CreateIncident(tenant.id, "FIGHT", i.Place(48.85, 2.35 + n / 10_000, f"{n} rue X"), by="b"),
                scope=scope,
                actor="b",
            ).incident
            for n in range(rounds + WARMUP)
        ]
        login = node.auth.login(f"op-{ref}", "op-password", "127.0.0.1")
        return (
            login.token,
            login.principal.csrf_token or "",
            [str(x.id) for x in made],
            [str(e.id) for e in events],
        )
    finally:
        node.close()


def percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return f"p50 {statistics.median(ordered):6.2f} ms  p95 {pick(0.95):6.2f} ms  p99 {pick(0.99):6.2f} ms"


def cpu_seconds(pid: int) -> float | None:
    """The CPU time (user and system) a process has used so far, where /proc tells it (Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(base: str, session: str, csrf: str, units: list[str], events: list[str]) -> None:
    engage: list[float] = []
    status: list[float] = []
    headers = {"X-CSRF-Token": csrf}
    with httpx2.Client(
        base_url=base, cookies={SESSION_COOKIE: session}, headers=headers, timeout=30
    ) as client:
        for n, event in enumerate(events):
            unit = units[n % len(units)]
            sent = time.perf_counter()
            answer = client.post(f"/api/v1/events/{event}/engage", json={"unit_ids": [unit]})
            took = (time.perf_counter() - sent) * 1000
            answer.raise_for_status()
            if n >= WARMUP:
                engage.append(took)
            for target in STATUSES:
                sent = time.perf_counter()
                answer = client.post(f"/api/v1/units/{unit}/status", json={"status": target})
                took = (time.perf_counter() - sent) * 1000
                answer.raise_for_status()
                if n >= WARMUP:
                    status.append(took)
    print(f"engage one unit, request to answer (n={len(engage)}):   {percentiles(engage)}")
    print(f"change a unit's status, request to answer (n={len(status)}): {percentiles(status)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300, help="engages (each followed by 4 status changes)")
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument(
        "--url",
        help="a PostgreSQL server's URL: a scratch database is created there and dropped (default: a"
        " scratch SQLite file). A database shared with other runs would have the server print every"
        " tenant's degraded-mode kit meanwhile.",
    )
    args = parser.parse_args()
    if args.url:
        with scratch_postgres(args.url) as url:
            measure(url, args)
    else:
        measure(None, args)


def measure(url: str | None, args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as folder:
        var = Path(folder)
        url = url or f"sqlite:///{var / 'bench.db'}"
        session, csrf, units, events = prepare(url, var, args.rounds, args.units)
        process, http, _dc09 = start_server(url, var, "in-process")
        try:
            print(f"{url.split(':', 1)[0]}: {args.units} units, {len(events)} events")
            before = cpu_seconds(process[0].pid)
            run(f"http://127.0.0.1:{http}", session, csrf, units, events)
            after = cpu_seconds(process[0].pid)
            if before is not None and after is not None:
                used = (after - before) * 1000 / (len(events) * (1 + len(STATUSES)))
                print(f"server CPU per request (engages and changes together): {used:.1f} ms")
            print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        finally:
            stop_server(process)


if __name__ == "__main__":
    main()
