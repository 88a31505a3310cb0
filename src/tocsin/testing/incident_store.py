"""The in-memory twin of :class:`tocsin.adapters.store.incident_store.SqlIncidentStore`."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from tocsin.domain import incidents as i
from tocsin.domain.incidents import Near
from tocsin.domain.nomenclature import IncidentType
from tocsin.domain.scope import Scope
from tocsin.domain.sites import Site


@dataclass
class IncidentTables:
    """What the in-memory incident store holds (records are frozen: containers are copied per transaction)."""

    incidents: dict[UUID, i.Incident] = field(default_factory=dict)
    types: dict[UUID, dict[str, IncidentType]] = field(default_factory=dict)

    def copy(self) -> IncidentTables:
        return IncidentTables(dict(self.incidents), {k: dict(v) for k, v in self.types.items()})


class InMemoryIncidentStore:
    """Incidents in dicts, seen through a scope like the SQL store."""

    def __init__(self, tables: IncidentTables, scope: Scope, site_of: Callable[[UUID], Site | None]) -> None:
        self._t = tables
        self._scope = scope
        self._site_of = site_of

    def _visible(self, incident: i.Incident) -> bool:
        scope = self._scope
        if scope.all_tenants:
            return True
        if scope.tenant_id != incident.tenant_id:
            return False
        if scope.whole_tenant:
            return True
        site = None if incident.site_id is None else self._site_of(incident.site_id)
        return site is not None and scope.allows_site(site.tenant_id, site.client_id, site.id)

    def add(self, incident: i.Incident) -> None:
        if incident.id in self._t.incidents:
            raise i.IncidentChanged(f"Event {incident.id} is already stored.")
        self._t.incidents[incident.id] = incident

    def save(self, incident: i.Incident) -> None:
        stored = self._t.incidents.get(incident.id)
        if stored is None or stored.version != incident.version:
            raise i.IncidentChanged("This event changed meanwhile: look at it again and retry.")
        self._t.incidents[incident.id] = dataclasses.replace(incident, version=incident.version + 1)

    def get(self, incident_id: UUID) -> i.Incident | None:
        found = self._t.incidents.get(incident_id)
        return found if found is not None and self._visible(found) else None

    def find(
        self,
        *,
        states: Collection[str] | None = None,
        type_codes: Collection[str] | None = None,
        min_priority: int | None = None,
        since: datetime | None = None,
        limit: int = 500,
        light: bool = False,
        near: Near | None = None,
    ) -> list[i.Incident]:
        found = [
            x
            for x in self._t.incidents.values()
            if self._visible(x)
            and (states is None or x.state in states)
            and (type_codes is None or x.type_code in type_codes)
            and (min_priority is None or x.priority <= min_priority)
            and (since is None or x.opened_at >= since)
            and (near is None or near.admits(x))
        ]
        ordered = sorted(found, key=lambda x: (x.priority, x.opened_at, x.id))[:limit]
        if light:
            return [dataclasses.replace(x, answers={}, links=(), notes=(), timeline=()) for x in ordered]
        return ordered

    def types(self, tenant_id: UUID) -> list[IncidentType]:
        return sorted(self._t.types.get(tenant_id, {}).values(), key=lambda t: t.code)

    def put_types(self, tenant_id: UUID, types: Collection[IncidentType], at: datetime) -> None:
        own = self._t.types.setdefault(tenant_id, {})
        for kind in types:
            own[kind.code] = kind
