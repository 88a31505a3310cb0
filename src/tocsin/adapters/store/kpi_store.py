"""The KPIs' reads in SQL: the handling times and outcomes of the alarms opened in a period (only the
columns the figures need), and the signals counted per UTC hour by the database itself (SQLite keeps
times as UTC text, so an hour is the text's first 13 characters; PostgreSQL truncates the timestamp)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast
from uuid import UUID

from sqlalchemy import ColumnElement, Table, delete, func, insert, select
from sqlalchemy.orm import Session

from tocsin.adapters.store.alarm_store import scope_condition
from tocsin.adapters.store.incident_rows import IncidentRow
from tocsin.adapters.store.kpi_rows import KpiTargetRow
from tocsin.adapters.store.rows import AlarmRow, SignalRow
from tocsin.adapters.store.unit_rows import AssignmentRow
from tocsin.domain.dispatch_intervals import DispatchedEvent, UnitSteps
from tocsin.domain.kpis import HandledAlarm
from tocsin.domain.scope import Scope

_ALARM = cast(Table, AlarmRow.__table__)
_SIGNAL = cast(Table, SignalRow.__table__)
_TARGET = cast(Table, KpiTargetRow.__table__)
_INCIDENT = cast(Table, IncidentRow.__table__)
_ASSIGNMENT = cast(Table, AssignmentRow.__table__)
_HANDLED = (
    "alarm_class",
    "opened_at",
    "first_taken_at",
    "settled_at",
    "outcome",
    "cause",
    "site_id",
    "site_ref",
    "site_name",
    "client_id",
)


class SqlKpiSource:
    """The KPIs' reads in the caller's transaction, seen through its scope."""

    def __init__(self, session: Session, scope: Scope) -> None:
        self._session = session
        self._scope = scope

    def handled(self, start: datetime, end: datetime, limit: int) -> list[HandledAlarm]:
        statement = (
            select(*(_ALARM.c[n] for n in _HANDLED))
            .where(
                scope_condition(self._scope, _ALARM),
                _ALARM.c.opened_at >= start,
                _ALARM.c.opened_at < end,
            )
            .order_by(_ALARM.c.opened_at, _ALARM.c.id)
            .limit(limit)
        )
        return [HandledAlarm(*row) for row in self._session.execute(statement)]

    def dispatched(self, start: datetime, end: datetime, limit: int) -> list[DispatchedEvent]:
        opened: tuple[ColumnElement[bool], ...] = (
            scope_condition(self._scope, _INCIDENT),
            _INCIDENT.c.opened_at >= start,
            _INCIDENT.c.opened_at < end,
        )
        events = self._session.execute(
            select(_INCIDENT.c.id, _INCIDENT.c.opened_at)
            .where(*opened)
            .order_by(_INCIDENT.c.opened_at, _INCIDENT.c.id)
            .limit(limit)
        ).all()
        steps: dict[UUID, list[UnitSteps]] = {row.id: [] for row in events}
        units = select(
            _ASSIGNMENT.c.incident_id,
            _ASSIGNMENT.c.alerted_at,
            _ASSIGNMENT.c.en_route_at,
            _ASSIGNMENT.c.on_scene_at,
        ).join(_INCIDENT, _INCIDENT.c.id == _ASSIGNMENT.c.incident_id)
        if len(events) >= limit:  # truncated: the assignments of the events past the limit are not read
            opened = (*opened, _INCIDENT.c.opened_at <= events[-1].opened_at)
        for row in self._session.execute(units.where(*opened).order_by(_ASSIGNMENT.c.alerted_at)):
            if row.incident_id in steps:  # past the limit: not read
                steps[row.incident_id].append(
                    UnitSteps(_utc(row.alerted_at), _utc(row.en_route_at), _utc(row.on_scene_at))
                )
        return [DispatchedEvent(_utc(row.opened_at), tuple(steps[row.id])) for row in events]

    def signal_hours(self, start: datetime, end: datetime) -> dict[datetime, int]:
        hour = self._hour(_SIGNAL.c.received_at)
        statement = (
            select(hour.label("hour"), func.count().label("n"))
            .where(
                scope_condition(self._scope, _SIGNAL),
                _SIGNAL.c.received_at >= start,
                _SIGNAL.c.received_at < end,
            )
            .group_by(hour)
        )
        return {_as_hour(row.hour): int(row.n) for row in self._session.execute(statement)}

    def tenant_targets(self, tenant_id: UUID) -> tuple[str | None, str | None]:
        statement = select(_TARGET.c.take_targets, _TARGET.c.settle_targets).where(
            _TARGET.c.tenant_id == tenant_id
        )
        row = self._session.execute(statement).first()
        return (None, None) if row is None else (row.take_targets, row.settle_targets)

    def put_tenant_targets(self, tenant_id: UUID, take: str | None, settle: str | None, at: datetime) -> None:
        self._session.execute(delete(_TARGET).where(_TARGET.c.tenant_id == tenant_id))
        values = {"tenant_id": tenant_id, "take_targets": take, "settle_targets": settle, "updated_at": at}
        self._session.execute(insert(_TARGET).values(**values))

    def _hour(self, column: Any) -> ColumnElement[Any]:
        if self._session.get_bind().dialect.name == "sqlite":
            return func.substr(column, 1, 13)  # 'YYYY-MM-DD HH' of the stored UTC text
        return func.date_trunc("hour", func.timezone("UTC", column))


def _utc(value: Any) -> Any:
    """A stored time as UTC-aware (None stays None)."""
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _as_hour(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return datetime.strptime(str(value), "%Y-%m-%d %H").replace(tzinfo=UTC)
