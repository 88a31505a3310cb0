"""Logging in and out, sessions, API tokens, throttling and CSRF: who is asking, and may they.

Failed logins are throttled per source address and per user name from that address, with delays that
grow with each failure and fall away after a quiet while. There is no lock-out: an outsider failing from
another address never delays the operator on duty. An unknown user name costs the same Argon2 check as
a wrong password, so the time of an answer does not tell which names exist.

Refusals (failed logins, forged CSRF tokens, missing permissions) are counted per source and minute by
:mod:`tocsin.services.refusals`, so a flood of them writes a bounded number of logbook entries. A failed
login under the name of an existing user goes to that user's tenant chain, where its supervisors see it;
one under an unknown name belongs to no tenant and goes to the system chain.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
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
    TokenRejected,
    User,
)
from tocsin.services import refusals
from tocsin.services.ports import Clock, SecretHasher
from tocsin.services.refusals import RefusalLog
from tocsin.services.unit_of_work import Store, UnitOfWork

SESSION_IDLE = timedelta(hours=12)  # one shift without a click
SESSION_MAX = timedelta(hours=14)  # a shift and its handover
TOUCH_EVERY = timedelta(minutes=1)
FREE_FAILURES = {"addr": 10, "user": 3}  # failures allowed before delays start
MAX_DELAY = timedelta(seconds=60)
FORGET_AFTER = timedelta(minutes=15)
TOKEN_LIFETIME = timedelta(days=90)  # a bearer token's default lifetime


def token_hash(token: str) -> str:
    """What the store keeps of a secret token."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class LoginResult:
    """A successful login: the cookie's token (shown once) and who logged in."""

    token: str
    principal: Principal


@dataclass(frozen=True, slots=True)
class Credential:
    """What a caller showed: a session cookie or a bearer token, as the store knows it (its hash)."""

    kind: Literal["session", "token"]
    token_hash: str

    @classmethod
    def of(cls, kind: Literal["session", "token"], token: str) -> Credential:
        """The credential of a token as presented."""
        return cls(kind, token_hash(token))


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
        self._dummy_hash: str | None = None
        self.refusals = RefusalLog(store, clock)

    # ------------------------------------------------------------ logging in and out

    def login(self, username: str, password: str, source: str) -> LoginResult:
        """Check a password; on success open a session. Raises AuthenticationFailed or Throttled."""
        username = username.strip().lower()[:64]
        system = Scope.system()
        wait, user = self._store.read(lambda uow: self._throttle_and_user(uow, username, source), system)
        if wait:
            self._fail(username, source, "throttled", user)
            raise Throttled(f"Too many failed attempts from here: wait {wait} s and try again.", wait)
        password_ok = self._verify(user, password, self._dummy())
        if user is None or not user.active or not password_ok:
            reason = "unknown user" if user is None else "disabled" if not user.active else "bad password"
            self._fail(username, source, reason, user)
            raise AuthenticationFailed("Wrong user name or password.")
        return self._store.write(lambda uow: self._open_session(uow, user, source), system)

    def _throttle_and_user(self, uow: UnitOfWork, username: str, source: str) -> tuple[int, User | None]:
        users = uow.users.find(username=username)
        return _check_throttle(uow, username, source, self._clock.now()), users[0] if users else None

    def _dummy(self) -> str:
        """A hash of nothing anyone knows, made at the first login whatever its name, so that making it
        does not single out the first unknown one."""
        if self._dummy_hash is None:
            self._dummy_hash = self._hasher.hash(secrets.token_urlsafe(16))
        return self._dummy_hash

    def _verify(self, user: User | None, password: str, dummy: str) -> bool:
        """Check the password; for an unknown name, check it against the dummy hash all the same, so
        both cost one Argon2 check."""
        if user is not None:
            return self._hasher.verify(user.password_hash, password)
        self._hasher.verify(dummy, password)
        return False

    def _fail(self, username: str, source: str, reason: str, user: User | None) -> None:
        tenant = None if user is None else user.tenant_id
        events = self.refusals.count(
            LoginFailed(tenant_id=tenant, username=username, source=source[:64], reason=reason)
        )
        if reason == "throttled" and not events:
            return  # a throttled attempt changes nothing: counted, not written

        def record(uow: UnitOfWork) -> None:
            if reason != "throttled":
                _record_failure(uow, username, source, self._clock.now())
            refusals.record(uow, events)

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

        def read(uow: UnitOfWork) -> tuple[AuthSession, User, Principal | None] | None:
            found = self._session_and_user(uow, token)
            if found is None:
                return None
            session, user = found
            if session.revoked_at is not None or not user.active or _session_over(session, now):
                return session, user, None
            return session, user, load_principal(uow, user, session)

        found = self._store.read(read, Scope.system())  # one read transaction on every request
        if found is None:
            raise SessionExpired("Your session is over: log in again.")
        session, user, principal = found
        if principal is None:
            if session.revoked_at is None:
                self._expire(session, user, source)
            raise SessionExpired("Your session is over: log in again.")
        if now - session.last_seen_at > TOUCH_EVERY:
            self._store.write(lambda uow: uow.auth.touch_session(session.id, now), Scope.system())
        return principal

    def ended(self, credentials: Collection[Credential]) -> set[Credential]:
        """Those of these credentials that no longer let in: a session logged out, expired or revoked,
        a token revoked or expired, or their user disabled. Only reads: a console's open WebSocket is not
        activity, so a tab left open still ends with its session."""
        now = self._clock.now()

        def check(uow: UnitOfWork) -> set[Credential]:
            return {c for c in credentials if not self._still_valid(uow, c, now)}

        return self._store.read(check, Scope.system()) if credentials else set()

    def _still_valid(self, uow: UnitOfWork, credential: Credential, now: datetime) -> bool:
        if credential.kind == "token":
            token = uow.auth.token_by_hash(credential.token_hash)
            if token is None or token.revoked_at is not None:
                return False
            user = uow.users.get(token.user_id)
            return user is not None and user.active and (token.expires_at is None or token.expires_at > now)
        session = uow.auth.session_by_token_hash(credential.token_hash)
        if session is None or session.revoked_at is not None:
            return False
        user = uow.users.get(session.user_id)
        return user is not None and user.active and not _session_over(session, now)

    def _session_and_user(self, uow: UnitOfWork, token: str) -> tuple[AuthSession, User] | None:
        return uow.auth.session_and_user(token_hash(token))  # one query: this runs on every request

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
            raise TokenRejected(
                "This API token is unknown, revoked or expired: ask an administrator for a new one."
            )
        return principal

    def create_token(self, username: str, name: str, valid_for: timedelta | None = TOKEN_LIFETIME) -> str:
        """A new API token for a user, returned once; it expires after ``valid_for`` (90 days unless
        told otherwise; ``None`` only for callers that revoke it themselves)."""
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

    @staticmethod
    def csrf_ok(principal: Principal, presented: str | None) -> bool:
        """Whether a change may go on: it carries the session's CSRF token, or it came with a bearer
        token (which carries no cookie, so no CSRF risk)."""
        expected = principal.csrf_token
        return expected is None or bool(presented and hmac.compare_digest(presented, expected))

    def check_csrf(self, principal: Principal, presented: str | None, source: str, target: str) -> None:
        """Refuse (and record) a cookie-authenticated change that lacks the session's CSRF token."""
        if self.csrf_ok(principal, presented):
            return
        self.refuse(principal.tenant_id, principal.username, source, "missing or forged CSRF token", target)
        raise CsrfRejected("This form has expired or did not come from your console: reload the page.")

    def refuse(self, tenant_id: UUID | None, username: str, source: str, reason: str, target: str) -> None:
        """Count a security refusal; the logbook gets the first of each source and minute at once and
        a count of the others when the minute is over. Without a tenant, the refusal goes to the tenant
        of the user it names, if there is one (a forged login form under a real name)."""
        if tenant_id is None and username not in ("", "-"):
            named = username.strip().lower()[:64]
            users = self._store.read(lambda uow: uow.users.find(username=named), Scope.system())
            tenant_id = users[0].tenant_id if users else None
        refusal = SecurityRefusal(
            tenant_id=tenant_id,
            username=username[:64],
            source=source[:64],
            reason=reason,
            target=target[:200],
        )
        events = self.refusals.count(refusal)
        if events:
            self._store.write(lambda uow: refusals.record(uow, events), Scope.system())


def _session_over(session: AuthSession, now: datetime) -> bool:
    return now - session.last_seen_at > SESSION_IDLE or now - session.created_at > SESSION_MAX


def load_principal(uow: UnitOfWork, user: User, session: AuthSession | None) -> Principal:
    """A user's grants turned into permissions and scopes."""
    grants = []
    roles: list[str] = []
    for grant, role in uow.auth.grants_and_roles(user.id):  # one query: this runs on every request
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
