"""The KPIs: ``ix_alarm_opened`` (a report reads a tenant's alarms opened in a period; without it every
report scanned the tenant's alarms of all time, closed ones included); ``ix_signal_tenant_received``
in place of ``ix_signal_tenant_id`` (SQLite chose the index on the tenant alone for a tenant's signals
of a period and read every signal the tenant ever had: 330 ms for a day among 30; the pair serves both
queries, and the signal table keeps as many indexes); and ``kpi_target`` (a tenant's own targets for
the time to take and to settle; none: the node's settings hold).

Revision ID: 0024
Revises: 0016
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import tocsin.adapters.store.types

revision = "0024"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_alarm_opened", "alarm", ["tenant_id", "opened_at"], unique=False)
    with op.batch_alter_table("signal") as batch:
        batch.drop_index("ix_signal_tenant_id")
        batch.create_index("ix_signal_tenant_received", ["tenant_id", "received_at"], unique=False)
    op.create_table(
        "kpi_target",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("take_targets", sa.String(length=200), nullable=True),
        sa.Column("settle_targets", sa.String(length=200), nullable=True),
        sa.Column("updated_at", tocsin.adapters.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_kpi_target_tenant_id_tenant")),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_kpi_target")),
    )


def downgrade() -> None:
    op.drop_table("kpi_target")
    with op.batch_alter_table("signal") as batch:
        batch.drop_index("ix_signal_tenant_received")
        batch.create_index("ix_signal_tenant_id", ["tenant_id"], unique=False)
    op.drop_index("ix_alarm_opened", table_name="alarm")
