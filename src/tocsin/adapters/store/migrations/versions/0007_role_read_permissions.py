"""Units and partners get their own read permissions: a client no longer reads every patrol's position
or the police's direct lines, a unit reads the units.

Built-in roles get the lists of ``tocsin.domain.users`` as they were when this migration was written.
A tenant's own roles that could read the directory keep what they could read (they gain ``units.read``
and ``partners.read``), so no existing custom role loses access silently.

Revision ID: 0007
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_OLD_OPERATOR = [
    "console.use",
    "logbook.read",
    "logbook.write",
    "directory.read",
    "alarms.handle",
    "events.dispatch",
]
_NEW_OPERATOR = [*_OLD_OPERATOR[:4], "units.read", "partners.read", *_OLD_OPERATOR[4:]]
_ADMIN_TAIL = [
    "directory.write",
    "resources.write",
    "alarms.handle",
    "events.dispatch",
    "room.supervise",
    "users.manage",
    "unit.report",
    "reports.read",
]
OLD = {
    "operator": _OLD_OPERATOR,
    "supervisor": [*_OLD_OPERATOR, "room.supervise", "reports.read"],
    "admin": [*_OLD_OPERATOR[:4], *_ADMIN_TAIL],
    "unit": ["unit.report", "logbook.write"],
    "client": ["directory.read", "logbook.read", "reports.read"],
}
NEW = {
    "operator": _NEW_OPERATOR,
    "supervisor": [*_NEW_OPERATOR, "room.supervise", "reports.read"],
    "admin": [*_OLD_OPERATOR[:4], "units.read", "partners.read", *_ADMIN_TAIL],
    "unit": ["unit.report", "logbook.write", "units.read"],
    "client": ["directory.read", "logbook.read", "reports.read"],
}
ADDED = ("units.read", "partners.read")

role = sa.table(
    "role",
    sa.column("id", sa.Uuid()),
    sa.column("tenant_id", sa.Uuid()),
    sa.column("name", sa.String()),
    sa.column("permissions", sa.JSON()),
)


def _builtin_id(name: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"urn:tocsin:role:{name}")


def _set(roles: dict[str, list[str]]) -> None:
    for name, permissions in roles.items():
        op.execute(role.update().where(role.c.id == _builtin_id(name)).values(permissions=permissions))


def _tenant_roles() -> list[Any]:
    found = sa.select(role.c.id, role.c.permissions).where(role.c.tenant_id.isnot(None))
    return list(op.get_bind().execute(found))


def upgrade() -> None:
    _set(NEW)
    for role_id, permissions in _tenant_roles():
        if "directory.read" in permissions:
            kept = [*permissions, *(p for p in ADDED if p not in permissions)]
            op.execute(role.update().where(role.c.id == role_id).values(permissions=kept))


def downgrade() -> None:
    _set(OLD)
    for role_id, permissions in _tenant_roles():
        kept = [p for p in permissions if p not in ADDED]
        op.execute(role.update().where(role.c.id == role_id).values(permissions=kept))
