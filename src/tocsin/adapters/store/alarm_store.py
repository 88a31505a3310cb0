"""The SQL alarm store: Core statements (the rules write alarms for every batch of signals).

Every write of an alarm is conditional on the version it was read with, so a write made on a stale read
changes nothing and is refused; on PostgreSQL the rules also lock the open alarms they read.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any, cast
from uuid import UUID, uuid5

from sqlalchemy import (
    ColumnElement,
    Table,
    and_,
    bindparam,
    case,
    delete,
    false,
    insert,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.orm import Session

from tocsin.adapters.store.bulk import bulk_insert
from tocsin.adapters.store.rows import (
    AlarmCallRow,
    AlarmRow,
    AlarmRuleRow,
    AlarmSignalRow,
    ClosureCodeRow,
    SiteRow,
    SiteStatusRow,
)
from tocsin.domain import alarms as a
from tocsin.domain.calls import CallAttempt
from tocsin.domain.scope import Scope

_ALARM = cast(Table, AlarmRow.__table__)
_HISTORY = cast(Table, AlarmSignalRow.__table__)
_RULE = cast(Table, AlarmRuleRow.__table__)
_CODE = cast(Table, ClosureCodeRow.__table__)
_STATUS = cast(Table, SiteStatusRow.__table__)
_SITE = cast(Table, SiteRow.__table__)
_CALL = cast(Table, AlarmCallRow.__table__)
_CALL_FIELDS = tuple(f.name for f in dataclasses.fields(CallAttempt))
_ALARM_FIELDS = tuple(f.name for f in dataclasses.fields(a.Alarm))
_HISTORY_FIELDS = tuple(f.name for f in dataclasses.fields(a.AlarmSignal))
_STATUS_FIELDS = tuple(f.name for f in dataclasses.fields(a.SiteStatus))
_CHUNK = 500
# One statement for every save, its values bound (SET takes the parameters' column names): compiled once
# and cached, where a statement built with the values inline was compiled again for every alarm.
_SAVE = update(_ALARM).where(
    _ALARM.c.id == bindparam("where_id", type_=_ALARM.c.id.type),
    _ALARM.c.version == bindparam("where_version", type_=_ALARM.c.version.type),
)


_SAVE_STATUS = update(_STATUS).where(
    _STATUS.c.site_id == bindparam("where_site", type_=_STATUS.c.site_id.type),
    _STATUS.c.version == bindparam("where_version", type_=_STATUS.c.version.type),
)


def _alarm_values(alarm: a.Alarm) -> dict[str, Any]:
    values = {name: getattr(alarm, name) for name in _ALARM_FIELDS}
    values["accounts"] = list(alarm.accounts)
    values["zones"] = dict(alarm.zones)
    return values


def _alarm(row: Any) -> a.Alarm:
    mapping = row._mapping  # a new view at each access: taken once per row (a queue reads hundreds)
    values = {name: mapping[name] for name in _ALARM_FIELDS}
    values["accounts"] = tuple(values["accounts"] or ())
    values["zones"] = dict(values["zones"] or {})
    return a.Alarm(**values)


def scope_condition(scope: Scope, table: Any) -> ColumnElement[bool]:
    """What a scope sees of a table with ``tenant_id`` and ``site_id`` columns: site-less rows are seen
    only over the whole tenant."""
    if scope.all_tenants:
        return true()
    if scope.tenant_id is None:
        return false()
    in_tenant = table.c.tenant_id == scope.tenant_id
    if scope.whole_tenant:
        return in_tenant  # type: ignore[no-any-return]
    clients = list(scope.client_ids or ())
    sites = list(scope.site_ids or ())
    visible = select(_SITE.c.id).where(or_(_SITE.c.client_id.in_(clients), _SITE.c.id.in_(sites)))
    return and_(in_tenant, table.c.site_id.in_(visible))


class SqlAlarmStore:
    """Alarms and what shapes them, in the caller's transaction, seen through its scope."""

    def __init__(self, session: Session, scope: Scope) -> None:
        self._session = session
        self._scope = scope

    def _connection(self) -> Any:
        return self._session.connection()

    def open_for(
        self,
        tenant_id: UUID,
        site_ids: Collection[UUID],
        group_keys: Collection[str],
        *,
        site_classes: Collection[str] | None = None,
        whole_sites: Collection[UUID] = (),
        lock: bool = True,
        known: Mapping[UUID, a.Alarm] | None = None,
    ) -> list[a.Alarm]:
        places: list[ColumnElement[bool]] = []
        if site_ids and site_classes is None:
            places.append(_ALARM.c.site_id.in_(list(site_ids)))
        elif site_ids and site_classes:
            places.append(
                and_(_ALARM.c.site_id.in_(list(site_ids)), _ALARM.c.group_key.in_(list(site_classes)))
            )
        if whole_sites:
            places.append(_ALARM.c.site_id.in_(list(whole_sites)))
        if group_keys:
            places.append(and_(_ALARM.c.site_id.is_(None), _ALARM.c.group_key.in_(list(group_keys))))
        if not places:
            return []
        where = (_ALARM.c.tenant_id == tenant_id, _ALARM.c.state != "closed", or_(*places))
        order = (_ALARM.c.opened_at, _ALARM.c.id)
        connection = self._connection()
        if known and not lock:
            return self._open_known(connection, where, order, known)
        statement = select(_ALARM).where(*where).order_by(*order)
        if lock:
            statement = statement.with_for_update()
        return [_alarm(r) for r in connection.execute(statement)]

    @staticmethod
    def _open_known(
        connection: Any,
        where: tuple[ColumnElement[bool], ...],
        order: tuple[Any, ...],
        known: Mapping[UUID, a.Alarm],
    ) -> list[a.Alarm]:
        """The open alarms' ids and versions first; only those not known at that version read whole (a
        row costs more to decode than to fetch: the signal processor knows what it wrote itself)."""
        rows = connection.execute(select(_ALARM.c.id, _ALARM.c.version).where(*where).order_by(*order)).all()
        stale = [r.id for r in rows if (k := known.get(r.id)) is None or k.version != r.version]
        fetched: dict[UUID, a.Alarm] = {}
        for start in range(0, len(stale), _CHUNK):
            statement = select(_ALARM).where(_ALARM.c.id.in_(stale[start : start + _CHUNK]))
            fetched.update((x.id, x) for x in map(_alarm, connection.execute(statement)))
        return [
            fetched[r.id] if r.id in fetched else known[r.id]
            for r in rows
            if r.id in fetched or r.id in known
        ]

    def add(self, alarms: Sequence[a.Alarm]) -> None:
        connection = self._connection()
        for start in range(0, len(alarms), _CHUNK):
            connection.execute(insert(_ALARM), [_alarm_values(x) for x in alarms[start : start + _CHUNK]])

    def save(self, alarms: Sequence[a.Alarm]) -> None:
        connection = self._connection()
        for start in range(0, len(alarms), _CHUNK):
            rows = []
            for alarm in alarms[start : start + _CHUNK]:
                values = _alarm_values(alarm)
                values["version"] = alarm.version + 1
                del values["id"]
                rows.append({**values, "where_id": alarm.id, "where_version": alarm.version})
            # one executemany; both drivers count the rows it changed (a stale one changes none)
            result = connection.execute(_SAVE, rows if len(rows) > 1 else rows[0])
            if result.rowcount != len(rows):
                raise a.AlarmChanged("This alarm changed meanwhile: look at it again and retry.")

    def get(self, alarm_id: UUID) -> a.Alarm | None:
        statement = select(_ALARM).where(_ALARM.c.id == alarm_id, scope_condition(self._scope, _ALARM))
        row = self._connection().execute(statement).first()
        return None if row is None else _alarm(row)

    def find(
        self,
        *,
        states: Collection[str] | None = None,
        site_id: UUID | None = None,
        since: datetime | None = None,
        limit: int = 500,
    ) -> list[a.Alarm]:
        statement = select(_ALARM).where(scope_condition(self._scope, _ALARM))
        if states is not None:
            statement = statement.where(_ALARM.c.state.in_(list(states)))
        if site_id is not None:
            statement = statement.where(_ALARM.c.site_id == site_id)
        if since is not None:
            statement = statement.where(_ALARM.c.opened_at >= since)
        rank = case((_ALARM.c.state.in_(("new", "taken")), 0), (_ALARM.c.state == "settled", 1), else_=2)
        statement = statement.order_by(rank, _ALARM.c.priority, _ALARM.c.opened_at, _ALARM.c.id).limit(limit)
        return [_alarm(r) for r in self._connection().execute(statement)]

    def link(self, events: Sequence[a.AlarmSignal]) -> None:
        connection = self._connection()
        for start in range(0, len(events), _CHUNK):
            rows = [{n: getattr(e, n) for n in _HISTORY_FIELDS} for e in events[start : start + _CHUNK]]
            connection.execute(insert(_HISTORY), rows)

    def history(self, alarm_id: UUID, limit: int = 500) -> list[a.AlarmSignal]:
        statement = (
            select(*(_HISTORY.c[n] for n in _HISTORY_FIELDS))
            .where(_HISTORY.c.alarm_id == alarm_id)
            .order_by(_HISTORY.c.at, _HISTORY.c.id)
            .limit(limit)
        )
        return [a.AlarmSignal(*row) for row in self._connection().execute(statement)]

    def add_call(self, attempt: CallAttempt) -> None:
        self._connection().execute(insert(_CALL).values(**{n: getattr(attempt, n) for n in _CALL_FIELDS}))

    def calls(self, alarm_id: UUID) -> list[CallAttempt]:
        statement = (
            select(*(_CALL.c[n] for n in _CALL_FIELDS))
            .where(_CALL.c.alarm_id == alarm_id)
            .order_by(_CALL.c.at, _CALL.c.id)
        )
        return [CallAttempt(*row) for row in self._connection().execute(statement)]

    def rules(self, tenant_id: UUID) -> list[a.AlarmRule]:
        names = [f.name for f in dataclasses.fields(a.AlarmRule)]
        statement = (
            select(*(_RULE.c[n] for n in names)).where(_RULE.c.tenant_id == tenant_id).order_by(_RULE.c.id)
        )
        return [a.AlarmRule(*row) for row in self._connection().execute(statement)]

    def put_rule(self, rule: a.AlarmRule) -> None:
        connection = self._connection()
        same = and_(
            _RULE.c.tenant_id == rule.tenant_id,
            _RULE.c.alarm_class == rule.alarm_class,
            _RULE.c.client_id.is_(None) if rule.client_id is None else _RULE.c.client_id == rule.client_id,
            _RULE.c.site_id.is_(None) if rule.site_id is None else _RULE.c.site_id == rule.site_id,
        )
        connection.execute(delete(_RULE).where(same))
        connection.execute(insert(_RULE).values(**dataclasses.asdict(rule)))

    def closure_codes(self, tenant_id: UUID) -> list[a.ClosureCode]:
        names = [f.name for f in dataclasses.fields(a.ClosureCode)]
        statement = (
            select(*(_CODE.c[n] for n in names)).where(_CODE.c.tenant_id == tenant_id).order_by(_CODE.c.code)
        )
        found = [a.ClosureCode(*row) for row in self._connection().execute(statement)]
        return found or list(a.DEFAULT_CLOSURE_CODES)

    def put_closure_code(self, tenant_id: UUID, code: a.ClosureCode) -> None:
        connection = self._connection()
        connection.execute(delete(_CODE).where(_CODE.c.tenant_id == tenant_id, _CODE.c.code == code.code))
        values = {"id": _uuid_for(tenant_id, code.code), "tenant_id": tenant_id, **dataclasses.asdict(code)}
        connection.execute(insert(_CODE).values(**values))

    def statuses(self, site_ids: Collection[UUID]) -> dict[UUID, a.SiteStatus]:
        if not site_ids:
            return {}
        found: dict[UUID, a.SiteStatus] = {}
        ids = list(site_ids)
        for start in range(0, len(ids), _CHUNK):
            statement = select(*(_STATUS.c[n] for n in _STATUS_FIELDS)).where(
                _STATUS.c.site_id.in_(ids[start : start + _CHUNK])
            )
            for row in self._connection().execute(statement):
                status = a.SiteStatus(*row)
                found[status.site_id] = dataclasses.replace(status, zones=dict(status.zones or {}))
        return found

    def put_statuses(self, statuses: Sequence[a.SiteStatus]) -> None:
        """Store sites' statuses, each at the version it was read with (0: not stored yet); one that
        changed meanwhile (or was stored meanwhile) is refused with :class:`AlarmChanged`."""
        connection = self._connection()
        fresh = [s for s in statuses if s.version == 0]
        known = [s for s in statuses if s.version != 0]
        if fresh:
            insert_rows = bulk_insert(_STATUS, connection.dialect, skip_conflicts_on=("site_id",))
            rows = [_status_values(s, version=1) for s in fresh]
            if insert_rows.run(connection, rows) != len(rows):
                raise a.AlarmChanged("A site's status was stored meanwhile: look again and retry.")
        for start in range(0, len(known), _CHUNK):
            chunk = known[start : start + _CHUNK]
            rows = []
            for status in chunk:
                values = _status_values(status, version=status.version + 1)
                del values["site_id"]
                rows.append({**values, "where_site": status.site_id, "where_version": status.version})
            result = connection.execute(_SAVE_STATUS, rows if len(rows) > 1 else rows[0])
            if result.rowcount != len(rows):
                raise a.AlarmChanged("A site's status changed meanwhile: look again and retry.")


def _status_values(status: a.SiteStatus, *, version: int) -> dict[str, Any]:
    values = {name: getattr(status, name) for name in _STATUS_FIELDS}
    values["zones"] = dict(status.zones)
    values["version"] = version
    return values


def _uuid_for(tenant_id: UUID, code: str) -> UUID:
    return uuid5(tenant_id, code)
