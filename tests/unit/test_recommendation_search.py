"""The bounded searches tried before the cutoff give the same recommendation as one search bounded by
the cutoff alone: same ranks, units, ETAs, reasons and proposed units, on a generated town with one-way
streets and a mixed fleet (busy units, units without a position, units far off the roads, a scarce
dog line), for several limits; and both kinds of answer happen (settled early, searched to the cutoff)."""

from __future__ import annotations

import math
import random
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pytest

from tocsin.adapters.routing.graph import M_PER_DEG_LAT, RoadGraph, build_graph
from tocsin.domain import incidents as i
from tocsin.domain import recommendation as r
from tocsin.domain.nomenclature import PlannedUnits
from tocsin.domain.resources import Unit
from tocsin.services import recommendation as rec

LAT0, LON0 = 47.0, 2.0
X_SCALE = M_PER_DEG_LAT * math.cos(math.radians(LAT0))
SIDE, SPACING = 30, 100.0  # 30 x 30 junctions, 1,740 segments, a town 2.9 km across
TENANT = uuid.uuid4()
NOW = datetime(2026, 12, 1, tzinfo=UTC)
PLAN = (PlannedUnits("PATROUILLE", 2), PlannedUnits("MAITRE_CHIEN", 1))


def _town(seed: int) -> RoadGraph:
    rng = random.Random(seed)  # noqa: S311 - a generated town, not a secret
    nodes, roads = [], []
    for row in range(SIDE):
        for col in range(SIDE):
            x, y = col * SPACING + rng.uniform(-15, 15), row * SPACING + rng.uniform(-15, 15)
            nodes.append((row * SIDE + col + 1, LAT0 + y / M_PER_DEG_LAT, LON0 + x / X_SCALE))
    for row in range(SIDE):
        for col in range(SIDE):
            here = row * SIDE + col + 1
            for there in (here + 1 if col + 1 < SIDE else 0, here + SIDE if row + 1 < SIDE else 0):
                if there:
                    speed = rng.choice((30.0, 50.0, 70.0))
                    roads.append((here, there, SPACING, speed, rng.random() < 0.15))
    graph = build_graph(1, nodes, roads)
    assert graph is not None
    return graph


def _fleet(count: int, seed: int) -> list[Unit]:
    rng = random.Random(seed)  # noqa: S311 - a generated town, not a secret
    span_lat, span_lon = SIDE * SPACING / M_PER_DEG_LAT, SIDE * SPACING / X_SCALE
    units = []
    for _ in range(count):
        kind, capabilities = rng.choice(
            (("police", ("intervention",)), ("guard", ("intervention",)), ("guard", ("intervention", "dog")),
             ("keyholder", ("keyholding",)), ("patrol", ("intervention",)))
        )  # fmt: skip
        where = rng.random()
        if where < 0.03:  # no position
            latitude, longitude = None, None
        elif where < 0.06:  # 5 km off the town's roads: timed from distance
            latitude, longitude = LAT0 - 0.05, LON0 + rng.uniform(0, span_lon)
        else:
            latitude, longitude = LAT0 + rng.uniform(0, span_lat), LON0 + rng.uniform(0, span_lon)
        status = "available" if rng.random() < 0.8 else rng.choice(("en_route", "on_scene", "alerted"))
        callsign = f"U {rng.randrange(400):03d}"  # shared callsigns: ties broken as the ranking does
        place = {"latitude": latitude, "longitude": longitude}
        units.append(Unit(uuid.uuid4(), TENANT, callsign, kind, capabilities, status=status, **place))
    return units


def _event(latitude: float, longitude: float) -> i.Incident:
    return i.Incident(
        id=uuid.uuid4(), tenant_id=TENANT, type_code="FIGHT", type_label_en="Fight", type_label_fr="Rixe",
        apco="FIGHT", priority=2, reflex=False, state="open", origin="operator", opened_at=NOW,
        updated_at=NOW, created_by="test", latitude=latitude, longitude=longitude,
    )  # fmt: skip


class Recording:
    """The graph, with the bound of every search asked of it."""

    def __init__(self, graph: RoadGraph) -> None:
        self.graph, self.bounds = graph, list[float]()
        self.revision, self.nodes, self.segments = graph.revision, graph.nodes, graph.segments

    def times_to(
        self, latitude: float, longitude: float, origins: Sequence[tuple[float, float]], cutoff_s: float
    ) -> r.RoadTimes:
        self.bounds.append(cutoff_s)
        return self.graph.times_to(latitude, longitude, origins, cutoff_s)


def _view(computed: rec.Computed, limit: int) -> dict[str, Any]:
    return rec.recommendation_view(computed, NOW, "fr", limit)


@pytest.mark.parametrize(
    ("units", "limit", "early"),
    [(600, 5, True), (600, 50, True), (1500, 20, True), (120, 50, False), (3000, 200, True)],
)
def test_bounded_searches_answer_as_the_search_to_the_cutoff(units: int, limit: int, early: bool) -> None:
    """``early``: whether some answers come from a bounded search (many units near every event), or
    none (120 units in the town: 50 of them are never all within 2 minutes)."""
    graph, fleet = Recording(_town(units)), _fleet(units, units + limit)
    staged = rec.RecommendSettings(stages_s=(30.0, 60.0, 120.0))
    whole = rec.RecommendSettings(stages_s=())
    rng = random.Random(limit)  # noqa: S311 - generated places
    settled = searched_on = 0
    for _ in range(25):
        span = SIDE * SPACING
        place = _event(LAT0 + rng.uniform(0, span / M_PER_DEG_LAT), LON0 + rng.uniform(0, span / X_SCALE))
        graph.bounds.clear()
        fast = rec.compute(place, PLAN, fleet, graph, staged, limit)
        bounds = list(graph.bounds)
        slow = rec.compute(place, PLAN, fleet, graph, whole, limit)
        assert _view(fast, limit) == _view(slow, limit)
        assert fast.result.able == slow.result.able
        settled += bounds[-1] < whole.cutoff_s
        searched_on += bounds[-1] == whole.cutoff_s
    assert (settled > 0) is early
    assert settled + searched_on == 25


def test_a_line_only_far_units_can_fill_searches_to_the_cutoff() -> None:
    """One dog unit, far away: the bounded search fills the patrol line but not the dog line, so the
    answer comes from the search to the cutoff, with the far dog unit proposed."""
    graph = Recording(_town(1))
    fleet = [u for u in _fleet(800, 9) if "dog" not in u.capabilities]
    far_corner = (LAT0 + (SIDE - 1) * SPACING / M_PER_DEG_LAT, LON0 + (SIDE - 1) * SPACING / X_SCALE)
    dog = Unit(uuid.uuid4(), TENANT, "Cyno", "guard", ("intervention", "dog"), latitude=far_corner[0],
               longitude=far_corner[1])  # fmt: skip
    settings = rec.RecommendSettings(stages_s=(30.0, 60.0))
    computed = rec.compute(_event(LAT0, LON0), PLAN, [*fleet, dog], graph, settings, 10)
    assert graph.bounds == [30.0, 60.0, settings.cutoff_s]
    lines = {line.unit_type: [u.callsign for u in line.chosen] for line in computed.result.plan}
    assert lines["MAITRE_CHIEN"] == ["Cyno"]
    assert len(lines["PATROUILLE"]) == 2
