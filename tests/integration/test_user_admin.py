"""User administration through the API: an admin manages their tenant's users, each act in the logbook."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.integration.api_support import PASSWORD, Stack, console_csrf, login, make_stack
from tests.integration.helpers import make_room
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope

NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    """The app on SQLite with a room and users."""
    yield from make_stack(tmp_path)


def admin(stack: Stack) -> tuple[TestClient, dict[str, str]]:
    browser = stack.session("admin")
    return browser, {"X-CSRF-Token": console_csrf(browser)}


def user_named(stack: Stack, username: str) -> dict[str, Any]:
    browser, _ = admin(stack)
    return next(u for u in browser.get("/api/v1/users").json() if u["username"] == username)


def test_an_admin_creates_a_user_who_can_log_in(stack: Stack) -> None:
    """POST /users creates the user with one role over a client; both acts are in the logbook."""
    browser, csrf = admin(stack)
    body = {
        "username": "Dispatcher.Two",
        "display_name": "Dispatcher Two",
        "password": PASSWORD,
        "role": "operator",
        "client_ids": [str(stack.room.client_a)],
    }
    response = browser.post("/api/v1/users", json=body, headers=csrf)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["username"] == "dispatcher.two"
    assert created["active"] is True
    assert [(g["role"], g["client_ids"]) for g in created["grants"]] == [
        ("operator", [str(stack.room.client_a)])
    ]
    assert "password" not in str(created)
    assert login(stack.browser(), "dispatcher.two", PASSWORD).status_code == 303
    assert [e["username"] for e in stack.entries("user.created")][-1] == "dispatcher.two"
    assert stack.entries("user.role_granted")[-1]["scope"] == "client A"


def test_bad_input_creates_nobody(stack: Stack) -> None:
    """A short password, an unknown role or a taken name answer 4xx and leave the users as they were."""
    browser, csrf = admin(stack)
    before = browser.get("/api/v1/users").json()
    short = browser.post(
        "/api/v1/users",
        json={"username": "x1", "display_name": "X", "password": "short", "role": "operator"},
        headers=csrf,
    )
    assert short.status_code == 422
    unknown = browser.post(
        "/api/v1/users",
        json={"username": "x2", "display_name": "X", "password": PASSWORD, "role": "wizard"},
        headers=csrf,
    )
    assert unknown.status_code == 404
    assert "operator" in unknown.json()["detail"]
    taken = browser.post(
        "/api/v1/users",
        json={"username": "operator", "display_name": "X", "password": PASSWORD, "role": "operator"},
        headers=csrf,
    )
    assert taken.status_code == 409
    assert browser.get("/api/v1/users").json() == before


def test_disabling_ends_the_users_sessions_and_enabling_lets_them_back(stack: Stack) -> None:
    """A disabled user's open session is refused at once and they cannot log in; enabling undoes it."""
    victim = stack.session("operator")
    assert victim.get("/api/v1/me").status_code == 200
    operator = user_named(stack, "operator")
    browser, csrf = admin(stack)
    response = browser.post(f"/api/v1/users/{operator['id']}/disable", headers=csrf)
    assert response.status_code == 200
    assert response.json()["active"] is False
    assert victim.get("/api/v1/me").status_code == 401
    assert login(stack.browser(), "operator", PASSWORD).status_code == 401
    assert stack.entries("user.disabled")[-1]["sessions_ended"] == 1
    assert browser.post(f"/api/v1/users/{operator['id']}/enable", headers=csrf).json()["active"] is True
    assert login(stack.browser(), "operator", PASSWORD).status_code == 303
    assert [e["username"] for e in stack.entries("user.enabled")] == ["operator"]


def test_an_admin_cannot_disable_themself(stack: Stack) -> None:
    """Disabling one's own account answers 409 and changes nothing."""
    me = user_named(stack, "admin")
    browser, csrf = admin(stack)
    response = browser.post(f"/api/v1/users/{me['id']}/disable", headers=csrf)
    assert response.status_code == 409
    assert user_named(stack, "admin")["active"] is True


def test_a_password_reset_replaces_the_password_and_ends_sessions(stack: Stack) -> None:
    """After a reset the old password fails, the new one works, and the open session is over."""
    victim = stack.session("operator")
    operator = user_named(stack, "operator")
    browser, csrf = admin(stack)
    response = browser.put(
        f"/api/v1/users/{operator['id']}/password", json={"password": NEW_PASSWORD}, headers=csrf
    )
    assert response.status_code == 200
    assert victim.get("/api/v1/me").status_code == 401
    assert login(stack.browser("10.1.0.2"), "operator", PASSWORD).status_code == 401
    assert login(stack.browser("10.1.0.3"), "operator", NEW_PASSWORD).status_code == 303
    assert stack.entries("user.password_reset")[-1]["username"] == "operator"
    assert NEW_PASSWORD not in str(stack.entries("user.password_reset"))


def test_roles_are_granted_and_taken_back(stack: Stack) -> None:
    """A grant adds a role with its scope; revoking it takes the permissions away; both are logged."""
    operator = user_named(stack, "operator")
    browser, csrf = admin(stack)
    granted = browser.post(
        f"/api/v1/users/{operator['id']}/grants",
        json={"role": "supervisor", "site_ids": [str(stack.room.site_b)]},
        headers=csrf,
    )
    assert granted.status_code == 201
    grant = next(g for g in granted.json()["grants"] if g["role"] == "supervisor")
    assert "room.supervise" in stack.session("operator").get("/api/v1/me").json()["permissions"]
    revoked = browser.delete(f"/api/v1/users/{operator['id']}/grants/{grant['id']}", headers=csrf)
    assert revoked.status_code == 200
    assert [g["role"] for g in revoked.json()["grants"]] == ["operator"]
    assert "room.supervise" not in stack.session("operator").get("/api/v1/me").json()["permissions"]
    entry = stack.entries("user.role_revoked")[-1]
    assert (entry["role"], entry["scope"]) == ("supervisor", "site SB")


def test_an_admin_keeps_their_last_admin_role(stack: Stack) -> None:
    """Taking back one's own only admin grant answers 409: a tenant never loses its last way in."""
    me = user_named(stack, "admin")
    browser, csrf = admin(stack)
    response = browser.delete(f"/api/v1/users/{me['id']}/grants/{me['grants'][0]['id']}", headers=csrf)
    assert response.status_code == 409
    assert user_named(stack, "admin")["grants"] == me["grants"]


def test_tokens_are_listed_without_secrets_and_revoked(stack: Stack) -> None:
    """An admin sees a user's tokens by name and date, and a revoked token no longer opens the API."""
    secret = stack.node.auth.create_token("operator", "nightly export", None)
    bearer = {"Authorization": f"Bearer {secret}"}
    assert stack.browser().get("/api/v1/me", headers=bearer).status_code == 200
    operator = user_named(stack, "operator")
    browser, csrf = admin(stack)
    listed = browser.get(f"/api/v1/users/{operator['id']}/tokens").json()
    assert [t["name"] for t in listed] == ["nightly export"]
    assert secret not in str(listed)
    assert "hash" not in str(listed)
    revoked = browser.delete(f"/api/v1/users/{operator['id']}/tokens/{listed[0]['id']}", headers=csrf)
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    assert stack.browser().get("/api/v1/me", headers=bearer).status_code == 401
    assert stack.entries("user.token_revoked")[-1]["token_name"] == "nightly export"


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("GET", "", None),
        ("POST", "/disable", None),
        ("PUT", "/password", {"password": NEW_PASSWORD}),
        ("POST", "/grants", {"role": "admin"}),
        ("GET", "/tokens", None),
    ],
)
def test_a_non_admin_is_refused(stack: Stack, method: str, suffix: str, body: object) -> None:
    """An operator gets 403 on user administration and nothing changes."""
    target = user_named(stack, "client-a")
    browser = stack.session("operator")
    response = browser.request(
        method,
        f"/api/v1/users/{target['id']}{suffix}",
        json=body,
        headers={"X-CSRF-Token": console_csrf(browser)},
    )
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"
    assert user_named(stack, "client-a") == target


def test_another_tenants_admin_cannot_touch_our_users(stack: Stack) -> None:
    """An admin of a second tenant neither lists nor changes the first tenant's users (404)."""
    other = make_room(stack.node.store)
    scope = Scope.tenant(other.tenant_id)
    bus = stack.node.messagebus
    admin2 = bus.handle(
        c.AddUser(other.tenant_id, "admin-two", "Admin Two", PASSWORD), scope=scope, actor="t"
    )
    bus.handle(c.GrantRole(admin2.id, "admin"), scope=scope, actor="t")
    target = user_named(stack, "operator")
    browser = stack.session("admin-two")
    csrf = {"X-CSRF-Token": console_csrf(browser)}
    assert [u["username"] for u in browser.get("/api/v1/users").json()] == ["admin-two"]
    assert browser.post(f"/api/v1/users/{target['id']}/disable", headers=csrf).status_code == 404
    assert (
        browser.put(
            f"/api/v1/users/{target['id']}/password", json={"password": NEW_PASSWORD}, headers=csrf
        ).status_code
        == 404
    )
    assert user_named(stack, "operator") == target
    assert login(stack.browser(), "operator", PASSWORD).status_code == 303


def test_an_admin_over_some_clients_only_cannot_manage_users(stack: Stack) -> None:
    """User administration needs an admin grant over the whole tenant: a client-scoped admin gets 403."""
    stack.add_user("admin-a", "admin", client_ids=(stack.room.client_a,))
    browser = stack.session("admin-a")
    response = browser.get("/api/v1/users")
    assert response.status_code == 403
    assert "whole tenant" in response.json()["detail"]
    assert browser.get("/console/users").status_code == 403
