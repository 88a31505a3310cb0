"""Schedules that raise alarms: ``schedule.grace_seconds``, how late an opening or closing may come
before it is a failed-to-open or late-to-close alarm (15 minutes unless set), and an index on
``site.schedule_id`` so a changed schedule finds the sites it re-plans.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("schedule", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("grace_seconds", sa.Integer(), server_default=sa.text("900"), nullable=False)
        )
    with op.batch_alter_table("site", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_site_schedule_id"), ["schedule_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("site", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_site_schedule_id"))
    with op.batch_alter_table("schedule", schema=None) as batch_op:
        batch_op.drop_column("grace_seconds")
