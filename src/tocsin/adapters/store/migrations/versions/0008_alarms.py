"""Alarms: the queue's work items, their histories, the rules and closure codes, each site's status.

- ``alarm``: one incident per site and class (or per unknown transmitter), with its state, holder,
  outcome and times (time to take and to settle are reported from them); ``version`` makes every
  write conditional, so of two operators taking one alarm at once exactly one wins.
- ``alarm_signal``: the events of each alarm, in order.
- ``alarm_rule``, ``closure_code``: a tenant's priorities, escalation limits, grouping window and
  "codes acquis" (the built-in ones apply while it has none).
- ``site_status``: armed or not, each zone's state, and test mode.
- ``account.test_seconds``: the periodic test interval, after which a missing test is an alarm.
- The ``alarms.read`` permission, for every built-in role that reads sites (a client reads its own
  sites' alarms, read-only).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from alembic import op

import tocsin.adapters.store.types

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

UTC = tocsin.adapters.store.types.UTCDateTime

_OPERATOR = [
    "console.use",
    "logbook.read",
    "logbook.write",
    "directory.read",
    "units.read",
    "partners.read",
    "alarms.read",
    "alarms.handle",
    "events.dispatch",
]
NEW = {
    "operator": _OPERATOR,
    "supervisor": [*_OPERATOR, "room.supervise", "reports.read"],
    "admin": [
        *_OPERATOR[:6],
        "directory.write",
        "resources.write",
        *_OPERATOR[6:],
        "room.supervise",
        "users.manage",
        "unit.report",
        "reports.read",
    ],
    "client": ["directory.read", "logbook.read", "alarms.read", "reports.read"],
}
ADDED = "alarms.read"

role = sa.table(
    "role",
    sa.column("id", sa.Uuid()),
    sa.column("tenant_id", sa.Uuid()),
    sa.column("permissions", sa.JSON()),
)


def _builtin_id(name: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"urn:tocsin:role:{name}")


def _roles(builtin: bool) -> list[Any]:
    condition = role.c.tenant_id.is_(None) if builtin else role.c.tenant_id.isnot(None)
    return list(op.get_bind().execute(sa.select(role.c.id, role.c.permissions).where(condition)))


def upgrade() -> None:
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("test_seconds", sa.Integer(), nullable=True))
    op.create_table(
        "alarm",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=True),
        sa.Column("client_id", sa.Uuid(), nullable=True),
        sa.Column("site_ref", sa.String(length=64), nullable=False),
        sa.Column("site_name", sa.String(length=200), nullable=False),
        sa.Column("group_key", sa.String(length=100), nullable=False),
        sa.Column("alarm_class", sa.String(length=32), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title_en", sa.String(length=200), nullable=False),
        sa.Column("title_fr", sa.String(length=200), nullable=False),
        sa.Column("opened_at", UTC(timezone=True), nullable=False),
        sa.Column("last_signal_at", UTC(timezone=True), nullable=False),
        sa.Column("signal_count", sa.Integer(), nullable=False),
        sa.Column("accounts", sa.JSON(), nullable=False),
        sa.Column("zones", sa.JSON(), nullable=False),
        sa.Column("needs_rearm", sa.Boolean(), nullable=False),
        sa.Column("normal_at", UTC(timezone=True), nullable=True),
        sa.Column("escalated_at", UTC(timezone=True), nullable=True),
        sa.Column("holder_id", sa.Uuid(), nullable=True),
        sa.Column("holder_name", sa.String(length=200), nullable=False),
        sa.Column("taken_at", UTC(timezone=True), nullable=True),
        sa.Column("first_taken_at", UTC(timezone=True), nullable=True),
        sa.Column("settled_at", UTC(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("cause", sa.String(length=64), nullable=True),
        sa.Column("follow_up_until", UTC(timezone=True), nullable=True),
        sa.Column("closed_at", UTC(timezone=True), nullable=True),
        sa.Column("close_reason", sa.String(length=500), nullable=False),
        sa.Column("closed_by", sa.String(length=200), nullable=False),
        sa.Column("reopened", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_alarm_site_id_site"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_alarm_tenant_id_tenant")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alarm")),
    )
    op.create_index("ix_alarm_open_site", "alarm", ["tenant_id", "site_id", "state"], unique=False)
    op.create_index("ix_alarm_queue", "alarm", ["tenant_id", "state", "priority", "opened_at"], unique=False)
    op.create_table(
        "alarm_signal",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("alarm_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("at", UTC(timezone=True), nullable=False),
        sa.Column("signal_id", sa.Uuid(), nullable=True),
        sa.Column("account", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("zone", sa.String(length=16), nullable=False),
        sa.Column("label_en", sa.String(length=200), nullable=False),
        sa.Column("label_fr", sa.String(length=200), nullable=False),
        sa.Column("nature", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["alarm_id"], ["alarm.id"], name=op.f("fk_alarm_signal_alarm_id_alarm")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_alarm_signal_tenant_id_tenant")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alarm_signal")),
    )
    op.create_index("ix_alarm_signal_alarm", "alarm_signal", ["alarm_id", "at"], unique=False)
    op.create_table(
        "alarm_rule",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("alarm_class", sa.String(length=32), nullable=False),
        sa.Column("client_id", sa.Uuid(), nullable=True),
        sa.Column("site_id", sa.Uuid(), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=True),
        sa.Column("escalate_seconds", sa.Integer(), nullable=True),
        sa.Column("group_seconds", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"], name=op.f("fk_alarm_rule_client_id_client")),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_alarm_rule_site_id_site")),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_alarm_rule_tenant_id_tenant")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alarm_rule")),
    )
    op.create_index("ix_alarm_rule_tenant", "alarm_rule", ["tenant_id"], unique=False)
    op.create_table(
        "closure_code",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("label_en", sa.String(length=200), nullable=False),
        sa.Column("label_fr", sa.String(length=200), nullable=False),
        sa.Column("text_en", sa.String(length=500), nullable=False),
        sa.Column("text_fr", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_closure_code_tenant_id_tenant")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_closure_code")),
        sa.UniqueConstraint("tenant_id", "code", name=op.f("uq_closure_code_tenant_id")),
    )
    op.create_table(
        "site_status",
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("armed", sa.Boolean(), nullable=True),
        sa.Column("armed_at", UTC(timezone=True), nullable=True),
        sa.Column("zones", sa.JSON(), nullable=False),
        sa.Column("test_until", UTC(timezone=True), nullable=True),
        sa.Column("test_account", sa.String(length=32), nullable=False),
        sa.Column("test_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_site_status_site_id_site"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenant.id"], name=op.f("fk_site_status_tenant_id_tenant")),
        sa.PrimaryKeyConstraint("site_id", name=op.f("pk_site_status")),
    )
    for role_id, _permissions in _roles(builtin=True):
        for name, permissions in NEW.items():
            if role_id == _builtin_id(name):
                op.execute(role.update().where(role.c.id == role_id).values(permissions=permissions))
    for role_id, permissions in _roles(builtin=False):
        if ("directory.read" in permissions or "alarms.handle" in permissions) and ADDED not in permissions:
            op.execute(role.update().where(role.c.id == role_id).values(permissions=[*permissions, ADDED]))


def downgrade() -> None:
    for role_id, permissions in _roles(builtin=True) + _roles(builtin=False):
        if ADDED in permissions:
            kept = [p for p in permissions if p != ADDED]
            op.execute(role.update().where(role.c.id == role_id).values(permissions=kept))
    op.drop_table("site_status")
    op.drop_table("closure_code")
    op.drop_index("ix_alarm_rule_tenant", table_name="alarm_rule")
    op.drop_table("alarm_rule")
    op.drop_index("ix_alarm_signal_alarm", table_name="alarm_signal")
    op.drop_table("alarm_signal")
    op.drop_index("ix_alarm_queue", table_name="alarm")
    op.drop_index("ix_alarm_open_site", table_name="alarm")
    op.drop_table("alarm")
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_column("test_seconds")
