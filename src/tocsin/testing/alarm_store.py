"""The in-memory twin of :class:`tocsin.adapters.store.alarm_store.SqlAlarmStore`."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from tocsin.domain import alarms as a
from tocsin.domain.calls import CallAttempt
from tocsin.domain.scope import Scope
from tocsin.domain.sites import Site
from tocsin.domain.verification import AuthorityRequest, Dispatch, Verification


@dataclass
class AlarmTables:
    """What the in-memory alarm store holds (records are frozen: containers are copied per transaction)."""

    alarms: dict[UUID, a.Alarm] = field(default_factory=dict)
    history: dict[UUID, list[a.AlarmSignal]] = field(default_factory=dict)
    rules: dict[UUID, list[a.AlarmRule]] = field(default_factory=dict)
    codes: dict[UUID, dict[str, a.ClosureCode]] = field(default_factory=dict)
    statuses: dict[UUID, a.SiteStatus] = field(default_factory=dict)
    calls: dict[UUID, list[CallAttempt]] = field(default_factory=dict)
    verifications: dict[UUID, list[Verification]] = field(default_factory=dict)
    dispatches: dict[UUID, list[Dispatch]] = field(default_factory=dict)
    requests: dict[UUID, list[AuthorityRequest]] = field(default_factory=dict)

    def copy(self) -> AlarmTables:
        return AlarmTables(
            alarms=dict(self.alarms),
            history={k: list(v) for k, v in self.history.items()},
            rules={k: list(v) for k, v in self.rules.items()},
            codes={k: dict(v) for k, v in self.codes.items()},
            statuses=dict(self.statuses),
            calls={k: list(v) for k, v in self.calls.items()},
            verifications={k: list(v) for k, v in self.verifications.items()},
            dispatches={k: list(v) for k, v in self.dispatches.items()},
            requests={k: list(v) for k, v in self.requests.items()},
        )


def _rank(alarm: a.Alarm) -> tuple[int, int, datetime, UUID]:
    state = {"new": 0, "taken": 0, "settled": 1}.get(alarm.state, 2)
    return (state, alarm.priority, alarm.opened_at, alarm.id)


class InMemoryAlarmStore:
    """Alarms in dicts, seen through a scope like the SQL store."""

    def __init__(self, tables: AlarmTables, scope: Scope, site_of: Callable[[UUID], Site | None]) -> None:
        self._t = tables
        self._scope = scope
        self._site_of = site_of

    def _visible(self, alarm: a.Alarm) -> bool:
        scope = self._scope
        if scope.all_tenants:
            return True
        if scope.tenant_id != alarm.tenant_id:
            return False
        if scope.whole_tenant:
            return True
        site = None if alarm.site_id is None else self._site_of(alarm.site_id)
        return site is not None and scope.allows_site(site.tenant_id, site.client_id, site.id)

    def open_for(
        self,
        tenant_id: UUID,
        site_ids: Collection[UUID],
        group_keys: Collection[str],
        *,
        site_classes: Collection[str] | None = None,
        whole_sites: Collection[UUID] = (),
        lock: bool = True,
        known: Mapping[UUID, a.Alarm] | None = None,  # nothing to spare in memory: the stored ones serve
    ) -> list[a.Alarm]:
        sites, keys, whole = set(site_ids), set(group_keys), set(whole_sites)

        def wanted(x: a.Alarm) -> bool:
            if x.site_id is None:
                return x.group_key in keys
            if x.site_id in whole:
                return True
            return x.site_id in sites and (site_classes is None or x.group_key in site_classes)

        found = [
            x
            for x in self._t.alarms.values()
            if x.tenant_id == tenant_id and x.state != "closed" and wanted(x)
        ]
        return sorted(found, key=lambda x: (x.opened_at, x.id))

    def add(self, alarms: Sequence[a.Alarm]) -> None:
        for alarm in alarms:
            if alarm.id in self._t.alarms:
                raise a.AlarmChanged(f"Alarm {alarm.id} is already stored.")
            self._t.alarms[alarm.id] = alarm

    def save(self, alarms: Sequence[a.Alarm]) -> None:
        for alarm in alarms:
            stored = self._t.alarms.get(alarm.id)
            if stored is None or stored.version != alarm.version:
                raise a.AlarmChanged("This alarm changed meanwhile: look at it again and retry.")
            self._t.alarms[alarm.id] = dataclasses.replace(alarm, version=alarm.version + 1)

    def get(self, alarm_id: UUID) -> a.Alarm | None:
        alarm = self._t.alarms.get(alarm_id)
        return alarm if alarm is not None and self._visible(alarm) else None

    def find(
        self,
        *,
        states: Collection[str] | None = None,
        site_id: UUID | None = None,
        since: datetime | None = None,
        limit: int = 500,
    ) -> list[a.Alarm]:
        found = [
            x
            for x in self._t.alarms.values()
            if self._visible(x)
            and (states is None or x.state in states)
            and (site_id is None or x.site_id == site_id)
            and (since is None or x.opened_at >= since)
        ]
        return sorted(found, key=_rank)[:limit]

    def link(self, events: Sequence[a.AlarmSignal]) -> None:
        for event in events:
            self._t.history.setdefault(event.alarm_id, []).append(event)

    def history(self, alarm_id: UUID, limit: int = 500) -> list[a.AlarmSignal]:
        return sorted(self._t.history.get(alarm_id, []), key=lambda e: (e.at, e.id))[:limit]

    def add_call(self, attempt: CallAttempt) -> None:
        self._t.calls.setdefault(attempt.alarm_id, []).append(attempt)

    def calls(self, alarm_id: UUID) -> list[CallAttempt]:
        return sorted(self._t.calls.get(alarm_id, []), key=lambda x: (x.at, x.id))

    def rules(self, tenant_id: UUID) -> list[a.AlarmRule]:
        return list(self._t.rules.get(tenant_id, []))

    def put_rule(self, rule: a.AlarmRule) -> None:
        kept = [
            r
            for r in self._t.rules.get(rule.tenant_id, [])
            if (r.alarm_class, r.client_id, r.site_id) != (rule.alarm_class, rule.client_id, rule.site_id)
        ]
        self._t.rules[rule.tenant_id] = [*kept, rule]

    def closure_codes(self, tenant_id: UUID) -> list[a.ClosureCode]:
        own = self._t.codes.get(tenant_id)
        return sorted(own.values(), key=lambda c: c.code) if own else list(a.DEFAULT_CLOSURE_CODES)

    def put_closure_code(self, tenant_id: UUID, code: a.ClosureCode) -> None:
        self._t.codes.setdefault(tenant_id, {})[code.code] = code

    def statuses(self, site_ids: Collection[UUID]) -> dict[UUID, a.SiteStatus]:
        return {s: self._t.statuses[s] for s in site_ids if s in self._t.statuses}

    def put_statuses(self, statuses: Sequence[a.SiteStatus]) -> None:
        for status in statuses:  # every one at the version it was read with (0: not stored yet)
            stored = self._t.statuses.get(status.site_id)
            if (0 if stored is None else stored.version) != status.version:
                raise a.AlarmChanged("A site's status changed meanwhile: look again and retry.")
        for status in statuses:
            self._t.statuses[status.site_id] = dataclasses.replace(status, version=status.version + 1)
