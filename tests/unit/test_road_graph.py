"""The road graph's drive times equal an independent shortest path on the same network: on a small
hand-made town with one-way streets (points on junctions and mid-street), and on the demo town."""

from __future__ import annotations

import heapq
import itertools
import math
import random
from collections import defaultdict
from collections.abc import Iterable

import pytest

from tocsin.adapters.routing.graph import M_PER_DEG_LAT, RoadGraph, build_graph
from tocsin.demo.plan import DEFAULT_SEED
from tocsin.demo.town import build_town

LAT0, LON0 = 47.0, 2.0
X_SCALE = M_PER_DEG_LAT * math.cos(math.radians(LAT0))

# (from, to, speed km/h, one way), on a 100 m grid of nodes 1..9:
#   7 - 8 - 9
#   |   |   |
#   4 - 5 - 6      4 -> 5 -> 6 one way eastbound, 2 -> 5 one way northbound
#   |   |   |
#   1 - 2 - 3
GRID = {n: ((n - 1) % 3 * 100.0, (n - 1) // 3 * 100.0) for n in range(1, 10)}
STREETS = [
    (1, 2, 30, False),
    (2, 3, 30, False),
    (4, 5, 50, True),
    (5, 6, 50, True),
    (7, 8, 30, False),
    (8, 9, 30, False),
    (1, 4, 30, False),
    (4, 7, 30, False),
    (2, 5, 50, True),
    (5, 8, 30, False),
    (3, 6, 30, False),
    (6, 9, 30, False),
]


def _degrees(x: float, y: float) -> tuple[float, float]:
    return LAT0 + y / M_PER_DEG_LAT, LON0 + x / X_SCALE


def _hand_made() -> RoadGraph:
    nodes = [(n, *_degrees(*GRID[n])) for n in GRID]
    segments = [(a, b, 100.0, float(speed), oneway) for a, b, speed, oneway in STREETS]
    graph = build_graph(7, nodes, segments)
    assert graph is not None
    return graph


Edge = tuple[str, str, float]


def reference_times(edges: Iterable[Edge], target: str) -> dict[str, float]:
    """Seconds from every node to ``target``: a plain Dijkstra over reversed edges, written here."""
    arriving: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for start, end, seconds in edges:
        arriving[end].append((start, seconds))
    best = {target: 0.0}
    queue = [(0.0, target)]
    while queue:
        time, node = heapq.heappop(queue)
        if time > best.get(node, math.inf):
            continue
        for start, seconds in arriving[node]:
            if time + seconds < best.get(start, math.inf):
                best[start] = time + seconds
                heapq.heappush(queue, (time + seconds, start))
    return best


def _split_edges(points: dict[str, tuple[int, int, float]]) -> list[Edge]:
    """The hand-made town's directed edges, each street cut where a named point lies on it."""
    edges: list[Edge] = []
    for a, b, speed, oneway in STREETS:
        seconds = 100.0 / (speed / 3.6)
        cuts = sorted((f, name) for name, (x, y, f) in points.items() if (x, y) == (a, b))
        chain = [(0.0, str(a)), *cuts, (1.0, str(b))]
        for (f1, n1), (f2, n2) in itertools.pairwise(chain):
            edges.append((n1, n2, (f2 - f1) * seconds))
            if not oneway:
                edges.append((n2, n1, (f2 - f1) * seconds))
    return edges


def _on_street(a: int, b: int, fraction: float) -> tuple[float, float]:
    (xa, ya), (xb, yb) = GRID[a], GRID[b]
    return _degrees(xa + (xb - xa) * fraction, ya + (yb - ya) * fraction)


def test_times_between_junctions_follow_one_way_streets() -> None:
    """To junction 4 from 6: not back along the one-way 5→6 but round by 9, 8, 7 (or 3, 2, 1)."""
    graph = _hand_made()
    origins = [_degrees(*GRID[n]) for n in GRID]
    answer = graph.times_to(*_degrees(*GRID[4]), origins, cutoff_s=3600)
    expected = reference_times(_split_edges({}), "4")
    for n, seconds in zip(GRID, answer.seconds, strict=True):
        assert seconds == pytest.approx(expected[str(n)], abs=0.05), n
    assert answer.seconds[5] == pytest.approx(4 * 12.0, abs=0.05)  # 6 → 9 → 8 → 7 → 4 at 30 km/h
    assert answer.target_offset_m == pytest.approx(0.0, abs=0.01)


def test_points_in_the_middle_of_streets_pay_the_part_they_drive() -> None:
    """An event a third of the way along 5→6 (one way) and units mid-street anywhere: the times equal a
    reference that cuts the streets at those points."""
    graph = _hand_made()
    event = (5, 6, 1 / 3)
    units = {"u1": (4, 5, 0.5), "u2": (5, 6, 0.8), "u3": (5, 6, 0.1), "u4": (2, 5, 0.5), "u5": (8, 9, 0.25)}
    expected = reference_times(_split_edges({"event": event, **units}), "event")
    answer = graph.times_to(*_on_street(*event), [_on_street(*u) for u in units.values()], cutoff_s=3600)
    for name, seconds in zip(units, answer.seconds, strict=True):
        assert seconds == pytest.approx(expected[name], abs=0.05), name
    assert max(answer.origin_offset_m) < 0.01


def test_the_cutoff_leaves_farther_units_untimed() -> None:
    """With a 20 s cutoff the neighbour junction is timed, the far corner is not (infinite)."""
    graph = _hand_made()
    answer = graph.times_to(*_degrees(*GRID[1]), [_degrees(*GRID[2]), _degrees(*GRID[9])], cutoff_s=20)
    assert answer.seconds[0] == pytest.approx(12.0, abs=0.05)
    assert answer.seconds[1] == math.inf


def test_a_point_off_the_road_is_snapped_to_its_nearest_street() -> None:
    """A point 30 m north of the middle of 1-2 snaps on that street, 30 m off it."""
    graph = _hand_made()
    answer = graph.times_to(*_degrees(50.0, 30.0), [_degrees(*GRID[1])], cutoff_s=3600)
    assert answer.target_offset_m == pytest.approx(30.0, abs=0.5)
    assert answer.seconds[0] == pytest.approx(6.0, abs=0.05)


def test_no_segment_means_no_graph() -> None:
    """A reference without roads gives no graph (the recommendation then estimates from distance)."""
    assert build_graph(1, [(1, LAT0, LON0)], []) is None
    assert build_graph(1, [], []) is None


def test_the_demo_towns_times_equal_an_independent_dijkstra() -> None:
    """On the demo town (one-way streets included), from 40 random junctions to 5 random events."""
    town = build_town(random.Random(DEFAULT_SEED))  # noqa: S311 - the demo town, not secrets
    graph = build_graph(
        1,
        [(n.id, n.latitude, n.longitude) for n in town.nodes],
        [(s.from_node, s.to_node, s.length_m, s.speed_kmh, s.oneway) for s in town.segments],
    )
    assert graph is not None
    assert any(s.oneway for s in town.segments)
    edges: list[Edge] = []
    for s in town.segments:
        edges.append((str(s.from_node), str(s.to_node), s.seconds))
        if not s.oneway:
            edges.append((str(s.to_node), str(s.from_node), s.seconds))
    rng = random.Random(5)  # noqa: S311 - test data
    for event in rng.sample(town.nodes, 5):
        units = rng.sample(town.nodes, 40)
        answer = graph.times_to(
            event.latitude, event.longitude, [(u.latitude, u.longitude) for u in units], 3600
        )
        expected = reference_times(edges, str(event.id))
        for unit, seconds in zip(units, answer.seconds, strict=True):
            assert seconds == pytest.approx(expected.get(str(unit.id), math.inf), abs=0.05)
        ours = sorted(range(len(units)), key=lambda i: (round(answer.seconds[i], 3), i))
        theirs = sorted(range(len(units)), key=lambda i: (round(expected[str(units[i].id)], 3), i))
        assert ours == theirs
