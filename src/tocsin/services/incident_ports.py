"""The incident store's port: dispatch incidents and the tenant's nomenclature."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol
from uuid import UUID

from tocsin.domain.incidents import Incident, Near
from tocsin.domain.nomenclature import IncidentType


class IncidentStore(Protocol):
    """Incidents seen through the caller's scope (a site-less incident only over the whole tenant)."""

    def add(self, incident: Incident) -> None:
        """Store a new incident."""
        ...

    def save(self, incident: Incident) -> None:
        """Write the incident back if it is still at ``incident.version`` (else IncidentChanged)."""
        ...

    def get(self, incident_id: UUID) -> Incident | None:
        """The incident, if the scope sees it."""
        ...

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
    ) -> list[Incident]:
        """Incidents the scope sees: most urgent first, then oldest first (``min_priority`` 2: P1 and P2);
        ``light``: without answers, links, notes and timeline (a board's rows, a duplicate search);
        ``near``: only those on its site or in the box around its point (a duplicate search)."""
        ...

    def types(self, tenant_id: UUID) -> list[IncidentType]:
        """The tenant's own nomenclature, by code (empty while it uses the shipped one)."""
        ...

    def put_types(self, tenant_id: UUID, types: Collection[IncidentType], at: datetime) -> None:
        """Add or replace entries of the tenant's nomenclature."""
        ...
