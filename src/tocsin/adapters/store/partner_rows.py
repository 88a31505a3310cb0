"""Rows of telling partners and closing events: the notification matrix and its templates, the requests
sent to partners, an event's radio channel and report, and the reference-data corrections."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tocsin.adapters.store.rows import Base


class NotificationRuleRow(Base):
    """One rule of a tenant's notification matrix, at its position."""

    __tablename__ = "notification_rule"
    __table_args__ = (Index("ix_notification_rule_tenant", "tenant_id", "position"),)
    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"))
    position: Mapped[int]
    type_code: Mapped[str] = mapped_column(String(32))
    category: Mapped[str] = mapped_column(String(32))
    max_priority: Mapped[int]
    partner_id: Mapped[UUID] = mapped_column(ForeignKey("partner.id"))
    channel: Mapped[str] = mapped_column(String(16))
    template_code: Mapped[str] = mapped_column(String(32))


class MessageTemplateRow(Base):
    """A message template of a tenant, by code."""

    __tablename__ = "message_template"
    __table_args__ = (UniqueConstraint("tenant_id", "code", name="uq_message_template_tenant_code"),)
    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"))
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)


class PartnerRequestRow(Base):
    """A message sent to a partner about an event, and the partner's acknowledgment."""

    __tablename__ = "partner_request"
    __table_args__ = (Index("ix_partner_request_incident", "incident_id", "sent_at"),)
    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"))
    incident_id: Mapped[UUID] = mapped_column(ForeignKey("incident.id"))
    partner_id: Mapped[UUID] = mapped_column(ForeignKey("partner.id"))
    partner_name: Mapped[str] = mapped_column(String(200))
    partner_kind: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(200))
    template_code: Mapped[str] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime]
    sent_by: Mapped[str] = mapped_column(String(200))
    acked_at: Mapped[datetime | None]
    ack_by: Mapped[str] = mapped_column(String(200))
    reference: Mapped[str] = mapped_column(String(100))
    ack_note: Mapped[str] = mapped_column(Text)


class IncidentRadioRow(Base):
    """The radio channel and talk-group assigned to an event."""

    __tablename__ = "incident_radio"
    incident_id: Mapped[UUID] = mapped_column(ForeignKey("incident.id"), primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"))
    channel: Mapped[str] = mapped_column(String(100))
    talkgroup: Mapped[str] = mapped_column(String(100))
    assigned_at: Mapped[datetime]
    by: Mapped[str] = mapped_column(String(200))


class IncidentReportRow(Base):
    """An event's report (compte-rendu): outcome codes and text."""

    __tablename__ = "incident_report"
    incident_id: Mapped[UUID] = mapped_column(ForeignKey("incident.id"), primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"))
    outcomes: Mapped[list[Any]]
    text: Mapped[str] = mapped_column(Text)
    written_at: Mapped[datetime]
    by: Mapped[str] = mapped_column(String(200))


class CorrectionRow(Base):
    """A reference-data correction filed from an event, open until an administrator resolves it."""

    __tablename__ = "correction_request"
    __table_args__ = (Index("ix_correction_request_tenant", "tenant_id", "state", "filed_at"),)
    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"))
    incident_id: Mapped[UUID] = mapped_column(ForeignKey("incident.id"))
    subject: Mapped[str] = mapped_column(String(16))
    ref: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    filed_at: Mapped[datetime]
    filed_by: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(16))
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str] = mapped_column(String(200))
    resolution: Mapped[str] = mapped_column(Text)
