"""The in-memory twin of the SQL logbook: chain heads, append-only entries, signed checkpoints."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from tocsin.domain.errors import Conflict
from tocsin.domain.logbook import GENESIS_HASH, ChainHead, Checkpoint, LogbookEntry, chain_for
from tocsin.domain.scope import Scope


class InMemoryLogbookStore:
    """Logbook storage over one snapshot of the in-memory state.

    ``heads`` maps a chain to its head, ``entries`` a chain to its entries in sequence order and
    ``checkpoints`` a chain to its checkpoints; the lists are the snapshot's own copies, appended to
    in place.
    """

    def __init__(
        self,
        heads: dict[str, ChainHead],
        entries: dict[str, list[LogbookEntry]],
        checkpoints: dict[str, list[Checkpoint]],
    ) -> None:
        self._heads = heads
        self._entries = entries
        self._checkpoints = checkpoints

    def lock_head(self, chain: str) -> ChainHead:
        """The chain's head (created empty if new); the store's write lock already holds it."""
        return self._heads.setdefault(chain, ChainHead(chain, 0, GENESIS_HASH))

    def head(self, chain: str) -> ChainHead:
        """The chain's head, or an empty one."""
        return self._heads.get(chain, ChainHead(chain, 0, GENESIS_HASH))

    def append(self, entry: LogbookEntry) -> None:
        """Add an entry and move its chain's head to it; the head must be the entry before it."""
        head = self._heads.get(entry.chain)
        if head is None or head.seq != entry.seq - 1:
            raise RuntimeError(f"logbook chain {entry.chain} head moved while locked")
        self._entries.setdefault(entry.chain, []).append(entry)
        self._heads[entry.chain] = ChainHead(entry.chain, entry.seq, entry.hash)

    def encode(
        self, entries: list[LogbookEntry], json_texts: Sequence[tuple[str, str, str]] | None = None
    ) -> Any:
        """Nothing to work out ahead: entries are kept as they are."""
        return None

    def append_many(self, entries: list[LogbookEntry], encoded: Any = None) -> None:
        """Add consecutive entries of one chain, in order."""
        for entry in entries:
            self.append(entry)

    def snapshot(self) -> None:
        """Nothing to do: a unit of work already reads its own copy of the state."""

    def heads(self) -> list[ChainHead]:
        """Every recorded chain head, by chain name."""
        return [self._heads[c] for c in sorted(self._heads)]

    def chains(self) -> list[ChainHead]:
        """Every chain's head, by chain name; a chain with entries but no head shows as empty."""
        names = set(self._heads) | {chain for chain, stored in self._entries.items() if stored}
        return [self._heads.get(c, ChainHead(c, 0, GENESIS_HASH)) for c in sorted(names)]

    def entries(self, chain: str, after_seq: int = 0) -> Iterator[LogbookEntry]:
        """A chain's entries after ``after_seq``, in sequence order, as stored."""
        stored = sorted(self._entries.get(chain, ()), key=lambda e: e.seq)
        return iter([e for e in stored if e.seq > after_seq])

    def add_checkpoint(self, checkpoint: Checkpoint) -> None:
        """Store a signed checkpoint; one per chain and sequence."""
        done = self._checkpoints.setdefault(checkpoint.chain, [])
        if any(c.seq == checkpoint.seq for c in done):
            raise Conflict(f"Chain {checkpoint.chain} already has a checkpoint at entry {checkpoint.seq}.")
        done.append(checkpoint)

    def latest_checkpoints(self) -> dict[str, Checkpoint]:
        """Each checkpointed chain's newest checkpoint."""
        return {c: max(done, key=lambda cp: cp.seq) for c, done in self._checkpoints.items() if done}

    def checkpoints(self, chain: str) -> list[Checkpoint]:
        """A chain's checkpoints, by sequence."""
        return sorted(self._checkpoints.get(chain, ()), key=lambda c: c.seq)

    def read(
        self,
        scope: Scope,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        after_seq: int = 0,
        limit: int | None = None,
        newest_first: bool = False,
        site_id: UUID | None = None,
        kind_prefixes: tuple[str, ...] = (),
    ) -> Iterator[LogbookEntry]:
        """Entries the scope may see (of one site with ``site_id``), in (chain, sequence) order or newest
        first."""
        chains = sorted(self._entries) if scope.all_tenants else [chain_for(scope.tenant_id)]
        found = [
            e
            for chain in chains
            for e in sorted(self._entries.get(chain, ()), key=lambda e: e.seq)
            if _visible(scope, e)
            and (since is None or e.recorded_at >= since)
            and (until is None or e.recorded_at < until)
            and e.seq > after_seq
            and (site_id is None or e.site_id == site_id)
            and (not kind_prefixes or e.kind.startswith(kind_prefixes))
        ]
        if newest_first:  # chains ascending, then seq descending, then recorded_at descending
            found.sort(key=lambda e: e.seq, reverse=True)
            found.sort(key=lambda e: e.chain)
            found.sort(key=lambda e: e.recorded_at, reverse=True)
        return iter(found if limit is None else found[:limit])


def _visible(scope: Scope, entry: LogbookEntry) -> bool:
    if scope.whole_tenant:
        return True
    return entry.client_id in (scope.client_ids or ()) or entry.site_id in (scope.site_ids or ())
