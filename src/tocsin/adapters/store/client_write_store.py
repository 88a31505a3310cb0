"""The SQL store of client-keyed writes: a claim is an insert that skips an existing key."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from tocsin.adapters.store.degraded_rows import ClientWriteRow


class SqlClientWrites:
    """Claims as ``INSERT … ON CONFLICT DO NOTHING``: on PostgreSQL a concurrent claim of the same key
    waits for the first transaction and then finds the key taken, so two replays write one note."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def claim(self, tenant_id: UUID, key: UUID, kind: str, subject: str, at: datetime) -> bool:
        dialect = self._session.get_bind().dialect.name
        make: Any = pg_insert if dialect == "postgresql" else sqlite_insert
        table = ClientWriteRow.__table__
        statement = (
            make(table)
            .values(tenant_id=tenant_id, client_key=key, kind=kind, subject=subject[:64], written_at=at)
            .on_conflict_do_nothing()
            .returning(table.c.client_key)  # a row back: this claim is the first
        )
        return self._session.connection().execute(statement).first() is not None
