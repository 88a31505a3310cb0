"""`tocsin geo import-roads FILE` on SQLite and PostgreSQL: a hand-made town with one-way streets
replaces the roads, is logged, and the recommendation then ranks units by an independent shortest path
on it; a bad file changes nothing."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from tests.integration.cli_support import tocsin
from tests.integration.helpers import make_room
from tests.unit.test_road_graph import GRID, STREETS, Edge, _degrees, reference_times
from tocsin.adapters.store import geo_store
from tocsin.adapters.store.database import SqlStore
from tocsin.bootstrap import bootstrap
from tocsin.config import Settings
from tocsin.domain import commands as c
from tocsin.domain import incidents as i
from tocsin.domain.scope import Scope
from tocsin.services import recommendation as rec
from tocsin.testing import FakeClock, FakeHasher


def _town_file(folder: Path) -> Path:
    """The hand-made town of test_road_graph as osmium would export it (oneway tags, maxspeed)."""
    features = []
    for a, b, speed, oneway in STREETS:
        start, end = _degrees(*GRID[a]), _degrees(*GRID[b])
        tags = {"highway": "residential", "maxspeed": str(speed), "name": f"{a}-{b}"}
        if oneway:
            tags["oneway"] = "yes"
        geometry = {"type": "LineString", "coordinates": [[start[1], start[0]], [end[1], end[0]]]}
        features.append({"type": "Feature", "geometry": geometry, "properties": tags})
    features.append(
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [2, 47]}, "properties": {}}
    )
    path = folder / "town.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def test_imported_roads_are_the_graph_the_recommendation_uses(fresh_db_url: str, tmp_path: Path) -> None:
    """9 junctions and 12 streets imported (a point skipped), one logbook entry; units on the junctions
    are ranked as a plain Dijkstra on the same streets ranks them (one-way streets honoured), read by
    the node's recommender (its light SQL read of the units)."""
    url = fresh_db_url
    env = {"TOCSIN_DATABASE_URL": url, "TOCSIN_VAR_DIR": str(tmp_path / "var")}
    done = tocsin(env, "geo", "import-roads", str(_town_file(tmp_path)), "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert (summary["nodes"], summary["segments"], summary["ways"], summary["skipped"]) == (9, 12, 12, 1)
    node = bootstrap(
        Settings(database_url=url, var_dir=tmp_path / "var"), hasher=FakeHasher(), clock=FakeClock()
    )
    try:
        entries = node.store.read(lambda uow: list(uow.logbook.read(Scope.system())), Scope.system())
        assert [e.kind for e in entries if e.kind == "geo.roads_imported"] == ["geo.roads_imported"]
        room = make_room(node.store)
        scope = Scope.tenant(room.tenant_id)
        for n in GRID:
            lat, lon = _degrees(*GRID[n])
            command = c.AddUnit(
                room.tenant_id, f"P{n}", "police", ("intervention",), latitude=lat, longitude=lon
            )
            node.messagebus.handle(command, scope=scope, actor="t")
        lat, lon = _degrees(*GRID[4])
        opened = node.messagebus.handle(
            i.CreateIncident(room.tenant_id, "FIGHT", i.Place(lat, lon, "junction 4"), by="t"),
            scope=scope,
            actor="t",
        )
        graph = node.router.graph()
        assert graph is not None
        assert graph.segments == 12
        computed = node.store.read(lambda uow: node.recommender.recommend(uow, opened.incident, graph), scope)
        units = rec.recommendation_view(computed, node.clock.now())["units"]
        stored = node.store.read(
            lambda uow: (list(uow.geo.road_nodes()), list(uow.geo.road_segments())), scope
        )
    finally:
        node.close()
    expected = _stored_reference(*stored)
    assert sorted(u["callsign"] for u in units) == sorted(f"P{n}" for n in GRID)
    ranked = [expected[u["callsign"][1:]] for u in units]
    assert all(a <= b + 0.05 for a, b in itertools.pairwise(ranked))  # ties in either order
    for unit in units:
        assert abs(unit["drive_seconds"] - expected[unit["callsign"][1:]]) <= 1
    assert units[-1]["callsign"] in {"P6", "P3"}  # 6 cannot drive back along 5→6: it goes round


def _stored_reference(
    nodes: list[tuple[int, float, float]], segments: list[tuple[int, int, float, float, bool]]
) -> dict[str, float]:
    """A plain Dijkstra to junction 4 over the streets as stored (their measured lengths), by junction."""
    label = {}
    for ident, lat, lon in nodes:
        label[str(ident)] = next(
            str(n) for n in GRID if _degrees(*GRID[n]) == pytest.approx((lat, lon), abs=1e-6)
        )
    edges: list[Edge] = []
    for start, end, length, speed, oneway in segments:
        edges.append((label[str(start)], label[str(end)], length / (speed / 3.6)))
        if not oneway:
            edges.append((label[str(end)], label[str(start)], length / (speed / 3.6)))
    return reference_times(edges, "4")


def test_a_bad_file_is_refused_and_the_roads_stay(fresh_db_url: str, tmp_path: Path) -> None:
    """A feature off the Earth: one error line naming it, exit 1, the stored roads unchanged."""
    url = fresh_db_url
    env = {"TOCSIN_DATABASE_URL": url, "TOCSIN_VAR_DIR": str(tmp_path / "var")}
    assert tocsin(env, "geo", "import-roads", str(_town_file(tmp_path))).returncode == 0
    bad = tmp_path / "bad.geojson"
    feature = {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[2, 47], [2, 95]]}}
    bad.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), encoding="utf-8")
    refused = tocsin(env, "geo", "import-roads", str(bad))
    assert refused.returncode == 2
    assert "Feature 1" in refused.stderr
    assert "Nothing was imported" in refused.stderr
    store = SqlStore(url, FakeClock())
    try:
        with store.write_engine.connect() as connection:
            assert geo_store.count_road_network(connection) == (9, 12)
    finally:
        store.close()
