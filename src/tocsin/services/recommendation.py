"""Recommend units for an event: its type's response plan filled by the able units that arrive first.

Drive times come from one reverse search on the road graph from the event (:mod:`tocsin.services.routing`
hands out the graph), so every unit's time is known in one pass whatever their number (bounded first at
a few minutes, searched on to the cutoff only when needed: :func:`compute`). A point off the
road (an event in a courtyard, a unit in a car park) adds its distance to the road at a walking-pace
speed; a point farther than ``max_snap_m`` from any road of the graph is outside it, and its time is
estimated from the straight-line distance times a detour factor at a steady speed, as every time is when
no graph is loaded: the answer says which (``method``: ``road`` or ``distance``).

Nothing is written: a recommendation is a read. Units are read through their existing columns only
(id, callsign, kind, capabilities, status, latitude, longitude, equipment), the tenant's own units
only.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from tocsin.domain import recommendation as r
from tocsin.domain.errors import InvalidInput
from tocsin.domain.geocoding import distance_m
from tocsin.domain.incidents import Incident
from tocsin.domain.nomenclature import PlannedUnits
from tocsin.domain.resources import Unit
from tocsin.i18n import render
from tocsin.services.nomenclature import tenant_types
from tocsin.services.ports import RoadGraph
from tocsin.services.unit_of_work import UnitOfWork

MAX_LIMIT = 500
DEFAULT_LIMIT = 50
# The bounds of the searches tried before the one bounded by the cutoff, four times longer each (so a
# search that settles nothing costs about a sixteenth of the next): a fleet of thousands fills the shown
# ranks within a few minutes of the event, and a search's cost is the network within its bound.
SEARCH_STAGES_S = (240.0, 960.0)


@dataclass(frozen=True, slots=True)
class RecommendSettings:
    """How drive times are computed; a room changes them through ``TOCSIN_RECOMMEND_*`` settings."""

    cutoff_s: float = r.DEFAULT_CUTOFF_S
    detour: float = r.DETOUR_FACTOR
    speed_kmh: float = r.FALLBACK_SPEED_KMH
    off_road_kmh: float = 6.0  # from the road to the door, on foot
    max_snap_m: float = 1_000.0  # farther from the graph's roads, the place is outside the graph
    turnout: Mapping[str, int] = field(default_factory=lambda: dict(r.TURNOUT_S))
    stages_s: tuple[float, ...] = SEARCH_STAGES_S  # searches tried first, each bounded by so many seconds


@dataclass(frozen=True, slots=True)
class Computed:
    """A recommendation and what it was computed on."""

    incident: Incident
    result: r.Recommendation
    note: r.Reason
    graph: RoadGraph | None
    settings: RecommendSettings


def estimates(
    incident: Incident,
    units: Sequence[Unit],
    graph: RoadGraph | None,
    settings: RecommendSettings,
    search_s: float | None = None,
) -> tuple[list[r.Estimate], r.Reason]:
    """Each unit's drive time to the event, and a note saying how the times were found. ``search_s``
    bounds the road search (the cutoff when None): a unit farther by road has no time."""
    found, note, _ = _timed(incident, units, graph, settings, search_s, split=False)
    return found, note


def _timed(
    incident: Incident,
    units: Sequence[Unit],
    graph: RoadGraph | None,
    settings: RecommendSettings,
    search_s: float | None,
    *,
    split: bool,
) -> tuple[list[r.Estimate], r.Reason, list[Unit]]:
    """:func:`estimates`; with ``split`` and times by road, the units the search did not reach (and
    those without a position) come apart, untimed, as the third item: they rank after every other."""
    if incident.latitude is None or incident.longitude is None:
        raise InvalidInput(
            "This event has no place yet: give it a latitude and longitude (or a site) to get a"
            " recommendation."
        )
    lat, lon = incident.latitude, incident.longitude
    placed = [k for k, u in enumerate(units) if u.latitude is not None and u.longitude is not None]
    params = {"detour": f"{settings.detour:g}", "speed": f"{settings.speed_kmh:g}"}
    note = r.Reason("recommend.method.no_graph", params) if placed else r.Reason("recommend.method.none")
    road: list[float | None] | None = None
    if graph is not None and placed:
        points = [(units[k].latitude or 0.0, units[k].longitude or 0.0) for k in placed]
        bound = settings.cutoff_s if search_s is None else min(search_s, settings.cutoff_s)
        times = graph.times_to(lat, lon, points, bound)
        if times.target_offset_m > settings.max_snap_m:
            note = r.Reason("recommend.method.off_graph", {**params, "metres": round(times.target_offset_m)})
        else:
            note = r.Reason("recommend.method.road", {"segments": graph.segments})
            road = _road_seconds(times, settings)
    split = split and road is not None
    found: list[r.Estimate] = []
    beyond: list[Unit] = []
    speed, detour = settings.speed_kmh, settings.detour
    n, count = 0, len(placed)
    for k, unit in enumerate(units):
        if n < count and placed[n] == k:
            seconds = None if road is None else road[n]
            n += 1
            if split and seconds is None:
                beyond.append(unit)
                continue
            straight = distance_m(lat, lon, unit.latitude or 0.0, unit.longitude or 0.0)
            if road is None or seconds == _OFF_GRAPH:
                by_distance = r.straight_drive_s(straight, detour, speed)
                found.append(r.Estimate(unit, by_distance, "distance", straight))
            else:
                found.append(r.Estimate(unit, seconds, "road", straight))
        elif split:
            beyond.append(unit)
        else:
            found.append(r.Estimate(unit, None, "none", None))
    return found, note, beyond


_OFF_GRAPH = -1.0  # a unit standing too far from any road of the graph: timed from distance instead


def _road_seconds(times: r.RoadTimes, settings: RecommendSettings) -> list[float | None]:
    """Each origin's road time plus the walks to and from the road; None past the cutoff."""
    walk = settings.off_road_kmh / 3.6
    cutoff, max_snap, target = settings.cutoff_s, settings.max_snap_m, times.target_offset_m
    found: list[float | None] = []
    for seconds, offset in zip(times.seconds, times.origin_offset_m, strict=True):
        if offset > max_snap:
            found.append(_OFF_GRAPH)
        elif seconds == math.inf:
            found.append(None)
        else:
            total = seconds + (offset + target) / walk
            found.append(total if math.isfinite(total) and total <= cutoff else None)
    return found


UnitsReader = Callable[[UnitOfWork, UUID], list[Unit]]


def repository_units(uow: UnitOfWork, tenant_id: UUID) -> list[Unit]:
    """The tenant's units through the unit of work's repository (the SQL store has a lighter read)."""
    return [u for u in uow.units.find() if u.tenant_id == tenant_id]


def recommend(
    uow: UnitOfWork,
    incident: Incident,
    graph: RoadGraph | None,
    settings: RecommendSettings,
    limit: int = DEFAULT_LIMIT,
    *,
    read_units: UnitsReader = repository_units,
) -> Computed:
    """The recommendation for an event the caller may see (read in the caller's unit of work); the
    first ``limit`` ranks and the proposed units are explained."""
    kind = tenant_types(uow, incident.tenant_id).get(incident.type_code)
    plan = kind.response_plan if kind is not None else ()
    units = [u for u in read_units(uow, incident.tenant_id) if u.tenant_id == incident.tenant_id]
    return compute(incident, plan, units, graph, settings, limit)


def compute(  # noqa: PLR0917 - recommend's own arguments, the plan and units read
    incident: Incident,
    plan: Sequence[PlannedUnits],
    units: Sequence[Unit],
    graph: RoadGraph | None,
    settings: RecommendSettings,
    limit: int = DEFAULT_LIMIT,
) -> Computed:
    """The recommendation from the event's response plan and the tenant's units (read by
    :func:`recommend`). The road search is bounded first by :attr:`RecommendSettings.stages_s`, then
    by the cutoff only if the shorter search did not settle the shown ranks (:func:`_settled`)."""
    lines = [p.unit_type for p in plan] or [r.ANY]
    able = [u for u, fills in zip(units, r.able_lines(units, lines), strict=True) if fills]
    bounds = [b for b in settings.stages_s if b < settings.cutoff_s] if len(able) > limit else []
    quickest = min((r.turnout_for(k, settings.turnout) for k in {u.kind for u in able}), default=0)
    for bound in (*bounds, settings.cutoff_s):
        last = bound >= settings.cutoff_s
        found, note, beyond = _timed(incident, able, graph, settings, bound, split=not last)
        result = r.rank(
            plan,
            found,
            turnout=settings.turnout,
            cutoff_s=settings.cutoff_s,
            detour=settings.detour,
            speed_kmh=settings.speed_kmh,
            keep=limit,
            beyond=beyond,
        )
        if last or note.key != "recommend.method.road" or _settled(result, limit, bound + quickest):
            break
    return Computed(incident, result, note, graph, settings)


def _settled(result: r.Recommendation, limit: int, horizon_s: float) -> bool:
    """Whether a search bounded short of the cutoff gave the answer the full search would: the first
    ``limit`` ranks and the proposed units are all there (every line of the plan filled), each available
    with an ETA within ``horizon_s`` (the bound plus the quickest turnout). A unit the bounded search
    did not reach drives longer than the bound, so its ETA is past the horizon and it ranks after every
    shown unit, as it would have with its time: the shown ranks, their ETAs and reasons are the same."""
    shown = [x for x in result.ranked if x.rank <= limit or x.fills is not None]
    return (
        sum(1 for x in shown if x.rank <= limit) == limit
        and all(line.missing == 0 for line in result.plan)
        and all(x.available and x.eta_s is not None and x.eta_s <= horizon_s for x in shown)
    )


@dataclass(frozen=True, slots=True)
class Recommender:
    """What a node recommends with: its settings and how it reads a tenant's units (wired in bootstrap)."""

    settings: RecommendSettings = field(default_factory=RecommendSettings)
    read_units: UnitsReader = repository_units

    def recommend(
        self, uow: UnitOfWork, incident: Incident, graph: RoadGraph | None, limit: int = DEFAULT_LIMIT
    ) -> Computed:
        return recommend(uow, incident, graph, self.settings, limit, read_units=self.read_units)


def _seconds(value: float | None) -> int | None:
    return None if value is None else round(value)


def unit_view(item: r.Ranked, now: datetime, language: str) -> dict[str, Any]:
    """One ranked unit as the API, the CLI and the console show it."""
    unit, estimate, reason = item.estimate.unit, item.estimate, item.reason
    return {
        "rank": item.rank,
        "unit_id": str(unit.id),
        "callsign": unit.callsign,
        "kind": unit.kind,
        "capabilities": list(unit.capabilities),
        "status": unit.status,
        "available": item.available,
        "drive_seconds": _seconds(estimate.drive_s),
        "turnout_seconds": item.turnout_s,
        "eta_seconds": _seconds(item.eta_s),
        "eta": None if item.eta_s is None else (now + timedelta(seconds=item.eta_s)).isoformat(),
        "distance_m": None if estimate.distance_m is None else round(estimate.distance_m),
        "method": estimate.method,
        "proposed_as": item.fills,
        "can_fill": list(item.lines),
        "reason": render(reason.key, reason.params, language),
        "reason_en": render(reason.key, reason.params, "en"),
        "reason_fr": render(reason.key, reason.params, "fr"),
    }


def recommendation_view(
    computed: Computed, now: datetime, language: str = "en", limit: int = DEFAULT_LIMIT
) -> dict[str, Any]:
    """The recommendation as JSON: the plan's lines filled, then the ranked units (at most ``limit``,
    and always those proposed)."""
    result, graph = computed.result, computed.graph
    shown = [x for x in result.ranked if x.rank <= limit or x.fills is not None]
    return {
        "event_id": str(computed.incident.id),
        "type_code": computed.incident.type_code,
        "method": result.method,
        "note": render(computed.note.key, computed.note.params, language),
        "graph": None
        if graph is None
        else {"revision": graph.revision, "nodes": graph.nodes, "segments": graph.segments},
        "cutoff_seconds": round(computed.settings.cutoff_s),
        "computed_at": now.isoformat(),
        "plan": [
            {
                "unit_type": line.unit_type,
                "count": line.count,
                "unit_ids": [str(u.id) for u in line.chosen],
                "missing": line.missing,
            }
            for line in result.plan
        ],
        "proposed": [str(u.id) for line in result.plan for u in line.chosen],
        "able_units": result.able,
        "units": [unit_view(x, now, language) for x in shown],
    }


def check_limit(limit: int) -> int:
    """How many ranked units to show: 1 to :data:`MAX_LIMIT`."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit is 1 to {MAX_LIMIT}; {limit} is not.")
    return limit
