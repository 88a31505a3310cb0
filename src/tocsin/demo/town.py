"""The demo town, Valmont-sur-Loire: a road network and its addresses, made from a seed.

Pure and deterministic: one ``random.Random(seed)``, no clock, no I/O, so the same seed always gives
the same town, byte for byte. The town is a jittered grid of streets inside four boulevards, crossed
by avenues, with a ring road joined to the boulevards by four roads out of town.
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass

from tocsin.demo import names as n
from tocsin.domain.geo import Address, RoadNode, RoadSegment

GRID = 20  # streets each way
SPACING_M = 110.0
JITTER_M = 12.0
AVENUE_LINES = (6, 13)
RING_NODES = 32
RING_RADIUS_M = 1_900.0
HOUSE_OFFSET_M = 9.0
SPEEDS = {"residential": 30, "avenue": 50, "boulevard": 70, "ring": 90}
_M_PER_DEG_LAT = 111_320.0
_M_PER_DEG_LON = _M_PER_DEG_LAT * math.cos(math.radians(n.CENTRE[0]))


@dataclass(frozen=True, slots=True)
class Town:
    """A town's geographic reference: road nodes, road segments and addresses along them."""

    name: str
    postcode: str
    nodes: tuple[RoadNode, ...]
    segments: tuple[RoadSegment, ...]
    addresses: tuple[Address, ...]


def to_degrees(x_m: float, y_m: float) -> tuple[float, float]:
    """Latitude and longitude of a point given in metres east and north of the town square."""
    return (
        round(n.CENTRE[0] + y_m / _M_PER_DEG_LAT, 7),
        round(n.CENTRE[1] + x_m / _M_PER_DEG_LON, 7),
    )


def to_metres(latitude: float, longitude: float) -> tuple[float, float]:
    """Metres east and north of the town square (a flat projection, fine at a town's scale)."""
    return (longitude - n.CENTRE[1]) * _M_PER_DEG_LON, (latitude - n.CENTRE[0]) * _M_PER_DEG_LAT


@dataclass(frozen=True, slots=True)
class _Street:
    name: str
    kind: str
    nodes: tuple[int, ...]  # in the order the numbering runs
    oneway: bool = False


class _Builder:
    """Collects nodes (kept in metres until the end), streets, segments and addresses."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.points: dict[int, tuple[float, float]] = {}
        self.streets: list[_Street] = []

    def node(self, node_id: int, x: float, y: float, jitter: float = JITTER_M) -> int:
        self.points[node_id] = (
            x + self.rng.uniform(-jitter, jitter),
            y + self.rng.uniform(-jitter, jitter),
        )
        return node_id

    def length(self, a: int, b: int) -> float:
        (ax, ay), (bx, by) = self.points[a], self.points[b]
        return round(math.hypot(bx - ax, by - ay), 1)


def _grid_id(row: int, col: int) -> int:
    return row * GRID + col + 1


def _line_kind(index: int) -> str:
    if index in (0, GRID - 1):
        return "boulevard"
    return "avenue" if index in AVENUE_LINES else "residential"


def _grid(b: _Builder) -> None:
    half = (GRID - 1) / 2
    for row in range(GRID):
        for col in range(GRID):
            b.node(_grid_id(row, col), (col - half) * SPACING_M, (row - half) * SPACING_M)


def _street_names(rng: random.Random, count: int) -> list[str]:
    parts = rng.sample([*n.PEOPLE, *n.TREES, *n.TRADES, *n.PLACES], count)
    kinds = [k for k, weight in n.STREET_KINDS for _ in range(weight)]
    return [f"{rng.choice(kinds)} {part}" for part in parts]


def _grid_streets(b: _Builder) -> None:
    """Boulevards round the edge, avenues across, residential streets cut at the avenues."""
    rng = b.rng
    boulevards = iter(rng.sample(n.BOULEVARDS, 4))
    avenues = iter(rng.sample(n.AVENUES, 2 * len(AVENUE_LINES)))
    cuts = (0, *AVENUE_LINES, GRID - 1)
    pieces = 2 * (GRID - 2 - len(AVENUE_LINES)) * (len(cuts) - 1)
    residential = iter(_street_names(rng, pieces))
    for horizontal in (True, False):
        for line in range(GRID):
            ids = [_grid_id(line, i) if horizontal else _grid_id(i, line) for i in range(GRID)]
            kind = _line_kind(line)
            if kind != "residential":
                name = next(boulevards if kind == "boulevard" else avenues)
                b.streets.append(_Street(name, kind, tuple(ids)))
                continue
            for start, end in itertools.pairwise(cuts):
                run = ids[start : end + 1]
                oneway = horizontal and rng.random() < 0.3
                if oneway and rng.random() < 0.5:
                    run.reverse()
                b.streets.append(_Street(next(residential), kind, tuple(run), oneway))


def _ring_and_exits(b: _Builder) -> None:
    """The ring road, and one road out of town from the middle of each boulevard to the ring."""
    first = GRID * GRID + 1
    ring = [
        b.node(
            first + i,
            RING_RADIUS_M * math.cos(2 * math.pi * i / RING_NODES),
            RING_RADIUS_M * math.sin(2 * math.pi * i / RING_NODES),
            jitter=30.0,
        )
        for i in range(RING_NODES)
    ]
    b.streets.append(_Street(n.RING, "ring", (*ring, ring[0])))
    middle, quarter = GRID // 2, RING_NODES // 4
    gates = (  # north, east, south, west: the grid cell and the ring node (counted from east) it meets
        ((GRID - 1, middle), quarter),
        ((middle, GRID - 1), 0),
        ((0, middle), 3 * quarter),
        ((middle, 0), 2 * quarter),
    )
    for k, (name, ((row, col), ring_index)) in enumerate(zip(n.EXITS, gates, strict=True)):
        start = _grid_id(row, col)
        sx, sy = b.points[start]
        ring_node = ring[ring_index]
        rx, ry = b.points[ring_node]
        halfway = b.node(first + RING_NODES + k, (sx + rx) / 2, (sy + ry) / 2, jitter=40.0)
        b.streets.append(_Street(name, "boulevard", (start, halfway, ring_node)))


def _segments(b: _Builder) -> list[RoadSegment]:
    segments: list[RoadSegment] = []
    for street in b.streets:
        for a, z in itertools.pairwise(street.nodes):
            segments.append(
                RoadSegment(
                    id=len(segments) + 1,
                    from_node=a,
                    to_node=z,
                    length_m=b.length(a, z),
                    speed_kmh=SPEEDS[street.kind],
                    name=street.name,
                    oneway=street.oneway,
                )
            )
    return segments


def _houses_per_side(rng: random.Random, kind: str) -> int:
    if kind == "residential":
        return rng.choice((1, 2, 2, 3))
    return rng.choice((1, 2))


def _addresses(b: _Builder) -> list[Address]:
    """Houses along every town street: odd numbers on the left, even on the right, from its start."""
    out: list[Address] = []
    for street in b.streets:
        if street.kind == "ring" or street.name in n.EXITS:
            continue
        numbers = {1: 1, -1: 2}  # side (+1 = left) -> next number
        for a, z in itertools.pairwise(street.nodes):
            (ax, ay), (zx, zy) = b.points[a], b.points[z]
            length = math.hypot(zx - ax, zy - ay)
            normal = (-(zy - ay) / length, (zx - ax) / length)
            for side in (1, -1):
                count = _houses_per_side(b.rng, street.kind)
                for i in range(count):
                    t = (i + 0.5) / count + b.rng.uniform(-0.08, 0.08)
                    x = ax + t * (zx - ax) + side * HOUSE_OFFSET_M * normal[0]
                    y = ay + t * (zy - ay) + side * HOUSE_OFFSET_M * normal[1]
                    out.append(_address(len(out) + 1, numbers[side], street.name, x, y))
                    numbers[side] += 2
    return out


def _address(address_id: int, number: int, street: str, x: float, y: float) -> Address:
    latitude, longitude = to_degrees(x, y)
    return Address(
        id=address_id,
        number=str(number),
        street=street,
        postcode=n.POSTCODE,
        city=n.TOWN,
        latitude=latitude,
        longitude=longitude,
    )


def build_town(rng: random.Random) -> Town:
    """Draw the town from ``rng``: the same generator state always gives the same town."""
    b = _Builder(rng)
    _grid(b)
    _grid_streets(b)
    _ring_and_exits(b)
    nodes = tuple(RoadNode(i, *to_degrees(*b.points[i])) for i in sorted(b.points))
    segments = tuple(_segments(b))
    return Town(
        name=n.TOWN, postcode=n.POSTCODE, nodes=nodes, segments=segments, addresses=tuple(_addresses(b))
    )


def distance_to_segment_m(
    point: tuple[float, float], start: tuple[float, float], end: tuple[float, float]
) -> float:
    """Metres from a point to a straight segment, all given as (latitude, longitude)."""
    (px, py), (ax, ay), (bx, by) = to_metres(*point), to_metres(*start), to_metres(*end)
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))
