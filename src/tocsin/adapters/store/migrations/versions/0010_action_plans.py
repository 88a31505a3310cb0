"""Action plans and temporary instructions: ``action_plan`` (a client's or a site's plan for an alarm
class), ``alarm_step`` (an alarm's checklist, copied from the plan in force when it was taken) and
``site_instruction`` (temporary instructions with a start and an end).

Revision ID: 0010
Revises: 0015
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import tocsin.adapters.store.types

revision = "0010"
down_revision = "0015"
branch_labels = None
depends_on = None

UTC = tocsin.adapters.store.types.UTCDateTime


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"))


def upgrade() -> None:
    op.create_table(
        "action_plan",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("alarm_class", sa.String(length=32), nullable=False),
        sa.Column("client_id", sa.Uuid(), nullable=True),
        sa.Column("site_id", sa.Uuid(), nullable=True),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("updated_at", UTC(timezone=True), nullable=True),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        _fk("action_plan", "tenant_id", "tenant"),
        _fk("action_plan", "client_id", "client"),
        _fk("action_plan", "site_id", "site"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_plan")),
    )
    op.create_index(
        "ix_action_plan_owner",
        "action_plan",
        ["tenant_id", "alarm_class", "client_id", "site_id"],
        unique=False,
    )
    op.create_table(
        "alarm_step",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("alarm_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("alarm_class", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("instruction", sa.Text(), nullable=False),
        sa.Column("mandatory", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("answered_by", sa.String(length=200), nullable=False),
        sa.Column("said", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("done_at", UTC(timezone=True), nullable=True),
        sa.Column("done_by", sa.String(length=200), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        _fk("alarm_step", "tenant_id", "tenant"),
        _fk("alarm_step", "alarm_id", "alarm"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alarm_step")),
    )
    op.create_index("ix_alarm_step_alarm", "alarm_step", ["alarm_id", "position"], unique=False)
    op.create_table(
        "site_instruction",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("starts_at", UTC(timezone=True), nullable=False),
        sa.Column("ends_at", UTC(timezone=True), nullable=False),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("account", sa.String(length=32), nullable=False),
        sa.Column("caller", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("ended_at", UTC(timezone=True), nullable=True),
        sa.Column("ended_by", sa.String(length=200), nullable=False),
        _fk("site_instruction", "tenant_id", "tenant"),
        _fk("site_instruction", "client_id", "client"),
        _fk("site_instruction", "site_id", "site"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_instruction")),
    )
    op.create_index("ix_site_instruction_site", "site_instruction", ["site_id", "starts_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_site_instruction_site", table_name="site_instruction")
    op.drop_table("site_instruction")
    op.drop_index("ix_alarm_step_alarm", table_name="alarm_step")
    op.drop_table("alarm_step")
    op.drop_index("ix_action_plan_owner", table_name="action_plan")
    op.drop_table("action_plan")
