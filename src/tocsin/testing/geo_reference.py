"""The in-memory twin of the geographic reference's reads (:class:`tocsin.services.ports.GeoReference`).

The road network is loaded once and never changed in place (a load makes a new :class:`RoadNetwork`),
so every transaction's copy of the state shares it instead of copying thousands of nodes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from tocsin.domain.geo import RoadNode, RoadSegment
from tocsin.domain.street_map import BoundingBox, StreetPiece


@dataclass(frozen=True)
class RoadNetwork:
    """Road nodes by id and road segments: a value, replaced whole when more is loaded."""

    nodes: Mapping[int, RoadNode] = field(default_factory=lambda: MappingProxyType({}))
    segments: tuple[RoadSegment, ...] = ()

    def with_added(self, nodes: Iterable[RoadNode], segments: Iterable[RoadSegment]) -> RoadNetwork:
        """This network and more nodes and segments (their nodes must be known)."""
        merged = {**self.nodes, **{node.id: node for node in nodes}}
        added = tuple(segments)
        missing = {n for s in added for n in (s.from_node, s.to_node)} - merged.keys()
        if missing:
            raise ValueError(f"road segments name unknown nodes {sorted(missing)}")
        return RoadNetwork(MappingProxyType(merged), self.segments + added)


class InMemoryGeoReference:
    """Reads a :class:`RoadNetwork` as the SQL adapter reads its tables."""

    def __init__(self, network: RoadNetwork) -> None:
        self._network = network

    def pieces_within(self, box: BoundingBox, limit: int) -> tuple[list[StreetPiece], bool]:
        nodes = self._network.nodes
        centre_lat, centre_lon = (box.south + box.north) / 2, (box.west + box.east) / 2
        shrink = math.cos(math.radians(centre_lat))

        def key(piece: StreetPiece) -> tuple[float, int]:
            d_lat = (piece.start[0] + piece.end[0]) / 2 - centre_lat
            d_lon = ((piece.start[1] + piece.end[1]) / 2 - centre_lon) * shrink
            return d_lat * d_lat + d_lon * d_lon, piece.segment_id

        found = sorted(
            (
                StreetPiece(
                    s.id,
                    s.name,
                    s.from_node,
                    s.to_node,
                    (nodes[s.from_node].latitude, nodes[s.from_node].longitude),
                    (nodes[s.to_node].latitude, nodes[s.to_node].longitude),
                )
                for s in self._network.segments
                if box.contains(nodes[s.from_node].latitude, nodes[s.from_node].longitude)
                or box.contains(nodes[s.to_node].latitude, nodes[s.to_node].longitude)
            ),
            key=key,
        )
        limit = max(limit, 0)
        return found[:limit], len(found) > limit
