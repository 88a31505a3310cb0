"""Rows of dispatch incidents and of each tenant's nomenclature of event types."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tocsin.adapters.store.rows import Base


class IncidentRow(Base):
    """An incident as it now stands, with its narrative, links and timeline (copies of its entries)."""

    __tablename__ = "incident"
    __table_args__ = (
        Index("ix_incident_board", "tenant_id", "state", "priority", "opened_at"),
        Index("ix_incident_opened", "tenant_id", "opened_at"),
    )
    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"))
    type_code: Mapped[str] = mapped_column(String(32))
    type_label_en: Mapped[str] = mapped_column(String(300))
    type_label_fr: Mapped[str] = mapped_column(String(300))
    apco: Mapped[str] = mapped_column(String(32))
    priority: Mapped[int]
    reflex: Mapped[bool]
    state: Mapped[str] = mapped_column(String(16))
    origin: Mapped[str] = mapped_column(String(16))
    opened_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(200))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    address: Mapped[str] = mapped_column(String(500))
    address_id: Mapped[str] = mapped_column(String(64))
    site_id: Mapped[UUID | None] = mapped_column(ForeignKey("site.id"))
    client_id: Mapped[UUID | None]
    caller_name: Mapped[str] = mapped_column(String(200))
    caller_phone: Mapped[str] = mapped_column(String(32))
    source_ref: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    answers: Mapped[dict[str, Any]]
    missing: Mapped[list[Any]]
    links: Mapped[list[Any]]
    notes: Mapped[list[Any]]
    timeline: Mapped[list[Any]]
    closed_at: Mapped[datetime | None]
    version: Mapped[int]


class IncidentTypeRow(Base):
    """One entry of a tenant's nomenclature, as plain data (``nomenclature.parse_type`` reads it)."""

    __tablename__ = "incident_type"
    __table_args__ = (UniqueConstraint("tenant_id", "code", name="uq_incident_type_tenant_code"),)
    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"))
    code: Mapped[str] = mapped_column(String(32))
    definition: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]
