"""The checkpoints a node keeps beside its key: written after commit only, newest per chain, read back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tocsin.adapters.signing import Ed25519Signer, Ed25519Verifier, SignedHeadsFile, heads_path
from tocsin.domain.errors import LogbookError
from tocsin.domain.logbook import NewEntry
from tocsin.domain.scope import Scope
from tocsin.services import checkpoints, logbook
from tocsin.services.unit_of_work import UnitOfWork
from tocsin.testing import FakeClock
from tocsin.testing.store import InMemoryStore

SIGNER = Ed25519Signer(Ed25519PrivateKey.generate())
VERIFIER = Ed25519Verifier([SIGNER.public_key])


def _note(uow: UnitOfWork) -> None:
    uow.note(NewEntry(kind="test", message="test.note", actor="t", tenant_id=None))


def test_kept_heads_are_written_only_after_the_commit(tmp_path: Path) -> None:
    """A signing transaction that rolls back leaves the kept heads as they were."""
    store, kept = InMemoryStore(FakeClock()), SignedHeadsFile(tmp_path / "k.pem.heads.json")
    store.write(_note, Scope.system())

    def sign_then_fail(uow: UnitOfWork) -> None:
        checkpoints.sign_and_keep(uow, SIGNER, kept)
        raise RuntimeError("the commit fails")

    with pytest.raises(RuntimeError):
        store.write(sign_then_fail, Scope.system())
    assert kept.load() == {}
    made = store.write(lambda uow: checkpoints.sign_and_keep(uow, SIGNER, kept), Scope.system())
    assert kept.load() == {"system": made[0]}


def test_kept_heads_keep_the_newest_checkpoint_of_each_chain(tmp_path: Path) -> None:
    """An older checkpoint recorded late (a slower signer) does not replace a newer one."""
    store, kept = InMemoryStore(FakeClock()), SignedHeadsFile(heads_path(tmp_path / "k.pem"))
    store.write(_note, Scope.system())
    first = store.write(lambda uow: logbook.sign_heads(uow.logbook, uow.clock, SIGNER), Scope.system())
    store.write(_note, Scope.system())
    second = store.write(lambda uow: logbook.sign_heads(uow.logbook, uow.clock, SIGNER), Scope.system())
    kept.record(second)
    kept.record(first)
    assert kept.load()["system"] == second[0]
    assert (tmp_path / "k.pem.heads.json").stat().st_mode & 0o777 == 0o600
    reports = store.read(
        lambda uow: logbook.verify_all(uow.logbook, VERIFIER, logbook.CheckpointRule(kept.load())),
        Scope.system(),
    )
    assert [r.breach for r in reports] == [None]


def test_a_damaged_kept_heads_file_is_refused_with_a_way_out(tmp_path: Path) -> None:
    """A file that is not what the signer wrote is named, with what to do about it."""
    path = tmp_path / "k.pem.heads.json"
    path.write_text(json.dumps({"system": {"seq": 3}}))
    with pytest.raises(LogbookError, match=r"cannot be read.*move it aside"):
        SignedHeadsFile(path).load()


def test_signing_reads_only_the_latest_checkpoint_and_signs_moved_chains() -> None:
    """Each moved chain is signed at its head, an unmoved one is left alone, whatever came before."""
    store = InMemoryStore(FakeClock())
    tenant = NewEntry(kind="test", message="test.note", actor="t", tenant_id=None)
    for _ in range(3):
        store.write(_note, Scope.system())
        store.write(lambda uow: logbook.sign_heads(uow.logbook, uow.clock, SIGNER), Scope.system())
    assert store.write(lambda uow: logbook.sign_heads(uow.logbook, uow.clock, SIGNER), Scope.system()) == []
    store.write(lambda uow: uow.note(tenant), Scope.system())
    made = store.write(lambda uow: logbook.sign_heads(uow.logbook, uow.clock, SIGNER), Scope.system())
    assert [(c.chain, c.seq) for c in made] == [("system", 4)]
    latest = store.read(lambda uow: uow.logbook.latest_checkpoints(), Scope.system())
    assert latest == {"system": made[0]}
