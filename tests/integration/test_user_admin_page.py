"""The console's user administration page: admins only, plain forms with the CSRF token, acts logged."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.integration.api_support import PASSWORD, Stack, login, make_stack

PAGE = "/console/users"


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    """The app on SQLite with a room and users."""
    yield from make_stack(tmp_path)


def form_action(page: str, username: str, action: str) -> tuple[str, str]:
    """The action URL of a form in ``username``'s row, and the page's CSRF token."""
    row = page[page.index(f'data-username="{username}"') :]
    url = re.search(rf'action="(/console/users/[^"]+/{action})"', row)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert url is not None
    assert token is not None
    return url.group(1), token.group(1)


def test_an_admin_sees_the_users_and_disables_one_with_a_form(stack: Stack) -> None:
    """The page lists the tenant's users; the Disable form stops the user and the act is logged."""
    admin = stack.session("admin")
    page = admin.get(PAGE)
    assert page.status_code == 200
    assert 'data-username="operator"' in page.text
    assert "password_hash" not in page.text
    url, token = form_action(page.text, "operator", "disable")
    done = admin.post(url, data={"csrf_token": token})
    assert done.status_code == 303
    assert done.headers["location"] == f"{PAGE}?done=1"
    assert login(stack.browser(), "operator", PASSWORD).status_code == 401
    assert [e["username"] for e in stack.entries("user.disabled")] == ["operator"]
    after = admin.get(f"{PAGE}?done=1").text
    assert 'data-testid="users-done"' in after
    url, token = form_action(after, "operator", "enable")
    assert admin.post(url, data={"csrf_token": token}).status_code == 303
    assert login(stack.browser(), "operator", PASSWORD).status_code == 303


def test_a_form_without_the_csrf_token_changes_nothing(stack: Stack) -> None:
    """A forged post (no token) is refused with 403 and the user stays active."""
    admin = stack.session("admin")
    url, _ = form_action(admin.get(PAGE).text, "operator", "disable")
    assert admin.post(url, data={"csrf_token": "forged"}).status_code == 403
    assert stack.entries("user.disabled") == []


def test_bad_input_shows_the_reason_and_creates_nobody(stack: Stack) -> None:
    """A short password re-renders the page with the reason (422); no user is created."""
    admin = stack.session("admin")
    _, token = form_action(admin.get(PAGE).text, "operator", "disable")
    form = {"csrf_token": token, "username": "newbie", "display_name": "New", "password": "short"}
    response = admin.post(PAGE, data=form | {"role": "operator"})
    assert response.status_code == 422
    assert "at least 10 characters" in response.text
    assert stack.entries("user.created")[-1]["username"] != "newbie"
    created = admin.post(PAGE, data=form | {"password": PASSWORD, "role": "unit"})
    assert created.status_code == 303
    assert login(stack.browser(), "newbie", PASSWORD).status_code == 303


def test_others_are_refused_or_sent_to_log_in(stack: Stack) -> None:
    """An operator gets 403 with the reason and no table; an anonymous browser goes to the login page."""
    page = stack.session("operator").get(PAGE)
    assert page.status_code == 403
    assert "Only an administrator manages users" in page.text
    assert 'data-testid="users-table"' not in page.text
    anonymous = TestClient(stack.app, follow_redirects=False)
    assert anonymous.get(PAGE).headers["location"] == "/login"


def test_the_page_speaks_the_admins_language(stack: Stack) -> None:
    """In French, the page's words are French."""
    admin = stack.session("admin")
    page = admin.get("/console")
    token = page.text.split('<meta name="csrf-token" content="')[1].split('"')[0]
    admin.put("/api/v1/me/language", json={"language": "fr"}, headers={"X-CSRF-Token": token})
    text = admin.get(PAGE).text
    assert "Utilisateurs" in text
    assert "Désactiver" in text
