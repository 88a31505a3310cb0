"""Reading a road network from GeoJSON as osmium or ogr2ogr export an OpenStreetMap extract: roads kept,
the rest skipped, speeds and directions from the tags, junctions shared, bad documents refused whole."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tocsin.domain.errors import InvalidInput
from tocsin.domain.road_import import direction_of, features_of, read_roads, speed_of


def way(coordinates: list[list[float]], **tags: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": coordinates},
        "properties": tags,
    }


A, B, C, D = [2.0, 47.0], [2.001, 47.0], [2.002, 47.0], [2.001, 47.001]


def test_ways_become_segments_sharing_their_junctions() -> None:
    """Two ways meeting at B give 4 nodes, B once; each pair of points is a segment with its length."""
    roads = read_roads(
        [way([A, B, C], highway="residential", name="rue Haute"), way([B, D], highway="primary")]
    )
    assert len(roads.nodes) == 4
    assert len(roads.segments) == 3
    assert roads.ways == 2
    first = roads.segments[0]
    assert first.name == "rue Haute"
    assert first.speed_kmh == 30
    assert first.length_m == pytest.approx(76.0, abs=1.0)  # 0.001 degree of longitude at 47° N
    assert roads.segments[2].speed_kmh == 80
    assert {roads.segments[0].to_node} == {roads.segments[1].from_node} == {roads.segments[2].from_node}


def test_footways_railways_and_points_are_skipped_and_counted() -> None:
    """Only what a vehicle drives on is kept."""
    point = {"type": "Feature", "geometry": {"type": "Point", "coordinates": A}, "properties": {}}
    roads = read_roads(
        [
            way([A, B], highway="footway"),
            way([A, B], railway="rail"),
            way([A, B], highway="service", access="private"),
            point,
            way([A, C], highway="tertiary"),
        ]
    )
    assert (roads.ways, roads.skipped, len(roads.segments)) == (1, 4, 1)


@pytest.mark.parametrize(
    ("tags", "speed"),
    [
        ({"maxspeed": "50"}, 50),
        ({"maxspeed": "30 mph"}, 48),
        ({"maxspeed": "FR:urban"}, 50),
        ({"maxspeed": "FR:zone30", "highway": "residential"}, 30),
        ({"maxspeed": "signals", "highway": "primary"}, 80),
        ({"maxspeed": "70;50"}, 70),
        ({"highway": "motorway"}, 130),
        ({"maxspeed": "500"}, 150),
    ],
)
def test_speed_comes_from_maxspeed_else_the_class(tags: dict[str, str], speed: int) -> None:
    """km/h, mph converted, French implicit values, the first of several; unreadable: the class's."""
    assert speed_of(tags) == speed


@pytest.mark.parametrize(
    ("tags", "direction"),
    [
        ({"oneway": "yes"}, 1),
        ({"oneway": "-1"}, -1),
        ({"oneway": "no", "junction": "roundabout"}, 0),
        ({"junction": "roundabout"}, 1),
        ({"highway": "motorway"}, 1),
        ({"highway": "residential"}, 0),
    ],
)
def test_direction_comes_from_oneway_roundabouts_and_motorways(tags: dict[str, str], direction: int) -> None:
    """An explicit oneway wins; roundabouts and motorways are one way by default."""
    assert direction_of(tags) == direction


def test_oneway_against_the_drawing_is_reversed_and_ogr2ogr_other_tags_are_read() -> None:
    """oneway=-1 in ogr2ogr's other_tags: the segment runs from the last point to the first, one way."""
    roads = read_roads([way([A, B], highway="residential", other_tags='"maxspeed"=>"20","oneway"=>"-1"')])
    segment = roads.segments[0]
    by_id = {n.id: (n.longitude, n.latitude) for n in roads.nodes}
    assert segment.oneway
    assert segment.speed_kmh == 20
    assert by_id[segment.from_node] == tuple(B)
    assert by_id[segment.to_node] == tuple(A)


def test_a_feature_collection_and_a_text_sequence_read_alike() -> None:
    """osmium's geojsonseq (RS-separated lines) and a FeatureCollection give the same features."""
    features = [way([A, B], highway="residential"), way([B, C], highway="residential")]
    collection = json.dumps({"type": "FeatureCollection", "features": features})
    sequence = "".join("\x1e" + json.dumps(f) + "\n" for f in features)
    assert features_of(collection) == features_of(sequence) == features


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ('{"type": "Topology"}', "not a FeatureCollection"),
        ("not json\n", "Line 1 is not JSON"),
        (json.dumps({"type": "FeatureCollection", "features": [{"type": "Nope"}]}), "Feature 1 is not"),
        (json.dumps({"type": "FeatureCollection", "features": [way([A], highway="primary")]}), "two points"),
        (
            json.dumps({"type": "FeatureCollection", "features": [way([A, [200, 47]], highway="primary")]}),
            "WGS 84",
        ),
        (json.dumps({"type": "FeatureCollection", "features": [way([A, B], highway="footway")]}), "No road"),
    ],
)
def test_a_bad_document_is_refused_whole_with_the_place_named(text: str, message: str) -> None:
    """Empty, not GeoJSON, a bad feature, a one-point line, a position off the Earth, no road at all."""
    with pytest.raises(InvalidInput, match=message):
        read_roads(features_of(text))
