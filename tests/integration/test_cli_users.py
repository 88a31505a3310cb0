"""`tocsin user` administers people from the node: list, disable, enable, password, grant, revoke, tokens."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.integration.test_cli import _seed, env, tocsin
from tocsin.bootstrap import bootstrap
from tocsin.config import Settings
from tocsin.domain.errors import TocsinError

PASSWORD = "a long enough password"
__all__ = ["env"]  # the fixture, shared with test_cli


@dataclass(frozen=True)
class Seeded:
    """A seeded tenant's reference and its one operator (user names are unique across the installation,
    and the PostgreSQL database is shared by the module's tests, so the name carries the tenant's)."""

    ref: str
    zoe: str


@pytest.fixture
def seeded(env: dict[str, str], db_url: str) -> Seeded:
    """A seeded tenant with one operator."""
    tenant = _seed(db_url)
    zoe = f"zoe-{tenant}"
    out = tocsin(env, "user", "add", zoe, "--role", "operator", "--tenant", tenant, stdin=PASSWORD + "\n")
    assert out.returncode == 0, out.stderr
    return Seeded(tenant, zoe)


def can_log_in(env: dict[str, str], db_url: str, zoe: str, password: str = PASSWORD) -> bool:
    node = bootstrap(Settings(database_url=db_url, var_dir=Path(env["TOCSIN_VAR_DIR"])))
    try:
        node.auth.login(zoe, password, "127.0.0.1")
    except TocsinError:
        return False
    finally:
        node.close()
    return True


def listed(env: dict[str, str], ref: str) -> dict[str, Any]:
    out = tocsin(env, "user", "list", "--tenant", ref, "--json")
    assert out.returncode == 0, out.stderr
    return {u["username"]: u for u in json.loads(out.stdout)}


def entries(env: dict[str, str]) -> str:
    return tocsin(env, "logbook", "tail", "-n", "50").stdout


def test_list_disable_enable_and_password(env: dict[str, str], db_url: str, seeded: Seeded) -> None:
    """A disabled user cannot log in until enabled; a new password replaces the old; all logged."""
    zoe = listed(env, seeded.ref)[seeded.zoe]
    assert (zoe["tenant"], zoe["active"], zoe["grants"][0]["role"]) == (seeded.ref, True, "operator")
    assert "password" not in json.dumps(zoe)
    assert tocsin(env, "user", "disable", seeded.zoe).returncode == 0
    assert listed(env, seeded.ref)[seeded.zoe]["active"] is False
    assert not can_log_in(env, db_url, seeded.zoe)
    assert tocsin(env, "user", "enable", seeded.zoe).returncode == 0
    assert can_log_in(env, db_url, seeded.zoe)
    assert tocsin(env, "user", "password", seeded.zoe, stdin="another long password\n").returncode == 0
    assert not can_log_in(env, db_url, seeded.zoe)
    assert can_log_in(env, db_url, seeded.zoe, "another long password")
    short = tocsin(env, "user", "password", seeded.zoe, stdin="short\n")
    assert short.returncode != 0
    assert "at least 10 characters" in short.stderr
    tail = entries(env)
    assert f"User {seeded.zoe} disabled" in tail
    assert f"User {seeded.zoe} enabled again" in tail
    assert f"Password of {seeded.zoe} reset" in tail


def test_grant_and_revoke_a_role(env: dict[str, str], seeded: Seeded) -> None:
    """`grant` adds a scoped role, `revoke` takes every grant of that role back; plain text says so."""
    out = tocsin(env, "user", "grant", seeded.zoe, "--role", "supervisor", "--scope", "site:SB")
    assert out.returncode == 0, out.stderr
    roles = {g["role"]: g for g in listed(env, seeded.ref)[seeded.zoe]["grants"]}
    assert roles["supervisor"]["sites"] == ["SB"]
    assert "supervisor over site:SB" in tocsin(env, "user", "list", "--tenant", seeded.ref).stdout
    assert tocsin(env, "user", "revoke", seeded.zoe, "--role", "supervisor").returncode == 0
    assert [g["role"] for g in listed(env, seeded.ref)[seeded.zoe]["grants"]] == ["operator"]
    missing = tocsin(env, "user", "revoke", seeded.zoe, "--role", "supervisor")
    assert missing.returncode != 0
    assert "has no role 'supervisor'" in missing.stderr
    assert f"Role supervisor over site SB taken back from {seeded.zoe}" in entries(env)


def test_tokens_are_listed_and_revoked(env: dict[str, str], seeded: Seeded) -> None:
    """`tokens --json` lists a token without its secret; `revoke-token` ends it, once."""
    secret = tocsin(env, "user", "token", seeded.zoe, "--name", "export").stdout.strip()
    out = tocsin(env, "user", "tokens", seeded.zoe, "--json")
    assert out.returncode == 0, out.stderr
    (token,) = json.loads(out.stdout)
    assert (token["name"], token["revoked_at"]) == ("export", None)
    assert secret not in out.stdout
    assert tocsin(env, "user", "revoke-token", seeded.zoe, token["id"]).returncode == 0
    assert json.loads(tocsin(env, "user", "tokens", seeded.zoe, "--json").stdout)[0]["revoked_at"]
    assert f"API token export of {seeded.zoe} revoked" in entries(env)
    unknown = tocsin(env, "user", "revoke-token", seeded.zoe, "00000000-0000-0000-0000-000000000000")
    assert unknown.returncode != 0
    assert "list the user's tokens" in unknown.stderr


def test_an_unknown_user_is_named_with_the_way_out(env: dict[str, str], seeded: Seeded) -> None:
    """Acting on a user who does not exist fails with one line pointing at `tocsin user list`."""
    out = tocsin(env, "user", "disable", "nobody")
    assert out.returncode != 0
    assert "tocsin user list" in out.stderr
    assert "Traceback" not in out.stderr
