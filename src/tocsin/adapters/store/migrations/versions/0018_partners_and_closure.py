"""Partners and closure: ``partner.radio`` (a partner's radio channel) and the partner kinds fixed
(police, gendarmerie, fire, samu, gas, power, rail, other: older kinds are renamed), the notification matrix
(``notification_rule``, ``message_template``), the requests sent to partners (``partner_request``),
an event's radio channel (``incident_radio``) and report (``incident_report``), and the reference-data
corrections filed from events (``correction_request``).

Revision ID: 0018
Revises: 0024
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import tocsin.adapters.store.types

revision = "0018"
down_revision = "0024"
branch_labels = None
depends_on = None

UTC = tocsin.adapters.store.types.UTCDateTime


def _keys(table: str, *foreign: tuple[str, str]) -> list[sa.ForeignKeyConstraint]:
    return [
        sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"))
        for column, target in foreign
    ]


KINDS = ("police", "gendarmerie", "fire", "samu", "gas", "power", "rail", "other")
OLD_KINDS = {"medical": "samu", "railway": "rail"}  # any other kind outside KINDS becomes "other"


def upgrade() -> None:
    with op.batch_alter_table("partner", schema=None) as batch_op:
        batch_op.add_column(sa.Column("radio", sa.String(length=100), server_default="", nullable=False))
    partner = sa.table("partner", sa.column("kind", sa.String))
    for old, new in OLD_KINDS.items():
        op.execute(partner.update().where(sa.func.lower(partner.c.kind) == old).values(kind=new))
    op.execute(partner.update().where(partner.c.kind.not_in(KINDS)).values(kind="other"))
    op.create_table(
        "message_template",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        *_keys("message_template", ("tenant_id", "tenant")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_template")),
        sa.UniqueConstraint("tenant_id", "code", name="uq_message_template_tenant_code"),
    )
    op.create_table(
        "notification_rule",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("type_code", sa.String(length=32), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("max_priority", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Uuid(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("template_code", sa.String(length=32), nullable=False),
        *_keys("notification_rule", ("partner_id", "partner"), ("tenant_id", "tenant")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_rule")),
    )
    with op.batch_alter_table("notification_rule", schema=None) as batch_op:
        batch_op.create_index("ix_notification_rule_tenant", ["tenant_id", "position"], unique=False)
    op.create_table(
        "partner_request",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("incident_id", sa.Uuid(), nullable=False),
        sa.Column("partner_id", sa.Uuid(), nullable=False),
        sa.Column("partner_name", sa.String(length=200), nullable=False),
        sa.Column("partner_kind", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("template_code", sa.String(length=32), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("sent_at", UTC(timezone=True), nullable=False),
        sa.Column("sent_by", sa.String(length=200), nullable=False),
        sa.Column("acked_at", UTC(timezone=True), nullable=True),
        sa.Column("ack_by", sa.String(length=200), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("ack_note", sa.Text(), nullable=False),
        *_keys(
            "partner_request", ("incident_id", "incident"), ("partner_id", "partner"), ("tenant_id", "tenant")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_request")),
    )
    with op.batch_alter_table("partner_request", schema=None) as batch_op:
        batch_op.create_index("ix_partner_request_incident", ["incident_id", "sent_at"], unique=False)
    op.create_table(
        "incident_radio",
        sa.Column("incident_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("channel", sa.String(length=100), nullable=False),
        sa.Column("talkgroup", sa.String(length=100), nullable=False),
        sa.Column("assigned_at", UTC(timezone=True), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        *_keys("incident_radio", ("incident_id", "incident"), ("tenant_id", "tenant")),
        sa.PrimaryKeyConstraint("incident_id", name=op.f("pk_incident_radio")),
    )
    op.create_table(
        "incident_report",
        sa.Column("incident_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("outcomes", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("written_at", UTC(timezone=True), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        *_keys("incident_report", ("incident_id", "incident"), ("tenant_id", "tenant")),
        sa.PrimaryKeyConstraint("incident_id", name=op.f("pk_incident_report")),
    )
    op.create_table(
        "correction_request",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("incident_id", sa.Uuid(), nullable=False),
        sa.Column("subject", sa.String(length=16), nullable=False),
        sa.Column("ref", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("filed_at", UTC(timezone=True), nullable=False),
        sa.Column("filed_by", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("resolved_at", UTC(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.String(length=200), nullable=False),
        sa.Column("resolution", sa.Text(), nullable=False),
        *_keys("correction_request", ("incident_id", "incident"), ("tenant_id", "tenant")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_correction_request")),
    )
    with op.batch_alter_table("correction_request", schema=None) as batch_op:
        batch_op.create_index(
            "ix_correction_request_tenant", ["tenant_id", "state", "filed_at"], unique=False
        )


def downgrade() -> None:
    for table in (
        "correction_request",
        "incident_report",
        "incident_radio",
        "partner_request",
        "notification_rule",
        "message_template",
    ):
        op.drop_table(table)
    with op.batch_alter_table("partner", schema=None) as batch_op:
        batch_op.drop_column("radio")
