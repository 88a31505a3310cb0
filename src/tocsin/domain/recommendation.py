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
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

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
        return kind_ok and self.capabilities <= traits(unit)


def traits(unit: Unit) -> set[str]:
    """What a unit can do or carries: its capabilities, and its equipment where units have one (the
    units' status work adds ``equipment``: a ladder, a defibrillator), without case."""
    carried = getattr(unit, "equipment", ())
    return {c.casefold() for c in (*unit.capabilities, *carried)}


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
    if unit.kind.casefold() == wanted or wanted in traits(unit):
        return True
    requirement = REQUIREMENTS.get(unit_type.upper())
    return requirement is not None and requirement.admits(unit)


class Estimate(NamedTuple):
    """A unit's drive time to the event (None: beyond the cutoff, unreachable or no position).

    A named tuple, immutable like the frozen dataclasses but made in a fifth of the time: a
    recommendation makes one per unit of the fleet."""

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
    ranked: tuple[Ranked, ...]  # in rank order; perhaps only the first ranks and the proposed units
    able: int  # how many able units were ranked


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


def able_lines(units: Sequence[Unit], lines: Sequence[str]) -> list[tuple[str, ...]]:
    """For each unit, the lines it could fill (worked out once per kind and capabilities)."""
    memo: dict[tuple[str, tuple[str, ...], tuple[str, ...]], tuple[str, ...]] = {}
    found = []
    for unit in units:
        key = (unit.kind, unit.capabilities, unit.equipment)
        lines_of = memo.get(key)
        if lines_of is None:
            lines_of = memo[key] = tuple(line for line in lines if able(unit, line))
        found.append(lines_of)
    return found


def rank(
    plan: Sequence[PlannedUnits],
    estimates: Sequence[Estimate],
    *,
    turnout: Mapping[str, int] = TURNOUT_S,
    cutoff_s: float = DEFAULT_CUTOFF_S,
    detour: float = DETOUR_FACTOR,
    speed_kmh: float = FALLBACK_SPEED_KMH,
    keep: int | None = None,
    beyond: Sequence[Unit] = (),
) -> Recommendation:
    """The units able to fill a line of the plan, available first, each by ETA, with the reasons.
    ``keep``: only the first so many ranks (and the proposed units) are returned, the count is kept.

    ``beyond``: able units known to rank after every estimate given (a bounded search did not reach
    them): counted (in ``able`` and in how scarce each line is) but neither ranked nor proposed, so a
    line they alone could fill comes back short and the caller searches farther."""
    lines = tuple(plan) or (PlannedUnits(ANY, 1),)
    names = list(dict.fromkeys(x.unit_type for x in lines))  # a type named on two lines is one
    able_to = able_lines([e.unit for e in estimates], names)
    turnouts = {kind: turnout_for(kind, turnout) for kind in {e.unit.kind for e in estimates}}
    order = [  # (busy, placed, eta, callsign, index): one sort puts the ranks in place
        (
            unit.status != AVAILABLE,
            0 if drive_s is not None else 1 if distance_m is not None else 2,
            math.inf if drive_s is None else drive_s + turnouts[unit.kind],
            unit.callsign.casefold(),
            index,
        )
        for index, (unit, drive_s, _method, distance_m) in enumerate(estimates)
        if able_to[index]
    ]
    order.sort()
    free = [row[4] for row in order if not row[0]]
    beyond_lines = able_lines(beyond, names)
    far = [x for u, x in zip(beyond, beyond_lines, strict=True) if x and u.status == AVAILABLE]
    chosen = _fill(lines, free, able_to, far)
    fills = {index: line.unit_type for line, indexes in chosen for index in indexes}
    first = order[0] if order and not order[0][0] and order[0][1] == 0 else None
    first_eta = None if first is None else first[2]
    ranked = []
    for position, row in enumerate(order, start=1):
        fill = fills.get(row[4])
        if keep is not None and position > keep and fill is None:
            continue
        estimate = estimates[row[4]]
        turn = turnouts[estimate.unit.kind]
        eta_s = None if estimate.drive_s is None else estimate.drive_s + turn
        reason = _reason(estimate, turn, eta_s, first_eta, fill, figures=(cutoff_s, detour, speed_kmh))
        available = estimate.unit.status == AVAILABLE
        ranked.append(Ranked(position, estimate, turn, eta_s, available, fill, able_to[row[4]], reason))
    methods = {e.method for e in estimates if e.method != "none"}
    method: Method = "road" if "road" in methods else "distance" if methods else "none"
    plan_lines = tuple(
        PlanLine(line.unit_type, line.count, tuple(estimates[k].unit for k in indexes))
        for line, indexes in chosen
    )
    counted = len(order) + sum(1 for lines_of in beyond_lines if lines_of)
    return Recommendation(method, plan_lines, tuple(ranked), counted)


def _fill(
    lines: Sequence[PlannedUnits],
    ordered: Sequence[int],
    able_to: Sequence[tuple[str, ...]],
    far: Sequence[tuple[str, ...]] = (),
) -> list[tuple[PlannedUnits, tuple[int, ...]]]:
    """Each line takes its fastest untaken able units (``ordered``: indexes of the available units,
    fastest first), the line with the fewest able units first (``far``: the lines of available units
    counted in that scarcity but not taken)."""
    tally = Counter(line for k in ordered for line in able_to[k])
    tally.update(line for lines_of in far for line in lines_of)
    taken: set[int] = set()
    picked: dict[int, tuple[int, ...]] = {}
    for index in sorted(range(len(lines)), key=lambda n: (tally[lines[n].unit_type], n)):
        line, mine = lines[index], list[int]()
        for k in ordered:
            if len(mine) == line.count:
                break
            if k not in taken and line.unit_type in able_to[k]:
                mine.append(k)
        taken.update(mine)
        picked[index] = tuple(mine)
    return [(x, picked[n]) for n, x in enumerate(lines)]


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
