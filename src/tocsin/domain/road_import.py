"""A road network read from GeoJSON: what an OpenStreetMap extract converted offline gives.

``osmium export`` (GeoJSON or GeoJSON Text Sequence) and ``ogr2ogr -f GeoJSON`` (its ``lines`` layer, with
the tags it does not name in ``other_tags``) both give one ``LineString`` (or ``MultiLineString``) per way,
with the way's tags as properties. A way is a road when its ``highway`` is one a vehicle drives on (or,
without ``highway``, when it has a ``maxspeed``); footways, paths, railways, rivers and points are
skipped and counted. Each pair of consecutive points becomes a segment; points shared by several ways
(OpenStreetMap's junctions, identical coordinates) become one node. Speed: ``maxspeed`` (km/h, ``mph``
converted, French implicit values such as ``FR:urban``), else a default by ``highway``. Direction:
``oneway`` ``yes``/``true``/``1`` (``-1``: against the drawing), roundabouts and motorways one way.

The whole document is checked before anything is kept: a feature that is not GeoJSON, a coordinate off
the Earth, a line of one point is refused with its number, and nothing is imported. Pure: text in,
nodes and segments out.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tocsin.domain.errors import InvalidInput
from tocsin.domain.geo import RoadNode, RoadSegment
from tocsin.domain.geocoding import distance_m

DEFAULT_SPEEDS = {  # km/h when a way has no usable maxspeed (French urban practice)
    "motorway": 130,
    "motorway_link": 70,
    "trunk": 110,
    "trunk_link": 50,
    "primary": 80,
    "primary_link": 50,
    "secondary": 70,
    "secondary_link": 50,
    "tertiary": 50,
    "tertiary_link": 50,
    "unclassified": 50,
    "residential": 30,
    "living_street": 20,
    "service": 20,
    "road": 40,
    "track": 20,
    "busway": 50,
}
IMPLICIT_SPEEDS = {
    "urban": 50,
    "rural": 80,
    "motorway": 130,
    "trunk": 110,
    "zone30": 30,
    "zone20": 20,
    "living_street": 20,
    "walk": 6,
}
ONEWAY_MOTORWAYS = {"motorway", "motorway_link"}
MIN_SPEED, MAX_SPEED = 5, 150
NAME_MAX = 200
_NUMBER = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(mph|km/h|kmh)?\s*$", re.IGNORECASE)
_HSTORE = re.compile(r'"((?:[^"\\]|\\.)*)"=>"((?:[^"\\]|\\.)*)"')


@dataclass(frozen=True, slots=True)
class RoadImport:
    """What a document gave: nodes, segments, how many ways were roads and how many were skipped."""

    nodes: tuple[RoadNode, ...]
    segments: tuple[RoadSegment, ...]
    ways: int
    skipped: int


def features_of(text: str) -> list[Any]:
    """The features of a GeoJSON FeatureCollection, or of a GeoJSON Text Sequence (one feature a line,
    each perhaps after an RS character, as ``osmium export -f geojsonseq`` writes)."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        raise InvalidInput("The file is empty: nothing was imported.")
    try:
        document = json.loads(stripped)
    except ValueError:
        document = None
    if isinstance(document, Mapping):
        if document.get("type") == "FeatureCollection" and isinstance(document.get("features"), list):
            return list(document["features"])
        if document.get("type") == "Feature":
            return [document]
        raise InvalidInput("The file is GeoJSON but not a FeatureCollection: nothing was imported.")
    features = []
    for number, line in enumerate(stripped.replace("\x1e", "\n").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            features.append(json.loads(line))
        except ValueError:
            raise InvalidInput(
                f"Line {number} is not JSON: the file must be a GeoJSON FeatureCollection or a GeoJSON"
                " Text Sequence (one feature a line). Nothing was imported."
            ) from None
    return features


def _tags(feature: Mapping[str, Any]) -> dict[str, str]:
    properties = feature.get("properties") or {}
    if not isinstance(properties, Mapping):
        return {}
    tags = {str(k): str(v) for k, v in properties.items() if v is not None and k != "other_tags"}
    other = properties.get("other_tags")
    if isinstance(other, str):  # ogr2ogr's OSM driver: "maxspeed"=>"50","oneway"=>"yes"
        for key, value in _HSTORE.findall(other):
            tags.setdefault(key, value)
    return tags


def speed_of(tags: Mapping[str, str]) -> int:
    """The way's speed in km/h: its maxspeed if readable, else its class's default."""
    given = tags.get("maxspeed", "").split(";")[0].strip().lower()
    speed: float | None = None
    if found := _NUMBER.match(given):
        speed = float(found[1]) * (1.609344 if (found[2] or "").lower() == "mph" else 1.0)
    elif ":" in given:
        speed = IMPLICIT_SPEEDS.get(given.split(":", 1)[1])
    elif given in IMPLICIT_SPEEDS:
        speed = IMPLICIT_SPEEDS[given]
    if speed is None or speed <= 0:
        speed = DEFAULT_SPEEDS.get(tags.get("highway", ""), 40)
    return int(max(MIN_SPEED, min(MAX_SPEED, round(speed))))


def direction_of(tags: Mapping[str, str]) -> int:
    """1: one way along the drawing, -1: one way against it, 0: both ways."""
    oneway = tags.get("oneway", "").strip().lower()
    if oneway in {"yes", "true", "1"}:
        return 1
    if oneway in {"-1", "reverse"}:
        return -1
    if oneway in {"no", "false", "0", "reversible", "alternating"}:
        return 0
    if tags.get("junction") in {"roundabout", "circular"} or tags.get("highway") in ONEWAY_MOTORWAYS:
        return 1
    return 0


def is_road(tags: Mapping[str, str]) -> bool:
    """Whether a vehicle drives on the way."""
    highway = tags.get("highway")
    if highway is None:
        return "maxspeed" in tags
    return (
        highway in DEFAULT_SPEEDS
        and tags.get("access") not in {"no", "private"}
        and tags.get("area") != "yes"
    )


def _lines(feature: Any, number: int) -> list[list[tuple[float, float]]]:
    """The feature's lines as (latitude, longitude) points; [] for a geometry that is not a line."""
    if not isinstance(feature, Mapping) or feature.get("type") != "Feature":
        raise InvalidInput(f"Feature {number} is not a GeoJSON Feature: nothing was imported.")
    geometry = feature.get("geometry")
    if not isinstance(geometry, Mapping):
        raise InvalidInput(f"Feature {number} has no geometry: nothing was imported.")
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind == "LineString":
        parts = [coordinates]
    elif kind == "MultiLineString" and isinstance(coordinates, list):
        parts = coordinates
    else:
        return []
    return [_points(part, number) for part in parts]


def _points(part: Any, number: int) -> list[tuple[float, float]]:
    if not isinstance(part, list) or len(part) < 2:
        raise InvalidInput(f"Feature {number}: a line has at least two points. Nothing was imported.")
    points = []
    for position in part:
        ok = isinstance(position, list) and len(position) >= 2
        ok = ok and all(isinstance(v, int | float) and not isinstance(v, bool) for v in position[:2])
        if not ok or not (-180 <= position[0] <= 180 and -90 <= position[1] <= 90):
            raise InvalidInput(
                f"Feature {number}: {position!r} is not a [longitude, latitude] position in WGS 84"
                " degrees. Nothing was imported."
            )
        points.append((round(float(position[1]), 7), round(float(position[0]), 7)))
    return points


def read_roads(features: Iterable[Any]) -> RoadImport:
    """Nodes and segments from the features (see the module's docstring), or InvalidInput."""
    node_ids: dict[tuple[float, float], int] = {}
    segments: list[RoadSegment] = []
    ways = skipped = 0
    for number, feature in enumerate(features, start=1):
        lines = _lines(feature, number)
        tags = _tags(feature)
        if not lines or not is_road(tags):
            skipped += 1
            continue
        ways += 1
        speed, direction = speed_of(tags), direction_of(tags)
        name = (tags.get("name") or tags.get("ref") or "")[:NAME_MAX]
        for points in lines:
            ordered = points[::-1] if direction < 0 else points
            for start, end in itertools.pairwise(ordered):
                a = node_ids.setdefault(start, len(node_ids) + 1)
                b = node_ids.setdefault(end, len(node_ids) + 1)
                length = distance_m(*start, *end)
                if a == b or length <= 0:
                    continue
                segments.append(
                    RoadSegment(len(segments) + 1, a, b, round(length, 2), speed, name, direction != 0)
                )
    if not segments:
        raise InvalidInput(
            "No road in the file (no LineString with a highway a vehicle drives on): nothing was imported."
        )
    nodes = tuple(RoadNode(ident, lat, lon) for (lat, lon), ident in node_ids.items())
    return RoadImport(nodes, tuple(segments), ways, skipped)
