"""A site's map on the installation's own streets: the frame around a point, and the streets in it.

An operations room has no internet, so the console draws the road network it already holds (the
geographic reference) as lines, with no map tiles. This module decides what to draw: a square frame
around the site, the road segments that touch it, and those segments joined back into one line per
stretch of street, so the browser draws tens of lines rather than hundreds of two-point ones.

Distances use a flat projection (metres per degree of latitude, shrunk by the cosine of the latitude
for longitude): at a few hundred metres its error is far below a pixel.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from tocsin.domain.errors import InvalidInput
from tocsin.domain.places import check_coordinates

M_PER_DEG_LAT = 111_320.0
DEFAULT_RADIUS_M = 350
MIN_RADIUS_M = 50
MAX_RADIUS_M = 1_000
SEGMENT_LIMIT = 2_000  # road segments one map reads at most: a dense city centre at the widest frame
_MIN_COS = 0.01  # near the poles a degree of longitude is almost no distance: keep the frame finite

Point = tuple[float, float]  # latitude, longitude (WGS 84 degrees)


@dataclass(frozen=True, slots=True)
class BoundingBox:
    """A frame in WGS 84 degrees, south-west to north-east."""

    south: float
    west: float
    north: float
    east: float

    @classmethod
    def around(cls, latitude: float, longitude: float, radius_m: float) -> BoundingBox:
        """The square of side ``2 * radius_m`` centred on a point (clipped to the globe's edges)."""
        check_coordinates(latitude, longitude)
        if not MIN_RADIUS_M <= radius_m <= MAX_RADIUS_M:
            raise InvalidInput(
                f"A map radius of {radius_m:g} m is outside {MIN_RADIUS_M}..{MAX_RADIUS_M} m: choose one"
                " in that range."
            )
        d_lat = radius_m / M_PER_DEG_LAT
        d_lon = radius_m / (M_PER_DEG_LAT * max(math.cos(math.radians(latitude)), _MIN_COS))
        return cls(
            south=max(latitude - d_lat, -90.0),
            west=max(longitude - d_lon, -180.0),
            north=min(latitude + d_lat, 90.0),
            east=min(longitude + d_lon, 180.0),
        )

    def contains(self, latitude: float, longitude: float) -> bool:
        """Whether a point lies inside the frame or on its edge."""
        return self.south <= latitude <= self.north and self.west <= longitude <= self.east


def distance_m(a: Point, b: Point) -> float:
    """The distance between two nearby points, in metres (flat projection at their mean latitude)."""
    scale = math.cos(math.radians((a[0] + b[0]) / 2))
    return math.hypot((a[0] - b[0]) * M_PER_DEG_LAT, (a[1] - b[1]) * M_PER_DEG_LAT * scale)


@dataclass(frozen=True, slots=True)
class StreetPiece:
    """One road segment as a map draws it: its street's name and its two ends, with their node ids."""

    segment_id: int
    name: str
    from_node: int
    to_node: int
    start: Point
    end: Point


@dataclass(frozen=True, slots=True)
class StreetLine:
    """A line to draw: consecutive segments of one street, joined end to end."""

    name: str
    points: tuple[Point, ...]

    @property
    def length_m(self) -> float:
        """How long the line is on the map: the console labels the longest streets first."""
        return sum(distance_m(a, b) for a, b in zip(self.points, self.points[1:], strict=False))


@dataclass(frozen=True, slots=True)
class StreetMap:
    """What a site's map shows: its frame, the streets in it, and whether the segment limit cut some."""

    box: BoundingBox
    radius_m: int
    lines: tuple[StreetLine, ...]
    truncated: bool


def join_pieces(pieces: Iterable[StreetPiece]) -> list[StreetLine]:
    """Join the pieces of each street into as few lines as a walk along them gives, each piece once.

    Per street, walks start at the nodes with an odd number of pieces (the street's ends and branch
    points) and go on while an unused piece leaves the current node; whatever is left (a loop) is
    walked from any of its nodes. Streets come out by name, and the result does not depend on the
    order the pieces came in.
    """
    by_street: dict[str, list[StreetPiece]] = defaultdict(list)
    for piece in pieces:
        by_street[piece.name].append(piece)
    lines: list[StreetLine] = []
    for name in sorted(by_street):
        lines.extend(StreetLine(name, points) for points in _walks(by_street[name]))
    return lines


def _walks(pieces: list[StreetPiece]) -> list[tuple[Point, ...]]:
    ordered = sorted(pieces, key=lambda p: p.segment_id)
    at: dict[int, list[int]] = defaultdict(list)  # node id -> indexes of the pieces touching it
    where: dict[int, Point] = {}
    for index, piece in enumerate(ordered):
        at[piece.from_node].append(index)
        at[piece.to_node].append(index)
        where[piece.from_node], where[piece.to_node] = piece.start, piece.end
    used = [False] * len(ordered)
    odd = [node for node in sorted(at) if len(at[node]) % 2 == 1]
    walks: list[tuple[Point, ...]] = []
    for start in [*odd, *sorted(at)]:
        while any(not used[i] for i in at[start]):
            node, points = start, [where[start]]
            while (taken := next((i for i in at[node] if not used[i]), None)) is not None:
                used[taken] = True
                piece = ordered[taken]
                node = piece.to_node if piece.from_node == node else piece.from_node
                points.append(where[node])
            walks.append(tuple(points))
    return walks
