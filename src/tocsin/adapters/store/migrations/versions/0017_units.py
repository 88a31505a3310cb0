"""Units in the field: the unit's crew, equipment, status and position times, the event it is engaged
on and a timer's flag; ``unit_assignment`` (units engaged on events) and ``unit_status_change`` (each
unit's status history); ``user_account.unit_id`` links a crew's login to its unit.

Revision ID: 0017
Revises: 0018
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import tocsin.adapters.store.types

revision = "0017"
down_revision = "0018"
branch_labels = None
depends_on = None

UTC = tocsin.adapters.store.types.UTCDateTime


def upgrade() -> None:
    with op.batch_alter_table("unit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("crew", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("equipment", sa.JSON(), server_default="[]", nullable=False))
        batch_op.add_column(sa.Column("status_at", UTC(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("position_at", UTC(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("event_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("flag", sa.String(length=32), server_default="", nullable=False))
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unit_id", sa.Uuid(), nullable=True))
    op.create_table(
        "unit_assignment",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("incident_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("callsign", sa.String(length=200), nullable=False),
        sa.Column("alerted_at", UTC(timezone=True), nullable=False),
        sa.Column("acknowledged_at", UTC(timezone=True), nullable=True),
        sa.Column("en_route_at", UTC(timezone=True), nullable=True),
        sa.Column("on_scene_at", UTC(timezone=True), nullable=True),
        sa.Column("released_at", UTC(timezone=True), nullable=True),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incident.id"], name=op.f("fk_unit_assignment_incident_id_incident")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f("fk_unit_assignment_tenant_id_tenant")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_unit_assignment_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_assignment")),
    )
    op.create_index("ix_unit_assignment_incident", "unit_assignment", ["incident_id", "released_at"])
    op.create_index("ix_unit_assignment_unit", "unit_assignment", ["unit_id", "released_at"])
    op.create_index(
        "uq_unit_assignment_open",
        "unit_assignment",
        ["unit_id"],
        unique=True,
        sqlite_where=sa.text("released_at IS NULL"),
        postgresql_where=sa.text("released_at IS NULL"),
    )
    op.create_table(
        "unit_status_change",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("previous", sa.String(length=32), nullable=False),
        sa.Column("at", UTC(timezone=True), nullable=False),
        sa.Column("incident_id", sa.Uuid(), nullable=True),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f("fk_unit_status_change_tenant_id_tenant")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_unit_status_change_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_status_change")),
    )
    op.create_index("ix_unit_status_change_unit", "unit_status_change", ["unit_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_unit_status_change_unit", table_name="unit_status_change")
    op.drop_table("unit_status_change")
    op.drop_index("uq_unit_assignment_open", table_name="unit_assignment")
    op.drop_index("ix_unit_assignment_unit", table_name="unit_assignment")
    op.drop_index("ix_unit_assignment_incident", table_name="unit_assignment")
    op.drop_table("unit_assignment")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("unit_id")
    with op.batch_alter_table("unit", schema=None) as batch_op:
        batch_op.drop_column("flag")
        batch_op.drop_column("event_id")
        batch_op.drop_column("position_at")
        batch_op.drop_column("status_at")
        batch_op.drop_column("equipment")
        batch_op.drop_column("crew")
