"""Users, roles, grants and the security records behave the same in memory and in SQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.contract.support import SYSTEM, Backend, World
from tocsin.domain import commands as c
from tocsin.domain.errors import Conflict, NotFound, OutOfScope
from tocsin.domain.scope import Scope
from tocsin.domain.users import ApiToken, AuthSession, LoginThrottle, builtin_role_id
from tocsin.services.auth import load_principal
from tocsin.services.handlers.registry import Deps
from tocsin.services.messagebus import MessageBus
from tocsin.testing import FakeHasher


def bus(backend: Backend) -> MessageBus:
    return MessageBus(backend.store, Deps(hasher=FakeHasher()))


def test_builtin_roles_are_there_from_the_start(backend: Backend) -> None:
    """Every store knows the five built-in roles, with the migration's ids."""
    roles = backend.read(lambda uow: uow.roles.find())
    assert {r.name for r in roles} == {"operator", "supervisor", "admin", "unit", "client"}
    assert {r.id for r in roles} == {builtin_role_id(r.name) for r in roles}


def test_a_granted_user_gets_the_permissions_and_scope_of_the_role(backend: Backend, world: World) -> None:
    """A client-role grant over client A gives read permissions limited to client A."""
    user = bus(backend).handle(
        c.AddUser(world.t1.id, "alice", "Alice", "long password"), scope=SYSTEM, actor="t"
    )
    bus(backend).handle(c.GrantRole(user.id, "client", (world.a.id,)), scope=SYSTEM, actor="t")
    principal = backend.read(lambda uow: load_principal(uow, user, None))
    assert principal.roles == ("client",)
    assert principal.can("directory.read")
    assert not principal.can("logbook.write")
    scope = principal.scope_for("directory.read")
    assert scope.client_ids == frozenset({world.a.id})


def test_user_names_are_unique_across_tenants(backend: Backend, world: World) -> None:
    """Two tenants cannot both have a user 'bob' (the login form has no tenant field)."""
    bus(backend).handle(c.AddUser(world.t1.id, "bob", "Bob", "long password"), scope=SYSTEM, actor="t")
    with pytest.raises(Conflict):
        bus(backend).handle(c.AddUser(world.t2.id, "bob", "Bob", "long password"), scope=SYSTEM, actor="t")


def test_granting_an_unknown_role_names_the_known_ones(backend: Backend, world: World) -> None:
    """A typo in a role name is refused with the list of roles."""
    user = bus(backend).handle(
        c.AddUser(world.t1.id, "carol", "Carol", "long password"), scope=SYSTEM, actor="t"
    )
    with pytest.raises(NotFound, match="operator"):
        bus(backend).handle(c.GrantRole(user.id, "operater"), scope=SYSTEM, actor="t")


def test_another_tenant_cannot_see_a_user(backend: Backend, world: World) -> None:
    """Users are tenant records: tenant two does not see tenant one's users."""
    bus(backend).handle(c.AddUser(world.t1.id, "dave", "Dave", "long password"), scope=SYSTEM, actor="t")
    assert backend.read(lambda uow: uow.users.find(), Scope.tenant(world.t2.id)) == []
    assert len(backend.read(lambda uow: uow.users.find(), Scope.tenant(world.t1.id))) == 1


def test_sessions_are_found_by_token_hash_touched_and_revoked(backend: Backend, world: World) -> None:
    """A session round-trips, moves its last-seen time and can be revoked once."""
    user = bus(backend).handle(
        c.AddUser(world.t1.id, "erin", "Erin", "long password"), scope=SYSTEM, actor="t"
    )
    now = backend.clock.now()
    session = AuthSession(
        backend.clock.new_id(), user.id, world.t1.id, "h" * 64, "csrf", now, now, "10.0.0.1"
    )
    backend.write(lambda uow: uow.auth.add_session(session))
    assert backend.read(lambda uow: uow.auth.session_by_token_hash("h" * 64)) == session
    later = now + timedelta(minutes=5)
    backend.write(lambda uow: uow.auth.touch_session(session.id, later))
    backend.write(lambda uow: uow.auth.revoke_session(session.id, later))
    found = backend.read(lambda uow: uow.auth.session_by_token_hash("h" * 64))
    assert found is not None
    assert (found.last_seen_at, found.revoked_at) == (later, later)
    assert backend.read(lambda uow: uow.auth.session_by_token_hash("x" * 64)) is None


def test_throttles_are_kept_replaced_and_cleared(backend: Backend) -> None:
    """A throttle record per key: put twice keeps the last, clear removes it."""
    now = backend.clock.now()
    first = LoginThrottle("addr:1.2.3.4", 1, now, now)
    second = LoginThrottle("addr:1.2.3.4", 2, now, now + timedelta(seconds=2))
    backend.write(lambda uow: uow.auth.put_throttle(first))
    backend.write(lambda uow: uow.auth.put_throttle(second))
    assert backend.read(lambda uow: uow.auth.throttle("addr:1.2.3.4")) == second
    backend.write(lambda uow: uow.auth.clear_throttle("addr:1.2.3.4"))
    assert backend.read(lambda uow: uow.auth.throttle("addr:1.2.3.4")) is None


def test_a_users_tokens_are_listed_and_revoked(backend: Backend, world: World) -> None:
    """tokens_of lists one user's tokens, oldest first; revoke_token ends one, once."""
    user = bus(backend).handle(c.AddUser(world.t1.id, "fay", "Fay", "long password"), scope=SYSTEM, actor="t")
    now = backend.clock.now()
    made = [
        ApiToken(backend.clock.new_id(), user.id, world.t1.id, name, name * 32, now) for name in ("aa", "bb")
    ]
    for token in made:
        backend.write(lambda uow, token=token: uow.auth.add_token(token))
    assert backend.read(lambda uow: uow.auth.tokens_of(user.id)) == made
    later = now + timedelta(minutes=1)
    backend.write(lambda uow: uow.auth.revoke_token(made[0].id, later))
    backend.write(lambda uow: uow.auth.revoke_token(made[0].id, later + timedelta(minutes=1)))
    assert [t.revoked_at for t in backend.read(lambda uow: uow.auth.tokens_of(user.id))] == [later, None]
    assert backend.read(lambda uow: uow.auth.tokens_of(world.t2.id)) == []


def test_revoking_a_users_sessions_counts_the_open_ones(backend: Backend, world: World) -> None:
    """revoke_sessions_of ends every open session of the user and says how many were open."""
    user = bus(backend).handle(c.AddUser(world.t1.id, "gus", "Gus", "long password"), scope=SYSTEM, actor="t")
    now = backend.clock.now()
    for n in range(2):
        session = AuthSession(backend.clock.new_id(), user.id, world.t1.id, str(n) * 64, "c", now, now, "x")
        backend.write(lambda uow, session=session: uow.auth.add_session(session))
    assert backend.write(lambda uow: uow.auth.revoke_sessions_of(user.id, now)) == 2
    assert backend.write(lambda uow: uow.auth.revoke_sessions_of(user.id, now)) == 0


def test_a_grant_is_removed_only_within_scope(backend: Backend, world: World) -> None:
    """remove deletes a grant in its whole tenant; another tenant or a client scope is refused."""
    user = bus(backend).handle(c.AddUser(world.t1.id, "hal", "Hal", "long password"), scope=SYSTEM, actor="t")
    grant = bus(backend).handle(c.GrantRole(user.id, "operator"), scope=SYSTEM, actor="t")
    with pytest.raises(OutOfScope):
        backend.write(lambda uow: uow.grants.remove(grant), Scope.tenant(world.t2.id))
    with pytest.raises(OutOfScope):
        backend.write(
            lambda uow: uow.grants.remove(grant), Scope.restricted(world.t1.id, frozenset({world.a.id}))
        )
    backend.write(lambda uow: uow.grants.remove(grant), Scope.tenant(world.t1.id))
    assert backend.read(lambda uow: uow.grants.find(user_id=user.id)) == []
    with pytest.raises(NotFound):
        backend.write(lambda uow: uow.grants.remove(grant), Scope.tenant(world.t1.id))
