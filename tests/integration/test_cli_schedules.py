"""`tocsin schedule set|list|assign`, in process, on both databases: a schedule is created, changed,
listed as stable JSON and assigned; bad input is one error line, exit 2, nothing changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.integration.cli_inprocess import Ran, run_cli
from tests.integration.helpers import make_room
from tocsin.adapters.clock import SystemClock
from tocsin.adapters.store.database import SqlStore
from tocsin.domain.scope import Scope


@pytest.fixture
def env(tmp_path: Path, fresh_db_url: str) -> dict[str, str]:
    """A room (tenant, clients A and B, sites SA and SB) in a database of this test's own."""
    store = SqlStore(fresh_db_url, SystemClock())
    try:
        make_room(store, ref="arc")
    finally:
        store.close()
    return {"TOCSIN_DATABASE_URL": fresh_db_url, "TOCSIN_VAR_DIR": str(tmp_path / "var")}


def ok(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], *args: str) -> str:
    ran = run_cli(monkeypatch, env, *args)
    assert ran.code == 0, ran.stderr
    return ran.stdout


def refused(ran: Ran) -> str:
    assert ran.code == 2, (ran.stdout, ran.stderr)
    (line,) = ran.stderr.strip().splitlines()
    assert line.startswith("error: ")
    return line


def test_set_list_assign_and_change_a_schedule(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    """set creates then changes by name, list --json shows hours and sites, assign plans the site."""
    hours = ("--window", "1-5 08:00-19:00", "--window", "6 09:00-12:00", "--holiday", "2026-12-25")
    created = json.loads(ok(monkeypatch, env, "schedule", "set", "Office", *hours, "--grace", "10", "--json"))
    assert created["created"] is True
    assert created["windows"] == ["1,2,3,4,5 08:00-19:00", "6 09:00-12:00"]
    assert created["grace_seconds"] == 600
    assert "follows Office" in ok(monkeypatch, env, "schedule", "assign", "SA", "Office")
    changed = ok(monkeypatch, env, "schedule", "set", "Office", "--window", "1-7 07:00-20:00")
    assert "changed" in changed
    (row,) = json.loads(ok(monkeypatch, env, "schedule", "list", "--json"))
    assert set(row) == {"id", "name", "client_id", "windows", "holidays", "grace_seconds", "sites"}
    assert (row["id"], row["windows"], row["holidays"], row["sites"]) == (
        created["id"],
        ["1,2,3,4,5,6,7 07:00-20:00"],
        [],
        1,
    )
    store = SqlStore(env["TOCSIN_DATABASE_URL"], SystemClock())
    try:
        pending = store.read(lambda uow: uow.deadlines.pending(), Scope.system())
        entries = store.read(lambda uow: list(uow.logbook.read(Scope.system())), Scope.system())
    finally:
        store.close()
    assert len([d for d in pending if d.kind == "site.schedule"]) == 1
    assert [e.kind for e in entries].count("schedule.set") == 2
    assert "no schedule" in ok(monkeypatch, env, "schedule", "assign", "SA", "--none")


BAD = [
    (("schedule", "set", "X", "--window", "mon-fri 8-19"), "weekdays"),
    (("schedule", "set", "X", "--holiday", "2026-02-30"), "not a date"),
    (("schedule", "set", "X", "--client", "nobody"), "No client"),
    (("schedule", "assign", "SA", "Nope"), "No schedule named"),
    (("schedule", "assign", "nowhere", "--none"), "No site"),
    (("schedule", "assign", "SA"), "--none"),
]


def test_bad_input_is_one_error_line_and_changes_nothing(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> None:
    """Each refusal names the problem and the way out; no schedule is stored."""
    for args, words in BAD:
        assert words in refused(run_cli(monkeypatch, env, *args)), args
    assert json.loads(ok(monkeypatch, env, "schedule", "list", "--json")) == []
