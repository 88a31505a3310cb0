"""Schedules over the API: an administrator creates, changes and assigns them, each change in the
logbook; other tenants, other clients' administrators and other roles reach none of them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.integration.api_support import PASSWORD, Stack, console_csrf, make_stack
from tests.integration.helpers import make_room
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope

HOURS = {
    "name": "Office hours",
    "windows": [{"days": [1, 2, 3, 4, 5], "opens": "08:00", "closes": "19:00"}],
    "holidays": ["2026-12-25", "2026-12-24 08:00-12:00"],
    "grace_seconds": 600,
}


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The app on SQLite with a room, its users, and a second tenant's administrator."""
    for made in make_stack(tmp_path_factory.mktemp("schedules")):
        other = make_room(made.node.store)
        scope = Scope.tenant(other.tenant_id)
        bus = made.node.messagebus
        admin2 = bus.handle(
            c.AddUser(other.tenant_id, "admin-two", "Admin Two", PASSWORD), scope=scope, actor="t"
        )
        bus.handle(c.GrantRole(admin2.id, "admin"), scope=scope, actor="t")
        made.add_user("admin-a", "admin", client_ids=(made.room.client_a,))
        yield made


def as_user(stack: Stack, username: str) -> tuple[TestClient, dict[str, str]]:
    browser = stack.session(username)
    return browser, {"X-CSRF-Token": console_csrf(browser)}


def test_an_admin_sets_a_schedule_and_assigns_it_and_the_next_check_is_planned(stack: Stack) -> None:
    """POST creates (201), PUT on the site assigns and plans its next check, PUT on the schedule
    changes it and plans again; GET shows the sites and their checks; three logbook entries."""
    browser, csrf = as_user(stack, "admin")
    created = browser.post("/api/v1/schedules", json=HOURS, headers=csrf)
    assert created.status_code == 201, created.text
    schedule = created.json()
    assert schedule["grace_seconds"] == 600
    assert schedule["holidays"] == ["2026-12-24 08:00-12:00", "2026-12-25"]
    assigned = browser.put(
        f"/api/v1/sites/{stack.room.site_a}/schedule", json={"schedule_id": schedule["id"]}, headers=csrf
    )
    assert assigned.status_code == 200, assigned.text
    assert assigned.json()["schedule_id"] == schedule["id"]
    changed = browser.put(
        f"/api/v1/schedules/{schedule['id']}",
        json=HOURS | {"name": "Office", "grace_seconds": 0},
        headers=csrf,
    )
    assert changed.status_code == 200, changed.text
    file = browser.get(f"/api/v1/schedules/{schedule['id']}").json()
    assert file["name"] == "Office"
    (site,) = file["sites"]
    assert site["ref"] == "SA"
    assert site["next_check"] is not None
    assert site["next_check_kind"] in ("open", "close")
    assert [e["name"] for e in stack.entries("schedule.set")][-2:] == ["Office hours", "Office"]
    assert stack.entries("schedule.set")[-1]["sites"] == 1
    assert [e["site_ref"] for e in stack.entries("site.schedule_assigned")][-1] == "SA"
    listed = {s["id"]: s for s in browser.get("/api/v1/schedules").json()}
    assert listed[schedule["id"]]["grace_seconds"] == 0


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"holidays": ["2026-13-01"]}, "not a date"),
        ({"holidays": ["2026-12-25", "2026-12-25"]}, "twice"),
        ({"windows": [{"days": [8], "opens": "08:00", "closes": "19:00"}]}, "less than or equal"),
        ({"windows": [{"days": [1], "opens": "8h", "closes": "19:00"}]}, "pattern"),
        ({"grace_seconds": 99_999}, "less than or equal"),
    ],
)
def test_a_bad_schedule_is_refused_with_a_sentence_and_nothing_stored(
    stack: Stack, change: dict[str, object], words: str
) -> None:
    """A bad date, a date twice, a day 8, a time not HH:MM or a grace too long: 422, nothing stored."""
    browser, csrf = as_user(stack, "admin")
    before = len(browser.get("/api/v1/schedules").json())
    response = browser.post("/api/v1/schedules", json=HOURS | {"name": "Bad"} | change, headers=csrf)
    assert response.status_code == 422, response.text
    assert words in response.json()["detail"]
    assert len(browser.get("/api/v1/schedules").json()) == before


def test_another_tenants_admin_neither_reads_nor_changes_nor_assigns_our_schedules(stack: Stack) -> None:
    """Our schedule and our site answer 404 to another tenant's admin (the probes are recorded), their
    list does not show ours, and their schedule cannot be given to our site."""
    admin, csrf = as_user(stack, "admin")
    ours = admin.post("/api/v1/schedules", json=HOURS | {"name": "Ours"}, headers=csrf).json()
    other, other_csrf = as_user(stack, "admin-two")
    theirs = other.post("/api/v1/schedules", json=HOURS | {"name": "Theirs"}, headers=other_csrf)
    assert theirs.status_code == 201
    before = len(stack.entries("security.refused"))
    assert other.get(f"/api/v1/schedules/{ours['id']}").status_code == 404
    stack.clock.advance(60)
    assert other.put(f"/api/v1/schedules/{ours['id']}", json=HOURS, headers=other_csrf).status_code == 404
    stack.clock.advance(60)
    assign = {"schedule_id": theirs.json()["id"]}
    assert (
        other.put(f"/api/v1/sites/{stack.room.site_a}/schedule", json=assign, headers=other_csrf).status_code
        == 404
    )
    assert len(stack.entries("security.refused")) == before + 3
    assert ours["id"] not in {s["id"] for s in other.get("/api/v1/schedules").json()}
    assert theirs.json()["id"] not in {s["id"] for s in admin.get("/api/v1/schedules").json()}
    refused = admin.put(f"/api/v1/sites/{stack.room.site_a}/schedule", json=assign, headers=csrf)
    assert refused.status_code == 404
    file = admin.get(f"/api/v1/schedules/{ours['id']}").json()
    assert file["name"] == "Ours"


def test_a_client_admin_keeps_to_their_client_and_other_roles_may_not_change_schedules(stack: Stack) -> None:
    """An admin over client A sets A's schedule and assigns it to A's site, not to B's, and may not
    change a shared one; a client user reads but gets 403 on changes, like an operator."""
    admin, csrf = as_user(stack, "admin")
    shared = admin.post("/api/v1/schedules", json=HOURS | {"name": "Shared"}, headers=csrf).json()
    admin_a, csrf_a = as_user(stack, "admin-a")
    own = admin_a.post(
        "/api/v1/schedules",
        json=HOURS | {"name": "A's", "client_id": str(stack.room.client_a)},
        headers=csrf_a,
    )
    assert own.status_code == 201, own.text
    for_b = HOURS | {"name": "B's", "client_id": str(stack.room.client_b)}
    assert admin_a.post("/api/v1/schedules", json=for_b, headers=csrf_a).status_code == 404
    assert admin_a.put(f"/api/v1/schedules/{shared['id']}", json=HOURS, headers=csrf_a).status_code == 403
    body = {"schedule_id": own.json()["id"]}
    assert (
        admin_a.put(f"/api/v1/sites/{stack.room.site_a}/schedule", json=body, headers=csrf_a).status_code
        == 200
    )
    assert (
        admin_a.put(f"/api/v1/sites/{stack.room.site_b}/schedule", json=body, headers=csrf_a).status_code
        == 404
    )
    by_admin = admin.put(f"/api/v1/sites/{stack.room.site_b}/schedule", json=body, headers=csrf)
    assert by_admin.status_code == 404  # A's schedule is not B's site's to follow
    for username in ("client-a", "operator"):
        browser, user_csrf = as_user(stack, username)
        assert browser.post("/api/v1/schedules", json=HOURS, headers=user_csrf).status_code == 403
        assert (
            browser.put(
                f"/api/v1/sites/{stack.room.site_a}/schedule", json=body, headers=user_csrf
            ).status_code
            == 403
        )
    client_view = as_user(stack, "client-a")[0].get(f"/api/v1/schedules/{own.json()['id']}")
    assert client_view.status_code == 200
    assert [s["ref"] for s in client_view.json()["sites"]] == ["SA"]
