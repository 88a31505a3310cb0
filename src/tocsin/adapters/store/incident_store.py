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
_TYPE = cast(Table, IncidentTypeRow.__table__)
# Built once (Core, bound values): an event's save at the version read, and its read by id over all
# tenants or one whole tenant (a scope limited to clients or sites builds its condition each time).
_SAVE = update(_INCIDENT).where(
    _INCIDENT.c.id == bindparam("b_id"), _INCIDENT.c.version == bindparam("b_version")
)
_GET = select(_INCIDENT).where(_INCIDENT.c.id == bindparam("b_id"))
_GETS = {"all": _GET, "tenant": _GET.where(_INCIDENT.c.tenant_id == bindparam("b_tenant"))}  # by scope shape
_ADD = insert(_INCIDENT)
_TYPE_IDS = select(_TYPE.c.id).where(_TYPE.c.tenant_id == bindparam("b_tenant")).order_by(_TYPE.c.code)
_FINDS: dict[tuple[Any, ...], Any] = {}  # a find's statement by its filters' shape (a few, from the code)
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


def _near(params: dict[str, Any]) -> ColumnElement[bool]:
    """On the site, or inside the box around the point (the index narrows by tenant and state first);
    the site and the box's bounds are bound values of ``params``."""
    places: list[ColumnElement[bool]] = []
    if "b_site" in params:
        places.append(_INCIDENT.c.site_id == bindparam("b_site"))
    if "b_lat0" in params:
        latitude, longitude = _INCIDENT.c.latitude, _INCIDENT.c.longitude
        places.append(
            and_(
                latitude.between(bindparam("b_lat0"), bindparam("b_lat1")),
                longitude.between(bindparam("b_lon0"), bindparam("b_lon1")),
            )
        )
    return or_(*places)


def _find_params(
    states: Collection[str] | None,
    type_codes: Collection[str] | None,
    min_priority: int | None,
    since: datetime | None,
    near: i.Near | None,
) -> dict[str, Any]:
    """A find's filters as bound values; those not given are left out (and out of the statement)."""
    params: dict[str, Any] = {}
    if states is not None:
        params["b_states"] = list(states)
    if type_codes is not None:
        params["b_codes"] = list(type_codes)
    if min_priority is not None:
        params["b_priority"] = min_priority
    if since is not None:
        params["b_since"] = since
    if near is not None and near.site_id is not None:
        params["b_site"] = near.site_id
    box = None if near is None else near.box()
    if box is not None:
        params["b_lat0"], params["b_lat1"], params["b_lon0"], params["b_lon1"] = box
    return params


class SqlIncidentStore:
    """Incidents and the nomenclature, in the caller's transaction, seen through its scope."""

    def __init__(self, session: Session, scope: Scope) -> None:
        self._session = session
        self._scope = scope
        self._types: dict[UUID, list[IncidentType]] = {}

    def _connection(self) -> Any:
        return self._session.connection()

    def add(self, incident: i.Incident) -> None:
        self._connection().execute(_ADD, incident_values(incident))

    def save(self, incident: i.Incident) -> None:
        values = incident_values(incident)
        del values["id"]
        values["version"] = incident.version + 1
        values["b_id"], values["b_version"] = incident.id, incident.version
        if self._connection().execute(_SAVE, values).rowcount != 1:
            raise i.IncidentChanged("This event changed meanwhile: look at it again and retry.")

    def get(self, incident_id: UUID) -> i.Incident | None:
        scope_shape, params = self._scope_params()
        params["b_id"] = incident_id
        statement = _GETS.get(scope_shape)
        if statement is None:  # a scope limited to clients or sites: its condition holds lists
            statement = _GET.where(scope_condition(self._scope, _INCIDENT))
        row = self._connection().execute(statement, params).first()
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
        scope_shape, params = self._scope_params()
        params.update(_find_params(states, type_codes, min_priority, since, near))
        params["b_limit"] = limit
        shape = (scope_shape, light, *sorted(params), near is not None)
        statement = _FINDS.get(shape)
        if statement is None:
            statement = self._find_statement(scope_shape, light, params, near is not None)
            if scope_shape != "restricted":
                _FINDS[shape] = statement
        rows = self._connection().execute(statement, params)
        return [_light(r) for r in rows] if light else [incident_of(r._mapping) for r in rows]

    def _scope_params(self) -> tuple[str, dict[str, Any]]:
        scope = self._scope
        if scope.all_tenants:
            return "all", {}
        if scope.whole_tenant and scope.tenant_id is not None:
            return "tenant", {"b_tenant": scope.tenant_id}
        return "restricted", {}

    def _find_statement(self, scope_shape: str, light: bool, params: dict[str, Any], near: bool) -> Any:
        """A find's statement for the filters given (each a bound value; the lists expand)."""
        table = _INCIDENT
        statement = select(*(_LIGHT if light else (table,)))
        if scope_shape == "tenant":
            statement = statement.where(table.c.tenant_id == bindparam("b_tenant"))
        elif scope_shape == "restricted":
            statement = statement.where(scope_condition(self._scope, table))
        if "b_states" in params:
            statement = statement.where(table.c.state.in_(bindparam("b_states", expanding=True)))
        if "b_codes" in params:
            statement = statement.where(table.c.type_code.in_(bindparam("b_codes", expanding=True)))
        if "b_priority" in params:
            statement = statement.where(table.c.priority <= bindparam("b_priority"))
        if "b_since" in params:
            statement = statement.where(table.c.opened_at >= bindparam("b_since"))
        if near:
            statement = statement.where(_near(params))
        order = (table.c.priority, table.c.opened_at, table.c.id)
        return statement.order_by(*order).limit(bindparam("b_limit"))

    def types(self, tenant_id: UUID) -> list[IncidentType]:
        read = self._types.get(tenant_id)
        if read is not None:  # read already in this transaction, not changed since
            return read
        connection = self._connection()
        ids = [row[0] for row in connection.execute(_TYPE_IDS, {"b_tenant": tenant_id})]
        missing = [x for x in ids if x not in _PARSED]
        if missing:
            if len(_PARSED) > 10_000:  # bounded: tenants times types, and their edits
                _PARSED.clear()
            statement = select(_TYPE.c.id, _TYPE.c.definition).where(_TYPE.c.id.in_(missing))
            for type_id, definition in connection.execute(statement):
                _PARSED[type_id] = parse_type(definition)
        read = self._types[tenant_id] = [_PARSED[x] for x in ids if x in _PARSED]
        return read

    def put_types(self, tenant_id: UUID, types: Collection[IncidentType], at: datetime) -> None:
        if not types:
            return
        self._types.pop(tenant_id, None)
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
