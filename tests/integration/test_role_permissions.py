"""Roles carry what each may see as data: the migration stores the domain's lists, and routes obey them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from alembic import command

from tests.integration.api_support import Stack, make_stack
from tocsin.adapters.store import migrate
from tocsin.adapters.store.database import create_db_engine
from tocsin.domain.users import BUILTIN_ROLES, builtin_role_id

ROLE = sa.table(
    "role",
    sa.column("id", sa.Uuid()),
    sa.column("tenant_id", sa.Uuid()),
    sa.column("name", sa.String()),
    sa.column("permissions", sa.JSON()),
)
TENANT = sa.table(
    "tenant", sa.column("id", sa.Uuid()), sa.column("ref", sa.String()), sa.column("name", sa.String())
)


def _stored_roles(url: str) -> dict[str, set[str]]:
    engine = create_db_engine(url)
    try:
        with engine.connect() as conn:
            return {r.name: set(r.permissions) for r in conn.execute(sa.select(ROLE))}
    finally:
        engine.dispose()


def _migrate_to(url: str, revision: str, *, down: bool = False) -> None:
    engine = create_db_engine(url)
    try:
        with engine.begin() as connection:
            config = migrate._config()
            config.attributes["connection"] = connection
            (command.downgrade if down else command.upgrade)(config, revision)
    finally:
        engine.dispose()


def test_the_migrated_builtin_roles_are_the_domains(db_url: str) -> None:
    """After the migrations, each built-in role holds exactly the permissions the domain lists."""
    stored = _stored_roles(db_url)
    for name, permissions in BUILTIN_ROLES.items():
        assert stored[name] == set(permissions), name
    assert "units.read" not in stored["client"]
    assert "partners.read" not in stored["client"]
    assert stored["unit"] >= {"units.read"}


def test_a_tenants_own_reading_role_keeps_units_and_partners(fresh_db_url: str) -> None:
    """A custom role that read the directory before 0007 reads units and partners after it, and back."""
    _migrate_to(fresh_db_url, "0005", down=True)
    engine = create_db_engine(fresh_db_url)
    tenant, role = builtin_role_id("t-tenant"), builtin_role_id("t-custom")
    with engine.begin() as conn:
        conn.execute(TENANT.insert().values(id=tenant, ref="T1", name="T1"))
        conn.execute(
            ROLE.insert().values(id=role, tenant_id=tenant, name="watch", permissions=["directory.read"])
        )
    engine.dispose()
    _migrate_to(fresh_db_url, "0007")
    assert _stored_roles(fresh_db_url)["watch"] == {"directory.read", "units.read", "partners.read"}
    _migrate_to(fresh_db_url, "0005", down=True)
    assert _stored_roles(fresh_db_url)["watch"] == {"directory.read"}
    assert "units.read" not in _stored_roles(fresh_db_url)["operator"]
    _migrate_to(fresh_db_url, "head")
    # 0008: a role that reads the directory reads its sites' alarms too, and not after a downgrade
    assert _stored_roles(fresh_db_url)["watch"] == {
        "directory.read",
        "units.read",
        "partners.read",
        "alarms.read",
    }
    assert "alarms.read" in _stored_roles(fresh_db_url)["client"]
    _migrate_to(fresh_db_url, "0007", down=True)
    assert "alarms.read" not in _stored_roles(fresh_db_url)["watch"]
    assert "alarms.read" not in _stored_roles(fresh_db_url)["client"]
    _migrate_to(fresh_db_url, "head")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The app with a unit user and a client user."""
    for stack in make_stack(tmp_path_factory.mktemp("roles")):
        stack.add_user("unit-1", "unit")
        yield stack


@pytest.mark.parametrize(
    ("username", "path", "status"),
    [
        ("client-a", "/api/v1/units", 403),
        ("client-a", "/api/v1/partners", 403),
        ("client-a", "/api/v1/sites", 200),
        ("unit-1", "/api/v1/units", 200),
        ("unit-1", "/api/v1/partners", 403),
        ("unit-1", "/api/v1/sites", 403),
        ("unit-1", "/api/v1/clients", 403),
        ("operator", "/api/v1/units", 200),
        ("operator", "/api/v1/partners", 200),
        ("operator", "/api/v1/users", 403),
        ("admin", "/api/v1/users", 200),
    ],
)
def test_each_role_reads_what_its_permissions_open(
    stack: Stack, username: str, path: str, status: int
) -> None:
    """A client reads neither units nor partners; a unit reads units only; users are the admin's."""
    response = stack.session(username).get(path)
    assert response.status_code == status, response.text
    if status == 403:
        assert response.json()["error"] == "forbidden"


def test_me_lists_the_roles_permissions(stack: Stack) -> None:
    """GET /me shows the caller's permissions, as the role stores them."""
    me = stack.session("unit-1").get("/api/v1/me").json()
    assert me["roles"] == ["unit"]
    assert set(me["permissions"]) == set(BUILTIN_ROLES["unit"])
