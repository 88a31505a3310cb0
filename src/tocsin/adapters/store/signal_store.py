"""Signals in SQL: one bulk ``INSERT … ON CONFLICT DO NOTHING`` per batch, and the queue of signals the
processor has still to take (``processed_at IS NULL``, oldest first).

A row that clashes on its id (a journal replay) or on its ``retransmission_key`` (another copy of the same
message, stored by this process, another process or another node) is skipped: the conflict has no
target, so both unique constraints are honoured by the one statement."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import fields
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, cast
from uuid import UUID

from sqlalchemy import Connection, Dialect, Select, Table, func, or_, select, update
from sqlalchemy.orm import Session

from tocsin.adapters.store.bulk import ANY_CONFLICT, bulk_insert
from tocsin.adapters.store.rows import SignalRow, SiteRow
from tocsin.domain.scope import Scope
from tocsin.domain.signals import PendingSignal, Signal

_TABLE = cast(Table, SignalRow.__table__)
_COLUMNS = [c.name for c in _TABLE.columns if c.name not in ("processed_at", "retransmission_key")]
_WORK = [_TABLE.c[f.name] for f in fields(PendingSignal)]


def _values(signal: Signal) -> dict[str, Any]:
    values = {name: getattr(signal, name) for name in _COLUMNS}
    values["events"] = [e.to_json() for e in signal.events]
    values["retransmission_key"] = signal.stored_once_key()
    values["processed_at"] = None
    return values


def _signal(row: Any) -> Signal:
    values = dict(zip(_COLUMNS, row, strict=True))
    values["events"] = tuple(values["events"] or ())
    return Signal(**values)


# On SQLite the processor's rows are decoded here, as SQLAlchemy's column types would decode them (UUIDs
# stored as 32 hex digits, UTC times as naive ISO text, JSON as text), without their per-value machinery,
# which cost more than the query: the signal's id parsed, tenant and site ids (few, recurring) cached.
_SQLITE_WORK = (  # the columns of PendingSignal, in its order; the query _pending makes, on ix_signal_pending
    "SELECT id, tenant_id, site_id, occurred_at, listener, account_number, problem, events, received_at,"
    " account_id FROM signal "
    "WHERE processed_at IS NULL ORDER BY received_at, id LIMIT ?"
)


@lru_cache(maxsize=4096)  # tenants and sites recur from signal to signal; bounded all the same
def _known_uuid(text: str) -> UUID:
    return UUID(text)


def _sqlite_work(rows: Sequence[Any]) -> list[PendingSignal]:
    return [
        PendingSignal(
            UUID(id_),
            None if tenant is None else _known_uuid(tenant),
            None if site is None else _known_uuid(site),
            None if occurred is None else datetime.fromisoformat(occurred).replace(tzinfo=UTC),
            listener,
            account,
            problem,
            () if events is None else tuple(json.loads(events) or ()),
            None if received is None else datetime.fromisoformat(received).replace(tzinfo=UTC),
            None if account_id is None else _known_uuid(account_id),
        )
        for id_, tenant, site, occurred, listener, account, problem, events, received, account_id in rows
    ]


def _binder(column: str, dialect: Dialect) -> Callable[[Any], Any]:
    found = _TABLE.c[column].type.dialect_impl(dialect).bind_processor(dialect)
    return (lambda value: value) if found is None else found


def _sqlite_mark(connection: Connection, ids: list[UUID], at: datetime) -> int:
    """The worker marks a batch per transaction, holding SQLite's one write lock: the UPDATE is sent as
    it is, ids and time bound by the columns' own processors, without building a statement each time."""
    bind_id, bind_at = _binder("id", connection.dialect), _binder("processed_at", connection.dialect)
    places = ",".join("?" * len(ids))
    sql = f"UPDATE signal SET processed_at = ? WHERE processed_at IS NULL AND id IN ({places})"  # noqa: S608
    return max(int(connection.exec_driver_sql(sql, (bind_at(at), *map(bind_id, ids))).rowcount), 0)


def _pending(*columns: Any) -> Select[Any]:
    """Pending signals, oldest first; on PostgreSQL two processors never take the same one."""
    return (
        select(*columns)
        .where(SignalRow.processed_at.is_(None))
        .order_by(SignalRow.received_at, SignalRow.id)
        .with_for_update(skip_locked=True)
    )


class SqlSignalStore:
    """Signals over one session."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def insert_many(self, signals: Sequence[Signal]) -> int:
        if not signals:
            return 0
        connection = self._session.connection()
        insert = bulk_insert(_TABLE, connection.dialect, skip_conflicts_on=ANY_CONFLICT)
        return insert.run(connection, (_values(s) for s in signals))

    def pending(self, limit: int) -> list[Signal]:
        statement = _pending(*(_TABLE.c[name] for name in _COLUMNS)).limit(limit)
        # Through the connection: a Core statement needs none of the ORM's result machinery.
        return [_signal(r) for r in self._session.connection().execute(statement)]

    def pending_work(self, limit: int) -> list[PendingSignal]:
        # The processor's columns alone: the raw frame and the routing fields are neither read nor decoded.
        connection = self._session.connection()
        if connection.dialect.name == "sqlite":
            return _sqlite_work(connection.exec_driver_sql(_SQLITE_WORK, (limit,)).fetchall())
        rows = connection.execute(_pending(*_WORK).limit(limit))
        return [
            PendingSignal(
                id_,
                tenant,
                site,
                occurred,
                listener,
                account,
                problem,
                tuple(events or ()),
                received,
                account_id,
            )
            for id_, tenant, site, occurred, listener, account, problem, events, received, account_id in rows
        ]

    def pending_ids(self, limit: int) -> list[UUID]:
        return list(self._session.connection().scalars(_pending(_TABLE.c.id).limit(limit)))

    def backlog(self, limit: int) -> tuple[int, datetime | None]:
        waiting = (
            select(SignalRow.received_at)
            .where(SignalRow.processed_at.is_(None))
            .order_by(SignalRow.received_at, SignalRow.id)
            .limit(limit)
            .subquery()
        )
        count, oldest = (
            self._session.connection().execute(select(func.count(), func.min(waiting.c.received_at))).one()
        )
        return int(count), oldest

    def pending_by_id(self, ids: Sequence[UUID]) -> list[Signal]:
        statement = _pending(*(_TABLE.c[name] for name in _COLUMNS)).where(_TABLE.c.id.in_(list(ids)))
        return [_signal(r) for r in self._session.connection().execute(statement)]

    def mark_processed(self, ids: Sequence[UUID], at: datetime) -> int:
        connection = self._session.connection()
        marked = 0
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            if connection.dialect.name == "sqlite":
                marked += _sqlite_mark(connection, chunk, at)
                continue
            result = connection.execute(
                update(_TABLE)
                .where(_TABLE.c.id.in_(chunk), _TABLE.c.processed_at.is_(None))
                .values(processed_at=at)
            )
            marked += int(result.rowcount)
        return marked

    def find(
        self,
        scope: Scope,
        *,
        account_number: str | None = None,
        since: datetime | None = None,
        limit: int = 100,
    ) -> list[Signal]:
        statement = select(*(_TABLE.c[name] for name in _COLUMNS))
        if not scope.all_tenants:
            statement = statement.where(SignalRow.tenant_id == scope.tenant_id)
            if not scope.whole_tenant:
                of_clients = select(SiteRow.id).where(SiteRow.client_id.in_(list(scope.client_ids or ())))
                granted = list(scope.site_ids or ())
                statement = statement.where(
                    or_(SignalRow.site_id.in_(of_clients), SignalRow.site_id.in_(granted))
                )
        if account_number is not None:
            statement = statement.where(SignalRow.account_number == account_number.upper())
        if since is not None:
            statement = statement.where(SignalRow.received_at >= since)
        statement = statement.order_by(SignalRow.received_at.desc(), SignalRow.id.desc()).limit(limit)
        return [_signal(r) for r in self._session.execute(statement)]
