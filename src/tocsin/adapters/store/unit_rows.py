"""Rows of units' engagements on events (``unit_assignment``) and of their status history
(``unit_status_change``); the unit itself is ``rows.UnitRow``."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from tocsin.adapters.store.rows import Base


class AssignmentRow(Base):
    """A unit engaged on an event: when it was alerted, acknowledged, en route, on scene, released."""

    __tablename__ = "unit_assignment"
    __table_args__ = (
        Index("ix_unit_assignment_incident", "incident_id", "released_at"),
        Index("ix_unit_assignment_unit", "unit_id", "released_at"),
        # one open assignment per unit, whatever two operators do at once (PostgreSQL's concurrent writers
        # both read the unit free: the second insert fails and nothing of its engage is written)
        Index(
            "uq_unit_assignment_open",
            "unit_id",
            unique=True,
            sqlite_where=text("released_at IS NULL"),
            postgresql_where=text("released_at IS NULL"),
        ),
    )
    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"))
    incident_id: Mapped[UUID] = mapped_column(ForeignKey("incident.id"))
    unit_id: Mapped[UUID] = mapped_column(ForeignKey("unit.id"))
    callsign: Mapped[str] = mapped_column(String(200))
    alerted_at: Mapped[datetime]
    acknowledged_at: Mapped[datetime | None]
    en_route_at: Mapped[datetime | None]
    on_scene_at: Mapped[datetime | None]
    released_at: Mapped[datetime | None]
    by: Mapped[str] = mapped_column(String(200))


class UnitStatusRow(Base):
    """One status change of a unit, with the event it was engaged on."""

    __tablename__ = "unit_status_change"
    __table_args__ = (Index("ix_unit_status_change_unit", "unit_id", "at"),)
    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"))
    unit_id: Mapped[UUID] = mapped_column(ForeignKey("unit.id"))
    status: Mapped[str] = mapped_column(String(32))
    previous: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime]
    incident_id: Mapped[UUID | None]
    by: Mapped[str] = mapped_column(String(200))
