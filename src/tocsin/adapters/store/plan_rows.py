"""Rows of action plans, alarm checklists and temporary instructions (migration 0010)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tocsin.adapters.store.rows import Base


class ActionPlanRow(Base):
    """A client's or a site's plan for one alarm class; ``steps`` is a JSON list of step objects."""

    __tablename__ = "action_plan"
    __table_args__ = (Index("ix_action_plan_owner", "tenant_id", "alarm_class", "client_id", "site_id"),)
    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"))
    alarm_class: Mapped[str] = mapped_column(String(32))
    client_id: Mapped[UUID | None] = mapped_column(ForeignKey("client.id"))
    site_id: Mapped[UUID | None] = mapped_column(ForeignKey("site.id"))
    steps: Mapped[list[Any]]
    updated_at: Mapped[datetime | None]
    updated_by: Mapped[str] = mapped_column(String(200))


class AlarmStepRow(Base):
    """One step of an alarm's checklist."""

    __tablename__ = "alarm_step"
    __table_args__ = (Index("ix_alarm_step_alarm", "alarm_id", "position"),)
    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"))
    alarm_id: Mapped[UUID] = mapped_column(ForeignKey("alarm.id"))
    position: Mapped[int]
    alarm_class: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(32))
    instruction: Mapped[str] = mapped_column(Text)
    mandatory: Mapped[bool]
    state: Mapped[str] = mapped_column(String(16))
    result: Mapped[str] = mapped_column(Text)
    answered_by: Mapped[str] = mapped_column(String(200))
    said: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    done_at: Mapped[datetime | None]
    done_by: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[UUID | None]


class SiteInstructionRow(Base):
    """A temporary instruction of a site (or one of its transmitters)."""

    __tablename__ = "site_instruction"
    __table_args__ = (Index("ix_site_instruction_site", "site_id", "starts_at"),)
    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"))
    client_id: Mapped[UUID] = mapped_column(ForeignKey("client.id"))
    site_id: Mapped[UUID] = mapped_column(ForeignKey("site.id"))
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(200))
    account: Mapped[str] = mapped_column(String(32))
    caller: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(16))
    ended_at: Mapped[datetime | None]
    ended_by: Mapped[str] = mapped_column(String(200))
