"""The logbook in SQL: entries, chain heads (locked while appending) and signed checkpoints.

Appending locks the chain's head row (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite has one writer at
a time), so concurrent writers queue on the head and the sequence has no gap and no fork. The lock is
held until the transaction ends, so a second append in the same transaction (an engage writes the
unit's entry and the event's) chains on the head this store moved, without reading it again.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, cast
from uuid import UUID

import psycopg
from sqlalchemy import Connection, Table, bindparam, func, insert, or_, select, tuple_, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from tocsin.adapters.store.bulk import bulk_insert
from tocsin.adapters.store.rows import LogbookChainRow, LogbookCheckpointRow, LogbookEntryRow
from tocsin.domain.logbook import (
    GENESIS_HASH,
    ChainHead,
    Checkpoint,
    LogbookEntry,
    SubjectRef,
    chain_for,
)
from tocsin.domain.scope import Scope

_FETCH = 500
_TABLE = cast(Table, LogbookEntryRow.__table__)
_CHAINS = cast(Table, LogbookChainRow.__table__)
# A chain's head, locked for the transaction, and its move after an append: built once (Core, bound values).
_LOCK_HEAD = select(_CHAINS).where(_CHAINS.c.chain == bindparam("b_chain")).with_for_update()
_MOVE_HEAD = (
    update(_CHAINS)
    .where(_CHAINS.c.chain == bindparam("b_chain"), _CHAINS.c.seq == bindparam("b_seq"))
    .values(seq=bindparam("b_new_seq"), hash=bindparam("b_new_hash"))
)


def entry_from_row(row: Any) -> LogbookEntry:
    """A domain entry from a row or a Core result row."""
    return LogbookEntry(
        id=row.id,
        chain=row.chain,
        seq=row.seq,
        tenant_id=row.tenant_id,
        recorded_at=row.recorded_at,
        occurred_at=row.occurred_at,
        actor=row.actor,
        kind=row.kind,
        message=row.message,
        params=row.params,
        subjects=tuple(SubjectRef(s["kind"], s["id"]) for s in row.subjects),
        client_id=row.client_id,
        site_id=row.site_id,
        data=row.data,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def _checkpoint(row: LogbookCheckpointRow) -> Checkpoint:
    return Checkpoint(row.chain, row.seq, row.hash, row.signed_at, row.key_id, row.signature)


_JSON_COLUMNS = ("params", "subjects", "data")


def _row(entry: LogbookEntry, texts: tuple[str, str, str] | None = None) -> dict[str, Any]:
    params, subjects, data = (
        (dict(entry.params), [s.as_json() for s in entry.subjects], dict(entry.data))
        if texts is None
        else texts
    )
    return {
        "id": entry.id,
        "chain": entry.chain,
        "seq": entry.seq,
        "tenant_id": entry.tenant_id,
        "recorded_at": entry.recorded_at,
        "occurred_at": entry.occurred_at,
        "actor": entry.actor,
        "kind": entry.kind,
        "message": entry.message,
        "params": params,
        "subjects": subjects,
        "client_id": entry.client_id,
        "site_id": entry.site_id,
        "data": data,
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }


def _scoped(stmt: Any, scope: Scope) -> Any:
    """The statement kept to the entries the scope may see."""
    table = LogbookEntryRow
    if scope.all_tenants:
        return stmt
    stmt = stmt.where(table.chain == chain_for(scope.tenant_id))
    if scope.whole_tenant:
        return stmt
    return stmt.where(
        or_(
            table.client_id.in_(list(scope.client_ids or ())),
            table.site_id.in_(list(scope.site_ids or ())),
        )
    )


_MOVE_HEAD_SQL = (  # psycopg's own placeholders, for the pipeline below
    "UPDATE logbook_chain SET seq = %(seq)s, hash = %(hash)s WHERE chain = %(chain)s AND seq = %(prev)s"
)


def _insert_and_move_pipelined(
    connection: Connection, insert_sql: str, params: list[Any], first: LogbookEntry, last: LogbookEntry
) -> int:
    """PostgreSQL: insert the entries and move the head in one round trip (psycopg's pipeline mode, in
    the transaction already open), and return how many heads moved (1, or 0 if the head was not where
    the entries chain on). A driver error comes out as SQLAlchemy's, as from any other statement."""
    raw = connection.connection.dbapi_connection
    if raw is None:
        raise RuntimeError("the logbook's connection is closed")
    driver = cast(psycopg.Connection[Any], raw)
    move = {"seq": last.seq, "hash": last.hash, "chain": first.chain, "prev": first.seq - 1}
    entries, head = driver.cursor(), driver.cursor()
    try:
        with driver.pipeline():
            entries.executemany(insert_sql, params)
            head.execute(_MOVE_HEAD_SQL, move)
        return int(head.rowcount)  # known once the pipeline has synced, on leaving the block
    except psycopg.Error as exc:
        raise DBAPIError.instance(insert_sql, params, exc, psycopg.Error) from exc
    finally:
        entries.close()
        head.close()


class SqlLogbookStore:
    """Logbook storage over one session (one transaction)."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._locked: dict[str, ChainHead] = {}  # heads locked in this transaction, as moved since

    def lock_head(self, chain: str) -> ChainHead:
        held = self._locked.get(chain)
        if held is not None:
            return held
        connection = self._session.connection()
        row = connection.execute(_LOCK_HEAD, {"b_chain": chain}).first()
        if row is None:
            self._create_head(chain)
            row = connection.execute(_LOCK_HEAD, {"b_chain": chain}).one()
        head = self._locked[chain] = ChainHead(chain=row.chain, seq=row.seq, hash=row.hash)
        return head

    def head(self, chain: str) -> ChainHead:
        held = self._locked.get(chain)
        if held is not None:
            return held
        row = self._session.scalars(select(LogbookChainRow).where(LogbookChainRow.chain == chain)).first()
        return ChainHead(chain, 0, GENESIS_HASH) if row is None else ChainHead(row.chain, row.seq, row.hash)

    def _create_head(self, chain: str) -> None:
        values = {"chain": chain, "seq": 0, "hash": GENESIS_HASH}
        dialect = self._session.get_bind().dialect.name
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert  # noqa: PLC0415

            self._session.execute(pg_insert(LogbookChainRow).values(values).on_conflict_do_nothing())
        else:
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert  # noqa: PLC0415

            self._session.execute(sqlite_insert(LogbookChainRow).values(values).on_conflict_do_nothing())

    def append(self, entry: LogbookEntry) -> None:
        self.append_many([entry])

    def encode(
        self, entries: list[LogbookEntry], json_texts: Sequence[tuple[str, str, str]] | None = None
    ) -> Any:
        dialect = self._session.get_bind().dialect
        if json_texts is None:
            return bulk_insert(_TABLE, dialect).params(_row(e) for e in entries)
        # The JSON columns as the texts the hashes were computed on: serialized once, not again here.
        bulk = bulk_insert(_TABLE, dialect, serialized=_JSON_COLUMNS)
        return bulk.params(_row(e, t) for e, t in zip(entries, json_texts, strict=True))

    def append_many(self, entries: list[LogbookEntry], encoded: Any = None) -> None:
        if not entries:
            return
        connection = self._session.connection()
        bulk = bulk_insert(_TABLE, connection.dialect)
        params = bulk.params(_row(e) for e in entries) if encoded is None else encoded
        first, last = entries[0], entries[-1]
        if connection.dialect.name == "postgresql":
            moved = _insert_and_move_pipelined(connection, bulk.sql, params, first, last)
        else:
            bulk.execute(connection, params)
            moves = {
                "b_chain": first.chain,
                "b_seq": first.seq - 1,
                "b_new_seq": last.seq,
                "b_new_hash": last.hash,
            }
            moved = connection.execute(_MOVE_HEAD, moves).rowcount
        if moved != 1:
            raise RuntimeError(f"logbook chain {first.chain} head moved while locked")
        if first.chain in self._locked:
            self._locked[first.chain] = ChainHead(first.chain, last.seq, last.hash)

    def snapshot(self) -> None:
        """Read in one REPEATABLE READ, read-only snapshot from here on (PostgreSQL's default, READ
        COMMITTED, takes a new snapshot per statement, so a chain read while a writer appends would
        look broken). SQLite's read transaction already holds one snapshot from its first read."""
        if self._session.get_bind().dialect.name == "postgresql":
            self._session.connection(
                execution_options={"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
            )

    def heads(self) -> list[ChainHead]:
        stmt = select(LogbookChainRow).order_by(LogbookChainRow.chain)
        return [ChainHead(r.chain, r.seq, r.hash) for r in self._session.scalars(stmt)]

    def chains(self) -> list[ChainHead]:
        heads = {
            r.chain: ChainHead(r.chain, r.seq, r.hash) for r in self._session.scalars(select(LogbookChainRow))
        }
        # A chain whose head row went missing still has to be verified (and fail).
        for chain in self._session.scalars(select(LogbookEntryRow.chain).distinct()):
            heads.setdefault(chain, ChainHead(chain, 0, GENESIS_HASH))
        return [heads[c] for c in sorted(heads)]

    def entries(self, chain: str, after_seq: int = 0) -> Iterator[LogbookEntry]:
        last = after_seq
        while True:
            stmt = (
                select(LogbookEntryRow.__table__)
                .where(LogbookEntryRow.chain == chain, LogbookEntryRow.seq > last)
                .order_by(LogbookEntryRow.seq)
                .limit(_FETCH)
            )
            batch = [entry_from_row(r) for r in self._session.execute(stmt)]
            yield from batch
            if len(batch) < _FETCH:
                return
            last = batch[-1].seq

    def add_checkpoint(self, checkpoint: Checkpoint) -> None:
        self._session.execute(
            insert(LogbookCheckpointRow).values(
                chain=checkpoint.chain,
                seq=checkpoint.seq,
                hash=checkpoint.hash,
                signed_at=checkpoint.signed_at,
                key_id=checkpoint.key_id,
                signature=checkpoint.signature,
            )
        )

    def latest_checkpoints(self) -> dict[str, Checkpoint]:
        latest = (
            select(LogbookCheckpointRow.chain, func.max(LogbookCheckpointRow.seq))
            .group_by(LogbookCheckpointRow.chain)
            .subquery()
        )
        stmt = select(LogbookCheckpointRow).where(
            tuple_(LogbookCheckpointRow.chain, LogbookCheckpointRow.seq).in_(select(latest))
        )
        return {r.chain: _checkpoint(r) for r in self._session.scalars(stmt)}

    def checkpoints(self, chain: str) -> list[Checkpoint]:
        stmt = (
            select(LogbookCheckpointRow)
            .where(LogbookCheckpointRow.chain == chain)
            .order_by(LogbookCheckpointRow.seq)
        )
        return [_checkpoint(r) for r in self._session.scalars(stmt)]

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
        table = LogbookEntryRow
        stmt = _scoped(select(table.__table__), scope)
        if site_id is not None:
            stmt = stmt.where(table.site_id == site_id)
        if kind_prefixes:
            stmt = stmt.where(or_(*(table.kind.startswith(p, autoescape=True) for p in kind_prefixes)))
        if since is not None:
            stmt = stmt.where(table.recorded_at >= since)
        if until is not None:
            stmt = stmt.where(table.recorded_at < until)
        if after_seq:
            stmt = stmt.where(table.seq > after_seq)
        if newest_first:
            stmt = stmt.order_by(table.recorded_at.desc(), table.chain, table.seq.desc())
        else:
            stmt = stmt.order_by(table.chain, table.seq)
        if limit is not None:
            stmt = stmt.limit(limit)
        for row in self._session.execute(stmt.execution_options(yield_per=_FETCH)):
            yield entry_from_row(row)
