"""Geographic reference: road nodes, road segments and the address table, shared by all tenants.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "address",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column("street", sa.String(length=200), nullable=False),
        sa.Column("postcode", sa.String(length=16), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("latitude", sa.Double(), nullable=False),
        sa.Column("longitude", sa.Double(), nullable=False),
        sa.Column("search_text", sa.String(length=400), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_address")),
    )
    with op.batch_alter_table("address", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_address_search_text"), ["search_text"], unique=False)

    op.create_table(
        "road_node",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("latitude", sa.Double(), nullable=False),
        sa.Column("longitude", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_road_node")),
    )
    op.create_table(
        "road_segment",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("from_node", sa.BigInteger(), nullable=False),
        sa.Column("to_node", sa.BigInteger(), nullable=False),
        sa.Column("length_m", sa.Double(), nullable=False),
        sa.Column("speed_kmh", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("oneway", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["from_node"], ["road_node.id"], name=op.f("fk_road_segment_from_node_road_node")
        ),
        sa.ForeignKeyConstraint(
            ["to_node"], ["road_node.id"], name=op.f("fk_road_segment_to_node_road_node")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_road_segment")),
    )
    with op.batch_alter_table("road_segment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_road_segment_from_node"), ["from_node"], unique=False)
        batch_op.create_index(batch_op.f("ix_road_segment_to_node"), ["to_node"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("road_segment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_road_segment_to_node"))
        batch_op.drop_index(batch_op.f("ix_road_segment_from_node"))

    op.drop_table("road_segment")
    op.drop_table("road_node")
    with op.batch_alter_table("address", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_address_search_text"))

    op.drop_table("address")
