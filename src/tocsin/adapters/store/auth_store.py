"""Sessions, API tokens and login throttles in SQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import bindparam, delete, select, update
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


def _labelled(table: Any, prefix: str) -> list[Any]:
    return [c.label(prefix + c.name) for c in table.columns]


class _Prefixed:
    """One table's columns of a joined row, by their own names (the row labels them ``prefix`` + name)."""

    __slots__ = ("_prefix", "_values")

    def __init__(self, values: Any, prefix: str) -> None:
        self._values = values
        self._prefix = prefix

    def __getattr__(self, name: str) -> Any:
        return self._values[self._prefix + name]


# Read on every request (who is asking): built once, Core rows, bound values.
_SESSION_AND_USER = (
    select(*_labelled(AuthSessionRow.__table__, "s_"), *_labelled(UserRow.__table__, "u_"))
    .join_from(AuthSessionRow.__table__, UserRow.__table__, UserRow.id == AuthSessionRow.user_id)
    .where(AuthSessionRow.token_hash == bindparam("b_hash"))
)
_GRANTS_AND_ROLES = (
    select(*_labelled(GrantRow.__table__, "g_"), *_labelled(RoleRow.__table__, "r_"))
    .join_from(GrantRow.__table__, RoleRow.__table__, RoleRow.id == GrantRow.role_id)
    .where(GrantRow.user_id == bindparam("b_user"))
    .order_by(GrantRow.id)
)


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
        found = self._session.connection().execute(_SESSION_AND_USER, {"b_hash": token_hash}).first()
        if found is None:
            return None
        values = found._mapping
        return to_domain(AuthSession, _Prefixed(values, "s_")), to_domain(User, _Prefixed(values, "u_"))

    def grants_and_roles(self, user_id: UUID) -> list[tuple[Grant, Role]]:
        rows = self._session.connection().execute(_GRANTS_AND_ROLES, {"b_user": user_id})
        return [
            (to_domain(Grant, _Prefixed(r._mapping, "g_")), to_domain(Role, _Prefixed(r._mapping, "r_")))
            for r in rows
        ]

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
