"""Exports of footage: ``video_export`` (one camera's footage over a time range, exported for a
requisition or a stated reason: who, when, the folder of its files, the signed manifest's SHA-256 and
the key's id), so the API lists and serves them; and on ``requisition`` what it asks for when it names
it (``camera_ids``, ``asked_from``, ``asked_to``) and how it was handed over (``delivery_note``).

Revision ID: 0027
Revises: 0023
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import tocsin.adapters.store.types

revision = "0027"
down_revision = "0023"
branch_labels = None
depends_on = None

UTC = tocsin.adapters.store.types.UTCDateTime


def upgrade() -> None:
    with op.batch_alter_table("requisition") as batch:
        batch.add_column(sa.Column("camera_ids", sa.JSON(), server_default="[]", nullable=False))
        batch.add_column(sa.Column("asked_from", UTC(), nullable=True))
        batch.add_column(sa.Column("asked_to", UTC(), nullable=True))
        batch.add_column(sa.Column("delivery_note", sa.String(length=500), server_default="", nullable=False))
    op.create_table(
        "video_export",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("camera_id", sa.Uuid(), nullable=False),
        sa.Column("camera_name", sa.String(length=200), nullable=False),
        sa.Column("start", UTC(), nullable=False),
        sa.Column("end", UTC(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("exported_by", sa.String(length=200), nullable=False),
        sa.Column("exported_at", UTC(), nullable=False),
        sa.Column("folder", sa.String(length=1000), nullable=False),
        sa.Column("manifest_sha256", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("frames", sa.Integer(), nullable=False),
        sa.Column("requisition_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["requisition_id"], ["requisition.id"], name=op.f("fk_video_export_requisition_id_requisition")
        ),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_video_export_site_id_site")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_video_export_tenant_id_tenant")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_video_export")),
    )
    op.create_index(op.f("ix_video_export_requisition_id"), "video_export", ["requisition_id"], unique=False)
    op.create_index(op.f("ix_video_export_site_id"), "video_export", ["site_id"], unique=False)
    op.create_index(op.f("ix_video_export_tenant_id"), "video_export", ["tenant_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_video_export_tenant_id"), table_name="video_export")
    op.drop_index(op.f("ix_video_export_site_id"), table_name="video_export")
    op.drop_index(op.f("ix_video_export_requisition_id"), table_name="video_export")
    op.drop_table("video_export")
    with op.batch_alter_table("requisition") as batch:
        for name in ("delivery_note", "asked_to", "asked_from", "camera_ids"):
            batch.drop_column(name)
