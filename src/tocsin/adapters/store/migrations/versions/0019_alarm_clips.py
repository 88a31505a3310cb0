"""Clips around alarms: ``alarm_clip`` (one camera's footage cut around one alarm: its time range,
file, size and SHA-256, the legal hold that keeps it, when its file was purged) and ``site_video``
(a site's clip window: seconds before and after the first signal), ``requisition`` (the authorities'
requests for footage: authority, reference, received, what it asks, when delivered).

Revision ID: 0019
Revises: 0020
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import tocsin.adapters.store.types

revision = "0019"
down_revision = "0020"
branch_labels = None
depends_on = None

UTC = tocsin.adapters.store.types.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "alarm_clip",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("alarm_id", sa.Uuid(), nullable=False),
        sa.Column("camera_id", sa.Uuid(), nullable=False),
        sa.Column("camera_name", sa.String(length=200), nullable=False),
        sa.Column("start", UTC(), nullable=False),
        sa.Column("end", UTC(), nullable=False),
        sa.Column("file", sa.String(length=200), nullable=False),
        sa.Column("frames", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTC(), nullable=False),
        sa.Column("hold", sa.String(length=100), nullable=False),
        sa.Column("purged_at", UTC(), nullable=True),
        sa.ForeignKeyConstraint(["alarm_id"], ["alarm.id"], name=op.f("fk_alarm_clip_alarm_id_alarm")),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_alarm_clip_site_id_site")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_alarm_clip_tenant_id_tenant")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alarm_clip")),
        sa.UniqueConstraint("alarm_id", "camera_id", name=op.f("uq_alarm_clip_alarm_id")),
    )
    with op.batch_alter_table("alarm_clip", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alarm_clip_alarm_id"), ["alarm_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_alarm_clip_site_id"), ["site_id"], unique=False)
    op.create_table(
        "site_video",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("pre_seconds", sa.Integer(), nullable=False),
        sa.Column("post_seconds", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_site_video_site_id_site")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_site_video_tenant_id_tenant")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_video")),
        sa.UniqueConstraint("site_id", name=op.f("uq_site_video_site_id")),
    )
    op.create_table(
        "requisition",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("authority", sa.String(length=100), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("received_at", UTC(), nullable=False),
        sa.Column("request", sa.String(length=500), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("delivered_at", UTC(), nullable=True),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_requisition_tenant_id_tenant")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_requisition")),
        sa.UniqueConstraint("tenant_id", "reference", name=op.f("uq_requisition_tenant_id")),
    )


def downgrade() -> None:
    op.drop_table("requisition")
    op.drop_table("site_video")
    with op.batch_alter_table("alarm_clip", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alarm_clip_site_id"))
        batch_op.drop_index(batch_op.f("ix_alarm_clip_alarm_id"))
    op.drop_table("alarm_clip")
