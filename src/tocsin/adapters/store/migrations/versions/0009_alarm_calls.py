"""Call-backs: ``alarm_call``, each call attempt an operator recorded for an alarm (to a contact or the
site itself), with the number dialled, the outcome and the result of the word check; never the word.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import tocsin.adapters.store.types

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

UTC = tocsin.adapters.store.types.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "alarm_call",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("alarm_id", sa.Uuid(), nullable=False),
        sa.Column("at", UTC(timezone=True), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("result", sa.String(length=16), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column("contact_name", sa.String(length=200), nullable=False),
        sa.Column("call_order", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["alarm_id"], ["alarm.id"], name=op.f("fk_alarm_call_alarm_id_alarm")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_alarm_call_tenant_id_tenant")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alarm_call")),
    )
    op.create_index("ix_alarm_call_alarm", "alarm_call", ["alarm_id", "at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_alarm_call_alarm", table_name="alarm_call")
    op.drop_table("alarm_call")
