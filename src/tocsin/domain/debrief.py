"""An event's debrief: its timeline replayed from the logbook, step by step, with where each engaged unit
was and in which status, and where the event was, at every step.

Pure: the caller hands the entries (:class:`~tocsin.domain.incidents.TimelineItem`, copies of logbook
entries: seq, time, kind, message, params, actor). Every incident entry carries the event as it then
stood (state, place, opened_at) and every unit entry the unit (callsign, type, status, the event it was
about; a position report its snapped latitude and longitude), so the replay needs nothing else: not the
event's row nor the units' rows as they are now.

A unit joins the replay at its engagement (``unit.engaged``) and leaves it at its release (its status out
of the engaged ones, :data:`~tocsin.domain.units.ENGAGED`): after that its last status stays shown, and
no later entry of it is taken, unless it is engaged on the event again. Its position before its first
report on the event is the one its engagement entry names, or else its last report before (``before``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from tocsin.domain.incidents import TimelineItem
from tocsin.domain.units import ENGAGED

ENGAGED_KIND, POSITION_KIND = "unit.engaged", "unit.position"
UNIT_KINDS = ("unit.engaged", "unit.status", "unit.released", "unit.position", "unit.flagged")


@dataclass(frozen=True, slots=True)
class UnitState:
    """A unit as the replay knows it at one step."""

    unit_id: str
    status: str
    engaged: bool
    latitude: float | None = None
    longitude: float | None = None
    flag: str = ""


@dataclass(frozen=True, slots=True)
class EventState:
    """The event as it stood at one step (its place may change while it runs)."""

    state: str
    latitude: float | None
    longitude: float | None
    address: str


@dataclass(frozen=True, slots=True)
class Step:
    """One entry of the timeline, with everything known once it happened."""

    item: TimelineItem
    offset_s: float  # since the call (the event's opening)
    unit_id: str | None  # the unit the entry is about, if any
    event: EventState
    units: tuple[UnitState, ...]  # every unit engaged so far, by order of engagement


@dataclass(frozen=True, slots=True)
class ReplayUnit:
    """A unit engaged on the event, with its first engagement and its last release (None: still on)."""

    unit_id: str
    callsign: str
    kind: str
    engaged_at: datetime
    released_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Replay:
    incident_id: str
    opened_at: datetime | None
    units: tuple[ReplayUnit, ...]
    steps: tuple[Step, ...]

    def at(self, offset_s: float) -> Step | None:
        """The last step at or before ``offset_s`` seconds after the call (None before the first)."""
        found = None
        for step in self.steps:
            if step.offset_s > offset_s:
                break
            found = step
        return found


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _opened_at(items: list[TimelineItem]) -> datetime | None:
    for item in items:
        text = item.params.get("opened_at")
        if isinstance(text, str):
            return datetime.fromisoformat(text)
    return items[0].at if items else None


class _Builder:
    """The replay's running state, moved by one entry at a time."""

    def __init__(self, incident_id: str, before: Mapping[str, TimelineItem]) -> None:
        self.incident_id = incident_id
        self.before = before
        self.event = EventState("", None, None, "")
        self.units: dict[str, UnitState] = {}  # by unit id, in order of engagement
        self.known: dict[str, ReplayUnit] = {}

    def take(self, item: TimelineItem) -> tuple[bool, str | None]:
        """Apply the entry; say whether it belongs to the replay, and the unit it is about."""
        params = item.params
        if item.kind.startswith("incident.") and params.get("incident_id") == self.incident_id:
            self._event(params)
            return True, None
        if item.kind not in UNIT_KINDS or params.get("incident_id") != self.incident_id:
            return False, None
        unit_id = str(params.get("unit_id", ""))
        now = self.units.get(unit_id)
        if item.kind == ENGAGED_KIND:
            now = self._engaged(item, unit_id, now)
        elif now is None or not now.engaged:
            return False, None  # a unit's entry outside its engagement: not this event's
        status = str(params.get("status", now.status))
        engaged = status in ENGAGED
        now = replace(now, status=status, engaged=engaged, flag=str(params.get("flag", "") or ""))
        if item.kind == POSITION_KIND:
            now = replace(
                now, latitude=_float(params.get("latitude")), longitude=_float(params.get("longitude"))
            )
        self.units[unit_id] = now
        if not engaged:
            self.known[unit_id] = replace(self.known[unit_id], released_at=item.at)
        return True, unit_id

    def _event(self, params: Mapping[str, Any]) -> None:
        """The event as the entry names it (an entry that does not carry a field leaves it as it was)."""
        was = self.event
        placed = "latitude" in params
        self.event = EventState(
            state=str(params.get("state", was.state)),
            latitude=_float(params.get("latitude")) if placed else was.latitude,
            longitude=_float(params.get("longitude")) if placed else was.longitude,
            address=str(params.get("address", was.address) or ""),
        )

    def _engaged(self, item: TimelineItem, unit_id: str, now: UnitState | None) -> UnitState:
        params = item.params
        latitude, longitude = _float(params.get("latitude")), _float(params.get("longitude"))
        if latitude is None and now is not None:  # engaged again: it is where it was last seen
            latitude, longitude = now.latitude, now.longitude
        seen = self.before.get(unit_id)
        if latitude is None and seen is not None:
            latitude, longitude = _float(seen.params.get("latitude")), _float(seen.params.get("longitude"))
        if unit_id not in self.known:
            callsign, kind = str(params.get("callsign", "")), str(params.get("unit_kind", ""))
            self.known[unit_id] = ReplayUnit(unit_id, callsign, kind, item.at)
        else:
            self.known[unit_id] = replace(self.known[unit_id], released_at=None)
        return UnitState(unit_id, "alerted", True, latitude, longitude)


def replay(
    incident_id: str, items: Iterable[TimelineItem], before: Mapping[str, TimelineItem] | None = None
) -> Replay:
    """The event's replay from its entries and its units' (any order, duplicates by ``seq`` once):
    ``before`` holds, by unit id, each unit's last position report before it was engaged."""
    ordered = sorted({x.seq: x for x in items}.values(), key=lambda x: x.seq)
    opened_at = _opened_at([x for x in ordered if x.kind.startswith("incident.")])
    builder = _Builder(incident_id, before or {})
    steps = []
    for item in ordered:
        taken, unit_id = builder.take(item)
        if not taken:
            continue
        offset = 0.0 if opened_at is None else (item.at - opened_at).total_seconds()
        steps.append(Step(item, offset, unit_id, builder.event, tuple(builder.units.values())))
    return Replay(incident_id, opened_at, tuple(builder.known.values()), tuple(steps))
