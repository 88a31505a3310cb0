"""The installation's road graph, kept in step with the road tables, one graph in memory at a time.

Like the geocoder's index (:mod:`tocsin.services.geocoding`), the graph is built on first use by an
adapter (see bootstrap) from the road tables, and rebuilt when ``geo_revision`` (bumped by every load
or import, from any process) says the reference changed: the check costs one one-row read at most every
``check_every_s`` seconds, and the rebuild runs in a background thread while the old graph answers.
Only the current graph is held (the cache is bounded to one), so memory is that of one network.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from tocsin.domain.scope import Scope
from tocsin.services.ports import Clock, RoadGraph
from tocsin.services.unit_of_work import Store, UnitOfWork

GraphBuilder = Callable[
    [int, Iterable[tuple[int, float, float]], Iterable[tuple[int, int, float, float, bool]]],
    RoadGraph | None,
]


class RoadRouter:
    """Hands out the current road graph (None when no road is loaded)."""

    def __init__(self, store: Store, build: GraphBuilder, clock: Clock, check_every_s: float = 2.0) -> None:
        self._store = store
        self._build = build
        self._clock = clock
        self._check_every_s = check_every_s
        self._graph: RoadGraph | None = None
        self._revision = -1
        self._checked_at = float("-inf")
        self._lock = threading.Lock()
        self._rebuilding: threading.Thread | None = None

    def _load(self) -> tuple[int, RoadGraph | None]:
        def read(uow: UnitOfWork) -> tuple[int, RoadGraph | None]:
            revision = uow.geo.address_revision()
            return revision, self._build(revision, uow.geo.road_nodes(), uow.geo.road_segments())

        return self._store.read(read, Scope.system())

    def refresh(self) -> RoadGraph | None:
        """Rebuild the graph now, whatever its revision."""
        revision, graph = self._load()
        with self._lock:
            self._graph, self._revision = graph, revision
            self._checked_at = self._clock.monotonic()
        return graph

    def graph(self) -> RoadGraph | None:
        """The current graph: built now on first use; rebuilt in the background when the roads changed."""
        if self._revision < 0:
            with self._lock:
                if self._revision < 0:
                    self._revision, self._graph = self._load()
                    self._checked_at = self._clock.monotonic()
            return self._graph
        now = self._clock.monotonic()
        if now - self._checked_at >= self._check_every_s:
            self._checked_at = now
            stored = self._store.read(lambda uow: uow.geo.address_revision(), Scope.system())
            if stored != self._revision:
                self._rebuild_in_background()
        return self._graph

    def _rebuild_in_background(self) -> None:
        with self._lock:
            if self._rebuilding is not None and self._rebuilding.is_alive():
                return
            self._rebuilding = threading.Thread(target=self.refresh, name="road-graph-rebuild", daemon=True)
            self._rebuilding.start()

    def warm_up(self) -> None:
        """Build the graph in the background now, so the first recommendation does not wait (server
        start)."""
        with self._lock:
            if self._revision >= 0 or self._rebuilding is not None:
                return
            self._rebuilding = threading.Thread(target=self.graph, name="road-graph-build", daemon=True)
            self._rebuilding.start()

    def wait_for_rebuild(self, timeout: float | None = None) -> None:
        """Wait until a background rebuild, if any, is done (for tests)."""
        thread = self._rebuilding
        if thread is not None:
            thread.join(timeout)
