"""Logging in and out, sessions, API tokens, throttling and CSRF: who is asking, and may they.

Failed logins are throttled per source address and per user name from that address, with delays that
grow with each failure and fall away after a quiet while. There is no lock-out: an outsider failing from
another address never delays the operator on duty.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from tocsin.domain.errors import NotFound
from tocsin.domain.events import LoginFailed, SecurityRefusal, UserLoggedIn, UserLoggedOut
from tocsin.domain.scope import Scope
from tocsin.domain.users import (
    ApiToken,
    AuthenticationFailed,
    AuthSession,
    CsrfRejected,
    LoginThrottle,
    Principal,
    SessionExpired,
    Throttled,
    User,
)
from tocsin.services.ports import Clock, SecretHasher
from tocsin.services.unit_of_work import Store, UnitOfWork

SESSION_IDLE = timedelta(hours=12)  # one shift without a click
SESSION_MAX = timedelta(hours=14)  # a shift and its handover
TOUCH_EVERY = timedelta(minutes=1)
FREE_FAILURES = {"addr": 10, "user": 3}  # failures allowed before delays start
MAX_DELAY = timedelta(seconds=60)
FORGET_AFTER = timedelta(minutes=15)


def token_hash(token: str) -> str:
    """What the store keeps of a secret token."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class LoginResult:
    """A successful login: the cookie's token (shown once) and who logged in."""

    token: str
    principal: Principal


def _throttle_keys(username: str, source: str) -> list[tuple[str, str]]:
    return [("addr", f"addr:{source}"), ("user", f"user:{username[:64]}@{source}")]


def _delay(kind: str, failures: int) -> timedelta:
    over = failures - FREE_FAILURES[kind]
    return timedelta(0) if over < 0 else min(timedelta(seconds=2**over), MAX_DELAY)


def _check_throttle(uow: UnitOfWork, username: str, source: str, now: datetime) -> int:
    """Seconds to wait before this attempt may be checked, 0 when it may."""
    wait = timedelta(0)
    for _, key in _throttle_keys(username, source):
        found = uow.auth.throttle(key)
        if found is not None and found.next_allowed_at > now:
            wait = max(wait, found.next_allowed_at - now)
    return int(wait.total_seconds() + 0.999)


def _record_failure(uow: UnitOfWork, username: str, source: str, now: datetime) -> None:
    for kind, key in _throttle_keys(username, source):
        found = uow.auth.throttle(key)
        failures = 1
        if found is not None and now - found.last_failure_at < FORGET_AFTER:
            failures = found.failures + 1
        uow.auth.put_throttle(LoginThrottle(key, failures, now, now + _delay(kind, failures)))


class Authenticator:
    """The login, session and token use cases."""

    def __init__(self, store: Store, clock: Clock, hasher: SecretHasher) -> None:
        self._store = store
        self._clock = clock
        self._hasher = hasher

    # ------------------------------------------------------------ logging in and out

    def login(self, username: str, password: str, source: str) -> LoginResult:
        """Check a password; on success open a session. Raises AuthenticationFailed or Throttled."""
        username = username.strip().lower()[:64]
        system = Scope.system()
        wait = self._store.read(lambda uow: _check_throttle(uow, username, source, self._clock.now()), system)
        if wait:
            self._fail(username, source, "throttled", None)
            raise Throttled(f"Too many failed attempts from here: wait {wait} s and try again.", wait)
        users = self._store.read(lambda uow: uow.users.find(username=username), system)
        user = users[0] if users else None
        password_ok = user is not None and self._hasher.verify(user.password_hash, password)
        if user is None or not user.active or not password_ok:
            reason = "unknown user" if user is None else "disabled" if not user.active else "bad password"
            self._fail(username, source, reason, user)
            raise AuthenticationFailed("Wrong user name or password.")
        return self._store.write(lambda uow: self._open_session(uow, user, source), system)

    def _fail(self, username: str, source: str, reason: str, user: User | None) -> None:
        def record(uow: UnitOfWork) -> None:
            if reason != "throttled":
                _record_failure(uow, username, source, self._clock.now())
            tenant = None if user is None else user.tenant_id
            uow.record(LoginFailed(tenant_id=tenant, username=username, source=source, reason=reason), "auth")

        self._store.write(record, Scope.system())

    def _open_session(self, uow: UnitOfWork, user: User, source: str) -> LoginResult:
        now = self._clock.now()
        for _, key in _throttle_keys(user.username, source):
            uow.auth.clear_throttle(key)
        token = secrets.token_urlsafe(32)
        session = AuthSession(
            id=self._clock.new_id(),
            user_id=user.id,
            tenant_id=user.tenant_id,
            token_hash=token_hash(token),
            csrf_token=secrets.token_urlsafe(24),
            created_at=now,
            last_seen_at=now,
            source=source[:64],
        )
        uow.auth.add_session(session)
        uow.record(
            UserLoggedIn(tenant_id=user.tenant_id, user_id=user.id, username=user.username, source=source),
            f"user:{user.username}",
        )
        return LoginResult(token, load_principal(uow, user, session))

    def logout(self, principal: Principal) -> None:
        """End the principal's session."""

        def close(uow: UnitOfWork) -> None:
            if principal.session_id is not None:
                uow.auth.revoke_session(principal.session_id, self._clock.now())
            uow.record(
                UserLoggedOut(
                    tenant_id=principal.tenant_id, user_id=principal.user_id, username=principal.username
                ),
                principal.actor,
            )

        self._store.write(close, Scope.system())

    # ------------------------------------------------------------ who is asking

    def from_session(self, token: str, source: str) -> Principal:
        """The principal of a session cookie; raises SessionExpired when it is over or unknown."""
        now = self._clock.now()
        found = self._store.read(lambda uow: self._session_and_user(uow, token), Scope.system())
        if found is None:
            raise SessionExpired("Your session is over: log in again.")
        session, user = found
        over = session.revoked_at is not None or not user.active
        over = over or now - session.last_seen_at > SESSION_IDLE or now - session.created_at > SESSION_MAX
        if over:
            if session.revoked_at is None:
                self._expire(session, user, source)
            raise SessionExpired("Your session is over: log in again.")
        if now - session.last_seen_at > TOUCH_EVERY:
            self._store.write(lambda uow: uow.auth.touch_session(session.id, now), Scope.system())
        return self._store.read(lambda uow: load_principal(uow, user, session), Scope.system())

    def _session_and_user(self, uow: UnitOfWork, token: str) -> tuple[AuthSession, User] | None:
        session = uow.auth.session_by_token_hash(token_hash(token))
        user = None if session is None else uow.users.get(session.user_id)
        return None if session is None or user is None else (session, user)

    def _expire(self, session: AuthSession, user: User, source: str) -> None:
        def expire(uow: UnitOfWork) -> None:
            uow.auth.revoke_session(session.id, self._clock.now())
            uow.record(
                SecurityRefusal(
                    tenant_id=user.tenant_id,
                    username=user.username,
                    source=source,
                    reason="session expired",
                    target="session",
                ),
                "auth",
            )

        self._store.write(expire, Scope.system())

    def from_token(self, token: str) -> Principal:
        """The principal of an API bearer token."""
        now = self._clock.now()

        def load(uow: UnitOfWork) -> Principal | None:
            found = uow.auth.token_by_hash(token_hash(token))
            if found is None or found.revoked_at is not None:
                return None
            if found.expires_at is not None and found.expires_at <= now:
                return None
            user = uow.users.get(found.user_id)
            return None if user is None or not user.active else load_principal(uow, user, None)

        principal = self._store.read(load, Scope.system())
        if principal is None:
            raise SessionExpired("This API token is unknown, revoked or expired.")
        return principal

    def create_token(self, username: str, name: str, valid_for: timedelta | None) -> str:
        """A new API token for a user, returned once."""
        token = secrets.token_urlsafe(32)

        def create(uow: UnitOfWork) -> None:
            users = uow.users.find(username=username.strip().lower())
            if not users:
                raise NotFound(f"No user {username!r}: create it with `tocsin user add`.")
            now = self._clock.now()
            uow.auth.add_token(
                ApiToken(
                    id=self._clock.new_id(),
                    user_id=users[0].id,
                    tenant_id=users[0].tenant_id,
                    name=name,
                    token_hash=token_hash(token),
                    created_at=now,
                    expires_at=None if valid_for is None else now + valid_for,
                )
            )

        self._store.write(create, Scope.system())
        return token

    def check_csrf(self, principal: Principal, presented: str | None, source: str, target: str) -> None:
        """Refuse (and record) a cookie-authenticated change that lacks the session's CSRF token."""
        expected = principal.csrf_token
        if expected is None:  # bearer tokens carry no cookie, so no CSRF risk
            return
        if presented and hmac.compare_digest(presented, expected):
            return
        self.refuse(principal.tenant_id, principal.username, source, "missing or forged CSRF token", target)
        raise CsrfRejected("This form has expired or did not come from your console: reload the page.")

    def refuse(self, tenant_id: UUID | None, username: str, source: str, reason: str, target: str) -> None:
        """Record a security refusal in the logbook."""
        self._store.write(
            lambda uow: uow.record(
                SecurityRefusal(
                    tenant_id=tenant_id, username=username, source=source, reason=reason, target=target
                ),
                "auth",
            ),
            Scope.system(),
        )


def load_principal(uow: UnitOfWork, user: User, session: AuthSession | None) -> Principal:
    """A user's grants turned into permissions and scopes."""
    grants = []
    roles: list[str] = []
    for grant in uow.grants.find(user_id=user.id):
        role = uow.roles.get(grant.role_id)
        if role is None:
            continue
        roles.append(role.name)
        grants.append((frozenset(role.permissions), grant.scope()))
    return Principal(
        user_id=user.id,
        tenant_id=user.tenant_id,
        username=user.username,
        display_name=user.display_name,
        language=user.language,
        roles=tuple(dict.fromkeys(roles)),
        grants=tuple(grants),
        session_id=None if session is None else session.id,
        csrf_token=None if session is None else session.csrf_token,
    )
