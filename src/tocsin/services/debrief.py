"""An event's debrief read from the logbook: what is read, how far, and the JSON view the API, the CLI and
the console share.

The event's own entries are its timeline (copies of its logbook entries kept with it); its units' entries
come from one read of the tenant's logbook between the call and the close (a minute after, for the
entries of the closing transaction), of the events' and units' kinds only (:data:`KINDS`, filtered by
the store), keeping those that name the event. The read stops at :data:`ENTRIES_MAX` entries and the
debrief says so (``truncated``). A unit whose engagement entry names
no position (entries written before it did) is placed at its last report before, looked for in at most
:data:`LOOKBACK_MAX` entries. Who may read the event may read its debrief: the event is found in the
caller's scope first, then its tenant's logbook is read (an event's entries name no client or site).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from tocsin.domain import debrief as d
from tocsin.domain import incidents as i
from tocsin.domain.logbook import LogbookEntry, SubjectRef
from tocsin.domain.scope import Scope
from tocsin.i18n import render
from tocsin.services.handlers.incidents import incident_in_scope
from tocsin.services.incident_views import board_view
from tocsin.services.unit_of_work import UnitOfWork

ENTRIES_MAX = 20_000  # logbook entries read for one debrief
LOOKBACK_MAX = 2_000  # entries read back from an engagement for a unit's position before it
CLOSE_MARGIN = timedelta(minutes=1)
KINDS = ("incident.", "unit.")  # the entries an event's replay may hold: the rest is not read


@dataclass(frozen=True, slots=True)
class Debrief:
    """An event, its replay, and how much of the logbook was read for it."""

    incident: i.Incident
    replay: d.Replay
    entries_read: int
    truncated: bool
    limit: int


def _item(entry: LogbookEntry) -> i.TimelineItem:
    return i.TimelineItem(
        entry.seq, entry.recorded_at, entry.kind, entry.message, dict(entry.params), entry.actor
    )


def gather(uow: UnitOfWork, incident_id: UUID, limit: int = ENTRIES_MAX) -> Debrief:
    """The event's debrief (NotFound when the event is not in the caller's scope)."""
    incident = incident_in_scope(uow, incident_id)
    tenant = Scope.tenant(incident.tenant_id)
    subject = SubjectRef("incident", str(incident.id))
    since = min([incident.opened_at, *(t.at for t in incident.timeline[:1])])
    until = None if incident.closed_at is None else incident.closed_at + CLOSE_MARGIN
    items, read, truncated = list(incident.timeline), 0, False
    # read to its end (bounded by the limit): a server-side cursor left open would hold the transaction
    for entry in uow.logbook.read(tenant, since=since, until=until, limit=limit + 1, kind_prefixes=KINDS):
        read += 1
        if read > limit:
            truncated, read = True, limit
        elif subject in entry.subjects:
            items.append(_item(entry))
    before = _positions_before(uow, tenant, items)
    found = d.replay(str(incident.id), items, before)
    return Debrief(incident, found, read, truncated, limit)


def _positions_before(
    uow: UnitOfWork, tenant: Scope, items: list[i.TimelineItem]
) -> dict[str, i.TimelineItem]:
    """Each unit's last position report before its engagement, for the units whose engagement entry does
    not name where they were; one read back from the last such engagement, bounded."""
    engaged: dict[str, datetime] = {}
    for item in items:
        unit_id = str(item.params.get("unit_id", ""))
        if item.kind == d.ENGAGED_KIND and item.params.get("latitude") is None and unit_id not in engaged:
            engaged[unit_id] = item.at
    if not engaged:
        return {}
    found: dict[str, i.TimelineItem] = {}
    until = max(engaged.values()) + timedelta(microseconds=1)
    positions = uow.logbook.read(
        tenant, until=until, limit=LOOKBACK_MAX, newest_first=True, kind_prefixes=(d.POSITION_KIND,)
    )
    for entry in positions:
        unit_id = str(entry.params.get("unit_id", ""))
        if entry.kind != d.POSITION_KIND or unit_id not in engaged or unit_id in found:
            continue  # read to its end (bounded), as above
        if entry.recorded_at <= engaged[unit_id]:
            found[unit_id] = _item(entry)
    return found


# ---------------------------------------------------------------- views


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _unit_state(unit: d.UnitState) -> dict[str, Any]:
    return {
        "unit_id": unit.unit_id,
        "status": unit.status,
        "engaged": unit.engaged,
        "latitude": unit.latitude,
        "longitude": unit.longitude,
        "flag": unit.flag,
    }


def step_view(step: d.Step, language: str) -> dict[str, Any]:
    item = step.item
    return {
        "seq": item.seq,
        "at": item.at.isoformat(),
        "offset_s": round(step.offset_s, 3),
        "kind": item.kind,
        "actor": item.actor,
        "text": render(item.message, item.params, language),
        "unit_id": step.unit_id,
        "event": {
            "state": step.event.state,
            "latitude": step.event.latitude,
            "longitude": step.event.longitude,
            "address": step.event.address,
        },
        "units": [_unit_state(u) for u in step.units],
    }


def debrief_view(found: Debrief, language: str = "en") -> dict[str, Any]:
    """The debrief as JSON: the event as it stands, its units, and the steps of its replay."""
    replay = found.replay
    return {
        "event": board_view(found.incident),
        "opened_at": _iso(replay.opened_at),
        "duration_s": round(replay.steps[-1].offset_s, 3) if replay.steps else 0.0,
        "units": [
            {
                "unit_id": u.unit_id,
                "callsign": u.callsign,
                "unit_kind": u.kind,
                "engaged_at": u.engaged_at.isoformat(),
                "released_at": _iso(u.released_at),
            }
            for u in replay.units
        ],
        "steps": [step_view(s, language) for s in replay.steps],
        "entries_read": found.entries_read,
        "limit": found.limit,
        "truncated": found.truncated,
    }
