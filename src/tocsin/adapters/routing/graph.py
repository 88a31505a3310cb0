"""The road graph as a SciPy sparse matrix of travel seconds, and drive times to one point in one search.

Built once per revision of the geographic reference (:func:`build_graph`), then read by any number of
threads. How a query runs (:meth:`RoadGraph.times_to`):

1. Points are *snapped* to the road: projected on the nearest segment (found through a k-d tree of
   points sampled every :data:`SAMPLE_SPACING_M` along every segment, then the exact projection on the
   segments of the :data:`CANDIDATES` nearest samples), which gives the segment, how far along it the
   point lies (0 at its ``from_node``, 1 at its ``to_node``) and how far off the road it stands.
2. The event's snap becomes a virtual node with an edge from each end of its segment that may drive
   towards it, weighted by the part of the segment left to drive. The graph is stored *reversed*
   (``rows`` are where an edge arrives), so one Dijkstra from the virtual node, with SciPy's ``limit``
   as the cutoff, gives every node's time *to* the event at once.
3. A unit leaves its own segment by either end it may drive to (the ``to_node`` always, the
   ``from_node`` too on a two-way street), paying the part of the segment it drives, then the node's
   time; a unit on the event's own segment, upstream of it, may also drive straight there.

Times are seconds at each segment's speed; the distances off the road are returned for the caller to
price. Memory: the matrix holds each direction of each segment once (12 bytes an edge), the k-d tree
one point every 40 m of road.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from tocsin.domain.recommendation import RoadTimes

M_PER_DEG_LAT = 111_320.0
SAMPLE_SPACING_M = 40.0
CANDIDATES = 8
MIN_EDGE_S = 0.01  # a zero-length edge still costs a little: SciPy reads an explicit zero as no edge
AT_NODE = 1e-6  # a point this close to a segment's end (as a fraction of it) stands on the junction

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Snaps:
    """Where points meet the road: segment index, fraction along it, metres off the road (arrays)."""

    segment: Ints
    fraction: Floats
    offset_m: Floats


class RoadGraph:
    """A road network ready for reverse shortest-path searches. Build it with :func:`build_graph`."""

    def __init__(  # noqa: PLR0917 - the network's columns, built by build_graph alone
        self,
        revision: int,
        latitudes: Floats,
        longitudes: Floats,
        seg_from: Ints,
        seg_to: Ints,
        seg_seconds: Floats,
        seg_oneway: NDArray[np.bool_],
    ) -> None:
        self.revision = revision
        self.nodes = len(latitudes)
        self.segments = len(seg_from)
        self._lat0 = float(np.mean(latitudes)) if self.nodes else 0.0
        self._lon0 = float(np.mean(longitudes)) if self.nodes else 0.0
        self._x_scale = M_PER_DEG_LAT * math.cos(math.radians(self._lat0))
        self._x, self._y = self._planar(latitudes, longitudes)
        self._from, self._to = seg_from, seg_to
        self._seconds = np.maximum(seg_seconds, MIN_EDGE_S)
        self._oneway = seg_oneway
        self._virtual = self.nodes  # the last row: the target of the current query
        self._reverse = self._reverse_matrix()
        self._tree, self._sample_segment = self._sample_tree()
        self._lock = threading.Lock()
        self._last: tuple[Floats, Snaps] | None = None  # the last origins and their snaps

    # ------------------------------------------------------------ building

    def _planar(self, latitudes: Floats, longitudes: Floats) -> tuple[Floats, Floats]:
        """Metres east and north of the network's mean point (flat: exact enough for a département)."""
        x = (np.asarray(longitudes, dtype=np.float64) - self._lon0) * self._x_scale
        y = (np.asarray(latitudes, dtype=np.float64) - self._lat0) * M_PER_DEG_LAT
        return x, y

    def _reverse_matrix(self) -> csr_matrix:
        """Edges stored as (arrival row, departure column), the parallel ones reduced to the fastest,
        with two spare entries at the end for the virtual target's row."""
        two_way = ~self._oneway
        departs = np.concatenate([self._from, self._to[two_way]])
        arrives = np.concatenate([self._to, self._from[two_way]])
        weights = np.concatenate([self._seconds, self._seconds[two_way]])
        order = np.lexsort((weights, departs, arrives))
        departs, arrives, weights = departs[order], arrives[order], weights[order]
        keep = np.ones(len(order), dtype=bool)
        keep[1:] = (arrives[1:] != arrives[:-1]) | (departs[1:] != departs[:-1])
        departs, arrives, weights = departs[keep], arrives[keep], weights[keep]
        size = self.nodes + 1
        counts = np.bincount(arrives, minlength=size).astype(np.int64)
        counts[self._virtual] = 2
        indptr = np.zeros(size + 1, dtype=np.int32)
        np.cumsum(counts, out=indptr[1:])
        indices = np.concatenate([departs, [0, 0]]).astype(np.int32)
        data = np.concatenate([weights, [MIN_EDGE_S, MIN_EDGE_S]]).astype(np.float64)
        return csr_matrix((data, indices, indptr), shape=(size, size))

    def _sample_tree(self) -> tuple[cKDTree | None, Ints]:
        if self.segments == 0:
            return None, np.zeros(0, dtype=np.int64)
        x0, y0 = self._x[self._from], self._y[self._from]
        dx, dy = self._x[self._to] - x0, self._y[self._to] - y0
        counts = (np.ceil(np.hypot(dx, dy) / SAMPLE_SPACING_M).astype(np.int64)) + 1
        segment = np.repeat(np.arange(self.segments, dtype=np.int64), counts)
        starts = np.cumsum(counts) - counts
        step = np.arange(len(segment), dtype=np.float64) - np.repeat(starts, counts)
        fraction = step / np.repeat(np.maximum(counts - 1, 1), counts)
        points = np.column_stack((x0[segment] + dx[segment] * fraction, y0[segment] + dy[segment] * fraction))
        return cKDTree(points), segment

    # ------------------------------------------------------------ snapping

    def snap(self, latitudes: Sequence[float] | Floats, longitudes: Sequence[float] | Floats) -> Snaps:
        """The nearest segment of each point, the fraction along it and the metres off the road."""
        x, y = self._planar(np.asarray(latitudes), np.asarray(longitudes))
        if self._tree is None or len(x) == 0:
            empty = np.zeros(len(x))
            return Snaps(np.full(len(x), -1, dtype=np.int64), empty, np.full(len(x), np.inf))
        k = min(CANDIDATES, len(self._sample_segment))
        _, found = self._tree.query(np.column_stack((x, y)), k=k)
        candidates = self._sample_segment[np.asarray(found).reshape(len(x), k)]
        ax, ay = self._x[self._from[candidates]], self._y[self._from[candidates]]
        dx, dy = self._x[self._to[candidates]] - ax, self._y[self._to[candidates]] - ay
        squared = dx * dx + dy * dy
        px, py = x[:, None] - ax, y[:, None] - ay
        with np.errstate(invalid="ignore", divide="ignore"):
            fraction = np.where(squared > 0, (px * dx + py * dy) / squared, 0.0)
        fraction = np.clip(fraction, 0.0, 1.0)
        offset = np.hypot(px - fraction * dx, py - fraction * dy)
        best = np.argmin(offset, axis=1)
        rows = np.arange(len(x))
        return Snaps(candidates[rows, best], fraction[rows, best], offset[rows, best])

    def _snap_cached(self, points: Floats) -> Snaps:
        """:meth:`snap` for ``points`` (rows of latitude, longitude), re-snapping only the rows that
        changed since the last query: a fleet's positions change a few at a time. The memory is that
        one set of arrays (bounded by the fleet's size)."""
        with self._lock:
            last = self._last
        if last is not None and last[0].shape == points.shape:
            changed = np.flatnonzero(np.any(last[0] != points, axis=1))
            if len(changed) == 0:
                return last[1]
            fresh = self.snap(points[changed, 0], points[changed, 1])
            segment, fraction, offset = (
                last[1].segment.copy(),
                last[1].fraction.copy(),
                last[1].offset_m.copy(),
            )
            segment[changed], fraction[changed], offset[changed] = (
                fresh.segment,
                fresh.fraction,
                fresh.offset_m,
            )
            snaps = Snaps(segment, fraction, offset)
        else:
            snaps = self.snap(points[:, 0], points[:, 1])
        with self._lock:
            self._last = (points, snaps)
        return snaps

    # ------------------------------------------------------------ searching

    def times_to(
        self,
        latitude: float,
        longitude: float,
        origins: Sequence[tuple[float, float]],
        cutoff_s: float,
    ) -> RoadTimes:
        """Seconds from each origin to the point by road, found by one search bounded by ``cutoff_s``."""
        target = self.snap([latitude], [longitude])
        if self.segments == 0 or not origins:
            return RoadTimes([math.inf] * len(origins), [math.inf] * len(origins), float(target.offset_m[0]))
        k, t = int(target.segment[0]), float(target.fraction[0])
        to_target = self._search(k, t, cutoff_s)
        units = self._snap_cached(np.asarray(origins, dtype=np.float64).reshape(len(origins), 2))
        seconds = self._leave(units, to_target)
        on_target = units.segment == k  # on the event's own segment: straight there if driving allows
        if np.any(on_target):
            ahead = units.fraction <= t
            direct = np.where(ahead | ~self._oneway[k], np.abs(t - units.fraction) * self._seconds[k], np.inf)
            seconds = np.where(on_target, np.minimum(seconds, direct), seconds)
        seconds = np.where(seconds <= cutoff_s, seconds, np.inf)
        return RoadTimes(seconds.tolist(), units.offset_m.tolist(), float(target.offset_m[0]))

    def _search(self, segment: int, fraction: float, cutoff_s: float) -> Floats:
        """Every node's seconds to the point ``fraction`` along ``segment`` (``inf`` past the cutoff)."""
        start, end = int(self._from[segment]), int(self._to[segment])
        from_start = max(fraction * self._seconds[segment], MIN_EDGE_S)
        from_end = max((1.0 - fraction) * self._seconds[segment], MIN_EDGE_S)
        if self._oneway[segment] and fraction < 1.0 - AT_NODE:
            end, from_end = start, from_start  # the far end cannot drive back: a harmless duplicate
        at = self._reverse.indptr[self._virtual]
        with self._lock:  # the virtual row is shared: one search at a time per graph
            self._reverse.indices[at : at + 2] = (start, end)
            self._reverse.data[at : at + 2] = (from_start, from_end)
            found = dijkstra(self._reverse, directed=True, indices=self._virtual, limit=cutoff_s)
        return np.asarray(found, dtype=np.float64)

    def _leave(self, units: Snaps, to_target: Floats) -> Floats:
        """Each unit's best way off its segment: forward to ``to_node``, or back to ``from_node`` on a
        two-way street, plus that node's time to the target."""
        seg = units.segment
        valid = seg >= 0
        seg = np.where(valid, seg, 0)
        forward = (1.0 - units.fraction) * self._seconds[seg] + to_target[self._to[seg]]
        stuck = self._oneway[seg] & (units.fraction > AT_NODE)  # one way, and not at its start
        backward = np.where(stuck, np.inf, units.fraction * self._seconds[seg] + to_target[self._from[seg]])
        return np.where(valid, np.minimum(forward, backward), np.inf)


def build_graph(
    revision: int,
    nodes: Iterable[tuple[int, float, float]],
    segments: Iterable[tuple[int, int, float, float, bool]],
) -> RoadGraph | None:
    """A graph from ``(id, latitude, longitude)`` nodes and ``(from id, to id, length m, speed km/h,
    oneway)`` segments; None when there is no segment. Segments naming an unknown node are left out."""
    node_table = np.array(list(nodes), dtype=np.float64).reshape(-1, 3)
    seg_table = np.array(list(segments), dtype=np.float64).reshape(-1, 5)
    if len(node_table) == 0 or len(seg_table) == 0:
        return None
    order = np.argsort(node_table[:, 0], kind="stable")
    node_table = node_table[order]
    ids = node_table[:, 0].astype(np.int64)
    seg_from, seg_to = _indices(ids, seg_table[:, 0]), _indices(ids, seg_table[:, 1])
    known = (seg_from >= 0) & (seg_to >= 0) & (seg_table[:, 3] > 0)
    seg_table = seg_table[known]
    if len(seg_table) == 0:
        return None
    return RoadGraph(
        revision,
        node_table[:, 1],
        node_table[:, 2],
        seg_from[known],
        seg_to[known],
        seg_table[:, 2] / (seg_table[:, 3] / 3.6),
        seg_table[:, 4] != 0,
    )


def _indices(sorted_ids: Ints, wanted: Floats) -> Ints:
    """The position of each wanted id among the sorted ids, -1 where it is absent."""
    ids = wanted.astype(np.int64)
    found = np.clip(np.searchsorted(sorted_ids, ids), 0, len(sorted_ids) - 1)
    return np.where(sorted_ids[found] == ids, found, -1).astype(np.int64)
