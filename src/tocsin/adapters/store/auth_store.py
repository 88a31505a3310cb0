"""Sessions, API tokens and login throttles in SQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from tocsin.adapters.store.auth_rows import (
    ApiTokenRow,
    AuthSessionRow,
    GrantRow,
    LoginThrottleRow,
    RoleRow,
    UserRow,
)
from tocsin.adapters.store.mapping import row_values, to_domain
from tocsin.domain.users import ApiToken, AuthSession, Grant, LoginThrottle, Role, User

T = TypeVar("T")


class SqlAuthStore:
    """Security records over one session."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def _one(self, entity: type[T], row: type[Any], *where: Any) -> T | None:
        found = self._session.scalars(select(row).where(*where)).first()
        return None if found is None else to_domain(entity, found)

    def add_session(self, session: AuthSession) -> None:
        self._session.add(AuthSessionRow(**row_values(session)))
        self._session.flush()

    def session_by_token_hash(self, token_hash: str) -> AuthSession | None:
        return self._one(AuthSession, AuthSessionRow, AuthSessionRow.token_hash == token_hash)

    def session_and_user(self, token_hash: str) -> tuple[AuthSession, User] | None:
        statement = (
            select(AuthSessionRow, UserRow)
            .join(UserRow, UserRow.id == AuthSessionRow.user_id)
            .where(AuthSessionRow.token_hash == token_hash)
        )
        found = self._session.execute(statement).first()
        return None if found is None else (to_domain(AuthSession, found[0]), to_domain(User, found[1]))

    def grants_and_roles(self, user_id: UUID) -> list[tuple[Grant, Role]]:
        statement = (
            select(GrantRow, RoleRow)
            .join(RoleRow, RoleRow.id == GrantRow.role_id)
            .where(GrantRow.user_id == user_id)
            .order_by(GrantRow.id)
        )
        return [(to_domain(Grant, g), to_domain(Role, r)) for g, r in self._session.execute(statement)]

    def touch_session(self, session_id: UUID, at: datetime) -> None:
        self._session.execute(
            update(AuthSessionRow).where(AuthSessionRow.id == session_id).values(last_seen_at=at)
        )

    def revoke_session(self, session_id: UUID, at: datetime) -> None:
        self._session.execute(
            update(AuthSessionRow)
            .where(AuthSessionRow.id == session_id, AuthSessionRow.revoked_at.is_(None))
            .values(revoked_at=at)
        )

    def add_token(self, token: ApiToken) -> None:
        self._session.add(ApiTokenRow(**row_values(token)))
        self._session.flush()

    def token_by_hash(self, token_hash: str) -> ApiToken | None:
        return self._one(ApiToken, ApiTokenRow, ApiTokenRow.token_hash == token_hash)

    def throttle(self, key: str) -> LoginThrottle | None:
        return self._one(LoginThrottle, LoginThrottleRow, LoginThrottleRow.key == key)

    def put_throttle(self, throttle: LoginThrottle) -> None:
        self._session.merge(LoginThrottleRow(**row_values(throttle)))
        self._session.flush()

    def clear_throttle(self, key: str) -> None:
        self._session.execute(delete(LoginThrottleRow).where(LoginThrottleRow.key == key))

    def tokens_of(self, user_id: UUID) -> list[ApiToken]:
        rows = self._session.scalars(
            select(ApiTokenRow).where(ApiTokenRow.user_id == user_id).order_by(ApiTokenRow.id)
        )
        return [to_domain(ApiToken, r) for r in rows]

    def revoke_token(self, token_id: UUID, at: datetime) -> None:
        self._session.execute(
            update(ApiTokenRow)
            .where(ApiTokenRow.id == token_id, ApiTokenRow.revoked_at.is_(None))
            .values(revoked_at=at)
        )

    def revoke_sessions_of(self, user_id: UUID, at: datetime) -> int:
        result = self._session.execute(
            update(AuthSessionRow)
            .where(AuthSessionRow.user_id == user_id, AuthSessionRow.revoked_at.is_(None))
            .values(revoked_at=at)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]
