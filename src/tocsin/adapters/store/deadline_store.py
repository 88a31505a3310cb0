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

from sqlalchemy import Table, bindparam, delete, func, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from tocsin.adapters.store.rows import DeadlineRow
from tocsin.domain.deadlines import Deadline

_TABLE = cast(Table, DeadlineRow.__table__)
_COLUMNS = ("id", "kind", "key", "tenant_id", "due_at", "payload", "fired_at")


def _upsert(make: Any) -> Any:
    statement = make(_TABLE).values({name: bindparam(name, type_=_TABLE.c[name].type) for name in _COLUMNS})
    return statement.on_conflict_do_update(
        index_elements=[_TABLE.c.kind, _TABLE.c.key],
        index_where=_TABLE.c.fired_at.is_(None),
        set_={"due_at": statement.excluded.due_at, "payload": statement.excluded.payload},
    ).returning(*_TABLE.c)


# Built once (Core, bound values): arming, cancelling and listing run on most writes of the room.
_ARM = {"postgresql": _upsert(pg_insert), "sqlite": _upsert(sqlite_insert)}
_CANCEL = delete(_TABLE).where(
    _TABLE.c.kind == bindparam("b_kind"), _TABLE.c.key == bindparam("b_key"), _TABLE.c.fired_at.is_(None)
)
_PENDING = select(_TABLE).where(_TABLE.c.fired_at.is_(None)).order_by(_TABLE.c.due_at)
_PENDING_OF_KIND = (
    select(_TABLE)
    .where(_TABLE.c.fired_at.is_(None), _TABLE.c.kind == bindparam("b_kind"))
    .order_by(_TABLE.c.due_at)
)


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
        connection = self._session.connection()
        values = {
            "id": deadline.id,
            "kind": deadline.kind,
            "key": deadline.key,
            "tenant_id": deadline.tenant_id,
            "due_at": deadline.due_at,
            "payload": dict(deadline.payload),
            "fired_at": None,
        }
        row = connection.execute(_ARM[connection.dialect.name], values).one()
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
        result = self._session.connection().execute(_CANCEL, {"b_kind": kind, "b_key": key})
        return bool(result.rowcount)

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
        connection = self._session.connection()
        rows = (
            connection.execute(_PENDING)
            if kind is None
            else connection.execute(_PENDING_OF_KIND, {"b_kind": kind})
        )
        return [_deadline(r) for r in rows]
