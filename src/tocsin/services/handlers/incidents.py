"""Dispatch incidents: open one (from a call, an operator, an alarm, a partner, a CAP alert), change it,
write its narrative, link it; and the administrators' edits of the nomenclature.

Every change records its logbook entry in the same transaction and copies that entry into the
incident's timeline; a write made on a stale read is refused (IncidentChanged, answered 409).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from tocsin.domain import incidents as i
from tocsin.domain.closure import require_report
from tocsin.domain.errors import InvalidInput, NotFound
from tocsin.domain.events import Event
from tocsin.domain.incident_events import (
    IncidentEvent,
    IncidentLinked,
    IncidentNoted,
    IncidentOpened,
    IncidentTypeChanged,
    IncidentUpdated,
)
from tocsin.domain.logbook import LogbookEntry
from tocsin.domain.nomenclature import (
    HIGHEST,
    LOWEST,
    Assessment,
    IncidentType,
    assess,
    check_answers,
    parse_type,
)
from tocsin.services.client_writes import check_typed_at, first_time
from tocsin.services.handlers.registry import Deps, Handlers
from tocsin.services.nomenclature import load_into_tenant, type_for
from tocsin.services.unit_of_work import UnitOfWork

TEXT_LIMITS = {"caller_name": 200, "caller_phone": 32, "summary": 2000, "address": 500, "source_ref": 200}
ALARM_CLASS_TYPES = {
    "fire": "ALARM_FIRE",
    "intrusion": "ALARM_INTRUSION",
    "duress": "ALARM_HOLDUP",
    "panic": "ALARM_HOLDUP",
    "hold_up": "ALARM_HOLDUP",
    "tamper": "ALARM_INTRUSION",
    "medical": "UNWELL_PERSON",
}


@dataclass(frozen=True, slots=True)
class Opened:
    """What opening an incident answers: the incident, what its answers meant, and the open incidents
    the call may be about (the caller may link the new one to one of them)."""

    incident: i.Incident
    assessment: Assessment
    kind: IncidentType
    candidates: list[i.Candidate] = field(default_factory=list)


def incident_in_scope(uow: UnitOfWork, incident_id: UUID) -> i.Incident:
    found = uow.incidents.get(incident_id)
    if found is None:
        raise NotFound(f"No event {incident_id} in your scope: list the events to find the right id.")
    return found


def _text(value: str, name: str) -> str:
    limit = TEXT_LIMITS[name]
    text = value.strip()
    if len(text) > limit:
        raise InvalidInput(f"{name} is at most {limit} characters.")
    return text


def _priority(value: int | None, computed: int) -> int:
    if value is None:
        return computed
    if not HIGHEST <= value <= LOWEST:
        raise InvalidInput(f"Priority is from {HIGHEST} (most urgent) to {LOWEST}.")
    return value


def _event(kind: type[IncidentEvent], incident: i.Incident, by: str, **extra: Any) -> IncidentEvent:
    return kind(
        tenant_id=incident.tenant_id,
        incident_id=incident.id,
        type_code=incident.type_code,
        type_label_en=incident.type_label_en,
        type_label_fr=incident.type_label_fr,
        apco=incident.apco,
        priority=incident.priority,
        reflex=incident.reflex,
        state=incident.state,
        origin=incident.origin,
        address=incident.address or "?",
        latitude=incident.latitude,
        longitude=incident.longitude,
        site_id=incident.site_id,
        opened_at=incident.opened_at,
        missing=incident.missing,
        by=by,
        **extra,
    )


def _item(entry: LogbookEntry) -> i.TimelineItem:
    return i.TimelineItem(
        entry.seq, entry.recorded_at, entry.kind, entry.message, dict(entry.params), entry.actor
    )


def _write(
    uow: UnitOfWork, after: i.Incident, event: IncidentEvent, actor: str, occurred_at: datetime | None = None
) -> i.Incident:
    """Record the event's entry, copy it into the timeline and store the incident, all in this transaction."""
    written = uow.record(event, actor, occurred_at)
    stored = i.with_entry(replace(after, updated_at=uow.clock.now()), _item(written))
    uow.incidents.save(stored)
    return replace(stored, version=stored.version + 1)


def _site_place(uow: UnitOfWork, place: i.Place) -> tuple[i.Place, UUID | None]:
    """The place completed from its site (coordinates, address) and the site's client."""
    if place.site_id is None:
        return place, None
    site = uow.sites.get(place.site_id)
    if site is None:
        raise NotFound(f"No site {place.site_id} in your scope.")
    if not place.located and site.latitude is not None:
        place = replace(place, latitude=site.latitude, longitude=site.longitude)
    if not place.address:
        address = ", ".join(x for x in (site.address, site.postcode, site.city) if x) or site.name
        place = replace(place, address=f"{site.name} ({site.ref}), {address}"[: TEXT_LIMITS["address"]])
    return place, site.client_id


def _check_link(uow: UnitOfWork, link: i.Link) -> i.Link:
    try:
        ident = UUID(link.id)
    except ValueError:
        raise InvalidInput(f"A {link.kind} link names an id (a UUID), not {link.id!r}.") from None
    found: object = True
    if link.kind == "alarm":
        found = uow.alarms.get(ident)
    elif link.kind == "site":
        found = uow.sites.get(ident)
    elif link.kind == "incident":
        found = uow.incidents.get(ident)
    if found is None:
        raise NotFound(f"No {link.kind} {link.id} in your scope to link.")
    return i.Link(link.kind, str(ident))


def candidates_for(
    uow: UnitOfWork, kind: IncidentType, place: i.Place, exclude: UUID | None = None
) -> list[i.Candidate]:
    """Open incidents a call of this type at this place may be about."""
    now = uow.clock.now()
    since = now - timedelta(minutes=kind.duplicate_minutes)
    codes = {kind.code, *kind.compatible}
    if not place.located and place.site_id is None:
        return []  # neither a point nor a site: nothing to be near
    near = i.Near(place.latitude, place.longitude, kind.duplicate_radius_m, place.site_id)
    recent = uow.incidents.find(states=i.OPEN_STATES, type_codes=codes, since=since, light=True, near=near)
    return [c for c in i.duplicates(kind, place, now, recent) if c.incident.id != exclude]


@dataclass(frozen=True, slots=True)
class Evaluation:
    """What the answers so far mean, and the open incidents the call may be about."""

    assessment: Assessment
    kind: IncidentType
    candidates: list[i.Candidate]


def evaluate(
    uow: UnitOfWork, tenant_id: UUID, code: str, answers: Mapping[str, Any], place: i.Place
) -> Evaluation:
    """What the call screen shows while the caller answers: priority, départ réflexe, what is missing,
    the next question and the open incidents nearby of a compatible type (nothing is written)."""
    place, _client = _site_place(uow, place)  # a site out of scope answers 404 whatever else is wrong
    kind = type_for(uow, tenant_id, code)
    assessment = assess(kind, check_answers(kind, answers))
    return Evaluation(assessment, kind, candidates_for(uow, kind, place))


def open_incident(cmd: i.CreateIncident, uow: UnitOfWork, actor: str, _deps: Deps) -> Opened:
    place, client_id = _site_place(uow, cmd.place)  # a site out of scope answers 404 first
    kind = type_for(uow, cmd.tenant_id, cmd.type_code)
    answers = check_answers(kind, cmd.answers)
    assessment = assess(kind, answers)
    links = [_check_link(uow, link) for link in cmd.links]
    if place.site_id is not None:
        links.append(i.Link("site", str(place.site_id)))
    now = uow.clock.now()
    note = cmd.note.strip()
    if len(note) > i.NOTE_MAX:
        raise InvalidInput(f"A note is at most {i.NOTE_MAX} characters.")
    candidates = candidates_for(uow, kind, place)
    load_into_tenant(uow, cmd.tenant_id)
    incident = i.Incident(
        id=uow.clock.new_id(),
        tenant_id=cmd.tenant_id,
        type_code=kind.code,
        type_label_en=kind.label_en,
        type_label_fr=kind.label_fr,
        apco=kind.apco,
        priority=_priority(cmd.priority, assessment.priority),
        reflex=assessment.reflex,
        state="open",
        origin=cmd.origin,
        opened_at=now,
        updated_at=now,
        created_by=cmd.by,
        latitude=place.latitude,
        longitude=place.longitude,
        address=_text(place.address, "address"),
        address_id=place.address_id[:64],
        site_id=place.site_id,
        client_id=client_id,
        caller_name=_text(cmd.caller_name, "caller_name"),
        caller_phone=_text(cmd.caller_phone, "caller_phone"),
        source_ref=_text(cmd.source_ref, "source_ref"),
        summary=_text(cmd.summary, "summary"),
        answers=answers,
        missing=assessment.missing,
        links=tuple(dict.fromkeys(links)),
        notes=({"at": now.isoformat(), "by": cmd.by, "text": note},) if note else (),
    )
    answered = "; ".join(f"{k}={v}" for k, v in answers.items())
    event = _event(
        IncidentOpened,
        incident,
        cmd.by,
        caller_name=incident.caller_name,
        caller_phone=incident.caller_phone,
        answers_text=answered[:1000],
    )
    events: list[tuple[Event, str, datetime | None]] = [(event, actor, None)]
    if note:  # the first line of the narrative: its own entry, chained with the first, one row written
        events.append((_event(IncidentNoted, incident, cmd.by, text=note), actor, None))
    for entry in uow.record_many(events):
        incident = i.with_entry(incident, _item(entry))
    uow.incidents.add(incident)
    return Opened(incident, assessment, kind, candidates)


def open_from_alarm(cmd: i.CreateFromAlarm, uow: UnitOfWork, actor: str, deps: Deps) -> Opened:
    """An event for an alarm: linked to it and its site, typed from the alarm's class unless told."""
    alarm = uow.alarms.get(cmd.alarm_id)
    if alarm is None:
        raise NotFound(f"No alarm {cmd.alarm_id} in your scope: list the alarms to find the right id.")
    code = cmd.type_code or ALARM_CLASS_TYPES.get(alarm.alarm_class, "OTHER")
    create = i.CreateIncident(
        tenant_id=alarm.tenant_id,
        type_code=code,
        place=i.Place(site_id=alarm.site_id),
        by=cmd.by,
        origin="alarm",
        source_ref=str(alarm.id),
        summary=(alarm.title_en or alarm.alarm_class)[: TEXT_LIMITS["summary"]],
        links=(i.Link("alarm", str(alarm.id)),),
        note=cmd.note,
    )
    return open_incident(create, uow, actor, deps)


def _describe(before: i.Incident, after: i.Incident) -> str:
    names = (
        "state",
        "type_code",
        "priority",
        "address",
        "latitude",
        "longitude",
        "caller_name",
        "caller_phone",
    )
    changes = [
        f"{n}: {getattr(before, n)} → {getattr(after, n)}"
        for n in names
        if getattr(before, n) != getattr(after, n)
    ]
    if before.answers != after.answers:
        changes.append("answers: " + "; ".join(f"{k}={v}" for k, v in after.answers.items()))
    if before.summary != after.summary:
        changes.append("summary")
    return "; ".join(changes)[:2000]


def update_incident(cmd: i.UpdateIncident, uow: UnitOfWork, actor: str, _deps: Deps) -> i.Incident:
    before = incident_in_scope(uow, cmd.incident_id)
    after = i.still_open(before)
    if cmd.type_code is not None or cmd.answers is not None:
        kind = type_for(uow, before.tenant_id, cmd.type_code or before.type_code)
        answers = before.answers if cmd.answers is None else {**before.answers, **cmd.answers}
        if cmd.type_code is not None and kind.code != before.type_code and cmd.answers is None:
            answers = {k: v for k, v in answers.items() if kind.question(k) is not None}
        checked = check_answers(kind, answers)
        after = i.retype(after, kind, assess(kind, checked), checked)
    if cmd.priority is not None:
        after = replace(after, priority=_priority(cmd.priority, after.priority))
    if cmd.place is not None:
        place, client_id = _site_place(uow, cmd.place)
        after = replace(
            after,
            latitude=place.latitude,
            longitude=place.longitude,
            address=_text(place.address, "address"),
            address_id=place.address_id[:64],
            site_id=place.site_id,
            client_id=client_id,
        )
    texts: dict[str, Any] = {
        name: _text(getattr(cmd, name), name)
        for name in ("caller_name", "caller_phone", "summary")
        if getattr(cmd, name) is not None
    }
    after = replace(after, **texts)
    if cmd.state == "closed":
        _check_units_released(uow, before)
    if cmd.state is not None:
        after = i.move(after, cmd.state, uow.clock.now())
    if after.state == "closed":
        require_report(after.id, uow.liaison.report(after.id))  # no event closes without its report
    changes = _describe(before, after)
    if not changes:
        return before
    return _write(uow, after, _event(IncidentUpdated, after, cmd.by, changes=changes), actor)


def _check_units_released(uow: UnitOfWork, incident: i.Incident) -> None:
    """An event closes only when every unit engaged on it has been released."""
    engaged = uow.assignments.find(incident_id=incident.id, released_at=None)
    if engaged:
        names = ", ".join(sorted(a.callsign for a in engaged))
        raise InvalidInput(
            f"Event {incident.id} still has units engaged ({names}): release each of them (or let them"
            " report available) before closing it."
        )


def note_incident(cmd: i.NoteIncident, uow: UnitOfWork, actor: str, _deps: Deps) -> i.Incident:
    text = cmd.text.strip()
    if not text:
        raise InvalidInput("A note needs some text.")
    if len(text) > i.NOTE_MAX:
        raise InvalidInput(f"A note is at most {i.NOTE_MAX} characters.")
    typed_at = check_typed_at(cmd.typed_at, uow.clock.now())
    incident = incident_in_scope(uow, cmd.incident_id)
    if not first_time(uow, incident.tenant_id, cmd.client_key, "event_note", str(incident.id)):
        return incident  # a replay: written the first time
    incident = i.still_open(incident)
    line = {"at": (typed_at or uow.clock.now()).isoformat(), "by": cmd.by, "text": text}
    after = replace(incident, notes=(*incident.notes, line))
    return _write(uow, after, _event(IncidentNoted, after, cmd.by, text=text), actor, typed_at)


def link_incident(cmd: i.LinkIncident, uow: UnitOfWork, actor: str, _deps: Deps) -> i.Incident:
    incident = i.still_open(incident_in_scope(uow, cmd.incident_id))
    link = _check_link(uow, cmd.link)
    if link.kind == "incident" and link.id == str(incident.id):
        raise InvalidInput("An event cannot be linked to itself.")
    after = i.add_link(incident, link)
    if after is incident:
        return incident
    event = _event(IncidentLinked, after, cmd.by, link_kind=link.kind, link_id=link.id)
    return _write(uow, after, event, actor)


def put_incident_type(cmd: i.PutIncidentType, uow: UnitOfWork, actor: str, _deps: Deps) -> IncidentType:
    kind = parse_type(cmd.data)
    load_into_tenant(uow, cmd.tenant_id)
    uow.incidents.put_types(cmd.tenant_id, [kind], uow.clock.now())
    uow.record(
        IncidentTypeChanged(
            tenant_id=cmd.tenant_id,
            code=kind.code,
            label_en=kind.label_en,
            label_fr=kind.label_fr,
            default_priority=kind.default_priority,
            active=kind.active,
        ),
        actor,
    )
    return kind


HANDLERS = (
    Handlers()
    .add(i.CreateIncident, open_incident)
    .add(i.CreateFromAlarm, open_from_alarm)
    .add(i.UpdateIncident, update_incident)
    .add(i.NoteIncident, note_incident)
    .add(i.LinkIncident, link_incident)
    .add(i.PutIncidentType, put_incident_type)
)
