"""Signals: every frame a transmitter sent, with its decoding and our answer.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import tocsin.adapters.store.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signal",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("received_at", tocsin.adapters.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("node", sa.String(length=64), nullable=False),
        sa.Column("listener", sa.String(length=64), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column("answer", sa.String(length=8), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=True),
        sa.Column("account_id", sa.Uuid(), nullable=True),
        sa.Column("site_id", sa.Uuid(), nullable=True),
        sa.Column("occurred_at", tocsin.adapters.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("receiver", sa.String(length=6), nullable=True),
        sa.Column("line", sa.String(length=6), nullable=True),
        sa.Column("account_number", sa.String(length=16), nullable=True),
        sa.Column("sequence", sa.String(length=4), nullable=True),
        sa.Column("id_token", sa.String(length=16), nullable=True),
        sa.Column("payload_hash", sa.String(length=64), nullable=True),
        sa.Column("data", sa.Text(), nullable=True),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("problem", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signal")),
    )
    with op.batch_alter_table("signal", schema=None) as batch_op:
        batch_op.create_index("ix_signal_account_received", ["account_number", "received_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_signal_received_at"), ["received_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_signal_tenant_id"), ["tenant_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("signal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signal_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_signal_received_at"))
        batch_op.drop_index("ix_signal_account_received")

    op.drop_table("signal")
