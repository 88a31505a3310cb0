"""Signals in SQL: one multi-row ``INSERT … ON CONFLICT (id) DO NOTHING`` per batch (SQLAlchemy Core)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast
from uuid import UUID

from sqlalchemy import Table, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from tocsin.adapters.store.rows import SignalRow, SiteRow
from tocsin.domain.scope import Scope
from tocsin.domain.signals import Signal

_COLUMNS = [c.name for c in SignalRow.__table__.columns]


def _values(signal: Signal) -> dict[str, Any]:
    values = {name: getattr(signal, name) for name in _COLUMNS}
    values["events"] = [dict(e) for e in signal.events]
    return values


def _signal(row: Any) -> Signal:
    values = {name: getattr(row, name) for name in _COLUMNS}
    values["events"] = tuple(row.events or ())
    return Signal(**values)


class SqlSignalStore:
    """Signals over one session."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def insert_many(self, signals: Sequence[Signal]) -> set[UUID]:
        if not signals:
            return set()
        dialect = self._session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        table = cast(Table, SignalRow.__table__)
        statement = insert(table).on_conflict_do_nothing(index_elements=["id"]).returning(table.c.id)
        # executemany with RETURNING: SQLAlchemy batches it as "insertmanyvalues", compiled once
        rows = self._session.connection().execute(statement, [_values(s) for s in signals])
        return {row[0] for row in rows}

    def find(
        self,
        scope: Scope,
        *,
        account_number: str | None = None,
        since: datetime | None = None,
        limit: int = 100,
    ) -> list[Signal]:
        statement = select(SignalRow.__table__)
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
