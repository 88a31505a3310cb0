"""The in-memory twin of the geographic reference's reads (:class:`tocsin.services.ports.GeoReference`).

The road network is loaded once and never changed in place (a load makes a new :class:`RoadNetwork`),
so every transaction's copy of the state shares it instead of copying thousands of nodes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import MappingProxyType
from typing import Protocol

from tocsin.domain.geo import Address, RoadNode, RoadSegment
from tocsin.domain.street_map import BoundingBox, StreetPiece


@dataclass(frozen=True)
class RoadNetwork:
    """Road nodes by id and road segments: a value, replaced whole when more is loaded."""

    nodes: Mapping[int, RoadNode] = field(default_factory=lambda: MappingProxyType({}))
    segments: tuple[RoadSegment, ...] = ()
    addresses: Mapping[int, Address] = field(default_factory=lambda: MappingProxyType({}))
    address_revision: int = 0

    def with_added(self, nodes: Iterable[RoadNode], segments: Iterable[RoadSegment]) -> RoadNetwork:
        """This network and more nodes and segments (their nodes must be known)."""
        merged = {**self.nodes, **{node.id: node for node in nodes}}
        added = tuple(segments)
        missing = {n for s in added for n in (s.from_node, s.to_node)} - merged.keys()
        if missing:
            raise ValueError(f"road segments name unknown nodes {sorted(missing)}")
        return replace(self, nodes=MappingProxyType(merged), segments=self.segments + added)


class _HoldsNetwork(Protocol):
    geo: RoadNetwork


class InMemoryGeoReference:
    """Reads a :class:`RoadNetwork` as the SQL adapter reads its tables; address writes replace the
    holder's network whole (so a transaction that fails leaves the committed one untouched)."""

    def __init__(self, network: RoadNetwork, holder: _HoldsNetwork | None = None) -> None:
        self._network = network
        self._holder = holder

    def address_revision(self) -> int:
        return self._network.address_revision

    def addresses(self) -> Iterator[Address]:
        return iter(sorted(self._network.addresses.values(), key=lambda a: a.id))

    def put_addresses(self, addresses: Sequence[Address]) -> tuple[int, int]:
        current = self._network.addresses
        ids = {a.id for a in addresses}
        updated = len(ids & current.keys())
        merged = {**current, **{a.id: a for a in addresses}}
        self._replace(replace(self._network, addresses=MappingProxyType(merged)))
        return len(ids) - updated, updated

    def addresses_changed(self, at: datetime) -> int:
        del at
        self._replace(replace(self._network, address_revision=self._network.address_revision + 1))
        return self._network.address_revision

    def road_nodes(self) -> Iterator[tuple[int, float, float]]:
        return iter((n.id, n.latitude, n.longitude) for n in self._network.nodes.values())

    def road_segments(self) -> Iterator[tuple[int, int, float, float, bool]]:
        return iter(
            (s.from_node, s.to_node, s.length_m, float(s.speed_kmh), s.oneway) for s in self._network.segments
        )

    def replace_roads(self, nodes: Sequence[RoadNode], segments: Sequence[RoadSegment]) -> None:
        empty = replace(self._network, nodes=MappingProxyType({}), segments=())
        self._replace(empty.with_added(nodes, segments))

    def _replace(self, network: RoadNetwork) -> None:
        if self._holder is None:
            raise RuntimeError("this geographic reference is read-only")
        self._network = network
        self._holder.geo = network

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
