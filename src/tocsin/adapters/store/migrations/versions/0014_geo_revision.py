"""Address reference revision: ``geo_revision``, one row counting the imports into the address table, so
every node's in-process geocoder index knows when to rebuild.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import tocsin.adapters.store.types

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

UTC = tocsin.adapters.store.types.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "geo_revision",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("revision", sa.BigInteger(), nullable=False),
        sa.Column("changed_at", UTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_geo_revision")),
    )


def downgrade() -> None:
    op.drop_table("geo_revision")
