"""Chaining and verification as pure functions: every link and every field is covered by the hash."""

from __future__ import annotations

import base64
import dataclasses
import itertools
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from tocsin.adapters.signing import Ed25519Signer, Ed25519Verifier
from tocsin.domain.errors import LogbookError
from tocsin.domain.logbook import GENESIS_HASH, ChainHead, Checkpoint, LogbookEntry, NewEntry, SubjectRef
from tocsin.services import logbook
from tocsin.testing import FakeClock

TENANT = uuid.UUID("0190a000-0000-7000-8000-000000000001")
SIGNER = Ed25519Signer(Ed25519PrivateKey.generate())
VERIFIER = Ed25519Verifier([SIGNER.public_key])


class ListStore:
    """The smallest logbook store: a list, for testing the pure chain logic."""

    def __init__(self) -> None:
        self.items: list[LogbookEntry] = []
        self.head = ChainHead("x", 0, GENESIS_HASH)

    def lock_head(self, chain: str) -> ChainHead:
        return ChainHead(chain, self.head.seq, self.head.hash)

    def append(self, entry: LogbookEntry) -> None:
        self.items.append(entry)
        self.head = ChainHead(entry.chain, entry.seq, entry.hash)

    def encode(self, entries: list[LogbookEntry], json_texts: object = None) -> None:
        return None

    def append_many(self, entries: list[LogbookEntry], encoded: object = None) -> None:
        for entry in entries:
            self.append(entry)


def chain_of(n: int) -> tuple[list[LogbookEntry], ChainHead]:
    store, clock = ListStore(), FakeClock()
    for i in range(n):
        clock.advance(1)
        logbook.append(
            store,  # type: ignore[arg-type]
            clock,
            NewEntry(
                kind="note",
                message="logbook.note",
                actor="op",
                tenant_id=TENANT,
                params={"text": f"n{i}"},
                data={"i": i},
            ),
        )
    return store.items, store.head


def sign(head: ChainHead) -> Checkpoint:
    at = datetime(2026, 1, 1, tzinfo=UTC)
    material = logbook.checkpoint_material(head.chain, head.seq, head.hash, at, SIGNER.key_id)
    return Checkpoint(
        head.chain, head.seq, head.hash, at, SIGNER.key_id, base64.b64encode(SIGNER.sign(material)).decode()
    )


def verify(entries: list[LogbookEntry], head: ChainHead, checkpoints: list[Checkpoint]) -> str | None:
    report = logbook.verify_chain(head, iter(entries), checkpoints, VERIFIER)
    return None if report.breach is None else str(report.breach)


def test_an_appended_chain_links_each_entry_to_the_one_before() -> None:
    """Sequence counts from 1 and each prev_hash is the hash before it."""
    entries, head = chain_of(4)
    assert [e.seq for e in entries] == [1, 2, 3, 4]
    assert entries[0].prev_hash == GENESIS_HASH
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))
    assert verify(entries, head, [sign(head)]) is None


def _fields() -> Iterator[str]:
    yield from (
        "actor",
        "kind",
        "message",
        "params",
        "data",
        "recorded_at",
        "occurred_at",
        "tenant_id",
        "site_id",
        "client_id",
        "subjects",
    )


def test_every_field_is_covered_by_the_hash() -> None:
    """Changing any one field of an entry makes verify name that entry."""
    replacements = {
        "actor": "mallory",
        "kind": "other",
        "message": "x",
        "params": {"text": "changed"},
        "data": {"i": 99},
        "recorded_at": datetime(2020, 1, 1, tzinfo=UTC),
        "occurred_at": datetime(2020, 1, 1, tzinfo=UTC),
        "tenant_id": uuid.uuid4(),
        "site_id": uuid.uuid4(),
        "client_id": uuid.uuid4(),
        "subjects": (),
    }
    for name in _fields():
        entries, head = chain_of(3)
        if name == "subjects":
            entries[1] = dataclasses.replace(entries[1], subjects=(SubjectRef("site", "forged"),))
        else:
            entries[1] = dataclasses.replace(entries[1], **{name: replacements[name]})
        breach = verify(entries, head, [])
        assert breach is not None, name
        assert "entry 2" in breach, name


SAFE_INT = st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)


@given(st.dictionaries(st.text(max_size=8), SAFE_INT | st.text(max_size=8), max_size=6))
def test_the_hash_does_not_depend_on_key_order(data: dict[str, object]) -> None:
    """Canonical JSON makes the hash independent of how a database returns the keys."""
    entries, _ = chain_of(1)
    entry = dataclasses.replace(entries[0], data=data)
    reordered = dataclasses.replace(entry, data=dict(reversed(list(data.items()))))
    assert logbook.entry_hash(entry) == logbook.entry_hash(reordered)


def test_a_truncated_chain_is_caught_by_its_head() -> None:
    """Dropping the last entries disagrees with the recorded head."""
    entries, head = chain_of(4)
    assert "head" in (verify(entries[:-1], head, []) or "")


def test_a_checkpoint_beyond_the_end_means_entries_were_removed() -> None:
    """A signed checkpoint past the last entry proves removal even if the head was rewritten."""
    entries, head = chain_of(4)
    checkpoint = sign(head)
    shortened_head = ChainHead(head.chain, 3, entries[2].hash)
    assert "entries were removed" in (verify(entries[:3], shortened_head, [checkpoint]) or "")


def test_empty_chain_verifies() -> None:
    """A chain with no entries and an empty head holds."""
    assert verify([], ChainHead("x", 0, GENESIS_HASH), []) is None


def test_data_that_cannot_hash_the_same_everywhere_is_refused() -> None:
    """Bytes or integers beyond 2**53 are refused with a clear error, before anything is written."""
    store = ListStore()
    for bad in ({"n": 2**60}, {"b": b"raw"}):
        with pytest.raises(LogbookError, match="plain JSON"):
            logbook.append(
                store,
                FakeClock(),
                NewEntry(
                    kind="k",
                    message="m",
                    actor="a",  # type: ignore[arg-type]
                    tenant_id=None,
                    data=bad,
                ),
            )
    assert store.items == []
