"""The geographic reference's street reads behave the same in memory, on SQLite and on PostgreSQL: the
segments touching a frame, nearest its centre first, cut at a limit that says so."""

from __future__ import annotations

from tests.contract.support import Backend
from tocsin.adapters.store import geo_store
from tocsin.adapters.store.database import SqlUnitOfWork
from tocsin.domain.geo import RoadNode, RoadSegment
from tocsin.domain.street_map import BoundingBox
from tocsin.services.unit_of_work import UnitOfWork
from tocsin.testing import InMemoryStore

CENTRE = (47.39, 0.69)
STEP_LAT, STEP_LON = 0.0009, 0.0013  # about 100 m each way at this latitude
SIZE = 7  # nodes each way: a 600 m square of streets


def _network() -> tuple[list[RoadNode], list[RoadSegment]]:
    """A grid of streets around CENTRE (rows "rue R", columns "avenue C"), and one road far away."""
    half = SIZE // 2

    def node_id(row: int, col: int) -> int:
        return 1 + row * SIZE + col

    nodes = [
        RoadNode(node_id(r, c), CENTRE[0] + (r - half) * STEP_LAT, CENTRE[1] + (c - half) * STEP_LON)
        for r in range(SIZE)
        for c in range(SIZE)
    ]
    segments: list[RoadSegment] = []
    for r in range(SIZE):
        for c in range(SIZE):
            if c + 1 < SIZE:
                segments.append(
                    RoadSegment(len(segments) + 1, node_id(r, c), node_id(r, c + 1), 100, 30, f"rue {r}")
                )
            if r + 1 < SIZE:
                segments.append(
                    RoadSegment(len(segments) + 1, node_id(r, c), node_id(r + 1, c), 100, 30, f"avenue {c}")
                )
    far_a, far_b = RoadNode(900, CENTRE[0] + 0.1, CENTRE[1]), RoadNode(901, CENTRE[0] + 0.1, CENTRE[1] + 0.01)
    nodes += [far_a, far_b]
    segments.append(RoadSegment(9_000, far_a.id, far_b.id, 760, 90, "route de loin"))
    return nodes, segments


def _load(backend: Backend) -> tuple[list[RoadNode], list[RoadSegment]]:
    nodes, segments = _network()
    if isinstance(backend.store, InMemoryStore):
        backend.store.load_road_network(nodes, segments)
        return nodes, segments

    def insert(uow: UnitOfWork) -> None:
        assert isinstance(uow, SqlUnitOfWork)
        geo_store.insert_geo_reference(uow.session.connection(), nodes, segments, [])

    backend.write(insert)
    return nodes, segments


def test_an_empty_reference_has_no_streets(backend: Backend) -> None:
    """With no road network loaded, a frame holds nothing and nothing was cut."""
    box = BoundingBox.around(*CENTRE, 350)
    assert backend.read(lambda uow: uow.geo.pieces_within(box, 100)) == ([], False)


def test_the_segments_touching_the_frame_come_with_their_ends(backend: Backend) -> None:
    """Every segment with an end inside the frame, and no other, comes with its nodes' positions."""
    nodes, segments = _load(backend)
    where = {n.id: (n.latitude, n.longitude) for n in nodes}
    box = BoundingBox.around(*CENTRE, 150)
    pieces, cut = backend.read(lambda uow: uow.geo.pieces_within(box, 1_000))
    expected = {
        s.id for s in segments if box.contains(*where[s.from_node]) or box.contains(*where[s.to_node])
    }
    assert not cut
    assert {p.segment_id for p in pieces} == expected
    assert 9_000 not in expected
    by_id = {s.id: s for s in segments}
    for piece in pieces:
        segment = by_id[piece.segment_id]
        assert (piece.name, piece.from_node, piece.to_node) == (
            segment.name,
            segment.from_node,
            segment.to_node,
        )
        assert (piece.start, piece.end) == (where[segment.from_node], where[segment.to_node])


def test_the_limit_keeps_the_segments_nearest_the_centre(backend: Backend) -> None:
    """Cut at a limit, the read keeps the segments nearest the centre and says some were left out."""
    _load(backend)
    box = BoundingBox.around(*CENTRE, 1_000)
    everything, cut = backend.read(lambda uow: uow.geo.pieces_within(box, 1_000))
    assert not cut
    nearest, cut = backend.read(lambda uow: uow.geo.pieces_within(box, 4))
    assert cut
    assert [p.segment_id for p in nearest] == [p.segment_id for p in everything[:4]]
    # the four segments leaving the centre node come first
    centre_node = 1 + (SIZE // 2) * SIZE + SIZE // 2
    assert all(centre_node in (p.from_node, p.to_node) for p in nearest)
    exact, cut = backend.read(lambda uow: uow.geo.pieces_within(box, len(everything)))
    assert not cut
    assert exact == everything


def test_the_road_rows_stream_out_and_a_replacement_keeps_nothing_of_the_old(backend: Backend) -> None:
    """road_nodes and road_segments give every row as the graph builder reads it; replace_roads puts a
    new network in place of the old one, whole."""
    nodes, segments = _load(backend)
    got_nodes = backend.read(lambda uow: sorted(uow.geo.road_nodes()))
    got_segments = backend.read(lambda uow: sorted(uow.geo.road_segments()))
    assert got_nodes == sorted((n.id, n.latitude, n.longitude) for n in nodes)
    assert got_segments == sorted(
        (s.from_node, s.to_node, s.length_m, float(s.speed_kmh), s.oneway) for s in segments
    )
    fresh_nodes = [RoadNode(1, 47.0, 1.0), RoadNode(2, 47.001, 1.0)]
    fresh_segments = [RoadSegment(1, 1, 2, 111.3, 50, "rue Neuve", oneway=True)]
    backend.write(lambda uow: uow.geo.replace_roads(fresh_nodes, fresh_segments))
    assert backend.read(lambda uow: sorted(uow.geo.road_nodes())) == [(1, 47.0, 1.0), (2, 47.001, 1.0)]
    assert backend.read(lambda uow: list(uow.geo.road_segments())) == [(1, 2, 111.3, 50.0, True)]
