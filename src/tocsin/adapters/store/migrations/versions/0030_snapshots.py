"""Snapshots beside clips: ``alarm_clip.kind`` (``clip``, an MP4 cut from a camera's ring buffer, or
``snapshot``, the JPEG a detector such as Frigate took of its detection, fetched once and kept); an alarm
holds at most one of each kind per camera.

Revision ID: 0030
Revises: 0027
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("alarm_clip", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=16), server_default="clip", nullable=False))
        batch_op.drop_constraint(batch_op.f("uq_alarm_clip_alarm_id"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_alarm_clip_alarm_id"), ["alarm_id", "camera_id", "kind"]
        )


def downgrade() -> None:
    op.execute("DELETE FROM alarm_clip WHERE kind <> 'clip'")
    with op.batch_alter_table("alarm_clip", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_alarm_clip_alarm_id"), type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_alarm_clip_alarm_id"), ["alarm_id", "camera_id"])
        batch_op.drop_column("kind")
