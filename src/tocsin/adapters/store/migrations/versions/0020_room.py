"""The room itself (issue 16, part B): ``account.station`` flags the room's own alarm panel, whose
intrusion and fire alarms go above everything; ``shift`` records who is on duty, and ``handover`` the
summaries handed from one shift to the next and who acknowledged them.

Revision ID: 0020
Revises: 0017
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tocsin.adapters.store.types import UTCDateTime

revision = "0020"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("station", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        "shift",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_shift_tenant_id_tenant")),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_shift_user_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shift")),
    )
    with op.batch_alter_table("shift", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shift_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_shift_user_id"), ["user_id"], unique=False)
    op.create_table(
        "handover",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("from_user_id", sa.Uuid(), nullable=False),
        sa.Column("from_name", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("submitted_at", UTCDateTime(), nullable=False),
        sa.Column("open_alarms", sa.Integer(), nullable=False),
        sa.Column("open_events", sa.Integer(), nullable=False),
        sa.Column("follow_ups", sa.Integer(), nullable=False),
        sa.Column("instructions", sa.Integer(), nullable=False),
        sa.Column("acknowledged_by_id", sa.Uuid(), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=200), nullable=False),
        sa.Column("acknowledged_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["acknowledged_by_id"],
            ["user_account.id"],
            name=op.f("fk_handover_acknowledged_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["from_user_id"], ["user_account.id"], name=op.f("fk_handover_from_user_id_user_account")
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_handover_tenant_id_tenant")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handover")),
    )
    with op.batch_alter_table("handover", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_handover_tenant_id"), ["tenant_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("handover", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handover_tenant_id"))
    op.drop_table("handover")
    with op.batch_alter_table("shift", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shift_user_id"))
        batch_op.drop_index(batch_op.f("ix_shift_tenant_id"))
    op.drop_table("shift")
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_column("station")
