"""The in-memory twin of :class:`tocsin.adapters.store.verification_store.SqlVerificationStore`; its
records live in :class:`tocsin.testing.alarm_store.AlarmTables`, copied with the alarms."""

from __future__ import annotations

from uuid import UUID

from tocsin.domain.verification import AuthorityRequest, Dispatch, Verification
from tocsin.testing.alarm_store import AlarmTables


class InMemoryVerificationStore:
    """Verification records in lists per alarm."""

    def __init__(self, tables: AlarmTables) -> None:
        self._t = tables

    def add_verification(self, verification: Verification) -> None:
        self._t.verifications.setdefault(verification.alarm_id, []).append(verification)

    def verifications(self, alarm_id: UUID) -> list[Verification]:
        return sorted(self._t.verifications.get(alarm_id, []), key=lambda x: (x.at, x.id))

    def add_dispatch(self, dispatch: Dispatch) -> None:
        self._t.dispatches.setdefault(dispatch.alarm_id, []).append(dispatch)

    def save_dispatch(self, dispatch: Dispatch) -> None:
        kept = self._t.dispatches.get(dispatch.alarm_id, [])
        self._t.dispatches[dispatch.alarm_id] = [dispatch if x.id == dispatch.id else x for x in kept]

    def dispatches(self, alarm_id: UUID) -> list[Dispatch]:
        return sorted(self._t.dispatches.get(alarm_id, []), key=lambda x: (x.dispatched_at, x.id))

    def add_request(self, request: AuthorityRequest) -> None:
        self._t.requests.setdefault(request.alarm_id, []).append(request)

    def requests(self, alarm_id: UUID) -> list[AuthorityRequest]:
        return sorted(self._t.requests.get(alarm_id, []), key=lambda x: (x.at, x.id))
