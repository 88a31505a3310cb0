"""The node's road graph follows the road tables: none without roads, built on first use, rebuilt in
the background when the geo revision moves (checked at most every 2 s), the old graph answering meanwhile."""

from __future__ import annotations

from tocsin.adapters.routing.graph import build_graph
from tocsin.domain.geo import RoadNode, RoadSegment
from tocsin.domain.scope import Scope
from tocsin.services.routing import RoadRouter
from tocsin.testing import FakeClock, InMemoryStore

NODES = [RoadNode(1, 47.0, 2.0), RoadNode(2, 47.001, 2.0), RoadNode(3, 47.002, 2.0)]


def test_the_graph_follows_the_road_tables() -> None:
    """No road: no graph. Roads loaded and the revision bumped: a rebuild after the check interval."""
    clock = FakeClock()
    store = InMemoryStore(clock)
    router = RoadRouter(store, build_graph, clock)
    assert router.graph() is None
    store.load_road_network(NODES[:2], [RoadSegment(1, 1, 2, 111.0, 50, "rue A")])
    store.write(lambda uow: uow.geo.addresses_changed(clock.now()), Scope.system())
    assert router.graph() is None  # checked again only after 2 s
    clock.advance(seconds=3)
    router.graph()  # sees the new revision and rebuilds in the background
    router.wait_for_rebuild(10)
    first = router.graph()
    assert first is not None
    assert first.segments == 1
    store.load_road_network(NODES[2:], [RoadSegment(2, 2, 3, 111.0, 50, "rue B", oneway=True)])
    store.write(lambda uow: uow.geo.addresses_changed(clock.now()), Scope.system())
    clock.advance(seconds=3)
    assert router.graph() is first  # the old graph answers while the new one is built
    router.wait_for_rebuild(10)
    second = router.graph()
    assert second is not None
    assert second.segments == 2
    assert second.revision == first.revision + 1


def test_warm_up_builds_the_graph_before_the_first_request() -> None:
    """At server start the graph is built in a background thread."""
    clock = FakeClock()
    store = InMemoryStore(clock)
    store.load_road_network(NODES[:2], [RoadSegment(1, 1, 2, 111.0, 50, "rue A")])
    router = RoadRouter(store, build_graph, clock)
    router.warm_up()
    router.wait_for_rebuild(10)
    graph = router.graph()
    assert graph is not None
    assert graph.nodes == 2
