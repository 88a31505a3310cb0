"""Signals carry when they were processed, so processing after the commit can never miss one.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import tocsin.adapters.store.types

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("signal", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("processed_at", tocsin.adapters.store.types.UTCDateTime(timezone=True), nullable=True)
        )
    # signals stored before this revision had their entries written right after their commit
    op.execute("UPDATE signal SET processed_at = received_at")
    op.create_index(
        "ix_signal_pending",
        "signal",
        ["received_at", "id"],
        unique=False,
        sqlite_where=sa.text("processed_at IS NULL"),
        postgresql_where=sa.text("processed_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_signal_pending", table_name="signal")
    with op.batch_alter_table("signal", schema=None) as batch_op:
        batch_op.drop_column("processed_at")
