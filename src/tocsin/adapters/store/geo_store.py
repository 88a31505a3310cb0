"""The geographic reference in SQL: bulk loading and simple reads, on the caller's connection.

These functions run inside whatever transaction the caller holds. :func:`search_addresses` is a plain
``LIKE`` on the normalised text, word by word (the typo-tolerant geocoder is an in-process index built
from :func:`iter_addresses`, see :mod:`tocsin.adapters.geo.address_index`); imports upsert addresses by
id and bump ``geo_revision``, which tells every node's index to rebuild. A map's streets are the
segments with an end among the nodes inside a frame: the nodes are filtered on their coordinates and
the segments reached through their indexed ``from_node`` and ``to_node``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from itertools import islice
from typing import Any, TypeVar

from sqlalchemy import Connection, Table, delete, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tocsin.adapters.store.geo_rows import AddressRow, GeoRevisionRow, RoadNodeRow, RoadSegmentRow
from tocsin.domain.geo import Address, RoadNode, RoadSegment, normalize_address_text
from tocsin.domain.street_map import BoundingBox, StreetPiece

BATCH = 1_000
T = TypeVar("T")

_NODES: Table = RoadNodeRow.__table__  # type: ignore[assignment]  # declarative classes carry a Table
_SEGMENTS: Table = RoadSegmentRow.__table__  # type: ignore[assignment]
_ADDRESSES: Table = AddressRow.__table__  # type: ignore[assignment]
_REVISION: Table = GeoRevisionRow.__table__  # type: ignore[assignment]


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
    return [_address(row) for row in connection.execute(stmt.limit(limit))]


def _address(row: Any) -> Address:
    return Address(
        id=row.id,
        number=row.number,
        street=row.street,
        postcode=row.postcode,
        city=row.city,
        latitude=row.latitude,
        longitude=row.longitude,
    )


def iter_addresses(connection: Connection) -> Iterator[Address]:
    """Every address, streamed in batches (a server-side cursor on PostgreSQL), in id order."""
    columns = _ADDRESSES.c
    stmt = select(
        columns.id,
        columns.number,
        columns.street,
        columns.postcode,
        columns.city,
        columns.latitude,
        columns.longitude,
    ).order_by(columns.id)
    for row in connection.execute(stmt.execution_options(yield_per=BATCH * 5)):
        yield _address(row)


def upsert_addresses(connection: Connection, addresses: Sequence[Address]) -> tuple[int, int]:
    """Insert these addresses, or update those whose id is already stored; return (added, updated)."""
    if not addresses:
        return 0, 0
    ids = [a.id for a in addresses]
    existing = set(connection.execute(select(_ADDRESSES.c.id).where(_ADDRESSES.c.id.in_(ids))).scalars())
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(_ADDRESSES)
    stmt = stmt.on_conflict_do_update(
        index_elements=[_ADDRESSES.c.id],
        set_={name: stmt.excluded[name] for name in _address_values(addresses[0]) if name != "id"},
    )
    connection.execute(stmt, [_address_values(a) for a in addresses])
    updated = len(existing)
    return len(set(ids)) - updated, updated


def address_revision(connection: Connection) -> int:
    """How many times the address table was changed by a load or an import (0 before the first)."""
    found = connection.execute(select(_REVISION.c.revision).where(_REVISION.c.id == 1)).scalar()
    return int(found or 0)


def bump_address_revision(connection: Connection, at: datetime) -> int:
    """Record a change to the address table (in the caller's transaction); return the new revision."""
    revision = address_revision(connection) + 1
    if revision == 1:
        connection.execute(insert(_REVISION).values(id=1, revision=1, changed_at=at))
    else:
        connection.execute(
            update(_REVISION).where(_REVISION.c.id == 1).values(revision=revision, changed_at=at)
        )
    return revision


def iter_road_nodes(connection: Connection) -> Iterator[tuple[int, float, float]]:
    """Every road node as ``(id, latitude, longitude)``, streamed in batches."""
    columns = _NODES.c
    stmt = select(columns.id, columns.latitude, columns.longitude)
    for row in connection.execute(stmt.execution_options(yield_per=BATCH * 20)):
        yield int(row[0]), float(row[1]), float(row[2])


def iter_road_segments(connection: Connection) -> Iterator[tuple[int, int, float, float, bool]]:
    """Every road segment as ``(from node, to node, length m, speed km/h, one way)``, streamed."""
    columns = _SEGMENTS.c
    stmt = select(columns.from_node, columns.to_node, columns.length_m, columns.speed_kmh, columns.oneway)
    for row in connection.execute(stmt.execution_options(yield_per=BATCH * 20)):
        yield int(row[0]), int(row[1]), float(row[2]), float(row[3]), bool(row[4])


def replace_roads(connection: Connection, nodes: Sequence[RoadNode], segments: Sequence[RoadSegment]) -> int:
    """Delete the stored road network and insert this one (addresses untouched); return rows written."""
    connection.execute(delete(_SEGMENTS))
    connection.execute(delete(_NODES))
    return insert_geo_reference(connection, nodes, segments, ())


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

    def address_revision(self) -> int:
        return address_revision(self._session.connection())

    def addresses(self) -> Iterator[Address]:
        return iter_addresses(self._session.connection())

    def put_addresses(self, addresses: Sequence[Address]) -> tuple[int, int]:
        return upsert_addresses(self._session.connection(), addresses)

    def addresses_changed(self, at: datetime) -> int:
        return bump_address_revision(self._session.connection(), at)

    def road_nodes(self) -> Iterator[tuple[int, float, float]]:
        return iter_road_nodes(self._session.connection())

    def road_segments(self) -> Iterator[tuple[int, int, float, float, bool]]:
        return iter_road_segments(self._session.connection())

    def replace_roads(self, nodes: Sequence[RoadNode], segments: Sequence[RoadSegment]) -> None:
        replace_roads(self._session.connection(), nodes, segments)
