"""The in-memory twin of the SQL security records: sessions, API tokens, login throttles."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any
from uuid import UUID

from tocsin.domain.errors import Conflict
from tocsin.domain.users import ApiToken, AuthSession, Grant, LoginThrottle, Role, User


@dataclasses.dataclass
class AuthTables:
    """The dicts an in-memory auth store works on; copied per transaction."""

    sessions: dict[UUID, AuthSession] = dataclasses.field(default_factory=dict)
    tokens: dict[UUID, ApiToken] = dataclasses.field(default_factory=dict)
    throttles: dict[str, LoginThrottle] = dataclasses.field(default_factory=dict)

    def copy(self) -> AuthTables:
        """Copies of the dicts (the records are frozen)."""
        return AuthTables(dict(self.sessions), dict(self.tokens), dict(self.throttles))


class InMemoryAuthStore:
    """Security records over one snapshot."""

    def __init__(self, tables: AuthTables, records: dict[str, dict[UUID, Any]] | None = None) -> None:
        self._t = tables
        self._records = records or {}  # the users, grants and roles of the same snapshot

    def add_session(self, session: AuthSession) -> None:
        if any(s.token_hash == session.token_hash for s in self._t.sessions.values()):
            raise Conflict("A session with this token already exists.")
        self._t.sessions[session.id] = session

    def session_by_token_hash(self, token_hash: str) -> AuthSession | None:
        return next((s for s in self._t.sessions.values() if s.token_hash == token_hash), None)

    def session_and_user(self, token_hash: str) -> tuple[AuthSession, User] | None:
        session = self.session_by_token_hash(token_hash)
        user = None if session is None else self._records.get("users", {}).get(session.user_id)
        return None if session is None or user is None else (session, user)

    def grants_and_roles(self, user_id: UUID) -> list[tuple[Grant, Role]]:
        roles = self._records.get("roles", {})
        grants = sorted(
            (g for g in self._records.get("grants", {}).values() if g.user_id == user_id), key=lambda g: g.id
        )
        return [(g, roles[g.role_id]) for g in grants if g.role_id in roles]

    def touch_session(self, session_id: UUID, at: datetime) -> None:
        if session_id in self._t.sessions:
            self._t.sessions[session_id] = dataclasses.replace(self._t.sessions[session_id], last_seen_at=at)

    def revoke_session(self, session_id: UUID, at: datetime) -> None:
        found = self._t.sessions.get(session_id)
        if found is not None and found.revoked_at is None:
            self._t.sessions[session_id] = dataclasses.replace(found, revoked_at=at)

    def add_token(self, token: ApiToken) -> None:
        self._t.tokens[token.id] = token

    def token_by_hash(self, token_hash: str) -> ApiToken | None:
        return next((t for t in self._t.tokens.values() if t.token_hash == token_hash), None)

    def throttle(self, key: str) -> LoginThrottle | None:
        return self._t.throttles.get(key)

    def put_throttle(self, throttle: LoginThrottle) -> None:
        self._t.throttles[throttle.key] = throttle

    def clear_throttle(self, key: str) -> None:
        self._t.throttles.pop(key, None)

    def tokens_of(self, user_id: UUID) -> list[ApiToken]:
        return sorted((t for t in self._t.tokens.values() if t.user_id == user_id), key=lambda t: t.id)

    def revoke_token(self, token_id: UUID, at: datetime) -> None:
        found = self._t.tokens.get(token_id)
        if found is not None and found.revoked_at is None:
            self._t.tokens[token_id] = dataclasses.replace(found, revoked_at=at)

    def revoke_sessions_of(self, user_id: UUID, at: datetime) -> int:
        open_ = [s for s in self._t.sessions.values() if s.user_id == user_id and s.revoked_at is None]
        for found in open_:
            self._t.sessions[found.id] = dataclasses.replace(found, revoked_at=at)
        return len(open_)
