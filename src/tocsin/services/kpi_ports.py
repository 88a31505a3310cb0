"""The KPI source's port: what the room's key performance indicators read of alarms and signals."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from tocsin.domain.dispatch_intervals import DispatchedEvent
from tocsin.domain.kpis import HandledAlarm


class KpiSource(Protocol):
    """Read-only figures seen through the caller's scope (site-less rows only over the whole tenant)."""

    def handled(self, start: datetime, end: datetime, limit: int) -> list[HandledAlarm]:
        """The alarms opened in ``[start, end)``, oldest first, at most ``limit``."""
        ...

    def dispatched(self, start: datetime, end: datetime, limit: int) -> list[DispatchedEvent]:
        """The events opened in ``[start, end)``, oldest first, at most ``limit``, each with every unit
        engaged on it (released or not): alerted, en route and on scene times."""
        ...

    def signal_hours(self, start: datetime, end: datetime) -> dict[datetime, int]:
        """Signals received in ``[start, end)`` counted per UTC hour (keyed by the hour's start)."""
        ...

    def tenant_targets(self, tenant_id: UUID) -> tuple[str | None, str | None]:
        """The tenant's own take and settle targets (None: the node's settings hold)."""
        ...

    def put_tenant_targets(self, tenant_id: UUID, take: str | None, settle: str | None, at: datetime) -> None:
        """Store the tenant's targets (replacing what it had)."""
        ...
