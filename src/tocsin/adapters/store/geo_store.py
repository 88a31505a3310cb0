"""The geographic reference in SQL: bulk loading and simple reads, on the caller's connection.

These functions run inside whatever transaction the caller holds. Address search is a plain
``LIKE`` on the normalised text, word by word; a real geocoder comes later. A map's streets are the
segments with an end among the nodes inside a frame: the nodes are filtered on their coordinates and
the segments reached through their indexed ``from_node`` and ``to_node``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any, TypeVar

from sqlalchemy import Connection, Table, func, insert, or_, select
from sqlalchemy.orm import Session

from tocsin.adapters.store.geo_rows import AddressRow, RoadNodeRow, RoadSegmentRow
from tocsin.domain.geo import Address, RoadNode, RoadSegment, normalize_address_text
from tocsin.domain.street_map import BoundingBox, StreetPiece

BATCH = 1_000
T = TypeVar("T")

_NODES: Table = RoadNodeRow.__table__  # type: ignore[assignment]  # declarative classes carry a Table
_SEGMENTS: Table = RoadSegmentRow.__table__  # type: ignore[assignment]
_ADDRESSES: Table = AddressRow.__table__  # type: ignore[assignment]


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _insert(connection: Connection, table: Table, rows: Iterable[dict[str, Any]]) -> int:
    count = 0
    for batch in _batches(rows, BATCH):
        connection.execute(insert(table), batch)
        count += len(batch)
    return count


def has_geo_reference(connection: Connection) -> bool:
    """Whether any road node or address is stored."""
    nodes = connection.execute(select(_NODES.c.id).limit(1)).first()
    return nodes is not None or count_addresses(connection) > 0


def insert_geo_reference(
    connection: Connection,
    nodes: Sequence[RoadNode],
    segments: Sequence[RoadSegment],
    addresses: Sequence[Address],
) -> int:
    """Insert a road network and its addresses in batches; return how many rows were written."""
    written = _insert(
        connection,
        _NODES,
        ({"id": n.id, "latitude": n.latitude, "longitude": n.longitude} for n in nodes),
    )
    written += _insert(
        connection,
        _SEGMENTS,
        (
            {
                "id": s.id,
                "from_node": s.from_node,
                "to_node": s.to_node,
                "length_m": s.length_m,
                "speed_kmh": s.speed_kmh,
                "name": s.name,
                "oneway": s.oneway,
            }
            for s in segments
        ),
    )
    written += _insert(connection, _ADDRESSES, (_address_values(a) for a in addresses))
    return written


def _address_values(address: Address) -> dict[str, Any]:
    return {
        "id": address.id,
        "number": address.number,
        "street": address.street,
        "postcode": address.postcode,
        "city": address.city,
        "latitude": address.latitude,
        "longitude": address.longitude,
        "search_text": address.search_text,
    }


def count_addresses(connection: Connection) -> int:
    """How many addresses the reference holds."""
    return int(connection.execute(select(func.count()).select_from(_ADDRESSES)).scalar_one())


def count_road_network(connection: Connection) -> tuple[int, int]:
    """How many road nodes and road segments the reference holds."""
    nodes = connection.execute(select(func.count()).select_from(_NODES)).scalar_one()
    segments = connection.execute(select(func.count()).select_from(_SEGMENTS)).scalar_one()
    return int(nodes), int(segments)


def _like_pattern(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_addresses(connection: Connection, text: str, limit: int = 20) -> list[Address]:
    """Addresses whose normalised text contains every word of ``text``, by street and number."""
    words = normalize_address_text(text).split()
    if not words or limit < 1:
        return []
    stmt = select(_ADDRESSES)
    for word in words:
        stmt = stmt.where(_ADDRESSES.c.search_text.like(_like_pattern(word), escape="\\"))
    stmt = stmt.order_by(_ADDRESSES.c.street, func.length(_ADDRESSES.c.number), _ADDRESSES.c.number)
    return [
        Address(
            id=row.id,
            number=row.number,
            street=row.street,
            postcode=row.postcode,
            city=row.city,
            latitude=row.latitude,
            longitude=row.longitude,
        )
        for row in connection.execute(stmt.limit(limit))
    ]


def street_pieces_within(
    connection: Connection, box: BoundingBox, limit: int
) -> tuple[list[StreetPiece], bool]:
    """The segments with an end inside ``box``, nearest the frame's centre first (so a cut keeps the
    heart of the map), at most ``limit``; and whether the limit left some out."""
    start, end = _NODES.alias("start"), _NODES.alias("end")
    segments = _SEGMENTS.c
    inside = (  # a CTE used twice: both databases compute it once
        select(_NODES.c.id)
        .where(
            _NODES.c.latitude.between(box.south, box.north), _NODES.c.longitude.between(box.west, box.east)
        )
        .cte("inside")
    )
    centre_lat, centre_lon = (box.south + box.north) / 2, (box.west + box.east) / 2
    shrink = math.cos(math.radians(centre_lat))  # a degree of longitude is shorter than one of latitude
    d_lat = (start.c.latitude + end.c.latitude) / 2 - centre_lat
    d_lon = ((start.c.longitude + end.c.longitude) / 2 - centre_lon) * shrink
    stmt = (
        select(
            segments.id,
            segments.name,
            segments.from_node,
            segments.to_node,
            start.c.latitude,
            start.c.longitude,
            end.c.latitude,
            end.c.longitude,
        )
        .join(start, start.c.id == segments.from_node)
        .join(end, end.c.id == segments.to_node)
        .where(or_(segments.from_node.in_(select(inside.c.id)), segments.to_node.in_(select(inside.c.id))))
        .order_by(d_lat * d_lat + d_lon * d_lon, segments.id)
        .limit(max(limit, 0) + 1)
    )
    rows = connection.execute(stmt).all()
    pieces = [
        StreetPiece(row[0], row[1], row[2], row[3], (row[4], row[5]), (row[6], row[7]))
        for row in rows[: max(limit, 0)]
    ]
    return pieces, len(rows) > len(pieces)


class SqlGeoReference:
    """The geographic reference, read through a unit of work's session."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def pieces_within(self, box: BoundingBox, limit: int) -> tuple[list[StreetPiece], bool]:
        return street_pieces_within(self._session.connection(), box, limit)
