"""The SQL incident store: one row per incident (the board reads one table), versioned writes."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Collection
from datetime import datetime
from typing import Any, cast
from uuid import UUID, uuid5

from sqlalchemy import ColumnElement, Table, and_, bindparam, delete, insert, or_, select, update
from sqlalchemy.orm import Session

from tocsin.adapters.store.alarm_store import scope_condition
from tocsin.adapters.store.incident_rows import IncidentRow, IncidentTypeRow
from tocsin.domain import incidents as i
from tocsin.domain.nomenclature import IncidentType, parse_type, type_data
from tocsin.domain.scope import Scope

_INCIDENT = cast(Table, IncidentRow.__table__)
# Built once (Core, bound values): an event's save at the version read, and its read by id over all
# tenants or one whole tenant (a scope limited to clients or sites builds its condition each time).
_SAVE = update(_INCIDENT).where(
    _INCIDENT.c.id == bindparam("b_id"), _INCIDENT.c.version == bindparam("b_version")
)
_GET = select(_INCIDENT).where(_INCIDENT.c.id == bindparam("b_id"))
_GET_IN_TENANT = _GET.where(_INCIDENT.c.tenant_id == bindparam("b_tenant"))
_TYPE = cast(Table, IncidentTypeRow.__table__)
_FIELDS = tuple(f.name for f in dataclasses.fields(i.Incident))


def incident_values(incident: i.Incident) -> dict[str, Any]:
    """An incident as a row's values (JSON columns hold plain data)."""
    values = {name: getattr(incident, name) for name in _FIELDS}
    values["answers"] = dict(incident.answers)
    values["missing"] = list(incident.missing)
    values["links"] = [{"kind": x.kind, "id": x.id} for x in incident.links]
    values["notes"] = [dict(n) for n in incident.notes]
    values["timeline"] = [
        {
            "seq": t.seq,
            "at": t.at.isoformat(),
            "kind": t.kind,
            "message": t.message,
            "params": dict(t.params),
            "actor": t.actor,
        }
        for t in incident.timeline
    ]
    return values


def incident_of(values: Any) -> i.Incident:
    """An incident from a row's values."""
    found = {name: values[name] for name in _FIELDS}
    found["answers"] = dict(found["answers"] or {})
    found["missing"] = tuple(found["missing"] or ())
    found["links"] = tuple(i.Link(x["kind"], x["id"]) for x in found["links"] or ())
    found["notes"] = tuple(found["notes"] or ())
    found["timeline"] = tuple(
        i.TimelineItem(
            seq=t["seq"],
            at=datetime.fromisoformat(t["at"]),
            kind=t["kind"],
            message=t["message"],
            params=t["params"],
            actor=t["actor"],
        )
        for t in found["timeline"] or ()
    )
    return i.Incident(**found)


_PARSED: dict[UUID, IncidentType] = {}  # by row id: a type's id changes with its content (see put_types)
_HEAVY = ("answers", "links", "notes", "timeline")  # JSON columns a board row or a duplicate search skips
_LIGHT = tuple(c for c in _INCIDENT.c if c.name not in _HEAVY)


def _type_id(tenant_id: UUID, kind: IncidentType) -> UUID:
    """A stored type's id, from its content: an edit makes a new id, so parsed types are cached by id."""
    return uuid5(tenant_id, "incident-type:" + json.dumps(type_data(kind), sort_keys=True))


_LIGHT_NAMES = tuple(c.name for c in _LIGHT)


def _light(row: Any) -> i.Incident:
    """An incident from a light row (the row's values in ``_LIGHT`` order: no mapping look-ups)."""
    found = dict(zip(_LIGHT_NAMES, row, strict=True))
    found["missing"] = tuple(found["missing"] or ())
    return i.Incident(**found)


def _near(near: i.Near) -> ColumnElement[bool]:
    """On the site, or inside the box around the point (the index narrows by tenant and state first)."""
    places: list[ColumnElement[bool]] = []
    if near.site_id is not None:
        places.append(_INCIDENT.c.site_id == near.site_id)
    box = near.box()
    if box is not None:
        places.append(
            and_(_INCIDENT.c.latitude.between(box[0], box[1]), _INCIDENT.c.longitude.between(box[2], box[3]))
        )
    return or_(*places)


class SqlIncidentStore:
    """Incidents and the nomenclature, in the caller's transaction, seen through its scope."""

    def __init__(self, session: Session, scope: Scope) -> None:
        self._session = session
        self._scope = scope

    def _connection(self) -> Any:
        return self._session.connection()

    def add(self, incident: i.Incident) -> None:
        self._connection().execute(insert(_INCIDENT).values(**incident_values(incident)))

    def save(self, incident: i.Incident) -> None:
        values = incident_values(incident)
        del values["id"]
        values["version"] = incident.version + 1
        values["b_id"], values["b_version"] = incident.id, incident.version
        if self._connection().execute(_SAVE, values).rowcount != 1:
            raise i.IncidentChanged("This event changed meanwhile: look at it again and retry.")

    def get(self, incident_id: UUID) -> i.Incident | None:
        scope = self._scope
        if scope.all_tenants:
            row = self._connection().execute(_GET, {"b_id": incident_id}).first()
        elif scope.whole_tenant and scope.tenant_id is not None:
            found = self._connection().execute(
                _GET_IN_TENANT, {"b_id": incident_id, "b_tenant": scope.tenant_id}
            )
            row = found.first()
        else:
            statement = select(_INCIDENT).where(
                _INCIDENT.c.id == incident_id, scope_condition(self._scope, _INCIDENT)
            )
            row = self._connection().execute(statement).first()
        return None if row is None else incident_of(row._mapping)

    def find(
        self,
        *,
        states: Collection[str] | None = None,
        type_codes: Collection[str] | None = None,
        min_priority: int | None = None,
        since: datetime | None = None,
        limit: int = 500,
        light: bool = False,
        near: i.Near | None = None,
    ) -> list[i.Incident]:
        columns = _LIGHT if light else (_INCIDENT,)
        statement = select(*columns).where(scope_condition(self._scope, _INCIDENT))
        if states is not None:
            statement = statement.where(_INCIDENT.c.state.in_(list(states)))
        if type_codes is not None:
            statement = statement.where(_INCIDENT.c.type_code.in_(list(type_codes)))
        if min_priority is not None:
            statement = statement.where(_INCIDENT.c.priority <= min_priority)
        if since is not None:
            statement = statement.where(_INCIDENT.c.opened_at >= since)
        if near is not None:
            statement = statement.where(_near(near))
        statement = statement.order_by(_INCIDENT.c.priority, _INCIDENT.c.opened_at, _INCIDENT.c.id).limit(
            limit
        )
        rows = self._connection().execute(statement)
        return [_light(r) for r in rows] if light else [incident_of(r._mapping) for r in rows]

    def types(self, tenant_id: UUID) -> list[IncidentType]:
        connection = self._connection()
        ids = [
            row[0]
            for row in connection.execute(
                select(_TYPE.c.id).where(_TYPE.c.tenant_id == tenant_id).order_by(_TYPE.c.code)
            )
        ]
        missing = [x for x in ids if x not in _PARSED]
        if missing:
            if len(_PARSED) > 10_000:  # bounded: tenants times types, and their edits
                _PARSED.clear()
            statement = select(_TYPE.c.id, _TYPE.c.definition).where(_TYPE.c.id.in_(missing))
            for type_id, definition in connection.execute(statement):
                _PARSED[type_id] = parse_type(definition)
        return [_PARSED[x] for x in ids if x in _PARSED]

    def put_types(self, tenant_id: UUID, types: Collection[IncidentType], at: datetime) -> None:
        if not types:
            return
        connection = self._connection()
        codes = [t.code for t in types]
        connection.execute(delete(_TYPE).where(_TYPE.c.tenant_id == tenant_id, _TYPE.c.code.in_(codes)))
        rows = [
            {
                "id": _type_id(tenant_id, t),
                "tenant_id": tenant_id,
                "code": t.code,
                "definition": type_data(t),
                "updated_at": at,
            }
            for t in types
        ]
        connection.execute(insert(_TYPE), rows)
