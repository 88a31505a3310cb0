"""The in-memory twin of :class:`tocsin.adapters.store.kpi_store.SqlKpiSource`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime
from uuid import UUID

from tocsin.domain import alarms as a
from tocsin.domain import incidents as i
from tocsin.domain.dispatch_intervals import DispatchedEvent, UnitSteps
from tocsin.domain.kpis import HandledAlarm
from tocsin.domain.scope import Scope
from tocsin.domain.signals import Signal
from tocsin.domain.units import Assignment
from tocsin.testing.alarm_store import AlarmTables


class InMemoryKpiSource:
    """Alarms and signals of the in-memory state, seen through a scope like the SQL source."""

    def __init__(
        self,
        alarms: AlarmTables,
        visible: Callable[[UUID], a.Alarm | None],
        signals: dict[UUID, Signal],
        scope: Scope,
        site_clients: dict[UUID, UUID],
        *,
        targets: dict[UUID, tuple[str | None, str | None]],
        incidents: Callable[[], Iterable[i.Incident]] = tuple,
        incident_visible: Callable[[UUID], i.Incident | None] = lambda _: None,
        assignments: Callable[[], Iterable[Assignment]] = tuple,
    ) -> None:
        self._incidents = incidents
        self._incident_visible = incident_visible
        self._assignments = assignments
        self._targets = targets
        self._alarms = alarms
        self._visible = visible
        self._signals = signals
        self._scope = scope
        self._site_clients = site_clients

    def handled(self, start: datetime, end: datetime, limit: int) -> list[HandledAlarm]:
        found = [
            x
            for x in self._alarms.alarms.values()
            if start <= x.opened_at < end and self._visible(x.id) is not None
        ]
        found.sort(key=lambda x: (x.opened_at, x.id))
        return [
            HandledAlarm(
                alarm_class=x.alarm_class,
                opened_at=x.opened_at,
                first_taken_at=x.first_taken_at,
                settled_at=x.settled_at,
                outcome=x.outcome,
                cause=x.cause,
                site_id=x.site_id,
                site_ref=x.site_ref,
                site_name=x.site_name,
                client_id=x.client_id,
            )
            for x in found[:limit]
        ]

    def dispatched(self, start: datetime, end: datetime, limit: int) -> list[DispatchedEvent]:
        found = [
            x
            for x in self._incidents()
            if start <= x.opened_at < end and self._incident_visible(x.id) is not None
        ]
        found.sort(key=lambda x: (x.opened_at, x.id))
        found = found[:limit]
        steps: dict[UUID, list[UnitSteps]] = {x.id: [] for x in found}
        for a_ in sorted(self._assignments(), key=lambda a_: a_.alerted_at):
            if a_.incident_id in steps:
                steps[a_.incident_id].append(UnitSteps(a_.alerted_at, a_.en_route_at, a_.on_scene_at))
        return [DispatchedEvent(x.opened_at, tuple(steps[x.id])) for x in found]

    def signal_hours(self, start: datetime, end: datetime) -> dict[datetime, int]:
        hours: Counter[datetime] = Counter(
            s.received_at.replace(minute=0, second=0, microsecond=0)
            for s in self._signals.values()
            if start <= s.received_at < end and self._sees(s)
        )
        return dict(hours)

    def tenant_targets(self, tenant_id: UUID) -> tuple[str | None, str | None]:
        return self._targets.get(tenant_id, (None, None))

    def put_tenant_targets(self, tenant_id: UUID, take: str | None, settle: str | None, at: datetime) -> None:
        del at  # the SQL row keeps it; nothing here reads it
        self._targets[tenant_id] = (take, settle)

    def _sees(self, signal: Signal) -> bool:
        scope = self._scope
        if scope.all_tenants:
            return True
        if signal.tenant_id is None or signal.tenant_id != scope.tenant_id:
            return False
        if scope.whole_tenant:
            return True
        if signal.site_id is None:
            return False
        client = self._site_clients.get(signal.site_id)
        return signal.site_id in (scope.site_ids or ()) or client in (scope.client_ids or ())
