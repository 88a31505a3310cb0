"""Typed rows of the KPIs: a tenant's own targets (migration 0024)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from tocsin.adapters.store.rows import Base


class KpiTargetRow(Base):
    """A tenant's targets, ``seconds:percent`` comma-separated; NULL: the node's setting holds."""

    __tablename__ = "kpi_target"
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"), primary_key=True)
    take_targets: Mapped[str | None] = mapped_column(String(200))
    settle_targets: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime]
