"""``ix_alarm_opened``: the KPIs read a tenant's alarms opened in a period; without this index every
report scanned the tenant's alarms of all time (closed ones included).

Revision ID: 0024
Revises: 0016
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0024"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_alarm_opened", "alarm", ["tenant_id", "opened_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_alarm_opened", table_name="alarm")
