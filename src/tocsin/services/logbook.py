"""Writing, checkpointing and verifying the main courante.

An entry's hash is the SHA-256 of the canonical JSON (RFC 8785) of all its fields but the hash, and
that includes the previous entry's hash: change, remove, insert or swap one entry and every later hash
stops matching. Because anyone with database access could recompute the whole chain, checkpoints sign
a chain's head with a key that lives outside the database.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, NamedTuple
from uuid import UUID

from tocsin.domain.errors import LogbookError
from tocsin.domain.logbook import (
    GENESIS_HASH,
    Breach,
    ChainHead,
    Checkpoint,
    LogbookEntry,
    NewEntry,
    chain_for,
)
from tocsin.protocols.canonical_json import canonical_json
from tocsin.services.entry_hash import (
    JsonColumns,
    digest,
    entry_hash,
    entry_material,  # noqa: F401 - re-exported, with entry_hash
    json_columns,
)
from tocsin.services.ports import Clock, LogbookStore, SignatureVerifier, Signer


def _ts(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="microseconds")


def append(store: LogbookStore, clock: Clock, new: NewEntry) -> LogbookEntry:
    """Chain a new entry onto its tenant's chain, in the caller's transaction."""
    return append_batch(store, clock, [new])[0]


def append_batch(store: LogbookStore, clock: Clock, news: list[NewEntry]) -> list[LogbookEntry]:
    """Chain several entries: each chain's head is locked once and its entries inserted together."""
    written: list[LogbookEntry] = []
    for chain, items in _by_chain(news).items():
        chained, columns = _chain_all(clock, store.lock_head(chain), items)
        store.append_many(chained, store.encode(chained, columns))
        written.extend(chained)
    return written


@dataclass(frozen=True)
class Prepared:
    """Entries hashed ahead of their transaction, on the chain heads read before it."""

    heads: dict[str, ChainHead]
    news: dict[str, list[NewEntry]]
    entries: dict[str, list[LogbookEntry]]
    encoded: dict[str, Any]  # each chain's entries as the store writes them


def prepare(store: LogbookStore, clock: Clock, news: list[NewEntry]) -> Prepared:
    """Chain and hash entries on the heads as they are now, outside any write transaction, so that the
    transaction that appends them (:func:`append_prepared`) holds its locks for the inserts alone."""
    grouped = _by_chain(news)
    heads = {chain: store.head(chain) for chain in grouped}
    entries, encoded = {}, {}
    for chain, items in grouped.items():
        entries[chain], columns = _chain_all(clock, heads[chain], items)
        encoded[chain] = store.encode(entries[chain], columns)
    return Prepared(heads, grouped, entries, encoded)


def append_prepared(store: LogbookStore, clock: Clock, prepared: Prepared) -> list[LogbookEntry]:
    """Append prepared entries; a chain whose head moved since they were prepared is chained again."""
    written: list[LogbookEntry] = []
    for chain, ready in prepared.entries.items():
        head = store.lock_head(chain)
        if head == prepared.heads[chain]:
            store.append_many(ready, prepared.encoded[chain])
            written.extend(ready)
        else:
            entries, columns = _chain_all(clock, head, prepared.news[chain])
            store.append_many(entries, store.encode(entries, columns))
            written.extend(entries)
    return written


def _by_chain(news: list[NewEntry]) -> dict[str, list[NewEntry]]:
    grouped: dict[str, list[NewEntry]] = {}
    for new in news:
        grouped.setdefault(chain_for(new.tenant_id), []).append(new)
    return grouped


def _chain_all(
    clock: Clock, head: ChainHead, news: list[NewEntry]
) -> tuple[list[LogbookEntry], list[JsonColumns]]:
    chained, columns = [], []
    seq, previous = head.seq, head.hash
    for new in news:
        seq += 1
        entry, encoded = _chained(clock, new, _Link(clock.new_id(), head.chain, seq, clock.now(), previous))
        chained.append(entry)
        columns.append(encoded)
        previous = entry.hash
    return chained, columns


class _Link(NamedTuple):
    id: UUID
    chain: str
    seq: int
    recorded_at: datetime
    prev_hash: str


def _chained(clock: Clock, new: NewEntry, link: _Link) -> tuple[LogbookEntry, JsonColumns]:
    data = _plain(new.data)
    params = data if new.params is new.data else _plain(new.params)
    try:
        columns = json_columns(params, new.subjects, data)
        hashed = digest(new, link, columns)
    except (TypeError, ValueError) as exc:  # bytes, NaN, objects, integers beyond 2**53
        raise LogbookError(
            f"Logbook data must be plain JSON that hashes the same everywhere: {exc}"
        ) from None
    entry = LogbookEntry(
        id=link.id,
        chain=link.chain,
        seq=link.seq,
        tenant_id=new.tenant_id,
        recorded_at=link.recorded_at,
        occurred_at=new.occurred_at,
        actor=new.actor,
        kind=new.kind,
        message=new.message,
        params=params,
        subjects=new.subjects,
        client_id=new.client_id,
        site_id=new.site_id,
        data=data,
        prev_hash=link.prev_hash,
        hash=hashed,
    )
    return entry, columns


def _plain(value: Mapping[str, Any]) -> dict[str, Any]:
    return dict(value)


# ---------------------------------------------------------------- checkpoints


def checkpoint_material(chain: str, seq: int, head_hash: str, signed_at: datetime, key_id: str) -> bytes:
    """The exact bytes a checkpoint signature covers."""
    return canonical_json(
        {
            "chain": chain,
            "seq": seq,
            "hash": head_hash,
            "signed_at": _ts(signed_at),
            "key_id": key_id,
        }
    )


def sign_heads(store: LogbookStore, clock: Clock, signer: Signer) -> list[Checkpoint]:
    """Sign the head of every chain that moved since its last checkpoint: the heads come from the chain
    table and only each chain's latest checkpoint is read, so signing costs the same at any size."""
    latest = store.latest_checkpoints()
    made = []
    for head in store.heads():
        done = latest.get(head.chain)
        if head.seq == 0 or (done is not None and done.seq >= head.seq):
            continue
        signed_at = clock.now()
        material = checkpoint_material(head.chain, head.seq, head.hash, signed_at, signer.key_id)
        checkpoint = Checkpoint(
            chain=head.chain,
            seq=head.seq,
            hash=head.hash,
            signed_at=signed_at,
            key_id=signer.key_id,
            signature=base64.b64encode(signer.sign(material)).decode("ascii"),
        )
        store.add_checkpoint(checkpoint)
        made.append(checkpoint)
    return made


# ---------------------------------------------------------------- verification


@dataclass(frozen=True, slots=True)
class CheckpointRule:
    """What verify demands of a chain once it has been checkpointed.

    ``signed`` holds, per chain, the newest checkpoint this node signed, as kept outside the database
    beside the key: the database must still hold it and the entries it covers. ``stale_after`` is the
    longest time entries may stay unsigned while the chain goes on being written: the first entry after
    the last checkpoint may be older than the chain's last entry by at most this much (twice the signing
    interval), or a checkpoint is missing.
    """

    signed: Mapping[str, Checkpoint] = field(default_factory=dict)
    stale_after: timedelta | None = None


@dataclass(slots=True)
class ChainReport:
    """What verifying one chain found."""

    chain: str
    entries: int = 0
    checkpoints: int = 0
    breach: Breach | None = None


@dataclass(slots=True)
class _Walk:
    """Where a walk along a chain got to."""

    last_seq: int = 0
    last_hash: str = GENESIS_HASH
    last_at: datetime | None = None
    first_unsigned: LogbookEntry | None = None


def verify_chain(
    head: ChainHead,
    entries: Iterable[LogbookEntry],
    checkpoints: list[Checkpoint],
    verifier: SignatureVerifier,
    rule: CheckpointRule | None = None,
) -> ChainReport:
    """Walk a chain from its first entry; stop at the first thing that does not hold."""
    rule = rule or CheckpointRule()
    report = ChainReport(chain=head.chain, checkpoints=len(checkpoints))
    signed = rule.signed.get(head.chain)
    report.breach = _check_checkpoints(head.chain, checkpoints, signed, verifier)
    if report.breach is not None:
        return report
    pinned = {c.seq: c.hash for c in checkpoints}
    covered = max(pinned, default=0)
    walk = _Walk()
    for entry in entries:
        breach = _check_entry(entry, walk.last_seq + 1, walk.last_hash, pinned)
        if breach is not None:
            report.breach = breach
            return report
        report.entries += 1
        walk.last_seq, walk.last_hash, walk.last_at = entry.seq, entry.hash, entry.recorded_at
        if entry.seq == covered + 1:
            walk.first_unsigned = entry
    report.breach = _check_end(head, walk.last_seq, walk.last_hash, checkpoints) or _check_stale(
        walk, covered, rule.stale_after
    )
    return report


def _check_checkpoints(
    chain: str, checkpoints: list[Checkpoint], signed: Checkpoint | None, verifier: SignatureVerifier
) -> Breach | None:
    bad_checkpoint = _first_forged([*checkpoints, *([signed] if signed else [])], verifier)
    if bad_checkpoint is not None:
        return Breach(
            chain,
            bad_checkpoint.seq,
            None,
            "the checkpoint signature does not verify: the checkpoint was forged or altered, "
            "or it was signed with a key this verifier does not know",
        )
    if signed is not None and not any((c.seq, c.hash) == (signed.seq, signed.hash) for c in checkpoints):
        return Breach(
            chain,
            signed.seq,
            None,
            f"this node signed entry {signed.seq} on {_ts(signed.signed_at)} but that checkpoint is no"
            " longer in the database (entries and their checkpoints were removed, or the database was"
            " restored from an older backup)",
        )
    return None


def _check_stale(walk: _Walk, covered: int, stale_after: timedelta | None) -> Breach | None:
    first = walk.first_unsigned
    if not covered or stale_after is None or first is None or walk.last_at is None:
        return None
    unsigned_for = walk.last_at - first.recorded_at
    if unsigned_for <= stale_after:
        return None
    return Breach(
        first.chain,
        first.seq,
        first.id,
        f"the last checkpoint is stale: entries {first.seq} to {walk.last_seq} were written over"
        f" {_span(unsigned_for)} without a signed checkpoint, more than the {_span(stale_after)}"
        " allowed (twice the signing interval): checkpoints were removed, or the signer stopped; if"
        " the signer stopped, run `tocsin logbook checkpoint`",
    )


def _span(delta: timedelta) -> str:
    return f"{int(delta.total_seconds())} s"


def _first_forged(checkpoints: list[Checkpoint], verifier: SignatureVerifier) -> Checkpoint | None:
    for c in checkpoints:
        material = checkpoint_material(c.chain, c.seq, c.hash, c.signed_at, c.key_id)
        try:
            signature = base64.b64decode(c.signature, validate=True)
        except ValueError:
            return c
        if not verifier.verify(c.key_id, material, signature):
            return c
    return None


def _check_entry(
    entry: LogbookEntry, expected_seq: int, previous_hash: str, pinned: dict[int, str]
) -> Breach | None:
    if entry.seq != expected_seq:
        what = "missing (deleted?)" if entry.seq > expected_seq else "out of order"
        return Breach(
            entry.chain,
            expected_seq,
            None,
            f"entry {expected_seq} is {what}; the next stored entry is {entry.seq}",
        )
    if entry.prev_hash != previous_hash:
        return Breach(
            entry.chain,
            entry.seq,
            entry.id,
            "its previous-hash does not match the entry before it (inserted, removed or reordered)",
        )
    if entry_hash(entry) != entry.hash:
        return Breach(entry.chain, entry.seq, entry.id, "its content does not match its hash (altered)")
    if entry.seq in pinned and pinned[entry.seq] != entry.hash:
        return Breach(
            entry.chain,
            entry.seq,
            entry.id,
            "it differs from the signed checkpoint at this sequence (the chain was rewritten)",
        )
    return None


def _check_end(
    head: ChainHead, last_seq: int, last_hash: str, checkpoints: list[Checkpoint]
) -> Breach | None:
    if checkpoints and checkpoints[-1].seq > last_seq:
        return Breach(
            head.chain,
            last_seq + 1,
            None,
            f"a signed checkpoint covers entry {checkpoints[-1].seq} but the chain ends at {last_seq}"
            " (entries were removed)",
        )
    if (head.seq, head.hash) != (last_seq, last_hash):
        return Breach(
            head.chain,
            None,
            None,
            f"the recorded head (entry {head.seq}) does not match the last entry ({last_seq})"
            " (entries were removed or added behind the logbook's back)",
        )
    return None


def verify_all(
    store: LogbookStore, verifier: SignatureVerifier, rule: CheckpointRule | None = None
) -> list[ChainReport]:
    """Verify every chain in the store, in chain order, from one snapshot (call it first in its read
    transaction). A chain this node signed that the store no longer has is verified too, and fails."""
    rule = rule or CheckpointRule()
    store.snapshot()
    heads = {head.chain: head for head in store.chains()}
    for chain in rule.signed:
        heads.setdefault(chain, ChainHead(chain, 0, GENESIS_HASH))
    return [
        verify_chain(heads[c], store.entries(c), store.checkpoints(c), verifier, rule) for c in sorted(heads)
    ]
