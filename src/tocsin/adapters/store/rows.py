"""Typed SQLAlchemy rows. Repositories translate them to and from domain objects.

Column names follow the domain field names, so the mapping is mechanical. Every tenant-owned row
carries ``tenant_id``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, ForeignKey, Index, MetaData, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from tocsin.adapters.store.types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Shared metadata with stable constraint names, so migrations name them the same everywhere."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy's declarative hook, read once at class creation
        datetime: UTCDateTime,
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class TenantRow(Base):
    __tablename__ = "tenant"
    id: Mapped[UUID] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class ClientRow(Base):
    __tablename__ = "client"
    __table_args__ = (UniqueConstraint("tenant_id", "ref"),)
    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"), index=True)
    ref: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))


class ScheduleRow(Base):
    __tablename__ = "schedule"
    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"), index=True)
    client_id: Mapped[UUID | None] = mapped_column(ForeignKey("client.id"))
    name: Mapped[str] = mapped_column(String(200))
    windows: Mapped[list[Any]]
    holidays: Mapped[list[Any]]
    grace_seconds: Mapped[int] = mapped_column(server_default=text("900"))


class SiteRow(Base):
    __tablename__ = "site"
    __table_args__ = (UniqueConstraint("tenant_id", "ref"),)
    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"), index=True)
    client_id: Mapped[UUID] = mapped_column(ForeignKey("client.id"), index=True)
    ref: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300))
    postcode: Mapped[str] = mapped_column(String(16))
    city: Mapped[str] = mapped_column(String(100))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    time_zone: Mapped[str] = mapped_column(String(64))
    notes: Mapped[str]
    schedule_id: Mapped[UUID | None] = mapped_column(ForeignKey("schedule.id"), index=True)


class AccountRow(Base):
    __tablename__ = "account"
    # unique on the node across tenants: a frame carries only these three to say whose panel sent it
    __table_args__ = (UniqueConstraint("receiver", "line", "number"),)
    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"))
    site_id: Mapped[UUID] = mapped_column(ForeignKey("site.id"), index=True)
    number: Mapped[str] = mapped_column(String(16))
    receiver: Mapped[str] = mapped_column(String(6))
    line: Mapped[str] = mapped_column(String(6))
    protocol_options: Mapped[dict[str, Any]]
    profile: Mapped[str | None] = mapped_column(String(64))
    key_ref: Mapped[str | None] = mapped_column(String(128))
    supervision_seconds: Mapped[int | None]
    allow_cleartext: Mapped[bool] = mapped_column(server_default=false())  # unencrypted frames, keyed
    test_seconds: Mapped[int | None]  # the periodic test is missed after this (and a grace)
    station: Mapped[bool] = mapped_column(server_default=false())  # the room's own panel (0020)


class ZoneRow(Base):
    __tablename__ = "zone"
    __table_args__ = (UniqueConstraint("site_id", "number"),)
    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"))
    site_id: Mapped[UUID] = mapped_column(ForeignKey("site.id"), index=True)
    number: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))


class ContactRow(Base):
    __tablename__ = "contact"
    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"))
    site_id: Mapped[UUID] = mapped_column(ForeignKey("site.id"), index=True)
    call_order: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    phones: Mapped[list[Any]]
    role: Mapped[str] = mapped_column(String(32))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    duress_hash: Mapped[str | None] = mapped_column(String(200))


class UnitRow(Base):
    __tablename__ = "unit"
    __table_args__ = (UniqueConstraint("tenant_id", "callsign"),)
    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"), index=True)
    callsign: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    capabilities: Mapped[list[Any]]
    station: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(32))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    crew: Mapped[int] = mapped_column(server_default="0")
    equipment: Mapped[list[Any]] = mapped_column(server_default="[]")
    status_at: Mapped[datetime | None]
    position_at: Mapped[datetime | None]
    event_id: Mapped[UUID | None]
    flag: Mapped[str] = mapped_column(String(32), server_default="")


class PartnerRow(Base):
    __tablename__ = "partner"
    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    phones: Mapped[list[Any]]
    email: Mapped[str] = mapped_column(String(200))
    notes: Mapped[str]
    radio: Mapped[str] = mapped_column(String(100), server_default="")


class LogbookChainRow(Base):
    """The head of one chain: locked while an entry is appended, so the chain never forks."""

    __tablename__ = "logbook_chain"
    chain: Mapped[str] = mapped_column(String(80), primary_key=True)
    seq: Mapped[int]
    hash: Mapped[str] = mapped_column(String(64))


class LogbookEntryRow(Base):
    __tablename__ = "logbook_entry"
    __table_args__ = (
        UniqueConstraint("chain", "seq"),
        Index("ix_logbook_entry_tenant_recorded", "tenant_id", "recorded_at"),
    )
    id: Mapped[UUID] = mapped_column(primary_key=True)
    chain: Mapped[str] = mapped_column(String(80))
    seq: Mapped[int]
    tenant_id: Mapped[UUID | None]
    recorded_at: Mapped[datetime]
    occurred_at: Mapped[datetime | None]
    actor: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(80), index=True)
    message: Mapped[str] = mapped_column(String(120))
    params: Mapped[dict[str, Any]]
    subjects: Mapped[list[Any]]
    client_id: Mapped[UUID | None] = mapped_column(index=True)
    site_id: Mapped[UUID | None] = mapped_column(index=True)
    data: Mapped[dict[str, Any]]
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class LogbookCheckpointRow(Base):
    __tablename__ = "logbook_checkpoint"
    chain: Mapped[str] = mapped_column(String(80), primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True)
    hash: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime]
    key_id: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(200))


class DeadlineRow(Base):
    __tablename__ = "deadline"
    __table_args__ = (
        Index(
            "uq_deadline_pending_key",
            "kind",
            "key",
            unique=True,
            sqlite_where=text("fired_at IS NULL"),
            postgresql_where=text("fired_at IS NULL"),
        ),
        Index(
            "ix_deadline_pending_due",
            "due_at",
            sqlite_where=text("fired_at IS NULL"),
            postgresql_where=text("fired_at IS NULL"),
        ),
    )
    id: Mapped[UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(200))
    tenant_id: Mapped[UUID | None] = mapped_column(index=True)
    due_at: Mapped[datetime]
    payload: Mapped[dict[str, Any]]
    fired_at: Mapped[datetime | None]


class SignalRow(Base):
    """Every received frame, event or not, with its decoding and the answer we gave."""

    __tablename__ = "signal"
    __table_args__ = (
        Index("ix_signal_account_received", "account_number", "received_at"),
        # a tenant's signals in a period (the KPIs' signals per hour, the signals list): migration 0024
        # replaced the index on tenant_id alone, which SQLite chose over received_at and so read every
        # signal the tenant ever had
        Index("ix_signal_tenant_received", "tenant_id", "received_at"),
        # what the signal processor has still to take, oldest first; processed signals leave the index
        Index(
            "ix_signal_pending",
            "received_at",
            "id",
            sqlite_where=text("processed_at IS NULL"),
            postgresql_where=text("processed_at IS NULL"),
        ),
    )
    id: Mapped[UUID] = mapped_column(primary_key=True)
    received_at: Mapped[datetime] = mapped_column(index=True)
    node: Mapped[str] = mapped_column(String(64))
    listener: Mapped[str] = mapped_column(String(64))
    raw: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(String(8))
    tenant_id: Mapped[UUID | None]
    account_id: Mapped[UUID | None]
    site_id: Mapped[UUID | None]
    occurred_at: Mapped[datetime | None]
    receiver: Mapped[str | None] = mapped_column(String(6))
    line: Mapped[str | None] = mapped_column(String(6))
    account_number: Mapped[str | None] = mapped_column(String(16))
    sequence: Mapped[str | None] = mapped_column(String(4))
    id_token: Mapped[str | None] = mapped_column(String(16))
    payload_hash: Mapped[str | None] = mapped_column(String(64))
    data: Mapped[str | None] = mapped_column(Text)
    events: Mapped[list[Any]]
    problem: Mapped[str | None] = mapped_column(String(200))
    # copies of one message (a panel's retries, wherever received) are stored once: Signal.stored_once_key
    retransmission_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    processed_at: Mapped[datetime | None]  # when its logbook entries (and later its alarm) were written


class AlarmRow(Base):
    __tablename__ = "alarm"
    __table_args__ = (
        Index("ix_alarm_open_site", "tenant_id", "site_id", "state"),
        Index("ix_alarm_queue", "tenant_id", "state", "priority", "opened_at"),
        Index("ix_alarm_opened", "tenant_id", "opened_at"),  # the KPIs of a period (migration 0024)
    )
    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"))
    site_id: Mapped[UUID | None] = mapped_column(ForeignKey("site.id", ondelete="SET NULL"))
    client_id: Mapped[UUID | None]
    site_ref: Mapped[str] = mapped_column(String(64))
    site_name: Mapped[str] = mapped_column(String(200))
    group_key: Mapped[str] = mapped_column(String(100))
    alarm_class: Mapped[str] = mapped_column(String(32))
    priority: Mapped[int]
    state: Mapped[str] = mapped_column(String(16))
    version: Mapped[int]
    title_en: Mapped[str] = mapped_column(String(200))
    title_fr: Mapped[str] = mapped_column(String(200))
    opened_at: Mapped[datetime]
    last_signal_at: Mapped[datetime]
    signal_count: Mapped[int]
    accounts: Mapped[list[Any]]
    zones: Mapped[dict[str, Any]]
    needs_rearm: Mapped[bool]
    normal_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]
    holder_id: Mapped[UUID | None]
    holder_name: Mapped[str] = mapped_column(String(200))
    taken_at: Mapped[datetime | None]
    first_taken_at: Mapped[datetime | None]
    settled_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(16))
    cause: Mapped[str | None] = mapped_column(String(64))
    follow_up_until: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    close_reason: Mapped[str] = mapped_column(String(500))
    closed_by: Mapped[str] = mapped_column(String(200))
    reopened: Mapped[int]
    avs_score: Mapped[int | None]


class AlarmSignalRow(Base):
    __tablename__ = "alarm_signal"
    __table_args__ = (Index("ix_alarm_signal_alarm", "alarm_id", "at"),)
    id: Mapped[UUID] = mapped_column(primary_key=True)
    alarm_id: Mapped[UUID] = mapped_column(ForeignKey("alarm.id"))
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"))
    at: Mapped[datetime]
    signal_id: Mapped[UUID | None]
    account: Mapped[str] = mapped_column(String(32))
    code: Mapped[str] = mapped_column(String(16))
    zone: Mapped[str] = mapped_column(String(16))
    label_en: Mapped[str] = mapped_column(String(200))
    label_fr: Mapped[str] = mapped_column(String(200))
    nature: Mapped[str] = mapped_column(String(16))


class AlarmRuleRow(Base):
    __tablename__ = "alarm_rule"
    __table_args__ = (Index("ix_alarm_rule_tenant", "tenant_id"),)
    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"))
    alarm_class: Mapped[str] = mapped_column(String(32))
    client_id: Mapped[UUID | None] = mapped_column(ForeignKey("client.id"))
    site_id: Mapped[UUID | None] = mapped_column(ForeignKey("site.id"))
    priority: Mapped[int | None]
    escalate_seconds: Mapped[int | None]
    group_seconds: Mapped[int | None]


class ClosureCodeRow(Base):
    __tablename__ = "closure_code"
    __table_args__ = (UniqueConstraint("tenant_id", "code"),)
    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"))
    code: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16))
    label_en: Mapped[str] = mapped_column(String(200))
    label_fr: Mapped[str] = mapped_column(String(200))
    text_en: Mapped[str] = mapped_column(String(500))
    text_fr: Mapped[str] = mapped_column(String(500))


class SiteStatusRow(Base):
    __tablename__ = "site_status"
    site_id: Mapped[UUID] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"), primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"))
    armed: Mapped[bool | None]
    armed_at: Mapped[datetime | None]
    zones: Mapped[dict[str, Any]]
    test_until: Mapped[datetime | None]
    test_account: Mapped[str] = mapped_column(String(32))
    test_by: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(server_default="1")  # saved only at the version read


class AlarmCallRow(Base):
    """A call attempt for an alarm: the result of the word check, never the word."""

    __tablename__ = "alarm_call"
    __table_args__ = (Index("ix_alarm_call_alarm", "alarm_id", "at"),)
    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"))
    alarm_id: Mapped[UUID] = mapped_column(ForeignKey("alarm.id"))
    at: Mapped[datetime]
    number: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(16))
    result: Mapped[str] = mapped_column(String(16))
    contact_id: Mapped[UUID | None]
    contact_name: Mapped[str] = mapped_column(String(200))
    call_order: Mapped[int]
    user_id: Mapped[UUID | None]
    by: Mapped[str] = mapped_column(String(200))


class AlarmVerificationRow(Base):
    """A verification result for an alarm (video, audio, a guard on site)."""

    __tablename__ = "alarm_verification"
    __table_args__ = (Index("ix_alarm_verification_alarm", "alarm_id", "at"),)
    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"))
    alarm_id: Mapped[UUID] = mapped_column(ForeignKey("alarm.id"))
    at: Mapped[datetime]
    method: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(16))
    threat: Mapped[str] = mapped_column(String(16))
    note: Mapped[str]
    dispatch_id: Mapped[UUID | None]
    user_id: Mapped[UUID | None]
    by: Mapped[str] = mapped_column(String(200))


class AlarmDispatchRow(Base):
    """A guard or keyholder sent to an alarm's site."""

    __tablename__ = "alarm_dispatch"
    __table_args__ = (Index("ix_alarm_dispatch_alarm", "alarm_id", "dispatched_at"),)
    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"))
    alarm_id: Mapped[UUID] = mapped_column(ForeignKey("alarm.id"))
    dispatched_at: Mapped[datetime]
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    unit_id: Mapped[UUID | None]
    contact_id: Mapped[UUID | None]
    eta: Mapped[datetime | None]
    arrived_at: Mapped[datetime | None]
    findings: Mapped[str] = mapped_column(String(32))
    findings_at: Mapped[datetime | None]
    note: Mapped[str]
    user_id: Mapped[UUID | None]
    by: Mapped[str] = mapped_column(String(200))


class AlarmRequestRow(Base):
    """A request to a partner (police, fire, ambulance) for an alarm, with what allowed it."""

    __tablename__ = "alarm_request"
    __table_args__ = (Index("ix_alarm_request_alarm", "alarm_id", "at"),)
    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"))
    alarm_id: Mapped[UUID] = mapped_column(ForeignKey("alarm.id"))
    at: Mapped[datetime]
    partner_id: Mapped[UUID]
    partner_name: Mapped[str] = mapped_column(String(200))
    partner_kind: Mapped[str] = mapped_column(String(32))
    service: Mapped[str] = mapped_column(String(16))
    message: Mapped[str]
    reference: Mapped[str] = mapped_column(String(100))
    note: Mapped[str]
    avs_score: Mapped[int]
    basis: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[UUID | None]
    by: Mapped[str] = mapped_column(String(200))
