"""Cameras: ``camera``, each site's cameras with their map placement, stream addresses, the user name
(the password lives in the node's key folder, named by ``credential_ref``), the Frigate name, and the
compliance record (authorisation, purposes, retention of at most 30 days, signage, privacy masks).

Revision ID: 0016
Revises: 0014
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "camera",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("bearing", sa.Float(), nullable=True),
        sa.Column("view_angle", sa.Float(), nullable=True),
        sa.Column("view_range", sa.Float(), nullable=True),
        sa.Column("rtsp_url", sa.String(length=500), nullable=False),
        sa.Column("mjpeg_url", sa.String(length=500), nullable=False),
        sa.Column("snapshot_url", sa.String(length=500), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("credential_ref", sa.String(length=128), nullable=True),
        sa.Column("frigate_name", sa.String(length=64), nullable=False),
        sa.Column("authorisation_ref", sa.String(length=100), nullable=False),
        sa.Column("authorisation_expires", sa.Date(), nullable=True),
        sa.Column("purposes", sa.JSON(), nullable=False),
        sa.Column("retention_days", sa.Integer(), nullable=False),
        sa.Column("signage", sa.Boolean(), nullable=False),
        sa.Column("privacy_masks", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_camera_site_id_site")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_camera_tenant_id_tenant")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_camera")),
        sa.UniqueConstraint("site_id", "name", name=op.f("uq_camera_site_id")),
    )
    with op.batch_alter_table("camera", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_camera_site_id"), ["site_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_camera_frigate_name"), ["frigate_name"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("camera", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_camera_frigate_name"))
        batch_op.drop_index(batch_op.f("ix_camera_site_id"))
    op.drop_table("camera")
