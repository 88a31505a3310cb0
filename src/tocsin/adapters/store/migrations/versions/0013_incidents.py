"""Dispatch incidents: ``incident`` (one row per event, with its narrative, links and timeline) and
``incident_type`` (a tenant's own nomenclature, once it was loaded or edited).

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import tocsin.adapters.store.types

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

UTC = tocsin.adapters.store.types.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "incident",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("type_code", sa.String(length=32), nullable=False),
        sa.Column("type_label_en", sa.String(length=300), nullable=False),
        sa.Column("type_label_fr", sa.String(length=300), nullable=False),
        sa.Column("apco", sa.String(length=32), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("reflex", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("opened_at", UTC(timezone=True), nullable=False),
        sa.Column("updated_at", UTC(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("address", sa.String(length=500), nullable=False),
        sa.Column("address_id", sa.String(length=64), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=True),
        sa.Column("client_id", sa.Uuid(), nullable=True),
        sa.Column("caller_name", sa.String(length=200), nullable=False),
        sa.Column("caller_phone", sa.String(length=32), nullable=False),
        sa.Column("source_ref", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("missing", sa.JSON(), nullable=False),
        sa.Column("links", sa.JSON(), nullable=False),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.Column("timeline", sa.JSON(), nullable=False),
        sa.Column("closed_at", UTC(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_incident_site_id_site")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_incident_tenant_id_tenant")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident")),
    )
    op.create_index("ix_incident_board", "incident", ["tenant_id", "state", "priority", "opened_at"])
    op.create_index("ix_incident_opened", "incident", ["tenant_id", "opened_at"])
    op.create_table(
        "incident_type",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("updated_at", UTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_incident_type_tenant_id_tenant")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_type")),
        sa.UniqueConstraint("tenant_id", "code", name="uq_incident_type_tenant_code"),
    )


def downgrade() -> None:
    op.drop_table("incident_type")
    op.drop_index("ix_incident_opened", table_name="incident")
    op.drop_index("ix_incident_board", table_name="incident")
    op.drop_table("incident")
