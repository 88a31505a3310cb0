"""The command line away from home: no database created by mistake, a simulator that says what failed and
panels that report only their site's zones. Real processes, real sockets, real databases."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.receiver_support import Receiving, free_port, running_receiver
from tests.integration.test_cli import tocsin
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope


@pytest.fixture
def rx(fresh_db_url: str, tmp_path: Path) -> Iterator[Receiving]:
    """A receiver on each database kind."""
    with running_receiver(fresh_db_url, tmp_path) as receiving:
        yield receiving


def test_a_command_outside_a_project_folder_names_its_database_and_creates_none(tmp_path: Path) -> None:
    """Run from a folder with no database, a command says which database it looked for and creates none."""
    env = {**os.environ, "TOCSIN_DATABASE_URL": "", "TOCSIN_VAR_DIR": "var"}
    out = subprocess.run(
        [sys.executable, "-m", "tocsin.cli", "logbook", "tail"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode != 0
    assert len(out.stderr.strip().splitlines()) == 1
    assert str(tmp_path / "var" / "tocsin.db") in out.stderr
    assert "TOCSIN_DATABASE_URL is not set" in out.stderr
    assert "tocsin db upgrade" in out.stderr
    assert not (tmp_path / "var" / "tocsin.db").exists()


def test_db_upgrade_says_which_database_it_made(tmp_path: Path) -> None:
    """`tocsin db upgrade` names the database it created or migrated."""
    url = f"sqlite:///{tmp_path / 'room.db'}"
    out = tocsin({"TOCSIN_DATABASE_URL": url}, "db", "upgrade")
    assert out.returncode == 0, out.stderr
    assert f"{url}, from TOCSIN_DATABASE_URL" in out.stdout


@pytest.mark.parametrize("flags", [(), ("--udp",)], ids=["tcp", "udp"])
def test_simulated_panels_against_a_closed_port_fail_with_the_reason(
    tmp_path: Path, flags: tuple[str, ...]
) -> None:
    """`tocsin simulate panels` with no receiver listening exits non-zero with one line saying why."""
    port = free_port()
    env = {"TOCSIN_DATABASE_URL": f"sqlite:///{tmp_path / 'none.db'}"}
    out = tocsin(env, "simulate", "panels", "--count", "2", "--seconds", "1", "--port", str(port), *flags)
    assert out.returncode != 0
    assert "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert f"No receiver answers at 127.0.0.1:{port} (Connection refused)" in out.stderr


def test_simulated_panels_report_only_the_zones_their_site_declares(rx: Receiving) -> None:
    """A declared transmitter's alarms name only the zones its site declares (here 3 and 12)."""
    scope = Scope.tenant(rx.room.tenant_id)
    for number, name in (("3", "Front door"), ("12", "Kitchen smoke")):
        rx.node.messagebus.handle(c.AddZone(rx.room.site_a, number, name), scope=scope, actor="test")
    env = {
        "TOCSIN_DATABASE_URL": rx.node.settings.database_url,
        "TOCSIN_VAR_DIR": str(rx.node.settings.var_dir),
    }
    run = ["simulate", "panels", "--count", "1", "--rate", "40", "--seconds", "3", "--port", str(rx.port)]
    out = tocsin(env, *run)
    assert out.returncode == 0, out.stderr
    zones = {
        event["zone"]
        for signal in rx.signals()
        if signal.account_number == "1234"
        for event in signal.events
        if event.get("class") in {"intrusion", "fire", "panic"}
    }
    assert zones, "no alarm was sent: the run was too short to prove anything"
    assert zones <= {"003", "012"}
