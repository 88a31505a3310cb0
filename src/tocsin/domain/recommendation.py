"""Which units to send: the response plan's lines filled by the able units that arrive first.

Pure: drive times come in (by road, or estimated from the straight-line distance when there is no
graph), a ranked list with the reason for each rank goes out. A unit is *able* to fill a plan line when
its kind or capabilities say so (:data:`REQUIREMENTS`, or a kind or capability spelled like the line's
unit type). Available units come first, by ETA (drive time plus their kind's turnout time); units that
are engaged or out of service follow, each with what freeing it would cost. The plan's lines are filled
scarcest first (the line with the fewest able units picks before a line many units could fill), each
taking the fastest units not already taken.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal
from uuid import UUID

from tocsin.domain.nomenclature import PlannedUnits
from tocsin.domain.resources import Unit

Method = Literal["road", "distance", "none"]
AVAILABLE = "available"
ANY = "ANY"  # the one line of an empty response plan: any unit
DEFAULT_CUTOFF_S = 1800
DETOUR_FACTOR = 1.4  # roads are about this much longer than the straight line in a town
FALLBACK_SPEED_KMH = 40.0
DEFAULT_TURNOUT_S = 60
# Seconds from the alert to rolling, by unit kind (NFPA 1710: 60 s for EMS, 80 s for fire; a keyholder
# leaves from home). A room sets its own (TOCSIN_TURNOUT_SECONDS).
TURNOUT_S: Mapping[str, int] = {
    "guard": 60,
    "police": 60,
    "patrol": 60,
    "keyholder": 300,
    "fire": 80,
    "fpt": 80,
    "epa": 80,
    "ccf": 80,
    "vsr": 80,
    "vl_chef": 60,
    "cmic": 120,
    "plongeurs": 120,
    "vsav": 60,
    "ambulance": 60,
    "smur": 60,
}


@dataclass(frozen=True, slots=True)
class RoadTimes:
    """Seconds to drive from each origin to the target by road (``inf``: beyond the cutoff or not
    connected), each origin's distance off the road, and the target's."""

    seconds: list[float]
    origin_offset_m: list[float]
    target_offset_m: float


@dataclass(frozen=True, slots=True)
class Requirement:
    """What a unit must be to fill a line: one of ``kinds`` (any kind when empty) with every one of
    ``capabilities``. Compared without case."""

    kinds: frozenset[str] = frozenset()
    capabilities: frozenset[str] = frozenset()

    def admits(self, unit: Unit) -> bool:
        kind_ok = not self.kinds or unit.kind.casefold() in self.kinds
        return kind_ok and self.capabilities <= {c.casefold() for c in unit.capabilities}


def _req(kinds: tuple[str, ...] = (), capabilities: tuple[str, ...] = ()) -> Requirement:
    return Requirement(frozenset(kinds), frozenset(capabilities))


# The shipped nomenclature's unit types, as the demo room's and a fire service's units are described.
REQUIREMENTS: Mapping[str, Requirement] = {
    "PATROUILLE": _req(("police", "guard", "patrol"), ("intervention",)),
    "MAITRE_CHIEN": _req((), ("dog",)),
    "AGENT_SECURITE": _req(("guard", "keyholder"), ("intervention",)),
    "VSAV": _req(("vsav", "ambulance")),
    "SMUR": _req(("smur",)),
    "FPT": _req(("fpt", "fire_engine")),
    "EPA": _req((), ("ladder",)),
    "CCF": _req(("ccf",)),
    "VSR": _req(("vsr",)),
    "VL_CHEF": _req(("vl_chef",)),
    "CMIC": _req(("cmic",)),
    "PLONGEURS": _req((), ("diving",)),
}


def able(unit: Unit, unit_type: str) -> bool:
    """Whether the unit can fill a line of ``unit_type``."""
    if unit_type == ANY:
        return True
    wanted = unit_type.casefold()
    if unit.kind.casefold() == wanted or wanted in {c.casefold() for c in unit.capabilities}:
        return True
    requirement = REQUIREMENTS.get(unit_type.upper())
    return requirement is not None and requirement.admits(unit)


@dataclass(frozen=True, slots=True)
class Estimate:
    """A unit's drive time to the event (None: beyond the cutoff, unreachable or no position)."""

    unit: Unit
    drive_s: float | None
    method: Method
    distance_m: float | None  # straight line, None without a position


@dataclass(frozen=True, slots=True)
class Reason:
    """The reason for a rank, as a message key of the catalogue and its parameters."""

    key: str
    params: Mapping[str, str | int | float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Ranked:
    """One unit of the recommendation, in rank order."""

    rank: int
    estimate: Estimate
    turnout_s: int
    eta_s: float | None
    available: bool
    fills: str | None  # the plan line it is proposed for, None when not proposed
    lines: tuple[str, ...]  # every plan line it could fill
    reason: Reason


@dataclass(frozen=True, slots=True)
class PlanLine:
    unit_type: str
    count: int
    chosen: tuple[Unit, ...]

    @property
    def missing(self) -> int:
        return self.count - len(self.chosen)


@dataclass(frozen=True, slots=True)
class Recommendation:
    method: Method
    plan: tuple[PlanLine, ...]
    ranked: tuple[Ranked, ...]


def straight_drive_s(
    distance_m: float, detour: float = DETOUR_FACTOR, speed_kmh: float = FALLBACK_SPEED_KMH
) -> float:
    """Seconds to drive a straight-line distance lengthened by the detour factor, at a steady speed."""
    return distance_m * detour / (speed_kmh / 3.6)


def turnout_for(kind: str, turnout: Mapping[str, int]) -> int:
    """The turnout seconds of a kind of unit (the default when the kind is not listed)."""
    return turnout.get(kind.casefold(), turnout.get("*", DEFAULT_TURNOUT_S))


def duration_text(seconds: float) -> str:
    """``45 s``, ``4 min 10 s``, ``1 h 05 min``: the same in English and French."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        minutes, rest = divmod(whole, 60)
        return f"{minutes} min {rest:02d} s" if rest else f"{minutes} min"
    hours, rest = divmod(whole, 3600)
    return f"{hours} h {rest // 60:02d} min"


def _order(item: tuple[Estimate, int]) -> tuple[int, float, str]:
    estimate, turnout = item
    eta = math.inf if estimate.drive_s is None else estimate.drive_s + turnout
    placed = 0 if estimate.drive_s is not None else 1 if estimate.distance_m is not None else 2
    return placed, eta, estimate.unit.callsign.casefold()


def rank(
    plan: Sequence[PlannedUnits],
    estimates: Sequence[Estimate],
    *,
    turnout: Mapping[str, int] = TURNOUT_S,
    cutoff_s: float = DEFAULT_CUTOFF_S,
    detour: float = DETOUR_FACTOR,
    speed_kmh: float = FALLBACK_SPEED_KMH,
) -> Recommendation:
    """The units able to fill a line of the plan, available first, each by ETA, with the reasons."""
    lines = tuple(plan) or (PlannedUnits(ANY, 1),)
    able_to = {e.unit.id: tuple(x.unit_type for x in lines if able(e.unit, x.unit_type)) for e in estimates}
    kept = [(e, turnout_for(e.unit.kind, turnout)) for e in estimates if able_to[e.unit.id]]
    free = sorted((x for x in kept if x[0].unit.status == AVAILABLE), key=_order)
    busy = sorted((x for x in kept if x[0].unit.status != AVAILABLE), key=_order)
    chosen = _fill(lines, [e.unit for e, _ in free], able_to)
    fills = {u.id: line.unit_type for line in chosen for u in line.chosen}
    first_eta = next((e.drive_s + t for e, t in free if e.drive_s is not None), None)
    ranked = []
    for position, (estimate, turn) in enumerate([*free, *busy], start=1):
        eta = None if estimate.drive_s is None else estimate.drive_s + turn
        reason = _reason(
            estimate, turn, eta, first_eta, fills.get(estimate.unit.id), figures=(cutoff_s, detour, speed_kmh)
        )
        ranked.append(
            Ranked(
                position,
                estimate,
                turn,
                eta,
                estimate.unit.status == AVAILABLE,
                fills.get(estimate.unit.id),
                able_to[estimate.unit.id],
                reason,
            )
        )
    methods = {e.method for e in estimates if e.method != "none"}
    method: Method = "road" if "road" in methods else "distance" if methods else "none"
    return Recommendation(method, chosen, tuple(ranked))


def _fill(
    lines: Sequence[PlannedUnits], ordered: Sequence[Unit], able_to: Mapping[UUID, tuple[str, ...]]
) -> tuple[PlanLine, ...]:
    """Each line takes its fastest untaken able units, the line with the fewest able units first."""
    scarcity = {x.unit_type: sum(1 for u in ordered if x.unit_type in able_to[u.id]) for x in lines}
    taken: set[UUID] = set()
    picked: dict[int, tuple[Unit, ...]] = {}
    for index in sorted(range(len(lines)), key=lambda i: (scarcity[lines[i].unit_type], i)):
        line = lines[index]
        mine = [u for u in ordered if u.id not in taken and line.unit_type in able_to[u.id]][: line.count]
        taken.update(u.id for u in mine)
        picked[index] = tuple(mine)
    return tuple(PlanLine(x.unit_type, x.count, picked[i]) for i, x in enumerate(lines))


def _reason(
    estimate: Estimate,
    turnout_s: int,
    eta: float | None,
    first_eta: float | None,
    fills: str | None,
    *,
    figures: tuple[float, float, float],
) -> Reason:
    """Why a unit stands where it does (``figures``: the cutoff, the detour factor, the fallback speed)."""
    cutoff_s, detour, speed_kmh = figures
    unit = estimate.unit
    if estimate.distance_m is None:
        key = "recommend.no_position" if unit.status == AVAILABLE else "recommend.busy_no_position"
        return Reason(key, {"unit_status": unit.status})
    km = f"{estimate.distance_m / 1000:.1f}"
    if eta is None or estimate.drive_s is None:
        key = "recommend.beyond" if unit.status == AVAILABLE else "recommend.busy_beyond"
        return Reason(key, {"cutoff": duration_text(cutoff_s), "km": km, "unit_status": unit.status})
    params: dict[str, str | int | float] = {
        "drive": duration_text(estimate.drive_s),
        "turnout": duration_text(turnout_s),
        "eta": duration_text(eta),
        "km": km,
        "detour": f"{detour:g}",
        "speed": f"{speed_kmh:g}",
        "unit_status": unit.status,
        "line": fills or "",
        "behind": duration_text(eta - first_eta) if first_eta is not None else "",
    }
    how = "road" if estimate.method == "road" else "distance"
    if unit.status != AVAILABLE:
        return Reason(f"recommend.busy.{how}", params)
    first = first_eta is not None and eta <= first_eta
    order = "first" if first else "next"
    proposed = ".proposed" if fills else ""
    return Reason(f"recommend.{order}.{how}{proposed}", params)
