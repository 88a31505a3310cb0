"""A site map's frame and its streets: the square around a point, and segments joined into lines."""

from __future__ import annotations

import math
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tocsin.domain.errors import InvalidInput
from tocsin.domain.street_map import (
    MAX_RADIUS_M,
    MIN_RADIUS_M,
    BoundingBox,
    StreetLine,
    StreetPiece,
    distance_m,
    join_pieces,
)

CENTRE = (47.39, 0.69)


def _at(node: int) -> tuple[float, float]:
    """A distinct position per node id, about 100 m apart on a 10-wide grid."""
    return CENTRE[0] + (node // 10) * 0.0009, CENTRE[1] + (node % 10) * 0.0013


def _piece(segment_id: int, name: str, a: int, b: int) -> StreetPiece:
    return StreetPiece(segment_id, name, a, b, _at(a), _at(b))


def _edges(lines: list[StreetLine]) -> Counter[tuple[str, frozenset[tuple[float, float]]]]:
    return Counter(
        (line.name, frozenset((p, q)))
        for line in lines
        for p, q in zip(line.points, line.points[1:], strict=False)
    )


@pytest.mark.parametrize("radius", [MIN_RADIUS_M, 350, MAX_RADIUS_M])
def test_the_frame_reaches_the_radius_each_way(radius: int) -> None:
    """From the centre, the frame's edges lie ``radius`` metres north, south, east and west."""
    box = BoundingBox.around(*CENTRE, radius)
    for edge in (
        (box.north, CENTRE[1]),
        (box.south, CENTRE[1]),
        (CENTRE[0], box.east),
        (CENTRE[0], box.west),
    ):
        assert distance_m(CENTRE, edge) == pytest.approx(radius, rel=1e-3)
    assert box.contains(*CENTRE)
    assert not box.contains(box.north + 1e-6, CENTRE[1])


@pytest.mark.parametrize("radius", [0, MIN_RADIUS_M - 1, MAX_RADIUS_M + 1])
def test_a_radius_outside_the_range_is_refused(radius: int) -> None:
    """Too small or too wide a frame is a clear error naming the range."""
    with pytest.raises(InvalidInput, match=f"{MIN_RADIUS_M}..{MAX_RADIUS_M} m"):
        BoundingBox.around(*CENTRE, radius)


def test_near_a_pole_the_frame_stays_on_the_globe() -> None:
    """At the pole the frame is clipped to 90 degrees and its width stays finite."""
    box = BoundingBox.around(89.999, 179.999, MAX_RADIUS_M)
    assert box.north == 90.0
    assert box.east == 180.0
    assert math.isfinite(box.west)
    assert box.west >= -180.0


def test_consecutive_segments_of_a_street_become_one_line() -> None:
    """Three segments of one street, given in any order, are drawn as one line through four points."""
    pieces = [_piece(3, "rue Haute", 2, 3), _piece(1, "rue Haute", 0, 1), _piece(2, "rue Haute", 2, 1)]
    lines = join_pieces(pieces)
    assert len(lines) == 1
    assert lines[0].points in (tuple(_at(n) for n in (0, 1, 2, 3)), tuple(_at(n) for n in (3, 2, 1, 0)))
    assert lines[0].length_m == pytest.approx(3 * distance_m(_at(0), _at(1)))


def test_streets_stay_apart_and_come_out_by_name() -> None:
    """Two streets crossing at a node give two lines, sorted by name, never one line across both."""
    pieces = [
        _piece(1, "rue B", 0, 1),
        _piece(2, "rue B", 1, 2),
        _piece(3, "rue A", 11, 1),
        _piece(4, "rue A", 1, 21),
    ]
    lines = join_pieces(pieces)
    assert [line.name for line in lines] == ["rue A", "rue B"]
    assert all(len(line.points) == 3 for line in lines)


def test_a_branching_street_and_a_loop_draw_every_segment_once() -> None:
    """A street with a branch gives two lines; a closed loop gives one line back to its start."""
    branch = [_piece(1, "rue T", 0, 1), _piece(2, "rue T", 1, 2), _piece(3, "rue T", 1, 11)]
    loop = [_piece(4, "place", 30, 31), _piece(5, "place", 31, 41), _piece(6, "place", 41, 30)]
    lines = join_pieces(branch + loop)
    assert _edges(lines) == _edges([StreetLine(p.name, (p.start, p.end)) for p in branch + loop])
    assert len([line for line in lines if line.name == "rue T"]) == 2
    (ring,) = [line for line in lines if line.name == "place"]
    assert ring.points[0] == ring.points[-1]
    assert len(ring.points) == 4


@given(
    st.lists(
        st.tuples(st.sampled_from(["rue A", "rue B", "quai"]), st.integers(0, 29), st.integers(0, 29)).filter(
            lambda t: t[1] != t[2]
        ),
        max_size=40,
    )
)
def test_every_segment_is_drawn_exactly_once(raw: list[tuple[str, int, int]]) -> None:
    """Whatever the pieces, the lines cover each one exactly once, with no more lines than pieces."""
    pieces = [_piece(i, name, a, b) for i, (name, a, b) in enumerate(raw)]
    lines = join_pieces(pieces)
    assert _edges(lines) == _edges([StreetLine(p.name, (p.start, p.end)) for p in pieces])
    assert len(lines) <= len(pieces)
    assert join_pieces(reversed(pieces)) == lines
