"""Each command group of `tocsin` as a real process (`python -m tocsin.cli`), on SQLite.

The other CLI tests run the commands in this process (`cli_support.tocsin`), which would not notice a
broken entry point, an exit status lost on the way out, output written to the wrong stream or settings
not read from the real environment; these do, once per group (`db` is in test_cli.py, `serve` in the
end-to-end tests, `receiver` and `worker` in test_receiver_process.py, `demo` in test_demo_seed.py).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.integration.cli_support import tocsin, tocsin_process
from tests.integration.receiver_support import free_port
from tests.integration.test_cli import _seed

PASSWORD = "a long enough password\n"


@pytest.fixture
def env(tmp_path: Path, sqlite_url: str) -> dict[str, str]:
    """Settings for a migrated SQLite database and a signing key in a temporary folder."""
    return {"TOCSIN_DATABASE_URL": sqlite_url, "TOCSIN_VAR_DIR": str(tmp_path / "var")}


@pytest.fixture
def tenant(sqlite_url: str) -> str:
    """The reference of a seeded room's tenant."""
    return _seed(sqlite_url)


def succeeded(out: subprocess.CompletedProcess[str]) -> str:
    """Exit 0, nothing on stderr; the standard output."""
    assert (out.returncode, out.stderr) == (0, ""), out.stderr
    return out.stdout


def refused(out: subprocess.CompletedProcess[str], status: int = 2) -> str:
    """The status asked for, nothing on stdout, one line on stderr, no traceback; that line."""
    assert (out.returncode, out.stdout) == (status, ""), (out.stdout, out.stderr)
    lines = out.stderr.splitlines()
    assert len(lines) == 1, out.stderr
    return lines[0]


def test_help_names_every_command_group() -> None:
    usage = succeeded(tocsin_process({}, "--help"))
    for group in ("account", "alarms", "client", "db", "demo", "logbook", "receiver", "serve", "signals"):
        assert f"  {group} " in usage
    for group in ("simulate", "site", "tenant", "user", "worker"):
        assert f"  {group} " in usage


def test_logbook_verify_exits_1_on_stderr_when_broken(env: dict[str, str], tenant: str) -> None:
    assert tocsin(env, "logbook", "keygen").returncode == 0
    assert tocsin(env, "logbook", "checkpoint").returncode == 0
    stranger = {**env, "TOCSIN_VAR_DIR": env["TOCSIN_VAR_DIR"] + "-stranger"}
    assert tocsin(stranger, "logbook", "keygen").returncode == 0
    assert refused(tocsin_process(stranger, "logbook", "verify"), 1).startswith("BROKEN: chain ")


def test_user_add_reads_the_password_from_a_pipe(env: dict[str, str], tenant: str) -> None:
    out = tocsin_process(env, "user", "add", "zoe", "--role", "operator", "--tenant", tenant, stdin=PASSWORD)
    assert "zoe" in succeeded(out)


def test_tenant_list_prints_json(env: dict[str, str], tenant: str) -> None:
    listed = json.loads(succeeded(tocsin_process(env, "tenant", "list", "--json")))
    assert tenant in [t["ref"] for t in listed]


def test_client_add_refuses_an_unknown_tenant(env: dict[str, str]) -> None:
    line = refused(tocsin_process(env, "client", "add", "c2", "--name", "Two", "--tenant", "nope"))
    assert line.startswith("error: ")
    assert "tenant" in line


def test_site_test_mode_refuses_an_unknown_site(env: dict[str, str], tenant: str) -> None:
    line = refused(tocsin_process(env, "site", "test-mode", "NOPE", "--tenant", tenant, "--end"))
    assert "No site" in line


def test_account_list_prints_json(env: dict[str, str], tenant: str) -> None:
    assert json.loads(succeeded(tocsin_process(env, "account", "list", "--tenant", tenant, "--json"))) == []


def test_alarms_list_refuses_an_unknown_state(env: dict[str, str]) -> None:
    assert "'lost' is not one of" in refused(tocsin_process(env, "alarms", "list", "--state", "lost"))


def test_signals_list_refuses_a_bad_time(env: dict[str, str]) -> None:
    assert "--since" in refused(tocsin_process(env, "signals", "list", "--since", "yesterday"))


def test_simulate_panels_names_the_closed_port(tmp_path: Path) -> None:
    port = free_port()
    env = {"TOCSIN_DATABASE_URL": f"sqlite:///{tmp_path / 'none.db'}"}
    out = tocsin_process(env, "simulate", "panels", "--count", "1", "--seconds", "1", "--port", str(port))
    assert f"No receiver answers at 127.0.0.1:{port}" in refused(out)
