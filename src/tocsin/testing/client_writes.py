"""The in-memory twin of the client-keyed writes store."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID


class InMemoryClientWrites:
    """Claims kept in a dict shared by the store's units of work (copied per transaction)."""

    def __init__(self, claimed: dict[tuple[UUID, UUID], tuple[str, str, datetime]]) -> None:
        self._claimed = claimed

    def claim(self, tenant_id: UUID, key: UUID, kind: str, subject: str, at: datetime) -> bool:
        if (tenant_id, key) in self._claimed:
            return False
        self._claimed[(tenant_id, key)] = (kind, subject[:64], at)
        return True
