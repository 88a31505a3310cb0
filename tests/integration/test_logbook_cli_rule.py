"""`tocsin logbook verify` applies the checkpoint rule: a truncated or stale chain exits 1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import clone_postgres
from tests.integration.helpers import Room, make_room
from tests.integration.test_cli import tocsin
from tests.integration.test_logbook_integrity import tamper
from tocsin.adapters.clock import SystemClock
from tocsin.adapters.store.database import SqlStore
from tocsin.domain.logbook import NewEntry, chain_for
from tocsin.domain.scope import Scope
from tocsin.testing import FakeClock


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database of each kind for this test alone (another test's key would not verify its chains)."""
    if request.param == "sqlite":
        yield str(request.getfixturevalue("sqlite_url"))
        return
    url, drop = clone_postgres(request.getfixturevalue("postgres_template"))
    yield url
    drop()  # type: ignore[operator]


def _env(tmp_path: Path, db_url: str) -> dict[str, str]:
    return {"TOCSIN_DATABASE_URL": db_url, "TOCSIN_VAR_DIR": str(tmp_path / "var")}


def _note(store: SqlStore, room: Room) -> None:
    note = NewEntry(kind="test", message="test.note", actor="t", tenant_id=room.tenant_id)
    store.write(lambda uow: uow.note(note), Scope.tenant(room.tenant_id))


def test_verify_exits_1_when_the_tail_and_its_checkpoints_were_deleted(tmp_path: Path, db_url: str) -> None:
    """The node's kept heads name the checkpoint that vanished with the chain's newest entries."""
    env = _env(tmp_path, db_url)
    store = SqlStore(db_url, SystemClock())
    try:
        room = make_room(store)
        assert tocsin(env, "logbook", "keygen").returncode == 0
        assert tocsin(env, "logbook", "checkpoint").returncode == 0
        for _ in range(3):
            _note(store, room)
        assert tocsin(env, "logbook", "checkpoint").returncode == 0
        assert (Path(env["TOCSIN_VAR_DIR"]) / "keys" / "logbook-signing.pem.heads.json").exists()
        ok = tocsin(env, "logbook", "verify")
        assert ok.returncode == 0, ok.stderr
        chain = chain_for(room.tenant_id)
        fifth = store.read(lambda uow: list(uow.logbook.entries(chain)), Scope.system())[4]
        tamper(
            store,
            ("DELETE FROM logbook_entry WHERE chain = :c AND seq > 5", {"c": chain}),
            ("DELETE FROM logbook_checkpoint WHERE chain = :c AND seq > 5", {"c": chain}),
            ("UPDATE logbook_chain SET seq = 5, hash = :h WHERE chain = :c", {"h": fifth.hash, "c": chain}),
        )
    finally:
        store.close()
    out = tocsin(env, "logbook", "verify")
    assert out.returncode == 1, out.stdout
    assert f"BROKEN: chain {chain}, entry 8" in out.stderr
    assert "no longer in the database" in out.stderr


def test_verify_exits_1_on_a_stale_checkpoint_until_the_head_is_signed(tmp_path: Path, db_url: str) -> None:
    """Entries unsigned over more than twice --checkpoint-every fail verify; signing them mends it."""
    env = _env(tmp_path, db_url)
    clock = FakeClock(SystemClock().now())
    store = SqlStore(db_url, clock)
    try:
        room = make_room(store)
        assert tocsin(env, "logbook", "keygen").returncode == 0
        assert tocsin(env, "logbook", "checkpoint").returncode == 0
        _note(store, room)
        clock.advance(minutes=11)
        _note(store, room)
    finally:
        store.close()
    stale = tocsin(env, "logbook", "verify")
    assert stale.returncode == 1, stale.stdout
    assert "stale" in stale.stderr
    assert tocsin(env, "logbook", "verify", "--checkpoint-every", "400").returncode == 0
    assert tocsin(env, "logbook", "checkpoint").returncode == 0
    fresh = tocsin(env, "logbook", "verify")
    assert fresh.returncode == 0, fresh.stderr
