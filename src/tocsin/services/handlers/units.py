"""Units: create them, engage them on events, change their status, move them, release them, and the
reports their crews send; the timers that watch them.

Every change writes the unit, its status history line, the assignment's times and the logbook entry in
one transaction, and moves the unit's timers (deadlines of kinds :data:`TIMER_KINDS`, keyed by the unit).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from uuid import UUID

from tocsin.domain import incidents as i
from tocsin.domain import units as u
from tocsin.domain.deadlines import Deadline
from tocsin.domain.errors import InvalidInput, NotFound
from tocsin.domain.incident_events import IncidentUpdated
from tocsin.domain.places import check_coordinates
from tocsin.domain.resources import Unit
from tocsin.domain.street_map import MAX_RADIUS_M, BoundingBox
from tocsin.domain.unit_events import (
    UnitCreated,
    UnitEngaged,
    UnitEvent,
    UnitFlagged,
    UnitMoved,
    UnitReleased,
    UnitReported,
    UnitStatusChanged,
)
from tocsin.domain.users import Forbidden
from tocsin.services.handlers.incidents import _event as incident_event
from tocsin.services.handlers.incidents import _write as write_incident
from tocsin.services.handlers.incidents import incident_in_scope
from tocsin.services.handlers.registry import Deps, Handlers
from tocsin.services.scheduler import arm
from tocsin.services.unit_of_work import UnitOfWork

ACK, ON_SCENE, STALE = "unit.ack", "unit.on_scene", "unit.stale"
TIMER_KINDS = (ACK, ON_SCENE, STALE)
FLAG_OF = {ACK: "ack_overdue", ON_SCENE: "on_scene_long", STALE: "status_stale"}
ENGAGE_MAX = 50
SNAP_LIMIT = 200  # road segments read around a position to find the nearest
WORLD = BoundingBox(-90.0, -180.0, 90.0, 180.0)


def unit_in_scope(uow: UnitOfWork, unit_id: UUID, crew_of: UUID | None = None) -> Unit:
    """The unit, if the scope sees it; when a crew acts (``crew_of``: its user), only its own unit."""
    found = uow.units.get(unit_id)
    if found is None:
        raise NotFound(f"No unit {unit_id} in your scope: list the units to find the right id.")
    if crew_of is not None:
        user = uow.users.get(crew_of)
        if user is None or user.unit_id != found.id:
            raise Forbidden(
                f"Your login reports for its own unit only, not for {found.callsign}: ask a supervisor to"
                " link your login to the right unit."
            )
    return found


def active_assignment(uow: UnitOfWork, unit: Unit) -> u.Assignment | None:
    found = uow.assignments.find(unit_id=unit.id, released_at=None)
    return found[0] if found else None


def _payload(unit: Unit, event: type[UnitEvent], by: str, **extra: object) -> UnitEvent:
    return event(
        tenant_id=unit.tenant_id,
        unit_id=unit.id,
        callsign=unit.callsign,
        unit_kind=unit.kind,
        status=unit.status,
        incident_id=unit.event_id,
        flag=unit.flag,
        by=by,
        **extra,
    )


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 7)


def _timer_of(status: str, kind: str) -> tuple[str, int] | None:
    """The timer a unit of this type runs in this status (its deadline kind and seconds), if any."""
    timers = u.timers_for(kind)
    if status == "alerted":
        return ACK, timers.ack_s
    if status == "on_scene":
        return ON_SCENE, timers.on_scene_s
    if status in u.STALE_STATUSES:
        return STALE, timers.stale_s
    return None


def _rearm(uow: UnitOfWork, unit: Unit, now: datetime, previous: str) -> None:
    """The unit's timer for its new status; the previous status's one is cancelled (or moved, when it
    is of the same kind: arming a key again moves its deadline)."""
    before, due = _timer_of(previous, unit.kind), _timer_of(unit.status, unit.kind)
    if before is not None and (due is None or due[0] != before[0]):
        uow.deadlines.cancel(before[0], str(unit.id))
    if due is None:
        return
    kind, seconds = due
    payload = {"status": unit.status, "since": now.isoformat(), "seconds": seconds}
    arm(uow, kind, str(unit.id), now + timedelta(seconds=seconds), tenant_id=unit.tenant_id, payload=payload)


def _history(uow: UnitOfWork, unit: Unit, previous: str, incident_id: UUID | None, by: str) -> None:
    at = unit.status_at or uow.clock.now()
    uow.unit_history.add(
        u.StatusChange(
            uow.clock.new_id(), unit.tenant_id, unit.id, unit.status, previous, at, incident_id, by
        )
    )


def _incident_follows(
    uow: UnitOfWork, incident_id: UUID, target: i.IncidentState, by: str, actor: str
) -> None:
    """Move the event forward with its units (dispatched when one is alerted, on scene when one arrives)."""
    incident = uow.incidents.get(incident_id)
    if incident is None or not i.may_move(incident.state, target):
        return
    if i.STATES.index(target) <= i.STATES.index(incident.state):
        return
    after = i.move(incident, target, uow.clock.now())
    changes = f"state: {incident.state} → {target}"
    write_incident(uow, after, incident_event(IncidentUpdated, after, by, changes=changes), actor)


def _set_status(
    uow: UnitOfWork,
    unit: Unit,
    target: str,
    by: str,
    actor: str,
    *,
    event: type[UnitEvent] = UnitStatusChanged,
) -> Unit:
    """Move the unit (already checked), fill its assignment's times, keep the history, log, re-arm."""
    now = uow.clock.now()
    previous = unit.status
    assignment = active_assignment(uow, unit) if unit.event_id is not None else None
    incident_id = unit.event_id
    if assignment is not None:
        uow.assignments.update(u.progressed(assignment, target, now))
    after = replace(
        unit,
        status=target,
        status_at=now,
        flag="",
        event_id=unit.event_id if target in u.ENGAGED else None,
    )
    uow.units.update(after)
    _history(uow, after, previous, incident_id, by)
    shown = replace(after, event_id=incident_id)  # the entry names the event the change was about
    uow.record(_payload(shown, event, by, previous=previous), actor)
    _rearm(uow, after, now, previous)
    if target == "on_scene" and incident_id is not None:
        _incident_follows(uow, incident_id, "on_scene", by, actor)
    return after


def change_status(cmd: u.ChangeUnitStatus, uow: UnitOfWork, actor: str, _deps: Deps) -> Unit:
    unit = unit_in_scope(uow, cmd.unit_id, cmd.crew_of)
    u.check_move(unit, cmd.status)
    return _set_status(uow, unit, cmd.status, cmd.by, actor)


def engage(cmd: u.EngageUnits, uow: UnitOfWork, actor: str, _deps: Deps) -> list[u.Assignment]:
    """Alert the units on the event, all or none: one that cannot be engaged refuses the whole call."""
    incident = i.still_open(incident_in_scope(uow, cmd.incident_id))
    if not cmd.unit_ids:
        raise InvalidInput("Name the units to engage (unit_ids): list the units to find their ids.")
    if len(cmd.unit_ids) > ENGAGE_MAX:
        raise InvalidInput(f"At most {ENGAGE_MAX} units are engaged at once.")
    if len(set(cmd.unit_ids)) != len(cmd.unit_ids):
        raise InvalidInput("A unit is named twice in unit_ids: name each unit once.")
    units = [unit_in_scope(uow, unit_id) for unit_id in cmd.unit_ids]
    for unit in units:
        if unit.tenant_id != incident.tenant_id:
            raise NotFound(f"No unit {unit.id} in this event's tenant.")
        u.check_engageable(unit)
        u.check_move(unit, "alerted", engaging=True)
    now = uow.clock.now()
    made = []
    for unit in units:
        assignment = u.Assignment(
            uow.clock.new_id(), unit.tenant_id, incident.id, unit.id, unit.callsign, now, by=cmd.by
        )
        uow.assignments.add(assignment)
        made.append(assignment)
        previous = unit.status
        after = replace(unit, status="alerted", status_at=now, flag="", event_id=incident.id)
        uow.units.update(after)
        _history(uow, after, previous, incident.id, cmd.by)
        where = {"latitude": _rounded(after.latitude), "longitude": _rounded(after.longitude)}
        payload = _payload(
            after, UnitEngaged, cmd.by, address=incident.address, type_code=incident.type_code, **where
        )
        uow.record(payload, actor)
        _rearm(uow, after, now, previous)
    _incident_follows(uow, incident.id, "dispatched", cmd.by, actor)
    return made


def release(cmd: u.ReleaseUnit, uow: UnitOfWork, actor: str, _deps: Deps) -> Unit:
    incident = incident_in_scope(uow, cmd.incident_id)
    unit = unit_in_scope(uow, cmd.unit_id)
    if unit.event_id != incident.id:
        raise InvalidInput(f"Unit {unit.callsign} is not engaged on event {incident.id}: nothing to release.")
    target = u.release_target(unit)
    return _set_status(uow, unit, target, cmd.by, actor, event=UnitReleased)


def move(cmd: u.MoveUnit, uow: UnitOfWork, actor: str, _deps: Deps) -> Unit:
    """A reported position, snapped to the nearest road; one far from every road is refused."""
    check_coordinates(cmd.latitude, cmd.longitude)
    unit = unit_in_scope(uow, cmd.unit_id, cmd.crew_of)
    box = BoundingBox.around(cmd.latitude, cmd.longitude, MAX_RADIUS_M)
    pieces, _more = uow.geo.pieces_within(box, SNAP_LIMIT)
    snapped = u.snap(cmd.latitude, cmd.longitude, [(p.start, p.end) for p in pieces])
    if snapped is None or snapped[2] > MAX_RADIUS_M:
        if uow.geo.pieces_within(WORLD, 1)[0]:
            raise InvalidInput(
                f"The position {cmd.latitude:.5f}, {cmd.longitude:.5f} is outside the room's area (no road"
                f" of its map within {MAX_RADIUS_M} m): check the device's location and send it again."
            )
        snapped = None  # no map at all: the position is kept as reported
    latitude, longitude = (cmd.latitude, cmd.longitude) if snapped is None else snapped[:2]
    after = replace(unit, latitude=latitude, longitude=longitude, position_at=uow.clock.now())
    uow.units.update(after)
    uow.record(
        _payload(
            after,
            UnitMoved,
            cmd.by,
            latitude=round(latitude, 7),
            longitude=round(longitude, 7),
            reported_latitude=cmd.latitude,
            reported_longitude=cmd.longitude,
            snapped_m=None if snapped is None else round(snapped[2], 1),
        ),
        actor,
    )
    return after


def report(cmd: u.ReportFromUnit, uow: UnitOfWork, actor: str, _deps: Deps) -> i.Incident:
    """A crew's situation update, message or reinforcement request: a line of its event's narrative."""
    unit = unit_in_scope(uow, cmd.unit_id, cmd.crew_of)
    if cmd.kind not in u.REPORT_KINDS:
        raise InvalidInput(f"A report is one of {', '.join(u.REPORT_KINDS)}, not {cmd.kind!r}.")
    text = cmd.text.strip()
    if not text and cmd.kind != "reinforcement":
        raise InvalidInput("A report needs some text.")
    if len(text) > u.TEXT_MAX:
        raise InvalidInput(f"A report is at most {u.TEXT_MAX} characters.")
    if unit.event_id is None:
        raise InvalidInput(
            f"Unit {unit.callsign} is engaged on no event: a report goes to the event the unit is on."
        )
    incident = i.still_open(incident_in_scope(uow, unit.event_id))
    line = {"at": uow.clock.now().isoformat(), "by": unit.callsign, "text": text, "kind": cmd.kind}
    after = replace(incident, notes=(*incident.notes, line))
    event = incident_event(
        UnitReported,
        after,
        unit.callsign,
        unit_id=unit.id,
        callsign=unit.callsign,
        report_kind=cmd.kind,
        text=text,
    )
    return write_incident(uow, after, event, actor)


def create_unit(cmd: u.CreateUnit, uow: UnitOfWork, actor: str, _deps: Deps) -> Unit:
    if len(cmd.equipment) > u.EQUIPMENT_MAX or len(cmd.capabilities) > u.EQUIPMENT_MAX:
        raise InvalidInput(f"A unit lists at most {u.EQUIPMENT_MAX} capabilities and pieces of equipment.")
    if cmd.kind.strip() == "" or len(cmd.kind) > 32:
        raise InvalidInput("A unit's type is 1 to 32 characters (guard, police, fire, ambulance…).")
    unit = Unit(
        id=uow.clock.new_id(),
        tenant_id=cmd.tenant_id,
        callsign=cmd.callsign,
        kind=cmd.kind.strip(),
        capabilities=tuple(x.strip() for x in cmd.capabilities if x.strip()),
        equipment=tuple(x.strip() for x in cmd.equipment if x.strip()),
        crew=cmd.crew,
        station=cmd.station.strip(),
        latitude=cmd.latitude,
        longitude=cmd.longitude,
        status_at=uow.clock.now(),
    )
    if uow.units.find(tenant_id=cmd.tenant_id, callsign=unit.callsign):
        raise InvalidInput(f"The callsign {unit.callsign!r} is taken in this tenant: choose another.")
    uow.units.add(unit)
    uow.record(_payload(unit, UnitCreated, actor, station=unit.station or "-"), actor)
    if cmd.user_id is not None:
        link_user(uow, unit, cmd.user_id)
    return unit


def link_user(uow: UnitOfWork, unit: Unit, user_id: UUID) -> None:
    """Make the user the crew's login of this unit (it reports for this unit only)."""
    user = uow.users.get(user_id)
    if user is None or user.tenant_id != unit.tenant_id:
        raise NotFound(f"No user {user_id} in the unit's tenant.")
    uow.users.update(replace(user, unit_id=unit.id))


# ---------------------------------------------------------------- timers


def on_timer(uow: UnitOfWork, deadline: Deadline) -> None:
    """A unit's timer ran out while it stayed in the same status: flag it (on the board, and an entry
    that the supervisors' consoles receive live)."""
    unit = uow.units.get(UUID(deadline.key))
    since = str(deadline.payload.get("since", ""))
    if unit is None or unit.status != deadline.payload.get("status"):
        return
    if unit.status_at is None or unit.status_at.isoformat() != since:
        return
    flag = FLAG_OF[deadline.kind]
    after = replace(unit, flag=flag)
    uow.units.update(after)
    seconds = int(deadline.payload.get("seconds", 0))
    uow.record(_payload(after, UnitFlagged, "scheduler", seconds=seconds), "scheduler")


DEADLINES = dict.fromkeys(TIMER_KINDS, on_timer)

HANDLERS = (
    Handlers()
    .add(u.CreateUnit, create_unit)
    .add(u.ChangeUnitStatus, change_status)
    .add(u.EngageUnits, engage)
    .add(u.ReleaseUnit, release)
    .add(u.MoveUnit, move)
    .add(u.ReportFromUnit, report)
)
