"""The levée de doute: ``alarm_verification`` (video, audio, guard on site), ``alarm_dispatch`` (guards
and keyholders sent), ``alarm_request`` (police, fire, ambulance requests, with what allowed them and the
AVS-01 score then), and each alarm's AVS-01 score (``alarm.avs_score``, null until verified).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

import tocsin.adapters.store.types

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

UTC = tocsin.adapters.store.types.UTCDateTime


def _owned(name: str) -> list[Any]:
    """The columns and keys every table of an alarm's verification has."""
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("alarm_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["alarm_id"], ["alarm.id"], name=op.f(f"fk_{name}_alarm_id_alarm")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f(f"fk_{name}_tenant_id_tenant")),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
    ]


def upgrade() -> None:
    with op.batch_alter_table("alarm") as batch:
        batch.add_column(sa.Column("avs_score", sa.Integer(), nullable=True))
    op.create_table(
        "alarm_verification",
        *_owned("alarm_verification"),
        sa.Column("at", UTC(timezone=True), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("threat", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("dispatch_id", sa.Uuid(), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("by", sa.String(length=200), nullable=False),
    )
    op.create_index("ix_alarm_verification_alarm", "alarm_verification", ["alarm_id", "at"], unique=False)
    op.create_table(
        "alarm_dispatch",
        *_owned("alarm_dispatch"),
        sa.Column("dispatched_at", UTC(timezone=True), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=True),
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column("eta", UTC(timezone=True), nullable=True),
        sa.Column("arrived_at", UTC(timezone=True), nullable=True),
        sa.Column("findings", sa.String(length=32), nullable=False),
        sa.Column("findings_at", UTC(timezone=True), nullable=True),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("by", sa.String(length=200), nullable=False),
    )
    op.create_index("ix_alarm_dispatch_alarm", "alarm_dispatch", ["alarm_id", "dispatched_at"], unique=False)
    op.create_table(
        "alarm_request",
        *_owned("alarm_request"),
        sa.Column("at", UTC(timezone=True), nullable=False),
        sa.Column("partner_id", sa.Uuid(), nullable=False),
        sa.Column("partner_name", sa.String(length=200), nullable=False),
        sa.Column("partner_kind", sa.String(length=32), nullable=False),
        sa.Column("service", sa.String(length=16), nullable=False),
        sa.Column("message", sa.String(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("avs_score", sa.Integer(), nullable=False),
        sa.Column("basis", sa.String(length=200), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("by", sa.String(length=200), nullable=False),
    )
    op.create_index("ix_alarm_request_alarm", "alarm_request", ["alarm_id", "at"], unique=False)


def downgrade() -> None:
    for table in ("alarm_request", "alarm_dispatch", "alarm_verification"):
        op.drop_index(f"ix_{table}_alarm", table_name=table)
        op.drop_table(table)
    with op.batch_alter_table("alarm") as batch:
        batch.drop_column("avs_score")
