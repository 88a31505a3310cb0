"""``site_status.version``: a site's status is saved only at the version it was read with (as alarms are),
so the signal processor writes it with one conditional UPDATE instead of reading it again to check it and
deleting and inserting it.

Revision ID: 0015
Revises: 0009
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("site_status") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("site_status") as batch:
        batch.drop_column("version")
