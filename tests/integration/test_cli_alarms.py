"""`tocsin alarms`, `tocsin site test-mode` and `tocsin account add --test-every` as an administrator uses
them: real processes on SQLite and PostgreSQL; bad input is one line, exit 2, and changes nothing."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.integration.alarm_support import send
from tests.integration.helpers import Room, make_room
from tests.integration.test_cli import tocsin
from tocsin.adapters.store.database import SqlStore
from tocsin.domain.scope import Scope
from tocsin.testing import FakeClock

LIST_FIELDS = {
    "id",
    "state",
    "priority",
    "alarm_class",
    "site_ref",
    "accounts",
    "signal_count",
    "holder",
    "opened_at",
}


@dataclass
class Seeded:
    """A room in the database, its tenant's reference and a store on the same database."""

    ref: str
    room: Room
    store: SqlStore
    clock: FakeClock


@pytest.fixture
def env(tmp_path: Path, db_url: str) -> dict[str, str]:
    return {"TOCSIN_DATABASE_URL": db_url, "TOCSIN_VAR_DIR": str(tmp_path / "var")}


@pytest.fixture
def seeded(db_url: str) -> Iterator[Seeded]:
    clock = FakeClock()
    store = SqlStore(db_url, clock)
    ref = f"al{uuid.uuid4().hex[:10]}"  # unique: the PostgreSQL database is shared by the module's tests
    try:
        yield Seeded(ref, make_room(store, ref=ref), store, clock)
    finally:
        store.close()


def one_line_error(out: Any, message: str) -> None:
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert message in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert "Traceback" not in out.stderr


def test_account_add_with_a_test_interval_then_the_queue_as_text_and_json(
    env: dict[str, str], seeded: Seeded
) -> None:
    """`--test-every` is stored; `alarms list` prints the queue most urgent first with the agreed fields,
    filters by state, and refuses an unknown state in one line."""
    number = uuid.uuid4().hex[:6].upper()
    added = tocsin(
        env, "account", "add", number, "--site", "SA", "--tenant", seeded.ref, "--test-every", "86400"
    )
    assert added.returncode == 0, added.stderr
    (listed,) = json.loads(tocsin(env, "account", "list", "--tenant", seeded.ref, "--json").stdout)
    assert listed["test_seconds"] == 86400
    one_line_error(
        tocsin(env, "account", "add", "X1", "--site", "SA", "--tenant", seeded.ref, "--test-every", "5"),
        "--test-every",
    )

    account = seeded.store.read(lambda uow: uow.accounts.find(number=number)[0], Scope.system())
    send(seeded.store, seeded.clock, account, "1130 01 001", "1130 01 002", "1110 01 003")
    out = tocsin(env, "alarms", "list", "--tenant", seeded.ref, "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert [set(r) for r in rows] == [LIST_FIELDS, LIST_FIELDS]
    assert [(r["alarm_class"], r["priority"], r["signal_count"]) for r in rows] == [
        ("fire", 2, 1),
        ("intrusion", 4, 2),
    ]
    assert rows[0]["site_ref"] == "SA"
    assert rows[0]["accounts"] == [number]
    assert rows[0]["state"] == "new"
    assert rows[0]["holder"] is None
    text = tocsin(env, "alarms", "list", "--tenant", seeded.ref).stdout.splitlines()
    assert len(text) == 2
    assert "fire" in text[0]
    assert f"#{number}" in text[1]
    assert (
        json.loads(
            tocsin(env, "alarms", "list", "--tenant", seeded.ref, "--state", "closed", "--json").stdout
        )
        == []
    )
    one_line_error(tocsin(env, "alarms", "list", "--state", "lost"), "'lost' is not one of")


def rules(seeded: Seeded) -> list[Any]:
    return seeded.store.read(lambda uow: uow.alarms.rules(seeded.room.tenant_id), Scope.system())


def test_alarm_rules_are_set_over_a_site_a_client_or_the_tenant_and_bad_ones_change_nothing(
    env: dict[str, str], seeded: Seeded
) -> None:
    """`alarms rule set` stores each rule once; a bad class, both --client and --site, an unknown site or
    an out-of-range priority are one line, exit 2, and no rule."""
    base = ["alarms", "rule", "set", "--tenant", seeded.ref]
    one_line_error(tocsin(env, *base, "--class", "ufo", "--priority", "2"), "Unknown alarm class 'ufo'")
    one_line_error(
        tocsin(env, *base, "--class", "fire", "--client", "A", "--site", "SA", "--priority", "2"), "not both"
    )
    one_line_error(tocsin(env, *base, "--class", "fire", "--site", "NOPE", "--priority", "2"), "No site")
    one_line_error(tocsin(env, *base, "--class", "fire", "--priority", "12"), "--priority")
    one_line_error(tocsin(env, *base, "--class", "fire"), "Say what the rule sets")
    assert rules(seeded) == []

    site = tocsin(env, *base, "--class", "intrusion", "--site", "SA", "--priority", "2")
    assert site.returncode == 0, site.stderr
    assert "Rule for intrusion over site SA: priority 2." in site.stdout
    client = tocsin(env, *base, "--class", "fire", "--client", "B", "--escalate-after", "45")
    assert client.returncode == 0, client.stderr
    tenant = tocsin(env, *base, "--class", "*", "--group-window", "300")
    assert tenant.returncode == 0, tenant.stderr
    again = tocsin(env, *base, "--class", "intrusion", "--site", "SA", "--priority", "3")
    assert again.returncode == 0, again.stderr
    found = {(r.alarm_class, r.client_id, r.site_id): r for r in rules(seeded)}
    assert set(found) == {
        ("intrusion", None, seeded.room.site_a),
        ("fire", seeded.room.client_b, None),
        ("*", None, None),
    }
    assert found["intrusion", None, seeded.room.site_a].priority == 3
    assert found["fire", seeded.room.client_b, None].escalate_seconds == 45
    assert found["*", None, None].group_seconds == 300


def test_site_test_mode_starts_and_ends_and_refuses_bad_input(env: dict[str, str], seeded: Seeded) -> None:
    """`site test-mode` with --minutes or --until starts it (for the site or one transmitter), --end ends
    it; no choice or two, a past time, an unknown site or transmitter are one line and change nothing."""

    def status() -> Any:
        site = seeded.room.site_a
        return seeded.store.read(lambda uow: uow.alarms.statuses([site]).get(site), Scope.system())

    base = ["site", "test-mode", "SA", "--tenant", seeded.ref]
    one_line_error(tocsin(env, *base), "exactly one of")
    one_line_error(tocsin(env, *base, "--minutes", "30", "--end"), "exactly one of")
    one_line_error(tocsin(env, *base, "--until", "2001-01-01T00:00:00Z"), "in the future")
    one_line_error(tocsin(env, *base, "--until", "soon"), "is not a date or time")
    one_line_error(tocsin(env, "site", "test-mode", "NOPE", "--tenant", seeded.ref, "--end"), "No site")
    one_line_error(tocsin(env, *base, "--minutes", "30", "--account", "FFFF"), "no transmitter #FFFF")
    assert status() is None

    started = tocsin(env, *base, "--minutes", "30")
    assert started.returncode == 0, started.stderr
    assert "Test mode for site SA until" in started.stdout
    assert status().test_until is not None
    assert status().test_account == ""
    ended = tocsin(env, *base, "--end")
    assert ended.returncode == 0, ended.stderr
    assert "Test mode of site SA ended." in ended.stdout
    assert status().test_until is None
