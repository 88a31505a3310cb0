"""Unit recommendation benchmark: latency at city scale, graph build timed apart.

For each road graph size (a generated town: a jittered grid of streets, 100 m apart, a tenth of them one
way, speeds 30/50/70 km/h) and each fleet size (units scattered anywhere in the town, off the junctions,
a patrol each), the script times:

- the graph's build from its rows (what a node does once per revision of the road tables);
- the first recommendation (every unit snapped to its street: the snap memory is cold);
- then Q recommendations for events at random places: p50 / p99 of the whole in-process computation
  (one reverse Dijkstra with the 30 min cutoff, every unit's time, the plan filled, the ranking and the
  reasons, the JSON view of the 50 first), and apart the road search alone (``times_to``).

The store is left out (the units are in memory), so the figures are the recommendation's own; reading
5,000 units from the database is the API's extra cost, measured by ``--store`` on SQLite.
Target (issue 14): p99 < 50 ms at 5,000 units and 100,000 segments. Figures are printed, never asserted.

    python benchmarks/recommend.py [--segments 10000,100000,1000000] [--units 1000,5000,20000] [--queries 200]
    python benchmarks/recommend.py --store   # the API's path on SQLite, 5,000 units, 100,000 segments
"""

from __future__ import annotations

import argparse
import gc
import math
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
            f" road search alone p50 {statistics.median(search):6.1f} ms, p99 {_pct(search, 0.99):6.1f} ms"
        )


def run_store(queries: int) -> None:
    """The API's path in process on SQLite: read the event, the tenant's 5,000 units and its types,
    then compute (the graph built once, as a node does)."""
    from tocsin.adapters.store import migrate  # noqa: PLC0415 - only this mode needs a store
    from tocsin.bootstrap import bootstrap  # noqa: PLC0415
    from tocsin.config import Settings  # noqa: PLC0415
    from tocsin.domain import commands as c  # noqa: PLC0415
    from tocsin.domain.geo import RoadNode, RoadSegment  # noqa: PLC0415
    from tocsin.domain.scope import Scope  # noqa: PLC0415

    folder = Path(tempfile.mkdtemp(prefix="tocsin-recommend-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    migrate.upgrade(url)
    node = bootstrap(Settings(database_url=url, var_dir=folder))
    nodes, roads = town(100_000)
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
    corners = [
        (min(n[1] for n in nodes), min(n[2] for n in nodes)),
        (max(n[1] for n in nodes), max(n[2] for n in nodes)),
    ]
    units = fleet(5000, corners)

    def add_units(uow: Any) -> None:
        uow.units.add_many(
            [Unit(**{**{s: getattr(u, s) for s in Unit.__slots__}, "tenant_id": tenant.id}) for u in units]
        )

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
    started = time.perf_counter()
    graph = node.router.graph()
    took = time.perf_counter() - started
    print(f"\nSQLite, 100,000 segments, 5,000 units: graph read and built in {took:.2f} s")
    timings, cpu = [], []
    for event_id in events:
        started, cpu_started = time.perf_counter(), time.thread_time()
        incident = node.store.read(lambda uow, e=event_id: uow.incidents.get(e), scope)
        computed = node.store.read(lambda uow, x=incident: node.recommender.recommend(uow, x, graph), scope)
        rec.recommendation_view(computed, node.clock.now())
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - cpu_started) * 1000)
    print(
        f"  store + recommendation p50 {statistics.median(timings):.1f} ms, p99 {_pct(timings, 0.99):.1f} ms"
        f" (CPU p50 {statistics.median(cpu):.1f}, p99 {_pct(cpu, 0.99):.1f})"
    )
    node.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--segments", default="10000,100000,1000000")
    parser.add_argument("--units", default="1000,5000,20000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--store", action="store_true", help="The API's path on SQLite (5,000 units)")
    parser.add_argument("--freeze", action="store_true", help="gc.freeze() once the setup is done")
    args = parser.parse_args()
    global FREEZE  # noqa: PLW0603 - a switch of this script
    FREEZE = args.freeze
    if args.store:
        run_store(args.queries)
        return
    counts = [int(n) for n in args.units.split(",")]
    for segments in (int(n) for n in args.segments.split(",")):
        run(segments, counts, args.queries)


if __name__ == "__main__":
    main()
