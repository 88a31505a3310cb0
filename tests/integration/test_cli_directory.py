"""A room starts from nothing: `tocsin tenant add`, then users, clients, sites and transmitters from the
command line, on an empty migrated database, until a DC-09 signal lands on the site so made."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.integration.alarm_support import open_alarms, send
from tests.integration.test_cli import tocsin
from tocsin.adapters.store.database import SqlStore
from tocsin.domain.scope import Scope
from tocsin.testing import FakeClock

PASSWORD = "a long enough password"
SITE = ("--name", "Depot", "--address", "3 rue du Port", "--postcode", "69007", "--city", "Lyon")


@pytest.fixture
def env(tmp_path: Path, fresh_db_url: str) -> dict[str, str]:
    """Settings for an empty migrated database of this test's own."""
    return {"TOCSIN_DATABASE_URL": fresh_db_url, "TOCSIN_VAR_DIR": str(tmp_path / "var")}


def ok(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    out = tocsin(env, *args, stdin=stdin)
    assert out.returncode == 0, out.stderr
    return out.stdout


def refused(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    """The one error line of a refused command (exit 2, no traceback)."""
    out = tocsin(env, *args, stdin=stdin)
    assert out.returncode == 2, (out.stdout, out.stderr)
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


def add_tenant(env: dict[str, str], ref: str = "arc", admin: str = "alice") -> dict[str, str]:
    args = ("tenant", "add", ref, "--name", "ARC Lyon", "--admin", admin, "--admin-name", "Alice M")
    created: dict[str, str] = json.loads(ok(env, *args, "--json", stdin=PASSWORD + "\n"))
    return created


def test_an_empty_database_gets_a_tenant_users_a_site_and_a_transmitter(
    env: dict[str, str], fresh_db_url: str
) -> None:
    """tenant add, user add, client add, site add, account add; a signal then raises an alarm there."""
    assert "none yet" in refused(env, "user", "add", "bob", "--role", "operator", stdin=PASSWORD + "\n")
    created = add_tenant(env)
    assert set(created) == {"id", "ref", "name", "admin_user_id"}
    assert json.loads(ok(env, "tenant", "list", "--json")) == [
        {"id": created["id"], "ref": "arc", "name": "ARC Lyon"}
    ]
    users = {u["username"]: u for u in json.loads(ok(env, "user", "list", "--json"))}
    assert users["alice"]["id"] == created["admin_user_id"]
    assert [(g["role"], g["clients"], g["sites"]) for g in users["alice"]["grants"]] == [("admin", [], [])]
    ok(env, "user", "add", "bob", "--role", "operator", "--tenant", "arc", stdin=PASSWORD + "\n")
    client = json.loads(ok(env, "client", "add", "acme", "--name", "Acme SA", "--tenant", "arc", "--json"))
    assert client["tenant_id"] == created["id"]
    place = ("--lat", "45.74", "--lon", "4.84")
    site = json.loads(ok(env, "site", "add", "depot", "--client", "acme", *SITE, *place, "--json"))
    assert site["client_id"] == client["id"]
    ok(env, "account", "add", "4321", "--site", "depot", "--receiver", "1", "--line", "2")
    assert "alice" in ok(env, "logbook", "tail", "-n", "20")
    assert ok(env, "logbook", "verify").strip()

    store = SqlStore(fresh_db_url, FakeClock())
    try:
        account = store.read(
            lambda uow: uow.accounts.find(receiver="1", line="2", number="4321")[0], Scope.system()
        )
        assert str(account.site_id) == site["id"]
        send(store, FakeClock(), account, "1130 01 003")  # a burglary, zone 3
        alarms = open_alarms(store, account.site_id)
    finally:
        store.close()
    assert [str(x.site_id) for x in alarms] == [site["id"]]


def test_the_admin_of_a_new_tenant_can_log_in(env: dict[str, str], fresh_db_url: str) -> None:
    """The first administrator's password is the one piped in on standard input."""
    from tocsin.bootstrap import bootstrap  # noqa: PLC0415 - a node of the test's own, after the CLI
    from tocsin.config import Settings  # noqa: PLC0415

    add_tenant(env)
    node = bootstrap(Settings(database_url=fresh_db_url, var_dir=Path(env["TOCSIN_VAR_DIR"])))
    try:
        principal = node.auth.login("alice", PASSWORD, "127.0.0.1")
    finally:
        node.close()
    assert principal is not None


def test_a_refused_tenant_leaves_nothing_behind(env: dict[str, str]) -> None:
    """A taken reference, a taken user name or a short password: one line, exit 2, no tenant, no user."""
    add_tenant(env)
    base = ("--name", "Other", "--admin-name", "Someone")
    assert "exists already" in refused(env, "tenant", "add", "arc", *base, "--admin", "sam", stdin=PASSWORD)
    assert "taken" in refused(env, "tenant", "add", "arc2", *base, "--admin", "ALICE", stdin=PASSWORD)
    assert "10 characters" in refused(env, "tenant", "add", "arc3", *base, "--admin", "tom", stdin="short")
    assert "not valid" in refused(env, "tenant", "add", "bad ref", *base, "--admin", "ann", stdin=PASSWORD)
    assert "standard input" in refused(env, "tenant", "add", "arc4", *base, "--admin", "ann", stdin="")
    assert [t["ref"] for t in json.loads(ok(env, "tenant", "list", "--json"))] == ["arc"]
    assert [u["username"] for u in json.loads(ok(env, "user", "list", "--json"))] == ["alice"]


def test_bad_clients_and_sites_are_refused_and_write_nothing(env: dict[str, str]) -> None:
    """Duplicate references, an unknown client, a bad time zone: one line each, exit 2, nothing stored."""
    add_tenant(env)
    ok(env, "client", "add", "acme", "--name", "Acme SA")
    ok(env, "site", "add", "depot", "--client", "acme", *SITE)
    before = ok(env, "logbook", "export", "--format", "jsonl").count("\n")
    assert "exists already" in refused(env, "client", "add", "acme", "--name", "Again")
    assert "exists already" in refused(env, "site", "add", "depot", "--client", "acme", *SITE)
    assert "client add" in refused(env, "site", "add", "s2", "--client", "nope", *SITE)
    mars = ("--time-zone", "Mars/X")
    assert "time zone" in refused(env, "site", "add", "s3", "--client", "acme", *SITE, *mars)
    assert "latitude" in refused(env, "site", "add", "s4", "--client", "acme", *SITE, "--lat", "45.7")
    assert "tenant" in refused(env, "client", "add", "c2", "--name", "Two", "--tenant", "nope")
    assert ok(env, "logbook", "export", "--format", "jsonl").count("\n") == before
