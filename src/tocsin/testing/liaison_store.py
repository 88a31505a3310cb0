"""The in-memory twin of :class:`tocsin.adapters.store.liaison_store.SqlLiaisonStore`."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from tocsin.domain.closure import Correction, Report
from tocsin.domain.partners import Matrix, PartnerRequest, RadioAssignment
from tocsin.domain.scope import Scope


@dataclass
class LiaisonTables:
    """What the in-memory store holds (records are frozen: containers are copied per transaction)."""

    matrices: dict[UUID, Matrix] = field(default_factory=dict)
    requests: dict[UUID, PartnerRequest] = field(default_factory=dict)
    radios: dict[UUID, RadioAssignment] = field(default_factory=dict)
    reports: dict[UUID, Report] = field(default_factory=dict)
    corrections: dict[UUID, Correction] = field(default_factory=dict)

    def copy(self) -> LiaisonTables:
        return LiaisonTables(
            dict(self.matrices),
            dict(self.requests),
            dict(self.radios),
            dict(self.reports),
            dict(self.corrections),
        )


class InMemoryLiaisonStore:
    """Matrix, requests, radio, reports and corrections in dicts, kept inside the caller's tenant."""

    def __init__(self, tables: LiaisonTables, scope: Scope) -> None:
        self._t = tables
        self._scope = scope

    def _mine(self, tenant_id: UUID) -> bool:
        return self._scope.all_tenants or self._scope.tenant_id == tenant_id

    def matrix(self, tenant_id: UUID) -> Matrix:
        return self._t.matrices.get(tenant_id, Matrix())

    def put_matrix(self, tenant_id: UUID, matrix: Matrix) -> None:
        self._t.matrices[tenant_id] = Matrix(
            matrix.rules, tuple(sorted(matrix.templates, key=lambda t: t.code))
        )

    def requests(self, incident_id: UUID) -> list[PartnerRequest]:
        found = [
            r for r in self._t.requests.values() if r.incident_id == incident_id and self._mine(r.tenant_id)
        ]
        return sorted(found, key=lambda r: (r.sent_at, r.id))

    def request(self, request_id: UUID) -> PartnerRequest | None:
        found = self._t.requests.get(request_id)
        return found if found is not None and self._mine(found.tenant_id) else None

    def add_request(self, request: PartnerRequest) -> None:
        self._t.requests[request.id] = request

    def save_request(self, request: PartnerRequest) -> None:
        self._t.requests[request.id] = request

    def radio(self, incident_id: UUID) -> RadioAssignment | None:
        found = self._t.radios.get(incident_id)
        return found if found is not None and self._mine(found.tenant_id) else None

    def set_radio(self, radio: RadioAssignment) -> None:
        self._t.radios[radio.incident_id] = radio

    def report(self, incident_id: UUID) -> Report | None:
        found = self._t.reports.get(incident_id)
        return found if found is not None and self._mine(found.tenant_id) else None

    def put_report(self, report: Report) -> None:
        self._t.reports[report.incident_id] = report

    def corrections(
        self, *, state: str | None = None, incident_id: UUID | None = None, limit: int = 500
    ) -> list[Correction]:
        found = [
            c
            for c in self._t.corrections.values()
            if self._mine(c.tenant_id)
            and (state is None or c.state == state)
            and (incident_id is None or c.incident_id == incident_id)
        ]
        return sorted(found, key=lambda c: (-c.filed_at.timestamp(), c.id))[:limit]

    def correction(self, correction_id: UUID) -> Correction | None:
        found = self._t.corrections.get(correction_id)
        return found if found is not None and self._mine(found.tenant_id) else None

    def add_correction(self, correction: Correction) -> None:
        self._t.corrections[correction.id] = correction

    def save_correction(self, correction: Correction) -> None:
        self._t.corrections[correction.id] = correction
