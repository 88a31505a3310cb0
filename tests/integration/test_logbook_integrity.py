"""The logbook proves itself: verify finds every kind of tampering, on both databases."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from tests.conftest import clone_postgres, migrated_sqlite
from tests.integration.helpers import Room, make_room
from tocsin.adapters.signing import Ed25519Signer, Ed25519Verifier, SignedHeadsFile
from tocsin.adapters.store.database import SqlStore, normalize_url
from tocsin.domain.logbook import NewEntry, chain_for
from tocsin.domain.scope import Scope
from tocsin.services import checkpoints, logbook
from tocsin.testing import FakeClock

SIGNER = Ed25519Signer(Ed25519PrivateKey.generate())
VERIFIER = Ed25519Verifier([SIGNER.public_key])


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fresh_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A database of its own for each test, since these tests damage it."""
    if request.param == "sqlite":
        url = migrated_sqlite(tmp_path / "tocsin.db")
        yield url
        return
    url, drop = clone_postgres(request.getfixturevalue("postgres_template"))
    yield url
    drop()  # type: ignore[operator]


@pytest.fixture
def store(fresh_url: str) -> Iterator[SqlStore]:
    """A store whose clock moves one second per entry."""
    store = SqlStore(fresh_url, FakeClock())
    yield store
    store.close()


def signed_room(store: SqlStore) -> Room:
    """A room with 5 entries in its chain, signed at its head."""
    room = make_room(store)
    store.write(lambda uow: logbook.sign_heads(uow.logbook, uow.clock, SIGNER), Scope.system())
    return room


def verify(store: SqlStore) -> list[logbook.ChainReport]:
    return store.read(lambda uow: logbook.verify_all(uow.logbook, VERIFIER), Scope.system())


def breach_of(store: SqlStore) -> str:
    broken = [r.breach for r in verify(store) if r.breach is not None]
    assert broken, "verify found nothing"
    return str(broken[0])


def tamper(store: SqlStore, *statements: tuple[str, dict[str, object]]) -> None:
    """Change rows behind the logbook's back, as someone with database access could."""
    engine = create_engine(normalize_url(store.url))
    with engine.begin() as conn:
        if store.dialect == "postgresql":
            conn.execute(text("ALTER TABLE logbook_entry DISABLE TRIGGER USER"))
            conn.execute(text("ALTER TABLE logbook_checkpoint DISABLE TRIGGER USER"))
        else:
            for name in (
                "logbook_entry_no_update",
                "logbook_entry_no_delete",
                "logbook_checkpoint_no_update",
                "logbook_checkpoint_no_delete",
            ):
                conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
        for sql, params in statements:
            conn.execute(text(sql), params)
        if store.dialect == "postgresql":
            conn.execute(text("ALTER TABLE logbook_entry ENABLE TRIGGER USER"))
            conn.execute(text("ALTER TABLE logbook_checkpoint ENABLE TRIGGER USER"))
    engine.dispose()


def test_an_intact_logbook_verifies(store: SqlStore) -> None:
    """Untouched chains and their signed checkpoints hold."""
    signed_room(store)
    reports = verify(store)
    assert [r.breach for r in reports] == [None]
    assert reports[0].entries == 5
    assert reports[0].checkpoints == 1


def test_the_database_refuses_updates_and_deletes(store: SqlStore) -> None:
    """Append-only is enforced by the database itself, not only detected afterwards."""
    make_room(store)
    engine = create_engine(normalize_url(store.url))
    try:
        for sql in ("UPDATE logbook_entry SET actor = 'x'", "DELETE FROM logbook_entry"):
            with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
                conn.execute(text(sql))
    finally:
        engine.dispose()


def test_an_altered_entry_is_named(store: SqlStore) -> None:
    """Changing one entry's content breaks exactly that entry."""
    room = signed_room(store)
    tamper(
        store,
        (
            "UPDATE logbook_entry SET actor = 'mallory' WHERE chain = :c AND seq = 3",
            {"c": chain_for(room.tenant_id)},
        ),
    )
    assert "entry 3" in breach_of(store)
    assert "altered" in breach_of(store)


def test_a_deleted_entry_is_named(store: SqlStore) -> None:
    """Removing an entry leaves a gap that verify names."""
    room = signed_room(store)
    tamper(
        store,
        (
            "DELETE FROM logbook_entry WHERE chain = :c AND seq = 3",
            {"c": chain_for(room.tenant_id)},
        ),
    )
    assert "entry 3 is missing" in breach_of(store)


def test_a_deleted_tail_is_found(store: SqlStore) -> None:
    """Removing the newest entries is caught by the head and the checkpoint."""
    room = signed_room(store)
    tamper(
        store,
        (
            "DELETE FROM logbook_entry WHERE chain = :c AND seq >= 4",
            {"c": chain_for(room.tenant_id)},
        ),
    )
    assert "entries were removed" in breach_of(store)


def test_an_inserted_entry_is_found(store: SqlStore) -> None:
    """Slipping a well-formed entry into the middle breaks the chain at or after it."""
    room = signed_room(store)
    chain = chain_for(room.tenant_id)
    entries = store.read(lambda uow: list(uow.logbook.entries(chain)), Scope.system())
    forged = replace(entries[2], id=store.clock.new_id(), actor="mallory", seq=3, prev_hash=entries[1].hash)
    forged = replace(forged, hash=logbook.entry_hash(forged))
    row = logbook.entry_material(forged) | {"hash": forged.hash}
    tamper(
        store,
        ("UPDATE logbook_entry SET seq = seq + 1000 WHERE chain = :c AND seq >= 3", {"c": chain}),
        ("UPDATE logbook_entry SET seq = seq - 999 WHERE chain = :c AND seq > 1000", {"c": chain}),
        (
            "INSERT INTO logbook_entry (id, chain, seq, tenant_id, recorded_at, occurred_at, actor,"
            " kind, message, params, subjects, client_id, site_id, data, prev_hash, hash)"
            " SELECT :id, chain, 3, tenant_id, recorded_at, occurred_at, :actor, kind, message,"
            " params, subjects, client_id, site_id, data, prev_hash, hash"
            " FROM logbook_entry WHERE chain = :c AND seq = 4",
            {
                "id": forged.id if store.dialect == "postgresql" else forged.id.hex,
                "actor": row["actor"],
                "c": chain,
            },
        ),
    )
    message = breach_of(store)
    assert "entry 3" in message or "entry 4" in message


def test_reordered_entries_are_found(store: SqlStore) -> None:
    """Swapping two entries' places breaks the chain where the order changed."""
    room = signed_room(store)
    chain = chain_for(room.tenant_id)
    tamper(
        store,
        ("UPDATE logbook_entry SET seq = 100 WHERE chain = :c AND seq = 3", {"c": chain}),
        ("UPDATE logbook_entry SET seq = 3 WHERE chain = :c AND seq = 4", {"c": chain}),
        ("UPDATE logbook_entry SET seq = 4 WHERE chain = :c AND seq = 100", {"c": chain}),
    )
    assert "entry 3" in breach_of(store)


def test_a_rewritten_chain_is_caught_by_its_signed_checkpoint(store: SqlStore) -> None:
    """Recomputing every hash after a change still differs from what the key signed."""
    room = signed_room(store)
    chain = chain_for(room.tenant_id)
    entries = store.read(lambda uow: list(uow.logbook.entries(chain)), Scope.system())
    rewritten, previous = [], entries[0].hash
    for entry in entries[1:]:
        changed = replace(entry, prev_hash=previous, actor="mallory" if entry.seq == 2 else entry.actor)
        changed = replace(changed, hash=logbook.entry_hash(changed))
        rewritten.append(changed)
        previous = changed.hash
    statements = [
        (
            "UPDATE logbook_entry SET actor = :a, prev_hash = :p, hash = :h WHERE chain = :c AND seq = :s",
            {"a": e.actor, "p": e.prev_hash, "h": e.hash, "c": chain, "s": e.seq},
        )
        for e in rewritten
    ]
    statements.append(("UPDATE logbook_chain SET hash = :h WHERE chain = :c", {"h": previous, "c": chain}))
    tamper(store, *statements)
    message = breach_of(store)
    assert "entry 5" in message
    assert "signed checkpoint" in message


def test_a_forged_checkpoint_is_found(store: SqlStore) -> None:
    """A checkpoint signed by another key, or altered, does not verify."""
    room = signed_room(store)
    chain = chain_for(room.tenant_id)
    tamper(
        store,
        ("UPDATE logbook_checkpoint SET hash = :h WHERE chain = :c", {"h": "f" * 64, "c": chain}),
    )
    assert "checkpoint signature does not verify" in breach_of(store)


def test_a_checkpoint_from_an_unknown_key_is_refused(store: SqlStore) -> None:
    """Only keys the verifier was given count."""
    make_room(store)
    other = Ed25519Signer(Ed25519PrivateKey.generate())
    store.write(lambda uow: logbook.sign_heads(uow.logbook, uow.clock, other), Scope.system())
    assert "checkpoint signature does not verify" in breach_of(store)


def test_entries_carry_their_data_as_json(store: SqlStore) -> None:
    """What an entry records survives the round trip exactly (the hash depends on it)."""
    room = make_room(store)
    entries = store.read(lambda uow: list(uow.logbook.entries(chain_for(room.tenant_id))), Scope.system())
    assert json.loads(json.dumps(dict(entries[3].data)))["ref"] == "SA"
    assert all(logbook.entry_hash(e) == e.hash for e in entries)


# ---------------------------------------------------------------- the checkpoint rule

EVERY = timedelta(minutes=5)
RULE = logbook.CheckpointRule(stale_after=2 * EVERY)


def sign_and_keep(store: SqlStore, kept: SignedHeadsFile) -> None:
    """Sign as `tocsin serve` does: checkpoints in the database, the newest also kept beside the key."""
    store.write(lambda uow: checkpoints.sign_and_keep(uow, SIGNER, kept), Scope.system())


def add_entries(store: SqlStore, room: Room, count: int, every: timedelta = timedelta(seconds=1)) -> None:
    """Record ``count`` more entries in the room's chain, the clock moving ``every`` before each."""
    clock = store.clock
    assert isinstance(clock, FakeClock)
    for index in range(count):
        clock.advance(every.total_seconds())
        note = NewEntry(
            kind="test", message="test.note", actor="t", tenant_id=room.tenant_id, data={"i": index}
        )
        store.write(lambda uow, n=note: uow.note(n), Scope.tenant(room.tenant_id))  # type: ignore[misc]


def verify_with(store: SqlStore, rule: logbook.CheckpointRule) -> str | None:
    reports = store.read(lambda uow: logbook.verify_all(uow.logbook, VERIFIER, rule), Scope.system())
    broken = [str(r.breach) for r in reports if r.breach is not None]
    return broken[0] if broken else None


def test_a_truncated_tail_with_its_checkpoints_is_found(store: SqlStore, tmp_path: Path) -> None:
    """Deleting the newest entries, their checkpoints and fixing the head is caught by the kept heads."""
    kept = SignedHeadsFile(tmp_path / "key.pem.heads.json")
    room = make_room(store)
    sign_and_keep(store, kept)  # entry 5
    add_entries(store, room, 4)
    sign_and_keep(store, kept)  # entry 9
    chain = chain_for(room.tenant_id)
    assert verify_with(store, logbook.CheckpointRule(kept.load(), RULE.stale_after)) is None
    fifth = store.read(lambda uow: list(uow.logbook.entries(chain)), Scope.system())[4]
    tamper(
        store,
        ("DELETE FROM logbook_entry WHERE chain = :c AND seq > 5", {"c": chain}),
        ("DELETE FROM logbook_checkpoint WHERE chain = :c AND seq > 5", {"c": chain}),
        ("UPDATE logbook_chain SET seq = 5, hash = :h WHERE chain = :c", {"h": fifth.hash, "c": chain}),
    )
    assert verify_with(store, RULE) is None  # the database alone cannot tell
    message = verify_with(store, logbook.CheckpointRule(kept.load(), RULE.stale_after))
    assert message is not None
    assert "entry 9" in message
    assert "no longer in the database" in message


def test_a_deleted_chain_this_node_signed_is_found(store: SqlStore, tmp_path: Path) -> None:
    """A whole chain removed (entries, checkpoints and head) is still named by the kept heads."""
    kept = SignedHeadsFile(tmp_path / "key.pem.heads.json")
    room = make_room(store)
    sign_and_keep(store, kept)
    chain = chain_for(room.tenant_id)
    tamper(
        store,
        ("DELETE FROM logbook_entry WHERE chain = :c", {"c": chain}),
        ("DELETE FROM logbook_checkpoint WHERE chain = :c", {"c": chain}),
        ("DELETE FROM logbook_chain WHERE chain = :c", {"c": chain}),
    )
    message = verify_with(store, logbook.CheckpointRule(kept.load(), RULE.stale_after))
    assert message is not None
    assert f"chain {chain}, entry 5" in message


def test_a_stale_checkpoint_is_a_breach(store: SqlStore) -> None:
    """Entries left unsigned for longer than twice the signing interval while the chain grows are a breach."""
    room = signed_room(store)
    add_entries(store, room, 3, every=EVERY)  # entries 6..8 span 10 minutes: allowed
    assert verify_with(store, RULE) is None
    add_entries(store, room, 1, every=timedelta(seconds=1))  # 10 min 1 s: stale
    message = verify_with(store, RULE)
    assert message is not None
    assert "entry 6" in message
    assert "stale" in message
    store.write(lambda uow: logbook.sign_heads(uow.logbook, uow.clock, SIGNER), Scope.system())
    assert verify_with(store, RULE) is None


def test_deleted_tail_checkpoints_make_the_chain_stale(store: SqlStore) -> None:
    """Removing the newest checkpoints (to rewrite what they covered) leaves a stale chain."""
    room = signed_room(store)
    for _ in range(3):
        add_entries(store, room, 2, every=EVERY)
        store.write(lambda uow: logbook.sign_heads(uow.logbook, uow.clock, SIGNER), Scope.system())
    assert verify_with(store, RULE) is None
    chain = chain_for(room.tenant_id)
    tamper(store, ("DELETE FROM logbook_checkpoint WHERE chain = :c AND seq > 5", {"c": chain}))
    message = verify_with(store, RULE)
    assert message is not None
    assert "stale" in message


def test_a_never_checkpointed_logbook_passes_the_rule(store: SqlStore) -> None:
    """A fresh install, never signed, is not stale however long its chain runs unsigned."""
    room = make_room(store)
    add_entries(store, room, 3, every=timedelta(hours=1))
    assert verify_with(store, RULE) is None


def test_signing_reads_each_chains_latest_checkpoint(store: SqlStore) -> None:
    """Signing finds each chain's newest checkpoint in one read and signs only the chains that moved."""
    first, second = make_room(store), make_room(store)
    sign = lambda uow: logbook.sign_heads(uow.logbook, uow.clock, SIGNER)  # noqa: E731
    assert {c.chain for c in store.write(sign, Scope.system())} == {
        chain_for(first.tenant_id),
        chain_for(second.tenant_id),
    }
    add_entries(store, first, 2)
    again = store.write(sign, Scope.system())
    assert [(c.chain, c.seq) for c in again] == [(chain_for(first.tenant_id), 7)]
    assert store.write(sign, Scope.system()) == []
    latest = store.read(lambda uow: uow.logbook.latest_checkpoints(), Scope.system())
    assert latest[chain_for(first.tenant_id)] == again[0]
    assert latest[chain_for(second.tenant_id)].seq == 5
    assert verify_with(store, RULE) is None
