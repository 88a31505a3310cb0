"""Refused logins and requests: counted per source and minute, seen by supervisors, never a flood."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.api_support import PASSWORD, Stack, console_csrf, csrf_of, login, make_stack
from tests.integration.helpers import make_room
from tocsin.domain.logbook import SYSTEM_CHAIN, chain_for
from tocsin.testing import FakeHasher


@pytest.fixture
def stack(fresh_db_url: str, tmp_path: Path) -> Iterator[Stack]:
    """The app on a fresh SQLite or PostgreSQL database, with a room and users."""
    yield from make_stack(tmp_path, fresh_db_url)


def test_an_unknown_name_costs_a_password_check(stack: Stack) -> None:
    """A login under an unknown name runs one (dummy) password check, as a wrong password does."""
    hasher = stack.node.hasher
    assert isinstance(hasher, FakeHasher)
    browser = stack.browser()
    before = len(hasher.verified)
    assert login(browser, "nobody-here", "some password").status_code == 401
    assert len(hasher.verified) == before + 1
    assert login(browser, "operator", "wrong password").status_code == 401
    assert len(hasher.verified) == before + 2


def test_a_flood_of_bad_logins_writes_a_bounded_number_of_entries(stack: Stack) -> None:
    """200 refused logins from one address in one minute write one entry at once and one count when the
    minute is over, not 200; a login from elsewhere meanwhile still works."""
    attacker = stack.browser("198.51.100.7")
    form = attacker.get("/login")
    statuses = set()
    for n in range(200):
        answer = attacker.post(
            "/login",
            data={"username": f"guess{n % 7}", "password": "x" * 12, "csrf_token": csrf_of(form.text)},
        )
        statuses.add(answer.status_code)
        form = answer
    assert statuses == {401, 429}
    assert stack.session("operator", "10.1.0.9").get("/api/v1/me").status_code == 200
    stack.clock.advance(seconds=60)
    stack.node.auth.refusals.flush()
    failed = [e for e in stack.entries("auth.login_failed") if e["source"] == "198.51.100.7"]
    counted = [e for e in stack.entries("security.refusals_counted") if e["source"] == "198.51.100.7"]
    assert len(failed) == 1
    assert len(counted) == 1
    assert counted[0]["count"] == 200
    assert counted[0]["what"] == "logins"
    assert counted[0]["_chain"] == SYSTEM_CHAIN  # unknown names belong to no tenant
    assert "throttled" in str(counted[0]["reasons"])
    assert len(counted[0]["usernames"]) == 5  # type: ignore[arg-type]


def test_failed_logins_reach_the_supervisors(stack: Stack) -> None:
    """A failed login under a user's name lands in that tenant's chain (the console's logbook); those
    under unknown names are in the refusals view a supervisor reads, which an operator may not."""
    attacker = stack.browser("198.51.100.8")
    assert login(attacker, "operator", "wrong password").status_code == 401
    assert login(attacker, "ghost", "wrong password").status_code == 401
    by_name = {e["username"]: e["_chain"] for e in stack.entries("auth.login_failed")}
    assert by_name == {"operator": chain_for(stack.room.tenant_id), "ghost": SYSTEM_CHAIN}
    admin = stack.session("admin")
    seen = admin.get("/api/v1/security/refusals").json()["entries"]
    texts = [e["text"] for e in seen]
    assert any("ghost" in t for t in texts)
    assert any("operator" in t for t in texts)
    console = admin.get("/api/v1/logbook").json()["entries"]
    assert any(e["kind"] == "auth.login_failed" and "operator" in e["text"] for e in console)
    operator = stack.session("operator")
    refused = operator.get("/api/v1/security/refusals")
    assert refused.status_code == 403


def test_role_refusals_are_counted_in_the_logbook(stack: Stack) -> None:
    """A 403 for a missing permission is recorded: the first at once, the rest of the minute counted."""
    client = stack.session("client-a")
    token = console_csrf(client)
    for _ in range(30):
        answer = client.post("/api/v1/logbook/notes", json={"text": "x"}, headers={"X-CSRF-Token": token})
        assert answer.status_code == 403
    refused = [e for e in stack.entries("security.refused") if e["reason"] == "role lacks the permission"]
    assert len(refused) == 1
    assert refused[0]["username"] == "client-a"
    assert refused[0]["_chain"] == chain_for(stack.room.tenant_id)
    stack.clock.advance(seconds=60)
    stack.node.auth.refusals.flush()
    (counted,) = stack.entries("security.refusals_counted")
    assert (counted["count"], counted["what"]) == (30, "requests")
    assert counted["reasons"] == "role lacks the permission: 30"


def test_a_successful_login_is_unchanged(stack: Stack) -> None:
    """The right password still opens a session and writes its login entry at once."""
    browser = stack.browser()
    assert login(browser, "operator", PASSWORD).status_code == 303
    assert [e["username"] for e in stack.entries("auth.login")] == ["operator"]


def test_a_forged_login_form_under_a_real_name_reaches_that_tenant(stack: Stack) -> None:
    """A login post with a forged CSRF token naming an existing user is recorded in that user's tenant
    chain (its supervisors see it); under an unknown name, in the system chain."""
    browser = stack.browser("198.51.100.9")
    browser.get("/login")
    for name in ("operator", "nobody"):
        data = {"username": name, "password": PASSWORD, "csrf_token": "forged"}
        assert browser.post("/login", data=data).status_code == 400
        stack.clock.advance(seconds=60)  # each is the first of its minute
    chains = {e["username"]: e["_chain"] for e in stack.entries("security.refused")}
    assert chains == {"operator": chain_for(stack.room.tenant_id), "nobody": SYSTEM_CHAIN}


def test_on_a_shared_node_refusals_under_no_tenant_stay_hidden(stack: Stack) -> None:
    """With a second tenant on the node, a supervisor sees their tenant's refusals but not the names
    tried under no tenant (they may be another tenant's people, with their addresses)."""
    make_room(stack.node.store)
    attacker = stack.browser("198.51.100.9")
    assert login(attacker, "operator", "wrong password").status_code == 401
    assert login(attacker, "someone-of-tenant-two", "wrong password").status_code == 401
    texts = [e["text"] for e in stack.session("admin").get("/api/v1/security/refusals").json()["entries"]]
    assert any("operator" in t for t in texts)
    assert not any("someone-of-tenant-two" in t for t in texts)
