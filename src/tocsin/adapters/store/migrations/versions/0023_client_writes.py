"""Degraded mode: ``client_write``, the keys consoles give the notes typed while the server was away, so a
note replayed twice after a reconnection is written once (the primary key is the guard).

Revision ID: 0023
Revises: 0019
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tocsin.adapters.store.types import UTCDateTime

revision = "0023"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "client_write",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("client_key", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("written_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_client_write_tenant_id_tenant")),
        sa.PrimaryKeyConstraint("tenant_id", "client_key", name=op.f("pk_client_write")),
    )


def downgrade() -> None:
    op.drop_table("client_write")
