"""Deadlines in SQL. Claiming marks a deadline fired inside the caller's transaction; on PostgreSQL
``FOR UPDATE SKIP LOCKED`` lets several nodes share the work without firing one deadline twice.

Arming is one statement, ``INSERT … ON CONFLICT (kind, key) WHERE fired_at IS NULL DO UPDATE``, on
the unique index of pending deadlines: the pending one of the key is moved (keeping its id), else a new
one is stored; the database locks the row as the former ``SELECT … FOR UPDATE`` did."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, cast
from uuid import UUID

from sqlalchemy import Table, delete, func, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from tocsin.adapters.store.rows import DeadlineRow
from tocsin.domain.deadlines import Deadline

_TABLE = cast(Table, DeadlineRow.__table__)


def _deadline(row: Any) -> Deadline:
    return Deadline(
        id=row.id,
        kind=row.kind,
        key=row.key,
        due_at=row.due_at,
        tenant_id=row.tenant_id,
        payload=dict(row.payload),
        fired_at=row.fired_at,
    )


class SqlDeadlineStore:
    """Deadline storage over one session."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def arm(self, deadline: Deadline) -> Deadline:
        make = pg_insert if self._session.get_bind().dialect.name == "postgresql" else sqlite_insert
        values = {
            "id": deadline.id,
            "kind": deadline.kind,
            "key": deadline.key,
            "tenant_id": deadline.tenant_id,
            "due_at": deadline.due_at,
            "payload": dict(deadline.payload),
            "fired_at": None,
        }
        statement = make(_TABLE).values(values)
        upsert = statement.on_conflict_do_update(
            index_elements=[_TABLE.c.kind, _TABLE.c.key],
            index_where=_TABLE.c.fired_at.is_(None),
            set_={"due_at": statement.excluded.due_at, "payload": statement.excluded.payload},
        )
        row = self._session.execute(upsert.returning(*_TABLE.c)).one()
        return _deadline(row)

    def add_new(self, deadlines: Sequence[Deadline]) -> None:
        if not deadlines:
            return
        rows = [
            {
                "id": d.id,
                "kind": d.kind,
                "key": d.key,
                "tenant_id": d.tenant_id,
                "due_at": d.due_at,
                "payload": dict(d.payload),
                "fired_at": None,
            }
            for d in deadlines
        ]
        self._session.execute(insert(DeadlineRow), rows)

    def cancel(self, kind: str, key: str) -> bool:
        result = self._session.execute(
            delete(DeadlineRow).where(
                DeadlineRow.kind == kind, DeadlineRow.key == key, DeadlineRow.fired_at.is_(None)
            )
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def claim_due(self, now: datetime, limit: int, exclude: frozenset[UUID] = frozenset()) -> list[Deadline]:
        stmt = (
            select(DeadlineRow)
            .where(DeadlineRow.fired_at.is_(None), DeadlineRow.due_at <= now)
            .where(DeadlineRow.id.not_in(list(exclude)))
            .order_by(DeadlineRow.due_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        rows = list(self._session.scalars(stmt))
        for row in rows:
            row.fired_at = now
        self._session.flush()
        return [_deadline(r) for r in rows]

    def next_due(self) -> datetime | None:
        stmt = select(func.min(DeadlineRow.due_at)).where(DeadlineRow.fired_at.is_(None))
        value: datetime | None = self._session.scalar(stmt)
        if value is not None and value.tzinfo is None:  # an aggregate may come back untyped
            value = value.replace(tzinfo=UTC)
        return value

    def pending(self, kind: str | None = None) -> list[Deadline]:
        stmt = select(DeadlineRow).where(DeadlineRow.fired_at.is_(None)).order_by(DeadlineRow.due_at)
        if kind is not None:
            stmt = stmt.where(DeadlineRow.kind == kind)
        return [_deadline(r) for r in self._session.scalars(stmt)]
