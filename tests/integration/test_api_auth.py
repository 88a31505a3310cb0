"""Logging in and out as a person would, with every refusal recorded in the logbook."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.api_support import PASSWORD, Stack, console_csrf, login, make_stack


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    """The app on SQLite with a room and users."""
    yield from make_stack(tmp_path)


def test_login_opens_the_console_and_is_logged(stack: Stack) -> None:
    """Right credentials set a session cookie, open the console and write a login entry."""
    browser = stack.browser()
    response = login(browser, "operator", PASSWORD)
    assert response.status_code == 303
    assert response.headers["location"] == "/console"
    assert "httponly" in response.headers["set-cookie"].lower()
    page = browser.get("/console")
    assert page.status_code == 200
    assert "Operator" in page.text
    assert [e["username"] for e in stack.entries("auth.login")] == ["operator"]


@pytest.mark.parametrize("username", ["operator", "nobody"])
def test_wrong_credentials_get_one_answer_and_an_entry(stack: Stack, username: str) -> None:
    """A wrong password and an unknown user get the same answer; both are logged."""
    browser = stack.browser()
    response = login(browser, username, "wrong password!")
    assert response.status_code == 401
    assert "console" not in response.headers.get("location", "")
    failures = stack.entries("auth.login_failed")
    assert [f["username"] for f in failures] == [username]
    assert browser.get("/console").status_code == 303


def test_failures_slow_down_that_address_only(stack: Stack) -> None:
    """After three failures a delay grows for that user from that address; others are not affected."""
    attacker = stack.browser("203.0.113.9")
    for _ in range(3):
        assert login(attacker, "operator", "guess guess").status_code == 401
    throttled = login(attacker, "operator", PASSWORD)
    assert throttled.status_code == 429
    assert "wait" in throttled.text.lower() or "attendez" in throttled.text.lower()
    operator = stack.browser("10.1.0.7")
    assert login(operator, "operator", PASSWORD).status_code == 303  # the operator on duty gets in
    stack.clock.advance(seconds=61)
    assert login(attacker, "operator", PASSWORD).status_code == 303  # a delay, never a lock-out
    stack.node.auth.refusals.flush()  # the minute is over: its count is written
    assert [f["reason"] for f in stack.entries("auth.login_failed")] == ["bad password"]
    (counted,) = stack.entries("security.refusals_counted")
    assert counted["count"] == 4
    assert counted["reasons"] == "bad password: 3, throttled: 1"


def test_a_forged_login_form_is_refused_and_logged(stack: Stack) -> None:
    """A login post without the form's CSRF token changes nothing and is recorded."""
    browser = stack.browser()
    browser.get("/login")
    response = browser.post("/login", data={"username": "operator", "password": PASSWORD, "csrf_token": "x"})
    assert response.status_code == 400
    assert stack.entries("auth.login") == []
    assert any("CSRF" in str(r["reason"]) for r in stack.entries("security.refused"))


def test_an_expired_session_is_refused_and_logged(stack: Stack) -> None:
    """After a shift without activity the session ends: API 401, page back to login, an entry."""
    browser = stack.session("operator")
    assert browser.get("/api/v1/me").status_code == 200
    stack.clock.advance(hours=13)
    response = browser.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["error"] == "session_expired"
    assert browser.get("/console").headers["location"] == "/login"
    assert any(r["reason"] == "session expired" for r in stack.entries("security.refused"))


def test_changes_without_the_csrf_token_are_refused_and_logged(stack: Stack) -> None:
    """A cookie-authenticated change needs the session's CSRF token; a forged one changes nothing."""
    browser = stack.session("operator")
    forged = browser.post("/api/v1/logbook/notes", json={"text": "hello"}, headers={"X-CSRF-Token": "forged"})
    assert forged.status_code == 403
    assert forged.json()["error"] == "csrf_rejected"
    missing = browser.post("/api/v1/logbook/notes", json={"text": "hello"})
    assert missing.status_code == 403
    assert stack.entries("logbook.note") == []
    assert len([r for r in stack.entries("security.refused") if "CSRF" in str(r["reason"])]) == 1
    stack.clock.advance(seconds=60)
    stack.node.auth.refusals.flush()  # the second refusal of that minute is in the minute's count
    (counted,) = stack.entries("security.refusals_counted")
    assert (counted["count"], counted["what"]) == (2, "requests")
    good = browser.post(
        "/api/v1/logbook/notes", json={"text": "hello"}, headers={"X-CSRF-Token": console_csrf(browser)}
    )
    assert good.status_code == 201
    assert good.json()["entry"]["text"] == "Note: hello"


def test_logout_ends_the_session(stack: Stack) -> None:
    """Logging out revokes the session and is logged."""
    browser = stack.session("operator")
    token = console_csrf(browser)
    assert browser.post("/logout", data={"csrf_token": token}).status_code == 303
    assert browser.get("/api/v1/me").status_code == 401
    assert [e["username"] for e in stack.entries("auth.logout")] == ["operator"]


def test_api_tokens_authenticate_without_cookies(stack: Stack) -> None:
    """A bearer token works for the API and needs no CSRF token; a wrong one is refused."""
    token = stack.node.auth.create_token("operator", "integration", None)
    api = stack.browser()
    headers = {"Authorization": f"Bearer {token}"}
    assert api.get("/api/v1/me", headers=headers).json()["username"] == "operator"
    assert (
        api.post("/api/v1/logbook/notes", json={"text": "from a script"}, headers=headers).status_code == 201
    )
    assert api.get("/api/v1/me", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_language_follows_the_browser_then_the_user(stack: Stack) -> None:
    """The login page speaks the browser's language; the console the user's chosen one."""
    browser = stack.browser()
    assert 'lang="fr"' in browser.get("/login", headers={"Accept-Language": "fr-FR,fr;q=0.9"}).text
    browser = stack.session("operator")
    token = console_csrf(browser)
    assert (
        browser.put(
            "/api/v1/me/language", json={"language": "fr"}, headers={"X-CSRF-Token": token}
        ).status_code
        == 200
    )
    assert 'lang="fr"' in browser.get("/console").text
    bad = browser.put("/api/v1/me/language", json={"language": "de"}, headers={"X-CSRF-Token": token})
    assert bad.status_code == 422
    assert bad.json()["error"] == "invalid_input"
