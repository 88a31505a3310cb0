"""Writing, checkpointing and verifying the main courante.

An entry's hash is the SHA-256 of the canonical JSON (RFC 8785) of all its fields but the hash, and
that includes the previous entry's hash: change, remove, insert or swap one entry and every later hash
stops matching. Because anyone with database access could recompute the whole chain, checkpoints sign
a chain's head with a key that lives outside the database.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
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
from tocsin.protocols.canonical_json import canonical_json, canonical_string, canonical_text
from tocsin.services.ports import Clock, LogbookStore, SignatureVerifier, Signer


def _ts(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="microseconds")


def entry_material(entry: LogbookEntry) -> dict[str, Any]:
    """Every field of the entry except its own hash, as JSON values."""
    return {
        "id": str(entry.id),
        "chain": entry.chain,
        "seq": entry.seq,
        "tenant_id": None if entry.tenant_id is None else str(entry.tenant_id),
        "recorded_at": _ts(entry.recorded_at),
        "occurred_at": _ts(entry.occurred_at),
        "actor": entry.actor,
        "kind": entry.kind,
        "message": entry.message,
        "params": dict(entry.params),
        "subjects": [s.as_json() for s in entry.subjects],
        "client_id": None if entry.client_id is None else str(entry.client_id),
        "site_id": None if entry.site_id is None else str(entry.site_id),
        "data": dict(entry.data),
        "prev_hash": entry.prev_hash,
    }


def entry_hash(entry: LogbookEntry) -> str:
    """The hash an entry must carry."""
    return _hash(entry, _json_columns(entry))


# The hashed document is ``canonical_json(entry_material(entry))``. It is written out here member by
# member, in RFC 8785's key order, from the canonical text of each value; the JSON columns' texts
# (params, subjects, data) are worked out once, reused for ``params`` when it is ``data``, and stored as
# they are. ``test_logbook_hash`` holds this to the dictionary form's bytes and to golden hashes.
_MAX_SAFE = 2**53 - 1


class JsonColumns(NamedTuple):
    """An entry's params, subjects and data as canonical JSON text: hashed, then stored as such."""

    params: str
    subjects: str
    data: str


def _json_columns(entry: LogbookEntry) -> JsonColumns:
    data = canonical_text(_plain(entry.data))
    params = data if entry.params is entry.data else canonical_text(_plain(entry.params))
    return JsonColumns(params, canonical_text([s.as_json() for s in entry.subjects]), data)


def _hash(entry: LogbookEntry, columns: JsonColumns) -> str:
    return hashlib.sha256(_document(entry, columns).encode("utf-8")).hexdigest()


def _document(e: LogbookEntry, columns: JsonColumns) -> str:
    return (
        f'{{"actor":{_text(e.actor)},"chain":{_text(e.chain)},"client_id":{_id(e.client_id)},'
        f'"data":{columns.data},"id":{_id(e.id)},"kind":{_text(e.kind)},"message":{_text(e.message)},'
        f'"occurred_at":{_time(e.occurred_at)},"params":{columns.params},"prev_hash":{_text(e.prev_hash)},'
        f'"recorded_at":{_time(e.recorded_at)},"seq":{_seq(e.seq)},"site_id":{_id(e.site_id)},'
        f'"subjects":{columns.subjects},"tenant_id":{_id(e.tenant_id)}}}'
    )


def _text(value: str) -> str:
    return canonical_string(value) if type(value) is str else canonical_text(value)


def _id(value: UUID | None) -> str:
    return "null" if value is None else f'"{value}"'


def _time(value: datetime | None) -> str:
    return "null" if value is None else f'"{value.isoformat(timespec="microseconds")}"'


def _seq(value: int) -> str:
    return str(value) if type(value) is int and -_MAX_SAFE <= value <= _MAX_SAFE else canonical_text(value)


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
        entry, encoded = _chained(clock, new, head.chain, seq, previous)
        chained.append(entry)
        columns.append(encoded)
        previous = entry.hash
    return chained, columns


def _chained(
    clock: Clock, new: NewEntry, chain: str, seq: int, prev_hash: str
) -> tuple[LogbookEntry, JsonColumns]:
    data = _plain(new.data)
    params = data if new.params is new.data else _plain(new.params)
    fields: dict[str, Any] = {
        "id": clock.new_id(),
        "chain": chain,
        "seq": seq,
        "tenant_id": new.tenant_id,
        "recorded_at": clock.now(),
        "occurred_at": new.occurred_at,
        "actor": new.actor,
        "kind": new.kind,
        "message": new.message,
        "params": params,
        "subjects": new.subjects,
        "client_id": new.client_id,
        "site_id": new.site_id,
        "data": data,
        "prev_hash": prev_hash,
    }
    draft = LogbookEntry(**fields, hash="")
    try:
        columns = _json_columns(draft)
        digest = _hash(draft, columns)
    except (TypeError, ValueError) as exc:  # bytes, NaN, objects, integers beyond 2**53
        raise LogbookError(
            f"Logbook data must be plain JSON that hashes the same everywhere: {exc}"
        ) from None
    return LogbookEntry(**fields, hash=digest), columns


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
    """Sign the head of every chain that moved since its last checkpoint."""
    made = []
    for head in store.chains():
        done = store.checkpoints(head.chain)
        if head.seq == 0 or (done and done[-1].seq >= head.seq):
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


@dataclass(slots=True)
class ChainReport:
    """What verifying one chain found."""

    chain: str
    entries: int = 0
    checkpoints: int = 0
    breach: Breach | None = None


def verify_chain(
    head: ChainHead,
    entries: Iterable[LogbookEntry],
    checkpoints: list[Checkpoint],
    verifier: SignatureVerifier,
) -> ChainReport:
    """Walk a chain from its first entry; stop at the first thing that does not hold."""
    report = ChainReport(chain=head.chain, checkpoints=len(checkpoints))
    bad_checkpoint = _first_forged(checkpoints, verifier)
    if bad_checkpoint is not None:
        report.breach = Breach(
            head.chain,
            bad_checkpoint.seq,
            None,
            "the checkpoint signature does not verify: the checkpoint was forged or altered, "
            "or it was signed with a key this verifier does not know",
        )
        return report
    pinned = {c.seq: c.hash for c in checkpoints}
    previous_hash, expected_seq = GENESIS_HASH, 1
    for entry in entries:
        breach = _check_entry(entry, expected_seq, previous_hash, pinned)
        if breach is not None:
            report.breach = breach
            return report
        report.entries += 1
        previous_hash, expected_seq = entry.hash, expected_seq + 1
    report.breach = _check_end(head, expected_seq - 1, previous_hash, checkpoints)
    return report


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


def verify_all(store: LogbookStore, verifier: SignatureVerifier) -> list[ChainReport]:
    """Verify every chain in the store, in chain order."""
    return [
        verify_chain(head, store.entries(head.chain), store.checkpoints(head.chain), verifier)
        for head in store.chains()
    ]
