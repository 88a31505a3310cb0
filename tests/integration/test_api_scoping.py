"""Every API route keeps a user inside their grant: a user scoped to client A cannot read or change B."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.api_support import Stack, console_csrf, make_stack


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """One app for the module: these tests only read, or write notes."""
    yield from make_stack(tmp_path_factory.mktemp("scoping"))


def ids(items: list[dict[str, object]]) -> set[str]:
    return {str(i["id"]) for i in items}


def test_lists_show_only_what_the_grant_covers(stack: Stack) -> None:
    """Client A's user lists client A and its site only; the admin lists both."""
    room = stack.room
    a, admin = stack.session("client-a"), stack.session("admin")
    assert ids(a.get("/api/v1/clients").json()) == {str(room.client_a)}
    assert ids(a.get("/api/v1/sites").json()) == {str(room.site_a)}
    assert ids(admin.get("/api/v1/clients").json()) == {str(room.client_a), str(room.client_b)}
    assert ids(admin.get("/api/v1/sites").json()) == {str(room.site_a), str(room.site_b)}


def test_a_site_scoped_operator_sees_that_site_and_its_client(stack: Stack) -> None:
    """A grant over one site shows that site and its owner, nothing else."""
    b = stack.session("site-b")
    assert ids(b.get("/api/v1/sites").json()) == {str(stack.room.site_b)}
    assert ids(b.get("/api/v1/clients").json()) == {str(stack.room.client_b)}


@pytest.mark.parametrize("path", ["/api/v1/clients/{client_b}", "/api/v1/sites/{site_b}"])
def test_reading_another_clients_record_is_hidden_and_logged(stack: Stack, path: str) -> None:
    """Asking for B's record by id answers 404 (no hint it exists) and writes a security entry."""
    room = stack.room
    url = path.format(client_b=room.client_b, site_b=room.site_b)
    stack.clock.advance(seconds=60)  # refusals are counted per minute: this one is the first of its minute
    before = len(stack.entries("security.refused"))
    response = stack.session("client-a").get(url)
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    refused = stack.entries("security.refused")
    assert len(refused) == before + 1
    assert refused[-1]["reason"] == "outside the user's scope"
    assert stack.session("admin").get(url).status_code == 200


def test_own_site_file_is_readable_without_secrets(stack: Stack) -> None:
    """A site's file lists its children; hashed passwords never leave the store."""
    body = stack.session("client-a").get(f"/api/v1/sites/{stack.room.site_a}").json()
    assert body["ref"] == "SA"
    assert "password_hash" not in str(body)


def test_the_logbook_shows_only_the_grants_entries(stack: Stack) -> None:
    """Client A's user reads entries about client A and its site, none about B."""
    room = stack.room
    entries = stack.session("client-a").get("/api/v1/logbook").json()["entries"]
    assert entries
    assert {e["client_id"] for e in entries} == {str(room.client_a)}


def test_a_note_about_another_clients_site_is_refused(stack: Stack) -> None:
    """Writing about a site outside one's grant fails and writes nothing."""
    operator = stack.session("site-b")
    token = console_csrf(operator)
    before = len(stack.entries("logbook.note"))
    response = operator.post(
        "/api/v1/logbook/notes",
        json={"text": "x", "site_id": str(stack.room.site_a)},
        headers={"X-CSRF-Token": token},
    )
    assert response.status_code == 404
    assert len(stack.entries("logbook.note")) == before
    ok = operator.post(
        "/api/v1/logbook/notes",
        json={"text": "y", "site_id": str(stack.room.site_b)},
        headers={"X-CSRF-Token": token},
    )
    assert ok.status_code == 201


def test_roles_without_a_permission_are_refused(stack: Stack) -> None:
    """A client-role user may not write in the logbook (403 with the reason)."""
    client = stack.session("client-a")
    response = client.post(
        "/api/v1/logbook/notes", json={"text": "x"}, headers={"X-CSRF-Token": console_csrf(client)}
    )
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"


CHECKED = {
    "/api/v1/me",
    "/api/v1/me/language",
    "/api/v1/logbook",
    "/api/v1/logbook/notes",
    "/api/v1/clients",
    "/api/v1/clients/{client_id}",
    "/api/v1/sites",
    "/api/v1/sites/{site_id}",
    "/api/v1/units",
    "/api/v1/partners",
    "/api/v1/schedules",
    "/api/v1/signals",
    "/api/v1/health",
    "/api/v1/security/refusals",
}


def test_every_api_route_needs_a_login_and_is_covered_here(stack: Stack) -> None:
    """Each /api/v1 route refuses an anonymous caller, and each is listed in this module's checks."""
    paths = {p: ops for p, ops in stack.app.openapi()["paths"].items() if p.startswith("/api/v1")}
    assert set(paths) == CHECKED, "a new route needs its scoping test here"
    anonymous = stack.browser()
    for template, operations in paths.items():
        path = template.replace("{client_id}", str(stack.room.client_b)).replace(
            "{site_id}", str(stack.room.site_b)
        )
        for method in operations:
            response = anonymous.request(method.upper(), path, json={})
            assert response.status_code == 401, (method, path)
            assert set(response.json()) == {"error", "detail"}


def test_health_and_openapi_are_public(stack: Stack) -> None:
    """/health says ok and /openapi.json documents the API."""
    assert stack.client.get("/health").json() == {"status": "ok"}
    spec = stack.client.get("/openapi.json").json()
    assert "/api/v1/sites/{site_id}" in spec["paths"]
