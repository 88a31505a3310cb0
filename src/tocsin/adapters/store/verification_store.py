"""The SQL store of an alarm's levée de doute: verification results, dispatches, requests for help.

Records are read by their alarm's id once the alarm was read in the caller's scope (see
:class:`tocsin.services.ports.VerificationStore`).
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar, cast
from uuid import UUID

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from tocsin.adapters.store.rows import AlarmDispatchRow, AlarmRequestRow, AlarmVerificationRow
from tocsin.domain.verification import AuthorityRequest, Dispatch, Verification

R = TypeVar("R")
_VERIFICATION = cast(Table, AlarmVerificationRow.__table__)
_DISPATCH = cast(Table, AlarmDispatchRow.__table__)
_REQUEST = cast(Table, AlarmRequestRow.__table__)


def _fields(kind: type[Any]) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind))


class SqlVerificationStore:
    """Verification records in the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def _insert(self, table: Table, record: Any) -> None:
        values = {name: getattr(record, name) for name in _fields(type(record))}
        self._session.connection().execute(insert(table).values(**values))

    def _of_alarm(self, table: Table, kind: type[R], alarm_id: UUID, when: str) -> list[R]:
        names = _fields(kind)
        statement = (
            select(*(table.c[n] for n in names))
            .where(table.c.alarm_id == alarm_id)
            .order_by(table.c[when], table.c.id)
        )
        return [kind(*row) for row in self._session.connection().execute(statement)]

    def add_verification(self, verification: Verification) -> None:
        self._insert(_VERIFICATION, verification)

    def verifications(self, alarm_id: UUID) -> list[Verification]:
        return self._of_alarm(_VERIFICATION, Verification, alarm_id, "at")

    def add_dispatch(self, dispatch: Dispatch) -> None:
        self._insert(_DISPATCH, dispatch)

    def save_dispatch(self, dispatch: Dispatch) -> None:
        values = {n: getattr(dispatch, n) for n in _fields(Dispatch) if n != "id"}
        self._session.connection().execute(
            update(_DISPATCH).where(_DISPATCH.c.id == dispatch.id).values(**values)
        )

    def dispatches(self, alarm_id: UUID) -> list[Dispatch]:
        return self._of_alarm(_DISPATCH, Dispatch, alarm_id, "dispatched_at")

    def add_request(self, request: AuthorityRequest) -> None:
        self._insert(_REQUEST, request)

    def requests(self, alarm_id: UUID) -> list[AuthorityRequest]:
        return self._of_alarm(_REQUEST, AuthorityRequest, alarm_id, "at")
