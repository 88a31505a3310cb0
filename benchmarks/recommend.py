"""Unit recommendation benchmark: latency at city scale, graph build timed apart.

For each road graph size (a generated town: a jittered grid of streets, 100 m apart, a tenth of them one
way, speeds 30/50/70 km/h) and each fleet size (units scattered anywhere in the town, off the junctions,
a patrol each), the script times:

- the graph's build from its rows (what a node does once per revision of the road tables);
- the first recommendation (every unit snapped to its street: the snap memory is cold);
- then Q recommendations for events at random places: p50 / p99 of the service's computation
  (``services.recommendation.compute``, as the API calls it once the units are read: the bounded road
  searches then, if needed, the one to the 30 min cutoff, every unit's time, the plan filled, the ranking
  and the reasons, the JSON view of the 50 first), wall-clock and the thread's CPU time; and apart one
  road search to the cutoff alone (``times_to``), what every recommendation cost before the bounded
  searches.

``--store``: the API's path on SQLite (100,000 segments unless ``--segments`` names one size; the fleets
of ``--units``): in process, the event read in the caller's scope, the units read by the node's reader
and the computation in one transaction, the view and its JSON, each phase's CPU time apart; then over
HTTP, ``tocsin serve`` and ``GET /api/v1/events/{id}/recommendation`` with an operator's session, one
request at a time (``--no-http`` leaves it out). The first five requests warm the caches and are not
counted. Target (issue 14): p99 < 50 ms at 5,000 units and 100,000 segments. Figures are printed, never
asserted.

    python benchmarks/recommend.py [--segments 10000,100000,1000000] [--units 1000,5000,20000] [--queries 200]
    python benchmarks/recommend.py --store [--units 5000] [--no-http]
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tocsin.adapters.routing.graph import M_PER_DEG_LAT, RoadGraph, build_graph
from tocsin.domain import incidents as i
from tocsin.domain.nomenclature import PlannedUnits
from tocsin.domain.resources import Unit
from tocsin.services import recommendation as rec

CENTRE = (47.90, 1.90)
SPACING_M = 100.0
PLAN = (PlannedUnits("PATROUILLE", 2),)
FREEZE = False


def town(
    segments: int, seed: int = 1
) -> tuple[list[tuple[int, float, float]], list[tuple[int, int, float, float, bool]]]:
    """A jittered grid with about ``segments`` streets between its junctions."""
    rng = random.Random(seed)
    side = max(2, round(math.sqrt(segments / 2)))
    x_scale = M_PER_DEG_LAT * math.cos(math.radians(CENTRE[0]))
    nodes, points = [], {}
    for row in range(side):
        for col in range(side):
            ident = row * side + col + 1
            x = col * SPACING_M + rng.uniform(-15, 15)
            y = row * SPACING_M + rng.uniform(-15, 15)
            points[ident] = (x, y)
            nodes.append((ident, CENTRE[0] + y / M_PER_DEG_LAT, CENTRE[1] + x / x_scale))
    roads = []
    for row in range(side):
        for col in range(side):
            here = row * side + col + 1
            for there in ((here + 1) if col + 1 < side else None, (here + side) if row + 1 < side else None):
                if there is None:
                    continue
                (x1, y1), (x2, y2) = points[here], points[there]
                speed = rng.choice((30.0, 30.0, 50.0, 70.0))
                roads.append((here, there, math.hypot(x2 - x1, y2 - y1), speed, rng.random() < 0.1))
    return nodes, roads


def fleet(count: int, corners: Sequence[tuple[float, float]], seed: int = 2) -> list[Unit]:
    """``count`` patrols scattered in the frame (south-west and north-east corners), 85 % available."""
    rng = random.Random(seed)
    (south, west), (north, east) = corners
    tenant = uuid.uuid4()
    return [
        Unit(
            id=uuid.uuid4(),
            tenant_id=tenant,
            callsign=f"PATROL {n:05d}",
            kind=rng.choice(("police", "guard")),
            capabilities=("intervention",),
            status="available" if rng.random() < 0.85 else "en_route",
            latitude=rng.uniform(south, north),
            longitude=rng.uniform(west, east),
        )
        for n in range(count)
    ]


def _incident(tenant: uuid.UUID, latitude: float, longitude: float) -> i.Incident:
    now = _now()
    return i.Incident(
        id=uuid.uuid4(),
        tenant_id=tenant,
        type_code="FIGHT",
        type_label_en="Fight",
        type_label_fr="Rixe",
        apco="FIGHT",
        priority=2,
        reflex=False,
        state="open",
        origin="operator",
        opened_at=now,
        updated_at=now,
        created_by="bench",
        latitude=latitude,
        longitude=longitude,
    )


def _now() -> Any:
    from datetime import UTC, datetime  # noqa: PLC0415 - the benchmark's own clock

    return datetime.now(UTC)


def recommend_once(
    graph: RoadGraph, units: list[Unit], incident: i.Incident, settings: rec.RecommendSettings
) -> dict[str, Any]:
    """What the API computes once the units are read (the service's own function): times, ranking,
    reasons, the view."""
    computed = rec.compute(incident, PLAN, units, graph, settings, rec.DEFAULT_LIMIT)
    return rec.recommendation_view(computed, _now())


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def run(segments: int, counts: Sequence[int], queries: int) -> None:
    nodes, roads = town(segments)
    started = time.perf_counter()
    graph = build_graph(1, nodes, roads)
    built = time.perf_counter() - started
    if graph is None:
        raise SystemExit("no graph was built")
    print(f"\n{graph.segments:,} segments, {graph.nodes:,} nodes: graph built in {built:.2f} s")
    rng = random.Random(3)
    settings = rec.RecommendSettings()
    corners = [
        (min(n[1] for n in nodes), min(n[2] for n in nodes)),
        (max(n[1] for n in nodes), max(n[2] for n in nodes)),
    ]
    del nodes, roads  # a server holds the graph's arrays, not the rows it was built from
    gc.collect()
    if FREEZE:
        gc.freeze()  # what a server could do once started: its long-lived objects out of every collection
    (south, west), (north, east) = corners
    for count in counts:
        units = fleet(count, corners)
        tenant = units[0].tenant_id
        places = [(rng.uniform(south, north), rng.uniform(west, east)) for _ in range(queries)]
        started = time.perf_counter()
        recommend_once(graph, units, _incident(tenant, *places[0]), settings)
        cold = time.perf_counter() - started
        whole, search, cpu = [], [], []
        origins = [(u.latitude or 0.0, u.longitude or 0.0) for u in units]
        for lat, lon in places:
            incident = _incident(tenant, lat, lon)
            started, cpu_started = time.perf_counter(), time.thread_time()
            view = recommend_once(graph, units, incident, settings)
            whole.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - cpu_started) * 1000)
            started = time.perf_counter()
            graph.times_to(lat, lon, origins, settings.cutoff_s)
            search.append((time.perf_counter() - started) * 1000)
        if view["method"] != "road":
            raise SystemExit(f"the recommendation did not use the road graph: {view['note']}")
        print(
            f"  {count:>6,} units: first (cold snaps) {cold * 1000:7.1f} ms;"
            f" recommendation p50 {statistics.median(whole):6.1f} ms, p99 {_pct(whole, 0.99):6.1f} ms"
            f" (CPU p50 {statistics.median(cpu):5.1f}, p99 {_pct(cpu, 0.99):5.1f});"
            f" one search to the cutoff alone p50 {statistics.median(search):6.1f} ms,"
            f" p99 {_pct(search, 0.99):6.1f} ms"
        )


def prepare_store(folder: Path, count: int, segments: int, queries: int) -> tuple[str, list[uuid.UUID], Any]:
    """A SQLite room with the generated town's roads, ``count`` patrols and ``queries`` open events;
    its URL, the events' ids and an operator's login (session, CSRF token)."""
    from tocsin.adapters.clock import SystemClock  # noqa: PLC0415 - only the store's modes need these
    from tocsin.adapters.store import migrate  # noqa: PLC0415
    from tocsin.bootstrap import bootstrap  # noqa: PLC0415
    from tocsin.config import Settings  # noqa: PLC0415
    from tocsin.domain import commands as c  # noqa: PLC0415
    from tocsin.domain.geo import RoadNode, RoadSegment  # noqa: PLC0415
    from tocsin.domain.scope import Scope  # noqa: PLC0415
    from tocsin.testing import FakeHasher  # noqa: PLC0415

    url = f"sqlite:///{folder / 'bench.db'}"
    migrate.upgrade(url)
    node = bootstrap(Settings(database_url=url, var_dir=folder), hasher=FakeHasher(), clock=SystemClock())
    try:
        nodes, roads = town(segments)
        road_nodes = [RoadNode(n, lat, lon) for n, lat, lon in nodes]
        road_segments = [
            RoadSegment(k, a, b, length, int(speed), "", oneway)
            for k, (a, b, length, speed, oneway) in enumerate(roads, 1)
        ]

        def load(uow: Any) -> None:
            uow.geo.replace_roads(road_nodes, road_segments)
            uow.geo.addresses_changed(node.clock.now())

        node.store.write(load, Scope.system())
        tenant = node.messagebus.handle(
            c.CreateTenant(ref="bench", name="Bench"), scope=Scope.system(), actor="bench"
        )
        scope = Scope.tenant(tenant.id)
        adding = c.AddUser(tenant.id, "op", "Operator", "op-password")
        user = node.messagebus.handle(adding, scope=scope, actor="b")
        node.messagebus.handle(c.GrantRole(user.id, "operator"), scope=scope, actor="b")
        corners = [
            (min(n[1] for n in nodes), min(n[2] for n in nodes)),
            (max(n[1] for n in nodes), max(n[2] for n in nodes)),
        ]
        units = fleet(count, corners)

        def add_units(uow: Any) -> None:
            fields = Unit.__slots__
            mine = [Unit(**{**{s: getattr(u, s) for s in fields}, "tenant_id": tenant.id}) for u in units]
            uow.units.add_many(mine)

        node.store.write(add_units, scope)
        rng = random.Random(4)
        (south, west), (north, east) = corners
        events = []
        for _ in range(queries):
            place = i.Place(rng.uniform(south, north), rng.uniform(west, east), "bench")
            opened = node.messagebus.handle(
                i.CreateIncident(tenant.id, "FIGHT", place, by="bench"), scope=scope, actor="bench"
            )
            events.append(opened.incident.id)
        login = node.auth.login("op", "op-password", "127.0.0.1")
        return url, events, (login.token, login.principal.csrf_token or "", tenant.id)
    finally:
        node.close()


def run_store(folder: Path, url: str, events: list[uuid.UUID], tenant: uuid.UUID, count: int) -> None:
    """The API's path in process: the event read in the caller's scope, the recommendation read and
    computed in one transaction (the units through the node's reader), the view, its JSON; each phase
    timed apart, and the whole."""
    import json  # noqa: PLC0415

    from tocsin.bootstrap import bootstrap  # noqa: PLC0415
    from tocsin.config import Settings  # noqa: PLC0415
    from tocsin.domain.scope import Scope  # noqa: PLC0415

    node = bootstrap(Settings(database_url=url, var_dir=folder))
    scope = Scope.tenant(tenant)
    started = time.perf_counter()
    graph = node.router.graph()
    took = time.perf_counter() - started
    print(f"\n  in process, {count:,} units: graph read and built in {took:.2f} s")
    phases: dict[str, list[float]] = {"units read": [], "computed": [], "view": [], "JSON": []}
    timings, cpu = [], []
    reader = node.recommender.read_units

    def timed_reader(uow: Any, tenant_id: uuid.UUID) -> list[Unit]:
        began = time.thread_time()
        units = reader(uow, tenant_id)
        phases["units read"].append((time.thread_time() - began) * 1000)
        return units

    recommender = rec.Recommender(node.recommender.settings, timed_reader)
    for event_id in [*events[:5], *events]:  # the first five warm the caches, then each event once
        started, cpu_started = time.perf_counter(), time.thread_time()
        incident = node.store.read(lambda uow, e=event_id: uow.incidents.get(e), scope)
        computed = node.store.read(lambda uow, x=incident: recommender.recommend(uow, x, graph), scope)
        stamp = time.thread_time()
        view = rec.recommendation_view(computed, node.clock.now())
        viewed = time.thread_time()
        json.dumps(view)
        done = time.thread_time()
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((done - cpu_started) * 1000)
        phases["computed"].append((stamp - cpu_started) * 1000 - phases["units read"][-1])
        phases["view"].append((viewed - stamp) * 1000)
        phases["JSON"].append((done - viewed) * 1000)
    timings, cpu = timings[5:], cpu[5:]
    print(
        f"  store + recommendation p50 {statistics.median(timings):.1f} ms, p99 {_pct(timings, 0.99):.1f} ms"
        f" (CPU p50 {statistics.median(cpu):.1f}, p99 {_pct(cpu, 0.99):.1f})"
    )
    print(
        "  CPU by phase, p50 / p99 ms: "
        + "; ".join(
            f"{name} {statistics.median(v[5:]):.1f} / {_pct(v[5:], 0.99):.1f}" for name, v in phases.items()
        )
        + " (computed: the event and the types read, the search, ranking and reasons)"
    )
    node.close()


def run_http(folder: Path, url: str, events: list[uuid.UUID], login: tuple[str, str], count: int) -> None:
    """The API over HTTP: ``tocsin serve`` on the database, GET /api/v1/events/{id}/recommendation for
    each event with the operator's session (one client, one request at a time, keep-alive)."""
    import httpx2  # noqa: PLC0415
    from alarms import start_server, stop_server  # noqa: PLC0415

    from tocsin.api.deps import SESSION_COOKIE  # noqa: PLC0415

    processes, port, _dc09 = start_server(url, folder, "in-process")
    try:
        with httpx2.Client(
            base_url=f"http://127.0.0.1:{port}", cookies={SESSION_COOKIE: login[0]}, timeout=120
        ) as client:
            started = time.perf_counter()
            client.get(f"/api/v1/events/{events[0]}/recommendation").raise_for_status()
            first = time.perf_counter() - started
            timings = []
            for event_id in [*events[:5], *events]:
                if len(timings) == 5:
                    cpu_before = _cpu_s(processes[0].pid)
                started = time.perf_counter()
                answer = client.get(f"/api/v1/events/{event_id}/recommendation")
                answer.raise_for_status()
                timings.append((time.perf_counter() - started) * 1000)
            served_cpu = (_cpu_s(processes[0].pid) - cpu_before) * 1000 / len(events)
            if answer.json()["method"] != "road":
                raise SystemExit(f"the recommendation did not use the road graph: {answer.json()['note']}")
    finally:
        cpu_s = stop_server(processes)
    timings = timings[5:]
    print(
        f"  over HTTP, {count:,} units: first (graph built, snaps cold) {first * 1000:.0f} ms; then"
        f" p50 {statistics.median(timings):.1f} ms, p99 {_pct(timings, 0.99):.1f} ms;"
        f" the server's CPU {served_cpu:.1f} ms a request on average ({cpu_s:.1f} s in all, with its start)"
    )


def _cpu_s(pid: int) -> float:
    """The CPU seconds (user and system) a process has used so far (Linux's /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--segments", default=None)
    parser.add_argument("--units", default=None, help="fleet sizes (1000,5000,20000; 5000 with --store)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--store", action="store_true", help="The API's path on SQLite, in process and HTTP")
    parser.add_argument("--no-http", action="store_true", help="With --store: in process only")
    parser.add_argument("--freeze", action="store_true", help="gc.freeze() once the setup is done")
    args = parser.parse_args()
    args.segments_given = args.segments is not None
    args.segments = args.segments or "10000,100000,1000000"
    args.units = args.units or ("5000" if args.store else "1000,5000,20000")
    global FREEZE  # noqa: PLW0603 - a switch of this script
    FREEZE = args.freeze
    if args.store:
        segments = int(args.segments.split(",")[0]) if args.segments_given else 100_000
        for count in (int(n) for n in args.units.split(",")):
            with tempfile.TemporaryDirectory() as name:
                folder = Path(name)
                url, events, (session, csrf, tenant) = prepare_store(folder, count, segments, args.queries)
                print(f"\nSQLite, {segments:,} segments, {count:,} units, {args.queries} events")
                run_store(folder, url, events, tenant, count)
                if not args.no_http:
                    run_http(folder, url, events, (session, csrf), count)
        return
    counts = [int(n) for n in args.units.split(",")]
    for segments in (int(n) for n in args.segments.split(",")):
        run(segments, counts, args.queries)


if __name__ == "__main__":
    main()
