"""`tocsin camera add|list` and `tocsin video register` in-process on a migrated database: a camera with
its record and its password from standard input, a retention above 30 days refused in one line, and the
register exported as JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.integration.helpers import make_room
from tocsin.adapters.clock import SystemClock
from tocsin.adapters.store.database import SqlStore
from tocsin.cli.main import cli, main
from tocsin.domain import camera_commands as cc
from tocsin.domain.cameras import ViewRequest
from tocsin.domain.scope import Scope
from tocsin.services.handlers.registry import Deps
from tocsin.services.messagebus import MessageBus
from tocsin.testing import FakeHasher


@pytest.fixture
def env(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Settings for a migrated database with a room; the room's tenant reference."""
    monkeypatch.setenv("TOCSIN_DATABASE_URL", db_url)
    monkeypatch.setenv("TOCSIN_VAR_DIR", str(tmp_path / "var"))
    ref = f"cam{uuid.uuid4().hex[:10]}"
    store = SqlStore(db_url, SystemClock())
    try:
        make_room(store, ref=ref)
    finally:
        store.close()
    return ref


def run(*args: str, stdin: str | None = None) -> str:
    result = CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_camera_add_and_list_keep_the_record_and_hide_the_password(env: str) -> None:
    """The camera is stored with its record; --json shows only that a password is set."""
    args = ["camera", "add", "SA", "--name", "Gate", "--tenant", env, "--rtsp", "rtsp://10.0.0.5/s1"]
    args += ["--username", "viewer", "--password-stdin", "--authorisation", "PREF-1"]
    args += ["--authorisation-expires", "2031-01-31", "--purpose", "prevention_of_theft"]
    args += ["--retention-days", "10", "--signage", "--mask", "0,0 0.5,0 0.5,0.5", "--json"]
    created = json.loads(run(*args, stdin="pw-secret\n"))
    assert created["has_password"] is True
    assert created["retention_days"] == 10
    assert created["privacy_masks"] == [[[0.0, 0.0], [0.5, 0.0], [0.5, 0.5]]]
    listed = run("camera", "list", "--tenant", env, "--json")
    assert [(c["site_ref"], c["name"]) for c in json.loads(listed)] == [("SA", "Gate")]
    assert "pw-secret" not in listed
    assert "cam-" not in listed


def test_a_retention_above_thirty_days_is_one_error_line(
    env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exit 2, one `error:` line citing the law, nothing stored."""
    with pytest.raises(SystemExit) as stopped:
        main(["camera", "add", "SA", "--name", "Gate", "--tenant", env, "--retention-days", "45"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("error: Retention of 45 days refused")
    assert "L252-5" in err[0]
    assert json.loads(run("camera", "list", "--tenant", env, "--json")) == []


def test_the_register_exports_as_json_and_csv(env: str, db_url: str) -> None:
    """A recorded viewing comes out of `tocsin video register` in both formats."""
    created = json.loads(run("camera", "add", "SA", "--name", "Gate", "--tenant", env, "--json"))
    store = SqlStore(db_url, SystemClock())
    try:
        now = store.clock.now()
        tenant = store.read(lambda uow: uow.tenants.find(ref=env), Scope.system())[0]
        view = ViewRequest(mode="playback", start=now - timedelta(hours=1), end=now, reason="requisition")
        command = cc.RecordView(uuid.UUID(created["id"]), view, user="alice")
        store_bus = make_bus(store)
        store_bus.handle(command, scope=Scope.tenant(tenant.id), actor="user:alice")
    finally:
        store.close()
    since = (now - timedelta(days=1)).isoformat()
    until = (now + timedelta(days=1)).isoformat()
    lines = json.loads(run("video", "register", "--from", since, "--to", until, "--tenant", env, "--json"))
    assert [(x["user"], x["camera"], x["mode"], x["reason"]) for x in lines] == [
        ("alice", "Gate", "playback", "requisition")
    ]
    rows = list(
        csv.DictReader(
            io.StringIO(run("video", "register", "--from", since, "--to", until, "--tenant", env, "--csv"))
        )
    )
    assert rows[0]["reason"] == "requisition"
    assert rows[0]["hash"] == lines[0]["hash"]


def make_bus(store: SqlStore) -> MessageBus:
    """The command bus over a store, as a node has it."""
    return MessageBus(store, Deps(hasher=FakeHasher()))
