"""The room from the command line: ``account add --station`` flags the room's own panel (shown in
``account list --json``) whose intrusion then tops the queue; ``shift list`` shows who is on shift and
the handovers waiting."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.integration.alarm_support import open_alarms, send
from tests.integration.test_cli import tocsin
from tests.integration.test_cli_directory import SITE, add_tenant, ok
from tocsin.adapters.store.database import SqlStore
from tocsin.domain import shifts as s
from tocsin.domain.scope import Scope
from tocsin.services.handlers.registry import Deps
from tocsin.services.messagebus import MessageBus
from tocsin.testing import FakeClock, FakeHasher


@pytest.fixture
def env(tmp_path: Path, fresh_db_url: str) -> dict[str, str]:
    """Settings for an empty migrated database of this test's own, with a tenant, a client and a site."""
    found = {"TOCSIN_DATABASE_URL": fresh_db_url, "TOCSIN_VAR_DIR": str(tmp_path / "var")}
    add_tenant(found)
    ok(found, "client", "add", "acme", "--name", "Acme SA")
    ok(found, "site", "add", "room", "--client", "acme", *SITE)
    return found


def test_the_station_account_is_flagged_listed_and_tops_the_queue(
    env: dict[str, str], fresh_db_url: str
) -> None:
    """``--station`` says so when it connects; the list shows ``station`` for every account; the room's
    intrusion opens at priority 0."""
    said = ok(env, "account", "add", "5150", "--site", "room", "--station")
    assert "the room's own alarm panel" in said
    ok(env, "account", "add", "4321", "--site", "room", "--receiver", "1")
    listed = {a["number"]: a["station"] for a in json.loads(ok(env, "account", "list", "--json"))}
    assert listed == {"5150": True, "4321": False}
    assert "room's own panel" in ok(env, "account", "list")
    store = SqlStore(fresh_db_url, FakeClock())
    try:
        panel = store.read(lambda uow: uow.accounts.find(number="5150")[0], Scope.system())
        send(store, FakeClock(), panel, "1130 01 003")
        found = open_alarms(store, panel.site_id)
    finally:
        store.close()
    assert [(x.alarm_class, x.priority) for x in found] == [("intrusion", 0)]


def test_shift_list_shows_who_is_on_shift_and_what_waits(env: dict[str, str], fresh_db_url: str) -> None:
    """Nobody at first; then Alice on shift, then her handover waiting once she handed over."""
    assert "Nobody is on shift." in ok(env, "shift", "list")
    store = SqlStore(fresh_db_url, FakeClock())
    try:
        alice = store.read(lambda uow: uow.users.find(username="alice")[0], Scope.system())
        bus, scope = MessageBus(store, Deps(hasher=FakeHasher())), Scope.tenant(alice.tenant_id)
        who = s.Who(alice.id, "alice", "Alice M")
        bus.handle(s.StartShift(alice.tenant_id, who), scope=scope, actor="user:alice")
        on = json.loads(ok(env, "shift", "list", "--json"))
        assert [x["username"] for x in on["on_shift"]] == ["alice"]
        bus.handle(s.SubmitHandover(alice.tenant_id, who, "Quiet night."), scope=scope, actor="user:alice")
    finally:
        store.close()
    after = json.loads(ok(env, "shift", "list", "--json"))
    assert after["on_shift"] == []
    assert [(h["from_name"], h["open_alarms"]) for h in after["pending_handovers"]] == [("Alice M", 0)]
    assert "not acknowledged" in ok(env, "shift", "list")
    assert tocsin(env, "shift", "list", "--tenant", "nope").returncode == 2


def test_a_site_import_keeps_the_rooms_panel_flagged(env: dict[str, str], tmp_path: Path) -> None:
    """Re-importing the room's panel with a new test interval changes the interval, not the flag."""
    ok(env, "account", "add", "5150", "--site", "room", "--station")
    sheet = tmp_path / "room.csv"
    sheet.write_text("record,site,number,test_seconds\naccount,room,5150,3600\n", encoding="utf-8")
    ok(env, "site", "import", str(sheet))
    (listed,) = json.loads(ok(env, "account", "list", "--json"))
    assert (listed["test_seconds"], listed["station"]) == (3600, True)
