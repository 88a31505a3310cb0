"""The port of telling partners and closing events: the tenant's notification matrix, the requests sent
to partners, an event's radio channel and report, and the reference-data corrections.

Records are read by their event's id once the event was read in the caller's scope; the store itself
keeps every caller inside its tenant.
"""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from tocsin.domain.closure import Correction, Report
from tocsin.domain.partners import Matrix, PartnerRequest, RadioAssignment


class LiaisonStore(Protocol):
    """Partners' side of events and their closure, in the caller's transaction."""

    def matrix(self, tenant_id: UUID) -> Matrix:
        """The tenant's notification matrix (empty until set)."""
        ...

    def put_matrix(self, tenant_id: UUID, matrix: Matrix) -> None:
        """Replace the tenant's rules and templates."""
        ...

    def requests(self, incident_id: UUID) -> list[PartnerRequest]:
        """The requests sent about an event, oldest first."""
        ...

    def request(self, request_id: UUID) -> PartnerRequest | None:
        """One request, if the caller's tenant holds it."""
        ...

    def add_request(self, request: PartnerRequest) -> None: ...

    def save_request(self, request: PartnerRequest) -> None:
        """Write back a request (its acknowledgment)."""
        ...

    def radio(self, incident_id: UUID) -> RadioAssignment | None: ...

    def set_radio(self, radio: RadioAssignment) -> None:
        """Assign (or reassign) an event's radio channel."""
        ...

    def report(self, incident_id: UUID) -> Report | None: ...

    def put_report(self, report: Report) -> None:
        """Write (or rewrite) an event's report."""
        ...

    def corrections(
        self, *, state: str | None = None, incident_id: UUID | None = None, limit: int = 500
    ) -> list[Correction]:
        """Corrections of the caller's tenant (of one event, in one state), newest first."""
        ...

    def correction(self, correction_id: UUID) -> Correction | None: ...

    def add_correction(self, correction: Correction) -> None: ...

    def save_correction(self, correction: Correction) -> None: ...
