"""Rows of the room itself: who is on shift, and the handovers between shifts (migration 0020)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tocsin.adapters.store.rows import Base


class ShiftRow(Base):
    __tablename__ = "shift"
    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"), index=True)
    user_id: Mapped[UUID] = mapped_column(ForeignKey("user_account.id"), index=True)
    username: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


class HandoverRow(Base):
    __tablename__ = "handover"
    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"), index=True)
    from_user_id: Mapped[UUID] = mapped_column(ForeignKey("user_account.id"))
    from_name: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    submitted_at: Mapped[datetime]
    open_alarms: Mapped[int]
    open_events: Mapped[int]
    follow_ups: Mapped[int]
    instructions: Mapped[int]
    acknowledged_by_id: Mapped[UUID | None] = mapped_column(ForeignKey("user_account.id"))
    acknowledged_by: Mapped[str] = mapped_column(String(200))
    acknowledged_at: Mapped[datetime | None]
